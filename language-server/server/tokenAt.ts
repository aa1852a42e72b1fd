// Token lookup by offset over the core's token list (which covers every character).

import { isTrivia, type SourceFile, type Token } from '../core/index.js';

/** The non-trivia token containing the offset, or the one ending right at it (cursor after a word). */
export function tokenAt(file: SourceFile, offset: number): { token: Token; index: number } | undefined {
  const toks = file.tokens;
  let lo = 0, hi = toks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = toks[mid]!;
    if (offset < t.start) hi = mid - 1;
    else if (offset >= t.end) lo = mid + 1;
    else { lo = mid; break; }
  }
  for (const i of [lo, lo - 1]) {
    const t = toks[i];
    if (t && !isTrivia(t.kind) && t.start <= offset && offset <= t.end) return { token: t, index: i };
  }
  return undefined;
}

export function tokenText(file: SourceFile, t: Token): string {
  return file.text.slice(t.start, t.end);
}
