// Drivers and hardware: kmem bind/unbind, device_dax, fsdax (pmem) unbind per filesystem and
// kernel version, virtio-mem, ACPI DIMM eject, surprise removal, replacement, mount, reboot.

import { alignDown, alignUp, formatRange, formatSize, hex, physAddr } from '../check/layout.js';
import { versionAtLeast, type OnlineType } from '../check/model.js';
import { causeOf, type Sim } from './context.js';
import { addMemory, blockName, memmapOnMemoryApplies, offlineBlock, onlineBlocks, rangeName, removeBlocks, used } from './memory.js';
import { unbindVirtio, unplugVirtio } from './virtioMem.js';
import type { DaxState, Mapping } from './state.js';
import type { EventResult } from './timeline.js';

function v(sim: Sim) { return sim.state.model.kernel; }

/** dax_kmem_range(): one dax range aligned inward to memory blocks (empty when nothing is left). */
export function kmemRange(sim: Sim, range: { readonly base: bigint; readonly size: bigint }): { start: bigint; end: bigint } {
  const bs = sim.state.blockSize;
  return { start: alignUp(range.base, bs), end: alignDown(range.base + range.size, bs) };
}

function resourceBurnedOver(sim: Sim, base: bigint, size: bigint) {
  return sim.state.resources.find((r) => r.state === 'burned' && r.base < base + size && base < r.base + r.size);
}

/** Our label for the "System RAM (kmem)" resource of range i (the range index only when there are several). */
const kmemResource = (dax: DaxState, i: number) => `${dax.decl.name} / System RAM (kmem)${dax.decl.ranges.length > 1 ? ` mapping${i}` : ''}`;

/** dev_dax_kmem_probe(): per dax range, request the region and add_memory_driver_managed() into
 *  one memory group; a range that cannot be reserved fails the probe only if nothing was mapped
 *  yet. Then online as asked. */
export function bindKmem(sim: Sim, name: string, online: OnlineType | undefined): EventResult {
  const s = sim.state;
  const dax = s.daxes.get(name)!;
  const ranges = dax.decl.ranges.map((r, index) => ({ index, ...kmemRange(sim, r) }));
  const usable = ranges.filter((r) => r.end > r.start);
  const multi = ranges.length > 1;
  const log: string[] = [];
  for (const r of ranges) if (r.end <= r.start && multi) log.push(`kmem ${name}: mapping${r.index}: ${formatRange(dax.decl.ranges[r.index]!.base, dax.decl.ranges[r.index]!.size)} too small after alignment`);
  if (usable.length === 0) {
    sim.event({ kind: 'bind', subject: name, result: 'EINVAL', rule: 'R5.4-kmem-probe', message: `${name} holds no whole memory block after aligning its data range${multi ? 's' : ''} inward to ${formatSize(s.blockSize)}; kmem rejects it.`, log: [...log, `kmem ${name}: rejecting DAX region without any memory after alignment`] });
    return 'EINVAL';
  }
  const mapped: typeof usable = [];
  const skipped: number[] = [];
  for (const r of usable) {
    const burned = resourceBurnedOver(sim, r.start, r.end - r.start);
    if (!burned) { mapped.push(r); continue; }
    log.push(`kmem ${name}: mapping${r.index}: ${hex(r.start)}-${hex(r.end - 1n)} could not reserve region`);
    if (mapped.length === 0) {
      sim.event({
        kind: 'bind', subject: name, result: 'EBUSY', rule: 'R1.2-resource', log,
        message: `kmem cannot reserve ${name}'s ${multi ? `range ${r.index}` : 'range'}: it is still claimed by the leaked "${burned.name}" resource (burned until reboot). request_mem_region() fails${multi ? ' before anything was mapped' : ''}, probe returns -EBUSY.`,
      });
      return 'EBUSY';
    }
    skipped.push(r.index); // "Once some memory has been onlined we can't assume that it can be un-onlined safely."
  }
  const all: number[] = [];
  const addedRanges: typeof dax.kmemRanges = [];
  let mom = false;
  for (const r of mapped) {
    const nBlocks = Number((r.end - r.start) / s.blockSize);
    const m = dax.decl.memmapOnMemory && versionAtLeast(v(sim), 6, 8) && memmapOnMemoryApplies(sim, nBlocks, s.model.knobs.memmapOnMemory !== 'off');
    mom ||= m;
    const added = addMemory(sim, r.start, r.end - r.start, { owner: name, node: dax.decl.node, memmapOnMemory: m });
    addedRanges.push({ index: r.index, start: r.start, end: r.end, blocks: added });
    all.push(...added);
    s.resources.push({ name: kmemResource(dax, r.index), base: r.start, size: r.end - r.start, state: 'claimed' });
  }
  dax.kmemBlocks = all;
  dax.kmemRanges = addedRanges;
  dax.mode = 'system-ram';
  dax.driver = 'kmem';
  s.resources = s.resources.filter((r) => r.name !== name);
  const total = mapped.reduce((t, r) => t + (r.end - r.start), 0n);
  const dropped = dax.decl.dataSize - total - skipped.reduce((t, i) => t + (ranges[i]!.end - ranges[i]!.start), 0n);
  const where = multi ? `${mapped.length} of its ${ranges.length} ranges (${mapped.map((r) => `mapping${r.index} ${rangeName(addedRanges.find((a) => a.index === r.index)!.blocks)}`).join(', ')})` : `${rangeName(all)} [${formatRange(mapped[0]!.start, total)}]`;
  sim.event({
    kind: 'bind', subject: name, result: 'ok', rule: mom ? 'R1.3-memmap-on-memory' : 'R5.4-kmem-probe', ...(log.length ? { log } : {}),
    message: `${name} bound to kmem: ${where} added as "System RAM (kmem)" on node ${dax.decl.node}${multi ? ', one memory group' : ''}${dropped > 0n ? ` (${formatSize(dropped)} lost to inward block alignment)` : ''}${skipped.length ? `; mapping${skipped.join(', mapping')} skipped: still claimed by a leaked resource, and once some memory is mapped the probe carries on without it` : ''}; memmap ${mom ? 'inside each block (memmap_on_memory)' : 'allocated from kernel-zone memory'}.`,
  });
  if (online) onlineBlocks(sim, all, online, name, all);
  return 'ok';
}

/** Mappings that reach a dax device directly (devdax) or through files on its filesystem. */
export function mappingsOn(sim: Sim, daxName: string): Mapping[] {
  return [...sim.state.mappings.values()].filter((m) => (m.source.kind === 'dax' && m.source.name === daxName) || (m.source.kind === 'file' && m.source.dax === daxName));
}

function liveMappers(maps: readonly Mapping[]): Mapping[] {
  return maps.filter((m) => m.state === 'valid' || m.state === 'poisoned');
}

/** kill_dev_dax(): kill_dax() then unmap_mapping_range() over the single dax inode. */
function unbindDevdax(sim: Sim, dax: DaxState): void {
  const maps = liveMappers(mappingsOn(sim, dax.decl.name));
  for (const m of maps) {
    m.state = 'zapped';
    if (m.pinned === 'longterm') m.pinnedAcrossUnbind = true;
  }
  dax.alive = false;
  dax.driver = '';
  sim.state.resources = sim.state.resources.filter((r) => r.name !== dax.decl.name);
  sim.event({
    kind: 'unbind', subject: dax.decl.name, result: 'ok', rule: 'R5.5-devdax-unbind',
    message: `device_dax ->remove(): kill_dev_dax() clears DAXDEV_ALIVE and unmap_mapping_range() zaps every PTE of the one dax inode${maps.length ? ` (${maps.map((m) => m.name).join(', ')} zapped)` : ''}; later accesses fault and get SIGBUS (BUS_ADRERR). The range is released.`,
  });
  const pinned = maps.filter((m) => m.pinnedAcrossUnbind);
  if (pinned.length) {
    sim.event({
      kind: 'unbind', subject: dax.decl.name, result: 'info', rule: 'R3.3-devdax-longterm', assumed: true,
      message: `${pinned.map((m) => m.name).join(', ')} still hold a long-term pin: memunmap_pages() does not wait for page pins, so the struct pages are freed under the pin (observed on 6.12: the later unpin oopses).`,
    });
  }
}

/** pmem namespace unbind with a mounted DAX filesystem: the 2021 problem, per fs and version. */
function unbindFsdax(sim: Sim, dax: DaxState, why: string): void {
  const s = sim.state;
  const kv = v(sim);
  const fs = [...s.filesystems.values()].find((f) => f.decl.dax === dax.decl.name);
  const maps = liveMappers(mappingsOn(sim, dax.decl.name));
  dax.alive = false;
  dax.driver = '';
  s.resources = s.resources.filter((r) => r.name !== dax.decl.name);
  const mounted = fs && fs.state !== 'unmounted';
  const fsName = fs ? `${fs.decl.type}${fs.decl.type === 'xfs' ? (fs.decl.rmapbt ? ' (rmapbt)' : ' (no rmapbt)') : ''}` : 'no filesystem';
  if (s.model.knobs.forceUnmapOnRemove && mounted) {
    for (const m of maps) { m.state = 'zapped'; }
    sim.event({ kind: 'unbind', subject: dax.decl.name, result: 'ok', rule: 'R5.5-force-unmap', assumed: true, message: `force_unmap_on_remove (the 2021 proposal, never merged): ->remove() detects the mounted filesystem and runs memory_failure() over the whole range, so every DAX PTE is zapped${maps.length ? ` (${maps.map((m) => m.name).join(', ')})` : ''} and mappers are signalled. This fixes stale mappings for fsdax only; kmem memory still cannot be ripped out (Hildenbrand).` });
    for (const p of new Set(maps.map((m) => m.process))) sim.signal(p, 'SIGBUS', 'BUS_MCEERR_AO', `the forced memory_failure() sweep unmapped its DAX pages.`, 'R5.5-force-unmap', { assumed: true });
    if (fs) fs.state = 'shutdown';
    return;
  }
  const xfsRmap = fs?.decl.type === 'xfs' && fs.decl.rmapbt && versionAtLeast(kv, 6, 0);
  if (!mounted || !fs) {
    sim.event({ kind: 'unbind', subject: dax.decl.name, result: 'ok', rule: 'R5.5-fsdax-unbind-noholder', message: `pmem ${why}: no filesystem is mounted on ${dax.decl.name}, so nothing maps its pages.` });
    return;
  }
  if (xfsRmap && versionAtLeast(kv, 6, 8)) {
    for (const m of maps) m.state = 'zapped';
    fs.state = 'shutdown';
    sim.event({
      kind: 'unbind', subject: dax.decl.name, result: 'ok', rule: 'R5.5-fsdax-unbind-xfs-preremove',
      message: `pmem ${why}: kill_dax() notifies XFS with MF_MEM_PRE_REMOVE (6.8+). XFS freezes, walks its reverse map, and mf_dax_kill_procs() zaps every mapper's PTEs without marking poison${maps.length ? ` (${maps.map((m) => m.name).join(', ')} zapped)` : ''}; the fs is shut down (forced umount).`,
      log: ['XFS: Device is about to be removed!', ...maps.filter((m) => m.touched.size > 0).map((m) => `Memory failure: ${hex(m.phys >> 12n)}: Sending SIGBUS to ${m.process} due to hardware memory corruption`)],
    });
    for (const p of new Set(maps.map((m) => m.process))) sim.signal(p, 'SIGBUS', 'BUS_MCEERR_AO', 'XFS pre-remove signals every task that maps the device (observed on 6.12 even with early_kill=0).', 'R5.5-fsdax-unbind-xfs-preremove');
    return;
  }
  if (xfsRmap) {
    // 6.0–6.7: whole-device media failure; unmap only if a current/early-kill task was collected.
    const early = maps.filter((m) => s.model.knobs.earlyKill || s.processes.get(m.process)?.decl.earlyKill);
    const late = maps.filter((m) => !early.includes(m));
    for (const m of early) m.state = 'zapped';
    for (const m of late) m.state = 'stale';
    fs.state = 'shutdown';
    fs.orphanedEntries = fs.daxEntries;
    sim.event({
      kind: 'unbind', subject: dax.decl.name, result: 'ok', rule: 'R5.5-fsdax-unbind-xfs-mf',
      message: `pmem ${why}: kill_dax() reports the whole device as failed to XFS (v6.0–v6.7); XFS shuts down as corrupt. mf_dax_kill_procs() collects only early-kill tasks and unmaps only when it collected one${early.length ? ` (${early.map((m) => m.name).join(', ')} zapped)` : ''}${late.length ? `; ${late.map((m) => m.name).join(', ')} keep their PTEs (stale)` : ''}.`,
      log: ['XFS: Corruption of on-disk metadata (0x10) detected at xfs_dax_notify_failure'],
    });
    for (const p of new Set(early.map((m) => m.process))) sim.signal(p, 'SIGBUS', 'BUS_MCEERR_AO', 'it is an early-kill task mapping the failed device.', 'R5.5-fsdax-unbind-xfs-mf');
    for (const m of late) staleHazard(sim, m, `${fs.decl.name} (${fsName}) on kernel ${kv.major}.${kv.minor} only unmaps early-kill mappers.`);
    return;
  }
  // No holder: ext4/ext2/erofs, XFS without rmapbt, or any fs before 6.0.
  for (const m of maps) m.state = 'stale';
  fs.orphanedEntries = fs.daxEntries;
  const log: string[] = [];
  if (fs.decl.type === 'ext4' && versionAtLeast(kv, 6, 6)) { log.push('EXT4-fs: shut down requested (2)'); fs.state = 'shutdown'; }
  if (fs.decl.type === 'xfs' && versionAtLeast(kv, 6, 6)) { log.push('XFS: Block device removal (0x20) detected at fs_bdev_mark_dead'); fs.state = 'shutdown'; }
  const reason = !versionAtLeast(kv, 6, 0) ? 'before v6.0 no filesystem is told (no dax holder)' : fs.decl.type === 'xfs' ? 'XFS without rmapbt cannot find file owners (notify_failure() needs rmapbt)' : `${fs.decl.type} registers no dax holder, so kill_dax() notifies nobody`;
  sim.event({
    kind: 'unbind', subject: dax.decl.name, result: 'ok', rule: 'R5.5-fsdax-unbind-noholder', log,
    message: `pmem ${why}: ${reason}. Unbind cannot fail, and nothing unmaps the files' DAX PTEs${maps.length ? `: ${maps.map((m) => m.name).join(', ')} stay mapped to pfns the kernel no longer owns` : ''}. New faults fail (SIGBUS).`,
  });
  for (const m of maps) staleHazard(sim, m, reason + '.');
}

function staleHazard(sim: Sim, m: Mapping, why: string): void {
  sim.hazard('stale-mapping', m.name, `${m.name} (${m.process}) still maps ${formatRange(m.phys, m.size)} after the device went away: ${why} Reads of touched pages keep working on memory nobody owns; if the range is reused or replaced, ${m.process} reads and writes the new owner's data. Use devdax, or XFS with rmapbt on kernel 6.8+ (MF_MEM_PRE_REMOVE), or unmount before unbinding.`, 'R7.1-stale', { causes: [causeOf(m.line, sim.spanOfLine(m.line), 'the mapping')] });
}

/** dev_dax_kmem_remove(): one shot at remove_memory(); on failure the range leaks until reboot. */
/** dev_dax_kmem_remove(): one remove_memory() per range, one shot each; a range that fails
 *  leaks its resource and blocks until reboot; driver data is kept unless every range went. */
function unbindKmem(sim: Sim, dax: DaxState): EventResult {
  const s = sim.state;
  const name = dax.decl.name;
  const multi = dax.decl.ranges.length > 1;
  const removed: typeof dax.kmemRanges = [];
  const leaked: { r: (typeof dax.kmemRanges)[number]; online: number[]; blocks: number[] }[] = [];
  let notSupported = false;
  for (const r of dax.kmemRanges) {
    const blocks = r.blocks.filter((i) => { const b = s.blocks.get(i); return b && b.state !== 'removed'; });
    const online = blocks.filter((i) => s.blocks.get(i)!.state === 'online');
    const res = removeBlocks(sim, blocks, name, true);
    if (res === 'ok') { removed.push(r); s.resources = s.resources.filter((x) => x.name !== kmemResource(dax, r.index)); continue; }
    if (res === 'EOPNOTSUPP') notSupported = true;
    const resource = s.resources.find((x) => x.name === kmemResource(dax, r.index));
    if (resource) resource.state = 'burned';
    for (const i of blocks) s.blocks.get(i)!.burned = true;
    leaked.push({ r, online, blocks });
  }
  dax.driver = '';
  if (leaked.length === 0) {
    const blocks = removed.flatMap((r) => r.blocks);
    dax.kmemBlocks = [];
    dax.kmemRanges = [];
    sim.event({ kind: 'unbind', subject: name, result: 'ok', rule: 'R5.4-kmem-remove', message: `kmem ->remove(): remove_memory() of ${multi ? `each of the ${removed.length} ranges (${rangeName(blocks)})` : rangeName(blocks)} succeeds (every block offline); resources released.` });
    return 'ok';
  }
  dax.kmemBlocks = leaked.flatMap((l) => l.blocks);
  dax.kmemRanges = leaked.map((l) => l.r);
  const log: string[] = [];
  for (const l of leaked) {
    const first = l.online.length ? s.blocks.get(l.online[0]!)! : undefined;
    if (first && !notSupported) log.push(`removing memory fails, because memory [${physAddr(first.base)}-${physAddr(first.base + s.blockSize - 1n)}] is onlined`);
    log.push(`kmem ${name}: mapping${l.r.index}: ${hex(l.r.start)}-${hex(l.r.end - 1n)} cannot be hotremoved until the next reboot`);
  }
  const online = leaked.flatMap((l) => l.online);
  const leakedBlocks = leaked.flatMap((l) => l.blocks);
  const why = notSupported ? 'nothing (CONFIG_MEMORY_HOTREMOVE off)' : `-EBUSY because ${rangeName(online)} ${online.length > 1 ? 'are' : 'is'} online`;
  sim.event({
    kind: 'unbind', subject: name, result: 'leaked', rule: 'R5.4-kmem-remove', log,
    message: multi
      ? `kmem ->remove() cannot fail, and has one shot per range: ${removed.length ? `mapping${removed.map((r) => r.index).join(', mapping')} (${rangeName(removed.flatMap((r) => r.blocks))}) removed and released; ` : ''}remove_memory() of mapping${leaked.map((l) => l.r.index).join(', mapping')} returns ${why}. ${rangeName(leakedBlocks)} stay added${online.length ? ' and in use' : ''}, their resources leak until reboot, and the driver keeps its data (not every range was removed). Offline the blocks first (daxctl offline-memory), then unbind.`
      : `kmem ->remove() cannot fail, and has one shot: remove_memory() returns ${why}. The driver leaks the resource: ${rangeName(leakedBlocks)} stay added${online.length ? ' and in use' : ''}, and no driver can claim the range until reboot. Offline the blocks first (daxctl offline-memory), then unbind.`,
  });
  const spans = leaked.map((l) => formatRange(l.r.start, l.r.end - l.r.start)).join(', ');
  sim.hazard('burned-range', name, `${spans} ${leaked.length > 1 ? 'are' : 'is'} burned: "System RAM (kmem)" stays claimed with no owner able to release it until the next reboot; ${multi ? 're-binding device_dax fails with -EBUSY; kmem skips a leaked range, or fails with -EBUSY when it is the first one it tries' : 're-binding device_dax or kmem fails with -EBUSY'}.`, 'R5.4-kmem-remove');
  return 'leaked';
}

export function unbind(sim: Sim, name: string): EventResult {
  const s = sim.state;
  const dax = s.daxes.get(name);
  if (dax) {
    if (dax.driver === '') {
      sim.event({ kind: 'unbind', subject: name, result: 'ENXIO', rule: 'R5.5-devdax-unbind', message: `${name} is not bound to a driver; there is nothing to unbind (writing to unbind gives -ENODEV/-ENXIO).` });
      return 'ENXIO';
    }
    if (dax.driver === 'kmem') return unbindKmem(sim, dax);
    if (dax.driver === 'pmem') { unbindFsdax(sim, dax, 'unbind'); return 'ok'; }
    unbindDevdax(sim, dax);
    return 'ok';
  }
  const dev = s.devices.get(name);
  if (dev && dev.decl.kind === 'virtio-mem') return unbindVirtio(sim, name);
  sim.event({ kind: 'unbind', subject: name, result: 'EINVAL', rule: 'R2.1-state', message: `${name} has no driver to unbind.` });
  return 'EINVAL';
}

export function bind(sim: Sim, name: string, driver: 'devdax' | 'kmem', online?: OnlineType): EventResult {
  const s = sim.state;
  const dax = s.daxes.get(name)!;
  if (dax.driver !== '') {
    sim.event({ kind: 'bind', subject: name, result: 'EBUSY', rule: 'R1.2-resource', message: `${name} is already bound to ${dax.driver}; unbind it first.`, fix: { insertBefore: `unbind ${name}`, title: `Add the missing 'unbind ${name}'` } });
    return 'EBUSY';
  }
  if (!regionPresent(sim, dax)) {
    sim.event({ kind: 'bind', subject: name, result: 'ENXIO', rule: 'R1.2-resource', message: `The region under ${name} (${dax.decl.region}) is not present.` });
    return 'ENXIO';
  }
  if (driver === 'kmem') {
    if (dax.decl.mode === 'fsdax') { sim.event({ kind: 'bind', subject: name, result: 'EINVAL', rule: 'R5.4-kmem-probe', message: `${name} is an fsdax namespace (a block device); reconfigure the namespace to devdax before binding kmem.` }); return 'EINVAL'; }
    return bindKmem(sim, name, online ?? (s.model.knobs.autoOnline === 'offline' ? undefined : s.model.knobs.autoOnline));
  }
  const burned = resourceBurnedOver(sim, dax.decl.dataBase, dax.decl.dataSize);
  if (burned) {
    sim.event({ kind: 'bind', subject: name, result: 'EBUSY', rule: 'R1.2-resource', message: `device_dax cannot reserve ${name}'s range: "${burned.name}" still claims it (leaked by kmem; burned until reboot).`, log: [`dax_pmem ${name}: mapping0: ${formatRange(dax.decl.dataBase, dax.decl.dataSize)} could not reserve range`] });
    return 'EBUSY';
  }
  dax.alive = true;
  dax.mode = dax.decl.mode === 'fsdax' ? 'fsdax' : 'devdax';
  dax.driver = dax.mode === 'fsdax' ? 'pmem' : 'device_dax';
  s.resources.push({ name, base: dax.decl.base, size: dax.decl.size, state: 'claimed' });
  sim.event({ kind: 'bind', subject: name, result: 'ok', rule: 'R1.2-resource', message: `${name} bound to ${dax.driver}; /dev/${name} is back.` });
  return 'ok';
}

function regionPresent(sim: Sim, dax: DaxState): boolean {
  return sim.state.devices.get(dax.decl.region)?.present ?? false;
}

/** daxctl reconfigure-device. */
export function reconfigure(sim: Sim, name: string, mode: 'system-ram' | 'devdax', opts: { noOnline: boolean; noMovable: boolean; force: boolean }): EventResult {
  const s = sim.state;
  const dax = s.daxes.get(name)!;
  if (mode === 'system-ram') {
    if (dax.driver === 'kmem') { sim.event({ kind: 'reconfigure', subject: name, result: 'ok', rule: 'R5.4-daxctl', message: `${name} is already in system-ram mode.` }); return 'ok'; }
    if (dax.decl.mode === 'fsdax') { sim.event({ kind: 'reconfigure', subject: name, result: 'EINVAL', rule: 'R5.4-daxctl', message: `${name} is an fsdax namespace; daxctl reconfigures dax devices only (ndctl create-namespace -m devdax first).` }); return 'EINVAL'; }
    if (s.model.knobs.autoOnline !== 'offline' && !opts.noOnline) {
      sim.event({ kind: 'reconfigure', subject: name, result: 'EBUSY', rule: 'R5.4-daxctl', log: ['daxctl: kernel policy will auto-online memory, aborting'], message: `daxctl refuses: the kernel would auto-online the new blocks itself (auto_online = ${s.model.knobs.autoOnline}), racing daxctl's own onlining (observed on Debian 6.12). Boot with memhp_default_state=offline (set auto_online = offline).` });
      return 'EBUSY';
    }
    if (dax.driver === 'device_dax') unbindDevdax(sim, dax);
    dax.alive = true;
    return bindKmem(sim, name, opts.noOnline ? undefined : opts.noMovable ? 'online_kernel' : 'online_movable');
  }
  if (dax.driver !== 'kmem') {
    if (dax.driver === 'device_dax') { sim.event({ kind: 'reconfigure', subject: name, result: 'ok', rule: 'R5.4-daxctl', message: `${name} is already in devdax mode.` }); return 'ok'; }
    return bind(sim, name, 'devdax');
  }
  const online = dax.kmemBlocks.filter((i) => s.blocks.get(i)?.state === 'online');
  if (online.length && !opts.force) {
    sim.event({ kind: 'reconfigure', subject: name, result: 'EBUSY', rule: 'R5.4-daxctl', message: `daxctl won't touch online memory: ${rangeName(online)} ${online.length > 1 ? 'are' : 'is'} online. Add 'force' to offline them first.` });
    return 'EBUSY';
  }
  for (const i of online) {
    const r = offlineBlock(sim, i, { timeoutMs: undefined, range: online });
    if (r !== 'ok') {
      sim.event({ kind: 'reconfigure', subject: name, result: r, rule: 'R5.4-daxctl', message: `daxctl --force could not offline ${blockName(i)} (${r}); ${name} stays in system-ram mode.` });
      return r;
    }
  }
  const r = unbindKmem(sim, dax);
  if (r !== 'ok') return r;
  return bind(sim, name, 'devdax');
}

// Untouched boot RAM (blockTable.ts runs) belongs to no dimm, virtio-mem, cxl or pmem device and
// hosts no memmap, so the device rules below walk only real blocks (materialized()).

// ---- hardware -----------------------------------------------------------------------------------

export function unplug(sim: Sim, name: string, size: bigint | undefined): EventResult {
  const s = sim.state;
  const dev = s.devices.get(name)!;
  if (!dev.present) { sim.event({ kind: 'unplug', subject: name, result: 'EINVAL', rule: 'R4-acpi-eject', message: `${name} is not plugged.` }); return 'EINVAL'; }
  const blocks = [...s.blocks.materialized()].filter((b) => b.owner === name && b.state !== 'removed').sort((a, b) => a.index - b.index);
  if (dev.decl.kind === 'dimm') {
    const online = blocks.filter((b) => b.state === 'online').map((b) => b.index);
    const offlined: number[] = [];
    for (const i of online) {
      const r = offlineBlock(sim, i, { timeoutMs: 0n, range: online, quiet: true });
      if (r !== 'ok') {
        for (const j of offlined) { const b = s.blocks.get(j)!; b.state = 'online'; }
        sim.event({ kind: 'unplug', subject: name, result: 'EBUSY', rule: 'R4-acpi-eject', log: [`memory ${blockName(i)}: Offline failed.`], message: `ACPI eject: acpi_scan_try_to_offline() could not offline ${blockName(i)}; the eject fails (_OST busy), ${name} stays and blocks offlined on the way are onlined again.` });
        return 'EBUSY';
      }
      offlined.push(i);
    }
    removeBlocks(sim, blocks.map((b) => b.index), name, true);
    dev.present = false;
    s.resources = s.resources.filter((r) => r.name !== `System RAM (${name})`);
    sim.event({ kind: 'unplug', subject: name, result: 'ok', rule: 'R4-acpi-eject', message: `ACPI eject: ${online.length ? `${rangeName(online)} offlined (pages migrated), ` : ''}memory removed; ${name} is gone (DEVICE_DELETED).` });
    return 'ok';
  }
  return unplugVirtio(sim, name, size, blocks);
}

/** The hardware disappears; ->remove() of every driver on it runs and cannot fail. */
export function surpriseRemove(sim: Sim, name: string): EventResult {
  const s = sim.state;
  const dev = s.devices.get(name)!;
  if (!dev.present) { sim.event({ kind: 'surprise-remove', subject: name, result: 'EINVAL', rule: 'R4-acpi-eject', message: `${name} is not present.` }); return 'EINVAL'; }
  sim.event({ kind: 'surprise-remove', subject: name, result: 'ok', rule: 'R4-acpi-eject', message: `${name} is physically gone; Linux has no veto. Drivers' ->remove() run now.` });
  for (const dax of s.daxes.values()) {
    if (dax.decl.region !== name || dax.driver === '') continue;
    if (dax.driver === 'kmem') unbindKmem(sim, dax);
    else if (dax.driver === 'pmem') unbindFsdax(sim, dax, 'surprise removal');
    else unbindDevdax(sim, dax);
  }
  if (dev.decl.kind === 'virtio-mem' && dev.driverBound) unbindVirtio(sim, name);
  dev.present = false;
  vanish(sim, name);
  return 'ok';
}

/** Memory that vanished while the kernel still used it. */
function vanish(sim: Sim, name: string): void {
  const s = sim.state;
  const d = s.devices.get(name)!.decl;
  const inRange = [...s.blocks.materialized()].filter((b) => b.base >= d.base && b.base < d.base + d.size && b.state !== 'removed');
  const online = inRange.filter((b) => b.state === 'online');
  // Whose memmap lived here?
  const hosted = [...s.blocks.materialized()].filter((b) => typeof b.memmapHost === 'number' && inRange.some((h) => h.index === b.memmapHost) && b.state !== 'removed' && !inRange.includes(b));
  if (hosted.length) {
    const owners = [...new Set(hosted.map((b) => b.owner))];
    sim.crash(name, `The memmap (struct pages) of ${owners.join(', ')} ${rangeName(hosted.map((b) => b.index))} lived in ${name}'s memory, which is gone; the next pfn_to_page() on that range (allocator, reclaim, a /proc walk) touches missing memory — the system crashes. "You cannot possibly invalidate via memory_failure() and rip out the memory without crashing the whole system afterwards" (Hildenbrand, 2021). Use memmap_on_memory so each range hosts its own memmap.`, 'R7.3-memmap-gone', { assumed: true });
    return;
  }
  if (online.length && s.model.knobs.vanishedMemory === 'on-access') {
    for (const b of online) { b.burned = true; b.vanished = true; }
    sim.event({ kind: 'surprise-remove', subject: name, result: 'info', rule: 'R7.3-kmem-gone', assumed: true, message: `${rangeName(online.map((b) => b.index))} stay online in the page allocator although ${name} is gone (vanished_memory = on-access): nothing crashes yet, but the next allocation there, access to it, or migration out of it machine-checks.` });
  } else if (online.length) {
    const inUse = online.filter((b) => used(b) > (b.memmapHost === 'self' ? s.blockSize / 64n : 0n));
    sim.crash(name, `${rangeName(online.map((b) => b.index))} ${online.length > 1 ? 'were' : 'was'} online in ${[...new Set(online.map((b) => b.zone))].join('/')} when ${name} vanished: the page allocator still owns ${inUse.length ? 'pages in use there' : 'those pages and will hand them out'}, and the next access machine-checks (platform dependent; modelled as a crash). Offline and remove the memory before the hardware goes.`, 'R7.3-kmem-gone', { assumed: true });
    for (const b of online) b.burned = true;
  }
  for (const b of inRange) if (b.state === 'offline') { b.state = 'removed'; b.extents = []; }
}

export function replace(sim: Sim, name: string): EventResult {
  const s = sim.state;
  const dev = s.devices.get(name)!;
  if (dev.present) surpriseRemove(sim, name);
  dev.present = true;
  dev.replaced = true;
  const d = dev.decl;
  const stale = [...s.mappings.values()].filter((m) => m.state === 'stale' && m.phys < d.base + d.size && d.base < m.phys + m.size);
  const burned = s.resources.filter((r) => r.state === 'burned' && r.base < d.base + d.size && d.base < r.base + r.size);
  sim.event({
    kind: 'replace', subject: name, result: 'ok', rule: 'R1.2-resource',
    message: `New hardware decodes at ${formatRange(d.base, d.size)}: a new tenant's data.${burned.length ? ` The range is still claimed by ${burned.map((r) => `"${r.name}"`).join(', ')}, so no driver can probe the new device until reboot.` : ''}`,
  });
  const vanished = [...s.blocks.materialized()].filter((b) => b.vanished && b.base >= d.base && b.base < d.base + d.size);
  if (vanished.length) {
    for (const b of vanished) b.vanished = false;
    sim.hazard('data-exposure', name, `The kernel still allocates from ${rangeName(vanished.map((b) => b.index))}, which now decodes to the new device: kernel and user data land in the new tenant's memory, and the kernel reads the tenant's data as its own.`, 'R7.1-exposure', { assumed: true });
  }
  for (const m of stale) {
    sim.hazard('data-exposure', m.name, `${m.name} of ${m.process} still maps ${formatRange(m.phys, m.size)}: its loads and stores now reach the new tenant's memory — "Security and data-integrity is forfeit" (Williams, 2021).`, 'R7.1-exposure', { causes: [causeOf(m.line, sim.spanOfLine(m.line), 'the stale mapping')] });
  }
  for (const dax of s.daxes.values()) if (dax.decl.region === name) { dax.driver = ''; dax.alive = false; }
  return 'ok';
}

export function mount(sim: Sim, name: string): EventResult {
  const fs = sim.state.filesystems.get(name)!;
  const dax = sim.state.daxes.get(fs.decl.dax)!;
  if (fs.state !== 'unmounted') { sim.event({ kind: 'mount', subject: name, result: 'EBUSY', rule: 'R9-mount', message: `${name} is already mounted.` }); return 'EBUSY'; }
  if (!dax.alive || dax.driver !== 'pmem') { sim.event({ kind: 'mount', subject: name, result: 'ENXIO', rule: 'R9-mount', message: `${fs.decl.dax} is not bound (no /dev/pmem block device); mount fails.` }); return 'ENXIO'; }
  fs.state = 'mounted';
  sim.event({ kind: 'mount', subject: name, result: 'ok', rule: 'R9-mount', message: `${name} (${fs.decl.type}) mounted -o dax${fs.decl.mountPoint ? ` on ${fs.decl.mountPoint}` : ''}.` });
  return 'ok';
}

export function umount(sim: Sim, name: string): EventResult {
  const fs = sim.state.filesystems.get(name)!;
  if (fs.state === 'unmounted') { sim.event({ kind: 'umount', subject: name, result: 'EINVAL', rule: 'R9-mount', message: `${name} is not mounted.` }); return 'EINVAL'; }
  fs.state = 'unmounted';
  for (const m of sim.state.mappings.values()) if (m.source.kind === 'file' && m.source.fs === name && (m.state === 'valid' || m.state === 'stale')) m.state = 'gone';
  if (fs.orphanedEntries) {
    fs.orphanedEntries = false;
    sim.event({ kind: 'umount', subject: name, result: 'oops', rule: 'R5.5-umount-orphaned', log: ['BUG: unable to handle page fault', 'RIP: dax_disassociate_entry'], message: `umount walks the files' DAX entries and dax_disassociate_entry() dereferences struct pages that were freed when ${fs.decl.dax} went away: kernel oops (observed on 6.1 for ext4 and XFS, on 6.12 unless XFS pre-remove cleaned up first).` });
    sim.hazard('crash', name, `Kernel oops in umount: the fs still held DAX entries for pfns whose memmap was freed by the unbind. The task is killed and the kernel tainted.`, 'R5.5-umount-orphaned', { result: 'oops' });
    return 'oops';
  }
  sim.event({ kind: 'umount', subject: name, result: 'ok', rule: 'R9-mount', message: `${name} unmounted.` });
  return 'ok';
}

