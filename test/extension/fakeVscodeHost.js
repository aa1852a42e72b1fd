// Loads the BUILT extension (dist/extension.js) against a stand-in for the `vscode` module and
// calls activate(), printing one JSON line with what it registered. Run as a child process by
// activation.test.ts so whatever the extension starts cannot outlive the test.
// Every export of @types/vscode exists; any property or call on it yields another stand-in, so
// the extension runs its real code paths, and the few calls that matter are recorded.
'use strict';
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const root = process.argv[2];
// `exercise`: after activate(), call every function the extension handed to the editor (command
// handlers, event listeners, webview message handlers, test run handlers) with a dirty scenario
// document and plausible arguments, the user cancelling every question, and record every call
// that could change a file (issue 8: the extension touches no file unless the user asks).
const exercise = process.argv[3] === 'exercise';
const callbacks = [];
const writes = [];
const asked = [];
const names = [...new Set([...readFileSync(join(root, 'node_modules/@types/vscode/index.d.ts'), 'utf8')
  .matchAll(/export (?:namespace|class|enum|const|function|let|var) ([A-Za-z_]+)/g)].map((m) => m[1]))];
const record = { commands: [], statusBarItems: 0, testControllers: [], outputChannels: [], notifications: [] };

const WRITE = /\.(writeFile|delete|rename|copy|createDirectory|applyEdit|save|saveAll|saveAs)$/;
const fakeUri = (s) => ({ scheme: 'file', path: s.replace(/^file:\/\//, ''), fsPath: s.replace(/^file:\/\//, ''), toString: () => s, with: (c) => fakeUri(`file://${c.path ?? s.replace(/^file:\/\//, '')}`) });
const doc = {
  uri: fakeUri('file:///w/a.hotplug'), languageId: 'hotplug', version: 3, isDirty: true, isUntitled: false, lineCount: 2, fileName: '/w/a.hotplug',
  getText: () => 'scenario "x"\nram r0 8G\n', lineAt: (n) => ({ text: '', range: stub('range'), isEmptyOrWhitespace: n > 0 }),
  save: async () => { writes.push('TextDocument.save'); return true; },
};
const eventArg = new Proxy({ document: doc, textEditor: { document: doc, selection: { active: { line: 0 } } }, selections: [{ active: { line: 0 } }], uri: doc.uri, contentChanges: [] },
  { get: (t, p) => (p in t ? t[p] : p === 'then' ? undefined : stub(`event.${String(p)}`)) });

function stub(path) {
  const target = function () {};
  return new Proxy(target, {
    get(_t, p) {
      if (p === 'then') return undefined; // not a thenable
      if (exercise) {
        // The user answers no question (every prompt and dialog is dismissed).
        if (path === 'vscode.window' && /^show.*(Message|Pick|Dialog|InputBox)$/.test(String(p))) {
          return async (...args) => { asked.push(`${String(p)}: ${typeof args[0] === 'string' ? args[0] : ''}`); return undefined; };
        }
        if (path === 'vscode.Uri' && p === 'parse') return (s) => fakeUri(String(s));
        if (path === 'vscode.Uri' && p === 'file') return (s) => fakeUri(`file://${s}`);
        if (path === 'vscode.workspace' && p === 'textDocuments') return [doc];
        if (path === 'vscode.window' && p === 'activeTextEditor') return { document: doc, selection: { active: { line: 0 } } };
        if (path === 'vscode.commands' && p === 'registerCommand') return (id, fn) => { record.commands.push(id); callbacks.push({ name: id, fn }); return stub('disposable'); };
      }
      if (p === Symbol.toPrimitive) return () => path;
      if (p === Symbol.iterator) return function* () {};
      if (path === 'vscode.commands' && p === 'registerCommand') return (id) => { record.commands.push(id); return stub('disposable'); };
      if (path === 'vscode.window' && p === 'createStatusBarItem') return () => { record.statusBarItems++; return stub('statusBarItem'); };
      if (path === 'vscode.window' && p === 'createOutputChannel') return (name) => { record.outputChannels.push(name); return stub('outputChannel'); };
      if (path === 'vscode.tests' && p === 'createTestController') return (id) => { record.testControllers.push(id); return stub('testController'); };
      if (path === 'vscode.workspace' && p === 'getConfiguration') return () => ({ get: (_k, d) => d, has: () => false, inspect: () => undefined, update: async () => undefined });
      return stub(`${path}.${String(p)}`);
    },
    set(_t, p, v) { // assignments (item.text = …) are accepted and forgotten; handlers are kept
      if (exercise && typeof v === 'function') callbacks.push({ name: `${path}.${String(p)} =`, fn: v });
      return true;
    },
    apply(_t, _this, args) {
      if (exercise) {
        if (WRITE.test(path)) writes.push(path);
        for (const a of args) if (typeof a === 'function') callbacks.push({ name: `${path}(…)`, fn: a });
      }
      return stub(`${path}(${args.length})`);
    },
    construct() { return stub(`new ${path}`); },
  });
}

const vscode = Object.fromEntries(names.map((n) => [n, stub(`vscode.${n}`)]));
vscode.version = '1.91.0';
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : load.call(this, request, ...rest);
};

const ext = require(join(root, 'dist', 'extension.js'));
const context = {
  subscriptions: [],
  extensionUri: stub('extensionUri'),
  extensionPath: root,
  asAbsolutePath: (p) => join(root, p),
  globalState: stub('globalState'), workspaceState: stub('workspaceState'), environmentVariableCollection: stub('env'),
};
let unhandled = 0;
if (exercise) {
  // Handlers called with arguments the editor would never pass may reject where nobody listens.
  process.on('unhandledRejection', () => { unhandled++; });
  // Any write through node:fs (the bundle has no business writing files itself).
  const fs = require('node:fs');
  for (const name of ['writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'mkdir', 'mkdirSync', 'rm', 'rmSync', 'unlink', 'unlinkSync', 'rename', 'renameSync', 'copyFile', 'copyFileSync', 'createWriteStream']) {
    const orig = fs[name];
    fs[name] = function (...args) { writes.push(`fs.${name}(${String(args[0])})`); return orig.apply(this, args); };
    if (fs.promises[name.replace(/Sync$/, '')]) {
      const p = name.replace(/Sync$/, '');
      const origP = fs.promises[p];
      fs.promises[p] = function (...args) { writes.push(`fs.promises.${p}(${String(args[0])})`); return origP.apply(this, args); };
    }
  }
}

/** Calls every handler the extension registered (and those they register in turn). */
async function exerciseAll() {
  const args = [undefined, eventArg, doc, doc.uri, 'file:///w/a.hotplug', { type: 'ready' }, { type: 'export', format: 'json', data: '{}' },
    { type: 'export', format: 'png', data: 'data:image/png;base64,AAAA' }, { type: 'reveal', uri: 'file:///w/a.hotplug', line: 0, start: 0, length: 1 },
    { type: 'stepSelected', uri: 'file:///w/a.hotplug', step: 1 }, { uri: 'file:///w/a.hotplug', version: 3, timeline: null, stale: false }];
  let called = 0;
  let errors = 0;
  for (let round = 0, done = 0; round < 3 && done < callbacks.length; round++) {
    const now = callbacks.slice(done);
    done = callbacks.length;
    for (const { fn } of now) {
      for (const a of args) {
        called++;
        try {
          const r = fn(a, stub('token'));
          // A handler waiting for the language server never settles here: do not wait for it.
          if (r && typeof r.then === 'function') {
            const settled = Promise.resolve(r).catch(() => { errors++; });
            await Promise.race([settled, new Promise((res) => setImmediate(res))]);
          }
        } catch { errors++; }
      }
    }
  }
  // Let anything started settle (awaits on dismissed questions resolve within a few ticks).
  for (let i = 0; i < 20; i++) await new Promise((res) => setImmediate(res));
  return { callbacks: callbacks.length, called, errors: errors + unhandled };
}

let activateError = null;
let exercised = null;
Promise.resolve()
  .then(() => ext.activate(context))
  .catch((e) => { activateError = String(e && e.message || e); })
  .then(async () => { if (exercise) exercised = await exerciseAll(); })
  .finally(() => {
    process.stdout.write(JSON.stringify({ exports: Object.keys(ext), ...record, subscriptions: context.subscriptions.length, activateError, ...(exercise ? { exercised, writes, asked } : {}) }) + '\n');
    process.exit(0);
  });
