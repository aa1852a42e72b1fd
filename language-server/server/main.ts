// Entry point of the language server (dist/server.js, bin `hotplug-lab-lsp --stdio`). The
// transport (--stdio, --node-ipc, --socket=N) is picked by vscode-languageserver from argv.

import { isMainThread } from 'node:worker_threads';
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { startServer } from './server.js';
import { runSimulatorWorker } from './simulator.js';

// The core is total, but an unexpected bug must not end the session for the editor: log and go on.
process.on('uncaughtException', (e) => { process.stderr.write(`hotplug-lab-lsp: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`); });
process.on('unhandledRejection', (e) => { process.stderr.write(`hotplug-lab-lsp: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`); });

// The same bundle is the simulator worker (simulator.ts), so the build stays one file.
if (isMainThread) startServer(createConnection(ProposedFeatures.all), { workerScript: __filename });
else runSimulatorWorker();
