// The compact form of a Timeline for the server → extension → webview hops (docs/timeline-schema.md,
// "Packed timeline"). A 100,000-event timeline is ~70 MB as objects, and postMessage copies every
// object (structured clone, plus VS Code's own serialisation): that copy alone was 0.87 s. Packed,
// the synthetic timeline is one JSON string of 0.5 MB: strings interned once, each state element
// (block run, device, mapping…) once and states as lists of them, identical states once, each
// event two integers (its id, and a shared "shape": everything else).
// `packTimeline` runs in the language server's worker (the `hotplug/timeline` notification carries
// its string, which the extension forwards as it is); `unpackTimeline` in the webview, where it
// checks every field (the webview trusts no message) and rebuilds plain Timeline objects.
// `decodeTimeline` is the same decoding for the server and the extension host, which read
// strings their own side packed.
import type { CauseView, EventView, RegionView, StateView, StepView, Timeline, Verdict } from '../core/sim/timeline.js';

export const PACKED_FORMAT = 'hotplug-timeline-packed';
export const PACKED_VERSION = 1;

/** [index, label, line, spanStart (-1: null), spanLength, firstLine, lastLine, state, eventCount] */
export type PackedStep = readonly [number, number, number, number, number, number, number, number, number];
/** [kind, subject, result, message, rule, source, assumed 0|1, hazard (-1: none), log[], causes (flat line,start,length,message), line, spanStart, spanLength] — strings as indices. */
export type PackedShape = readonly [number, number, number, number, number, number, number, number, readonly number[], readonly number[], number, number, number];
const SHAPE_LENGTH = 13;

export interface PackedTimeline {
  readonly format: typeof PACKED_FORMAT;
  readonly version: typeof PACKED_VERSION;
  readonly head: Omit<Timeline, 'steps'>;
  readonly strings: readonly string[];
  /** Distinct elements of the states' arrays (block runs, devices, mappings, …), in first-use order. */
  readonly pool: readonly unknown[];
  /** Distinct step states, in first-use order: a StateView whose every array holds indices into `pool`. */
  readonly states: readonly Record<string, unknown>[];
  readonly steps: readonly PackedStep[];
  readonly shapes: PackedShapes;
  /** Two integers per event, in step order: id − previous id, shape. */
  readonly events: readonly number[];
}

/**
 * Distinct events without their id, column by column (one JSON array per field parses twice as
 * fast as an array per shape). Strings are indices into `strings`; `hazard` -1 is none; shape
 * i's kernel log lines are `log[logStart[i]..logStart[i+1]]`, its causes `causes[causeStart[i]..
 * causeStart[i+1]]`, four numbers each: line, span start, span length, message.
 */
export interface PackedShapes {
  readonly kind: number[]; readonly subject: number[]; readonly result: number[]; readonly message: number[];
  readonly rule: number[]; readonly source: number[]; readonly assumed: number[]; readonly hazard: number[];
  readonly line: number[]; readonly start: number[]; readonly length: number[];
  readonly logStart: number[]; readonly log: number[]; readonly causeStart: number[]; readonly causes: number[];
}
const SHAPE_COLUMNS = ['kind', 'subject', 'result', 'message', 'rule', 'source', 'assumed', 'hazard', 'line', 'start', 'length'] as const;

/** PackedShape tuples (how pack interns them) → columns. */
function toColumns(shapes: readonly PackedShape[]): PackedShapes {
  const c: PackedShapes = { kind: [], subject: [], result: [], message: [], rule: [], source: [], assumed: [], hazard: [], line: [], start: [], length: [], logStart: [0], log: [], causeStart: [0], causes: [] };
  for (const [kind, subject, result, message, rule, source, assumed, hazard, log, causes, line, start, length] of shapes) {
    c.kind.push(kind); c.subject.push(subject); c.result.push(result); c.message.push(message); c.rule.push(rule); c.source.push(source);
    c.assumed.push(assumed); c.hazard.push(hazard); c.line.push(line); c.start.push(start); c.length.push(length);
    c.log.push(...log); c.logStart.push(c.log.length);
    c.causes.push(...causes); c.causeStart.push(c.causes.length);
  }
  return c;
}

export const EVENT_STRIDE = 2;
const NONE: readonly number[] = [];

function sameInts(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameShape(a: PackedShape, b: PackedShape): boolean {
  for (let k = 0; k < 8; k++) if (a[k] !== b[k]) return false;
  return a[10] === b[10] && a[11] === b[11] && a[12] === b[12] && sameInts(a[8], b[8]) && sameInts(a[9], b[9]);
}

/**
 * What one packer remembers between timelines: the JSON key of each state element object. The
 * simulator reuses the unchanged tail's state objects across versions of a document (after a
 * one-line edit of the 100k-line bench scenario, 130,080 of 130,212 elements are the same
 * objects), and serialising them was the largest self time of packing. Valid because timeline
 * objects are never mutated once made (the output is the same with or without a cache: tested).
 */
export interface PackCache {
  readonly keys: WeakMap<object, string>;
}

export function createPackCache(): PackCache {
  return { keys: new WeakMap() };
}

/** Builds the packed object (tests use it directly; the transport sends `packTimeline`'s string). */
export function packTimelineObject(t: Timeline, cache?: PackCache): PackedTimeline {
  const keys = cache?.keys;
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const str = (s: string): number => {
    let i = stringIndex.get(s);
    if (i === undefined) { i = strings.length; strings.push(s); stringIndex.set(s, i); }
    return i;
  };
  const pool: unknown[] = [];
  const poolIndex = new Map<string, number>();
  // The simulator shares unchanged element objects between steps: by identity first.
  const byObject = new Map<unknown, number>();
  const pooled = (v: unknown): number => {
    let i = byObject.get(v);
    if (i !== undefined) return i;
    let key: string | undefined;
    if (keys && typeof v === 'object' && v !== null) {
      key = keys.get(v);
      if (key === undefined) { key = JSON.stringify(v); keys.set(v, key); }
    } else key = JSON.stringify(v);
    i = poolIndex.get(key);
    if (i === undefined) { i = pool.length; pool.push(v); poolIndex.set(key, i); }
    if (typeof v === 'object' && v !== null) byObject.set(v, i);
    return i;
  };
  // The same state object (steps that change nothing) is packed once.
  const packedState = new Map<StateView, number>();
  const states: Record<string, unknown>[] = [];
  const stateIndex = new Map<string, number>();
  const shapes: PackedShape[] = [];
  const shapeIndex = new Map<number, number[]>();
  const events: number[] = [];
  const steps: PackedStep[] = [];
  let lastId = 0;
  for (const s of t.steps) {
    let state = packedState.get(s.state);
    if (state === undefined) {
      const ps: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.state)) ps[k] = Array.isArray(v) ? v.map(pooled) : v;
      const stateKey = JSON.stringify(ps);
      state = stateIndex.get(stateKey);
      if (state === undefined) { state = states.length; states.push(ps); stateIndex.set(stateKey, state); }
      packedState.set(s.state, state);
    }
    steps.push([s.index, str(s.label), s.line, s.span ? s.span.start : -1, s.span ? s.span.length : -1, s.firstLine, s.lastLine, state, s.events.length]);
    for (const e of s.events) {
      const causes: number[] = [];
      for (const c of e.causes) causes.push(c.line, c.span.start, c.span.length, str(c.message));
      const log = e.log.length === 0 ? NONE : e.log.map(str);
      const shape: PackedShape = [str(e.kind), str(e.subject), str(e.result), str(e.message), str(e.rule), str(e.source), e.assumed ? 1 : 0, e.hazard === undefined ? -1 : str(e.hazard), log, causes, e.line, e.span.start, e.span.length];
      // Interned by a numeric hash with buckets: building a string key per event cost more than
      // everything else here.
      let h = 0;
      for (let k = 0; k < 8; k++) h = (Math.imul(h, 31) + (shape[k] as number)) | 0;
      for (let k = 10; k < SHAPE_LENGTH; k++) h = (Math.imul(h, 31) + (shape[k] as number)) | 0;
      for (const x of log) h = (Math.imul(h, 31) + x) | 0;
      h = (Math.imul(h, 17) + log.length) | 0;
      for (const x of causes) h = (Math.imul(h, 31) + x) | 0;
      let bucket = shapeIndex.get(h);
      if (!bucket) { bucket = []; shapeIndex.set(h, bucket); }
      let si = -1;
      for (const candidate of bucket) if (sameShape(shapes[candidate]!, shape)) { si = candidate; break; }
      if (si < 0) { si = shapes.length; shapes.push(shape); bucket.push(si); }
      events.push(e.id - lastId, si);
      lastId = e.id;
    }
  }
  const { steps: _steps, ...head } = t;
  return { format: PACKED_FORMAT, version: PACKED_VERSION, head, strings, pool, states, steps, shapes: toColumns(shapes), events };
}

/** The string the server sends in `hotplug/timeline` and the extension posts to the webview. */
export function packTimeline(t: Timeline, cache?: PackCache): string {
  return JSON.stringify(packTimelineObject(t, cache));
}

/** The timeline without its steps (what `packTimelineObject` stores as `head`, in the same key order). */
export function timelineHead(t: Timeline): Omit<Timeline, 'steps'> {
  const { steps: _steps, ...head } = t;
  return head;
}

const TRUSTED = { headProblem: () => '', stateProblem: () => '' };

/**
 * Decodes a packed timeline that this program packed (server, extension host): the structural
 * checks of `unpackTimeline` still run, the webview's field checks do not. Throws on a string
 * that is not a packed timeline. Events become objects only when a step's `events` is read.
 */
export function decodeTimeline(text: string): Timeline {
  const r = unpackTimeline(text, TRUSTED);
  if (!r.timeline) throw new Error(r.problem);
  return r.timeline;
}

// ---- decoding (webview) -----------------------------------------------------------------------

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

type Shape = Omit<EventView, 'id'>;

/**
 * An event of an unpacked timeline: its id and the shape it shares with its look-alikes. Two
 * fields instead of a dozen plus a span: for 100,000 events that is most of the garbage
 * collector's work gone. Reads like an EventView; `toJSON` gives the simulator's key order.
 */
class PackedEvent implements EventView {
  constructor(readonly id: number, private readonly shape: Shape) {}
  get line(): number { return this.shape.line; }
  get span(): EventView['span'] { return this.shape.span; }
  get kind(): string { return this.shape.kind; }
  get subject(): string { return this.shape.subject; }
  get result(): EventView['result'] { return this.shape.result; }
  get message(): string { return this.shape.message; }
  get rule(): string { return this.shape.rule; }
  get source(): string { return this.shape.source; }
  get log(): readonly string[] { return this.shape.log; }
  get causes(): readonly CauseView[] { return this.shape.causes; }
  get assumed(): boolean { return this.shape.assumed; }
  get hazard(): EventView['hazard'] { return this.shape.hazard; }
  toJSON(): EventView {
    const s = this.shape;
    const e: EventView = { id: this.id, line: s.line, span: s.span, kind: s.kind, subject: s.subject, result: s.result, message: s.message, rule: s.rule, source: s.source, log: s.log, causes: s.causes, assumed: s.assumed };
    return s.hazard === undefined ? e : { ...e, hazard: s.hazard };
  }
}

export type Unpacked = { readonly timeline: Timeline; readonly problem: '' } | { readonly timeline: null; readonly problem: string };

const fail = (problem: string): Unpacked => ({ timeline: null, problem: `packed timeline: ${problem}` });

/**
 * Decodes and checks a packed timeline. `stateProblem` and `headProblem` are the webview's own
 * checks (validate.ts) for the parts that travel as plain objects. Never throws.
 */
export function unpackTimeline(text: unknown, checks: { headProblem(head: unknown): string; stateProblem(state: unknown, checked?: Map<string, WeakSet<object>>): string }): Unpacked {
  if (!isStr(text)) return fail('not a string');
  let p: unknown;
  try { p = JSON.parse(text); } catch { return fail('not JSON'); }
  if (!isObj(p) || p.format !== PACKED_FORMAT) return fail('unknown format');
  if (p.version !== PACKED_VERSION) return fail(`unknown version ${String(p.version)}`);
  const { strings, pool, states: packedStates, steps, shapes, events } = p;
  if (!Array.isArray(strings) || !strings.every(isStr)) return fail('bad strings');
  if (!Array.isArray(pool) || !Array.isArray(packedStates) || !Array.isArray(steps) || !isObj(shapes) || !Array.isArray(events)) return fail('tables missing');
  const headProblem = checks.headProblem(p.head);
  if (headProblem) return fail(headProblem);
  // States are rebuilt from the pool (elements shared between states) and then checked whole.
  const states: StateView[] = [];
  const checked = new Map<string, WeakSet<object>>();
  for (const [i, ps] of packedStates.entries()) {
    if (!isObj(ps)) return fail(`state ${i}: not an object`);
    const st: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(ps)) {
      if (!Array.isArray(v)) { st[k] = v; continue; }
      if (!v.every((x) => isInt(x) && x >= 0 && x < pool.length)) return fail(`state ${i}: bad ${k}`);
      st[k] = v.map((x: number) => pool[x]);
    }
    const why = checks.stateProblem(st, checked);
    if (why) return fail(`state ${i}: ${why}`);
    states.push(st as unknown as StateView);
  }
  const nStr = strings.length;
  const s = (v: unknown): v is number => isInt(v) && v >= 0 && v < nStr;
  // Shapes are checked now, column by column, without allocating; each becomes an object when
  // an event that uses it is first read (real timelines have about one shape per event).
  // One pass: arrays now, integers and ranges in the per-shape loop below.
  const col = (k: string): number[] | null => { const v = shapes[k]; return Array.isArray(v) ? v as number[] : null; };
  const cols = Object.fromEntries([...SHAPE_COLUMNS, 'logStart', 'log', 'causeStart', 'causes'].map((k) => [k, col(k)])) as Record<keyof PackedShapes, number[] | null>;
  if (Object.values(cols).some((v) => v === null)) return fail('bad shapes');
  const sh = cols as unknown as PackedShapes;
  const nShapes = sh.kind.length;
  if (SHAPE_COLUMNS.some((k) => sh[k].length !== nShapes) || sh.logStart.length !== nShapes + 1 || sh.causeStart.length !== nShapes + 1) return fail('bad shapes: column lengths');
  const strIndex = (v: unknown) => isInt(v) && v >= 0 && v < nStr;
  for (let i = 0; i < nShapes; i++) {
    if (!strIndex(sh.kind[i]) || !strIndex(sh.subject[i]) || !strIndex(sh.result[i]) || !strIndex(sh.message[i]) || !strIndex(sh.rule[i]) || !strIndex(sh.source[i])
      || (sh.assumed[i] !== 0 && sh.assumed[i] !== 1) || !(sh.hazard[i] === -1 || strIndex(sh.hazard[i]))
      || !isInt(sh.line[i]) || !isInt(sh.start[i]) || !isInt(sh.length[i]) || !isInt(sh.logStart[i + 1]) || !isInt(sh.causeStart[i + 1])
      || sh.logStart[i]! > sh.logStart[i + 1]! || sh.causeStart[i]! > sh.causeStart[i + 1]! || sh.causeStart[i + 1]! % 4 !== 0) return fail(`bad shape ${i}`);
  }
  if (sh.logStart[0] !== 0 || sh.logStart[nShapes] !== sh.log.length || sh.causeStart[0] !== 0 || sh.causeStart[nShapes] !== sh.causes.length) return fail('bad shapes: log/cause offsets');
  if (!sh.log.every(strIndex)) return fail('bad shapes: log');
  for (let c = 0; c < sh.causes.length; c += 4) {
    if (!isInt(sh.causes[c]) || !isInt(sh.causes[c + 1]) || !isInt(sh.causes[c + 2]) || !strIndex(sh.causes[c + 3])) return fail('bad shapes: cause');
  }
  const decodedShapes: (Shape | undefined)[] = new Array<Shape | undefined>(nShapes);
  const shapeAt = (i: number): Shape => {
    let d = decodedShapes[i];
    if (d) return d;
    const cs: CauseView[] = [];
    for (let c = sh.causeStart[i]!; c < sh.causeStart[i + 1]!; c += 4) cs.push({ line: sh.causes[c]!, span: { start: sh.causes[c + 1]!, length: sh.causes[c + 2]! }, message: strings[sh.causes[c + 3]!] as string });
    const hazard = sh.hazard[i]!;
    d = {
      line: sh.line[i]!, span: { start: sh.start[i]!, length: sh.length[i]! }, kind: strings[sh.kind[i]!] as string, subject: strings[sh.subject[i]!] as string,
      result: strings[sh.result[i]!] as EventView['result'], message: strings[sh.message[i]!] as string, rule: strings[sh.rule[i]!] as string,
      source: strings[sh.source[i]!] as string, log: sh.log.slice(sh.logStart[i]!, sh.logStart[i + 1]!).map((x) => strings[x] as string), causes: cs,
      assumed: sh.assumed[i] === 1, ...(hazard === -1 ? {} : { hazard: strings[hazard] as EventView['hazard'] }),
    };
    decodedShapes[i] = d;
    return d;
  };
  if (events.length % EVENT_STRIDE !== 0) return fail('bad event table');
  const ev = events as number[];
  // The whole table is checked now (in the steps loop below, one pass); the events of a step
  // become objects only when something reads that step's `events`: a first render touches the
  // visible steps only.
  const outSteps: StepView[] = [];
  let at = 0;
  let id = 0;
  for (const [i, st] of steps.entries()) {
    if (!Array.isArray(st) || st.length !== 9 || !st.every(isInt)) return fail(`bad step ${i}`);
    const [index, label, line, spanStart, spanLength, firstLine, lastLine, state, count] = st as number[] as unknown as PackedStep;
    if (!s(label) || state < 0 || state >= states.length || count < 0 || at + count * EVENT_STRIDE > ev.length) return fail(`bad step ${i}`);
    const from = at;
    const firstId = id;
    for (let k = 0; k < count; k++, at += EVENT_STRIDE) {
      const d = ev[at];
      const shape = ev[at + 1];
      if (!isInt(d) || !isInt(shape) || shape < 0 || shape >= nShapes) return fail(`bad event ${at / EVENT_STRIDE}`);
      id += d;
    }
    let decoded: EventView[] | undefined;
    const eventsOfStep = (): EventView[] => {
      if (decoded) return decoded;
      decoded = new Array<EventView>(count);
      let eid = firstId;
      for (let k = 0, j = from; k < count; k++, j += EVENT_STRIDE) {
        eid += ev[j]!;
        decoded[k] = new PackedEvent(eid, shapeAt(ev[j + 1]!));
      }
      return decoded;
    };
    // Key order as in the simulator's output (a JSON export reads the same); `events` is an
    // enumerable getter, so JSON.stringify includes it.
    outSteps.push({
      index, label: strings[label] as string, line, span: spanStart < 0 ? null : { start: spanStart, length: spanLength }, firstLine, lastLine,
      get events() { return eventsOfStep(); },
      state: states[state] as StateView,
    });
  }
  if (at !== ev.length) return fail('events left over');
  if (outSteps.length === 0) return fail('no steps');
  const { verdict, ...rest } = p.head as Omit<Timeline, 'steps'> & { regions: RegionView[]; verdict: Verdict };
  return { timeline: { ...rest, steps: outSteps, verdict }, problem: '' };
}
