// `npm start`: VS Code in the browser with Hotplug Lab and the examples. Sets up code-server (first
// run: 3–5 minutes, then cached), packages the extension (hotplug-lab-VERSION.vsix at the top of
// the repository, the same file `code --install-extension` takes), installs it into a profile
// kept in the cache, opens examples/ and prints the URL. Ctrl+C stops it.
//
//   HOTPLUG_DEMO_PORT  port (default 8080; 0 picks a free one)
//   HOTPLUG_DEMO_HOST  address to listen on (default 127.0.0.1; there is no password, so only
//                      widen it on a machine you trust)
//   HOTPLUG_CACHE      cache root (default ~/.cache/hotplug-lab)

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/baseline.js';
import { CACHE, installExtension, prepareProfile, setupCodeServer, startCodeServer, type Setup } from './codeServer.js';

function fail(message: string): never {
  console.error(`npm start: ${message}`);
  process.exit(1);
}

async function main(): Promise<void> {
  console.error('npm start: setting up code-server (VS Code in the browser; the first run takes 3-5 minutes)…');
  let setup: Setup;
  try {
    setup = setupCodeServer();
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  if ('impossible' in setup) fail(setup.impossible);

  console.error('npm start: packaging the extension (npm run package)…');
  const pkg = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (pkg.status !== 0) fail('npm run package failed');
  const vsix = readdirSync(ROOT).filter((f) => /^hotplug-lab-.*\.vsix$/.test(f)).sort().pop();
  if (!vsix) fail('npm run package made no hotplug-lab-*.vsix');

  const profile = prepareProfile(join(CACHE, 'demo'));
  installExtension(setup.launcher, profile, join(ROOT, vsix));
  console.error(`npm start: installed ${vsix}`);

  const portText = process.env['HOTPLUG_DEMO_PORT'] ?? '8080';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`HOTPLUG_DEMO_PORT is not a port: ${portText}`);
  const server = await startCodeServer({
    launcher: setup.launcher,
    profile,
    folder: join(ROOT, 'examples'),
    host: process.env['HOTPLUG_DEMO_HOST'] ?? '127.0.0.1',
    port,
  }).catch((e: unknown) => fail(`${e instanceof Error ? e.message : String(e)}\n(is the port taken? set HOTPLUG_DEMO_PORT)`));

  console.log([
    '',
    'Hotplug Lab is running in VS Code for the browser. Open:',
    '',
    `    ${server.url}`,
    '',
    'Open any .hotplug file of examples/; F1 → "Hotplug Lab: Open Timeline" shows its timeline.',
    'Press Ctrl+C to stop.',
    '',
  ].join('\n'));

  const stop = () => { void server.stop().then(() => process.exit(0)); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  server.process.once('exit', (code) => { console.error(`npm start: code-server exited (${code ?? 'signal'})`); process.exit(code ?? 1); });
}

main().catch((e: unknown) => fail(e instanceof Error ? e.stack ?? e.message : String(e)));
