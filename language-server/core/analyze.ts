// The whole pipeline over one document: parse → check → simulate. Total: whatever the text,
// it returns a result and never throws (a bug in a later pass becomes an internal diagnostic
// would be a bug; tests fuzz this entry point).

import type { Diagnostic } from './diagnostics/diagnostic.js';
import { sortDiagnostics } from './diagnostics/diagnostic.js';
import { check } from './check/checker.js';
import type { KernelVersion, Model } from './check/model.js';
import { parse } from './syntax/parser.js';
import type { SourceFile } from './syntax/tree.js';
import type { Timeline } from './sim/timeline.js';
import { simulate } from './sim/simulate.js';

export interface AnalyzeOptions {
  /** Overrides the file's `kernel` line (CLI --kernel, compare). */
  readonly kernel?: KernelVersion;
}

export interface Analysis {
  readonly file: SourceFile;
  readonly model: Model;
  readonly diagnostics: readonly Diagnostic[];
  /** The simulated timeline; undefined when the machine declarations have errors. */
  readonly timeline: Timeline | undefined;
}

export function analyze(text: string, options: AnalyzeOptions = {}): Analysis {
  const file = parse(text);
  const checked = check(file);
  const model = options.kernel ? { ...checked.model, kernel: options.kernel } : checked.model;
  const all = [...file.diagnostics, ...checked.diagnostics];
  let timeline: Timeline | undefined;
  if (model.simulatable) {
    const sim = simulate(model);
    timeline = sim.timeline;
    all.push(...sim.diagnostics);
  }
  return { file, model, diagnostics: sortDiagnostics(all), timeline };
}
