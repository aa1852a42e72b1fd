// Generic copies and comparisons of the simulator state, for incremental simulation
// (simulate.ts): the state after each step is kept as a checkpoint, so an edit re-simulates from
// the first changed step, and a re-simulated step whose state equals the old one lets the rest of
// the old run be reused. Nothing here knows a rule or a field of the state: it copies and compares
// the whole object graph (plain objects, class instances with their prototype, arrays, Maps, Sets,
// primitives including bigint), keeping shared references shared.
//
// The state points into the model (`model`, device/dax/fs/process declarations). A checkpoint
// must not keep a model alive, nor depend on which model object it was taken from: objects
// reachable from the model's declarations are replaced by a `ModelRef` (their path in the model),
// and put back from the new model on restore. Steps are not part of that (the state keeps no
// statement objects; if it did, they would simply be copied).
//
// Line numbers: an edit that adds or removes lines moves the lines after it. A number under the
// key `line` anywhere in the state is a 0-based statement line (the only naming the state uses
// for them), so a restore can move it and a comparison can compare it moved (`LineMap`).

import type { Model } from '../check/model.js';

/** Stands for the model object at `path` inside a checkpoint. */
export class ModelRef {
  constructor(readonly path: string) {}
}

/** Objects of a model (without its steps), both ways. */
export interface ModelIndex {
  readonly pathOf: Map<object, string>;
  readonly atPath: Map<string, object>;
}

export function indexModel(model: Model): ModelIndex {
  const pathOf = new Map<object, string>();
  const atPath = new Map<string, object>();
  const walk = (v: unknown, path: string): void => {
    if (typeof v !== 'object' || v === null || pathOf.has(v)) return;
    pathOf.set(v, path);
    atPath.set(path, v);
    if (v instanceof Map) { let i = 0; for (const x of v.values()) walk(x, `${path}.${i++}`); return; }
    if (v instanceof Set) { let i = 0; for (const x of v) walk(x, `${path}.${i++}`); return; }
    for (const k of Object.keys(v)) {
      if (path === '' && k === 'steps') continue;
      walk((v as Record<string, unknown>)[k], path === '' ? k : `${path}.${k}`);
    }
  };
  walk(model, '');
  return { pathOf, atPath };
}

/**
 * A deep copy of `root`. `swap` decides what a model object becomes: a ModelRef when taking a
 * checkpoint, the new model's object when restoring one.
 */
/** Old line → new line; NaN for a line that no longer corresponds to one (it was edited). */
export type LineMap = (line: number) => number;

export function cloneGraph<T>(root: T, swap: (v: object) => unknown, lineMap?: LineMap): T {
  const memo = new Map<object, unknown>();
  const go = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    const seen = memo.get(v);
    if (seen !== undefined) return seen;
    const s = swap(v);
    if (s !== undefined) return s;
    if (Array.isArray(v)) {
      const out: unknown[] = new Array(v.length);
      memo.set(v, out);
      for (let i = 0; i < v.length; i++) out[i] = go(v[i]);
      return out;
    }
    if (v instanceof Map) {
      const out = new Map<unknown, unknown>();
      memo.set(v, out);
      for (const [k, x] of v) out.set(go(k), go(x));
      return out;
    }
    if (v instanceof Set) {
      const out = new Set<unknown>();
      memo.set(v, out);
      for (const x of v) out.add(go(x));
      return out;
    }
    const proto = Object.getPrototypeOf(v) as object | null;
    const out = (proto === Object.prototype ? {} : Object.create(proto)) as Record<string, unknown>;
    memo.set(v, out);
    for (const k of Object.keys(v)) {
      const x = (v as Record<string, unknown>)[k];
      out[k] = lineMap && k === 'line' && typeof x === 'number' ? lineMap(x) : go(x);
    }
    return out;
  };
  return go(root) as T;
}

/**
 * `root` with every number under a key `line` mapped: objects holding no moved line are shared,
 * not copied (for the state views of reused steps, which hold few lines).
 */
export function withLines<T>(root: T, lineMap: LineMap): T {
  const memo = new Map<object, unknown>();
  const go = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    if (memo.has(v)) return memo.get(v);
    memo.set(v, v);
    let out: unknown = v;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x = go(v[i]);
        if (x !== v[i]) { if (out === v) out = v.slice(); (out as unknown[])[i] = x; }
      }
    } else if (!(v instanceof Map) && !(v instanceof Set)) {
      for (const k of Object.keys(v)) {
        const x = (v as Record<string, unknown>)[k];
        const y = k === 'line' && typeof x === 'number' ? lineMap(x) : go(x);
        if (y !== x) {
          if (out === v) out = Object.assign(Object.create(Object.getPrototypeOf(v) as object | null) as object, v);
          (out as Record<string, unknown>)[k] = y;
        }
      }
    } else {
      out = cloneGraph(v, () => undefined, lineMap);
    }
    memo.set(v, out);
    return out;
  };
  return go(root) as T;
}

/** Checkpoint copy: model objects become ModelRefs. */
export function takeCheckpoint<T>(root: T, index: ModelIndex): T {
  const refs = new Map<string, ModelRef>();
  return cloneGraph(root, (v) => {
    const path = index.pathOf.get(v);
    if (path === undefined) return undefined;
    let r = refs.get(path);
    if (!r) refs.set(path, (r = new ModelRef(path)));
    return r;
  });
}

/** A live copy of a checkpoint against `index`'s model; undefined when a ModelRef is not there. */
export function restoreCheckpoint<T>(root: T, index: ModelIndex, lineMap?: LineMap): T | undefined {
  let missing = false;
  const out = cloneGraph(root, (v) => {
    if (!(v instanceof ModelRef)) return undefined;
    const o = index.atPath.get(v.path);
    if (o === undefined) { missing = true; return null; }
    return o;
  }, lineMap);
  return missing ? undefined : out;
}

/**
 * Whether live state `a` (whose model objects are in `index`) equals checkpoint `b` exactly:
 * same shapes, same values, same Map/Set/key order (rules iterate them), same sharing is not
 * required (only equal contents).
 */
export function equalsCheckpoint(a: unknown, b: unknown, index: ModelIndex, lineMap?: LineMap): boolean {
  const pairs = new Map<object, object>();
  const eq = (x: unknown, y: unknown): boolean => {
    if (x === y) return true;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    if (y instanceof ModelRef) return index.pathOf.get(x) === y.path;
    if (pairs.get(x) === y) return true;
    if (Object.getPrototypeOf(x) !== Object.getPrototypeOf(y)) return false;
    pairs.set(x, y);
    if (Array.isArray(x)) {
      const ys = y as unknown[];
      if (x.length !== ys.length) return false;
      for (let i = 0; i < x.length; i++) if (!eq(x[i], ys[i])) return false;
      return true;
    }
    if (x instanceof Map) {
      const ym = y as Map<unknown, unknown>;
      if (x.size !== ym.size) return false;
      const yi = ym.entries();
      for (const [k, v] of x) {
        const n = yi.next().value as [unknown, unknown];
        if (!eq(k, n[0]) || !eq(v, n[1])) return false;
      }
      return true;
    }
    if (x instanceof Set) {
      const ys = y as Set<unknown>;
      if (x.size !== ys.size) return false;
      const yi = ys.values();
      for (const v of x) if (!eq(v, yi.next().value)) return false;
      return true;
    }
    const xk = Object.keys(x), yk = Object.keys(y);
    if (xk.length !== yk.length) return false;
    for (let i = 0; i < xk.length; i++) {
      const k = xk[i]!;
      if (k !== yk[i]) return false;
      const xv = (x as Record<string, unknown>)[k], yv = (y as Record<string, unknown>)[k];
      if (lineMap && k === 'line' && typeof yv === 'number') { if (xv !== lineMap(yv)) return false; continue; }
      if (!eq(xv, yv)) return false;
    }
    return true;
  };
  return eq(a, b);
}
