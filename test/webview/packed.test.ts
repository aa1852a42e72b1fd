// The packed timeline (the extension → webview transport): lossless, compact, and every field is
// checked on receipt — a corrupt packet is refused with a reason, never half-applied.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../language-server/core/index.js';
import { packTimeline, packTimelineObject, unpackTimeline } from '../../language-server/protocol/packedTimeline.js';
import { applyMessage, NOTHING_SHOWN } from '../../webview/actions.js';
import { DEFAULT_STATE } from '../../webview/state.js';
import { headProblem, stateProblem } from '../../webview/validate.js';
import { ROOT } from '../support/baseline.js';
import { hostileTimeline, hugeTimeline, loadTimeline } from './fixtures.js';

const checks = { headProblem, stateProblem };
/** Events decode to objects that read like EventViews; compare what they say, as JSON. */
const plain = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
const story = loadTimeline('seed-story');
const uri = 'file:///w/seed.hotplug';

test('round trip is exact, key order included (the JSON export reads the same)', () => {
  for (const t of [story, loadTimeline('seed-story-6.12'), hostileTimeline()]) {
    const r = unpackTimeline(packTimeline(t), checks);
    assert.equal(r.problem, '');
    assert.equal(JSON.stringify(r.timeline), JSON.stringify(t));
  }
  const seed = analyze(readFileSync(join(ROOT, 'examples', 'seed-thread.hotplug'), 'utf8')).timeline!;
  assert.equal(JSON.stringify(unpackTimeline(packTimeline(seed), checks).timeline), JSON.stringify(seed));
});

test('100,000 events pack to a few MB: strings, states and event shapes are shared', () => {
  const huge = hugeTimeline(2000, 100_000);
  const full = JSON.stringify(huge).length;
  const packed = packTimeline(huge);
  assert.ok(packed.length * 20 < full, `${packed.length} bytes packed vs ${full}`);
  const o = packTimelineObject(huge);
  assert.equal(o.states.length, 1);
  assert.ok(o.pool.length < 40, `${o.pool.length} state elements`);
  assert.equal(o.events.length, 2 * 100_000);
  const back = unpackTimeline(packed, checks).timeline!;
  assert.deepEqual(plain(back.steps[1999]), plain(huge.steps[1999]));
  const e = back.steps[1999]!.events[3]!;
  assert.deepEqual([e.id, e.kind, e.subject, e.result, e.hazard, e.span], [99_953, 'offline', 'k0', 'ok', undefined, huge.steps[1999]!.events[3]!.span]);
  assert.equal(back.steps.reduce((n, s) => n + s.events.length, 0), 100_000);
});

test('corrupt packets are refused with a reason', () => {
  const good = packTimelineObject(story);
  const bad: [unknown, RegExp][] = [
    [42, /not a string/], ['{', /not JSON/], [JSON.stringify({ ...good, format: 'x' }), /unknown format/],
    [JSON.stringify({ ...good, version: 2 }), /unknown version/],
    [JSON.stringify({ ...good, strings: [1] }), /bad strings/],
    [JSON.stringify({ ...good, head: { ...good.head, schema: 9 } }), /schema 9/],
    [JSON.stringify({ ...good, pool: [...good.pool, { name: 1 }], states: [{ ...good.states[0], devices: [good.pool.length] }] }), /state 0: bad devices/],
    [JSON.stringify({ ...good, states: [{ ...good.states[0], devices: [999999] }] }), /state 0: bad devices/],
    [JSON.stringify({ ...good, pool: 1 }), /tables missing/],
    [JSON.stringify({ ...good, shapes: { ...good.shapes, causeStart: [0, 3, ...good.shapes.causeStart.slice(2)] } }), /bad shape 0/],
    [JSON.stringify({ ...good, shapes: { ...good.shapes, source: [99999, ...good.shapes.source.slice(1)] } }), /bad shape 0/],
    [JSON.stringify({ ...good, shapes: { ...good.shapes, line: good.shapes.line.slice(1) } }), /column lengths/],
    [JSON.stringify({ ...good, shapes: { ...good.shapes, log: [...good.shapes.log, 1] } }), /offsets/],
    [JSON.stringify({ ...good, shapes: { ...good.shapes, kind: undefined } }), /bad shapes/],
    [JSON.stringify({ ...good, shapes: { ...good.shapes, line: ['3', ...good.shapes.line.slice(1)] } }), /bad shape 0/],
    [JSON.stringify({ ...good, shapes: { ...good.shapes, kind: ['0', ...good.shapes.kind.slice(1)] } }), /bad shape 0/],
    [JSON.stringify({ ...good, shapes: { ...good.shapes, causes: good.shapes.causes.map((c, i) => (i === 1 ? 0.5 : c)) } }), /bad shapes: cause/],
    [JSON.stringify({ ...good, shapes: [] }), /tables missing/],
    [JSON.stringify({ ...good, events: good.events.slice(0, -2) }), /bad step|left over/],
    [JSON.stringify({ ...good, events: [...good.events.slice(0, -1), 1.5] }), /bad event/],
    [JSON.stringify({ ...good, events: [...good.events.slice(0, -1), 999] }), /bad event 16/],
    [JSON.stringify({ ...good, steps: [[0, 0, -1, -1, -1, 0, 0, 999, 0]] }), /bad step 0/],
    [JSON.stringify({ ...good, steps: [] }), /no steps|left over/],
  ];
  for (const [packet, why] of bad) {
    const r = unpackTimeline(packet, checks);
    assert.equal(r.timeline, null);
    assert.match(r.problem, why);
  }
});

test('a packedTimeline message is applied like a timeline message; an older one is dropped undecoded', () => {
  const msg = { type: 'packedTimeline', uri, version: 2, packed: packTimeline(story), stale: false };
  const r = applyMessage(NOTHING_SHOWN, DEFAULT_STATE, msg);
  assert.equal(r.log, '');
  assert.deepEqual(plain(r.shown.timeline), story);
  assert.equal(r.shown.version, 2);
  const older = applyMessage(r.shown, { ...DEFAULT_STATE, uri }, { ...msg, version: 1, packed: 'not even JSON' });
  assert.equal(older.log, 'dropped timeline v1: v2 is shown');
  const broken = applyMessage(r.shown, { ...DEFAULT_STATE, uri }, { ...msg, version: 3, packed: '{' });
  assert.equal(broken.shown, r.shown);
  assert.match(broken.log, /ignored message: packed timeline: not JSON/);
  assert.match(applyMessage(NOTHING_SHOWN, DEFAULT_STATE, { ...msg, packed: 5 }).log, /packedTimeline message/);
});

test('docs/timeline-schema.md documents the packed layout as the code writes it', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'timeline-schema.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Packed timeline'));
  const o = packTimelineObject(story);
  for (const key of Object.keys(o)) assert.ok(section.includes(`| \`${key}\` |`), `packed field ${key} documented`);
  assert.ok(section.includes(`"${o.format}"`) && section.includes(`| \`version\` | ${o.version} |`));
  // Tuple orders: the step of the crash and the shape of its event, read back by the documented positions.
  const s10 = o.steps[10]!;
  assert.deepEqual([s10[0], o.strings[s10[1]], s10[2], s10[5], s10[6], s10[8]], [10, story.steps[10]!.label, story.steps[10]!.line, story.steps[10]!.firstLine, story.steps[10]!.lastLine, story.steps[10]!.events.length]);
  const crash = story.steps[10]!.events[0]!;
  const i = o.events[o.events.length - 2 * story.steps[10]!.events.length + 1]!;
  const sh = o.shapes;
  assert.deepEqual([o.strings[sh.kind[i]!], o.strings[sh.subject[i]!], o.strings[sh.result[i]!], o.strings[sh.message[i]!], sh.line[i], sh.start[i], sh.length[i]], [crash.kind, crash.subject, crash.result, crash.message, crash.line, crash.span.start, crash.span.length]);
  for (const column of Object.keys(sh)) assert.ok(section.includes(`\`${column}\``), `shape column ${column} documented`);
});
