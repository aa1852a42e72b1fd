// Message rules: validate everything, drop older versions, keep the last good timeline (stale).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMessage, NOTHING_SHOWN, type Shown } from '../../webview/actions.js';
import { DEFAULT_STATE, createStateStore, restoreState, type WebviewState } from '../../webview/state.js';
import { messageProblem } from '../../webview/validate.js';
import { loadTimeline } from './fixtures.js';

const story = loadTimeline('seed-story');
const uri = 'file:///w/seed.hotplug';
const push = (version: number, timeline = story, stale = false) => ({ type: 'timeline', uri, version, timeline, stale });

function run(msgs: unknown[], state: WebviewState = DEFAULT_STATE): { shown: Shown; state: WebviewState; logs: string[] } {
  let shown = NOTHING_SHOWN;
  const logs: string[] = [];
  for (const m of msgs) {
    const r = applyMessage(shown, state, m);
    shown = r.shown;
    state = { ...state, ...r.patch };
    if (r.log) logs.push(r.log);
  }
  return { shown, state, logs };
}

test('wrong shapes are ignored and logged', () => {
  const bad = [null, 42, 'timeline', {}, { type: 'nope' }, { type: 'timeline', uri, version: '3', timeline: null, stale: false },
    { type: 'selectStep', uri }, { type: 'timeline', uri, version: 1, stale: false, timeline: { ...story, schema: 2 } },
    { type: 'timeline', uri, version: 1, stale: false, timeline: { ...story, steps: [{ ...story.steps[0], events: [{ id: 1 }] }] } },
    { type: 'compare', uri, result: { kernels: ['6.12'], timelines: [], differences: [] } }];
  const r = run(bad);
  assert.equal(r.logs.length, bad.length);
  assert.equal(r.shown, NOTHING_SHOWN);
  assert.match(messageProblem({ type: 'timeline', uri, version: 1, stale: false, timeline: { ...story, steps: [{ ...story.steps[0], events: [{ id: 1 }] }] } }), /bad event in step 0/);
});

test('a timeline from an older document version is dropped', () => {
  const newer = { ...story, title: 'v5' };
  const r = run([push(5, newer), push(4)]);
  assert.equal(r.shown.version, 5);
  assert.equal(r.shown.timeline!.title, 'v5');
  assert.deepEqual(r.logs, ['dropped timeline v4: v5 is shown']);
});

test('while the document has errors the last good timeline stays, marked stale', () => {
  const r = run([push(1), { type: 'timeline', uri, version: 2, timeline: null, stale: false }]);
  assert.equal(r.shown.timeline, story);
  assert.equal(r.shown.stale, true);
  assert.equal(r.shown.version, 2);
  const fixed = run([push(1), { type: 'timeline', uri, version: 2, timeline: null, stale: false }, push(3)]);
  assert.equal(fixed.shown.stale, false);
  const serverStale = run([push(1, story, true)]);
  assert.equal(serverStale.shown.stale, true);
});

test('edits keep the selected step (clamped); another document starts at step 0', () => {
  const short = { ...story, steps: story.steps.slice(0, 3) };
  const kept = run([push(1), { type: 'selectStep', uri, step: 7 }, push(2)]);
  assert.equal(kept.state.step, 7);
  const clamped = run([push(1), { type: 'selectStep', uri, step: 7 }, push(2, short)]);
  assert.equal(clamped.state.step, 2);
  const other = run([push(1), { type: 'selectStep', uri, step: 7 }, { ...push(1), uri: 'file:///w/other.hotplug' }]);
  assert.equal(other.state.step, 0);
  assert.equal(other.state.uri, 'file:///w/other.hotplug');
});

test('selectStep for another document is ignored; out-of-range steps are clamped', () => {
  const r = run([push(1), { type: 'selectStep', uri: 'file:///x', step: 2 }, { type: 'selectStep', uri, step: 999 }]);
  assert.equal(r.state.step, 10);
  assert.deepEqual(r.logs, ['ignored selectStep for file:///x']);
});

test('compare result switches compare mode on', () => {
  const result = { kernels: ['5.10', '6.12'], timelines: [story, loadTimeline('seed-story-6.12')], differences: [] };
  const r = run([push(1), { type: 'compare', uri, result }]);
  assert.equal(r.state.compare, true);
  assert.equal(r.shown.compare, result);
});

test('persisted state is read defensively and written on every update', () => {
  assert.deepEqual(restoreState('junk'), DEFAULT_STATE);
  assert.deepEqual(restoreState({ step: -4, zoom: 1e9, compare: 'yes', scrollLeft: NaN }), { ...DEFAULT_STATE, zoom: 240 });
  const saved: unknown[] = [];
  const store = createStateStore({ postMessage() {}, getState: () => ({ uri, step: 3, zoom: 50 }), setState: (s) => saved.push(s) });
  assert.equal(store.get().step, 3);
  store.update({ step: 4 });
  assert.deepEqual(saved, [{ ...DEFAULT_STATE, uri, step: 4, zoom: 50 }]);
});
