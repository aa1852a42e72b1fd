// Runs `npm run package` in a copy of the working tree, so the production build it makes (it
// empties dist/ first) never races the tests that read the repository's own dev build in dist/.
// node_modules is linked, not copied. Returns the .vsix path inside the copy.

import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { ROOT } from '../support/baseline.js';

const SKIP_TOP = new Set(['.git', 'node_modules', 'dist', 'build', 'out', 'test-output']);

export interface PackagedVsix {
  readonly vsix: string;
  /** The copy of the tree it was built in. */
  readonly dir: string;
  /** vsce's output (the file tree it printed). */
  readonly log: string;
  cleanup(): void;
}

export function packageVsix(): PackagedVsix {
  const dir = mkdtempSync(join(tmpdir(), 'hotplug-package-'));
  cpSync(ROOT, dir, {
    recursive: true,
    filter: (src) => {
      const rel = relative(ROOT, src);
      if (rel === '') return true;
      const top = rel.split(sep)[0]!;
      return !SKIP_TOP.has(top) && !rel.endsWith('.vsix');
    },
  });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: dir, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  const log = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0) {
    cleanup();
    throw new Error(`npm run package failed (${r.status ?? r.signal}):\n${log}`);
  }
  const found = readdirSync(dir).filter((f) => f.endsWith('.vsix'));
  if (found.length !== 1) {
    cleanup();
    throw new Error(`expected one .vsix, found ${JSON.stringify(found)}:\n${log}`);
  }
  return { vsix: join(dir, found[0]!), dir, log, cleanup };
}
