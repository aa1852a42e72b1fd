// What a name resolves to (from the checked model) and its simulated state after a step (from the
// timeline). Shared by hover and completion details.

import type { Model, StepView, Timeline } from '../core/index.js';
import type { NameDefinition } from './nameIndex.js';
import { formatSize, hex } from './units.js';

/** Markdown lines describing the declared object. */
export function describeDeclaration(def: NameDefinition, model: Model, text: string): string[] {
  const lines = [`**${def.name}** — ${KIND_TEXT[def.kind]} (line ${def.line + 1})`];
  const bs = model.knobs.blockSize;
  const dev = model.devices.find((d) => d.name === def.name);
  if (dev) {
    const first = dev.base / bs, last = (dev.base + dev.size - 1n) / bs;
    lines.push(`range ${hex(dev.base)}–${hex(dev.base + dev.size - 1n)} (${formatSize(dev.size)}), node ${dev.node}`);
    lines.push(`blocks memory${first}..memory${last} (${last - first + 1n} × ${formatSize(bs)})`);
    if (dev.kind === 'dimm') lines.push(dev.present ? 'present at boot' : 'absent until `plug`');
    if (dev.kind === 'virtio-mem') lines.push(`${formatSize(dev.plugged)} plugged at boot`);
  }
  const dax = model.daxes.find((d) => d.name === def.name);
  if (dax) {
    lines.push(`on ${dax.region} (${dax.regionKind}), mode ${dax.mode}, align ${formatSize(dax.align)}, map ${dax.map}`);
    lines.push(`data range ${hex(dax.dataBase)}–${hex(dax.dataBase + dax.dataSize - 1n)} (${formatSize(dax.dataSize)}), node ${dax.node}`);
    if (dax.mode === 'system-ram') lines.push(`blocks memory${dax.dataBase / bs}..memory${(dax.dataBase + dax.dataSize - 1n) / bs}`);
    if (dax.ranges.length > 1) lines.push(`${dax.ranges.length} ranges of ${formatSize(dax.ranges[0]!.size)} (kmem adds and removes each separately)`);
  }
  const hole = model.holes.find((h) => h.name === def.name);
  if (hole) {
    lines.push(`firmware-reserved ${hex(hole.base)}–${hex(hole.base + hole.size - 1n)} (${formatSize(hole.size)}) inside ${hole.ram}: not System RAM`);
    lines.push(`memory${hole.base / bs} has a memory hole: offline → EINVAL`);
  }
  const fs = model.filesystems.find((f) => f.name === def.name);
  if (fs) lines.push(`${fs.type} on ${fs.dax}${fs.type === 'xfs' ? `, rmapbt ${fs.rmapbt ? 'on' : 'off'}` : ''}${fs.mountPoint ? `, mounted at ${fs.mountPoint}` : ', not mounted at boot'}`);
  const proc = model.processes.find((p) => p.name === def.name);
  if (proc && proc.earlyKill) lines.push('early-kill (PR_MCE_KILL_EARLY)');
  if (proc && proc.noHugepage) lines.push('nohugepage (PR_SET_THP_DISABLE): DAX faults are 4K');
  if (!dev && !dax && !fs && !proc && !hole) lines.push('`' + text.slice(def.statement.start, def.statement.end) + '`');
  return lines;
}

const KIND_TEXT: Record<NameDefinition['kind'], string> = {
  ram: 'boot RAM', dimm: 'hot-pluggable DIMM', pmem: 'pmem region', cxl: 'CXL region', 'virtio-mem': 'virtio-mem device', hole: 'firmware hole (e820 reserved)',
  dax: 'DAX device', fs: 'filesystem', process: 'process', alloc: 'allocation', mapping: 'mapping',
};

/** Markdown lines: the state of `name` after the given step, or [] when the timeline knows nothing about it. */
export function describeState(name: string, step: StepView): string[] {
  const s = step.state;
  const out: string[] = [];
  const dev = s.devices.find((d) => d.name === name);
  if (dev) out.push(`device: ${dev.status}${dev.driver ? `, driver ${dev.driver}` : ''}${dev.present ? '' : ', not present'}`);
  const runs = s.blocks.filter((b) => b.owner === name);
  for (const b of runs.slice(0, 6)) {
    const blocks = b.first === b.last ? `memory${b.first}` : `memory${b.first}..memory${b.last}`;
    out.push(`${blocks}: ${b.state}${b.zone ? ` (${b.zone})` : ''}${b.burned ? ', burned' : ''}${b.poisonedPages ? `, ${b.poisonedPages} poisoned pages` : ''}`);
  }
  if (runs.length > 6) out.push(`… ${runs.length - 6} more block runs`);
  const m = s.mappings.find((x) => x.name === name);
  if (m) out.push(`mapping of ${m.source} by ${m.process}: ${m.state}${m.pinned !== 'none' ? `, pinned (${m.pinned})` : ''}`);
  const p = s.processes.find((x) => x.name === name);
  if (p) out.push(`process: ${p.alive ? 'alive' : 'killed'}${p.signals.length ? `, signals: ${p.signals.map((g) => `${g.signal} ${g.code}`).join(', ')}` : ''}`);
  const f = s.filesystems.find((x) => x.name === name);
  if (f) out.push(`filesystem: ${f.state}`);
  return out;
}

export function stepTitle(step: StepView): string {
  return step.index === 0 ? 'boot' : `step ${step.index}${step.label ? ` "${step.label}"` : ''}`;
}

export function eventsOnLine(timeline: Timeline, line: number) {
  return timeline.steps.flatMap((s) => s.events.filter((e) => e.line === line));
}
