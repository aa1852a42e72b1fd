// The static DOM of the panel, built once. Everything user-visible that comes from the scenario
// is later set with textContent (render.ts), never parsed as HTML.

export interface Shell {
  readonly root: HTMLElement;
  readonly title: HTMLElement;
  readonly kernel: HTMLElement;
  readonly stale: HTMLElement;
  readonly verdict: HTMLElement;
  readonly alerts: HTMLElement;
  readonly first: HTMLElement;
  readonly prev: HTMLElement;
  readonly next: HTMLElement;
  readonly last: HTMLElement;
  readonly slider: HTMLInputElement;
  readonly stepLabel: HTMLElement;
  readonly zoomIn: HTMLElement;
  readonly zoomOut: HTMLElement;
  readonly compare: HTMLElement;
  readonly exports: Readonly<Record<'svg' | 'png' | 'json' | 'text', HTMLElement>>;
  /** The steps an SVG export covers (empty: from the first / to the last). */
  readonly exportFrom: HTMLInputElement;
  readonly exportTo: HTMLInputElement;
  readonly mapTitle: HTMLElement;
  readonly mapCanvas: HTMLCanvasElement;
  /** Compare mode: the second kernel's map, under the first. */
  readonly mapTitleB: HTMLElement;
  readonly mapCanvasB: HTMLCanvasElement;
  /** Holds the map and the lanes; the link canvas lies over both. */
  readonly picture: HTMLElement;
  readonly linkCanvas: HTMLCanvasElement;
  readonly legend: HTMLElement;
  readonly laneBox: HTMLElement;
  readonly laneCanvas: HTMLCanvasElement;
  readonly laneScroller: HTMLElement;
  readonly laneSpacer: HTMLElement;
  readonly detailsTitle: HTMLElement;
  readonly events: HTMLElement;
  readonly why: HTMLElement;
  readonly stateTitle: HTMLElement;
  readonly stateList: HTMLElement;
  /** Compare mode: the second kernel's state title and list. */
  readonly stateTitleB: HTMLElement;
  readonly stateListB: HTMLElement;
  readonly differences: HTMLElement;
  readonly tooltip: HTMLElement;
  readonly live: HTMLElement;
  /** Announces the lane item under the keyboard cursor (its hover text). */
  readonly cursorLive: HTMLElement;
  readonly empty: HTMLElement;
}

type Attrs = Record<string, string>;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, text = ''): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text) e.textContent = text;
  return e;
}

/** A vscode-elements button with a visible text and an accessible label. */
function button(id: string, text: string, label: string): HTMLElement {
  const b = document.createElement('vscode-button');
  b.id = id;
  b.setAttribute('aria-label', label);
  b.setAttribute('title', label);
  b.setAttribute('secondary', '');
  b.textContent = text;
  return b;
}

export function createShell(root: HTMLElement): Shell {
  root.replaceChildren();
  root.removeAttribute('aria-busy');
  const header = el('header', { class: 'hl-header' });
  const title = el('h1', { id: 'hl-title' });
  const kernel = el('span', { class: 'hl-kernel' });
  const stale = el('span', { class: 'hl-stale', role: 'status' }, 'stale: the document has errors; showing the last good timeline');
  stale.hidden = true;
  const verdict = el('p', { class: 'hl-verdict' });
  header.append(title, kernel, stale, verdict);

  const alerts = el('ul', { class: 'hl-alerts', 'aria-label': 'Hazards at this step' });

  const toolbar = el('div', { class: 'hl-toolbar', role: 'toolbar', 'aria-label': 'Timeline controls' });
  const first = button('hl-first', '|◀', 'First step (Home)');
  const prev = button('hl-prev', '◀', 'Previous step (Left arrow)');
  const sliderLabel = el('label', { class: 'hl-slider', for: 'hl-slider' }, 'Step');
  const slider = el('input', { id: 'hl-slider', type: 'range', min: '0', max: '0', step: '1', value: '0' });
  const next = button('hl-next', '▶', 'Next step (Right arrow)');
  const last = button('hl-last', '▶|', 'Last step (End)');
  const stepLabel = el('output', { id: 'hl-step-label', for: 'hl-slider', class: 'hl-step-label' });
  const zoomOut = button('hl-zoom-out', '−', 'Narrower step columns');
  const zoomIn = button('hl-zoom-in', '+', 'Wider step columns');
  const compare = button('hl-compare', 'Compare', 'Show the comparison of two kernels');
  compare.setAttribute('aria-pressed', 'false');
  compare.hidden = true;
  const exportGroup = el('span', { class: 'hl-exports', role: 'group', 'aria-label': 'Export' });
  const exports = {
    svg: button('hl-export-svg', 'SVG', 'Export the timeline (the steps chosen beside, else all) as SVG'),
    png: button('hl-export-png', 'PNG', 'Export the current view as PNG'),
    json: button('hl-export-json', 'JSON', 'Export the timeline as JSON'),
    text: button('hl-export-text', 'Text', 'Export the plain-text timeline'),
  };
  const rangeLabel = el('label', { class: 'hl-export-range', for: 'hl-export-from' }, 'SVG steps');
  const exportFrom = el('input', { id: 'hl-export-from', type: 'number', min: '0', step: '1', placeholder: 'first', 'aria-label': 'SVG export: first step (empty: the first)' });
  const exportTo = el('input', { id: 'hl-export-to', type: 'number', min: '0', step: '1', placeholder: 'last', 'aria-label': 'SVG export: last step (empty: the last)' });
  exportGroup.append(rangeLabel, exportFrom, el('span', { 'aria-hidden': 'true' }, '–'), exportTo, exports.svg, exports.png, exports.json, exports.text);
  toolbar.append(first, prev, sliderLabel, slider, next, last, stepLabel, zoomOut, zoomIn, compare, exportGroup);

  const mapSection = el('section', { class: 'hl-map', 'aria-labelledby': 'hl-map-title' });
  const mapTitle = el('h2', { id: 'hl-map-title' }, 'Physical address map');
  const mapCanvas = el('canvas', { role: 'img', id: 'hl-map-canvas' });
  const mapTitleB = el('h3', { id: 'hl-map-title-b' });
  const mapCanvasB = el('canvas', { role: 'img', id: 'hl-map-canvas-b' });
  mapTitleB.hidden = true;
  mapCanvasB.hidden = true;
  const legend = el('ul', { class: 'hl-legend', 'aria-label': 'Legend' });
  mapSection.append(mapTitle, mapCanvas, mapTitleB, mapCanvasB, legend);

  const laneSection = el('section', { class: 'hl-lanes', 'aria-label': 'Lanes over time' });
  const laneBox = el('div', { class: 'hl-lane-box' });
  const laneCanvas = el('canvas', { role: 'img', id: 'hl-lane-canvas', 'aria-label': 'Devices, filesystems, processes and mappings per step' });
  // The scroller lies over the canvas: it provides native scrolling, the canvas draws the window.
  // Focusable: arrows move a cursor through the canvas (cursor.ts), so what a pointer's hover
  // shows is reachable by keyboard and read out by the live region below.
  const laneScroller = el('div', {
    class: 'hl-lane-scroller', tabindex: '0', role: 'application', 'aria-roledescription': 'timeline lanes',
    'aria-label': 'Lanes over time. Up and Down arrows: the states and events of the selected step, with their causes. Left and Right: previous and next step. Enter: show the statement of an event. Escape: leave.',
    'aria-describedby': 'hl-cursor-live',
  });
  const laneSpacer = el('div', { class: 'hl-lane-spacer' });
  laneScroller.append(laneSpacer);
  laneBox.append(laneCanvas, laneScroller);
  laneSection.append(laneBox);

  const details = el('section', { class: 'hl-details', 'aria-labelledby': 'hl-details-title' });
  const detailsTitle = el('h2', { id: 'hl-details-title' });
  const events = el('div', { class: 'hl-events', role: 'list', 'aria-label': 'Events of the selected step' });
  const why = el('pre', { class: 'hl-why', 'aria-label': 'Why: the selected event, its kernel rule and causes' });
  const stateTitle = el('h3', {}, 'State after this step');
  const stateList = el('ul', { class: 'hl-state', id: 'hl-state-list', 'aria-labelledby': 'hl-state-title' });
  stateTitle.id = 'hl-state-title';
  const stateTitleB = el('h3', { id: 'hl-state-title-b' });
  const stateListB = el('ul', { class: 'hl-state', id: 'hl-state-list-b', 'aria-labelledby': 'hl-state-title-b' });
  stateTitleB.hidden = true;
  stateListB.hidden = true;
  const differences = el('div', { class: 'hl-differences' });
  details.append(detailsTitle, events, why, stateTitle, stateList, stateTitleB, stateListB, differences);

  const empty = el('p', { class: 'placeholder' }, 'No timeline yet: the scenario cannot be simulated.');
  empty.hidden = true;
  const tooltip = el('div', { class: 'hl-tooltip', role: 'tooltip', id: 'hl-tooltip' });
  tooltip.hidden = true;
  const live = el('div', { class: 'hl-sr-only', 'aria-live': 'polite', 'aria-atomic': 'true', id: 'hl-live' });
  const cursorLive = el('div', { class: 'hl-sr-only', 'aria-live': 'polite', 'aria-atomic': 'true', id: 'hl-cursor-live' });

  // Lines from mapping lanes to their ranges cross from the lanes to the map: drawn on a canvas
  // over both that takes no pointer events (the text alternative is the state list).
  const picture = el('div', { class: 'hl-picture' });
  const linkCanvas = el('canvas', { class: 'hl-link-canvas', id: 'hl-link-canvas', 'aria-hidden': 'true' });
  picture.append(mapSection, laneSection, linkCanvas);

  root.append(header, alerts, toolbar, empty, picture, details, tooltip, live, cursorLive);
  return {
    root, title, kernel, stale, verdict, alerts, first, prev, next, last, slider, stepLabel, zoomIn, zoomOut, compare, exports, exportFrom, exportTo,
    mapTitle, mapCanvas, mapTitleB, mapCanvasB, picture, linkCanvas, legend, laneBox, laneCanvas, laneScroller, laneSpacer, detailsTitle, events, why, stateTitle, stateList, stateTitleB, stateListB, differences, tooltip, live, cursorLive, empty,
  };
}
