// User-space actions: allocations, mappings, pins, accesses, process exit.

import { formatSize, hex, PAGE } from '../check/layout.js';
import { versionAtLeast, type Action, type Target } from '../check/model.js';
import type { Sim } from './context.js';
import { candidates, filterBlocks, free, isKernelZone, placeBytes, rangeName, zoneLabel, type BlockSeq } from './memory.js';
import { targetBlocks, targetPhys } from './targets.js';
import type { Block, Mapping } from './state.js';
import type { EventResult } from './timeline.js';

type Op<K extends Action['op']> = Extract<Action, { op: K }>;

const MOVABLE = new Set(['anon', 'pagecache', 'hugetlb']);

export function alloc(sim: Sim, a: Op<'alloc'>): EventResult {
  const s = sim.state;
  const movable = MOVABLE.has(a.kind);
  let pool: BlockSeq;
  if (a.in) {
    const idx = targetBlocks(sim, a.in);
    const inTarget = idx.map((i) => s.blocks.get(i)).filter((b): b is Block => b !== undefined && b.state === 'online');
    pool = inTarget;
    if (!movable && inTarget.some((b) => b.zone === 'movable')) {
      sim.event({ kind: 'alloc', subject: a.name, result: 'ENOMEM', rule: 'R9-alloc', message: `${a.kind} is an unmovable allocation and the kernel never serves it from ZONE_MOVABLE (${rangeName(idx)}); it cannot be placed there.` });
      return 'ENOMEM';
    }
  } else {
    pool = candidates(sim, movable, a.node ?? 0);
  }
  const placed = placeBytes(pool, a.size, { kind: 'alloc', name: a.name });
  if (!placed) {
    sim.event({ kind: 'alloc', subject: a.name, result: 'ENOMEM', rule: 'R9-alloc', message: `No room for ${formatSize(a.size)} of ${a.kind}${a.in ? ' in the target' : ` on node ${a.node ?? 0}`} (${movable ? 'movable: any online zone' : 'unmovable: kernel zones only'}).` });
    return 'ENOMEM';
  }
  s.allocations.set(a.name, { name: a.name, kind: a.kind, size: a.size, by: a.by, placements: placed, pinned: 'none', line: a.line });
  const gone = placed.map((p) => s.blocks.get(p.block)!).find((b) => b.vanished);
  if (gone) {
    sim.crash(a.name, `The allocator handed out pages of memory${gone.index}, whose hardware is gone: the first access to them machine-checks (vanished_memory = on-access).`, 'R7.3-kmem-gone', { assumed: true });
    return 'crash';
  }
  const blocks = [...new Set(placed.map((p) => p.block))];
  const zones = [...new Set(blocks.map((i) => s.blocks.get(i)!.zone))].map(zoneLabel).join('/');
  sim.event({ kind: 'alloc', subject: a.name, result: 'ok', rule: 'R9-alloc', message: `${formatSize(a.size)} of ${a.kind} placed in ${rangeName(blocks)} (${zones})${movable ? '' : ' — unmovable: that block can no longer be offlined while it lives'}.` });
  return 'ok';
}

export function freeAlloc(sim: Sim, name: string): EventResult {
  const s = sim.state;
  const a = s.allocations.get(name);
  if (!a) { sim.event({ kind: 'free', subject: name, result: 'EINVAL', rule: 'R9-alloc', message: `${name} is not allocated (never placed, or already freed).` }); return 'EINVAL'; }
  if (a.pinned !== 'none') { sim.event({ kind: 'free', subject: name, result: 'EBUSY', rule: 'R9-gup', message: `${name} is pinned; its pages stay until the pin is dropped.` }); return 'EBUSY'; }
  for (const b of s.blocks.realBlocks()) b.extents = b.extents.filter((e) => !(e.owner.kind === 'alloc' && e.owner.name === name));
  s.allocations.delete(name);
  sim.event({ kind: 'free', subject: name, result: 'ok', rule: 'R9-alloc', message: `${name} freed.` });
  return 'ok';
}

export function mmap(sim: Sim, a: Op<'mmap'>): EventResult {
  const s = sim.state;
  const proc = s.processes.get(a.process)!;
  if (!proc.alive) { sim.event({ kind: 'mmap', subject: a.name, result: 'EINVAL', rule: 'R9-proc', message: `${a.process} is dead.` }); return 'EINVAL'; }
  let phys: bigint, size: bigint;
  let source: Mapping['source'];
  if (a.source.kind === 'dax') {
    const dax = s.daxes.get(a.source.name)!;
    if (dax.driver !== 'device_dax' || !dax.alive) {
      sim.event({ kind: 'mmap', subject: a.name, result: 'ENXIO', rule: 'R5.3-devdax-mmap', message: `/dev/${dax.decl.name} is not a live device_dax device (${dax.driver || 'unbound'}); dax_mmap() fails with -ENXIO.` });
      return 'ENXIO';
    }
    if (a.private) {
      sim.event({ kind: 'mmap', subject: a.name, result: 'EINVAL', rule: 'R5.3-devdax-mmap', log: [`${dax.decl.name}: ${a.process}: dax_mmap: fail, attempted private mapping`], message: 'device-dax supports only MAP_SHARED; a private mapping is refused with -EINVAL.' });
      return 'EINVAL';
    }
    size = a.size ?? dax.decl.dataSize - a.offset;
    if (a.offset % dax.decl.align !== 0n || size % dax.decl.align !== 0n) {
      sim.event({ kind: 'mmap', subject: a.name, result: 'EINVAL', rule: 'R5.3-devdax-mmap', log: [`${dax.decl.name}: ${a.process}: dax_mmap: fail, unaligned vma`], message: `The mapping must be aligned to the device's ${formatSize(dax.decl.align)} fault size; an unaligned VMA is refused with -EINVAL.` });
      return 'EINVAL';
    }
    phys = dax.decl.dataBase + a.offset;
    source = { kind: 'dax', name: dax.decl.name };
  } else if (a.source.kind === 'file') {
    const f = s.files.get(a.source.path)!;
    const fs = s.filesystems.get(f.fs)!;
    if (fs.state !== 'mounted') {
      sim.event({ kind: 'mmap', subject: a.name, result: fs.state === 'shutdown' ? 'EIO' : 'ENXIO', rule: 'R9-mount', message: `${f.fs} is ${fs.state}; the file cannot be opened and mapped.` });
      return fs.state === 'shutdown' ? 'EIO' : 'ENXIO';
    }
    const dax = s.daxes.get(fs.decl.dax)!;
    size = a.size ?? f.size - a.offset;
    phys = dax.decl.dataBase + f.extent + a.offset;
    source = { kind: 'file', path: f.path, fs: f.fs, dax: dax.decl.name };
  } else {
    const al = s.allocations.get(a.source.alloc);
    if (!al) { sim.event({ kind: 'mmap', subject: a.name, result: 'EINVAL', rule: 'R9-alloc', message: `${a.source.alloc} is not allocated.` }); return 'EINVAL'; }
    size = a.size ?? al.size - a.offset;
    const p0 = al.placements[0]!;
    phys = s.blocks.get(p0.block)!.base + p0.start + a.offset;
    source = { kind: 'anon', alloc: al.name };
  }
  s.mappings.set(a.name, { name: a.name, process: a.process, source, offset: a.offset, size, phys, state: 'valid', pinned: 'none', pinFast: false, touched: new Map(), pinnedAcrossUnbind: false, line: a.line });
  sim.event({ kind: 'mmap', subject: a.name, result: 'ok', rule: a.source.kind === 'dax' ? 'R5.3-devdax-mmap' : 'R9-touch', message: `${a.process} maps ${formatSize(size)} of ${a.source.kind === 'dax' ? `/dev/${a.source.name}` : a.source.kind === 'file' ? a.source.path : `anon ${a.source.alloc}`} (phys ${hex(phys)}).` });
  return 'ok';
}

/** The mapping, or an EINVAL event when its mmap failed earlier (names are checked statically only). */
function mapping(sim: Sim, kind: string, name: string): Mapping | undefined {
  const m = sim.state.mappings.get(name);
  if (!m) sim.event({ kind, subject: name, result: 'EINVAL', rule: 'R9-touch', message: `${name} was never mapped (its mmap failed earlier), so there is nothing to ${kind}.` });
  return m;
}

export function munmap(sim: Sim, name: string): EventResult {
  const m = mapping(sim, 'munmap', name);
  if (!m) return 'EINVAL';
  if (m.state === 'gone') { sim.event({ kind: 'munmap', subject: name, result: 'EINVAL', rule: 'R9-touch', message: `${name} is already gone.` }); return 'EINVAL'; }
  m.state = 'gone';
  dropPin(sim, m);
  sim.event({ kind: 'munmap', subject: name, result: 'ok', rule: 'R9-touch', message: `${name} unmapped.` });
  return 'ok';
}

function allocOf(sim: Sim, m: Mapping) {
  return m.source.kind === 'anon' ? sim.state.allocations.get(m.source.alloc) : undefined;
}

function dropPin(sim: Sim, m: Mapping): void {
  const al = allocOf(sim, m);
  if (al) al.pinned = 'none';
  m.pinned = 'none';
}

export function pin(sim: Sim, a: Op<'pin'>): EventResult {
  const s = sim.state;
  const m = mapping(sim, 'pin', a.mapping);
  if (!m) return 'EINVAL';
  const v = s.model.kernel;
  if (m.state !== 'valid') {
    sim.event({ kind: 'pin', subject: m.name, result: 'EFAULT', rule: 'R9-gup', message: `${m.name} is ${m.state}; get_user_pages() finds no present page it may fault in${a.fast ? ' (gup-fast bails on a dying pgmap and the slow path fails)' : ''}: -EFAULT.` });
    return 'EFAULT';
  }
  if (a.longterm && m.source.kind === 'file') {
    sim.event({ kind: 'pin', subject: m.name, result: 'EOPNOTSUPP', rule: 'R3.3-fsdax-longterm', message: 'FOLL_LONGTERM on an fsdax mapping is refused by check_vma_flags(): the filesystem must be able to move or truncate its blocks (observed -EOPNOTSUPP on 6.1 and 6.12).' });
    return 'EOPNOTSUPP';
  }
  if (a.longterm && m.source.kind === 'dax' && !versionAtLeast(v, 6, 2)) {
    sim.event({ kind: 'pin', subject: m.name, result: 'EOPNOTSUPP', rule: 'R3.3-devdax-longterm', message: 'FOLL_LONGTERM on device-dax is refused on this kernel (observed -EOPNOTSUPP on 6.1).' });
    return 'EOPNOTSUPP';
  }
  const al = allocOf(sim, m);
  if (a.longterm && al && versionAtLeast(v, 5, 13)) {
    const inMovable = al.placements.filter((p) => s.blocks.get(p.block)?.zone === 'movable');
    if (inMovable.length) {
      const bytes = inMovable.reduce((t, p) => t + p.size, 0n);
      const kernel = filterBlocks(candidates(sim, false, undefined), (b) => isKernelZone(b.zone));
      // Only whether there is room matters: stop counting once there is.
      let room = 0n;
      for (const b of kernel) { room += free(b); if (room >= bytes) break; }
      if (room < bytes) {
        sim.event({ kind: 'pin', subject: m.name, result: 'ENOMEM', rule: 'R3.3-longterm-pin', message: `FOLL_LONGTERM must first migrate ${formatSize(bytes)} out of ZONE_MOVABLE into a kernel zone, and there is no room: the pin fails with -ENOMEM.` });
        return 'ENOMEM';
      }
      for (const p of inMovable) {
        const b = s.blocks.get(p.block)!;
        b.extents = b.extents.filter((e) => !(e.owner.kind === 'alloc' && e.owner.name === al.name && e.start === p.start));
        al.placements = al.placements.filter((x) => x !== p);
        al.placements.push(...(placeBytes(kernel, p.size, { kind: 'alloc', name: al.name }) ?? []));
      }
      sim.event({ kind: 'pin', subject: m.name, result: 'ok', rule: 'R3.3-longterm-pin', message: `FOLL_LONGTERM: ${formatSize(bytes)} migrated out of ZONE_MOVABLE into a kernel zone before pinning (v5.13+), so ZONE_MOVABLE stays offlinable.` });
      al.pinned = 'longterm';
      m.pinned = 'longterm';
      m.pinFast = a.fast;
      return 'ok';
    }
  }
  if (al) al.pinned = a.longterm ? 'longterm' : 'short';
  m.pinned = a.longterm ? 'longterm' : 'short';
  m.pinFast = a.fast;
  sim.event({ kind: 'pin', subject: m.name, result: 'ok', rule: a.longterm && al && !versionAtLeast(v, 5, 13) ? 'R3.3-longterm-pin' : 'R9-gup', message: `${m.name} pinned${a.longterm ? ' (FOLL_LONGTERM)' : ''}${a.fast ? ' via gup-fast' : ''}${a.longterm && al && !versionAtLeast(v, 5, 13) ? ' in place — before v5.13 long-term pins were not migrated out of ZONE_MOVABLE' : ''}: its pages cannot migrate while pinned.` });
  return 'ok';
}

export function unpin(sim: Sim, name: string): EventResult {
  const m = mapping(sim, 'unpin', name);
  if (!m) return 'EINVAL';
  if (m.pinned === 'none') { sim.event({ kind: 'unpin', subject: name, result: 'EINVAL', rule: 'R9-gup', message: `${name} is not pinned.` }); return 'EINVAL'; }
  if (m.pinnedAcrossUnbind) {
    dropPin(sim, m);
    m.pinnedAcrossUnbind = false;
    sim.event({ kind: 'unpin', subject: name, result: 'oops', rule: 'R3.3-devdax-longterm', assumed: true, log: ['BUG: unable to handle page fault', 'RIP: io_buffer_unmap'], message: `Dropping the pin touches struct pages that the device_dax unbind freed (memunmap_pages() does not wait for pins): kernel oops (observed on 6.12 with io_uring fixed buffers).` });
    sim.hazard('crash', name, 'Kernel oops on unpin: the devdax unbind freed the struct pages of pinned memory. The task is killed and the kernel tainted.', 'R3.3-devdax-longterm', { result: 'oops', assumed: true });
    return 'oops';
  }
  dropPin(sim, m);
  sim.event({ kind: 'unpin', subject: name, result: 'ok', rule: 'R9-gup', message: `${name} unpinned.` });
  return 'ok';
}

export function touch(sim: Sim, a: Op<'touch'>): EventResult {
  const s = sim.state;
  const m = mapping(sim, 'touch', a.mapping);
  if (!m) return 'EINVAL';
  const proc = s.processes.get(m.process)!;
  const page = (a.offset / PAGE) * PAGE;
  const access = a.write ? 'write' : 'read';
  if (!proc.alive) { sim.event({ kind: 'touch', subject: m.name, result: 'EINVAL', rule: 'R9-proc', message: `${m.process} is dead; it touches nothing.` }); return 'EINVAL'; }
  // Anonymous memory may have moved (offline migration, long-term pin): follow the allocation.
  const phys = (m.source.kind === 'anon' ? targetPhys(sim, { kind: 'alloc', name: m.source.alloc, span: { start: 0, length: 0 } }, m.offset + a.offset) : undefined) ?? m.phys + a.offset;
  // Only hardware poison faults: a soft-offlined page was migrated first, its contents kept.
  const poisoned = [...s.devicePoison, ...s.memoryPoison].some((p) => p.hardware && p.phys >> 12n === phys >> 12n);
  switch (m.state) {
    case 'gone':
      sim.event({ kind: 'touch', subject: m.name, result: 'EFAULT', rule: 'R9-touch', message: `${m.name} is unmapped; the access is a segmentation fault.` });
      return 'EFAULT';
    case 'zapped':
      sim.signal(m.process, 'SIGBUS', 'BUS_ADRERR', `${m.name} was zapped; the fault finds the device dead (check_vma()/dax_alive()).`, 'R9-touch');
      return 'SIGBUS';
    case 'poisoned':
      // The hwpoison entry replaces the bad page's PTE only; other pages of the mapping work.
      if (!poisoned) break;
      sim.signal(m.process, 'SIGBUS', 'BUS_MCEERR_AR', `${m.name} was unmapped by memory_failure(); the fault finds a hwpoison entry (MCE: Killing ${m.process} due to hardware memory corruption fault).`, 'R6.5-consume', { log: [`MCE: Killing ${m.process}:1 due to hardware memory corruption fault at ${phys.toString(16)}`] });
      return 'SIGBUS';
    case 'stale': {
      const prev = m.touched.get(page);
      const device = m.source.kind !== 'anon' ? s.devices.get(s.daxes.get(m.source.kind === 'dax' ? m.source.name : m.source.dax)!.decl.region) : undefined;
      if (prev === undefined || (a.write && prev !== 'write')) {
        sim.signal(m.process, 'SIGBUS', 'BUS_ADRERR', `${prev === undefined ? 'this page was never faulted in' : 'the page is mapped read-only'}, so the access faults, and the fault finds the device dead (observed: writes and never-touched pages of a stale mapping → SIGBUS).`, 'R7.1-stale');
        return 'SIGBUS';
      }
      if (device?.replaced) {
        sim.event({ kind: 'touch', subject: m.name, result: 'ok', rule: 'R7.1-exposure', message: `The stale PTE still points at ${hex(phys)}; the ${access} reaches the new tenant's memory.` });
        sim.hazard('data-exposure', m.name, `${m.process} ${a.write ? 'wrote into' : 'read'} the new tenant's memory at ${hex(phys)} through the stale mapping ${m.name}.`, 'R7.1-exposure');
        return 'ok';
      }
      sim.event({ kind: 'touch', subject: m.name, result: 'ok', rule: 'R7.1-stale', message: `The stale PTE still maps ${hex(phys)}: the ${access} succeeds on memory the kernel no longer owns (observed: reads return the old data).` });
      return 'ok';
    }
    default:
      break;
  }
  // dev_dax_huge_fault(): with THP disabled for the process the fault comes in at 4 KiB, and
  // __dev_dax_pte_fault() refuses a device whose alignment is larger (dev_dbg only).
  if (m.source.kind === 'dax' && proc.decl.noHugepage) {
    const dax = s.daxes.get(m.source.name);
    if (dax && dax.decl.align > PAGE) {
      sim.signal(m.process, 'SIGBUS', 'BUS_ADRERR', `${m.process} has THP disabled (prctl PR_SET_THP_DISABLE), so the fault on ${m.name} is a 4K PTE fault, and __dev_dax_pte_fault() refuses it: ${m.source.name}'s alignment ${formatSize(dax.decl.align)} is larger than the fault size (dev_dbg "alignment (${hex(dax.decl.align)}) > fault size (0x1000)", not in the log by default). Create the device with align 4K, or let the process use huge pages.`, 'R5.3-fault-size');
      return 'SIGBUS';
    }
  }
  if (poisoned) {
    sim.signal(m.process, 'SIGBUS', versionAtLeast(s.model.kernel, 6, 2) || m.source.kind !== 'file' ? 'BUS_MCEERR_AR' : 'BUS_ADRERR', `the ${access} consumes a poisoned page at ${hex(phys)} (machine check, action required).`, 'R6.5-consume', { log: [`MCE: Killing ${m.process}:1 due to hardware memory corruption fault at ${phys.toString(16)}`] });
    return 'SIGBUS';
  }
  const vb = s.blocks.get(Number(phys / s.blockSize));
  if (vb?.vanished) {
    sim.crash(m.name, `${m.process} touched memory${vb.index}, whose hardware is gone: machine check (vanished_memory = on-access).`, 'R7.3-kmem-gone', { assumed: true });
    return 'crash';
  }
  if (m.source.kind === 'file') s.filesystems.get(m.source.fs)!.daxEntries = true;
  m.touched.set(page, a.write || m.touched.get(page) === 'write' ? 'write' : 'read');
  sim.event({ kind: 'touch', subject: m.name, result: 'ok', rule: 'R9-touch', message: `${m.process} ${a.write ? 'writes' : 'reads'} ${m.name} at +${formatSize(a.offset) || '0'} (phys ${hex(phys)}).` });
  return 'ok';
}

export function exitProcess(sim: Sim, name: string): EventResult {
  const s = sim.state;
  const p = s.processes.get(name)!;
  for (const m of s.mappings.values()) if (m.process === name && m.state !== 'gone') { m.state = 'gone'; dropPin(sim, m); }
  for (const a of [...s.allocations.values()]) if (a.by === name) {
    for (const b of s.blocks.realBlocks()) b.extents = b.extents.filter((e) => !(e.owner.kind === 'alloc' && e.owner.name === a.name));
    s.allocations.delete(a.name);
  }
  const was = p.alive;
  p.alive = false;
  sim.event({ kind: 'exit', subject: name, result: 'ok', rule: 'R9-proc', message: `${name} ${was ? 'exits' : 'is reaped'}: its mappings and pins are dropped and its anonymous memory freed.` });
  return 'ok';
}

export type { Target };
