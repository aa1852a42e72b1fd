// Parser: one statement per line (spec §1). Total and line-local: a broken statement reports
// at most a few errors and never affects the next line; missing pieces become zero-width values.

import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { makeDiagnostic, type DiagnosticCode } from '../diagnostics/codes.js';
import { suggest } from '../text/suggest.js';
import { HAZARD_KINDS, RESULTS, STATEMENTS, STATEMENT_KEYWORDS, type ArgSpec, type OptionSpec, type StatementSpec, type ValueKind } from './grammar.js';
import { scan } from './scanner.js';
import { TokenKind, type Token } from './token.js';
import type { ExpectForm, OptionNode, SourceFile, Statement, Value } from './tree.js';

export const ENTITY_STATES = ['online', 'offline', 'removed', 'leaked', 'absent', 'valid', 'zapped', 'stale', 'poisoned', 'gone', 'alive', 'killed', 'mounted', 'shutdown', 'unmounted'] as const;
export const ZONE_NAMES = ['normal', 'movable', 'dma32', 'dma', 'device', 'none'] as const;
export const SIGNAL_CODES = ['BUS_MCEERR_AR', 'BUS_MCEERR_AO', 'BUS_ADRERR'] as const;
export const SIGNALS = ['SIGBUS', 'SIGKILL'] as const;

/** Errors reported per statement before the rest of the line is skipped (keeps junk lines cheap). */
const MAX_ERRORS_PER_STATEMENT = 3;

export interface ParseOptions {
  /** Lines with more non-trivia tokens than this are cut (HL1023). */
  readonly maxTokensPerLine?: number;
}

export function parse(text: string, options: ParseOptions = {}): SourceFile {
  const { tokens, diagnostics } = scan(text);
  const statements: Statement[] = [];
  parseLines(text, tokens, 0, tokens.length, 0, diagnostics, statements, options);
  return { text, tokens, statements, diagnostics };
}

/**
 * Parses the statements of tokens[from, to) — whole lines, the first one being 0-based line
 * `line` — appending to `statements` and `diagnostics` (incrementalParse.ts re-parses edited lines).
 */
export function parseLines(text: string, tokens: readonly Token[], from: number, to: number, line: number, diagnostics: Diagnostic[], statements: Statement[], options: ParseOptions = {}): void {
  const maxTokens = options.maxTokensPerLine ?? 2000;
  // The non-trivia tokens of the current line, and the index in `tokens` of each (one pass; the
  // statement parser reads the line's tokens from this array, not through the indices).
  let lineToks: Token[] = [];
  let first = -1, last = -1, count = 0;
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    const k = t.kind;
    if (k === TokenKind.Newline) {
      if (count > 0) { statements.push(lineStatement(text, lineToks, first, last, count, maxTokens, line, diagnostics)); lineToks = []; count = 0; }
      line++;
      continue;
    }
    if (k === TokenKind.Whitespace || k === TokenKind.Comment) continue;
    if (count === 0) first = i;
    if (count < maxTokens) last = i;
    lineToks.push(t);
    count++;
  }
  if (count > 0) statements.push(lineStatement(text, lineToks, first, last, count, maxTokens, line, diagnostics));
}

function lineStatement(text: string, lineToks: Token[], first: number, last: number, count: number, maxTokens: number, line: number, diagnostics: Diagnostic[]): Statement {
  if (count > maxTokens) {
    const t = lineToks[maxTokens]!;
    diagnostics.push(makeDiagnostic('HL1023', { start: t.start, length: 0 }, [`more than ${maxTokens} words on one line`]));
    lineToks.length = maxTokens;
  }
  return new StatementParser(text, lineToks, first, last, line, diagnostics).parse();
}

type MutableStatement = { -readonly [K in keyof Statement]: Statement[K] };

class StatementParser {
  private i = 1;
  private errors = 0;
  private missingReportedAt = -1;

  constructor(
    private readonly text: string,
    private readonly toks: readonly Token[],
    private readonly firstToken: number,
    private readonly lastToken: number,
    private readonly line: number,
    private readonly diagnostics: Diagnostic[],
  ) {}

  parse(): Statement {
    const first = this.toks[0]!;
    const word = first.kind === TokenKind.Identifier ? (first.value as string) : undefined;
    const spec = word !== undefined ? STATEMENTS.get(word) : undefined;
    // Statements are built as plain literals with the same key order (no object spread: V8 takes
    // a slow generic path for `{...base, k: v}`, which was most of the parse time).
    const end = this.toks[this.toks.length - 1]!.end;
    const firstToken = this.firstToken;
    const lastToken = this.lastToken;
    const make = (keyword: Statement['keyword'], category: Statement['category'], args: Record<string, Value>, options: Record<string, OptionNode>): Statement => ({
      keywordStart: first.start, keywordEnd: first.end, start: first.start, end, line: this.line, firstToken, lastToken, keyword, category, args, options,
    });
    if (!spec) {
      if (!first.bad) {
        const shown = this.text.slice(first.start, Math.min(first.end, first.start + 40));
        const s = word !== undefined ? suggest(word, STATEMENT_KEYWORDS) : undefined;
        this.report('HL1010', first.start, first.end, [shown, s !== undefined ? ` Did you mean '${s}'?` : ''], s);
      }
      return make('unknown', 'unknown', {}, {});
    }
    if (spec.keyword === 'set') {
      const st = make('set', 'header', {}, {}) as MutableStatement;
      st.set = this.parseSet();
      return st;
    }
    if (spec.keyword === 'expect') {
      const expect = this.parseExpect();
      const result = this.parseTrailer(spec);
      const st = make('expect', 'expect', {}, {}) as MutableStatement;
      if (expect) st.expect = expect;
      if (result) st.result = result;
      return st;
    }
    const args: Record<string, Value> = {};
    for (const arg of spec.args) {
      const v = this.parseArg(spec, arg);
      if (v) args[arg.role] = v;
    }
    const options = this.parseOptions(spec);
    const result = this.parseTrailer(spec);
    for (const opt of spec.options) {
      if (opt.required && !options[opt.key] && this.errors === 0) {
        const at = this.toks[this.toks.length - 1]!.end;
        this.report('HL1011', at, at, [spec.keyword, `'${opt.key} ${opt.describe}'`, spec.synopsis]);
      }
    }
    const st = make(spec.keyword, spec.category, args, options) as MutableStatement;
    if (result) st.result = result;
    return st;
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** `suggestion`: the replacement a "did you mean" names, for quick fixes (data.suggestion). */
  private report(code: DiagnosticCode, start: number, end: number, args: readonly string[], suggestion?: string): void {
    this.errors++;
    if (this.errors > MAX_ERRORS_PER_STATEMENT) return;
    this.diagnostics.push(makeDiagnostic(code, { start, length: end - start }, args, suggestion !== undefined ? { data: { suggestion } } : {}));
  }

  private get stopped(): boolean { return this.errors >= MAX_ERRORS_PER_STATEMENT; }
  private peek(k = 0): Token | undefined { return this.toks[this.i + k]; }
  private prevEnd(): number { return this.toks[this.i - 1]!.end; }
  private tokText(t: Token): string { return this.text.slice(t.start, Math.min(t.end, t.start + 40)); }
  private isWord(t: Token | undefined, w?: string): boolean { return t !== undefined && t.kind === TokenKind.Identifier && (w === undefined || t.value === w); }

  private missing(kind: ValueKind, at: number): Value { return { kind, start: at, end: at, text: '', missing: true }; }

  private isOptionKey(spec: StatementSpec, t: Token | undefined): boolean {
    return this.isWord(t) && spec.options.some((o) => o.key === t!.value);
  }

  /** Does token `t` have the shape of a value of this kind? */
  private fits(kind: ValueKind, t: Token): boolean {
    switch (kind) {
      case 'name': case 'word': case 'literal': case 'target': return t.kind === TokenKind.Identifier;
      case 'size': case 'addr': return t.kind === TokenKind.Size || t.kind === TokenKind.Integer;
      case 'int': return t.kind === TokenKind.Integer;
      case 'duration': return t.kind === TokenKind.Duration;
      case 'string': return t.kind === TokenKind.String;
      case 'path': return t.kind === TokenKind.Path;
      case 'version': return t.kind === TokenKind.Version;
      case 'source': return t.kind === TokenKind.Identifier || t.kind === TokenKind.Path;
    }
  }

  /** Consumes one value of `kind` (the current token is known to fit). */
  private take(kind: ValueKind, values: readonly string[] | undefined, describe: string): Value {
    const t = this.toks[this.i++]!;
    if (t.bad) return { kind, start: t.start, end: t.end, text: this.tokText(t), missing: true };
    if (kind === 'target' && this.peek()?.kind === TokenKind.DotDot) {
      this.i++;
      const to = this.peek();
      if (to && to.kind === TokenKind.Identifier) {
        this.i++;
        return { kind, start: t.start, end: to.end, text: t.value as string, rangeTo: to.value as string };
      }
      this.report('HL1011', this.prevEnd(), this.prevEnd(), ['..', 'the last block of the range', 'memoryN..memoryM']);
      return { kind, start: t.start, end: this.prevEnd(), text: t.value as string, missing: true };
    }
    const text = typeof t.value === 'string' ? t.value : this.text.slice(t.start, t.end);
    // Literals in the key order of {kind, start, end, text, num?, version?} (no spread: see make).
    const v: Value = typeof t.value === 'bigint'
      ? (t.version ? { kind, start: t.start, end: t.end, text, num: t.value, version: t.version } : { kind, start: t.start, end: t.end, text, num: t.value })
      : (t.version ? { kind, start: t.start, end: t.end, text, version: t.version } : { kind, start: t.start, end: t.end, text });
    if ((kind === 'word' || kind === 'literal') && values && !values.includes(text)) {
      if (kind === 'literal') this.report('HL1012', t.start, t.end, [describe, text, '']);
      else {
        const s = suggest(text, values, { caseInsensitive: true });
        this.report('HL1015', t.start, t.end, [text, values.join(', '), s ? ` Did you mean '${s}'?` : ''], s);
      }
      return { ...v, missing: true };
    }
    return v;
  }

  private parseArg(spec: StatementSpec, arg: ArgSpec): Value | undefined {
    if (this.stopped) return undefined;
    const t = this.peek();
    // An option keyword where a positional argument belongs means the argument was left out.
    const atEnd = t === undefined || t.kind === TokenKind.Arrow || (arg.kind !== 'literal' && this.isOptionKey(spec, t));
    if (atEnd) {
      if (arg.optional) return undefined;
      // One diagnostic names every argument still missing, at the one place they all belong.
      if (this.missingReportedAt !== this.prevEnd()) {
        const rest = spec.args.slice(spec.args.indexOf(arg)).filter((a) => !a.optional).map((a) => a.describe);
        this.report('HL1011', this.prevEnd(), this.prevEnd(), [spec.keyword, rest.join(' '), spec.synopsis]);
        this.missingReportedAt = this.prevEnd();
      }
      return this.missing(arg.kind, this.prevEnd());
    }
    if (this.fits(arg.kind, t)) return this.take(arg.kind, arg.values, arg.describe);
    if (arg.optional) return undefined;
    this.i++;
    if (!t.bad) {
      const hint = arg.kind === 'size' && t.kind === TokenKind.Identifier ? 'Sizes are written like 128M, 2G or 0x8000000.' : arg.kind === 'duration' && t.kind === TokenKind.Integer ? 'Give a unit: ms, s or min (e.g. 10s).' : `Synopsis: ${spec.synopsis}`;
      this.report('HL1012', t.start, t.end, [arg.describe, this.tokText(t), hint]);
    }
    return { kind: arg.kind, start: t.start, end: t.end, text: this.tokText(t), missing: true };
  }

  private parseOptions(spec: StatementSpec): Record<string, OptionNode> {
    const options: Record<string, OptionNode> = {};
    while (!this.stopped) {
      const t = this.peek();
      if (t === undefined || t.kind === TokenKind.Arrow) break;
      const opt: OptionSpec | undefined = this.isWord(t) ? spec.options.find((o) => o.key === t.value) : undefined;
      this.i++;
      if (!opt) {
        if (t.bad) continue;
        if (this.isWord(t) && spec.options.length > 0) {
          const keys = spec.options.map((o) => o.key);
          const s = suggest(t.value as string, keys);
          this.report('HL1013', t.start, t.end, [t.value as string, spec.keyword, s !== undefined ? ` Did you mean '${s}'?` : '', keys.join(', ')], s);
          // `nod 1`: the misspelt option's value is not a second error.
          const meant = s !== undefined ? spec.options.find((o) => o.key === s) : undefined;
          const next = this.peek();
          if (meant?.kind && next && next.kind !== TokenKind.Arrow && this.fits(meant.kind, next)) this.i++;
        } else {
          this.report('HL1012', t.start, t.end, [spec.options.length > 0 ? `an option (${spec.options.map((o) => o.key).join(', ')}) or the end of the line` : 'the end of the line', this.tokText(t), `Synopsis: ${spec.synopsis}`]);
        }
        continue;
      }
      if (options[opt.key]) this.report('HL1014', t.start, t.end, [opt.key]);
      let value: Value | undefined;
      if (opt.kind) {
        const v = this.peek();
        if (v === undefined || v.kind === TokenKind.Arrow || (this.isOptionKey(spec, v) && opt.kind !== 'name')) {
          this.report('HL1011', t.end, t.end, [`${spec.keyword} … ${opt.key}`, opt.describe, spec.synopsis]);
          value = this.missing(opt.kind, t.end);
        } else if (this.fits(opt.kind, v)) {
          value = this.take(opt.kind, opt.values, opt.describe);
        } else {
          this.i++;
          if (!v.bad) this.report('HL1012', v.start, v.end, [`${opt.describe} after '${opt.key}'`, this.tokText(v), `Synopsis: ${spec.synopsis}`]);
          value = { kind: opt.kind, start: v.start, end: v.end, text: this.tokText(v), missing: true };
        }
      }
      if (!options[opt.key]) options[opt.key] = value ? { key: opt.key, keyStart: t.start, keyEnd: t.end, value } : { key: opt.key, keyStart: t.start, keyEnd: t.end };
    }
    return options;
  }

  /** `=> RESULT` and anything left over on the line. */
  private parseTrailer(spec: StatementSpec): Statement['result'] {
    let result: Statement['result'];
    const t = this.peek();
    if (!this.stopped && t && t.kind === TokenKind.Arrow) {
      this.i++;
      if (spec.category !== 'action') {
        this.report('HL1019', t.start, t.end, [spec.keyword, spec.category === 'expect' ? 'an expectation' : spec.category === 'declaration' ? 'a declaration' : `a ${spec.category} line`]);
      }
      const r = this.peek();
      if (r === undefined) {
        this.report('HL1020', t.start, t.end, []);
        result = { arrowStart: t.start, value: this.missing('word', t.end) };
      } else {
        this.i++;
        if (this.isWord(r) && (RESULTS as readonly string[]).includes(r.value as string)) {
          result = { arrowStart: t.start, value: { kind: 'word', start: r.start, end: r.end, text: r.value as string } };
        } else {
          if (!r.bad) {
            const w = this.tokText(r);
            const s = suggest(w, RESULTS, { caseInsensitive: true }) ?? suggest('E' + w, RESULTS, { caseInsensitive: true });
            this.report('HL1016', r.start, r.end, [w, s ? ` Did you mean '${s}'?` : ''], s);
          }
          result = { arrowStart: t.start, value: { kind: 'word', start: r.start, end: r.end, text: this.tokText(r), missing: true } };
        }
      }
    }
    const extra = this.peek();
    if (!this.stopped && extra) {
      this.report('HL1012', extra.start, extra.end, ['the end of the line', this.tokText(extra), result ? 'The result is the last thing on the line.' : '']);
    }
    return result;
  }

  private parseSet(): NonNullable<Statement['set']> {
    const k = this.peek();
    if (!this.isWord(k)) {
      const at = k ? k.start : this.prevEnd();
      if (!k?.bad) this.report('HL1011', at, k ? k.end : at, ['set', 'KEY = VALUE', 'set KEY = VALUE']);
      if (k) this.i++;
      return { key: this.missing('name', at) };
    }
    this.i++;
    const key: Value = { kind: 'name', start: k!.start, end: k!.end, text: k!.value as string };
    const eq = this.peek();
    if (!eq || eq.kind !== TokenKind.Equals) {
      if (eq && !eq.bad && eq.kind !== TokenKind.Equals && !(eq.kind === TokenKind.Arrow)) {
        // `set key value` — say what is missing, then still read the value.
        this.report('HL1012', eq.start, eq.end, ["'='", this.tokText(eq), 'Write: set KEY = VALUE']);
      } else if (!eq) {
        this.report('HL1011', this.prevEnd(), this.prevEnd(), ['set', "'= VALUE'", 'set KEY = VALUE']);
        return { key };
      }
      if (eq?.kind === TokenKind.Arrow) return { key };
    } else this.i++;
    const v = this.peek();
    if (!v || v.kind === TokenKind.Arrow) {
      if (eq && eq.kind === TokenKind.Equals) this.report('HL1011', this.prevEnd(), this.prevEnd(), ['set', 'a VALUE after =', 'set KEY = VALUE']);
      return { key, value: this.missing('word', this.prevEnd()) };
    }
    this.i++;
    const kind: ValueKind = v.kind === TokenKind.Identifier ? 'word' : v.kind === TokenKind.Size ? 'size' : v.kind === TokenKind.Integer ? 'int' : v.kind === TokenKind.Duration ? 'duration' : 'string';
    const value: Value = {
      kind, start: v.start, end: v.end, text: typeof v.value === 'string' ? v.value : this.text.slice(v.start, v.end),
      ...(typeof v.value === 'bigint' ? { num: v.value } : {}),
      ...(v.bad ? { missing: true } : {}),
    };
    const extra = this.peek();
    if (extra && !this.stopped) this.report('HL1012', extra.start, extra.end, ['the end of the line', this.tokText(extra), 'Write: set KEY = VALUE']);
    this.i = this.toks.length;
    return { key, value };
  }

  private word(kind: ValueKind = 'word'): Value {
    const t = this.toks[this.i++]!;
    return { kind, start: t.start, end: t.end, text: t.value as string };
  }

  private expectFail(what: string, t: Token | undefined): undefined {
    const at = t ? t.start : this.prevEnd();
    if (!t?.bad) this.report('HL1021', at, t ? t.end : at, [what]);
    this.i = this.toks.length;
    return undefined;
  }

  private parseExpect(): ExpectForm | undefined {
    const a = this.peek();
    const b = this.peek(1);
    const endsAfter = (k: number) => { const t = this.peek(k); return t === undefined || t.kind === TokenKind.Arrow; };
    if (a === undefined) return this.expectFail('nothing to check after \'expect\'', undefined);
    if (this.isWord(a, 'no') && (this.isWord(b, 'crash') || this.isWord(b, 'hazard')) && endsAfter(2)) {
      this.i += 2;
      return b!.value === 'crash' ? { form: 'crash', negated: true } : { form: 'noHazard' };
    }
    if (this.isWord(a, 'crash') && endsAfter(1)) { this.i++; return { form: 'crash', negated: false }; }
    if (this.isWord(a, 'log') && b?.kind === TokenKind.String) {
      this.i += 2;
      return { form: 'log', text: { kind: 'string', start: b.start, end: b.end, text: b.value as string, ...(b.bad ? { missing: true } : {}) } };
    }
    if (this.isWord(a, 'hazard') && this.isWord(b) && !(ENTITY_STATES as readonly string[]).includes(b!.value as string) && b!.value !== 'zone' && b!.value !== 'signal' && b!.value !== 'no') {
      this.i++;
      const h = this.peek()!;
      this.i++;
      const text = h.value as string;
      if (!(HAZARD_KINDS as readonly string[]).includes(text)) {
        const s = suggest(text, HAZARD_KINDS);
        this.report('HL1015', h.start, h.end, [text, HAZARD_KINDS.join(', '), s ? ` Did you mean '${s}'?` : ''], s);
        return { form: 'hazard', hazard: { kind: 'word', start: h.start, end: h.end, text, missing: true } };
      }
      return { form: 'hazard', hazard: { kind: 'word', start: h.start, end: h.end, text } };
    }
    if (!this.isWord(a)) return this.expectFail(`expected what to check (a name, 'crash', 'log', 'hazard' or 'no'), found '${this.tokText(a)}'`, a);
    const subject = this.take('target', undefined, 'TARGET');
    const p = this.peek();
    if (p === undefined || p.kind === TokenKind.Arrow) {
      this.report('HL1011', this.prevEnd(), this.prevEnd(), ['expect', `what to check about '${subject.text}' (a state, zone, signal or poisoned N)`, 'expect NAME STATE']);
      return undefined;
    }
    if (!this.isWord(p)) return this.expectFail(`expected a state after '${subject.text}', found '${this.tokText(p)}'`, p);
    const w = p.value as string;
    if (w === 'zone') {
      this.i++;
      const z = this.peek();
      if (!this.isWord(z)) {
        this.report('HL1011', this.prevEnd(), this.prevEnd(), ['expect … zone', 'a zone (normal, movable, dma32 or none)', 'expect TARGET zone normal|movable|dma32|none']);
        return { form: 'zone', subject, zone: this.missing('word', this.prevEnd()) };
      }
      return { form: 'zone', subject, zone: this.take('word', ZONE_NAMES, 'a zone') };
    }
    if (w === 'poisoned' && this.peek(1)?.kind === TokenKind.Integer) {
      this.i++;
      const c = this.toks[this.i++]!;
      return { form: 'poisonedCount', subject, count: { kind: 'int', start: c.start, end: c.end, text: this.tokText(c), num: c.value as bigint } };
    }
    if (w === 'signal') {
      this.i++;
      const s = this.peek();
      if (!this.isWord(s)) {
        this.report('HL1011', this.prevEnd(), this.prevEnd(), ['expect … signal', 'a signal name (SIGBUS)', 'expect PROCESS signal SIGBUS [BUS_MCEERR_AR|BUS_MCEERR_AO|BUS_ADRERR]']);
        return { form: 'signal', subject, signal: this.missing('word', this.prevEnd()) };
      }
      const signal = this.take('word', SIGNALS, 'a signal');
      const c = this.peek();
      if (this.isWord(c)) return { form: 'signal', subject, signal, code: this.take('word', SIGNAL_CODES, 'a SIGBUS code') };
      return { form: 'signal', subject, signal };
    }
    if (w === 'no' && this.isWord(this.peek(1), 'signal')) { this.i += 2; return { form: 'noSignal', subject }; }
    if ((ENTITY_STATES as readonly string[]).includes(w)) return { form: 'state', subject, state: this.word() };
    const s = suggest(w, [...ENTITY_STATES, 'zone', 'signal', 'poisoned']);
    this.i++;
    this.report('HL1015', p.start, p.end, [w, `a state (${ENTITY_STATES.join(', ')}), 'zone Z', 'signal SIGBUS', 'no signal' or 'poisoned N'`, s ? ` Did you mean '${s}'?` : ''], s);
    return { form: 'state', subject, state: { kind: 'word', start: p.start, end: p.end, text: w, missing: true } };
  }
}

