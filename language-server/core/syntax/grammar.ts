// The statement table: one entry per statement keyword (spec §2–§6). The parser, completion,
// hover and the docs all read this table, so the language is described in one place.

export type Category = 'header' | 'declaration' | 'step' | 'action' | 'expect';

/** What kind of value an argument takes. */
export type ValueKind =
  | 'name' // an identifier naming something
  | 'word' // an identifier from `values`
  | 'size' // a size (128M) or a plain integer of bytes
  | 'addr' // an integer (decimal/hex) or a size
  | 'int'
  | 'duration'
  | 'string'
  | 'path'
  | 'version'
  | 'target' // name, memoryN or memoryN..memoryM
  | 'source' // name or path
  | 'literal'; // a fixed word, e.g. `on` in `dax NAME on REGION`

export interface ArgSpec {
  readonly role: string;
  readonly kind: ValueKind;
  readonly values?: readonly string[];
  readonly optional?: boolean;
  /** How the argument reads in messages and completion: "SIZE (e.g. 128M)". */
  readonly describe: string;
}

export interface OptionSpec {
  readonly key: string;
  /** Absent: a flag (`present`, `longterm`). */
  readonly kind?: ValueKind;
  readonly values?: readonly string[];
  /** Flags of one group are alternatives (`read` | `write`). */
  readonly group?: string;
  readonly required?: boolean;
  readonly describe: string;
}

export interface StatementSpec {
  readonly keyword: string;
  readonly category: Category;
  readonly args: readonly ArgSpec[];
  readonly options: readonly OptionSpec[];
  /** One line for hover and completion. */
  readonly summary: string;
  /** The synopsis as in the spec. */
  readonly synopsis: string;
}

const NAME = (role: string, what: string): ArgSpec => ({ role, kind: 'name', describe: what });
const SIZE: ArgSpec = { role: 'size', kind: 'size', describe: 'SIZE (e.g. 128M, 4G)' };
const AT: OptionSpec = { key: 'at', kind: 'addr', describe: 'ADDR (physical address, e.g. 0x100000000 or 4G)' };
const NODE: OptionSpec = { key: 'node', kind: 'int', describe: 'N (NUMA node)' };
const TARGET: ArgSpec = { role: 'target', kind: 'target', describe: 'TARGET (a device, memoryN or memoryN..memoryM)' };
const OFFSET: OptionSpec = { key: 'offset', kind: 'size', describe: 'SIZE (offset)' };

export const ONLINE_TYPES = ['online', 'online_kernel', 'online_movable'] as const;
export const ALLOC_KINDS = ['anon', 'pagecache', 'hugetlb', 'slab', 'pagetable', 'driver'] as const;
export const DAX_MODES = ['devdax', 'fsdax', 'system-ram'] as const;
export const FS_TYPES = ['xfs', 'ext4', 'ext2', 'erofs'] as const;
export const RESULTS = ['ok', 'EBUSY', 'EINVAL', 'EINTR', 'ENXIO', 'EIO', 'ENOMEM', 'EEXIST', 'EOPNOTSUPP', 'EHWPOISON', 'E2BIG', 'EPERM', 'EFAULT', 'hang', 'SIGBUS', 'crash', 'oops', 'leaked'] as const;
export type Result = (typeof RESULTS)[number];
export const HAZARD_KINDS = ['stale-mapping', 'data-exposure', 'burned-range', 'crash', 'unrecoverable-poison'] as const;
export type HazardKind = (typeof HAZARD_KINDS)[number];

const specs: StatementSpec[] = [
  { keyword: 'scenario', category: 'header', args: [{ role: 'title', kind: 'string', describe: '"TITLE"' }], options: [], summary: 'Names the scenario; the first statement of every file.', synopsis: 'scenario "TITLE"' },
  { keyword: 'kernel', category: 'header', args: [{ role: 'version', kind: 'version', describe: 'VERSION (e.g. 6.12)' }], options: [], summary: 'The kernel version whose rules apply (default 6.12).', synopsis: 'kernel VERSION' },
  { keyword: 'set', category: 'header', args: [], options: [], summary: 'Sets a kernel knob (boot parameter, sysctl or module parameter).', synopsis: 'set KEY = VALUE' },

  { keyword: 'ram', category: 'declaration', args: [NAME('name', 'NAME'), SIZE], options: [AT, NODE], summary: 'Boot memory, online at boot in kernel zones (the last `movablecore` bytes in ZONE_MOVABLE).', synopsis: 'ram NAME SIZE [at ADDR] [node N]' },
  { keyword: 'hole', category: 'declaration', args: [NAME('name', 'NAME'), SIZE], options: [{ ...AT, required: true }], summary: 'A firmware-reserved range inside boot RAM (an e820 "reserved" entry, e.g. the BIOS tables QEMU puts below the top of low RAM): not System RAM, so the memory block it falls in has a memory hole and cannot be offlined (-EINVAL).', synopsis: 'hole NAME SIZE at ADDR' },
  { keyword: 'dimm', category: 'declaration', args: [NAME('name', 'NAME'), SIZE], options: [AT, NODE, { key: 'present', describe: 'present at boot' }], summary: 'An ACPI hot-pluggable DIMM; absent until `plug` unless `present`.', synopsis: 'dimm NAME SIZE [at ADDR] [node N] [present]' },
  { keyword: 'pmem', category: 'declaration', args: [NAME('name', 'NAME'), SIZE], options: [AT, NODE], summary: 'A persistent-memory region (NVDIMM) to carve DAX devices from.', synopsis: 'pmem NAME SIZE [at ADDR] [node N]' },
  { keyword: 'cxl', category: 'declaration', args: [NAME('name', 'NAME'), SIZE], options: [AT, NODE], summary: 'A CXL type-3 memory region; can be surprise-removed and physically replaced.', synopsis: 'cxl NAME SIZE [at ADDR] [node N]' },
  { keyword: 'virtio-mem', category: 'declaration', args: [NAME('name', 'NAME'), SIZE], options: [AT, NODE, { key: 'plugged', kind: 'size', describe: 'SIZE plugged at boot' }, { key: 'block', kind: 'size', describe: 'SIZE (device block size, default 2M)' }], summary: 'A virtio-mem device of that maximum size; `plugged` bytes are plugged at boot. `block` is its device block size: below the memory block size the driver uses Sub Block Mode, otherwise Big Block Mode.', synopsis: 'virtio-mem NAME SIZE [at ADDR] [node N] [plugged SIZE] [block SIZE]' },
  {
    keyword: 'dax', category: 'declaration',
    args: [NAME('name', 'NAME'), { role: 'on', kind: 'literal', values: ['on'], describe: "'on'" }, NAME('region', 'REGION (a pmem or cxl name)'), { role: 'modeKw', kind: 'literal', values: ['mode'], describe: "'mode'" }, { role: 'mode', kind: 'word', values: DAX_MODES, describe: 'MODE (devdax, fsdax or system-ram)' }],
    options: [
      { key: 'size', kind: 'size', describe: 'SIZE' }, OFFSET,
      { key: 'align', kind: 'size', describe: '4K, 2M or 1G' },
      { key: 'map', kind: 'word', values: ['dev', 'mem'], describe: 'dev or mem (where the memmap lives)' },
      { key: 'memmap_on_memory', describe: 'kmem: memmap inside the hot-added blocks (6.8+)' },
      { key: 'ranges', kind: 'int', describe: 'N (a dynamic CXL dax device made of N ranges, v5.10+)' },
    ],
    summary: 'A DAX device carved from a pmem or cxl region: devdax (/dev/NAME), fsdax (block device for a DAX filesystem) or system-ram (kmem).',
    synopsis: 'dax NAME on REGION mode MODE [size SIZE] [offset SIZE] [align 4K|2M|1G] [map dev|mem] [memmap_on_memory] [ranges N]',
  },
  {
    keyword: 'fs', category: 'declaration',
    args: [NAME('name', 'NAME'), { role: 'type', kind: 'word', values: FS_TYPES, describe: 'TYPE (xfs, ext4, ext2 or erofs)' }, { role: 'on', kind: 'literal', values: ['on'], describe: "'on'" }, NAME('dax', 'DAX (an fsdax device)')],
    options: [{ key: 'rmapbt', kind: 'word', values: ['on', 'off'], describe: 'on or off (XFS reverse map)' }, { key: 'mount', kind: 'path', describe: 'PATH (mounted -o dax at boot)' }],
    summary: 'A DAX filesystem on an fsdax device; with `mount`, mounted with -o dax at boot.',
    synopsis: 'fs NAME TYPE on DAX [rmapbt on|off] [mount PATH]',
  },
  { keyword: 'file', category: 'declaration', args: [{ role: 'path', kind: 'path', describe: 'PATH (under a mount point)' }, SIZE], options: [], summary: 'A file on the filesystem whose mount point is the longest prefix of PATH.', synopsis: 'file PATH SIZE' },
  { keyword: 'process', category: 'declaration', args: [NAME('name', 'NAME')], options: [{ key: 'early-kill', describe: 'prctl(PR_MCE_KILL, early)' }, { key: 'nohugepage', describe: 'prctl(PR_SET_THP_DISABLE): no PMD/PUD faults, even on DAX' }], summary: 'A user process; `early-kill` = prctl(PR_MCE_KILL, PR_MCE_KILL_EARLY); `nohugepage` = prctl(PR_SET_THP_DISABLE), so its DAX faults are 4 KiB.', synopsis: 'process NAME [early-kill] [nohugepage]' },

  { keyword: 'step', category: 'step', args: [{ role: 'label', kind: 'string', optional: true, describe: '"LABEL"' }], options: [], summary: 'Starts a step; its actions run in order, then its expectations are checked.', synopsis: 'step ["LABEL"]' },

  { keyword: 'plug', category: 'action', args: [NAME('device', 'DEV (a dimm or virtio-mem)'), { ...SIZE, optional: true }], options: [], summary: 'Inserts a DIMM (ACPI hot-add) or grows a virtio-mem device by SIZE.', synopsis: 'plug DEV [SIZE]' },
  { keyword: 'unplug', category: 'action', args: [NAME('device', 'DEV (a dimm or virtio-mem)'), { ...SIZE, optional: true }], options: [], summary: 'Orderly eject (ACPI) or virtio-mem unplug request: offline then remove; fails if offlining fails.', synopsis: 'unplug DEV [SIZE]' },
  { keyword: 'surprise-remove', category: 'action', args: [NAME('device', 'DEV')], options: [], summary: "The hardware is gone without asking: drivers' ->remove() runs, which cannot fail.", synopsis: 'surprise-remove DEV' },
  { keyword: 'replace', category: 'action', args: [NAME('device', 'DEV')], options: [], summary: 'New hardware decodes at the same physical range: a new tenant\'s data.', synopsis: 'replace DEV' },
  { keyword: 'unbind', category: 'action', args: [NAME('device', 'DEV (a dax or virtio-mem device)')], options: [], summary: "Driver unbind; cannot fail — its result is what the driver's ->remove() left behind.", synopsis: 'unbind DEV' },
  { keyword: 'bind', category: 'action', args: [NAME('device', 'DAX'), { role: 'driver', kind: 'word', values: ['devdax', 'kmem'], describe: 'devdax or kmem' }], options: [], summary: 'Binds a DAX device to device_dax or kmem.', synopsis: 'bind DAX devdax|kmem' },
  {
    keyword: 'reconfigure', category: 'action',
    args: [NAME('device', 'DAX'), { role: 'mode', kind: 'word', values: ['system-ram', 'devdax'], describe: 'system-ram or devdax' }],
    options: [{ key: 'no-online', describe: 'do not online the new blocks' }, { key: 'no-movable', describe: 'online to a kernel zone instead of ZONE_MOVABLE' }, { key: 'force', describe: 'offline online memory first (to devdax)' }],
    summary: 'daxctl reconfigure-device: switch a DAX device between device_dax and kmem.',
    synopsis: 'reconfigure DAX system-ram|devdax [no-online] [no-movable] [force]',
  },
  { keyword: 'mount', category: 'action', args: [NAME('fs', 'FS')], options: [], summary: 'Mounts the filesystem with -o dax.', synopsis: 'mount FS' },
  { keyword: 'umount', category: 'action', args: [NAME('fs', 'FS')], options: [], summary: 'Unmounts the filesystem.', synopsis: 'umount FS' },
  { keyword: 'reboot', category: 'action', args: [], options: [], summary: 'Reboots: everything is re-probed; burned ranges and poison records are cleared.', synopsis: 'reboot' },
  { keyword: 'online', category: 'action', args: [TARGET], options: [{ key: 'as', kind: 'word', values: ONLINE_TYPES, describe: 'online, online_kernel or online_movable' }], summary: 'Writes online / online_kernel / online_movable to the blocks\' state files.', synopsis: 'online TARGET [as online|online_kernel|online_movable]' },
  { keyword: 'offline', category: 'action', args: [TARGET], options: [{ key: 'timeout', kind: 'duration', describe: 'DURATION (a signal after that long → EINTR)' }], summary: 'Writes offline to the blocks\' state files (offline_pages()).', synopsis: 'offline TARGET [timeout DURATION]' },
  { keyword: 'remove', category: 'action', args: [TARGET], options: [], summary: 'remove_memory() of the target\'s range.', synopsis: 'remove TARGET' },
  {
    keyword: 'alloc', category: 'action',
    args: [NAME('name', 'NAME'), SIZE, { role: 'kind', kind: 'word', values: ALLOC_KINDS, describe: 'KIND (anon, pagecache, hugetlb, slab, pagetable or driver)' }],
    options: [{ key: 'in', kind: 'target', describe: 'TARGET to place it in' }, NODE, { key: 'by', kind: 'name', describe: 'PROCESS that owns it' }],
    summary: 'Allocates memory of a kind; placement follows the zone rules unless `in` is given.',
    synopsis: 'alloc NAME SIZE KIND [in TARGET | node N] [by PROCESS]',
  },
  { keyword: 'free', category: 'action', args: [NAME('alloc', 'NAME (an allocation)')], options: [], summary: 'Frees an allocation.', synopsis: 'free NAME' },
  {
    keyword: 'mmap', category: 'action',
    args: [NAME('process', 'PROCESS'), { role: 'source', kind: 'source', describe: 'SOURCE (a devdax device, a file path or an anon allocation)' }],
    options: [{ key: 'size', kind: 'size', describe: 'SIZE' }, OFFSET, { key: 'as', kind: 'name', required: true, describe: 'NAME for the mapping' }, { key: 'private', describe: 'MAP_PRIVATE instead of MAP_SHARED' }],
    summary: 'The process maps a devdax device, a file or an anonymous allocation.',
    synopsis: 'mmap PROCESS SOURCE [size SIZE] [offset SIZE] [private] as NAME',
  },
  { keyword: 'munmap', category: 'action', args: [NAME('mapping', 'MAPPING')], options: [], summary: 'Unmaps a mapping.', synopsis: 'munmap NAME' },
  { keyword: 'pin', category: 'action', args: [NAME('mapping', 'MAPPING')], options: [{ key: 'longterm', describe: 'FOLL_LONGTERM' }, { key: 'fast', describe: 'get_user_pages_fast()' }], summary: 'get_user_pages() on the mapping (`longterm` = FOLL_LONGTERM, `fast` = gup-fast).', synopsis: 'pin NAME [longterm] [fast]' },
  { keyword: 'unpin', category: 'action', args: [NAME('mapping', 'MAPPING')], options: [], summary: 'Drops the pin.', synopsis: 'unpin NAME' },
  {
    keyword: 'touch', category: 'action', args: [NAME('mapping', 'MAPPING')],
    options: [{ key: 'read', group: 'access', describe: 'load' }, { key: 'write', group: 'access', describe: 'store' }, OFFSET],
    summary: 'The process accesses the mapping.', synopsis: 'touch NAME [read|write] [offset SIZE]',
  },
  { keyword: 'poison', category: 'action', args: [TARGET], options: [OFFSET, { key: 'pages', kind: 'int', describe: 'N pages' }, { key: 'by', kind: 'name', describe: 'PROCESS that consumed it (MF_ACTION_REQUIRED)' }], summary: 'memory_failure() on a page of the target.', synopsis: 'poison TARGET [offset SIZE] [pages N] [by PROCESS]' },
  { keyword: 'soft-offline', category: 'action', args: [TARGET], options: [OFFSET], summary: 'soft_offline_page(): migrate the contents away, then retire the frame.', synopsis: 'soft-offline TARGET [offset SIZE]' },
  { keyword: 'unpoison', category: 'action', args: [TARGET], options: [OFFSET], summary: 'unpoison_memory() (hwpoison-inject).', synopsis: 'unpoison TARGET [offset SIZE]' },
  { keyword: 'exit', category: 'action', args: [NAME('process', 'PROCESS')], options: [], summary: 'The process exits: its mappings and pins are dropped (extension).', synopsis: 'exit PROCESS' },

  { keyword: 'expect', category: 'expect', args: [], options: [], summary: 'Checks the simulated state at this point of the step.', synopsis: 'expect …' },
];

export const STATEMENTS: ReadonlyMap<string, StatementSpec> = new Map(specs.map((s) => [s.keyword, s]));
export const STATEMENT_KEYWORDS: readonly string[] = specs.map((s) => s.keyword);
export const DECLARATION_KEYWORDS: readonly string[] = specs.filter((s) => s.category === 'declaration').map((s) => s.keyword);
export const ACTION_KEYWORDS: readonly string[] = specs.filter((s) => s.category === 'action').map((s) => s.keyword);
