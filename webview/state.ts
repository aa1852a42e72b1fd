// What the webview remembers across reloads (VS Code destroys hidden webviews; we do not ask for
// retainContextWhenHidden): the selected step, zoom, scroll and compare mode, per document.
// The timeline itself is not persisted — the extension re-sends it on `ready`.

export interface WebviewState {
  readonly uri: string;
  /** Document version of the timeline last shown (older pushes are dropped). */
  readonly version: number;
  readonly step: number;
  /** Width of one step column, in CSS pixels. */
  readonly zoom: number;
  readonly scrollLeft: number;
  readonly scrollTop: number;
  readonly compare: boolean;
}

export const MIN_ZOOM = 8;
export const MAX_ZOOM = 240;

export const DEFAULT_STATE: WebviewState = { uri: '', version: -1, step: 0, zoom: 96, scrollLeft: 0, scrollTop: 0, compare: false };

/** The subset of acquireVsCodeApi() the webview uses; tests stub it. */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

/** Reads persisted state defensively: an older webview may have saved another shape. */
export function restoreState(saved: unknown): WebviewState {
  if (typeof saved !== 'object' || saved === null) return DEFAULT_STATE;
  const s = saved as Record<string, unknown>;
  return {
    uri: typeof s.uri === 'string' ? s.uri : '',
    version: num(s.version, -1),
    step: Math.max(0, Math.trunc(num(s.step, 0))),
    zoom: Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, num(s.zoom, DEFAULT_STATE.zoom))),
    scrollLeft: Math.max(0, num(s.scrollLeft, 0)),
    scrollTop: Math.max(0, num(s.scrollTop, 0)),
    compare: s.compare === true,
  };
}

/** The one mutable holder; every change goes through `update` so it is persisted. */
export interface StateStore {
  get(): WebviewState;
  update(patch: Partial<WebviewState>): WebviewState;
}

export function createStateStore(api: VsCodeApi): StateStore {
  let current = restoreState(api.getState());
  return {
    get: () => current,
    update(patch) {
      current = { ...current, ...patch };
      api.setState(current);
      return current;
    },
  };
}
