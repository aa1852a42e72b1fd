import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderDiagnosticsDoc } from './diagnosticsDoc.js';

writeFileSync(join(import.meta.dirname, '..', 'docs', 'diagnostics.md'), renderDiagnosticsDoc());
console.log('docs/diagnostics.md written');
