// Inlay hints: the memory blocks of each declared device (`dimm0` ⟶ memory64..memory71), and
// after an `online` action the zone the simulator put the blocks in.

import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver';
import type { Timeline } from '../core/index.js';
import type { DocumentAnalysis } from './documentAnalysis.js';
import { stepViewAtLine } from './stepLocator.js';

export function inlayHints(doc: DocumentAnalysis, range: Range, lastGood: Timeline | undefined): InlayHint[] {
  const { model, file } = doc.analysis;
  const bs = model.knobs.blockSize;
  const from = range.start.line, to = range.end.line;
  const hints: InlayHint[] = [];
  const blocksOf = (base: bigint, size: bigint) => {
    if (size <= 0n || bs <= 0n) return undefined;
    const first = base / bs, last = (base + size - 1n) / bs;
    return first === last ? `memory${first}` : `memory${first}..memory${last}`;
  };
  const at = (offset: number, label: string): InlayHint => ({ position: doc.positions.toPosition(offset), label, kind: InlayHintKind.Type, paddingLeft: true });

  for (const d of model.devices) {
    if (d.line < from || d.line > to) continue;
    const blocks = blocksOf(d.base, d.size);
    if (blocks) hints.push(at(d.nameSpan.start + d.nameSpan.length, blocks));
  }
  for (const d of model.daxes) {
    if (d.line < from || d.line > to || d.mode !== 'system-ram') continue;
    const blocks = blocksOf(d.dataBase, d.dataSize);
    if (blocks) hints.push(at(d.nameSpan.start + d.nameSpan.length, blocks));
  }
  const timeline = doc.analysis.timeline ?? lastGood;
  if (timeline) {
    for (const s of file.statements) {
      if (s.keyword !== 'online' || s.line < from || s.line > to) continue;
      const target = s.args['target'];
      const step = stepViewAtLine(timeline, s.line);
      if (!target || target.missing || !step) continue;
      const zones = new Set(step.state.blocks.filter((b) => b.owner === target.text && b.state === 'online').map((b) => b.zone ?? 'none'));
      if (zones.size > 0) hints.push(at(s.end, `→ ${[...zones].join(', ')}`));
    }
  }
  return hints;
}
