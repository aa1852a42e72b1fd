// The message that carries a timeline notification to the webview. A timeline crosses packed, as
// one string (protocol/packedTimeline.ts): postMessage of the object copies every one of its
// objects — 0.87 s for 100,000 events — and VS Code serialises it once more on the way. The
// language server's worker packs it and the `hotplug/timeline` notification carries that string,
// so the extension host forwards it as it is: no unpacking, no repacking.
// No `vscode` here, so it is unit-tested in Node.

import type { Timeline, TimelineNotification, ToWebview } from '../language-server/protocol/index.js';
import { decodeTimeline } from '../language-server/protocol/packedTimeline.js';

export function timelineMessage(n: TimelineNotification): ToWebview {
  if (n.packed === null) return { type: 'timeline', uri: n.uri, version: n.version, timeline: null, stale: n.stale };
  return { type: 'packedTimeline', uri: n.uri, version: n.version, packed: n.packed, stale: n.stale };
}

const decoded = new WeakMap<TimelineNotification, Timeline>();

/**
 * The notification's timeline as an object, for the few readers that need more than its head
 * (the JSON export, a step's lines): decoded on first use, once per notification.
 */
export function timelineOf(n: TimelineNotification | undefined): Timeline | undefined {
  if (!n || n.packed === null) return undefined;
  let t = decoded.get(n);
  if (!t) { t = decodeTimeline(n.packed); decoded.set(n, t); }
  return t;
}
