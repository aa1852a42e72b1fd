// Quick fixes, driven by diagnostic codes. Each fix is computed from the document, not from the
// message text, except "did you mean": the core puts its suggestion only in the message, so that
// is read back here (a `data.suggestion` from the core would replace the pattern).
//
// Generic fixes from the simulator's diagnostics use `data` (all strings):
//   replacement [+ title]  — replace the diagnostic's range;
//   insertBefore [+ title] — insert a new line (same indentation) before the diagnostic's line;
//   actual | simulated     — "update this expectation to the simulated result" (HL5001), or
//                            add `=> RESULT` to an action whose outcome nobody expected (HL3xxx).

import { TokenKind } from '../core/index.js';
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver';
import type { DocumentAnalysis } from './documentAnalysis.js';
import { outcomeFixes } from './outcomeFixes.js';
import { tokenAt } from './tokenAt.js';
import { alignUp, formatSize, hex } from './units.js';

const DID_YOU_MEAN = new Set(['HL1010', 'HL1013', 'HL1015', 'HL1016', 'HL2001', 'HL2011', 'HL2012']);

export function codeActions(doc: DocumentAnalysis, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    try {
      out.push(...fixesFor(doc, d));
    } catch {
      // A fix that cannot be computed is simply not offered.
    }
  }
  return out;
}

function fixesFor(doc: DocumentAnalysis, d: Diagnostic): CodeAction[] {
  const code = typeof d.code === 'string' ? d.code : '';
  const data = readData(d.data);
  const fix = (title: string, edits: TextEdit[], preferred = true): CodeAction => ({
    title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: preferred, edit: { changes: { [doc.uri]: edits } },
  });
  const out: CodeAction[] = [];

  if (data['replacement'] !== undefined) out.push(fix(data['title'] ?? `Replace with '${data['replacement']}'`, [{ range: d.range, newText: data['replacement'] }]));
  if (data['insertBefore'] !== undefined) {
    const line = d.range.start.line;
    const lineText = doc.text.slice(doc.positions.lineStart(line), doc.positions.lineStart(line + 1));
    const indent = /^[ \t]*/.exec(lineText)![0];
    out.push(fix(data['title'] ?? `Insert '${data['insertBefore']}'`, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}${data['insertBefore']}${eol(doc.text)}` }]));
  }
  const simulated = data['actual'] ?? data['simulated'];
  if (simulated !== undefined) {
    const stmt = doc.statementAt(d.range.start.line);
    if (stmt?.category === 'action' && !stmt.result) {
      // An unexpected outcome with no `=> RESULT`: write down what the kernel does.
      out.push(fix(`Expect the simulated result: add '=> ${simulated}'`, [{ range: doc.positions.toRange(stmt.end, stmt.end), newText: ` => ${simulated}` }], false));
    } else {
      const range = expectationRange(doc, d);
      if (range) out.push(fix(`Update this expectation to the simulated result '${simulated}'`, [{ range, newText: simulated }]));
    }
  }

  if (DID_YOU_MEAN.has(code)) {
    const suggestion = data['suggestion'] ?? /Did you mean '([^']+)'\?/.exec(typeof d.message === 'string' ? d.message : d.message.value)?.[1];
    if (suggestion !== undefined) out.push(fix(`Change to '${suggestion}'`, [{ range: d.range, newText: suggestion }]));
  }
  if (code === 'HL2005') {
    const start = doc.positions.toOffset(d.range.start);
    const hit = tokenAt(doc.analysis.file, start);
    const t = hit?.token;
    if (t && (t.kind === TokenKind.Size || t.kind === TokenKind.Integer) && typeof t.value === 'bigint') {
      const bs = doc.analysis.model.knobs.blockSize;
      const aligned = alignUp(t.value === 0n ? 1n : t.value, bs);
      const written = doc.text.slice(t.start, t.end);
      const newText = /^0x/i.test(written) ? hex(aligned) : formatSize(aligned);
      out.push(fix(`Align to the block size: ${newText}`, [{ range: doc.positions.toRange(t.start, t.end), newText }]));
    }
  }
  if (code === 'HL2019' || code === 'HL1019' || code === 'HL1017') out.push(...structuralFix(doc, d, code, fix));
  for (const f of outcomeFixes(doc, d, code)) out.push(fix(f.title, f.edits, false));
  return out;
}

function structuralFix(doc: DocumentAnalysis, d: Diagnostic, code: string, fix: (t: string, e: TextEdit[]) => CodeAction): CodeAction[] {
  const line = d.range.start.line;
  const stmt = doc.statementAt(line);
  if (code === 'HL1017') {
    return [fix("Add a 'scenario' line", [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `scenario "untitled"${eol(doc.text)}` }])];
  }
  if (code === 'HL2019') {
    // Removes the whole line the diagnostic is on (the duplicate `set`).
    return [fix('Remove this line', [{ range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, newText: '' }])];
  }
  if (code === 'HL1019' && stmt?.result) {
    // Remove from the white space before `=>` to the end of the statement.
    let from = stmt.result.arrowStart;
    while (from > stmt.start && /[ \t]/.test(doc.text[from - 1]!)) from--;
    return [fix("Remove '=> RESULT'", [{ range: doc.positions.toRange(from, stmt.end), newText: '' }])];
  }
  return [];
}

/** Where the expected value of a failed expectation is written on the diagnostic's line. */
function expectationRange(doc: DocumentAnalysis, d: Diagnostic): Range | undefined {
  const stmt = doc.statementAt(d.range.start.line);
  const v = stmt?.result?.value ?? (stmt?.expect && 'state' in stmt.expect ? stmt.expect.state : stmt?.expect && 'zone' in stmt.expect ? stmt.expect.zone : stmt?.expect && 'count' in stmt.expect ? stmt.expect.count : undefined);
  if (v && v.end > v.start) return doc.positions.toRange(v.start, v.end);
  return d.range.start.line === d.range.end.line && d.range.start.character !== d.range.end.character ? d.range : undefined;
}

function readData(data: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof data !== 'object' || data === null) return out;
  for (const [k, v] of Object.entries(data)) if (typeof v === 'string') out[k] = v;
  return out;
}

function eol(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}
