// virtio-mem (brief §8, drivers/virtio/virtio_mem.c): probe (Sub Block vs Big Block Mode), plug and
// unplug requests, driver unbind.

import { formatRange, formatSize, hex } from '../check/layout.js';
import { DEFAULT_DEVICE_BLOCK_SIZE, virtioMemMode, type VirtioMemMode } from '../check/virtioMem.js';
import { causeOf, type Sim } from './context.js';
import { autoOnline } from './boot.js';
import { addMemory, blockName, free as freeBytes, isKernelZone, offlineBlock, placeBytes, rangeName, removeBlocks } from './memory.js';
import type { Block } from './state.js';
import type { CauseView, EventResult } from './timeline.js';

/** The mode virtio_mem_init_hotplug() picks for this device (static: device block size and knobs). */
export function virtioMode(sim: Sim, name: string): VirtioMemMode {
  const d = sim.state.devices.get(name)!.decl;
  return virtioMemMode(d.deviceBlockSize ?? DEFAULT_DEVICE_BLOCK_SIZE, sim.state.model.knobs);
}

/** dev_info() lines of virtio_mem_refresh_config(): printed when the requested size changes. */
function sizeLog(name: string, plugged: bigint, requested: bigint): string[] {
  return [`virtio_mem ${name}: plugged size: ${hex(plugged)}`, `virtio_mem ${name}: requested size: ${hex(requested)}`];
}

/** virtio_mem_probe() → virtio_mem_init_hotplug() at boot, then the requested size is plugged. */
export function probeVirtio(sim: Sim, name: string): void {
  const s = sim.state;
  if (!s.devices.get(name)!.present) return; // surprise-removed before a reboot: nothing to probe
  const d = s.devices.get(name)!.decl;
  const m = virtioMode(sim, name);
  const dbs = d.deviceBlockSize ?? DEFAULT_DEVICE_BLOCK_SIZE;
  const log = [
    ...(m.bbmBlockSizeIgnored ? [`virtio_mem ${name}: ${m.bbmBlockSizeIgnored}`] : []),
    `virtio_mem ${name}: memory block size: ${hex(s.blockSize)}`,
    m.mode === 'sbm' ? `virtio_mem ${name}: subblock size: ${hex(m.unit)}` : `virtio_mem ${name}: big block size: ${hex(m.unit)}`,
  ];
  sim.event({
    kind: 'bind', subject: name, result: 'ok', rule: 'R8-virtio-mode', log,
    message: m.mode === 'sbm'
      ? `virtio_mem probes ${name} in Sub Block Mode: ${m.why} (device block ${formatSize(dbs)}, subblock ${formatSize(m.unit)}, memory block ${formatSize(s.blockSize)}). Memory is added one memory block at a time; subblocks are plugged and unplugged inside it.`
      : `virtio_mem probes ${name} in Big Block Mode: ${m.why} (device block ${formatSize(dbs)}, memory block ${formatSize(s.blockSize)}): big blocks of ${formatSize(m.unit)}${m.unit > s.blockSize ? `, ${m.unit / s.blockSize} memory blocks each` : ''}, added and removed whole, no subblocks${m.bbmBlockSizeIgnored ? `; the driver ignored bbm_block_size (${m.bbmBlockSizeIgnored.replace('bbm_block_size is ', '')})` : ''}.`,
  });
  if (d.plugged > 0n) plugVirtio(sim, name, d.plugged, true);
}

export function plugVirtio(sim: Sim, name: string, size: bigint, atBoot: boolean): void {
  const m = virtioMode(sim, name);
  if (m.mode === 'bbm') { plugBbm(sim, name, size, atBoot, m.unit); return; }
  const s = sim.state;
  const dev = s.devices.get(name)!;
  const d = dev.decl;
  // virtio_mem_sbm_plug_request(): first the unplugged subblocks of partly plugged online blocks
  // (PageOffline, kernel then movable), then unused memory blocks of the device (added before,
  // removed since) in ascending order, then new ones — memory is added one block at a time,
  // modelled at block granularity.
  let want = size;
  const replugged: number[] = [];
  if (!atBoot) {
    for (const b of s.blocks.realBlocks()) {
      if (want === 0n || b.owner !== name || b.state !== 'online') continue;
      const holes = b.extents.filter((e) => e.owner.kind === 'unplugged');
      for (const e of holes) {
        if (want === 0n) break;
        const take = e.size <= want ? e.size : want;
        if (take === e.size) b.extents = b.extents.filter((x) => x !== e);
        else { e.start += take; e.size -= take; }
        want -= take;
        if (!replugged.includes(b.index)) replugged.push(b.index);
      }
    }
  }
  const bs = s.blockSize;
  const first = Number(d.base / bs), last = Number((d.base + d.size) / bs) - 1;
  const fresh: number[] = [];
  for (let i = first; i <= last && want >= bs; i++) {
    const b = s.blocks.get(i);
    if (b && b.state !== 'removed' && b.state !== 'absent') continue;
    fresh.push(i);
    want -= bs;
  }
  const added: number[] = [];
  // One add_memory_driver_managed() per contiguous stretch (the kernel adds block by block).
  for (let k = 0; k < fresh.length;) {
    let j = k;
    while (j + 1 < fresh.length && fresh[j + 1] === fresh[j]! + 1) j++;
    added.push(...addMemory(sim, BigInt(fresh[k]!) * bs, BigInt(j - k + 1) * bs, { owner: name, node: d.node, memmapOnMemory: false }));
    k = j + 1;
  }
  if (!atBoot) dev.plugged += size - want;
  if (!s.resources.some((r) => r.name === `System RAM (virtio_mem) ${name}`)) s.resources.push({ name: `System RAM (virtio_mem) ${name}`, base: d.base, size: d.size, state: 'claimed' });
  const parts = [
    ...(replugged.length ? [`unplugged subblocks of ${rangeName(replugged)} plugged again (PageOffline pages back to the buddy)`] : []),
    ...(added.length ? [`${rangeName(added)} added (add_memory_driver_managed(), "System RAM (virtio_mem)"), one dynamic memory group`] : []),
  ];
  sim.event({ kind: 'plug', subject: name, result: 'ok', rule: 'R8-plug', message: `virtio-mem ${name} plugged ${formatSize(size - want)}: ${parts.join('; ') || 'nothing (the device is fully plugged)'}${want > 0n ? `; ${formatSize(want)} of the request found no room in the device` : ''}.` });
  autoOnline(sim, added, name);
}

/** Bytes of `b` that are unplugged subblocks (PageOffline in an online block, or simply not plugged). */
function unpluggedIn(b: Block): bigint {
  let n = 0n;
  for (const e of b.extents) if (e.owner.kind === 'unplugged') n += e.size;
  return n;
}

/** A virtio-mem unplug request (requested_size lowered); `blocks` are the device's added blocks, ascending. */
export function unplugVirtio(sim: Sim, name: string, size: bigint | undefined, blocks: readonly Block[]): EventResult {
  const s = sim.state;
  const dev = s.devices.get(name)!;
  if (!dev.driverBound) {
    // The device is told a smaller requested size, but no driver is there to act on it.
    sim.event({ kind: 'unplug', subject: name, result: 'ok', rule: 'R8-virtio-unbind', message: `${name} now asks for ${size === undefined ? 'everything' : formatSize(size)} less, but virtio_mem is not bound: nobody acts on the request, nothing is unplugged and no log line appears (observed on 6.1 and 6.12).` });
    return 'ok';
  }
  const m = virtioMode(sim, name);
  if (m.mode === 'bbm') return unplugBbm(sim, name, size, m.unit, blocks);
  const unplugOnline = s.model.knobs.virtioMemUnplugOnline;
  // virtio_mem_sbm_unplug_request(): block classes in order offline-partial, offline,
  // movable-partial, kernel-partial, movable, kernel, each from the highest block down
  // (virtio_mem_sbm_for_each_mb_rev); unplug_online=0 stops after the offline ones. Each block
  // gives as many subblocks as the request still needs (virtio_mem_sbm_unplug_any_sb()): an
  // offline block just loses them (OFFLINE_PARTIAL), an online one has them fake-offlined
  // (alloc_contig_range(), PageOffline) or, when the whole block is asked for, is offlined and
  // removed in one shot, falling back to single subblocks when that fails. A block left with no
  // plugged subblock is removed. A request that cannot be met in full is simply not met.
  let want = size ?? dev.plugged;
  const rev = (xs: readonly Block[]) => [...xs].sort((a, b) => b.index - a.index);
  const partial = (b: Block) => unpluggedIn(b) > 0n;
  const offline = blocks.filter((b) => b.state === 'offline');
  const movable = blocks.filter((b) => b.state === 'online' && b.zone === 'movable');
  const kernel = blocks.filter((b) => b.state === 'online' && isKernelZone(b.zone));
  const order = [
    ...rev(offline.filter(partial)), ...rev(offline.filter((b) => !partial(b))),
    ...(unplugOnline ? [...rev(movable.filter(partial)), ...rev(kernel.filter(partial)), ...rev(movable.filter((b) => !partial(b))), ...rev(kernel.filter((b) => !partial(b)))] : []),
  ];
  const gone: number[] = [];
  const parts: { block: number; size: bigint; online: boolean }[] = [];
  let unplugged = 0n;
  for (const b of order) {
    if (want <= 0n) break;
    const plugged = b.present - unpluggedIn(b);
    if (plugged <= 0n) continue;
    if (b.state === 'online' && want >= plugged && !partial(b)) {
      // The whole block in one shot: virtio_mem_sbm_offline_and_remove_mb() (quiet on failure).
      const r = offlineBlock(sim, b.index, { timeoutMs: 0n, range: [b.index], quiet: true });
      if (r === 'ok') {
        removeBlocks(sim, [b.index], name, true);
        gone.push(b.index);
        want -= plugged;
        unplugged += plugged;
        continue;
      }
    }
    // Subblock by subblock: an offline block's are simply unplugged; an online block's free ones are
    // fake-offlined (the busy ones fail alloc_contig_range() and are skipped).
    const room = b.state === 'offline' ? plugged : freeBytes(b);
    const take = want < room ? want : room;
    if (take <= 0n) continue;
    if (take === plugged) {
      if (b.state === 'online') {
        const r = offlineBlock(sim, b.index, { timeoutMs: 0n, range: [b.index], quiet: true });
        if (r !== 'ok') continue;
      }
      removeBlocks(sim, [b.index], name, true);
      gone.push(b.index);
    } else {
      placeBytes([b], take, { kind: 'unplugged' });
      parts.push({ block: b.index, size: take, online: b.state === 'online' });
    }
    want -= take;
    unplugged += take;
  }
  const asked = size ?? unplugged + want;
  const log = sizeLog(name, dev.plugged, dev.plugged - asked);
  dev.plugged -= unplugged;
  const stays = !unplugOnline && unplugged < asked ? `; unplug_online=0: the request stops after the offline blocks and never touches online memory, so ${formatSize(asked - unplugged)} stay plugged (no error)` : unplugged < asked ? `; ${formatSize(asked - unplugged)} stay plugged because their blocks hold unmovable or unmigratable pages — the request is simply not fully met, no error` : '';
  const said = [
    ...(gone.length ? [`${rangeName(gone)} unplugged and removed (offline blocks first, then ZONE_MOVABLE, then kernel zones, highest first)`] : []),
    ...parts.map((p) => p.online
      ? `${formatSize(p.size)} of subblocks in ${blockName(p.block)} fake-offlined with alloc_contig_range() (PageOffline), the block stays online`
      : `${formatSize(p.size)} of subblocks of the offline ${blockName(p.block)} unplugged: it stays added, offline and partly plugged`),
  ];
  sim.event({
    kind: 'unplug', subject: name, result: 'ok', rule: 'R8-virtio-unplug', log,
    message: `virtio-mem unplug request of ${formatSize(asked)}: ${said.length ? said.join('; ') : 'nothing could be unplugged'}${stays}.`,
  });
  return 'ok';
}

// ---- Big Block Mode -------------------------------------------------------------------------------

/** The device's big blocks: kernel bb_id (phys / bb_size) → its memory blocks that are added. */
function bigBlocks(name: string, bb: bigint, blocks: readonly Block[]): Map<number, Block[]> {
  const out = new Map<number, Block[]>();
  for (const b of blocks) {
    if (b.owner !== name || b.state === 'removed' || b.state === 'absent') continue;
    const id = Number(b.base / bb);
    const list = out.get(id);
    if (list) list.push(b); else out.set(id, [b]);
  }
  return out;
}

function bbName(id: number, bb: bigint, blocks: readonly number[]): string {
  return `big block ${id} [${formatRange(BigInt(id) * bb, bb)}] (${rangeName(blocks)})`;
}

/**
 * virtio_mem_bbm_plug_request(): diff / bb_size big blocks; unused big blocks first (lowest id),
 * each plugged at the device, then added with one add_memory_driver_managed() of the whole big
 * block (virtio_mem_bbm_plug_and_add_bb()); add_memory onlines its memory blocks one by one.
 */
function plugBbm(sim: Sim, name: string, size: bigint, atBoot: boolean, bb: bigint): void {
  const s = sim.state;
  const dev = s.devices.get(name)!;
  const d = dev.decl;
  if (atBoot) dev.plugged = 0n;
  const requested = dev.plugged + size;
  let nb = size / bb;
  const used = bigBlocks(name, bb, [...s.blocks.materialized()]);
  const picks: number[] = [];
  for (let id = Number(d.base / bb); id < Number((d.base + d.size) / bb) && BigInt(picks.length) < nb; id++) if (!used.has(id)) picks.push(id);
  sim.event({
    kind: 'plug', subject: name, result: 'ok', rule: 'R8-virtio-bbm-plug', log: sizeLog(name, dev.plugged, requested),
    message: `virtio-mem ${name} plug request of ${formatSize(size)} in Big Block Mode: ${picks.length} big block${picks.length === 1 ? '' : 's'} of ${formatSize(bb)}, the unused ones from the lowest address up, each plugged and then added whole.`,
  });
  if (!s.resources.some((r) => r.name === `System RAM (virtio_mem) ${name}`)) s.resources.push({ name: `System RAM (virtio_mem) ${name}`, base: d.base, size: d.size, state: 'claimed' });
  for (const id of picks) {
    const added = addMemory(sim, BigInt(id) * bb, bb, { owner: name, node: d.node, memmapOnMemory: false });
    dev.plugged += bb;
    nb--;
    sim.event({ kind: 'plug', subject: name, result: 'ok', rule: 'R8-virtio-bbm-plug', message: `${bbName(id, bb, added)} plugged and added: one add_memory_driver_managed() of ${formatSize(bb)} ("System RAM (virtio_mem)", the device's dynamic memory group, unit = one big block); ${added.length > 1 ? 'each of its memory blocks is onlined on its own, possibly to different zones' : 'its memory block appears offline'}.` });
    autoOnline(sim, added, name);
  }
}

interface BbOutcome { readonly id: number; readonly blocks: number[]; readonly ok: boolean; readonly result: EventResult; readonly why: string; readonly causes: CauseView[] }

/** What keeps alloc_contig_range() from taking block `b` (for the event text and causes). */
function blocker(sim: Sim, b: Block, r: EventResult): { why: string; causes: CauseView[]; noRoom: boolean } {
  const s = sim.state;
  const reserved = b.extents.find((e) => e.owner.kind === 'reserved');
  if (reserved) return { why: `${blockName(b.index)} holds PG_reserved pages`, causes: [], noRoom: false };
  for (const e of b.extents) {
    if (e.owner.kind === 'memmap' && !(e.owner.first === b.index && b.memmapHost === 'self')) return { why: `${blockName(b.index)} hosts the memmap of ${e.owner.device} (unmovable)`, causes: [], noRoom: false };
    if (e.owner.kind !== 'alloc') continue;
    const a = s.allocations.get(e.owner.name);
    if (!a) continue;
    const cause = [causeOf(a.line, sim.spanOfLine(a.line), `${a.name} keeps ${blockName(b.index)} busy`)];
    if (a.pinned !== 'none') return { why: `${blockName(b.index)} holds "${a.name}", whose pages are pinned: migration fails on every one of the 5 tries ZONE_MOVABLE gets`, causes: cause, noRoom: false };
    if (a.kind !== 'anon' && a.kind !== 'pagecache' && a.kind !== 'hugetlb' && isKernelZone(b.zone)) return { why: `${blockName(b.index)} (${b.zone === null ? 'a kernel zone' : `ZONE_${b.zone.toUpperCase()}`}) holds ${a.kind} "${a.name}", which cannot be migrated (one try in a kernel zone)`, causes: cause, noRoom: false };
  }
  if (r === 'EINTR' || r === 'hang') return { why: `the movable pages of ${blockName(b.index)} have nowhere to go outside the big block`, causes: [], noRoom: true };
  return { why: `${blockName(b.index)} cannot be isolated`, causes: [], noRoom: false };
}

/**
 * virtio_mem_bbm_offline_remove_and_unplug_bb(): mark the big block fake-offline and take every
 * online section with alloc_contig_range() (virtio_mem_fake_offline(): 5 tries in ZONE_MOVABLE, 1
 * in a kernel zone), then offline_and_remove_memory() of the whole big block. Any failure rolls
 * the fake-offline back and returns -EBUSY (-ENOMEM when migration found no memory).
 */
function unplugBb(sim: Sim, name: string, id: number, bl: readonly Block[]): BbOutcome {
  const idx = bl.map((b) => b.index).sort((a, b) => a - b);
  const taken: [Block, Block['zone']][] = [];
  const rollback = () => { for (const [x, z] of taken) { x.state = 'online'; x.zone = z; } };
  for (const b of [...bl].sort((x, y) => x.index - y.index)) {
    if (b.state !== 'online') continue;
    const zone = b.zone;
    const r = offlineBlock(sim, b.index, { timeoutMs: 0n, range: idx, quiet: true });
    if (r !== 'ok') {
      const why = blocker(sim, b, r);
      const undo = taken.length ? ` (${rangeName(taken.map(([x]) => x.index))}, already taken, ${taken.length > 1 ? 'go' : 'goes'} back to the buddy; pages migrated out of ${taken.length > 1 ? 'them' : 'it'} stay where they went)` : '';
      rollback();
      return { id, blocks: idx, ok: false, result: why.noRoom ? 'ENOMEM' : 'EBUSY', why: why.why + undo, causes: why.causes };
    }
    taken.push([b, zone]);
  }
  const r = removeBlocks(sim, idx, name, true);
  if (r !== 'ok') { rollback(); return { id, blocks: idx, ok: false, result: 'EBUSY', why: `offline_and_remove_memory() fails (${r})`, causes: [] }; }
  return { id, blocks: idx, ok: true, result: 'ok', why: taken.length ? `alloc_contig_range() took its online memory (${rangeName(taken.map(([x]) => x.index))}; pages in use were migrated out), then offline_and_remove_memory() removed it` : 'it was offline; offline_and_remove_memory() removed it', causes: [] };
}

const PHASES = ['offline big blocks', 'big blocks entirely in ZONE_MOVABLE', 'any big block'] as const;

/**
 * virtio_mem_bbm_unplug_request(): nb_bb = diff / bb_size. Three passes over the added big blocks,
 * highest first: those entirely offline (virtio_mem_bbm_bb_is_offline()), those whose online
 * memory is all ZONE_MOVABLE (virtio_mem_bbm_bb_is_movable()), then any. -EBUSY skips to the next
 * big block; -ENOMEM ends the request. unplug_online=0 stops after the first pass.
 */
function unplugBbm(sim: Sim, name: string, size: bigint | undefined, bb: bigint, blocks: readonly Block[]): EventResult {
  const s = sim.state;
  const dev = s.devices.get(name)!;
  const unplugOnline = s.model.knobs.virtioMemUnplugOnline;
  const asked = size ?? dev.plugged;
  const log = sizeLog(name, dev.plugged, dev.plugged - asked);
  let nb = asked / bb;
  const groups = bigBlocks(name, bb, blocks);
  const ids = [...groups.keys()].sort((a, b) => b - a);
  const outcomes: (BbOutcome & { phase: number })[] = [];
  const done = new Set<number>();
  let stoppedOnline = false, aborted = false;
  for (let phase = 0; phase < 3 && nb > 0n && !aborted; phase++) {
    for (const id of ids) {
      if (nb === 0n || aborted) break;
      if (done.has(id)) continue;
      const bl = groups.get(id)!;
      const online = bl.filter((b) => b.state === 'online');
      if (phase === 0 && online.length > 0) continue;
      if (phase === 1 && online.some((b) => b.zone !== 'movable')) continue;
      const o = unplugBb(sim, name, id, bl);
      // A big block that failed in pass 1 is tried again in pass 2 with the same result: report it once.
      const prev = outcomes.findIndex((x) => x.id === id);
      if (prev >= 0) outcomes.splice(prev, 1);
      outcomes.push({ ...o, phase });
      if (o.ok) { done.add(id); nb--; dev.plugged -= bb; }
      if (o.result === 'ENOMEM') aborted = true;
    }
    if (phase === 0 && !unplugOnline && nb > 0n) { stoppedOnline = true; break; }
  }
  const gone = outcomes.filter((o) => o.ok);
  const busy = outcomes.filter((o) => !o.ok);
  const unplugged = BigInt(gone.length) * bb;
  const left = asked - unplugged;
  const why = left === 0n ? '' : stoppedOnline
    ? `; unplug_online=0: the request stops after the offline big blocks and never touches online memory, so ${formatSize(left)} stay plugged (no error)`
    : aborted ? `; migration ran out of memory (-ENOMEM), so the request ends here and ${formatSize(left)} stay plugged until the driver retries`
      : `; ${formatSize(left)} stay plugged: ${busy.length ? `${busy.length === 1 ? 'a big block was' : 'big blocks were'} busy (-EBUSY, skipped)` : 'no other big block is added'} — the request is simply not fully met, no error; the driver retries later`;
  sim.event({
    kind: 'unplug', subject: name, result: 'ok', rule: 'R8-virtio-bbm-unplug', log,
    message: `virtio-mem unplug request of ${formatSize(asked)} in Big Block Mode (big blocks of ${formatSize(bb)}): ${gone.length ? `${gone.length} big block${gone.length > 1 ? 's' : ''} (${rangeName(gone.flatMap((o) => o.blocks))}) unplugged` : 'nothing unplugged'}; order: offline big blocks, then those entirely in ZONE_MOVABLE, then any, each pass from the highest address down${why}.`,
  });
  for (const o of outcomes) {
    sim.event({
      kind: 'unplug', subject: name, result: o.ok ? 'ok' : o.result, rule: 'R8-virtio-bbm-unplug', causes: o.causes,
      message: o.ok
        ? `${bbName(o.id, bb, o.blocks)} unplugged (pass ${o.phase + 1}, ${PHASES[o.phase]}): ${o.why}; the device was told to unplug it.`
        : `${bbName(o.id, bb, o.blocks)} stays plugged (pass ${o.phase + 1}, ${PHASES[o.phase]}): ${o.why}, so alloc_contig_range() fails; the fake-offline is rolled back and virtio_mem_bbm_offline_remove_and_unplug_bb() returns ${o.result === 'ENOMEM' ? '-ENOMEM, which ends the request' : '-EBUSY: skipped, the next big block is tried'}.`,
    });
  }
  return 'ok';
}


export function unbindVirtio(sim: Sim, name: string): EventResult {
  const s = sim.state;
  const dev = s.devices.get(name)!;
  if (!dev.driverBound) { sim.event({ kind: 'unbind', subject: name, result: 'ENXIO', rule: 'R8-virtio-unbind', message: `virtio_mem is not bound to ${name}.` }); return 'ENXIO'; }
  dev.driverBound = false;
  const blocks = [...s.blocks.materialized()].filter((b) => b.owner === name && b.state !== 'removed' && b.state !== 'absent');
  // virtio_mem_deinit_hotplug(): with `removing` set (its notifier vetoes meanwhile) it removes the
  // offline partially plugged blocks, then unregisters the memory notifier. Everything else stays
  // added: ordinary memory nobody can remove, which user space can still online and offline — except
  // online blocks with unplugged subblocks, whose PageOffline pages nobody releases any more.
  const offlinePartial = blocks.filter((b) => b.state === 'offline' && unpluggedIn(b) > 0n).map((b) => b.index);
  if (offlinePartial.length) removeBlocks(sim, offlinePartial, name, true);
  const left = blocks.filter((b) => !offlinePartial.includes(b.index));
  if (left.length === 0) {
    sim.event({ kind: 'unbind', subject: name, result: 'ok', rule: 'R8-virtio-unbind', message: `virtio_mem ->remove(): ${offlinePartial.length ? `the offline partially plugged ${rangeName(offlinePartial)} removed; ` : ''}no memory left added; everything released.` });
    return 'ok';
  }
  for (const b of left) b.burned = true;
  const res = s.resources.find((r) => r.name === `System RAM (virtio_mem) ${name}`);
  if (res) res.state = 'burned';
  const stuck = left.filter((b) => b.state === 'online' && unpluggedIn(b) > 0n).map((b) => b.index);
  sim.event({
    kind: 'unbind', subject: name, result: 'leaked', rule: 'R8-virtio-unbind', log: [`virtio_mem ${name}: device still has system memory added`],
    message: `virtio_mem ->remove(): ${offlinePartial.length ? `the offline partially plugged ${rangeName(offlinePartial)} removed; ` : ''}"There is no way we could reliably remove all memory we have added". ${rangeName(left.map((b) => b.index))} stay added; the memory notifier is unregistered, so they are ordinary memory now: online ones stay usable and can be offlined and onlined again (observed on 6.1 and 6.12)${stuck.length ? `, except ${rangeName(stuck)}, whose unplugged subblocks stay PageOffline with nobody to release them (offline → EBUSY)` : ''}; resource and memory group leak until reboot and nothing can remove the memory.`,
  });
  sim.hazard('burned-range', name, `${name}'s range is burned until reboot: re-binding fails ("could not reserve device region", "reloading the driver is not supported").`, 'R8-virtio-unbind');
  return 'leaked';
}
