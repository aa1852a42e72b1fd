// The keyboard's way into the lanes canvas: what a pointer's hover shows (a cell's state, an
// event's cause chain) as a list the user moves through with the arrow keys. Pure; render.ts
// draws the focus ring and puts the text in the tooltip and an aria-live region.
import { cellAt, type Lane } from './lanes.js';
import type { EventMark, TimelineView } from './viewModel.js';

export type CursorItem =
  | { readonly kind: 'cell'; readonly lane: number; readonly text: string }
  | { readonly kind: 'event'; readonly lane: number; readonly event: EventMark; readonly text: string };

function cellText(lane: Lane, step: number): string {
  const cell = cellAt(lane, step);
  return cell && cell.text !== '' ? `${lane.label.trim()} after step ${step}: ${cell.text}${cell.hazard ? ' (hazard)' : ''}${cell.diff ? ' (differs from the other kernel)' : ''}` : '';
}

/** Top to bottom: each lane's state at `step`, then the events on that lane, in order. */
export function cursorItems(view: TimelineView, step: number): CursorItem[] {
  const byLane = new Map<number, EventMark[]>();
  for (const e of view.marksOf(step)) {
    const list = byLane.get(e.lane) ?? [];
    list.push(e);
    byLane.set(e.lane, list);
  }
  const out: CursorItem[] = [];
  view.lanes.forEach((lane, i) => {
    const text = cellText(lane, step);
    if (text) out.push({ kind: 'cell', lane: i, text });
    for (const event of byLane.get(i) ?? []) {
      // The event text is the hover's: what happened, the rule, the kernel log and the causes.
      out.push({ kind: 'event', lane: i, event, get text() { return `${lane.label.trim()}, step ${step}: ${event.detail}`; } });
    }
  });
  return out;
}

/** After a step change, the item on the lane the user was on (its state), else the nearest. */
export function keepLane(items: readonly CursorItem[], lane: number): number {
  if (items.length === 0) return -1;
  let best = 0;
  for (let i = 0; i < items.length; i++) {
    if (items[i]!.lane === lane) return i;
    if (Math.abs(items[i]!.lane - lane) < Math.abs(items[best]!.lane - lane)) best = i;
  }
  return best;
}
