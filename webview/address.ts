// Physical addresses arrive as hex strings (timeline.ts) and may exceed 2^53, so they are parsed
// to bigint here and only turned into screen fractions at the end.
import type { RegionView } from '../language-server/protocol/index.js';

export function parseHex(text: string): bigint {
  try {
    return BigInt(text.startsWith('0x') || text.startsWith('0X') ? text : `0x${text}`);
  } catch {
    return 0n;
  }
}

/** "4G", "128M", "2M", "4K" or bytes: how an engineer writes sizes. */
export function formatSize(bytes: bigint): string {
  const units: readonly [string, bigint][] = [['T', 1n << 40n], ['G', 1n << 30n], ['M', 1n << 20n], ['K', 1n << 10n]];
  for (const [unit, scale] of units) {
    if (bytes >= scale && bytes % scale === 0n) return `${bytes / scale}${unit}`;
  }
  return `${bytes}`;
}

export function formatAddr(addr: bigint): string {
  return `0x${addr.toString(16)}`;
}

interface Piece {
  readonly base: bigint;
  readonly end: bigint;
  readonly x0: number;
  readonly x1: number;
}

/**
 * Maps addresses to [0, 1] across the top-level regions. Gaps between regions are collapsed to
 * a fixed sliver and each region gets a minimum share, as one draws it on a whiteboard: a 256M
 * dax device next to 64G of RAM must still be visible.
 */
export interface AddressScale {
  readonly pieces: readonly Piece[];
  toX(addr: bigint): number;
}

const GAP_SHARE = 0.02;
const MIN_SHARE = 0.08;

export function createAddressScale(regions: readonly RegionView[]): AddressScale {
  const top = regions
    .filter((r) => r.kind !== 'dax')
    .map((r) => ({ base: parseHex(r.base), end: parseHex(r.base) + parseHex(r.size) }))
    .filter((r) => r.end > r.base)
    .sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
  // Merge overlaps so each address belongs to one piece.
  const merged: { base: bigint; end: bigint }[] = [];
  for (const r of top) {
    const last = merged[merged.length - 1];
    if (last && r.base <= last.end) last.end = r.end > last.end ? r.end : last.end;
    else merged.push({ ...r });
  }
  const total = merged.reduce((s, r) => s + Number(r.end - r.base), 0) || 1;
  const gaps = Math.max(0, merged.length - 1) * GAP_SHARE;
  const raw = merged.map((r) => Math.max(Number(r.end - r.base) / total, MIN_SHARE));
  const rawSum = raw.reduce((s, v) => s + v, 0) || 1;
  const pieces: Piece[] = [];
  let x = 0;
  merged.forEach((r, i) => {
    const w = (raw[i]! / rawSum) * (1 - gaps);
    pieces.push({ base: r.base, end: r.end, x0: x, x1: x + w });
    x += w + GAP_SHARE;
  });
  return {
    pieces,
    toX(addr: bigint): number {
      if (pieces.length === 0) return 0;
      for (const p of pieces) {
        if (addr < p.base) return p.x0;
        if (addr <= p.end) return p.x0 + ((p.x1 - p.x0) * Number(addr - p.base)) / Number(p.end - p.base || 1n);
      }
      return pieces[pieces.length - 1]!.x1;
    },
  };
}
