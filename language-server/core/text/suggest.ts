// "Did you mean" suggestions: the closest candidate by edit distance, if close enough.

export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/** Returns the best candidate within a distance that grows with the word's length, or undefined. */
export function suggest(word: string, candidates: Iterable<string>, opts: { caseInsensitive?: boolean } = {}): string | undefined {
  if (word.length > 64) return undefined;
  const w = opts.caseInsensitive ? word.toLowerCase() : word;
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestD = limit + 1;
  for (const c of candidates) {
    const cc = opts.caseInsensitive ? c.toLowerCase() : c;
    if (cc === w) return c;
    const d = editDistance(w, cc, limit);
    if (d < bestD) { bestD = d; best = c; }
  }
  return best;
}

/** " Did you mean 'x'?" or "" — for appending to messages. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const s = suggest(word, candidates);
  return s === undefined ? '' : ` Did you mean '${s}'?`;
}
