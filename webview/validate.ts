// Shape checks for messages from the extension. The webview trusts nothing it receives: a wrong
// message is logged and ignored rather than allowed to throw half-way through a render.
import type { CompareResult, Timeline, ToWebview } from '../language-server/protocol/index.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isArr = (v: unknown): v is unknown[] => Array.isArray(v);
const isSpan = (v: unknown) => isObj(v) && isInt(v.start) && isInt(v.length);

/** Why the timeline's fields other than `steps` are wrong, or ''. */
export function headProblem(t: unknown): string {
  if (!isObj(t)) return 'timeline is not an object';
  if (t.schema !== 1) return `unknown timeline schema ${String(t.schema)}`;
  if (!isStr(t.title) || !isStr(t.kernel) || !isStr(t.blockSize)) return 'timeline title/kernel/blockSize missing';
  if (!isObj(t.verdict) || !isStr(t.verdict.summary)) return 'timeline verdict missing';
  if (!isArr(t.regions) || !t.regions.every((r) => isObj(r) && isStr(r.name) && isStr(r.kind) && isStr(r.base) && isStr(r.size) && isInt(r.node))) return 'bad regions';
  return '';
}

const ELEMENT_CHECKS: Readonly<Record<string, (v: unknown) => boolean>> = {
  blocks: (b) => isObj(b) && isInt(b.first) && isInt(b.last) && isStr(b.state) && isStr(b.owner) && isBool(b.burned) && isObj(b.used) && isStr(b.memmapHost),
  devices: (d) => isObj(d) && isStr(d.name) && isBool(d.present) && isStr(d.status),
  mappings: (m) => isObj(m) && isStr(m.name) && isStr(m.process) && isStr(m.state) && isStr(m.base) && isStr(m.size),
  processes: (p) => isObj(p) && isStr(p.name) && isBool(p.alive) && isArr(p.signals),
  poison: (p) => isObj(p) && isStr(p.base) && isInt(p.pages),
};

/**
 * Why a step's state is wrong, or ''. `checked` remembers elements already found good, per
 * field: states of a packed timeline share their elements, each is checked once.
 */
export function stateProblem(st: unknown, checked?: Map<string, WeakSet<object>>): string {
  if (!isObj(st)) return 'state is not an object';
  for (const [field, ok] of Object.entries(ELEMENT_CHECKS)) {
    const list = st[field];
    if (!isArr(list)) return field === 'poison' ? 'bad state' : `bad ${field}`;
    let seen = checked?.get(field);
    if (checked && !seen) { seen = new WeakSet(); checked.set(field, seen); }
    for (const el of list) {
      if (seen && isObj(el) && seen.has(el)) continue;
      if (!ok(el)) return `bad ${field}`;
      if (seen) seen.add(el as object);
    }
  }
  if (!isArr(st.filesystems) || !isArr(st.resources) || !isBool(st.crashed)) return 'bad state';
  return '';
}

/** Returns why the value is not a Timeline, or '' when it is one. */
export function timelineProblem(t: unknown): string {
  const head = headProblem(t);
  if (head) return head;
  const tl = t as Obj;
  if (!isArr(tl.steps) || tl.steps.length === 0) return 'timeline has no steps';
  for (const [i, s] of tl.steps.entries()) {
    if (!isObj(s) || !isStr(s.label) || !isInt(s.line) || !isInt(s.firstLine) || !isInt(s.lastLine) || !isArr(s.events) || !isObj(s.state)) return `bad step ${i}`;
    for (const e of s.events) {
      if (!isObj(e) || !isInt(e.id) || !isInt(e.line) || !isSpan(e.span) || !isStr(e.kind) || !isStr(e.subject) || !isStr(e.result) || !isStr(e.message) || !isArr(e.causes) || !isArr(e.log)) return `bad event in step ${i}`;
      if (!e.causes.every((c) => isObj(c) && isInt(c.line) && isStr(c.message))) return `bad cause in step ${i}`;
    }
    const why = stateProblem(s.state);
    if (why) return `${why} in step ${i}`;
  }
  return '';
}

function compareProblem(r: unknown): string {
  if (!isObj(r) || !isArr(r.kernels) || r.kernels.length !== 2 || !r.kernels.every(isStr)) return 'compare kernels missing';
  if (!isArr(r.timelines) || r.timelines.length !== 2) return 'compare timelines missing';
  for (const t of r.timelines) if (t !== null && timelineProblem(t)) return `compare: ${timelineProblem(t)}`;
  if (!isArr(r.differences) || !r.differences.every((d) => isObj(d) && isInt(d.step) && isStr(d.subject) && isStr(d.a) && isStr(d.b))) return 'compare differences malformed';
  return '';
}

/** Returns why `msg` is not a ToWebview message, or '' when it is one. */
export function messageProblem(msg: unknown): string {
  if (!isObj(msg) || !isStr(msg.type)) return 'not a message object';
  switch (msg.type) {
    case 'timeline':
      if (!isStr(msg.uri) || !isInt(msg.version) || !isBool(msg.stale)) return 'timeline message: uri/version/stale missing';
      return msg.timeline === null ? '' : timelineProblem(msg.timeline);
    case 'packedTimeline':
      // Decoded (and checked field by field) in actions.ts, once the cheap fields are known good.
      return isStr(msg.uri) && isInt(msg.version) && isBool(msg.stale) && isStr(msg.packed) ? '' : 'packedTimeline message: uri/version/stale/packed missing';
    case 'selectStep':
      return isStr(msg.uri) && isInt(msg.step) ? '' : 'selectStep message: uri/step missing';
    case 'compare':
      return isStr(msg.uri) ? compareProblem(msg.result) : 'compare message: uri missing';
    default:
      return `unknown message type ${JSON.stringify(msg.type).slice(0, 40)}`;
  }
}

export function isToWebview(msg: unknown): msg is ToWebview {
  return messageProblem(msg) === '';
}

export type { CompareResult, Timeline };
