// Loads the golden timelines (fixtures/*.json, made by fixtures/makeFixtures.mjs) and builds
// synthetic ones (huge, hostile names) for the view-model and browser tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventView, StepView, Timeline } from '../../language-server/protocol/index.js';

const dir = join(import.meta.dirname, 'fixtures');

export function loadTimeline(name: 'seed-story' | 'seed-story-6.12'): Timeline {
  return JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Timeline;
}

export const HOSTILE = '<img src=x onerror=alert(1)>';

/** The seed story with scenario text that is HTML: title, device and mapping names. */
export function hostileTimeline(): Timeline {
  const t = loadTimeline('seed-story');
  const rename = (s: string) => (s === 'k0' ? `${HOSTILE}k0` : s === 'm_db' ? `<script>alert(2)</script>` : s);
  const json = JSON.stringify(t, (key, value) => (['name', 'owner', 'subject', 'memmapHost'].includes(key) && typeof value === 'string' ? rename(value) : value));
  return { ...(JSON.parse(json) as Timeline), title: HOSTILE };
}

/** `steps` steps with `events` events spread over them: the 100,000-event smoothness case. */
export function hugeTimeline(steps: number, events: number): Timeline {
  const base = loadTimeline('seed-story');
  const proto = base.steps[4]!;
  const perStep = Math.ceil(events / steps);
  const out: StepView[] = [];
  let id = 0;
  for (let i = 0; i < steps; i++) {
    const evs: EventView[] = [];
    for (let j = 0; j < perStep && id < events; j++) {
      const e = proto.events[0]!;
      evs.push({ ...e, id: id++, result: j % 7 === 0 ? 'EBUSY' : 'ok', subject: j % 2 ? 'k0' : 'k1', ...(j % 997 === 0 ? { hazard: 'stale-mapping' as const } : {}) });
    }
    out.push({ ...proto, index: i, label: `step ${i}`, events: evs });
  }
  return { ...base, steps: out };
}
