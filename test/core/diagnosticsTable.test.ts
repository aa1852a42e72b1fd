import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CODES } from '../../language-server/core/diagnostics/codes.js';
import { renderDiagnosticsDoc } from '../../scripts/diagnosticsDoc.js';
import { ROOT } from '../support/baseline.js';

function sources(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (n.endsWith('.ts') && !p.endsWith(join('diagnostics', 'codes.ts'))) out.push(readFileSync(p, 'utf8'));
  }
  return out;
}

test('codes are unique and well formed', () => {
  const seen = new Set<string>();
  for (const c of CODES) {
    assert.match(c.code, /^HL[1-5]\d{3}$/);
    assert.ok(!seen.has(c.code), `duplicate ${c.code}`);
    seen.add(c.code);
    assert.ok(c.message.length > 20 && c.rule.length > 0 && c.example.length > 0, `${c.code} needs message, rule and example`);
  }
});

test('docs/diagnostics.md is generated from the table', () => {
  assert.equal(readFileSync(join(ROOT, 'docs', 'diagnostics.md'), 'utf8'), renderDiagnosticsDoc(), 'run npm run docs:diagnostics');
});

test('every code is used by the code', () => {
  const text = sources(join(ROOT, 'language-server')).join('\n');
  for (const c of CODES) assert.ok(text.includes(`'${c.code}'`), `${c.code} is never reported`);
});

test('every code appears in some baseline', () => {
  const dir = join(ROOT, 'test', 'baselines');
  const all: string[] = [];
  for (const sub of readdirSync(dir)) for (const f of readdirSync(join(dir, sub))) all.push(readFileSync(join(dir, sub, f), 'utf8'));
  const text = all.join('\n');
  const missing = CODES.filter((c) => !text.includes(` ${c.code}:`)).map((c) => c.code);
  assert.deepEqual(missing, [], `codes without a baseline showing them: ${missing.join(', ')}`);
});
