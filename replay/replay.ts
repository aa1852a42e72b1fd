// Replays a scenario on a real kernel in QEMU and compares every statement with the simulator.
//
// The machine: boot RAM becomes `-m`, DIMMs become pc-dimms at their declared address (cold-plugged
// when `present`, QMP object-add/device_add on `plug`, device_del on `unplug`), one pmem region
// becomes one emulated label-less NVDIMM whose single namespace is the scenario's dax device, a
// virtio-mem device becomes a virtio-mem-pci at its declared address (memaddr) whose requested-size
// QMP sets (plug/unplug SIZE), driven by the guest's virtio_mem driver.
// Actions run as sysfs writes, ndctl/daxctl, mount, and commands to one helper process per
// scenario process (guest/hph.c). Expectations are evaluated on what the guest shows.

import { analyze, createLineIndex, formatVersion, type Action, type Expectation, type Model, type Target, type Timeline, type EventView } from '../language-server/core/index.js';
import { DEFAULT_DEVICE_BLOCK_SIZE, virtioMemMode } from '../language-server/core/check/virtioMem.js';
import { Vm, type CommandResult } from './vm.js';
import { pickKernel, type RealKernel } from './kernels.js';

export type Verdict = 'pass' | 'fail' | 'unsupported';

export interface LineReport {
  /** 1-based. */
  readonly line: number;
  readonly text: string;
  readonly verdict: Verdict;
  readonly simulator: string;
  readonly kernel: string;
  /** Kernel log lines of this statement (for failures). */
  readonly log: readonly string[];
  /** Wall time of the statement in the guest. */
  readonly ms?: number;
}

export interface ReplayReport {
  readonly file: string;
  readonly kernel: RealKernel | undefined;
  /** Why the scenario cannot run at all (machine not emulable, no kernel). */
  readonly cannotRun?: string;
  readonly lines: LineReport[];
  readonly bootMs: number;
  readonly totalMs: number;
}

const MiB = 1n << 20n;
const HOTPLUG_BASE = 0x100000000n;
const HOTPLUG_END = HOTPLUG_BASE + 7n * 1024n * MiB;

const hex = (n: bigint): string => `0x${n.toString(16)}`;
const size = (n: bigint): string => (n % (1024n * MiB) === 0n ? `${n / (1024n * MiB)}G` : `${n / MiB}M`);
/** e820 "reserved" at the top of a QEMU pc guest's low RAM (0x3ffdf000–0x3fffffff for 1 GiB; observed). */
const QEMU_BIOS_HOLE = 132n * 1024n;

/** Why the scenario's machine cannot be emulated here, or undefined when it can. */
export function machineProblem(model: Model): string | undefined {
  const k = model.knobs;
  if (k.blockSize !== 128n * MiB) return 'block_size other than 128M: x86 QEMU guests below 64 GiB use 128 MiB blocks';
  if (k.movableNode || k.movablecore !== 0n) return 'movable_node/movablecore are not replayed yet';
  if (!k.hotremove) return 'hotremove off: the real kernels here are built with CONFIG_MEMORY_HOTREMOVE=y';
  if (k.forceUnmapOnRemove) return 'force_unmap_on_remove is a proposal that no real kernel implements';
  const rams = model.devices.filter((d) => d.kind === 'ram');
  if (rams.length !== 1 || rams[0]!.base !== 0n || rams[0]!.size < 512n * MiB || rams[0]!.size > 2048n * MiB)
    return 'boot RAM must be one `ram` of 512M–2G at 0 (QEMU boots that much below 4 GiB; this host has no room for more under TCG)';
  // SeaBIOS reserves the top 132 KiB of low RAM in the e820 map (ACPI tables etc.); that is the
  // only firmware hole the guest has above memory0.
  const ram = rams[0]!;
  for (const h of model.holes) {
    if (h.base !== ram.size - QEMU_BIOS_HOLE || h.size !== QEMU_BIOS_HOLE)
      return `hole ${h.name}: the guest's only firmware hole above memory0 is ${hex(ram.size - QEMU_BIOS_HOLE)}–${hex(ram.size - 1n)} (\`hole NAME 132K at ${hex(ram.size - QEMU_BIOS_HOLE)}\`)`;
  }
  for (const d of model.devices) {
    if (d.node !== 0) return `${d.name} is on node ${d.node}: the replay guest has one NUMA node`;
    if (d.kind === 'cxl') return `${d.name}: QEMU's pc machine emulates no CXL memory`;
    if (d.kind === 'virtio-mem') {
      const p = virtioMemProblem(model, d);
      if (p) return p;
    }
    if (d.kind === 'dimm' || d.kind === 'pmem') {
      if (d.base < HOTPLUG_BASE || d.base + d.size > HOTPLUG_END) return `${d.name} at ${hex(d.base)}: QEMU's hotplug window here is ${hex(HOTPLUG_BASE)}–${hex(HOTPLUG_END)}`;
    }
  }
  const pmems = model.devices.filter((d) => d.kind === 'pmem');
  if (pmems.length > 1) return 'more than one pmem region: the replay emulates one NVDIMM';
  const dimms = model.devices.filter((d) => d.kind === 'dimm');
  if (dimms.length > 3) return 'more than 3 DIMMs (4 slots, one kept for the NVDIMM)';
  for (const x of model.daxes) {
    const region = model.devices.find((d) => d.name === x.region)!;
    if (x.base !== region.base || x.size !== region.size) return `${x.name} does not cover all of ${region.name}: a label-less NVDIMM has one namespace`;
    if (x.map !== 'dev') return `${x.name} map mem is not replayed (namespaces are created with map=dev)`;
    if (x.memmapOnMemory) return `${x.name} memmap_on_memory is not replayed`;
  }
  if (model.daxes.length > 1) return 'more than one dax device';
  if (model.devices.filter((d) => d.kind === 'virtio-mem').length > 1) return 'more than one virtio-mem device: the replay drives one (virtio0)';
  if (model.filesystems.some((f) => f.type === 'ext2' || f.type === 'erofs')) return 'ext2/erofs are not replayed (ext4 and xfs are)';
  return undefined;
}

/** The first address at or above the hotplug window's start, aligned to `align`, where `size` bytes
 * overlap no other hot-pluggable device of the scenario (what to write as `at`). */
/**
 * QEMU's device-memory region of a pc machine: from 4 GiB, maxmem − RAM plus 1 GiB of alignment per
 * slot (-m …,slots=4,maxmem=8G) — the guest's SRAT shows it as "hotplug" (0x100000000–0x3bfffffff
 * with 1 GiB of RAM). Every memory device counts with its full size against maxmem − RAM.
 */
function deviceWindowEnd(model: Model): bigint {
  const ram = model.devices.find((d) => d.kind === 'ram')?.size ?? 0n;
  return HOTPLUG_BASE + 8n * 1024n * MiB - ram + 4n * 1024n * MiB;
}

function freeWindowAddress(model: Model, self: string, size: bigint, align: bigint): bigint | undefined {
  const others = model.devices.filter((o) => o.name !== self && o.kind !== 'ram' && o.base + o.size > HOTPLUG_BASE).sort((a, b) => (a.base < b.base ? -1 : 1));
  let at = HOTPLUG_BASE;
  for (const o of others) if (at < o.base + o.size && o.base < at + size) at = ((o.base + o.size + align - 1n) / align) * align;
  return at + size <= deviceWindowEnd(model) ? at : undefined;
}

/** Knobs another engineer is adding to the simulator (virtio-mem BBM); read without depending on them. */
function knob(model: Model, key: string): unknown { return (model.knobs as unknown as Record<string, unknown>)[key]; }

function virtioMemProblem(model: Model, d: Model['devices'][number]): string | undefined {
  // QEMU 7.2's virtio-mem-pci takes memaddr= (the guest physical address of its region); it must
  // lie in the machine's device-memory window and be aligned to the device block size.
  const end = deviceWindowEnd(model);
  const ram = model.devices.find((x) => x.kind === 'ram')?.size ?? 0n;
  const devices = model.devices.filter((x) => x.kind !== 'ram').reduce((n, x) => n + x.size, 0n);
  if (devices > 8n * 1024n * MiB - ram) return `${d.name}: the memory devices need ${size(devices)}, more than QEMU's maxmem (8G) leaves next to ${size(ram)} of RAM`;
  if (d.base < HOTPLUG_BASE || d.base + d.size > end) {
    const at = freeWindowAddress(model, d.name, d.size, model.knobs.blockSize);
    return `${d.name} at ${hex(d.base)}: QEMU places virtio-mem in its device-memory window ${hex(HOTPLUG_BASE)}–${hex(end)}` +
      (at !== undefined ? `; declare it \`virtio-mem ${d.name} ${size(d.size)} at ${hex(at)}\`` : `, which has no room for ${size(d.size)} next to the other devices`);
  }
  const dbs = d.deviceBlockSize ?? 2n * MiB;
  if (dbs < MiB || (dbs & (dbs - 1n)) !== 0n) return `${d.name} block ${dbs / 1024n}K: QEMU's virtio-mem block size is a power of two of at least 1 MiB`;
  if (d.base % dbs !== 0n || d.size % dbs !== 0n) return `${d.name}: address and size must be multiples of its device block size (${dbs / MiB} MiB)`;
  if (d.plugged % dbs !== 0n) return `${d.name} plugged ${d.plugged / MiB}M: not a multiple of the device block size`;
  return undefined;
}

/** `killed`: got a fatal signal (the helper stays to answer queries); `exists`: the helper runs. */
interface Proc { killed: boolean; exists: boolean }
interface Mapping { process: string; helperName: string; size: bigint; touched: Set<bigint>; source: { kind: 'dax' | 'file' | 'anon'; name: string }; unmapped: boolean }
interface Alloc { kind: string; process: string | undefined; size: bigint }

class Replayer {
  private readonly procs = new Map<string, Proc>();
  private readonly maps = new Map<string, Mapping>();
  private readonly allocs = new Map<string, Alloc>();
  private readonly unboundDax = new Set<string>();
  private stepLog: string[] = [];
  private allLogSinceMount = new Map<string, string[]>();
  private kmemLeaked = new Set<string>();
  private staleSeen = false;
  private crashed = false;
  private oopsSeen = false;
  private pfnDev = '';
  private readonly mce: boolean;
  /** virtio-mem: the guest's virtio device (virtio0) while virtio_mem drives it, '' once unbound. */
  private virtioDev = 'virtio0';
  private virtioLeaked = false;

  constructor(private readonly vm: Vm, private readonly model: Model) { this.mce = machineCheckPoison(model); }

  /** A hardware memory failure at `phys`: an SRAO machine check; the result from memory_failure()'s log line. */
  private async machineCheck(phys: bigint): Promise<string> {
    const mark = this.stepLog.length;
    const e = (await this.vm.qmpQuery('human-monitor-command', { 'command-line': `mce 0 9 0xbd000000000000c0 0x5 ${hex(phys)} 0x86` })).error;
    if (e) return `EINVAL (QEMU: ${e})`;
    const pfn = hex(phys / 4096n);
    for (let i = 0; i < 40 && !this.vm.exited; i++) {
      const l = this.stepLog.slice(mark).find((x) => x.includes(`Memory failure: ${pfn}:`));
      if (l) return /: (Recovered|Delayed)$/.test(l.trim()) ? 'ok' : /already hardware poisoned/.test(l) ? 'EHWPOISON' : `failed (${l.trim()})`;
      if (this.stepLog.slice(mark).some((x) => /Kernel panic/.test(x))) return 'crash';
      await this.sh('sleep 0.5');
    }
    return this.vm.exited ? 'crash' : 'no memory_failure() seen in the log';
  }


  private async sh(cmd: string, timeoutMs?: number): Promise<CommandResult> {
    const r = await this.vm.run(cmd, timeoutMs);
    this.stepLog.push(...r.log);
    for (const l of this.allLogSinceMount.values()) l.push(...r.log);
    if (r.log.some((l) => /BUG: |Oops|unable to handle page fault|general protection fault/.test(l))) this.oopsSeen = true;
    if (this.vm.exited) this.crashed = true;
    return r;
  }

  /** One command to a scenario process; a killed process only answers queries. */
  private async hpc(proc: string, cmd: string, query = false): Promise<string> {
    const p = this.procs.get(proc);
    if (!p?.exists) return 'not reached (the process is gone)';
    if (!query && (p.killed || await this.asyncKilled(proc))) return 'not reached (the process was killed)';
    const r = await this.sh(`hpc ${proc} ${cmd}`);
    const out = r.output.trim().split('\n').pop() ?? '';
    if (out.startsWith('SIGBUS')) p.killed = true;
    if (out === 'DEAD') p.exists = false;
    return out;
  }

  /** Whether an asynchronous SIGBUS (BUS_MCEERR_AO) reached the process. */
  private async asyncKilled(proc: string): Promise<boolean> {
    const r = await this.vm.run(`cat /run/hp/${proc}.sig 2>/dev/null`);
    this.stepLog.push(...r.log);
    if (r.output.includes('SIGBUS')) this.procs.get(proc)!.killed = true;
    return this.procs.get(proc)!.killed;
  }

  private blocksOf(t: Target): number[] | string {
    const bs = this.model.knobs.blockSize;
    const range = (base: bigint, size: bigint): number[] => {
      const out: number[] = [];
      for (let b = (base + bs - 1n) / bs; (b + 1n) * bs <= base + size; b++) out.push(Number(b));
      return out;
    };
    if (t.kind === 'blocks') return Array.from({ length: t.last - t.first + 1 }, (_, i) => t.first + i);
    if (t.kind === 'device') {
      const d = this.model.devices.find((x) => x.name === t.name);
      if (d && d.kind !== 'pmem') return range(d.base, d.size);
      const x = this.model.daxes.find((y) => y.name === t.name || y.region === t.name);
      if (x) return range(x.dataBase, x.dataSize);
    }
    return `${t.kind} ${'name' in t ? t.name : ''} has no memory blocks`;
  }

  /** Like blocksOf, but a virtio-mem device names the blocks its driver has added now (as the simulator does). */
  private async targetBlocks(t: Target): Promise<number[] | string> {
    const d = t.kind === 'device' ? this.model.devices.find((x) => x.name === t.name) : undefined;
    if (!d || d.kind !== 'virtio-mem') return this.blocksOf(t);
    return this.virtioBlocks(d);
  }

  private async virtioBlocks(d: { base: bigint; size: bigint }): Promise<number[]> {
    const bs = this.model.knobs.blockSize;
    const first = Number(d.base / bs), last = Number((d.base + d.size) / bs) - 1;
    const r = await this.vm.run(`cd /sys/devices/system/memory && ls -d memory* | sed 's/memory//'`);
    this.stepLog.push(...r.log);
    return r.output.split(/\s+/).filter((x) => /^\d+$/.test(x)).map(Number).filter((b) => b >= first && b <= last).sort((a, b) => a - b);
  }

  private async virtioSize(name: string): Promise<bigint | undefined> {
    const q = await this.vm.qmpQuery('qom-get', { path: `/machine/peripheral/${name}`, property: 'size' });
    return typeof q.return === 'number' ? BigInt(q.return) : undefined;
  }

  /**
   * Sets requested-size and waits for the driver: until QEMU's plugged size equals it (then until the
   * guest's blocks match: fully unplugged blocks removed, new ones added and auto-onlined), or until
   * it has not moved for 12 s — an unplug request that cannot be met is retried by the driver much
   * later (VIRTIO_MEM_RETRY_TIMER_MIN_MS, 50 s) and is "simply not fully met, no error".
   */
  private async virtioRequest(d: { name: string; base: bigint; size: bigint }, requested: bigint): Promise<{ plugged: bigint; error?: string }> {
    const e = (await this.vm.qmpQuery('qom-set', { path: `/machine/peripheral/${d.name}`, property: 'requested-size', value: Number(requested) })).error;
    if (e) return { plugged: (await this.virtioSize(d.name)) ?? -1n, error: e };
    let last = -1n, since = Date.now();
    const deadline = Date.now() + 180_000;
    let plugged = -1n;
    while (Date.now() < deadline && !this.vm.exited) {
      plugged = (await this.virtioSize(d.name)) ?? -1n;
      if (plugged === requested) break;
      if (plugged !== last) { last = plugged; since = Date.now(); } else if (Date.now() - since > 12_000) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const bs = this.model.knobs.blockSize;
    const online = this.model.knobs.autoOnline !== 'offline';
    const mem = '/sys/devices/system/memory';
    // SBM: every added block holds at least one plugged subblock, so plugged <= n*bs < plugged+bs once settled.
    for (let i = 0; i < 60; i++) {
      const blocks = await this.virtioBlocks(d);
      const n = BigInt(blocks.length) * bs;
      const settled = n >= plugged && n < plugged + bs;
      let offline = false;
      if (settled && online && blocks.length) offline = (await this.sh(`cat ${blocks.map((b) => `${mem}/memory${b}/state`).join(' ')} | grep -c offline`)).output.trim() !== '0';
      if (settled && !offline) break;
      await this.sh('sleep 0.5');
    }
    this.stepLog.push(`replay: QEMU ${d.name} requested-size ${hex(requested)}, plugged size ${hex(plugged)}`);
    return { plugged };
  }

  async bootSetup(): Promise<string | undefined> {
    const k = this.model.knobs;
    const mem = '/sys/devices/system/memory';
    const setup = [
      `echo ${k.autoOnline} > ${mem}/auto_online_blocks`,
      `echo ${k.onlinePolicy} > /sys/module/memory_hotplug/parameters/online_policy`,
      `echo ${k.autoMovableRatio} > /sys/module/memory_hotplug/parameters/auto_movable_ratio`,
      `echo ${k.autoMovableNumaAware ? 'Y' : 'N'} > /sys/module/memory_hotplug/parameters/auto_movable_numa_aware`,
      `echo ${k.earlyKill ? 1 : 0} > /proc/sys/vm/memory_failure_early_kill`,
      `echo ${k.failureRecovery ? 1 : 0} > /proc/sys/vm/memory_failure_recovery`,
    ];
    const vmem = this.model.devices.find((d) => d.kind === 'virtio-mem');
    const unplugOnline = knob(this.model, 'virtioMemUnplugOnline');
    if (vmem && unplugOnline !== undefined) setup.push(`echo ${unplugOnline ? 'Y' : 'N'} > /sys/module/virtio_mem/parameters/unplug_online`);
    const r = await this.sh(setup.join(' && '));
    if (r.rc !== 0) return `boot set-up failed: ${r.output}`;
    if (vmem) {
      // The driver's probe log names the region QEMU gave the device; it must be the declared one.
      // (the boot log came with the first command's `dmesg -c`)
      const m = this.stepLog.map((l) => /virtio_mem (virtio\d+): start address: (0x[0-9a-f]+)/.exec(l)).find(Boolean);
      if (!m) return `virtio_mem did not probe ${vmem.name}: no "start address" in the kernel log (${(await this.sh('ls /sys/bus/virtio/drivers/virtio_mem/')).output.trim()})`;
      if (BigInt(m[2]!) !== vmem.base) return `QEMU gave ${vmem.name} the address ${m[2]}, not ${hex(vmem.base)}: declare it \`at ${m[2]}\``;
      this.virtioDev = m[1]!;
      // The mode and unit the driver picked ("subblock size: 0x…" / "big block size: 0x…") must be the simulator's.
      const want = virtioMemMode(vmem.deviceBlockSize ?? DEFAULT_DEVICE_BLOCK_SIZE, this.model.knobs);
      const mode = this.stepLog.map((l) => /virtio_mem virtio\d+: (subblock|big block) size: (0x[0-9a-f]+)/.exec(l)).find(Boolean);
      const got = mode ? { mode: mode[1] === 'subblock' ? 'sbm' : 'bbm', unit: BigInt(mode[2]!) } : undefined;
      if (!got || got.mode !== want.mode || got.unit !== want.unit) {
        return `virtio_mem probed ${vmem.name} ${got ? `in ${got.mode === 'sbm' ? 'Sub Block Mode, subblock' : 'Big Block Mode, big block'} ${hex(got.unit)}` : 'without a mode line'}; the simulator has ${want.mode === 'sbm' ? 'Sub Block Mode, subblock' : 'Big Block Mode, big block'} ${hex(want.unit)} (a disagreement on line ${vmem.line + 1})`;
      }
      // Plugged at boot: requested after the knobs are set, so auto_online applies as at boot.
      if (vmem.plugged > 0n) {
        const got = await this.virtioRequest(vmem, vmem.plugged);
        if (got.plugged !== vmem.plugged) return `${vmem.name}: plugged ${hex(got.plugged)} of ${hex(vmem.plugged)} at boot${got.error ? ` (QEMU: ${got.error})` : ''}`;
      }
    }
    for (const x of this.model.daxes) {
      const mode = x.mode === 'fsdax' ? 'fsdax' : 'devdax';
      const c = await this.sh(`ndctl create-namespace -f -e namespace0.0 -m ${mode} -M dev -a ${x.align} 2>&1`, 120_000);
      if (c.rc !== 0) return `ndctl create-namespace failed: ${c.output}`;
      if (x.mode === 'system-ram') {
        const d = await this.sh(`daxctl reconfigure-device --mode=system-ram --no-online dax0.0 2>&1`);
        if (d.rc !== 0) return `daxctl reconfigure-device failed: ${d.output}`;
        if (k.autoOnline !== 'offline') {
          const blocks = this.blocksOf({ kind: 'device', name: x.name, span: { start: 0, length: 0 } });
          if (Array.isArray(blocks)) await this.sh(blocks.map((b) => `hph write ${mem}/memory${b}/state ${k.autoOnline}`).join('; '));
        }
      }
      if (x.mode === 'fsdax') this.pfnDev = (await this.sh('ls /sys/bus/nd/drivers/nd_pmem/ | grep -E "^(pfn|namespace)[0-9]" | head -1')).output.trim();
    }
    for (const f of this.model.filesystems) {
      const mk = f.type === 'xfs' ? `mkfs.xfs -f -m reflink=0,rmapbt=${f.rmapbt ? 1 : 0} /dev/pmem0` : 'mkfs.ext4 -F -q -b 4096 /dev/pmem0';
      const m = await this.sh(`${mk} 2>&1`, 180_000);
      if (m.rc !== 0) return `${mk} failed: ${m.output}`;
      if (f.mountPoint) {
        const mo = await this.sh(`mkdir -p ${f.mountPoint} && mount -t ${f.type} -o dax /dev/pmem0 ${f.mountPoint} 2>&1`);
        if (mo.rc !== 0) return `mount failed: ${mo.output}`;
        this.allLogSinceMount.set(f.name, []);
      }
    }
    for (const file of this.model.files) {
      const r2 = await this.sh(`hph mkfile ${file.path} ${file.size}`, 180_000);
      if (!r2.output.includes('ok')) return `creating ${file.path} failed: ${r2.output}`;
    }
    for (const p of this.model.processes) await this.startProc(p.name, p.earlyKill, p.noHugepage);
    this.stepLog = [];
    return undefined;
  }

  private async startProc(name: string, early = false, nothp = false): Promise<void> {
    await this.sh(`rm -f /run/hp/${name}.*; mkfifo /run/hp/${name}.in /run/hp/${name}.out; setsid hph serve ${name}${early ? ' early' : ''}${nothp ? ' nothp' : ''} </dev/null >/dev/null 2>&1 & echo $! > /run/hp/${name}.pid`);
    this.procs.set(name, { killed: false, exists: true });
  }

  startStep(): void { this.stepLog = []; }

  /** Kernel log lines of the current step from index `from` on. */
  logFrom(from: number): string[] { return this.stepLog.slice(from); }
  get logLength(): number { return this.stepLog.length; }

  /** The real outcome of an action, in the simulator's result vocabulary, or 'unsupported: why'. */
  async action(a: Action): Promise<string> {
    const mem = '/sys/devices/system/memory';
    switch (a.op) {
      case 'plug': {
        const d = this.model.devices.find((x) => x.name === a.device);
        if (d?.kind === 'virtio-mem') {
          const now = (await this.virtioSize(d.name)) ?? 0n;
          const want = now + (a.size ?? d.size - now);
          // QEMU refuses a requested-size above the device's size ("'requested-size' property exceeds 'size'").
          const got = await this.virtioRequest(d, want);
          if (got.error) return /exceed/i.test(got.error) ? 'E2BIG' : `EINVAL (QEMU: ${got.error})`;
          // After an unbind no driver answers the request: nothing is plugged.
          if (!this.virtioDev && got.plugged === now) { this.stepLog.push(`replay: no driver acted on ${d.name}'s request`); return 'ENXIO'; }
          return got.plugged === want ? 'ok' : `partial (plugged ${hex(got.plugged)} of ${hex(want)})`;
        }
        if (!d || d.kind !== 'dimm') return 'unsupported: plug replays DIMMs and virtio-mem';
        if (a.size !== undefined) return 'unsupported: plug SIZE of a DIMM (DIMMs are plugged whole)';
        const e1 = await this.vm.qmpCommand('object-add', { 'qom-type': 'memory-backend-ram', id: `mem-${d.name}`, size: Number(d.size) });
        const e2 = e1 ?? await this.vm.qmpCommand('device_add', { driver: 'pc-dimm', id: d.name, memdev: `mem-${d.name}`, addr: Number(d.base) });
        if (e2) return `EINVAL (QEMU: ${e2})`;
        const last = Number((d.base + d.size) / this.model.knobs.blockSize) - 1;
        const r = await this.sh(`for i in $(seq 1 150); do [ -e ${mem}/memory${last} ] && exit 0; sleep 0.2; done; exit 1`, 60_000);
        return r.rc === 0 ? 'ok' : 'ENODEV (no memory blocks appeared)';
      }
      case 'unplug': {
        const d = this.model.devices.find((x) => x.name === a.device);
        if (d?.kind === 'virtio-mem') {
          // An unplug request: requested-size lowered. It cannot fail; what the driver could not
          // unplug stays plugged (the expectations on the blocks show what went).
          // (after an unbind nobody acts on it; the blocks show that)
          const now = (await this.virtioSize(d.name)) ?? 0n;
          const want = a.size === undefined || a.size > now ? 0n : now - a.size;
          const got = await this.virtioRequest(d, want);
          return got.error ? `EINVAL (QEMU: ${got.error})` : 'ok';
        }
        if (!d || d.kind !== 'dimm') return 'unsupported: unplug replays DIMMs and virtio-mem';
        if (a.size !== undefined) return 'unsupported: unplug SIZE of a DIMM';
        this.vm.events.splice(0);
        const e = await this.vm.qmpCommand('device_del', { id: d.name });
        if (e) return `EINVAL (QEMU: ${e})`;
        const ev = await this.vm.waitEvent((x) => (x.event === 'DEVICE_DELETED' && x.data?.['device'] === d.name) ||
          (x.event === 'ACPI_DEVICE_OST' && [0x81, 0x82, 0x83].includes(Number((x.data?.['info'] as { status?: number } | undefined)?.status))), 90_000);
        await this.sh('true');
        if (!ev) return 'hang';
        if (ev.event === 'DEVICE_DELETED') { await this.vm.qmpCommand('object-del', { id: `mem-${d.name}` }); return 'ok'; }
        return 'EBUSY';
      }
      case 'online': case 'offline': {
        const blocks = await this.targetBlocks(a.target);
        if (typeof blocks === 'string') return `unsupported: ${blocks}`;
        const value = a.op === 'online' ? a.type : 'offline';
        const limit = a.op === 'offline' && a.timeoutMs !== undefined ? Number(a.timeoutMs) / 1000 : 20;
        for (const b of blocks) {
          const r = await this.sh(`timeout -s INT ${Math.max(1, Math.ceil(limit))} hph write ${mem}/memory${b}/state ${value}`, (limit + 60) * 1000);
          const res = r.output.trim().split('\n').pop() ?? '';
          if (res === 'ok') continue;
          if (res === 'EINTR' && a.op === 'offline' && a.timeoutMs === undefined) return 'hang';
          return res || `rc ${r.rc}`;
        }
        return 'ok';
      }
      case 'remove': return 'unsupported: user space has no direct remove_memory() (only ACPI eject: unplug)';
      case 'alloc': {
        if (a.in && a.in.kind !== 'blocks' && a.in.kind !== 'device') return 'unsupported: alloc in a mapping';
        if (a.node !== undefined && a.node !== 0) return 'unsupported: node other than 0';
        if (a.kind === 'anon') {
          const proc = a.by ?? `_${a.name}`;
          if (!a.by) await this.startProc(proc);
          const out = await this.hpc(proc, `anon ${a.name} ${a.size} ${this.model.knobs.blockSize}`);
          this.allocs.set(a.name, { kind: 'anon', process: proc, size: a.size });
          this.maps.set(a.name, { process: proc, helperName: a.name, size: a.size, touched: new Set([0n]), source: { kind: 'anon', name: a.name }, unmapped: false });
          if (!out.startsWith('ok')) return out;
          if (a.in) {
            const want = this.blocksOf(a.in);
            const got = [...out.matchAll(/memory(\d+)=(\d+)/g)].filter((m) => Array.isArray(want) && want.includes(Number(m[1]))).reduce((s, m) => s + Number(m[2]), 0);
            const pages = Number(a.size / 4096n);
            if (got * 2 < pages) return `misplaced (${got} of ${pages} pages in the target; ${out})`;
          }
          return 'ok';
        }
        if (a.kind === 'slab') {
          const r = await this.sh(`hph slab /tmp/slab-${a.name} ${a.size / 1024n}`, 300_000);
          this.allocs.set(a.name, { kind: 'slab', process: undefined, size: a.size });
          return r.output.trim().split('\n').pop() ?? '';
        }
        return `unsupported: alloc ${a.kind}`;
      }
      case 'free': {
        const al = this.allocs.get(a.alloc);
        if (!al) return 'unsupported: unknown allocation';
        if (al.kind === 'slab') { await this.sh(`rm -rf /tmp/slab-${a.alloc}; echo 3 > /proc/sys/vm/drop_caches`); return 'ok'; }
        const out = await this.hpc(al.process!, `unmap ${a.alloc}`);
        this.maps.get(a.alloc)!.unmapped = true;
        return out;
      }
      case 'mmap': {
        let path: string, size: bigint, kind: 'dax' | 'file';
        if (a.source.kind === 'anon') {
          const al = this.allocs.get(a.source.alloc);
          if (!al || al.process !== a.process) return 'unsupported: mmap of an allocation made by another process';
          this.maps.set(a.name, { ...this.maps.get(a.source.alloc)!, touched: new Set() });
          return 'ok';
        }
        if (a.source.kind === 'dax') {
          const x = this.model.daxes.find((y) => y.name === (a.source as { name: string }).name);
          if (!x) return 'unsupported: mmap of a region';
          path = '/dev/dax0.0'; size = a.size ?? x.dataSize - a.offset; kind = 'dax';
        } else {
          const f = this.model.files.find((y) => y.path === (a.source as { path: string }).path);
          path = a.source.path; size = a.size ?? (f ? f.size - a.offset : 0n); kind = 'file';
        }
        const out = await this.hpc(a.process, `map ${a.name} ${path} ${size} ${a.offset} ${a.private ? 'private' : 'shared'}`);
        if (out === 'ok') this.maps.set(a.name, { process: a.process, helperName: a.name, size, touched: new Set(), source: { kind, name: a.source.kind === 'dax' ? a.source.name : a.source.path }, unmapped: false });
        return out;
      }
      case 'munmap': {
        const m = this.maps.get(a.mapping);
        if (!m) return 'unsupported: unknown mapping';
        m.unmapped = true;
        return this.hpc(m.process, `unmap ${m.helperName}`);
      }
      case 'touch': {
        const m = this.maps.get(a.mapping);
        if (!m) return 'unsupported: unknown mapping';
        const off = a.offset - (a.offset % 4096n);
        const out = await this.hpc(m.process, `touch ${m.helperName} ${off} ${a.write ? 'w' : 'r'}`);
        if (out === 'ok') m.touched.add(off);
        return out.startsWith('SIGBUS') ? 'SIGBUS' : out;
      }
      case 'pin': case 'unpin': {
        const m = this.maps.get(a.mapping);
        if (!m) return 'unsupported: unknown mapping';
        if (a.op === 'pin' && (!a.longterm || a.fast)) return 'unsupported: only `pin M longterm` (io_uring fixed buffers) is replayed';
        return this.hpc(m.process, `${a.op} ${m.helperName}`);
      }
      case 'poison': case 'soft-offline': {
        const by = a.op === 'poison' ? a.by : undefined;
        const pages = a.op === 'poison' ? Number(a.pages) : 1;
        let res = 'ok';
        for (let i = 0; i < pages; i++) {
          const off = a.offset + BigInt(i) * 4096n;
          if (a.target.kind === 'mapping' || a.target.kind === 'alloc') {
            const m = this.maps.get(a.target.name);
            if (!m) return 'unsupported: unknown target';
            if (by !== undefined && by !== m.process) return 'unsupported: poison by a process that does not map the target';
            if (by !== undefined || a.op === 'soft-offline') {
              const out = await this.hpc(m.process, `${a.op === 'poison' ? 'poison' : 'soft'} ${m.helperName} ${off}`);
              res = out.startsWith('SIGBUS') ? 'ok' : out;
              // `by P` means P consumes the poison (MF_ACTION_REQUIRED): when madvise returned
              // without a signal (6.1 signals only on access), P reads the page.
              if (a.op === 'poison' && out === 'ok') await this.hpc(m.process, `touch ${m.helperName} ${off} r`);
            } else {
              const w = await this.hpc(m.process, `where ${m.helperName} ${off}`, true);
              const pm = /^present (0x[0-9a-f]+)/.exec(w);
              if (!pm) return `unsupported: the page is not mapped (${w}), so its pfn is unknown`;
              res = this.mce && a.op === 'poison' ? await this.machineCheck(BigInt(pm[1]!) * 4096n) : await this.writeSys(`${mem}/hard_offline_page`, hex(BigInt(pm[1]!) * 4096n));
            }
          } else {
            const blocks = this.blocksOf(a.target);
            if (typeof blocks === 'string') return `unsupported: ${blocks}`;
            const phys = BigInt(blocks[0]!) * this.model.knobs.blockSize + off;
            res = this.mce && a.op === 'poison' ? await this.machineCheck(phys) : await this.writeSys(`${mem}/${a.op === 'poison' ? 'hard_offline_page' : 'soft_offline_page'}`, hex(phys));
          }
          if (res !== 'ok') return res;
        }
        return res;
      }
      case 'unpoison': {
        // hwpoison_inject's debugfs unpoison-pfn → unpoison_memory(pfn). The replay's `poison` is
        // software injection (hard_offline_page, MADV_HWPOISON: MF_SW_SIMULATED), which leaves
        // unpoison enabled; the simulator's `poison` is a hardware failure, which disables it.
        const refused = unpoisonRefusal(this.model, a.line);
        if (refused) return refused;
        let phys: bigint;
        if (a.target.kind === 'mapping' || a.target.kind === 'alloc') {
          const m = this.maps.get(a.target.name);
          if (!m) return 'unsupported: unknown target';
          const w = await this.hpc(m.process, `where ${m.helperName} ${a.offset - (a.offset % 4096n)}`, true);
          const pm = /^present (0x[0-9a-f]+)/.exec(w);
          if (!pm) return `unsupported: the page is not mapped (${w}), so its pfn is unknown`;
          phys = BigInt(pm[1]!) * 4096n;
        } else {
          const blocks = this.blocksOf(a.target);
          if (typeof blocks === 'string') return `unsupported: ${blocks}`;
          phys = BigInt(blocks[0]!) * this.model.knobs.blockSize + a.offset;
        }
        return this.writeSys('/sys/kernel/debug/hwpoison/unpoison-pfn', hex(phys / 4096n));
      }
      case 'unbind': case 'bind': {
        const vd = this.model.devices.find((y) => y.name === a.device && y.kind === 'virtio-mem');
        if (vd && a.op === 'unbind') {
          if (!this.virtioDev) return 'ENXIO';
          const res = await this.writeSys('/sys/bus/virtio/drivers/virtio_mem/unbind', this.virtioDev);
          if (res !== 'ok') return res;
          this.virtioDev = '';
          if (this.stepLogHas('device still has system memory added')) { this.virtioLeaked = true; return 'leaked'; }
          return 'ok';
        }
        const x = this.model.daxes.find((y) => y.name === a.device);
        if (!x) return `unsupported: ${a.op} of a non-dax device`;
        if (a.op === 'unbind') {
          let r: CommandResult;
          if (x.mode === 'fsdax') r = await this.sh(`hph write /sys/bus/nd/drivers/nd_pmem/unbind ${this.pfnDev}`);
          else {
            const drv = (await this.sh('basename $(readlink /sys/bus/dax/devices/dax0.0/driver) 2>/dev/null')).output.trim();
            r = await this.sh(`hph write /sys/bus/dax/drivers/${drv || 'device_dax'}/unbind dax0.0`);
          }
          this.unboundDax.add(x.name);
          const res = r.output.trim().split('\n').pop() ?? '';
          if (res === 'ok' && this.stepLogHas('cannot be hotremoved until the next reboot')) { this.kmemLeaked.add(x.name); return 'leaked'; }
          return res;
        }
        const drv = a.driver === 'kmem' ? 'kmem' : 'device_dax';
        const r = await this.sh(`hph write /sys/bus/dax/drivers/${drv}/bind dax0.0`);
        const res = r.output.trim().split('\n').pop() ?? '';
        if (res === 'ok') this.unboundDax.delete(x.name);
        return res;
      }
      case 'reconfigure': {
        const x = this.model.daxes.find((y) => y.name === a.device);
        if (!x) return 'unsupported: reconfigure of a non-dax device';
        const flags = [a.mode === 'system-ram' && a.noOnline ? '--no-online' : '', a.noMovable ? '--no-movable' : '', a.force ? '--force' : ''].filter(Boolean).join(' ');
        const r = await this.sh(`daxctl reconfigure-device --mode=${a.mode} ${flags} dax0.0 2>&1`, 300_000);
        if (r.rc === 0) return 'ok';
        return errnoFromText(r.output) ?? `rc ${r.rc}: ${r.output.split('\n').slice(-1)[0]}`;
      }
      case 'mount': case 'umount': {
        const f = this.model.filesystems.find((y) => y.name === a.fs)!;
        if (!f.mountPoint) return 'unsupported: a filesystem without a mount point';
        const r = await this.sh(a.op === 'mount' ? `mount -t ${f.type} -o dax /dev/pmem0 ${f.mountPoint} 2>&1` : `umount ${f.mountPoint} 2>&1`, 120_000);
        if (a.op === 'mount' && r.rc === 0) this.allLogSinceMount.set(f.name, []);
        if (r.log.some((l) => /BUG: |Oops|unable to handle page fault/.test(l))) return 'oops';
        if (r.rc === 0) return 'ok';
        return errnoFromText(r.output) ?? `rc ${r.rc}: ${r.output}`;
      }
      case 'exit': {
        const out = await this.hpc(a.process, 'exit');
        this.procs.get(a.process)!.exists = false;
        for (const m of this.maps.values()) if (m.process === a.process) m.unmapped = true;
        return out;
      }
      default: return `unsupported: ${a.op}`;
    }
  }

  private stepLogHas(text: string): boolean { return this.stepLog.some((l) => l.includes(text)); }

  private async writeSys(path: string, value: string): Promise<string> {
    const r = await this.sh(`hph write ${path} ${value}`);
    return r.output.trim().split('\n').pop() ?? '';
  }

  private async blockInfos(blocks: number[]): Promise<{ state: string; zones: string }[]> {
    const r = await this.sh(`for b in ${blocks.join(' ')}; do d=/sys/devices/system/memory/memory$b; if [ -e $d ]; then echo "$(cat $d/state) $(cat $d/valid_zones)"; else echo removed; fi; done`);
    return r.output.trim().split('\n').map((l) => {
      const [state, ...zones] = l.trim().split(/\s+/);
      return { state: state ?? '', zones: zones.join(' ') };
    });
  }

  /** What the kernel shows for an expectation: [holds, what was observed]. */
  async expect(e: Expectation): Promise<[boolean, string] | string> {
    switch (e.check) {
      case 'blockState': case 'zone': {
        if (e.check === 'blockState' && e.state === 'leaked') {
          const vd = this.model.devices.find((d) => d.kind === 'virtio-mem' && d.name === (e.target as { name?: string }).name);
          if (vd) {
            const r = await this.sh("grep -c 'System RAM (virtio_mem)' /proc/iomem; ls /sys/bus/virtio/drivers/virtio_mem/ | grep -c '^virtio'");
            const [count, bound] = r.output.trim().split('\n');
            const leaked = Number(count) > 0 && Number(bound) === 0;
            return [leaked, leaked ? 'System RAM (virtio_mem) still in /proc/iomem, virtio_mem unbound' : `virtio_mem resources ${count}, driver ${Number(bound) ? 'bound' : 'unbound'}`];
          }
          const x = this.model.daxes.find((y) => y.name === (e.target as { name?: string }).name);
          if (!x) return 'unsupported: leaked on a non-dax target';
          const r = await this.sh("grep -c 'System RAM (kmem)' /proc/iomem; readlink /sys/bus/dax/devices/dax0.0/driver || echo unbound");
          const [count, drv] = r.output.trim().split('\n');
          const leaked = Number(count) > 0 && !(drv ?? '').endsWith('kmem');
          return [leaked, leaked ? 'System RAM (kmem) still claimed, kmem unbound' : `kmem resources ${count}, driver ${drv}`];
        }
        if (e.check === 'blockState' && e.state === 'absent') {
          const name = (e.target as { name?: string }).name;
          if (name === undefined) return 'unsupported: absent on blocks';
          const present = (await this.vm.qmpCommand('qom-get', { path: `/machine/peripheral/${name}`, property: 'addr' })) === undefined;
          return [!present, present ? 'present (QEMU still has the device)' : 'absent'];
        }
        const blocks = await this.targetBlocks(e.target);
        if (typeof blocks === 'string') return `unsupported: ${blocks}`;
        const infos = await this.blockInfos(blocks);
        if (e.check === 'blockState') {
          const states = infos.map((i) => i.state);
          const holds = states.every((s) => s === e.state);
          return [holds, summarize(blocks, states)];
        }
        const zoneOf = (i: { state: string; zones: string }): string => i.state === 'online' ? i.zones.toLowerCase() : `${i.state}`;
        const zs = infos.map(zoneOf);
        return [zs.every((z) => z === e.zone), summarize(blocks, zs)];
      }
      case 'mapping': {
        const m = this.maps.get(e.mapping);
        if (!m) return 'unsupported: unknown mapping';
        if (m.unmapped || !this.procs.get(m.process)?.exists) return [e.state === 'gone', 'gone'];
        const offs = m.touched.size ? [...m.touched] : [0n];
        const seen = new Set<string>();
        for (const o of offs) {
          const w = await this.hpc(m.process, `where ${m.helperName} ${o}`, true);
          seen.add(w.startsWith('present') ? 'present' : w);
        }
        const devGone = m.source.kind !== 'anon' && this.model.daxes.some((x) => this.unboundDax.has(x.name));
        let state: string;
        if (seen.has('swap')) state = 'poisoned';
        else if (seen.has('present')) state = devGone ? 'stale' : 'valid';
        else state = m.touched.size === 0 && !devGone ? 'valid' : 'zapped';
        if (state === 'stale') this.staleSeen = true;
        return [state === e.state, `${state} (pagemap: ${[...seen].join(', ')})`];
      }
      case 'process': {
        const p = this.procs.get(e.process);
        if (!p) return 'unsupported: unknown process';
        if (p.exists) {
          const r = await this.sh(`kill -0 $(cat /run/hp/${e.process}.pid) 2>/dev/null && echo alive || echo dead`);
          if (r.output.includes('dead')) { p.exists = false; p.killed = true; }
        }
        const s = p.killed || await this.asyncKilled(e.process) ? 'killed' : 'alive';
        return [s === e.state, s];
      }
      case 'signal': case 'noSignal': {
        const r = await this.sh(`cat /run/hp/${e.process}.sig 2>/dev/null`);
        const sigs = r.output.split('\n').filter((l) => l.startsWith('SIGBUS'));
        const shown = sigs.length ? sigs.map((l) => l.split(' ').slice(0, 3).join(' ')).join('; ') : 'no signal';
        if (e.check === 'noSignal') return [sigs.length === 0, shown];
        return [sigs.some((l) => l.startsWith(e.signal) && (e.code === undefined || l.split(' ')[1] === e.code)), shown];
      }
      case 'fs': {
        const f = this.model.filesystems.find((y) => y.name === e.fs)!;
        const r = await this.sh(`grep -c ' ${f.mountPoint ?? '/nonexistent'} ' /proc/mounts`);
        const mounted = Number(r.output.trim()) > 0;
        const log = this.allLogSinceMount.get(f.name) ?? [];
        const shut = log.some((l) => /shut down requested|[Ss]hutting down filesystem|shutdown received|Corruption of on-disk metadata|Block device removal|Filesystem has been shut down/.test(l));
        const state = !mounted ? 'unmounted' : shut ? 'shutdown' : 'mounted';
        return [state === e.state, state];
      }
      case 'poisoned': {
        const t = e.target;
        if (t.kind === 'mapping' || t.kind === 'alloc') {
          const m = this.maps.get(t.name);
          if (!m || !this.procs.get(m.process)?.exists) return 'unsupported: the owner of the target is gone; its pages cannot be counted';
          const n = await this.hpc(m.process, `pcount ${m.helperName}`, true);
          return [BigInt(n || '-1') === e.count, `${n} hwpoison entries in the mapping`];
        }
        const blocks = this.blocksOf(t);
        if (typeof blocks === 'string') return `unsupported: ${blocks}`;
        const bs = this.model.knobs.blockSize;
        const r = await this.sh(`hph hwcount ${hex(BigInt(blocks[0]!) * bs)} ${hex(BigInt(blocks.length) * bs)}`);
        const n = r.output.trim();
        return [BigInt(/^\d+$/.test(n) ? n : '-1') === e.count, `${n} HWPOISON pfns (kpageflags)`];
      }
      case 'crash': {
        await this.sh('true');
        const crashed = this.crashed || this.vm.exited;
        return [e.negated ? !crashed : crashed, crashed ? 'crashed' : 'running'];
      }
      case 'log': {
        const holds = this.stepLogHas(e.text);
        return [holds, holds ? 'printed' : `not printed (${this.stepLog.length} lines this step)`];
      }
      case 'hazard': {
        if (e.hazard === 'stale-mapping') return [this.staleSeen, this.staleSeen ? 'a mapping stayed present after unbind' : 'no stale mapping seen'];
        if (e.hazard === 'burned-range') {
          const burned = this.kmemLeaked.size > 0 || this.virtioLeaked;
          return [burned, this.kmemLeaked.size ? 'kmem said "cannot be hotremoved until the next reboot"' : this.virtioLeaked ? 'virtio_mem said "device still has system memory added"' : 'no leak message'];
        }
        if (e.hazard === 'crash') return [this.oopsSeen || this.crashed, this.oopsSeen ? 'oops in the kernel log' : this.crashed ? 'guest died' : 'no oops'];
        return `unsupported: hazard ${e.hazard} is not observable from the guest`;
      }
      case 'noHazard': return 'unsupported: "no hazard" is a judgement of the simulator; nothing in the guest shows it';
    }
  }
}

/**
 * Why an `unpoison` on line `line` (0-based) cannot be compared, or undefined. The replay's `poison`
 * is software injection (hard_offline_page, MADV_HWPOISON: MF_SW_SIMULATED), which leaves
 * unpoison_memory() enabled; the simulator's `poison` is a hardware failure, after which the kernel
 * refuses every unpoison (-EOPNOTSUPP, brief S37). So once a `poison` ran, the two would differ
 * because of the replay, not the kernel.
 */
export function unpoisonRefusal(model: Model, line: number): string | undefined {
  const before = poisonsBefore(model, line);
  // A `poison` without `by` is then a machine check (machineCheckPoison); one `by P` is MADV_HWPOISON.
  return before.length > 0 && !before.some((a) => a.by === undefined)
    ? 'unsupported: unpoison after `poison … by P` only: the replay consumes poison with MADV_HWPOISON, a software injection (MF_SW_SIMULATED) that leaves unpoison enabled; the simulator\'s `poison` is a hardware failure, after which unpoison is disabled (-EOPNOTSUPP)'
    : undefined;
}

function poisonsBefore(model: Model, line: number): Extract<Action, { op: 'poison' }>[] {
  return model.steps.flatMap((st) => st.items).flatMap((i) => (i.kind === 'action' && i.action.op === 'poison' && i.action.line < line ? [i.action] : []));
}

/**
 * Whether the scenario's `poison` statements without `by` are injected as real machine checks:
 * when an `unpoison` follows one, the kernel must see a hardware memory failure (hw_memory_failure,
 * which disables unpoison) as the simulator has it. hard_offline_page and MADV_HWPOISON are
 * software injection. The guest then gets an Intel CPU model (QEMU's default qemu64 is AMD, whose
 * MCA without SUCCOR panics on any uncorrected error) and QEMU's HMP `mce` injects an SRAO memory
 * error (MCi_STATUS VAL|UC|EN|MISCV|ADDRV|S, MCACOD 0xc0, physical address mode) that the guest's
 * MCE handler hands to memory_failure(pfn, 0).
 */
export function machineCheckPoison(model: Model): boolean {
  return model.steps.flatMap((st) => st.items).some((i) => i.kind === 'action' && i.action.op === 'unpoison' && poisonsBefore(model, i.action.line).some((a) => a.by === undefined));
}

export const MCE_CPU = 'qemu64,vendor=GenuineIntel,family=6,model=85,stepping=4';

function summarize(blocks: number[], values: string[]): string {
  const runs: string[] = [];
  for (let i = 0; i < blocks.length;) {
    let j = i;
    while (j + 1 < blocks.length && values[j + 1] === values[i]) j++;
    runs.push(`memory${blocks[i]}${j > i ? `..memory${blocks[j]}` : ''} ${values[i]}`);
    i = j + 1;
  }
  return runs.join(', ');
}

const ERRNO_TEXT: [RegExp, string][] = [
  [/Device or resource busy/i, 'EBUSY'], [/Invalid argument/i, 'EINVAL'], [/No such device or address/i, 'ENXIO'],
  [/Operation not supported/i, 'EOPNOTSUPP'], [/Cannot allocate memory|Out of memory/i, 'ENOMEM'], [/File exists/i, 'EEXIST'],
  [/Operation not permitted/i, 'EPERM'], [/Input\/output error/i, 'EIO'], [/Interrupted system call/i, 'EINTR'],
];

function errnoFromText(text: string): string | undefined {
  for (const [re, name] of ERRNO_TEXT) if (re.test(text)) return name;
  return undefined;
}

/** The simulator's result of an action line (the first event of that statement). */
function simResult(tl: Timeline, line: number, op: string): string {
  const events: EventView[] = tl.steps.flatMap((s) => s.events).filter((e) => e.line === line);
  const e = events.find((x) => x.kind === op) ?? events.find((x) => x.result === 'SIGBUS') ?? events.find((x) => x.kind !== 'hazard' && x.kind !== 'exit');
  return e ? e.result : 'not reached';
}

export interface ReplayOptions {
  readonly kernelImage?: string;
  /** Called with each finished line (for live output). */
  readonly onLine?: (l: LineReport) => void;
}

export async function replayScenario(file: string, text: string, options: ReplayOptions = {}): Promise<ReplayReport> {
  const t0 = Date.now();
  const analysis = analyze(text);
  const model = analysis.model;
  const lines = text.split(/\r?\n/);
  const index = createLineIndex(text);
  const version = formatVersion(model.kernel);
  const empty = (why: string, kernel?: RealKernel): ReplayReport => ({ file, kernel, cannotRun: why, lines: [], bootMs: 0, totalMs: Date.now() - t0 });
  if (!analysis.timeline) return empty('the scenario has errors in its machine declarations; nothing to replay');
  const tl = analysis.timeline;
  const problem = machineProblem(model);
  if (problem) return empty(`the machine cannot be emulated: ${problem}`);
  const kernel = pickKernel(version, options.kernelImage);
  if (typeof kernel === 'string') return empty(kernel);
  const failedExpect = new Set(analysis.diagnostics.filter((d) => d.code === 'HL5002').map((d) => index.position(d.start).line));

  const pmem = model.devices.find((d) => d.kind === 'pmem');
  const ram = model.devices.find((d) => d.kind === 'ram')!;
  const vm = new Vm();
  const report: LineReport[] = [];
  const addLine = (l: LineReport): void => { report.push(l); options.onLine?.(l); };
  let bootMs = 0;
  try {
    await vm.boot({
      kernel: kernel.image, initrd: kernel.initrd, memory: `${ram.size / MiB}M`,
      ...(pmem ? { nvdimm: { id: pmem.name, size: pmem.size, addr: pmem.base } } : {}),
      virtioMem: model.devices.filter((d) => d.kind === 'virtio-mem').map((d) => ({ id: d.name, size: d.size, addr: d.base, requested: 0n, ...(d.deviceBlockSize ? { blockSize: d.deviceBlockSize } : {}) })),
      ...(machineCheckPoison(model) ? { cpu: MCE_CPU } : {}),
      coldDimms: model.devices.filter((d) => d.kind === 'dimm' && d.present).map((d) => ({ id: d.name, size: d.size, addr: d.base })),
      // Module parameters on the command line are handed to insmod by the guest's init (as modprobe would).
      append: [model.knobs.memmapOnMemory !== 'off' ? `memory_hotplug.memmap_on_memory=${model.knobs.memmapOnMemory === 'force' ? 'force' : '1'}` : '',
        knob(model, 'virtioMemForceBbm') === true ? 'virtio_mem.force_bbm=1' : '',
        typeof knob(model, 'virtioMemBbmBlockSize') === 'bigint' && knob(model, 'virtioMemBbmBlockSize') !== 0n ? `virtio_mem.bbm_block_size=${String(knob(model, 'virtioMemBbmBlockSize'))}` : ''].filter(Boolean).join(' '),
    });
    bootMs = Date.now() - t0;
    const r = new Replayer(vm, model);
    const setupError = await r.bootSetup();
    if (setupError) return { file, kernel, cannotRun: setupError, lines: report, bootMs, totalMs: Date.now() - t0 };
    for (const step of model.steps) {
      r.startStep();
      for (const item of step.items) {
        const line = item.kind === 'action' ? item.action.line : item.expect.line;
        const src = (lines[line] ?? '').trim();
        const ts = Date.now();
        const add = (l: LineReport): void => addLine({ ...l, ms: Date.now() - ts });
        if (item.kind === 'action') {
          const a = item.action;
          const sim = simResult(tl, line, a.op);
          const before = vm.exited;
          const mark = r.logLength;
          const real = before ? 'not reached (guest died)' : await r.action(a);
          if (real.startsWith('unsupported')) { add({ line: line + 1, text: src, verdict: 'unsupported', simulator: sim, kernel: real, log: [] }); continue; }
          add({ line: line + 1, text: src, verdict: real === sim ? 'pass' : 'fail', simulator: sim, kernel: real, log: r.logFrom(mark) });
        } else {
          const simHolds = !failedExpect.has(line);
          const real = await r.expect(item.expect);
          if (typeof real === 'string') { add({ line: line + 1, text: src, verdict: 'unsupported', simulator: simHolds ? 'holds' : 'fails', kernel: real, log: [] }); continue; }
          add({ line: line + 1, text: src, verdict: real[0] === simHolds ? 'pass' : 'fail', simulator: simHolds ? 'holds' : 'fails', kernel: `${real[0] ? 'holds' : 'fails'}: ${real[1]}`, log: [] });
        }
      }
    }
  } catch (e) {
    return { file, kernel, cannotRun: `replay failed: ${(e as Error).message}`, lines: report, bootMs, totalMs: Date.now() - t0 };
  } finally {
    await vm.stop();
  }
  return { file, kernel, lines: report, bootMs, totalMs: Date.now() - t0 };
}

const MARK: Record<Verdict, string> = { pass: '✓', fail: '✗', unsupported: '–' };

export function formatLine(l: LineReport): string {
  const head = `${MARK[l.verdict]} ${String(l.line).padStart(3)}  ${l.text}`;
  if (l.verdict === 'pass') return `${head.padEnd(60)}  ${l.kernel}${l.ms !== undefined && l.ms > 3000 ? `  (${(l.ms / 1000).toFixed(0)} s)` : ''}`;
  if (l.verdict === 'unsupported') return `${head.padEnd(60)}  UNSUPPORTED ${l.kernel.replace(/^unsupported: /, '')}`;
  const log = l.log.filter((x) => !x.startsWith('raw: ')).slice(0, 8).map((x) => `\n        | ${x}`).join('');
  return `${head}\n        simulator: ${l.simulator}\n        kernel:    ${l.kernel}${log}`;
}

export function formatReport(r: ReplayReport): string {
  const out: string[] = [];
  out.push(`replay ${r.file} on ${r.kernel ? `Linux ${r.kernel.release}` : 'no kernel'}${r.bootMs ? ` (boot ${(r.bootMs / 1000).toFixed(1)} s, total ${(r.totalMs / 1000).toFixed(1)} s)` : ''}`);
  if (r.cannotRun) out.push(`  cannot replay: ${r.cannotRun}`);
  const unsupported = r.lines.filter((l) => l.verdict === 'unsupported');
  if (unsupported.length) out.push(`  not replayed (${unsupported.length}): ${unsupported.map((l) => `line ${l.line}`).join(', ')}`);
  const pass = r.lines.filter((l) => l.verdict === 'pass').length, fail = r.lines.filter((l) => l.verdict === 'fail').length;
  out.push(`  ${pass} agree, ${fail} disagree, ${unsupported.length} not replayed`);
  return out.join('\n');
}
