// One analysed document version: the core's Analysis plus the derived indexes handlers need.
// It is built in two stages. On the message loop: parse + check (fast; enough for navigation,
// completion, formatting and symbols). In a worker: the full analysis with the simulation; when
// it arrives, `withSimulation` completes the same version with the simulator's diagnostics and
// timeline. Everything depends on (text, settings) only, so a cached value is valid exactly as
// long as its version is the document's version.

import { check, parse, sortDiagnostics, type Analysis, type KernelVersion, type Statement } from '../core/index.js';
import { createPositions, type Positions } from './convert.js';
import { createNameIndex, type NameIndex } from './nameIndex.js';
import type { Settings } from './settings.js';
import type { SimulationOutput } from './simulator.js';

export interface DocumentAnalysis {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  readonly analysis: Analysis;
  /** True once the simulator's results for this version are in `analysis`. */
  readonly simulated: boolean;
  /** The kernel override used for this document (settings.defaultKernel when the file has no kernel line). */
  readonly kernel: KernelVersion | undefined;
  readonly positions: Positions;
  readonly names: NameIndex;
  /** Statement per 0-based line (one statement per line). */
  statementAt(line: number): Statement | undefined;
}

export function analyzeDocument(uri: string, version: number, text: string, settings: Settings): DocumentAnalysis {
  const file = parse(text);
  const checked = check(file);
  // The default kernel only applies when the file does not pick one itself.
  const kernel = settings.defaultKernel && !file.statements.some((s) => s.keyword === 'kernel') ? settings.defaultKernel : undefined;
  const model = kernel ? { ...checked.model, kernel } : checked.model;
  const analysis: Analysis = { file, model, diagnostics: sortDiagnostics([...file.diagnostics, ...checked.diagnostics]), timeline: undefined };
  return build(uri, version, text, analysis, false, kernel);
}

/** The same version, completed with the simulator's output (its diagnostics include parse/check's). */
export function withSimulation(base: DocumentAnalysis, output: SimulationOutput): DocumentAnalysis {
  const analysis: Analysis = { ...base.analysis, diagnostics: output.diagnostics, timeline: output.timeline ?? undefined };
  return build(base.uri, base.version, base.text, analysis, true, base.kernel, base);
}

function build(uri: string, version: number, text: string, analysis: Analysis, simulated: boolean, kernel: KernelVersion | undefined, reuse?: DocumentAnalysis): DocumentAnalysis {
  const byLine = new Map<number, Statement>();
  for (const s of analysis.file.statements) byLine.set(s.line, s);
  let names: NameIndex | undefined;
  return {
    uri, version, text, analysis, simulated, kernel,
    positions: reuse?.positions ?? createPositions(text),
    // Built on first use: most analyses are only published, never navigated.
    get names() { return (names ??= reuse?.names ?? createNameIndex(analysis.file)); },
    statementAt: (line) => byLine.get(line),
  };
}

export function hasErrors(a: Analysis): boolean {
  return a.diagnostics.some((d) => d.severity === 'error');
}
