// Hover: what the thing under the cursor means. Keywords and knobs explain themselves from the
// statement and knob tables; names show what they resolve to and their simulated state after the
// step under the cursor; action lines show what the simulator says happened there.

import { KNOB_BY_KEY, STATEMENTS, describeKnobType, type EventView, type Statement, type Timeline } from '../core/index.js';
import type { Hover, MarkupContent } from 'vscode-languageserver';
import type { DocumentAnalysis } from './documentAnalysis.js';
import { describeDeclaration, describeState, eventsOnLine, stepTitle } from './describeName.js';
import { stepViewAtLine } from './stepLocator.js';
import { tokenAt } from './tokenAt.js';

export function hover(doc: DocumentAnalysis, offset: number, lastTimeline: Timeline | undefined): Hover | null {
  const { file, model } = doc.analysis;
  const hit = tokenAt(file, offset);
  if (!hit) return null;
  const { token } = hit;
  const line = doc.positions.toPosition(token.start).line;
  const stmt = doc.statementAt(line);
  const timeline = doc.analysis.timeline ?? lastTimeline;
  let parts: string[] | undefined;

  if (stmt && token.start === stmt.keywordStart) parts = keywordHover(stmt, timeline);
  else if (stmt?.set && (within(stmt.set.key, offset) || (stmt.set.value && within(stmt.set.value, offset)))) parts = knobHover(stmt.set.key.text);
  else if (stmt && optionAt(stmt, offset)) parts = optionHover(stmt, optionAt(stmt, offset)!);
  else if (stmt?.result && offset >= stmt.result.arrowStart) parts = resultHover(stmt, timeline);
  else {
    const occ = doc.names.at(offset);
    const def = occ ? doc.names.definitions.get(occ.name) : undefined;
    if (occ && def) {
      parts = describeDeclaration(def, model, doc.text);
      const step = timeline ? stepViewAtLine(timeline, line) : undefined;
      const state = step ? describeState(occ.name, step) : [];
      if (step && state.length > 0) parts.push(`*After ${stepTitle(step)}:*\n` + state.map((s) => `- ${s}`).join('\n'));
    }
  }
  if (!parts || parts.length === 0) return null;
  const contents: MarkupContent = { kind: 'markdown', value: parts.join('\n\n') };
  return { contents, range: doc.positions.toRange(token.start, token.end) };
}

function within(v: { start: number; end: number }, offset: number): boolean {
  return v.start <= offset && offset <= v.end;
}

function optionAt(stmt: Statement, offset: number): string | undefined {
  for (const o of Object.values(stmt.options)) if (o.keyStart <= offset && offset <= o.keyEnd) return o.key;
  return undefined;
}

function keywordHover(stmt: Statement, timeline: Timeline | undefined): string[] {
  const spec = STATEMENTS.get(stmt.keyword);
  if (!spec) return [];
  const parts = [`**${spec.keyword}** — ${spec.summary}`, '`' + spec.synopsis + '`'];
  if (timeline && (spec.category === 'action' || spec.category === 'expect')) parts.push(...describeEvents(eventsOnLine(timeline, stmt.line)));
  return parts;
}

function knobHover(key: string): string[] {
  const spec = KNOB_BY_KEY.get(key);
  if (!spec) return [];
  return [`**set ${spec.key}** (default \`${spec.default}\`; ${describeKnobType(spec)})`, spec.kernel];
}

function optionHover(stmt: Statement, key: string): string[] {
  const opt = STATEMENTS.get(stmt.keyword)?.options.find((o) => o.key === key);
  return opt ? [`**${stmt.keyword} … ${key}** — ${opt.describe}`] : [];
}

function resultHover(stmt: Statement, timeline: Timeline | undefined): string[] {
  const expected = stmt.result?.value?.text ?? '';
  const parts = [`Expected result: **${expected}**`];
  if (timeline) parts.push(...describeEvents(eventsOnLine(timeline, stmt.line)));
  else parts.push('Not simulated yet (the scenario has errors or the simulator did not run).');
  return parts;
}

function describeEvents(events: readonly EventView[]): string[] {
  return events.map((e) => {
    const head = `**${e.kind} ${e.subject} → ${e.result}**${e.assumed ? ' (assumed)' : ''}: ${e.message}`;
    const src = e.source ? `\n\n${e.rule} — \`${e.source}\`` : '';
    const causes = e.causes.length ? '\n\nBecause:\n' + e.causes.map((c) => `- line ${c.line + 1}: ${c.message}`).join('\n') : '';
    const log = e.log.length ? '\n\n```\n' + e.log.join('\n') + '\n```' : '';
    return head + src + causes + log;
  });
}
