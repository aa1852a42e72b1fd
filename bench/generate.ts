// Generated scenarios for `npm run bench`: a machine with every device kind, then steps that cycle
// through every action kind (and expectations), so the simulator keeps doing real work per line.
// Every cycle undoes what it did, so the state stays the same size however long the scenario is.

const HEADER = `scenario "bench"
kernel 6.12
set block_size = 128M
set auto_online = online_movable
ram r0 8G
dimm dm0 1G at 0x200000000 present
pmem pm0 4G at 0x400000000 node 1
pmem pm1 4G at 0x500000000 node 1
cxl c0 2G at 0x600000000 node 2
virtio-mem vm0 4G at 0x700000000 plugged 1G
dax d0 on pm0 mode fsdax size 2G align 2M
dax d1 on pm0 mode devdax size 1G offset 2G align 2M
dax d2 on pm1 mode devdax size 1G
dax d3 on c0 mode devdax
fs f0 ext4 on d0 mount /mnt/pmem
file /mnt/pmem/db 64M
process p0
process p1
`;

/** One step (~30 lines) that uses every action kind once and leaves the machine as it found it. */
function cycle(i: number): string {
  return `step "cycle ${i}"
  alloc a${i} 8M anon node 0 by p1
  alloc k${i} 1M slab
  alloc h${i} 2M hugetlb
  alloc pc${i} 4M pagecache
  mmap p1 a${i} as ma${i}
  touch ma${i} write => ok
  pin ma${i} longterm
  unpin ma${i}
  munmap ma${i}
  mmap p0 d1 size 2M as md${i}
  touch md${i} read
  munmap md${i}
  mmap p0 /mnt/pmem/db size 4M as mf${i}
  touch mf${i} write
  munmap mf${i}
  free a${i}
  free k${i}
  free h${i}
  free pc${i}
  offline dm0 => ok
  online dm0 as online_movable => ok
  unplug vm0 128M
  plug vm0 128M
  reconfigure d2 system-ram
  reconfigure d2 devdax force
  unbind d1
  bind d1 devdax
  umount f0
  mount f0
  expect dm0 online
  expect p1 alive
  expect no crash
`;
}

/** Every few hundred lines: the device-level actions that change hardware, then a reboot. */
function rare(i: number): string {
  return `step "hardware ${i}"
  mmap p0 d2 size 2M as mx${i}
  touch mx${i} read
  poison mx${i}
  munmap mx${i}
  unpoison d2
  alloc sx${i} 4M pagecache
  soft-offline sx${i} offset 4K
  surprise-remove c0
  replace c0
  exit p0
  remove memory16
  reboot
  expect no crash
`;
}

/** A scenario of about `lines` lines. */
export function generateScenario(lines: number): string {
  const parts = [HEADER];
  let n = HEADER.split('\n').length;
  for (let i = 0; n < lines; i++) {
    const s = i % 10 === 9 ? rare(i) : cycle(i);
    parts.push(s);
    n += s.split('\n').length - 1;
  }
  return parts.join('');
}

/** A 64 TiB machine: 524,288 boot blocks of 128 MiB, and a few steps that touch some of them. */
export function generateHugeMachine(): string {
  return `scenario "64 TiB"
kernel 6.12
set block_size = 128M
ram r0 64T
dimm dm0 1G at 0x500000000000 present
process p
step "allocate and offline"
  alloc a0 64M anon by p
  alloc k0 4M slab
  offline memory1000 => ok
  online memory1000 as online_movable => ok
step "hot-add and remove"
  online dm0 as online_movable => ok
  offline dm0 => ok
  remove dm0 => ok
  free a0
  expect no crash
`;
}

/** A JSON document of (about) the same byte size as `text`: an array of short objects. */
export function jsonOfSize(bytes: number): string {
  const parts: string[] = [];
  let n = 2;
  for (let i = 0; n < bytes; i++) {
    const s = `{"op":"alloc","name":"a${i}","size":8388608,"kind":"anon","node":0}`;
    parts.push(s);
    n += s.length + 1;
  }
  return `[${parts.join(',')}]`;
}
