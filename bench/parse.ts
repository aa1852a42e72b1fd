// Parse-only micro-bench (issue 7's parse ÷ JSON.parse target), for A/B runs and profiling:
//   npx esbuild bench/parse.ts --bundle --platform=node --outfile=/tmp/parse.js
//   node /tmp/parse.js [1k|10k|100k] [RUNS] [parse|scan|check]  → medians, ratio to JSON.parse
// Also prints the SHA-1 of the parse's JSON (tokens, statements, diagnostics) for identity checks.

import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { check, parse } from '../language-server/core/index.js';
import { scan } from '../language-server/core/syntax/scanner.js';
import { generateScenario, jsonOfSize } from './generate.js';

const scenarioFor = (name: string): string => generateScenario(name === '100k' ? 100_000 : name === '1k' ? 1_000 : 10_000);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const replacer = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? `${v}n` : v);

const [name = '10k', runsArg = '21', what = 'parse'] = process.argv.slice(2);
const text = scenarioFor(name);
const json = jsonOfSize(Buffer.byteLength(text));
const runs = Number(runsArg);
const p: number[] = [], c: number[] = [], j: number[] = [];
for (let i = 0; i < 3; i++) { check(parse(text)); JSON.parse(json); }
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const file = parse(text);
  const t1 = performance.now();
  if (what === 'check') check(file);
  else if (what === 'scan') scan(text);
  const t2 = performance.now();
  JSON.parse(json);
  const t3 = performance.now();
  p.push(t1 - t0); c.push(t2 - t1); j.push(t3 - t2);
}
const file = parse(text);
const hash = createHash('sha1').update(JSON.stringify(file, replacer)).digest('hex').slice(0, 12);
const checkHash = createHash('sha1').update(JSON.stringify(check(file), replacer)).digest('hex').slice(0, 12);
process.stdout.write(`${name}: parse ${median(p).toFixed(2)} ms (min ${Math.min(...p).toFixed(2)})` +
  (what !== 'parse' ? `, ${what} ${median(c).toFixed(2)} ms (min ${Math.min(...c).toFixed(2)})` : '') +
  `, JSON.parse ${median(j).toFixed(2)} ms, ratio ${(median(p) / median(j)).toFixed(1)}x, tokens ${file.tokens.length}, parse sha ${hash}, check sha ${checkHash}\n`);
