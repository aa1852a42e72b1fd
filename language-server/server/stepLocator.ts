// Which step a line belongs to. The timeline knows (StepView.firstLine/lastLine); without a
// timeline (errors, or before simulation) the `step` statements give the same answer, with
// step 0 meaning the boot (everything before the first `step`).

import type { SourceFile, StepView, Timeline } from '../core/index.js';

export function stepIndexAtLine(file: SourceFile, timeline: Timeline | undefined, line: number): number {
  const view = timeline ? stepViewAtLine(timeline, line) : undefined;
  if (view) return view.index;
  let index = 0;
  for (const s of file.statements) {
    if (s.line > line) break;
    if (s.keyword === 'step') index++;
  }
  return index;
}

export function stepViewAtLine(timeline: Timeline, line: number): StepView | undefined {
  let best: StepView | undefined;
  for (const st of timeline.steps) {
    if (st.firstLine <= line && line <= st.lastLine) best = st;
  }
  if (best) return best;
  // Lines between steps (comments, blank lines) belong to the last step that started before them.
  for (const st of timeline.steps) if (st.line >= 0 && st.line <= line) best = st;
  return best ?? timeline.steps[0];
}

/** Line ranges of the `step` blocks, from each `step` line to its last statement. */
export function stepBlocks(file: SourceFile): { line: number; lastLine: number; statementIndex: number }[] {
  const blocks: { line: number; lastLine: number; statementIndex: number }[] = [];
  file.statements.forEach((s, i) => {
    if (s.keyword === 'step') blocks.push({ line: s.line, lastLine: s.line, statementIndex: i });
    else if (blocks.length > 0) blocks[blocks.length - 1]!.lastLine = s.line;
  });
  return blocks;
}
