// `npm run baseline:accept`: rewrites every baseline from the current behaviour. Review the diff.

import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT, baselineCases, renderCase, renderTimelineCase } from './baseline.js';

let changed = 0;
function write(rel: string, text: string): void {
  const out = join(ROOT, rel);
  if (existsSync(out) && readFileSync(out, 'utf8') === text) return;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  changed++;
  console.log(`updated ${rel}`);
}
for (const c of baselineCases()) {
  write(c.baseline, renderCase(c));
  if (c.timeline) write(c.timeline, renderTimelineCase(c));
}
console.log(`${changed} baseline(s) updated`);
