import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scan, TokenKind, isTrivia } from '../../language-server/core/index.js';

function kinds(text: string) {
  return scan(text).tokens.filter((t) => !isTrivia(t.kind)).map((t) => [t.kind, text.slice(t.start, t.end), t.value] as const);
}

test('block ranges split into three tokens; identifiers keep dots and dashes', () => {
  assert.deepEqual(kinds('memory32..memory35 dax0.0 virtio-mem').map((k) => [k[0], k[1]]), [
    [TokenKind.Identifier, 'memory32'], [TokenKind.DotDot, '..'], [TokenKind.Identifier, 'memory35'],
    [TokenKind.Identifier, 'dax0.0'], [TokenKind.Identifier, 'virtio-mem'],
  ]);
});

test('sizes are binary multiples, exact as bigint', () => {
  const v = (s: string) => scan(s).tokens[0]!.value;
  assert.equal(v('4K'), 4096n);
  assert.equal(v('128M'), 134217728n);
  assert.equal(v('64TiB'), 64n << 40n);
  assert.equal(v('2P'), 2n << 50n);
  assert.equal(v('0x1_0000_0000'), 0x100000000n);
  assert.equal(v('0xffff_ffff_ffff_f000'), 0xfffffffffffff000n);
  assert.equal(v('1_000'), 1000n);
});

test('durations are in milliseconds', () => {
  assert.equal(scan('10s').tokens[0]!.value, 10000n);
  assert.equal(scan('250ms').tokens[0]!.value, 250n);
  assert.equal(scan('2min').tokens[0]!.value, 120000n);
  assert.equal(scan('10s').tokens[0]!.kind, TokenKind.Duration);
});

test('versions, strings with escapes, paths, arrows', () => {
  const t = kinds('6.12 "a \\"b\\" \\\\" /mnt/pmem/db => = ..');
  assert.deepEqual(t.map((x) => x[0]), [TokenKind.Version, TokenKind.String, TokenKind.Path, TokenKind.Arrow, TokenKind.Equals, TokenKind.DotDot]);
  assert.equal(t[1]![2], 'a "b" \\');
  assert.deepEqual(scan('6.12').tokens[0]!.version, [6, 12]);
});

test('lexical errors carry stable codes and exact ranges', () => {
  const codes = (s: string) => scan(s).diagnostics.map((d) => [d.code, d.start, d.length]);
  assert.deepEqual(codes('ram @ x'), [['HL1001', 4, 1]]);
  assert.deepEqual(codes('"abc'), [['HL1002', 0, 4]]);
  assert.deepEqual(codes('"a\\qb"'), [['HL1003', 2, 2]]);
  assert.deepEqual(codes('4GB'), [['HL1004', 0, 3]]);
  assert.deepEqual(codes('0x'), [['HL1004', 0, 2]]);
});

test('comments, CRLF and BOM are trivia', () => {
  const { tokens } = scan('\uFEFFram # c\r\nx\r');
  assert.deepEqual(tokens.map((t) => t.kind), [TokenKind.Whitespace, TokenKind.Identifier, TokenKind.Whitespace, TokenKind.Comment, TokenKind.Newline, TokenKind.Identifier, TokenKind.Newline]);
});

test('"did you mean" diagnostics carry the suggestion as data for quick fixes', async () => {
  const { analyze } = await import('../../language-server/core/index.js');
  const a = analyze('scenario "x"\nset auto_onlin = online\nram r0 8G nod 1\nstep\n  unbnd x\n  onlin r0\n  online r9\n');
  const byCode = new Map<string, string | undefined>();
  for (const d of a.diagnostics) if (!byCode.has(d.code)) byCode.set(d.code, d.data?.['suggestion']);
  assert.ok(!a.diagnostics.some((d) => d.code === 'HL1012'), "the value after a misspelt option is not a second error");
  assert.equal(byCode.get('HL2011'), 'auto_online');
  assert.equal(byCode.get('HL1013'), 'node');
  assert.equal(byCode.get('HL1010'), 'unbind');
  assert.equal(byCode.get('HL2001'), 'r0');
});
