// Resolving targets (devices, block ranges, allocations, mappings) to blocks and addresses.

import type { Target } from '../check/model.js';
import type { Sim } from './context.js';
import { spanName } from './memory.js';

/** Memory blocks a target names (existing or not: callers report missing blocks). */
export function targetBlocks(sim: Sim, t: Target): number[] {
  const s = sim.state;
  switch (t.kind) {
    case 'blocks': {
      const out: number[] = [];
      for (let i = t.first; i <= t.last; i++) out.push(i);
      return out;
    }
    case 'device': {
      const dax = s.daxes.get(t.name);
      if (dax) return [...dax.kmemBlocks];
      const dev = s.devices.get(t.name);
      if (!dev) return [];
      const bs = s.blockSize;
      const out: number[] = [];
      // The blocks overlapping the device's range, by index (boot RAM blocks become real here).
      const first = Number(dev.decl.base / bs), last = Number((dev.decl.base + dev.decl.size + bs - 1n) / bs) - 1;
      for (let i = first; i <= last; i++) { const b = s.blocks.get(i); if (b && b.owner === t.name) out.push(b.index); }
      return out;
    }
    case 'alloc': {
      const a = s.allocations.get(t.name);
      return a ? [...new Set(a.placements.map((p) => p.block))] : [];
    }
    case 'mapping': {
      const m = s.mappings.get(t.name);
      if (!m) return [];
      return [Number(m.phys / s.blockSize)];
    }
  }
}

/** Physical address of `offset` within a target, or undefined if it has no memory now. */
export function targetPhys(sim: Sim, t: Target, offset: bigint): bigint | undefined {
  const s = sim.state;
  switch (t.kind) {
    case 'blocks': return BigInt(t.first) * s.blockSize + offset;
    case 'device': {
      const dax = s.daxes.get(t.name);
      if (dax) return dax.decl.dataBase + offset;
      const dev = s.devices.get(t.name);
      return dev ? dev.decl.base + offset : undefined;
    }
    case 'alloc': {
      const a = s.allocations.get(t.name);
      if (!a) return undefined;
      let left = offset;
      for (const p of a.placements) {
        if (left < p.size) return s.blocks.get(p.block)!.base + p.start + left;
        left -= p.size;
      }
      return undefined;
    }
    case 'mapping': {
      const m = s.mappings.get(t.name);
      if (!m) return undefined;
      if (m.source.kind === 'anon') {
        return targetPhys(sim, { kind: 'alloc', name: m.source.alloc, span: t.span }, m.offset + offset);
      }
      return m.phys + offset;
    }
  }
}

export function targetName(t: Target): string {
  if (t.kind === 'blocks') return spanName(t.first, t.last);
  return t.name;
}
