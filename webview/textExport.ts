// The plain-text timeline for export: per step, the events and the state that matters. The
// server has its own renderer (hotplug/renderText); this one exists so export works from the
// webview alone, including for a stale (last good) timeline.
import type { Timeline } from '../language-server/protocol/index.js';

export function timelineToText(t: Timeline): string {
  const out: string[] = [`scenario "${t.title}" (kernel ${t.kernel}): ${t.verdict.summary}`];
  for (const [i, step] of t.steps.entries()) {
    out.push('', `step ${i} ${step.label}${step.line >= 0 ? ` (line ${step.line + 1})` : ''}`);
    for (const e of step.events) {
      out.push(`  ${e.kind} ${e.subject} -> ${e.result}${e.hazard ? ` HAZARD ${e.hazard}` : ''}: ${e.message}`);
      for (const c of e.causes) out.push(`    because line ${c.line + 1}: ${c.message}`);
    }
    const s = step.state;
    for (const d of s.devices) out.push(`  device ${d.name}: ${d.status}`);
    for (const m of s.mappings) out.push(`  mapping ${m.process}:${m.name} ${m.base}+${m.size}: ${m.state}`);
    for (const p of s.poison) out.push(`  poison ${p.base} ${p.pages} page(s) ${p.what}`);
    for (const r of s.resources) if (r.state === 'burned') out.push(`  burned ${r.name} ${r.base}+${r.size}`);
    if (s.crashed) out.push(`  CRASHED${s.crashReason ? `: ${s.crashReason}` : ''}`);
  }
  return `${out.join('\n')}\n`;
}
