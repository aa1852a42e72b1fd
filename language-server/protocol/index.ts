// Types and method names shared by the server, the extension and the webview. Everything here is
// JSON-safe. Custom LSP methods are declared once, each with a sentence saying who sends it.

export type {
  Timeline, StepView, EventView, EventResult, CauseView, StateView, BlockRun, DeviceView, MappingView,
  ProcessView, SignalView, FsView, ResourceView, PoisonView, RegionView, Verdict, SpanJson, BlockState, ZoneName, MappingState,
} from '../core/sim/timeline.js';
import type { Timeline } from '../core/sim/timeline.js';

export const LanguageId = 'hotplug';

/** Custom LSP methods (prefix `hotplug/`). */
export const Methods = {
  /** Server → client notification: the timeline of a document version, after each analysis. */
  timeline: 'hotplug/timeline',
  /** Server → client notification: the step under the cursor changed (in reply to `cursor`). */
  stepAtCursor: 'hotplug/stepAtCursor',
  /** Client → server notification: the cursor moved in a scenario editor. */
  cursor: 'hotplug/cursor',
  /** Client → server request: simulate a document under two kernels and list differing steps. */
  compare: 'hotplug/compare',
  /** Client → server request: the plain-text timeline of a document (export, terminal). */
  renderText: 'hotplug/renderText',
  /**
   * Client → server request (tests, troubleshooting; the extension does not send it): the server
   * process's memory after a full garbage collection when node runs with `--expose-gc`.
   */
  stats: 'hotplug/stats',
} as const;

/** A timeline without its steps: title, kernel, knobs, block size, regions, verdict (small). */
export type TimelineHead = Omit<Timeline, 'steps'>;

/**
 * `hotplug/timeline`. The timeline travels packed (packedTimeline.ts, docs/timeline-schema.md):
 * the server's worker packs it once, the server sends the string as it is, and the extension
 * forwards it to the webview without decoding it. `head` is the same timeline's head, for
 * readers that want only the verdict or the kernel; `decodeTimeline(packed)` gives the object.
 */
export interface TimelineNotification {
  readonly uri: string;
  readonly version: number;
  /** The packed timeline; null when the scenario cannot be simulated at all (e.g. errors in the machine). */
  readonly packed: string | null;
  /** The timeline's head; null exactly when `packed` is. */
  readonly head: TimelineHead | null;
  /** True when the document has errors and this is the last good timeline of an older version. */
  readonly stale: boolean;
}

export interface CursorNotification {
  readonly uri: string;
  readonly version: number;
  /** 0-based line. */
  readonly line: number;
}

export interface StepAtCursorNotification {
  readonly uri: string;
  readonly version: number;
  readonly step: number;
}

export interface CompareParams {
  readonly uri: string;
  readonly kernels: readonly [string, string];
}

export interface CompareDifference {
  readonly step: number;
  readonly line: number;
  readonly subject: string;
  readonly a: string;
  readonly b: string;
}

export interface CompareResult {
  readonly kernels: readonly [string, string];
  readonly timelines: readonly [Timeline | null, Timeline | null];
  readonly differences: readonly CompareDifference[];
}

export interface RenderTextParams {
  readonly uri: string;
}

/** Reply to `hotplug/stats`: `process.memoryUsage()` of the server's main thread, in bytes. */
export interface StatsResult {
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly rss: number;
  readonly external: number;
  /** True when a full GC ran first (the server was started with `--expose-gc`). */
  readonly collected: boolean;
  /** Documents the server holds open. */
  readonly documents: number;
}

export { decodeTimeline, packTimeline, packTimelineObject, timelineHead, unpackTimeline, type PackedTimeline, type Unpacked } from './packedTimeline.js';

// ---- extension ⇄ webview messages ------------------------------------------------------------

export type ToWebview =
  | { readonly type: 'timeline'; readonly uri: string; readonly version: number; readonly timeline: Timeline | null; readonly stale: boolean }
  /** The same as `timeline` with a timeline, packed (packedTimeline.ts): what the extension sends. */
  | { readonly type: 'packedTimeline'; readonly uri: string; readonly version: number; readonly packed: string; readonly stale: boolean }
  | { readonly type: 'selectStep'; readonly uri: string; readonly step: number }
  | { readonly type: 'compare'; readonly uri: string; readonly result: CompareResult };

export type FromWebview =
  | { readonly type: 'ready' }
  | { readonly type: 'stepSelected'; readonly uri: string; readonly step: number }
  | { readonly type: 'reveal'; readonly uri: string; readonly line: number; readonly start: number; readonly length: number }
  | { readonly type: 'export'; readonly format: 'svg' | 'png' | 'json' | 'text'; readonly data: string }
  | { readonly type: 'log'; readonly message: string };
