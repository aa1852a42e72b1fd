// The recorder the rules write to: events (with kernel log lines, rule id and causes), hazards and
// signals. One Sim per simulate() call; nothing global.

import type { Action } from '../check/model.js';
import type { Span } from '../diagnostics/diagnostic.js';
import type { HazardKind } from '../syntax/grammar.js';
import { ruleSource, type RuleId } from './rules.js';
import type { Mapping, ProcessState, SimState } from './state.js';
import type { CauseView, EventResult, EventView, MappingView, ProcessView } from './timeline.js';

export interface EventInput {
  readonly kind: string;
  readonly subject: string;
  readonly result: EventResult;
  readonly message: string;
  readonly rule: RuleId;
  readonly log?: readonly string[];
  readonly causes?: readonly CauseView[];
  readonly assumed?: boolean;
  readonly hazard?: HazardKind;
  /** An edit that would avoid the failure (quick fix): a statement to insert before this one. */
  readonly fix?: { readonly insertBefore: string; readonly title: string };
}

export interface RecordedEvent extends EventView {
  readonly step: number;
  readonly fix?: EventInput['fix'];
  /** The action's own outcome (first non-hazard event of an action), for `=> RESULT`. */
  readonly primary: boolean;
}

export interface SimCounters {
  readonly nextId: number;
  readonly hazards: readonly (readonly [HazardKind, number])[];
}

export class Sim {
  readonly events: RecordedEvent[] = [];
  /** Kernel log of the current step. */
  stepLog: string[] = [];
  step = 0;
  /** The statement being run. */
  current: { line: number; span: Span } = { line: -1, span: { start: 0, length: 0 } };
  private primaryTaken = false;
  private nextId = 1;
  /** Hazards raised so far (cumulative), by kind. */
  readonly hazards = new Map<HazardKind, number>();
  /** Views reused between steps when the entity did not change (views.ts). */
  readonly viewCache = { mappings: new Map<Mapping, MappingView>(), processes: new Map<ProcessState, ProcessView>() };

  /** The span of the action or expectation on each line (for causes), built on first use. */
  private lineSpans: Map<number, Span> | undefined;

  constructor(readonly state: SimState) {}

  /** What a checkpoint keeps of the recorder besides the state (simulate.ts). */
  counters(): SimCounters {
    return { nextId: this.nextId, hazards: [...this.hazards] };
  }

  /** Continues numbering and hazard counts from a checkpoint. */
  resume(c: SimCounters): void {
    this.nextId = c.nextId;
    this.hazards.clear();
    for (const [k, n] of c.hazards) this.hazards.set(k, n);
  }

  spanOfLine(line: number): Span {
    if (!this.lineSpans) {
      this.lineSpans = new Map();
      for (const st of this.state.model.steps) for (const it of st.items) {
        const x = it.kind === 'action' ? it.action : it.expect;
        if (!this.lineSpans.has(x.line)) this.lineSpans.set(x.line, x.span);
      }
    }
    return this.lineSpans.get(line) ?? { start: 0, length: 0 };
  }

  begin(action: Pick<Action, 'line' | 'span'> | { line: number; span: Span }): void {
    this.current = { line: action.line, span: action.span };
    this.primaryTaken = false;
  }

  /** Records an event; the first non-hazard event of an action is its primary outcome. */
  event(e: EventInput): RecordedEvent {
    const primary = !this.primaryTaken && e.hazard === undefined;
    if (primary) this.primaryTaken = true;
    const ev: RecordedEvent = {
      id: this.nextId++,
      step: this.step,
      line: this.current.line,
      span: this.current.span,
      kind: e.kind,
      subject: e.subject,
      result: e.result,
      message: e.message,
      rule: e.rule,
      source: ruleSource(e.rule),
      log: e.log ?? [],
      causes: e.causes ?? [],
      assumed: e.assumed ?? false,
      ...(e.hazard ? { hazard: e.hazard } : {}),
      ...(e.fix ? { fix: e.fix } : {}),
      primary,
    };
    this.events.push(ev);
    this.stepLog.push(...ev.log);
    if (e.hazard) this.hazards.set(e.hazard, (this.hazards.get(e.hazard) ?? 0) + 1);
    return ev;
  }

  hazard(kind: HazardKind, subject: string, message: string, rule: RuleId, extra: Partial<EventInput> = {}): void {
    this.event({ kind: 'hazard', subject, result: kind === 'crash' ? (extra.result ?? 'crash') : extra.result ?? 'info', message, rule, hazard: kind, ...extra });
  }

  crash(subject: string, message: string, rule: RuleId, extra: Partial<EventInput> = {}): void {
    if (this.state.crashed) return;
    this.state.crashed = message;
    this.hazard('crash', subject, message, rule, { result: 'crash', ...extra });
  }

  /** Delivers SIGBUS (or SIGKILL); the default action terminates the process. */
  signal(process: string, signal: string, code: string, why: string, rule: RuleId, extra: Partial<EventInput> = {}): void {
    const p = this.state.processes.get(process);
    if (!p || !p.alive) return;
    p.signals.push({ signal, code, step: this.step, line: this.current.line });
    // The default SIGBUS action terminates the process; its mappings keep the state they had, so
    // the timeline still shows what the PTEs were when it died.
    p.alive = false;
    this.event({
      kind: 'signal', subject: process, result: 'SIGBUS',
      message: `${process} receives ${signal}${code ? ` (${code})` : ''}: ${why} The default action terminates it.`,
      rule, ...extra,
    });
  }
}

export function causeOf(line: number, span: Span, message: string): CauseView {
  return { line, span: { start: span.start, length: span.length }, message };
}
