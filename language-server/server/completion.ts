// Completion from the statement and knob tables: keywords valid on this line, option keys not yet
// used, enum values, knob keys and values, names of the kind the slot takes, block-aligned sizes.

import {
  ACTION_KEYWORDS, DECLARATION_KEYWORDS, HAZARD_KINDS, KNOBS, KNOB_BY_KEY, RESULTS, STATEMENTS,
  type ArgSpec, type StateView, type StatementSpec, type Timeline,
} from '../core/index.js';
import { CompletionItemKind, InsertTextFormat, type CompletionItem } from 'vscode-languageserver';
import { completionSlot } from './completionContext.js';
import type { DocumentAnalysis } from './documentAnalysis.js';
import type { NameKind } from './nameIndex.js';
import { SNIPPETS } from './snippets.js';
import { stepViewAtLine } from './stepLocator.js';
import { formatSize } from './units.js';

const MEM: readonly NameKind[] = ['ram', 'dimm', 'pmem', 'cxl', 'virtio-mem'];
const ANY: readonly NameKind[] = [...MEM, 'dax', 'fs', 'process', 'alloc', 'mapping'];

/** Which kinds of names a reference slot accepts ("statement.role" or "statement.option"). */
const SLOT_KINDS: Readonly<Record<string, readonly NameKind[]>> = {
  'plug.device': ['dimm', 'virtio-mem'], 'unplug.device': ['dimm', 'virtio-mem'],
  'surprise-remove.device': ['dimm', 'cxl', 'pmem', 'virtio-mem'], 'replace.device': ['dimm', 'cxl', 'pmem', 'virtio-mem'],
  'unbind.device': ['dax', 'virtio-mem'], 'bind.device': ['dax'], 'reconfigure.device': ['dax'],
  'mount.fs': ['fs'], 'umount.fs': ['fs'], 'free.alloc': ['alloc'], 'exit.process': ['process'],
  'munmap.mapping': ['mapping'], 'pin.mapping': ['mapping'], 'unpin.mapping': ['mapping'], 'touch.mapping': ['mapping'],
  'mmap.process': ['process'], 'mmap.source': ['dax', 'alloc'],
  'dax.region': ['pmem', 'cxl'], 'fs.dax': ['dax'],
  'online.target': [...MEM, 'dax'], 'offline.target': [...MEM, 'dax'], 'remove.target': [...MEM, 'dax'],
  'poison.target': [...MEM, 'dax', 'alloc', 'mapping'], 'soft-offline.target': [...MEM, 'dax', 'alloc', 'mapping'],
  'unpoison.target': [...MEM, 'dax', 'alloc', 'mapping'],
  'alloc.in': [...MEM, 'dax'], 'alloc.by': ['process'], 'poison.by': ['process'],
};

const EXPECT_STATES: Readonly<Record<string, readonly string[]>> = {
  device: ['online', 'offline', 'removed', 'leaked', 'absent', 'zone', 'poisoned'],
  mapping: ['valid', 'zapped', 'stale', 'poisoned', 'gone'],
  process: ['alive', 'killed', 'signal', 'no'],
  fs: ['mounted', 'shutdown', 'unmounted'],
};

export function complete(doc: DocumentAnalysis, offset: number, timeline?: Timeline): CompletionItem[] {
  const line = doc.positions.toPosition(offset).line;
  const slot = completionSlot(doc.analysis.file, doc.positions.lineStart(line), offset);
  switch (slot.kind) {
    case 'none': return [];
    case 'statement': return statementItems(doc, line);
    case 'knobKey': return KNOBS.map((k) => ({ label: k.key, kind: CompletionItemKind.Property, detail: `default ${k.default}`, documentation: k.kernel }));
    case 'knobValue': {
      const spec = KNOB_BY_KEY.get(slot.key);
      if (!spec) return [];
      if (Array.isArray(spec.type)) return spec.type.map((v, i) => enumItem(v, i === 0 ? 'default' : undefined));
      return spec.type === 'size' ? sizeItems(doc) : [enumItem(spec.default, 'default')];
    }
    case 'result': return RESULTS.map((r) => enumItem(r));
    case 'expect': return expectItems(doc, line, slot.words);
    case 'optionValue': {
      const o = slot.option;
      if (o.values) return o.values.map((v) => enumItem(v));
      if (o.kind === 'size' || o.kind === 'addr') return sizeItems(doc);
      const kinds = SLOT_KINDS[`${slot.spec.keyword}.${o.key}`];
      return kinds ? nameItems(doc, line, kinds) : [];
    }
    case 'arg': return argItems(doc, line, slot.spec, slot.arg, slot.used, stateBefore(timeline, line));
  }
}

function statementItems(doc: DocumentAnalysis, line: number): CompletionItem[] {
  const statements = doc.analysis.file.statements;
  const inSteps = statements.some((s) => s.keyword === 'step' && s.line < line);
  const hasScenario = statements.some((s) => s.keyword === 'scenario' && s.line !== line);
  const keywords = inSteps
    ? [...ACTION_KEYWORDS, 'expect', 'step']
    : [...(hasScenario ? [] : ['scenario']), 'kernel', 'set', ...DECLARATION_KEYWORDS, 'step'];
  const items: CompletionItem[] = keywords.map((k, i) => {
    const spec = STATEMENTS.get(k);
    return { label: k, kind: CompletionItemKind.Keyword, detail: spec?.synopsis, documentation: spec?.summary, sortText: String(i).padStart(3, '0') };
  });
  // A whole canonical scenario only makes sense in an empty file.
  if (statements.length === 0 || (statements.length === 1 && statements[0]!.line === line)) {
    for (const s of SNIPPETS) items.push({ label: s.label, kind: CompletionItemKind.Snippet, detail: s.detail, insertText: s.body, insertTextFormat: InsertTextFormat.Snippet, sortText: 'zzz' });
  }
  return items;
}

function argItems(doc: DocumentAnalysis, line: number, spec: StatementSpec, arg: ArgSpec | undefined, used: ReadonlySet<string>, before: StateView | undefined): CompletionItem[] {
  const items: CompletionItem[] = [];
  if (arg) {
    if (arg.values) items.push(...arg.values.map((v) => enumItem(v)));
    else if (arg.kind === 'size' || arg.kind === 'addr') items.push(...sizeItems(doc));
    else {
      const kinds = SLOT_KINDS[`${spec.keyword}.${arg.role}`];
      const fits = before ? applicable(spec.keyword, before) : undefined;
      if (kinds) items.push(...nameItems(doc, line, kinds).filter((i) => !fits || fits(i.label)));
    }
    if (!arg.optional) return items;
  }
  for (const o of spec.options) {
    if (used.has(o.key)) continue;
    items.push({ label: o.key, kind: CompletionItemKind.Property, detail: o.describe });
  }
  if (spec.category === 'action') items.push({ label: '=>', kind: CompletionItemKind.Operator, detail: 'expected result', insertText: '=> ' });
  return items;
}

function expectItems(doc: DocumentAnalysis, line: number, words: readonly string[]): CompletionItem[] {
  if (words.length === 0) return [...nameItems(doc, line, ANY), ...['crash', 'no', 'log', 'hazard'].map((w) => enumItem(w))];
  const [a, b] = words;
  if (a === 'hazard' && words.length === 1) return HAZARD_KINDS.map((h) => enumItem(h));
  if (a === 'no' && words.length === 1) return [enumItem('crash'), enumItem('hazard')];
  if (words.length === 1) {
    const def = doc.names.definitions.get(a!);
    const group = !def ? 'device' : def.kind === 'mapping' ? 'mapping' : def.kind === 'process' ? 'process' : def.kind === 'fs' ? 'fs' : 'device';
    return EXPECT_STATES[group]!.map((s) => enumItem(s));
  }
  if (b === 'zone' && words.length === 2) return ['normal', 'movable', 'dma32', 'none'].map((z) => enumItem(z));
  if (b === 'signal' && words.length === 2) return [enumItem('SIGBUS')];
  if (b === 'signal' && words.length === 3) return ['BUS_MCEERR_AR', 'BUS_MCEERR_AO', 'BUS_ADRERR'].map((c) => enumItem(c));
  if (b === 'no' && words.length === 2) return [enumItem('signal')];
  return [];
}

function nameItems(doc: DocumentAnalysis, line: number, kinds: readonly NameKind[]): CompletionItem[] {
  const items: CompletionItem[] = [];
  for (const def of doc.names.definitions.values()) {
    // Names introduced in steps (allocations, mappings) exist only after their line.
    if (!kinds.includes(def.kind) || def.line >= line) continue;
    items.push({ label: def.name, kind: CompletionItemKind.Variable, detail: `${def.kind} (line ${def.line + 1})` });
  }
  return items;
}

/** The simulated state when this line's step starts: the state after the previous step. */
function stateBefore(timeline: Timeline | undefined, line: number): StateView | undefined {
  const step = timeline ? stepViewAtLine(timeline, line) : undefined;
  return step && step.index > 0 ? timeline!.steps[step.index - 1]?.state : undefined;
}

/**
 * Where the state matters, only the names the action can apply to at this step: devices still
 * bound for `unbind`, absent DIMMs for `plug`, unmounted filesystems for `mount`, and so on.
 * Names the timeline does not know are kept (better a useless item than a missing one).
 */
function applicable(keyword: string, s: StateView): ((name: string) => boolean) | undefined {
  const device = (n: string) => s.devices.find((d) => d.name === n);
  const fs = (n: string) => s.filesystems.find((f) => f.name === n);
  switch (keyword) {
    case 'unbind': return (n) => { const d = device(n); return !d || (d.present && d.driver !== ''); };
    case 'bind': return (n) => { const d = device(n); return !d || d.driver === ''; };
    case 'plug': return (n) => { const d = device(n); return !d || d.kind === 'virtio-mem' || !d.present; };
    case 'unplug': case 'surprise-remove': return (n) => { const d = device(n); return !d || d.present; };
    case 'mount': return (n) => { const f = fs(n); return !f || f.state === 'unmounted'; };
    case 'umount': return (n) => { const f = fs(n); return !f || f.state !== 'unmounted'; };
    default: return undefined;
  }
}

function sizeItems(doc: DocumentAnalysis): CompletionItem[] {
  const bs = doc.analysis.model.knobs.blockSize;
  // Multiples of the block size are what add_memory() accepts (R1.1).
  return [1n, 2n, 4n, 8n, 16n].map((m, i) => ({ label: formatSize(bs * m), kind: CompletionItemKind.Value, detail: `${m} × block size`, sortText: String(i) }));
}

function enumItem(value: string, detail?: string): CompletionItem {
  return { label: value, kind: CompletionItemKind.EnumMember, ...(detail ? { detail } : {}) };
}
