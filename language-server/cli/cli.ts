// The CLI as a function over arguments and output sinks, so tests run it in process.

import { readFile } from 'node:fs/promises';
import { analyze, createLineIndex, renderTimelineText, MIN_KERNEL, MAX_KERNEL, DEFAULT_LIMITS, formatVersion, versionAtLeast, type Diagnostic, type KernelVersion, type Limits } from '../core/index.js';
import { formatDiagnosticLine, toJsonDiagnostic } from './formatDiagnostics.js';
import { replayCommand, REPLAY_USAGE } from '../../replay/command.js';

export interface CliIo {
  stdout(s: string): void;
  stderr(s: string): void;
}

const USAGE = `usage:
  hotplug-lab check FILE… [--format text|json]     diagnostics, one per line; exit 1 on any error
  hotplug-lab run FILE [--kernel VERSION] [--json]  the simulated timeline
    check and run take --limit NAME=N (repeatable) to change a resource limit (HL1023):
    chars=${DEFAULT_LIMITS.maxChars} steps=${DEFAULT_LIMITS.maxSteps} events=${DEFAULT_LIMITS.maxEvents} ranges=${DEFAULT_LIMITS.maxRanges}
  hotplug-lab compare FILE --kernel A --kernel B    the steps whose outcomes differ
${REPLAY_USAGE.trimEnd()}
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
    case 'run': return runCommand(rest, io);
    case 'compare': return compareCommand(rest, io);
    case 'replay': return replayCommand(rest, io);
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
      const eq = a.indexOf('=');
      const k = eq < 0 ? a : a.slice(0, eq);
      const inline = eq < 0 ? undefined : a.slice(eq + 1);
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
  const p = parseArgs(args, ['--format', '--limit'], []);
  const format = p.flags.get('--format')?.[0] ?? 'text';
  const lim = parseLimits(p.flags.get('--limit') ?? []);
  if (p.error || p.files.length === 0 || (format !== 'text' && format !== 'json') || 'error' in lim) {
    io.stderr(`hotplug-lab check: ${p.error ?? (p.files.length === 0 ? 'no FILE given' : 'error' in lim ? lim.error : `unknown format '${format}'`)}\n${USAGE}`);
    return 2;
  }
  let worst = 0;
  const json: unknown[] = [];
  for (const file of p.files) {
    const text = await readText(file, io);
    if (text === undefined) { worst = 2; continue; }
    const result = analyze(text, { limits: lim.limits });
    const index = createLineIndex(text);
    const diags: readonly Diagnostic[] = result.diagnostics;
    if (format === 'json') json.push(...diags.map((d) => toJsonDiagnostic(file, index, d)));
    else for (const d of diags) io.stdout(formatDiagnosticLine(file, index, d) + '\n');
    if (diags.some((d) => d.severity === 'error') && worst < 1) worst = 1;
  }
  if (format === 'json') io.stdout(JSON.stringify({ diagnostics: json }, null, 2) + '\n');
  return worst;
}

const LIMIT_NAMES: Record<string, keyof Limits> = { chars: 'maxChars', steps: 'maxSteps', events: 'maxEvents', ranges: 'maxRanges' };

/** `--limit events=1000` … → limits for analyze(), or an error message. */
function parseLimits(values: readonly string[]): { limits: Partial<Limits> } | { error: string } {
  const limits: { -readonly [K in keyof Limits]?: number } = {};
  for (const v of values) {
    const m = /^(\w+)=(\d{1,15})$/.exec(v);
    const key = m ? LIMIT_NAMES[m[1]!] : undefined;
    if (!m || !key || Number(m[2]) < 1) return { error: `--limit needs NAME=N with NAME one of ${Object.keys(LIMIT_NAMES).join(', ')} and N ≥ 1 (got '${v}')` };
    limits[key] = Number(m[2]);
  }
  return { limits };
}

function parseKernel(v: string): KernelVersion | undefined {
  const m = /^(\d+)\.(\d+)$/.exec(v);
  if (!m) return undefined;
  const k = { major: Number(m[1]), minor: Number(m[2]) };
  if (!versionAtLeast(k, MIN_KERNEL.major, MIN_KERNEL.minor) || versionAtLeast(k, MAX_KERNEL.major, MAX_KERNEL.minor + 1)) return undefined;
  return k;
}

const KERNEL_HELP = `a kernel version from ${formatVersion(MIN_KERNEL)} to ${formatVersion(MAX_KERNEL)}, e.g. 6.12`;

async function runCommand(args: readonly string[], io: CliIo): Promise<number> {
  const p = parseArgs(args, ['--kernel', '--limit'], ['--json']);
  const kv = p.flags.get('--kernel')?.[0];
  const kernel = kv !== undefined ? parseKernel(kv) : undefined;
  const lim = parseLimits(p.flags.get('--limit') ?? []);
  if (p.error || p.files.length !== 1 || (kv !== undefined && !kernel) || 'error' in lim) {
    io.stderr(`hotplug-lab run: ${p.error ?? (p.files.length !== 1 ? 'give exactly one FILE' : 'error' in lim ? lim.error : `--kernel needs ${KERNEL_HELP}`)}\n${USAGE}`);
    return 2;
  }
  const file = p.files[0]!;
  const text = await readText(file, io);
  if (text === undefined) return 2;
  const result = analyze(text, { ...(kernel ? { kernel } : {}), limits: lim.limits });
  const index = createLineIndex(text);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (!result.timeline) {
    for (const d of errors) io.stderr(formatDiagnosticLine(file, index, d) + '\n');
    io.stderr('hotplug-lab run: the machine declarations have errors; nothing to simulate\n');
    return 1;
  }
  if (p.flags.has('--json')) io.stdout(JSON.stringify(result.timeline, null, 2) + '\n');
  else {
    io.stdout(renderTimelineText(result.timeline));
    if (errors.length) io.stdout(`\n${errors.length} error(s):\n` + errors.map((d) => formatDiagnosticLine(file, index, d)).join('\n') + '\n');
  }
  return errors.length ? 1 : 0;
}

async function compareCommand(args: readonly string[], io: CliIo): Promise<number> {
  const p = parseArgs(args, ['--kernel'], []);
  const ks = (p.flags.get('--kernel') ?? []).map(parseKernel);
  if (p.error || p.files.length !== 1 || ks.length !== 2 || ks.some((k) => !k)) {
    io.stderr(`hotplug-lab compare: ${p.error ?? (p.files.length !== 1 ? 'give exactly one FILE' : `give --kernel twice, each ${KERNEL_HELP}`)}\n${USAGE}`);
    return 2;
  }
  const text = await readText(p.files[0]!, io);
  if (text === undefined) return 2;
  const [a, b] = ks.map((k) => analyze(text, { kernel: k! }).timeline);
  if (!a || !b) { io.stderr('hotplug-lab compare: the machine declarations have errors; nothing to simulate\n'); return 1; }
  const ka = formatVersion(ks[0]!), kb = formatVersion(ks[1]!);
  let diffs = 0;
  for (let i = 0; i < Math.max(a.steps.length, b.steps.length); i++) {
    const sa = a.steps[i], sb = b.steps[i];
    const ea = sa?.events ?? [], eb = sb?.events ?? [];
    const key = (e: { line: number; kind: string; subject: string; result: string; rule: string }) => `${e.line}|${e.kind}|${e.subject}|${e.result}|${e.rule}`;
    const onlyA = ea.filter((e) => !eb.some((x) => key(x) === key(e)));
    const onlyB = eb.filter((e) => !ea.some((x) => key(x) === key(e)));
    if (onlyA.length === 0 && onlyB.length === 0) continue;
    diffs++;
    io.stdout(`[${i}] ${sa?.label ?? sb?.label}\n`);
    for (const e of onlyA) io.stdout(`  ${ka}: line ${e.line + 1} ${e.kind} ${e.subject} → ${e.result}: ${e.message}\n`);
    for (const e of onlyB) io.stdout(`  ${kb}: line ${e.line + 1} ${e.kind} ${e.subject} → ${e.result}: ${e.message}\n`);
  }
  io.stdout(diffs ? `${diffs} step(s) differ between ${ka} and ${kb}\n` : `no step differs between ${ka} and ${kb}\n`);
  return 0;
}
