// In-process measurements of the pure core, run by bench/run.mjs in a fresh node per case:
//   node core.js time CASE RUNS  → JSON {parse, check, simulate, total, json} (ms per run, arrays)
//   node core.js heap CASE       → one analyze() (run with --trace-gc; the parent reads the peak)
// CASE is 1k | 10k | 100k | 64T.

import { performance } from 'node:perf_hooks';
import { check, parse, simulate } from '../language-server/core/index.js';
import { generateHugeMachine, generateScenario, jsonOfSize } from './generate.js';

export function scenarioFor(name: string): string {
  switch (name) {
    case '1k': return generateScenario(1_000);
    case '10k': return generateScenario(10_000);
    case '100k': return generateScenario(100_000);
    case '64T': return generateHugeMachine();
    default: throw new Error(`unknown case ${name}`);
  }
}

function once(text: string): { parse: number; check: number; simulate: number } {
  const t0 = performance.now();
  const file = parse(text);
  const t1 = performance.now();
  const checked = check(file);
  const t2 = performance.now();
  if (checked.model.simulatable) simulate(checked.model);
  const t3 = performance.now();
  return { parse: t1 - t0, check: t2 - t1, simulate: t3 - t2 };
}

function main(): void {
  const [mode, name, runsArg] = process.argv.slice(2);
  const text = scenarioFor(name ?? '1k');
  if (mode === 'heap') {
    once(text);
    // The heap at the end counts too (a short run may never collect).
    process.stdout.write(`\nend heapUsed ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(1)} MB\n`);
    return;
  }
  const runs = Number(runsArg ?? 5);
  const json = jsonOfSize(Buffer.byteLength(text));
  once(text); // warm-up
  JSON.parse(json);
  const out = { lines: text.split('\n').length, bytes: Buffer.byteLength(text), parse: [] as number[], check: [] as number[], simulate: [] as number[], total: [] as number[], json: [] as number[] };
  for (let i = 0; i < runs; i++) {
    const r = once(text);
    out.parse.push(r.parse);
    out.check.push(r.check);
    out.simulate.push(r.simulate);
    out.total.push(r.parse + r.check + r.simulate);
    const j0 = performance.now();
    JSON.parse(json);
    out.json.push(performance.now() - j0);
  }
  process.stdout.write(JSON.stringify(out));
}

main();
