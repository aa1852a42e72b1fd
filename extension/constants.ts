// Every id the extension contributes, once. package.json (contributes.commands, configuration,
// activationEvents) must list exactly these; test/extension/manifest.test.ts checks it.

/** The language id, declared once in the protocol shared with the server. */
export { LanguageId as LANGUAGE_ID } from '../language-server/protocol/index.js';

export const COMMANDS = {
  openTimeline: 'hotplugLab.openTimeline',
  compareKernels: 'hotplugLab.compareKernels',
  runInTerminal: 'hotplugLab.runInTerminal',
  exportTimeline: 'hotplugLab.exportTimeline',
} as const;

export const SETTINGS_SECTION = 'hotplugLab';

export const SETTINGS = {
  defaultKernel: 'hotplugLab.defaultKernel',
  debounceMs: 'hotplugLab.debounceMs',
  traceServer: 'hotplugLab.trace.server',
} as const;

export const TIMELINE_VIEW_TYPE = 'hotplugLab.timeline';

/** Kernels offered by "Compare kernels" (the simulator models 4.13–6.15). */
export const KNOWN_KERNELS = ['5.10', '5.15', '6.1', '6.6', '6.8', '6.12', '6.15'] as const;
