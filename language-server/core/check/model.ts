// The checked model: what the simulator runs. Names are resolved, sizes and addresses are exact
// bigints (64 TiB machines and 0x… addresses never lose precision), positions are offsets.

import type { Span } from '../diagnostics/diagnostic.js';
import type { HazardKind, Result } from '../syntax/grammar.js';

export interface KernelVersion {
  readonly major: number;
  readonly minor: number;
}

export type OnlineType = 'online' | 'online_kernel' | 'online_movable';

export interface Knobs {
  readonly blockSize: bigint;
  readonly autoOnline: 'offline' | OnlineType;
  readonly onlinePolicy: 'contig-zones' | 'auto-movable';
  readonly autoMovableRatio: number;
  readonly autoMovableNumaAware: boolean;
  readonly movableNode: boolean;
  readonly movablecore: bigint;
  readonly memmapOnMemory: 'off' | 'on' | 'force';
  readonly earlyKill: boolean;
  readonly failureRecovery: boolean;
  readonly hotremove: boolean;
  readonly forceUnmapOnRemove: boolean;
  /** What an access to memory whose hardware vanished does (brief §11.4, unconfirmed). */
  readonly vanishedMemory: 'crash' | 'on-access';
  /** virtio_mem module parameters (brief §8): force_bbm, bbm_block_size (0 = auto), unplug_online. */
  readonly virtioMemForceBbm: boolean;
  readonly virtioMemBbmBlockSize: bigint;
  readonly virtioMemUnplugOnline: boolean;
}

export type MemDeviceKind = 'ram' | 'dimm' | 'pmem' | 'cxl' | 'virtio-mem';
export type DaxMode = 'devdax' | 'fsdax' | 'system-ram';
export type FsType = 'xfs' | 'ext4' | 'ext2' | 'erofs';

interface Declared {
  readonly name: string;
  /** The declaration statement (for related information). */
  readonly span: Span;
  readonly nameSpan: Span;
  readonly line: number;
}

export interface MemDevice extends Declared {
  readonly kind: MemDeviceKind;
  readonly base: bigint;
  readonly size: bigint;
  readonly node: number;
  /** dimm: present at boot. */
  readonly present: boolean;
  /** virtio-mem: bytes plugged at boot. */
  readonly plugged: bigint;
  /** virtio-mem: the device block size (`block`, default 2M; config block_size). */
  readonly deviceBlockSize?: bigint;
}

export interface DaxDevice extends Declared {
  readonly kind: 'dax';
  readonly region: string;
  readonly mode: DaxMode;
  /** The namespace/device range inside the region (includes the memmap reserve for map=dev). */
  readonly base: bigint;
  readonly size: bigint;
  /** The data range user space and kmem see (after the map=dev memmap reserve). */
  readonly dataBase: bigint;
  readonly dataSize: bigint;
  /** The device's ranges (dev_dax->ranges[]), back to back over the data range; one unless `ranges N`. */
  readonly ranges: readonly { readonly base: bigint; readonly size: bigint }[];
  readonly align: bigint;
  readonly map: 'dev' | 'mem';
  readonly memmapOnMemory: boolean;
  readonly node: number;
  readonly regionKind: 'pmem' | 'cxl';
}

export interface Filesystem extends Declared {
  readonly kind: 'fs';
  readonly type: FsType;
  readonly dax: string;
  readonly rmapbt: boolean;
  readonly mountPoint: string | undefined;
}

export interface FileDecl {
  readonly path: string;
  readonly size: bigint;
  readonly fs: string;
  /** Byte offset of the file's single extent inside the DAX device's data range. */
  readonly extent: bigint;
  readonly span: Span;
  readonly line: number;
}

export interface ProcessDecl extends Declared {
  readonly kind: 'process';
  readonly earlyKill: boolean;
  /** prctl(PR_SET_THP_DISABLE): page faults never try PMD/PUD sizes, not even on DAX. */
  readonly noHugepage: boolean;
}

/** What an action or expectation names. */
export type Target =
  | { readonly kind: 'device'; readonly name: string; readonly span: Span }
  | { readonly kind: 'blocks'; readonly first: number; readonly last: number; readonly span: Span }
  | { readonly kind: 'alloc'; readonly name: string; readonly span: Span }
  | { readonly kind: 'mapping'; readonly name: string; readonly span: Span };

export type AllocKind = 'anon' | 'pagecache' | 'hugetlb' | 'slab' | 'pagetable' | 'driver';

export type ActionOp =
  | { readonly op: 'plug'; readonly device: string; readonly size: bigint | undefined }
  | { readonly op: 'unplug'; readonly device: string; readonly size: bigint | undefined }
  | { readonly op: 'surprise-remove'; readonly device: string }
  | { readonly op: 'replace'; readonly device: string }
  | { readonly op: 'unbind'; readonly device: string }
  | { readonly op: 'bind'; readonly device: string; readonly driver: 'devdax' | 'kmem' }
  | { readonly op: 'reconfigure'; readonly device: string; readonly mode: 'system-ram' | 'devdax'; readonly noOnline: boolean; readonly noMovable: boolean; readonly force: boolean }
  | { readonly op: 'mount'; readonly fs: string }
  | { readonly op: 'umount'; readonly fs: string }
  | { readonly op: 'reboot' }
  | { readonly op: 'online'; readonly target: Target; readonly type: OnlineType }
  | { readonly op: 'offline'; readonly target: Target; readonly timeoutMs: bigint | undefined }
  | { readonly op: 'remove'; readonly target: Target }
  | { readonly op: 'alloc'; readonly name: string; readonly size: bigint; readonly kind: AllocKind; readonly in: Target | undefined; readonly node: number | undefined; readonly by: string | undefined }
  | { readonly op: 'free'; readonly alloc: string }
  | { readonly op: 'mmap'; readonly process: string; readonly source: MmapSource; readonly size: bigint | undefined; readonly offset: bigint; readonly name: string; readonly private: boolean }
  | { readonly op: 'munmap'; readonly mapping: string }
  | { readonly op: 'pin'; readonly mapping: string; readonly longterm: boolean; readonly fast: boolean }
  | { readonly op: 'unpin'; readonly mapping: string }
  | { readonly op: 'touch'; readonly mapping: string; readonly write: boolean; readonly offset: bigint }
  | { readonly op: 'poison'; readonly target: Target; readonly offset: bigint; readonly pages: bigint; readonly by: string | undefined }
  | { readonly op: 'soft-offline'; readonly target: Target; readonly offset: bigint }
  | { readonly op: 'unpoison'; readonly target: Target; readonly offset: bigint }
  | { readonly op: 'exit'; readonly process: string };

export type MmapSource =
  | { readonly kind: 'dax'; readonly name: string }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'anon'; readonly alloc: string };

export type Action = ActionOp & {
  readonly span: Span;
  readonly keywordSpan: Span;
  readonly line: number;
  /** `=> RESULT`, when given. */
  readonly expected?: { readonly result: Result; readonly span: Span };
};

export type ExpectCheck =
  | { readonly check: 'blockState'; readonly target: Target; readonly state: 'online' | 'offline' | 'removed' | 'leaked' | 'absent' }
  | { readonly check: 'zone'; readonly target: Target; readonly zone: string }
  | { readonly check: 'mapping'; readonly mapping: string; readonly state: 'valid' | 'zapped' | 'stale' | 'poisoned' | 'gone' }
  | { readonly check: 'process'; readonly process: string; readonly state: 'alive' | 'killed' }
  | { readonly check: 'signal'; readonly process: string; readonly signal: string; readonly code: string | undefined }
  | { readonly check: 'noSignal'; readonly process: string }
  | { readonly check: 'fs'; readonly fs: string; readonly state: 'mounted' | 'shutdown' | 'unmounted' }
  | { readonly check: 'poisoned'; readonly target: Target; readonly count: bigint }
  | { readonly check: 'crash'; readonly negated: boolean }
  | { readonly check: 'log'; readonly text: string }
  | { readonly check: 'hazard'; readonly hazard: HazardKind }
  | { readonly check: 'noHazard' };

export type Expectation = ExpectCheck & { readonly span: Span; readonly line: number };

export type StepItem = { readonly kind: 'action'; readonly action: Action } | { readonly kind: 'expect'; readonly expect: Expectation };

export interface Step {
  readonly index: number;
  readonly label: string | undefined;
  readonly span: Span;
  readonly line: number;
  readonly items: readonly StepItem[];
}

/** `hole NAME SIZE at ADDR`: an e820-reserved range inside boot RAM (not System RAM). */
export interface Hole {
  readonly name: string;
  readonly nameSpan: Span;
  readonly line: number;
  /** Page-aligned outward (memblock treats a partly reserved page as reserved). */
  readonly base: bigint;
  readonly size: bigint;
  /** The `ram` declaration it lies in. */
  readonly ram: string;
}

export interface Model {
  readonly title: string;
  readonly kernel: KernelVersion;
  readonly kernelSpan: Span | undefined;
  readonly knobs: Knobs;
  readonly devices: readonly MemDevice[];
  /** Firmware-reserved ranges inside boot RAM (`hole`), page-aligned outward. */
  readonly holes: readonly Hole[];
  readonly daxes: readonly DaxDevice[];
  readonly filesystems: readonly Filesystem[];
  readonly files: readonly FileDecl[];
  readonly processes: readonly ProcessDecl[];
  readonly steps: readonly Step[];
  /** False when errors make simulation meaningless (e.g. overlapping ranges). */
  readonly simulatable: boolean;
}

export const DEFAULT_KERNEL: KernelVersion = { major: 6, minor: 12 };
export const MIN_KERNEL: KernelVersion = { major: 4, minor: 13 };
export const MAX_KERNEL: KernelVersion = { major: 6, minor: 15 };

export function versionAtLeast(v: KernelVersion, major: number, minor: number): boolean {
  return v.major > major || (v.major === major && v.minor >= minor);
}

export function formatVersion(v: KernelVersion): string {
  return `${v.major}.${v.minor}`;
}

export const DEFAULT_KNOBS: Knobs = {
  blockSize: 128n << 20n,
  autoOnline: 'offline',
  onlinePolicy: 'contig-zones',
  autoMovableRatio: 301,
  autoMovableNumaAware: true,
  movableNode: false,
  movablecore: 0n,
  memmapOnMemory: 'off',
  earlyKill: false,
  failureRecovery: true,
  hotremove: true,
  forceUnmapOnRemove: false,
  vanishedMemory: 'crash',
  virtioMemForceBbm: false,
  virtioMemBbmBlockSize: 0n,
  virtioMemUnplugOnline: true,
};
