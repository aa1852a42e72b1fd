// The plain-text timeline (CLI `run`, export, terminal): fit for a mailing-list post.

import type { EventView, StateView, Timeline } from './timeline.js';

function mark(e: EventView): string {
  if (e.hazard) return e.hazard === 'crash' ? '!!' : ' !';
  return e.result === 'ok' ? '  ' : e.result === 'info' ? ' ·' : ' ✗';
}

function stateLines(s: StateView): string[] {
  const out: string[] = [];
  for (const r of s.blocks) {
    const range = r.first === r.last ? `memory${r.first}` : `memory${r.first}..memory${r.last}`;
    const zone = r.zone ? ` ${r.zone}` : '';
    const extra = [r.burned ? 'BURNED' : '', r.poisonedPages ? `${r.poisonedPages} poisoned` : '', r.memmapHost !== 'boot' && r.memmapHost !== 'self' ? `memmap in ${r.memmapHost}` : r.memmapHost === 'self' ? 'memmap self-hosted' : ''].filter(Boolean).join(', ');
    out.push(`    ${range.padEnd(24)} ${r.owner.padEnd(10)} ${(r.state + zone).padEnd(18)} node ${r.node}${extra ? `  (${extra})` : ''}`);
  }
  for (const m of s.mappings) out.push(`    mapping ${m.name} (${m.process} → ${m.source}): ${m.state}${m.pinned !== 'none' ? `, pinned ${m.pinned}` : ''}`);
  for (const p of s.processes) if (!p.alive || p.signals.length) out.push(`    process ${p.name}: ${p.alive ? 'alive' : 'killed'}${p.signals.length ? ` (${p.signals.map((x) => `${x.signal} ${x.code}`).join(', ')})` : ''}`);
  for (const f of s.filesystems) out.push(`    fs ${f.name}: ${f.state}`);
  for (const r of s.resources) if (r.state === 'burned') out.push(`    resource "${r.name}" ${r.base}+${r.size}: BURNED until reboot`);
  if (s.crashed) out.push(`    KERNEL CRASHED: ${s.crashReason}`);
  return out;
}

export function renderTimelineText(t: Timeline): string {
  const out: string[] = [];
  out.push(`Scenario: ${t.title}`);
  out.push(`Kernel ${t.kernel}, block size ${t.blockSize}; verdict: ${t.verdict.summary}`);
  const knobs = Object.entries(t.knobs).map(([k, v]) => `${k}=${v}`).join(' ');
  out.push(`Knobs: ${knobs}`);
  out.push('');
  for (const st of t.steps) {
    out.push(`[${st.index}] ${st.label}${st.line >= 0 ? ` (line ${st.line + 1})` : ''}`);
    for (const e of st.events) {
      const line = e.line >= 0 ? `${String(e.line + 1).padStart(4)}` : '    ';
      out.push(` ${mark(e)} ${line}  ${e.kind} ${e.subject} → ${e.result}${e.assumed ? ' (assumed)' : ''}`);
      out.push(`          ${e.message}`);
      for (const l of e.log) out.push(`          | ${l}`);
      for (const c of e.causes) out.push(`          ← line ${c.line + 1}: ${c.message}`);
    }
    out.push('  state after:');
    out.push(...stateLines(st.state));
    out.push('');
  }
  return out.join('\n');
}
