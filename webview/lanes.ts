// Lanes over time: one row per device (and per run of its blocks), filesystem, process and
// mapping; one cell per step.
// Each cell says what the thing was after that step; events are placed on their subject's row.
import type { BlockRun, DeviceView, StateView, StepView, Timeline } from '../language-server/protocol/index.js';
import type { Token } from './palette.js';

export type LaneGroup = 'machine' | 'device' | 'blocks' | 'mapping' | 'process' | 'fs';

export interface Cell {
  readonly text: string;
  readonly token: Token;
  readonly hazard: boolean;
  /** Compare mode: this cell differs from the other kernel's. */
  readonly diff?: boolean;
}

/**
 * One row. Its cells are worked out when asked for (a step's column, once per state object): a
 * timeline with thousands of short-lived mappings has thousands of lanes, and dense rows
 * (lanes × steps) were 28 million cells and 4 s for a 100k-line scenario; a first render asks
 * for the visible steps only. Read a cell with `cellAt`.
 */
export interface Lane {
  readonly key: string;
  readonly label: string;
  readonly group: LaneGroup;
  /** The cell at a step, or undefined where the lane's thing does not exist. */
  cell(step: number): Cell | undefined;
}

/** The lane's cell at `step`, or undefined where the lane's thing does not exist. */
export function cellAt(lane: Lane, step: number): Cell | undefined {
  return lane.cell(step);
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

const ZONE_LABELS: Readonly<Record<string, string>> = { dma: 'DMA', dma32: 'DMA32', normal: 'NORMAL', movable: 'MOVABLE', none: 'no zone' };

/** What a block-run lane says about its blocks at one step. */
function runCell(run: BlockRun): Cell {
  const zone = run.zone ? ZONE_LABELS[run.zone] ?? run.zone : '';
  const text = `${run.state === 'online' ? `online ${zone}` : run.state}${run.burned ? ', burned' : ''}${run.poisonedPages > 0 ? `, ${run.poisonedPages} poisoned` : ''}`;
  return { text, token: blockToken(run), hazard: run.burned };
}

const sameCell = (a: Cell, b: Cell) => a.text === b.text && a.token === b.token && a.hazard === b.hazard;

/** Block-run lanes of one device: `first..last` blocks that look the same (state, zone) at every step. */
export interface RunLane {
  readonly owner: string;
  readonly first: number;
  readonly last: number;
  readonly cells: Cell[];
}

/**
 * Cuts each device's blocks wherever a run starts or ends at any step, then merges neighbours
 * whose cells agree at every step (runs also split on usage, which a lane does not show).
 * Cost: steps × runs, never blocks.
 */
export function blockRunLanes(timeline: Timeline): Map<string, RunLane[]> {
  const cuts = new Map<string, Set<number>>();
  for (const step of timeline.steps) {
    for (const r of step.state.blocks) {
      let c = cuts.get(r.owner);
      if (!c) { c = new Set(); cuts.set(r.owner, c); }
      c.add(r.first);
      c.add(r.last + 1);
    }
  }
  // Each state's runs grouped by owner and sorted, once (not once per owner).
  const grouped = new Map<StateView, Map<string, BlockRun[]>>();
  const byOwner = (state: StateView): Map<string, BlockRun[]> => {
    let g = grouped.get(state);
    if (!g) {
      g = new Map();
      for (const r of state.blocks) {
        const list = g.get(r.owner);
        if (list) list.push(r); else g.set(r.owner, [r]);
      }
      for (const list of g.values()) list.sort((a, b) => a.first - b.first);
      grouped.set(state, g);
    }
    return g;
  };
  const out = new Map<string, RunLane[]>();
  for (const [owner, set] of cuts) {
    const points = [...set].sort((a, b) => a - b);
    const pieces: { first: number; last: number; cells: Cell[]; seen: boolean }[] = [];
    for (let i = 0; i + 1 < points.length; i++) pieces.push({ first: points[i]!, last: points[i + 1]! - 1, cells: [], seen: false });
    // Steps often share one state object (unchanged blocks; the packed transport sends equal
    // states once): their cells are computed once.
    const memo = new Map<StateView, Cell[]>();
    for (const step of timeline.steps) {
      let column = memo.get(step.state);
      if (!column) {
        column = [];
        const runs = byOwner(step.state).get(owner) ?? [];
        let j = 0;
        for (const p of pieces) {
          while (j < runs.length && runs[j]!.last < p.first) j++;
          const r = runs[j];
          column.push(r && r.first <= p.first && p.last <= r.last ? runCell(r) : EMPTY);
        }
        memo.set(step.state, column);
      }
      column.forEach((c, i) => { const p = pieces[i]!; p.cells.push(c); if (c !== EMPTY) p.seen = true; });
    }
    const merged: RunLane[] = [];
    for (const p of pieces) {
      if (!p.seen) continue;
      const prev = merged[merged.length - 1];
      if (prev && prev.last + 1 === p.first && prev.cells.every((c, i) => sameCell(c, p.cells[i]!))) {
        merged[merged.length - 1] = { ...prev, last: p.last };
      } else merged.push({ owner, first: p.first, last: p.last, cells: p.cells });
    }
    out.set(owner, merged);
  }
  return out;
}

export const runLaneKey = (owner: string, first: number, last: number) => `blocks:${owner}:${first}-${last}`;
const blockRange = (first: number, last: number) => (first === last ? `memory${first}` : `memory${first}..${last}`);

/**
 * Builds the lanes in a stable order: machine; each device, then its block runs when it has more
 * than one (one run is the device lane itself); filesystems; each process, then its mappings.
 */
export function buildLanes(timeline: Timeline): Lane[] {
  const devices: string[] = [];
  const fss: string[] = [];
  const processes: string[] = [];
  const mappings = new Map<string, { name: string; process: string }>();
  const seen = new Set<string>();
  const once = (key: string) => (seen.has(key) ? false : (seen.add(key), true));
  // States and their elements are often shared between steps (always after the packed
  // transport): each object is looked at once.
  const visited = new Set<object>();
  const fresh = (o: object) => (visited.has(o) ? false : (visited.add(o), true));
  for (const step of timeline.steps) {
    if (!fresh(step.state)) continue;
    for (const d of step.state.devices) if (fresh(d) && once(`device:${d.name}`)) devices.push(d.name);
    for (const f of step.state.filesystems) if (fresh(f) && once(`fs:${f.name}`)) fss.push(f.name);
    for (const p of step.state.processes) if (fresh(p) && once(`process:${p.name}`)) processes.push(p.name);
    for (const m of step.state.mappings) if (fresh(m) && once(`mapping:${m.name}`)) mappings.set(m.name, { name: m.name, process: m.process });
  }
  const runs = blockRunLanes(timeline);
  const order: { key: string; label: string; group: LaneGroup; cells?: Cell[] }[] = [{ key: 'machine:', label: 'machine', group: 'machine' }];
  for (const d of devices) {
    const mine = runs.get(d) ?? [];
    const only = mine.length === 1 ? mine[0]! : null;
    order.push({ key: `device:${d}`, label: only ? `${d} · ${blockRange(only.first, only.last)}` : d, group: 'device' });
    if (mine.length > 1) for (const r of mine) order.push({ key: runLaneKey(d, r.first, r.last), label: `  ${d} ${blockRange(r.first, r.last)}`, group: 'blocks', cells: r.cells });
  }
  // Blocks whose owner is no device (should not happen; shown rather than lost).
  for (const [owner, mine] of runs) {
    if (devices.includes(owner)) continue;
    for (const r of mine) order.push({ key: runLaneKey(owner, r.first, r.last), label: `${owner} ${blockRange(r.first, r.last)}`, group: 'blocks', cells: r.cells });
  }
  for (const f of fss) order.push({ key: `fs:${f}`, label: f, group: 'fs' });
  const placed = new Set<string>();
  const addMappings = (process: string | null) => {
    for (const m of mappings.values()) {
      if (placed.has(m.name) || (process !== null && m.process !== process)) continue;
      placed.add(m.name);
      order.push({ key: `mapping:${m.name}`, label: `${m.process}: ${m.name}`, group: 'mapping' });
    }
  };
  for (const p of processes) { order.push({ key: `process:${p}`, label: p, group: 'process' }); addMappings(p); }
  addMappings(null);

  // Per step, work in proportion to the state (the things that exist then), never to the
  // number of lanes. A step's cells depend on its state alone unless a process got a signal at
  // that very step, so they are computed once per state object.
  const laneOf = new Map<string, number>();
  order.forEach((o, i) => { if (!o.cells) laneOf.set(o.key, i); });
  const memo = new Map<StateView, Map<number, Cell>>();
  const signalledSteps = new Map<number, Map<number, Cell>>();
  // Filesystem and mapping cells depend on the element alone: once per element object.
  const byElement = new Map<object, [number, Cell] | null>();
  const element = (o: object, key: () => string, cell: () => Cell): [number, Cell] | null => {
    let e = byElement.get(o);
    if (e === undefined) {
      const i = laneOf.get(key());
      e = i === undefined ? null : [i, cell()];
      byElement.set(o, e);
    }
    return e;
  };
  const column = (step: StepView, withSignals: boolean): Map<number, Cell> => {
    const s = step.state;
    const out = new Map<number, Cell>();
    const add = (key: string, cell: Cell) => { const i = laneOf.get(key); if (i !== undefined) out.set(i, cell); };
    const addElement = (e: [number, Cell] | null) => { if (e) out.set(e[0], e[1]); };
    add('machine:', machineCell(step));
    for (const d of s.devices) add(`device:${d.name}`, deviceCell(d, s.blocks));
    for (const f of s.filesystems) addElement(element(f, () => `fs:${f.name}`, () => ({ text: f.state, token: f.state === 'mounted' ? 'valid' : f.state === 'shutdown' ? 'fail' : 'gone', hazard: false })));
    for (const p of s.processes) {
      const signalled = withSignals ? p.signals.filter((g) => g.step === step.index) : [];
      const text = !p.alive ? 'killed' : signalled.length > 0 ? signalled.map((g) => `${g.signal} ${g.code}`).join(', ') : 'alive';
      add(`process:${p.name}`, { text, token: !p.alive ? 'gone' : signalled.length > 0 ? 'signal' : 'valid', hazard: false });
    }
    for (const m of s.mappings) {
      addElement(element(m, () => `mapping:${m.name}`, () => ({ text: `${m.state}${m.pinned !== 'none' ? ` (pinned ${m.pinned})` : ''}`, token: MAPPING_TOKENS[m.state] ?? 'info', hazard: m.state === 'stale' })));
    }
    return out;
  };
  const NONE = new Map<number, Cell>();
  const columnAt = (i: number): Map<number, Cell> => {
    const step = timeline.steps[i];
    if (!step) return NONE;
    let col = memo.get(step.state) ?? signalledSteps.get(i);
    if (col) return col;
    // A process cell names the signals of its step: such steps get their own column.
    const signalled = step.state.processes.some((p) => p.signals.some((g) => g.step === step.index));
    col = column(step, signalled);
    if (signalled) signalledSteps.set(i, col); else memo.set(step.state, col);
    return col;
  };
  return order.map((o, i) => {
    const cells = o.cells;
    return cells
      ? { key: o.key, label: o.label, group: o.group, cell: (step: number) => cells[step] }
      : { key: o.key, label: o.label, group: o.group, cell: (step: number) => columnAt(step).get(i) };
  });
}

/** "memory160", "memory160..memory191" → the first block number, else -1. */
export function blockOfSubject(subject: string): number {
  const m = /^memory(\d+)/.exec(subject);
  return m ? Number(m[1]) : -1;
}

/**
 * Where events go: lanes by key, and per device its block-run lanes (sorted) so an event on
 * "memory170" lands on the run that holds block 170.
 */
export interface LaneIndex {
  readonly byKey: ReadonlyMap<string, number>;
  readonly runs: ReadonlyMap<string, readonly { first: number; last: number; lane: number }[]>;
  /** Lane of a subject that names no block (device, mapping, process, fs), memoised. */
  readonly bySubject: Map<string, number>;
}

export function laneIndex(lanes: readonly Lane[]): LaneIndex {
  const byKey = new Map(lanes.map((l, i) => [l.key, i]));
  const runs = new Map<string, { first: number; last: number; lane: number }[]>();
  lanes.forEach((l, i) => {
    const m = /^blocks:(.*):(\d+)-(\d+)$/.exec(l.key);
    if (!m) return;
    const list = runs.get(m[1]!) ?? [];
    list.push({ first: Number(m[2]), last: Number(m[3]), lane: i });
    runs.set(m[1]!, list);
  });
  return { byKey, runs, bySubject: new Map() };
}

/** The lane an event belongs on: its subject's row, a block's run (or owner), else the machine. */
export function laneOfSubject(subject: string, step: StepView, index: LaneIndex): number {
  const known = index.bySubject.get(subject);
  if (known !== undefined) return known;
  const block = blockOfSubject(subject);
  if (block < 0) {
    let lane = 0;
    for (const group of ['device', 'mapping', 'process', 'fs'] as const) {
      const i = index.byKey.get(`${group}:${subject}`);
      if (i !== undefined) { lane = i; break; }
    }
    index.bySubject.set(subject, lane);
    return lane;
  }
  for (const group of ['device', 'mapping', 'process', 'fs'] as const) {
    const i = index.byKey.get(`${group}:${subject}`);
    if (i !== undefined) return i;
  }
  const run = step.state.blocks.find((r) => r.first <= block && block <= r.last);
  if (!run) return 0;
  const lane = index.runs.get(run.owner)?.find((r) => r.first <= block && block <= r.last);
  if (lane) return lane.lane;
  return index.byKey.get(`device:${run.owner}`) ?? 0;
}
