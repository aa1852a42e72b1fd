// The view model over the simulator's real output: every example's timeline builds, every step
// has a view, every event lands on a lane, and hazards and crashes are visible at their step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../language-server/core/index.js';
import { buildTimelineView, buildViewModel, eventsOfStep } from '../../webview/viewModel.js';
import { ROOT, baselineCases } from '../support/baseline.js';

for (const c of baselineCases().filter((x) => x.source.startsWith('examples/'))) {
  test(`view model of ${c.source}`, () => {
    const timeline = analyze(readFileSync(join(ROOT, c.source), 'utf8')).timeline;
    assert.ok(timeline, 'simulates');
    const view = buildTimelineView(timeline);
    for (let step = 0; step < timeline.steps.length; step++) {
      const vm = buildViewModel(timeline, { step }, view);
      assert.ok(vm, `step ${step} has a view model`);
      const marks = eventsOfStep(view, step);
      assert.equal(marks.length, timeline.steps[step]!.events.length, `every event of step ${step} is marked`);
      for (const m of marks) assert.ok(m.lane >= 0 && m.lane < view.lanes.length, `event '${m.label}' is on a lane`);
    }
  });
}

test('the seed story shows the crash at the step where it happens', () => {
  const timeline = analyze(readFileSync(join(ROOT, 'examples', 'seed-thread.hotplug'), 'utf8')).timeline!;
  const view = buildTimelineView(timeline);
  const crashStep = timeline.steps.findIndex((s) => s.state.crashed);
  assert.ok(crashStep > 0);
  const marks = eventsOfStep(view, crashStep);
  assert.ok(marks.some((m) => /crash/i.test(m.label) || m.token === 'crash'), JSON.stringify(marks.map((m) => [m.label, m.token])));
});
