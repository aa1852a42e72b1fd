// SVG export: the address map(s) of the selected step over the lanes of the whole timeline (or
// the steps the user chose), with the mapping lines. Built as text from the view model with
// every string escaped, so it is pure and testable in Node.
import type { AddressMapView } from './addressMap.js';
import { MAP_ROWS } from './addressMap.js';
import { cellAt } from './lanes.js';
import { linkStyle, mappingLinks } from './links.js';
import type { Palette, Token } from './palette.js';
import type { TimelineView } from './viewModel.js';

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export interface SvgMap {
  /** "kernel 6.12" */
  readonly kernel: string;
  readonly map: AddressMapView;
}

export interface SvgOptions {
  readonly palette: Palette;
  readonly selected: number;
  /** First and last step drawn, inclusive (default: the whole timeline). */
  readonly from?: number;
  readonly to?: number;
  /** Width of one step column (default: 110, or 40 past 200 steps). */
  readonly columnWidth?: number;
}

const LABEL_W = 170;
const ROW_H = 22;
const MAP_ROW_H = 20;
const MAP_W = 1200;
/** Past this many events in the range, only hazards keep their hover text (file size). */
const MAX_TITLED_EVENTS = 5000;

/** SVG text does not clip: cut it to what fits `px` at ~6.2 px a character (11px sans). */
function fit(text: string, px: number): string {
  const n = Math.floor(px / 6.2);
  if (n < 2) return '';
  return text.length <= n ? text : `${text.slice(0, n - 1)}…`;
}

/** The steps an export covers: the user's range, clamped and ordered, else every step. */
export function exportRange(steps: number, from?: number, to?: number): [number, number] {
  const clamp = (v: number | undefined, d: number) => (v === undefined || !Number.isFinite(v) ? d : Math.max(0, Math.min(steps - 1, Math.trunc(v))));
  const a = clamp(from, 0);
  const b = clamp(to, steps - 1);
  return a <= b ? [a, b] : [b, a];
}

export function viewToSvg(view: TimelineView, maps: readonly SvgMap[], o: SvgOptions): string {
  const [from, to] = exportRange(view.steps.length, o.from, o.to);
  const n = to - from + 1;
  const colW = o.columnWidth ?? (n > 200 ? 40 : 110);
  const width = Math.max(MAP_W + LABEL_W + 10, LABEL_W + n * colW + 20);
  const mapW = MAP_W;
  const mapH = 18 + MAP_ROWS.length * MAP_ROW_H + 34;
  const mapTop = (i: number) => 40 + i * mapH;
  const lanesTop = mapTop(maps.length) + 10;
  const height = lanesTop + 24 + view.lanes.length * ROW_H + 10;
  const p = o.palette;
  const c = (t: Token) => escapeXml(p[t]);
  const fg = escapeXml(p.foreground);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="${escapeXml(p.font)}" font-size="11">`,
    `<rect width="100%" height="100%" fill="${escapeXml(p.background)}"/>`,
    `<text x="8" y="20" font-size="14" fill="${fg}">${escapeXml(`${view.title} — kernel ${view.kernel} — ${view.verdict.summary} — steps ${from}–${to}`)}</text>`,
  ];
  const rowY = (m: number, r: number) => mapTop(m) + 18 + r * MAP_ROW_H;
  maps.forEach(({ kernel, map }, m) => {
    parts.push(`<text x="8" y="${mapTop(m) + 12}" font-weight="bold" fill="${fg}">${escapeXml(`Address map after step ${o.selected} — ${kernel}`)}</text>`);
    MAP_ROWS.forEach((row, r) => {
      const y = rowY(m, r);
      parts.push(`<text x="8" y="${y + 14}" fill="${escapeXml(p.muted)}">${row}</text>`);
      for (const s of map.segments.filter((x) => x.row === row)) {
        const x = LABEL_W + s.x0 * mapW;
        const w = Math.max(2, (s.x1 - s.x0) * mapW);
        const edge = s.hazard || s.diff ? `stroke="${c('hazard')}" stroke-width="2"${s.diff ? ' stroke-dasharray="5 3"' : ''}` : `stroke="${escapeXml(p.border)}" stroke-width="1"`;
        parts.push(`<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${MAP_ROW_H - 3}" fill="${c(s.token)}" fill-opacity="${s.token === 'region' ? 0.35 : 0.85}" ${edge}><title>${escapeXml(`${s.diff ? 'differs: ' : ''}${s.detail}`)}</title></rect>`);
        // Narrow segments (a mapping) get their label beside them, as on the canvas.
        const label = `${s.diff ? '≠ ' : ''}${s.label}`;
        const beside = label.length * 6.2 > w - 6 && (row === 'mappings' || row === 'device');
        parts.push(`<text x="${(beside ? x + w + 4 : x + 3).toFixed(1)}" y="${y + 13}" fill="${fg}">${escapeXml(beside ? label : fit(label, w - 6))}</text>`);
      }
    });
    for (const pm of map.poison) {
      const x = LABEL_W + pm.x * mapW;
      const y = rowY(m, 2);
      parts.push(`<path d="M${x.toFixed(1)} ${y} l-5 -8 h10 z" fill="${c('poison')}"><title>${escapeXml(pm.detail)}</title></path>`);
    }
    for (const l of map.links) {
      const y = rowY(m, 3) - 3;
      const x0 = LABEL_W + l.fromX * mapW;
      const x1 = LABEL_W + l.toX * mapW;
      parts.push(`<path d="M${x0.toFixed(1)} ${y} Q${((x0 + x1) / 2).toFixed(1)} ${y + 22} ${x1.toFixed(1)} ${y}" fill="none" stroke="${c('hazard')}" stroke-dasharray="4 2"><title>${escapeXml(l.label)}</title></path>`);
    }
  });
  for (let s = from; s <= to; s++) {
    const x = LABEL_W + (s - from) * colW;
    const step = view.steps[s];
    if (!step) continue;
    const mark = step.differs ? '≠ ' : step.hazards > 0 ? '⚠ ' : '';
    parts.push(`<text x="${(x + 2).toFixed(1)}" y="${lanesTop + 14}" fill="${step.crashed || step.hazards > 0 ? c('hazard') : fg}"${s === o.selected ? ' font-weight="bold"' : ''}><title>${escapeXml(`${s} ${step.label}`)}</title>${escapeXml(colW >= 80 ? fit(`${mark}${s} ${step.label}`, colW - 4) : `${s}`)}</text>`);
  }
  const laneY = (r: number) => lanesTop + 24 + r * ROW_H;
  view.lanes.forEach((lane, r) => {
    const y = laneY(r);
    parts.push(`<text x="8" y="${y + 15}" fill="${fg}">${escapeXml(fit(lane.label, LABEL_W - 12))}<title>${escapeXml(lane.label)}</title></text>`);
    for (let s = from; s <= to; s++) {
      const cell = cellAt(lane, s);
      if (!cell || cell.token === 'empty') continue;
      const x = LABEL_W + (s - from) * colW;
      parts.push(`<rect x="${(x + 1).toFixed(1)}" y="${y + 2}" width="${(colW - 2).toFixed(1)}" height="${ROW_H - 4}" fill="${c(cell.token)}" fill-opacity="0.55"${cell.hazard || cell.diff ? ` stroke="${c('hazard')}" stroke-width="2"` : ''}><title>${escapeXml(`${lane.label.trim()}: ${cell.text}`)}</title></rect>`);
      if (colW >= 60) parts.push(`<text x="${(x + 5).toFixed(1)}" y="${y + 15}" fill="${fg}">${escapeXml(fit(cell.text, colW - 24))}</text>`);
    }
  });
  // The selected step's column, outlined, when it is in the range.
  if (o.selected >= from && o.selected <= to) {
    parts.push(`<rect x="${(LABEL_W + (o.selected - from) * colW).toFixed(1)}" y="${lanesTop + 20}" width="${colW}" height="${view.lanes.length * ROW_H + 6}" fill="none" stroke="${escapeXml(p.focus)}" stroke-width="2"/>`);
  }
  let inRange = 0;
  for (let s = from; s <= to; s++) inRange += view.marksOf(s).length;
  for (let s = from; s <= to; s++) {
    for (const e of view.marksOf(s)) {
      const x = LABEL_W + (e.step - from) * colW + colW - 10;
      const y = laneY(e.lane) + ROW_H / 2;
      const title = inRange <= MAX_TITLED_EVENTS || e.hazard ? `<title>${escapeXml(e.detail)}</title>` : '';
      parts.push(`<circle cx="${x.toFixed(1)}" cy="${y}" r="${e.hazard ? 7 : 4}" fill="${c(e.token)}" stroke="${fg}">${title}</circle>`);
    }
  }
  // Mapping lines of the selected step: from the mapping lane (its cell when in range) to the range on its map.
  for (const link of mappingLinks(view, maps.map((m) => m.map), o.selected)) {
    if (link.map >= maps.length) continue;
    const fx = o.selected >= from && o.selected <= to ? LABEL_W + (o.selected - from) * colW + colW / 2 : LABEL_W - 4;
    const fy = laneY(link.lane) + ROW_H / 2;
    const tx = LABEL_W + ((link.x0 + link.x1) / 2) * mapW;
    const ty = rowY(link.map, 3) + MAP_ROW_H - 3;
    const st = linkStyle(link.token);
    const mid = (fy + ty) / 2;
    parts.push(`<path class="hl-link" data-state="${escapeXml(link.state)}" d="M${fx.toFixed(1)} ${fy} C${fx.toFixed(1)} ${mid} ${tx.toFixed(1)} ${mid} ${tx.toFixed(1)} ${ty}" fill="none" stroke="${c(link.token)}" stroke-width="${st.width}"${st.dash.length ? ` stroke-dasharray="${st.dash.join(' ')}"` : ''}><title>${escapeXml(link.label)}</title></path>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}
