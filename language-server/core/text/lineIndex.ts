// Offset ⇄ line/character conversion for the edges (CLI output, LSP). Lines are 0-based here;
// characters are UTF-16 code units, as in LSP. A line ends at \n, \r\n or \r.

export interface LineIndex {
  readonly lineStarts: readonly number[];
  position(offset: number): { line: number; character: number };
  offset(line: number, character: number): number;
}

export function createLineIndex(text: string): LineIndex {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      lineStarts.push(i + 1);
    } else if (c === 10) lineStarts.push(i + 1);
  }
  const position = (offset: number) => {
    const o = Math.max(0, Math.min(offset, text.length));
    let lo = 0, hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= o) lo = mid; else hi = mid - 1;
    }
    return { line: lo, character: o - lineStarts[lo]! };
  };
  const offset = (line: number, character: number) => {
    if (line < 0) return 0;
    if (line >= lineStarts.length) return text.length;
    const next = line + 1 < lineStarts.length ? lineStarts[line + 1]! : text.length;
    return Math.min(lineStarts[line]! + Math.max(0, character), next);
  };
  return { lineStarts, position, offset };
}
