// The extension's commands. Each takes an optional document (a URI string from a code lens, a
// vscode.Uri from a menu) and falls back to the active scenario editor.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Methods, type CompareParams, type CompareResult, type RenderTextParams } from '../language-server/protocol/index.js';
import { COMMANDS, KNOWN_KERNELS, LANGUAGE_ID, SETTINGS_SECTION } from './constants.js';
import { exportApi, saveExport } from './exportFile.js';
import type { TimelinePanelHost } from './timelinePanel.js';
import type { TimelineCache } from './timelines.js';
import { timelineOf } from './timelineMessage.js';

export interface CommandDeps {
  readonly context: vscode.ExtensionContext;
  readonly client: LanguageClient;
  readonly panel: TimelinePanelHost;
  readonly timelines: TimelineCache;
}

function targetUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return vscode.Uri.parse(arg);
  const editor = vscode.window.activeTextEditor;
  return editor && editor.document.languageId === LANGUAGE_ID ? editor.document.uri : undefined;
}

function noScenario(): void {
  void vscode.window.showInformationMessage('Open a .hotplug scenario first.');
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { client, panel, timelines, context } = deps;
  return [
    vscode.commands.registerCommand(COMMANDS.openTimeline, (arg?: unknown) => {
      const uri = targetUri(arg);
      if (!uri) return noScenario();
      panel.show(uri.toString());
    }),

    vscode.commands.registerCommand(COMMANDS.compareKernels, async (arg?: unknown) => {
      const uri = targetUri(arg);
      if (!uri) return noScenario();
      const configured = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<string>('defaultKernel') ?? '6.12';
      const a = await vscode.window.showQuickPick([...KNOWN_KERNELS], { title: 'Compare kernels: first kernel', placeHolder: configured });
      if (!a) return;
      const b = await vscode.window.showQuickPick(KNOWN_KERNELS.filter((k) => k !== a), { title: `Compare ${a} with…` });
      if (!b) return;
      const params: CompareParams = { uri: uri.toString(), kernels: [a, b] };
      const result = await client.sendRequest<CompareResult>(Methods.compare, params);
      panel.showCompare(uri.toString(), result);
      const n = result.differences.length;
      void vscode.window.showInformationMessage(n === 0 ? `Kernels ${a} and ${b} give the same results.` : `${n} result${n === 1 ? '' : 's'} differ between ${a} and ${b}.`);
    }),

    vscode.commands.registerCommand(COMMANDS.runInTerminal, async (arg?: unknown) => {
      const uri = targetUri(arg);
      if (!uri || uri.scheme !== 'file') return noScenario();
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      // The CLI reads the file on disk: unsaved changes are saved only if the user says so.
      if (doc?.isDirty) {
        const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
        const choice = await vscode.window.showWarningMessage(`'${name}' has unsaved changes; the terminal runs the file on disk.`, { modal: true }, 'Save and Run', 'Run Saved Version');
        if (choice === undefined) return;
        if (choice === 'Save and Run' && !(await doc.save())) return;
      }
      // dist/cli.js is the bundled command line; bin/ is not part of the packaged extension.
      const cli = vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath;
      // The editor's own runtime runs the CLI (as plain node), so no node install is needed.
      const terminal = vscode.window.createTerminal({
        name: 'Hotplug Lab',
        shellPath: process.execPath,
        shellArgs: [cli, 'run', uri.fsPath],
        env: { ELECTRON_RUN_AS_NODE: '1' },
      });
      terminal.show();
    }),

    vscode.commands.registerCommand(COMMANDS.exportTimeline, async (arg?: unknown) => {
      const uri = targetUri(arg);
      if (!uri) return noScenario();
      const format = await vscode.window.showQuickPick(['Text', 'JSON'], { title: 'Export timeline as' });
      if (!format) return;
      let content: string;
      if (format === 'JSON') {
        const n = timelines.get(uri.toString());
        const timeline = timelineOf(n);
        if (!timeline) { void vscode.window.showWarningMessage('No timeline to export: the scenario cannot be simulated yet.'); return; }
        content = JSON.stringify(timeline, null, 2) + '\n';
      } else {
        const params: RenderTextParams = { uri: uri.toString() };
        content = await client.sendRequest<string>(Methods.renderText, params);
      }
      const base = uri.path.replace(/\.hotplug$/, '');
      await saveExport(exportApi(vscode), {
        defaultUri: uri.with({ path: `${base}.timeline.${format === 'JSON' ? 'json' : 'txt'}` }),
        saveLabel: 'Export timeline',
      }, Buffer.from(content, 'utf8'));
    }),
  ];
}
