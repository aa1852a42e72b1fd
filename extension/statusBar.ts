// Status bar item: the verdict of the active scenario ("2 hazards, 1 failed expectation"), click
// to open the timeline.

import * as vscode from 'vscode';
import { COMMANDS, LANGUAGE_ID } from './constants.js';
import type { TimelineCache } from './timelines.js';

export interface VerdictStatus extends vscode.Disposable {
  refresh(): void;
}

export function createVerdictStatus(timelines: TimelineCache): VerdictStatus {
  const item = vscode.window.createStatusBarItem('hotplugLab.verdict', vscode.StatusBarAlignment.Left, 100);
  item.name = 'Hotplug Lab verdict';
  item.command = COMMANDS.openTimeline;
  const refresh = () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== LANGUAGE_ID) { item.hide(); return; }
    const n = timelines.get(editor.document.uri.toString());
    if (!n) { item.text = '$(sync~spin) Hotplug Lab'; item.tooltip = 'Analysing…'; item.show(); return; }
    if (!n.head) {
      item.text = '$(circle-slash) not simulated';
      item.tooltip = 'The scenario cannot be simulated yet: see the Problems panel.';
    } else {
      const v = n.head.verdict;
      const icon = v.crashed ? '$(flame)' : v.hazards + v.failedExpectations + v.failedOperations > 0 ? '$(warning)' : '$(pass)';
      item.text = `${icon} ${v.summary}${n.stale ? ' (stale)' : ''}`;
      item.tooltip = `Kernel ${n.head.kernel}: ${v.summary}. Click to open the timeline.`;
    }
    item.show();
  };
  const sub = vscode.window.onDidChangeActiveTextEditor(refresh);
  return { refresh, dispose: () => { sub.dispose(); item.dispose(); } };
}
