// Every diagnostic code Hotplug Lab can report, once. docs/diagnostics.md is generated from this
// table (npm run docs:diagnostics) and a test fails when the two differ, when a code is unused,
// or when a code is missing from every baseline.
//
// Messages are templates: {0}, {1}… are replaced by the arguments given to `makeDiagnostic`.
// They say what happened, why (the kernel rule), and what to write or do instead.

import type { Diagnostic, RelatedInfo, Severity, Span } from './diagnostic.js';

export interface CodeInfo {
  readonly code: string;
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
  /** Kernel rule or spec section the code enforces. */
  readonly rule: string;
  /** A scenario line that triggers it (for the docs). */
  readonly example: string;
}

const table = [
  // HL1xxx — lexical and syntax
  { code: 'HL1001', severity: 'error', title: 'Unexpected character', message: "Unexpected character '{0}'. A statement is made of words, numbers, sizes (128M), paths (/mnt/x), strings (\"…\"), '=', '=>' and '..'; '#' starts a comment.", rule: 'spec §1', example: 'ram r0 1G @ 0' },
  { code: 'HL1002', severity: 'error', title: 'Unterminated string', message: 'This string has no closing \'"\' before the end of the line. Close it with \'"\'.', rule: 'spec §1', example: 'scenario "unbind' },
  { code: 'HL1003', severity: 'error', title: 'Invalid escape', message: "Unknown escape '\\{0}' in a string: only \\\" and \\\\ are escapes. Write '\\\\{0}' for a backslash.", rule: 'spec §1', example: 'expect log "a\\q"' },
  { code: 'HL1004', severity: 'error', title: 'Malformed number', message: "'{0}' is not a number, size or duration: {1}.", rule: 'spec §1', example: 'ram r0 4GB' },
  { code: 'HL1010', severity: 'error', title: 'Unknown statement', message: "Unknown statement '{0}'.{1} A line starts with a declaration (ram, dimm, pmem, cxl, virtio-mem, dax, fs, file, process), an action, 'expect', 'step', 'set', 'kernel' or 'scenario'.", rule: 'spec §2, §4, §5', example: 'unbnd dax0.0' },
  { code: 'HL1011', severity: 'error', title: 'Missing argument', message: "'{0}' needs {1} here: {2}.", rule: 'spec §4, §5', example: 'ram r0' },
  { code: 'HL1012', severity: 'error', title: 'Unexpected token', message: "Expected {0}, found '{1}'. {2}", rule: 'spec §4, §5', example: 'ram r0 at 0' },
  { code: 'HL1013', severity: 'error', title: 'Unknown option', message: "'{0}' is not an option of '{1}'.{2} Options of '{1}': {3}.", rule: 'spec §4, §5', example: 'ram r0 1G nod 1' },
  { code: 'HL1014', severity: 'error', title: 'Duplicate option', message: "Option '{0}' is given twice; the kernel takes one value. Remove one of them.", rule: 'spec §4, §5', example: 'ram r0 1G node 0 node 1' },
  { code: 'HL1015', severity: 'error', title: 'Value not allowed', message: "'{0}' is not allowed here: expected one of {1}.{2}", rule: 'spec §4, §5, §6', example: 'dax d0 on p0 mode fastdax' },
  { code: 'HL1016', severity: 'error', title: 'Unknown result', message: "'{0}' is not a result an action can have.{1} Results: ok, EBUSY, EINVAL, EINTR, ENXIO, EIO, ENOMEM, EEXIST, EOPNOTSUPP, EHWPOISON, E2BIG, EPERM, hang, SIGBUS, crash, oops, leaked.", rule: 'spec §6', example: 'offline m0 => BUSY' },
  { code: 'HL1017', severity: 'error', title: 'Missing scenario line', message: "A scenario file starts with 'scenario \"TITLE\"'. Add it as the first statement.", rule: 'spec §2', example: 'ram r0 1G' },
  { code: 'HL1018', severity: 'error', title: 'Misplaced header', message: "'{0}' must come {1}. Move this line.", rule: 'spec §2', example: 'set block_size = 128M   (after a declaration)' },
  { code: 'HL1019', severity: 'error', title: 'Result not allowed', message: "'=> RESULT' belongs on actions inside a step; '{0}' is {1}. Use an 'expect' line to check state.", rule: 'spec §6', example: 'ram r0 1G => ok' },
  { code: 'HL1020', severity: 'error', title: 'Missing result', message: "'=>' must be followed by the expected result (ok, EBUSY, hang, SIGBUS, crash, …).", rule: 'spec §6', example: 'offline m0 =>' },
  { code: 'HL1021', severity: 'error', title: 'Expectation not understood', message: "Cannot read this expectation: {0}. Forms: 'expect TARGET online|offline|removed|leaked|absent', 'expect TARGET zone normal|movable|dma32|none', 'expect MAPPING valid|zapped|stale|poisoned|gone', 'expect PROCESS alive|killed|signal SIGBUS [CODE]|no signal', 'expect FS mounted|shutdown|unmounted', 'expect TARGET poisoned N', 'expect [no] crash', 'expect log \"TEXT\"', 'expect hazard KIND', 'expect no hazard'.", rule: 'spec §6', example: 'expect dax0.0 happy' },
  { code: 'HL1022', severity: 'error', title: 'Action outside a step', message: "'{0}' is an action and must be inside a step. Add a 'step' line before it.", rule: 'spec §2', example: 'online dimm0   (before any step)' },
  { code: 'HL1023', severity: 'error', title: 'Input too large', message: 'This scenario exceeds a limit ({0}); analysis stopped here. Split the scenario or raise the limit.', rule: 'robustness limits', example: '(a line longer than the maximum)' },

  // HL2xxx — names and semantics
  { code: 'HL2001', severity: 'error', title: 'Unknown name', message: "'{0}' is not declared.{1}", rule: 'spec §4', example: 'online dimm9' },
  { code: 'HL2002', severity: 'error', title: 'Duplicate name', message: "'{0}' is already declared. Every declaration, allocation and mapping needs its own name.", rule: 'spec §4', example: 'ram r0 1G\\nram r0 1G' },
  { code: 'HL2003', severity: 'error', title: 'Wrong kind of name', message: "'{0}' is {1}, but {2} is expected here.", rule: 'spec §4, §5', example: 'mmap p0 p0 as m' },
  { code: 'HL2004', severity: 'error', title: 'Overlapping ranges', message: "{0} [{1}] overlaps {2} [{3}]. Physical ranges must not overlap: move one with 'at ADDR'.", rule: 'spec §4; kernel: register_memory_resource() → -EEXIST', example: 'dimm d0 1G at 0   (over ram)' },
  { code: 'HL2005', severity: 'error', title: 'Not block aligned', message: "{0} {1} is not a multiple of the memory block size {2}. add_memory() rejects it with -EINVAL (\"Block size [...] unaligned hotplug range\"). Use {3}.", rule: 'R1.1 mm/memory_hotplug.c: check_hotplug_memory_range()', example: 'dimm d0 100M' },
  { code: 'HL2006', severity: 'error', title: 'Not subsection aligned', message: "{0} {1} is not a multiple of {2}: a DAX device is mapped in {2} units (memremap_pages() works on 2 MiB subsections; devdax faults at its align). Use {3}.", rule: 'brief §1.1, §5.1 mm/memremap.c', example: 'dax d0 on p0 mode devdax size 3M' },
  { code: 'HL2007', severity: 'error', title: 'fsdax on CXL', message: "'{0}' is a CXL region; fsdax needs a pmem namespace (a block device for the filesystem). Use mode devdax or system-ram, or carve it from a pmem region.", rule: 'spec §4; brief §5.1', example: 'dax d0 on cxl0 mode fsdax' },
  { code: 'HL2008', severity: 'error', title: 'File outside any mount', message: "'{0}' is not under the mount point of any filesystem mounted at boot ({1}). Declare 'fs … mount PATH' first or move the file under it.", rule: 'spec §4', example: 'file /data/x 4M' },
  { code: 'HL2009', severity: 'error', title: 'Declaration after steps', message: "'{0}' declares part of the machine as it boots, so it must come before the first step (line {1}). Move it up, or use an action ('plug', 'bind', 'mount', 'alloc') inside the step.", rule: 'spec §2', example: 'step\\nram r1 1G' },
  { code: 'HL2010', severity: 'error', title: 'Kernel version not modelled', message: "Kernel {0} is not modelled. The simulator models {1}; behaviour between them follows the version switches in docs/semantics.md.", rule: 'spec §2; brief §10', example: 'kernel 3.10' },
  { code: 'HL2011', severity: 'error', title: 'Unknown knob', message: "'{0}' is not a knob.{1} Knobs: {2}.", rule: 'spec §3', example: 'set auto_onlin = online' },
  { code: 'HL2012', severity: 'error', title: 'Invalid knob value', message: "'{0}' is not a valid value for {1}: expected {2}.", rule: 'spec §3', example: 'set online_policy = random' },
  { code: 'HL2013', severity: 'error', title: 'Outside its region', message: "{0} [{1}] does not fit inside {2} [{3}]. Make it smaller or change its offset.", rule: 'spec §4', example: 'dax d0 on p0 mode devdax size 4G   (p0 is 1G)' },
  { code: 'HL2014', severity: 'error', title: 'Zero size', message: '{0} must be larger than zero.', rule: 'spec §4', example: 'ram r0 0' },
  { code: 'HL2015', severity: 'error', title: 'Bad block range', message: "{0}. A block range is 'memoryN..memoryM' with N <= M.", rule: 'spec §5', example: 'offline memory9..memory3' },
  { code: 'HL2016', severity: 'error', title: 'Block outside the machine', message: "{0} (physical {1}) is not inside any declared memory device. With block size {2}, the declared devices cover: {3}.", rule: 'brief §1.1 drivers/base/memory.c: memoryN = phys / block size', example: 'online memory999' },
  { code: 'HL2017', severity: 'error', title: 'Plugged more than the device', message: "'{0}' plugs {1} but the device is only {2}. virtio-mem cannot plug more than its region.", rule: 'brief §8', example: 'virtio-mem vm0 1G plugged 2G' },
  { code: 'HL2018', severity: 'error', title: 'Filesystem full', message: "The files on {0} need {1} but the device holds {2}. Make the files smaller or the DAX device larger.", rule: 'spec §4', example: 'file /mnt/a 4G   (on a 1G device)' },
  { code: 'HL2019', severity: 'warning', title: 'Knob set twice', message: "{0} is set twice; the later value ({1}) wins. Remove one of the lines.", rule: 'spec §3', example: 'set block_size = 128M\\nset block_size = 256M' },
  { code: 'HL2020', severity: 'error', title: 'Filesystem on non-fsdax device', message: "'{0}' is in {1} mode; a DAX filesystem needs an fsdax device (the block device /dev/pmemN). Use mode fsdax.", rule: 'brief §5.1', example: 'fs f0 xfs on dax0.0   (devdax)' },
  { code: 'HL2021', severity: 'error', title: 'Invalid block size', message: "Block size {0} is not possible on x86_64: it must be a power of two between 128M (one section) and 2G (MAX_BLOCK_SIZE).", rule: 'brief §1.1 arch/x86/mm/init_64.c: probe_memory_block_size()', example: 'set block_size = 100M' },
  { code: 'HL2022', severity: 'error', title: 'Expectation does not fit its subject', message: "'{0}' is {1}; '{2}' applies to {3}.", rule: 'spec §6', example: 'expect p0 online' },
  { code: 'HL2023', severity: 'error', title: 'Conflicting options', message: 'These options conflict: {0}', rule: 'spec §5', example: 'alloc a 4M anon in dimm0 node 1' },
  { code: 'HL2024', severity: 'error', title: 'Beyond the addressable range', message: "{0} ends at {1}, beyond the {2} the x86_64 direct map can address (MAX_PHYSMEM_BITS 52). add_memory() returns -E2BIG (\"Hotplug memory [...] exceeds maximum addressable range\").", rule: 'R1.2 mm/memory_hotplug.c: mhp_range_allowed()', example: 'dimm d0 1G at 0x20000000000000' },
  { code: 'HL2025', severity: 'error', title: 'Name used before it exists', message: "'{0}' is introduced on line {1}, after this use. Move the {2} before it.", rule: 'spec §5', example: 'touch m0   (before mmap … as m0)' },
  { code: 'HL2026', severity: 'warning', title: 'Empty scenario title', message: 'The scenario title is empty; timelines and reports show it. Give the scenario a title.', rule: 'spec §2', example: 'scenario ""' },
  { code: 'HL2027', severity: 'error', title: 'Outside the mapped source', message: 'The mapping does not fit its source: {0}', rule: 'spec §5', example: 'mmap p0 /mnt/x offset 8M as m   (/mnt/x is 4M)' },
  { code: 'HL2028', severity: 'warning', title: 'Option without effect', message: 'This option has no effect here: {0}', rule: 'spec §4, §5', example: 'dax d0 on cxl0 mode system-ram map dev' },
  { code: 'HL2029', severity: 'error', title: 'Hole outside boot RAM', message: "{0} [{1}] is not inside any 'ram' declared before it ({2}). A hole is a firmware-reserved (e820) range inside boot RAM; declare it after its 'ram' and within it.", rule: 'brief §3 offline_pages() "memory holes"; arch/x86/kernel/e820.c', example: 'hole bios 132K at 0x80000000   (ram is 1G at 0)' },
  { code: 'HL2040', severity: 'error', title: 'Invalid virtio-mem block size', message: "A virtio-mem device block size of {0} is not possible: the virtio spec requires a power of two, and QEMU refuses a block-size below 1M. Use 2M (the default), or a larger power of two.", rule: 'brief §8; virtio spec (virtio-mem block_size); QEMU hw/virtio/virtio-mem.c', example: 'virtio-mem vm0 4G block 3M' },
  { code: 'HL2041', severity: 'error', title: 'Not big-block aligned', message: "{0} {1} is not a multiple of the big block size {2}. This device runs in Big Block Mode ({3}): virtio_mem adds, plugs, unplugs and removes whole big blocks, uses the region from its first aligned big block, and a request is met only in whole big blocks (virtio_mem_bbm_plug_request() plugs diff / bb_size of them). Use {4}.", rule: 'brief §8 drivers/virtio/virtio_mem.c: virtio_mem_init_hotplug(), virtio_mem_bbm_plug_request()', example: 'virtio-mem vm0 4G block 1G plugged 512M' },
  { code: 'HL2042', severity: 'warning', title: 'bbm_block_size ignored', message: "virtio_mem logs \"{0}\" for '{1}' and ignores virtio_mem_bbm_block_size: it uses big blocks of {2}. bbm_block_size must be a power of two and at least max(device block size, memory block size).", rule: 'brief §8 drivers/virtio/virtio_mem.c: virtio_mem_init_hotplug()', example: 'set virtio_mem_bbm_block_size = 384M' },
  { code: 'HL2043', severity: 'warning', title: 'Knob not in this kernel', message: "{0} arrived in v{1} (\"{2}\"); kernel {3} does not have it, so the setting is ignored and the default applies. Raise the 'kernel' line or drop the 'set'.", rule: 'docs/semantics.md version switches', example: 'kernel 5.10 … set online_policy = auto-movable' },
  { code: 'HL2044', severity: 'error', title: 'Not in this kernel', message: "{0} needs v{1} or later (\"{2}\"); kernel {3} cannot do this. Raise the 'kernel' line.", rule: 'docs/semantics.md version switches', example: 'kernel 5.4 … virtio-mem vm0 4G' },

  // HL3xxx — operation outcomes (info; warning when the operation fails and no `=> RESULT` expects it)
  { code: 'HL3001', severity: 'info', title: 'Operation failed', message: 'The operation {0} fails with {1}: {2}', rule: 'brief §2–§8 (rule id in the message)', example: 'offline memory40   (slab in ZONE_NORMAL → EBUSY)' },
  { code: 'HL3002', severity: 'info', title: 'Offline never finishes', message: 'The operation {0} never finishes (hang): {1}', rule: 'R3.2 mm/memory_hotplug.c: offline_pages() retries without limit', example: 'offline memory40   (a pinned page)' },
  { code: 'HL3003', severity: 'info', title: 'Signal delivered', message: 'A process is signalled: {0}', rule: 'R6.5 mm/memory-failure.c: kill_proc()', example: 'touch m0   (after unbind)' },
  { code: 'HL3004', severity: 'info', title: 'Memory leaked', message: 'The operation {0} leaks memory until reboot: {1}', rule: 'R5.4 drivers/dax/kmem.c: dev_dax_kmem_remove()', example: 'unbind dax0.0   (blocks online)' },
  { code: 'HL3005', severity: 'info', title: 'Not reached', message: 'Not reached: the kernel crashed on line {0}; nothing after a crash runs. {1}', rule: 'spec §7', example: 'online d0   (after a crash)' },
  { code: 'HL3006', severity: 'info', title: 'Notable outcome', message: 'What the kernel did here: {0}', rule: 'brief §5–§7', example: 'unbind pmem0.0   (mappings zapped)' },
  { code: 'HL3007', severity: 'info', title: 'Assumed behaviour', message: 'This outcome rests on a fact the kernel brief marks unconfirmed (assumed): {0}', rule: 'docs/semantics.md "Assumptions"', example: 'surprise-remove cxl0   (machine check)' },

  // HL4xxx — hazards (warning; info when the scenario expects them)
  { code: 'HL4001', severity: 'warning', title: 'Kernel crash', message: 'The kernel crashes here: {0}', rule: 'R1.3, R7.3, R4 __remove_memory() BUG()', example: 'surprise-remove cxl0   (memory online)' },
  { code: 'HL4002', severity: 'warning', title: 'Kernel oops', message: 'The kernel oopses here: {0}', rule: 'observed oopses (umount after unbind, unpin after devdax unbind)', example: 'umount f0   (after unbind)' },
  { code: 'HL4003', severity: 'warning', title: 'Stale mapping', message: 'A mapping is left stale: {0}', rule: 'R7.1, R7.2', example: 'unbind pmem0.0   (ext4, mapped)' },
  { code: 'HL4004', severity: 'warning', title: 'Data exposure', message: 'Data of another tenant is exposed: {0}', rule: 'R7.1', example: 'replace cxl0   (stale mapping)' },
  { code: 'HL4005', severity: 'warning', title: 'Burned address range', message: 'An address range is burned: {0}', rule: 'brief §1.2 "burned" address space', example: 'unbind dax0.0   (kmem online)' },
  { code: 'HL4006', severity: 'warning', title: 'Unrecoverable poison', message: 'Poison that cannot be recovered: {0}', rule: 'R6.3, R6.7, R7.4', example: 'poison k0   (slab)' },

  // HL5xxx — failed expectations
  { code: 'HL5001', severity: 'error', title: 'Unexpected result', message: 'Expected {0}, but the simulator gives {1}: {2}', rule: 'spec §6', example: 'offline memory40 => ok   (EBUSY)' },
  { code: 'HL5002', severity: 'error', title: 'Expectation failed', message: 'Expected {0}, but {1}.', rule: 'spec §6', example: 'expect m0 zapped   (stale)' },
] as const satisfies readonly CodeInfo[];

export type DiagnosticCode = (typeof table)[number]['code'];

export const CODES: readonly CodeInfo[] = table;

const byCode = new Map<string, CodeInfo>(CODES.map((c) => [c.code, c]));

export function codeInfo(code: string): CodeInfo | undefined {
  return byCode.get(code);
}

export function formatMessage(template: string, args: readonly (string | number | bigint)[]): string {
  return template.replace(/\{(\d+)\}/g, (_m, i: string) => {
    const v = args[Number(i)];
    return v === undefined ? '' : String(v);
  });
}

export interface DiagnosticOptions {
  severity?: Severity;
  related?: readonly RelatedInfo[];
  data?: Record<string, string>;
}

export function makeDiagnostic(
  code: DiagnosticCode,
  span: Span,
  args: readonly (string | number | bigint)[] = [],
  options: DiagnosticOptions = {},
): Diagnostic {
  const info = byCode.get(code)!;
  const d: Diagnostic = {
    code,
    severity: options.severity ?? info.severity,
    start: span.start,
    length: span.length,
    message: formatMessage(info.message, args),
    ...(options.related && options.related.length > 0 ? { related: options.related } : {}),
    ...(options.data ? { data: options.data } : {}),
  };
  return d;
}
