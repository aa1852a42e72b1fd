// Simulator state. Range-based: memory blocks hold extents (byte ranges owned by an allocation,
// a memmap, reserved boot memory or poison), never pages. Mutated only inside one simulate() call.

import type { AllocKind, DaxDevice, FileDecl, Filesystem, MemDevice, Model, ProcessDecl } from '../check/model.js';
import type { BlockTable } from './blockTable.js';
import type { BlockState, MappingState, ZoneName } from './timeline.js';

export type ExtentOwner =
  | { readonly kind: 'alloc'; readonly name: string }
  /** memmap (struct pages) of the blocks of `device` (block indices first..last). */
  | { readonly kind: 'memmap'; readonly device: string; readonly first: number; readonly last: number }
  /** memblock / kernel image / boot memmap: PG_reserved. */
  | { readonly kind: 'reserved'; readonly what: string; /** A declared firmware hole (`hole NAME`): not System RAM. */ readonly hole?: string }
  /** The kernel's own unmovable pages (page tables, slab, …) that no scenario line allocated: they
   *  land in a block that became the node's only ZONE_NORMAL memory (R3.2-first-normal). */
  | { readonly kind: 'kernel'; readonly what: string; readonly line: number }
  /** A poisoned frame taken off the allocator. */
  | { readonly kind: 'poison' }
  /** virtio-mem subblocks unplugged inside an online block: PageOffline, not in the buddy. */
  | { readonly kind: 'unplugged' };

export interface Extent {
  start: bigint; // offset inside the block
  size: bigint;
  owner: ExtentOwner;
}

export interface Block {
  readonly index: number;
  readonly base: bigint;
  state: BlockState;
  zone: ZoneName | null;
  readonly node: number;
  /** Device (ram/dimm/virtio-mem name, or dax name for kmem) that added it. */
  readonly owner: string;
  /** Usable bytes (a boot block may be partly a hole). */
  readonly present: bigint;
  /** True for boot blocks spanning two zones (valid_zones "none"). */
  readonly mixedZones: boolean;
  /** Where this block's memmap lives: 'boot', 'self' or the index of the hosting block. */
  memmapHost: 'boot' | 'self' | number;
  extents: Extent[];
  /** Pages recorded as hwpoisoned in this block (memblk_nr_poison, 6.2+). */
  poisoned: number;
  /** Poison records (offsets in the block) — poisoned frames, for re-online (≤6.1 loses them). */
  poisonOffsets: bigint[];
  /** Hot-added: removable; boot: not. */
  readonly hotplugged: boolean;
  /** Range leaked (burned) — blocks stay registered but no owner can release them. */
  burned: boolean;
  /** The hardware under this online block is gone (vanished_memory = on-access: not touched yet). */
  vanished?: boolean;
}

export interface Allocation {
  readonly name: string;
  readonly kind: AllocKind;
  readonly size: bigint;
  readonly by: string | undefined;
  /** Where it lives: block index + offset + size, in order. */
  placements: { block: number; start: bigint; size: bigint }[];
  /** A FOLL_LONGTERM / short pin through a mapping holds these pages. */
  pinned: 'none' | 'short' | 'longterm';
  readonly line: number;
}

export interface Mapping {
  readonly name: string;
  readonly process: string;
  readonly source: { kind: 'dax'; name: string } | { kind: 'file'; path: string; fs: string; dax: string } | { kind: 'anon'; alloc: string };
  readonly offset: bigint;
  readonly size: bigint;
  /** Physical base (for dax/file mappings: the pmem/cxl address). */
  readonly phys: bigint;
  state: MappingState;
  pinned: 'none' | 'short' | 'longterm';
  pinFast: boolean;
  /** Page offsets (within the mapping) faulted in, and whether writable. */
  touched: Map<bigint, 'read' | 'write'>;
  /** The device under it was unbound while this mapping held a long-term pin (6.12: later unpin oopses). */
  pinnedAcrossUnbind: boolean;
  readonly line: number;
}

export interface ProcessState {
  readonly decl: ProcessDecl;
  alive: boolean;
  signals: { signal: string; code: string; step: number; line: number }[];
}

export interface DaxState {
  readonly decl: DaxDevice;
  /** Current mode (changes with reconfigure/bind). */
  mode: 'devdax' | 'fsdax' | 'system-ram';
  /** Bound driver: 'device_dax' | 'kmem' | 'pmem' (fsdax namespace) | ''. */
  driver: string;
  /** dax_alive(): false once killed by unbind/removal. */
  alive: boolean;
  /** kmem blocks added for this device (indices). */
  kmemBlocks: number[];
  /** Per dax range bound to kmem: its index, aligned range and blocks (dev_dax_kmem_probe()). */
  kmemRanges: { readonly index: number; readonly start: bigint; readonly end: bigint; readonly blocks: number[] }[];
}

export interface FsState {
  readonly decl: Filesystem;
  state: 'mounted' | 'shutdown' | 'unmounted';
  /** DAX entries exist in the fs mappings (a file was faulted in) — umount must disassociate them. */
  daxEntries: boolean;
  /** The dax device was killed under the mounted fs without the fs disassociating its entries. */
  orphanedEntries: boolean;
}

export interface DeviceState {
  readonly decl: MemDevice;
  present: boolean;
  /** New hardware decodes here (physical replacement). */
  replaced: boolean;
  /** virtio-mem: bytes plugged now; driver bound. */
  plugged: bigint;
  driverBound: boolean;
}

export interface Resource {
  readonly name: string;
  readonly base: bigint;
  readonly size: bigint;
  state: 'claimed' | 'burned';
}

export interface PoisonRecord {
  readonly phys: bigint;
  readonly what: string;
  readonly hardware: boolean;
}

export interface SimState {
  readonly model: Model;
  readonly blockSize: bigint;
  /** Every memory block by index; untouched boot RAM is kept as runs (blockTable.ts). */
  blocks: BlockTable;
  devices: Map<string, DeviceState>;
  daxes: Map<string, DaxState>;
  filesystems: Map<string, FsState>;
  files: Map<string, FileDecl>;
  processes: Map<string, ProcessState>;
  allocations: Map<string, Allocation>;
  mappings: Map<string, Mapping>;
  resources: Resource[];
  /** Poison on ZONE_DEVICE / pmem (not in memory blocks), by physical address. */
  devicePoison: PoisonRecord[];
  /** Poison in online memory blocks (mirrors Block.poisonOffsets, with what the page was). */
  memoryPoison: PoisonRecord[];
  hardwareFailureSeen: boolean;
  crashed: string | undefined;
  /** Kernel boot-time kernel-zone pages (KERNEL_EARLY) per node, bytes. */
  kernelEarly: Map<number, bigint>;
}
