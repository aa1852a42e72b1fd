// Names in a scenario: where each is introduced (declaration, `alloc NAME`, `mmap … as NAME`) and
// every place it is used. Built from the syntax tree only, so go-to-definition, references and
// rename work even when the checker rejects the file.

import { STATEMENTS, type SourceFile, type Statement, type Value } from '../core/index.js';

export type NameKind = 'ram' | 'dimm' | 'pmem' | 'cxl' | 'virtio-mem' | 'hole' | 'dax' | 'fs' | 'process' | 'alloc' | 'mapping';

export interface NameOccurrence {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly definition: boolean;
  /** The statement it occurs in. */
  readonly statement: Statement;
}

export interface NameDefinition extends NameOccurrence {
  readonly kind: NameKind;
}

export interface NameIndex {
  readonly occurrences: readonly NameOccurrence[];
  /** First definition of each name (a duplicate is an HL2002 error and resolves to the first). */
  readonly definitions: ReadonlyMap<string, NameDefinition>;
  at(offset: number): NameOccurrence | undefined;
  references(name: string): readonly NameOccurrence[];
}

const BLOCK = /^memory\d+$/;
const DECLARED_KINDS = new Set<string>(['ram', 'dimm', 'pmem', 'cxl', 'virtio-mem', 'hole', 'dax', 'fs', 'process']);

function usable(v: Value | undefined): v is Value {
  // Missing values were already reported; ranges name blocks, not declared objects; paths are files.
  return v !== undefined && !v.missing && v.rangeTo === undefined && v.text !== '' && !v.text.startsWith('/') && v.end > v.start;
}

export function createNameIndex(file: SourceFile): NameIndex {
  const occurrences: NameOccurrence[] = [];
  const definitions = new Map<string, NameDefinition>();
  const define = (v: Value | undefined, kind: NameKind, s: Statement) => {
    if (!usable(v)) return;
    const d: NameDefinition = { name: v.text, start: v.start, end: v.end, line: s.line, definition: true, statement: s, kind };
    occurrences.push(d);
    if (!definitions.has(v.text)) definitions.set(v.text, d);
  };
  const use = (v: Value | undefined, s: Statement) => {
    if (!usable(v)) return;
    occurrences.push({ name: v.text, start: v.start, end: v.end, line: s.line, definition: false, statement: s });
  };

  for (const s of file.statements) {
    const spec = STATEMENTS.get(s.keyword);
    if (!spec) continue;
    if (s.expect) {
      if ('subject' in s.expect) use(s.expect.subject, s);
      continue;
    }
    for (const arg of spec.args) {
      const v = s.args[arg.role];
      if (arg.kind !== 'name' && arg.kind !== 'target' && arg.kind !== 'source') continue;
      if (arg.role === 'name' && DECLARED_KINDS.has(s.keyword)) define(v, s.keyword as NameKind, s);
      else if (arg.role === 'name' && s.keyword === 'alloc') define(v, 'alloc', s);
      else use(v, s);
    }
    for (const opt of spec.options) {
      const node = s.options[opt.key];
      if (!node || (opt.kind !== 'name' && opt.kind !== 'target')) continue;
      if (s.keyword === 'mmap' && opt.key === 'as') define(node.value, 'mapping', s);
      else use(node.value, s);
    }
  }
  // `memory12` is a block, not a name, unless someone declared a device with that name.
  const kept = occurrences.filter((o) => definitions.has(o.name) || !BLOCK.test(o.name)).sort((a, b) => a.start - b.start);
  const byName = new Map<string, NameOccurrence[]>();
  for (const o of kept) {
    const list = byName.get(o.name) ?? [];
    list.push(o);
    byName.set(o.name, list);
  }
  return {
    occurrences: kept,
    definitions,
    // The end is inclusive so a cursor just after a name (where completion and F2 happen) finds it.
    at: (offset) => kept.find((o) => o.start <= offset && offset <= o.end),
    references: (name) => byName.get(name) ?? [],
  };
}

/** The identifier rule of spec §1: what a new name may look like. */
export function isValidName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name) && !name.includes('..') && !/[.-]$/.test(name);
}
