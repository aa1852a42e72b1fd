// Writing an export (the Export Timeline command, the panel's export buttons): the user picks the
// file in the save dialog, and a file that already exists is replaced only after a modal "Replace"
// (issue 8: export never overwrites without asking; not every save dialog asks itself). The editor
// API comes in as a parameter, so tests drive this with stand-ins.

import type * as vscode from 'vscode';

/** The few editor calls an export needs (`exportApi(vscode)` gives the real ones). */
export interface ExportApi {
  showSaveDialog(options: vscode.SaveDialogOptions): Thenable<vscode.Uri | undefined>;
  showWarningMessage(message: string, options: vscode.MessageOptions, ...items: string[]): Thenable<string | undefined>;
  /** Resolves when the file exists, rejects (FileNotFound) when it does not. */
  stat(uri: vscode.Uri): Thenable<unknown>;
  writeFile(uri: vscode.Uri, content: Uint8Array): Thenable<void>;
}

export function exportApi(api: typeof vscode): ExportApi {
  return {
    showSaveDialog: (o) => api.window.showSaveDialog(o),
    showWarningMessage: (m, o, ...items) => api.window.showWarningMessage(m, o, ...items),
    stat: (u) => api.workspace.fs.stat(u),
    writeFile: (u, c) => api.workspace.fs.writeFile(u, c),
  };
}

export const REPLACE = 'Replace';

/** Asks where to save, confirms before replacing an existing file, writes. Returns the file
 *  written, or undefined when the user cancelled either question. */
export async function saveExport(api: ExportApi, options: vscode.SaveDialogOptions, content: Uint8Array): Promise<vscode.Uri | undefined> {
  const target = await api.showSaveDialog(options);
  if (!target) return undefined;
  const exists = await Promise.resolve(api.stat(target)).then(() => true, () => false);
  if (exists) {
    const name = target.path.slice(target.path.lastIndexOf('/') + 1) || target.path;
    const choice = await api.showWarningMessage(`'${name}' already exists. Replace it with the exported timeline?`, { modal: true }, REPLACE);
    if (choice !== REPLACE) return undefined;
  }
  await api.writeFile(target, content);
  return target;
}
