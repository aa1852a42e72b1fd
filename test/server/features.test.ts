// Language features over stdio against the built server: hover, completion, navigation, rename,
// outline, folding, semantic tokens, code lens and the custom hotplug/* methods.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeLens, CompletionItem, DocumentSymbol, FoldingRange, Hover, Location, SemanticTokens, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { Methods, type CompareResult, type StepAtCursorNotification } from '../../language-server/protocol/index.js';
import { applyEdits, startClient, type TestClient } from './lspClient.js';
import { CLEAN, positionOf } from './fixtures.js';

const URI = 'file:///features.hotplug';

describe('language features', () => {
  let client: TestClient;
  before(async () => {
    client = await startClient({ debounceMs: 0 });
    await client.open(URI, CLEAN);
  });
  after(async () => { await client.close(); });

  const at = (position: { line: number; character: number }) => ({ textDocument: { uri: URI }, position });
  const hoverText = async (needle: string, delta = 0) => {
    const h = await client.request<Hover | null>('textDocument/hover', at(positionOf(CLEAN, needle, delta)));
    assert.ok(h, `hover on '${needle}'`);
    return typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : JSON.stringify(h.contents);
  };
  const labels = async (line: string, delta: number, text = CLEAN) => {
    const items = await client.request<CompletionItem[] | { items: CompletionItem[] }>('textDocument/completion', at(positionOf(text, line, delta)));
    return (Array.isArray(items) ? items : items.items).map((i) => i.label);
  };

  test('hover on a statement keyword gives its summary and synopsis', async () => {
    const v = await hoverText('unbind dax0.0', 2);
    assert.match(v, /\*\*unbind\*\*/);
    assert.match(v, /unbind DEV/);
  });

  test('hover on a knob gives its kernel meaning', async () => {
    const v = await hoverText('auto_online', 3);
    assert.ok(v.includes('memhp_default_state'));
  });

  test('hover on a name gives the resolved object (range, blocks)', async () => {
    const v = await hoverText('online dimm0', 9);
    assert.ok(v.includes('dimm0'));
    assert.ok(v.includes('blocks memory'), v);
  });

  test('hover on an option key describes it', async () => {
    const v = await hoverText(' as online_movable', 2);
    assert.ok(v.includes('online_movable'));
  });

  test('completion at line start inside a step offers actions, not declarations', async () => {
    const text = CLEAN + '  \n';
    await client.open('file:///complete.hotplug', text);
    const items = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: 'file:///complete.hotplug' }, position: { line: 16, character: 2 } });
    const l = items.map((i) => i.label);
    assert.ok(l.includes('offline') && l.includes('expect') && l.includes('step'));
    assert.ok(!l.includes('ram'));
  });

  test('completion offers the right kind of names, option keys and enum values', async () => {
    assert.deepEqual((await labels('plug dimm0', 5)).filter((x) => !x.startsWith('=')), ['dimm0']);
    assert.deepEqual(await labels('mode devdax', 5), ['devdax', 'fsdax', 'system-ram']);
    const afterTarget = await labels('online dimm0 as', 13);
    assert.ok(afterTarget.includes('as') && afterTarget.includes('=>'));
    assert.deepEqual(await labels('as online_movable =>', 3), ['online', 'online_kernel', 'online_movable']);
    const results = await labels('=> ok', 3);
    assert.ok(results.includes('EBUSY') && results.includes('hang'));
    assert.deepEqual(await labels('mmap p0', 5), ['p0']);
  });

  test('completion of knob keys and values', async () => {
    const keys = await labels('set auto_online', 4);
    assert.ok(keys.includes('block_size') && keys.includes('memmap_on_memory'));
    assert.deepEqual(await labels('= offline', 2), ['offline', 'online', 'online_kernel', 'online_movable']);
  });

  test('completion in an expect line: names, then states of that kind', async () => {
    assert.ok((await labels('expect m0', 7)).includes('m0'));
    assert.deepEqual(await labels('m0 zapped', 3), ['valid', 'zapped', 'stale', 'poisoned', 'gone']);
  });

  test('go to definition and find references', async () => {
    const def = await client.request<Location>('textDocument/definition', at(positionOf(CLEAN, 'unbind dax0.0', 8)));
    assert.deepEqual(def.range, { start: { line: 6, character: 4 }, end: { line: 6, character: 10 } });
    const refs = await client.request<Location[]>('textDocument/references', { ...at(positionOf(CLEAN, 'dax0.0 on')), context: { includeDeclaration: true } });
    assert.deepEqual(refs.map((r) => r.range.start.line), [6, 12, 13]);
    const noDecl = await client.request<Location[]>('textDocument/references', { ...at(positionOf(CLEAN, 'dax0.0 on')), context: { includeDeclaration: false } });
    assert.equal(noDecl.length, 2);
  });

  test('rename changes every occurrence and the result checks clean', async () => {
    const prep = await client.request<{ placeholder: string } | null>('textDocument/prepareRename', at(positionOf(CLEAN, 'p0 dax0.0')));
    assert.equal(prep?.placeholder, 'p0');
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...at(positionOf(CLEAN, 'p0 dax0.0')), newName: 'db-writer' });
    const edits = edit.changes![URI]!;
    assert.equal(edits.length, 2);
    const renamed = applyEdits(CLEAN, edits);
    assert.ok(renamed.includes('process db-writer') && renamed.includes('mmap db-writer'));
    const p = await client.open('file:///renamed.hotplug', renamed);
    assert.deepEqual(p.diagnostics.filter((d) => d.severity !== 3), []);
  });

  test('rename rejects names that break the identifier rule', async () => {
    for (const bad of ['9lives', 'a..b', 'trailing-', 'has space', 'memory12', 'step', 'r0']) {
      await assert.rejects(client.request('textDocument/rename', { ...at(positionOf(CLEAN, 'p0 dax0.0')), newName: bad }), `rejects '${bad}'`);
    }
  });

  test('document symbols: header, machine by device, steps with actions', async () => {
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: URI } });
    assert.deepEqual(symbols.map((s) => s.name), ['unbind with a live mapping', 'kernel 6.8', 'auto_online = offline', 'machine', 'step 1: plug', 'step 2: map and unbind']);
    const machine = symbols[3]!;
    assert.deepEqual(machine.children!.map((c) => c.name), ['r0', 'dimm0', 'pm0', 'p0']);
    // The DAX device sits under the region it is carved from.
    assert.deepEqual(machine.children![2]!.children!.map((c) => c.name), ['dax0.0']);
    assert.deepEqual(symbols[5]!.children!.map((c) => c.name), ['mmap p0 dax0.0 as m0', 'unbind dax0.0', 'expect m0 zapped']);
  });

  test('folding ranges cover each step', async () => {
    const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: URI } });
    assert.deepEqual(ranges.map((r) => [r.startLine, r.endLine]), [[8, 10], [11, 14]]);
  });

  test('semantic tokens classify keywords, names and values', async () => {
    const init = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: URI } });
    assert.equal(init.data.length % 5, 0);
    // First token: `scenario` at 0:0, length 8, type 0 (keyword).
    assert.deepEqual(init.data.slice(0, 5), [0, 0, 8, 0, 0]);
  });

  test('code lens on the scenario line: verdict, open timeline, compare kernels', async () => {
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: URI } });
    assert.equal(lenses.length, 3);
    assert.ok(lenses.every((l) => l.range.start.line === 0));
    assert.deepEqual(lenses.map((l) => l.command!.command), ['hotplugLab.openTimeline', 'hotplugLab.openTimeline', 'hotplugLab.compareKernels']);
  });

  test('hotplug/cursor is answered with hotplug/stepAtCursor', async () => {
    client.notify(Methods.cursor, { uri: URI, version: 1, line: 13 });
    const n = await client.waitFor<StepAtCursorNotification>(Methods.stepAtCursor, (p) => p.uri === URI);
    assert.equal(n.step, 2);
    client.notify(Methods.cursor, { uri: URI, version: 1, line: 4 });
    const boot = await client.waitFor<StepAtCursorNotification>(Methods.stepAtCursor, (p) => p.uri === URI && p.step === 0);
    assert.equal(boot.version, 1);
  });

  test('hotplug/renderText returns text; hotplug/compare returns both kernels', async () => {
    const text = await client.request<string>(Methods.renderText, { uri: URI });
    assert.equal(typeof text, 'string');
    assert.ok(text.length > 0);
    const cmp = await client.request<CompareResult>(Methods.compare, { uri: URI, kernels: ['6.1', '6.12'] });
    assert.deepEqual(cmp.kernels, ['6.1', '6.12']);
    assert.equal(cmp.timelines.length, 2);
    assert.ok(Array.isArray(cmp.differences));
  });
});
