// `npm run stress [cases]`: the full fuzz run (default 100,000 cases), printing a summary line.
// The seed is printed; HOTPLUG_FUZZ_SEED=N repeats a run.
import { runFuzz } from './fuzz.js';

const cases = Number(process.argv[2] ?? 100_000);
const seed = Number(process.env['HOTPLUG_FUZZ_SEED'] ?? Date.now() % 1_000_000);
const t0 = performance.now();
const r = runFuzz(cases, seed);
const s = ((performance.now() - t0) / 1000).toFixed(1);
for (const f of r.failures) console.log(`FAIL ${f}`);
console.log(`${r.cases - r.failures.length} passed, ${r.failures.length} failed (seed ${seed}, ${s} s, slowest case ${r.slowestMs.toFixed(1)} ms)`);
process.exit(r.failures.length ? 1 : 0);
