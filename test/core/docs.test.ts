// Docs follow the code: every rule id is documented, every timeline field is in the schema doc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../language-server/core/sim/rules.js';
import { analyze } from '../../language-server/core/index.js';
import { ROOT, baselineCases } from '../support/baseline.js';

test('every rule id is documented in docs/semantics.md', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'semantics.md'), 'utf8');
  const missing = RULES.filter((r) => !doc.includes('`' + r.id + '`')).map((r) => r.id);
  assert.deepEqual(missing, [], `undocumented rules: ${missing.join(', ')}`);
});

test('every rule id the simulator cites exists, and every rule is cited by the simulator', () => {
  const dir = join(ROOT, 'language-server', 'core', 'sim');
  const src = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'rules.ts').map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
  const ids = new Set(RULES.map((r) => r.id));
  const cited = new Set([...src.matchAll(/'(R[0-9][^']*)'/g)].map((m) => m[1]!));
  for (const c of cited) assert.ok(ids.has(c), `unknown rule ${c}`);
  const uncited = RULES.filter((r) => !cited.has(r.id)).map((r) => r.id);
  assert.deepEqual(uncited, [], `rules never cited: ${uncited.join(', ')}`);
});

function keys(v: unknown, out: Set<string>): void {
  if (Array.isArray(v)) { for (const x of v) keys(x, out); return; }
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k !== 'knobs' && k !== 'used') keys(x, out);
      out.add(k);
    }
  }
}

test('every timeline field of every example is documented in docs/timeline-schema.md', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'timeline-schema.md'), 'utf8');
  const found = new Set<string>();
  for (const c of baselineCases().filter((x) => x.source.startsWith('examples/'))) {
    const t = analyze(readFileSync(join(ROOT, c.source), 'utf8')).timeline;
    assert.ok(t, `${c.source} simulates`);
    keys(JSON.parse(JSON.stringify(t)), found);
  }
  const missing = [...found].filter((k) => !doc.includes('`' + k + '`'));
  assert.deepEqual(missing, [], `undocumented timeline fields: ${missing.join(', ')}`);
});

test('every rule fires in at least one example or fixture (each rule has a scenario that would catch its breakage)', () => {
  const seen = new Set<string>();
  for (const c of baselineCases()) {
    const t = analyze(readFileSync(join(ROOT, c.source), 'utf8')).timeline;
    for (const s of t?.steps ?? []) for (const e of s.events) seen.add(e.rule);
  }
  const missing = RULES.filter((r) => !seen.has(r.id)).map((r) => r.id);
  assert.deepEqual(missing, [], `rules no scenario exercises: ${missing.join(', ')}`);
});
