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
const names = [...new Set([...readFileSync(join(root, 'node_modules/@types/vscode/index.d.ts'), 'utf8')
  .matchAll(/export (?:namespace|class|enum|const|function|let|var) ([A-Za-z_]+)/g)].map((m) => m[1]))];
const record = { commands: [], statusBarItems: 0, testControllers: [], outputChannels: [], notifications: [] };

function stub(path) {
  const target = function () {};
  return new Proxy(target, {
    get(_t, p) {
      if (p === 'then') return undefined; // not a thenable
      if (p === Symbol.toPrimitive) return () => path;
      if (p === Symbol.iterator) return function* () {};
      if (path === 'vscode.commands' && p === 'registerCommand') return (id) => { record.commands.push(id); return stub('disposable'); };
      if (path === 'vscode.window' && p === 'createStatusBarItem') return () => { record.statusBarItems++; return stub('statusBarItem'); };
      if (path === 'vscode.window' && p === 'createOutputChannel') return (name) => { record.outputChannels.push(name); return stub('outputChannel'); };
      if (path === 'vscode.tests' && p === 'createTestController') return (id) => { record.testControllers.push(id); return stub('testController'); };
      if (path === 'vscode.workspace' && p === 'getConfiguration') return () => ({ get: (_k, d) => d, has: () => false, inspect: () => undefined, update: async () => undefined });
      return stub(`${path}.${String(p)}`);
    },
    set() { return true; }, // assignments (item.text = …) are accepted and forgotten
    apply(_t, _this, args) { return stub(`${path}(${args.length})`); },
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
let activateError = null;
Promise.resolve()
  .then(() => ext.activate(context))
  .catch((e) => { activateError = String(e && e.message || e); })
  .finally(() => {
    process.stdout.write(JSON.stringify({ exports: Object.keys(ext), ...record, subscriptions: context.subscriptions.length, activateError }) + '\n');
    process.exit(0);
  });
