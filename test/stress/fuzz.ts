// The fuzz properties of issue 8, as one function: `npm run stress` runs 100,000 cases, the test
// suite a few hundred. For every random or mutated scenario: analysis (scan, parse, check,
// simulate) returns within a time bound and never throws; it is deterministic (same input, same
// diagnostics and timeline); the formatter is idempotent and keeps every token and comment.
import fc from 'fast-check';
import { analyze, isTrivia, parse, TokenKind } from '../../language-server/core/index.js';
import { formatText } from '../../language-server/server/formatting.js';
import { corpus, mutated, tokenSoup } from '../support/corpus.js';

export interface FuzzReport {
  readonly cases: number;
  readonly slowestMs: number;
  readonly failures: string[];
}

function significant(text: string): string[] {
  const f = parse(text);
  return f.tokens.filter((t) => !isTrivia(t.kind) || t.kind === TokenKind.Comment).map((t) => text.slice(t.start, t.end));
}

export function checkCase(text: string, boundMs: number): { ms: number; problem?: string } {
  const t0 = performance.now();
  let a1, a2;
  try {
    a1 = analyze(text);
    a2 = analyze(text);
  } catch (e) {
    return { ms: performance.now() - t0, problem: `analyze threw: ${(e as Error).stack ?? e}` };
  }
  const ms = (performance.now() - t0) / 2;
  if (ms > boundMs) return { ms, problem: `analysis took ${ms.toFixed(0)} ms (bound ${boundMs} ms)` };
  if (JSON.stringify(a1.diagnostics) !== JSON.stringify(a2.diagnostics)) return { ms, problem: 'diagnostics differ between two runs' };
  if (JSON.stringify(a1.timeline ?? null) !== JSON.stringify(a2.timeline ?? null)) return { ms, problem: 'timeline differs between two runs' };
  let once: string, twice: string;
  try {
    once = formatText(parse(text));
    twice = formatText(parse(once));
  } catch (e) {
    return { ms, problem: `formatter threw: ${(e as Error).stack ?? e}` };
  }
  if (once !== twice) return { ms, problem: 'formatting is not idempotent' };
  if (JSON.stringify(significant(text)) !== JSON.stringify(significant(once))) return { ms, problem: 'formatting changed, lost or reordered a token or comment' };
  return { ms };
}

export function runFuzz(cases: number, seed: number, boundMs = 2000): FuzzReport {
  const texts = corpus();
  const failures: string[] = [];
  let slowest = 0;
  const arb = fc.oneof(tokenSoup, mutated(texts), fc.string({ unit: 'binary', maxLength: 300 }));
  for (const text of fc.sample(arb, { numRuns: cases, seed })) {
    const r = checkCase(text, boundMs);
    if (r.ms > slowest) slowest = r.ms;
    if (r.problem && failures.length < 10) failures.push(`${r.problem}\n  input: ${JSON.stringify(text).slice(0, 400)}`);
  }
  return { cases, slowestMs: slowest, failures };
}
