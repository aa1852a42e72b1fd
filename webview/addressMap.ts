// The physical address map of one step, as on a whiteboard: regions on the first row, the dax
// devices carved from them on the second, memory blocks (zone/state) on the third, what each
// mapping maps on the fourth; poison as marks and memmap hosting as links between blocks.
import type { StepView, Timeline } from '../language-server/protocol/index.js';
import { createAddressScale, formatAddr, formatSize, parseHex, type AddressScale } from './address.js';
import { blockToken } from './lanes.js';
import type { Token } from './palette.js';

export type MapRow = 'region' | 'device' | 'blocks' | 'mappings';
export const MAP_ROWS: readonly MapRow[] = ['region', 'device', 'blocks', 'mappings'];

export interface MapSegment {
  /** What it is, the same under another kernel (compare mode matches segments by key). */
  readonly key: string;
  readonly row: MapRow;
  readonly x0: number;
  readonly x1: number;
  readonly token: Token;
  readonly label: string;
  /** Hover and screen-reader text. */
  readonly detail: string;
  readonly burned: boolean;
  readonly hazard: boolean;
  /** Compare mode: the other kernel's map has no such segment, or it looks different. */
  readonly diff?: boolean;
}

export interface MapMark {
  readonly x: number;
  readonly label: string;
  readonly detail: string;
  /** Compare mode: the other kernel has no poison here. */
  readonly diff?: boolean;
}

/** "Block run `to` has its memmap in `from`": the seed thread's trap (a memmap inside ZONE_NORMAL of another device). */
export interface MapLink {
  readonly fromX: number;
  readonly toX: number;
  readonly label: string;
}

export interface AddressMapView {
  readonly segments: readonly MapSegment[];
  readonly poison: readonly MapMark[];
  readonly links: readonly MapLink[];
  readonly ticks: readonly { readonly x: number; readonly label: string }[];
}

const MIN_MAPPING_W = 0.006;

const ZONE_NAMES: Readonly<Record<string, string>> = {
  dma: 'ZONE_DMA', dma32: 'ZONE_DMA32', normal: 'ZONE_NORMAL', movable: 'ZONE_MOVABLE', none: 'no zone',
};

function devicesAt(step: StepView): Map<string, { mode?: string; driver: string; status: string }> {
  return new Map(step.state.devices.map((d) => [d.name, d]));
}

export function buildAddressMap(timeline: Timeline, stepIndex: number, scale: AddressScale = createAddressScale(timeline.regions)): AddressMapView {
  const step = timeline.steps[Math.max(0, Math.min(stepIndex, timeline.steps.length - 1))];
  const segments: MapSegment[] = [];
  const ticks: { x: number; label: string }[] = [];
  for (const p of scale.pieces) {
    ticks.push({ x: p.x0, label: formatAddr(p.base) });
  }
  const devices = step ? devicesAt(step) : new Map();
  for (const r of timeline.regions) {
    const base = parseHex(r.base);
    const size = parseHex(r.size);
    const x0 = scale.toX(base);
    const x1 = scale.toX(base + size);
    const range = `${formatAddr(base)}–${formatAddr(base + size - 1n)} (${formatSize(size)})`;
    if (r.kind !== 'dax') {
      segments.push({ key: `region:${r.name}`, row: 'region', x0, x1, token: 'region', label: `${r.name} ${r.kind} ${formatSize(size)}`, detail: `${r.name}: ${r.kind} ${range}, node ${r.node}`, burned: false, hazard: false });
      continue;
    }
    const dev = devices.get(r.name);
    const mode = dev?.mode ?? r.mode ?? '';
    // devdax and fsdax pages are ZONE_DEVICE; system-ram ones show up as memory blocks below.
    const token: Token = mode === 'system-ram' ? 'region' : mode === 'fsdax' || mode === 'devdax' ? 'zone-device' : 'zone-none';
    const status = dev ? dev.status : 'not present';
    segments.push({ key: `dax:${r.name}`, row: 'device', x0, x1, token, label: `${r.name} ${mode}`, detail: `${r.name}: dax ${mode} on ${r.parent ?? '?'} ${range} — ${status}`, burned: false, hazard: false });
  }
  if (!step) return { segments, poison: [], links: [], ticks };

  const blockSize = parseHex(timeline.blockSize) || 1n;
  const runX = new Map<string, { x0: number; x1: number }>();
  for (const run of step.state.blocks) {
    const base = BigInt(run.first) * blockSize;
    const end = BigInt(run.last + 1) * blockSize;
    const x0 = scale.toX(base);
    const x1 = scale.toX(end);
    const zone = run.zone ? ZONE_NAMES[run.zone] ?? run.zone : 'no zone';
    const used = Object.entries(run.used).map(([k, v]) => `${k} ${formatSize(parseHex(v ?? '0'))}`).join(', ');
    const name = run.first === run.last ? `memory${run.first}` : `memory${run.first}..memory${run.last}`;
    const detail = [
      `${name} (${run.owner}): ${run.state}, ${zone}, node ${run.node}`,
      run.burned ? 'BURNED: claimed by no live owner until reboot' : '',
      run.poisonedPages > 0 ? `${run.poisonedPages} poisoned page(s)` : '',
      used ? `in use: ${used}` : '',
      `memmap: ${run.memmapHost}`,
    ].filter(Boolean).join('\n');
    segments.push({ key: `blocks:${run.owner}:${run.first}-${run.last}`, row: 'blocks', x0, x1, token: blockToken(run), label: `${run.owner} ${run.state === 'online' ? zone : run.state}`, detail, burned: run.burned, hazard: run.burned });
    const prev = runX.get(run.owner);
    runX.set(run.owner, prev ? { x0: Math.min(prev.x0, x0), x1: Math.max(prev.x1, x1) } : { x0, x1 });
  }
  const links: MapLink[] = [];
  for (const run of step.state.blocks) {
    if (run.memmapHost === 'self' || run.memmapHost === 'boot' || run.memmapHost === '' || run.memmapHost === run.owner) continue;
    // Removed blocks have no memmap any more (freed by remove_memory()); no link to draw.
    if (run.state === 'removed' || run.state === 'absent') continue;
    const host = runX.get(run.memmapHost);
    const me = runX.get(run.owner);
    if (!host || !me) continue;
    const label = `memmap of ${run.owner} lives in ${run.memmapHost}`;
    if (!links.some((l) => l.label === label)) links.push({ fromX: (host.x0 + host.x1) / 2, toX: (me.x0 + me.x1) / 2, label });
  }
  for (const m of step.state.mappings) {
    // A gone mapping (unmapped, or its process exited) maps nothing; its lane says "gone".
    if (m.state === 'gone') continue;
    const base = parseHex(m.base);
    const size = parseHex(m.size);
    const token: Token = m.state === 'poisoned' ? 'poison' : m.state === 'stale' ? 'stale' : m.state === 'zapped' ? 'zapped' : 'valid';
    // A 2 MiB mapping in a 16 GiB region would be a hairline: give it a visible minimum width.
    const x0 = scale.toX(base);
    const x1 = Math.max(scale.toX(base + size), Math.min(1, x0 + MIN_MAPPING_W));
    segments.push({
      key: `mapping:${m.name}`, row: 'mappings', x0, x1, token,
      label: `${m.process}:${m.name} ${m.state}`,
      detail: `${m.process} maps ${m.name} (${m.source}) ${formatAddr(base)}+${formatSize(size)}: ${m.state}`,
      burned: false, hazard: m.state === 'stale',
    });
  }
  for (const r of step.state.resources) {
    if (r.state !== 'burned') continue;
    const base = parseHex(r.base);
    const size = parseHex(r.size);
    segments.push({ key: `burned:${r.name}`, row: 'region', x0: scale.toX(base), x1: scale.toX(base + size), token: 'burned', label: `${r.name} burned`, detail: `${r.name}: ${formatAddr(base)}+${formatSize(size)} burned until reboot (request_region leaked)`, burned: true, hazard: true });
  }
  const poison = step.state.poison.map((p) => {
    const base = parseHex(p.base);
    return { x: scale.toX(base), label: `☠ ${p.pages}`, detail: `poison at ${formatAddr(base)}: ${p.pages} page(s), ${p.what}` };
  });
  return { segments, poison, links, ticks };
}
