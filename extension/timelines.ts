// The newest timeline notification per document, for the status bar, the panel and export.
// Older versions never replace newer ones.

import type { TimelineNotification } from '../language-server/protocol/index.js';

export interface TimelineCache {
  update(n: TimelineNotification): boolean;
  /** Called after each accepted update; returns an unsubscribe function. */
  onUpdate(listener: (n: TimelineNotification) => void): () => void;
  get(uri: string): TimelineNotification | undefined;
  forget(uri: string): void;
}

export function createTimelineCache(): TimelineCache {
  const byUri = new Map<string, TimelineNotification>();
  const listeners = new Set<(n: TimelineNotification) => void>();
  return {
    update(n) {
      const old = byUri.get(n.uri);
      if (old && old.version > n.version) return false;
      byUri.set(n.uri, n);
      for (const l of [...listeners]) l(n);
      return true;
    },
    onUpdate(listener) {
      listeners.add(listener);
      return () => { listeners.delete(listener); };
    },
    get: (uri) => byUri.get(uri),
    forget: (uri) => { byUri.delete(uri); },
  };
}
