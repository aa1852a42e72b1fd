// Baseline rendering shared by the baseline tests and `npm run baseline:accept`: every fixture
// and example has its expected diagnostics checked in as text, with the source line underlined,
// so a behaviour change shows up as a reviewed diff.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyze, createLineIndex, renderTimelineText, type Diagnostic } from '../../language-server/core/index.js';

export const ROOT = join(import.meta.dirname, '..', '..');

export interface BaselineCase {
  /** Path of the scenario, relative to the repo root. */
  readonly source: string;
  /** Path of the diagnostics baseline, relative to the repo root. */
  readonly baseline: string;
  /** Path of the timeline baseline (examples only). */
  readonly timeline?: string;
}

export function baselineCases(): BaselineCase[] {
  const cases: BaselineCase[] = [];
  for (const dir of ['test/fixtures', 'examples']) {
    for (const name of readdirSync(join(ROOT, dir)).sort()) {
      if (!name.endsWith('.hotplug')) continue;
      const stem = name.slice(0, -'.hotplug'.length);
      const prefix = dir === 'examples' ? 'examples' : 'fixtures';
      cases.push({
        source: `${dir}/${name}`,
        baseline: `test/baselines/${prefix}/${stem}.diagnostics.txt`,
        ...(dir === 'examples' ? { timeline: `test/baselines/${prefix}/${stem}.timeline.txt` } : {}),
      });
    }
  }
  return cases;
}

export function renderDiagnostics(sourcePath: string, text: string, diagnostics: readonly Diagnostic[]): string {
  const index = createLineIndex(text);
  const lines = text.split(/\r\n|\r|\n/);
  const out: string[] = [];
  if (diagnostics.length === 0) out.push('(no diagnostics)');
  for (const d of diagnostics) {
    const p = index.position(d.start);
    out.push(`${sourcePath}:${p.line + 1}:${p.character + 1}: ${d.severity} ${d.code}: ${d.message}`);
    const src = (lines[p.line] ?? '').replace(/\t/g, ' ');
    const width = Math.max(1, Math.min(d.length, src.length - p.character));
    const num = String(p.line + 1).padStart(5);
    out.push(`${num} | ${src.slice(0, 200)}`);
    out.push(`${' '.repeat(5)} | ${' '.repeat(Math.min(p.character, 200))}${'~'.repeat(Math.min(width, 200))}`);
    for (const r of d.related ?? []) {
      const rp = index.position(r.span.start);
      out.push(`      related ${sourcePath}:${rp.line + 1}:${rp.character + 1}: ${r.message}`);
    }
  }
  return out.join('\n') + '\n';
}

export function renderCase(c: BaselineCase): string {
  const text = readFileSync(join(ROOT, c.source), 'utf8');
  const result = analyze(text);
  return renderDiagnostics(c.source, text, result.diagnostics);
}

export function renderTimelineCase(c: BaselineCase): string {
  const text = readFileSync(join(ROOT, c.source), 'utf8');
  const t = analyze(text).timeline;
  return t ? renderTimelineText(t) + '\n' : '(not simulated: the machine has errors)\n';
}

export function rel(p: string): string {
  return relative(ROOT, p);
}
