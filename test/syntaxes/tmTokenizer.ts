// A small TextMate tokenizer for tests: `match` rules with captures and single-line
// `begin`/`end` rules, earliest match wins, ties go to the first rule (as in vscode-textmate).
// The grammar's regexes are written in the common subset of Oniguruma and JavaScript.

export interface GrammarRule {
  readonly include?: string;
  readonly match?: string;
  readonly begin?: string;
  readonly end?: string;
  readonly name?: string;
  readonly captures?: Readonly<Record<string, { name: string }>>;
  readonly beginCaptures?: Readonly<Record<string, { name: string }>>;
  readonly endCaptures?: Readonly<Record<string, { name: string }>>;
  readonly patterns?: readonly GrammarRule[];
}

export interface Grammar {
  readonly scopeName: string;
  readonly patterns: readonly GrammarRule[];
  readonly repository: Readonly<Record<string, GrammarRule>>;
}

export interface LineToken {
  readonly text: string;
  /** Outermost first; always starts with the grammar's scope name. */
  readonly scopes: readonly string[];
}

interface Compiled { rule: GrammarRule; re: RegExp; end?: RegExp; inner?: Compiled[] }

export function createTokenizer(grammar: Grammar): (line: string) => LineToken[] {
  const compile = (rules: readonly GrammarRule[]): Compiled[] => {
    const out: Compiled[] = [];
    for (const r of rules) {
      if (r.include) {
        const target = grammar.repository[r.include.replace(/^#/, '')];
        if (!target) throw new Error(`missing repository entry ${r.include}`);
        out.push(...compile([target]));
      } else if (r.match !== undefined) out.push({ rule: r, re: new RegExp(r.match, 'dg') });
      else if (r.begin !== undefined) out.push({ rule: r, re: new RegExp(r.begin, 'dg'), end: new RegExp(r.end ?? '$', 'dg'), inner: compile(r.patterns ?? []) });
      else if (r.patterns) out.push(...compile(r.patterns));
    }
    return out;
  };
  const top = compile(grammar.patterns);

  return (line: string) => {
    const scopes: string[][] = Array.from({ length: line.length }, () => [grammar.scopeName]);
    const paint = (from: number, to: number, name: string | undefined) => {
      if (!name) return;
      for (let i = from; i < to; i++) scopes[i]!.push(name);
    };
    const paintMatch = (m: RegExpExecArray, name: string | undefined, captures: GrammarRule['captures']) => {
      paint(m.index, m.index + m[0].length, name);
      for (const [k, c] of Object.entries(captures ?? {})) {
        const span = m.indices?.[Number(k)];
        if (span) paint(span[0], span[1], c.name);
      }
    };
    const earliest = (rules: readonly Compiled[], pos: number) => {
      let best: { c: Compiled; m: RegExpExecArray } | undefined;
      for (const c of rules) {
        c.re.lastIndex = pos;
        const m = c.re.exec(line);
        if (m && (!best || m.index < best.m.index)) best = { c, m };
      }
      return best;
    };
    let pos = 0;
    while (pos < line.length) {
      const hit = earliest(top, pos);
      if (!hit) break;
      const { c, m } = hit;
      if (!c.end) {
        paintMatch(m, c.rule.name, c.rule.captures);
        pos = m.index + Math.max(1, m[0].length);
        continue;
      }
      // begin … end on this line (strings end at the line's end at the latest).
      const start = m.index;
      paintMatch(m, undefined, c.rule.beginCaptures);
      let p = m.index + m[0].length;
      let stop = line.length;
      while (p <= line.length) {
        c.end.lastIndex = p;
        const e = c.end.exec(line);
        const inner = earliest(c.inner ?? [], p);
        if (inner && (!e || inner.m.index < e.index)) {
          paintMatch(inner.m, inner.c.rule.name, inner.c.rule.captures);
          p = inner.m.index + Math.max(1, inner.m[0].length);
          continue;
        }
        if (e) { paintMatch(e, undefined, c.rule.endCaptures); stop = e.index + e[0].length; }
        break;
      }
      paint(start, stop, c.rule.name);
      // Keep the outer scope outermost: the name was painted last, so move it before the captures.
      for (let i = start; c.rule.name && i < stop; i++) {
        const s = scopes[i]!;
        const name = s.pop()!;
        s.splice(1, 0, name);
      }
      pos = Math.max(stop, start + 1);
    }
    const tokens: LineToken[] = [];
    for (let i = 0; i < line.length; i++) {
      const key = scopes[i]!.join(' ');
      const last = tokens[tokens.length - 1];
      if (last && last.scopes.join(' ') === key) tokens[tokens.length - 1] = { text: last.text + line[i], scopes: last.scopes };
      else tokens.push({ text: line[i]!, scopes: scopes[i]! });
    }
    return tokens;
  };
}
