// The one diagnostic shape of the core. Positions are UTF-16 offsets into the document text;
// line/column conversion happens only at the edges (CLI, LSP server).

export type Severity = 'error' | 'warning' | 'info';

export interface Span {
  readonly start: number;
  readonly length: number;
}

export interface RelatedInfo {
  readonly span: Span;
  readonly message: string;
}

export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly start: number;
  readonly length: number;
  readonly message: string;
  readonly related?: readonly RelatedInfo[];
  /** Optional machine-readable data for quick fixes (e.g. the simulated result). */
  readonly data?: Readonly<Record<string, string>>;
}

export function spanOf(start: number, end: number): Span {
  return { start, length: Math.max(0, end - start) };
}

/** Sort by position, then code, so output is stable whatever order passes ran in. */
export function sortDiagnostics(diags: Diagnostic[]): Diagnostic[] {
  return diags.sort((a, b) => a.start - b.start || a.length - b.length || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
