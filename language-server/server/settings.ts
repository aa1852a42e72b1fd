// Server settings (`hotplugLab.*`). They arrive in initializationOptions and, when they change, in
// workspace/configuration. Everything is validated here so handlers can trust the values.

import type { KernelVersion } from '../core/index.js';

export interface Settings {
  readonly debounceMs: number;
  /** Applied to files without a `kernel` line. */
  readonly defaultKernel: KernelVersion | undefined;
}

export const DEFAULT_SETTINGS: Settings = { debounceMs: 150, defaultKernel: undefined };

/** "6.8" → {major: 6, minor: 8}; anything else → undefined. */
export function parseKernelVersion(text: unknown): KernelVersion | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^\s*(\d{1,2})\.(\d{1,3})\s*$/.exec(text);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/** Reads a `hotplugLab` settings object of unknown shape; invalid fields keep their defaults. */
export function readSettings(raw: unknown, base: Settings = DEFAULT_SETTINGS): Settings {
  if (typeof raw !== 'object' || raw === null) return base;
  const r = raw as Record<string, unknown>;
  const debounce = typeof r['debounceMs'] === 'number' && Number.isFinite(r['debounceMs'])
    ? Math.max(0, Math.min(5000, Math.round(r['debounceMs'])))
    : base.debounceMs;
  const kernel = 'defaultKernel' in r ? parseKernelVersion(r['defaultKernel']) : base.defaultKernel;
  return { debounceMs: debounce, defaultKernel: kernel };
}
