// Diagnostics over stdio: open/change publish for the right version, LSP shape of each
// diagnostic, the timeline notification after every analysis, and an edit storm.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Methods, type TimelineNotification } from '../../language-server/protocol/index.js';
import { startClient, type TestClient } from './lspClient.js';
import { CLEAN } from './fixtures.js';

describe('diagnostics', () => {
  let client: TestClient;
  before(async () => { client = await startClient(); });
  after(async () => { await client.close(); });

  test('didOpen of a clean scenario publishes only information for version 1', async () => {
    const p = await client.open('file:///clean.hotplug', CLEAN);
    assert.equal(p.version, 1);
    // Outcomes (HL3xxx) are information; nothing is an error or warning.
    assert.deepEqual(p.diagnostics.filter((d) => d.severity !== 3), []);
  });

  test('a timeline notification follows each analysis, tagged with the version', async () => {
    const n = await client.waitFor<TimelineNotification>(Methods.timeline, (p) => p.uri === 'file:///clean.hotplug' && p.version === 1);
    assert.equal(n.stale, false);
    // The timeline travels packed, as a string; null (never undefined) when there is none.
    assert.ok(n.packed === null || typeof n.packed === 'string');
    assert.equal(n.head === null, n.packed === null);
  });

  test('each diagnostic has code, source, severity, codeDescription, exact range, related info', async () => {
    const uri = 'file:///bad.hotplug';
    const text = 'scenario "bad"\nram r0 8G\nram r0 4G\nstep\n  onlin r0\n';
    const p = await client.open(uri, text);
    const byCode = new Map(p.diagnostics.map((d) => [d.code, d]));
    const dup = byCode.get('HL2002')!;
    assert.ok(dup, 'duplicate name reported');
    assert.equal(dup.source, 'hotplug-lab');
    assert.equal(dup.severity, 1);
    assert.equal(dup.codeDescription?.href, 'https://github.com/hotplug-lab/hotplug-lab/blob/main/docs/diagnostics.md#hl2002');
    assert.deepEqual(dup.range, { start: { line: 2, character: 4 }, end: { line: 2, character: 6 } });
    const unknown = byCode.get('HL1010')!;
    assert.deepEqual(unknown.range, { start: { line: 4, character: 2 }, end: { line: 4, character: 7 } });
    for (const d of p.diagnostics) {
      for (const r of d.relatedInformation ?? []) assert.equal(r.location.uri, uri);
    }
  });

  test('warnings map to severity 2 and "no effect" findings are tagged unnecessary', async () => {
    const p = await client.open('file:///warn.hotplug', 'scenario "w"\nset block_size = 128M\nset block_size = 128M\nram r0 8G\n');
    const twice = p.diagnostics.find((d) => d.code === 'HL2019');
    assert.ok(twice);
    assert.equal(twice.severity, 2);
    assert.deepEqual(twice.tags, [1]);
  });

  test('didChange (incremental) publishes diagnostics for the new version', async () => {
    const uri = 'file:///change.hotplug';
    await client.open(uri, 'scenario "c"\nram r0 8G\n');
    client.change(uri, 2, [{ range: { start: { line: 1, character: 7 }, end: { line: 1, character: 9 } }, text: '4GB' }]);
    const p = await client.diagnosticsFor(uri, 2);
    assert.deepEqual(p.diagnostics.map((d) => d.code), ['HL1004']);
    client.change(uri, 3, [{ range: { start: { line: 1, character: 7 }, end: { line: 1, character: 10 } }, text: '4G' }]);
    assert.deepEqual((await client.diagnosticsFor(uri, 3)).diagnostics, []);
  });

  test('100 rapid edits: the last publication is for the final version, none for a stale one after it', async () => {
    const uri = 'file:///storm.hotplug';
    await client.open(uri, 'scenario "storm"\nram r0 8G\nstep\n');
    const startAt = client.notifications.length;
    // Each edit appends a line; odd versions leave a broken statement, the final one is clean.
    for (let v = 2; v <= 101; v++) {
      const line = v === 101 ? '  reboot\n' : v % 2 === 0 ? '  reboot\n' : '  rebot\n';
      client.change(uri, v, [{ range: { start: { line: v + 1, character: 0 }, end: { line: v + 1, character: 0 } }, text: line }]);
    }
    const final = await client.diagnosticsFor(uri, 101);
    const published = client.notifications.slice(startAt)
      .filter((n) => n.method === 'textDocument/publishDiagnostics' && (n.params as { uri: string }).uri === uri)
      .map((n) => (n.params as { version: number }).version);
    assert.equal(published[published.length - 1], 101);
    // Versions only ever increase (nothing stale after something newer).
    for (let i = 1; i < published.length; i++) assert.ok(published[i]! > published[i - 1]!, `published ${published.join(',')}`);
    // Versions 3, 5, …, 99 add a "rebot" line (49 of them): the final version has exactly those errors.
    assert.equal(final.diagnostics.filter((d) => d.code === 'HL1010').length, 49);
    // Round trip: the server is still responsive after the storm.
    const symbols = await client.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.ok(symbols.length > 0);
  });

  test('didClose clears the diagnostics', async () => {
    const uri = 'file:///bad.hotplug';
    client.notify('textDocument/didClose', { textDocument: { uri } });
    const p = await client.waitFor<{ uri: string; version?: number; diagnostics: unknown[] }>('textDocument/publishDiagnostics', (x) => x.uri === uri && x.diagnostics.length === 0);
    assert.deepEqual(p.diagnostics, []);
  });

  test('garbage input never crashes the server', async () => {
    const uri = 'file:///junk.hotplug';
    const junk = '\u0000\uFFFF"\\' + 'x'.repeat(5000) + '\r\r\n=>..==>' + '\ud800' + '\n\tstep step step => => =>\n';
    const p = await client.open(uri, junk);
    assert.ok(p.diagnostics.length > 0);
    for (const method of ['textDocument/documentSymbol', 'textDocument/foldingRange', 'textDocument/semanticTokens/full', 'textDocument/formatting', 'textDocument/codeLens']) {
      await client.request(method, { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    }
    await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 3 } });
    await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 2, character: 9 } });
  });
});
