// virtio-mem mode selection, shared by the checker and the simulator (brief §8;
// drivers/virtio/virtio_mem.c: virtio_mem_init_hotplug()).

import { isPowerOfTwo } from './layout.js';
import type { Knobs } from './model.js';

/** pageblock_nr_pages * PAGE_SIZE on x86_64: the smallest subblock. */
export const PAGEBLOCK_SIZE = 2n << 20n;
/** QEMU's default virtio-mem block-size on x86_64 (the THP size). */
export const DEFAULT_DEVICE_BLOCK_SIZE = 2n << 20n;

export interface VirtioMemMode {
  readonly mode: 'sbm' | 'bbm';
  /** SBM: the subblock size; BBM: the big block size. */
  readonly unit: bigint;
  /** BBM: why a set bbm_block_size was ignored (the driver warns and keeps the default). */
  readonly bbmBlockSizeIgnored?: 'bbm_block_size is not a power of 2' | 'bbm_block_size is too small';
  /** Why the driver chose this mode, for event text. */
  readonly why: string;
}

/**
 * sb_size = max(device_block_size, pageblock); SBM if sb_size < memory_block_size and not
 * force_bbm; otherwise BBM with bb_size = max(device_block_size, memory_block_size), or
 * bbm_block_size when it is a power of two at least that large.
 */
export function virtioMemMode(deviceBlockSize: bigint, knobs: Pick<Knobs, 'blockSize' | 'virtioMemForceBbm' | 'virtioMemBbmBlockSize'>): VirtioMemMode {
  const mbs = knobs.blockSize;
  const sb = deviceBlockSize > PAGEBLOCK_SIZE ? deviceBlockSize : PAGEBLOCK_SIZE;
  if (sb < mbs && !knobs.virtioMemForceBbm) return { mode: 'sbm', unit: sb, why: 'the subblock (max(device block, pageblock)) is smaller than a memory block' };
  const why = sb < mbs ? 'force_bbm=1' : 'the device block is not smaller than a memory block';
  let bb = deviceBlockSize > mbs ? deviceBlockSize : mbs;
  const want = knobs.virtioMemBbmBlockSize;
  if (want === 0n) return { mode: 'bbm', unit: bb, why };
  if (!isPowerOfTwo(want)) return { mode: 'bbm', unit: bb, why, bbmBlockSizeIgnored: 'bbm_block_size is not a power of 2' };
  if (want < bb) return { mode: 'bbm', unit: bb, why, bbmBlockSizeIgnored: 'bbm_block_size is too small' };
  bb = want;
  return { mode: 'bbm', unit: bb, why: `${why}, bbm_block_size` };
}
