// The outline: header lines, the machine by device (DAX devices under their region, filesystems
// under their DAX device), then steps with their actions and expectations as children.

import type { Statement } from '../core/index.js';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import type { DocumentAnalysis } from './documentAnalysis.js';

const DECL_KIND: Readonly<Record<string, SymbolKind>> = {
  ram: SymbolKind.Object, dimm: SymbolKind.Object, pmem: SymbolKind.Object, cxl: SymbolKind.Object, 'virtio-mem': SymbolKind.Object,
  dax: SymbolKind.Interface, fs: SymbolKind.Package, file: SymbolKind.File, process: SymbolKind.Class,
};

export function documentSymbols(doc: DocumentAnalysis): DocumentSymbol[] {
  const { text } = doc;
  const out: DocumentSymbol[] = [];
  let step: DocumentSymbol | undefined;
  let stepCount = 0;
  let machine: DocumentSymbol | undefined;
  const byName = new Map<string, DocumentSymbol>();
  const symbol = (s: Statement, name: string, kind: SymbolKind, detail?: string): DocumentSymbol => ({
    name: name.trim() === '' ? s.keyword : name,
    kind,
    ...(detail ? { detail } : {}),
    range: doc.positions.toRange(s.start, s.end),
    selectionRange: doc.positions.toRange(s.keywordStart, s.keywordEnd),
  });
  for (const s of doc.analysis.file.statements) {
    const line = text.slice(s.start, s.end);
    if (s.keyword === 'step') {
      stepCount++;
      const label = s.args['label']?.text;
      step = { ...symbol(s, `step ${stepCount}${label ? `: ${label}` : ''}`, SymbolKind.Event), children: [] };
      out.push(step);
    } else if (s.category === 'action' || s.category === 'expect') {
      const item = symbol(s, line, s.category === 'expect' ? SymbolKind.Boolean : SymbolKind.Method);
      if (step) {
        step.children!.push(item);
        // The step's range grows to cover its statements, so the outline follows the cursor.
        step.range = { start: step.range.start, end: item.range.end };
      } else out.push(item);
    } else if (s.category === 'declaration') {
      const name = s.keyword === 'file' ? s.args['path']?.text : s.args['name']?.text;
      const item: DocumentSymbol = { ...symbol(s, name || s.keyword, DECL_KIND[s.keyword] ?? SymbolKind.Variable, s.keyword), children: [] };
      if (!machine) {
        machine = { ...symbol(s, 'machine', SymbolKind.Namespace), children: [] };
        out.push(machine);
      }
      machine.range = { start: machine.range.start, end: item.range.end };
      const parentName = s.keyword === 'dax' ? s.args['region']?.text : s.keyword === 'fs' ? s.args['dax']?.text : undefined;
      const parent = parentName !== undefined ? byName.get(parentName) : undefined;
      (parent ?? machine).children!.push(item);
      if (name && !byName.has(name)) byName.set(name, item);
    } else if (s.keyword === 'scenario') out.push(symbol(s, s.args['title']?.text || 'scenario', SymbolKind.Module, 'scenario'));
    else if (s.keyword === 'kernel') out.push(symbol(s, line, SymbolKind.Constant));
    else if (s.keyword === 'set') out.push(symbol(s, line.replace(/^set\s+/, ''), SymbolKind.Property, 'knob'));
  }
  return out;
}
