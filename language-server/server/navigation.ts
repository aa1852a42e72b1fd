// Go to definition, find references and rename, over the name index.

import { STATEMENT_KEYWORDS } from '../core/index.js';
import { ResponseError, ErrorCodes, type Location, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import type { DocumentAnalysis } from './documentAnalysis.js';
import { isValidName } from './nameIndex.js';

export function definition(doc: DocumentAnalysis, offset: number): Location | null {
  const occ = doc.names.at(offset);
  const def = occ ? doc.names.definitions.get(occ.name) : undefined;
  return def ? { uri: doc.uri, range: doc.positions.toRange(def.start, def.end) } : null;
}

export function references(doc: DocumentAnalysis, offset: number, includeDeclaration: boolean): Location[] {
  const occ = doc.names.at(offset);
  if (!occ) return [];
  return doc.names.references(occ.name)
    .filter((o) => includeDeclaration || !o.definition)
    .map((o) => ({ uri: doc.uri, range: doc.positions.toRange(o.start, o.end) }));
}

export function prepareRename(doc: DocumentAnalysis, offset: number): { range: Range; placeholder: string } | null {
  const occ = doc.names.at(offset);
  // Only declared names can be renamed: renaming an undeclared one would hide an HL2001 error.
  if (!occ || !doc.names.definitions.has(occ.name)) return null;
  return { range: doc.positions.toRange(occ.start, occ.end), placeholder: occ.name };
}

export function rename(doc: DocumentAnalysis, offset: number, newName: string): WorkspaceEdit | ResponseError<void> {
  const occ = doc.names.at(offset);
  if (!occ || !doc.names.definitions.has(occ.name)) return new ResponseError(ErrorCodes.InvalidRequest, 'Nothing to rename here: put the cursor on a declared name.');
  if (!isValidName(newName)) {
    return new ResponseError(ErrorCodes.InvalidParams, `'${newName}' is not a valid name: a name starts with a letter or '_', continues with letters, digits, '_', '.' or '-', has no '..' and does not end in '.' or '-'.`);
  }
  if (/^memory\d+$/.test(newName)) return new ResponseError(ErrorCodes.InvalidParams, `'${newName}' would read as a memory block.`);
  if (STATEMENT_KEYWORDS.includes(newName)) return new ResponseError(ErrorCodes.InvalidParams, `'${newName}' is a statement keyword.`);
  if (newName !== occ.name && doc.names.definitions.has(newName)) return new ResponseError(ErrorCodes.InvalidParams, `'${newName}' is already declared.`);
  const edits: TextEdit[] = doc.names.references(occ.name).map((o) => ({ range: doc.positions.toRange(o.start, o.end), newText: newName }));
  return { changes: { [doc.uri]: edits } };
}
