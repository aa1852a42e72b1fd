// Starts the language server (dist/server.js, the same bundle any LSP client can run with
// --stdio) over node IPC and passes the settings it needs at start.

import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { LANGUAGE_ID, SETTINGS_SECTION } from './constants.js';

export function createClient(context: vscode.ExtensionContext): LanguageClient {
  const module = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6012'] } },
  };
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: LANGUAGE_ID }],
    initializationOptions: {
      debounceMs: config.get<number>('debounceMs'),
      defaultKernel: config.get<string>('defaultKernel'),
    },
    // The server re-reads `hotplugLab.*` when it changes (workspace/didChangeConfiguration).
    synchronize: { configurationSection: SETTINGS_SECTION },
  };
  // The id 'hotplugLab' makes vscode-languageclient honour the `hotplugLab.trace.server` setting.
  return new LanguageClient('hotplugLab', 'Hotplug Lab', serverOptions, clientOptions);
}
