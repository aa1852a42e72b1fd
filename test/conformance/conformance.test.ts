// Without QEMU: the conformance scenarios still check clean in the simulator (a simulator change
// that breaks one shows here before the real-kernel run in CI), the pending ones still disagree
// (when the simulator is fixed, move them into the suite), and `hotplug-lab replay` refuses
// machines QEMU cannot emulate with the reason, before booting anything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze, createLineIndex } from '../../language-server/core/index.js';
import { runCli } from '../../language-server/cli/cli.js';
import { ROOT } from '../support/baseline.js';
import { machineCheckPoison, unpoisonRefusal } from '../../replay/replay.js';

const dir = join(ROOT, 'test', 'conformance');
const suite = readdirSync(dir).filter((f) => f.endsWith('.hotplug')).sort();
// test/conformance/pending/ holds observed disagreements the simulator has not taken up yet.
const pending = existsSync(join(dir, 'pending')) ? readdirSync(join(dir, 'pending')).filter((f) => f.endsWith('.hotplug')).sort() : [];

test('the suite has at least 15 scenarios per real kernel', () => {
  for (const k of ['6.1', '6.12']) {
    const n = suite.filter((f) => new RegExp(`^kernel ${k.replace('.', '\\.')}$`, 'm').test(readFileSync(join(dir, f), 'utf8'))).length;
    assert.ok(n >= 15, `${n} scenarios for kernel ${k}`);
  }
});

for (const f of suite) {
  test(`conformance ${f} checks clean in the simulator`, () => {
    const text = readFileSync(join(dir, f), 'utf8');
    const idx = createLineIndex(text);
    const errors = analyze(text).diagnostics.filter((d) => d.severity === 'error').map((d) => `line ${idx.position(d.start).line + 1}: ${d.code} ${d.message}`);
    assert.deepEqual(errors, [], 'the real kernel did what this file expects; the simulator now says otherwise');
  });
}

for (const f of pending) {
  test(`pending ${f} still disagrees with the simulator`, () => {
    const text = readFileSync(join(dir, 'pending', f), 'utf8');
    const failed = analyze(text).diagnostics.filter((d) => d.code === 'HL5001' || d.code === 'HL5002');
    assert.ok(failed.length > 0, 'the simulator now agrees with the kernel: replay it and move it into test/conformance');
  });
}

async function cli(...args: string[]) {
  let out = '', err = '';
  const code = await runCli(args, { stdout: (s) => { out += s; }, stderr: (s) => { err += s; } });
  return { code, out, err };
}

test('replay refuses a machine QEMU cannot emulate, saying why, without booting', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'hl-replay-'));
  const file = join(tmp, 'cxl.hotplug');
  writeFileSync(file, 'scenario "cxl"\nkernel 6.12\nram boot 1G\ncxl cxl0 1G at 0x100000000\n');
  const r = await cli('replay', file);
  assert.equal(r.code, 2);
  assert.match(r.out, /cannot replay: the machine cannot be emulated: cxl0: QEMU's pc machine emulates no CXL memory/);
  const big = join(tmp, 'big.hotplug');
  writeFileSync(big, 'scenario "big"\nram boot 8G\n');
  assert.match((await cli('replay', big)).out, /boot RAM must be one `ram` of 512M–2G/);
  const hole = join(tmp, 'hole.hotplug');
  writeFileSync(hole, 'scenario "hole"\nram boot 1G\nhole h 1M at 0x10000000\n');
  assert.match((await cli('replay', hole)).out, /hole h: the guest's only firmware hole above memory0 is 0x3ffdf000–0x3fffffff/);
});

test('replay refuses a virtio-mem device QEMU cannot place there, naming the address to use', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'hl-replay-'));
  const low = join(tmp, 'low.hotplug');
  // Without `at`, the device follows boot RAM (0x40000000): below QEMU's device-memory window.
  writeFileSync(low, 'scenario "v"\nkernel 6.12\nram boot 1G\nvirtio-mem vm0 4G\n');
  const r = await cli('replay', low);
  assert.equal(r.code, 2);
  assert.match(r.out, /vm0 at 0x40000000: QEMU places virtio-mem in its device-memory window 0x100000000–0x3c0000000; declare it `virtio-mem vm0 4G at 0x100000000`/);
  const dimm = join(tmp, 'dimm.hotplug');
  writeFileSync(dimm, 'scenario "v"\nkernel 6.12\nram boot 1G\ndimm d0 1G at 0x100000000\nvirtio-mem vm0 4G at 0x300000000\n');
  assert.match((await cli('replay', dimm)).out, /vm0 at 0x300000000: QEMU places virtio-mem in its device-memory window 0x100000000–0x3c0000000; declare it `virtio-mem vm0 4G at 0x140000000`/);
  const two = join(tmp, 'two.hotplug');
  writeFileSync(two, 'scenario "v"\nram boot 1G\nvirtio-mem a 1G at 0x100000000\nvirtio-mem b 1G at 0x140000000\n');
  assert.match((await cli('replay', two)).out, /more than one virtio-mem device: the replay drives one/);
  const big = join(tmp, 'big.hotplug');
  writeFileSync(big, 'scenario "v"\nram boot 2G\nvirtio-mem vm0 8G at 0x100000000\n');
  assert.match((await cli('replay', big)).out, /vm0: the memory devices need 8G, more than QEMU's maxmem \(8G\) leaves next to 2G of RAM/);
});

test('replay: unpoison after a poison without `by` makes that poison a machine check; after only `poison … by P` it is not replayed', () => {
  const hw = 'scenario "u"\nkernel 6.12\nram boot 1G\nstep "s"\n  soft-offline memory5 offset 4K\n  unpoison memory5 offset 4K\n  poison memory6\n  unpoison memory5 offset 4K\n';
  const m1 = analyze(hw).model;
  assert.equal(machineCheckPoison(m1), true);
  assert.equal(unpoisonRefusal(m1, 5), undefined);
  assert.equal(unpoisonRefusal(m1, 7), undefined);
  const sw = 'scenario "u"\nkernel 6.12\nram boot 1G\nprocess p\nstep "s"\n  alloc heap 4M anon by p\n  poison heap by p\n  unpoison memory5 offset 4K\n';
  const m2 = analyze(sw).model;
  assert.equal(machineCheckPoison(m2), false);
  assert.match(unpoisonRefusal(m2, 7) ?? '', /^unsupported: unpoison after `poison … by P` only: the replay consumes poison with MADV_HWPOISON, a software injection \(MF_SW_SIMULATED\)/);
  // Without an unpoison after it, poison stays hard_offline_page (the suite's poison scenarios).
  assert.equal(machineCheckPoison(analyze('scenario "p"\nram boot 1G\nstep "s"\n  poison memory6\n').model), false);
});

test('replay usage errors exit 2', async () => {
  assert.equal((await cli('replay')).code, 2);
  assert.equal((await cli('replay', 'a', 'b')).code, 2);
  assert.equal((await cli('replay', 'x.hotplug', '--bogus')).code, 2);
});
