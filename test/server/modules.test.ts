// Pure server modules in process: formatting properties over generated text, the kernel diff,
// settings validation, the identifier rule, step lookup without a timeline, the stale timeline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TokenKind, analyze, isTrivia, parse, scan, type Timeline } from '../../language-server/core/index.js';
import { codeActions } from '../../language-server/server/codeActions.js';
import { codeLenses } from '../../language-server/server/codeLens.js';
import { diffTimelines } from '../../language-server/server/compare.js';
import { complete } from '../../language-server/server/completion.js';
import { toLspDiagnostic } from '../../language-server/server/convert.js';
import { documentSymbols } from '../../language-server/server/documentSymbols.js';
import { foldingRanges } from '../../language-server/server/folding.js';
import { hover } from '../../language-server/server/hover.js';
import { inlayHints } from '../../language-server/server/inlayHints.js';
import { definition, prepareRename, references, rename } from '../../language-server/server/navigation.js';
import { semanticTokens } from '../../language-server/server/semanticTokens.js';
import { analyzeDocument, withSimulation } from '../../language-server/server/documentAnalysis.js';
import { createIncrementalAnalyzer, simulateNow } from '../../language-server/server/simulator.js';
import { packTimeline } from '../../language-server/protocol/packedTimeline.js';
import { formatDocument, formatText } from '../../language-server/server/formatting.js';
import { isValidName } from '../../language-server/server/nameIndex.js';
import { DEFAULT_SETTINGS, readSettings } from '../../language-server/server/settings.js';
import { stepIndexAtLine } from '../../language-server/server/stepLocator.js';
import { createTimelineStore } from '../../language-server/server/timelineStore.js';
import { join } from 'node:path';
import { ROOT } from '../support/baseline.js';
import { CLEAN, MESSY } from './fixtures.js';

const solid = (text: string) => scan(text).tokens.filter((t) => !isTrivia(t.kind) || t.kind === TokenKind.Comment).map((t) => `${t.kind}:${text.slice(t.start, t.end)}`);

const pieces = ['scenario', 'step', 'ram', 'r0', '8G', 'online', 'memory1', '..', 'memory3', '=>', 'ok', '=', 'set', 'block_size', '# c', '"s \\" t"', '"open', '/mnt/x', '0x1_0', '10s', '6.8', ' ', '  ', '\t', '\n', '\r\n', '\r', '@', 'a.', 'b-', '.', '-', '\uFEFF', 'ü'];

test('formatting keeps every token and comment, and is idempotent, on generated text', () => {
  fc.assert(fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 60 }), (parts) => {
    const text = parts.join('');
    const once = formatText(parse(text));
    assert.deepEqual(solid(once), solid(text));
    assert.equal(formatText(parse(once)), once);
  }), { numRuns: 400, seed: 20261123 });
});

test('formatting the fixtures: idempotent, same tokens, line endings kept', () => {
  for (const text of [CLEAN, MESSY, MESSY.replace(/\n/g, '\r\n'), '\uFEFFscenario "bom"\r\nram r0 8G\r\n']) {
    const once = formatText(parse(text));
    assert.equal(formatText(parse(once)), once);
    assert.deepEqual(solid(once), solid(text));
    assert.equal(once.split('\r\n').length, text.split('\r\n').length);
    assert.equal(once.startsWith('\uFEFF'), text.startsWith('\uFEFF'));
  }
  assert.equal(formatText(parse(CLEAN)), CLEAN);
});

test('diffTimelines lists changed, missing and extra events per step', () => {
  const t = analyze(CLEAN).timeline!;
  assert.deepEqual(diffTimelines(t, t), []);
  const step = t.steps[2]!;
  const changed: Timeline = {
    ...t,
    steps: t.steps.map((s) => (s !== step ? s : { ...s, events: [...s.events.slice(0, -1).map((e, i) => (i === 0 ? { ...e, result: 'EBUSY' as const } : e)), { ...s.events[0]!, subject: 'extra', id: 999 }] })),
  };
  const diffs = diffTimelines(t, changed);
  assert.ok(diffs.some((d) => d.step === 2 && d.b === 'EBUSY'));
  assert.ok(diffs.some((d) => d.a === '—' && d.subject === 'extra'));
  assert.ok(diffs.every((d) => d.a !== d.b));
});

test('settings: defaults, clamping, kernel parsing', () => {
  assert.deepEqual(readSettings(undefined), DEFAULT_SETTINGS);
  assert.equal(readSettings({ debounceMs: -5 }).debounceMs, 0);
  assert.equal(readSettings({ debounceMs: 1e9 }).debounceMs, 5000);
  assert.equal(readSettings({ debounceMs: 'fast' }).debounceMs, 150);
  assert.deepEqual(readSettings({ defaultKernel: '6.8' }).defaultKernel, { major: 6, minor: 8 });
  assert.equal(readSettings({ defaultKernel: '' }).defaultKernel, undefined);
  assert.equal(readSettings({ defaultKernel: 'latest' }).defaultKernel, undefined);
});

test('defaultKernel applies only to files without a kernel line', () => {
  const settings = readSettings({ defaultKernel: '5.15' });
  assert.equal(analyzeDocument('u', 1, 'scenario "a"\nram r0 8G\n', settings).analysis.model.kernel.minor, 15);
  assert.equal(analyzeDocument('u', 1, 'scenario "a"\nkernel 6.8\nram r0 8G\n', settings).analysis.model.kernel.minor, 8);
});

test('identifier rule for rename', () => {
  for (const ok of ['dax0.0', 'virtio-mem0', '_x', 'a-b.c']) assert.ok(isValidName(ok), ok);
  for (const bad of ['', '0a', 'a..b', 'a.', 'a-', 'a b', 'a/b', 'é']) assert.ok(!isValidName(bad), bad);
});

test('step lookup falls back to the step statements without a timeline', () => {
  const file = parse(CLEAN);
  assert.equal(stepIndexAtLine(file, undefined, 3), 0);
  assert.equal(stepIndexAtLine(file, undefined, 9), 1);
  assert.equal(stepIndexAtLine(file, undefined, 14), 2);
});

test('timeline store: fresh, stale with errors, null without any good timeline', () => {
  const store = createTimelineStore();
  // Both stages, as the scheduler runs them: parse + check here, then the simulation.
  const full = (version: number, text: string) => withSimulation(analyzeDocument('u', version, text, DEFAULT_SETTINGS), simulateNow(text, undefined));
  const bad = full(1, 'scenario "a"\nram r0 8GB\n');
  assert.deepEqual(store.notificationFor(bad), { uri: 'u', version: 1, packed: null, head: null, stale: false });
  const good = full(2, CLEAN);
  const fresh = store.notificationFor(good);
  assert.equal(fresh.stale, false);
  const later = store.notificationFor(full(3, 'scenario "a"\nram r0 8GB\n'));
  assert.equal(later.stale, true);
  assert.equal(later.version, 3);
  assert.equal(later.packed, fresh.packed);
  assert.equal(typeof fresh.packed, 'string');
  assert.deepEqual(JSON.parse(JSON.stringify(store.lastGood('u'))), JSON.parse(JSON.stringify(good.analysis.timeline)));
});

test('every feature is total: no input or position makes a handler throw', () => {
  const words = [...pieces, 'dimm', 'd0', '1G', 'expect', 'd0', 'zone', 'mmap', 'p0', 'as', 'm0', 'process', 'plug', '\n  ', 'online', 'dax', 'on', 'mode', 'devdax'];
  fc.assert(fc.property(fc.array(fc.constantFrom(...words), { maxLength: 40 }), fc.nat(), fc.boolean(), (parts, at, simulated) => {
    const text = 'scenario "f"\n' + parts.join(' ');
    const base = analyzeDocument('file:///f', 1, text, DEFAULT_SETTINGS);
    const doc = simulated ? withSimulation(base, simulateNow(text, undefined)) : base;
    const offset = at % (text.length + 1);
    const timeline = doc.analysis.timeline;
    hover(doc, offset, timeline);
    complete(doc, offset, timeline);
    definition(doc, offset);
    references(doc, offset, true);
    prepareRename(doc, offset);
    rename(doc, offset, 'renamed');
    documentSymbols(doc);
    foldingRanges(doc);
    semanticTokens(doc);
    formatDocument(doc);
    codeLenses(doc, timeline);
    const all = { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } };
    inlayHints(doc, all, timeline);
    codeActions(doc, doc.analysis.diagnostics.map((d) => toLspDiagnostic(d, doc.positions, doc.uri)));
  }), { numRuns: 300, seed: 20261123 });
});

test('hover describes a firmware hole, a multi-range dax device and a nohugepage process; holes resolve for go-to-definition', () => {
  const text = 'scenario "h"\nram boot 1G\nhole bios 132K at 0x3ffdf000\ncxl c0 1G at 0x100000000\ndax d0 on c0 mode devdax ranges 4\nprocess q nohugepage\nstep\n  offline bios\n';
  const doc = withSimulation(analyzeDocument('file:///h', 1, text, DEFAULT_SETTINGS), simulateNow(text, undefined));
  const show = (word: string, nth = 0) => {
    let at = -1;
    for (let i = 0; i <= nth; i++) at = text.indexOf(word, at + 1);
    const h = hover(doc, at + 1, doc.analysis.timeline);
    return h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
  };
  assert.match(show('bios'), /firmware hole \(e820 reserved\)/);
  assert.match(show('bios'), /0x3ffdf000–0x3fffffff \(132K\) inside boot: not System RAM/);
  assert.match(show('bios'), /memory7 has a memory hole: offline → EINVAL/);
  assert.match(show('d0'), /4 ranges of 256M/);
  assert.match(show('q nohugepage'), /PR_SET_THP_DISABLE/);
  const use = text.lastIndexOf('bios');
  const def = definition(doc, use + 1);
  assert.ok(def, 'the hole name used as a target resolves to its declaration');
  assert.deepEqual(def!.range.start, { line: 2, character: 5 });
});

test('the worker\'s packer, reusing element keys across a document\'s versions, packs exactly what a fresh packTimeline of analyze() packs', async () => {
  // The bench's generator (outside this project's rootDir: loaded at run time).
  const generator = join(ROOT, 'bench', 'generate.ts');
  const { generateScenario } = await import(generator) as { generateScenario(lines: number): string };
  // The incremental analyzer (as the worker runs it) keeps one pack cache for the document's
  // life; the simulator reuses unchanged state objects between versions. Edits: the bench's size
  // change, a line added and removed mid-scenario, a broken and a fixed declaration.
  const lines = generateScenario(1000).split('\n');
  const allocs = lines.flatMap((l, i) => (/^ {2}alloc a\d+ \d+M/.test(l) ? [i] : []));
  const analyzer = createIncrementalAnalyzer();
  const versions: string[] = [lines.join('\n')];
  for (const [k, i] of allocs.slice(0, 6).entries()) {
    const l = lines[i]!;
    lines[i] = l.includes(' 8M ') ? l.replace(' 8M ', ' 16M ') : l.replace(' 16M ', ' 8M ');
    if (k === 2) lines.splice(i, 0, '  # a comment');
    if (k === 4) lines.splice(allocs[1]!, 1);
    versions.push(lines.join('\n'));
  }
  versions.push(versions.at(-1)!.replace(/^ram (\S+) (\S+)G/m, 'ram $1 $2GB'), versions.at(-1)!);
  let packed = 0;
  for (const text of versions) {
    const out = analyzer(text, {});
    const expected = analyze(text).timeline;
    assert.equal(out.timeline?.packed, expected ? packTimeline(expected) : undefined);
    if (expected) packed++;
  }
  assert.ok(packed >= 7, `${packed} versions simulated`);
});
