// A minimal LSP client over stdio for tests: spawns the BUILT server (dist/server.js --stdio) and
// speaks JSON-RPC as an editor does. Notifications are recorded; tests wait for the one that
// proves something happened (never for time to pass).

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  StreamMessageReader, StreamMessageWriter, createMessageConnection,
  type MessageConnection, type PublishDiagnosticsParams, type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { ROOT } from '../support/baseline.js';

export const SERVER = join(ROOT, 'dist', 'server.js');

interface Waiter {
  readonly method: string;
  readonly predicate: (params: unknown) => boolean;
  readonly resolve: (params: unknown) => void;
}

export interface TestClient {
  readonly connection: MessageConnection;
  readonly notifications: { method: string; params: unknown }[];
  readonly stderr: () => string;
  request<R>(method: string, params: unknown): Promise<R>;
  notify(method: string, params: unknown): void;
  /** Resolves with the first recorded or future notification matching the predicate. */
  waitFor<T>(method: string, predicate?: (params: T) => boolean): Promise<T>;
  open(uri: string, text: string, version?: number): Promise<PublishDiagnosticsParams>;
  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): void;
  diagnosticsFor(uri: string, version: number): Promise<PublishDiagnosticsParams>;
  close(): Promise<void>;
}

/** `nodeArgs` go before the script (e.g. `--expose-gc` for `hotplug/stats`). */
export async function startClient(initializationOptions: Record<string, unknown> = {}, nodeArgs: readonly string[] = []): Promise<TestClient> {
  if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run \`npm run build\` first.`);
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [...nodeArgs, SERVER, '--stdio'], { stdio: 'pipe' });
  let err = '';
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const notifications: { method: string; params: unknown }[] = [];
  let waiters: Waiter[] = [];
  connection.onNotification((method: string, params: unknown) => {
    notifications.push({ method, params });
    const ready = waiters.filter((w) => w.method === method && w.predicate(params));
    waiters = waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve(params);
  });
  // Servers may ask for configuration; answer like an editor with no settings.
  connection.onRequest('workspace/configuration', () => [null]);
  connection.listen();

  const waitFor = <T>(method: string, predicate: (params: T) => boolean = () => true): Promise<T> => {
    const seen = notifications.find((n) => n.method === method && predicate(n.params as T));
    if (seen) return Promise.resolve(seen.params as T);
    return new Promise<T>((resolve) => waiters.push({ method, predicate: (p) => predicate(p as T), resolve: (p) => resolve(p as T) }));
  };
  const diagnosticsFor = (uri: string, version: number) =>
    waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === version);

  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } },
    initializationOptions,
  });
  await connection.sendNotification('initialized', {});

  return {
    connection,
    notifications,
    stderr: () => err,
    request: <R>(method: string, params: unknown) => connection.sendRequest(method, params) as Promise<R>,
    notify: (method, params) => { void connection.sendNotification(method, params); },
    waitFor,
    open(uri, text, version = 1) {
      void connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'hotplug', version, text } });
      return diagnosticsFor(uri, version);
    },
    change(uri, version, changes) {
      void connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    },
    diagnosticsFor,
    async close() {
      try {
        await connection.sendRequest('shutdown');
        await connection.sendNotification('exit');
      } catch {
        // The server may already be gone; the kill below makes sure.
      }
      connection.dispose();
      if (child.exitCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          setTimeout(() => { child.kill(); }, 2000).unref();
        });
      }
    },
  };
}

/** Applies LSP text edits (non-overlapping) to a text, as an editor would. */
export function applyEdits(text: string, edits: readonly { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const off = (p: { line: number; character: number }) => (p.line >= starts.length ? text.length : Math.min(starts[p.line]! + p.character, text.length));
  const sorted = [...edits].sort((a, b) => off(b.range.start) - off(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}
