// Activates the BUILT extension against a stand-in `vscode` module (fakeVscodeHost.js, in a
// child process) and checks that what activate() registers is what package.json contributes.
// The language client's start needs a real editor and fails against the stand-in; everything
// before it (commands, status bar, Test Explorer) runs for real.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/baseline.js';

interface Activation {
  exports: string[];
  commands: string[];
  statusBarItems: number;
  testControllers: string[];
  outputChannels: string[];
  subscriptions: number;
  activateError: string | null;
}

test('activate() registers exactly the contributed commands, a status bar item and a test controller', () => {
  const bundle = join(ROOT, 'dist', 'extension.js');
  assert.ok(existsSync(bundle), 'run `npm run build` first');
  const r = spawnSync(process.execPath, [join(ROOT, 'test', 'extension', 'fakeVscodeHost.js'), ROOT], { encoding: 'utf8', timeout: 20_000 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  const got = JSON.parse(line) as Activation;
  assert.deepEqual(got.exports.sort(), ['activate', 'deactivate']);
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } };
  assert.deepEqual([...got.commands].sort(), manifest.contributes.commands.map((c) => c.command).sort());
  assert.equal(got.statusBarItems, 1);
  assert.deepEqual(got.testControllers, ['hotplugLab.scenarios']);
  assert.ok(got.outputChannels.includes('Hotplug Lab'));
  // Everything activate() creates is handed to VS Code for disposal.
  assert.ok(got.subscriptions >= got.commands.length + 3, `subscriptions: ${got.subscriptions}`);
});

test('every handler, run with a dirty scenario and every question dismissed, writes no file (issue 8)', () => {
  // fakeVscodeHost.js `exercise`: calls each command handler, event listener, webview message
  // handler and test run handler it was given, with plausible arguments (export messages
  // included), and records file-changing calls: workspace.fs writes, applyEdit, document and
  // workspace saves, node:fs writes.
  const r = spawnSync(process.execPath, [join(ROOT, 'test', 'extension', 'fakeVscodeHost.js'), ROOT, 'exercise'], { encoding: 'utf8', timeout: 60_000 });
  const got = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as Activation & { exercised: { callbacks: number; called: number }; writes: string[]; asked: string[] };
  assert.ok(got.exercised.callbacks > got.commands.length, `handlers exercised: ${JSON.stringify(got.exercised)}`);
  assert.deepEqual(got.writes, [], 'no file-changing call');
  // The paths that could write did run, and stopped at the user's question.
  assert.ok(got.asked.some((a) => /^showWarningMessage: 'a\.hotplug' has unsaved changes/.test(a)), 'Run in Terminal asks before saving');
  assert.ok(got.asked.filter((a) => a.startsWith('showSaveDialog')).length >= 1, 'export asks where to save');
});
