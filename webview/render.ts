// Rendering: fills the shell's text (always textContent) and draws the two canvases. Holds the
// per-panel drawing state (last input, drawn marks) in a closure, not at module level.
import type { Timeline } from '../language-server/protocol/index.js';
import type { CompareView } from './compare.js';
import { renderDifferences, renderEvents, renderState } from './details.js';
import { contentSize, drawLanes, hitLanes, LANE_LABEL_W, type DrawnMark, type LaneViewport } from './laneCanvas.js';
import type { AddressMapView } from './addressMap.js';
import { sizeCanvas } from './canvas.js';
import { cursorItems, keepLane, type CursorItem } from './cursor.js';
import { LANE_HEADER_H, LANE_ROW_H } from './laneCanvas.js';
import { cellAt } from './lanes.js';
import { linkStyle, mappingLinks, type MappingLink } from './links.js';
import { drawAddressMap, mapAnchor, mapHitText } from './mapCanvas.js';
import { TOKEN_LABELS, type Palette, type Token } from './palette.js';
import type { Shell } from './shell.js';
import type { WebviewState } from './state.js';
import { viewToSvg } from './svgExport.js';
import type { EventMark, ViewModel } from './viewModel.js';

export interface RenderInput {
  readonly vm: ViewModel;
  readonly timeline: Timeline;
  readonly stale: boolean;
  readonly state: WebviewState;
  readonly compare: CompareView | null;
  /** One address map; two in compare mode (first kernel, second kernel), differences flagged. */
  readonly maps: readonly MapPanel[];
  /** Compare mode: each kernel's timeline, for the two state lists ("6.1", timeline). */
  readonly states?: readonly { readonly kernel: string; readonly timeline: Timeline }[];
  readonly palette: Palette;
}

export interface MapPanel {
  /** "kernel 6.12" */
  readonly kernel: string;
  readonly map: AddressMapView;
}

/** A drawn mapping line, in overlay pixels (tests read them from the canvas' dataset). */
interface DrawnLink extends MappingLink {
  readonly from: { x: number; y: number };
  readonly to: { x: number; y: number };
}

export interface RendererCallbacks {
  onSelect(step: number): void;
  onReveal(event: EventMark): void;
  onScroll(left: number, top: number): void;
}

export interface Renderer {
  render(input: RenderInput): void;
  renderEmpty(message: string): void;
  /** Redraws the canvases only (scroll, resize, theme change). */
  redraw(palette?: Palette): void;
  toPng(): string;
  /** The whole timeline, or steps `from`..`to` (clamped; either may be left out). */
  toSvg(from?: number, to?: number): string;
}

const LEGEND: readonly Token[] = ['zone-dma', 'zone-normal', 'zone-movable', 'zone-device', 'offline', 'removed', 'burned', 'poison', 'stale', 'zapped', 'hazard'];

function prefersReducedMotion(): boolean {
  return window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
}

export function createRenderer(shell: Shell, cb: RendererCallbacks): Renderer {
  let input: RenderInput | null = null;
  let drawn: DrawnMark[] = [];
  let lastStep = -1;

  // Layout reads, cached. A step change writes text and lists; reading a size or a scroll
  // offset after that forces a layout of the whole page, and two such reads were 15 ms of a
  // 24 ms step on the 100k timeline. Sizes and positions are measured once (first render), then
  // again only after a ResizeObserver says something moved; scroll offsets come from scroll
  // events and from our own scrolling.
  type Box = { x: number; y: number; w: number; h: number };
  const geo = { valid: false, mapWidth: 0, scrollLeft: 0, scrollTop: 0, scroller: { x: 0, y: 0, w: 0, h: 0 } as Box, picture: { x: 0, y: 0, w: 0, h: 0 } as Box, maps: [] as Box[] };
  const measure = () => {
    if (geo.valid) return;
    const p = shell.picture.getBoundingClientRect();
    const rel = (el: Element): Box => { const r = el.getBoundingClientRect(); return { x: r.left - p.left, y: r.top - p.top, w: r.width, h: r.height }; };
    geo.picture = { x: 0, y: 0, w: p.width, h: p.height };
    const sc = rel(shell.laneScroller);
    geo.scroller = { ...sc, w: shell.laneScroller.clientWidth, h: shell.laneScroller.clientHeight };
    geo.maps = [rel(shell.mapCanvas), shell.mapCanvasB.hidden ? { x: 0, y: 0, w: 0, h: 0 } : rel(shell.mapCanvasB)];
    geo.mapWidth = shell.mapCanvas.parentElement?.clientWidth ?? 800;
    geo.scrollLeft = shell.laneScroller.scrollLeft;
    geo.scrollTop = shell.laneScroller.scrollTop;
    geo.valid = true;
  };
  const invalidate = () => { geo.valid = false; };
  // Fires once after every observed element's first layout too: redraw only if something moved.
  const shape = () => JSON.stringify([geo.picture, geo.scroller, geo.maps, geo.mapWidth]);
  const resized = new ResizeObserver(() => {
    if (!input) { invalidate(); return; }
    const before = geo.valid ? shape() : '';
    invalidate();
    measure();
    if (shape() !== before) redraw();
  });
  for (const el of [shell.picture, shell.laneScroller, shell.mapCanvas.parentElement ?? shell.picture]) resized.observe(el);
  const scrollTo = (left: number | null, top: number | null) => {
    if (left !== null) { shell.laneScroller.scrollLeft = left; geo.scrollLeft = Math.max(0, left); }
    if (top !== null) { shell.laneScroller.scrollTop = top; geo.scrollTop = Math.max(0, top); }
  };

  /** Column width: the user's zoom, but short timelines fill the width instead of leaving it empty. */
  const columnWidth = (): number => {
    if (!input) return 0;
    measure();
    const fit = Math.floor((geo.scroller.w - LANE_LABEL_W - 24) / Math.max(1, input.vm.view.steps.length));
    return Math.max(input.state.zoom, Math.min(fit, 4 * input.state.zoom));
  };

  const viewport = (): LaneViewport | null => {
    if (!input) return null;
    measure();
    return { width: geo.scroller.w, height: geo.scroller.h, scrollLeft: geo.scrollLeft, scrollTop: geo.scrollTop, zoom: columnWidth(), selected: input.vm.step };
  };

  const mapCanvases = () => [shell.mapCanvas, shell.mapCanvasB] as const;

  /** Mapping lines on the overlay: from the selected cell of each mapping lane (or the lane's
   *  label when that column is scrolled away) up to the middle of the range on its map. */
  const drawLinks = (vp: LaneViewport) => {
    if (!input) return;
    measure();
    const box = geo.picture;
    const ctx = sizeCanvas(shell.linkCanvas, box.w, box.h);
    ctx.clearRect(0, 0, box.w, box.h);
    const lanesBox = geo.scroller;
    const top = lanesBox.y + LANE_HEADER_H;
    const bottom = lanesBox.y + lanesBox.h;
    const colX = LANE_LABEL_W + vp.selected * vp.zoom - vp.scrollLeft + vp.zoom / 2;
    const fromX = lanesBox.x + (colX > LANE_LABEL_W && colX < vp.width ? colX : LANE_LABEL_W - 4);
    const drawnLinks: DrawnLink[] = [];
    const firstLane = Math.floor(vp.scrollTop / LANE_ROW_H);
    const lastLane = Math.ceil((vp.scrollTop + vp.height) / LANE_ROW_H);
    for (const link of mappingLinks(input.vm.view, input.maps.map((m) => m.map), input.vm.step, firstLane, lastLane)) {
      const canvas = mapCanvases()[link.map];
      if (!canvas || canvas.hidden) continue;
      const y = top + link.lane * LANE_ROW_H - vp.scrollTop + LANE_ROW_H / 2;
      if (y < top || y > bottom) continue;
      const r = geo.maps[link.map]!;
      const a = mapAnchor(r.w, link.x0, link.x1);
      const to = { x: r.x + a.x, y: r.y + a.y };
      const from = { x: fromX, y };
      const style = linkStyle(link.token);
      const colour = input.palette[link.token];
      ctx.strokeStyle = colour;
      ctx.fillStyle = colour;
      ctx.lineWidth = style.width;
      ctx.setLineDash(style.dash as number[]);
      const mid = (from.y + to.y) / 2;
      ctx.beginPath();
      ctx.moveTo(from.x, from.y);
      ctx.bezierCurveTo(from.x, mid, to.x, mid, to.x, to.y);
      ctx.stroke();
      ctx.setLineDash([]);
      for (const p of [from, to]) { ctx.beginPath(); ctx.arc(p.x, p.y, 3.5, 0, Math.PI * 2); ctx.fill(); }
      drawnLinks.push({ ...link, from, to });
    }
    shell.linkCanvas.dataset.links = JSON.stringify(drawnLinks.map((l) => ({ lane: l.lane, map: l.map, state: l.state, from: l.from, to: l.to })));
  };

  // Keyboard cursor in the lanes: an index into cursorItems() of the selected step, and the
  // lane it is on (kept when the step changes).
  let cursor: { step: number; view: unknown; items: CursorItem[]; index: number; lane: number } | null = null;
  const cursorItem = (): CursorItem | null => (cursor && cursor.index >= 0 ? cursor.items[cursor.index] ?? null : null);
  const focused = () => document.activeElement === shell.laneScroller;

  /** Where an item is, in lane-canvas pixels: a cell's rectangle, or an event's drawn mark. */
  const itemBox = (item: CursorItem, vp: LaneViewport): { x: number; y: number; w: number; h: number } => {
    if (item.kind === 'event') {
      const m = drawn.find((d) => d.event === item.event);
      if (m) return { x: m.x - m.r - 4, y: m.y - m.r - 4, w: 2 * m.r + 8, h: 2 * m.r + 8 };
    }
    return { x: LANE_LABEL_W + vp.selected * vp.zoom - vp.scrollLeft, y: LANE_HEADER_H + item.lane * LANE_ROW_H - vp.scrollTop, w: vp.zoom, h: LANE_ROW_H };
  };

  const drawCursor = (vp: LaneViewport) => {
    const item = cursorItem();
    if (!input || !item || !focused()) return;
    const ctx = shell.laneCanvas.getContext('2d')!;
    const b = itemBox(item, vp);
    ctx.save();
    ctx.strokeStyle = input.palette.focus;
    ctx.lineWidth = 3;
    ctx.strokeRect(b.x + 1.5, b.y + 1.5, b.w - 3, b.h - 3);
    ctx.restore();
  };

  /** Shows the cursor's item: ring, tooltip beside it, and the live region's text. */
  const showCursor = () => {
    const item = cursorItem();
    const vp = viewport();
    if (!item || !vp) { shell.cursorLive.textContent = ''; return; }
    // Bring its lane into view first.
    const y = LANE_HEADER_H + item.lane * LANE_ROW_H;
    const s = shell.laneScroller;
    if (y - LANE_HEADER_H < geo.scrollTop) scrollTo(null, y - LANE_HEADER_H);
    else if (y + LANE_ROW_H > geo.scrollTop + geo.scroller.h) scrollTo(null, y + LANE_ROW_H - geo.scroller.h);
    redraw();
    const b = itemBox(item, viewport()!);
    const r = s.getBoundingClientRect();
    showTooltip(item.text, r.left + b.x + b.w - 10, r.top + b.y + b.h - 10);
    if (shell.cursorLive.textContent !== item.text) shell.cursorLive.textContent = item.text;
    if (item.kind === 'event') shell.why.textContent = item.event.detail;
  };

  /** The cursor's items follow the selected step (and a new timeline), staying on their lane. */
  const syncCursor = () => {
    if (!cursor || !input) return;
    if (cursor.step === input.vm.step && cursor.view === input.vm.view) return;
    const items = cursorItems(input.vm.view, input.vm.step);
    cursor = { step: input.vm.step, view: input.vm.view, items, index: keepLane(items, cursor.lane), lane: cursor.lane };
    if (focused()) showCursor();
  };

  shell.laneScroller.addEventListener('keydown', (ev) => {
    if (!input || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const key = ev.key;
    if (key === 'Escape') { cursor = null; showTooltip('', 0, 0); shell.cursorLive.textContent = ''; redraw(); return; }
    if (key !== 'ArrowDown' && key !== 'ArrowUp' && key !== 'Enter' && key !== ' ') return;
    ev.preventDefault();
    if (!cursor || cursor.step !== input.vm.step || cursor.view !== input.vm.view) {
      const items = cursorItems(input.vm.view, input.vm.step);
      cursor = { step: input.vm.step, view: input.vm.view, items, index: -1, lane: cursor?.lane ?? 0 };
    }
    if (key === 'Enter' || key === ' ') {
      const item = cursorItem();
      if (item?.kind === 'event') cb.onReveal(item.event);
      return;
    }
    const n = cursor.items.length;
    if (n === 0) { shell.cursorLive.textContent = `Step ${input.vm.step}: nothing in the lanes.`; return; }
    cursor.index = cursor.index < 0 ? (key === 'ArrowDown' ? 0 : n - 1) : Math.max(0, Math.min(n - 1, cursor.index + (key === 'ArrowDown' ? 1 : -1)));
    cursor.lane = cursor.items[cursor.index]!.lane;
    showCursor();
  });
  shell.laneScroller.addEventListener('blur', () => { showTooltip('', 0, 0); redraw(); });
  shell.laneScroller.addEventListener('focus', () => { if (cursorItem()) showCursor(); });

  const redraw = (palette?: Palette) => {
    if (!input) return;
    if (palette) input = { ...input, palette };
    measure();
    const width = geo.mapWidth;
    const [a, b] = input.maps;
    if (a) drawAddressMap(shell.mapCanvas, width, a.map, input.palette);
    if (b) drawAddressMap(shell.mapCanvasB, width, b.map, input.palette);
    const vp = viewport()!;
    drawn = drawLanes(shell.laneCanvas, input.vm.view, vp, input.palette);
    drawCursor(vp);
    drawLinks(vp);
  };

  const showTooltip = (text: string, x: number, y: number) => {
    shell.tooltip.hidden = text === '';
    if (!text) return;
    shell.tooltip.textContent = text;
    shell.tooltip.style.left = `${Math.min(x + 14, window.innerWidth - 360)}px`;
    shell.tooltip.style.top = `${y + 14}px`;
  };

  shell.laneScroller.addEventListener('scroll', () => {
    geo.scrollLeft = shell.laneScroller.scrollLeft;
    geo.scrollTop = shell.laneScroller.scrollTop;
    redraw();
    cb.onScroll(geo.scrollLeft, geo.scrollTop);
  });
  shell.laneScroller.addEventListener('pointermove', (ev) => {
    const vp = viewport();
    if (!input || !vp) return;
    const r = shell.laneScroller.getBoundingClientRect();
    const hit = hitLanes(input.vm.view, vp, drawn, ev.clientX - r.left, ev.clientY - r.top);
    const text = hit.kind === 'event' ? hit.event.detail
      : hit.kind === 'step' && hit.lane >= 0 ? (() => { const l = input.vm.view.lanes[hit.lane]; const c = l && cellAt(l, hit.step); return l && c && c.text ? `${l.label} after step ${hit.step}: ${c.text}` : ''; })()
        : '';
    shell.laneScroller.style.cursor = hit.kind === 'event' ? 'pointer' : 'default';
    showTooltip(text, ev.clientX, ev.clientY);
  });
  shell.laneScroller.addEventListener('pointerleave', () => showTooltip('', 0, 0));
  shell.laneScroller.addEventListener('click', (ev) => {
    const vp = viewport();
    if (!input || !vp) return;
    const r = shell.laneScroller.getBoundingClientRect();
    const hit = hitLanes(input.vm.view, vp, drawn, ev.clientX - r.left, ev.clientY - r.top);
    if (hit.kind === 'event') { cb.onSelect(hit.event.step); cb.onReveal(hit.event); }
    else if (hit.kind === 'step') cb.onSelect(hit.step);
  });
  mapCanvases().forEach((canvas, i) => {
    canvas.addEventListener('pointermove', (ev) => {
      const panel = input?.maps[i];
      if (!panel) return;
      const r = canvas.getBoundingClientRect();
      showTooltip(mapHitText(panel.map, r.width, ev.clientX - r.left, ev.clientY - r.top), ev.clientX, ev.clientY);
    });
    canvas.addEventListener('pointerleave', () => showTooltip('', 0, 0));
  });

  const legend = () => {
    shell.legend.replaceChildren();
    for (const t of LEGEND) {
      const li = document.createElement('li');
      const sw = document.createElement('span');
      sw.className = `hl-swatch hl-swatch-${t}`;
      sw.setAttribute('aria-hidden', 'true');
      li.append(sw, document.createTextNode(TOKEN_LABELS[t] ?? t));
      shell.legend.append(li);
    }
  };
  legend();

  /** Keeps the selected column in view, without animation when the user asked for less motion. */
  const revealColumn = (step: number, zoom: number) => {
    const x = step * zoom;
    const visible = geo.scroller.w - LANE_LABEL_W;
    if (x < geo.scrollLeft || x + zoom > geo.scrollLeft + visible) {
      const left = Math.max(0, x - visible / 2);
      if (prefersReducedMotion()) scrollTo(left, null);
      else shell.laneScroller.scrollTo({ left, behavior: 'smooth' });
    }
  };

  return {
    render(next) {
      const firstRender = input === null;
      input = next;
      const { vm, state } = next;
      const v = vm.view;
      const s = shell;
      s.empty.hidden = true;
      s.root.classList.remove('hl-no-timeline');
      s.title.textContent = v.title;
      s.kernel.textContent = `kernel ${v.kernel}`;
      s.verdict.textContent = v.verdict.summary;
      s.verdict.classList.toggle('hl-hazard', v.verdict.crashed || v.verdict.hazards > 0);
      s.stale.hidden = !next.stale;
      s.root.classList.toggle('hl-is-stale', next.stale);
      s.alerts.replaceChildren(...vm.alerts.map((a) => Object.assign(document.createElement('li'), { textContent: a })));
      s.alerts.hidden = vm.alerts.length === 0;
      s.slider.max = String(Math.max(0, v.steps.length - 1));
      s.slider.value = String(vm.step);
      const step = v.steps[vm.step];
      s.slider.setAttribute('aria-valuetext', step ? `step ${vm.step}: ${step.label}` : '');
      s.stepLabel.textContent = step ? `${vm.step} / ${v.steps.length - 1}: ${step.label}` : '';
      const after = `Physical address map after step ${vm.step}${step ? ` (${step.label})` : ''}`;
      const [mapA, mapB] = next.maps;
      s.mapTitle.textContent = mapB ? `${after} — ${mapA!.kernel}` : after;
      s.mapTitleB.textContent = mapB ? `${after} — ${mapB.kernel}` : '';
      if (s.mapCanvasB.hidden !== !mapB) invalidate();
      s.mapTitleB.hidden = !mapB;
      s.mapCanvasB.hidden = !mapB;
      const mapLabel = (m: AddressMapView) => m.segments.map((x) => `${x.diff ? 'differs: ' : ''}${x.detail.split('\n')[0]}`).join('; ');
      if (mapA) s.mapCanvas.setAttribute('aria-label', mapLabel(mapA.map));
      if (mapB) s.mapCanvasB.setAttribute('aria-label', mapLabel(mapB.map));
      s.detailsTitle.textContent = `Step ${vm.step}: ${step?.label ?? ''} — ${vm.stepEvents.length} event${vm.stepEvents.length === 1 ? '' : 's'}`;
      s.compare.hidden = next.compare === null && !state.compare;
      s.compare.setAttribute('aria-pressed', String(state.compare));
      renderEvents(s.events, s.why, vm.stepEvents, cb.onReveal);
      // Compare mode: one state list per kernel, side by side.
      const states = next.states && next.states.length > 1 ? next.states : null;
      s.stateTitle.textContent = states ? `State after this step — kernel ${states[0]!.kernel}` : 'State after this step';
      renderState(s.stateList, (states ? states[0]!.timeline : next.timeline).steps[vm.step]);
      s.stateTitleB.hidden = !states;
      s.stateListB.hidden = !states;
      s.stateTitleB.textContent = states ? `State after this step — kernel ${states[1]!.kernel}` : '';
      if (states) renderState(s.stateListB, states[1]!.timeline.steps[Math.min(vm.step, states[1]!.timeline.steps.length - 1)]);
      else s.stateListB.replaceChildren();
      renderDifferences(s.differences, state.compare && next.compare ? next.compare.kernels : null, next.compare?.differences ?? []);
      if (s.live.textContent !== vm.announcement) s.live.textContent = vm.announcement;

      // The lane box's height depends on the lanes only; set it before anything is measured.
      const boxHeight = `${Math.min(contentSize(v, 0).height + 16, Math.max(200, window.innerHeight * 0.55))}px`;
      if (s.laneBox.style.height !== boxHeight) { s.laneBox.style.height = boxHeight; invalidate(); }
      const col = columnWidth();
      s.laneScroller.dataset.columnWidth = String(col);
      const size = contentSize(v, col);
      s.laneSpacer.style.width = `${size.width}px`;
      s.laneSpacer.style.height = `${size.height}px`;
      if (firstRender) {
        scrollTo(state.scrollLeft, state.scrollTop);
      } else if (vm.step !== lastStep) {
        revealColumn(vm.step, col);
      }
      lastStep = vm.step;
      redraw();
      syncCursor();
    },
    renderEmpty(message) {
      input = null;
      shell.root.classList.add('hl-no-timeline');
      shell.empty.hidden = false;
      shell.empty.textContent = message;
    },
    redraw,
    toPng() {
      // The picture as on screen: map(s), lanes and the mapping lines over them.
      measure();
      const ratio = window.devicePixelRatio || 1;
      const out = document.createElement('canvas');
      out.width = Math.max(1, Math.round(geo.picture.w * ratio));
      out.height = Math.max(1, Math.round(geo.picture.h * ratio));
      const ctx = out.getContext('2d')!;
      ctx.fillStyle = input?.palette.background ?? '#fff';
      ctx.fillRect(0, 0, out.width, out.height);
      const at = (c: HTMLCanvasElement, b: Box) => { if (!c.hidden && c.width > 1) ctx.drawImage(c, Math.round(b.x * ratio), Math.round(b.y * ratio)); };
      at(shell.mapCanvas, geo.maps[0] ?? geo.picture);
      if (geo.maps[1]) at(shell.mapCanvasB, geo.maps[1]);
      at(shell.laneCanvas, geo.scroller);
      ctx.drawImage(shell.linkCanvas, 0, 0);
      return out.toDataURL('image/png');
    },
    toSvg(from, to) {
      if (!input) return '';
      return viewToSvg(input.vm.view, input.maps, { palette: input.palette, selected: input.vm.step, from, to });
    },
  };
}
