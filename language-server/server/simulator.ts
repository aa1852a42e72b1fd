// Runs the full core analysis (parse → check → simulate) off the message loop, in a worker thread
// started from this same bundle (main.ts runs `runSimulatorWorker` when it is not the main
// thread). Simulating a long scenario takes seconds; meanwhile the server keeps answering.
//
// The worker keeps what it simulated for the previous version (analyzeIncremental's memo), so an
// edit re-simulates only from the first changed step. It answers a job twice: first the
// diagnostics (small, published at once), then the timeline, packed into one string
// (protocol/packedTimeline.ts) with its head: a string crosses threads as one copy, where the
// structured clone of a 100k-line timeline object took longer than the edit's analysis, and the
// server sends that string in `hotplug/timeline` as it is. The main thread decodes the object only
// when a handler reads it (TimelineRef).
//
// A newer version cancels the job in progress: its promise rejects at once (so it is never
// published), and the worker gets a short grace period to finish the analysis (an incremental
// job takes milliseconds, and terminating the worker would throw its memo away); a job still
// analysing after that is stopped by terminating the worker (the core is synchronous, so that is
// the only way), and the newest job is posted to a fresh one. A job whose diagnostics are out is
// never stopped; it skips sending its timeline when a newer job is already waiting. Without
// worker support, jobs run in-process.

import { Worker, parentPort, receiveMessageOnPort } from 'node:worker_threads';
import { analyzeIncremental, type AnalysisMemo, type Diagnostic, type KernelVersion, type Timeline } from '../core/index.js';
import { createPackCache, decodeTimeline, packTimeline, timelineHead, type PackCache } from '../protocol/packedTimeline.js';
import type { TimelineHead } from '../protocol/index.js';

/** `kernel` overrides the file's kernel line; `defaultKernel` applies when it has none. */
export interface JobOptions {
  readonly kernel?: KernelVersion;
  readonly defaultKernel?: KernelVersion;
}

export interface SimulationJob {
  readonly id: number;
  readonly text: string;
  readonly options: JobOptions;
}

/** A simulated timeline as it travels: packed, with its head; the object is decoded on first use. */
export class TimelineRef {
  private decoded: Timeline | undefined;
  constructor(readonly packed: string, readonly head: TimelineHead, decoded?: Timeline) { this.decoded = decoded; }
  /** Packs a timeline (keeping the object: nothing to decode later). */
  static of(t: Timeline, cache?: PackCache): TimelineRef { return new TimelineRef(packTimeline(t, cache), timelineHead(t), t); }
  /** The Timeline, decoded from `packed` the first time it is read. */
  get timeline(): Timeline { return (this.decoded ??= decodeTimeline(this.packed)); }
}

export interface SimulationOutput {
  readonly diagnostics: readonly Diagnostic[];
  readonly timeline: TimelineRef | null;
}

type WorkerReply = { readonly id: number } & (
  | { readonly ok: true; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: true; readonly timeline: { readonly packed: string; readonly head: TimelineHead } | null }
  | { readonly ok: false; readonly error: string });

export class Cancelled extends Error {
  constructor() { super('cancelled by a newer version'); }
}

/** One document's analyses, each reusing the previous one's simulation. */
export function createIncrementalAnalyzer(): (text: string, options: JobOptions) => SimulationOutput {
  let memo: AnalysisMemo | undefined;
  const cache = createPackCache();
  return (text, options) => {
    const previous = memo;
    memo = undefined; // if analysis throws, the next one starts afresh
    const a = analyzeIncremental(text, options, previous);
    memo = a.memo;
    return { diagnostics: a.analysis.diagnostics, timeline: a.analysis.timeline ? TimelineRef.of(a.analysis.timeline, cache) : null };
  };
}

export function simulateNow(text: string, kernel: KernelVersion | undefined): SimulationOutput {
  return createIncrementalAnalyzer()(text, kernel ? { kernel } : {});
}

/** The worker side: answer jobs until the thread is terminated. */
export function runSimulatorWorker(): void {
  const port = parentPort;
  if (!port) return;
  let memo: AnalysisMemo | undefined;
  // Element keys of the timelines packed before (the simulator reuses the unchanged objects).
  const cache = createPackCache();
  const handle = (job: SimulationJob): void => {
    let output: { readonly diagnostics: readonly Diagnostic[]; readonly timeline: Timeline | null };
    try {
      const previous = memo;
      memo = undefined;
      const a = analyzeIncremental(job.text, job.options, previous);
      memo = a.memo;
      output = { diagnostics: a.analysis.diagnostics, timeline: a.analysis.timeline ?? null };
    } catch (e) {
      port.postMessage({ id: job.id, ok: false, error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) } satisfies WorkerReply);
      return;
    }
    port.postMessage({ id: job.id, ok: true, diagnostics: output.diagnostics } satisfies WorkerReply);
    // A newer version is already waiting: this one was cancelled, so its timeline (the large
    // transfer) is not sent; the newer job runs now, on the memo just made.
    const next = receiveMessageOnPort(port);
    if (next) {
      port.postMessage({ id: job.id, ok: true, timeline: null } satisfies WorkerReply);
      handle(next.message as SimulationJob);
      return;
    }
    // Packed here, off the main thread, into the string the notification carries.
    let packed: string;
    try { packed = output.timeline ? packTimeline(output.timeline, cache) : ''; } catch (e) {
      port.postMessage({ id: job.id, ok: false, error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) } satisfies WorkerReply);
      return;
    }
    const timeline = output.timeline ? { packed, head: timelineHead(output.timeline) } : null;
    port.postMessage({ id: job.id, ok: true, timeline } satisfies WorkerReply);
  };
  port.on('message', handle);
}

export interface Simulator {
  /**
   * Runs a job; a job still running is cancelled (its promise rejects with Cancelled).
   * `early` receives the diagnostics before the timeline arrives (not called when cancelled).
   */
  run(text: string, options: JobOptions, early?: (diagnostics: readonly Diagnostic[]) => void): Promise<SimulationOutput>;
  cancel(): void;
  dispose(): void;
}

/** An idle worker is stopped after this long (one per open document adds up). */
const IDLE_MS = 60_000;
/** A cancelled job may finish within this long before its worker is terminated. */
const GRACE_MS = 250;

interface Job {
  readonly id: number;
  readonly text: string;
  readonly options: JobOptions;
  readonly early: ((diagnostics: readonly Diagnostic[]) => void) | undefined;
  readonly resolve: (o: SimulationOutput) => void;
  readonly reject: (e: Error) => void;
  diagnostics?: readonly Diagnostic[];
}

/** One simulator per document: at most one job whose result is wanted. */
export function createSimulator(workerScript: string | undefined): Simulator {
  let worker: Worker | undefined;
  let idle: NodeJS.Timeout | undefined;
  let inFlight: Job | undefined;
  /** Job ids posted to the current worker whose analysis (first reply) has not come yet. */
  const busy = new Set<number>();
  let nextId = 1;
  let useWorker = workerScript !== undefined;
  const local = createIncrementalAnalyzer();

  const armIdle = () => {
    if (!worker || inFlight || busy.size) return;
    const w = worker;
    if (idle) clearTimeout(idle);
    idle = setTimeout(() => { if (worker === w && !inFlight && !busy.size) { worker = undefined; void w.terminate(); } }, IDLE_MS);
    idle.unref();
  };

  const stopWorker = () => {
    if (!worker) return;
    void worker.terminate();
    worker = undefined;
    busy.clear();
  };

  const onReply = (reply: WorkerReply) => {
    const job = inFlight && reply.id === inFlight.id ? inFlight : undefined;
    // After its diagnostics a job only sends its timeline: it is no longer worth stopping.
    busy.delete(reply.id);
    if (job) {
      if (!reply.ok) { inFlight = undefined; job.reject(new Error(reply.error)); }
      else if ('diagnostics' in reply) { job.diagnostics = reply.diagnostics; job.early?.(reply.diagnostics); }
      else { inFlight = undefined; job.resolve({ diagnostics: job.diagnostics ?? [], timeline: reply.timeline ? new TimelineRef(reply.timeline.packed, reply.timeline.head) : null }); }
    }
    armIdle();
  };

  const ensureWorker = (): Worker | undefined => {
    if (worker || !useWorker) return worker;
    try {
      const w = new Worker(workerScript!, { workerData: { role: 'simulator' } });
      w.on('message', (r: WorkerReply) => { if (worker === w) onReply(r); });
      w.on('error', (e) => {
        if (worker !== w) return;
        worker = undefined;
        busy.clear();
        const job = inFlight;
        inFlight = undefined;
        job?.reject(e);
      });
      w.on('exit', () => { if (worker === w) { worker = undefined; busy.clear(); } });
      w.unref();
      worker = w;
    } catch {
      useWorker = false;
    }
    return worker;
  };

  const post = (job: Job) => {
    const w = ensureWorker();
    if (w) {
      busy.add(job.id);
      w.postMessage({ id: job.id, text: job.text, options: job.options } satisfies SimulationJob);
      return;
    }
    // In-process fallback: still after the current message, so the reply order stays sane.
    setImmediate(() => {
      if (inFlight !== job) return;
      let output: SimulationOutput;
      try { output = local(job.text, job.options); }
      catch (e) { inFlight = undefined; job.reject(e instanceof Error ? e : new Error(String(e))); return; }
      job.early?.(output.diagnostics);
      if (inFlight !== job) return;
      inFlight = undefined;
      job.resolve(output);
    });
  };

  const cancel = () => {
    if (!inFlight) return;
    const job = inFlight;
    inFlight = undefined;
    job.reject(new Cancelled());
    if (!worker || !busy.has(job.id)) return;
    // Let a short job finish (keeping the worker's memo); stop a long one.
    const w = worker;
    setTimeout(() => {
      if (worker !== w || !busy.has(job.id)) return;
      stopWorker();
      if (inFlight) post(inFlight);
    }, GRACE_MS).unref();
  };

  return {
    run(text, options, early) {
      cancel();
      if (idle) { clearTimeout(idle); idle = undefined; }
      return new Promise<SimulationOutput>((resolve, reject) => {
        const job: Job = { id: nextId++, text, options, early, resolve, reject };
        inFlight = job;
        post(job);
      });
    },
    cancel,
    dispose() {
      const job = inFlight;
      inFlight = undefined;
      job?.reject(new Cancelled());
      if (idle) { clearTimeout(idle); idle = undefined; }
      stopWorker();
    },
  };
}
