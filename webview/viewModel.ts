// The pure view model: Timeline (+ webview state) → everything render.ts draws, with no DOM.
// Tested in plain Node (test/webview/viewModel.test.ts).
import type { EventView, SpanJson, StepView, Timeline, Verdict } from '../language-server/protocol/index.js';
import { createAddressScale, type AddressScale } from './address.js';
import { buildAddressMap, type AddressMapView } from './addressMap.js';
import { eventDetail, eventLabel, eventToken, isHazard } from './eventStyle.js';
import { buildLanes, laneIndex, laneOfSubject, type Lane } from './lanes.js';
import type { Token } from './palette.js';
import type { WebviewState } from './state.js';

export interface EventMark {
  readonly id: number;
  readonly step: number;
  readonly lane: number;
  readonly token: Token;
  readonly hazard: boolean;
  readonly label: string;
  readonly detail: string;
  readonly line: number;
  readonly span: SpanJson;
}

/**
 * An event mark whose hover text is built on first use: building 100,000 detail strings up
 * front was half the cost of a push, and only a handful are ever looked at.
 */
class Mark implements EventMark {
  #detail: string | undefined;

  constructor(private readonly event: EventView, private readonly at: StepView, readonly step: number, readonly lane: number, readonly hazard: boolean, private readonly style: { readonly token: Token; readonly label: string }) {}

  // Getters rather than copied fields: six fields per mark instead of twelve keeps a 100,000-event
  // build out of the garbage collector.
  get id(): number { return this.event.id; }
  get line(): number { return this.event.line; }
  get span(): SpanJson { return this.event.span; }
  get token(): Token { return this.style.token; }
  get label(): string { return this.style.label; }

  get detail(): string {
    return (this.#detail ??= eventDetail(this.event, this.at));
  }
}

export interface StepSummary {
  readonly index: number;
  readonly label: string;
  readonly line: number;
  readonly firstLine: number;
  readonly lastLine: number;
  readonly crashed: boolean;
  readonly hazards: number;
  /** Compare mode: the two kernels differ at this step. */
  readonly differs: boolean;
}

export interface TimelineView {
  readonly title: string;
  readonly kernel: string;
  readonly verdict: Verdict;
  readonly steps: readonly StepSummary[];
  readonly lanes: readonly Lane[];
  /** The marks of one step, built on first use (a first render only builds the visible steps'). */
  marksOf(step: number): readonly EventMark[];
  /** Events over all steps (reads every step: not for a render path). */
  eventCount(): number;
  readonly scale: AddressScale;
  /** Data-exposure banners of steps 0..step (events are scanned once, as far as asked). */
  exposuresUpTo(step: number): readonly string[];
}

export function buildTimelineView(timeline: Timeline): TimelineView {
  const lanes = buildLanes(timeline);
  const index = laneIndex(lanes);
  // Token and label depend on kind, result and hazard only (a SIGBUS label also on the step's
  // signals): memoised, so 100,000 events cost 100,000 map lookups, not string building.
  const styles = new Map<string, Map<string, { token: Token; label: string }>>();
  const styleOf = (e: EventView, step: StepView) => {
    if (e.result === 'SIGBUS') return { token: eventToken(e), label: eventLabel(e, step) };
    let byResult = styles.get(e.kind);
    if (!byResult) { byResult = new Map(); styles.set(e.kind, byResult); }
    const key = e.hazard === undefined ? e.result : `${e.result}\u0000${e.hazard}`;
    let style = byResult.get(key);
    if (!style) { style = { token: eventToken(e), label: eventLabel(e, step) }; byResult.set(key, style); }
    return style;
  };
  // Nothing here walks every event: a first render of 100,000 events runs cold (unoptimised)
  // code, where one pass over all events costs tens of milliseconds. Hazard counts and
  // exposures are worked out per step when first asked for.
  const hazardCounts: (number | undefined)[] = [];
  const hazardsOf = (i: number): number => {
    let n = hazardCounts[i];
    if (n === undefined) {
      n = 0;
      for (const e of timeline.steps[i]?.events ?? []) if (isHazard(e)) n++;
      hazardCounts[i] = n;
    }
    return n;
  };
  const steps: StepSummary[] = timeline.steps.map((step, i) => ({
    index: i, label: step.label, line: step.line, firstLine: step.firstLine, lastLine: step.lastLine, crashed: step.state.crashed, differs: false,
    get hazards() { return hazardsOf(i); },
  }));
  const exposures: string[] = [];
  const exposureEnd: number[] = [];
  const exposuresUpTo = (step: number): readonly string[] => {
    for (let i = exposureEnd.length; i <= step && i < timeline.steps.length; i++) {
      for (const e of timeline.steps[i]!.events) if (e.hazard === 'data-exposure') exposures.push(`DATA EXPOSURE at step ${i} (line ${e.line + 1}): ${e.message}`);
      exposureEnd.push(exposures.length);
    }
    return exposures.slice(0, exposureEnd[Math.min(step, exposureEnd.length - 1)] ?? 0);
  };
  const marks: (EventMark[] | undefined)[] = new Array<EventMark[] | undefined>(timeline.steps.length);
  const marksOf = (i: number): readonly EventMark[] => {
    const step = timeline.steps[i];
    if (!step) return [];
    let list = marks[i];
    if (!list) {
      list = step.events.map((e) => new Mark(e, step, i, laneOfSubject(e.subject, step, index), isHazard(e), styleOf(e, step)));
      marks[i] = list;
    }
    return list;
  };
  return { title: timeline.title, kernel: timeline.kernel, verdict: timeline.verdict, steps, lanes, marksOf, eventCount: () => timeline.steps.reduce((n, st) => n + st.events.length, 0), scale: createAddressScale(timeline.regions), exposuresUpTo };
}

export interface ViewModel {
  readonly view: TimelineView;
  readonly step: number;
  readonly map: AddressMapView;
  /** The live-region sentence for the selected step. */
  readonly announcement: string;
  readonly stepEvents: readonly EventMark[];
  /** Loud banners: crash, data exposure, stale mappings, burned ranges at or before this step. */
  readonly alerts: readonly string[];
}

export function clampStep(step: number, count: number): number {
  if (!Number.isFinite(step) || count <= 0) return 0;
  return Math.max(0, Math.min(Math.trunc(step), count - 1));
}

export function eventsOfStep(view: TimelineView, step: number): readonly EventMark[] {
  return view.marksOf(step);
}

export function announce(view: TimelineView, step: number): string {
  const s = view.steps[step];
  if (!s) return 'No timeline.';
  const events = eventsOfStep(view, step);
  const outcomes = events.slice(0, 3).map((e) => e.label).join(', ');
  const more = events.length > 3 ? ` and ${events.length - 3} more` : '';
  const hazard = s.hazards > 0 ? ` ${s.hazards} hazard${s.hazards === 1 ? '' : 's'}.` : '';
  const crash = s.crashed ? ' Machine crashed.' : '';
  return `Step ${step} of ${view.steps.length - 1}: ${s.label}.${outcomes ? ` ${outcomes}${more}.` : ''}${hazard}${crash}`;
}

function alertsUpTo(timeline: Timeline, view: TimelineView, step: number): string[] {
  const out: string[] = [];
  const s = timeline.steps[step];
  if (!s) return out;
  if (s.state.crashed) out.push(`CRASH${s.state.crashReason ? `: ${s.state.crashReason}` : ''}`);
  // An exposure stays on screen after its step: the new tenant's data has already leaked.
  out.push(...view.exposuresUpTo(step));
  const stale = s.state.mappings.filter((m) => m.state === 'stale').map((m) => `${m.process}:${m.name}`);
  if (stale.length > 0) out.push(`Stale mapping${stale.length > 1 ? 's' : ''}: ${stale.join(', ')}`);
  const burned = s.state.resources.filter((r) => r.state === 'burned').map((r) => r.name);
  if (burned.length > 0) out.push(`Burned until reboot: ${burned.join(', ')}`);
  return out;
}

export function buildViewModel(timeline: Timeline, state: Pick<WebviewState, 'step'>, view: TimelineView = buildTimelineView(timeline)): ViewModel {
  const step = clampStep(state.step, view.steps.length);
  return {
    view, step,
    map: buildAddressMap(timeline, step, view.scale),
    announcement: announce(view, step),
    stepEvents: eventsOfStep(view, step),
    alerts: alertsUpTo(timeline, view, step),
  };
}
