// `hotplug/renderText`: the plain-text timeline (export, terminal, any LSP client). The text is
// the core's rendering, the same `hotplug-lab run` prints, so an exported timeline and the CLI
// never disagree; this module only adds the answer for documents that have no timeline.

import { renderTimelineText } from '../core/index.js';
import { hasErrors, type DocumentAnalysis } from './documentAnalysis.js';

export function renderDocumentText(doc: DocumentAnalysis | undefined, uri: string): string {
  if (!doc) return `No timeline: ${uri} is not open.\n`;
  const timeline = doc.analysis.timeline;
  if (timeline) return renderTimelineText(timeline);
  const errors = doc.analysis.diagnostics.filter((d) => d.severity === 'error').length;
  return hasErrors(doc.analysis)
    ? `No timeline: the scenario has ${errors} error${errors === 1 ? '' : 's'}; fix them to simulate it.\n`
    : 'No timeline: the scenario was not simulated.\n';
}
