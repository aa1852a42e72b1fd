// memory_failure(), soft_offline_page(), unpoison_memory() — what page the pfn is decides it all.

import { PAGE, hex } from '../check/layout.js';
import { versionAtLeast, type Action } from '../check/model.js';
import { fsMetadataSize } from '../check/checker.js';
import type { Sim } from './context.js';
import { mappingsOn } from './devices.js';
import { blockName, isKernelZone } from './memory.js';
import { targetName, targetPhys } from './targets.js';
import type { Block, DaxState, Extent, Mapping } from './state.js';
import type { EventResult } from './timeline.js';

type Op<K extends Action['op']> = Extract<Action, { op: K }>;

function mfLog(pfn: bigint, type: string, result: string): string {
  return `Memory failure: ${hex(pfn)}: recovery action for ${type}: ${result}`;
}

/** Where a physical address lives now. */
type Where =
  | { kind: 'block'; block: Block; offset: bigint; extent: Extent | undefined }
  | { kind: 'dax'; dax: DaxState; offset: bigint }
  | { kind: 'none' };

function locate(sim: Sim, phys: bigint): Where {
  const s = sim.state;
  const b = s.blocks.get(Number(phys / s.blockSize));
  if (b && b.state === 'online') {
    const off = phys - b.base;
    const ex = b.extents.find((e) => off >= e.start && off < e.start + e.size);
    return { kind: 'block', block: b, offset: off, extent: ex };
  }
  if (b && b.state !== 'removed') return { kind: 'none' };
  for (const d of s.daxes.values()) {
    if (d.driver !== 'device_dax' && d.driver !== 'pmem') continue;
    if (phys >= d.decl.base && phys < d.decl.base + d.decl.size) return { kind: 'dax', dax: d, offset: phys - d.decl.base };
  }
  return { kind: 'none' };
}

export function poison(sim: Sim, a: Op<'poison'>): EventResult {
  const s = sim.state;
  const base = targetPhys(sim, a.target, a.offset);
  if (base === undefined) {
    sim.event({ kind: 'poison', subject: targetName(a.target), result: 'EINVAL', rule: 'R6.3-outside', message: `${targetName(a.target)} has no memory now, so there is no pfn to fail.` });
    return 'EINVAL';
  }
  if (!s.model.knobs.failureRecovery) {
    sim.crash(targetName(a.target), `vm.memory_failure_recovery = 0: memory_failure() panics on any failure ("Memory failure on page ${hex(base >> 12n)}").`, 'R6.3-panic', { log: [`Kernel panic - not syncing: Memory failure on page ${hex(base >> 12n)}`] });
    return 'crash';
  }
  s.hardwareFailureSeen = true;
  let result: EventResult = 'ok';
  for (let i = 0n; i < a.pages; i++) {
    const r = poisonOne(sim, base + i * PAGE, a.by);
    if (i === 0n) result = r;
    if (s.crashed) break;
  }
  return result;
}

function poisonOne(sim: Sim, phys: bigint, by: string | undefined): EventResult {
  const s = sim.state;
  const pfn = phys >> 12n;
  const page = (phys / PAGE) * PAGE;
  const where = locate(sim, phys);
  const v = s.model.kernel;
  const already = [...s.memoryPoison, ...s.devicePoison].some((p) => p.phys === page && p.hardware);
  if (where.kind === 'none') {
    sim.event({ kind: 'poison', subject: hex(phys), result: 'ENXIO', rule: 'R6.3-outside', log: [`Memory failure: ${hex(pfn)}: memory outside kernel control`], message: `The pfn is in no online memory block and no live DAX device: pfn_to_online_page() fails, memory_failure() returns -ENXIO and records nothing. If the block is onlined later, the bad frame goes to the allocator unnoticed.` });
    return 'ENXIO';
  }
  // ZONE_DEVICE pfns go to memory_failure_dev_pagemap() before the "already poisoned" test, so a
  // second consumption of a poisoned DAX page takes the same path again (mm/memory-failure.c).
  if (where.kind === 'dax') return poisonDax(sim, where.dax, where.offset, phys, by);
  if (already) {
    sim.event({ kind: 'poison', subject: hex(phys), result: 'EHWPOISON', rule: 'R6.3-already', log: [versionAtLeast(v, 6, 2) ? mfLog(pfn, 'already poisoned page', 'Failed') : `Memory failure: ${hex(pfn)}: already hardware poisoned`], message: 'The page is already hwpoisoned: memory_failure() returns -EHWPOISON' + (by ? `, and ${by}, which consumed it, is killed.` : '.') });
    if (by) sim.signal(by, 'SIGBUS', 'BUS_MCEERR_AR', 'it consumed an already-poisoned page.', 'R6.3-already');
    return 'EHWPOISON';
  }
  const { block, extent } = where;
  const record = (what: string) => {
    block.poisoned++;
    block.poisonOffsets.push(page - block.base);
    s.memoryPoison.push({ phys: page, what, hardware: true });
  };
  if (!extent) {
    record('free');
    block.extents.push({ start: page - block.base, size: PAGE, owner: { kind: 'poison' } });
    sim.event({ kind: 'poison', subject: hex(phys), result: 'ok', rule: 'R6.3-free', log: [mfLog(pfn, 'free buddy page', 'Recovered')], message: `A free page: take_page_off_buddy() removes it from the allocator for good. Nothing was using it.` });
    return 'ok';
  }
  const owner = extent.owner;
  if (owner.kind === 'alloc') {
    const al = s.allocations.get(owner.name)!;
    if (al.kind === 'anon' || al.kind === 'hugetlb') {
      record(al.kind);
      const maps = [...s.mappings.values()].filter((m) => m.source.kind === 'anon' && m.source.alloc === al.name && m.state === 'valid');
      for (const m of maps) m.state = 'poisoned';
      const early = maps.filter((m) => s.model.knobs.earlyKill || s.processes.get(m.process)!.decl.earlyKill);
      sim.event({ kind: 'poison', subject: al.name, result: 'ok', rule: 'R6.3-lru', log: [mfLog(pfn, al.kind === 'hugetlb' ? 'huge page' : 'dirty LRU page', 'Recovered')], message: `A dirty ${al.kind} page of ${al.name}: hwpoison_user_mappings() replaces every PTE with a hwpoison entry${maps.length ? ` (${maps.map((m) => m.name).join(', ')} now poisoned)` : ''}; early-kill tasks get BUS_MCEERR_AO now, others only when they touch it (BUS_MCEERR_AR).` });
      if (by) sim.signal(by, 'SIGBUS', 'BUS_MCEERR_AR', 'it consumed the poisoned page (MF_ACTION_REQUIRED).', 'R6.5-signal', { log: [`Memory failure: ${hex(pfn)}: Sending SIGBUS to ${by}:1 due to hardware memory corruption`] });
      for (const m of early) if (m.process !== by) sim.signal(m.process, 'SIGBUS', 'BUS_MCEERR_AO', 'it maps the poisoned page and asked for early kill.', 'R6.5-signal', { log: [`Memory failure: ${hex(pfn)}: Sending SIGBUS to ${m.process}:1 due to hardware memory corruption`] });
      return 'ok';
    }
    if (al.kind === 'pagecache') {
      record('pagecache');
      sim.event({ kind: 'poison', subject: al.name, result: 'ok', rule: 'R6.3-lru', log: [mfLog(pfn, 'clean LRU page', 'Recovered')], message: 'A clean page-cache page: dropped ("corrupted page was clean: dropped without side effects"); readers fetch it again from disk. No signal.' });
      return 'ok';
    }
    record(al.kind);
    sim.event({ kind: 'poison', subject: al.name, result: 'EBUSY', rule: 'R6.3-kernel', log: [mfLog(pfn, 'get hwpoison page', 'Ignored')], message: `A ${al.kind} page in ${block.zone === 'movable' ? 'ZONE_MOVABLE' : 'a kernel zone'}: the kernel cannot unmap or migrate its own memory; PG_hwpoison is set but the page stays in use.` });
    sim.hazard('unrecoverable-poison', al.name, `Poison in ${al.kind} memory (${blockName(block.index)}) will be consumed by the kernel itself; that is typically fatal (machine check in kernel mode). memory_failure() cannot make kernel memory safe (R7.4).`, 'R7.4-kernel-zone', { assumed: true });
    return 'EBUSY';
  }
  record(owner.kind);
  sim.event({ kind: 'poison', subject: blockName(block.index), result: 'EBUSY', rule: 'R6.3-kernel', log: [mfLog(pfn, owner.kind === 'reserved' ? 'reserved kernel page' : 'get hwpoison page', 'Ignored')], message: `The page is ${owner.kind === 'memmap' ? `memmap (struct pages of ${owner.device})` : owner.kind === 'reserved' ? `PG_reserved (${owner.what})` : 'already retired'}: kernel memory, nothing to unmap; ignored.` });
  if (isKernelZone(block.zone) || owner.kind !== 'poison') sim.hazard('unrecoverable-poison', blockName(block.index), `Poisoned kernel metadata in ${blockName(block.index)}; the next kernel access to it is fatal.`, 'R7.4-kernel-zone', { assumed: true });
  return 'EBUSY';
}

function poisonDax(sim: Sim, dax: DaxState, offset: bigint, phys: bigint, by: string | undefined): EventResult {
  const s = sim.state;
  const pfn = phys >> 12n;
  const reserve = dax.decl.dataBase - dax.decl.base;
  if (offset < reserve) {
    sim.event({ kind: 'poison', subject: dax.decl.name, result: 'ENXIO', rule: 'R6.4-metadata', log: [mfLog(pfn, 'dax page', 'Failed')], message: `The pfn is in ${dax.decl.name}'s memmap reserve (map=dev metadata): "device metadata space is not recoverable", -ENXIO.` });
    return 'ENXIO';
  }
  const page = (phys / PAGE) * PAGE;
  if (!s.devicePoison.some((p) => p.phys === page)) s.devicePoison.push({ phys: page, what: 'dax', hardware: true });
  const all = mappingsOn(sim, dax.decl.name).filter((m) => m.state === 'valid' && phys >= m.phys && phys < m.phys + m.size);
  const fs = [...s.filesystems.values()].find((f) => f.decl.dax === dax.decl.name);
  const xfsRmap = fs && fs.decl.type === 'xfs' && fs.decl.rmapbt && versionAtLeast(s.model.kernel, 6, 0) && fs.state === 'mounted';
  if (xfsRmap && phys - dax.decl.dataBase < fsMetadataSize(dax.decl.dataSize)) {
    fs.state = 'shutdown';
    sim.event({ kind: 'poison', subject: fs.decl.name, result: 'ok', rule: 'R6.4-fsdax', log: ['XFS: Corruption of on-disk metadata detected at xfs_dax_notify_failure', mfLog(pfn, 'dax page', 'Recovered')], message: `XFS's reverse map says the bad block is filesystem metadata: the filesystem shuts down (SHUTDOWN_CORRUPT_ONDISK).` });
    return 'ok';
  }
  const collected = all.filter((m) => m.process === by || s.model.knobs.earlyKill || s.processes.get(m.process)!.decl.earlyKill);
  for (const m of collected) m.state = 'poisoned';
  const path = xfsRmap ? 'XFS rmap → mf_dax_kill_procs()' : 'mf_generic_kill_procs()';
  sim.event({
    kind: 'poison', subject: dax.decl.name, result: 'ok', rule: xfsRmap ? 'R6.4-fsdax' : 'R6.4-devdax', log: [mfLog(pfn, 'dax page', 'Recovered')],
    message: `A ${dax.mode} page: ${path} marks it hwpoisoned and collects only the consuming task and early-kill tasks; ${collected.length ? `their mapping${collected.length > 1 ? 's are' : ' is'} unmapped (${collected.map((m) => m.name).join(', ')})` : 'none was collected, so nothing is unmapped'}${all.length > collected.length ? `. ${all.filter((m) => !collected.includes(m)).map((m) => m.name).join(', ')} keep the PTE until they consume the poison (then BUS_MCEERR_AR)` : ''}.`,
  });
  if (by && collected.some((m) => m.process === by)) sim.signal(by, 'SIGBUS', 'BUS_MCEERR_AR', 'it consumed the poisoned DAX page (MF_ACTION_REQUIRED); the whole DAX mapping unit is unmapped.', 'R6.5-signal');
  for (const m of collected) if (m.process !== by) sim.signal(m.process, 'SIGBUS', 'BUS_MCEERR_AO', 'it maps the poisoned DAX page and is early-kill.', 'R6.5-signal');
  const unsignalled = all.filter((m) => !collected.includes(m));
  if (unsignalled.length) noteLatent(sim, unsignalled);
  return 'ok';
}

function noteLatent(sim: Sim, maps: readonly Mapping[]): void {
  sim.hazard('unrecoverable-poison', maps.map((m) => m.name).join(', '), `${maps.map((m) => `${m.name} (${m.process})`).join(', ')} still map the poisoned DAX page; the next access machine-checks (devdax faults do not check PageHWPoison, so even a re-fault maps the bad pfn again — assumed).`, 'R6.4-devdax', { assumed: true, result: 'info' });
}

export function softOffline(sim: Sim, a: Op<'soft-offline'>): EventResult {
  const s = sim.state;
  const phys = targetPhys(sim, a.target, a.offset);
  const where = phys === undefined ? { kind: 'none' as const } : locate(sim, phys);
  if (phys === undefined || where.kind !== 'block') {
    sim.event({ kind: 'soft-offline', subject: targetName(a.target), result: 'EIO', rule: 'R6.6-soft-offline', message: 'soft_offline_page() works only on online memory: ZONE_DEVICE and offline pfns give -EIO.' });
    return 'EIO';
  }
  const page = (phys / PAGE) * PAGE;
  if (s.memoryPoison.some((p) => p.phys === page)) {
    sim.event({ kind: 'soft-offline', subject: hex(phys), result: 'ok', rule: 'R6.6-soft-offline', message: 'The page is already poisoned ("page already poisoned"); nothing to do.' });
    return 'ok';
  }
  where.block.poisoned++;
  where.block.poisonOffsets.push(page - where.block.base);
  s.memoryPoison.push({ phys: page, what: where.extent ? 'soft-offlined (migrated)' : 'soft-offlined (free)', hardware: false });
  sim.event({ kind: 'soft-offline', subject: hex(phys), result: 'ok', rule: 'R6.6-soft-offline', message: `${where.extent ? 'The in-use page is migrated to a new frame (contents kept)' : 'The free page is taken off the allocator'}, then the old frame is retired (counted in HardwareCorrupted). No process is signalled.` });
  return 'ok';
}

/** unpoison_pr_info() lines: "Unpoison: Msg 0xpfn" (6.1, observed) vs "Unpoison: 0xpfn: msg"
 *  (6.12.117, observed; the version that changed it is not pinned down: assumed 6.12). */
function unpoisonLog(sim: Sim, msg: string, pfn: bigint): string {
  return versionAtLeast(sim.state.model.kernel, 6, 12) ? `Unpoison: ${hex(pfn)}: ${msg.charAt(0).toLowerCase()}${msg.slice(1)}` : `Unpoison: ${msg} ${hex(pfn)}`;
}

export function unpoison(sim: Sim, a: Op<'unpoison'>): EventResult {
  const s = sim.state;
  const phys = targetPhys(sim, a.target, a.offset);
  if (phys === undefined) { sim.event({ kind: 'unpoison', subject: targetName(a.target), result: 'EIO', rule: 'R6.6-unpoison', message: 'No online page there: -EIO.' }); return 'EIO'; }
  const page = (phys / PAGE) * PAGE;
  if (s.hardwareFailureSeen) {
    sim.event({ kind: 'unpoison', subject: hex(phys), result: 'EOPNOTSUPP', rule: 'R6.6-unpoison', log: [unpoisonLog(sim, 'Disabled after HW memory failure', phys >> 12n)], message: 'unpoison_memory() is disabled once any hardware memory failure happened on this boot: -EOPNOTSUPP.' });
    return 'EOPNOTSUPP';
  }
  const idx = s.memoryPoison.findIndex((p) => p.phys === page);
  if (idx < 0) {
    // unpoison_memory(): ret starts as -EBUSY since v5.19 ("mm/hwpoison: fix unpoison_memory()") and the
    // !PageHWPoison exit keeps it (observed on 6.1 and 6.12); before, that exit returned 0.
    const r: EventResult = versionAtLeast(s.model.kernel, 5, 19) ? 'EBUSY' : 'ok';
    sim.event({ kind: 'unpoison', subject: hex(phys), result: r, rule: 'R6.6-unpoison', log: [unpoisonLog(sim, 'Page was already unpoisoned', phys >> 12n)], message: `The page is not poisoned; nothing to do${r === 'EBUSY' ? ', and unpoison_memory() says so with -EBUSY' : ''}.` });
    return r;
  }
  s.memoryPoison.splice(idx, 1);
  const b = s.blocks.get(Number(page / s.blockSize));
  if (b) { b.poisoned = Math.max(0, b.poisoned - 1); b.poisonOffsets = b.poisonOffsets.filter((o) => o !== page - b.base); }
  sim.event({ kind: 'unpoison', subject: hex(phys), result: 'ok', rule: 'R6.6-unpoison', log: [unpoisonLog(sim, 'Software-unpoisoned page', phys >> 12n)], message: 'The page was only soft-offlined (software poison): it is given back.' });
  return 'ok';
}
