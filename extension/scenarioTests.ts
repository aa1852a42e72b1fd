// Test Explorer: each scenario file is a test item, its expectations (`expect …` lines and
// actions with `=> RESULT`) are its children. Running checks the file with the language server
// (the same analysis as the editor) and fails an expectation when a HL5xxx diagnostic sits on its
// line, with the message at that location.

import * as vscode from 'vscode';
import { parse } from '../language-server/core/index.js';
import { LANGUAGE_ID } from './constants.js';
import type { TimelineCache } from './timelines.js';

const GLOB = '**/*.hotplug';

export function createScenarioTests(timelines: TimelineCache): vscode.Disposable {
  const controller = vscode.tests.createTestController('hotplugLab.scenarios', 'Hotplug scenarios');
  const disposables: vscode.Disposable[] = [controller];

  const fileItem = (uri: vscode.Uri) => {
    const id = uri.toString();
    let item = controller.items.get(id);
    if (!item) {
      item = controller.createTestItem(id, vscode.workspace.asRelativePath(uri), uri);
      item.canResolveChildren = true;
      controller.items.add(item);
    }
    return item;
  };

  const fillChildren = (item: vscode.TestItem, text: string) => {
    const children: vscode.TestItem[] = [];
    for (const s of parse(text).statements) {
      if (s.keyword !== 'expect' && !s.result) continue;
      const label = text.slice(s.start, s.end);
      const child = controller.createTestItem(`${item.id}#${s.line}`, label, item.uri);
      child.range = new vscode.Range(s.line, 0, s.line, label.length);
      children.push(child);
    }
    item.children.replace(children);
  };

  const refreshDocument = (doc: vscode.TextDocument) => {
    if (doc.languageId === LANGUAGE_ID && doc.uri.scheme === 'file') fillChildren(fileItem(doc.uri), doc.getText());
  };

  controller.resolveHandler = async (item) => {
    if (!item) {
      for (const uri of await vscode.workspace.findFiles(GLOB, '**/node_modules/**', 500)) fileItem(uri);
      return;
    }
    if (item.uri) fillChildren(item, new TextDecoder().decode(await vscode.workspace.fs.readFile(item.uri)));
  };

  /** Opens the document and waits for the server's analysis of its current version. */
  const analysed = async (uri: vscode.Uri, token: vscode.CancellationToken) => {
    const doc = await vscode.workspace.openTextDocument(uri);
    const ready = (v?: number) => (v ?? timelines.get(uri.toString())?.version) === doc.version;
    if (!ready()) {
      await new Promise<void>((resolve) => {
        const stop = timelines.onUpdate((n) => { if (n.uri === uri.toString() && n.version === doc.version) { stop(); sub.dispose(); resolve(); } });
        const sub = token.onCancellationRequested(() => { stop(); sub.dispose(); resolve(); });
      });
    }
    return doc;
  };

  const run = async (request: vscode.TestRunRequest, token: vscode.CancellationToken) => {
    const testRun = controller.createTestRun(request);
    const files = new Map<string, vscode.TestItem>();
    const queue = request.include ?? [...iterate(controller.items)];
    for (const item of queue) {
      const file = item.parent ?? item;
      files.set(file.id, file);
    }
    for (const file of files.values()) {
      if (token.isCancellationRequested || !file.uri) break;
      const doc = await analysed(file.uri, token);
      fillChildren(file, doc.getText());
      const diagnostics = vscode.languages.getDiagnostics(file.uri).filter((d) => d.source === 'hotplug-lab');
      const n = timelines.get(file.uri.toString());
      const wanted = (child: vscode.TestItem) => !request.include || request.include.includes(file) || request.include.includes(child);
      for (const child of iterate(file.children)) {
        if (!wanted(child) || request.exclude?.includes(child)) continue;
        const line = child.range?.start.line ?? -1;
        const failed = diagnostics.filter((d) => d.range.start.line === line && String(typeof d.code === 'object' ? d.code.value : d.code).startsWith('HL5'));
        if (!n?.packed) testRun.errored(child, new vscode.TestMessage('The scenario cannot be simulated: fix the errors in the Problems panel.'));
        else if (failed.length > 0) {
          testRun.failed(child, failed.map((d) => Object.assign(new vscode.TestMessage(d.message), { location: new vscode.Location(file.uri!, d.range) })));
        } else testRun.passed(child);
      }
    }
    testRun.end();
  };

  controller.createRunProfile('Check', vscode.TestRunProfileKind.Run, (request, token) => { void run(request, token); }, true);
  disposables.push(
    vscode.workspace.onDidOpenTextDocument(refreshDocument),
    vscode.workspace.onDidChangeTextDocument((e) => refreshDocument(e.document)),
  );
  for (const doc of vscode.workspace.textDocuments) refreshDocument(doc);
  return vscode.Disposable.from(...disposables);
}

function* iterate(collection: vscode.TestItemCollection): Generator<vscode.TestItem> {
  const items: vscode.TestItem[] = [];
  collection.forEach((i) => items.push(i));
  yield* items;
}
