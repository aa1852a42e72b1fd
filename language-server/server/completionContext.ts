// Where in a statement the cursor is: which statement, which positional argument or option value
// comes next. Worked out from the tokens before the cursor on that line, so it also works on
// half-typed lines the parser rejects.

import { STATEMENTS, TokenKind, isTrivia, type ArgSpec, type OptionSpec, type SourceFile, type StatementSpec, type Token } from '../core/index.js';

export type Slot =
  | { readonly kind: 'statement' }
  | { readonly kind: 'knobKey' }
  | { readonly kind: 'knobValue'; readonly key: string }
  | { readonly kind: 'result' }
  | { readonly kind: 'expect'; readonly words: readonly string[] }
  | { readonly kind: 'arg'; readonly spec: StatementSpec; readonly arg: ArgSpec | undefined; readonly used: ReadonlySet<string> }
  | { readonly kind: 'optionValue'; readonly spec: StatementSpec; readonly option: OptionSpec }
  | { readonly kind: 'none' };

export function completionSlot(file: SourceFile, lineStart: number, offset: number): Slot {
  const before: Token[] = [];
  for (const t of file.tokens) {
    if (t.end <= lineStart) continue;
    if (t.start >= offset) break;
    if (t.kind === TokenKind.Newline) { before.length = 0; continue; }
    // Inside a comment or a string nothing is completed.
    if ((t.kind === TokenKind.Comment || t.kind === TokenKind.String) && t.end >= offset && t.start < offset) return { kind: 'none' };
    if (!isTrivia(t.kind)) before.push(t);
  }
  // The word being typed is the completion prefix, not context.
  const last = before[before.length - 1];
  if (last && last.end === offset && last.kind !== TokenKind.Arrow && last.kind !== TokenKind.Equals && last.kind !== TokenKind.DotDot) before.pop();
  if (before.length === 0) return { kind: 'statement' };
  const word = (t: Token | undefined) => (t && t.kind === TokenKind.Identifier ? (t.value as string) : undefined);
  const first = word(before[0]);
  if (before[before.length - 1]!.kind === TokenKind.Arrow) return { kind: 'result' };
  if (first === 'set') {
    const eq = before.findIndex((t) => t.kind === TokenKind.Equals);
    if (eq < 0) return before.length === 1 ? { kind: 'knobKey' } : { kind: 'none' };
    return eq === before.length - 1 ? { kind: 'knobValue', key: word(before[1]) ?? '' } : { kind: 'none' };
  }
  if (first === 'expect') return { kind: 'expect', words: before.slice(1).map((t) => word(t) ?? '') };
  const spec = first === undefined ? undefined : STATEMENTS.get(first);
  if (!spec) return { kind: 'none' };
  let argIndex = 0;
  let pending: OptionSpec | undefined;
  const used = new Set<string>();
  for (let i = 1; i < before.length; i++) {
    const t = before[i]!;
    if (pending) { pending = undefined; continue; }
    const opt = spec.options.find((o) => o.key === word(t));
    if (opt && spec.args[argIndex]?.kind !== 'literal') {
      used.add(opt.key);
      if (opt.kind) pending = opt;
      continue;
    }
    if (t.kind === TokenKind.DotDot) { i++; continue; }
    argIndex++;
  }
  if (pending) return { kind: 'optionValue', spec, option: pending };
  return { kind: 'arg', spec, arg: spec.args[argIndex], used };
}
