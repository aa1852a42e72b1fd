// Every example scenario through the built server, as an editor opening it would: diagnostics
// and a timeline for the version, then outline, semantic tokens, folding, code lens, hover on each
// statement keyword; formatting keeps every token and is idempotent.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TextEdit } from 'vscode-languageserver-protocol';
import { TokenKind, analyze, isTrivia, parse, renderTimelineText, scan } from '../../language-server/core/index.js';
import { Methods, decodeTimeline, timelineHead, type TimelineNotification } from '../../language-server/protocol/index.js';
import { ROOT } from '../support/baseline.js';
import { applyEdits, startClient, type TestClient } from './lspClient.js';

const dir = join(ROOT, 'examples');
const examples = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.hotplug')).sort() : [];
const solid = (text: string) => scan(text).tokens.filter((t) => !isTrivia(t.kind) || t.kind === TokenKind.Comment).map((t) => text.slice(t.start, t.end));

describe('examples in the server', () => {
  let client: TestClient;
  before(async () => { client = await startClient({ debounceMs: 0 }); });
  after(async () => { await client.close(); });

  for (const name of examples) {
    test(name, async () => {
      const text = readFileSync(join(dir, name), 'utf8').replace(/\r\n/g, '\n');
      const uri = `file:///examples/${name}`;
      const published = await client.open(uri, text);
      assert.ok(published.diagnostics.every((d) => d.source === 'hotplug-lab' && typeof d.code === 'string'));
      const n = await client.waitFor<TimelineNotification>(Methods.timeline, (p) => p.uri === uri && p.version === 1);
      assert.equal(n.stale, false);
      // The notification carries the worker's packed string (and the head), which decodes to the
      // timeline analyze() gives: same JSON, key order included, and the same text rendering.
      const expected = analyze(text).timeline;
      if (expected) {
        assert.equal(typeof n.packed, 'string', 'packed timeline is a string');
        const got = decodeTimeline(n.packed!);
        assert.equal(JSON.stringify(got), JSON.stringify(expected));
        assert.equal(renderTimelineText(got), renderTimelineText(expected));
        assert.equal(JSON.stringify(n.head), JSON.stringify(timelineHead(expected)));
      } else {
        assert.deepEqual([n.packed, n.head], [null, null]);
      }
      const doc = { textDocument: { uri } };
      await client.request('textDocument/documentSymbol', doc);
      await client.request('textDocument/semanticTokens/full', doc);
      await client.request('textDocument/foldingRange', doc);
      await client.request('textDocument/codeLens', doc);
      for (const s of parse(text).statements) {
        const line = text.slice(0, s.keywordStart).split('\n').length - 1;
        const character = s.keywordStart - (text.lastIndexOf('\n', s.keywordStart - 1) + 1);
        await client.request('textDocument/hover', { ...doc, position: { line, character } });
      }
      const edits = await client.request<TextEdit[]>('textDocument/formatting', { ...doc, options: { tabSize: 2, insertSpaces: true } });
      const formatted = applyEdits(text, edits);
      assert.deepEqual(solid(formatted), solid(text));
      await client.open(uri + '.formatted', formatted);
      const again = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri: uri + '.formatted' }, options: { tabSize: 2, insertSpaces: true } });
      assert.deepEqual(again, [], 'formatting is idempotent');
    });
  }
});
