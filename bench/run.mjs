// `npm run bench`: builds the bundles, runs every measurement in fresh processes and prints one
// table (median of several runs, with min–max). Not part of `npm test`. See docs/performance.md.
//   node bench/run.mjs [--quick]   (--quick: fewer runs, no 100k LSP edits)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'test-output', 'bench');
const quick = process.argv.includes('--quick');
const RUNS = quick ? 3 : 7;
mkdirSync(OUT, { recursive: true });

execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
for (const name of ['core', 'lsp']) {
  await esbuild.build({ entryPoints: [join(ROOT, 'bench', `${name}.ts`)], outfile: join(OUT, `${name}.js`), bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
}

const node = (args, opts = {}) => {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed:\n${r.stderr}`);
  return r;
};
const sorted = (a) => [...a].sort((x, y) => x - y);
const median = (a) => { const s = sorted(a); return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const p95 = (a) => { const s = sorted(a); return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)]; };
const ms = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const spread = (a) => `${ms(median(a))} (${ms(Math.min(...a))}–${ms(Math.max(...a))})`;

/** Peak V8 heap (MB) of one analyze(): the largest "before" figure of --trace-gc, and the end state. */
function peakHeap(name) {
  const r = node(['--trace-gc', join(OUT, 'core.js'), 'heap', name]);
  let peak = Number(/end heapUsed ([\d.]+) MB/.exec(r.stdout)?.[1] ?? 0);
  for (const m of r.stdout.matchAll(/(?:Scavenge|Mark-Compact|Mark-sweep|Minor Mark-Sweep)[^\d]*([\d.]+) \(([\d.]+)\) ->/g)) peak = Math.max(peak, Number(m[1]));
  return peak;
}

const rows = [];
const core = {};
for (const name of ['1k', '10k', '100k', '64T']) {
  const runs = name === '100k' ? Math.min(RUNS, 3) : RUNS;
  const r = JSON.parse(node([join(OUT, 'core.js'), 'time', name, String(runs)]).stdout);
  r.heap = peakHeap(name);
  core[name] = r;
}
const coreRows = Object.entries(core).map(([name, r]) => {
  const parseRatio = median(r.parse) / median(r.json);
  return `| ${name === '64T' ? '64 TiB, 524,288 blocks' : `${name} lines`} | ${r.lines} | ${spread(r.total)} | ${ms(median(r.parse))} / ${ms(median(r.check))} / ${ms(median(r.simulate))} | ${Math.round(r.lines / (median(r.total) / 1000)).toLocaleString('en')} | ${r.heap.toFixed(0)} | ${ms(median(r.json))} | ${parseRatio.toFixed(1)}× |`;
});
const scaling = median(core['100k'].total) / median(core['10k'].total);

const lsp = {};
for (const [lines, edits] of quick ? [[10_000, 10]] : [[10_000, 30], [100_000, 10]]) {
  lsp[lines] = JSON.parse(node([join(OUT, 'lsp.js'), String(lines), String(edits)]).stdout);
}

let web;
const w = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'webview.ts'), '1000', '10000', '100000', 'lines:100000'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
try { web = JSON.parse(w.stdout); } catch { web = { skipped: w.stderr.slice(0, 200) }; }

const out = [];
out.push(`Hotplug Lab bench — node ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model ?? '?'}), load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}, ${new Date().toISOString()}`);
out.push('');
out.push('| in process: parse + check + simulate | lines | total ms, median (min–max) | parse / check / simulate ms | lines/s | peak heap MB | JSON.parse same bytes ms | parse ÷ JSON.parse |');
out.push('|---|---|---|---|---|---|---|---|');
out.push(...coreRows);
out.push('');
out.push(`Scaling time(100k) / time(10k): ${scaling.toFixed(1)} (target ≤ 12)`);
out.push('');
out.push('| LSP over stdio (dist/server.js, debounce 0), one-line edit | diagnostics ms: median / p95 (min–max) | timeline notification ms: median / p95 |');
out.push('|---|---|---|');
for (const [lines, r] of Object.entries(lsp)) out.push(`| ${Number(lines).toLocaleString('en')} lines | ${ms(median(r.first))} / ${ms(p95(r.first))} (${ms(Math.min(...r.first))}–${ms(Math.max(...r.first))}) | ${ms(median(r.timeline))} / ${ms(p95(r.timeline))} |`);
out.push('');
if (web.skipped) out.push(`Webview: skipped (${web.skipped})`);
else {
  out.push('| webview, headless Chromium | first render ms, median (min–max) | of which: structuredClone of the message, ms | packed message MB | packTimeline in the server worker ms, median | step change ms: median / p95 (max) |');
  out.push('|---|---|---|---|---|---|');
  for (const [n, r] of Object.entries(web)) out.push(`| ${n.startsWith('lines:') ? `the ${Number(n.slice(6)) / 1000}k-line scenario's timeline: ${r.events.toLocaleString('en')} events, ${r.steps.toLocaleString('en')} steps` : `${Number(n).toLocaleString('en')} events (synthetic)`} | ${spread(r.first)} | ${ms(median(r.clone))} | ${(r.bytes / 1e6).toFixed(2)} | ${ms(median(r.pack))} | ${ms(median(r.step))} / ${ms(p95(r.step))} (${ms(Math.max(...r.step))}) |`);
}
out.push('');
out.push('The alternative, booting a real kernel in QEMU and replaying the scenario (replay/, npm run conformance), is not run here: it takes tens of seconds per small scenario (see docs/performance.md).');
console.log(out.join('\n'));
