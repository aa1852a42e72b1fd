// simulate(model) → timeline + HL3/HL4/HL5 diagnostics. A pure function of the model: the same
// scenario always gives the same timeline (no clocks, no randomness).

import { formatSize, hex } from '../check/layout.js';
import { formatVersion, type Action, type Model } from '../check/model.js';
import { KNOBS } from '../check/knobs.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { makeDiagnostic, type DiagnosticCode } from '../diagnostics/codes.js';
import type { HazardKind } from '../syntax/grammar.js';
import { Sim, type RecordedEvent } from './context.js';
import { boot, createState, plugDimm } from './boot.js';
import { plugVirtio } from './virtioMem.js';
import { bind, mount, reconfigure, replace, surpriseRemove, umount, unbind, unplug } from './devices.js';
import { evaluate } from './expect.js';
import { poison, softOffline, unpoison } from './failure.js';
import { offlineBlocks, onlineBlocks, removeBlocks } from './memory.js';
import { targetBlocks, targetName } from './targets.js';
import { alloc, exitProcess, freeAlloc, mmap, munmap, pin, touch, unpin } from './userspace.js';
import { snapshot } from './views.js';
import { TIMELINE_SCHEMA_VERSION, type EventResult, type EventView, type StepView, type Timeline } from './timeline.js';

export interface SimulationResult {
  readonly timeline: Timeline;
  readonly diagnostics: Diagnostic[];
}

export function simulate(model: Model): SimulationResult {
  const sim = new Sim(createState(model));
  const diagnostics: Diagnostic[] = [];
  const steps: StepView[] = [];
  const expectedHazards = collectExpectedHazards(model);

  sim.step = 0;
  sim.begin({ line: -1, span: { start: 0, length: 0 } });
  boot(sim);
  steps.push({ index: 0, label: 'boot', line: -1, span: null, firstLine: 0, lastLine: Math.max(0, (model.steps[0]?.line ?? 1) - 1), events: sim.events.map(toView), state: snapshot(sim) });

  let failedExpectations = 0;
  let failedOperations = 0;
  let crashLine = -1;
  for (let si = 0; si < model.steps.length; si++) {
    const st = model.steps[si]!;
    sim.step = si + 1;
    sim.stepLog = [];
    const before = sim.events.length;
    sim.begin(st);
    for (const item of st.items) {
      if (item.kind === 'expect') {
        const e = item.expect;
        const v = evaluate(sim, e);
        if (!v.ok) {
          failedExpectations++;
          diagnostics.push(makeDiagnostic('HL5002', e.span, [v.expected, v.found], { data: { found: v.found, ...(v.actual !== undefined ? { actual: v.actual } : {}) } }));
        }
        continue;
      }
      const a = item.action;
      if (sim.state.crashed && a.op !== 'reboot') {
        diagnostics.push(makeDiagnostic('HL3005', a.keywordSpan, [crashLine + 1, 'Reboot to continue.']));
        continue;
      }
      sim.begin(a);
      const evStart = sim.events.length;
      const returned = run(sim, a);
      const evs = sim.events.slice(evStart);
      const outcome = actionOutcome(returned, evs);
      if (sim.state.crashed && crashLine < 0) crashLine = a.line;
      if (!sim.state.crashed) crashLine = -1;
      const expected = a.expected?.result;
      if (expected !== undefined && expected !== outcome) {
        const primary = evs.find((e) => e.primary);
        diagnostics.push(makeDiagnostic('HL5001', a.expected!.span, [expected, outcome, primary?.message ?? 'see the timeline'], { data: { simulated: outcome } }));
        failedExpectations++;
      }
      if (isFailure(outcome) && expected === undefined) failedOperations++;
      diagnostics.push(...diagnosticsFor(a, evs, outcome, expectedHazards));
    }
    const events = sim.events.slice(before).map(toView);
    const next = model.steps[si + 1];
    const lastItem = st.items[st.items.length - 1];
    const lastLine = next ? next.line - 1 : lastItem ? (lastItem.kind === 'action' ? lastItem.action.line : lastItem.expect.line) : st.line;
    steps.push({ index: si + 1, label: st.label ?? `step ${si + 1}`, line: st.line, span: st.span, firstLine: st.line, lastLine: Math.max(st.line, lastLine), events, state: snapshot(sim) });
  }

  const hazards = sim.events.filter((e) => e.hazard !== undefined).length;
  const parts: string[] = [];
  if (sim.state.crashed) parts.push('kernel crashed');
  if (hazards) parts.push(`${hazards} hazard${hazards > 1 ? 's' : ''}`);
  if (failedExpectations) parts.push(`${failedExpectations} failed expectation${failedExpectations > 1 ? 's' : ''}`);
  if (failedOperations) parts.push(`${failedOperations} unexpected failure${failedOperations > 1 ? 's' : ''}`);
  const timeline: Timeline = {
    schema: TIMELINE_SCHEMA_VERSION,
    title: model.title,
    kernel: formatVersion(model.kernel),
    knobs: knobValues(model),
    blockSize: hex(model.knobs.blockSize),
    regions: [
      ...model.devices.map((d) => ({ name: d.name, kind: d.kind, base: hex(d.base), size: hex(d.size), node: d.node, line: d.line })),
      ...model.daxes.map((d) => ({ name: d.name, kind: 'dax' as const, base: hex(d.base), size: hex(d.size), node: d.node, parent: d.region, mode: d.mode, line: d.line })),
    ],
    steps,
    verdict: { hazards, failedExpectations, failedOperations, crashed: sim.state.crashed !== undefined, summary: parts.length ? parts.join(', ') : 'clean' },
  };
  return { timeline, diagnostics };
}

/** The recorder's bookkeeping (step, primary) stays out of the timeline. */
function toView(e: RecordedEvent): EventView {
  // Spelled out (same keys, same order) rather than `{step, primary, ...view} = e`: object rest
  // takes V8's slow generic path, once per event of a 100k-line scenario.
  const view: { -readonly [K in keyof EventView]: EventView[K] } = {
    id: e.id, line: e.line, span: e.span, kind: e.kind, subject: e.subject, result: e.result, message: e.message,
    rule: e.rule, source: e.source, log: e.log, causes: e.causes, assumed: e.assumed,
  };
  if (e.hazard !== undefined) view.hazard = e.hazard;
  return view;
}

function knobValues(model: Model): Record<string, string> {
  const k = model.knobs;
  const vals: Record<string, string> = {
    block_size: formatSize(k.blockSize), auto_online: k.autoOnline, online_policy: k.onlinePolicy, auto_movable_ratio: String(k.autoMovableRatio),
    auto_movable_numa_aware: k.autoMovableNumaAware ? 'on' : 'off', movable_node: k.movableNode ? 'on' : 'off', movablecore: formatSize(k.movablecore),
    memmap_on_memory: k.memmapOnMemory, memory_failure_early_kill: k.earlyKill ? '1' : '0', memory_failure_recovery: k.failureRecovery ? '1' : '0',
    hotremove: k.hotremove ? 'on' : 'off', force_unmap_on_remove: k.forceUnmapOnRemove ? 'on' : 'off', vanished_memory: k.vanishedMemory,
  };
  return Object.fromEntries(KNOBS.map((x) => [x.key, vals[x.key] ?? x.default]));
}

function isFailure(r: EventResult): boolean {
  return r !== 'ok' && r !== 'info';
}

/** The action's outcome for `=> RESULT`: a crash or oops during it wins over its return value. */
function actionOutcome(returned: EventResult, evs: readonly RecordedEvent[]): EventResult {
  if (evs.some((e) => e.result === 'crash')) return 'crash';
  if (evs.some((e) => e.result === 'oops')) return 'oops';
  return returned;
}

function collectExpectedHazards(model: Model): Map<HazardKind, number> {
  // hazard kind → the last line expecting it (an expectation at or after a hazard's line covers it)
  const out = new Map<HazardKind, number>();
  const note = (k: HazardKind, line: number) => out.set(k, Math.max(out.get(k) ?? -1, line));
  for (const st of model.steps) for (const it of st.items) {
    if (it.kind === 'expect') {
      const e = it.expect;
      if (e.check === 'hazard') note(e.hazard, e.line);
      if (e.check === 'crash' && !e.negated) note('crash', e.line);
    } else {
      const r = it.action.expected?.result;
      if (r === 'crash' || r === 'oops') note('crash', it.action.line);
      if (r === 'leaked') note('burned-range', it.action.line);
    }
  }
  return out;
}

const HAZARD_CODE: Record<HazardKind, DiagnosticCode> = {
  crash: 'HL4001', 'stale-mapping': 'HL4003', 'data-exposure': 'HL4004', 'burned-range': 'HL4005', 'unrecoverable-poison': 'HL4006',
};

function diagnosticsFor(a: Action, evs: readonly RecordedEvent[], outcome: EventResult, expectedHazards: Map<HazardKind, number>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const expected = a.expected?.result;
  const related = (e: RecordedEvent) => e.causes.map((c) => ({ span: c.span, message: c.message }));
  const primary = evs.find((e) => e.primary);
  const failSeverity = expected === outcome ? 'info' : 'warning';
  if (primary && isFailure(primary.result) && primary.result !== 'SIGBUS' && primary.result !== 'crash' && primary.result !== 'oops') {
    const subject = primary.subject;
    const data: Record<string, string> = { simulated: outcome, ...(primary.fix ? { insertBefore: primary.fix.insertBefore, title: primary.fix.title } : {}) };
    if (primary.result === 'hang') out.push(makeDiagnostic('HL3002', a.keywordSpan, [`${a.op} ${subject}`, primary.message], { severity: failSeverity, related: related(primary), data }));
    else if (primary.result === 'leaked') out.push(makeDiagnostic('HL3004', a.keywordSpan, [`${a.op} ${subject}`, primary.message], { severity: failSeverity, related: related(primary), data }));
    else out.push(makeDiagnostic('HL3001', a.keywordSpan, [`${a.op} ${subject}`, primary.result, primary.message], { severity: failSeverity, related: related(primary), data }));
  } else if (primary && primary.result === 'ok' && ['unbind', 'surprise-remove', 'replace', 'poison', 'reconfigure', 'unplug'].includes(a.op)) {
    out.push(makeDiagnostic('HL3006', a.keywordSpan, [primary.message], { severity: 'info' }));
  }
  for (const e of evs) {
    if (e.kind === 'signal') {
      // A signal is an outcome, not a failure of the action; an unexpected one on the action itself
      // is already reported by HL5001 against its `=> RESULT`.
      out.push(makeDiagnostic('HL3003', a.keywordSpan, [e.message], { severity: 'info' }));
    }
    if (e.hazard) {
      const code = e.result === 'oops' ? 'HL4002' : HAZARD_CODE[e.hazard];
      const isExpected = (expectedHazards.get(e.hazard) ?? -1) >= a.line || (e.hazard === 'crash' && (expected === 'crash' || expected === 'oops'));
      out.push(makeDiagnostic(code, a.keywordSpan, [e.message], { severity: isExpected ? 'info' : 'warning', related: related(e) }));
    }
  }
  const assumed = evs.find((e) => e.assumed);
  if (assumed) out.push(makeDiagnostic('HL3007', a.keywordSpan, [`${assumed.message} (${assumed.rule}; see docs/semantics.md)`], { severity: 'info' }));
  return out;
}

function run(sim: Sim, a: Action): EventResult {
  const s = sim.state;
  switch (a.op) {
    case 'plug': {
      const dev = s.devices.get(a.device)!;
      if (dev.decl.kind === 'dimm') {
        if (dev.present) { sim.event({ kind: 'plug', subject: a.device, result: 'EEXIST', rule: 'R8-plug', message: `${a.device} is already plugged.` }); return 'EEXIST'; }
        plugDimm(sim, a.device);
        return 'ok';
      }
      const size = a.size ?? dev.decl.size - dev.plugged;
      if (!dev.driverBound || !dev.present) { sim.event({ kind: 'plug', subject: a.device, result: 'ENXIO', rule: 'R8-plug', message: `virtio_mem is not driving ${a.device}.` }); return 'ENXIO'; }
      if (size <= 0n || dev.plugged + size > dev.decl.size) { sim.event({ kind: 'plug', subject: a.device, result: 'E2BIG', rule: 'R8-plug', message: `${a.device} has ${formatSize(dev.decl.size - dev.plugged)} left to plug; ${formatSize(size)} does not fit.` }); return 'E2BIG'; }
      plugVirtio(sim, a.device, size, false);
      return 'ok';
    }
    case 'unplug': return unplug(sim, a.device, a.size);
    case 'surprise-remove': return surpriseRemove(sim, a.device);
    case 'replace': return replace(sim, a.device);
    case 'unbind': return unbind(sim, a.device);
    case 'bind': return bind(sim, a.device, a.driver);
    case 'reconfigure': return reconfigure(sim, a.device, a.mode, a);
    case 'mount': return mount(sim, a.fs);
    case 'umount': return umount(sim, a.fs);
    case 'reboot': return reboot(sim);
    case 'online': {
      const idx = targetBlocks(sim, a.target);
      if (idx.length === 0) return noBlocks(sim, 'online', targetName(a.target));
      const group = a.target.kind === 'device' ? idx : groupOf(sim, idx);
      return onlineBlocks(sim, idx, a.type, targetName(a.target), group).result;
    }
    case 'offline': {
      const idx = targetBlocks(sim, a.target);
      if (idx.length === 0) return noBlocks(sim, 'offline', targetName(a.target));
      return offlineBlocks(sim, idx, a.timeoutMs, targetName(a.target));
    }
    case 'remove': {
      const idx = targetBlocks(sim, a.target);
      if (idx.length === 0) return noBlocks(sim, 'remove', targetName(a.target));
      return removeBlocks(sim, idx, targetName(a.target));
    }
    case 'alloc': return alloc(sim, a);
    case 'free': return freeAlloc(sim, a.alloc);
    case 'mmap': return mmap(sim, a);
    case 'munmap': return munmap(sim, a.mapping);
    case 'pin': return pin(sim, a);
    case 'unpin': return unpin(sim, a.mapping);
    case 'touch': return touch(sim, a);
    case 'poison': return poison(sim, a);
    case 'soft-offline': return softOffline(sim, a);
    case 'unpoison': return unpoison(sim, a);
    case 'exit': return exitProcess(sim, a.process);
  }
}

function noBlocks(sim: Sim, kind: string, subject: string): EventResult {
  sim.event({ kind, subject, result: 'EINVAL', rule: 'R2.1-state', message: `${subject} has no memory blocks now (not plugged, not bound to kmem, or removed).` });
  return 'EINVAL';
}

/** The static memory group a block belongs to (all blocks of its owner). */
function groupOf(sim: Sim, idx: readonly number[]): number[] {
  const owners = new Set(idx.map((i) => sim.state.blocks.get(i)?.owner));
  // Hot-added blocks are always real (untouched boot RAM stays in runs: blockTable.ts).
  return [...sim.state.blocks.materialized()].filter((b) => owners.has(b.owner) && b.hotplugged).map((b) => b.index);
}

function reboot(sim: Sim): EventResult {
  const model = sim.state.model;
  const hardware = new Map([...sim.state.devices.entries()].map(([k, d]) => [k, { present: d.present, replaced: d.replaced }]));
  const signals = new Map([...sim.state.processes.entries()].map(([k, p]) => [k, p.signals]));
  Object.assign(sim.state, createState(model));
  // The hardware stays as it is now (a DIMM plugged at run time is there at boot; a removed CXL
  // device is not); everything else is probed afresh.
  for (const [k, h] of hardware) { const d = sim.state.devices.get(k)!; d.present = h.present; d.replaced = h.replaced; }
  for (const [k, sig] of signals) sim.state.processes.get(k)!.signals = sig;
  sim.event({ kind: 'reboot', subject: 'machine', result: 'ok', rule: 'R9-reboot', message: 'Reboot: every device is re-probed, burned ranges and poison records are cleared, processes start again (their earlier signals stay in the history).' });
  boot(sim);
  return 'ok';
}
