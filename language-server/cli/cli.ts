// The CLI as a function over arguments and output sinks, so tests run it in process.

import { readFile } from 'node:fs/promises';
import { analyze, createLineIndex, type Diagnostic } from '../core/index.js';
import { formatDiagnosticLine, toJsonDiagnostic } from './formatDiagnostics.js';

export interface CliIo {
  stdout(s: string): void;
  stderr(s: string): void;
}

const USAGE = `usage:
  hotplug-lab check FILE… [--format text|json]     diagnostics, one per line; exit 1 on any error
  hotplug-lab run FILE [--kernel VERSION] [--json]  the simulated timeline
  hotplug-lab compare FILE --kernel A --kernel B    the steps whose outcomes differ
  hotplug-lab --version | --help
`;

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? io.stderr : io.stdout)(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version') { io.stdout('hotplug-lab 0.1.0\n'); return 0; }
  switch (command) {
    case 'check': return checkCommand(rest, io);
    default:
      io.stderr(`hotplug-lab: unknown command '${command}'\n${USAGE}`);
      return 2;
  }
}

interface Parsed { files: string[]; flags: Map<string, string[]>; error?: string }

function parseArgs(args: readonly string[], valued: readonly string[], bools: readonly string[]): Parsed {
  const files: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') { files.push(...args.slice(i + 1)); break; }
    if (a.startsWith('--')) {
      const [k, inline] = a.split('=', 2) as [string, string | undefined];
      if (valued.includes(k)) {
        const v = inline ?? args[++i];
        if (v === undefined) return { files, flags, error: `${k} needs a value` };
        flags.set(k, [...(flags.get(k) ?? []), v]);
      } else if (bools.includes(k)) flags.set(k, ['true']);
      else return { files, flags, error: `unknown option '${k}'` };
    } else files.push(a);
  }
  return { files, flags };
}

async function readText(file: string, io: CliIo): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.stderr(`hotplug-lab: cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code ?? String(e)}\n`);
    return undefined;
  }
}

async function checkCommand(args: readonly string[], io: CliIo): Promise<number> {
  const p = parseArgs(args, ['--format'], []);
  const format = p.flags.get('--format')?.[0] ?? 'text';
  if (p.error || p.files.length === 0 || (format !== 'text' && format !== 'json')) {
    io.stderr(`hotplug-lab check: ${p.error ?? (p.files.length === 0 ? 'no FILE given' : `unknown format '${format}'`)}\n${USAGE}`);
    return 2;
  }
  let worst = 0;
  const json: unknown[] = [];
  for (const file of p.files) {
    const text = await readText(file, io);
    if (text === undefined) { worst = 2; continue; }
    const result = analyze(text);
    const index = createLineIndex(text);
    const diags: readonly Diagnostic[] = result.diagnostics;
    if (format === 'json') json.push(...diags.map((d) => toJsonDiagnostic(file, index, d)));
    else for (const d of diags) io.stdout(formatDiagnosticLine(file, index, d) + '\n');
    if (diags.some((d) => d.severity === 'error') && worst < 1) worst = 1;
  }
  if (format === 'json') io.stdout(JSON.stringify({ diagnostics: json }, null, 2) + '\n');
  return worst;
}
