// The manifest (package.json) and the code agree: every command the extension registers is
// contributed and activates it, every setting it reads is declared, the code lens commands of the
// server exist, and the problem matcher reads the CLI's output format. The extension's sources
// are read as text (they import `vscode`, which only exists inside the editor).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/baseline.js';

interface Manifest {
  activationEvents: string[];
  contributes: {
    languages: { id: string }[];
    commands: { command: string; title: string }[];
    configuration: { properties: Record<string, { default?: unknown }> };
    problemMatchers: { name: string; pattern: { regexp: string; file: number; line: number; column: number; severity: number; code: number; message: number } }[];
    menus: Record<string, { command: string }[]>;
  };
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
const source = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const constants = source('extension/constants.ts');

/** The string values of `export const NAME = { key: 'value', … }` in constants.ts. */
function constObject(name: string): Map<string, string> {
  const block = new RegExp(`export const ${name} = \\{([\\s\\S]*?)\\} as const;`).exec(constants);
  assert.ok(block, `${name} in extension/constants.ts`);
  return new Map([...block[1]!.matchAll(/(\w+):\s*'([^']+)'/g)].map((m) => [m[1]!, m[2]!]));
}

const COMMANDS = constObject('COMMANDS');
const SETTINGS = constObject('SETTINGS');
// The language id is declared once, in the protocol; constants.ts re-exports it.
assert.match(constants, /export \{ LanguageId as LANGUAGE_ID \} from '\.\.\/language-server\/protocol\/index\.js';/);
const LANGUAGE_ID = /export const LanguageId = '([^']+)'/.exec(source('language-server/protocol/index.ts'))![1]!;

test('contributes.commands lists exactly the commands the extension defines', () => {
  assert.deepEqual(manifest.contributes.commands.map((c) => c.command).sort(), [...COMMANDS.values()].sort());
  for (const c of manifest.contributes.commands) assert.ok(c.command.startsWith('hotplugLab.') && c.title.length > 0);
});

test('every defined command is registered in the extension code', () => {
  const code = source('extension/commands.ts');
  for (const key of COMMANDS.keys()) assert.ok(code.includes(`registerCommand(COMMANDS.${key},`), `registerCommand(COMMANDS.${key}, …)`);
  const registered = [...code.matchAll(/registerCommand\(COMMANDS\.(\w+),/g)].map((m) => m[1]);
  assert.deepEqual(registered.sort(), [...COMMANDS.keys()].sort());
});

test('activation events: the language and each command', () => {
  assert.equal(LANGUAGE_ID, 'hotplug');
  assert.ok(manifest.contributes.languages.some((l) => l.id === LANGUAGE_ID));
  assert.deepEqual(manifest.activationEvents.sort(), [`onLanguage:${LANGUAGE_ID}`, ...[...COMMANDS.values()].map((c) => `onCommand:${c}`)].sort());
});

test('contributes.configuration declares exactly the settings the code uses, with the documented defaults', () => {
  const props = manifest.contributes.configuration.properties;
  assert.deepEqual(Object.keys(props).sort(), [...SETTINGS.values()].sort());
  assert.equal(props['hotplugLab.debounceMs']!.default, 150);
  assert.equal(props['hotplugLab.trace.server']!.default, 'off');
  // The client reads the section 'hotplugLab' and its id makes trace.server work.
  assert.ok(source('extension/client.ts').includes("new LanguageClient('hotplugLab'"));
});

test('menus only name contributed commands', () => {
  const known = new Set(COMMANDS.values());
  for (const entries of Object.values(manifest.contributes.menus)) for (const e of entries) assert.ok(known.has(e.command), e.command);
});

test("the server's code lens commands are contributed", () => {
  const lens = source('language-server/server/codeLens.ts');
  const ids = [...lens.matchAll(/'(hotplugLab\.\w+)'/g)].map((m) => m[1]!);
  assert.ok(ids.length >= 2);
  for (const id of ids) assert.ok([...COMMANDS.values()].includes(id), id);
});

test('the problem matcher reads `hotplug-lab check` output', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hotplug-pm-'));
  const file = join(dir, 'bad.hotplug');
  writeFileSync(file, 'scenario "bad"\nram r0 8G\nram r0 4GB\nset block_size = 128M\n');
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'check', file], { encoding: 'utf8' });
  const lines = r.stdout.trim().split('\n');
  assert.ok(lines.length >= 2, r.stdout + r.stderr);
  const pm = manifest.contributes.problemMatchers.find((p) => p.name === 'hotplug-lab')!;
  const re = new RegExp(pm.pattern.regexp);
  for (const line of lines) {
    const m = re.exec(line);
    assert.ok(m, `matches: ${line}`);
    assert.equal(m[pm.pattern.file], file);
    assert.ok(['error', 'warning', 'info'].includes(m[pm.pattern.severity]!));
    assert.match(m[pm.pattern.code]!, /^HL\d{4}$/);
    assert.ok(Number(m[pm.pattern.line]) >= 1 && Number(m[pm.pattern.column]) >= 1);
  }
});
