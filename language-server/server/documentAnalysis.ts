// One analysed document version: the core's Analysis plus the derived indexes handlers need.
// It comes in two stages. Parse + check on the message loop, but only when a handler asks for it
// (navigation, completion, formatting, symbols): publishing diagnostics never waits for it. The
// full analysis with the simulation runs in a worker (simulator.ts); when it arrives,
// `withSimulation` completes the same version with the simulator's diagnostics (which include
// parse's and check's) and timeline. Everything depends on (text, settings) only, so a cached
// value is valid exactly as long as its version is the document's version.

import { check, parse, sortDiagnostics, type Analysis, type Diagnostic, type KernelVersion, type Model, type SourceFile, type Statement } from '../core/index.js';
import { createPositions, type Positions } from './convert.js';
import { createNameIndex, type NameIndex } from './nameIndex.js';
import type { Settings } from './settings.js';
import type { SimulationOutput, TimelineRef } from './simulator.js';

export interface DocumentAnalysis {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  /** Parsed and checked on first use (diagnostics and timeline of a simulated version are there at once). */
  readonly analysis: Analysis;
  /** True once the simulator's results for this version are in `analysis`. */
  readonly simulated: boolean;
  /**
   * The simulated timeline as the worker sent it (packed, with its head). `analysis.timeline`
   * decodes it on first read: publishing the notification and the verdict lens never do.
   */
  readonly timelineRef: TimelineRef | undefined;
  /** The kernel override used for this document (settings.defaultKernel when the file has no kernel line). */
  readonly kernel: KernelVersion | undefined;
  readonly positions: Positions;
  readonly names: NameIndex;
  /** Statement per 0-based line (one statement per line). */
  statementAt(line: number): Statement | undefined;
}

interface Checked {
  readonly file: SourceFile;
  readonly model: Model;
  readonly diagnostics: readonly Diagnostic[];
  readonly kernel: KernelVersion | undefined;
}

function checkText(text: string, settings: Settings): Checked {
  const file = parse(text);
  const checked = check(file);
  // The default kernel only applies when the file does not pick one itself.
  const kernel = settings.defaultKernel && !file.statements.some((s) => s.keyword === 'kernel') ? settings.defaultKernel : undefined;
  const model = kernel ? { ...checked.model, kernel } : checked.model;
  return { file, model, diagnostics: sortDiagnostics([...file.diagnostics, ...checked.diagnostics]), kernel };
}

/** The parse + check stage of one version, computed when first used. */
const stages = new WeakMap<DocumentAnalysis, () => Checked>();

export function analyzeDocument(uri: string, version: number, text: string, settings: Settings): DocumentAnalysis {
  let checked: Checked | undefined;
  return build(uri, version, text, () => (checked ??= checkText(text, settings)), undefined);
}

/** The same version, completed with the simulator's output (its diagnostics include parse/check's). */
export function withSimulation(base: DocumentAnalysis, output: SimulationOutput): DocumentAnalysis {
  return build(base.uri, base.version, base.text, stages.get(base)!, output, base);
}

function build(uri: string, version: number, text: string, checked: () => Checked, sim: SimulationOutput | undefined, reuse?: DocumentAnalysis): DocumentAnalysis {
  const analysis: Analysis = sim
    ? { get file() { return checked().file; }, get model() { return checked().model; }, diagnostics: sim.diagnostics, get timeline() { return sim.timeline?.timeline; } }
    : { get file() { return checked().file; }, get model() { return checked().model; }, get diagnostics() { return checked().diagnostics; }, timeline: undefined };
  let byLine: Map<number, Statement> | undefined;
  let names: NameIndex | undefined;
  let positions: Positions | undefined;
  const doc: DocumentAnalysis = {
    uri, version, text, analysis, simulated: sim !== undefined, timelineRef: sim?.timeline ?? undefined,
    get kernel() { return checked().kernel; },
    get positions() { return (positions ??= reuse?.positions ?? createPositions(text)); },
    // Built on first use: most analyses are only published, never navigated.
    get names() { return (names ??= reuse?.names ?? createNameIndex(analysis.file)); },
    statementAt: (line) => {
      if (!byLine) {
        byLine = new Map();
        for (const s of analysis.file.statements) byLine.set(s.line, s);
      }
      return byLine.get(line);
    },
  };
  stages.set(doc, checked);
  return doc;
}

export function hasErrors(a: Analysis): boolean {
  return a.diagnostics.some((d) => d.severity === 'error');
}
