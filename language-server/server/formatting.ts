// Document formatting from the core's token list (which covers every character, so nothing can be
// dropped): statements inside a step are indented by two spaces, tokens are separated by single
// spaces (none where they were written together, none around `..` in block ranges), trailing
// white space goes, comments and line endings stay. Idempotent by construction: the output of a
// formatted line is the same line. A final re-scan guards the one promise that matters most:
// the formatted text has exactly the same tokens as the original, or nothing is changed.

import { TokenKind, isTrivia, scan, type SourceFile, type Token } from '../core/index.js';
import type { TextEdit } from 'vscode-languageserver';
import type { DocumentAnalysis } from './documentAnalysis.js';

const INDENT = '  ';
const BOM = '\uFEFF';

interface Line {
  readonly start: number;
  readonly end: number;
  readonly tokens: readonly Token[];
}

/** The formatted text of each line (same number of lines, newlines untouched). */
export function formatLines(file: SourceFile): { lines: Line[]; formatted: string[] } {
  const lines = splitLines(file);
  const indents = lineIndents(file, lines.length);
  const formatted = lines.map((l, i) => formatLine(file.text, l, indents[i]!, i === 0));
  return { lines, formatted };
}

export function formatDocument(doc: DocumentAnalysis): TextEdit[] {
  const file = doc.analysis.file;
  const { lines, formatted } = formatLines(file);
  const edits: TextEdit[] = [];
  lines.forEach((l, i) => {
    if (file.text.slice(l.start, l.end) !== formatted[i]) edits.push({ range: doc.positions.toRange(l.start, l.end), newText: formatted[i]! });
  });
  if (edits.length === 0 || !sameTokens(file.text, join(file.text, lines, formatted))) return [];
  return edits;
}

/** The whole formatted text (the original when formatting would change a token). */
export function formatText(file: SourceFile): string {
  const { lines, formatted } = formatLines(file);
  const out = join(file.text, lines, formatted);
  return sameTokens(file.text, out) ? out : file.text;
}

function join(text: string, lines: readonly Line[], formatted: readonly string[]): string {
  const pieces: string[] = [];
  let last = 0;
  lines.forEach((l, i) => {
    pieces.push(text.slice(last, l.start), formatted[i]!);
    last = l.end;
  });
  pieces.push(text.slice(last));
  return pieces.join('');
}

function splitLines(file: SourceFile): Line[] {
  const lines: Line[] = [];
  let start = 0;
  let toks: Token[] = [];
  for (const t of file.tokens) {
    if (t.kind === TokenKind.Newline) {
      lines.push({ start, end: t.start, tokens: toks });
      start = t.end;
      toks = [];
    } else toks.push(t);
  }
  lines.push({ start, end: file.text.length, tokens: toks });
  return lines;
}

/** 0 or 1 level per line: statements after a `step` line (and comments between them) are inside it. */
function lineIndents(file: SourceFile, count: number): number[] {
  const indents = new Array<number>(count).fill(0);
  const stmts = file.statements;
  let inStep = false;
  let next = 0;
  for (let line = 0; line < count; line++) {
    while (next < stmts.length && stmts[next]!.line < line) next++;
    const s = stmts[next];
    if (s && s.line === line) {
      if (s.keyword === 'step' || s.category === 'header' || s.category === 'declaration') {
        inStep = s.keyword === 'step' || (inStep && s.category === 'declaration');
        indents[line] = 0;
        // A declaration after a step is an error (HL2009) but still reads as part of the step.
        if (s.category === 'declaration' && inStep) indents[line] = 1;
      } else indents[line] = inStep ? 1 : 0;
    } else {
      // A comment line belongs to the step it is in, unless it introduces the next step.
      indents[line] = inStep && s !== undefined && s.keyword !== 'step' ? 1 : 0;
    }
  }
  return indents;
}

function formatLine(text: string, line: Line, indent: number, first: boolean): string {
  const parts: string[] = [];
  const keepBom = first && text.startsWith(BOM);
  let prev: Token | undefined;
  let beforePrev: Token | undefined;
  let gap = false;
  for (let i = 0; i < line.tokens.length; i++) {
    const t = line.tokens[i]!;
    if (t.kind === TokenKind.Whitespace) { gap = true; continue; }
    if (prev) {
      const next = nextSolid(line.tokens, i + 1);
      const tightRange = (t.kind === TokenKind.DotDot && prev.kind === TokenKind.Identifier && next?.kind === TokenKind.Identifier)
        || (prev.kind === TokenKind.DotDot && t.kind === TokenKind.Identifier && beforePrev?.kind === TokenKind.Identifier);
      parts.push(gap && !tightRange ? ' ' : '');
    }
    parts.push(text.slice(t.start, t.end));
    beforePrev = prev;
    prev = t;
    gap = false;
  }
  if (parts.length === 0) return keepBom ? BOM : '';
  return (keepBom ? BOM : '') + INDENT.repeat(indent) + parts.join('');
}

function nextSolid(tokens: readonly Token[], from: number): Token | undefined {
  for (let i = from; i < tokens.length; i++) if (tokens[i]!.kind !== TokenKind.Whitespace) return tokens[i];
  return undefined;
}

/** Same non-white-space tokens (kind and text), comments included. */
function sameTokens(a: string, b: string): boolean {
  const key = (text: string) => scan(text).tokens
    .filter((t) => !isTrivia(t.kind) || t.kind === TokenKind.Comment || t.kind === TokenKind.Newline)
    .map((t) => `${t.kind}:${t.kind === TokenKind.Newline ? '' : text.slice(t.start, t.end)}`)
    .join('\u0000');
  return key(a) === key(b);
}
