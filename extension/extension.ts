// VS Code entry point: starts the language server, shows the verdict in the status bar, hosts
// the timeline panel and registers the commands. Everything is created in `activate` and
// disposed through the context (no module-level state but the client handle for deactivate).

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Methods, type CursorNotification, type StepAtCursorNotification, type TimelineNotification } from '../language-server/protocol/index.js';
import { createClient } from './client.js';
import { registerCommands } from './commands.js';
import { LANGUAGE_ID } from './constants.js';
import { createScenarioTests } from './scenarioTests.js';
import { createVerdictStatus } from './statusBar.js';
import { createTimelinePanelHost } from './timelinePanel.js';
import { createTimelineCache } from './timelines.js';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Hotplug Lab');
  const timelines = createTimelineCache();
  const status = createVerdictStatus(timelines);
  const panel = createTimelinePanelHost(context, timelines, output);
  client = createClient(context);
  const lc = client;
  context.subscriptions.push(output, status, panel, createScenarioTests(timelines), ...registerCommands({ context, client: lc, panel, timelines }));

  lc.onNotification(Methods.timeline, (n: TimelineNotification) => {
    if (!timelines.update(n)) return;
    status.refresh();
    panel.onTimeline(n);
  });
  lc.onNotification(Methods.stepAtCursor, (n: StepAtCursorNotification) => panel.onStepAtCursor(n));

  // Tell the server which line the cursor is on (only when the line changes), so the timeline
  // can follow the editor.
  let lastCursor = '';
  context.subscriptions.push(vscode.window.onDidChangeTextEditorSelection((e) => {
    const doc = e.textEditor.document;
    if (doc.languageId !== LANGUAGE_ID || !lc.isRunning()) return;
    const line = e.selections[0]?.active.line ?? 0;
    const key = `${doc.uri.toString()}#${doc.version}#${line}`;
    if (key === lastCursor) return;
    lastCursor = key;
    const params: CursorNotification = { uri: doc.uri.toString(), version: doc.version, line };
    void lc.sendNotification(Methods.cursor, params);
  }));
  context.subscriptions.push(vscode.workspace.onDidCloseTextDocument((d) => timelines.forget(d.uri.toString())));

  await lc.start();
  status.refresh();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
