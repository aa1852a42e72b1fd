// The message that carries a timeline notification to the webview. A timeline crosses packed, as
// one string (protocol/packedTimeline.ts): postMessage of the object copies every one of its
// objects — 0.87 s for 100,000 events — and VS Code serialises it once more on the way. Packed
// once per timeline object: a webview reload or an editor switch re-sends the same one.
// No `vscode` here, so it is unit-tested in Node.

import type { Timeline, TimelineNotification, ToWebview } from '../language-server/protocol/index.js';
import { packTimeline } from '../language-server/protocol/packedTimeline.js';

export function createTimelineMessages(): (n: TimelineNotification) => ToWebview {
  const packed = new WeakMap<Timeline, string>();
  return (n) => {
    if (!n.timeline) return { type: 'timeline', uri: n.uri, version: n.version, timeline: null, stale: n.stale };
    let text = packed.get(n.timeline);
    if (text === undefined) { text = packTimeline(n.timeline); packed.set(n.timeline, text); }
    return { type: 'packedTimeline', uri: n.uri, version: n.version, packed: text, stale: n.stale };
  };
}
