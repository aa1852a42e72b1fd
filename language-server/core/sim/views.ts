// Snapshot of the simulator state as JSON-safe views (block runs, devices, mappings, …).

import { hex } from '../check/layout.js';
import type { Sim } from './context.js';
import { isStretch } from './blockTable.js';
import { isKernelZone } from './memory.js';
import type { Block, Mapping, ProcessState } from './state.js';
import type { BlockRun, MappingView, ProcessView, StateView, ZoneName } from './timeline.js';

function memmapHostName(sim: Sim, b: Block): string {
  if (b.memmapHost === 'boot' || b.memmapHost === 'self') return b.memmapHost;
  const h = sim.state.blocks.get(b.memmapHost);
  return h ? `${h.owner} (memory${h.index})` : `memory${b.memmapHost}`;
}

/** Bytes of a block's extents by kind: movable, unmovable, pinned, memmap, reserved. */
function usageSums(sim: Sim, b: Block): [bigint, bigint, bigint, bigint, bigint] {
  let movable = 0n, unmovable = 0n, pinned = 0n, memmap = 0n, reserved = 0n;
  for (const e of b.extents) {
    if (e.owner.kind === 'memmap') memmap += e.size;
    else if (e.owner.kind === 'reserved') reserved += e.size;
    else if (e.owner.kind === 'kernel') unmovable += e.size;
    else if (e.owner.kind === 'alloc') {
      const a = sim.state.allocations.get(e.owner.name);
      if (a && a.pinned !== 'none') pinned += e.size;
      else if (a && (a.kind === 'anon' || a.kind === 'pagecache' || a.kind === 'hugetlb')) movable += e.size;
      else unmovable += e.size;
    }
  }
  return [movable, unmovable, pinned, memmap, reserved];
}

function usage(sim: Sim, b: Block): BlockRun['used'] {
  const [movable, unmovable, pinned, memmap, reserved] = usageSums(sim, b);
  const out: Record<string, string> = {};
  if (movable) out['movable'] = hex(movable);
  if (unmovable) out['unmovable'] = hex(unmovable);
  if (pinned) out['pinned'] = hex(pinned);
  if (memmap) out['memmap'] = hex(memmap);
  if (reserved) out['reserved'] = hex(reserved);
  return out;
}

/** A key equal for two blocks exactly when their usage() views are equal (without building them). */
function usageKey(sim: Sim, b: Block): string {
  const [movable, unmovable, pinned, memmap, reserved] = usageSums(sim, b);
  return `${movable},${unmovable},${pinned},${memmap},${reserved}`;
}

// Views of entities that did not change since the last step are reused (same object), so the
// per-step snapshot costs array slots, not new objects: long scenarios stay linear. The caches
// live on the Sim, so nothing outlives one simulate() call.
function mappingView(sim: Sim, m: Mapping): MappingView {
  const hit = sim.viewCache.mappings.get(m);
  if (hit && hit.state === m.state && hit.pinned === m.pinned) return hit;
  const view: MappingView = { name: m.name, process: m.process, source: m.source.kind === 'dax' ? m.source.name : m.source.kind === 'file' ? m.source.path : m.source.alloc, state: m.state, base: hex(m.phys), size: hex(m.size), pinned: m.pinned };
  sim.viewCache.mappings.set(m, view);
  return view;
}

function processView(sim: Sim, p: ProcessState): ProcessView {
  const hit = sim.viewCache.processes.get(p);
  if (hit && hit.alive === p.alive && hit.signals.length === p.signals.length) return hit;
  const view: ProcessView = { name: p.decl.name, alive: p.alive, signals: p.signals.map((x) => ({ ...x })) };
  sim.viewCache.processes.set(p, view);
  return view;
}

/** What the devices list needs of one owner's blocks (not removed), in address order. */
interface OwnerStats { count: number; burned: boolean; allOnline: boolean; allOffline: boolean; zones: Set<ZoneName | null> }

export function snapshot(sim: Sim): StateView {
  const s = sim.state;
  const runs: { -readonly [K in keyof BlockRun]: BlockRun[K] }[] = [];
  // Runs are cut where anything visible changes; the key is only built for blocks that differ
  // in cheap fields or hold extents. Untouched boot RAM arrives as whole stretches (blockTable.ts),
  // so a 500,000-block machine costs as much as its real blocks.
  let prev: (typeof runs)[number] | undefined;
  let prevKey = '';
  const byOwner = new Map<string, OwnerStats>();
  const note = (owner: string, n: number, state: Block['state'], zone: ZoneName | null, burned: boolean) => {
    if (state === 'removed') return;
    let o = byOwner.get(owner);
    if (!o) byOwner.set(owner, (o = { count: 0, burned: false, allOnline: true, allOffline: true, zones: new Set() }));
    o.count += n;
    if (burned) o.burned = true;
    if (state !== 'online') o.allOnline = false;
    else o.zones.add(zone);
    if (state !== 'offline') o.allOffline = false;
  };
  for (const x of s.blocks.ascending()) {
    if (isStretch(x)) {
      const r = x.run;
      note(r.owner, x.last - x.first + 1, 'online', r.zone, false);
      // As usageKey()/usage() of such a block: nothing, or one reserved extent of the whole block.
      const key = `online|${r.zone}|${r.node}|${r.owner}|false|0|boot|${r.reserved === undefined ? '' : `0,0,0,0,${s.blockSize}`}`;
      if (prev && prev.last === x.first - 1 && key === prevKey) { prev.last = x.last; continue; }
      const used: Record<string, string> = r.reserved === undefined ? {} : { reserved: hex(s.blockSize) };
      prev = { first: x.first, last: x.last, state: 'online', zone: r.zone, node: r.node, owner: r.owner, burned: false, poisonedPages: 0, used, memmapHost: 'boot' };
      prevKey = key;
      runs.push(prev);
      continue;
    }
    const b = x;
    note(b.owner, 1, b.state, b.zone, b.burned);
    const zone = b.state === 'online' ? b.zone : null;
    const host = typeof b.memmapHost === 'number' ? `#${b.memmapHost}` : b.memmapHost;
    const extentsKey = b.extents.length ? usageKey(sim, b) : '';
    const key = `${b.state}|${zone}|${b.node}|${b.owner}|${b.burned}|${b.poisoned}|${host}|${extentsKey}`;
    if (prev && prev.last === b.index - 1 && key === prevKey && b.poisoned === 0) {
      prev.last = b.index;
      continue;
    }
    prev = {
      first: b.index, last: b.index, state: b.state, zone, node: b.node, owner: b.owner,
      burned: b.burned, poisonedPages: b.poisoned, used: b.extents.length ? usage(sim, b) : {}, memmapHost: memmapHostName(sim, b),
    };
    prevKey = key;
    runs.push(prev);
  }
  const devices: StateView['devices'][number][] = [...s.devices.values()].map((d) => {
    const own = byOwner.get(d.decl.name) ?? { count: 0, burned: false, allOnline: true, allOffline: true, zones: new Set() };
    const zones = [...own.zones];
    const status = !d.present ? 'absent' : own.burned ? 'burned' : own.count === 0 ? (d.decl.kind === 'pmem' || d.decl.kind === 'cxl' ? 'present' : 'no memory added') : own.allOnline ? `online (${zones.map((z) => (z ? z.toUpperCase() : '?')).join('+')})` : own.allOffline ? 'offline' : 'partly online';
    return { name: d.decl.name, kind: d.decl.kind as string, present: d.present, driver: d.decl.kind === 'virtio-mem' ? (d.driverBound ? 'virtio_mem' : '') : d.decl.kind === 'dimm' ? 'acpi' : d.decl.kind === 'ram' ? 'boot' : d.decl.kind === 'pmem' ? 'nd_pmem' : 'cxl', status: d.replaced ? `${status}; replaced: new tenant` : status, replaced: d.replaced };
  });
  for (const x of s.daxes.values()) {
    const own = x.kmemBlocks.map((i) => s.blocks.get(i)!).filter((b) => b && b.state !== 'removed');
    const status = x.driver === 'kmem' ? (own.some((b) => b.burned) ? 'burned' : `kmem: ${own.filter((b) => b.state === 'online').length}/${own.length} blocks online${own.some((b) => b.state === 'online' && isKernelZone(b.zone)) ? ' (kernel zone)' : ''}`) : x.driver === '' ? (own.some((b) => b.burned) ? 'unbound; range burned' : 'unbound') : x.alive ? x.mode : 'dead';
    devices.push({ name: x.decl.name, kind: 'dax', present: s.devices.get(x.decl.region)?.present ?? false, driver: x.driver, mode: x.mode, status, replaced: false });
  }
  return {
    blocks: runs,
    devices,
    mappings: [...s.mappings.values()].map((m) => mappingView(sim, m)),
    processes: [...s.processes.values()].map((p) => processView(sim, p)),
    filesystems: [...s.filesystems.values()].map((f) => ({ name: f.decl.name, state: f.state })),
    resources: s.resources.map((r) => ({ name: r.name, base: hex(r.base), size: hex(r.size), state: r.state })),
    poison: [...s.memoryPoison, ...s.devicePoison].map((p) => ({ base: hex(p.phys), pages: 1, what: p.what })),
    crashed: s.crashed !== undefined,
    ...(s.crashed ? { crashReason: s.crashed } : {}),
  };
}
