// Inputs for property tests: every fixture and example, and generators of scenario-like text.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { ROOT } from './baseline.js';

export function corpus(): string[] {
  const out: string[] = [];
  for (const dir of ['test/fixtures', 'examples']) {
    for (const n of readdirSync(join(ROOT, dir)).sort()) if (n.endsWith('.hotplug')) out.push(readFileSync(join(ROOT, dir, n), 'utf8'));
  }
  return out;
}

const WORDS = ['scenario', 'kernel', 'set', 'ram', 'dimm', 'pmem', 'cxl', 'virtio-mem', 'dax', 'fs', 'file', 'process', 'step', 'plug', 'unplug',
  'surprise-remove', 'replace', 'unbind', 'bind', 'reconfigure', 'mount', 'umount', 'reboot', 'online', 'offline', 'remove', 'alloc', 'free',
  'mmap', 'munmap', 'pin', 'unpin', 'touch', 'poison', 'soft-offline', 'unpoison', 'expect', 'on', 'mode', 'as', 'at', 'node', 'in', 'by',
  'devdax', 'fsdax', 'system-ram', 'xfs', 'ext4', 'anon', 'slab', 'memory0', 'memory3..memory5', 'd0', 'p0', 'm0', 'a0', 'r0', 'pm0', '=>',
  'ok', 'EBUSY', 'hang', '128M', '1G', '0x100000000', '4K', '10s', '6.12', '5.10', '=', '..', '"t"', '"', '/mnt/x', '#c', '\\', 'zone', 'movable',
  'no', 'crash', 'hazard', 'signal', 'SIGBUS', 'valid', 'stale', 'log', 'present', 'longterm', 'timeout', 'offset', 'size', 'pages', '\t', ' ', '\n', '\r\n'];

/** Token soup: random sequences of language words, separators and junk characters. */
export const tokenSoup = fc.array(
  fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...WORDS) },
    { weight: 3, arbitrary: fc.constantFrom(' ', ' ', '\n', '  ') },
    { weight: 1, arbitrary: fc.string({ maxLength: 4 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
  ),
  { maxLength: 120 },
).map((parts) => parts.join(''));

/** A corpus file with a few random edits (insert, delete, replace) at random places. */
export function mutated(texts: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom(...texts),
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 12 }), fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 3 }))), { minLength: 1, maxLength: 6 }),
    )
    .map(([text, edits]) => {
      let t = text;
      for (const [pos, del, ins] of edits) {
        const p = t.length === 0 ? 0 : pos % (t.length + 1);
        t = t.slice(0, p) + ins + t.slice(p + del);
      }
      return t;
    });
}
