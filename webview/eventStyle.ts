// How one event looks: token, short label on its mark, and the hover text with the cause chain.
import type { EventView, StepView } from '../language-server/protocol/index.js';
import type { Token } from './palette.js';

export function eventToken(e: EventView): Token {
  if (e.result === 'crash' || e.result === 'oops' || e.hazard === 'crash') return 'crash';
  if (e.hazard) return 'hazard';
  switch (e.result) {
    case 'ok': return 'ok';
    case 'info': return 'info';
    case 'leaked': return 'burned';
    case 'SIGBUS': return 'signal';
    default: return 'fail';
  }
}

/** True for what must be unmissable: a crash, an oops, data exposure, any hazard. */
export function isHazard(e: EventView): boolean {
  return e.hazard !== undefined || e.result === 'crash' || e.result === 'oops';
}

/** "SIGBUS AR" when the step recorded the signal code (BUS_MCEERR_AR/AO), else the result. */
function resultText(e: EventView, step: StepView): string {
  if (e.result !== 'SIGBUS') return e.result;
  for (const p of step.state.processes) {
    if (p.name !== e.subject) continue;
    const sig = p.signals.find((s) => s.step === step.index && s.line === e.line);
    if (sig) return `SIGBUS ${sig.code.replace(/^BUS_MCEERR_/, '')}`;
  }
  return 'SIGBUS';
}

export function eventLabel(e: EventView, step: StepView): string {
  if (e.hazard) return `${e.hazard}`;
  if (e.kind === 'signal' || e.result === 'SIGBUS') return resultText(e, step);
  return e.result === 'info' ? e.kind : `${e.kind} ${resultText(e, step)}`;
}

/** The hover text: what happened, the kernel rule, and the statements that caused it. */
export function eventDetail(e: EventView, step: StepView): string {
  const lines = [`${e.kind} ${e.subject} → ${resultText(e, step)} (line ${e.line + 1})`, e.message];
  if (e.hazard) lines.push(`HAZARD: ${e.hazard}`);
  if (e.rule || e.source) lines.push(`rule ${e.rule}${e.source ? ` — ${e.source}` : ''}${e.assumed ? ' (assumed)' : ''}`);
  for (const log of e.log) lines.push(`kernel: ${log}`);
  if (e.causes.length > 0) {
    lines.push('because:');
    for (const c of e.causes) lines.push(`  line ${c.line + 1}: ${c.message}`);
  }
  return lines.join('\n');
}
