// `npm run baseline:accept`: rewrites every baseline from the current behaviour. Review the diff.

import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT, baselineCases, renderCase } from './baseline.js';

let changed = 0;
for (const c of baselineCases()) {
  const out = join(ROOT, c.baseline);
  const text = renderCase(c);
  if (existsSync(out) && readFileSync(out, 'utf8') === text) continue;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  changed++;
  console.log(`updated ${c.baseline}`);
}
console.log(`${changed} baseline(s) updated`);
