// SVG export of the current view: the address map of the selected step over the lanes. Built as
// text from the view model with every string escaped, so it is pure and testable in Node.
import type { AddressMapView } from './addressMap.js';
import { MAP_ROWS } from './addressMap.js';
import type { Palette, Token } from './palette.js';
import type { TimelineView } from './viewModel.js';

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export interface SvgOptions {
  readonly palette: Palette;
  readonly selected: number;
  /** Steps to draw (a window around the selection for huge timelines). */
  readonly from: number;
  readonly to: number;
  readonly width?: number;
}

const LABEL_W = 160;
const ROW_H = 22;
const MAP_ROW_H = 20;

export function viewToSvg(view: TimelineView, map: AddressMapView, o: SvgOptions): string {
  const width = o.width ?? 1200;
  const mapW = width - LABEL_W - 10;
  const colW = Math.max(24, (width - LABEL_W) / Math.max(1, o.to - o.from + 1));
  const mapTop = 40;
  const lanesTop = mapTop + MAP_ROWS.length * MAP_ROW_H + 30;
  const height = lanesTop + 24 + view.lanes.length * ROW_H + 10;
  const c = (t: Token) => escapeXml(o.palette[t]);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="${escapeXml(o.palette.font)}" font-size="11">`,
    `<rect width="100%" height="100%" fill="${escapeXml(o.palette.background)}"/>`,
    `<text x="8" y="20" font-size="14" fill="${escapeXml(o.palette.foreground)}">${escapeXml(`${view.title} — kernel ${view.kernel} — ${view.verdict.summary}`)}</text>`,
  ];
  MAP_ROWS.forEach((row, r) => {
    const y = mapTop + r * MAP_ROW_H;
    parts.push(`<text x="8" y="${y + 14}" fill="${escapeXml(o.palette.muted)}">${row}</text>`);
    for (const s of map.segments.filter((x) => x.row === row)) {
      const x = LABEL_W + s.x0 * mapW;
      const w = Math.max(2, (s.x1 - s.x0) * mapW);
      parts.push(`<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${MAP_ROW_H - 3}" fill="${c(s.token)}" stroke="${s.hazard ? c('hazard') : escapeXml(o.palette.border)}" stroke-width="${s.hazard ? 2 : 1}"><title>${escapeXml(s.detail)}</title></rect>`);
      parts.push(`<text x="${(x + 3).toFixed(1)}" y="${y + 13}" fill="${escapeXml(o.palette.foreground)}">${escapeXml(s.label)}</text>`);
    }
  });
  for (const p of map.poison) {
    const x = LABEL_W + p.x * mapW;
    const y = mapTop + 2 * MAP_ROW_H;
    parts.push(`<path d="M${x.toFixed(1)} ${y} l-5 -8 h10 z" fill="${c('poison')}"><title>${escapeXml(p.detail)}</title></path>`);
  }
  for (const l of map.links) {
    const y = mapTop + 3 * MAP_ROW_H - 3;
    const x0 = LABEL_W + l.fromX * mapW;
    const x1 = LABEL_W + l.toX * mapW;
    parts.push(`<path d="M${x0.toFixed(1)} ${y} Q${((x0 + x1) / 2).toFixed(1)} ${y + 22} ${x1.toFixed(1)} ${y}" fill="none" stroke="${c('hazard')}" stroke-dasharray="4 2"><title>${escapeXml(l.label)}</title></path>`);
  }
  for (let s = o.from; s <= o.to; s++) {
    const x = LABEL_W + (s - o.from) * colW;
    const step = view.steps[s];
    if (!step) continue;
    parts.push(`<text x="${(x + 2).toFixed(1)}" y="${lanesTop + 14}" fill="${escapeXml(o.palette.foreground)}"${s === o.selected ? ' font-weight="bold"' : ''}>${escapeXml(`${s} ${step.label}`)}</text>`);
  }
  view.lanes.forEach((lane, r) => {
    const y = lanesTop + 24 + r * ROW_H;
    parts.push(`<text x="8" y="${y + 15}" fill="${escapeXml(o.palette.foreground)}">${escapeXml(lane.label)}</text>`);
    for (let s = o.from; s <= o.to; s++) {
      const cell = lane.cells[s];
      if (!cell || cell.token === 'empty') continue;
      const x = LABEL_W + (s - o.from) * colW;
      parts.push(`<rect x="${(x + 1).toFixed(1)}" y="${y + 2}" width="${(colW - 2).toFixed(1)}" height="${ROW_H - 4}" fill="${c(cell.token)}" fill-opacity="0.55"${cell.hazard || cell.diff ? ` stroke="${c('hazard')}" stroke-width="2"` : ''}><title>${escapeXml(`${lane.label}: ${cell.text}`)}</title></rect>`);
    }
  });
  for (let s = o.from; s <= o.to; s++) for (const e of view.marksOf(s)) {
    const x = LABEL_W + (e.step - o.from) * colW + colW / 2;
    const y = lanesTop + 24 + e.lane * ROW_H + ROW_H / 2;
    parts.push(`<circle cx="${x.toFixed(1)}" cy="${y}" r="${e.hazard ? 7 : 4}" fill="${c(e.token)}" stroke="${escapeXml(o.palette.foreground)}"><title>${escapeXml(e.detail)}</title></circle>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}
