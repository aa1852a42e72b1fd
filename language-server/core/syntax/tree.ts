// The syntax tree. Full fidelity lives in `tokens` (every character, trivia included); statements
// point into it. A missing piece is a Value with `missing: true` and zero width at the place it
// should have been, so later passes can keep going.

import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Category, ValueKind } from './grammar.js';
import type { Token } from './token.js';

export interface Value {
  readonly kind: ValueKind;
  readonly start: number;
  readonly end: number;
  /** Identifier/word/path/string text. For a target range: the first name. */
  readonly text: string;
  /** Sizes, integers, addresses, durations (ms). */
  readonly num?: bigint;
  /** Version numbers. */
  readonly version?: readonly number[];
  /** `memoryN..memoryM`: the second name. */
  readonly rangeTo?: string;
  /** True when the value was absent (zero width) or unreadable; already reported. */
  readonly missing?: boolean;
}

export interface OptionNode {
  readonly key: string;
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly value?: Value;
}

export type ExpectForm =
  | { readonly form: 'state'; readonly subject: Value; readonly state: Value } // online/offline/…/mounted/alive/valid…
  | { readonly form: 'zone'; readonly subject: Value; readonly zone: Value }
  | { readonly form: 'poisonedCount'; readonly subject: Value; readonly count: Value }
  | { readonly form: 'signal'; readonly subject: Value; readonly signal: Value; readonly code?: Value }
  | { readonly form: 'noSignal'; readonly subject: Value }
  | { readonly form: 'crash'; readonly negated: boolean }
  | { readonly form: 'log'; readonly text: Value }
  | { readonly form: 'hazard'; readonly hazard: Value }
  | { readonly form: 'noHazard' };

export interface Statement {
  /** Statement keyword, or 'unknown'. */
  readonly keyword: string;
  readonly category: Category | 'unknown';
  readonly keywordStart: number;
  readonly keywordEnd: number;
  /** From the keyword to the end of the last non-trivia token of the line. */
  readonly start: number;
  readonly end: number;
  /** 0-based line of the keyword. */
  readonly line: number;
  /** Index range into SourceFile.tokens (first and last non-trivia token). */
  readonly firstToken: number;
  readonly lastToken: number;
  readonly args: Readonly<Record<string, Value>>;
  readonly options: Readonly<Record<string, OptionNode>>;
  readonly result?: { readonly arrowStart: number; readonly value?: Value };
  readonly expect?: ExpectForm;
  /** `set KEY = VALUE`. */
  readonly set?: { readonly key: Value; readonly value?: Value };
}

export interface SourceFile {
  readonly text: string;
  readonly tokens: readonly Token[];
  readonly statements: readonly Statement[];
  readonly diagnostics: readonly Diagnostic[];
}
