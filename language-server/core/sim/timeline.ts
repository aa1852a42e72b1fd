// The timeline: what the simulator produces, JSON-safe (addresses and sizes are hex strings, so
// 64 TiB machines survive JSON), shared with the CLI (--json), the server and the webview.
// Schema documented in docs/timeline-schema.md; a test checks the two agree.

import type { HazardKind } from '../syntax/grammar.js';

export const TIMELINE_SCHEMA_VERSION = 1;

export interface SpanJson {
  readonly start: number;
  readonly length: number;
}

export interface Timeline {
  readonly schema: typeof TIMELINE_SCHEMA_VERSION;
  readonly title: string;
  /** "6.12" */
  readonly kernel: string;
  /** Knobs in effect, as written in `set` lines (defaults included). */
  readonly knobs: Readonly<Record<string, string>>;
  /** Memory block size, hex. */
  readonly blockSize: string;
  /** The physical address map as declared. */
  readonly regions: readonly RegionView[];
  /** Step 0 is the boot ("boot" label); then one entry per `step`. */
  readonly steps: readonly StepView[];
  readonly verdict: Verdict;
}

export interface Verdict {
  readonly hazards: number;
  readonly failedExpectations: number;
  readonly failedOperations: number;
  readonly crashed: boolean;
  /** One line: "2 hazards, 1 failed expectation" or "clean". */
  readonly summary: string;
}

export interface RegionView {
  readonly name: string;
  readonly kind: 'ram' | 'dimm' | 'pmem' | 'cxl' | 'virtio-mem' | 'dax';
  readonly base: string;
  readonly size: string;
  readonly node: number;
  /** For dax: the region it is carved from, and its mode at boot. */
  readonly parent?: string;
  readonly mode?: string;
  readonly line: number;
}

export interface StepView {
  readonly index: number;
  readonly label: string;
  /** 0-based line of the `step` statement (-1 for boot). */
  readonly line: number;
  readonly span: SpanJson | null;
  /** Lines (0-based) this step covers, for editor ⇄ timeline sync. */
  readonly firstLine: number;
  readonly lastLine: number;
  readonly events: readonly EventView[];
  /** The state after the step. */
  readonly state: StateView;
}

export type EventResult =
  | 'ok' | 'EBUSY' | 'EINVAL' | 'EINTR' | 'ENXIO' | 'EIO' | 'ENOMEM' | 'EEXIST' | 'EOPNOTSUPP' | 'EHWPOISON'
  | 'E2BIG' | 'EPERM' | 'EFAULT' | 'hang' | 'SIGBUS' | 'crash' | 'oops' | 'leaked' | 'info';

export interface CauseView {
  readonly line: number;
  readonly span: SpanJson;
  readonly message: string;
}

export interface EventView {
  /** Unique within the timeline, in order. */
  readonly id: number;
  /** The action (or `expect`) statement that caused it. */
  readonly line: number;
  readonly span: SpanJson;
  /** What happened: 'online', 'offline', 'remove', 'unbind', 'signal', 'poison', 'mmap', 'hazard', 'expect', … */
  readonly kind: string;
  /** The object it happened to: device, block range, mapping, process. */
  readonly subject: string;
  readonly result: EventResult;
  /** One or two sentences: what the kernel did and why. */
  readonly message: string;
  /** Rule id, e.g. "R3.2-isolate" — listed in docs/semantics.md. */
  readonly rule: string;
  /** Kernel source reference for the rule, e.g. "mm/memory_hotplug.c: offline_pages()". */
  readonly source: string;
  /** Kernel log lines the real kernel prints here. */
  readonly log: readonly string[];
  /** Earlier statements that caused this outcome. */
  readonly causes: readonly CauseView[];
  /** True when the rule rests on an unconfirmed fact of the brief ("assumed"). */
  readonly assumed: boolean;
  readonly hazard?: HazardKind;
}

export type BlockState = 'online' | 'offline' | 'going-offline' | 'removed' | 'absent';
export type ZoneName = 'dma' | 'dma32' | 'normal' | 'movable' | 'none';

/** A run of consecutive memory blocks that look the same. */
export interface BlockRun {
  readonly first: number;
  readonly last: number;
  readonly state: BlockState;
  readonly zone: ZoneName | null;
  readonly node: number;
  /** Device whose memory it is. */
  readonly owner: string;
  /** Range is claimed by no live owner (burned until reboot). */
  readonly burned: boolean;
  /** Poisoned pages recorded in these blocks. */
  readonly poisonedPages: number;
  /** Bytes in use, by class. */
  readonly used: Readonly<Partial<Record<'movable' | 'unmovable' | 'pinned' | 'memmap' | 'reserved' | 'unplugged', string>>>;
  /** Where the memmap of these blocks lives: 'self' (memmap_on_memory), 'boot', or a device name. */
  readonly memmapHost: string;
}

export interface DeviceView {
  readonly name: string;
  readonly kind: string;
  readonly present: boolean;
  /** Bound driver: 'kmem', 'device_dax', 'fsdax', 'virtio_mem', 'acpi', or '' when unbound. */
  readonly driver: string;
  readonly mode?: string;
  /** Short human status: "online (ZONE_MOVABLE)", "burned", "removed", "replaced: new tenant". */
  readonly status: string;
  /** The device's data was replaced by a new tenant (physical replacement). */
  readonly replaced: boolean;
}

export type MappingState = 'valid' | 'zapped' | 'stale' | 'poisoned' | 'gone';

export interface MappingView {
  readonly name: string;
  readonly process: string;
  /** Source description: dax name, file path or allocation. */
  readonly source: string;
  readonly state: MappingState;
  /** Physical range it maps, hex. */
  readonly base: string;
  readonly size: string;
  readonly pinned: 'none' | 'short' | 'longterm';
}

export interface SignalView {
  readonly signal: string;
  readonly code: string;
  readonly step: number;
  readonly line: number;
}

export interface ProcessView {
  readonly name: string;
  readonly alive: boolean;
  readonly signals: readonly SignalView[];
}

export interface FsView {
  readonly name: string;
  readonly state: 'mounted' | 'shutdown' | 'unmounted';
}

export interface ResourceView {
  readonly name: string;
  readonly base: string;
  readonly size: string;
  readonly state: 'claimed' | 'burned';
}

export interface PoisonView {
  readonly base: string;
  readonly pages: number;
  /** What the page was: "anon", "free", "slab", "dax", … */
  readonly what: string;
}

export interface StateView {
  readonly blocks: readonly BlockRun[];
  readonly devices: readonly DeviceView[];
  readonly mappings: readonly MappingView[];
  readonly processes: readonly ProcessView[];
  readonly filesystems: readonly FsView[];
  readonly resources: readonly ResourceView[];
  readonly poison: readonly PoisonView[];
  readonly crashed: boolean;
  readonly crashReason?: string;
}
