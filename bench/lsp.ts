// Edit-to-diagnostics latency through the BUILT server (dist/server.js --stdio), speaking LSP
// JSON-RPC as an editor does. `node lsp.js LINES EDITS` prints JSON {first: ms[], timelineMs: ms[]}.
// The debounce setting is 0 here: it is the user's choice of delay, not the machine's latency.
// "first" is the first publishDiagnostics for the edited version (the server publishes once per
// version, after the simulation: so it is also the simulated-diagnostics latency).

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { StreamMessageReader, StreamMessageWriter, createMessageConnection } from 'vscode-languageserver-protocol/node';
import { generateScenario } from './generate.js';

async function main(): Promise<void> {
  const lines = Number(process.argv[2] ?? 10_000);
  const edits = Number(process.argv[3] ?? 20);
  const server = join(process.cwd(), 'dist', 'server.js');
  const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiting = new Map<string, (t: number) => void>();
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number }) => {
    const w = waiting.get(`diag ${p.version}`);
    if (w) { waiting.delete(`diag ${p.version}`); w(performance.now()); }
  });
  conn.onNotification('hotplug/timeline', (p: { version: number }) => {
    const w = waiting.get(`timeline ${p.version}`);
    if (w) { waiting.delete(`timeline ${p.version}`); w(performance.now()); }
  });
  conn.onRequest('workspace/configuration', () => [null]);
  conn.listen();
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } }, initializationOptions: { debounceMs: 0 } });
  await conn.sendNotification('initialized', {});
  const uri = `file:///bench/${lines}.hotplug`;
  const text = generateScenario(lines);
  const all = text.split('\n');
  const wait = (key: string) => new Promise<number>((resolve) => waiting.set(key, resolve));
  let d = wait('diag 1');
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'hotplug', version: 1, text } });
  await d;
  const first: number[] = [], timeline: number[] = [];
  for (let v = 2; v < edits + 2; v++) {
    // One-line edit in the middle of the document: change the size of an allocation (8M ↔ 16M).
    const line = Math.floor(all.length / 2) + ((v * 37) % 200);
    const target = all.findIndex((l, i) => i >= line && /^ {2}alloc a\d+ \d+M/.test(l));
    const old = all[target]!;
    const next = old.includes(' 8M ') ? old.replace(' 8M ', ' 16M ') : old.replace(' 16M ', ' 8M ');
    all[target] = next;
    d = wait(`diag ${v}`);
    const tl = wait(`timeline ${v}`);
    const t0 = performance.now();
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: [{ range: { start: { line: target, character: 0 }, end: { line: target, character: old.length } }, text: next }],
    });
    first.push((await d) - t0);
    timeline.push((await tl) - t0);
  }
  process.stdout.write(JSON.stringify({ first, timeline }));
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  conn.dispose();
  child.kill();
}

void main();
