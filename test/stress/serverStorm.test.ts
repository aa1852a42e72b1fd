// The server under load (issue 8): an edit storm, unknown methods and documents, a document
// closed mid-analysis, malformed JSON-RPC. It answers or errors cleanly, publishes the newest
// version last, and keeps serving. HOTPLUG_STORM_EDITS=10000 for the full burst.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { Methods, type StatsResult } from '../../language-server/protocol/index.js';
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
    // Once the close cleared its diagnostics, nothing more is published for the closed document.
    const forClosed = c.notifications.filter((n) => n.method === 'textDocument/publishDiagnostics' && (n.params as PublishDiagnosticsParams).uri === uri).map((n) => n.params as PublishDiagnosticsParams);
    const cleared = forClosed.findIndex((p) => p.version === undefined && p.diagnostics.length === 0);
    assert.ok(cleared >= 0 && cleared === forClosed.length - 1, `the clear is the last publication: ${JSON.stringify(forClosed.map((p) => p.version ?? 'clear'))}`);
    // Custom methods: unknown documents and parameters of the wrong shape get answers, not a crash.
    await assert.rejects(c.request(Methods.compare, { uri: 'file:///never-opened.hotplug', kernels: ['6.1', '6.12'] }), (e: { code?: number }) => e.code === -32602);
    await assert.rejects(c.request(Methods.compare, null), (e: { code?: number }) => typeof e.code === 'number');
    assert.match(await c.request<string>(Methods.renderText, { uri: 'file:///never-opened.hotplug' }), /is not open/);
    assert.equal(typeof await c.request(Methods.renderText, 42), 'string');
    c.notify(Methods.cursor, { uri: 7, line: 'x' });
    c.notify(Methods.cursor, null);
    for (const bad of [null, 42, { textDocument: null }, { textDocument: { uri: other }, position: { line: -5, character: 1e9 } }]) {
      await c.request('textDocument/hover', bad).catch(() => undefined);
      await c.request('textDocument/formatting', bad).catch(() => undefined);
    }
    assert.ok(await c.request<unknown>('textDocument/documentSymbol', { textDocument: { uri: other } }), 'still serving');
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

// Issue 8: "its heap returns to within 10% of its starting size after the storm (measured,
// printed)". The server runs with --expose-gc so `hotplug/stats` collects before measuring. The
// start is measured once the server has analysed the document and served each kind of request
// (so compiled code and lazily built tables are in both figures); the end after the storm's last
// version is published and the document is back to its starting text.
const HEAP_EDITS = Number(process.env['HOTPLUG_HEAP_EDITS'] ?? 10_000);

test(`heap after a storm of ${HEAP_EDITS} random edits returns to within 10% of the start`, async (t) => {
  const c = await startClient({}, ['--expose-gc']);
  try {
    const uri = 'file:///heap.hotplug';
    let version = 1;
    await c.open(uri, seed, version);
    const serve = async () => {
      await c.request('textDocument/hover', { textDocument: { uri }, position: { line: 20, character: 3 } });
      await c.request('textDocument/completion', { textDocument: { uri }, position: { line: 20, character: 2 } });
      await c.request('textDocument/documentSymbol', { textDocument: { uri } });
      await c.request('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
      await c.request(Methods.renderText, { uri });
    };
    // Warm-up: a few edits and every request kind, then back to the seed text.
    let text = seed;
    let rnd = 8;
    const next = (n: number) => { rnd = (rnd * 1103515245 + 12345) & 0x7fffffff; return rnd % n; };
    const pieces = ['x', ' ', '\n', '#', '"', '=', '8G', 'step\n', '  online ', 'expect ', 'poison ', 'memory', '..', '\t', 'é', '\r\n'];
    const edit = () => {
      // A random insert, delete or replace at a random place; the text stays below 3× the seed.
      const at = next(text.length + 1);
      const del = text.length > 3 * seed.length || next(3) === 0 ? next(Math.min(40, text.length - at) + 1) : 0;
      const ins = next(4) === 0 ? '' : pieces[next(pieces.length)]!;
      const start = offsetToPosition(text, at);
      const end = offsetToPosition(text, at + del);
      text = text.slice(0, at) + ins + text.slice(at + del);
      c.change(uri, ++version, [{ range: { start, end }, text: ins }]);
    };
    for (let i = 0; i < 20; i++) edit();
    c.change(uri, ++version, [{ text: seed }]);
    text = seed;
    await c.diagnosticsFor(uri, version);
    await serve();
    const settle = async () => {
      // Collect until the figure stops falling (finalizers, terminated workers).
      let best = await c.request<StatsResult>(Methods.stats, {});
      for (let i = 0; i < 4; i++) {
        const s = await c.request<StatsResult>(Methods.stats, {});
        if (s.heapUsed >= best.heapUsed * 0.99) return s.heapUsed < best.heapUsed ? s : best;
        best = s;
      }
      return best;
    };
    const before = await settle();
    assert.ok(before.collected, 'the server ran a full GC (--expose-gc)');

    for (let i = 0; i < HEAP_EDITS; i++) edit();
    c.change(uri, ++version, [{ text: seed }]);
    text = seed;
    await c.diagnosticsFor(uri, version);
    await serve();
    const after = await settle();

    const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;
    const growth = (after.heapUsed - before.heapUsed) / before.heapUsed;
    const line = `server heap after GC: start ${mb(before.heapUsed)}, after ${HEAP_EDITS} edits ${mb(after.heapUsed)} (${(growth * 100).toFixed(1)}%); rss ${mb(before.rss)} → ${mb(after.rss)}`;
    t.diagnostic(line);
    console.log(line);
    assert.equal(after.documents, 1);
    assert.ok(growth <= 0.10, line);
  } finally {
    await c.close();
  }
});

function offsetToPosition(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) { line++; lineStart = i + 1; }
  return { line, character: offset - lineStart };
}
