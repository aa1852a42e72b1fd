// Semantic tokens: the parser's view of each token (statement keyword, name, option key, knob,
// value), which a TextMate grammar cannot know (e.g. `online` as an action vs as a state).

import { TokenKind, type SourceFile } from '../core/index.js';
import { SemanticTokensBuilder, type SemanticTokens, type SemanticTokensLegend } from 'vscode-languageserver';
import type { DocumentAnalysis } from './documentAnalysis.js';

const TYPES = ['keyword', 'variable', 'property', 'parameter', 'enumMember', 'number', 'string', 'operator', 'comment'] as const;
type TypeName = (typeof TYPES)[number];
const MODIFIERS = ['declaration', 'readonly'] as const;

export const SEMANTIC_LEGEND: SemanticTokensLegend = { tokenTypes: [...TYPES], tokenModifiers: [...MODIFIERS] };

const BLOCK = /^memory\d+$/;

export function semanticTokens(doc: DocumentAnalysis): SemanticTokens {
  const file = doc.analysis.file;
  const roles = treeRoles(doc);
  const builder = new SemanticTokensBuilder();
  for (const t of file.tokens) {
    let type: TypeName | undefined;
    let mods = 0;
    const role = roles.get(t.start);
    if (role) { type = role.type; mods = role.mods; }
    else {
      switch (t.kind) {
        case TokenKind.Identifier: type = BLOCK.test(String(t.value)) ? 'variable' : 'enumMember'; if (type === 'variable') mods = 2; break;
        case TokenKind.Integer: case TokenKind.Size: case TokenKind.Duration: case TokenKind.Version: type = 'number'; break;
        case TokenKind.String: case TokenKind.Path: type = 'string'; break;
        case TokenKind.Comment: type = 'comment'; break;
        case TokenKind.Equals: case TokenKind.Arrow: case TokenKind.DotDot: type = 'operator'; break;
        default: type = undefined;
      }
    }
    if (!type || t.end <= t.start) continue;
    const p = doc.positions.toPosition(t.start);
    builder.push(p.line, p.character, t.end - t.start, TYPES.indexOf(type), mods);
  }
  return builder.build();
}

/** Token start → role the syntax tree gives it. */
function treeRoles(doc: DocumentAnalysis): Map<number, { type: TypeName; mods: number }> {
  const file: SourceFile = doc.analysis.file;
  const roles = new Map<number, { type: TypeName; mods: number }>();
  for (const s of file.statements) {
    if (s.category !== 'unknown') roles.set(s.keywordStart, { type: 'keyword', mods: 0 });
    for (const o of Object.values(s.options)) roles.set(o.keyStart, { type: 'parameter', mods: 0 });
    if (s.set && !s.set.key.missing) roles.set(s.set.key.start, { type: 'property', mods: 0 });
  }
  for (const o of doc.names.occurrences) roles.set(o.start, { type: 'variable', mods: o.definition ? 1 : 0 });
  return roles;
}
