// Draws the physical address map (addressMap.ts) on a canvas and answers "what is under the
// pointer" for the tooltip.
import type { AddressMapView, MapRow } from './addressMap.js';
import { MAP_ROWS } from './addressMap.js';
import { fitText, hatch, sizeCanvas } from './canvas.js';
import type { Palette } from './palette.js';

export const MAP_LABEL_W = 84;
const ROW_H = 26;
const TOP = 22;
const LINK_SPACE = 30;

const ROW_TITLES: Readonly<Record<MapRow, string>> = { region: 'regions', device: 'dax devs', blocks: 'blocks', mappings: 'mappings' };

export function mapHeight(): number {
  return TOP + MAP_ROWS.length * ROW_H + LINK_SPACE;
}

function rowY(row: MapRow): number {
  return TOP + MAP_ROWS.indexOf(row) * ROW_H;
}

/** Where a mapping line ends on a map drawn `width` wide: the middle of the range, under its row. */
export function mapAnchor(width: number, x0: number, x1: number): { x: number; y: number } {
  const w = width - MAP_LABEL_W - 8;
  return { x: MAP_LABEL_W + ((x0 + x1) / 2) * w, y: rowY('mappings') + ROW_H - 3 };
}

export function drawAddressMap(canvas: HTMLCanvasElement, width: number, map: AddressMapView, p: Palette): void {
  const ctx = sizeCanvas(canvas, width, mapHeight());
  const w = width - MAP_LABEL_W - 8;
  const X = (f: number) => MAP_LABEL_W + f * w;
  ctx.clearRect(0, 0, width, mapHeight());
  ctx.font = `11px ${p.font}`;
  ctx.textBaseline = 'middle';
  ctx.fillStyle = p.muted;
  for (const t of map.ticks) fitText(ctx, t.label, X(t.x) + 2, 7, 140);
  for (const row of MAP_ROWS) {
    const y = rowY(row);
    ctx.fillStyle = p.muted;
    fitText(ctx, ROW_TITLES[row], 4, y + ROW_H / 2, MAP_LABEL_W - 8);
    // Labels put beside narrow segments must not run over each other (hover names them all).
    let labelEnd = -Infinity;
    for (const s of map.segments) {
      if (s.row !== row) continue;
      const x = X(s.x0);
      const sw = Math.max(2, X(s.x1) - x);
      ctx.globalAlpha = s.token === 'region' ? 0.35 : 0.85;
      ctx.fillStyle = p[s.token];
      ctx.fillRect(x, y + 2, sw, ROW_H - 5);
      ctx.globalAlpha = 1;
      if (s.burned) hatch(ctx, x, y + 2, sw, ROW_H - 5, p.hazard);
      ctx.strokeStyle = s.hazard || s.diff ? p.hazard : p.border;
      ctx.lineWidth = s.hazard || s.diff ? 3 : 1;
      // Compare mode: what differs from the other kernel is outlined dashed (and labelled ≠).
      if (s.diff) ctx.setLineDash([5, 3]);
      ctx.strokeRect(x + 0.5, y + 2.5, sw - 1, ROW_H - 6);
      ctx.setLineDash([]);
      if (s.hazard) {
        // A chip behind the label keeps it readable on the hatching.
        const tw = Math.min(ctx.measureText(s.label).width + 6, sw - 4);
        ctx.fillStyle = p.background;
        ctx.fillRect(x + 2, y + 6, Math.max(0, tw), ROW_H - 13);
      }
      ctx.fillStyle = p.foreground;
      const label = s.diff ? `≠ ${s.label}` : s.label;
      // Labels of narrow segments (a mapping, a small dax device) go beside them.
      const textW = ctx.measureText(label).width;
      if (textW > sw - 8 && (row === 'mappings' || row === 'device')) {
        if (x + sw + 4 >= labelEnd) { fitText(ctx, label, x + sw + 4, y + ROW_H / 2, 220); labelEnd = x + sw + 4 + Math.min(textW, 220) + 6; }
      } else fitText(ctx, label, x + 4, y + ROW_H / 2, sw - 8);
    }
  }
  // Poison: a line down through every row at the pfn (device, blocks and the mapping that holds
  // it), topped by a triangle above the regions row.
  for (const m of map.poison) {
    const x = X(m.x);
    ctx.strokeStyle = p.poison;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(x, TOP + 2);
    ctx.lineTo(x, TOP + MAP_ROWS.length * ROW_H);
    ctx.stroke();
    ctx.fillStyle = p.poison;
    ctx.strokeStyle = m.diff ? p.hazard : p.foreground;
    ctx.lineWidth = m.diff ? 2.5 : 1;
    ctx.beginPath();
    ctx.moveTo(x, TOP + 6);
    ctx.lineTo(x - 7, TOP - 7);
    ctx.lineTo(x + 7, TOP - 7);
    ctx.closePath();
    ctx.fill();
    ctx.stroke();
  }
  // memmap hosting: an arc under the rows from the host to the blocks whose memmap it holds.
  const ly = TOP + MAP_ROWS.length * ROW_H;
  ctx.setLineDash([5, 3]);
  for (const l of map.links) {
    const x0 = X(l.fromX);
    const x1 = X(l.toX);
    ctx.strokeStyle = p.hazard;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(x0, rowY('blocks') + ROW_H - 3);
    ctx.quadraticCurveTo((x0 + x1) / 2, ly + LINK_SPACE, x1, rowY('blocks') + ROW_H - 3);
    ctx.stroke();
    ctx.fillStyle = p.foreground;
    fitText(ctx, l.label, Math.min(x0, x1) + 4, ly + LINK_SPACE - 8, Math.abs(x1 - x0) + 200);
  }
  ctx.setLineDash([]);
}

/** The segment, poison mark or link under (x, y), as hover text, or ''. */
export function mapHitText(map: AddressMapView, width: number, x: number, y: number): string {
  const w = width - MAP_LABEL_W - 8;
  const f = (x - MAP_LABEL_W) / w;
  for (const m of map.poison) if (Math.abs(MAP_LABEL_W + m.x * w - x) < 6 && y <= TOP + MAP_ROWS.length * ROW_H) return m.detail;
  const row = MAP_ROWS[Math.floor((y - TOP) / ROW_H)];
  if (row) {
    const hits = map.segments.filter((s) => s.row === row && s.x0 <= f && f <= s.x1);
    if (hits.length > 0) return hits.map((s) => s.detail).join('\n');
  }
  if (y > TOP + MAP_ROWS.length * ROW_H && map.links.length > 0) return map.links.map((l) => l.label).join('\n');
  return '';
}
