// Entry of the webview bundle (dist/webview/timeline.js): wires messages, state, the pure view
// model and rendering together. All mutable state lives in `start`'s closure.
import './timeline.css';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { Timeline } from '../language-server/protocol/index.js';
import { applyMessage, NOTHING_SHOWN, send, type Shown } from './actions.js';
import { readPalette } from './canvas.js';
import { compareMaps, compareView, type CompareView } from './compare.js';
import { createRenderer, type MapPanel } from './render.js';
import { createShell } from './shell.js';
import { createStateStore, MAX_ZOOM, MIN_ZOOM, type VsCodeApi } from './state.js';
import { timelineToText } from './textExport.js';
import { buildTimelineView, buildViewModel, clampStep, type TimelineView } from './viewModel.js';

declare function acquireVsCodeApi(): VsCodeApi;

function start(): void {
  const api = acquireVsCodeApi();
  const store = createStateStore(api);
  const shell = createShell(document.getElementById('app') ?? document.body);
  let shown: Shown = NOTHING_SHOWN;
  // The lanes of a timeline are built once per push; stepping only rebuilds the cheap parts.
  let cached: { timeline: Timeline; view: TimelineView } | null = null;
  let cachedCompare: { key: unknown; view: CompareView | null } | null = null;

  const log = (message: string) => {
    console.warn(`[hotplug timeline] ${message}`);
    send(api, { type: 'log', message });
  };

  const renderer = createRenderer(shell, {
    onSelect: (step) => select(step, true),
    onReveal: (e) => { if (shown.uri) send(api, { type: 'reveal', uri: shown.uri, line: e.line, start: e.span.start, length: e.span.length }); },
    onScroll: (scrollLeft, scrollTop) => { store.update({ scrollLeft, scrollTop }); },
  });

  const currentCompare = (): CompareView | null => {
    if (!shown.compare) return null;
    if (cachedCompare?.key !== shown.compare) cachedCompare = { key: shown.compare, view: compareView(shown.compare) };
    return cachedCompare.view;
  };

  const renderAll = () => {
    const timeline = shown.timeline;
    if (!timeline) {
      renderer.renderEmpty(shown.uri ? 'No timeline: the scenario cannot be simulated yet (see Problems).' : 'Waiting for a timeline…');
      return;
    }
    if (cached?.timeline !== timeline) cached = { timeline, view: buildTimelineView(timeline) };
    const state = store.get();
    const cmp = currentCompare();
    const view = state.compare && cmp ? cmp.view : cached.view;
    const vm = buildViewModel(timeline, { step: clampStep(state.step, view.steps.length) }, view);
    const twoMaps = state.compare && cmp && shown.compare ? compareMaps(shown.compare, vm.step) : null;
    const maps: MapPanel[] = twoMaps && cmp
      ? [{ kernel: `kernel ${cmp.kernels[0]}`, map: twoMaps[0] }, { kernel: `kernel ${cmp.kernels[1]}`, map: twoMaps[1] }]
      : [{ kernel: `kernel ${timeline.kernel}`, map: vm.map }];
    const [ta, tb] = twoMaps && cmp && shown.compare ? shown.compare.timelines : [undefined, undefined];
    const states = ta && tb && cmp ? [{ kernel: cmp.kernels[0], timeline: ta }, { kernel: cmp.kernels[1], timeline: tb }] : undefined;
    renderer.render({ vm, timeline, stale: shown.stale, state, compare: cmp, maps, palette: readPalette(document.body), ...(states ? { states } : {}) });
  };

  function select(step: number, fromUser: boolean): void {
    if (!shown.timeline) return;
    const count = store.get().compare && currentCompare() ? currentCompare()!.view.steps.length : shown.timeline.steps.length;
    const next = clampStep(step, count);
    if (next === store.get().step) return;
    store.update({ step: next });
    renderAll();
    if (fromUser) send(api, { type: 'stepSelected', uri: shown.uri, step: next });
  }

  window.addEventListener('message', (ev: MessageEvent) => {
    const r = applyMessage(shown, store.get(), ev.data);
    if (r.log) log(r.log);
    shown = r.shown;
    if (Object.keys(r.patch).length > 0) store.update(r.patch);
    if (r.render) renderAll();
  });

  const stepBy = (delta: number | 'first' | 'last') => {
    const s = store.get().step;
    select(delta === 'first' ? 0 : delta === 'last' ? Number.MAX_SAFE_INTEGER : s + delta, true);
  };
  shell.first.addEventListener('click', () => stepBy('first'));
  shell.prev.addEventListener('click', () => stepBy(-1));
  shell.next.addEventListener('click', () => stepBy(1));
  shell.last.addEventListener('click', () => stepBy('last'));
  shell.slider.addEventListener('input', () => select(Number(shell.slider.value), true));
  const zoom = (factor: number) => {
    const z = Math.round(Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, store.get().zoom * factor)));
    store.update({ zoom: z });
    renderAll();
  };
  shell.zoomIn.addEventListener('click', () => zoom(1.25));
  shell.zoomOut.addEventListener('click', () => zoom(0.8));
  shell.compare.addEventListener('click', () => { store.update({ compare: !store.get().compare }); renderAll(); });

  document.addEventListener('keydown', (ev) => {
    const t = ev.target as HTMLElement | null;
    // The slider and text fields handle arrows themselves; do not step twice.
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return;
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const moves: Record<string, number | 'first' | 'last'> = { ArrowLeft: -1, ArrowRight: 1, Home: 'first', End: 'last' };
    const move = moves[ev.key];
    if (move === undefined) return;
    ev.preventDefault();
    stepBy(move);
  });

  const exportAs = (format: 'svg' | 'png' | 'json' | 'text') => {
    const t = shown.timeline;
    if (!t) return;
    const step = (el: HTMLInputElement) => (el.value.trim() === '' ? undefined : Number(el.value));
    const data = format === 'svg' ? renderer.toSvg(step(shell.exportFrom), step(shell.exportTo)) : format === 'png' ? renderer.toPng() : format === 'json' ? JSON.stringify(t, null, 2) : timelineToText(t);
    send(api, { type: 'export', format, data });
  };
  for (const format of ['svg', 'png', 'json', 'text'] as const) shell.exports[format].addEventListener('click', () => exportAs(format));

  // VS Code switches themes by changing body classes and the html style; re-read the palette.
  const themeObserver = new MutationObserver(() => renderer.redraw(readPalette(document.body)));
  themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  // Resizes: the renderer observes what it draws into (render.ts).

  renderAll();
  send(api, { type: 'ready' });
}

start();
