// Evaluating `expect` lines against the simulated state.

import type { Expectation } from '../check/model.js';
import type { Sim } from './context.js';
import { zoneLabel } from './memory.js';
import { targetBlocks, targetName, targetPhys } from './targets.js';
import { PAGE } from '../check/layout.js';

export interface Verdict {
  readonly ok: boolean;
  /** What was expected, in words. */
  readonly expected: string;
  /** What the simulator found. */
  readonly found: string;
  /** The word (or number) that would make the expectation hold, when there is one (quick fix). */
  readonly actual?: string;
}

export function evaluate(sim: Sim, e: Expectation): Verdict {
  const s = sim.state;
  switch (e.check) {
    case 'crash': {
      const crashed = s.crashed !== undefined;
      return { ok: crashed !== e.negated, expected: e.negated ? 'no crash' : 'a crash', found: crashed ? `the kernel crashed (${s.crashed})` : 'the kernel is running' };
    }
    case 'log': {
      const hit = sim.stepLog.some((l) => l.includes(e.text));
      return { ok: hit, expected: `the kernel log of this step to contain "${e.text}"`, found: sim.stepLog.length ? `the log has: ${sim.stepLog.slice(-4).map((l) => `"${l}"`).join(', ')}` : 'the kernel printed nothing in this step' };
    }
    case 'hazard': {
      const n = sim.hazards.get(e.hazard) ?? 0;
      return { ok: n > 0, expected: `a ${e.hazard} hazard`, found: n > 0 ? `${n} ${e.hazard} hazard(s)` : `no ${e.hazard} hazard so far${sim.hazards.size ? ` (hazards: ${[...sim.hazards.keys()].join(', ')})` : ''}` };
    }
    case 'noHazard': {
      return { ok: sim.hazards.size === 0, expected: 'no hazard', found: sim.hazards.size ? `hazards: ${[...sim.hazards.entries()].map(([k, n]) => `${k} ×${n}`).join(', ')}` : 'no hazard' };
    }
    case 'mapping': {
      const m = s.mappings.get(e.mapping);
      const found = m ? m.state : 'not mapped (the mmap failed or never ran)';
      return { ok: m?.state === e.state, expected: `${e.mapping} ${e.state}`, found: `${e.mapping} is ${found}`, ...(m ? { actual: m.state } : {}) };
    }
    case 'process': {
      const p = s.processes.get(e.process)!;
      const found = p.alive ? 'alive' : 'killed';
      return { ok: found === e.state, actual: found, expected: `${e.process} ${e.state}`, found: `${e.process} is ${found}${p.signals.length ? ` (signals: ${p.signals.map((x) => `${x.signal} ${x.code}`).join(', ')})` : ''}` };
    }
    case 'signal': {
      const p = s.processes.get(e.process)!;
      const hit = p.signals.some((x) => x.signal === e.signal && (e.code === undefined || x.code === e.code));
      return { ok: hit, expected: `${e.process} to have received ${e.signal}${e.code ? ` ${e.code}` : ''}`, found: p.signals.length ? `${e.process} received ${p.signals.map((x) => `${x.signal} ${x.code}`).join(', ')}` : `${e.process} received no signal` };
    }
    case 'noSignal': {
      const p = s.processes.get(e.process)!;
      return { ok: p.signals.length === 0, expected: `${e.process} to have received no signal`, found: p.signals.length ? `${e.process} received ${p.signals.map((x) => `${x.signal} ${x.code}`).join(', ')}` : 'no signal' };
    }
    case 'fs': {
      const f = s.filesystems.get(e.fs)!;
      return { ok: f.state === e.state, actual: f.state, expected: `${e.fs} ${e.state}`, found: `${e.fs} is ${f.state}` };
    }
    case 'poisoned': {
      let n = 0;
      if (e.target.kind === 'alloc' || e.target.kind === 'mapping') {
        const size = e.target.kind === 'alloc' ? s.allocations.get(e.target.name)?.size : s.mappings.get(e.target.name)?.size;
        for (let off = 0n; size !== undefined && off < size && n < 1_000_000; off += PAGE) {
          const p = targetPhys(sim, e.target, off);
          if (p !== undefined && [...s.memoryPoison, ...s.devicePoison].some((x) => x.hardware && x.phys === p)) n++;
          if (off > 1n << 34n) break;
        }
      } else {
        const dax = e.target.kind === 'device' ? s.daxes.get(e.target.name) : undefined;
        if (dax) n = s.devicePoison.filter((p) => p.phys >= dax.decl.base && p.phys < dax.decl.base + dax.decl.size).length;
        for (const i of targetBlocks(sim, e.target)) n += s.blocks.get(i)?.poisoned ?? 0;
        if (!dax && e.target.kind === 'device') {
          const dev = s.devices.get(e.target.name);
          if (dev && (dev.decl.kind === 'pmem' || dev.decl.kind === 'cxl')) n += s.devicePoison.filter((p) => p.phys >= dev.decl.base && p.phys < dev.decl.base + dev.decl.size).length;
        }
      }
      return { ok: BigInt(n) === e.count, actual: String(n), expected: `${targetName(e.target)} poisoned ${e.count}`, found: `${n} page(s) of ${targetName(e.target)} are recorded as poisoned` };
    }
    case 'zone': {
      const idx = targetBlocks(sim, e.target);
      const zones = idx.map((i) => { const b = s.blocks.get(i); return !b || b.state !== 'online' ? 'none' : b.mixedZones ? 'none' : b.zone ?? 'none'; });
      const want = e.zone;
      const ok = idx.length > 0 && zones.every((z) => z === want);
      const uniq = [...new Set(zones)];
      return { ok, ...(idx.length > 0 && uniq.length === 1 ? { actual: uniq[0]! } : {}), expected: `${targetName(e.target)} in ${want === 'none' ? 'no zone' : zoneLabel(want as 'normal')}`, found: idx.length === 0 ? `${targetName(e.target)} has no memory blocks` : `${targetName(e.target)} is in ${uniq.map((z) => (z === 'none' ? 'no zone' : zoneLabel(z as 'normal'))).join(' and ')}` };
    }
    case 'blockState': {
      const t = e.target;
      if (e.state === 'absent') {
        const present = t.kind === 'device' ? (s.devices.get(t.name)?.present ?? (s.daxes.get(t.name) ? s.devices.get(s.daxes.get(t.name)!.decl.region)!.present : true)) : true;
        return { ok: !present, expected: `${targetName(t)} absent`, found: `${targetName(t)} is ${present ? 'present' : 'absent'}` };
      }
      if (e.state === 'leaked') {
        const blocks = targetBlocks(sim, t).map((i) => s.blocks.get(i)).filter((b) => b !== undefined);
        const leaked = blocks.some((b) => b.burned) || (t.kind === 'device' && s.resources.some((r) => r.state === 'burned' && r.name.startsWith(t.name)));
        return { ok: leaked, expected: `${targetName(t)} leaked (burned until reboot)`, found: leaked ? 'its range is burned' : `${targetName(t)}'s range is owned normally` };
      }
      const idx = targetBlocks(sim, t);
      const states = idx.map((i) => s.blocks.get(i)?.state ?? 'removed').map((x) => (x === 'absent' ? 'removed' : x));
      const uniq = [...new Set(states)];
      const ok = e.state === 'removed' ? states.every((x) => x === 'removed') : idx.length > 0 && states.every((x) => x === e.state);
      return { ok, ...(idx.length > 0 && uniq.length === 1 ? { actual: uniq[0]! } : {}), expected: `${targetName(t)} ${e.state}`, found: idx.length === 0 ? `${targetName(t)} has no memory blocks` : `${targetName(t)} blocks are ${uniq.join(' and ')}` };
    }
  }
}
