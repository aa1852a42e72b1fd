// The timeline sent to the client after each analysis. The last good timeline of a document is
// kept so that while the user is mid-edit (errors, no timeline) the client can keep showing it,
// marked stale, instead of flashing empty. The notification carries the worker's packed string as
// it is (no object is serialised here); handlers that need the object decode it lazily.

import type { Timeline } from '../core/index.js';
import type { TimelineHead, TimelineNotification } from '../protocol/index.js';
import { hasErrors, type DocumentAnalysis } from './documentAnalysis.js';
import type { TimelineRef } from './simulator.js';

export interface TimelineStore {
  /** The notification for this analysis; remembers its timeline when it has one. */
  notificationFor(result: DocumentAnalysis): TimelineNotification;
  /** The newest timeline known for a document, fresh or stale (decoded on first use). */
  lastGood(uri: string): Timeline | undefined;
  /** The head (verdict, kernel…) of that timeline: no decoding. */
  lastGoodHead(uri: string): TimelineHead | undefined;
  forget(uri: string): void;
}

export function createTimelineStore(): TimelineStore {
  const good = new Map<string, TimelineRef>();
  const send = (uri: string, version: number, ref: TimelineRef, stale: boolean): TimelineNotification =>
    ({ uri, version, packed: ref.packed, head: ref.head, stale });
  return {
    notificationFor(result) {
      const { uri, version, analysis, timelineRef } = result;
      if (timelineRef) {
        good.set(uri, timelineRef);
        return send(uri, version, timelineRef, false);
      }
      const last = good.get(uri);
      if (last && hasErrors(analysis)) return send(uri, version, last, true);
      return { uri, version, packed: null, head: null, stale: false };
    },
    lastGood: (uri) => good.get(uri)?.timeline,
    lastGoodHead: (uri) => good.get(uri)?.head,
    forget: (uri) => { good.delete(uri); },
  };
}
