// Debounced, version-tagged analysis per document. Edits only (re)start a timer and cancel a
// simulation in progress, so a storm of didChange notifications costs almost nothing until typing
// pauses. Then the newest text goes to the document's worker (simulator.ts), which analyses it
// incrementally and answers with the diagnostics first and the timeline after; parse + check on
// this thread happen only when a handler needs them. The diagnostics are published once per
// version, and only if their version is still the document's version and newer than anything
// published before (no stale results, ever); the timeline follows under the same rule.

import type { Diagnostic } from '../core/index.js';
import type { Positions } from './convert.js';
import { analyzeDocument, withSimulation, type DocumentAnalysis } from './documentAnalysis.js';
import type { Settings } from './settings.js';
import { Cancelled, createSimulator, type Simulator } from './simulator.js';

export interface DocumentSnapshot {
  readonly uri: string;
  readonly version: number;
  getText(): string;
}

export interface SchedulerHost {
  settings(): Settings;
  /** The document as the client last sent it, or undefined when closed. */
  document(uri: string): DocumentSnapshot | undefined;
  /** The diagnostics of a version (with the simulator's, unless the simulator failed). */
  publishDiagnostics(result: { readonly uri: string; readonly version: number; readonly diagnostics: readonly Diagnostic[]; readonly positions: Positions }): void;
  /** The version with its timeline, after its diagnostics. */
  publishTimeline(result: DocumentAnalysis): void;
  /** An analysis or publish threw: report, keep serving. */
  failed(uri: string, error: unknown): void;
  /** Path of the bundle to start simulator workers from; undefined runs simulations in-process. */
  readonly workerScript: string | undefined;
}

export interface AnalysisScheduler {
  /** A document opened or changed: analyse it once the debounce delay has passed. */
  schedule(uri: string): void;
  /** Parse + check of the current version (the simulation may still be running). */
  current(uri: string): DocumentAnalysis | undefined;
  /** The current version with its simulation, once it has run (undefined when the document closed). */
  simulated(uri: string): Promise<DocumentAnalysis | undefined>;
  /** Forget a closed document. */
  close(uri: string): void;
  /** Re-analyse every open document (settings changed). */
  rescheduleAll(): void;
  dispose(): void;
}

interface Waiter { readonly resolve: (doc: DocumentAnalysis | undefined) => void }

export function createAnalysisScheduler(host: SchedulerHost): AnalysisScheduler {
  const timers = new Map<string, NodeJS.Timeout>();
  const cache = new Map<string, DocumentAnalysis>();
  /** uri → newest version whose diagnostics / timeline were published. */
  const published = new Map<string, number>();
  const publishedTimeline = new Map<string, number>();
  const simulators = new Map<string, Simulator>();
  const waiters = new Map<string, Waiter[]>();
  /** uri → version whose simulation is running. */
  const running = new Map<string, number>();

  const current = (uri: string): DocumentAnalysis | undefined => {
    const doc = host.document(uri);
    if (!doc) return undefined;
    const cached = cache.get(uri);
    if (cached && cached.version === doc.version) return cached;
    // Cheap: parse + check run when a handler first reads the analysis.
    const fresh = analyzeDocument(uri, doc.version, doc.getText(), host.settings());
    cache.set(uri, fresh);
    return fresh;
  };

  const simulatorFor = (uri: string) => {
    let s = simulators.get(uri);
    if (!s) { s = createSimulator(host.workerScript); simulators.set(uri, s); }
    return s;
  };

  const wake = (uri: string, doc: DocumentAnalysis | undefined) => {
    const list = waiters.get(uri);
    if (!list) return;
    waiters.delete(uri);
    for (const w of list) w.resolve(doc);
  };

  const isNewest = (uri: string, version: number, seen: Map<string, number>) =>
    version === host.document(uri)?.version && (seen.get(uri) ?? -Infinity) < version;

  const publishDiagnostics = (result: DocumentAnalysis, diagnostics: readonly Diagnostic[]) => {
    if (!isNewest(result.uri, result.version, published)) return;
    published.set(result.uri, result.version);
    host.publishDiagnostics({ uri: result.uri, version: result.version, diagnostics, positions: result.positions });
  };

  const publish = (result: DocumentAnalysis) => {
    publishDiagnostics(result, result.analysis.diagnostics);
    if (!isNewest(result.uri, result.version, publishedTimeline)) return;
    publishedTimeline.set(result.uri, result.version);
    host.publishTimeline(result);
    if (result.simulated) wake(result.uri, result);
  };

  const run = (uri: string, version: number) => {
    timers.delete(uri);
    let base: DocumentAnalysis | undefined;
    try {
      const doc = host.document(uri);
      // A newer version arrived after this run was scheduled; its own timer will handle it.
      if (!doc || doc.version !== version) return;
      base = current(uri);
      if (!base || base.version !== version) return;
      if (base.simulated) { publish(base); return; }
    } catch (error) {
      host.failed(uri, error);
      return;
    }
    const parsed = base;
    running.set(uri, version);
    const finished = () => { if (running.get(uri) === version) running.delete(uri); };
    const defaultKernel = host.settings().defaultKernel;
    const early = (diagnostics: readonly Diagnostic[]) => {
      try { publishDiagnostics(parsed, diagnostics); } catch (e) { host.failed(uri, e); }
    };
    simulatorFor(uri).run(parsed.text, defaultKernel ? { defaultKernel } : {}, early).then(
      (output) => {
        finished();
        if (host.document(uri)?.version !== version) return;
        const done = withSimulation(parsed, output);
        if (cache.get(uri)?.version === version) cache.set(uri, done);
        publish(done);
      },
      (error: unknown) => {
        finished();
        if (error instanceof Cancelled) return;
        host.failed(uri, error);
        // The simulator failed: still publish what parse and check found, and answer whoever
        // waits for this version with that.
        try { publish(parsed); } catch (e) { host.failed(uri, e); }
        if (host.document(uri)?.version === version) wake(uri, parsed);
      },
    ).catch((e: unknown) => host.failed(uri, e));
  };

  const schedule = (uri: string) => {
    const doc = host.document(uri);
    if (!doc) return;
    const old = timers.get(uri);
    if (old) clearTimeout(old);
    // The running simulation is for an older version: stop it now rather than after the debounce.
    simulators.get(uri)?.cancel();
    const version = doc.version;
    timers.set(uri, setTimeout(() => run(uri, version), host.settings().debounceMs));
  };

  return {
    schedule,
    current,
    simulated(uri) {
      const doc = current(uri);
      if (!doc) return Promise.resolve(undefined);
      if (doc.simulated) return Promise.resolve(doc);
      // Nothing pending or running for this version (e.g. it was published before a settings
      // change dropped the cache): start a run.
      if (!timers.has(uri) && running.get(uri) !== doc.version) schedule(uri);
      return new Promise((resolve) => {
        const list = waiters.get(uri) ?? [];
        list.push({ resolve });
        waiters.set(uri, list);
      });
    },
    close(uri) {
      const t = timers.get(uri);
      if (t) clearTimeout(t);
      timers.delete(uri);
      cache.delete(uri);
      published.delete(uri);
      publishedTimeline.delete(uri);
      simulators.get(uri)?.dispose();
      simulators.delete(uri);
      running.delete(uri);
      wake(uri, undefined);
    },
    rescheduleAll() {
      // Settings change the result for the same version, so the cached analyses are dropped.
      const uris = new Set([...cache.keys(), ...timers.keys()]);
      cache.clear();
      published.clear();
      publishedTimeline.clear();
      for (const uri of uris) schedule(uri);
    },
    dispose() {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      for (const s of simulators.values()) s.dispose();
      simulators.clear();
      for (const uri of [...waiters.keys()]) wake(uri, undefined);
    },
  };
}
