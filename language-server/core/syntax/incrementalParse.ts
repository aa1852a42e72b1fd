// Incremental parse. The language is line-local (one statement per line, no token crosses a line
// break), so after an edit only the changed lines are scanned and parsed again; the tokens,
// statements and diagnostics of the lines before are reused as they are, those of the lines after
// are copied with their offsets, line numbers and token indices moved. The result is identical
// to parse() of the new text (tested over random edits of every example and fixture).
//
// Moving a statement is generic over the tree's shape (tree.ts): in any object of it, a number
// under `line` is a line, under `firstToken`/`lastToken` a token index, and under `start`, `end`
// or a key ending in `Start`/`End` an offset; everything else is kept. A new offset field must
// follow that naming.

import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { LineEdit } from '../sim/simulate.js';
import { parseLines } from './parser.js';
import { scan } from './scanner.js';
import type { Token } from './token.js';
import type { SourceFile, Statement } from './tree.js';

/** A parse kept for the next version. Treat as opaque. */
export interface ParseMemo {
  readonly file: SourceFile;
  /** parse() puts the scanner's diagnostics first, then the parser's; kept apart to do the same. */
  readonly scanDiagnostics: readonly Diagnostic[];
  readonly parseDiagnostics: readonly Diagnostic[];
  /** The text has a carriage return not followed by a line feed (a line break '\n' does not see). */
  readonly loneCR: boolean;
}

const LONE_CR = /\r(?!\n)/;

export function parseWithMemo(text: string): ParseMemo {
  const { tokens, diagnostics: scanDiagnostics } = scan(text);
  const statements: Statement[] = [];
  const parseDiagnostics: Diagnostic[] = [];
  parseLines(text, tokens, 0, tokens.length, 0, parseDiagnostics, statements);
  return { file: { text, tokens, statements, diagnostics: [...scanDiagnostics, ...parseDiagnostics] }, scanDiagnostics, parseDiagnostics, loneCR: LONE_CR.test(text) };
}

/** parse(text) for `text` = the previous text with `edit` applied (see lineEdit()). */
export function parseIncremental(text: string, previous: ParseMemo, edit: LineEdit): ParseMemo {
  const old = previous.file;
  const middle = text.slice(edit.start, edit.newEnd);
  // Lines are counted by '\n' here and by line-break tokens in the parser: they agree unless a
  // lone '\r' breaks a line.
  if (previous.loneCR || LONE_CR.test(middle)) return parseWithMemo(text);
  const delta = edit.newEnd - edit.oldEnd;

  const firstTokenAt = (offset: number): number => {
    let lo = 0, hi = old.tokens.length;
    while (lo < hi) { const m = (lo + hi) >> 1; if (old.tokens[m]!.start < offset) lo = m + 1; else hi = m; }
    return lo;
  };
  const from = firstTokenAt(edit.start);
  const oldTo = firstTokenAt(edit.oldEnd);
  const scanned = scan(middle);
  const tokens: Token[] = old.tokens.slice(0, from);
  for (const t of scanned.tokens) tokens.push(moveToken(t, edit.start));
  const to = tokens.length;
  for (let i = oldTo; i < old.tokens.length; i++) tokens.push(moveToken(old.tokens[i]!, delta));
  const tokenDelta = to - oldTo;

  const newlines = (t: string, a: number, b: number): number => { let n = 0; for (let i = t.indexOf('\n', a); i >= 0 && i < b; i = t.indexOf('\n', i + 1)) n++; return n; };
  // The line of edit.start: counted from the last statement before it (not from the top).
  let lo = 0, hi = old.statements.length;
  while (lo < hi) { const m = (lo + hi) >> 1; if (old.statements[m]!.start < edit.start) lo = m + 1; else hi = m; }
  const before = lo > 0 ? old.statements[lo - 1]! : undefined;
  const startLine = before ? before.line + newlines(text, before.start, edit.start) : newlines(text, 0, edit.start);
  const oldEndLine = startLine + newlines(old.text, edit.start, edit.oldEnd);
  const lineDelta = startLine + newlines(text, edit.start, edit.newEnd) - oldEndLine;

  const statements: Statement[] = [];
  let si = 0;
  for (; si < old.statements.length && old.statements[si]!.start < edit.start; si++) statements.push(old.statements[si]!);
  const middleDiagnostics: Diagnostic[] = [];
  parseLines(text, tokens, from, to, startLine, middleDiagnostics, statements);
  for (; si < old.statements.length && old.statements[si]!.start < edit.oldEnd; si++);
  for (; si < old.statements.length; si++) statements.push(moveNode(old.statements[si]!, delta, lineDelta, tokenDelta) as Statement);

  const splice = (before: readonly Diagnostic[], fresh: readonly Diagnostic[], freshDelta: number): Diagnostic[] => {
    const out: Diagnostic[] = [];
    for (const d of before) if (d.start < edit.start) out.push(d);
    for (const d of fresh) out.push(freshDelta ? moveDiagnostic(d, freshDelta) : d);
    for (const d of before) if (d.start >= edit.oldEnd) out.push(moveDiagnostic(d, delta));
    return out;
  };
  const scanDiagnostics = splice(previous.scanDiagnostics, scanned.diagnostics, edit.start);
  const parseDiagnostics = splice(previous.parseDiagnostics, middleDiagnostics, 0);
  return { file: { text, tokens, statements, diagnostics: [...scanDiagnostics, ...parseDiagnostics] }, scanDiagnostics, parseDiagnostics, loneCR: false };
}

function moveToken(t: Token, delta: number): Token {
  if (delta === 0) return t;
  // Most tokens are trivia with no decoded value: a literal of the scanner's shape is cheaper.
  if (t.version === undefined && t.unit === undefined && t.bad === undefined) {
    return t.value === undefined ? { kind: t.kind, start: t.start + delta, end: t.end + delta } : { kind: t.kind, start: t.start + delta, end: t.end + delta, value: t.value };
  }
  const c = { ...t } as { -readonly [K in keyof Token]: Token[K] };
  c.start += delta;
  c.end += delta;
  return c;
}

function moveDiagnostic(d: Diagnostic, delta: number): Diagnostic {
  const c: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = { ...d, start: d.start + delta };
  if (d.related) c.related = d.related.map((r) => ({ ...r, span: { start: r.span.start + delta, length: r.span.length } }));
  return c;
}

const isOffsetKey = (k: string): boolean => k === 'start' || k === 'end' || k.endsWith('Start') || k.endsWith('End');

function moveNode(v: object, delta: number, lineDelta: number, tokenDelta: number): object {
  if (Array.isArray(v)) return v.some((x: unknown) => typeof x === 'object' && x !== null) ? v.map((x: unknown) => (typeof x === 'object' && x !== null ? moveNode(x, delta, lineDelta, tokenDelta) : x)) : v;
  const out: Record<string, unknown> = {};
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    if (typeof x === 'number') out[k] = k === 'line' ? x + lineDelta : k === 'firstToken' || k === 'lastToken' ? x + tokenDelta : isOffsetKey(k) ? x + delta : x;
    else if (typeof x === 'object' && x !== null) out[k] = moveNode(x, delta, lineDelta, tokenDelta);
    else out[k] = x;
  }
  return out;
}
