// Quick fixes for simulated outcomes (HL3xxx/HL4xxx): edits that change what the kernel does,
// found from the scenario's own statements.
//  - An offline/unplug/remove that fails (EBUSY, hang) on memory an earlier `online` put in a
//    kernel zone: online it to ZONE_MOVABLE instead, so unmovable allocations cannot land there
//    (mm/page_alloc.c: gfp_zone(); ZONE_MOVABLE only serves movable pages).
//  - A stale mapping left by an XFS-on-fsdax unbind before 6.8: kernel 6.8 added
//    MF_MEM_PRE_REMOVE (fs/xfs/xfs_notify_failure.c), which makes XFS unmap every mapper first.

import { versionAtLeast, type Statement } from '../core/index.js';
import type { Diagnostic, TextEdit } from 'vscode-languageserver';
import type { DocumentAnalysis } from './documentAnalysis.js';

export interface OutcomeFix {
  readonly title: string;
  readonly edits: TextEdit[];
}

const BLOCKED_REMOVAL = new Set(['offline', 'unplug', 'remove']);

export function outcomeFixes(doc: DocumentAnalysis, d: Diagnostic, code: string): OutcomeFix[] {
  const stmt = doc.statementAt(d.range.start.line);
  if (!stmt) return [];
  const out: OutcomeFix[] = [];
  if ((code === 'HL3001' || code === 'HL3002') && BLOCKED_REMOVAL.has(stmt.keyword)) out.push(...onlineMovable(doc, stmt));
  if (code === 'HL4003') out.push(...kernelWithPreRemove(doc));
  return out;
}

function onlineMovable(doc: DocumentAnalysis, failing: Statement): OutcomeFix[] {
  const target = failing.args['target'] ?? failing.args['device'];
  if (!target || target.missing || target.rangeTo !== undefined) return [];
  const onlines = doc.analysis.file.statements.filter((s) =>
    s.keyword === 'online' && s.line < failing.line && s.args['target']?.text === target.text && s.args['target']?.rangeTo === undefined
    && s.options['as']?.value?.text !== 'online_movable');
  return onlines.map((s) => {
    const as = s.options['as'];
    const t = s.args['target']!;
    const edit: TextEdit = as?.value && !as.value.missing
      ? { range: doc.positions.toRange(as.value.start, as.value.end), newText: 'online_movable' }
      : { range: doc.positions.toRange(t.end, t.end), newText: ' as online_movable' };
    return { title: `Online '${target.text}' to ZONE_MOVABLE instead (line ${s.line + 1})`, edits: [edit] };
  });
}

function kernelWithPreRemove(doc: DocumentAnalysis): OutcomeFix[] {
  const { model, file } = doc.analysis;
  if (versionAtLeast(model.kernel, 6, 8) || !model.filesystems.some((f) => f.type === 'xfs' && f.rmapbt)) return [];
  const kernel = file.statements.find((s) => s.keyword === 'kernel');
  const version = kernel?.args['version'];
  let edit: TextEdit;
  if (version && version.end > version.start) edit = { range: doc.positions.toRange(version.start, version.end), newText: '6.8' };
  else {
    const scenario = file.statements.find((s) => s.keyword === 'scenario');
    const at = scenario ? doc.positions.toRange(scenario.end, scenario.end) : doc.positions.toRange(0, 0);
    edit = scenario ? { range: at, newText: `${eol(doc.text)}kernel 6.8` } : { range: at, newText: `kernel 6.8${eol(doc.text)}` };
  }
  return [{ title: 'Set kernel 6.8 to get MF_MEM_PRE_REMOVE (XFS unmaps every mapper before the device goes)', edits: [edit] }];
}

function eol(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}
