// `hotplug-lab` command line: check, run, compare. Exit codes (spec §7): 0 no error diagnostic,
// 1 at least one error, 2 usage or I/O error. Never prints a stack trace for any input file.

import { runCli } from './cli.js';

// A reader that stops early (`| head`) closes the pipe: stop quietly, never with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
}).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`hotplug-lab: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
