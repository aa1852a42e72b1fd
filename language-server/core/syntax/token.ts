// Token kinds of the .hotplug language (spec §1). Every character of the input belongs to exactly
// one token, trivia included, so concatenating token texts reproduces the input byte for byte.

export enum TokenKind {
  Identifier = 1,
  Path,
  String,
  Integer,
  Size,
  Duration,
  Version,
  Equals,
  Arrow,
  DotDot,
  /** A run of characters the scanner could not read; reported once (HL1001). */
  Unknown,
  // trivia
  Whitespace,
  Comment,
  Newline,
}

export interface Token {
  readonly kind: TokenKind;
  readonly start: number;
  readonly end: number;
  /** Decoded value: identifier text, string contents, path text, or the number as bigint. */
  readonly value?: string | bigint;
  /** For Version tokens: [major, minor, patch?]. */
  readonly version?: readonly number[];
  /** For Size / Duration tokens: the unit as written. */
  readonly unit?: string;
  /** True when the scanner reported an error for this token (so the parser reports none). */
  readonly bad?: boolean;
}

export function isTrivia(kind: TokenKind): boolean {
  return kind === TokenKind.Whitespace || kind === TokenKind.Comment || kind === TokenKind.Newline;
}

export function tokenKindName(kind: TokenKind): string {
  switch (kind) {
    case TokenKind.Identifier: return 'a word';
    case TokenKind.Path: return 'a path';
    case TokenKind.String: return 'a string';
    case TokenKind.Integer: return 'a number';
    case TokenKind.Size: return 'a size';
    case TokenKind.Duration: return 'a duration';
    case TokenKind.Version: return 'a version';
    case TokenKind.Equals: return "'='";
    case TokenKind.Arrow: return "'=>'";
    case TokenKind.DotDot: return "'..'";
    case TokenKind.Unknown: return 'an unreadable character';
    case TokenKind.Whitespace: return 'white space';
    case TokenKind.Comment: return 'a comment';
    case TokenKind.Newline: return 'end of line';
  }
}
