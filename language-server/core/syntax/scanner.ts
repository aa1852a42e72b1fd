// Scanner for .hotplug text (spec §1). Total: any string gives a token list covering every
// character, plus lexical diagnostics. Never throws.

import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { makeDiagnostic } from '../diagnostics/codes.js';
import { suggest } from '../text/suggest.js';
import { TokenKind, type Token } from './token.js';

/** Binary multiples (spec §1: `4K` = 4096). */
export const SIZE_UNITS: ReadonlyMap<string, bigint> = new Map([
  ['K', 1n << 10n], ['M', 1n << 20n], ['G', 1n << 30n], ['T', 1n << 40n], ['P', 1n << 50n],
  ['KiB', 1n << 10n], ['MiB', 1n << 20n], ['GiB', 1n << 30n], ['TiB', 1n << 40n], ['PiB', 1n << 50n],
]);

/** Durations in milliseconds. */
export const DURATION_UNITS: ReadonlyMap<string, bigint> = new Map([
  ['ms', 1n], ['s', 1000n], ['min', 60_000n],
]);

const CH_TAB = 9, CH_LF = 10, CH_VT = 11, CH_FF = 12, CH_CR = 13, CH_SPACE = 32, CH_QUOTE = 34,
  CH_HASH = 35, CH_MINUS = 45, CH_DOT = 46, CH_SLASH = 47, CH_0 = 48, CH_9 = 57, CH_EQ = 61, CH_GT = 62,
  CH_A = 65, CH_Z = 90, CH_BACKSLASH = 92, CH_UNDERSCORE = 95, CH_a = 97, CH_x = 120, CH_z = 122, CH_BOM = 0xfeff;

// Character classes of the ASCII range, as bit sets (one table lookup instead of chains of
// comparisons in the scanner's inner loops). Never written after module initialisation.
const C_DIGIT = 1, C_LETTER = 2, C_UNDERSCORE = 4, C_SPACE = 8, C_BREAK = 16, C_HEX = 32;
const CLASS = ((): Uint8Array => {
  const t = new Uint8Array(128);
  for (let c = CH_0; c <= CH_9; c++) t[c] = C_DIGIT | C_HEX;
  for (let c = CH_A; c <= CH_Z; c++) t[c] = C_LETTER | (c <= 70 ? C_HEX : 0);
  for (let c = CH_a; c <= CH_z; c++) t[c] = C_LETTER | (c <= 102 ? C_HEX : 0);
  t[CH_UNDERSCORE] = C_UNDERSCORE;
  for (const c of [CH_SPACE, CH_TAB, CH_VT, CH_FF]) t[c] = C_SPACE | C_BREAK;
  for (const c of [CH_LF, CH_CR, CH_HASH, CH_QUOTE, CH_EQ]) t[c] = C_BREAK;
  return t;
})();
const C_IDENT_START = C_LETTER | C_UNDERSCORE, C_IDENT_PART = C_LETTER | C_UNDERSCORE | C_DIGIT;

function isDigit(c: number): boolean { return c >= CH_0 && c <= CH_9; }
function isLetter(c: number): boolean { return c < 128 && (CLASS[c]! & C_LETTER) !== 0; }
function isIdentStart(c: number): boolean { return c < 128 && (CLASS[c]! & C_IDENT_START) !== 0; }
function isIdentPart(c: number): boolean { return c < 128 && (CLASS[c]! & C_IDENT_PART) !== 0; }
function isHexDigit(c: number): boolean { return c < 128 && (CLASS[c]! & C_HEX) !== 0; }
function isSpace(c: number): boolean { return c < 128 ? (CLASS[c]! & C_SPACE) !== 0 : c === CH_BOM || c === 0xa0; }
/** Characters that end a word-like token (number, path). NaN (past the end) is one. */
function isBreak(c: number): boolean { return c < 128 ? (CLASS[c]! & C_BREAK) !== 0 : c === CH_BOM || c === 0xa0 || Number.isNaN(c); }

export interface ScanResult {
  readonly tokens: Token[];
  readonly diagnostics: Diagnostic[];
}

export function scan(text: string): ScanResult {
  const tokens: Token[] = [];
  const diagnostics: Diagnostic[] = [];
  const n = text.length;
  let pos = 0;

  while (pos < n) {
    const start = pos;
    const c = text.charCodeAt(pos);

    if (c === CH_LF) { pos++; tokens.push({ kind: TokenKind.Newline, start, end: pos }); continue; }
    if (c === CH_CR) {
      pos += text.charCodeAt(pos + 1) === CH_LF ? 2 : 1;
      tokens.push({ kind: TokenKind.Newline, start, end: pos });
      continue;
    }
    if (isSpace(c)) {
      while (pos < n && isSpace(text.charCodeAt(pos))) pos++;
      tokens.push({ kind: TokenKind.Whitespace, start, end: pos });
      continue;
    }
    if (c === CH_HASH) {
      while (pos < n && text.charCodeAt(pos) !== CH_LF && text.charCodeAt(pos) !== CH_CR) pos++;
      tokens.push({ kind: TokenKind.Comment, start, end: pos });
      continue;
    }
    if (c === CH_QUOTE) { pos = scanString(text, pos, tokens, diagnostics); continue; }
    if (c === CH_SLASH) {
      while (pos < n && !isBreak(text.charCodeAt(pos))) pos++;
      tokens.push({ kind: TokenKind.Path, start, end: pos, value: text.slice(start, pos) });
      continue;
    }
    if (isDigit(c)) { pos = scanNumber(text, pos, tokens, diagnostics); continue; }
    if (isIdentStart(c)) {
      pos = scanIdentifierEnd(text, pos);
      tokens.push({ kind: TokenKind.Identifier, start, end: pos, value: text.slice(start, pos) });
      continue;
    }
    if (c === CH_EQ) {
      if (text.charCodeAt(pos + 1) === CH_GT) { pos += 2; tokens.push({ kind: TokenKind.Arrow, start, end: pos }); }
      else { pos++; tokens.push({ kind: TokenKind.Equals, start, end: pos }); }
      continue;
    }
    if (c === CH_DOT && text.charCodeAt(pos + 1) === CH_DOT) {
      pos += 2;
      tokens.push({ kind: TokenKind.DotDot, start, end: pos });
      continue;
    }
    // A run of characters that start no token: one token, one diagnostic.
    pos++;
    if (c >= 0xd800 && c <= 0xdbff && pos < n) pos++; // keep surrogate pairs whole
    while (pos < n) {
      const d = text.charCodeAt(pos);
      if (isSpace(d) || d === CH_LF || d === CH_CR || d === CH_HASH || d === CH_QUOTE || d === CH_SLASH || isDigit(d) || isIdentStart(d) || d === CH_EQ) break;
      if (d === CH_DOT && text.charCodeAt(pos + 1) === CH_DOT) break;
      pos++;
    }
    tokens.push({ kind: TokenKind.Unknown, start, end: pos, bad: true });
    const shown = text.slice(start, Math.min(pos, start + 16));
    diagnostics.push(makeDiagnostic('HL1001', { start, length: pos - start }, [printable(shown)]));
  }
  return { tokens, diagnostics };
}

/** Makes control characters visible in messages. */
function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Identifiers are `[A-Za-z_][A-Za-z0-9_.-]*` but never contain `..` and never end in `.` or `-`
 * (spec §1), so `memory32..memory35` is three tokens.
 */
function scanIdentifierEnd(text: string, pos: number): number {
  const n = text.length;
  pos++;
  while (pos < n) {
    const c = text.charCodeAt(pos);
    if (isIdentPart(c)) { pos++; continue; }
    if (c === CH_DOT || c === CH_MINUS) {
      // Take a run of '.'/'-' only when an identifier character follows it and it holds no '..'.
      let q = pos;
      let dots = false;
      while (q < n) {
        const d = text.charCodeAt(q);
        if (d === CH_DOT) { if (text.charCodeAt(q + 1) === CH_DOT) { dots = true; break; } q++; }
        else if (d === CH_MINUS) q++;
        else break;
      }
      if (!dots && q < n && isIdentPart(text.charCodeAt(q))) { pos = q; continue; }
    }
    break;
  }
  return pos;
}

function scanString(text: string, pos: number, tokens: Token[], diagnostics: Diagnostic[]): number {
  const start = pos;
  const n = text.length;
  pos++;
  let value = '';
  let bad = false;
  let closed = false;
  while (pos < n) {
    const c = text.charCodeAt(pos);
    if (c === CH_LF || c === CH_CR) break;
    if (c === CH_QUOTE) { pos++; closed = true; break; }
    if (c === CH_BACKSLASH) {
      const e = text.charCodeAt(pos + 1);
      if (e === CH_QUOTE || e === CH_BACKSLASH) { value += String.fromCharCode(e); pos += 2; continue; }
      if (Number.isNaN(e) || e === CH_LF || e === CH_CR) { value += '\\'; pos++; continue; }
      const len = e >= 0xd800 && e <= 0xdbff ? 2 : 1;
      diagnostics.push(makeDiagnostic('HL1003', { start: pos, length: 1 + len }, [printable(text.slice(pos + 1, pos + 1 + len))]));
      bad = true;
      value += text.slice(pos, pos + 1 + len);
      pos += 1 + len;
      continue;
    }
    value += text[pos];
    pos++;
  }
  if (!closed) {
    diagnostics.push(makeDiagnostic('HL1002', { start, length: pos - start }));
    bad = true;
  }
  tokens.push({ kind: TokenKind.String, start, end: pos, value, ...(bad ? { bad } : {}) });
  return pos;
}

function scanNumber(text: string, pos: number, tokens: Token[], diagnostics: Diagnostic[]): number {
  const start = pos;
  const n = text.length;
  let hex = false;
  if (text.charCodeAt(pos) === CH_0 && (text.charCodeAt(pos + 1) === CH_x || text.charCodeAt(pos + 1) === 88)) {
    hex = true;
    pos += 2;
    while (pos < n && (isHexDigit(text.charCodeAt(pos)) || text.charCodeAt(pos) === CH_UNDERSCORE)) pos++;
  } else {
    while (pos < n && (isDigit(text.charCodeAt(pos)) || text.charCodeAt(pos) === CH_UNDERSCORE)) pos++;
    // MAJOR.MINOR[.PATCH] is a version (kernel 6.12); `1..3` is not.
    if (text.charCodeAt(pos) === CH_DOT && isDigit(text.charCodeAt(pos + 1))) {
      const parts = [text.slice(start, pos)];
      while (text.charCodeAt(pos) === CH_DOT && isDigit(text.charCodeAt(pos + 1))) {
        let q = pos + 1;
        while (q < n && isDigit(text.charCodeAt(q))) q++;
        parts.push(text.slice(pos + 1, q));
        pos = q;
      }
      let end = pos;
      while (end < n && !isBreak(text.charCodeAt(end)) && !(text.charCodeAt(end) === CH_DOT && text.charCodeAt(end + 1) === CH_DOT)) end++;
      if (end !== pos || parts.length > 3 || parts.some((p) => p.includes('_'))) {
        diagnostics.push(makeDiagnostic('HL1004', { start, length: end - start }, [text.slice(start, end), 'a version is MAJOR.MINOR, e.g. 6.12']));
        tokens.push({ kind: TokenKind.Version, start, end, version: [], bad: true });
        return end;
      }
      tokens.push({ kind: TokenKind.Version, start, end: pos, version: parts.map(Number) });
      return pos;
    }
  }
  const digitsEnd = pos;
  const digits = text.slice(start + (hex ? 2 : 0), digitsEnd);
  // Unit: letters directly after the digits.
  while (pos < n && isLetter(text.charCodeAt(pos))) pos++;
  const unit = text.slice(digitsEnd, pos);
  // Anything else glued on (e.g. `4K.5`, `12ab_c`) makes the whole word malformed.
  let end = pos;
  while (end < n && !isBreak(text.charCodeAt(end)) && !(text.charCodeAt(end) === CH_DOT && text.charCodeAt(end + 1) === CH_DOT)) end++;

  const fail = (why: string): number => {
    diagnostics.push(makeDiagnostic('HL1004', { start, length: end - start }, [printable(text.slice(start, Math.min(end, start + 40))), why]));
    tokens.push({ kind: TokenKind.Integer, start, end, value: 0n, bad: true });
    return end;
  };
  const underscore = digits.includes('_');
  if (digits.length === 0 || (underscore && (digits.startsWith('_') || digits.endsWith('_') || digits.includes('__')))) {
    return fail(hex ? "write hex digits after '0x', e.g. 0x1_0000_0000" : "'_' may only separate digits, e.g. 1_000");
  }
  if (end !== pos) return fail('a number is digits followed by an optional unit (K M G T P, KiB…PiB, ms s min)');
  // Up to 15 decimal digits are exact as a double: converting that is cheaper than BigInt(string).
  const value = !hex && !underscore && digits.length <= 15 ? BigInt(Number(digits)) : BigInt((hex ? '0x' : '') + (underscore ? digits.replace(/_/g, '') : digits));
  if (unit === '') {
    tokens.push({ kind: TokenKind.Integer, start, end: pos, value });
    return pos;
  }
  const mult = SIZE_UNITS.get(unit);
  if (mult !== undefined) {
    tokens.push({ kind: TokenKind.Size, start, end: pos, value: value * mult, unit });
    return pos;
  }
  const ms = DURATION_UNITS.get(unit);
  if (ms !== undefined) {
    tokens.push({ kind: TokenKind.Duration, start, end: pos, value: value * ms, unit });
    return pos;
  }
  const decimalUnits: Record<string, string> = { KB: 'K or KiB', MB: 'M or MiB', GB: 'G or GiB', TB: 'T or TiB', PB: 'P or PiB' };
  const alt = decimalUnits[unit] ?? suggest(unit, [...SIZE_UNITS.keys(), ...DURATION_UNITS.keys()], { caseInsensitive: true });
  return fail(`unknown unit '${unit}'${alt ? ` (did you mean ${alt}? sizes are binary multiples)` : ''}; sizes use K M G T P or KiB…PiB, durations ms s min`);
}
