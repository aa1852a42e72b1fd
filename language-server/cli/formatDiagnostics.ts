// Diagnostic printing for the CLI: `FILE:LINE:COL: severity CODE: MESSAGE` (spec §7), 1-based.

import type { Diagnostic, LineIndex } from '../core/index.js';

export function formatDiagnosticLine(fileName: string, index: LineIndex, d: Diagnostic): string {
  const p = index.position(d.start);
  return `${fileName}:${p.line + 1}:${p.character + 1}: ${d.severity} ${d.code}: ${d.message}`;
}

export interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
  related?: { line: number; column: number; message: string }[];
}

export function toJsonDiagnostic(fileName: string, index: LineIndex, d: Diagnostic): JsonDiagnostic {
  const p = index.position(d.start);
  const e = index.position(d.start + d.length);
  return {
    file: fileName, line: p.line + 1, column: p.character + 1, endLine: e.line + 1, endColumn: e.character + 1,
    severity: d.severity, code: d.code, message: d.message,
    ...(d.related ? { related: d.related.map((r) => { const rp = index.position(r.span.start); return { line: rp.line + 1, column: rp.character + 1, message: r.message }; }) } : {}),
  };
}
