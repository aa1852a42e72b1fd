// The whole pipeline over one document: parse → check → simulate. Total: whatever the text,
// it returns a result and never throws (a bug in a later pass becomes an internal diagnostic
// would be a bug; tests fuzz this entry point).

import type { Diagnostic } from './diagnostics/diagnostic.js';
import { sortDiagnostics } from './diagnostics/diagnostic.js';
import { makeDiagnostic } from './diagnostics/codes.js';
import { check } from './check/checker.js';
import { formatVersion, type KernelVersion, type Model } from './check/model.js';
import { parse } from './syntax/parser.js';
import { parseIncremental, parseWithMemo, type ParseMemo } from './syntax/incrementalParse.js';
import type { SourceFile } from './syntax/tree.js';
import type { Timeline } from './sim/timeline.js';
import { lineEdit, simulate, simulateIncremental, type SimMemo, type SimulationResult } from './sim/simulate.js';

export interface AnalyzeOptions {
  /** Overrides the file's `kernel` line (CLI --kernel, compare). */
  readonly kernel?: KernelVersion;
  /** The kernel when the file has no `kernel` line (the editor's default-kernel setting). */
  readonly defaultKernel?: KernelVersion;
  /** Resource limits; analysis stops at a limit with HL1023 saying which. */
  readonly limits?: Partial<Limits>;
}

export interface Limits {
  /** Characters analysed; the rest of a larger document is not read. */
  readonly maxChars: number;
  /** Steps simulated. */
  readonly maxSteps: number;
  /** Simulator events (the simulation stops after the statement that passes it). */
  readonly maxEvents: number;
  /** Memory ranges in the timeline's state views, summed over steps (sim/simulate.ts). */
  readonly maxRanges: number;
}

export const DEFAULT_LIMITS: Limits = { maxChars: 16 * 1024 * 1024, maxSteps: 100_000, maxEvents: 500_000, maxRanges: 1_000_000 };

export interface Analysis {
  readonly file: SourceFile;
  readonly model: Model;
  readonly diagnostics: readonly Diagnostic[];
  /** The simulated timeline; undefined when the machine declarations have errors. */
  readonly timeline: Timeline | undefined;
}

export function analyze(fullText: string, options: AnalyzeOptions = {}): Analysis {
  return run(fullText, options, undefined).analysis;
}

/** What analyzeIncremental keeps of one version for the next. Treat as opaque. */
export interface AnalysisMemo {
  readonly text: string;
  readonly kernel: string | undefined;
  readonly limits: string;
  readonly parse: ParseMemo | undefined;
  readonly sim: SimMemo | undefined;
}

export interface IncrementalAnalysis {
  readonly analysis: Analysis;
  readonly memo: AnalysisMemo;
  /** Timeline steps simulated this time (the others were reused from the previous version). */
  readonly simulatedSteps: number;
}

/**
 * analyze() of a new version of a document, reusing what `previous` (the memo of an earlier
 * version) simulated: the result is identical to analyze(fullText, options).
 */
export function analyzeIncremental(fullText: string, options: AnalyzeOptions = {}, previous?: AnalysisMemo): IncrementalAnalysis {
  return run(fullText, options, previous ?? null);
}

function run(fullText: string, options: AnalyzeOptions, previous: AnalysisMemo | null | undefined): IncrementalAnalysis {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const limitDiags: Diagnostic[] = [];
  let text = fullText;
  if (fullText.length > limits.maxChars) {
    // Cut at a line boundary so the last statement read is whole.
    const nl = fullText.lastIndexOf('\n', limits.maxChars);
    const cut = nl > 0 ? nl + 1 : limits.maxChars;
    text = fullText.slice(0, cut);
    limitDiags.push(makeDiagnostic('HL1023', { start: cut, length: 0 }, [`the document is larger than ${limits.maxChars} characters; the rest is not analysed`]));
  }
  const edit = previous ? lineEdit(previous.text, text) : undefined;
  let parsed: ParseMemo | undefined;
  if (previous !== undefined) parsed = previous?.parse && edit ? parseIncremental(text, previous.parse, edit) : parseWithMemo(text);
  const file = parsed ? parsed.file : parse(text);
  const checked = check(file);
  const kernel = options.kernel ?? (options.defaultKernel && !file.statements.some((s) => s.keyword === 'kernel') ? options.defaultKernel : undefined);
  let model = kernel ? { ...checked.model, kernel } : checked.model;
  if (model.steps.length > limits.maxSteps) {
    const first = model.steps[limits.maxSteps]!;
    limitDiags.push(makeDiagnostic('HL1023', first.span, [`more than ${limits.maxSteps} steps; steps from here on are not simulated`]));
    model = { ...model, steps: model.steps.slice(0, limits.maxSteps) };
  }
  const all = [...file.diagnostics, ...checked.diagnostics, ...limitDiags];
  let timeline: Timeline | undefined;
  let simMemo: SimMemo | undefined;
  let simulatedSteps = 0;
  const kernelKey = kernel ? formatVersion(kernel) : undefined;
  const limitsKey = `${limits.maxChars},${limits.maxSteps},${limits.maxEvents},${limits.maxRanges}`;
  const simLimits = { maxEvents: limits.maxEvents, maxRanges: limits.maxRanges };
  if (model.simulatable) {
    let sim: SimulationResult;
    if (previous === undefined) {
      sim = simulate(model, simLimits);
      simulatedSteps = model.steps.length + 1;
    } else {
      const usable = previous && previous.sim && previous.kernel === kernelKey && previous.limits === limitsKey;
      const inc = simulateIncremental(model, usable && edit ? { memo: previous.sim!, edit } : undefined, simLimits);
      sim = inc.result;
      simMemo = inc.memo;
      simulatedSteps = inc.simulated;
    }
    timeline = sim.timeline;
    all.push(...sim.diagnostics);
  }
  const analysis: Analysis = { file, model, diagnostics: sortDiagnostics(all), timeline };
  return { analysis, memo: { text, kernel: kernelKey, limits: limitsKey, parse: parsed, sim: simMemo }, simulatedSteps };
}
