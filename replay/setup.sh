#!/usr/bin/env bash
# One idempotent set-up for `hotplug-lab replay`: installs the Debian packages it needs and builds,
# per installed kernel, a busybox initramfs with the hotplug/DAX modules, ndctl/daxctl, mkfs and the
# static helper. Everything goes to ${HOTPLUG_CACHE:-$HOME/.cache/hotplug-lab}/replay, never into
# the repository. Prints "replay setup: ready (KERNELS)" on success; exits 3 when it cannot install
# (not root, no apt, apt failing) so callers can skip cleanly and say why.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${HOTPLUG_CACHE:-$HOME/.cache/hotplug-lab}/replay"
mkdir -p "$cache"
pkgs=(qemu-system-x86 linux-image-amd64 busybox-static ndctl daxctl e2fsprogs xfsprogs gcc libc6-dev xz-utils cpio)
newer=linux-image-6.12.117+deb12-amd64

missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
dpkg -s "$newer" >/dev/null 2>&1 || missing+=("$newer")
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "replay setup: missing packages (${missing[*]}) and cannot install them (need root and apt-get)" >&2
    exit 3
  fi
  stamp="$cache/.apt-updated"
  if [ ! -e "$stamp" ]; then
    apt-get update -qq || { echo "replay setup: apt-get update failed" >&2; exit 3; }
    touch "$stamp"
  fi
  want=()
  for p in "${missing[@]}"; do
    if [ "$p" = "$newer" ] && ! apt-cache policy "$newer" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
      echo "replay setup: $newer is not available from apt here; only the default kernel will be set up" >&2
      continue
    fi
    want+=("$p")
  done
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null; then
    # a stale package list (the stamp above is old): refresh once and retry
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null \
      || { echo "replay setup: apt-get install ${want[*]} failed" >&2; exit 3; }
  fi
fi

# The helper (static, so the initramfs needs no libc for it).
src_hash=$(cat "$here/guest/hph.c" "$here/guest/init" "$here/guest/agent" "$here/guest/hpc" "$0" | sha256sum | cut -c1-16)
if [ ! -x "$cache/hph-$src_hash" ]; then
  gcc -static -O2 -Wall -o "$cache/hph-$src_hash.tmp" "$here/guest/hph.c"
  mv "$cache/hph-$src_hash.tmp" "$cache/hph-$src_hash"
fi

mods=(crc32c_generic nfit nd_pmem dax_pmem device_dax kmem hwpoison_inject virtio_mem virtio_pci ext4 xfs)
kernels=()
for vmlinuz in /boot/vmlinuz-*; do
  kver=${vmlinuz#/boot/vmlinuz-}
  [ -d "/lib/modules/$kver" ] || continue
  out="$cache/$kver"
  if [ -f "$out/initramfs.cpio.gz" ] && [ "$(cat "$out/stamp" 2>/dev/null)" = "$src_hash" ]; then kernels+=("$kver"); continue; fi
  rm -rf "$out" && mkdir -p "$out"
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,proc,sys,dev,run,tmp,mnt,etc,lib/modules}
  cp /bin/busybox "$root/bin/busybox"
  for a in $("$root/bin/busybox" --list); do [ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"; done
  cp "$here/guest/init" "$root/init"; cp "$here/guest/agent" "$here/guest/hpc" "$root/bin/"
  cp "$cache/hph-$src_hash" "$root/bin/hph"
  chmod +x "$root/init" "$root/bin/agent" "$root/bin/hpc" "$root/bin/hph"
  # modules in dependency order (modules.dep lists deps right of the colon; load them first)
  dep="/lib/modules/$kver/modules.dep"
  declare -A seen=()
  order=()
  add() {
    local rel=$1 d
    [ -n "${seen[$rel]:-}" ] && return 0
    seen[$rel]=1
    for d in $(grep -E "^$rel:" "$dep" | cut -d: -f2); do add "$d"; done
    order+=("$rel")
  }
  for m in "${mods[@]}"; do
    rel=$(grep -oE "^[^:]*/${m//_/[-_]}\.ko(\.xz|\.zst)?:" "$dep" | head -1 | tr -d :) || true
    if [ -z "$rel" ]; then echo "replay setup: $kver has no module $m (built in or absent)" >&2; continue; fi
    add "$rel"
  done
  : > "$root/lib/modules/load.list"
  for rel in "${order[@]}"; do
    base=$(basename "$rel"); plain=${base%.xz}; plain=${plain%.zst}
    case "$base" in
      *.xz) xz -dc "/lib/modules/$kver/$rel" > "$root/lib/modules/$plain" ;;
      *.zst) zstd -dcq "/lib/modules/$kver/$rel" > "$root/lib/modules/$plain" ;;
      *) cp "/lib/modules/$kver/$rel" "$root/lib/modules/$plain" ;;
    esac
    echo "$plain" >> "$root/lib/modules/load.list"
  done
  unset seen
  # dynamic tools and their shared libraries
  for t in ndctl daxctl mkfs.ext4 mke2fs mkfs.xfs; do
    p=$(command -v "$t" || true)
    [ -n "$p" ] || { echo "replay setup: $t not found" >&2; continue; }
    cp -L "$p" "$root/usr/sbin/$t"
    for l in $(ldd "$p" | grep -oE '/[^ ]+'); do
      mkdir -p "$root$(dirname "$l")"; cp -Ln "$l" "$root$l" 2>/dev/null || true
    done
  done
  mkdir -p "$root/etc/ndctl" "$root/etc/daxctl"
  ( cd "$root" && find . | cpio -o -H newc --quiet | gzip -1 ) > "$out/initramfs.cpio.gz.tmp"
  mv "$out/initramfs.cpio.gz.tmp" "$out/initramfs.cpio.gz"
  ln -sf "$vmlinuz" "$out/vmlinuz"
  echo "$src_hash" > "$out/stamp"
  rm -rf "$root"; trap - EXIT
  kernels+=("$kver")
done
printf '%s\n' "${kernels[@]}" > "$cache/kernels.txt"
echo "replay setup: ready (${kernels[*]}) in $cache"
