// `hotplug/compare`: the same scenario under two kernels, and the events whose results differ.
// Events are matched per step by (line, kind, subject) in order, so an event that exists under
// only one kernel shows as a difference against "—".

import type { EventView, Timeline } from '../core/index.js';
import type { CompareDifference, CompareResult } from '../protocol/index.js';
import { parseKernelVersion } from './settings.js';
import { createSimulator } from './simulator.js';

/** Both simulations run in parallel, each in its own worker (off the message loop). */
export async function compareKernels(text: string, kernels: readonly [string, string], workerScript: string | undefined): Promise<CompareResult> {
  const run = async (k: string): Promise<Timeline | null> => {
    const sim = createSimulator(workerScript);
    try {
      const kernel = parseKernelVersion(k);
      return (await sim.run(text, kernel ? { kernel } : {})).timeline?.timeline ?? null;
    } finally {
      sim.dispose();
    }
  };
  const [a, b] = await Promise.all([run(kernels[0]), run(kernels[1])]);
  return { kernels: [kernels[0], kernels[1]], timelines: [a, b], differences: a && b ? diffTimelines(a, b) : [] };
}

export function diffTimelines(a: Timeline, b: Timeline): CompareDifference[] {
  const out: CompareDifference[] = [];
  const steps = Math.max(a.steps.length, b.steps.length);
  for (let i = 0; i < steps; i++) {
    const ea = a.steps[i]?.events ?? [];
    const eb = b.steps[i]?.events ?? [];
    const key = (e: EventView) => `${e.line}\u0000${e.kind}\u0000${e.subject}`;
    const pending = new Map<string, EventView[]>();
    for (const e of eb) pending.set(key(e), [...(pending.get(key(e)) ?? []), e]);
    for (const e of ea) {
      const match = pending.get(key(e))?.shift();
      if (!match) out.push({ step: i, line: e.line, subject: e.subject, a: e.result, b: '—' });
      else if (match.result !== e.result) out.push({ step: i, line: e.line, subject: e.subject, a: e.result, b: match.result });
    }
    for (const rest of pending.values()) for (const e of rest) out.push({ step: i, line: e.line, subject: e.subject, a: '—', b: e.result });
  }
  return out.sort((x, y) => x.step - y.step || x.line - y.line);
}
