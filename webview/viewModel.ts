// The pure view model: Timeline (+ webview state) → everything render.ts draws, with no DOM.
// Tested in plain Node (test/webview/viewModel.test.ts).
import type { EventView, SpanJson, StepView, Timeline, Verdict } from '../language-server/protocol/index.js';
import { createAddressScale, type AddressScale } from './address.js';
import { buildAddressMap, type AddressMapView } from './addressMap.js';
import { eventDetail, eventLabel, eventToken, isHazard } from './eventStyle.js';
import { buildLanes, laneOfSubject, type Lane } from './lanes.js';
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
  readonly id: number;
  readonly token: Token;
  readonly label: string;
  readonly line: number;
  readonly span: SpanJson;
  #detail: string | undefined;

  constructor(private readonly event: EventView, private readonly at: StepView, readonly step: number, readonly lane: number, readonly hazard: boolean) {
    this.id = event.id;
    this.token = eventToken(event);
    this.label = eventLabel(event, at);
    this.line = event.line;
    this.span = event.span;
  }

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
  /** Sorted by step; `stepStart[i]..stepStart[i+1]` are the events of step i (fast windowing). */
  readonly events: readonly EventMark[];
  readonly stepStart: readonly number[];
  readonly scale: AddressScale;
  /** Data-exposure events, precomputed so a step change does not scan every event. */
  readonly exposures: readonly { readonly step: number; readonly text: string }[];
}

export function buildTimelineView(timeline: Timeline): TimelineView {
  const lanes = buildLanes(timeline);
  const index = new Map(lanes.map((l, i) => [l.key, i]));
  const events: EventMark[] = [];
  const stepStart: number[] = [];
  const steps: StepSummary[] = [];
  const exposures: { step: number; text: string }[] = [];
  timeline.steps.forEach((step, i) => {
    stepStart.push(events.length);
    let hazards = 0;
    for (const e of step.events) {
      const hazard = isHazard(e);
      if (hazard) hazards++;
      if (e.hazard === 'data-exposure') exposures.push({ step: i, text: `DATA EXPOSURE at step ${i} (line ${e.line + 1}): ${e.message}` });
      events.push(new Mark(e, step, i, laneOfSubject(e.subject, step, index), hazard));
    }
    steps.push({ index: i, label: step.label, line: step.line, firstLine: step.firstLine, lastLine: step.lastLine, crashed: step.state.crashed, hazards, differs: false });
  });
  stepStart.push(events.length);
  return { title: timeline.title, kernel: timeline.kernel, verdict: timeline.verdict, steps, lanes, events, stepStart, scale: createAddressScale(timeline.regions), exposures };
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
  return view.events.slice(view.stepStart[step] ?? 0, view.stepStart[step + 1] ?? 0);
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
  for (const x of view.exposures) if (x.step <= step) out.push(x.text);
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
