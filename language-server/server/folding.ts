// Folding: each step folds from its `step` line to its last statement.

import type { FoldingRange } from 'vscode-languageserver';
import type { DocumentAnalysis } from './documentAnalysis.js';
import { stepBlocks } from './stepLocator.js';

export function foldingRanges(doc: DocumentAnalysis): FoldingRange[] {
  return stepBlocks(doc.analysis.file)
    .filter((b) => b.lastLine > b.line)
    .map((b) => ({ startLine: b.line, endLine: b.lastLine }));
}
