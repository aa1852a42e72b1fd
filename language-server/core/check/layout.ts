// Physical layout helpers: alignment, formatting of addresses and sizes, DAX memmap reserve.

export const KiB = 1n << 10n;
export const MiB = 1n << 20n;
export const GiB = 1n << 30n;
export const TiB = 1n << 40n;
export const PAGE = 4n * KiB;
export const SUBSECTION = 2n * MiB;
/** struct page is 64 bytes per 4 KiB page (spec §5a). */
export const STRUCT_PAGE = 64n;
/** x86_64 MAX_PHYSMEM_BITS with 5-level paging (R1.2 upper bound of mhp_get_pluggable_range()). */
export const MAX_PHYS = 1n << 52n;

export function alignUp(v: bigint, a: bigint): bigint {
  return ((v + a - 1n) / a) * a;
}

export function alignDown(v: bigint, a: bigint): bigint {
  return (v / a) * a;
}

export function isPowerOfTwo(v: bigint): boolean {
  return v > 0n && (v & (v - 1n)) === 0n;
}

export function hex(v: bigint): string {
  return '0x' + v.toString(16);
}

/** A phys_addr_t as printk's %pa prints it: 0x and 16 zero-padded hex digits. */
export function physAddr(v: bigint): string {
  return '0x' + v.toString(16).padStart(16, '0');
}

/** [start-end] inclusive, as the kernel prints ranges. */
export function formatRange(start: bigint, size: bigint): string {
  return `${hex(start)}-${hex(start + size - 1n)}`;
}

const UNITS: readonly [bigint, string][] = [[1n << 50n, 'P'], [TiB, 'T'], [GiB, 'G'], [MiB, 'M'], [KiB, 'K']];

/** The shortest exact spelling: 134217728 → "128M"; 1536M stays "1536M". */
export function formatSize(v: bigint): string {
  if (v === 0n) return '0';
  for (const [u, s] of UNITS) if (v % u === 0n) return `${v / u}${s}`;
  return v.toString();
}

/** Bytes of memmap reserved at the start of a pmem namespace with map=dev (nvdimm_setup_pfn()). */
export function pmemMemmapReserve(size: bigint, align: bigint): bigint {
  const a = align > SUBSECTION ? align : SUBSECTION;
  return alignUp(8n * KiB + (size / PAGE) * STRUCT_PAGE, a);
}

/** Bytes of memmap for a range (64 B per 4 KiB page). */
export function memmapBytes(size: bigint): bigint {
  return (size / PAGE) * STRUCT_PAGE;
}
