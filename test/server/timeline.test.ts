// Features that need the simulator's timeline, over stdio: the timeline notification (fresh and
// stale), hover with the simulated state after the step under the cursor, events of an action
// line, the verdict code lens, hotplug/renderText and hotplug/compare.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeLens, Hover } from 'vscode-languageserver-protocol';
import { renderTimelineText } from '../../language-server/core/index.js';
import { Methods, decodeTimeline, type CompareResult, type Timeline, type TimelineNotification } from '../../language-server/protocol/index.js';
import { startClient, type TestClient } from './lspClient.js';
import { CLEAN, positionOf } from './fixtures.js';

const URI = 'file:///timeline.hotplug';
const timelineOf = (n: TimelineNotification): Timeline | null => (n.packed === null ? null : decodeTimeline(n.packed));

describe('timeline features', () => {
  let client: TestClient;
  let first: TimelineNotification;
  before(async () => {
    client = await startClient({ debounceMs: 0 });
    await client.open(URI, CLEAN);
    first = await client.waitFor<TimelineNotification>(Methods.timeline, (n) => n.uri === URI && n.version === 1);
  });
  after(async () => { await client.close(); });

  const hoverValue = async (needle: string, delta = 0): Promise<string> => {
    const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: URI }, position: positionOf(CLEAN, needle, delta) });
    assert.ok(h, `hover on ${needle}`);
    return (h.contents as { value: string }).value;
  };

  test('the timeline of version 1 arrives, fresh, with boot + one entry per step', () => {
    const t = timelineOf(first);
    assert.ok(t, 'simulated');
    assert.equal(first.stale, false);
    assert.equal(t.steps.length, 3);
    assert.equal(t.title, 'unbind with a live mapping');
    assert.equal(first.head!.title, t.title);
  });

  test('hover on a name shows its simulated state after the step under the cursor', async () => {
    const v = await hoverValue('expect m0', 7);
    assert.ok(v.includes('After step 2'), v);
    assert.ok(v.includes('zapped'), v);
    const dimm = await hoverValue('online dimm0', 9);
    assert.ok(dimm.includes('After step 1'), dimm);
    assert.ok(/memory\d+\.\.memory\d+: online/.test(dimm), dimm);
  });

  test('hover on an action keyword lists the events of that line', async () => {
    const v = await hoverValue('unbind dax0.0', 1);
    assert.ok(v.includes('unbind dax0.0 → ok'), v);
  });

  test('code lens shows the verdict', async () => {
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: URI } });
    assert.ok(lenses[0]!.command!.title.includes(first.head!.verdict.summary));
  });

  test('renderText is the core rendering of the same timeline (as `hotplug-lab run`)', async () => {
    const text = await client.request<string>(Methods.renderText, { uri: URI });
    assert.equal(text, renderTimelineText(timelineOf(first)!));
  });

  test('compare runs both kernels and lists only differing results', async () => {
    const cmp = await client.request<CompareResult>(Methods.compare, { uri: URI, kernels: ['6.1', '6.12'] });
    assert.equal(cmp.timelines[0]!.kernel, '6.1');
    assert.equal(cmp.timelines[1]!.kernel, '6.12');
    for (const d of cmp.differences) assert.notEqual(d.a, d.b);
    const same = await client.request<CompareResult>(Methods.compare, { uri: URI, kernels: ['6.8', '6.8'] });
    assert.deepEqual(same.differences, []);
  });

  test('an edit that breaks the machine keeps the last good timeline, marked stale', async () => {
    // `ram r0 8G` → `ram r0 8GB`: a lexical error in a declaration, so nothing can be simulated.
    const at = positionOf(CLEAN, 'ram r0 8G', 9);
    client.change(URI, 2, [{ range: { start: at, end: at }, text: 'B' }]);
    const stale = await client.waitFor<TimelineNotification>(Methods.timeline, (n) => n.uri === URI && n.version === 2);
    assert.equal(stale.stale, true);
    assert.equal(stale.packed, first.packed);
    assert.deepEqual(stale.head, first.head);
    client.change(URI, 3, [{ range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '' }]);
    const fresh = await client.waitFor<TimelineNotification>(Methods.timeline, (n) => n.uri === URI && n.version === 3);
    assert.equal(fresh.stale, false);
    assert.ok(fresh.packed);
  });
});

describe('inlay hints', () => {
  test('blocks after device names, zone after online', async () => {
    const client = await startClient({ debounceMs: 0 });
    try {
      const uri = 'file:///hints.hotplug';
      const timeline = client.waitFor<TimelineNotification>(Methods.timeline, (n) => n.uri === uri && n.version === 1);
      await client.open(uri, CLEAN);
      // The diagnostics are published before the timeline (they do not wait for its transfer);
      // the hints come from the timeline, and the server asks the editor to refresh them when it lands.
      await timeline;
      const hints = await client.request<{ position: { line: number }; label: string }[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } } });
      const byLine = new Map(hints.map((h) => [h.position.line, h.label]));
      assert.equal(byLine.get(3), 'memory0..memory63');
      assert.match(byLine.get(4)!, /^memory\d+\.\.memory\d+$/);
      assert.equal(byLine.get(10), '→ movable');
    } finally {
      await client.close();
    }
  });
});

describe('completion that knows the simulated state', () => {
  test('unbind offers only DAX devices still bound at that step; plug only absent DIMMs', async () => {
    const client = await startClient({ debounceMs: 0 });
    try {
      const uri = 'file:///state-completion.hotplug';
      const text = [
        'scenario "bound"', 'ram r0 8G', 'dimm dimm0 1G', 'dimm dimm1 1G', 'pmem pm0 4G',
        'dax d0 on pm0 mode devdax size 1G', 'dax d1 on pm0 mode devdax size 1G',
        'step', '  unbind d0', '  plug dimm0', 'step', '  unbind ', '  plug ', '',
      ].join('\n');
      await client.open(uri, text);
      await client.waitFor<TimelineNotification>(Methods.timeline, (n) => n.uri === uri && n.packed !== null);
      const labels = async (line: number, character: number) =>
        (await client.request<{ label: string }[]>('textDocument/completion', { textDocument: { uri }, position: { line, character } })).map((i) => i.label);
      assert.deepEqual(await labels(11, 9), ['d1']);
      assert.deepEqual(await labels(12, 7), ['dimm1']);
    } finally {
      await client.close();
    }
  });
});

describe('requests that need the simulation wait for it', () => {
  test('renderText right after didOpen (debounce pending) answers with the simulated timeline', async () => {
    const client = await startClient({ debounceMs: 150 });
    try {
      const uri = 'file:///wait.hotplug';
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'hotplug', version: 1, text: CLEAN } });
      const text = await client.request<string>(Methods.renderText, { uri });
      const n = await client.waitFor<TimelineNotification>(Methods.timeline, (p) => p.uri === uri && p.version === 1);
      assert.equal(text, renderTimelineText(timelineOf(n)!));
      // Exactly one analysis was published for version 1 (the request did not restart it).
      assert.equal(client.notifications.filter((x) => x.method === Methods.timeline && (x.params as { uri: string }).uri === uri).length, 1);
    } finally {
      await client.close();
    }
  });
});
