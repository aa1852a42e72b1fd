// `npm run conformance`: replays every test/conformance/*.hotplug on the real kernel its `kernel`
// line names (6.1 or 6.12) and prints one line per compared statement, then "N passed, N failed".
// Exit 1 on any disagreement or on a statement that could not be replayed.
//   node --import tsx replay/conformance.ts [FILE…] [--kernel 6.1|6.12] [--jobs N]

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { replayScenario, formatLine, formatReport, type ReplayReport } from './replay.js';
import { availableKernels } from './kernels.js';

const args = process.argv.slice(2);
let jobs = Number(process.env.HOTPLUG_REPLAY_JOBS ?? 2);
const only: string[] = [];
const files: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--jobs') jobs = Number(args[++i]);
  else if (args[i] === '--kernel') only.push(args[++i]!);
  else files.push(args[i]!);
}
const root = resolve(dirname(process.argv[1]!), '..');
const dir = join(root, 'test', 'conformance');
if (files.length === 0) for (const f of readdirSync(dir).sort()) if (f.endsWith('.hotplug')) files.push(join(dir, f));

if (availableKernels().length === 0) {
  console.log('conformance: no real kernel is set up (run replay/setup.sh); nothing replayed');
  process.exit(2);
}

async function main(): Promise<number> {
const t0 = Date.now();
const results: ReplayReport[] = new Array(files.length);
let next = 0;
async function worker(): Promise<void> {
  while (next < files.length) {
    const i = next++;
    const f = files[i]!;
    const text = readFileSync(f, 'utf8');
    const m = /^kernel\s+(\S+)/m.exec(text);
    if (only.length && m && !only.includes(m[1]!)) continue;
    results[i] = await replayScenario(relative(root, f), text);
    const r = results[i]!;
    process.stdout.write([formatReport(r), ...r.lines.map((l) => '  ' + formatLine(l).replace(/\n/g, '\n  '))].join('\n') + '\n\n');
  }
}
await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
let pass = 0, fail = 0;
const byKernel = new Map<string, { pass: number; fail: number; scenarios: number }>();
for (const r of results) {
  if (!r) continue;
  const k = r.kernel?.version ?? 'none';
  const e = byKernel.get(k) ?? { pass: 0, fail: 0, scenarios: 0 };
  e.scenarios++;
  for (const l of r.lines) { if (l.verdict === 'pass') { pass++; e.pass++; } else { fail++; e.fail++; } }
  if (r.cannotRun) { fail++; e.fail++; }
  byKernel.set(k, e);
}
for (const [k, e] of byKernel) console.log(`kernel ${k}: ${e.scenarios} scenarios, ${e.pass} statements agree, ${e.fail} do not`);
console.log(`conformance took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
console.log(`${pass} passed, ${fail} failed`);
return fail ? 1 : 0;
}
void main().then((code) => process.exit(code));
