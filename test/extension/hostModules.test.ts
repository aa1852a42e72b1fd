// Extension modules that do not need VS Code: the panel's HTML and CSP, the validation of
// messages from the webview, and the per-document timeline cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTimelineCache } from '../../extension/timelines.js';
import { createNonce, timelineHtml } from '../../extension/webviewHtml.js';
import { readFromWebview } from '../../extension/webviewMessages.js';

test('timeline panel HTML: strict CSP, nonce on the only script, no inline code', () => {
  const nonce = createNonce();
  assert.match(nonce, /^[A-Za-z0-9+/=]{24}$/);
  assert.notEqual(createNonce(), nonce);
  const html = timelineHtml({ cspSource: 'vscode-webview://abc', nonce, scriptUri: 'vscode-webview://abc/dist/webview/timeline.js', styleUri: 'vscode-webview://abc/dist/webview/timeline.css' });
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!.replace(/&#39;/g, "'");
  assert.ok(csp.startsWith("default-src 'none'"));
  assert.ok(csp.includes(`script-src 'nonce-${nonce}'`));
  assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'));
  const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 1);
  assert.ok(scripts[0]![1]!.includes(`nonce="${nonce}"`));
  assert.equal(scripts[0]![2], '');
  assert.ok(!/\son\w+=/.test(html), 'no inline event handlers');
});

test('messages from the webview are validated field by field', () => {
  assert.deepEqual(readFromWebview({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(readFromWebview({ type: 'reveal', uri: 'file:///a', line: 3, start: 10, length: 4, extra: 1 }), { type: 'reveal', uri: 'file:///a', line: 3, start: 10, length: 4 });
  assert.deepEqual(readFromWebview({ type: 'stepSelected', uri: 'file:///a', step: 2 }), { type: 'stepSelected', uri: 'file:///a', step: 2 });
  for (const bad of [null, 3, 'ready', {}, { type: 'reveal', uri: 'x', line: -1, start: 0, length: 0 }, { type: 'stepSelected', uri: 1, step: 0 },
    { type: 'stepSelected', uri: 'u', step: 1.5 }, { type: 'export', format: 'exe', data: '' }, { type: 'log' }, { type: '__proto__' }]) {
    assert.equal(readFromWebview(bad), undefined, JSON.stringify(bad));
  }
});

test('timeline cache keeps the newest version per document and notifies listeners', () => {
  const cache = createTimelineCache();
  const seen: number[] = [];
  const stop = cache.onUpdate((n) => seen.push(n.version));
  assert.equal(cache.update({ uri: 'a', version: 2, packed: null, head: null, stale: false }), true);
  assert.equal(cache.update({ uri: 'a', version: 1, packed: null, head: null, stale: false }), false);
  assert.equal(cache.get('a')!.version, 2);
  stop();
  cache.update({ uri: 'a', version: 3, packed: null, head: null, stale: false });
  assert.deepEqual(seen, [2]);
  cache.forget('a');
  assert.equal(cache.get('a'), undefined);
});

test('timeline messages to the webview: the server\'s packed string forwarded as it is, decoded by the webview to the same timeline', async () => {
  const { timelineMessage, timelineOf } = await import('../../extension/timelineMessage.js');
  const { packTimeline, timelineHead } = await import('../../language-server/protocol/packedTimeline.js');
  const { applyMessage, NOTHING_SHOWN } = await import('../../webview/actions.js');
  const { DEFAULT_STATE } = await import('../../webview/state.js');
  const { loadTimeline } = await import('../webview/fixtures.js');
  const story = loadTimeline('seed-story');
  const packed = packTimeline(story);
  const n = { uri: 'a', version: 3, packed, head: timelineHead(story), stale: true };
  const m = timelineMessage(n);
  assert.deepEqual(m, { type: 'packedTimeline', uri: 'a', version: 3, packed, stale: true });
  assert.equal((m as { packed: string }).packed, packed, 'the same string, not a repacked one');
  const r = applyMessage(NOTHING_SHOWN, DEFAULT_STATE, m);
  assert.deepEqual(JSON.parse(JSON.stringify(r.shown.timeline)), story);
  assert.equal(r.shown.stale, true);
  // The extension's own readers (JSON export, a step's lines) decode it once per notification.
  const t = timelineOf(n)!;
  assert.deepEqual(JSON.parse(JSON.stringify(t)), story);
  assert.equal(timelineOf(n), t);
  assert.equal(timelineOf({ uri: 'a', version: 5, packed: null, head: null, stale: false }), undefined);
  assert.deepEqual(timelineMessage({ uri: 'a', version: 5, packed: null, head: null, stale: false }), { type: 'timeline', uri: 'a', version: 5, timeline: null, stale: false });
});
