// The one place where core results (UTF-16 offsets, core diagnostics) become LSP types (lines and
// characters) and back. Every other server module works in offsets and calls these helpers, so a
// position bug can only live here.

import { createLineIndex, type Diagnostic as CoreDiagnostic, type LineIndex, type Severity } from '../core/index.js';
import {
  DiagnosticSeverity, DiagnosticTag, type Diagnostic, type Position, type Range,
} from 'vscode-languageserver';

export const SOURCE = 'hotplug-lab';
export const DOCS_URL = 'https://github.com/hotplug-lab/hotplug-lab/blob/main/docs/diagnostics.md';

/** Offsets ⇄ positions for one document text. */
export interface Positions {
  readonly lines: LineIndex;
  toPosition(offset: number): Position;
  toRange(start: number, end: number): Range;
  toOffset(position: Position): number;
  /** Offset of the first character of a 0-based line. */
  lineStart(line: number): number;
}

export function createPositions(text: string): Positions {
  const lines = createLineIndex(text);
  const toPosition = (offset: number): Position => lines.position(offset);
  return {
    lines,
    toPosition,
    toRange: (start, end) => ({ start: toPosition(start), end: toPosition(Math.max(start, end)) }),
    toOffset: (p) => lines.offset(p.line, p.character),
    lineStart: (line) => lines.offset(line, 0),
  };
}

function toSeverity(s: Severity): DiagnosticSeverity {
  switch (s) {
    case 'error': return DiagnosticSeverity.Error;
    case 'warning': return DiagnosticSeverity.Warning;
    case 'info': return DiagnosticSeverity.Information;
  }
}

/** Codes whose finding is "this text has no effect" (shown faded by editors). */
const UNNECESSARY = new Set(['HL2019', 'HL2028']);

export function toLspDiagnostic(d: CoreDiagnostic, pos: Positions, uri: string): Diagnostic {
  const out: Diagnostic = {
    range: pos.toRange(d.start, d.start + d.length),
    severity: toSeverity(d.severity),
    code: d.code,
    codeDescription: { href: `${DOCS_URL}#${d.code.toLowerCase()}` },
    source: SOURCE,
    message: d.message,
  };
  if (UNNECESSARY.has(d.code)) out.tags = [DiagnosticTag.Unnecessary];
  if (d.related && d.related.length > 0) {
    out.relatedInformation = d.related.map((r) => ({
      location: { uri, range: pos.toRange(r.span.start, r.span.start + r.span.length) },
      message: r.message,
    }));
  }
  // Quick fixes read this back (codeActions.ts); the core's data is plain strings.
  if (d.data) out.data = { ...d.data };
  return out;
}
