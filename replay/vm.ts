// One QEMU guest: the serial line carries a tiny command protocol (guest/agent), QMP drives the
// virtual hardware. Software emulation (TCG) only; nothing here needs KVM.

import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, type Socket } from 'node:net';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CommandResult {
  /** The command's stdout and stderr. */
  readonly output: string;
  /** Kernel log lines printed while it ran (dmesg -c). */
  readonly log: string[];
  readonly rc: number;
}

export interface VmOptions {
  readonly kernel: string;
  readonly initrd: string;
  readonly memory: string;
  readonly nvdimm?: { readonly id: string; readonly size: bigint; readonly addr: bigint };
  readonly coldDimms?: readonly { readonly id: string; readonly size: bigint; readonly addr: bigint }[];
  /** virtio-mem-pci devices (memaddr = the guest physical address; requested-size set later by QMP). */
  readonly virtioMem?: readonly { readonly id: string; readonly size: bigint; readonly addr: bigint; readonly requested: bigint; readonly blockSize?: bigint }[];
  readonly append?: string;
  /** -cpu MODEL (default: QEMU's qemu64). */
  readonly cpu?: string;
  readonly bootTimeoutMs?: number;
}

const SETPRIV = '/usr/bin/setpriv';

export interface QmpEvent { readonly event: string; readonly data?: Record<string, unknown> }

export class Vm {
  private proc!: ChildProcess;
  private qmp!: Socket;
  private buf = '';
  private lines: string[] = [];
  private waiters: (() => void)[] = [];
  private qmpBuf = '';
  private qmpPending: ((r: { return?: unknown; error?: { desc: string } }) => void)[] = [];
  readonly events: QmpEvent[] = [];
  private nextId = 1;
  private dir = mkdtempSync(join(tmpdir(), 'hotplug-replay-'));
  exited = false;
  /** Console lines outside command blocks (panics, early boot). */
  readonly console: string[] = [];
  kernelRelease = '';

  async boot(o: VmOptions): Promise<void> {
    const sock = join(this.dir, 'qmp.sock');
    // no_timer_check: under TCG on a busy host the IO-APIC timer test at boot can miss its ticks and
    // panic ("IO-APIC + timer doesn't work!"; seen once in a full suite run).
    const args = ['-machine', `pc,accel=tcg${o.nvdimm ? ',nvdimm=on' : ''}`, '-m', `${o.memory},slots=4,maxmem=8G`, ...(o.cpu ? ['-cpu', o.cpu] : []), '-smp', '1',
      '-display', 'none', '-nodefaults', '-monitor', 'none', '-serial', 'stdio', '-no-reboot', '-qmp', `unix:${sock},server=on,wait=off`,
      '-kernel', o.kernel, '-initrd', o.initrd,
      '-append', `console=ttyS0 panic=-1 loglevel=1 nokaslr no_timer_check memhp_default_state=offline ${o.append ?? ''}`.trim()];
    if (o.nvdimm) {
      args.push('-object', `memory-backend-file,id=mem-${o.nvdimm.id},share=on,mem-path=${join(this.dir, 'nvdimm.img')},size=${o.nvdimm.size}`,
        '-device', `nvdimm,id=${o.nvdimm.id},memdev=mem-${o.nvdimm.id},addr=0x${o.nvdimm.addr.toString(16)}`);
    }
    for (const d of o.coldDimms ?? []) {
      args.push('-object', `memory-backend-ram,id=mem-${d.id},size=${d.size}`, '-device', `pc-dimm,id=${d.id},memdev=mem-${d.id},addr=0x${d.addr.toString(16)}`);
    }
    for (const v of o.virtioMem ?? []) {
      args.push('-object', `memory-backend-ram,id=mem-${v.id},size=${v.size}`,
        '-device', `virtio-mem-pci,id=${v.id},memdev=mem-${v.id},node=0,requested-size=${v.requested},memaddr=0x${v.addr.toString(16)}${v.blockSize ? `,block-size=${v.blockSize}` : ''}`);
    }
    // setpriv --pdeathsig: QEMU dies with the replaying process, however that ends (a killed
    // `conformance.ts` used to leave its guests running); setpriv execs QEMU in place.
    const qemu = process.env.HOTPLUG_QEMU ?? 'qemu-system-x86_64';
    this.proc = existsSync(SETPRIV)
      ? spawn(SETPRIV, ['--pdeathsig', 'KILL', qemu, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
      : spawn(qemu, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.on('exit', () => { this.exited = true; this.wake(); });
    this.proc.stdout!.setEncoding('utf8');
    this.proc.stdout!.on('data', (d: string) => {
      this.buf += d.replace(/\r/g, '');
      let i;
      while ((i = this.buf.indexOf('\n')) >= 0) { this.lines.push(this.buf.slice(0, i)); this.buf = this.buf.slice(i + 1); }
      this.wake();
    });
    this.proc.stderr!.setEncoding('utf8');
    this.proc.stderr!.on('data', (d: string) => { this.console.push(...d.split('\n').filter(Boolean).map((l) => `qemu: ${l}`)); });
    const deadline = Date.now() + (o.bootTimeoutMs ?? 120_000);
    for (;;) {
      const l = await this.nextLine(deadline);
      if (l === undefined) {
        const why = this.console.filter((x) => /WARNING|BUG|panic|Oops|error/i.test(x)).slice(0, 3);
        throw new Error(`the guest did not boot${this.exited ? '' : ` within ${((o.bootTimeoutMs ?? 120_000) / 1000).toFixed(0)} s`}: ${[...why, '…', ...this.console.slice(-3)].join(' | ')}`);
      }
      const m = /@@READY (\S+)/.exec(l);
      if (m) { this.kernelRelease = m[1]!; break; }
      this.console.push(l);
    }
    await this.connectQmp(sock);
  }

  private wake(): void { const w = this.waiters; this.waiters = []; for (const f of w) f(); }

  private async nextLine(deadline: number): Promise<string | undefined> {
    while (this.lines.length === 0) {
      if (this.exited || Date.now() > deadline) return undefined;
      await new Promise<void>((res) => { const t = setTimeout(res, Math.max(1, Math.min(1000, deadline - Date.now()))); this.waiters.push(() => { clearTimeout(t); res(); }); });
    }
    return this.lines.shift();
  }

  /** Runs one shell command in the guest; rc -1 when the guest died or the command timed out. */
  async run(cmd: string, timeoutMs = 120_000): Promise<CommandResult> {
    if (cmd.includes('\n')) throw new Error('one line per command');
    const id = this.nextId++;
    if (this.exited) return { output: '', log: [], rc: -1 };
    this.proc.stdin!.write(`@@C ${id} ${cmd}\n`);
    const deadline = Date.now() + timeoutMs;
    let phase: 'wait' | 'out' | 'log' = 'wait';
    const out: string[] = [], log: string[] = [];
    for (;;) {
      const l = await this.nextLine(deadline);
      if (l === undefined) return { output: out.join('\n'), log: [...log, ...this.console.splice(0)], rc: -1 };
      if (l === `@@O ${id}`) { phase = 'out'; continue; }
      if (l === `@@K ${id}`) { phase = 'log'; continue; }
      const e = /^@@E (\d+) (\d+)$/.exec(l);
      if (e && Number(e[1]) === id) return { output: out.join('\n'), log, rc: Number(e[2]) };
      if (phase === 'out') out.push(l);
      else if (phase === 'log') log.push(l.replace(/^\[\s*\d+\.\d+\]\s?/, ''));
      else this.console.push(l);
    }
  }

  private async connectQmp(sock: string): Promise<void> {
    for (let i = 0; i < 100 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
    this.qmp = createConnection(sock);
    this.qmp.setEncoding('utf8');
    this.qmp.on('data', (d: string) => {
      this.qmpBuf += d;
      let i;
      while ((i = this.qmpBuf.indexOf('\n')) >= 0) {
        const line = this.qmpBuf.slice(0, i).trim();
        this.qmpBuf = this.qmpBuf.slice(i + 1);
        if (!line) continue;
        const msg = JSON.parse(line) as { QMP?: unknown; event?: string; data?: Record<string, unknown>; return?: unknown; error?: { desc: string } };
        if (msg.QMP) continue;
        if (msg.event) { this.events.push({ event: msg.event, ...(msg.data ? { data: msg.data } : {}) }); continue; }
        this.qmpPending.shift()?.(msg);
      }
    });
    this.qmp.on('error', () => undefined);
    await new Promise<void>((res, rej) => { this.qmp.once('connect', () => res()); this.qmp.once('error', rej); });
    await this.qmpCommand('qmp_capabilities');
  }

  /** One QMP command's return value, or { error }. */
  qmpQuery(execute: string, args?: Record<string, unknown>): Promise<{ return?: unknown; error?: string }> {
    return new Promise((res) => {
      this.qmpPending.push((r) => res(r.error ? { error: r.error.desc } : { return: r.return }));
      this.qmp.write(JSON.stringify(args ? { execute, arguments: args } : { execute }) + '\n');
    });
  }

  /** One QMP command; resolves with its error description, or undefined on success. */
  qmpCommand(execute: string, args?: Record<string, unknown>): Promise<string | undefined> {
    return new Promise((res) => {
      this.qmpPending.push((r) => res(r.error ? r.error.desc : undefined));
      this.qmp.write(JSON.stringify(args ? { execute, arguments: args } : { execute }) + '\n');
    });
  }

  async waitEvent(pred: (e: QmpEvent) => boolean, timeoutMs: number): Promise<QmpEvent | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.events.findIndex(pred);
      if (i >= 0) return this.events.splice(i, 1)[0];
      if (Date.now() > deadline || this.exited) return undefined;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    if (!this.exited) {
      this.proc.kill('SIGTERM');
      await new Promise<void>((res) => { if (this.exited) res(); else this.proc.once('exit', () => res()); setTimeout(res, 3000); });
    }
    this.qmp?.destroy();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
