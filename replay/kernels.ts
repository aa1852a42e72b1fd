// Which real kernels the replay can boot: whatever replay/setup.sh built into the cache.

import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface RealKernel {
  /** uname -r, e.g. "6.1.0-56-amd64" or "6.12.117+deb12-amd64". */
  readonly release: string;
  /** MAJOR.MINOR, e.g. "6.1". */
  readonly version: string;
  readonly image: string;
  readonly initrd: string;
}

export function cacheDir(): string {
  return join(process.env.HOTPLUG_CACHE ?? join(homedir(), '.cache', 'hotplug-lab'), 'replay');
}

export function majorMinor(release: string): string {
  const m = /^(\d+)\.(\d+)/.exec(release);
  return m ? `${m[1]}.${m[2]}` : release;
}

export function availableKernels(): RealKernel[] {
  const dir = cacheDir();
  const list = join(dir, 'kernels.txt');
  if (!existsSync(list)) return [];
  return readFileSync(list, 'utf8').split('\n').filter(Boolean).map((release) => ({
    release,
    version: majorMinor(release),
    image: join(dir, release, 'vmlinuz'),
    initrd: join(dir, release, 'initramfs.cpio.gz'),
  })).filter((k) => existsSync(k.image) && existsSync(k.initrd));
}

/** The kernel for a scenario's `kernel MAJOR.MINOR`, or an explanation of what exists. */
export function pickKernel(version: string, imageOverride?: string): RealKernel | string {
  const all = availableKernels();
  if (imageOverride) {
    if (!existsSync(imageOverride)) return `no such kernel image: ${imageOverride}`;
    // A user-supplied image: it must be one whose modules setup.sh packed (same release), or the
    // initramfs of the matching version is used and its modules may fail to load.
    const k = all.find((x) => imageOverride.includes(x.release)) ?? all.find((x) => x.version === version);
    if (!k) return `no initramfs for ${imageOverride}: run replay/setup.sh on a machine where /lib/modules of that kernel exists`;
    return { ...k, image: imageOverride };
  }
  const k = all.find((x) => x.version === version);
  if (k) return k;
  const have = all.map((x) => `${x.version} (${x.release})`).join(', ');
  return all.length === 0
    ? `no real kernel is set up: run replay/setup.sh (installs QEMU and Debian's 6.1 and 6.12 kernels, caches an initramfs in ${dir()})`
    : `the scenario asks for kernel ${version}; real kernels available here: ${have}. Change the scenario's kernel line or pass --kernel-image PATH`;
}

function dir(): string { return cacheDir(); }
