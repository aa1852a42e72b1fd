// The TextMate grammar: each token class gets its scope (checked against the core's own tables,
// so a new statement, knob or result without a grammar entry fails here), and a snapshot of the
// full-language fixture (accept changes with HOTPLUG_ACCEPT=1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KNOBS, RESULTS, STATEMENTS } from '../../language-server/core/index.js';
import { ROOT } from '../support/baseline.js';
import { createTokenizer, type Grammar } from './tmTokenizer.js';

const grammar = JSON.parse(readFileSync(join(ROOT, 'syntaxes', 'hotplug.tmLanguage.json'), 'utf8')) as Grammar;
const tokenize = createTokenizer(grammar);

/** [text, innermost scope] of each non-blank token of a line. */
function scoped(line: string): [string, string][] {
  return tokenize(line).filter((t) => t.text.trim() !== '').map((t) => [t.text.trim(), t.scopes[t.scopes.length - 1]!]);
}
const scopeOf = (line: string, text: string) => scoped(line).find(([t]) => t === text)?.[1];

test('scope name and file type match package.json', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { grammars: { scopeName: string; path: string }[] } };
  assert.equal(grammar.scopeName, 'source.hotplug');
  assert.equal(manifest.contributes.grammars[0]!.scopeName, grammar.scopeName);
});

test('every statement keyword of the core table is a keyword at line start, by category', () => {
  const expected: Record<string, string> = {
    header: 'keyword.control.header.hotplug', declaration: 'storage.type.declaration.hotplug', step: 'keyword.control.step.hotplug',
    action: 'keyword.other.action.hotplug', expect: 'keyword.control.expect.hotplug',
  };
  for (const s of STATEMENTS.values()) {
    assert.equal(scopeOf(`  ${s.keyword} x`, s.keyword), expected[s.category], s.keyword);
  }
});

test('every knob key is a knob after set', () => {
  for (const k of KNOBS) assert.deepEqual(scoped(`set ${k.key} = ${k.default}`).slice(0, 3).map(([, s]) => s), ['keyword.control.header.hotplug', 'support.variable.knob.hotplug', 'keyword.operator.assignment.hotplug'], k.key);
});

test('every result after => is a result; errno names elsewhere are errno constants', () => {
  for (const r of RESULTS) assert.equal(scopeOf(`  offline d0 => ${r}`, r), 'constant.language.result.hotplug', r);
  assert.equal(scopeOf('  offline d0 =>', '=>'), 'keyword.operator.result.hotplug');
  assert.equal(scopeOf('# EBUSY in a comment', '# EBUSY in a comment'), 'comment.line.number-sign.hotplug');
  assert.equal(scopeOf('expect x EBUSY', 'EBUSY'), 'constant.language.errno.hotplug');
});

test('token classes: names, blocks, sizes, hex, durations, versions, strings, escapes, paths, comments', () => {
  assert.deepEqual(scoped('  online memory64..memory71 as online_movable # why'), [
    ['online', 'keyword.other.action.hotplug'],
    ['memory64', 'variable.language.block.hotplug'],
    ['..', 'keyword.operator.range.hotplug'],
    ['memory71', 'variable.language.block.hotplug'],
    ['as', 'keyword.other.option.hotplug'],
    ['online_movable', 'constant.language.value.hotplug'],
    ['# why', 'comment.line.number-sign.hotplug'],
  ]);
  assert.deepEqual(scoped('dimm dimm0 1G at 0x2_0000_0000 node 1 present'), [
    ['dimm', 'storage.type.declaration.hotplug'],
    ['dimm0', 'variable.other.name.hotplug'],
    ['1', 'constant.numeric.size.hotplug'],
    ['G', 'keyword.other.unit.hotplug'],
    ['at', 'keyword.other.option.hotplug'],
    ['0x2_0000_0000', 'constant.numeric.hex.hotplug'],
    ['node', 'keyword.other.option.hotplug'],
    ['1', 'constant.numeric.integer.hotplug'],
    ['present', 'keyword.other.option.hotplug'],
  ]);
  assert.equal(scopeOf('kernel 6.12', '6.12'), 'constant.numeric.version.hotplug');
  assert.equal(scopeOf('  offline d0 timeout 10s', '10'), 'constant.numeric.duration.hotplug');
  assert.equal(scopeOf('  offline d0 timeout 10s', 's'), 'keyword.other.unit.hotplug');
  assert.equal(scopeOf('ram r0 4GiB', 'GiB'), 'keyword.other.unit.hotplug');
  assert.equal(scopeOf('fs f0 xfs on d0 mount /mnt/pmem0', '/mnt/pmem0'), 'string.unquoted.path.hotplug');
  assert.equal(scopeOf('dax dax0.0 on pm0 mode devdax', 'dax0.0'), 'variable.other.name.hotplug');
  assert.equal(scopeOf('virtio-mem vm-0 4G', 'vm-0'), 'variable.other.name.hotplug');
  assert.equal(scopeOf('  surprise-remove cxl0', 'surprise-remove'), 'keyword.other.action.hotplug');
  assert.equal(scopeOf('  reconfigure d0 system-ram no-online', 'no-online'), 'keyword.other.option.hotplug');
  assert.equal(scopeOf('  expect p0 signal SIGBUS BUS_MCEERR_AR', 'BUS_MCEERR_AR'), 'constant.language.signal.hotplug');
  assert.equal(scopeOf('  expect hazard stale-mapping', 'stale-mapping'), 'constant.language.value.hotplug');
  const str = tokenize('  expect log "a \\"quoted\\" \\q b"');
  const escapes = str.filter((t) => t.scopes.includes('constant.character.escape.hotplug')).map((t) => t.text);
  assert.deepEqual(escapes, ['\\"', '\\"']);
  assert.ok(str.some((t) => t.text === '\\q' && t.scopes.includes('invalid.illegal.escape.hotplug')));
  assert.ok(str.filter((t) => t.text.includes('quoted')).every((t) => t.scopes.includes('string.quoted.double.hotplug')));
  // An unterminated string ends at the end of the line.
  assert.equal(tokenize('scenario "open').at(-1)!.scopes[1], 'string.quoted.double.hotplug');
});

test('snapshot: a sample using every statement and option, every non-blank token scoped', () => {
  const text = readFileSync(join(ROOT, 'test', 'syntaxes', 'sample.hotplug'), 'utf8');
  const lines = text.split(/\r?\n/);
  const rendered: string[] = [];
  for (const line of lines) {
    for (const [t, s] of scoped(line)) {
      assert.notEqual(s, 'source.hotplug', `unscoped '${t}' in: ${line}`);
      rendered.push(`${t}\t${s}`);
    }
  }
  const snapshot = join(ROOT, 'test', 'syntaxes', 'sample.tokens.txt');
  const actual = rendered.join('\n') + '\n';
  if (process.env['HOTPLUG_ACCEPT'] === '1' || !existsSync(snapshot)) writeFileSync(snapshot, actual);
  assert.equal(actual, readFileSync(snapshot, 'utf8'));
});
