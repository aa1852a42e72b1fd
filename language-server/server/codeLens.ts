// Code lens on the `scenario` line: the verdict, "Open timeline" and "Compare kernels". The
// command ids are the extension's (package.json contributes.commands); other clients can ignore them.

import type { Timeline } from '../core/index.js';
import type { CodeLens } from 'vscode-languageserver';
import { hasErrors, type DocumentAnalysis } from './documentAnalysis.js';

export const OPEN_TIMELINE_COMMAND = 'hotplugLab.openTimeline';
export const COMPARE_KERNELS_COMMAND = 'hotplugLab.compareKernels';

/** `lastGood`: the head of the last good timeline (the verdict is all a lens shows: no decoding). */
export function codeLenses(doc: DocumentAnalysis, lastGood: Pick<Timeline, 'verdict'> | undefined): CodeLens[] {
  const scenario = doc.analysis.file.statements.find((s) => s.keyword === 'scenario');
  if (!scenario) return [];
  const range = doc.positions.toRange(scenario.start, scenario.end);
  // While the simulation of this version is still running, the last verdict is the best answer.
  const timeline = doc.timelineRef?.head ?? (doc.simulated ? undefined : lastGood);
  const errors = doc.analysis.diagnostics.filter((d) => d.severity === 'error').length;
  const verdict = timeline
    ? timeline.verdict.summary
    : hasErrors(doc.analysis)
      ? `${errors} error${errors === 1 ? '' : 's'}${lastGood ? ` (last run: ${lastGood.verdict.summary})` : ''}`
      : doc.simulated ? 'not simulated' : 'simulating…';
  return [
    { range, command: { title: `$(pulse) ${verdict}`, command: OPEN_TIMELINE_COMMAND, arguments: [doc.uri] } },
    { range, command: { title: 'Open timeline', command: OPEN_TIMELINE_COMMAND, arguments: [doc.uri] } },
    { range, command: { title: 'Compare kernels', command: COMPARE_KERNELS_COMMAND, arguments: [doc.uri] } },
  ];
}
