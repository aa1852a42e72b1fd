// A browser VS Code (code-server) for the demo and the end-to-end test: install it with
// setupCodeServer.sh (cached outside the repository), install a .vsix into an extensions folder,
// start it on 127.0.0.1 and read the URL it prints.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/baseline.js';

export const CACHE = process.env['HOTPLUG_CACHE'] ?? join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'hotplug-lab');

/** setupCodeServer.sh exits with this when the machine cannot have code-server at all. */
const IMPOSSIBLE = 3;

export type Setup = { readonly launcher: string } | { readonly impossible: string };

/** Runs setupCodeServer.sh, its progress shown on stderr (one line once it is cached; the first
 *  install takes minutes). Throws when it fails for a reason that can be fixed; returns
 *  `impossible` when this machine cannot have code-server. */
export function setupCodeServer(): Setup {
  const r = spawnSync('bash', [join(ROOT, 'test', 'e2e', 'setupCodeServer.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 30 * 60_000,
  });
  const last = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  if (r.status === IMPOSSIBLE) return { impossible: last || 'test/e2e/setupCodeServer.sh: cannot set up code-server here' };
  if (r.status !== 0) throw new Error(`test/e2e/setupCodeServer.sh failed (${r.status ?? r.signal}); its messages are above`);
  if (!last) throw new Error('test/e2e/setupCodeServer.sh printed no launcher path');
  return { launcher: last };
}

export interface Profile {
  readonly userDataDir: string;
  readonly extensionsDir: string;
}

/** User settings for a quiet editor: no trust prompt, no welcome page, no chat, no telemetry. */
const SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'git.openRepositoryInParentFolders': 'never',
};

/** A user-data and an extensions folder under `dir`; the settings are written only when the
 *  profile has none, so what a user changes in the demo stays. */
export function prepareProfile(dir: string): Profile {
  const profile = { userDataDir: join(dir, 'user-data'), extensionsDir: join(dir, 'extensions') };
  mkdirSync(join(profile.userDataDir, 'User'), { recursive: true });
  mkdirSync(profile.extensionsDir, { recursive: true });
  const settings = join(profile.userDataDir, 'User', 'settings.json');
  if (!existsSync(settings)) writeFileSync(settings, JSON.stringify(SETTINGS, null, 2) + '\n');
  return profile;
}

export function installExtension(launcher: string, profile: Profile, vsix: string): void {
  const r = spawnSync(launcher, ['--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir, '--install-extension', vsix, '--force'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0 || !/successfully installed/i.test(out)) throw new Error(`code-server --install-extension ${vsix} failed:\n${out}`);
}

export interface RunningCodeServer {
  /** http://127.0.0.1:PORT/?folder=… : opens the folder. */
  readonly url: string;
  readonly origin: string;
  readonly process: ChildProcess;
  /** Everything code-server printed so far. */
  log(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly launcher: string;
  readonly profile: Profile;
  readonly folder: string;
  readonly host?: string;
  /** 0: any free port (the one code-server picks is read from its output). */
  readonly port?: number;
  /** Also copy code-server's output to this process's (the demo); the test only keeps it. */
  readonly echoOutput?: boolean;
  readonly startTimeoutMs?: number;
}

export function startCodeServer(o: StartOptions): Promise<RunningCodeServer> {
  const args = [
    '--auth', 'none',
    '--bind-addr', `${o.host ?? '127.0.0.1'}:${o.port ?? 0}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--config', join(o.profile.userDataDir, 'code-server.yaml'),
    '--user-data-dir', o.profile.userDataDir,
    '--extensions-dir', o.profile.extensionsDir,
    o.folder,
  ];
  // Its own process group, so stop() also ends the extension host and the language server.
  const child = spawn(o.launcher, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const stopGroup = (signal: NodeJS.Signals) => {
    try { if (child.pid) process.kill(-child.pid, signal); } catch { /* already gone */ }
  };
  const onExit = () => stopGroup('SIGKILL');
  process.once('exit', onExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stopGroup('SIGKILL');
      reject(new Error(`code-server did not report its address within ${o.startTimeoutMs ?? 60_000} ms:\n${output}`));
    }, o.startTimeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const m = /HTTP server listening on (http:\/\/[^\s/]+)\/?/.exec(output);
      if (!m) return;
      clearTimeout(timer);
      const origin = m[1]!;
      const url = `${origin}/?folder=${encodeURIComponent(o.folder)}`;
      resolve({
        url,
        origin,
        process: child,
        log: () => output,
        async stop() {
          process.removeListener('exit', onExit);
          if (child.exitCode !== null || child.signalCode !== null) return;
          stopGroup('SIGTERM');
          const killer = setTimeout(() => stopGroup('SIGKILL'), 10_000);
          await exited;
          clearTimeout(killer);
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    if (o.echoOutput) {
      child.stdout!.pipe(process.stdout);
      child.stderr!.pipe(process.stderr);
    }
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${code ?? signal}) before it listened:\n${output}`));
    });
  });
}
