// The memory blocks of the simulated machine. Boot RAM that nothing has touched since boot is
// kept as runs (first..last: online, one zone, one node, full, no extents) instead of one Block
// per 128 MiB: a 64 TiB machine is 524,288 blocks and almost all of them stay untouched. A block
// of a run becomes a real Block the first time anything asks for it (get()), exactly as boot
// would have made it, so the rules never see the difference.
//
// Iteration order is the one a Map filled by boot and then by hot-add has: every boot block in
// address order first (a later block re-added at a boot index keeps that place), then the
// others in insertion order.

import type { Block } from './state.js';
import type { ZoneName } from './timeline.js';

/** Untouched boot blocks first..last (inclusive), all alike. */
export interface BootRun {
  readonly first: number;
  readonly last: number;
  readonly node: number;
  readonly owner: string;
  /** 'dma32' | 'normal' | 'movable' (boot blocks in ZONE_DMA always span two zones: real Blocks). */
  readonly zone: ZoneName;
  /** Whole blocks taken by the boot memmap (memblock, top-down): one reserved extent each. */
  readonly reserved?: string;
}

/** A stretch of untouched boot blocks, as seen by an ascending walk. */
export interface VirtualStretch {
  readonly first: number;
  readonly last: number;
  readonly run: BootRun;
}

export class BlockTable {
  private readonly real = new Map<number, Block>();
  /** Boot runs in address order; a block in a run is virtual until `real` holds its index. */
  private readonly runs: BootRun[] = [];
  /** Index ranges of every boot block (real or virtual), in address order. */
  private readonly bootRanges: { first: number; last: number }[] = [];
  private virtualCount = 0;
  private sortedReal: number[] | undefined;
  /** ascending() as last built; rebuilt when sortedReal is dropped (a block became real or was added). */
  private segments: (Block | VirtualStretch)[] | undefined;

  constructor(private readonly blockSize: bigint) {}

  /** Boot only: blocks first..last exist (boot RAM of one device), in address order. */
  noteBootRange(first: number, last: number): void {
    const prev = this.bootRanges[this.bootRanges.length - 1];
    if (prev && first <= prev.last + 1) prev.last = Math.max(prev.last, last);
    else this.bootRanges.push({ first, last });
  }

  /** Boot only: untouched boot blocks (none of them may be real yet). */
  addRun(run: BootRun): void {
    if (run.last < run.first) return;
    const prev = this.runs[this.runs.length - 1];
    if (prev && prev.last + 1 === run.first && prev.node === run.node && prev.owner === run.owner && prev.zone === run.zone && prev.reserved === run.reserved) {
      this.runs[this.runs.length - 1] = { ...prev, last: run.last };
    } else {
      this.runs.push(run);
    }
    this.virtualCount += run.last - run.first + 1;
    this.segments = undefined;
  }

  private runOf(i: number): BootRun | undefined {
    let lo = 0, hi = this.runs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.runs[mid]!;
      if (i < r.first) hi = mid - 1;
      else if (i > r.last) lo = mid + 1;
      else return r;
    }
    return undefined;
  }

  private materialize(i: number, run: BootRun): Block {
    const b: Block = {
      index: i, base: BigInt(i) * this.blockSize, state: 'online', zone: run.zone, node: run.node, owner: run.owner, present: this.blockSize, mixedZones: false,
      memmapHost: 'boot', extents: run.reserved === undefined ? [] : [{ start: 0n, size: this.blockSize, owner: { kind: 'reserved', what: run.reserved } }],
      poisoned: 0, poisonOffsets: [], hotplugged: false, burned: false,
    };
    this.real.set(i, b);
    this.virtualCount--;
    this.sortedReal = undefined;
    return b;
  }

  /** Is block `i` untouched boot RAM (in a run, not real yet)? */
  isVirtual(i: number): boolean {
    return !this.real.has(i) && this.runOf(i) !== undefined;
  }

  /**
   * Boot only: untouched blocks first..last (all virtual) are wholly taken by `what` (the boot
   * memmap). They stay in runs, marked reserved, instead of becoming 8,192 real blocks per 64 TiB.
   */
  reserve(first: number, last: number, what: string): void {
    const out: BootRun[] = [];
    for (const r of this.runs) {
      if (r.last < first || r.first > last) { out.push(r); continue; }
      const lo = Math.max(first, r.first), hi = Math.min(last, r.last);
      if (r.first < lo) out.push({ ...r, last: lo - 1 });
      out.push({ ...r, first: lo, last: hi, reserved: what });
      if (hi < r.last) out.push({ ...r, first: hi + 1 });
    }
    this.runs.length = 0;
    this.runs.push(...out);
    this.segments = undefined;
  }

  get(i: number): Block | undefined {
    const b = this.real.get(i);
    if (b) return b;
    const run = this.runOf(i);
    return run ? this.materialize(i, run) : undefined;
  }

  has(i: number): boolean {
    return this.real.has(i) || this.runOf(i) !== undefined;
  }

  set(i: number, b: Block): void {
    // The cached walk holds Block objects: a new object at an old index must not be missed.
    this.segments = undefined;
    if (!this.real.has(i)) {
      const run = this.runOf(i);
      if (run) this.virtualCount--;
      this.sortedReal = undefined;
    }
    this.real.set(i, b);
  }

  get size(): number {
    return this.real.size + this.virtualCount;
  }

  private isBootIndex(i: number): boolean {
    for (const r of this.bootRanges) if (i >= r.first && i <= r.last) return true;
    return false;
  }

  /** Real blocks only (untouched boot blocks hold no extents, are not hot-added, host nothing). */
  *materialized(): IterableIterator<Block> {
    const boot: Block[] = [];
    const rest: Block[] = [];
    for (const b of this.real.values()) (this.isBootIndex(b.index) ? boot : rest).push(b);
    boot.sort((a, b) => a.index - b.index);
    yield* boot;
    yield* rest;
  }

  /** Every block (untouched boot blocks become real as they are reached). */
  *values(): IterableIterator<Block> {
    for (const r of this.bootRanges) {
      for (let i = r.first; i <= r.last; i++) {
        const b = this.get(i);
        if (b) yield b;
      }
    }
    for (const b of [...this.real.values()]) if (!this.isBootIndex(b.index)) yield b;
  }

  /** Every real block, in no particular order (for per-block updates that do not depend on order). */
  realBlocks(): IterableIterator<Block> {
    return this.real.values();
  }

  /**
   * Every block in address order: real blocks, and stretches of untouched boot blocks. Built once
   * and reused until a block becomes real or is added (walks run per allocation and per step).
   * A stretch may since contain blocks that became real: get() returns those.
   */
  ascending(): readonly (Block | VirtualStretch)[] {
    if (this.segments && this.sortedReal) return this.segments;
    this.segments = undefined;
    this.sortedReal = [...this.real.keys()].sort((a, b) => a - b);
    const real = this.sortedReal;
    const out: (Block | VirtualStretch)[] = [];
    let ri = 0;
    for (const run of this.runs) {
      let at = run.first;
      while (at <= run.last) {
        // Real blocks below this point come first.
        while (ri < real.length && real[ri]! < at) out.push(this.real.get(real[ri++]!)!);
        const nextReal = ri < real.length ? real[ri]! : Infinity;
        if (nextReal > run.last) { out.push({ first: at, last: run.last, run }); break; }
        if (nextReal > at) out.push({ first: at, last: nextReal - 1, run });
        out.push(this.real.get(real[ri++]!)!);
        at = nextReal + 1;
      }
    }
    while (ri < real.length) out.push(this.real.get(real[ri++]!)!);
    this.segments = out;
    return out;
  }
}

export function isStretch(x: Block | VirtualStretch): x is VirtualStretch {
  return (x as Block).index === undefined;
}
