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

test('a reader that closes the pipe early gets no stack trace (EPIPE)', async () => {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'hotplug-lab.js'), 'run', join(ROOT, 'examples', 'seed-thread.hotplug')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  await new Promise<void>((resolve) => child.stdout.once('data', () => { child.stdout.destroy(); resolve(); }));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.doesNotMatch(err, /\n\s+at |EPIPE/, err);
  assert.notEqual(code, null);
});

test('run prints the timeline and compare lists differing steps', async () => {
  const ex = join(ROOT, 'examples', 's27-xfs-unbind-6.1.hotplug');
  const r = await cli('run', ex);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^Scenario: S27 fsdax XFS unbind on 6\.1/);
  assert.match(r.out, /XFS: Corruption of on-disk metadata/);
  const j = await cli('run', ex, '--json', '--kernel', '6.12');
  const t = JSON.parse(j.out) as { kernel: string; steps: { events: { log: string[] }[] }[] };
  assert.equal(t.kernel, '6.12');
  assert.ok(t.steps.some((s) => s.events.some((e) => e.log.includes('XFS: Device is about to be removed!'))));
  const c = await cli('compare', ex, '--kernel', '6.1', '--kernel', '6.12');
  assert.equal(c.code, 0, c.err);
  assert.match(c.out, /6\.12: line \d+ unbind pmem0\.0/);
  assert.match(c.out, /step\(s\) differ between 6\.1 and 6\.12/);
  assert.equal((await cli('run', ex, '--kernel', '3.2')).code, 2);
  assert.equal((await cli('compare', ex, '--kernel', '6.1')).code, 2);
});

test('--limit NAME=N changes a resource limit; HL1023 names it', async () => {
  const many = join(dir, 'many.hotplug');
  writeFileSync(many, 'scenario "many"\nram r0 8G\nprocess p\nstep\n' + Array.from({ length: 20 }, (_, i) => `  alloc a${i} 4M anon by p\n`).join(''));
  assert.equal((await cli('check', many)).code, 0);
  const r = await cli('check', many, '--limit', 'events=5');
  assert.equal(r.code, 1);
  assert.match(r.out, /many\.hotplug:\d+:3: error HL1023: .*more than 5 simulator events/);
  const run = await cli('run', many, '--limit=steps=1', '--limit', 'ranges=1000000');
  assert.equal(run.code, 0);
  for (const bad of ['events', 'events=0', 'bogus=3', 'events=x']) {
    const e = await cli('check', many, '--limit', bad);
    assert.equal(e.code, 2);
    assert.match(e.err, /--limit needs NAME=N/);
    assert.doesNotMatch(e.err, /\n\s+at /);
  }
});
