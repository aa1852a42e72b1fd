// Whole canonical scenarios offered by completion in an empty file (snippet syntax: ${n:default}).

export interface ScenarioSnippet {
  readonly label: string;
  readonly detail: string;
  readonly body: string;
}

export const SNIPPETS: readonly ScenarioSnippet[] = [
  {
    label: 'scenario: offline a DIMM with a pinned page',
    detail: 'dimm + longterm pin → offline fails',
    body: [
      'scenario "${1:offline with a long-term pin}"',
      'kernel ${2:6.12}',
      'ram r0 8G',
      'dimm dimm0 1G',
      'process p0',
      'step "plug and online"',
      '  plug dimm0',
      '  online dimm0 as online_movable',
      'step "pin and offline"',
      '  alloc a0 64M anon in dimm0 by p0',
      '  mmap p0 a0 as m0',
      '  pin m0 longterm',
      '  offline dimm0 timeout 10s => ${3:EINTR}',
      '',
    ].join('\n'),
  },
  {
    label: 'scenario: unbind a devdax device with a live mapping',
    detail: 'devdax mmap + unbind → stale mapping hazard',
    body: [
      'scenario "${1:unbind with a live mapping}"',
      'ram r0 8G',
      'pmem pm0 4G',
      'dax dax0.0 on pm0 mode devdax',
      'process p0',
      'step "map"',
      '  mmap p0 dax0.0 as m0',
      'step "unbind"',
      '  unbind dax0.0',
      '  expect m0 ${2:zapped}',
      '',
    ].join('\n'),
  },
];
