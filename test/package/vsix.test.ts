// `npm run package` (in a copy of the tree, see packageVsix.ts): the .vsix holds exactly the
// allow-listed files, and everything the manifest and the extension's code point at is inside it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/baseline.js';
import { packageVsix, type PackagedVsix } from './packageVsix.js';
import { readZip } from './zip.js';

// What users install: the bundles, the grammar, the language configuration, the icon, and the
// package's README/CHANGELOG/LICENSE (vsce renames them). vsce adds the two zip metadata files.
const EXPECTED = [
  '[Content_Types].xml',
  'extension.vsixmanifest',
  'extension/LICENSE.txt',
  'extension/changelog.md',
  'extension/dist/cli.js',
  'extension/dist/extension.js',
  'extension/dist/server.js',
  'extension/dist/webview/timeline.css',
  'extension/dist/webview/timeline.js',
  'extension/images/icon.png',
  'extension/language-configuration.json',
  'extension/package.json',
  'extension/readme.md',
  'extension/syntaxes/hotplug.tmLanguage.json',
];

interface Manifest {
  main: string;
  icon: string;
  engines: { vscode: string };
  contributes: { languages: { configuration?: string }[]; grammars: { path: string }[] };
}

let packaged: PackagedVsix;
let files: Map<string, Buffer>;
let manifest: Manifest;
const inside = (path: string) => `extension/${path.replace(/^\.\//, '')}`;

before(() => {
  packaged = packageVsix();
  files = readZip(packaged.vsix);
  manifest = JSON.parse(files.get('extension/package.json')!.toString('utf8')) as Manifest;
});
after(() => packaged?.cleanup());

test('the .vsix holds exactly the allow-listed files', (t) => {
  assert.deepEqual([...files.keys()].sort(), [...EXPECTED].sort());
  const size = statSync(packaged.vsix).size;
  t.diagnostic(`.vsix size: ${(size / 1024).toFixed(1)} KiB`);
  assert.ok(size < 1024 * 1024, `the .vsix grew to ${size} bytes`);
});

test('main, icon and every contributed file point inside the package', () => {
  const paths = [manifest.main, manifest.icon, ...manifest.contributes.languages.flatMap((l) => (l.configuration ? [l.configuration] : [])), ...manifest.contributes.grammars.map((g) => g.path)];
  for (const p of paths) assert.ok(files.has(inside(p)), `${p} is not in the .vsix`);
});

test('files the extension opens at run time (server, webview, cli) are inside the package', () => {
  // Every joinPath(context.extensionUri, 'a', 'b', …) in the extension's sources.
  const found: string[] = [];
  for (const f of readdirSync(join(ROOT, 'extension')).filter((n) => n.endsWith('.ts'))) {
    const text = readFileSync(join(ROOT, 'extension', f), 'utf8');
    for (const m of text.matchAll(/joinPath\(\s*context\.extensionUri,\s*((?:'[^']*'\s*,?\s*)+)\)/g)) found.push(m[1]!.split(',').map((s) => s.trim().replace(/'/g, '')).filter(Boolean).join('/'));
    for (const m of text.matchAll(/joinPath\(\s*webviewRoot,\s*'([^']+)'\)/g)) found.push(`dist/webview/${m[1]}`);
  }
  assert.ok(found.includes('dist/server.js') && found.includes('dist/cli.js') && found.includes('dist/webview/timeline.js'), JSON.stringify(found));
  for (const p of found.filter((x) => x !== 'dist/webview')) assert.ok(files.has(inside(p)), `${p} (used by extension/) is not in the .vsix`);
});

test('the bundles are production builds that need nothing but node and vscode', () => {
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  for (const b of ['dist/extension.js', 'dist/server.js', 'dist/cli.js']) {
    const text = files.get(inside(b))!.toString('utf8');
    assert.ok(!text.includes('sourceMappingURL'), `${b} refers to a source map`);
    const required = new Set([...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!));
    const foreign = [...required].filter((r) => !builtins.has(r) && r !== 'vscode');
    assert.deepEqual(foreign, [], `${b} requires modules that are not bundled`);
  }
});

test('the package README stands alone: no links into the repository', () => {
  const readme = files.get('extension/readme.md')!.toString('utf8');
  assert.match(readme, /^# Hotplug Lab/);
  const relative = [...readme.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!).filter((href) => !/^(https?:|#)/.test(href));
  assert.deepEqual(relative, []);
});

test('engines.vscode is the oldest VS Code the code can use', () => {
  const pkg = (name: string) => JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string; engines?: { vscode?: string } };
  const minimum = (range: string) => range.replace(/^\^/, '').split('.').map(Number);
  // The code compiles against @types/vscode, so it uses no API newer than that; the language
  // client declares the oldest VS Code it runs on. The engine is the newer of the two.
  const types = pkg('@types/vscode').version.split('.').map(Number);
  const client = minimum(pkg('vscode-languageclient').engines!.vscode!);
  const newer = (a: number[], b: number[]) => (a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!) >= 0 ? a : b;
  const want = newer(types.slice(0, 3), client);
  assert.equal(manifest.engines.vscode, `^${want.join('.')}`);
});
