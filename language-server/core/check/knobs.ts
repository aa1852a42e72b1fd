// The knob table (spec §3): key, accepted values (default first), and the kernel meaning.
// Read by the checker, hover and completion.

import type { Knobs } from './model.js';

export interface KnobSpec {
  readonly key: string;
  /** 'size' | 'int' | list of words */
  readonly type: 'size' | 'int' | readonly string[];
  readonly default: string;
  readonly kernel: string;
  readonly apply: (k: Mutable<Knobs>, value: string, num: bigint | undefined) => void;
  /** The first kernel that has the knob (with the change that brought it); older kernels ignore it (HL2043). */
  readonly since?: { readonly major: number; readonly minor: number; readonly change: string };
}

const AUTO_MOVABLE = { major: 5, minor: 15, change: 'mm/memory_hotplug: memory group aware "auto-movable" online policy' } as const;
const VIRTIO_MEM = { major: 5, minor: 8, change: 'virtio-mem: Paravirtualized memory hotplug' } as const;
const VIRTIO_MEM_BBM = { major: 5, minor: 11, change: 'virtio-mem: Big Block Mode (BBM) memory hot(un)plug' } as const;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type MutableKnobs = Mutable<Knobs>;

export const KNOBS: readonly KnobSpec[] = [
  { key: 'block_size', type: 'size', default: '128M', kernel: 'memory_block_size_bytes(): the memory block size (arch/x86/mm/init_64.c: probe_memory_block_size()).', apply: (k, _v, n) => { k.blockSize = n!; } },
  { key: 'auto_online', type: ['offline', 'online', 'online_kernel', 'online_movable'], default: 'offline', kernel: 'memhp_default_state= / /sys/devices/system/memory/auto_online_blocks: how add_memory_resource() onlines new blocks.', apply: (k, v) => { k.autoOnline = v as Knobs['autoOnline']; } },
  { key: 'online_policy', type: ['contig-zones', 'auto-movable'], default: 'contig-zones', kernel: 'memory_hotplug.online_policy: the zone a plain "online" picks (mm/memory_hotplug.c: zone_for_pfn_range()).', apply: (k, v) => { k.onlinePolicy = v as Knobs['onlinePolicy']; }, since: AUTO_MOVABLE },
  { key: 'auto_movable_ratio', type: 'int', default: '301', kernel: 'memory_hotplug.auto_movable_ratio: maximum MOVABLE:KERNEL_EARLY ratio in percent for auto-movable.', apply: (k, _v, n) => { k.autoMovableRatio = Number(n!); }, since: AUTO_MOVABLE },
  { key: 'auto_movable_numa_aware', type: ['on', 'off'], default: 'on', kernel: 'memory_hotplug.auto_movable_numa_aware: apply the ratio per node as well.', apply: (k, v) => { k.autoMovableNumaAware = v === 'on'; }, since: AUTO_MOVABLE },
  { key: 'movable_node', type: ['off', 'on'], default: 'off', kernel: 'movable_node boot parameter: hotpluggable memory defaults to ZONE_MOVABLE under contig-zones.', apply: (k, v) => { k.movableNode = v === 'on'; } },
  { key: 'movablecore', type: 'size', default: '0', kernel: 'movablecore= boot parameter: that much boot RAM is ZONE_MOVABLE.', apply: (k, _v, n) => { k.movablecore = n!; } },
  { key: 'memmap_on_memory', type: ['off', 'on', 'force'], default: 'off', kernel: 'memory_hotplug.memmap_on_memory: hot-added blocks host their own memmap (mm/memory_hotplug.c: mhp_supports_memmap_on_memory()).', apply: (k, v) => { k.memmapOnMemory = v as Knobs['memmapOnMemory']; }, since: { major: 5, minor: 12, change: 'mm,memory_hotplug: allocate memmap from the added memory range' } },
  { key: 'memory_failure_early_kill', type: ['0', '1'], default: '0', kernel: 'vm.memory_failure_early_kill: signal mappers (BUS_MCEERR_AO) as soon as poison is found.', apply: (k, v) => { k.earlyKill = v === '1'; } },
  { key: 'memory_failure_recovery', type: ['1', '0'], default: '1', kernel: 'vm.memory_failure_recovery: 0 panics on any memory failure.', apply: (k, v) => { k.failureRecovery = v === '1'; } },
  { key: 'hotremove', type: ['on', 'off'], default: 'on', kernel: 'CONFIG_MEMORY_HOTREMOVE: without it nothing can be removed and kmem always leaks.', apply: (k, v) => { k.hotremove = v === 'on'; } },
  { key: 'vanished_memory', type: ['crash', 'on-access'], default: 'crash', kernel: 'Not a kernel knob: what an access to online memory whose hardware vanished does is platform dependent (brief §11.4). crash: model the machine check at removal; on-access: the kernel runs on until something touches the range.', apply: (k, v) => { k.vanishedMemory = v as Knobs['vanishedMemory']; } },
  { key: 'virtio_mem_force_bbm', type: ['off', 'on'], default: 'off', kernel: 'virtio_mem.force_bbm (module parameter): use Big Block Mode even where subblocks would fit (drivers/virtio/virtio_mem.c: virtio_mem_init_hotplug()).', apply: (k, v) => { k.virtioMemForceBbm = v === 'on'; }, since: VIRTIO_MEM_BBM },
  { key: 'virtio_mem_bbm_block_size', type: 'size', default: '0', kernel: 'virtio_mem.bbm_block_size (module parameter): the Big Block size; 0 = max(device block size, memory block size). Ignored with a warning unless a power of two at least that large.', apply: (k, _v, n) => { k.virtioMemBbmBlockSize = n!; }, since: VIRTIO_MEM_BBM },
  { key: 'virtio_mem_unplug_online', type: ['on', 'off'], default: 'on', kernel: 'virtio_mem.unplug_online (module parameter): off = an unplug request only takes memory that is offline (virtio_mem_sbm_unplug_request(), virtio_mem_bbm_unplug_request()).', apply: (k, v) => { k.virtioMemUnplugOnline = v === 'on'; }, since: VIRTIO_MEM },
  { key: 'force_unmap_on_remove', type: ['off', 'on'], default: 'off', kernel: 'The 2021 proposal (never merged): on unbind of a mounted fsdax device, memory_failure() over the whole range.', apply: (k, v) => { k.forceUnmapOnRemove = v === 'on'; } },
];

export const KNOB_BY_KEY: ReadonlyMap<string, KnobSpec> = new Map(KNOBS.map((k) => [k.key, k]));

export function describeKnobType(spec: KnobSpec): string {
  if (spec.type === 'size') return 'a size (e.g. 128M)';
  if (spec.type === 'int') return 'an integer';
  return spec.type.map((v) => `'${v}'`).join(', ');
}
