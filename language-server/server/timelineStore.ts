// The timeline sent to the client after each analysis. The last good timeline of a document is
// kept so that while the user is mid-edit (errors, no timeline) the client can keep showing it,
// marked stale, instead of flashing empty.

import type { Timeline } from '../core/index.js';
import type { TimelineNotification } from '../protocol/index.js';
import { hasErrors, type DocumentAnalysis } from './documentAnalysis.js';

export interface TimelineStore {
  /** The notification for this analysis; remembers its timeline when it has one. */
  notificationFor(result: DocumentAnalysis): TimelineNotification;
  /** The newest timeline known for a document, fresh or stale. */
  lastGood(uri: string): Timeline | undefined;
  forget(uri: string): void;
}

export function createTimelineStore(): TimelineStore {
  const good = new Map<string, Timeline>();
  return {
    notificationFor(result) {
      const { uri, version, analysis } = result;
      if (analysis.timeline) {
        good.set(uri, analysis.timeline);
        return { uri, version, timeline: analysis.timeline, stale: false };
      }
      const last = good.get(uri);
      if (last && hasErrors(analysis)) return { uri, version, timeline: last, stale: true };
      return { uri, version, timeline: null, stale: false };
    },
    lastGood: (uri) => good.get(uri),
    forget: (uri) => { good.delete(uri); },
  };
}
