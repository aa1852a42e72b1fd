// Memory blocks: add, online (zone selection), offline (isolation, migration, endless retry),
// remove, and placement of allocations. Each rule cites its kernel function in rules.ts.

import { formatRange, formatSize, hex, physAddr, memmapBytes, MiB, GiB } from '../check/layout.js';
import { versionAtLeast, type OnlineType } from '../check/model.js';
import { causeOf, type Sim } from './context.js';
import { isStretch } from './blockTable.js';
import type { Allocation, Block, Extent } from './state.js';
import type { EventResult, ZoneName } from './timeline.js';

const DMA_END = 16n * MiB;
const DMA32_END = 4n * GiB;
export const DMA_END_N = Number(DMA_END);
export const DMA32_END_N = Number(DMA32_END);

export function used(b: Block): bigint {
  let u = 0n;
  for (const e of b.extents) u += e.size;
  return u;
}

export function free(b: Block): bigint {
  return b.present - used(b);
}

export function isKernelZone(z: ZoneName | null): boolean {
  return z === 'normal' || z === 'dma32' || z === 'dma';
}

export function blockName(i: number): string {
  return `memory${i}`;
}

/** memory3..memory5, or "memory64, memory66..memory67" for sets with gaps (any order in). */
/** `memoryA..memoryB` for the span first..last (every block in between). */
export function spanName(first: number, last: number): string {
  return first === last ? blockName(first) : `${blockName(first)}..${blockName(last)}`;
}

export function rangeName(idx: readonly number[]): string {
  if (idx.length === 0) return '(no blocks)';
  const sorted = [...new Set(idx)].sort((a, b) => a - b);
  const parts: string[] = [];
  let start = sorted[0]!, prev = start;
  const flush = () => parts.push(start === prev ? blockName(start) : `${blockName(start)}..${blockName(prev)}`);
  for (const i of sorted.slice(1)) {
    if (i === prev + 1) { prev = i; continue; }
    flush();
    start = prev = i;
  }
  flush();
  return parts.join(', ');
}

/** The kernel zone a boot block falls in by address (x86_64 zone limits). */
export function bootZone(base: bigint, end: bigint): { zone: ZoneName; mixed: boolean } {
  const zoneOf = (a: bigint): ZoneName => (a < DMA_END ? 'dma' : a < DMA32_END ? 'dma32' : 'normal');
  const z1 = zoneOf(base), z2 = zoneOf(end - 1n);
  return z1 === z2 ? { zone: z1, mixed: false } : { zone: z2, mixed: true };
}

/** bootZone() over numbers (boot addresses are below 2^52, so exact). */
export function bootZoneN(base: number, end: number): { zone: ZoneName; mixed: boolean } {
  const zoneOf = (a: number): ZoneName => (a < DMA_END_N ? 'dma' : a < DMA32_END_N ? 'dma32' : 'normal');
  const z1 = zoneOf(base), z2 = zoneOf(end - 1);
  return z1 === z2 ? { zone: z1, mixed: false } : { zone: z2, mixed: true };
}

/** First free gap of at least `size` (lowest offset first), or undefined. */
function findGap(b: Block, size: bigint): bigint | undefined {
  const ex = [...b.extents].sort((x, y) => (x.start < y.start ? -1 : 1));
  let at = 0n;
  for (const e of ex) {
    if (e.start - at >= size) return at;
    if (e.start + e.size > at) at = e.start + e.size;
  }
  return b.present - at >= size ? at : undefined;
}

/** Places `size` bytes into blocks in order, splitting across blocks; returns the placements or undefined. */
export function placeBytes(blocks: Iterable<Block>, size: bigint, owner: Extent['owner']): { block: number; start: bigint; size: bigint }[] | undefined {
  let total = 0n;
  for (const b of blocks) { total += free(b); if (total >= size) break; }
  if (total < size) return undefined;
  const out: { block: number; start: bigint; size: bigint }[] = [];
  let left = size;
  for (const b of blocks) {
    if (left === 0n) break;
    while (left > 0n && free(b) > 0n) {
      // largest gap first fit, in address order
      const ex = [...b.extents].sort((x, y) => (x.start < y.start ? -1 : 1));
      let at = 0n, placed = false;
      for (const e of [...ex, { start: b.present, size: 0n } as Extent]) {
        const gap = e.start - at;
        if (gap > 0n) {
          const take = gap < left ? gap : left;
          b.extents.push({ start: at, size: take, owner });
          out.push({ block: b.index, start: at, size: take });
          left -= take;
          placed = true;
          break;
        }
        if (e.start + e.size > at) at = e.start + e.size;
      }
      if (!placed) break;
    }
  }
  return out;
}

/** A re-iterable, lazy sequence of blocks (each pass starts afresh). */
export type BlockSeq = Iterable<Block>;

export function findBlock(seq: BlockSeq, pred: (b: Block) => boolean): Block | undefined {
  for (const b of seq) if (pred(b)) return b;
  return undefined;
}

export function filterBlocks(seq: BlockSeq, pred: (b: Block) => boolean): BlockSeq {
  return { *[Symbol.iterator]() { for (const b of seq) if (pred(b)) yield b; } };
}

export function concatBlocks(...seqs: BlockSeq[]): BlockSeq {
  return { *[Symbol.iterator]() { for (const q of seqs) yield* q; } };
}

function zoneRank(zone: ZoneName | null, movable: boolean): number {
  return zone === 'movable' ? (movable ? 0 : -1) : zone === 'normal' ? 1 : zone === 'dma32' || zone === 'none' ? 2 : -1;
}

/**
 * Online blocks that may serve an allocation, in the order the spec (§5a) fixes: highest zone
 * first (ZONE_MOVABLE for movable kinds, then Normal, then DMA32), lowest address first. Lazy:
 * one address-ordered walk per zone rank, and untouched boot blocks become real only when a
 * consumer reaches them, so an allocation on a 64 TiB machine touches a handful of blocks.
 */
export function candidates(sim: Sim, movable: boolean, node: number | undefined | { readonly not: number }, exclude: ReadonlySet<number> = new Set()): BlockSeq {
  const table = sim.state.blocks;
  const nodeOk = (n: number) => node === undefined || (typeof node === 'number' ? n === node : n !== node.not);
  return {
    *[Symbol.iterator]() {
      for (let rank = 0; rank <= 2; rank++) {
        for (const x of table.ascending()) {
          if (isStretch(x)) {
            // A boot block spanning DMA and DMA32 (zone "none") is always real, never in a run.
            if (!nodeOk(x.run.node) || zoneRank(x.run.zone, movable) !== rank) continue;
            for (let i = x.first; i <= x.last; i++) {
              if (exclude.has(i)) continue;
              // Real by now if a consumer changed it since the walk reached this stretch.
              const b = table.get(i)!;
              if (b.state === 'online' && nodeOk(b.node) && zoneRank(b.zone, movable) === rank) yield b;
            }
            continue;
          }
          const b = x;
          if (b.state !== 'online' || !nodeOk(b.node) || exclude.has(b.index)) continue;
          // A boot block spanning DMA and DMA32 (zone "none") still serves allocations from its DMA32 part.
          if (zoneRank(b.zone, movable) === rank) yield b;
        }
      }
    },
  };
}

// ---- adding memory --------------------------------------------------------------------------------

export interface AddOptions {
  readonly owner: string;
  readonly node: number;
  readonly memmapOnMemory: boolean;
}

/**
 * add_memory(): creates offline memory blocks for [base, base+size) and places their memmap:
 * inside each block (memmap_on_memory) or in a kernel zone of the node, else node 0 (spec §5a).
 */
export function addMemory(sim: Sim, base: bigint, size: bigint, opts: AddOptions): number[] {
  const bs = sim.state.blockSize;
  const added: number[] = [];
  for (let a = base; a < base + size; a += bs) {
    const index = Number(a / bs);
    const existing = sim.state.blocks.get(index);
    if (existing && existing.state !== 'removed') continue;
    const b: Block = {
      index, base: a, state: 'offline', zone: null, node: opts.node, owner: opts.owner, present: bs, mixedZones: false,
      memmapHost: 'self', extents: [], poisoned: 0, poisonOffsets: [], hotplugged: true, burned: false,
    };
    sim.state.blocks.set(index, b);
    added.push(index);
  }
  const exclude = new Set(added);
  let local: BlockSeq | undefined, node0: BlockSeq | undefined;
  for (const i of added) {
    const b = sim.state.blocks.get(i)!;
    const mm = memmapBytes(bs);
    if (opts.memmapOnMemory) {
      b.memmapHost = 'self';
      b.extents.push({ start: 0n, size: mm, owner: { kind: 'memmap', device: opts.owner, first: i, last: i } });
      continue;
    }
    local ??= candidates(sim, false, opts.node, exclude);
    const host = findBlock(local, (c) => free(c) >= mm) ?? findBlock((node0 ??= candidates(sim, false, 0, exclude)), (c) => free(c) >= mm);
    if (host) {
      const at = findGap(host, mm)!;
      host.extents.push({ start: at, size: mm, owner: { kind: 'memmap', device: opts.owner, first: i, last: i } });
      b.memmapHost = host.index;
    } else {
      b.memmapHost = 'boot';
    }
  }
  return added;
}

/** Does memmap_on_memory apply to this add (mhp_supports_memmap_on_memory())? */
export function memmapOnMemoryApplies(sim: Sim, blocks: number, requested: boolean): boolean {
  if (!requested) return false;
  // 6.1: only single-block adds qualify; 6.8+ splits multi-block adds per block (observed 6.1/6.12).
  if (!versionAtLeast(sim.state.model.kernel, 6, 8) && blocks > 1) return false;
  return true;
}

// ---- zones ----------------------------------------------------------------------------------------

/** Zone spans and MOVABLE totals, computed once per online operation and updated as it goes. */
export interface ZoneCache {
  readonly spans: Map<string, [number, number]>;
  movable: bigint;
  readonly movableByNode: Map<number, bigint>;
}

export function zoneCache(sim: Sim): ZoneCache {
  const spans = new Map<string, [number, number]>();
  let movable = 0n;
  const movableByNode = new Map<number, bigint>();
  const cache: ZoneCache = { spans, movable: 0n, movableByNode };
  for (const x of sim.state.blocks.ascending()) {
    if (isStretch(x)) {
      // Untouched boot blocks: online, whole, one zone.
      const r = x.run, n = BigInt(x.last - x.first + 1) * sim.state.blockSize;
      const key = `${r.node}:${r.zone}`;
      const sp = spans.get(key);
      if (!sp) spans.set(key, [x.first, x.last]);
      else { if (x.first < sp[0]) sp[0] = x.first; if (x.last > sp[1]) sp[1] = x.last; }
      if (r.zone === 'movable') { movableByNode.set(r.node, (movableByNode.get(r.node) ?? 0n) + n); movable += n; }
      continue;
    }
    const b = x;
    if (b.state !== 'online' || !b.zone) continue;
    noteOnline(cache, b);
    if (b.zone === 'movable') movable += b.present;
  }
  cache.movable = movable;
  return cache;
}

function noteOnline(c: ZoneCache, b: Block): void {
  const key = `${b.node}:${b.zone}`;
  const sp = c.spans.get(key);
  if (!sp) c.spans.set(key, [b.index, b.index]);
  else { if (b.index < sp[0]) sp[0] = b.index; if (b.index > sp[1]) sp[1] = b.index; }
  if (b.zone === 'movable') c.movableByNode.set(b.node, (c.movableByNode.get(b.node) ?? 0n) + b.present);
}

/** Bytes of the kernel's own unmovable pages a first ZONE_NORMAL block receives: one pageblock
 *  (has_unmovable_pages() works per pageblock; one page would do). Assumed size. */
const FIRST_NORMAL_RESIDUE = 2n * MiB;

function zoneSpan(c: ZoneCache, node: number, zone: ZoneName): [number, number] | undefined {
  return c.spans.get(`${node}:${zone}`);
}

function intersects(span: [number, number] | undefined, i: number): boolean {
  return span !== undefined && span[0] <= i && i <= span[1];
}

/** The kernel zone online_kernel picks: DMA32 below 4 GiB, else Normal (default_kernel_zone_for_pfn()). */
function kernelZoneFor(b: Block): ZoneName {
  return b.base < DMA32_END ? 'dma32' : 'normal';
}

/**
 * zone_for_pfn_range(): the zone a block goes to for this online type, and why.
 * `group`: the other blocks of the same static memory group (DIMM, kmem device).
 */
export function chooseZone(sim: Sim, b: Block, type: OnlineType, group: readonly Block[], cache: ZoneCache = zoneCache(sim)): { zone: ZoneName; why: string; rule: 'R2.3-zone' | 'R2.3-auto-movable' } {
  const k = sim.state.model.knobs;
  if (type === 'online_kernel') return { zone: kernelZoneFor(b), why: 'online_kernel always picks the kernel zone', rule: 'R2.3-zone' };
  if (type === 'online_movable') return { zone: 'movable', why: 'online_movable always picks ZONE_MOVABLE', rule: 'R2.3-zone' };
  if (k.onlinePolicy === 'auto-movable') return autoMovable(sim, b, group, cache);
  const kz = kernelZoneFor(b);
  const inKernel = intersects(zoneSpan(cache, b.node, kz), b.index);
  const inMovable = intersects(zoneSpan(cache, b.node, 'movable'), b.index);
  if (inKernel && !inMovable) return { zone: kz, why: `the block lies inside the node's ${zoneLabel(kz)} span (contig-zones inherits it)`, rule: 'R2.3-zone' };
  if (inMovable && !inKernel) return { zone: 'movable', why: "the block lies inside the node's ZONE_MOVABLE span (contig-zones inherits it)", rule: 'R2.3-zone' };
  if (k.movableNode) return { zone: 'movable', why: 'contig-zones with movable_node: hotplugged memory defaults to ZONE_MOVABLE', rule: 'R2.3-zone' };
  return { zone: kz, why: 'contig-zones: the block is in no existing zone span, so it defaults to the kernel zone', rule: 'R2.3-zone' };
}

function autoMovable(sim: Sim, b: Block, group: readonly Block[], cache: ZoneCache): { zone: ZoneName; why: string; rule: 'R2.3-auto-movable' } {
  const k = sim.state.model.knobs;
  const kz = kernelZoneFor(b);
  if (group.some((g) => g.state === 'online' && isKernelZone(g.zone))) {
    return { zone: kz, why: 'auto-movable: part of this memory group is already in a kernel zone, so the rest goes there too', rule: 'R2.3-auto-movable' };
  }
  if (k.autoMovableRatio === 0) return { zone: kz, why: 'auto-movable with ratio 0 always picks the kernel zone', rule: 'R2.3-auto-movable' };
  const bs = sim.state.blockSize;
  const remaining = BigInt(group.filter((g) => g.state !== 'online').length || 1) * bs;
  const movable = cache.movable, movableNode = cache.movableByNode.get(b.node) ?? 0n;
  let early = 0n;
  for (const v of sim.state.kernelEarly.values()) early += v;
  const ratio = BigInt(k.autoMovableRatio);
  const globalOk = (movable + remaining) * 100n <= early * ratio;
  if (!globalOk) return { zone: kz, why: `auto-movable: MOVABLE would be ${formatSize(movable + remaining)} against ${formatSize(early)} boot kernel memory, above ${k.autoMovableRatio}%`, rule: 'R2.3-auto-movable' };
  if (k.autoMovableNumaAware) {
    const earlyNode = sim.state.kernelEarly.get(b.node) ?? 0n;
    if (earlyNode === 0n) return { zone: kz, why: `auto-movable (NUMA aware): node ${b.node} has no boot kernel memory, so it never gets ZONE_MOVABLE`, rule: 'R2.3-auto-movable' };
    if ((movableNode + remaining) * 100n > earlyNode * ratio) return { zone: kz, why: `auto-movable (NUMA aware): node ${b.node} would exceed ${k.autoMovableRatio}% MOVABLE:KERNEL`, rule: 'R2.3-auto-movable' };
  }
  return { zone: 'movable', why: `auto-movable: MOVABLE stays within ${k.autoMovableRatio}% of boot kernel memory`, rule: 'R2.3-auto-movable' };
}

export function zoneLabel(z: ZoneName | null): string {
  switch (z) {
    case 'dma': return 'ZONE_DMA';
    case 'dma32': return 'ZONE_DMA32';
    case 'normal': return 'ZONE_NORMAL';
    case 'movable': return 'ZONE_MOVABLE';
    default: return 'no zone';
  }
}

// ---- online -----------------------------------------------------------------------------------

export interface OpOutcome {
  readonly result: EventResult;
}

/** Onlines blocks one by one, as writes to their state files; stops at the first failure. */
export function onlineBlocks(sim: Sim, idx: readonly number[], type: OnlineType, subject: string, group: readonly number[] = idx): OpOutcome {
  const v = sim.state.model.kernel;
  const groupBlocks = group.map((i) => sim.state.blocks.get(i)).filter((b): b is Block => b !== undefined);
  const zones = new Map<ZoneName, number[]>();
  const cache = zoneCache(sim);
  const firstNormalNote = new Map<number, string>();
  // Nodes with boot RAM have CPUs, so a kernel allocating locally (an assumption for other nodes).
  const bootNodes = new Set(sim.state.model.devices.filter((d) => d.kind === 'ram').map((d) => d.node));
  for (const i of idx) {
    const b = sim.state.blocks.get(i);
    if (!b || b.state === 'removed' || b.state === 'absent') {
      sim.event({ kind: 'online', subject: blockName(i), result: 'EINVAL', message: `${blockName(i)} does not exist (its memory is not added), so there is nothing to online.`, rule: 'R2.1-state' });
      return { result: 'EINVAL' };
    }
    if (b.state === 'online') {
      sim.event({ kind: 'online', subject: blockName(i), result: 'EINVAL', message: `${blockName(i)} is already online (${zoneLabel(b.zone)}); device_online() returns 1 and state_store() turns it into -EINVAL. Zones never change while a block is online.`, rule: 'R2.1-state' });
      return { result: 'EINVAL' };
    }
    if (b.poisoned > 0) {
      if (versionAtLeast(v, 6, 2)) {
        sim.event({ kind: 'online', subject: blockName(i), result: 'EHWPOISON', message: `${blockName(i)} holds ${b.poisoned} hwpoisoned page(s); since v6.2 memory_block_online() refuses blocks with memblk_nr_poison > 0 so the bad frames are never reused. Remove the block (or replace the hardware) instead.`, rule: 'R2.2-hwpoison-online' });
        return { result: 'EHWPOISON' };
      }
      sim.hazard('unrecoverable-poison', blockName(i), `${blockName(i)} is onlined with ${b.poisoned} poisoned page(s): before v6.2 the memmap is reinitialised, PG_hwpoison is lost and the bad frames go back to the allocator.`, 'R6.7-reonline-lost');
      b.poisoned = 0;
      b.poisonOffsets = [];
      b.extents = b.extents.filter((e) => e.owner.kind !== 'poison');
    }
    const z = chooseZone(sim, b, type, groupBlocks, cache);
    // The node's first ZONE_NORMAL memory on a node with CPUs (boot RAM): GFP_KERNEL allocations
    // prefer the highest kernel zone, and an empty zone's only free pages are this block's, so
    // page tables and slab move in at once (observed on 6.1 and 6.12, 1 GiB QEMU guests).
    const firstNormal = z.zone === 'normal' && !zoneSpan(cache, b.node, 'normal') && bootNodes.has(b.node);
    b.state = 'online';
    b.zone = z.zone;
    noteOnline(cache, b);
    if (firstNormal) {
      const at = findGap(b, FIRST_NORMAL_RESIDUE);
      if (at !== undefined) b.extents.push({ start: at, size: FIRST_NORMAL_RESIDUE, owner: { kind: 'kernel', what: 'unmovable pages (page tables, slab)', line: sim.current.line } });
      firstNormalNote.set(i, `; it is node ${b.node}'s only ZONE_NORMAL memory, so the kernel's own allocations (page tables, slab) land in it at once and it will not offline again (R3.2-first-normal)`);
    }
    if (z.zone === 'movable') cache.movable += b.present;
    (zones.get(z.zone) ?? zones.set(z.zone, []).get(z.zone)!).push(i);
    if (idx.length === 1) {
      sim.event({ kind: 'online', subject: blockName(i), result: 'ok', message: `${blockName(i)} online in ${zoneLabel(z.zone)}: ${z.why}${firstNormalNote.get(i) ?? ''}.`, rule: z.rule });
      return { result: 'ok' };
    }
  }
  const parts = [...zones.entries()].map(([z, l]) => `${rangeName(l)} → ${zoneLabel(z)}${l.map((i) => firstNormalNote.get(i) ?? '').join('')}`);
  const why = idx.length > 0 ? chooseZoneWhy(sim, type) : '';
  sim.event({ kind: 'online', subject, result: 'ok', message: `${subject} online: ${parts.join(', ')}${why ? ` (${why})` : ''}.`, rule: sim.state.model.knobs.onlinePolicy === 'auto-movable' && type === 'online' ? 'R2.3-auto-movable' : 'R2.3-zone' });
  return { result: 'ok' };
}

function chooseZoneWhy(sim: Sim, type: OnlineType): string {
  if (type === 'online_kernel') return 'online_kernel';
  if (type === 'online_movable') return 'online_movable';
  return `plain online under ${sim.state.model.knobs.onlinePolicy}`;
}

// ---- offline --------------------------------------------------------------------------------------

function describeOwner(sim: Sim, e: Extent): string {
  switch (e.owner.kind) {
    case 'alloc': {
      const a = sim.state.allocations.get(e.owner.name);
      return `${a?.kind ?? 'allocation'} '${e.owner.name}'`;
    }
    case 'memmap': return `the memmap (struct pages) of ${e.owner.device} ${spanName(e.owner.first, e.owner.last)}`;
    case 'reserved': return `PG_reserved ${e.owner.what}`;
    case 'kernel': return `the kernel's own ${e.owner.what}`;
    case 'poison': return 'a poisoned frame';
    case 'unplugged': return 'unplugged virtio-mem subblocks (PageOffline)';
  }
}

function allocCause(sim: Sim, name: string, why: string) {
  const a = sim.state.allocations.get(name);
  return a ? [causeOf(a.line, sim.spanOfLine(a.line), why)] : [];
}

export interface OfflineOptions {
  readonly timeoutMs: bigint | undefined;
  /** Blocks that are being offlined together (migration never goes into them). */
  readonly range: readonly number[];
  /** Record no events (callers that report the outcome themselves). */
  readonly quiet?: boolean;
}

/** offline_pages() for one block. On success the block is offline; on failure it stays online. */
export function offlineBlock(sim: Sim, i: number, opts: OfflineOptions): EventResult {
  const b = sim.state.blocks.get(i);
  const name = blockName(i);
  const v = sim.state.model.kernel;
  const emit: Sim['event'] = (e) => (opts.quiet ? ({} as ReturnType<Sim['event']>) : sim.event(e));
  if (!b || b.state === 'removed' || b.state === 'absent') {
    emit({ kind: 'offline', subject: name, result: 'EINVAL', message: `${name} does not exist (its memory is not added).`, rule: 'R2.1-state' });
    return 'EINVAL';
  }
  if (b.state !== 'online') {
    emit({ kind: 'offline', subject: name, result: 'EINVAL', message: `${name} is already offline; device_offline() returns 1 and state_store() turns it into -EINVAL.`, rule: 'R2.1-state' });
    return 'EINVAL';
  }
  if (b.mixedZones) {
    emit({ kind: 'offline', subject: name, result: 'EINVAL', message: `${name} spans two zones (valid_zones "none"), so memory_block_offline() refuses it with -EINVAL. Boot blocks like memory0 (ZONE_DMA + ZONE_DMA32) can never be offlined.`, rule: 'R3.1-mixed-zone' });
    return 'EINVAL';
  }
  if (b.present < sim.state.blockSize) {
    emit({ kind: 'offline', subject: name, result: 'EINVAL', message: `${name} has a memory hole (${formatSize(sim.state.blockSize - b.present)} not backed by RAM); offline_pages() fails with -EINVAL ("memory holes", pr_debug only).`, rule: 'R3.1-hole' });
    return 'EINVAL';
  }
  const hole = b.extents.find((e) => e.owner.kind === 'reserved' && e.owner.hole !== undefined);
  if (hole && hole.owner.kind === 'reserved') {
    const holeName = hole.owner.hole;
    const decl = sim.state.model.holes.find((h) => h.name === holeName);
    emit({
      kind: 'offline', subject: name, result: 'EINVAL', rule: 'R3.1-hole',
      message: `${name} has a memory hole: ${formatSize(hole.size)} of it is the firmware-reserved range ${hole.owner.hole} (e820 reserved, not System RAM). walk_system_ram_range() does not cover the whole block, so offline_pages() fails with -EINVAL ("memory holes", pr_debug only) before it even isolates pages (observed on 6.1 and 6.12 for QEMU's top-of-low-RAM BIOS range).`,
      causes: decl ? [causeOf(decl.line, decl.nameSpan, `firmware hole ${decl.name} declared here`)] : [],
    });
    return 'EINVAL';
  }
  // virtio-mem's unplugged subblocks (PageOffline): its memory notifier drops their references at
  // MEM_GOING_OFFLINE so isolation skips them; once the driver is unbound nobody does.
  const pageOffline = b.extents.find((e) => e.owner.kind === 'unplugged');
  if (pageOffline && sim.state.devices.get(b.owner)?.driverBound === false) {
    emit({ kind: 'offline', subject: name, result: 'EBUSY', message: `${name} holds ${formatSize(pageOffline.size)} of unplugged virtio-mem subblocks (PageOffline pages with a reference held). virtio_mem used to drop those references from its memory notifier when the block went offline; the driver is unbound and its notifier gone, so isolation finds unmovable pages and offlining fails with -EBUSY until reboot.`, rule: 'R3.2-notifier', log: ['page dumped because: unmovable page'] });
    return 'EBUSY';
  }
  // Isolation: has_unmovable_pages() per pageblock.
  const reserved = b.extents.find((e) => e.owner.kind === 'reserved');
  if (reserved) {
    emit({ kind: 'offline', subject: name, result: 'EBUSY', message: `${name} holds ${describeOwner(sim, reserved)}; has_unmovable_pages() fails isolation for PageReserved pages in every zone (even ZONE_MOVABLE, e.g. with movablecore=), so offlining fails with -EBUSY.`, rule: 'R3.2-reserved', log: ['page dumped because: unmovable page'] });
    return 'EBUSY';
  }
  const selfMemmap = (e: Extent) => e.owner.kind === 'memmap' && e.owner.first === i && e.owner.last === i && b.memmapHost === 'self';
  if (isKernelZone(b.zone)) {
    // The scenario's own unmovable allocations first (the clearer cause), then the kernel's.
    const unmovable = b.extents.find((e) => !selfMemmap(e) && (e.owner.kind === 'memmap' || (e.owner.kind === 'alloc' && !isMovableKind(sim.state.allocations.get(e.owner.name)))))
      ?? b.extents.find((e) => e.owner.kind === 'kernel');
    if (unmovable) {
      const o = unmovable.owner;
      const causes = o.kind === 'alloc' ? allocCause(sim, o.name, 'unmovable allocation placed here')
        : o.kind === 'kernel' ? [causeOf(o.line, sim.spanOfLine(o.line), `onlined as the node's only ZONE_NORMAL memory: kernel allocations moved in`)]
        : memmapCause(sim, unmovable);
      emit({
        kind: 'offline', subject: name, result: 'EBUSY',
        message: `${name} is in ${zoneLabel(b.zone)} and holds ${describeOwner(sim, unmovable)}, which cannot be migrated; has_unmovable_pages() fails isolation and offlining returns -EBUSY.${o.kind === 'kernel' ? ` These pages are not the scenario's: the page allocator prefers the highest kernel zone, and this block was all of it when it came online, so page tables and slab moved in at once; freeing the scenario's own allocations does not help (observed on 6.1 and 6.12: a page-table page or an unflagged unmovable page is dumped).` : ''} Online the memory to ZONE_MOVABLE (online_movable) so the kernel never places unmovable pages there.`,
        rule: o.kind === 'memmap' ? 'R1.3-memmap-host' : o.kind === 'kernel' ? 'R3.2-first-normal' : 'R3.2-unmovable', log: ['page dumped because: unmovable page'], causes,
      });
      return 'EBUSY';
    }
  }
  if (b.vanished && b.extents.some((e) => e.owner.kind === 'alloc')) {
    sim.crash(name, `Offlining ${name} migrates its pages, reading memory whose hardware is gone: machine check (vanished_memory = on-access).`, 'R7.3-kmem-gone', { assumed: true });
    return 'crash';
  }
  // Migration loop: pinned pages never migrate; no room → retried forever.
  const pinned = b.extents.find((e) => e.owner.kind === 'alloc' && (sim.state.allocations.get(e.owner.name)?.pinned ?? 'none') !== 'none');
  const movableExtents = b.extents.filter((e) => e.owner.kind === 'alloc');
  let failure: { why: string; rule: 'R3.2-pinned' | 'R3.2-no-room'; causes: ReturnType<typeof allocCause>; log: string[] } | undefined;
  if (pinned && pinned.owner.kind === 'alloc') {
    const a = sim.state.allocations.get(pinned.owner.name)!;
    failure = {
      why: `${describeOwner(sim, pinned)} is pinned (${a.pinned === 'longterm' ? 'FOLL_LONGTERM' : 'an elevated page reference'}); migration fails on every pass and offline_pages() retries without limit`,
      rule: 'R3.2-pinned', causes: allocCause(sim, a.name, 'allocation whose pages are pinned'),
      log: [`migrating pfn ${hex((b.base + pinned.start) >> 12n)} failed ret:1`, 'page dumped because: migration failure'],
    };
  } else if (movableExtents.length > 0) {
    const need = movableExtents.reduce((s, e) => s + e.size, 0n);
    const exclude = new Set(opts.range);
    // do_migrate_range(): other nodes first, then the same node (movable candidates outside the range).
    const targets = concatBlocks(candidates(sim, true, { not: b.node }, exclude), candidates(sim, true, b.node, exclude));
    let room = 0n;
    for (const c of targets) { room += free(c); if (room >= need) break; }
    if (room < need) {
      failure = {
        why: `${formatSize(need)} of movable pages must migrate but only ${formatSize(room)} is free outside the range; do_migrate_range() keeps failing and offline_pages() retries without limit`,
        rule: 'R3.2-no-room', causes: movableExtents.flatMap((e) => (e.owner.kind === 'alloc' ? allocCause(sim, e.owner.name, 'pages that need a new home') : [])).slice(0, 3),
        log: [`page allocation failure: order:0, mode:GFP_HIGHUSER_MOVABLE|__GFP_RETRY_MAYFAIL`],
      };
    } else {
      migrate(sim, b, movableExtents, targets);
    }
  }
  if (failure) {
    if (!versionAtLeast(v, 4, 15)) {
      emit({ kind: 'offline', subject: name, result: 'EBUSY', message: `${failure.why}; before v4.15 offlining gave up after its retries/120 s timeout with -EBUSY.`, rule: 'R3.2-old-timeout', log: failure.log, causes: failure.causes });
      return 'EBUSY';
    }
    if (opts.timeoutMs !== undefined) {
      emit({ kind: 'offline', subject: name, result: 'EINTR', message: `${failure.why}. After ${opts.timeoutMs} ms the signal interrupts it: -EINTR ("signal backoff"), isolation undone, ${name} back to online.`, rule: 'R3.2-signal', log: failure.log, causes: failure.causes });
      return 'EINTR';
    }
    emit({ kind: 'offline', subject: name, result: 'hang', message: `${failure.why}: the write never returns (state reads going-offline). Add 'timeout 10s' to model the signal that ends it (-EINTR), or drop the pin / make room. The simulator continues as if the writer was then interrupted.`, rule: failure.rule, log: failure.log, causes: failure.causes });
    return 'hang';
  }
  b.state = 'offline';
  b.zone = null;
  return 'ok';
}

function memmapCause(sim: Sim, e: Extent) {
  if (e.owner.kind !== 'memmap') return [];
  const owner = e.owner;
  const d = sim.state.model.daxes.find((x) => x.name === owner.device) ?? sim.state.model.devices.find((x) => x.name === owner.device);
  return d ? [causeOf(d.line, d.nameSpan, `${owner.device} was added without memmap_on_memory; its memmap was allocated here`)] : [];
}

function isMovableKind(a: Allocation | undefined): boolean {
  return a !== undefined && (a.kind === 'anon' || a.kind === 'pagecache' || a.kind === 'hugetlb');
}

/** Moves movable extents out of block `b` into `targets` (in order). */
function migrate(sim: Sim, b: Block, extents: readonly Extent[], targets: BlockSeq): void {
  for (const e of extents) {
    if (e.owner.kind !== 'alloc') continue;
    const a = sim.state.allocations.get(e.owner.name);
    b.extents = b.extents.filter((x) => x !== e);
    const placed = placeBytes(targets, e.size, e.owner) ?? [];
    if (a) {
      a.placements = a.placements.filter((p) => !(p.block === b.index && p.start === e.start));
      a.placements.push(...placed);
    }
  }
}

/** Offlines blocks in order; stops at the first failure. Multi-block targets get one summary event. */
export function offlineBlocks(sim: Sim, idx: readonly number[], timeoutMs: bigint | undefined, subject: string): EventResult {
  const done: number[] = [];
  for (const i of idx) {
    const r = offlineBlock(sim, i, { timeoutMs, range: idx });
    if (r !== 'ok') {
      if (done.length > 0) sim.event({ kind: 'offline', subject: rangeName(done), result: 'info', message: `${rangeName(done)} went offline before ${blockName(i)} failed; they stay offline (each block is a separate write).`, rule: 'R2.1-state' });
      return r;
    }
    done.push(i);
  }
  const zonesBefore = subject;
  sim.event({ kind: 'offline', subject: zonesBefore, result: 'ok', message: `${rangeName(idx)} offline: every page migrated away or was free; isolation found nothing unmovable.`, rule: 'R3.3-migrate' });
  return 'ok';
}

// ---- remove ---------------------------------------------------------------------------------------

/** try_remove_memory(): every block must be offline; returns the errno or ok. */
/** A `remove` statement: one remove_memory() over the target. try_remove_memory() checks the
 *  blocks are offline, then (memmap_on_memory) that the range's altmaps match how it was added. */
export function removeRange(sim: Sim, idx: readonly number[], subject: string): EventResult {
  const s = sim.state;
  const live = idx.filter((i) => { const b = s.blocks.get(i); return b && b.state !== 'removed' && b.state !== 'absent'; });
  const withAltmap = live.filter((i) => s.blocks.get(i)!.memmapHost === 'self');
  const anyOnline = live.some((i) => s.blocks.get(i)!.state === 'online');
  const v = s.model.kernel;
  if (!anyOnline && withAltmap.length > 0 && s.model.knobs.hotremove && s.model.knobs.memmapOnMemory !== 'off') {
    const first = s.blocks.get(live[0]!)!;
    const start = first.base, end = first.base + BigInt(live.length) * s.blockSize;
    if (versionAtLeast(v, 6, 8) && withAltmap.length !== live.length) {
      sim.event({
        kind: 'remove', subject, result: 'EINVAL', rule: 'R4-remove-altmap', log: ['Not all memblocks in range have altmaps', 'WARNING: CPU: … at mm/memory_hotplug.c … try_remove_memory'],
        message: `${rangeName(withAltmap)} ${withAltmap.length > 1 ? 'carry their own memmap' : 'carries its own memmap'} (memmap_on_memory altmap) but ${rangeName(live.filter((i) => !withAltmap.includes(i)))} ${live.length - withAltmap.length > 1 ? 'do' : 'does'} not: memory_blocks_have_altmaps() WARNs and try_remove_memory() refuses the mixed range with -EINVAL. Remove the memory in the pieces it was added in.`,
      });
      return 'EINVAL';
    }
    if (!versionAtLeast(v, 6, 8) && live.length > 1) {
      sim.event({
        kind: 'remove', subject, result: 'EINVAL', rule: 'R4-remove-altmap', log: [`Refuse to remove ${hex(start)} - ${hex(end)},wrong granularity`],
        message: `${rangeName(withAltmap)} ${withAltmap.length > 1 ? 'were' : 'was'} added with memmap_on_memory, which before v6.8 is only removable in the granularity it was added in — a single memory block; try_remove_memory() refuses a ${live.length}-block range with -EINVAL. Remove block by block.`,
      });
      return 'EINVAL';
    }
  }
  return removeBlocks(sim, idx, subject);
}

export function removeBlocks(sim: Sim, idx: readonly number[], subject: string, quiet = false): EventResult {
  if (!sim.state.model.knobs.hotremove) {
    if (!quiet) sim.event({ kind: 'remove', subject, result: 'EOPNOTSUPP', message: 'CONFIG_MEMORY_HOTREMOVE is off (set hotremove = off): memory can be added but never removed.', rule: 'R4-hotremove-off' });
    return 'EOPNOTSUPP';
  }
  const bs = sim.state.blockSize;
  const live = idx.filter((i) => { const b = sim.state.blocks.get(i); return b && b.state !== 'removed' && b.state !== 'absent'; });
  const online = live.filter((i) => sim.state.blocks.get(i)!.state === 'online');
  if (online.length > 0) {
    const first = sim.state.blocks.get(online[0]!)!;
    const log = `removing memory fails, because memory [${physAddr(first.base)}-${physAddr(first.base + bs - 1n)}] is onlined`;
    if (!quiet) sim.event({ kind: 'remove', subject, result: 'EBUSY', message: `${rangeName(online)} ${online.length > 1 ? 'are' : 'is'} still online; try_remove_memory() refuses with -EBUSY. Offline the blocks first.`, rule: 'R4-remove-online', log: [log] });
    return 'EBUSY';
  }
  // A block that hosts another block's memmap cannot go (R1.3): it is offline only if nothing is hosted.
  for (const i of live) {
    const b = sim.state.blocks.get(i)!;
    // Free this block's own memmap from its host.
    if (typeof b.memmapHost === 'number') {
      const host = sim.state.blocks.get(b.memmapHost);
      if (host) host.extents = host.extents.filter((e) => !(e.owner.kind === 'memmap' && e.owner.first === i));
    }
    b.state = 'removed';
    b.zone = null;
    b.extents = [];
    b.poisoned = 0; // remove_memory_block_devices() → num_poisoned_pages_sub()
    b.poisonOffsets = [];
    sim.state.memoryPoison = sim.state.memoryPoison.filter((p) => p.phys < b.base || p.phys >= b.base + bs);
  }
  const first = live.length ? sim.state.blocks.get(live[0]!) : undefined;
  if (!quiet) sim.event({ kind: 'remove', subject, result: 'ok', message: `${rangeName(live)} removed${first ? ` [${formatRange(first.base, BigInt(live.length) * bs)}]` : ''}: memory block devices, memmap and direct map gone; poison records of the range dropped.`, rule: 'R4-remove' });
  return 'ok';
}
