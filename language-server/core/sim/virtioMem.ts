// virtio-mem (brief §8, drivers/virtio/virtio_mem.c): plug and unplug requests, driver unbind.

import { formatSize } from '../check/layout.js';
import type { Sim } from './context.js';
import { autoOnline } from './boot.js';
import { addMemory, blockName, free as freeBytes, isKernelZone, offlineBlock, placeBytes, rangeName, removeBlocks } from './memory.js';
import type { Block } from './state.js';
import type { EventResult } from './timeline.js';

export function plugVirtio(sim: Sim, name: string, size: bigint, atBoot: boolean): void {
  const s = sim.state;
  const dev = s.devices.get(name)!;
  const d = dev.decl;
  // SBM adds memory per Linux memory block as subblocks get plugged; modelled at block granularity,
  // growing from the start of the device region.
  const base = atBoot ? d.base : d.base + dev.plugged;
  if (!atBoot) dev.plugged += size;
  const added = addMemory(sim, base, size, { owner: name, node: d.node, memmapOnMemory: false });
  if (!s.resources.some((r) => r.name === `System RAM (virtio_mem) ${name}`)) s.resources.push({ name: `System RAM (virtio_mem) ${name}`, base: d.base, size: d.size, state: 'claimed' });
  sim.event({ kind: 'plug', subject: name, result: 'ok', rule: 'R8-plug', message: `virtio-mem ${name} plugged ${formatSize(size)}: ${rangeName(added)} added (add_memory_driver_managed(), "System RAM (virtio_mem)"), one dynamic memory group.` });
  autoOnline(sim, added, name);
}

/** A virtio-mem unplug request (requested_size lowered); `blocks` are the device's added blocks, ascending. */
export function unplugVirtio(sim: Sim, name: string, size: bigint | undefined, blocks: readonly Block[]): EventResult {
  const s = sim.state;
  const dev = s.devices.get(name)!;
  // virtio-mem unplug request: offline blocks first, then movable, then kernel; partial is fine.
  let want = size ?? dev.plugged;
  const order = [...blocks.filter((b) => b.state === 'offline'), ...blocks.filter((b) => b.state === 'online' && b.zone === 'movable'), ...blocks.filter((b) => b.state === 'online' && isKernelZone(b.zone))];
  const gone: number[] = [];
  for (const b of order) {
    if (want < s.blockSize) break; // the remainder is unplugged as subblocks below
    if (b.state === 'online') {
      // virtio-mem fake-offlines quietly: a block it cannot empty is skipped, no error is logged.
      const r = offlineBlock(sim, b.index, { timeoutMs: 0n, range: [b.index], quiet: true });
      if (r !== 'ok') continue;
    }
    removeBlocks(sim, [b.index], name, true);
    gone.push(b.index);
    want -= s.blockSize;
  }
  let unplugged = BigInt(gone.length) * s.blockSize;
  // SBM: what is left below a whole block is fake-offlined subblock by subblock inside an online
  // block (alloc_contig_range(); ZONE_MOVABLE first, 5 tries there, 1 in kernel zones): the pages
  // become PageOffline and the block stays online (virtio_mem_sbm_unplug_request()).
  let partial: { block: number; size: bigint } | undefined;
  if (want > 0n && want < s.blockSize) {
    const online = blocks.filter((b) => b.state === 'online' && !gone.includes(b.index));
    const pick = [...online.filter((b) => b.zone === 'movable'), ...online.filter((b) => isKernelZone(b.zone))].find((b) => freeBytes(b) >= want);
    if (pick) {
      placeBytes([pick], want, { kind: 'unplugged' });
      unplugged += want;
      partial = { block: pick.index, size: want };
      want = 0n;
    }
  }
  dev.plugged -= unplugged;
  const asked = size ?? unplugged + want;
  sim.event({
    kind: 'unplug', subject: name, result: 'ok', rule: 'R8-virtio-unplug',
    message: `virtio-mem unplug request of ${formatSize(asked)}: ${gone.length ? `${rangeName(gone)} unplugged (offline blocks first, then ZONE_MOVABLE, then kernel zones)` : partial ? '' : 'nothing could be unplugged'}${partial ? `${gone.length ? '; ' : ''}${formatSize(partial.size)} of subblocks in ${blockName(partial.block)} fake-offlined with alloc_contig_range() (PageOffline), the block stays online` : ''}${unplugged < asked ? `; ${formatSize(asked - unplugged)} stay plugged because their blocks hold unmovable or unmigratable pages — the request is simply not fully met, no error` : ''}.`,
  });
  return 'ok';
}

export function unbindVirtio(sim: Sim, name: string): EventResult {
  const s = sim.state;
  const dev = s.devices.get(name)!;
  if (!dev.driverBound) { sim.event({ kind: 'unbind', subject: name, result: 'ENXIO', rule: 'R8-virtio-unbind', message: `virtio_mem is not bound to ${name}.` }); return 'ENXIO'; }
  dev.driverBound = false;
  const blocks = [...s.blocks.materialized()].filter((b) => b.owner === name && b.state !== 'removed');
  // virtio_mem_deinit_hotplug() removes only offline *partially plugged* blocks; the simulator
  // plugs whole blocks, so every block that is still added stays (and leaks).
  const online = blocks;
  if (online.length === 0) {
    sim.event({ kind: 'unbind', subject: name, result: 'ok', rule: 'R8-virtio-unbind', message: `virtio_mem ->remove(): no memory left online; everything removed.` });
    return 'ok';
  }
  for (const b of online) { b.vetoed = true; b.burned = true; }
  const res = s.resources.find((r) => r.name === `System RAM (virtio_mem) ${name}`);
  if (res) res.state = 'burned';
  sim.event({
    kind: 'unbind', subject: name, result: 'leaked', rule: 'R8-virtio-unbind', log: [`virtio_mem ${name}: device still has system memory added`],
    message: `virtio_mem ->remove(): "There is no way we could reliably remove all memory we have added". ${rangeName(online.map((b) => b.index))} stay added (online ones stay usable); the notifier now vetoes on/offline with -EBUSY; resource and memory group leak until reboot.`,
  });
  sim.hazard('burned-range', name, `${name}'s range is burned until reboot: re-binding fails ("could not reserve device region", "reloading the driver is not supported").`, 'R8-virtio-unbind');
  return 'leaked';
}
