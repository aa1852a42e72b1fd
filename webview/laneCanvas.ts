// Draws the lanes (rows) over time (one column per step), only the part that is scrolled into
// view: cost depends on the viewport, not on the timeline, so 100,000 events stay smooth.
import { fitText, sizeCanvas } from './canvas.js';
import { cellAt } from './lanes.js';
import type { Palette } from './palette.js';
import type { EventMark, TimelineView } from './viewModel.js';

export const LANE_LABEL_W = 170;
export const LANE_HEADER_H = 30;
export const LANE_ROW_H = 26;
/** Marks per cell before the rest are summarised as "+n". */
const MAX_MARKS = 4;

export interface LaneViewport {
  readonly width: number;
  readonly height: number;
  readonly scrollLeft: number;
  readonly scrollTop: number;
  readonly zoom: number;
  readonly selected: number;
}

export interface DrawnMark {
  readonly x: number;
  readonly y: number;
  readonly r: number;
  readonly event: EventMark;
}

export function contentSize(view: TimelineView, zoom: number): { width: number; height: number } {
  return { width: LANE_LABEL_W + view.steps.length * zoom + 20, height: LANE_HEADER_H + view.lanes.length * LANE_ROW_H + 4 };
}

export function visibleSteps(view: TimelineView, vp: LaneViewport): [number, number] {
  const first = Math.max(0, Math.floor(vp.scrollLeft / vp.zoom));
  const last = Math.min(view.steps.length - 1, Math.ceil((vp.scrollLeft + vp.width - LANE_LABEL_W) / vp.zoom));
  return [first, last];
}

function drawMark(ctx: CanvasRenderingContext2D, m: EventMark, x: number, y: number, p: Palette): number {
  if (m.token === 'crash') {
    // A crash is the loudest mark: a big filled square with a cross.
    ctx.fillStyle = p.crash;
    ctx.fillRect(x - 9, y - 9, 18, 18);
    ctx.strokeStyle = p.background;
    ctx.lineWidth = 2.5;
    ctx.beginPath();
    ctx.moveTo(x - 5, y - 5); ctx.lineTo(x + 5, y + 5);
    ctx.moveTo(x + 5, y - 5); ctx.lineTo(x - 5, y + 5);
    ctx.stroke();
    return 10;
  }
  if (m.hazard) {
    // Hazards: a warning triangle with "!", outlined so it survives any background.
    ctx.fillStyle = p.hazard;
    ctx.strokeStyle = p.foreground;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(x, y - 10); ctx.lineTo(x + 10, y + 8); ctx.lineTo(x - 10, y + 8);
    ctx.closePath();
    ctx.fill();
    ctx.stroke();
    ctx.fillStyle = p.background;
    ctx.font = `bold 11px ${p.font}`;
    ctx.textAlign = 'center';
    ctx.fillText('!', x, y + 2);
    ctx.textAlign = 'left';
    return 10;
  }
  ctx.fillStyle = p[m.token];
  ctx.strokeStyle = p.foreground;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.arc(x, y, 5, 0, Math.PI * 2);
  ctx.fill();
  ctx.stroke();
  return 6;
}

export function drawLanes(canvas: HTMLCanvasElement, view: TimelineView, vp: LaneViewport, p: Palette): DrawnMark[] {
  const ctx = sizeCanvas(canvas, vp.width, vp.height);
  ctx.clearRect(0, 0, vp.width, vp.height);
  ctx.textBaseline = 'middle';
  const [first, last] = visibleSteps(view, vp);
  const colX = (s: number) => LANE_LABEL_W + s * vp.zoom - vp.scrollLeft;
  const rowY = (l: number) => LANE_HEADER_H + l * LANE_ROW_H - vp.scrollTop;
  const firstLane = Math.max(0, Math.floor(vp.scrollTop / LANE_ROW_H));
  const lastLane = Math.min(view.lanes.length - 1, Math.ceil((vp.scrollTop + vp.height) / LANE_ROW_H));

  // Marks per visible cell, so the state text can use the room the marks leave.
  const perCell = new Map<number, number>();
  const cellKey = (step: number, lane: number) => step * 65536 + lane;
  for (let s = first; s <= last; s++) {
    for (const e of view.marksOf(s)) {
      if (e.lane >= firstLane && e.lane <= lastLane) perCell.set(cellKey(e.step, e.lane), (perCell.get(cellKey(e.step, e.lane)) ?? 0) + 1);
    }
  }
  const markGap = Math.min(20, (vp.zoom - 8) / (MAX_MARKS + 1));

  ctx.save();
  ctx.beginPath();
  ctx.rect(LANE_LABEL_W, LANE_HEADER_H, vp.width - LANE_LABEL_W, vp.height - LANE_HEADER_H);
  ctx.clip();
  for (let s = first; s <= last; s++) {
    const x = colX(s);
    const step = view.steps[s]!;
    if (s === vp.selected) {
      ctx.fillStyle = p.selection;
      ctx.fillRect(x, LANE_HEADER_H, vp.zoom, vp.height);
    }
    if (step.crashed) {
      ctx.globalAlpha = 0.18;
      ctx.fillStyle = p.crash;
      ctx.fillRect(x, LANE_HEADER_H, vp.zoom, vp.height);
      ctx.globalAlpha = 1;
    }
    for (let l = firstLane; l <= lastLane; l++) {
      const cell = cellAt(view.lanes[l]!, s);
      if (!cell || cell.token === 'empty') continue;
      const y = rowY(l);
      ctx.globalAlpha = 0.45;
      ctx.fillStyle = p[cell.token];
      ctx.fillRect(x + 1, y + 2, vp.zoom - 2, LANE_ROW_H - 4);
      ctx.globalAlpha = 1;
      if (cell.hazard || cell.diff) {
        ctx.strokeStyle = p.hazard;
        ctx.lineWidth = 2;
        if (cell.diff) ctx.setLineDash([4, 2]);
        ctx.strokeRect(x + 2, y + 3, vp.zoom - 4, LANE_ROW_H - 6);
        ctx.setLineDash([]);
      }
      if (vp.zoom >= 56) {
        ctx.fillStyle = p.foreground;
        ctx.font = `11px ${p.font}`;
        const marks = Math.min(MAX_MARKS, perCell.get(cellKey(s, l)) ?? 0);
        fitText(ctx, cell.text, x + 5, y + LANE_ROW_H / 2, vp.zoom - 10 - (marks > 0 ? 10 + marks * markGap : 0));
      }
    }
  }
  // The selected column's outline, over the cells, in the focus colour (the only cue in high contrast).
  if (vp.selected >= first && vp.selected <= last) {
    ctx.strokeStyle = p.focus;
    ctx.lineWidth = 2;
    ctx.strokeRect(colX(vp.selected) + 1, LANE_HEADER_H + 1, vp.zoom - 2, view.lanes.length * LANE_ROW_H - vp.scrollTop + 2);
  }
  // Event marks, right-aligned in their cell so the state text stays readable.
  const drawn: DrawnMark[] = [];
  const slots = new Map<number, number>();
  for (let s = first; s <= last; s++) for (const e of view.marksOf(s)) {
    if (e.lane < firstLane || e.lane > lastLane) continue;
    const key = cellKey(e.step, e.lane);
    const n = slots.get(key) ?? 0;
    slots.set(key, n + 1);
    // Hazards always get drawn (first slots); ordinary marks fill what is left.
    if (n >= MAX_MARKS && !e.hazard) continue;
    const slot = Math.min(n, MAX_MARKS);
    const x = colX(e.step) + vp.zoom - 12 - slot * markGap;
    const y = rowY(e.lane) + LANE_ROW_H / 2;
    const r = drawMark(ctx, e, x, y, p);
    drawn.push({ x, y, r, event: e });
  }
  for (const [key, n] of perCell) {
    if (n <= MAX_MARKS) continue;
    const s = Math.floor(key / 65536);
    ctx.fillStyle = p.foreground;
    ctx.font = `10px ${p.font}`;
    // Bottom-left corner of the cell, clear of the marks on the right.
    ctx.fillText(`+${n - MAX_MARKS}`, colX(s) + 4, rowY(key % 65536) + LANE_ROW_H - 7);
  }
  ctx.restore();

  // Step header (sticky top) and lane labels (sticky left) are drawn last, over the content.
  ctx.fillStyle = p.background;
  ctx.fillRect(0, 0, vp.width, LANE_HEADER_H);
  ctx.fillRect(0, 0, LANE_LABEL_W, vp.height);
  ctx.save();
  ctx.beginPath();
  ctx.rect(LANE_LABEL_W, 0, vp.width - LANE_LABEL_W, LANE_HEADER_H);
  ctx.clip();
  for (let s = first; s <= last; s++) {
    const x = colX(s);
    const step = view.steps[s]!;
    ctx.fillStyle = step.crashed || step.hazards > 0 ? p.hazard : step.differs ? p.fail : p.foreground;
    ctx.font = `${s === vp.selected ? 'bold ' : ''}11px ${p.font}`;
    const mark = step.differs ? '≠ ' : step.hazards > 0 ? '⚠ ' : '';
    fitText(ctx, vp.zoom >= 40 ? `${mark}${s} ${step.label}` : `${s}`, x + 3, LANE_HEADER_H / 2, vp.zoom - 5);
    ctx.strokeStyle = p.border;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(x + 0.5, LANE_HEADER_H - 6); ctx.lineTo(x + 0.5, LANE_HEADER_H);
    ctx.stroke();
  }
  ctx.restore();
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, LANE_HEADER_H, LANE_LABEL_W, vp.height - LANE_HEADER_H);
  ctx.clip();
  for (let l = firstLane; l <= lastLane; l++) {
    const lane = view.lanes[l]!;
    ctx.fillStyle = lane.group === 'machine' ? p.muted : p.foreground;
    ctx.font = `11px ${p.font}`;
    fitText(ctx, lane.label, 6, rowY(l) + LANE_ROW_H / 2, LANE_LABEL_W - 10);
  }
  ctx.restore();
  ctx.strokeStyle = p.border;
  ctx.beginPath();
  ctx.moveTo(LANE_LABEL_W - 0.5, 0); ctx.lineTo(LANE_LABEL_W - 0.5, vp.height);
  ctx.moveTo(0, LANE_HEADER_H - 0.5); ctx.lineTo(vp.width, LANE_HEADER_H - 0.5);
  ctx.stroke();
  return drawn;
}

export type LaneHit = { kind: 'event'; event: EventMark } | { kind: 'step'; step: number; lane: number } | { kind: 'none' };

export function hitLanes(view: TimelineView, vp: LaneViewport, drawn: readonly DrawnMark[], x: number, y: number): LaneHit {
  for (const m of drawn) if (Math.abs(m.x - x) <= m.r + 2 && Math.abs(m.y - y) <= m.r + 2) return { kind: 'event', event: m.event };
  if (x < LANE_LABEL_W) return { kind: 'none' };
  const step = Math.floor((x - LANE_LABEL_W + vp.scrollLeft) / vp.zoom);
  const lane = y < LANE_HEADER_H ? -1 : Math.floor((y - LANE_HEADER_H + vp.scrollTop) / LANE_ROW_H);
  if (step < 0 || step >= view.steps.length) return { kind: 'none' };
  return { kind: 'step', step, lane };
}
