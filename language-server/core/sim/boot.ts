// The machine as it boots: boot RAM online in its zones (movablecore at the top), reserved boot
// memory (kernel image in memory0, the boot memmap at the top of each node), present DIMMs and
// plugged virtio-mem added and auto-onlined, DAX devices probed, filesystems mounted.

import { alignDown, alignUp, formatRange, formatSize, memmapBytes, MiB } from '../check/layout.js';
import type { Model } from '../check/model.js';
import { Sim } from './context.js';
import { BlockTable, isStretch } from './blockTable.js';
import { addMemory, blockName, bootZoneN, DMA32_END_N, DMA_END_N, memmapOnMemoryApplies, onlineBlocks, rangeName } from './memory.js';
import { bindKmem } from './devices.js';
import { probeVirtio } from './virtioMem.js';
import type { Block, SimState } from './state.js';
import type { ZoneName } from './timeline.js';

export function createState(model: Model): SimState {
  return {
    model,
    blockSize: model.knobs.blockSize,
    blocks: new BlockTable(model.knobs.blockSize),
    devices: new Map(model.devices.map((d) => [d.name, { decl: d, present: d.kind !== 'dimm' || d.present, replaced: false, plugged: d.plugged, driverBound: true }])),
    daxes: new Map(),
    filesystems: new Map(),
    files: new Map(model.files.map((f) => [f.path, f])),
    processes: new Map(model.processes.map((p) => [p.name, { decl: p, alive: true, signals: [] }])),
    allocations: new Map(),
    mappings: new Map(),
    resources: [],
    devicePoison: [],
    memoryPoison: [],
    hardwareFailureSeen: false,
    crashed: undefined,
    kernelEarly: new Map(),
  };
}

/** Boots the machine; events go to step 0 ("boot"). */
export function boot(sim: Sim): void {
  const s = sim.state;
  const model = s.model;
  const bs = s.blockSize;
  const rams = model.devices.filter((d) => d.kind === 'ram').sort((a, b) => (a.base < b.base ? -1 : 1));
  // movablecore: the top bytes of boot RAM are ZONE_MOVABLE (block granularity here).
  const ramTop = rams.reduce((m, r) => (r.base + r.size > m ? r.base + r.size : m), 0n);
  const movableStart = model.knobs.movablecore > 0n ? alignUp(ramTop - model.knobs.movablecore, bs) : ramTop + 1n;
  // Address arithmetic in numbers: the checker caps physical addresses at 2^52 (HL2024), so they
  // are exact. A block that is whole, in one zone and not reserved stays in a run (blockTable.ts).
  const bsN = Number(bs);
  const movableStartN = Number(movableStart);
  const early = new Map<number, number>();
  for (const r of rams) {
    const baseN = Number(r.base), endN = Number(r.base + r.size);
    const firstIdx = Math.floor(baseN / bsN);
    s.blocks.noteBootRange(firstIdx, Math.ceil(endN / bsN) - 1);
    let run: { first: number; last: number; zone: ZoneName } | undefined;
    let kernelBytes = 0;
    const flush = () => { if (run) s.blocks.addRun({ ...run, node: r.node, owner: r.name }); run = undefined; };
    // Indices where a zone may change (DMA, DMA32 and movablecore boundaries): a stretch of whole
    // blocks is taken in one go up to the next of them.
    const lastFull = Math.floor(endN / bsN) - 1;
    const bounds = [DMA_END_N, DMA32_END_N, movableStartN].map((x) => Math.floor(x / bsN));
    for (let idx = firstIdx, a = firstIdx * bsN; a < endN; idx++, a += bsN) {
      const lo = a > baseN ? a : baseN;
      const hi = a + bsN < endN ? a + bsN : endN;
      const z = bootZoneN(lo, hi);
      const zone = a >= movableStartN ? 'movable' : z.zone;
      if (lo === a && hi === a + bsN && !z.mixed) {
        let limit = lastFull;
        for (const bIdx of bounds) if (bIdx > idx && bIdx - 1 < limit) limit = bIdx - 1;
        if (zone !== 'movable') kernelBytes += (limit - idx + 1) * bsN;
        if (run && run.zone === zone && run.last === idx - 1) run.last = limit;
        else { flush(); run = { first: idx, last: limit, zone }; }
        a += (limit - idx) * bsN;
        idx = limit;
        continue;
      }
      if (zone !== 'movable') kernelBytes += hi - lo;
      flush();
      const b: Block = {
        index: idx, base: BigInt(a), state: 'online', zone: z.mixed ? 'none' : zone, node: r.node, owner: r.name, present: BigInt(hi - lo), mixedZones: z.mixed,
        memmapHost: 'boot', extents: [], poisoned: 0, poisonOffsets: [], hotplugged: false, burned: false,
      };
      s.blocks.set(idx, b);
    }
    flush();
    if (kernelBytes > 0) early.set(r.node, (early.get(r.node) ?? 0) + kernelBytes);
    s.resources.push({ name: `System RAM (${r.name})`, base: r.base, size: r.size, state: 'claimed' });
  }
  for (const [node, bytes] of early) s.kernelEarly.set(node, (s.kernelEarly.get(node) ?? 0n) + BigInt(bytes));
  // Kernel image and early allocations: PG_reserved in the first block of node 0's RAM.
  const first = rams[0] ? s.blocks.get(Number(alignDown(rams[0].base, bs) / bs)) : undefined;
  if (first) first.extents.push({ start: 0n, size: 16n * MiB > first.present ? first.present : 16n * MiB, owner: { kind: 'reserved', what: 'kernel image and memblock allocations' } });
  // Firmware holes (e820 reserved inside boot RAM): not System RAM; the block keeps PG_reserved
  // struct pages for them, and offline_pages() refuses it ("memory holes").
  for (const h of model.holes) {
    for (let i = Number(h.base / bs); i <= Number((h.base + h.size - 1n) / bs); i++) {
      const b = s.blocks.get(i);
      if (!b) continue;
      const lo = h.base > b.base ? h.base : b.base;
      const hi = h.base + h.size < b.base + b.present ? h.base + h.size : b.base + b.present;
      if (hi > lo) b.extents.push({ start: lo - b.base, size: hi - lo, owner: { kind: 'reserved', what: `firmware hole ${h.name} (e820 reserved)`, hole: h.name } });
    }
  }
  // Boot memmap: 64 B per 4 KiB of the node's boot RAM, allocated top-down by memblock.
  const nodes = [...new Set(rams.map((r) => r.node))];
  for (const node of nodes) {
    const nodeRams = rams.filter((r) => r.node === node);
    let need = memmapBytes(nodeRams.reduce((t, r) => t + r.size, 0n));
    // The node's boot blocks from the top down (each index once).
    const ranges = nodeRams.map((r) => ({ first: Number(alignDown(r.base, bs) / bs), last: Math.ceil(Number(r.base + r.size) / bsN) - 1 })).sort((x, y) => y.last - x.last);
    let below = Infinity;
    // Untouched blocks the memmap fills completely stay in runs (marked reserved); the stretch
    // being collected is [wholeLo, wholeHi].
    let wholeLo = -1, wholeHi = -1;
    const flushWhole = () => { if (wholeHi >= 0) s.blocks.reserve(wholeLo, wholeHi, 'boot memmap (memblock)'); wholeLo = wholeHi = -1; };
    outer: for (const g of ranges) {
      for (let i = Math.min(g.last, below - 1); i >= g.first; i--) {
        if (need <= 0n) break outer;
        if (need >= bs && s.blocks.isVirtual(i)) {
          if (wholeHi >= 0 && wholeLo !== i + 1) flushWhole();
          if (wholeHi < 0) wholeHi = i;
          wholeLo = i;
          need -= bs;
          below = i;
          continue;
        }
        const b = s.blocks.get(i)!;
        const room = b.present - b.extents.reduce((t, e) => t + e.size, 0n);
        const take = need < room ? need : room;
        // Top-down, below whatever already sits at the top of the block (a firmware hole).
        let top = b.present;
        for (const e of [...b.extents].sort((x, y) => (x.start > y.start ? -1 : 1))) if (e.start + e.size >= top && e.start < top) top = e.start;
        if (take > 0n) b.extents.push({ start: top - take >= 0n ? top - take : 0n, size: take, owner: { kind: 'reserved', what: 'boot memmap (memblock)' } });
        need -= take;
        below = i;
      }
    }
    flushWhole();
  }
  if (rams.length > 0) {
    const movable: number[] = [];
    for (const x of s.blocks.ascending()) {
      if (!isStretch(x)) { if (x.zone === 'movable') movable.push(x.index); }
      else if (x.run.zone === 'movable') for (let i = x.first; i <= x.last; i++) movable.push(i);
    }
    const mixed = [...s.blocks.materialized()].filter((b) => b.mixedZones).map((b) => blockName(b.index));
    sim.event({
      kind: 'boot', subject: 'boot RAM', result: 'ok', rule: 'R2.5-boot-zones',
      message: `Boot RAM online: ${rams.map((r) => `${r.name} [${formatRange(r.base, r.size)}] node ${r.node}`).join(', ')}.${movable.length ? ` movablecore puts ${rangeName(movable)} in ZONE_MOVABLE.` : ''}${mixed.length ? ` ${mixed.join(', ')} span two zones (valid_zones "none").` : ''} Memory block size ${formatSize(bs)}.`,
      log: [`x86/mm: Memory block size: ${bs / MiB}MB`],
    });
  }

  for (const d of model.devices) {
    if (d.kind === 'dimm' && s.devices.get(d.name)!.present) plugDimm(sim, d.name);
    if (d.kind === 'virtio-mem') probeVirtio(sim, d.name);
  }
  for (const d of model.daxes) {
    if (!s.devices.get(d.region)!.present) {
      s.daxes.set(d.name, { decl: d, mode: d.mode, driver: '', alive: false, kmemBlocks: [], kmemRanges: [] });
      continue;
    }
    s.daxes.set(d.name, { decl: d, mode: d.mode, driver: d.mode === 'devdax' ? 'device_dax' : d.mode === 'fsdax' ? 'pmem' : '', alive: true, kmemBlocks: [], kmemRanges: [] });
    if (d.mode === 'devdax' || d.mode === 'fsdax') s.resources.push({ name: d.name, base: d.base, size: d.size, state: 'claimed' });
    if (d.mode === 'system-ram') bindKmem(sim, d.name, model.knobs.autoOnline === 'offline' ? undefined : model.knobs.autoOnline);
  }
  for (const f of model.filesystems) {
    s.filesystems.set(f.name, { decl: f, state: f.mountPoint ? 'mounted' : 'unmounted', daxEntries: false, orphanedEntries: false });
  }
}

/** ACPI hot-add of a DIMM: add_memory() of the whole DIMM, then auto-online. */
export function plugDimm(sim: Sim, name: string): void {
  const s = sim.state;
  const dev = s.devices.get(name)!;
  const d = dev.decl;
  dev.present = true;
  const nBlocks = Number(d.size / s.blockSize);
  const mom = memmapOnMemoryApplies(sim, nBlocks, s.model.knobs.memmapOnMemory !== 'off');
  // 6.8+ splits multi-block ACPI adds per block, each self-hosted; 6.1 only single-block adds.
  const added = addMemory(sim, d.base, d.size, { owner: name, node: d.node, memmapOnMemory: mom });
  s.resources.push({ name: `System RAM (${name})`, base: d.base, size: d.size, state: 'claimed' });
  sim.event({
    kind: 'plug', subject: name, result: 'ok', rule: mom ? 'R1.3-memmap-on-memory' : 'R8-plug',
    message: `${name} added: ${rangeName(added)} appear offline${mom ? ', each hosting its own memmap (memmap_on_memory)' : `, their memmap (${formatSize(memmapBytes(d.size))}) allocated from kernel-zone memory`}.`,
  });
  autoOnline(sim, added, name);
}

/** add_memory_resource() onlines new blocks with memhp_default_state unless it is offline. */
export function autoOnline(sim: Sim, blocks: readonly number[], subject: string): void {
  const t = sim.state.model.knobs.autoOnline;
  if (t === 'offline' || blocks.length === 0) return;
  sim.event({ kind: 'online', subject, result: 'info', rule: 'R2.4-auto-online', message: `memhp_default_state=${t}: add_memory_resource() onlines the new blocks itself (auto_online = ${t}).` });
  onlineBlocks(sim, blocks, t, `${subject} (auto-online ${t})`);
}
