// Message handling: what a message from the extension does to what is shown, and the messages
// the webview sends back. `applyMessage` is pure so its rules (validation, stale versions, last
// good timeline) are unit-tested in Node; main.ts applies its result.
import type { CompareResult, FromWebview, Timeline, ToWebview } from '../language-server/protocol/index.js';
import type { VsCodeApi, WebviewState } from './state.js';
import { unpackTimeline } from '../language-server/protocol/packedTimeline.js';
import { headProblem, messageProblem, stateProblem } from './validate.js';

export interface Shown {
  readonly uri: string;
  readonly version: number;
  readonly timeline: Timeline | null;
  /** The document has errors; this is the last good timeline. */
  readonly stale: boolean;
  readonly compare: CompareResult | null;
}

export const NOTHING_SHOWN: Shown = { uri: '', version: -1, timeline: null, stale: false, compare: null };

export interface Applied {
  readonly shown: Shown;
  readonly patch: Partial<WebviewState>;
  readonly render: boolean;
  readonly log: string;
}

const ignore = (shown: Shown, log: string): Applied => ({ shown, patch: {}, render: false, log });

export function applyMessage(shown: Shown, state: WebviewState, raw: unknown): Applied {
  const problem = messageProblem(raw);
  if (problem) return ignore(shown, `ignored message: ${problem}`);
  const received = raw as ToWebview;
  let msg: Exclude<ToWebview, { type: 'packedTimeline' }>;
  if (received.type === 'packedTimeline') {
    // An older version is dropped before paying for its decoding.
    if (received.uri === shown.uri && received.version < shown.version) return ignore(shown, `dropped timeline v${received.version}: v${shown.version} is shown`);
    const r = unpackTimeline(received.packed, { headProblem, stateProblem });
    if (!r.timeline) return ignore(shown, `ignored message: ${r.problem}`);
    msg = { type: 'timeline', uri: received.uri, version: received.version, timeline: r.timeline, stale: received.stale };
  } else msg = received;
  switch (msg.type) {
    case 'timeline': {
      const sameDoc = msg.uri === shown.uri;
      if (sameDoc && msg.version < shown.version) return ignore(shown, `dropped timeline v${msg.version}: v${shown.version} is shown`);
      const newDoc = msg.uri !== state.uri;
      // No timeline (the machine does not simulate): keep the last good one, marked stale.
      const timeline = msg.timeline ?? (sameDoc ? shown.timeline : null);
      const stale = msg.timeline === null ? timeline !== null : msg.stale;
      const next: Shown = { uri: msg.uri, version: msg.version, timeline, stale, compare: sameDoc ? shown.compare : null };
      const steps = timeline?.steps.length ?? 1;
      // Edits keep the selected step, zoom and scroll; another document starts at the top.
      const patch: Partial<WebviewState> = newDoc
        ? { uri: msg.uri, version: msg.version, step: 0, scrollLeft: 0, scrollTop: 0, compare: false }
        : { version: msg.version, step: Math.min(state.step, steps - 1) };
      return { shown: next, patch, render: true, log: '' };
    }
    case 'selectStep': {
      if (msg.uri !== shown.uri || !shown.timeline) return ignore(shown, `ignored selectStep for ${msg.uri}`);
      const step = Math.max(0, Math.min(msg.step, shown.timeline.steps.length - 1));
      return { shown, patch: { step }, render: step !== state.step, log: '' };
    }
    case 'compare': {
      if (msg.uri !== shown.uri) return ignore(shown, `ignored compare for ${msg.uri}`);
      return { shown: { ...shown, compare: msg.result }, patch: { compare: true }, render: true, log: '' };
    }
  }
}

/** Typed postMessage: the only way the webview talks back. */
export function send(api: VsCodeApi, message: FromWebview): void {
  api.postMessage(message);
}
