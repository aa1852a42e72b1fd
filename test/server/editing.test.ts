// Edits the server proposes, applied as an editor would: formatting (idempotent, no token lost)
// and quick fixes (the diagnostic they target is gone after applying them).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-protocol';
import { TokenKind, isTrivia, scan } from '../../language-server/core/index.js';
import { applyEdits, startClient, type TestClient } from './lspClient.js';
import { CLEAN, MESSY } from './fixtures.js';

/** Non-white-space tokens, comments included: what formatting must never change. */
function solidTokens(text: string): string[] {
  return scan(text).tokens.filter((t) => !isTrivia(t.kind) || t.kind === TokenKind.Comment).map((t) => text.slice(t.start, t.end));
}

describe('formatting and code actions', () => {
  let client: TestClient;
  let version = 0;
  before(async () => { client = await startClient({ debounceMs: 0 }); });
  after(async () => { await client.close(); });

  const format = async (uri: string, text: string) => {
    await client.open(uri, text, ++version);
    const edits = await client.request<TextEdit[] | null>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    return applyEdits(text, edits ?? []);
  };

  test('formatting indents steps, single-spaces tokens, keeps comments; twice = once', async () => {
    const once = await format('file:///fmt1.hotplug', MESSY);
    assert.equal(once, [
      '# a comment before everything',
      'scenario "messy" # trailing comment',
      'ram r0 8G',
      'dimm dimm0 1G',
      'process p0',
      '',
      'step "one"',
      '  plug dimm0',
      '  # comment inside the step',
      '  online memory64..memory71 as online_movable => ok',
      'step',
      '  offline dimm0 timeout 10s',
      '',
    ].join('\n'));
    assert.deepEqual(solidTokens(once), solidTokens(MESSY));
    const twice = await format('file:///fmt2.hotplug', once);
    assert.equal(twice, once);
  });

  test('formatting a clean file changes nothing', async () => {
    assert.equal(await format('file:///fmt3.hotplug', CLEAN), CLEAN);
  });

  test('formatting never loses a token, even in broken files', async () => {
    const broken = 'scenario "x\n  ram r0 4GB  @@ 0x\n step   =>\n\t\texpect   log "a\\q"   # c\r\n  zz..  ..memory1\n';
    const out = await format('file:///fmt4.hotplug', broken);
    assert.deepEqual(solidTokens(out), solidTokens(broken));
    assert.equal(await format('file:///fmt5.hotplug', out), out);
  });

  const fixAndRecheck = async (uri: string, text: string, code: string) => {
    const published = await client.open(uri, text, ++version);
    const diag = published.diagnostics.find((d: Diagnostic) => d.code === code);
    assert.ok(diag, `${code} reported`);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } });
    assert.ok(actions.length > 0, `a fix for ${code}`);
    const fixed = applyEdits(text, actions[0]!.edit!.changes![uri]!);
    const after = await client.open(uri + '.fixed', fixed, ++version);
    assert.ok(!after.diagnostics.some((d) => d.code === code), `${code} gone after '${actions[0]!.title}'`);
    return { fixed, title: actions[0]!.title };
  };

  test('quick fix: unknown statement → did you mean', async () => {
    const r = await fixAndRecheck('file:///fix1.hotplug', 'scenario "f"\nram r0 8G\nstep\n  rebot\n', 'HL1010');
    assert.equal(r.title, "Change to 'reboot'");
    assert.ok(r.fixed.includes('  reboot\n'));
  });

  test('quick fix: unknown name → did you mean', async () => {
    await fixAndRecheck('file:///fix2.hotplug', 'scenario "f"\nram r0 8G\ndimm dimm0 1G\nstep\n  plug dimm1\n', 'HL2001');
  });

  test('quick fix: unknown option → did you mean', async () => {
    await fixAndRecheck('file:///fix3.hotplug', 'scenario "f"\nram r0 8G nod 0\n', 'HL1013');
  });

  test('quick fix: align a size up to the block size', async () => {
    const r = await fixAndRecheck('file:///fix4.hotplug', 'scenario "f"\nram r0 8G\ndimm d0 100M\n', 'HL2005');
    assert.ok(r.fixed.includes('dimm d0 128M'));
  });

  test('quick fix: remove a knob set twice', async () => {
    const r = await fixAndRecheck('file:///fix5.hotplug', 'scenario "f"\nset block_size = 128M\nset block_size = 256M\nram r0 8G\n', 'HL2019');
    assert.equal(r.fixed, 'scenario "f"\nset block_size = 128M\nram r0 8G\n');
  });

  test('quick fix: add the missing scenario line', async () => {
    await fixAndRecheck('file:///fix6.hotplug', 'ram r0 8G\n', 'HL1017');
  });

  test('quick fix: update a failed `=> RESULT` to the simulated result (HL5001)', async () => {
    const r = await fixAndRecheck('file:///fix7.hotplug', 'scenario "f"\nram r0 8G\ndimm d0 1G\nstep\n  plug d0 => EBUSY\n', 'HL5001');
    assert.ok(r.title.startsWith('Update this expectation'), r.title);
    assert.ok(r.fixed.endsWith('  plug d0 => ok\n'), r.fixed);
  });

  test('quick fix: update a failed expect line to the simulated state (HL5002)', async () => {
    const r = await fixAndRecheck('file:///fix7b.hotplug', 'scenario "f"\nram r0 8G\ndimm d0 1G\nstep\n  plug d0\n  online d0 as online_movable\n  expect d0 zone normal\n', 'HL5002');
    assert.ok(r.title.startsWith('Update this expectation'), r.title);
    assert.ok(r.fixed.endsWith('  expect d0 zone movable\n'), r.fixed);
  });

  test("quick fix: add the missing 'unbind' before binding a bound device (HL3001)", async () => {
    const text = 'scenario "b"\nram r0 8G\npmem pm0 4G at 0x400000000\ndax d0 on pm0 mode devdax\nstep\n  bind d0 kmem\n';
    const uri = 'file:///fix7c.hotplug';
    const published = await client.open(uri, text, ++version);
    const busy = published.diagnostics.find((d) => d.code === 'HL3001' && d.range.start.line === 5);
    assert.ok(busy, JSON.stringify(published.diagnostics));
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: busy.range, context: { diagnostics: [busy] } });
    const add = actions.find((a) => a.title === "Add the missing 'unbind d0'");
    assert.ok(add, actions.map((a) => a.title).join(' | '));
    const fixed = applyEdits(text, add.edit!.changes![uri]!);
    assert.ok(fixed.endsWith('  unbind d0\n  bind d0 kmem\n'), fixed);
    const after = await client.open('file:///fix7c-after.hotplug', fixed, ++version);
    assert.ok(!after.diagnostics.some((d) => d.code === 'HL3001'), JSON.stringify(after.diagnostics));
  });

  test('generic fix from diagnostic.data: replacement and actual', async () => {
    const uri = 'file:///fix8.hotplug';
    const text = 'scenario "f"\nram r0 8G\ndimm d0 1G\nstep\n  plug d0 => EBUSY\n';
    await client.open(uri, text, ++version);
    const diag: Diagnostic = { range: { start: { line: 4, character: 2 }, end: { line: 4, character: 6 } }, message: 'm', code: 'HL3999', data: { replacement: 'unplug', title: 'Unplug instead' } };
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } });
    assert.equal(actions[0]!.title, 'Unplug instead');
    assert.equal(applyEdits(text, actions[0]!.edit!.changes![uri]!), 'scenario "f"\nram r0 8G\ndimm d0 1G\nstep\n  unplug d0 => EBUSY\n');
  });

  test('quick fix: online to ZONE_MOVABLE instead when an offline is blocked (HL3001)', async () => {
    const text = 'scenario "a"\nram r0 8G\ndimm d0 1G\nstep\n  plug d0\n  online d0\n  alloc k0 4M slab in d0\n  offline d0\n';
    const uri = 'file:///fix9.hotplug';
    const published = await client.open(uri, text, ++version);
    const blocked = published.diagnostics.find((d) => d.code === 'HL3001' && d.range.start.line === 7);
    assert.ok(blocked, 'the slab in ZONE_NORMAL blocks the offline');
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: blocked.range, context: { diagnostics: [blocked] } });
    const movable = actions.find((a) => a.title.startsWith("Online 'd0' to ZONE_MOVABLE"));
    assert.ok(movable, actions.map((a) => a.title).join(', '));
    const fixed = applyEdits(text, movable.edit!.changes![uri]!);
    assert.ok(fixed.includes('  online d0 as online_movable\n'));
    const after = await client.open(uri + '.fixed', fixed, ++version);
    assert.ok(!after.diagnostics.some((d) => d.code === 'HL3001' && d.range.start.line === 7), 'offline now succeeds');
  });

  test('quick fix: set kernel 6.8 for MF_MEM_PRE_REMOVE removes the stale mapping (HL4003)', async () => {
    const text = 'scenario "c"\nkernel 6.1\nram r0 8G\npmem pm0 4G\ndax d0 on pm0 mode fsdax\nfs f0 xfs on d0 mount /mnt/x\nfile /mnt/x/db 64M\nprocess p0\nstep\n  mmap p0 /mnt/x/db as m0\n  unbind d0\n';
    const r = await fixAndRecheck('file:///fix10.hotplug', text, 'HL4003');
    assert.ok(r.title.startsWith('Set kernel 6.8'), r.title);
    assert.ok(r.fixed.includes('kernel 6.8\n'));
  });
});
