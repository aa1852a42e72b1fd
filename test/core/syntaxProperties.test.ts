// Property tests: the scanner, parser and checker are total (never throw, always terminate) and the
// token list is a full-fidelity cover of the input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze, scan, parse, isTrivia } from '../../language-server/core/index.js';
import { corpus, mutated, tokenSoup } from '../support/corpus.js';

const texts = corpus();
const runs = Number(process.env['HOTPLUG_FUZZ_RUNS'] ?? 300);
// A fixed seed keeps `npm test` reproducible; the stress script (test/stress/runStress.ts) and
// HOTPLUG_FUZZ_SEED explore other seeds.
const seed = Number(process.env['HOTPLUG_FUZZ_SEED'] ?? 20261123);

function assertCover(text: string): void {
  const { tokens } = scan(text);
  let pos = 0;
  for (const t of tokens) {
    assert.equal(t.start, pos, 'tokens are contiguous');
    assert.ok(t.end > t.start, 'tokens are non-empty');
    pos = t.end;
  }
  assert.equal(pos, text.length, 'tokens cover the whole text');
  assert.equal(tokens.map((t) => text.slice(t.start, t.end)).join(''), text);
}

function assertTotal(text: string): void {
  const a = analyze(text);
  for (const d of a.diagnostics) {
    assert.ok(d.start >= 0 && d.start + d.length <= text.length, `diagnostic ${d.code} range inside the text`);
    assert.match(d.code, /^HL\d{4}$/);
    if (!text.includes('{')) assert.ok(!/\{\d+\}/.test(d.message), `message of ${d.code} has an unfilled placeholder: ${d.message}`);
  }
  // One error per position.
  const starts = a.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.start}:${d.code}`);
  assert.equal(new Set(starts).size, starts.length, 'at most one error of a code per position');
}

test('round trip: tokens reproduce every corpus file exactly', () => {
  for (const t of texts) assertCover(t);
});

test('round trip: token soup', () => {
  fc.assert(fc.property(tokenSoup, (t) => assertCover(t)), { numRuns: runs, seed });
});

test('analysis is total on token soup', () => {
  fc.assert(fc.property(tokenSoup, (t) => assertTotal(t)), { numRuns: runs, seed });
});

test('analysis is total on arbitrary strings', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (t) => { assertCover(t); assertTotal(t); }), { numRuns: runs, seed });
});

test('analysis is total on mutated fixtures and examples', () => {
  fc.assert(fc.property(mutated(texts), (t) => { assertCover(t); assertTotal(t); }), { numRuns: runs, seed });
});

test('a broken statement never hides the next line', () => {
  const text = 'scenario "x"\nram r0 8G\nram r1 $$$ zz\nram r0 1G\n';
  const a = analyze(text);
  assert.ok(a.diagnostics.some((d) => d.code === 'HL1001'));
  assert.ok(a.diagnostics.some((d) => d.code === 'HL2002'), 'the duplicate on the line after the broken one is still reported');
});

test('large inputs stay linear: 1 MB line, 100k lines, CRLF, BOM', () => {
  const big = 'x'.repeat(1 << 20);
  assertTotal(big);
  const lines = ['\uFEFFscenario "big"\r', 'ram r0 64G\r'];
  for (let i = 0; i < 100_000; i++) lines.push(`process p${i}\r`);
  const text = lines.join('\n');
  const a = parse(text);
  assert.equal(a.statements.length, 100_002);
  assert.equal(a.diagnostics.length, 0);
  assert.ok(a.tokens.filter((t) => !isTrivia(t.kind)).length >= 200_000);
});
