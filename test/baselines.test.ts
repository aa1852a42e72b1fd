// Golden tests: every fixture and example against its committed diagnostics baseline.
// On an intended change run `npm run baseline:accept` and review the diff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, baselineCases, renderCase, renderTimelineCase } from './support/baseline.js';

const cases = baselineCases();

test('there are at least 40 malformed fixtures', () => {
  const malformed = cases.filter((c) => c.source.startsWith('test/fixtures/') && !c.source.includes('/ok-') && !c.source.includes('/smoke-'));
  assert.ok(malformed.length >= 40, `only ${malformed.length} malformed fixtures`);
});

for (const c of cases) {
  test(`baseline ${c.source}`, () => {
    const file = join(ROOT, c.baseline);
    assert.ok(existsSync(file), `missing baseline ${c.baseline}: run npm run baseline:accept`);
    assert.equal(renderCase(c), readFileSync(file, 'utf8'), `${c.source} differs from ${c.baseline}; if intended run npm run baseline:accept`);
    if (c.timeline) {
      const tl = join(ROOT, c.timeline);
      assert.ok(existsSync(tl), `missing timeline baseline ${c.timeline}`);
      assert.equal(renderTimelineCase(c), readFileSync(tl, 'utf8'), `${c.source} timeline differs from ${c.timeline}`);
    }
  });
}

test('malformed fixtures report at least one error; ok- fixtures none', () => {
  for (const c of cases.filter((x) => x.source.startsWith('test/fixtures/'))) {
    const text = readFileSync(join(ROOT, c.baseline), 'utf8');
    if (c.source.includes('/ok-')) assert.ok(!/: error HL/.test(text), `${c.source} should check clean`);
    else if (c.source.includes('/smoke-')) assert.ok(!/: error HL[12]/.test(text), `${c.source} should parse and check without HL1/HL2 errors`);
    else assert.ok(/: (error|warning) HL/.test(text), `${c.source} should report something`);
  }
});

test('no baseline is left over from a removed or renamed scenario', async () => {
  const { readdirSync } = await import('node:fs');
  const expected = new Set(cases.flatMap((c) => [c.baseline, ...(c.timeline ? [c.timeline] : [])]));
  const orphans: string[] = [];
  for (const sub of readdirSync(join(ROOT, 'test', 'baselines'))) {
    for (const f of readdirSync(join(ROOT, 'test', 'baselines', sub))) {
      const rel = `test/baselines/${sub}/${f}`;
      if (!expected.has(rel)) orphans.push(rel);
    }
  }
  assert.deepEqual(orphans, [], `delete these: ${orphans.join(', ')}`);
});
