// Expectations are really evaluated: flipping any `=> RESULT` or `expect` line of an example
// must make `check` report an error on that line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, createLineIndex } from '../../language-server/core/index.js';
import { ROOT, baselineCases } from '../support/baseline.js';

const FLIP_STATE: Record<string, string> = {
  online: 'offline', offline: 'online', removed: 'online', leaked: 'removed', absent: 'online',
  valid: 'stale', zapped: 'valid', stale: 'valid', poisoned: 'valid', gone: 'valid',
  alive: 'killed', killed: 'alive', mounted: 'shutdown', shutdown: 'mounted', unmounted: 'mounted',
};

/** The flipped line, or undefined when the line has nothing to flip. */
export function flip(line: string): string | undefined {
  const arrow = /=>\s*(\S+)\s*$/.exec(line);
  if (arrow) return line.slice(0, arrow.index) + '=> ' + (arrow[1] === 'ok' ? 'EBUSY' : 'ok');
  const m = /^(\s*)expect\s+(.*?)\s*(#.*)?$/.exec(line);
  if (!m) return undefined;
  const [, ind, body] = m as unknown as [string, string, string];
  const w = body.split(/\s+/);
  let out: string[];
  if (body === 'crash') out = ['no', 'crash'];
  else if (body === 'no crash') out = ['crash'];
  else if (body === 'no hazard') out = ['hazard', 'crash'];
  else if (w[0] === 'hazard') out = ['no', 'hazard'];
  else if (w[0] === 'log') out = ['log', '"this text is in no kernel log"'];
  else if (w[1] === 'zone') out = [w[0]!, 'zone', w[2] === 'movable' ? 'normal' : 'movable'];
  else if (w[1] === 'poisoned' && w[2] !== undefined) out = [w[0]!, 'poisoned', String(Number(w[2]) + 1)];
  else if (w[1] === 'signal') out = [w[0]!, 'no', 'signal'];
  else if (w[1] === 'no' && w[2] === 'signal') out = [w[0]!, 'signal', 'SIGBUS'];
  else if (w.length === 2 && FLIP_STATE[w[1]!]) out = [w[0]!, FLIP_STATE[w[1]!]!];
  else return undefined;
  return `${ind}expect ${out.join(' ')}`;
}

for (const c of baselineCases().filter((x) => x.source.startsWith('examples/'))) {
  test(`every expectation of ${c.source} is evaluated`, () => {
    const text = readFileSync(join(ROOT, c.source), 'utf8');
    const lines = text.split('\n');
    let flipped = 0;
    for (let i = 0; i < lines.length; i++) {
      const f = flip(lines[i]!);
      if (f === undefined) continue;
      flipped++;
      const mutated = [...lines.slice(0, i), f, ...lines.slice(i + 1)].join('\n');
      const a = analyze(mutated);
      const idx = createLineIndex(mutated);
      const hit = a.diagnostics.some((d) => d.severity === 'error' && idx.position(d.start).line === i);
      assert.ok(hit, `${c.source}:${i + 1}: flipping '${lines[i]!.trim()}' to '${f.trim()}' was not caught`);
    }
    assert.ok(flipped > 0, `${c.source} has no expectation to flip`);
  });
}

test('actions on a mapping whose mmap failed answer EINVAL instead of throwing', async () => {
  const { analyze } = await import('../../language-server/core/index.js');
  const text = 'scenario "x"\nram boot 8G\ndimm d0 1G at 0x200000000\nprocess p\nstep\n  plug d0\n  online d0 as online_movable\n  alloc buf 1G anon in memory64 by p\n  mmap p buf as m\n  pin m longterm\n  touch m\n  unpin m\n  munmap m\n';
  const a = analyze(text);
  const results = a.timeline!.steps[1]!.events.filter((e) => e.subject === 'm' || e.subject === 'buf').map((e) => `${e.kind}:${e.result}`);
  assert.deepEqual(results, ['alloc:ENOMEM', 'mmap:EINVAL', 'pin:EINVAL', 'touch:EINVAL', 'unpin:EINVAL', 'munmap:EINVAL']);
});
