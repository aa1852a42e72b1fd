// Incremental analysis (analyzeIncremental: checkpoints per step, resume from the first changed
// step, reuse of the old tail once the state converges) must give exactly what a full analyze()
// gives: the same diagnostics and the same timeline, byte for byte, after any edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, analyzeIncremental, parse, type AnalysisMemo, type AnalyzeOptions } from '../../language-server/core/index.js';
import { parseIncremental, parseWithMemo } from '../../language-server/core/syntax/incrementalParse.js';
import { lineEdit } from '../../language-server/core/sim/simulate.js';
import { ROOT, baselineCases } from '../support/baseline.js';
import { flip } from './mutation.test.js';

/** A long scenario in the manner of bench/generate.ts: steps that do and undo work, a reboot every tenth. */
function generateScenario(lines: number): string {
  const parts = ['scenario "long"\nkernel 6.12\nset auto_online = online_movable\nram r0 8G\ndimm dm0 1G at 0x200000000 present\npmem pm0 4G at 0x400000000 node 1\ndax d1 on pm0 mode devdax size 1G\nprocess p0\nprocess p1\n'];
  let n = 9;
  for (let i = 0; n < lines; i++) {
    const s = i % 10 === 9
      ? `step "hardware ${i}"\n  alloc sx${i} 4M pagecache\n  soft-offline sx${i} offset 4K\n  exit p0\n  reboot\n  expect no crash\n`
      : `step "cycle ${i}"\n  alloc a${i} 8M anon node 0 by p1\n  alloc k${i} 1M slab\n  mmap p1 a${i} as ma${i}\n  touch ma${i} write => ok\n  pin ma${i} longterm\n  unpin ma${i}\n  munmap ma${i}\n  mmap p0 d1 size 2M as md${i}\n  touch md${i} read\n  munmap md${i}\n  free a${i}\n  free k${i}\n  offline dm0 => ok\n  online dm0 as online_movable => ok\n  expect dm0 online\n  expect p1 alive\n`;
    parts.push(s);
    n += s.split('\n').length - 1;
  }
  return parts.join('');
}

/** Small deterministic PRNG (mulberry32), so a failure replays. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const json = (x: unknown) => JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

/** One random edit of the kinds an editor produces: change a number, flip a result, delete/duplicate/move a line, type a character. */
function edit(text: string, r: () => number): string {
  const lines = text.split('\n');
  const i = Math.floor(r() * lines.length);
  const line = lines[i]!;
  const kind = Math.floor(r() * 8);
  switch (kind) {
    case 0: { // a size or number: 8M → 16M, 2 → 3
      const m = /\d+/.exec(line.slice(Math.floor(r() * line.length)));
      if (!m) break;
      const at = line.indexOf(m[0], line.length - line.slice(Math.floor(r() * line.length)).length);
      lines[i] = at < 0 ? line : line.slice(0, at) + String(Number(m[0]) * 2 || 1) + line.slice(at + m[0].length);
      break;
    }
    case 1: { const f = flip(line); if (f !== undefined) lines[i] = f; break; }
    case 2: lines.splice(i, 1); break;
    case 3: lines.splice(i, 0, line); break;
    case 4: if (i + 1 < lines.length) { lines[i] = lines[i + 1]!; lines[i + 1] = line; } break;
    case 5: { const at = Math.floor(r() * (line.length + 1)); lines[i] = line.slice(0, at) + 'x' + line.slice(at); break; }
    case 6: { const at = Math.floor(r() * line.length); lines[i] = line.slice(0, at) + line.slice(at + 1); break; }
    default: lines[i] = line.replace(/ 8M /, ' 16M ').replace(/=> ok/, '=> EBUSY');
  }
  return lines.join('\n');
}

function same(text: string, options: AnalyzeOptions, memo: AnalysisMemo | undefined, what: string): { memo: AnalysisMemo; simulated: number } {
  const inc = analyzeIncremental(text, options, memo);
  const full = analyze(text, options);
  assert.equal(json(inc.analysis.file), json(full.file), `${what}: parse differs`);
  const differ = (a: string, b: string) => {
    if (a === b) return undefined;
    let i = 0;
    while (a[i] === b[i]) i++;
    return `at ${i}: incremental …${a.slice(Math.max(0, i - 150), i + 100)}… full …${b.slice(Math.max(0, i - 150), i + 100)}…`;
  };
  const d = differ(json(inc.analysis.diagnostics), json(full.diagnostics));
  assert.ok(d === undefined, `${what}: diagnostics differ ${d}`);
  const t = differ(json(inc.analysis.timeline), json(full.timeline));
  assert.ok(t === undefined, `${what}: timeline differs ${t}`);
  return { memo: inc.memo, simulated: inc.simulatedSteps };
}

for (const c of baselineCases().filter((x) => x.source.startsWith('examples/'))) {
  test(`incremental = full after random edits: ${c.source}`, () => {
    const original = readFileSync(join(ROOT, c.source), 'utf8');
    const r = rng(c.source.length * 7919 + original.length);
    for (let chain = 0; chain < 3; chain++) {
      let text = original;
      let { memo } = same(text, {}, undefined, `${c.source} (open)`);
      for (let k = 0; k < 12; k++) {
        text = edit(text, r);
        ({ memo } = same(text, {}, memo, `${c.source} chain ${chain} edit ${k}`));
      }
    }
  });
}

test('incremental = full on a long scenario, and an edit in the middle re-simulates a few steps', () => {
  let text = generateScenario(1_000);
  let { memo } = same(text, {}, undefined, 'long');
  const lines = text.split('\n');
  const steps = analyze(text).timeline!.steps.length;
  const simulated: number[] = [];
  for (let v = 0; v < 10; v++) {
    const target = lines.findIndex((l, i) => i >= lines.length / 2 + v * 37 && /^ {2}alloc a\d+ \d+M/.test(l));
    lines[target] = lines[target]!.includes(' 8M ') ? lines[target]!.replace(' 8M ', ' 16M ') : lines[target]!.replace(' 16M ', ' 8M ');
    text = lines.join('\n');
    const s = same(text, {}, memo, `long edit ${v}`);
    memo = s.memo;
    simulated.push(s.simulated);
  }
  // A freed allocation's unmapped mapping stays in the state (and the views) until the next
  // reboot, which the bench scenario does every tenth step: the old tail is reused from there.
  assert.ok(Math.max(...simulated) <= 11, `steps simulated per edit: ${simulated.join(', ')} of ${steps}`);
  // Lines added and removed in the middle (Enter, deleting a line): the later steps move, and
  // are still reused once the state converges.
  const moved: number[] = [];
  for (let v = 0; v < 8; v++) {
    const at = Math.floor(lines.length / 2) + v * 13;
    if (v % 2 === 0) lines.splice(at, 0, v % 4 === 0 ? '  # a comment line' : '');
    else lines.splice(at - 13, 1);
    text = lines.join('\n');
    const s = same(text, {}, memo, `long, line edit ${v}`);
    memo = s.memo;
    moved.push(s.simulated);
  }
  assert.ok(Math.max(...moved) <= 11, `steps simulated per line-adding/removing edit: ${moved.join(', ')} of ${steps}`);
  // Random edits of every kind, and a kernel override.
  const r = rng(42);
  for (let k = 0; k < 40; k++) {
    text = edit(text, r);
    ({ memo } = same(text, {}, memo, `long random edit ${k}`));
  }
  ({ memo } = same(text, { kernel: { major: 6, minor: 1 } }, memo, 'long, kernel 6.1'));
  same(text, {}, memo, 'long, back to the file kernel');
});

test('incremental parse = parse: tokens, statements, diagnostics after random edits of every fixture and example', () => {
  const r = rng(7);
  for (const c of baselineCases()) {
    const original = readFileSync(join(ROOT, c.source), 'utf8');
    let text = original;
    let memo = parseWithMemo(text);
    for (let k = 0; k < 15; k++) {
      const next = k % 5 === 4 ? text.replace(/\n/, '\r\n') : edit(text, r);
      memo = parseIncremental(next, memo, lineEdit(text, next));
      text = next;
      assert.equal(json(memo.file), json(parse(text)), `${c.source} edit ${k}`);
    }
  }
});
