// The simulation runs off the message loop: while a long scenario is being simulated the server
// answers requests, and a newer version cancels the run (the older version is never published).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DocumentSymbol } from 'vscode-languageserver-protocol';
import { startClient, type TestClient } from './lspClient.js';

/** A scenario whose simulation takes a while (thousands of steps, full state per step). */
function longScenario(steps: number): string {
  const head = 'scenario "long"\nram r0 64G\n' + Array.from({ length: 50 }, (_, i) => `dimm d${i} 1G\n`).join('');
  return head + Array.from({ length: steps }, (_, i) => `step "s${i}"\n  plug d${i % 50}\n  online d${i % 50}\n  offline d${i % 50}\n  unplug d${i % 50}\n`).join('');
}

describe('responsiveness', () => {
  let client: TestClient;
  before(async () => { client = await startClient({ debounceMs: 0 }); });
  after(async () => { await client.close(); });

  test('requests are answered while the simulation runs; a newer version cancels it', async () => {
    const uri = 'file:///long.hotplug';
    const text = longScenario(600);
    const published = client.open(uri, text);
    let diagnosticsArrived = false;
    void published.then(() => { diagnosticsArrived = true; });
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.equal(symbols.filter((s) => s.name.startsWith('step')).length, 600);
    assert.equal(diagnosticsArrived, false, 'the outline came before the simulation finished');

    // Version 2 arrives while version 1 is still being simulated.
    const lines = text.split('\n').length;
    client.change(uri, 2, [{ range: { start: { line: lines - 1, character: 0 }, end: { line: lines - 1, character: 0 } }, text: 'step "last"\n  reboot\n' }]);
    const v2 = await client.diagnosticsFor(uri, 2);
    assert.ok(Array.isArray(v2.diagnostics));
    const versions = client.notifications
      .filter((n) => n.method === 'textDocument/publishDiagnostics' && (n.params as { uri: string }).uri === uri)
      .map((n) => (n.params as { version: number }).version);
    assert.deepEqual(versions, [2]);
  });
});
