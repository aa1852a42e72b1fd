// A small-bound run of the stress fuzzing (the full 100,000-case run is `npm run stress`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../language-server/core/index.js';
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
