// Sizes and addresses as the language writes them (spec §1: binary multiples).

const UNITS: readonly [string, bigint][] = [['P', 1n << 50n], ['T', 1n << 40n], ['G', 1n << 30n], ['M', 1n << 20n], ['K', 1n << 10n]];

/** The largest unit that divides the size exactly: 1536M, 2G, 4K, or plain bytes. */
export function formatSize(n: bigint): string {
  if (n === 0n) return '0';
  for (const [u, m] of UNITS) if (n % m === 0n) return `${n / m}${u}`;
  return String(n);
}

export function hex(n: bigint): string {
  return `0x${n.toString(16)}`;
}

export function alignUp(n: bigint, to: bigint): bigint {
  return to <= 0n ? n : ((n + to - 1n) / to) * to;
}
