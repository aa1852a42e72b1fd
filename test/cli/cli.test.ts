// The CLI in process and as the built bundle: output format (spec §7), exit codes, no stack traces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../language-server/cli/cli.js';
import { ROOT } from '../support/baseline.js';

async function cli(...args: string[]) {
  let out = '', err = '';
  const code = await runCli(args, { stdout: (s) => { out += s; }, stderr: (s) => { err += s; } });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'hotplug-cli-'));
const good = join(dir, 'good.hotplug');
const bad = join(dir, 'bad.hotplug');
writeFileSync(good, 'scenario "ok"\nram r0 8G\n');
writeFileSync(bad, 'scenario "bad"\nram r0 8G\nram r0 4GB\n');

test('check: clean file exits 0 and prints nothing', async () => {
  const r = await cli('check', good);
  assert.equal(r.code, 0);
  assert.equal(r.out, '');
});

test('check: FILE:LINE:COL: severity CODE: MESSAGE, exit 1 on error', async () => {
  const r = await cli('check', bad);
  assert.equal(r.code, 1);
  const lines = r.out.trim().split('\n');
  assert.equal(lines.length, 2);
  assert.match(lines[0]!, /^.*bad\.hotplug:3:5: error HL2002: /);
  assert.match(lines[1]!, /^.*bad\.hotplug:3:8: error HL1004: /);
});

test('check --format json', async () => {
  const r = await cli('check', '--format', 'json', bad);
  assert.equal(r.code, 1);
  const j = JSON.parse(r.out) as { diagnostics: { code: string; line: number; column: number }[] };
  assert.deepEqual(j.diagnostics.map((d) => [d.code, d.line, d.column]), [['HL2002', 3, 5], ['HL1004', 3, 8]]);
});

test('usage and I/O errors exit 2 without a stack trace', async () => {
  assert.equal((await cli()).code, 2);
  assert.equal((await cli('frobnicate')).code, 2);
  assert.equal((await cli('check')).code, 2);
  assert.equal((await cli('check', '--format', 'xml', good)).code, 2);
  const missing = await cli('check', join(dir, 'nope.hotplug'));
  assert.equal(missing.code, 2);
  assert.match(missing.err, /cannot read .*no such file/);
  const isDir = await cli('check', dir);
  assert.equal(isDir.code, 2);
  assert.doesNotMatch(missing.err + isDir.err, /\n\s+at /);
});

test('the built bin runs and exits with the right code', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'hotplug-lab.js'), 'check', bad], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /error HL2002/);
  const junk = join(dir, 'junk.hotplug');
  writeFileSync(junk, Buffer.from([0, 255, 254, 10, 0x1b, 0x5b, 0x41, 10]));
  const j = spawnSync(process.execPath, [join(ROOT, 'bin', 'hotplug-lab.js'), 'check', junk], { encoding: 'utf8' });
  assert.equal(j.status, 1);
  assert.doesNotMatch(j.stderr, /at /);
});
