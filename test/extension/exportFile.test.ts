// Export never overwrites without asking (issue 8): saveExport() against a stand-in editor API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { REPLACE, saveExport, type ExportApi } from '../../extension/exportFile.js';

function fakeApi(opts: { picked: string | undefined; existing: string[]; answer: string | undefined }) {
  const calls: string[] = [];
  const files = new Map<string, string>(opts.existing.map((p) => [p, 'old']));
  const uri = (path: string) => ({ path, toString: () => `file://${path}` }) as unknown as vscode.Uri;
  const api: ExportApi = {
    showSaveDialog: async () => { calls.push('dialog'); return opts.picked === undefined ? undefined : uri(opts.picked); },
    showWarningMessage: async (message, options, ...items) => { calls.push(`ask modal=${options.modal} [${items.join(',')}] ${message}`); return opts.answer; },
    stat: async (u) => { if (!files.has(u.path)) throw new Error('FileNotFound'); return { type: 1 }; },
    writeFile: async (u, c) => { calls.push(`write ${u.path}`); files.set(u.path, Buffer.from(c).toString('utf8')); },
  };
  return { api, calls, files };
}

const bytes = Buffer.from('new timeline', 'utf8');

test('export to a new file: written without a question', async () => {
  const f = fakeApi({ picked: '/w/a.timeline.txt', existing: [], answer: undefined });
  const written = await saveExport(f.api, { saveLabel: 'Export timeline' }, bytes);
  assert.equal(written?.path, '/w/a.timeline.txt');
  assert.deepEqual(f.calls, ['dialog', 'write /w/a.timeline.txt']);
});

test('export onto an existing file asks (modal); declining leaves the file as it was', async () => {
  for (const answer of [undefined, 'Cancel']) {
    const f = fakeApi({ picked: '/w/a.timeline.txt', existing: ['/w/a.timeline.txt'], answer });
    assert.equal(await saveExport(f.api, {}, bytes), undefined);
    assert.equal(f.calls.length, 2);
    assert.match(f.calls[1]!, /^ask modal=true \[Replace\] 'a\.timeline\.txt' already exists/);
    assert.equal(f.files.get('/w/a.timeline.txt'), 'old');
  }
});

test('export onto an existing file replaces it only after "Replace"', async () => {
  const f = fakeApi({ picked: '/w/a.timeline.txt', existing: ['/w/a.timeline.txt'], answer: REPLACE });
  assert.equal((await saveExport(f.api, {}, bytes))?.path, '/w/a.timeline.txt');
  assert.equal(f.calls.at(-1), 'write /w/a.timeline.txt');
  assert.equal(f.files.get('/w/a.timeline.txt'), 'new timeline');
});

test('cancelling the save dialog writes nothing and asks nothing', async () => {
  const f = fakeApi({ picked: undefined, existing: [], answer: REPLACE });
  assert.equal(await saveExport(f.api, {}, bytes), undefined);
  assert.deepEqual(f.calls, ['dialog']);
});
