// A small-bound run of the stress fuzzing (the full 100,000-case run is `npm run stress`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, analyzeIncremental } from '../../language-server/core/index.js';
import { corpus } from '../support/corpus.js';
import { runFuzz } from './fuzz.js';

test('fuzz: total, bounded, deterministic, formatter idempotent and lossless', () => {
  const r = runFuzz(Number(process.env['HOTPLUG_STRESS_CASES'] ?? 400), 20261123);
  assert.deepEqual(r.failures, []);
});

test('limits: a document larger than the limit is cut at a line with HL1023', () => {
  const text = 'scenario "big"\nram r0 8G\n' + 'process p\n'.repeat(100);
  const a = analyze(text, { limits: { maxChars: 200 } });
  const d = a.diagnostics.find((x) => x.code === 'HL1023');
  assert.ok(d, 'HL1023 reported');
  assert.ok(d.start <= 200 && text[d.start - 1] === '\n', 'cut at a line boundary');
  assert.ok(a.timeline, 'the part that was read is still simulated');
});

test('limits: steps beyond the limit are not simulated, and say so', () => {
  const text = 'scenario "many"\nram r0 8G\n' + 'step\n  expect no crash\n'.repeat(10);
  const a = analyze(text, { limits: { maxSteps: 3 } });
  assert.equal(a.timeline!.steps.length, 1 + 3);
  assert.ok(a.diagnostics.some((x) => x.code === 'HL1023' && /more than 3 steps/.test(x.message)));
});

test('limits: the simulation stops after the statement that passes the event limit, and says so there', () => {
  const lines = ['scenario "events"', 'ram r0 8G', 'process p', 'step "work"'];
  for (let i = 0; i < 30; i++) lines.push(`  alloc a${i} 4M anon by p`);
  lines.push('step "never simulated"', '  expect no crash');
  const text = lines.join('\n') + '\n';
  const full = analyze(text);
  const all = full.timeline!.steps.reduce((n, s) => n + s.events.length, 0);
  assert.ok(all > 20);
  const a = analyze(text, { limits: { maxEvents: 10 } });
  const d = a.diagnostics.filter((x) => x.code === 'HL1023');
  assert.equal(d.length, 1);
  assert.match(d[0]!.message, /more than 10 simulator events; the simulation stopped after this statement/);
  // Where: the statement whose events passed the limit (the 11th event overall).
  const events = a.timeline!.steps.flatMap((s) => s.events);
  assert.equal(events.length, 11);
  assert.equal(d[0]!.start, events[10]!.span.start);
  assert.equal(a.timeline!.steps.length, 2, 'boot and the step where it stopped');
  assert.match(a.timeline!.verdict.summary, /stopped at a resource limit/);
});

test('limits: the simulation stops after the step whose state views pass the range limit', () => {
  // Each poisoned page is a record in every later step's state: quadratic without the limit.
  const lines = ['scenario "ranges"', 'ram r0 64G', 'process p', 'step', '  alloc heap 1G anon by p'];
  for (let i = 0; i < 40; i++) lines.push(`step "poison ${i}"`, `  poison heap offset ${i * 8}K`);
  const text = lines.join('\n') + '\n';
  const a = analyze(text, { limits: { maxRanges: 200 } });
  const d = a.diagnostics.filter((x) => x.code === 'HL1023');
  assert.equal(d.length, 1);
  assert.match(d[0]!.message, /more than 200 memory ranges/);
  const steps = a.timeline!.steps;
  const total = steps.reduce((n, s) => n + s.state.blocks.length + s.state.poison.length, 0);
  const withoutLast = total - steps.at(-1)!.state.blocks.length - steps.at(-1)!.state.poison.length;
  assert.ok(total > 200 && withoutLast <= 200, `stopped at the first step past the limit (${withoutLast} → ${total})`);
  assert.equal(d[0]!.start, steps.at(-1)!.span!.start, 'reported on that step');
  assert.ok(steps.length < 42);
});

test('limits: the defaults leave every example and fixture alone', () => {
  for (const text of corpus()) assert.ok(!analyze(text).diagnostics.some((d) => d.code === 'HL1023' && /events|ranges/.test(d.message)));
});

test('limits: incremental analysis stops at the same place as a full one', () => {
  const lines = ['scenario "inc"', 'ram r0 64G', 'process p', 'step', '  alloc heap 1G anon by p'];
  for (let i = 0; i < 30; i++) lines.push(`step "poison ${i}"`, `  poison heap offset ${i * 8}K`);
  const text = lines.join('\n') + '\n';
  // A label edit leaves the state alone (the old tail is reused when it fits within the limits);
  // the others change it; the last adds events before the tail (an expectation becomes an action).
  const edits = [text.replace('"poison 3"', '"poison three"'), text.replace('alloc heap 1G', 'alloc heap 2G'), text.replace('offset 8K', 'offset 16K'),
    text + 'step\n  poison heap offset 900K\n', text.replace('step "poison 2"', 'step "poison 2"\n  expect no crash'), text.replace('step "poison 2"\n', 'step "poison 2"\n  poison heap offset 4M\n')];
  for (const limits of [{ maxRanges: 150, maxEvents: 25 }, { maxRanges: 10_000, maxEvents: 33 }, { maxRanges: 10_000, maxEvents: 10_000 }]) {
    const before = text.replace('"poison 2"\n', '"poison 2"\n  expect no crash\n');
    for (const [from, edited] of [...edits.map((e) => [text, e] as const), [before, text.replace('step "poison 2"\n', 'step "poison 2"\n  poison heap offset 4M\n')] as const]) {
      const inc = analyzeIncremental(edited, { limits }, analyzeIncremental(from, { limits }).memo).analysis;
      const full = analyze(edited, { limits });
      assert.deepEqual(inc.diagnostics, full.diagnostics, JSON.stringify(limits));
      assert.deepEqual(inc.timeline, full.timeline, JSON.stringify(limits));
    }
  }
  // The state converges after an action that changes nothing, so the old tail would fit the
  // state, but with it the events pass the limit: simulated instead, stopping where a full run does.
  const quiet = text.replace('"poison 2"\n', '"poison 2"\n  expect no crash\n');
  const extra = text.replace('"poison 2"\n', '"poison 2"\n  online memory0\n');
  const count = (t: string) => analyze(t).timeline!.steps.reduce((n, st) => n + st.events.length, 0);
  assert.equal(count(extra), count(quiet) + 1);
  for (const maxEvents of [count(quiet), 10_000]) {
    const limits = { maxEvents, maxRanges: 10_000 };
    const inc = analyzeIncremental(extra, { limits }, analyzeIncremental(quiet, { limits }).memo);
    const full = analyze(extra, { limits });
    assert.deepEqual(inc.analysis.diagnostics, full.diagnostics);
    assert.deepEqual(inc.analysis.timeline, full.timeline);
    assert.equal(full.diagnostics.some((d) => d.code === 'HL1023'), maxEvents < 10_000);
    if (maxEvents === 10_000) assert.ok(inc.simulatedSteps < 5, `the old tail was reused (${inc.simulatedSteps} steps simulated)`);
  }
});

// Found by the full stress run (seed 494410): a mutation of examples/r-hotremove-off.hotplug
// without its `set hotremove = off`: removeBlocks() of a range whose blocks were all removed
// already looked up block `undefined`.
test('unbind of a kmem device whose memory was removed does not throw', () => {
  const text = 'scenario "x"\nkernel 6.12\nram boot 8G\ncxl cxl0 1G at 0x600000000 node 1\ndax dax0.0 on cxl0 mode devdax\n\nstep\n  reconfigure dax0.0 system-ram no-online\n  remove dax0.0\n  unbind dax0.0\n';
  assert.doesNotThrow(() => analyze(text));
});
