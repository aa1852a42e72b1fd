// Scenario texts shared by the server tests.

export const CLEAN = [
  'scenario "unbind with a live mapping"',
  'kernel 6.8',
  'set auto_online = offline',
  'ram r0 8G',
  'dimm dimm0 1G',
  'pmem pm0 4G',
  'dax dax0.0 on pm0 mode devdax',
  'process p0',
  'step "plug"',
  '  plug dimm0',
  '  online dimm0 as online_movable => ok',
  'step "map and unbind"',
  '  mmap p0 dax0.0 as m0',
  '  unbind dax0.0',
  '  expect m0 zapped',
  '',
].join('\n');

/** Badly laid out but token-for-token the same as a tidy file, with comments. */
export const MESSY = [
  '# a comment before everything',
  'scenario   "messy"   # trailing comment',
  '   ram r0    8G',
  'dimm dimm0 1G\t',
  'process p0',
  '',
  'step "one"',
  'plug dimm0',
  '      # comment inside the step',
  '     online memory64 .. memory71   as online_movable    =>   ok',
  'step',
  '\toffline dimm0 timeout 10s',
  '',
].join('\n');

export function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`'${needle}' not in text`);
  const before = text.slice(0, at + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - (before.lastIndexOf('\n') + 1) };
}
