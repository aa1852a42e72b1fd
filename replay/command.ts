// `hotplug-lab replay FILE [--kernel-image PATH]`: the CLI face of the replayer.

import { readFile } from 'node:fs/promises';
import { formatLine, formatReport, replayScenario } from './replay.js';

export interface ReplayIo {
  stdout(s: string): void;
  stderr(s: string): void;
}

export const REPLAY_USAGE = '  hotplug-lab replay FILE [--kernel-image PATH]    run the scenario on a real kernel in QEMU, diff per statement\n';

/** Exit 0: every replayed statement agrees; 1: a disagreement or an unsupported statement; 2: usage, or it cannot run. */
export async function replayCommand(args: readonly string[], io: ReplayIo): Promise<number> {
  const files: string[] = [];
  let image: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--kernel-image') image = args[++i];
    else if (a.startsWith('--kernel-image=')) image = a.slice('--kernel-image='.length);
    else if (a.startsWith('--')) { io.stderr(`hotplug-lab replay: unknown option '${a}'\n${REPLAY_USAGE}`); return 2; }
    else files.push(a);
  }
  if (files.length !== 1 || (args.includes('--kernel-image') && !image)) { io.stderr(`hotplug-lab replay: give exactly one FILE\n${REPLAY_USAGE}`); return 2; }
  let text: string;
  try { text = await readFile(files[0]!, 'utf8'); } catch (e) { io.stderr(`hotplug-lab replay: cannot read ${files[0]}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`); return 2; }
  const report = await replayScenario(files[0]!, text, { ...(image ? { kernelImage: image } : {}), onLine: (l) => io.stdout(formatLine(l) + '\n') });
  io.stdout(formatReport(report) + '\n');
  if (report.cannotRun) return 2;
  return report.lines.some((l) => l.verdict !== 'pass') ? 1 : 0;
}
