// Hosts the timeline webview (bundle dist/webview/timeline.js). Forwards `hotplug/timeline` and
// `hotplug/stepAtCursor` as ToWebview messages for the document it shows, and turns the webview's
// `reveal` / `stepSelected` into editor selections. One panel, following the active scenario.

import * as vscode from 'vscode';
import type { CompareResult, StepAtCursorNotification, TimelineNotification, ToWebview } from '../language-server/protocol/index.js';
import { LANGUAGE_ID, TIMELINE_VIEW_TYPE } from './constants.js';
import { exportApi, saveExport } from './exportFile.js';
import type { TimelineCache } from './timelines.js';
import { timelineMessage, timelineOf } from './timelineMessage.js';
import { createNonce, timelineHtml } from './webviewHtml.js';
import { readFromWebview } from './webviewMessages.js';

export interface TimelinePanelHost extends vscode.Disposable {
  show(uri: string): void;
  onTimeline(n: TimelineNotification): void;
  onStepAtCursor(n: StepAtCursorNotification): void;
  showCompare(uri: string, result: CompareResult): void;
}

export function createTimelinePanelHost(context: vscode.ExtensionContext, timelines: TimelineCache, output: vscode.OutputChannel): TimelinePanelHost {
  const webviewRoot = vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview');
  let panel: vscode.WebviewPanel | undefined;
  let shownUri = '';
  const subscriptions: vscode.Disposable[] = [];

  const post = (message: ToWebview) => { if (panel) void panel.webview.postMessage(message); };
  // Timelines travel packed, as the server sent them (timelineMessage.ts).
  const sendTimeline = (n: TimelineNotification) => post(timelineMessage(n));
  const postTimeline = (uri: string) => {
    const n = timelines.get(uri);
    if (n) sendTimeline(n);
  };

  // `focus`: jump into the editor (a click on an event). Stepping keeps the focus in the panel, so
  // the arrow keys go on stepping while the editor selection follows.
  const reveal = async (uri: string, selection: (doc: vscode.TextDocument) => vscode.Selection, focus: boolean) => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preserveFocus: !focus });
    const sel = selection(doc);
    editor.selection = sel;
    editor.revealRange(sel, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  };

  const onMessage = async (raw: unknown) => {
    const m = readFromWebview(raw);
    if (!m) { output.appendLine('timeline: ignored a malformed message from the webview'); return; }
    // The panel only ever navigates within the scenario it shows.
    if ((m.type === 'reveal' || m.type === 'stepSelected') && m.uri !== shownUri) return;
    switch (m.type) {
      case 'ready': postTimeline(shownUri); break;
      case 'reveal':
        await reveal(m.uri, (doc) => new vscode.Selection(doc.positionAt(m.start), doc.positionAt(m.start + m.length)), true);
        break;
      case 'stepSelected': {
        const step = timelineOf(timelines.get(m.uri))?.steps.find((s) => s.index === m.step);
        if (step) await reveal(m.uri, (doc) => stepSelection(doc, step.firstLine, step.lastLine), false);
        break;
      }
      case 'export': await exportFromPanel(m.format, m.data); break;
      case 'log': output.appendLine(`timeline: ${m.message}`); break;
    }
  };

  const create = () => {
    const p = vscode.window.createWebviewPanel(TIMELINE_VIEW_TYPE, 'Hotplug timeline', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [webviewRoot],
    });
    p.webview.html = timelineHtml({
      cspSource: p.webview.cspSource,
      nonce: createNonce(),
      scriptUri: p.webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, 'timeline.js')).toString(),
      styleUri: p.webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, 'timeline.css')).toString(),
    });
    p.webview.onDidReceiveMessage((raw: unknown) => { onMessage(raw).catch((e: unknown) => output.appendLine(`timeline: ${String(e)}`)); });
    p.onDidDispose(() => { panel = undefined; });
    return p;
  };

  // The panel follows the scenario in the active editor.
  subscriptions.push(vscode.window.onDidChangeActiveTextEditor((e) => {
    if (panel && e && e.document.languageId === LANGUAGE_ID && e.document.uri.toString() !== shownUri) {
      shownUri = e.document.uri.toString();
      postTimeline(shownUri);
    }
  }));

  const show = (uri: string) => {
    shownUri = uri;
    if (panel) panel.reveal(undefined, true);
    else panel = create();
    postTimeline(uri);
  };

  return {
    show,
    onTimeline(n) { if (n.uri === shownUri && panel) sendTimeline(n); },
    onStepAtCursor(n) { if (n.uri === shownUri) post({ type: 'selectStep', uri: n.uri, step: n.step }); },
    showCompare(uri, result) {
      show(uri);
      post({ type: 'compare', uri, result });
    },
    dispose() {
      panel?.dispose();
      for (const s of subscriptions) s.dispose();
    },
  };
}

/** The step's lines (boot: the declarations) without the blank lines that trail them, with the
 *  cursor on the first one, so the editor shows the step's header and the cursor stays in it. */
function stepSelection(doc: vscode.TextDocument, firstLine: number, lastLine: number): vscode.Selection {
  const first = Math.max(0, Math.min(firstLine, doc.lineCount - 1));
  let last = Math.max(first, Math.min(lastLine, doc.lineCount - 1));
  while (last > first && doc.lineAt(last).isEmptyOrWhitespace) last--;
  return new vscode.Selection(doc.lineAt(last).range.end, doc.lineAt(first).range.start);
}

async function exportFromPanel(format: 'svg' | 'png' | 'json' | 'text', data: string): Promise<void> {
  const ext = format === 'text' ? 'txt' : format;
  // PNG arrives as a data: URL; everything else is text.
  const bytes = format === 'png' ? Buffer.from(data.replace(/^data:image\/png;base64,/, ''), 'base64') : Buffer.from(data, 'utf8');
  await saveExport(exportApi(vscode), { filters: { [format.toUpperCase()]: [ext] }, saveLabel: 'Export timeline' }, bytes);
}
