// Lanes over time: one row per device, mapping, process and filesystem, one cell per step.
// Each cell says what the thing was after that step; events are placed on their subject's row.
import type { BlockRun, DeviceView, StepView, Timeline } from '../language-server/protocol/index.js';
import type { Token } from './palette.js';

export type LaneGroup = 'machine' | 'device' | 'mapping' | 'process' | 'fs';

export interface Cell {
  readonly text: string;
  readonly token: Token;
  readonly hazard: boolean;
  /** Compare mode: this cell differs from the other kernel's. */
  readonly diff?: boolean;
}

export interface Lane {
  readonly key: string;
  readonly label: string;
  readonly group: LaneGroup;
  readonly cells: readonly Cell[];
}

const EMPTY: Cell = { text: '', token: 'empty', hazard: false };

export function zoneToken(zone: BlockRun['zone']): Token {
  switch (zone) {
    case 'dma': case 'dma32': return 'zone-dma';
    case 'normal': return 'zone-normal';
    case 'movable': return 'zone-movable';
    default: return 'zone-none';
  }
}

/** A block run's colour: burned wins (it is a hazard), then state, then zone. */
export function blockToken(run: BlockRun): Token {
  if (run.burned) return 'burned';
  if (run.state === 'removed') return 'removed';
  if (run.state === 'absent') return 'absent';
  if (run.state === 'offline' || run.state === 'going-offline') return 'offline';
  return zoneToken(run.zone);
}

function deviceCell(dev: DeviceView, runs: readonly BlockRun[]): Cell {
  if (!dev.present) return { text: dev.status || 'absent', token: 'absent', hazard: false };
  const mine = runs.filter((r) => r.owner === dev.name);
  const burned = mine.some((r) => r.burned);
  let token: Token;
  if (burned) token = 'burned';
  else if (dev.replaced) token = 'hazard';
  else if (mine.length > 0) token = blockToken(mine.find((r) => r.state === 'online') ?? mine[0]!);
  else if (dev.driver === 'fsdax' || dev.driver === 'device_dax' || dev.mode === 'fsdax' || dev.mode === 'devdax') token = 'zone-device';
  else token = 'zone-none';
  return { text: dev.status, token, hazard: burned || dev.replaced };
}

const MAPPING_TOKENS: Readonly<Record<string, Token>> = {
  valid: 'valid', zapped: 'zapped', stale: 'stale', poisoned: 'poison', gone: 'gone',
};

function machineCell(step: StepView): Cell {
  const s = step.state;
  if (s.crashed) return { text: `CRASHED${s.crashReason ? `: ${s.crashReason}` : ''}`, token: 'crash', hazard: true };
  return { text: 'running', token: 'empty', hazard: false };
}

/** Builds the lanes in a stable order: machine, devices, filesystems, processes, mappings. */
export function buildLanes(timeline: Timeline): Lane[] {
  const order: { key: string; label: string; group: LaneGroup }[] = [{ key: 'machine:', label: 'machine', group: 'machine' }];
  const seen = new Set<string>(['machine:']);
  const add = (group: LaneGroup, name: string, label: string) => {
    const key = `${group}:${name}`;
    if (!seen.has(key)) { seen.add(key); order.push({ key, label, group }); }
  };
  for (const step of timeline.steps) {
    for (const d of step.state.devices) add('device', d.name, d.name);
    for (const f of step.state.filesystems) add('fs', f.name, f.name);
    for (const p of step.state.processes) add('process', p.name, p.name);
    for (const m of step.state.mappings) add('mapping', m.name, `${m.process}: ${m.name}`);
  }
  const groupRank: Record<LaneGroup, number> = { machine: 0, device: 1, fs: 2, process: 3, mapping: 4 };
  order.sort((a, b) => groupRank[a.group] - groupRank[b.group]);

  const cells = new Map<string, Cell[]>(order.map((o) => [o.key, []]));
  for (const step of timeline.steps) {
    const s = step.state;
    const at = new Map<string, Cell>();
    at.set('machine:', machineCell(step));
    for (const d of s.devices) at.set(`device:${d.name}`, deviceCell(d, s.blocks));
    for (const f of s.filesystems) at.set(`fs:${f.name}`, { text: f.state, token: f.state === 'mounted' ? 'valid' : f.state === 'shutdown' ? 'fail' : 'gone', hazard: false });
    for (const p of s.processes) {
      const signalled = p.signals.filter((g) => g.step === step.index);
      const text = !p.alive ? 'killed' : signalled.length > 0 ? signalled.map((g) => `${g.signal} ${g.code}`).join(', ') : 'alive';
      at.set(`process:${p.name}`, { text, token: !p.alive ? 'gone' : signalled.length > 0 ? 'signal' : 'valid', hazard: false });
    }
    for (const m of s.mappings) {
      at.set(`mapping:${m.name}`, { text: `${m.state}${m.pinned !== 'none' ? ` (pinned ${m.pinned})` : ''}`, token: MAPPING_TOKENS[m.state] ?? 'info', hazard: m.state === 'stale' });
    }
    for (const o of order) cells.get(o.key)!.push(at.get(o.key) ?? EMPTY);
  }
  return order.map((o) => ({ ...o, cells: cells.get(o.key)! }));
}

/** "memory160", "memory160..memory191" → the first block number, else -1. */
export function blockOfSubject(subject: string): number {
  const m = /^memory(\d+)/.exec(subject);
  return m ? Number(m[1]) : -1;
}

/** The lane an event belongs on: its subject's row, a block range's owner, else the machine. */
export function laneOfSubject(subject: string, step: StepView, index: ReadonlyMap<string, number>): number {
  for (const group of ['device', 'mapping', 'process', 'fs'] as const) {
    const i = index.get(`${group}:${subject}`);
    if (i !== undefined) return i;
  }
  const block = blockOfSubject(subject);
  if (block >= 0) {
    const run = step.state.blocks.find((r) => r.first <= block && block <= r.last);
    const i = run ? index.get(`device:${run.owner}`) : undefined;
    if (i !== undefined) return i;
  }
  return 0;
}
