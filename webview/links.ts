// Lines from each mapping lane to the physical range it maps on the address map, as one draws
// them on a whiteboard. Pure: which lane links to which range and how the line looks; render.ts
// turns it into pixels on the overlay canvas.
import type { AddressMapView } from './addressMap.js';
import { cellAt } from './lanes.js';
import type { Token } from './palette.js';
import type { TimelineView } from './viewModel.js';

export interface MappingLink {
  /** Lane index in the view. */
  readonly lane: number;
  /** Which address map (0; 1 for the second kernel in compare mode). */
  readonly map: number;
  /** The mapped range on the map, as fractions of its width. */
  readonly x0: number;
  readonly x1: number;
  readonly token: Token;
  /** "valid", "zapped", "stale", "poisoned": also the line's style. */
  readonly state: string;
  readonly label: string;
}

export interface LinkStyle {
  readonly width: number;
  readonly dash: readonly number[];
}

/** Not colour alone: a stale mapping is a thick line, a zapped one dotted, a poisoned one dash-dot. */
export function linkStyle(token: Token): LinkStyle {
  switch (token) {
    case 'stale': return { width: 3.5, dash: [] };
    case 'zapped': return { width: 1.5, dash: [2, 4] };
    case 'poison': return { width: 2.5, dash: [8, 3, 2, 3] };
    default: return { width: 1.5, dash: [] };
  }
}

const LANE_KEY = /^(?:([ab]):)?mapping:(.*)$/;

/** The mapping lanes of a view (index, map, mapping name), found once per view. */
const mappingLanes = new WeakMap<TimelineView, { lane: number; map: number; key: string }[]>();
function lanesOf(view: TimelineView): { lane: number; map: number; key: string }[] {
  let list = mappingLanes.get(view);
  if (!list) {
    list = [];
    view.lanes.forEach((lane, i) => {
      const m = LANE_KEY.exec(lane.key);
      if (m) list!.push({ lane: i, map: m[1] === 'b' ? 1 : 0, key: `mapping:${m[2]}` });
    });
    mappingLanes.set(view, list);
  }
  return list;
}

/**
 * The links at `step`: every mapping lane whose mapping exists then (not gone) and is on its
 * map; only lanes `firstLane`..`lastLane` when given (what is scrolled into view).
 */
export function mappingLinks(view: TimelineView, maps: readonly AddressMapView[], step: number, firstLane = 0, lastLane = Number.MAX_SAFE_INTEGER): MappingLink[] {
  const byKey = maps.map((m) => new Map(m.segments.filter((s) => s.row === 'mappings').map((s) => [s.key, s])));
  const out: MappingLink[] = [];
  for (const { lane: i, map, key } of lanesOf(view)) {
    if (i < firstLane || i > lastLane) continue;
    const lane = view.lanes[i]!;
    const seg = byKey[map]?.get(key);
    const cell = cellAt(lane, step);
    if (!seg || !cell || cell.token === 'empty' || seg.token === 'gone') continue;
    const state = seg.token === 'poison' ? 'poisoned' : seg.token;
    out.push({ lane: i, map, x0: seg.x0, x1: seg.x1, token: seg.token, state, label: `${lane.label.trim()}: ${state} → ${seg.detail}` });
  }
  return out;
}
