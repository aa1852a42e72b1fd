// Runs the full core analysis (parse → check → simulate) off the message loop, in a worker thread
// started from this same bundle (main.ts runs `runSimulatorWorker` when it is not the main
// thread). Simulating a long scenario takes seconds; meanwhile the server keeps answering, and a
// newer version cancels the run in progress by terminating its worker (the core is synchronous,
// so that is the only way to stop it). Without worker support, jobs run in-process.

import { Worker, parentPort } from 'node:worker_threads';
import { analyze, type Diagnostic, type KernelVersion, type Timeline } from '../core/index.js';

export interface SimulationJob {
  readonly id: number;
  readonly text: string;
  readonly kernel: KernelVersion | undefined;
}

export interface SimulationOutput {
  readonly diagnostics: readonly Diagnostic[];
  readonly timeline: Timeline | null;
}

type WorkerReply = { readonly id: number } & ({ readonly ok: true; readonly output: SimulationOutput } | { readonly ok: false; readonly error: string });

export class Cancelled extends Error {
  constructor() { super('cancelled by a newer version'); }
}

export function simulateNow(text: string, kernel: KernelVersion | undefined): SimulationOutput {
  const a = analyze(text, kernel ? { kernel } : {});
  return { diagnostics: a.diagnostics, timeline: a.timeline ?? null };
}

/** The worker side: answer jobs until the thread is terminated. */
export function runSimulatorWorker(): void {
  const port = parentPort;
  if (!port) return;
  port.on('message', (job: SimulationJob) => {
    let reply: WorkerReply;
    try {
      reply = { id: job.id, ok: true, output: simulateNow(job.text, job.kernel) };
    } catch (e) {
      reply = { id: job.id, ok: false, error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) };
    }
    port.postMessage(reply);
  });
}

export interface Simulator {
  /** Runs a job; a job still running is cancelled (its promise rejects with Cancelled). */
  run(text: string, kernel: KernelVersion | undefined): Promise<SimulationOutput>;
  cancel(): void;
  dispose(): void;
}

/** An idle worker is stopped after this long (one per open document adds up). */
const IDLE_MS = 60_000;

/** One simulator per document: at most one job in flight. */
export function createSimulator(workerScript: string | undefined): Simulator {
  let worker: Worker | undefined;
  let idle: NodeJS.Timeout | undefined;
  let inFlight: { id: number; resolve: (o: SimulationOutput) => void; reject: (e: Error) => void } | undefined;
  let nextId = 1;
  let useWorker = workerScript !== undefined;

  const settle = (reply: WorkerReply) => {
    if (!inFlight || reply.id !== inFlight.id) return;
    const job = inFlight;
    inFlight = undefined;
    if (worker) {
      const w = worker;
      idle = setTimeout(() => { if (worker === w && !inFlight) { worker = undefined; void w.terminate(); } }, IDLE_MS);
      idle.unref();
    }
    if (reply.ok) job.resolve(reply.output);
    else job.reject(new Error(reply.error));
  };

  const ensureWorker = (): Worker | undefined => {
    if (worker || !useWorker) return worker;
    try {
      const w = new Worker(workerScript!, { workerData: { role: 'simulator' } });
      w.on('message', settle);
      w.on('error', (e) => { if (worker === w) worker = undefined; inFlight?.reject(e); inFlight = undefined; });
      w.on('exit', () => { if (worker === w) worker = undefined; });
      w.unref();
      worker = w;
    } catch {
      useWorker = false;
    }
    return worker;
  };

  const cancel = () => {
    if (!inFlight) return;
    const job = inFlight;
    inFlight = undefined;
    // Terminating is the only way to stop a synchronous simulation; a new worker starts on demand.
    if (worker) { void worker.terminate(); worker = undefined; }
    job.reject(new Cancelled());
  };

  return {
    run(text, kernel) {
      cancel();
      if (idle) { clearTimeout(idle); idle = undefined; }
      const id = nextId++;
      return new Promise<SimulationOutput>((resolve, reject) => {
        inFlight = { id, resolve, reject };
        const w = ensureWorker();
        if (w) { w.postMessage({ id, text, kernel } satisfies SimulationJob); return; }
        // In-process fallback: still after the current message, so the reply order stays sane.
        setImmediate(() => {
          if (inFlight?.id !== id) return;
          try { settle({ id, ok: true, output: simulateNow(text, kernel) }); }
          catch (e) { settle({ id, ok: false, error: e instanceof Error ? e.message : String(e) }); }
        });
      });
    },
    cancel,
    dispose() {
      cancel();
      if (idle) { clearTimeout(idle); idle = undefined; }
      if (worker) { void worker.terminate(); worker = undefined; }
    },
  };
}
