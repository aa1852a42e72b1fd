// The pure view model over the seed-thread story: what a kernel engineer must see at each step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAddressScale } from '../../webview/address.js';
import { buildAddressMap } from '../../webview/addressMap.js';
import { compareMaps, compareView, diffTimelines } from '../../webview/compare.js';
import { linkStyle, mappingLinks } from '../../webview/links.js';
import { cellAt } from '../../webview/lanes.js';
import { cursorItems, keepLane } from '../../webview/cursor.js';
import { buildTimelineView, buildViewModel, eventsOfStep } from '../../webview/viewModel.js';
import { hugeTimeline, loadTimeline } from './fixtures.js';

const story = loadTimeline('seed-story');
const view = buildTimelineView(story);
const lane = (key: string) => view.lanes.findIndex((l) => l.key === key);

test('lanes: machine, devices (with their block runs), filesystems, processes and their mappings — one cell per step', () => {
  assert.deepEqual(view.lanes.map((l) => l.key), ['machine:', 'device:r0', 'blocks:r0:0-31', 'blocks:r0:32-63', 'device:fs0', 'device:k0', 'device:k1', 'fs:xfs0', 'process:db', 'mapping:m_db']);
  // A lane has a cell at the steps where its thing exists.
  for (const l of view.lanes) if (!l.key.startsWith('mapping:')) assert.ok(story.steps.every((_, s) => cellAt(l, s) !== undefined), l.key);
  assert.deepEqual(story.steps.map((_, s) => cellAt(view.lanes[lane('mapping:m_db')]!, s) !== undefined), [false, false, false, true, true, true, true, true, true, true, true]);
  // The mapping does not exist before step 3.
  assert.equal(cellAt(view.lanes[lane('mapping:m_db')]!, 2), undefined);
  assert.equal(cellAt(view.lanes[lane('mapping:m_db')]!, 3)!.token, 'valid');
});

test('block runs: one lane per run that differs in state or zone; one run is the device lane itself', () => {
  // r0 boots as ZONE_DMA32 below 4G and ZONE_NORMAL above: two lanes under r0.
  assert.deepEqual([cellAt(view.lanes[lane('blocks:r0:0-31')]!, 0), cellAt(view.lanes[lane('blocks:r0:32-63')]!, 0)],
    [{ text: 'online DMA32', token: 'zone-dma', hazard: false }, { text: 'online NORMAL', token: 'zone-normal', hazard: false }]);
  assert.equal(view.lanes[lane('device:k0')]!.label, 'k0 · memory160..191');
  // k0 partly offlined at step 4 (blocks 176..191), the rest online: from then on two runs.
  type Mutable = { steps: { events: unknown[]; state: { blocks: Record<string, unknown>[] } }[] };
  const split = structuredClone(story) as unknown as Mutable;
  for (const s of split.steps.slice(4)) {
    const i = s.state.blocks.findIndex((b) => (b as { owner: string }).owner === 'k0');
    const k0 = s.state.blocks[i]!;
    s.state.blocks.splice(i, 1, { ...k0, last: 175 }, { ...k0, first: 176, state: 'offline', zone: null, used: {} });
  }
  split.steps[5]!.events = [{ ...story.steps[4]!.events[0]!, subject: 'memory180..memory191' }];
  const v = buildTimelineView(split as unknown as typeof story);
  const keys = v.lanes.map((l) => l.key);
  assert.deepEqual(keys.filter((k) => k.includes('k0')), ['device:k0', 'blocks:k0:160-175', 'blocks:k0:176-191']);
  const hi = v.lanes[keys.indexOf('blocks:k0:176-191')]!;
  assert.deepEqual([3, 4, 5].map((st) => cellAt(hi, st)!.text), ['online NORMAL', 'offline', 'offline']);
  assert.equal(cellAt(v.lanes[keys.indexOf('blocks:k0:160-175')]!, 5)!.text, 'online NORMAL');
  // An event on a block range lands on the run lane that holds it.
  assert.equal(eventsOfStep(v, 5)[0]!.lane, keys.indexOf('blocks:k0:176-191'));
  // Runs that only differ in usage (not shown in a lane) merge back into one lane.
  const used = structuredClone(story) as unknown as Mutable;
  for (const s of used.steps) {
    const i = s.state.blocks.findIndex((b) => (b as { owner: string }).owner === 'k1');
    const k1 = s.state.blocks[i]!;
    s.state.blocks.splice(i, 1, { ...k1, last: 200 }, { ...k1, first: 201, used: { pinned: '0x1000' } });
  }
  assert.deepEqual(buildTimelineView(used as unknown as typeof story).lanes.map((l) => l.key).filter((k) => k.includes('k1')), ['device:k1']);
});

test('why ZONE_NORMAL offline fails: EBUSY on k0 with its cause chain; ZONE_MOVABLE offline is ok', () => {
  const [busy] = eventsOfStep(view, 4);
  assert.equal(busy!.lane, lane('device:k0'));
  assert.equal(busy!.token, 'fail');
  assert.equal(busy!.label, 'offline EBUSY');
  assert.match(busy!.detail, /because:\n {2}line 18: k1 was onlined while k0 was the only kernel zone/);
  assert.match(busy!.detail, /kernel: memory offlining \[mem 0x500000000-0x5ffffffff\] failed/);
  const ok = eventsOfStep(view, 5);
  assert.deepEqual(ok.map((e) => [e.label, e.token, e.lane]), [['offline ok', 'ok', lane('device:k1')], ['remove ok', 'ok', lane('device:k1')]]);
  assert.equal(cellAt(view.lanes[lane('device:k0')]!, 4)!.token, 'zone-normal');
  assert.equal(cellAt(view.lanes[lane('device:k1')]!, 4)!.token, 'zone-movable');
  assert.equal(cellAt(view.lanes[lane('device:k1')]!, 5)!.token, 'removed');
});

test('address map: zones coloured, ZONE_DEVICE dax, memmap of k1 hosted in k0', () => {
  const map = buildAddressMap(story, 2);
  const blocks = map.segments.filter((s) => s.row === 'blocks');
  assert.deepEqual(blocks.map((s) => [s.label, s.token]), [
    ['r0 ZONE_DMA32', 'zone-dma'], ['r0 ZONE_NORMAL', 'zone-normal'], ['k0 ZONE_NORMAL', 'zone-normal'], ['k1 ZONE_MOVABLE', 'zone-movable'],
  ]);
  const fs0 = map.segments.find((s) => s.row === 'device' && s.label.startsWith('fs0'))!;
  assert.equal(fs0.token, 'zone-device');
  assert.deepEqual(map.links.map((l) => l.label), ['memmap of k0 lives in r0', 'memmap of k1 lives in k0']);
  const k0 = blocks[2]!;
  const k1 = blocks[3]!;
  const link = map.links[1]!;
  assert.ok(link.fromX > k0.x0 && link.fromX < k0.x1);
  assert.ok(link.toX > k1.x0 && link.toX < k1.x1);
  // Segments stay ordered by address and inside [0, 1].
  for (const s of map.segments) assert.ok(s.x0 >= 0 && s.x1 <= 1 && s.x0 <= s.x1);
});

test('burned range: k0 hatched and flagged on the map, alert from then on', () => {
  const vm = buildViewModel(story, { step: 6 }, view);
  const burned = vm.map.segments.filter((s) => s.burned);
  assert.deepEqual(burned.map((s) => [s.row, s.label]), [['blocks', 'k0 ZONE_NORMAL'], ['region', 'k0 burned']]);
  assert.ok(burned.every((s) => s.hazard && s.token === 'burned'));
  assert.ok(vm.alerts.includes('Burned until reboot: k0'));
  assert.equal(vm.stepEvents[0]!.hazard, true);
  assert.equal(vm.stepEvents[0]!.label, 'burned-range');
});

test('poison: marked on the map at the pfn, mapping poisoned, SIGBUS AR on db', () => {
  const vm = buildViewModel(story, { step: 7 }, view);
  assert.equal(vm.map.poison.length, 1);
  assert.match(vm.map.poison[0]!.detail, /^poison at 0x400101000: 1 page\(s\), dax$/);
  const m = vm.map.segments.find((s) => s.row === 'mappings')!;
  assert.equal(m.token, 'poison');
  assert.ok(m.x0 <= vm.map.poison[0]!.x && vm.map.poison[0]!.x <= m.x1, 'poison mark lies inside the mapping it hit');
  assert.deepEqual(vm.stepEvents.map((e) => e.label), ['poison ok', 'SIGBUS AR']);
  assert.equal(vm.stepEvents[1]!.lane, lane('process:db'));
});

test('stale mapping, data exposure and crash are unmissable', () => {
  const s8 = buildViewModel(story, { step: 8 }, view);
  assert.ok(s8.alerts.includes('Stale mappings: db:m_db') || s8.alerts.includes('Stale mapping: db:m_db'));
  assert.equal(cellAt(view.lanes[lane('mapping:m_db')]!, 8)!.hazard, true);
  const s9 = buildViewModel(story, { step: 9 }, view);
  assert.ok(s9.alerts.some((a) => a.startsWith('DATA EXPOSURE at step 9 (line 42)')));
  assert.equal(cellAt(view.lanes[lane('device:fs0')]!, 9)!.token, 'hazard');
  const s10 = buildViewModel(story, { step: 10 }, view);
  assert.equal(s10.alerts[0], 'CRASH: Fatal machine check (poisoned slab page in k0)');
  assert.equal(cellAt(view.lanes[0]!, 10)!.token, 'crash');
  const crash = s10.stepEvents[0]!;
  assert.equal(crash.token, 'crash');
  assert.equal(crash.lane, lane('device:k0'), 'memory160 belongs to k0');
  assert.equal(view.steps[10]!.crashed, true);
  assert.deepEqual(view.steps.map((s) => s.hazards), [0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 1]);
});

test('announcement names the step and its outcomes', () => {
  assert.equal(buildViewModel(story, { step: 4 }, view).announcement, 'Step 4 of 10: offline k0 (ZONE_NORMAL). offline EBUSY.');
  assert.equal(buildViewModel(story, { step: 99 }, view).step, 10, 'selection is clamped');
  assert.equal(buildViewModel(story, { step: -3 }, view).step, 0);
});

test('address scale: gaps collapsed, small regions visible, monotonic', () => {
  const scale = createAddressScale(story.regions);
  assert.equal(scale.pieces.length, 2);
  assert.ok(scale.pieces[1]!.x0 - scale.pieces[0]!.x1 < 0.05, 'the 8G hole between r0 and pm0 is a sliver');
  let prev = -1;
  for (let g = 0n; g < 40n; g++) {
    const x = scale.toX(g << 30n);
    assert.ok(x >= prev);
    prev = x;
  }
  assert.equal(createAddressScale([]).toX(5n), 0);
});

test('compare: lanes paired per kernel, differing steps and cells flagged', () => {
  const cv = compareView({ kernels: ['5.10', '6.12'], timelines: [story, loadTimeline('seed-story-6.12')], differences: [{ step: 10, line: 44, subject: 'server-only', a: 'x', b: 'y' }] })!;
  assert.deepEqual(cv.view.lanes.slice(-2).map((l) => l.label), ['db: m_db @5.10', 'db: m_db @6.12']);
  assert.deepEqual(cv.view.steps.filter((s) => s.differs).map((s) => s.index), [8, 9, 10]);
  const stale = cv.differences.find((d) => d.step === 8 && d.subject === 'mapping m_db')!;
  assert.deepEqual([stale.a, stale.b], ['stale', 'zapped']);
  const a = cv.view.lanes[cv.view.lanes.length - 2]!;
  assert.equal(cellAt(a, 8)!.diff, true);
  assert.equal(cellAt(a, 7)!.diff, undefined);
  assert.ok(cv.differences.some((d) => d.subject === 'server-only'), 'server differences are kept');
  assert.equal(compareView({ kernels: ['a', 'b'], timelines: [story, null], differences: [] }), null);
  assert.deepEqual(diffTimelines(story, story), []);
});

test('100,000 events: view built quickly; a step window is a slice, not a scan', () => {
  const t = hugeTimeline(2000, 100_000);
  const t0 = performance.now();
  const v = buildTimelineView(t);
  const built = performance.now() - t0;
  assert.equal(v.eventCount(), 100_000);
  assert.ok(built < 3000, `built in ${built.toFixed(0)} ms`);
  const t1 = performance.now();
  for (let s = 0; s < 2000; s++) buildViewModel(t, { step: s }, v);
  const perStep = (performance.now() - t1) / 2000;
  assert.ok(perStep < 5, `${perStep.toFixed(2)} ms per step change`);
  assert.equal(eventsOfStep(v, 1999).length, 50);
});

test('mapping lines: each mapping lane links to the range it maps, styled by state', () => {
  const at = (step: number) => {
    const vm = buildViewModel(story, { step }, view);
    return { vm, links: mappingLinks(view, [vm.map], step) };
  };
  assert.deepEqual(at(2).links, [], 'no mapping before step 3');
  const states = [3, 7, 8].map((s) => at(s).links.map((l) => [l.lane, l.map, l.state]));
  assert.deepEqual(states, [[[lane('mapping:m_db'), 0, 'valid']], [[lane('mapping:m_db'), 0, 'poisoned']], [[lane('mapping:m_db'), 0, 'stale']]]);
  const { vm, links } = at(8);
  const seg = vm.map.segments.find((s) => s.key === 'mapping:m_db')!;
  assert.deepEqual([links[0]!.x0, links[0]!.x1], [seg.x0, seg.x1], 'the line ends on the mapped range');
  // Not by colour alone: every state has its own line.
  const styles = (['valid', 'zapped', 'stale', 'poison'] as const).map((t) => JSON.stringify(linkStyle(t)));
  assert.equal(new Set(styles).size, 4);
  assert.ok(linkStyle('stale').width > linkStyle('valid').width);
});

test('compare: both kernels\' address maps, on one scale, with the differing segments flagged', () => {
  const result = { kernels: ['5.10', '6.12'] as const, timelines: [story, loadTimeline('seed-story-6.12')] as const, differences: [] };
  const [a, b] = compareMaps(result, 8)!;
  const m = (map: typeof a, key: string) => map.segments.find((s) => s.key === key)!;
  assert.deepEqual([m(a, 'mapping:m_db').token, m(a, 'mapping:m_db').diff], ['stale', true]);
  assert.deepEqual([m(b, 'mapping:m_db').token, m(b, 'mapping:m_db').diff], ['zapped', true]);
  assert.equal(m(a, 'region:r0').diff, undefined);
  assert.equal(m(a, 'blocks:k0:160-191').x0, m(b, 'blocks:k0:160-191').x0, 'the maps line up');
  assert.deepEqual(compareMaps(result, 2)!.flatMap((map) => map.segments.filter((s) => s.diff)), [], 'nothing differs before step 8');
  // Mapping lines of the paired lanes go to their own kernel's map.
  const cv = compareView(result)!;
  const links = mappingLinks(cv.view, [a, b], 8);
  assert.deepEqual(links.map((l) => [cv.view.lanes[l.lane]!.label, l.map, l.state]), [['db: m_db @5.10', 0, 'stale'], ['db: m_db @6.12', 1, 'zapped']]);
  assert.equal(compareMaps({ ...result, timelines: [story, null] }, 0), null);
});

test('keyboard cursor: every lane state and event of the step, top to bottom, with the hover text', () => {
  const items = cursorItems(view, 4);
  const k0 = lane('device:k0');
  const mine = items.filter((i) => i.lane === k0);
  assert.deepEqual(mine.map((i) => i.kind), ['cell', 'event']);
  assert.equal(mine[0]!.text, 'k0 · memory160..191 after step 4: online (ZONE_NORMAL)');
  assert.match(mine[1]!.text, /^k0 · memory160\.\.191, step 4: offline k0 → EBUSY \(line 26\)/);
  assert.match(mine[1]!.text, /because:\n {2}line 18: k1 was onlined while k0 was the only kernel zone/);
  assert.deepEqual(items.map((i) => i.lane), [...items.map((i) => i.lane)].sort((a, b) => a - b), 'in lane order');
  assert.ok(!items.some((i) => i.lane === lane('mapping:m_db') && cursorItems(view, 2).some((j) => j.lane === i.lane)), 'no item for a mapping that does not exist yet');
  // A step change keeps the lane.
  assert.equal(cursorItems(view, 5)[keepLane(cursorItems(view, 5), k0)]!.lane, k0);
  assert.equal(keepLane([], 3), -1);
});
