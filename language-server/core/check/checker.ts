// Checker: SourceFile → Model + HL1/HL2 diagnostics. Total: never throws; an erroneous statement
// is reported and left out of the model, and the rest is still checked.

import type { Diagnostic, RelatedInfo, Span } from '../diagnostics/diagnostic.js';
import { makeDiagnostic, type DiagnosticCode } from '../diagnostics/codes.js';
import type { Result, HazardKind } from '../syntax/grammar.js';
import type { SourceFile, Statement, Value } from '../syntax/tree.js';
import { didYouMean, suggest } from '../text/suggest.js';
import { KNOBS, KNOB_BY_KEY, describeKnobType, type MutableKnobs } from './knobs.js';
import { GiB, MAX_PHYS, MiB, PAGE, SUBSECTION, alignDown, alignUp, formatRange, formatSize, hex, isPowerOfTwo, pmemMemmapReserve } from './layout.js';
import { DEFAULT_DEVICE_BLOCK_SIZE, virtioMemMode } from './virtioMem.js';
import {
  DEFAULT_KERNEL, DEFAULT_KNOBS, MAX_KERNEL, MIN_KERNEL, formatVersion, versionAtLeast,
  type Action, type ActionOp, type DaxDevice, type Expectation, type ExpectCheck, type FileDecl, type Filesystem, type Hole,
  type KernelVersion, type MemDevice, type MemDeviceKind, type Model, type ProcessDecl, type Step, type StepItem, type Target,
} from './model.js';

export interface CheckResult {
  readonly model: Model;
  readonly diagnostics: Diagnostic[];
}

/** A line of a step that could not be checked: everything after it in the scenario is dropped. */
const BROKEN = { kind: 'broken' } as const;
interface PendingStep { step: Omit<Step, 'items'>; items: (StepItem | typeof BROKEN)[] }

type SymKind = MemDeviceKind | 'hole' | 'dax' | 'fs' | 'process' | 'alloc' | 'mapping';

interface Sym {
  readonly kind: SymKind;
  readonly name: string;
  readonly nameSpan: Span;
  readonly line: number;
  /** For allocations: their kind; for dax: mode. */
  readonly detail?: string;
  readonly size?: bigint;
}

const KIND_TEXT: Record<SymKind, string> = {
  ram: 'boot RAM', dimm: 'a DIMM', pmem: 'a pmem region', cxl: 'a CXL region', 'virtio-mem': 'a virtio-mem device',
  hole: 'a firmware hole', dax: 'a DAX device', fs: 'a filesystem', process: 'a process', alloc: 'an allocation', mapping: 'a mapping',
};

const BLOCK_RE = /^memory(\d{1,9})$/;

function sp(v: { start: number; end: number }): Span {
  return { start: v.start, length: v.end - v.start };
}

export function check(file: SourceFile): CheckResult {
  return new Checker(file).run();
}

class Checker {
  private readonly diags: Diagnostic[] = [];
  private readonly syms = new Map<string, Sym>();
  /** Names introduced in steps, by name → line, known before checking uses (for HL2025). */
  private readonly laterNames = new Map<string, number>();
  private kernel: KernelVersion = DEFAULT_KERNEL;
  private kernelSpan: Span | undefined;
  private readonly knobs: MutableKnobs = { ...DEFAULT_KNOBS };
  private readonly devices: MemDevice[] = [];
  private readonly holes: Hole[] = [];
  private readonly daxes: DaxDevice[] = [];
  private readonly filesystems: Filesystem[] = [];
  private readonly files: FileDecl[] = [];
  private readonly processes: ProcessDecl[] = [];
  private readonly pending: PendingStep[] = [];
  private machineBroken = false;
  private title = '';

  constructor(private readonly file: SourceFile) {}

  private report(code: DiagnosticCode, span: Span, args: readonly (string | number | bigint)[] = [], related?: RelatedInfo[], suggestion?: string): void {
    this.diags.push(makeDiagnostic(code, span, args, { ...(related ? { related } : {}), ...(suggestion !== undefined ? { data: { suggestion } } : {}) }));
  }

  run(): CheckResult {
    const stmts = this.file.statements;
    this.checkStructure(stmts);
    const knobLines = new Map<string, Statement>();
    let cursor = 0n;
    let currentStep: PendingStep | undefined;
    const closeStep = () => {
      if (currentStep) this.pending.push(currentStep);
    };
    // Names introduced by steps, so that a use before the introduction says so.
    for (const s of stmts) {
      if (s.keyword === 'alloc' && s.args['name'] && !s.args['name'].missing) this.noteLater(s.args['name'].text, s.line);
      if (s.keyword === 'mmap' && s.options['as']?.value && !s.options['as'].value.missing) this.noteLater(s.options['as'].value.text, s.line);
    }
    const firstErrorCount = this.file.diagnostics.filter((d) => d.severity === 'error').length;
    const lineHasSyntaxError = new Set<number>();
    if (firstErrorCount > 0) {
      const lineOf = (off: number) => {
        let lo = 0, hi = stmts.length - 1, ans = -1;
        while (lo <= hi) { const m = (lo + hi) >> 1; if (stmts[m]!.start <= off) { ans = m; lo = m + 1; } else hi = m - 1; }
        return ans >= 0 ? stmts[ans]!.line : -1;
      };
      for (const d of this.file.diagnostics) if (d.severity === 'error') lineHasSyntaxError.add(lineOf(d.start));
    }

    for (const s of stmts) {
      const broken = lineHasSyntaxError.has(s.line);
      switch (s.category) {
        case 'header':
          if (broken && s.keyword !== 'scenario') { if (s.keyword === 'set' || s.keyword === 'kernel') this.machineBroken = true; break; }
          this.header(s, knobLines);
          break;
        case 'declaration':
          if (currentStep) break; // HL2009 already reported
          if (broken) { this.machineBroken = true; this.declareNameOnly(s); break; }
          cursor = this.declaration(s, cursor);
          break;
        case 'step':
          closeStep();
          currentStep = { step: { index: this.pending.length, label: s.args['label']?.text, span: sp(s), line: s.line }, items: [] };
          break;
        case 'action': {
          if (!currentStep) break; // HL1022
          const a = broken ? undefined : this.action(s);
          currentStep.items.push(a ? { kind: 'action', action: a } : BROKEN);
          break;
        }
        case 'expect': {
          if (!currentStep) break;
          const e = broken ? undefined : this.expectation(s);
          currentStep.items.push(e ? { kind: 'expect', expect: e } : BROKEN);
          break;
        }
        default:
          if (currentStep) currentStep.items.push(BROKEN);
          else this.machineBroken = true;
      }
    }
    closeStep();
    this.finishFiles();
    if (this.diags.some((d) => d.severity === 'error' && this.isMachineDiag(d))) this.machineBroken = true;

    // A broken line inside a step: keep the actions before it, drop everything after it, so no
    // expectation is judged against a half-written scenario.
    let cut = false;
    const steps: Step[] = [];
    for (const st of this.pending) {
      if (cut) break;
      const items: StepItem[] = [];
      for (const it of st.items) {
        if (it.kind === 'broken') { cut = true; break; }
        items.push(it);
      }
      steps.push({ ...st.step, items });
    }

    const model: Model = {
      title: this.title,
      kernel: this.kernel,
      kernelSpan: this.kernelSpan,
      knobs: this.knobs,
      devices: this.devices,
      holes: this.holes,
      daxes: this.daxes,
      filesystems: this.filesystems,
      files: this.files,
      processes: this.processes,
      steps,
      simulatable: !this.machineBroken,
    };
    return { model, diagnostics: this.diags };
  }

  private machineDiagStarts = new Set<number>();
  private isMachineDiag(d: Diagnostic): boolean { return this.machineDiagStarts.has(d.start); }
  private machineError(code: DiagnosticCode, span: Span, args: readonly (string | number | bigint)[] = [], related?: RelatedInfo[], suggestion?: string): void {
    this.machineDiagStarts.add(span.start);
    this.report(code, span, args, related, suggestion);
  }

  private noteLater(name: string, line: number): void {
    if (!this.laterNames.has(name)) this.laterNames.set(name, line);
  }

  // ---- structure -------------------------------------------------------------------------------

  private checkStructure(stmts: readonly Statement[]): void {
    const first = stmts[0];
    if (!first) {
      this.report('HL1017', { start: 0, length: 0 });
      this.machineBroken = true;
      return;
    }
    if (first.keyword !== 'scenario') {
      if (first.keyword !== 'unknown') this.report('HL1017', { start: first.keywordStart, length: first.keywordEnd - first.keywordStart });
    }
    let seenScenario = false, seenDecl = false, firstStep: Statement | undefined;
    for (const s of stmts) {
      const kw = { start: s.keywordStart, length: s.keywordEnd - s.keywordStart };
      switch (s.category) {
        case 'header':
          if (s.keyword === 'scenario') {
            if (seenScenario || s !== first) this.report('HL1018', kw, ['scenario', 'once, as the first statement']);
            seenScenario = true;
          } else if (seenDecl || firstStep) {
            this.report('HL1018', kw, [s.keyword, 'after the scenario line and before the first declaration or step']);
          }
          break;
        case 'declaration':
          if (firstStep) {
            this.report('HL2009', kw, [s.keyword, firstStep.line + 1]);
          }
          seenDecl = true;
          break;
        case 'step':
          firstStep ??= s;
          break;
        case 'action':
        case 'expect':
          if (!firstStep) {
            this.report('HL1022', kw, [s.keyword]);
            this.machineBroken = true;
          }
          break;
        default:
          break;
      }
    }
  }

  // ---- headers ---------------------------------------------------------------------------------

  private header(s: Statement, knobLines: Map<string, Statement>): void {
    if (s.keyword === 'scenario') {
      const t = s.args['title'];
      if (t && !t.missing) {
        this.title = t.text;
        if (t.text.trim() === '') this.report('HL2026', sp(t));
      }
      return;
    }
    if (s.keyword === 'kernel') {
      const v = s.args['version'];
      if (!v || v.missing || !v.version) { this.machineBroken = true; return; }
      const [major = 0, minor = 0] = v.version;
      const kv = { major, minor };
      if (!versionAtLeast(kv, MIN_KERNEL.major, MIN_KERNEL.minor) || versionAtLeast(kv, MAX_KERNEL.major, MAX_KERNEL.minor + 1)) {
        this.machineError('HL2010', sp(v), [v.text, `${formatVersion(MIN_KERNEL)} to ${formatVersion(MAX_KERNEL)} (checked against real 6.1 and 6.12 kernels)`]);
        return;
      }
      this.kernel = kv;
      this.kernelSpan = sp(v);
      return;
    }
    // set KEY = VALUE
    const set = s.set;
    if (!set || set.key.missing) { this.machineBroken = true; return; }
    const spec = KNOB_BY_KEY.get(set.key.text);
    if (!spec) {
      const sug = suggest(set.key.text, KNOBS.map((k) => k.key));
      this.machineError('HL2011', sp(set.key), [set.key.text, sug !== undefined ? ` Did you mean '${sug}'?` : '', KNOBS.map((k) => k.key).join(', ')], undefined, sug);
      return;
    }
    const v = set.value;
    if (!v || v.missing) { this.machineBroken = true; return; }
    const prev = knobLines.get(spec.key);
    if (prev) this.report('HL2019', sp(set.key), [spec.key, v.text], [{ span: sp(prev.set!.key), message: `${spec.key} first set here` }]);
    knobLines.set(spec.key, s);
    let ok: boolean;
    if (spec.type === 'size') ok = v.kind === 'size' || v.kind === 'int';
    else if (spec.type === 'int') ok = v.kind === 'int';
    else ok = spec.type.includes(v.text);
    if (!ok) {
      const sug = Array.isArray(spec.type) ? suggest(v.text, spec.type) : undefined;
      this.machineError('HL2012', sp(v), [v.text, spec.key, describeKnobType(spec) + (sug !== undefined ? ` Did you mean '${sug}'?` : '')], undefined, sug);
      return;
    }
    if (spec.key === 'block_size') {
      const n = v.num!;
      if (!isPowerOfTwo(n) || n < 128n * MiB || n > 2n * GiB) { this.machineError('HL2021', sp(v), [v.text]); return; }
    }
    if (spec.key === 'auto_movable_ratio' && (v.num! > 100000n)) { this.machineError('HL2012', sp(v), [v.text, spec.key, 'a percentage from 0 to 100000']); return; }
    if (spec.since && !versionAtLeast(this.kernel, spec.since.major, spec.since.minor)) {
      this.report('HL2043', sp(set.key), [spec.key, `${spec.since.major}.${spec.since.minor}`, spec.since.change, formatVersion(this.kernel)]);
      return;
    }
    spec.apply(this.knobs, v.text, v.num);
  }

  /** False (and HL2044 reported) when the scenario's kernel predates a feature. */
  private since(major: number, minor: number, change: string, span: Span, what: string): boolean {
    if (versionAtLeast(this.kernel, major, minor)) return true;
    this.report('HL2044', span, [what, `${major}.${minor}`, change, formatVersion(this.kernel)]);
    return false;
  }

  // ---- declarations ----------------------------------------------------------------------------

  /** A declaration with a syntax error still defines its name (so uses resolve), and duplicates are reported. */
  private declareNameOnly(s: Statement): void {
    const n = s.args['name'];
    if (n && !n.missing) this.define((s.keyword === 'file' ? 'fs' : s.keyword) as SymKind, n, s.line);
  }

  private define(kind: SymKind, name: Value, line: number, extra: Partial<Sym> = {}): boolean {
    const prev = this.syms.get(name.text);
    if (prev) {
      this.report('HL2002', sp(name), [name.text], [{ span: prev.nameSpan, message: `'${name.text}' is first declared here` }]);
      return false;
    }
    this.syms.set(name.text, { kind, name: name.text, nameSpan: sp(name), line, ...extra });
    return true;
  }

  /** virtio-mem `block` and Big Block Mode alignment (brief §8; virtio_mem_init_hotplug()). */
  private virtioMemDecl(s: Statement, name: string, base: bigint, size: bigint, plugged: bigint): bigint {
    const blkV = s.options['block']?.value;
    let dbs = blkV?.num ?? DEFAULT_DEVICE_BLOCK_SIZE;
    if (blkV && blkV.num !== undefined && (!isPowerOfTwo(dbs) || dbs < MiB)) {
      this.machineError('HL2040', sp(blkV), [blkV.text]);
      dbs = DEFAULT_DEVICE_BLOCK_SIZE;
    }
    const m = virtioMemMode(dbs, this.knobs);
    if (m.bbmBlockSizeIgnored) this.report('HL2042', sp(s.args['name']!), [m.bbmBlockSizeIgnored, name, formatSize(m.unit)]);
    if (m.mode === 'bbm' && m.unit > this.knobs.blockSize) {
      const atV = s.options['at']?.value, plugV = s.options['plugged']?.value;
      const bad: [Value, string, bigint][] = [[s.args['size']!, `The size of '${name}'`, size], ...(atV ? [[atV, `The address of '${name}'`, base] as [Value, string, bigint]] : []), ...(plugV ? [[plugV, `The plugged size of '${name}'`, plugged] as [Value, string, bigint]] : [])];
      for (const [v, what, n] of bad) {
        if (n % m.unit !== 0n) { this.machineError('HL2041', sp(v), [what, v === atV ? hex(n) : formatSize(n), formatSize(m.unit), m.why, v === atV ? hex(alignUp(n, m.unit)) : formatSize(alignUp(n, m.unit))]); break; }
      }
    }
    return dbs;
  }

  private declaration(s: Statement, cursor: bigint): bigint {
    const bs = this.knobs.blockSize;
    switch (s.keyword) {
      case 'ram': case 'dimm': case 'pmem': case 'cxl': case 'virtio-mem': {
        const name = s.args['name']!, sizeV = s.args['size']!;
        if (s.keyword === 'virtio-mem' && !this.since(5, 8, 'virtio-mem: Paravirtualized memory hotplug', { start: s.keywordStart, length: s.keywordEnd - s.keywordStart }, 'A virtio-mem device')) { this.declareNameOnly(s); this.machineBroken = true; return cursor; }
        const kind = s.keyword as MemDeviceKind;
        const size = sizeV.num ?? 0n;
        if (size === 0n) { this.machineError('HL2014', sp(sizeV), [`The size of '${name.text}'`]); }
        const atV = s.options['at']?.value;
        const base = atV?.num ?? alignUp(cursor, bs);
        if (!this.define(kind, name, s.line, { size })) { this.machineBroken = true; return cursor; }
        if (kind === 'dimm' || kind === 'virtio-mem') {
          if (size % bs !== 0n) this.machineError('HL2005', sp(sizeV), [`The size of '${name.text}'`, formatSize(size), formatSize(bs), formatSize(alignUp(size, bs))]);
          if (atV && base % bs !== 0n) this.machineError('HL2005', sp(atV), [`The address of '${name.text}'`, hex(base), formatSize(bs), hex(alignUp(base, bs))]);
        }
        if (kind === 'pmem' || kind === 'cxl') {
          if (size % SUBSECTION !== 0n) this.machineError('HL2006', sp(sizeV), [`The size of '${name.text}'`, formatSize(size), '2M', formatSize(alignUp(size, SUBSECTION))]);
          if (atV && base % SUBSECTION !== 0n) this.machineError('HL2006', sp(atV), [`The address of '${name.text}'`, hex(base), '2M', hex(alignUp(base, SUBSECTION))]);
        }
        if (base + size > MAX_PHYS) this.machineError('HL2024', sp(atV ?? sizeV), [`'${name.text}'`, hex(base + size), '4P']);
        let plugged = 0n;
        const plugV = s.options['plugged']?.value;
        if (plugV && plugV.num !== undefined) {
          plugged = plugV.num;
          if (plugged > size) this.machineError('HL2017', sp(plugV), [name.text, formatSize(plugged), formatSize(size)]);
          else if (plugged % bs !== 0n) this.machineError('HL2005', sp(plugV), [`The plugged size of '${name.text}'`, formatSize(plugged), formatSize(bs), formatSize(alignUp(plugged, bs))]);
        }
        const node = Number(s.options['node']?.value?.num ?? 0n);
        const deviceBlockSize = kind === 'virtio-mem' ? this.virtioMemDecl(s, name.text, base, size, plugged) : undefined;
        const dev: MemDevice = { kind, name: name.text, nameSpan: sp(name), span: sp(s), line: s.line, base, size, node, present: 'present' in s.options, plugged, ...(deviceBlockSize !== undefined ? { deviceBlockSize } : {}) };
        for (const other of this.devices) {
          if (base < other.base + other.size && other.base < base + size) {
            this.machineError('HL2004', sp(atV ?? name), [`'${name.text}'`, formatRange(base, size), `'${other.name}'`, formatRange(other.base, other.size)], [{ span: other.nameSpan, message: `'${other.name}' is declared here` }]);
            break;
          }
        }
        this.devices.push(dev);
        return base + size > cursor ? base + size : cursor;
      }
      case 'hole': this.holeDecl(s); return cursor;
      case 'dax': this.daxDecl(s); return cursor;
      case 'fs': this.fsDecl(s); return cursor;
      case 'file': this.fileDecl(s); return cursor;
      case 'process': {
        const name = s.args['name']!;
        if (this.define('process', name, s.line)) {
          this.processes.push({ kind: 'process', name: name.text, nameSpan: sp(name), span: sp(s), line: s.line, earlyKill: 'early-kill' in s.options, noHugepage: 'nohugepage' in s.options });
        }
        return cursor;
      }
      default:
        return cursor;
    }
  }

  /** `hole NAME SIZE at ADDR`: inside one `ram` declared before it; page-aligned outward. */
  private holeDecl(s: Statement): void {
    const name = s.args['name']!, sizeV = s.args['size']!;
    const atV = s.options['at']?.value;
    if (!this.define('hole', name, s.line)) return;
    const size = sizeV.num ?? 0n;
    if (size === 0n) { this.machineError('HL2014', sp(sizeV), [`The size of '${name.text}'`]); return; }
    if (!atV || atV.num === undefined) return; // the parser reported the missing 'at'
    const base = alignDown(atV.num, PAGE);
    const end = alignUp(atV.num + size, PAGE);
    const rams = this.devices.filter((d) => d.kind === 'ram');
    const ram = rams.find((r) => base >= r.base && end <= r.base + r.size);
    if (!ram) {
      this.machineError('HL2029', sp(atV), [`'${name.text}'`, formatRange(atV.num, size), rams.length ? rams.map((r) => `${r.name} [${formatRange(r.base, r.size)}]`).join(', ') : 'no ram is declared before it']);
      return;
    }
    for (const other of this.holes) {
      if (base < other.base + other.size && other.base < end) {
        this.machineError('HL2004', sp(atV), [`'${name.text}'`, formatRange(base, end - base), `'${other.name}'`, formatRange(other.base, other.size)], [{ span: other.nameSpan, message: `'${other.name}' is declared here` }]);
        return;
      }
    }
    this.holes.push({ name: name.text, nameSpan: sp(name), line: s.line, base, size: end - base, ram: ram.name });
  }

  private daxDecl(s: Statement): void {
    const name = s.args['name']!, regionV = s.args['region']!, modeV = s.args['mode']!;
    const region = this.devices.find((d) => d.name === regionV.text);
    const sym = this.syms.get(regionV.text);
    if (!this.define('dax', name, s.line, { detail: modeV.text })) { this.machineBroken = true; return; }
    if (!region) {
      if (sym) this.machineError('HL2003', sp(regionV), [regionV.text, KIND_TEXT[sym.kind], 'a pmem or cxl region']);
      else this.machineError('HL2001', sp(regionV), [regionV.text, this.didYouMeanKind(regionV.text, ['pmem', 'cxl'])]);
      return;
    }
    if (region.kind !== 'pmem' && region.kind !== 'cxl') {
      this.machineError('HL2003', sp(regionV), [regionV.text, KIND_TEXT[region.kind], 'a pmem or cxl region']);
      return;
    }
    const mode = modeV.text as DaxDevice['mode'];
    if (mode === 'system-ram' && !this.since(5, 1, 'device-dax: "Hotplug" persistent memory for use like normal RAM', sp(modeV), 'system-ram mode (dax_kmem)')) return;
    if (mode === 'fsdax' && region.kind === 'cxl') { this.machineError('HL2007', sp(modeV), [region.name]); return; }
    const alignV = s.options['align']?.value;
    let align = 2n * MiB;
    if (alignV?.num !== undefined) {
      if (![4n * 1024n, 2n * MiB, GiB].includes(alignV.num)) { this.machineError('HL1015', sp(alignV), [alignV.text, '4K, 2M, 1G', '']); return; }
      align = alignV.num;
    }
    const mapV = s.options['map']?.value;
    if (mapV && region.kind === 'cxl' && !mapV.missing) {
      this.report('HL2028', { start: s.options['map']!.keyStart, length: mapV.end - s.options['map']!.keyStart }, [`'map' applies to pmem namespaces; a CXL dax region has no namespace memmap reserve (its memmap is in RAM, or in the blocks with memmap_on_memory). The option is ignored.`]);
    }
    const map: 'dev' | 'mem' = region.kind === 'cxl' ? 'mem' : mapV?.text === 'mem' ? 'mem' : 'dev';
    const siblings = this.daxes.filter((d) => d.region === region.name);
    const offV = s.options['offset']?.value;
    const offset = offV?.num ?? (siblings.length ? alignUp(siblings.reduce((m, d) => (d.base + d.size > m ? d.base + d.size : m), region.base) - region.base, SUBSECTION) : 0n);
    const sizeV = s.options['size']?.value;
    const size = sizeV?.num ?? (region.size > offset ? region.size - offset : 0n);
    const unit = align > SUBSECTION ? align : SUBSECTION;
    const unitText = formatSize(unit);
    if (sizeV && size % unit !== 0n) { this.machineError('HL2006', sp(sizeV), [`The size of '${name.text}'`, formatSize(size), unitText, formatSize(alignUp(size, unit))]); return; }
    if (offV && offset % SUBSECTION !== 0n) { this.machineError('HL2006', sp(offV), [`The offset of '${name.text}'`, formatSize(offset), '2M', formatSize(alignUp(offset, SUBSECTION))]); return; }
    if (size === 0n) { this.machineError('HL2014', sp(sizeV ?? name), [`'${name.text}' (nothing of '${region.name}' is left for it)`]); return; }
    const base = region.base + offset;
    if (offset + size > region.size) {
      this.machineError('HL2013', sp(sizeV ?? offV ?? name), [`'${name.text}'`, formatRange(base, size), `'${region.name}'`, formatRange(region.base, region.size)], [{ span: region.nameSpan, message: `'${region.name}' is declared here` }]);
      return;
    }
    for (const d of siblings) {
      if (base < d.base + d.size && d.base < base + size) {
        this.machineError('HL2004', sp(offV ?? name), [`'${name.text}'`, formatRange(base, size), `'${d.name}'`, formatRange(d.base, d.size)], [{ span: d.nameSpan, message: `'${d.name}' is declared here` }]);
        return;
      }
    }
    const reserve = map === 'dev' ? pmemMemmapReserve(size, align) : 0n;
    if (reserve >= size) { this.machineError('HL2014', sp(sizeV ?? name), [`The data range of '${name.text}' after its ${formatSize(reserve)} memmap reserve (map=dev)`]); return; }
    const memmapOnMemory = 'memmap_on_memory' in s.options || (region.kind === 'cxl' && versionAtLeast(this.kernel, 6, 8));
    if ('memmap_on_memory' in s.options && mode !== 'system-ram') {
      this.report('HL2028', { start: s.options['memmap_on_memory']!.keyStart, length: s.options['memmap_on_memory']!.keyEnd - s.options['memmap_on_memory']!.keyStart }, [`memmap_on_memory applies when the device is bound to kmem (system-ram); '${name.text}' starts in ${mode} mode, so it matters only after 'reconfigure … system-ram'.`]);
    }
    // `ranges N`: a dynamic (CXL/hmem) dax device grown in N pieces; a pmem namespace is one static range.
    let nRanges = 1n;
    const rangesO = s.options['ranges'];
    const rangesV = rangesO?.value;
    if (rangesO && rangesV?.num !== undefined) {
      const optSpan = { start: rangesO.keyStart, length: rangesV.end - rangesO.keyStart };
      if (region.kind !== 'cxl') this.report('HL2028', optSpan, [`a pmem namespace gives one static dax range; multi-range devices come from dynamic regions (CXL, EFI soft-reserved). The option is ignored.`]);
      else if (!versionAtLeast(this.kernel, 5, 10)) this.report('HL2028', optSpan, [`dax devices have one range before v5.10 (nr_range came with "device-dax: add resize support"). The option is ignored.`]);
      else if (rangesV.num < 1n || rangesV.num > 64n) { this.machineError('HL2012', sp(rangesV), [rangesV.text, 'ranges', 'an integer from 1 to 64']); return; }
      else if (size % (rangesV.num * unit) !== 0n) { this.machineError('HL2006', sp(rangesV), [`The size of each of the ${rangesV.text} ranges of '${name.text}'`, formatSize(size / rangesV.num), unitText, `a size that is a multiple of ${formatSize(rangesV.num * unit)}`]); return; }
      else nRanges = rangesV.num;
    }
    const dataBase = base + reserve, dataSize = size - reserve;
    const ranges = Array.from({ length: Number(nRanges) }, (_, i) => ({ base: dataBase + (dataSize / nRanges) * BigInt(i), size: dataSize / nRanges }));
    this.daxes.push({
      kind: 'dax', name: name.text, nameSpan: sp(name), span: sp(s), line: s.line, region: region.name, regionKind: region.kind,
      mode, base, size, dataBase, dataSize, ranges, align, map, memmapOnMemory, node: region.node,
    });
  }

  private fsDecl(s: Statement): void {
    const name = s.args['name']!, daxV = s.args['dax']!, typeV = s.args['type']!;
    if (!this.define('fs', name, s.line)) { this.machineBroken = true; return; }
    const dax = this.daxes.find((d) => d.name === daxV.text);
    if (!dax) {
      const sym = this.syms.get(daxV.text);
      if (sym) this.machineError('HL2003', sp(daxV), [daxV.text, KIND_TEXT[sym.kind], 'an fsdax device']);
      else this.machineError('HL2001', sp(daxV), [daxV.text, this.didYouMeanKind(daxV.text, ['dax'])]);
      return;
    }
    if (dax.mode !== 'fsdax') { this.machineError('HL2020', sp(daxV), [dax.name, dax.mode]); return; }
    const other = this.filesystems.find((f) => f.dax === dax.name);
    if (other) { this.machineError('HL2004', sp(daxV), [`'${name.text}'`, `on ${dax.name}`, `'${other.name}'`, `on ${dax.name}`], [{ span: other.nameSpan, message: `'${other.name}' uses ${dax.name}` }]); return; }
    const rmapV = s.options['rmapbt']?.value;
    const type = typeV.text as Filesystem['type'];
    if (rmapV && type !== 'xfs' && !rmapV.missing) this.report('HL2028', sp(rmapV), [`rmapbt is an XFS feature; ${type} has no reverse map, so the option is ignored.`]);
    const mountV = s.options['mount']?.value;
    const mountPoint = mountV && !mountV.missing ? mountV.text.replace(/\/+$/, '') || '/' : undefined;
    this.filesystems.push({ kind: 'fs', name: name.text, nameSpan: sp(name), span: sp(s), line: s.line, type, dax: dax.name, rmapbt: type === 'xfs' && rmapV?.text !== 'off', mountPoint });
  }

  private pendingFiles: { s: Statement; path: string; size: bigint; fs: Filesystem }[] = [];

  private fileDecl(s: Statement): void {
    const pathV = s.args['path']!, sizeV = s.args['size']!;
    const path = pathV.text;
    const mounted = this.filesystems.filter((f) => f.mountPoint !== undefined && (path === f.mountPoint || path.startsWith(f.mountPoint === '/' ? '/' : f.mountPoint + '/')));
    mounted.sort((a, b) => b.mountPoint!.length - a.mountPoint!.length);
    const fs = mounted[0];
    if (!fs) {
      const mps = this.filesystems.filter((f) => f.mountPoint).map((f) => f.mountPoint!);
      this.machineError('HL2008', sp(pathV), [path, mps.length ? `mount points: ${mps.join(', ')}` : 'no filesystem is mounted at boot']);
      return;
    }
    const dup = this.files.find((f) => f.path === path) ?? this.pendingFiles.find((f) => f.path === path);
    if (dup) {
      this.machineError('HL2002', sp(pathV), [path], [{ span: 'span' in dup ? dup.span : sp(dup.s), message: `${path} is first declared here` }]);
      return;
    }
    if ((sizeV.num ?? 0n) === 0n) { this.machineError('HL2014', sp(sizeV), [`The size of ${path}`]); return; }
    this.pendingFiles.push({ s, path, size: sizeV.num!, fs });
  }

  /** Lays out files as single extents after the filesystem's metadata area (2 MiB aligned). */
  private finishFiles(): void {
    const used = new Map<string, bigint>();
    for (const f of this.pendingFiles) {
      const dax = this.daxes.find((d) => d.name === f.fs.dax)!;
      const meta = fsMetadataSize(dax.dataSize);
      const at = used.get(f.fs.name) ?? meta;
      const end = at + alignUp(f.size, SUBSECTION);
      if (end > dax.dataSize) {
        const total = this.pendingFiles.filter((x) => x.fs === f.fs).reduce((a, x) => a + alignUp(x.size, SUBSECTION), meta);
        this.machineError('HL2018', sp(f.s.args['size']!), [f.fs.name, formatSize(total), formatSize(dax.dataSize)]);
        continue;
      }
      used.set(f.fs.name, end);
      this.files.push({ path: f.path, size: f.size, fs: f.fs.name, extent: at, span: sp(f.s.args['path']!), line: f.s.line });
    }
  }

  private suggestKind(word: string, kinds: readonly SymKind[]): string | undefined {
    return suggest(word, [...this.syms.values()].filter((s) => kinds.includes(s.kind)).map((s) => s.name));
  }

  private didYouMeanKind(word: string, kinds: readonly SymKind[]): string {
    const names = [...this.syms.values()].filter((s) => kinds.includes(s.kind)).map((s) => s.name);
    const dym = didYouMean(word, names);
    if (dym) return dym;
    return names.length ? ` Declared: ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''}.` : '';
  }

  // ---- names in steps ------------------------------------------------------------------------

  /** Resolves a name that must be of one of `kinds`; reports and returns undefined otherwise. */
  private ref(v: Value | undefined, kinds: readonly SymKind[], what: string, line: number): Sym | undefined {
    if (!v || v.missing) return undefined;
    const sym = this.syms.get(v.text);
    if (!sym) {
      const later = this.laterNames.get(v.text);
      if (later !== undefined && later >= line) {
        this.report('HL2025', sp(v), [v.text, later + 1, 'statement that introduces it']);
      } else {
        this.report('HL2001', sp(v), [v.text, this.didYouMeanKind(v.text, kinds)], undefined, this.suggestKind(v.text, kinds));
      }
      return undefined;
    }
    if (!kinds.includes(sym.kind)) {
      this.report('HL2003', sp(v), [v.text, KIND_TEXT[sym.kind], what], [{ span: sym.nameSpan, message: `'${v.text}' is declared here` }]);
      return undefined;
    }
    return sym;
  }

  private target(v: Value | undefined, line: number, allow: { alloc?: boolean; mapping?: boolean } = {}): Target | undefined {
    if (!v || v.missing) return undefined;
    const span = sp(v);
    const kinds: SymKind[] = ['ram', 'dimm', 'virtio-mem', 'dax', 'cxl', 'pmem'];
    if (allow.alloc) kinds.push('alloc');
    if (allow.mapping) kinds.push('mapping');
    const what = `a device, a dax device, memoryN or memoryN..memoryM${allow.alloc ? ', an allocation or a mapping' : ''}`;
    if (v.rangeTo === undefined) {
      const sym = this.syms.get(v.text);
      if (!sym && BLOCK_RE.test(v.text)) {
        const n = Number(BLOCK_RE.exec(v.text)![1]);
        return this.blocks(n, n, span, v.text) ? { kind: 'blocks', first: n, last: n, span } : undefined;
      }
      const s = this.ref(v, kinds, what, line);
      if (!s) return undefined;
      if (s.kind === 'alloc') return { kind: 'alloc', name: s.name, span };
      if (s.kind === 'mapping') return { kind: 'mapping', name: s.name, span };
      return { kind: 'device', name: s.name, span };
    }
    const a = BLOCK_RE.exec(v.text), b = BLOCK_RE.exec(v.rangeTo);
    if (!a || !b) {
      this.report('HL2015', span, [`'${!a ? v.text : v.rangeTo}' is not a memory block name (memoryN)`]);
      return undefined;
    }
    const first = Number(a[1]), last = Number(b[1]);
    if (first > last) { this.report('HL2015', span, [`The range runs backwards (memory${first} > memory${last})`]); return undefined; }
    if (!this.blocks(first, last, span, `memory${first}..memory${last}`)) return undefined;
    return { kind: 'blocks', first, last, span };
  }

  /** Every block of the range must fall inside a declared memory device. */
  private blocks(first: number, last: number, span: Span, text: string): boolean {
    const bs = this.knobs.blockSize;
    const inside = (n: number) => this.devices.some((d) => BigInt(n) * bs < d.base + d.size && d.base < BigInt(n + 1) * bs);
    const bad = !inside(first) ? first : !inside(last) ? last : undefined;
    if (bad === undefined) return true;
    const cover = this.devices.map((d) => `${d.name} memory${d.base / bs}..memory${(d.base + d.size - 1n) / bs}`).join(', ') || 'nothing';
    this.report('HL2016', span, [first === last ? text : `memory${bad} in ${text}`, hex(BigInt(bad) * bs), formatSize(bs), cover]);
    return false;
  }

  // ---- actions ---------------------------------------------------------------------------------

  private action(s: Statement): Action | undefined {
    const op = this.actionOp(s);
    if (!op) return undefined;
    const r = s.result?.value;
    if (s.result && (!r || r.missing)) return undefined;
    // actionOp() returns a fresh literal: completing it in place keeps the key order of the old
    // `{...op, span, …}` without V8's slow generic spread (a hot spot on long scenarios).
    const out = op as Record<string, unknown>;
    out['span'] = sp(s);
    out['keywordSpan'] = { start: s.keywordStart, length: s.keywordEnd - s.keywordStart };
    out['line'] = s.line;
    if (r) out['expected'] = { result: r.text as Result, span: { start: s.result!.arrowStart, length: r.end - s.result!.arrowStart } };
    return out as unknown as Action;
  }

  private actionOp(s: Statement): ActionOp | undefined {
    const a = s.args, o = s.options, line = s.line;
    const has = (k: string) => k in o;
    switch (s.keyword) {
      case 'plug': case 'unplug': {
        const d = this.ref(a['device'], ['dimm', 'virtio-mem'], 'a dimm or virtio-mem device', line);
        if (!d) return undefined;
        const size = a['size']?.num;
        // virtio-mem in Big Block Mode (un)plugs whole big blocks (brief §8).
        const vdev = d.kind === 'virtio-mem' ? this.devices.find((x) => x.name === d.name) : undefined;
        const vmode = vdev?.deviceBlockSize !== undefined ? virtioMemMode(vdev.deviceBlockSize, this.knobs) : undefined;
        if (size !== undefined && vmode?.mode === 'bbm' && size % vmode.unit !== 0n) {
          this.report('HL2041', sp(a['size']!), [`The ${s.keyword} size`, formatSize(size), formatSize(vmode.unit), vmode.why, formatSize(alignUp(size || 1n, vmode.unit))]);
          return undefined;
        }
        // virtio-mem in Sub Block Mode (un)plugs 2 MiB subblocks (brief §8); DIMMs are whole.
        if (size !== undefined && d.kind === 'virtio-mem' && size !== 0n && size % this.knobs.blockSize !== 0n) {
          if (size % SUBSECTION !== 0n) {
            this.report('HL2006', sp(a['size']!), [`The ${s.keyword} size`, formatSize(size), '2M (a virtio-mem subblock)', formatSize(alignUp(size, SUBSECTION))]);
            return undefined;
          }
          return { op: s.keyword, device: d.name, size } as ActionOp;
        }
        if (size !== undefined && (size === 0n || size % this.knobs.blockSize !== 0n)) {
          this.report('HL2005', sp(a['size']!), [`The ${s.keyword} size`, formatSize(size), formatSize(this.knobs.blockSize), formatSize(alignUp(size || 1n, this.knobs.blockSize))]);
          return undefined;
        }
        if (size !== undefined && d.kind === 'dimm') {
          this.report('HL2028', sp(a['size']!), ['A DIMM is plugged whole; the size is ignored (it applies to virtio-mem).']);
        }
        return { op: s.keyword, device: d.name, size: d.kind === 'dimm' ? undefined : size } as ActionOp;
      }
      case 'surprise-remove': case 'replace': {
        const d = this.ref(a['device'], ['dimm', 'cxl', 'pmem', 'virtio-mem'], 'a dimm, cxl, pmem or virtio-mem device', line);
        return d ? { op: s.keyword, device: d.name } : undefined;
      }
      case 'unbind': {
        const d = this.ref(a['device'], ['dax', 'virtio-mem'], 'a dax or virtio-mem device', line);
        return d ? { op: 'unbind', device: d.name } : undefined;
      }
      case 'bind': {
        const d = this.ref(a['device'], ['dax'], 'a dax device', line);
        return d && a['driver'] && !a['driver'].missing ? { op: 'bind', device: d.name, driver: a['driver'].text as 'devdax' | 'kmem' } : undefined;
      }
      case 'reconfigure': {
        const d = this.ref(a['device'], ['dax'], 'a dax device', line);
        if (!d || !a['mode'] || a['mode'].missing) return undefined;
        const mode = a['mode'].text as 'system-ram' | 'devdax';
        if (mode === 'system-ram' && !this.since(5, 1, 'device-dax: "Hotplug" persistent memory for use like normal RAM', sp(a['mode']), 'Reconfiguring to system-ram (dax_kmem)')) return undefined;
        if (mode === 'system-ram' && has('force')) this.report('HL2028', { start: o['force']!.keyStart, length: o['force']!.keyEnd - o['force']!.keyStart }, ["'force' matters only when going back to devdax (it offlines online memory first)."]);
        if (mode === 'devdax' && (has('no-online') || has('no-movable'))) {
          const k = has('no-online') ? o['no-online']! : o['no-movable']!;
          this.report('HL2028', { start: k.keyStart, length: k.keyEnd - k.keyStart }, [`'${k.key}' applies when going to system-ram (how the new blocks are onlined).`]);
        }
        return { op: 'reconfigure', device: d.name, mode, noOnline: has('no-online'), noMovable: has('no-movable'), force: has('force') };
      }
      case 'mount': case 'umount': {
        const f = this.ref(a['fs'], ['fs'], 'a filesystem', line);
        return f ? { op: s.keyword, fs: f.name } : undefined;
      }
      case 'reboot': return { op: 'reboot' };
      case 'online': {
        const t = this.target(a['target'], line);
        return t ? { op: 'online', target: t, type: (o['as']?.value?.text ?? 'online') as 'online' } : undefined;
      }
      case 'offline': {
        const t = this.target(a['target'], line);
        return t ? { op: 'offline', target: t, timeoutMs: o['timeout']?.value?.num } : undefined;
      }
      case 'remove': {
        const t = this.target(a['target'], line);
        return t ? { op: 'remove', target: t } : undefined;
      }
      case 'alloc': {
        const nameV = a['name']!, sizeV = a['size']!, kindV = a['kind']!;
        if (nameV.missing || sizeV.missing || kindV.missing) return undefined;
        const inT = o['in'] ? this.target(o['in'].value, line) : undefined;
        if (o['in'] && !inT) return undefined;
        if (o['in'] && o['node']) {
          this.report('HL2023', { start: o['node'].keyStart, length: (o['node'].value?.end ?? o['node'].keyEnd) - o['node'].keyStart }, ["Give either 'in TARGET' or 'node N', not both: the target already decides the node."]);
          return undefined;
        }
        const by = o['by'] ? this.ref(o['by'].value, ['process'], 'a process', line) : undefined;
        if (o['by'] && !by) return undefined;
        if ((sizeV.num ?? 0n) === 0n) { this.report('HL2014', sp(sizeV), [`The size of '${nameV.text}'`]); return undefined; }
        if (!this.define('alloc', nameV, line, { detail: kindV.text, size: sizeV.num! })) return undefined;
        return { op: 'alloc', name: nameV.text, size: alignUp(sizeV.num!, PAGE), kind: kindV.text as 'anon', in: inT, node: o['node']?.value?.num !== undefined ? Number(o['node'].value.num) : undefined, by: by?.name };
      }
      case 'free': {
        const x = this.ref(a['alloc'], ['alloc'], 'an allocation', line);
        return x ? { op: 'free', alloc: x.name } : undefined;
      }
      case 'mmap': return this.mmap(s);
      case 'munmap': case 'unpin': {
        const m = this.ref(a['mapping'], ['mapping'], 'a mapping (mmap … as NAME)', line);
        return m ? ({ op: s.keyword, mapping: m.name } as ActionOp) : undefined;
      }
      case 'pin': {
        const m = this.ref(a['mapping'], ['mapping'], 'a mapping (mmap … as NAME)', line);
        return m ? { op: 'pin', mapping: m.name, longterm: has('longterm'), fast: has('fast') } : undefined;
      }
      case 'touch': {
        const m = this.ref(a['mapping'], ['mapping'], 'a mapping (mmap … as NAME)', line);
        if (!m) return undefined;
        if (has('read') && has('write')) { this.report('HL2023', { start: o['write']!.keyStart, length: o['write']!.keyEnd - o['write']!.keyStart }, ["Give 'read' or 'write', not both: one touch is one access."]); return undefined; }
        const off = o['offset']?.value?.num ?? 0n;
        if (m.size !== undefined && off >= m.size) { this.report('HL2027', sp(o['offset']!.value!), [`Offset ${formatSize(off)} is beyond the end of '${m.name}' (${formatSize(m.size)}).`]); return undefined; }
        return { op: 'touch', mapping: m.name, write: !has('read'), offset: off };
      }
      case 'poison': case 'soft-offline': case 'unpoison': {
        const t = this.target(a['target'], line, { alloc: true, mapping: true });
        if (!t) return undefined;
        const off = o['offset']?.value?.num ?? 0n;
        if (s.keyword === 'poison') {
          const by = o['by'] ? this.ref(o['by'].value, ['process'], 'a process', line) : undefined;
          if (o['by'] && !by) return undefined;
          const pages = o['pages']?.value?.num ?? 1n;
          if (pages === 0n) { this.report('HL2014', sp(o['pages']!.value!), ['The page count']); return undefined; }
          return { op: 'poison', target: t, offset: off, pages, by: by?.name };
        }
        return { op: s.keyword, target: t, offset: off } as ActionOp;
      }
      case 'exit': {
        const p = this.ref(a['process'], ['process'], 'a process', line);
        return p ? { op: 'exit', process: p.name } : undefined;
      }
      default:
        return undefined;
    }
  }

  private mmap(s: Statement): ActionOp | undefined {
    const a = s.args, o = s.options, line = s.line;
    const p = this.ref(a['process'], ['process'], 'a process', line);
    const srcV = a['source'];
    const asV = o['as']?.value;
    if (!p || !srcV || srcV.missing || !asV || asV.missing) return undefined;
    let source: { kind: 'dax'; name: string } | { kind: 'file'; path: string } | { kind: 'anon'; alloc: string };
    let srcSize: bigint | undefined;
    if (srcV.text.startsWith('/')) {
      const f = this.files.find((x) => x.path === srcV.text) ?? this.pendingFiles.find((x) => x.path === srcV.text);
      if (!f) {
        const known = [...this.files.map((x) => x.path), ...this.pendingFiles.map((x) => x.path)];
        this.report('HL2001', sp(srcV), [srcV.text, didYouMean(srcV.text, known) || (known.length ? ` Declared files: ${known.slice(0, 6).join(', ')}.` : " Declare it with 'file PATH SIZE'.")]);
        return undefined;
      }
      source = { kind: 'file', path: srcV.text };
      srcSize = f.size;
    } else {
      const sym = this.ref(srcV, ['dax', 'alloc'], 'a devdax device, a file path or an anon allocation', line);
      if (!sym) return undefined;
      if (sym.kind === 'alloc') {
        if (sym.detail !== 'anon') { this.report('HL2003', sp(srcV), [srcV.text, `a ${sym.detail} allocation`, 'an anon allocation (only anonymous memory is mapped this way)']); return undefined; }
        source = { kind: 'anon', alloc: sym.name };
        srcSize = sym.size;
      } else {
        source = { kind: 'dax', name: sym.name };
        srcSize = this.daxes.find((d) => d.name === sym.name)?.dataSize;
      }
    }
    const offset = o['offset']?.value?.num ?? 0n;
    const sizeOpt = o['size']?.value?.num;
    if (srcSize !== undefined && offset >= srcSize) { this.report('HL2027', sp(o['offset']!.value!), [`Offset ${formatSize(offset)} is beyond the end of ${srcV.text} (${formatSize(srcSize)}).`]); return undefined; }
    const size = sizeOpt ?? (srcSize !== undefined ? srcSize - offset : undefined);
    if (sizeOpt !== undefined && srcSize !== undefined && offset + sizeOpt > srcSize) { this.report('HL2027', sp(o['size']!.value!), [`The mapping [${formatSize(offset)}, +${formatSize(sizeOpt)}) runs past the end of ${srcV.text} (${formatSize(srcSize)}).`]); return undefined; }
    if (sizeOpt === 0n) { this.report('HL2014', sp(o['size']!.value!), ['The mapping size']); return undefined; }
    if (!this.define('mapping', asV, line, size !== undefined ? { size } : {})) return undefined;
    return { op: 'mmap', process: p.name, source, size, offset, name: asV.text, private: 'private' in o };
  }

  // ---- expectations ------------------------------------------------------------------------------

  private expectation(s: Statement): Expectation | undefined {
    const e = s.expect;
    if (!e) return undefined;
    const line = s.line;
    // Completed in place (every caller passes a fresh literal): same keys and order as
    // `{...c, span, line}`, without V8's slow path for a spread followed by more keys.
    const wrap = (c: ExpectCheck): Expectation => {
      const out = c as ExpectCheck & { span: Span; line: number };
      out.span = sp(s);
      out.line = line;
      return out;
    };
    switch (e.form) {
      case 'crash': return wrap({ check: 'crash', negated: e.negated });
      case 'noHazard': return wrap({ check: 'noHazard' });
      case 'log': return e.text.missing ? undefined : wrap({ check: 'log', text: e.text.text });
      case 'hazard': return e.hazard.missing ? undefined : wrap({ check: 'hazard', hazard: e.hazard.text as HazardKind });
      default: break;
    }
    const subj = e.subject;
    if (subj.missing) return undefined;
    const sym = subj.rangeTo === undefined ? this.syms.get(subj.text) : undefined;
    const isBlock = subj.rangeTo !== undefined || (!sym && BLOCK_RE.test(subj.text));
    const kindOf = isBlock ? 'a memory block' : sym ? KIND_TEXT[sym.kind] : undefined;
    const mismatch = (word: Value | string, applies: string): undefined => {
      const w = typeof word === 'string' ? word : word.text;
      this.report('HL2022', sp(subj), [subj.text, kindOf ?? 'unknown', w, applies]);
      return undefined;
    };
    if (!isBlock && !sym) { this.ref(subj, [], '', line); return undefined; }
    switch (e.form) {
      case 'zone': {
        if (e.zone.missing) return undefined;
        if (!isBlock && !['ram', 'dimm', 'virtio-mem', 'dax', 'cxl', 'pmem'].includes(sym!.kind)) return mismatch('zone', 'memory devices and blocks');
        const t = this.target(subj, line);
        return t ? wrap({ check: 'zone', target: t, zone: e.zone.text }) : undefined;
      }
      case 'poisonedCount': {
        if (!isBlock && ['process', 'fs'].includes(sym!.kind)) return mismatch('poisoned N', 'memory devices, blocks, allocations and mappings');
        const t = this.target(subj, line, { alloc: true, mapping: true });
        return t ? wrap({ check: 'poisoned', target: t, count: e.count.num ?? 0n }) : undefined;
      }
      case 'signal': case 'noSignal': {
        if (isBlock || sym!.kind !== 'process') return mismatch(e.form === 'signal' ? 'signal' : 'no signal', 'processes');
        if (e.form === 'noSignal') return wrap({ check: 'noSignal', process: sym!.name });
        if (e.signal.missing || e.code?.missing) return undefined;
        return wrap({ check: 'signal', process: sym!.name, signal: e.signal.text, code: e.code?.text });
      }
      case 'state': {
        if (e.state.missing) return undefined;
        const st = e.state.text;
        if (['online', 'offline', 'removed', 'leaked', 'absent'].includes(st)) {
          if (!isBlock && !['ram', 'dimm', 'virtio-mem', 'dax', 'cxl', 'pmem'].includes(sym!.kind)) return mismatch(e.state, 'memory devices and blocks');
          if (isBlock && st === 'absent') return mismatch(e.state, 'devices (the hardware is not there)');
          const t = this.target(subj, line);
          return t ? wrap({ check: 'blockState', target: t, state: st as 'online' }) : undefined;
        }
        if (['valid', 'zapped', 'stale', 'poisoned', 'gone'].includes(st)) {
          if (isBlock || sym!.kind !== 'mapping') return mismatch(e.state, 'mappings (mmap … as NAME)');
          return wrap({ check: 'mapping', mapping: sym!.name, state: st as 'valid' });
        }
        if (st === 'alive' || st === 'killed') {
          if (isBlock || sym!.kind !== 'process') return mismatch(e.state, 'processes');
          return wrap({ check: 'process', process: sym!.name, state: st });
        }
        if (isBlock || sym!.kind !== 'fs') return mismatch(e.state, 'filesystems');
        return wrap({ check: 'fs', fs: sym!.name, state: st as 'mounted' });
      }
    }
  }
}

/** The filesystem's own metadata area at the start of the device (2 MiB aligned, at most 16 MiB). */
export function fsMetadataSize(dataSize: bigint): bigint {
  const m = alignUp(dataSize / 64n, SUBSECTION);
  return m > 16n * MiB ? 16n * MiB : m;
}
