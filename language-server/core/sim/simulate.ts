// simulate(model) → timeline + HL3/HL4/HL5 diagnostics. A pure function of the model: the same
// scenario always gives the same timeline (no clocks, no randomness).

import { formatSize, hex } from '../check/layout.js';
import { formatVersion, type Action, type Model } from '../check/model.js';
import { KNOBS } from '../check/knobs.js';
import type { Diagnostic, RelatedInfo } from '../diagnostics/diagnostic.js';
import { makeDiagnostic, type DiagnosticCode } from '../diagnostics/codes.js';
import type { HazardKind } from '../syntax/grammar.js';
import { Sim, type RecordedEvent, type SimCounters } from './context.js';
import { equalsCheckpoint, indexModel, restoreCheckpoint, takeCheckpoint, type LineMap, type ModelIndex, withLines } from './checkpoint.js';
import type { SimState } from './state.js';
import { boot, createState, plugDimm } from './boot.js';
import { plugVirtio } from './virtioMem.js';
import { bind, mount, reconfigure, replace, surpriseRemove, umount, unbind, unplug } from './devices.js';
import { evaluate } from './expect.js';
import { poison, softOffline, unpoison } from './failure.js';
import { offlineBlocks, onlineBlocks, removeRange } from './memory.js';
import { targetBlocks, targetName } from './targets.js';
import { alloc, exitProcess, freeAlloc, mmap, munmap, pin, touch, unpin } from './userspace.js';
import { snapshot } from './views.js';
import { TIMELINE_SCHEMA_VERSION, type CauseView, type EventResult, type EventView, type SpanJson, type StateView, type StepView, type Timeline } from './timeline.js';

export interface SimulationResult {
  readonly timeline: Timeline;
  readonly diagnostics: Diagnostic[];
}

/**
 * Resource limits (analyze.ts passes DEFAULT_LIMITS): the simulation stops cleanly, with HL1023 on
 * the statement where a limit was passed, and the timeline ends with that step.
 */
export interface SimulationLimits {
  /** Events recorded, over the whole scenario (boot included). */
  readonly maxEvents: number;
  /** Ranges memory is split into in the state views (block runs + poison records), summed over
   *  the timeline's steps: what a long scenario's timeline costs to hold and send. */
  readonly maxRanges: number;
}

export function simulate(model: Model, limits?: SimulationLimits): SimulationResult {
  const run = startRun(model, false, limits);
  for (let si = 0; si < model.steps.length && !run.stopped; si++) runStep(run, si);
  return finish(run, run.sim.state.crashed);
}

/** Ranges of one step's state view (see SimulationLimits.maxRanges). */
function rangesOf(s: StepView): number {
  return s.state.blocks.length + s.state.poison.length;
}

/** Whether the old run's steps after `next` can complete this run without passing a limit (the
 *  old run must have run to the end, and the totals with its tail stay within the limits). */
function tailWithinLimits(run: Run, old: SimMemo, next: number): boolean {
  if (old.steps.length !== old.model.steps.length + 1) return false;
  if (!run.limits) return true;
  const lastCp = old.checkpoints[old.checkpoints.length - 1];
  const cp = old.checkpoints[next];
  if (!lastCp || !cp) return false;
  const events = run.sim.counters().nextId - 1 + (lastCp.counters.nextId - cp.counters.nextId);
  if (events > run.limits.maxEvents) return false;
  let ranges = run.ranges;
  for (let t = next + 1; t < old.steps.length; t++) ranges += rangesOf(old.steps[t]!);
  return ranges <= run.limits.maxRanges;
}

// ---- incremental simulation ----------------------------------------------------------------
// The simulation is a reducer over steps. `simulateIncremental` keeps the state after every step
// (a checkpoint: checkpoint.ts copies the state generically) with that step's view and
// diagnostics. After an edit it resumes from the checkpoint before the first changed step, and
// after each re-simulated step that is followed only by unchanged steps it compares the state
// with the old run's at the same step: when equal (and the recorder's counters agree), the old
// run's later steps are what a full run would produce, up to the shift of offsets and event ids,
// and are reused. The result is identical to simulate() (tested over every example with random
// edits).

/** Where two texts differ, widened to whole lines: old [start, oldEnd) became new [start, newEnd). */
export interface LineEdit {
  /** Offset of the first changed line (the same in both texts). */
  readonly start: number;
  /** Offset just after the last changed line in the old text (after its newline). */
  readonly oldEnd: number;
  readonly newEnd: number;
  /** Lines added (negative: removed). */
  readonly lineDelta: number;
  /** 0-based line of `start`, and how many old lines the edit covers (lines from `line +
   *  oldLines` on are unchanged, moved by lineDelta). */
  readonly line: number;
  readonly oldLines: number;
}

/** Old line → new line across an edit; NaN for an edited line. */
export function lineMapOf(edit: LineEdit): LineMap {
  const end = edit.line + edit.oldLines;
  return (l) => (l < edit.line ? l : l >= end ? l + edit.lineDelta : NaN);
}

/** The line-wide difference of two texts (common prefix and suffix, cut at line boundaries). */
export function lineEdit(oldText: string, newText: string): LineEdit {
  const max = Math.min(oldText.length, newText.length);
  // Whole blocks first (a native comparison), then characters.
  const B = 512;
  let p = 0;
  while (p + B <= max && oldText.slice(p, p + B) === newText.slice(p, p + B)) p += B;
  while (p < max && oldText.charCodeAt(p) === newText.charCodeAt(p)) p++;
  let s = 0;
  const ol = oldText.length, nl0 = newText.length;
  while (s + B <= max - p && oldText.slice(ol - s - B, ol - s) === newText.slice(nl0 - s - B, nl0 - s)) s += B;
  while (s < max - p && oldText.charCodeAt(ol - 1 - s) === newText.charCodeAt(nl0 - 1 - s)) s++;
  const start = p === 0 ? 0 : oldText.lastIndexOf('\n', p - 1) + 1;
  let oldEnd = oldText.length - s;
  // Widen to the end of the line (after its newline), in both texts by the same amount.
  const nl = oldText.indexOf('\n', Math.max(oldEnd - 1, start));
  const widen = nl < 0 ? oldText.length - oldEnd : nl + 1 - oldEnd;
  oldEnd += widen;
  const newEnd = newText.length - s + widen;
  const lines = (t: string, a: number, b: number) => { let n = 0; for (let i = t.indexOf('\n', a); i >= 0 && i < b; i = t.indexOf('\n', i + 1)) n++; return n; };
  const oldLines = lines(oldText, start, oldEnd) + (oldEnd === oldText.length ? 1 : 0);
  return { start, oldEnd, newEnd, lineDelta: lines(newText, start, newEnd) - lines(oldText, start, oldEnd), line: lines(oldText, 0, start), oldLines };
}

/** A run kept to make the next one incremental. Treat as opaque. */
export interface SimMemo {
  readonly model: Model;
  /** Timeline steps (0 = boot), their diagnostics and the state after each. */
  readonly steps: readonly StepView[];
  readonly diagnostics: readonly (readonly Diagnostic[])[];
  readonly checkpoints: readonly Checkpoint[];
  readonly expectedHazards: ReadonlyMap<HazardKind, number>;
}

interface Checkpoint {
  /** takeCheckpoint() copy: model objects are ModelRefs. */
  readonly state: SimState;
  readonly counters: SimCounters;
  readonly failedExpectations: number;
  readonly failedOperations: number;
  readonly crashLine: number;
  readonly hazardEvents: number;
  /** Line moves to apply to the lines stored in `state` (and crashLine), oldest first: the
   *  checkpoint was taken before edits that added or removed lines above those lines. */
  readonly moved?: readonly { readonly from: number; readonly delta: number }[];
}

/** The lines of a checkpoint in the current text's numbering. */
function movedLines(c: Checkpoint): LineMap | undefined {
  const moves = c.moved;
  if (!moves?.length) return undefined;
  return (l) => { let x = l; for (const m of moves) if (x >= m.from) x += m.delta; return x; };
}

export interface IncrementalResult {
  readonly result: SimulationResult;
  readonly memo: SimMemo;
  /** Timeline steps actually simulated (the others were reused). */
  readonly simulated: number;
}

export function simulateIncremental(model: Model, previous?: { readonly memo: SimMemo; readonly edit: LineEdit }, limits?: SimulationLimits): IncrementalResult {
  const resumed = previous ? resume(model, previous.memo, previous.edit, limits) : undefined;
  const run = resumed?.run ?? startRun(model, true, limits);
  let simulated = resumed ? 0 : 1;
  const old = previous?.memo;
  const edit = previous?.edit;
  // Old steps from `suffix` on (model indices) are unchanged, only moved: candidates for reuse.
  const suffix = old && edit && resumed ? unchangedSuffix(old.model, model, edit) : Infinity;
  for (let si = resumed?.from ?? 0; si < model.steps.length && !run.stopped; si++) {
    runStep(run, si);
    simulated++;
    if (si + 1 >= suffix && si + 1 < model.steps.length && !run.stopped && tailWithinLimits(run, old!, si + 1)) {
      const tail = reuseTail(run, old!, edit!, si + 1);
      if (tail) return { result: tail.result, memo: tail.memo, simulated };
    }
  }
  const result = finish(run, run.sim.state.crashed);
  return { result, memo: memoOf(run), simulated };
}

function memoOf(run: Run): SimMemo {
  return { model: run.model, steps: run.steps, diagnostics: run.diagnostics, checkpoints: run.checkpoints!, expectedHazards: run.expectedHazards };
}

/** A run restored from the checkpoint before the first changed step, or undefined (run from boot). */
function resume(model: Model, memo: SimMemo, edit: LineEdit, limits: SimulationLimits | undefined): { run: Run; from: number } | undefined {
  const index = indexModel(model);
  // Everything but the steps (declarations, knobs, kernel) must be the same.
  if (!equalsCheckpoint({ ...model, steps: [] }, { ...memo.model, steps: [] }, index)) return undefined;
  const expectedHazards = collectExpectedHazards(model);
  // Lines of `expect hazard` after the edit move with it.
  const map = lineMapOf(edit);
  if (expectedHazards.size !== memo.expectedHazards.size || [...memo.expectedHazards].some(([k, l]) => expectedHazards.get(k) !== map(l))) return undefined;
  const os = memo.model.steps, ns = model.steps;
  // Model step r is unchanged when the next step's header line ends before the edit: its lines,
  // and where it ends, are the same text at the same offsets. The boot step ends where the first
  // step starts, so that header must be before the edit too.
  const first = os[0];
  if (!first || !ns[0] || first.span.start + first.span.length >= edit.start || ns[0].span.start !== first.span.start) return undefined;
  let r = 0;
  while (r + 1 < os.length && r + 1 < ns.length) {
    const next = os[r + 1]!;
    if (next.span.start + next.span.length >= edit.start) break;
    if (ns[r + 1]!.span.start !== next.span.start || ns[r]!.span.start !== os[r]!.span.start) break;
    r++;
  }
  // Timeline step r (model steps 0..r-1, plus boot) is reused; simulation resumes at model step r.
  const cp = memo.checkpoints[r];
  if (!cp) return undefined;
  const moved = movedLines(cp);
  const state = restoreCheckpoint(cp.state, index, moved);
  if (!state) return undefined;
  const sim = new Sim(state);
  sim.resume(cp.counters);
  const run: Run = {
    model, sim, index, expectedHazards,
    steps: memo.steps.slice(0, r + 1), diagnostics: memo.diagnostics.slice(0, r + 1), checkpoints: memo.checkpoints.slice(0, r + 1),
    failedExpectations: cp.failedExpectations, failedOperations: cp.failedOperations, crashLine: cp.crashLine >= 0 && moved ? moved(cp.crashLine) : cp.crashLine, hazardEvents: cp.hazardEvents,
    limits, ranges: 0, stopped: false,
  };
  for (const sv of run.steps) run.ranges += rangesOf(sv);
  return { run, from: r };
}

/**
 * The first model step from which every old step is unchanged text after the edit, only moved by
 * the edit's length (and the same model modulo that shift); Infinity when there is none. Only for
 * edits that keep the line count (line numbers are in the state and the views).
 */
function unchangedSuffix(oldModel: Model, model: Model, edit: LineEdit): number {
  const os = oldModel.steps, ns = model.steps;
  if (os.length !== ns.length) return Infinity;
  const delta = edit.newEnd - edit.oldEnd;
  const map = lineMapOf(edit);
  let j = os.length;
  while (j > 0 && os[j - 1]!.span.start >= edit.oldEnd && equalShifted(ns[j - 1], os[j - 1], delta, edit.oldEnd, map)) j--;
  return j === os.length ? Infinity : j;
}

/** Deep equality where every span ({start, length}) of `b` lies after `from` and is moved by `delta` in `a`. */
function equalShifted(a: unknown, b: unknown, delta: number, from: number, map: LineMap): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equalShifted(a[i], b[i], delta, from, map)) return false;
    return true;
  }
  const ak = Object.keys(a), bk = Object.keys(b);
  if (ak.length !== bk.length) return false;
  const ra = a as Record<string, unknown>, rb = b as Record<string, unknown>;
  if (ak.length === 2 && ak[0] === 'start' && ak[1] === 'length' && typeof rb['start'] === 'number') {
    return bk[0] === 'start' && bk[1] === 'length' && rb['start'] >= from && ra['start'] === rb['start'] + delta && ra['length'] === rb['length'];
  }
  for (let i = 0; i < ak.length; i++) {
    const k = ak[i]!;
    if (k !== bk[i]) return false;
    if (k === 'line' && typeof rb[k] === 'number') { if (ra[k] !== map(rb[k])) return false; continue; }
    if (!equalShifted(ra[k], rb[k], delta, from, map)) return false;
  }
  return true;
}

/**
 * After model step `next - 1` was re-simulated: if its state equals the old run's at the same
 * step, the old run's steps from `next` on, moved by the edit, complete this run.
 */
function reuseTail(run: Run, old: SimMemo, edit: LineEdit, next: number): { result: SimulationResult; memo: SimMemo } | undefined {
  const oldCp = old.checkpoints[next];
  const last = old.checkpoints[old.checkpoints.length - 1];
  if (!oldCp || !last) return undefined;
  const map = lineMapOf(edit);
  const moved = movedLines(oldCp);
  const oldLine: LineMap = moved ? (l) => map(moved(l)) : map;
  if (run.crashLine !== (oldCp.crashLine < 0 ? -1 : oldLine(oldCp.crashLine))) return undefined;
  // HL3005's message names the crash line: with lines moving, a tail simulated while crashed is
  // not reused.
  if (edit.lineDelta !== 0 && old.checkpoints.slice(next).some((c) => c.crashLine >= 0)) return undefined;
  const counters = run.sim.counters();
  const h = counters.hazards, oh = oldCp.counters.hazards;
  if (h.length !== oh.length || h.some(([k, n], i) => oh[i]![0] !== k || oh[i]![1] !== n)) return undefined;
  if (!equalsCheckpoint(run.sim.state, oldCp.state, run.index!, oldLine)) return undefined;
  const delta = edit.newEnd - edit.oldEnd;
  const idShift = counters.nextId - oldCp.counters.nextId;
  // Offsets before the edit stay, after it move; anything inside it cannot be mapped.
  const at = (start: number, length: number): number => (start >= edit.oldEnd ? start + delta : start < edit.start && start + length <= edit.start ? start : -1);
  const span = (sp: SpanJson): SpanJson | undefined => { const s = at(sp.start, sp.length); return s < 0 ? undefined : delta === 0 || s === sp.start ? sp : { start: s, length: sp.length }; };
  const steps: StepView[] = [];
  const diagnostics: Diagnostic[][] = [];
  const lineDelta = edit.lineDelta;
  let lost = false;
  const line = (l: number): number => { const n = map(l); if (Number.isNaN(n)) lost = true; return n; };
  // With lines moving, the state views that hold lines (under `line`) are copied, in one pass so
  // that views shared between steps stay shared.
  const states = lineDelta === 0 ? undefined : withLines(old.steps.slice(next + 1).map((sv) => sv.state), line);
  for (let t = next + 1; t < old.steps.length; t++) {
    const sv = old.steps[t]!;
    const stepSpan = sv.span ? span(sv.span) : null;
    if (stepSpan === undefined) return undefined;
    const events: EventView[] = [];
    for (const e of sv.events) {
      const es = span(e.span);
      if (!es) return undefined;
      let causes = e.causes;
      if (causes.length) {
        const movedCauses: CauseView[] = [];
        for (const c of causes) { const cs = span(c.span); if (!cs) return undefined; movedCauses.push(cs === c.span && lineDelta === 0 ? c : { line: line(c.line), span: cs, message: c.message }); }
        causes = movedCauses;
      }
      if (idShift === 0 && lineDelta === 0 && es === e.span && causes === e.causes) { events.push(e); continue; }
      const view: { -readonly [K in keyof EventView]: EventView[K] } = {
        id: e.id + idShift, line: line(e.line), span: es, kind: e.kind, subject: e.subject, result: e.result, message: e.message,
        rule: e.rule, source: e.source, log: e.log, causes, assumed: e.assumed,
      };
      if (e.hazard !== undefined) view.hazard = e.hazard;
      events.push(view);
    }
    const state: StateView = states ? states[t - next - 1]! : sv.state;
    steps.push(lineDelta === 0 ? { ...sv, span: stepSpan, events } : { ...sv, line: line(sv.line), span: stepSpan, firstLine: line(sv.firstLine), lastLine: line(sv.lastLine), events, state });
    if (lost) return undefined;
    const ds: Diagnostic[] = [];
    for (const d of old.diagnostics[t]!) {
      const s = at(d.start, d.length);
      if (s < 0) return undefined;
      let related = d.related;
      if (related) {
        const moved: RelatedInfo[] = [];
        for (const r of related) { const rs = span(r.span); if (!rs) return undefined; moved.push(rs === r.span ? r : { ...r, span: rs }); }
        related = moved;
      }
      ds.push(s === d.start && related === d.related ? d : { ...d, start: s, ...(related ? { related } : {}) });
    }
    diagnostics.push(ds);
  }
  const dFe = run.failedExpectations - oldCp.failedExpectations, dFo = run.failedOperations - oldCp.failedOperations, dHz = run.hazardEvents - oldCp.hazardEvents;
  const move = lineDelta === 0 ? undefined : { from: edit.line + edit.oldLines, delta: lineDelta };
  const checkpoints = old.checkpoints.slice(next + 1).map((c): Checkpoint => ({
    state: c.state, counters: { nextId: c.counters.nextId + idShift, hazards: c.counters.hazards },
    failedExpectations: c.failedExpectations + dFe, failedOperations: c.failedOperations + dFo, crashLine: c.crashLine, hazardEvents: c.hazardEvents + dHz,
    ...(move ? { moved: [...(c.moved ?? []), move] } : c.moved ? { moved: c.moved } : {}),
  }));
  const whole: Run = {
    ...run,
    steps: [...run.steps, ...steps], diagnostics: [...run.diagnostics, ...diagnostics], checkpoints: [...run.checkpoints!, ...checkpoints],
    failedExpectations: last.failedExpectations + dFe, failedOperations: last.failedOperations + dFo, crashLine: last.crashLine, hazardEvents: last.hazardEvents + dHz,
  };
  return { result: finish(whole, last.state.crashed), memo: memoOf(whole) };
}

// ---- one run ---------------------------------------------------------------------------------

interface Run {
  readonly model: Model;
  readonly sim: Sim;
  readonly expectedHazards: Map<HazardKind, number>;
  /** Timeline steps so far (0 = boot) and each one's diagnostics. */
  readonly steps: StepView[];
  readonly diagnostics: (readonly Diagnostic[])[];
  /** The state after each timeline step, when kept (simulateIncremental). */
  readonly checkpoints: Checkpoint[] | undefined;
  readonly index: ModelIndex | undefined;
  failedExpectations: number;
  failedOperations: number;
  /** Line of the action that crashed the kernel while it stays crashed, else -1. */
  crashLine: number;
  /** Hazard events so far. */
  hazardEvents: number;
  readonly limits: SimulationLimits | undefined;
  /** Ranges of the state views so far (SimulationLimits.maxRanges). */
  ranges: number;
  /** A limit was passed: no further step is simulated. */
  stopped: boolean;
}

function checkpoint(run: Run): void {
  if (!run.checkpoints) return;
  run.checkpoints.push({
    state: takeCheckpoint(run.sim.state, run.index!), counters: run.sim.counters(),
    failedExpectations: run.failedExpectations, failedOperations: run.failedOperations, crashLine: run.crashLine, hazardEvents: run.hazardEvents,
  });
}

function startRun(model: Model, keepCheckpoints: boolean, limits: SimulationLimits | undefined): Run {
  const sim = new Sim(createState(model));
  const run: Run = {
    model, sim, expectedHazards: collectExpectedHazards(model), steps: [], diagnostics: [],
    checkpoints: keepCheckpoints ? [] : undefined, index: keepCheckpoints ? indexModel(model) : undefined,
    failedExpectations: 0, failedOperations: 0, crashLine: -1, hazardEvents: 0, limits, ranges: 0, stopped: false,
  };
  sim.step = 0;
  sim.begin({ line: -1, span: { start: 0, length: 0 } });
  boot(sim);
  for (const e of sim.events) if (e.hazard !== undefined) run.hazardEvents++;
  run.steps.push({ index: 0, label: 'boot', line: -1, span: null, firstLine: 0, lastLine: Math.max(0, (model.steps[0]?.line ?? 1) - 1), events: sim.events.map(toView), state: snapshot(sim) });
  run.ranges += rangesOf(run.steps[0]!);
  sim.events.length = 0;
  run.diagnostics.push([]);
  checkpoint(run);
  return run;
}

function runStep(run: Run, si: number): void {
  const { sim, model, expectedHazards } = run;
  const diagnostics: Diagnostic[] = [];
  const st = model.steps[si]!;
  sim.step = si + 1;
  sim.stepLog = [];
  const before = sim.events.length;
  // Events recorded before this step (ids count every event); this step's are in sim.events.
  const eventsBefore = run.limits ? run.sim.counters().nextId - 1 - before : 0;
  sim.begin(st);
  for (const item of st.items) {
    if (item.kind === 'expect') {
      const e = item.expect;
      const v = evaluate(sim, e);
      if (!v.ok) {
        run.failedExpectations++;
        diagnostics.push(makeDiagnostic('HL5002', e.span, [v.expected, v.found], { data: { found: v.found, ...(v.actual !== undefined ? { actual: v.actual } : {}) } }));
      }
      continue;
    }
    const a = item.action;
    if (sim.state.crashed && a.op !== 'reboot') {
      diagnostics.push(makeDiagnostic('HL3005', a.keywordSpan, [run.crashLine + 1, 'Reboot to continue.']));
      continue;
    }
    sim.begin(a);
    const evStart = sim.events.length;
    const returned = runAction(sim, a);
    const evs = sim.events.slice(evStart);
    const outcome = actionOutcome(returned, evs);
    if (sim.state.crashed && run.crashLine < 0) run.crashLine = a.line;
    if (!sim.state.crashed) run.crashLine = -1;
    const expected = a.expected?.result;
    if (expected !== undefined && expected !== outcome) {
      const primary = evs.find((e) => e.primary);
      diagnostics.push(makeDiagnostic('HL5001', a.expected!.span, [expected, outcome, primary?.message ?? 'see the timeline'], { data: { simulated: outcome } }));
      run.failedExpectations++;
    }
    if (isFailure(outcome) && expected === undefined) run.failedOperations++;
    diagnostics.push(...diagnosticsFor(a, evs, outcome, expectedHazards));
    if (run.limits && eventsBefore + sim.events.length > run.limits.maxEvents) {
      diagnostics.push(makeDiagnostic('HL1023', a.span, [`more than ${run.limits.maxEvents} simulator events; the simulation stopped after this statement`]));
      run.stopped = true;
      break;
    }
  }
  const recorded = sim.events.slice(before);
  for (const e of recorded) if (e.hazard !== undefined) run.hazardEvents++;
  // Earlier events are not needed again (each step reads only its own).
  sim.events.length = 0;
  const events = recorded.map(toView);
  const next = model.steps[si + 1];
  const lastItem = st.items[st.items.length - 1];
  const lastLine = next ? next.line - 1 : lastItem ? (lastItem.kind === 'action' ? lastItem.action.line : lastItem.expect.line) : st.line;
  const view: StepView = { index: si + 1, label: st.label ?? `step ${si + 1}`, line: st.line, span: st.span, firstLine: st.line, lastLine: Math.max(st.line, lastLine), events, state: snapshot(sim) };
  run.steps.push(view);
  run.ranges += rangesOf(view);
  if (run.limits && !run.stopped && run.ranges > run.limits.maxRanges) {
    diagnostics.push(makeDiagnostic('HL1023', st.span, [`more than ${run.limits.maxRanges} memory ranges in the timeline's states (block runs and poison records, summed over steps); the simulation stopped after this step`]));
    run.stopped = true;
  }
  run.diagnostics.push(diagnostics);
  checkpoint(run);
}

function finish(run: Run, crashed: string | undefined): SimulationResult {
  const { model } = run;
  const hazards = run.hazardEvents;
  const { failedExpectations, failedOperations } = run;
  const parts: string[] = [];
  if (crashed) parts.push('kernel crashed');
  if (hazards) parts.push(`${hazards} hazard${hazards > 1 ? 's' : ''}`);
  if (failedExpectations) parts.push(`${failedExpectations} failed expectation${failedExpectations > 1 ? 's' : ''}`);
  if (failedOperations) parts.push(`${failedOperations} unexpected failure${failedOperations > 1 ? 's' : ''}`);
  if (run.stopped) parts.push('stopped at a resource limit (HL1023)');
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
    steps: run.steps,
    verdict: { hazards, failedExpectations, failedOperations, crashed: crashed !== undefined, summary: parts.length ? parts.join(', ') : 'clean' },
  };
  const diagnostics: Diagnostic[] = [];
  for (const ds of run.diagnostics) for (const d of ds) diagnostics.push(d);
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
    virtio_mem_force_bbm: k.virtioMemForceBbm ? 'on' : 'off', virtio_mem_bbm_block_size: formatSize(k.virtioMemBbmBlockSize), virtio_mem_unplug_online: k.virtioMemUnplugOnline ? 'on' : 'off',
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

function runAction(sim: Sim, a: Action): EventResult {
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
      return removeRange(sim, idx, targetName(a.target));
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
