// The server under load (issue 8): an edit storm, unknown methods and documents, a document
// closed mid-analysis, malformed JSON-RPC. It answers or errors cleanly, publishes the newest
// version last, and keeps serving. HOTPLUG_STORM_EDITS=10000 for the full burst.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { ROOT } from '../support/baseline.js';
import { SERVER, startClient } from '../server/lspClient.js';

const EDITS = Number(process.env['HOTPLUG_STORM_EDITS'] ?? 1000);
const seed = readFileSync(join(ROOT, 'examples', 'seed-thread.hotplug'), 'utf8');

test(`edit storm: ${EDITS} edits in a burst, only the newest version is published last`, async () => {
  const c = await startClient();
  try {
    const uri = 'file:///storm.hotplug';
    await c.open(uri, seed, 1);
    let rnd = 12345;
    const next = () => (rnd = (rnd * 1103515245 + 12345) & 0x7fffffff);
    for (let v = 2; v <= EDITS; v++) {
      // Insert a random character at a random place: mostly broken text, sometimes valid.
      const pos = next() % seed.length;
      const lines = seed.slice(0, pos).split('\n');
      const ch = ' #x=9"\n'[next() % 7]!;
      c.change(uri, v, [{ range: { start: { line: lines.length - 1, character: lines[lines.length - 1]!.length }, end: { line: lines.length - 1, character: lines[lines.length - 1]!.length } }, text: ch }]);
    }
    const final = EDITS + 1;
    c.change(uri, final, [{ text: seed }]);
    const last = await c.diagnosticsFor(uri, final);
    assert.ok(Array.isArray(last.diagnostics));
    const versions = c.notifications.filter((n) => n.method === 'textDocument/publishDiagnostics' && (n.params as PublishDiagnosticsParams).uri === uri).map((n) => (n.params as PublishDiagnosticsParams).version ?? -1);
    for (let i = 1; i < versions.length; i++) assert.ok(versions[i]! >= versions[i - 1]!, `published versions never go backwards (${versions[i - 1]} then ${versions[i]})`);
    assert.ok(versions.length < EDITS / 2, `debounced: ${versions.length} publications for ${EDITS} edits`);
    // Still serving.
    const hover = await c.request<unknown>('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 1 } });
    assert.ok(hover !== undefined);
  } finally {
    await c.close();
  }
});

test('unknown methods and unknown documents get clean answers; close mid-analysis is fine', async () => {
  const c = await startClient();
  try {
    await assert.rejects(c.request('hotplug/noSuchMethod', {}), (e: { code?: number }) => e.code === -32601);
    const h = await c.request<unknown>('textDocument/hover', { textDocument: { uri: 'file:///never-opened.hotplug' }, position: { line: 0, character: 0 } });
    assert.equal(h, null);
    const uri = 'file:///closing.hotplug';
    await c.open(uri, seed, 1);
    c.change(uri, 2, [{ text: seed + '\nstep\n  reboot\n' }]);
    c.notify('textDocument/didClose', { textDocument: { uri } });
    const other = 'file:///other.hotplug';
    const d = await c.open(other, 'scenario "x"\nram r0 8G\n', 1);
    assert.deepEqual(d.diagnostics, []);
    assert.doesNotMatch(c.stderr(), /Unhandled|TypeError|at .*server\.js/);
  } finally {
    await c.close();
  }
});

test('malformed JSON-RPC does not kill the server', async () => {
  const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe' });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  const frame = (body: string) => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  child.stdin.write(frame('{this is not json'));
  child.stdin.write(frame(JSON.stringify({ jsonrpc: '2.0', id: 'x', method: 42 })));
  child.stdin.write(frame(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } })));
  const answered = await new Promise<boolean>((resolve) => {
    const check = () => { if (/"id":1,"result"/.test(out.replace(/\s/g, ''))) { resolve(true); } };
    child.stdout.on('data', check);
    child.once('exit', () => resolve(false));
    check();
  });
  assert.ok(answered, `the server answered initialize after malformed input; output: ${out.slice(0, 300)}`);
  child.kill();
});
