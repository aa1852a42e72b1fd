// Public surface of the core, used by the CLI, the server and tests.
export * from './analyze.js';
export * from './diagnostics/diagnostic.js';
export * from './diagnostics/codes.js';
export * from './syntax/token.js';
export * from './syntax/tree.js';
export * from './syntax/grammar.js';
export { parse } from './syntax/parser.js';
export { scan } from './syntax/scanner.js';
export { check } from './check/checker.js';
export * from './check/model.js';
export * from './check/knobs.js';
export * from './text/lineIndex.js';
export * from './text/suggest.js';
export * from './sim/timeline.js';
export { simulate } from './sim/simulate.js';
export { renderTimelineText } from './sim/renderText.js';
