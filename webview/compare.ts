// Compare mode: one scenario under two kernels. Lanes are paired (A row, then B row) so the
// outcome that differs sits right under its twin; differing cells and steps are flagged.
import type { CompareDifference, CompareResult, Timeline } from '../language-server/protocol/index.js';
import { createAddressScale } from './address.js';
import { buildAddressMap, type AddressMapView } from './addressMap.js';
import { cellAt, type Cell, type Lane } from './lanes.js';
import { buildTimelineView, type EventMark, type TimelineView } from './viewModel.js';

export interface Difference {
  readonly step: number;
  readonly subject: string;
  readonly a: string;
  readonly b: string;
}

/** Differences computed from the two timelines: event outcomes, device status, mapping state, crash. */
export function diffTimelines(a: Timeline, b: Timeline): Difference[] {
  const out: Difference[] = [];
  const n = Math.max(a.steps.length, b.steps.length);
  for (let i = 0; i < n; i++) {
    const sa = a.steps[i];
    const sb = b.steps[i];
    if (!sa || !sb) { out.push({ step: i, subject: 'step', a: sa ? sa.label : '(none)', b: sb ? sb.label : '(none)' }); continue; }
    const outcomes = (s: typeof sa) => new Map(s.events.map((e) => [`${e.kind} ${e.subject}`, `${e.result}${e.hazard ? ` [${e.hazard}]` : ''}`]));
    const oa = outcomes(sa);
    const ob = outcomes(sb);
    for (const key of new Set([...oa.keys(), ...ob.keys()])) {
      if (oa.get(key) !== ob.get(key)) out.push({ step: i, subject: key, a: oa.get(key) ?? '—', b: ob.get(key) ?? '—' });
    }
    const maps = (s: typeof sa) => new Map(s.state.mappings.map((m) => [m.name, m.state as string]));
    const ma = maps(sa);
    const mb = maps(sb);
    for (const key of new Set([...ma.keys(), ...mb.keys()])) {
      if (ma.get(key) !== mb.get(key)) out.push({ step: i, subject: `mapping ${key}`, a: ma.get(key) ?? '—', b: mb.get(key) ?? '—' });
    }
    if (sa.state.crashed !== sb.state.crashed) out.push({ step: i, subject: 'crash', a: String(sa.state.crashed), b: String(sb.state.crashed) });
  }
  return out;
}

export interface CompareView {
  readonly kernels: readonly [string, string];
  readonly view: TimelineView;
  readonly differences: readonly Difference[];
}

function mergeDifferences(own: Difference[], server: readonly CompareDifference[]): Difference[] {
  const key = (d: Difference) => `${d.step}\u0000${d.subject}`;
  const seen = new Set(own.map(key));
  const out = [...own];
  for (const d of server) if (!seen.has(key(d))) { seen.add(key(d)); out.push({ step: d.step, subject: d.subject, a: d.a, b: d.b }); }
  return out.sort((x, y) => x.step - y.step);
}

/** Builds one interleaved view: each lane of A followed by the same lane of B. */
export function compareView(result: CompareResult): CompareView | null {
  const [ta, tb] = result.timelines;
  if (!ta || !tb) return null;
  const va = buildTimelineView(ta);
  const vb = buildTimelineView(tb);
  const [ka, kb] = result.kernels;
  const keys = [...new Set([...va.lanes.map((l) => l.key), ...vb.lanes.map((l) => l.key)])];
  const steps = Math.max(va.steps.length, vb.steps.length);
  const lanes: Lane[] = [];
  const laneOf = new Map<string, number>();
  const empty: Cell = { text: '', token: 'empty', hazard: false };
  // By key, not by search: a long scenario has thousands of lanes.
  const byKeyA = new Map(va.lanes.map((l) => [l.key, l]));
  const byKeyB = new Map(vb.lanes.map((l) => [l.key, l]));
  for (const key of keys) {
    const la = byKeyA.get(key);
    const lb = byKeyB.get(key);
    const label = (la ?? lb)!.label;
    const group = (la ?? lb)!.group;
    // Cells are compared when asked for (a step in view), and remembered.
    const pair = new Map<number, [Cell, Cell]>();
    const cellsOf = (i: number): [Cell, Cell] => {
      let p = pair.get(i);
      if (!p) {
        const a = (la && cellAt(la, i)) ?? empty;
        const b = (lb && cellAt(lb, i)) ?? empty;
        const diff = a.text !== b.text || a.token !== b.token;
        p = diff ? [{ ...a, diff }, { ...b, diff }] : [a, b];
        pair.set(i, p);
      }
      return p;
    };
    laneOf.set(`a${key}`, lanes.length);
    lanes.push({ key: `a:${key}`, label: `${label} @${ka}`, group, cell: (i) => (i >= 0 && i < steps ? cellsOf(i)[0] : undefined) });
    laneOf.set(`b${key}`, lanes.length);
    lanes.push({ key: `b:${key}`, label: `${label} @${kb}`, group, cell: (i) => (i >= 0 && i < steps ? cellsOf(i)[1] : undefined) });
  }
  const differences = mergeDifferences(diffTimelines(ta, tb), result.differences);
  const differing = new Set(differences.map((d) => d.step));
  const marks = new Map<number, EventMark[]>();
  const marksOf = (i: number): readonly EventMark[] => {
    let list = marks.get(i);
    if (list) return list;
    list = [];
    for (const [side, v] of [['a', va], ['b', vb]] as const) {
      const kernel = side === 'a' ? ka : kb;
      for (const e of v.marksOf(i)) {
        // Fields copied one by one: a mark's id, token, label… are getters a spread would drop.
        list.push({
          id: e.id, step: e.step, token: e.token, hazard: e.hazard, line: e.line, span: e.span,
          label: `${kernel}: ${e.label}`, get detail() { return `[${kernel}] ${e.detail}`; },
          lane: laneOf.get(`${side}${v.lanes[e.lane]!.key}`) ?? 0,
        });
      }
    }
    marks.set(i, list);
    return list;
  };
  const longer = va.steps.length >= vb.steps.length ? va : vb;
  const view: TimelineView = {
    title: `${va.title} — ${ka} vs ${kb}`,
    kernel: `${ka} vs ${kb}`,
    verdict: { ...va.verdict, summary: `${ka}: ${va.verdict.summary}; ${kb}: ${vb.verdict.summary}` },
    steps: longer.steps.map((s, i) => ({
      index: s.index, label: s.label, line: s.line, firstLine: s.firstLine, lastLine: s.lastLine,
      get hazards() { return (va.steps[i]?.hazards ?? 0) + (vb.steps[i]?.hazards ?? 0); },
      crashed: !!(va.steps[i]?.crashed || vb.steps[i]?.crashed), differs: differing.has(i),
    })),
    lanes, marksOf, eventCount: () => va.eventCount() + vb.eventCount(), scale: va.scale,
    exposuresUpTo: (step) => [...va.exposuresUpTo(step).map((x) => `${ka}: ${x}`), ...vb.exposuresUpTo(step).map((x) => `${kb}: ${x}`)],
  };
  return { kernels: [ka, kb], view, differences };
}

/** Flags what differs between two address maps of the same step: by segment key, then look. */
function flagDifferences(map: AddressMapView, other: AddressMapView): AddressMapView {
  const theirs = new Map(other.segments.map((s) => [s.key, s]));
  const theirPoison = new Set(other.poison.map((p) => p.detail));
  return {
    ...map,
    segments: map.segments.map((s) => {
      const t = theirs.get(s.key);
      return !t || t.token !== s.token || t.label !== s.label || t.burned !== s.burned ? { ...s, diff: true } : s;
    }),
    poison: map.poison.map((p) => (theirPoison.has(p.detail) ? p : { ...p, diff: true })),
  };
}

/**
 * Both kernels' address maps after `step`, on one address scale so they line up, each with the
 * segments and poison that differ from the other flagged. Null when a kernel has no timeline.
 */
export function compareMaps(result: CompareResult, step: number): readonly [AddressMapView, AddressMapView] | null {
  const [ta, tb] = result.timelines;
  if (!ta || !tb) return null;
  const scale = createAddressScale(ta.regions.length >= tb.regions.length ? ta.regions : tb.regions);
  const a = buildAddressMap(ta, Math.min(step, ta.steps.length - 1), scale);
  const b = buildAddressMap(tb, Math.min(step, tb.steps.length - 1), scale);
  return [flagDifferences(a, b), flagDifferences(b, a)];
}
