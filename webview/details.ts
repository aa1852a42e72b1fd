// The text side of the picture: the selected step's events (virtualized list of buttons that
// reveal the causing statement) and its state. Screen readers get everything the canvases show.
import type { StepView } from '../language-server/protocol/index.js';
import type { Difference } from './compare.js';
import type { EventMark } from './viewModel.js';

const ROW_H = 24;
const scrolled = new WeakMap<HTMLElement, number>();
const MAX_H = 240;

function item(text: string, cls = ''): HTMLLIElement {
  const li = document.createElement('li');
  li.textContent = text;
  if (cls) li.className = cls;
  return li;
}

/**
 * Renders only the rows in view; `onReveal` is called with the event whose row was activated.
 * The list keeps its own scroll listener so a step with 100,000 events still opens instantly.
 */
export function renderEvents(box: HTMLElement, why: HTMLElement, events: readonly EventMark[], onReveal: (e: EventMark) => void): void {
  box.replaceChildren();
  // "Why" shows the full story of one event: by default the loudest one of the step (hazard,
  // then failure), then whichever row the user hovers or focuses.
  const loudest = events.find((e) => e.hazard) ?? events.find((e) => e.token === 'fail' || e.token === 'burned') ?? events[0];
  why.textContent = loudest ? loudest.detail : '';
  why.hidden = !loudest;
  if (events.length === 0) {
    box.append(Object.assign(document.createElement('p'), { className: 'hl-muted', textContent: 'No events at this step.' }));
    box.onscroll = null;
    box.style.height = '';
    return;
  }
  const spacer = document.createElement('div');
  spacer.className = 'hl-events-spacer';
  spacer.style.height = `${events.length * ROW_H}px`;
  box.append(spacer);
  box.style.height = `${Math.min(MAX_H, events.length * ROW_H + 2)}px`;
  // A new list starts at the top. Its scroll offset is tracked from scroll events: reading
  // scrollTop right after replacing the rows would force a layout of the whole page.
  if (scrolled.get(box)) { box.scrollTop = 0; scrolled.set(box, 0); }
  const draw = (scrollTop: number) => {
    const first = Math.max(0, Math.floor(scrollTop / ROW_H) - 5);
    const last = Math.min(events.length, first + Math.ceil(MAX_H / ROW_H) + 10);
    const rows: HTMLElement[] = [];
    for (let i = first; i < last; i++) {
      const e = events[i]!;
      const b = document.createElement('button');
      b.type = 'button';
      b.className = `hl-event hl-token-${e.token}${e.hazard ? ' hl-hazard' : ''}`;
      b.setAttribute('role', 'listitem');
      b.style.top = `${i * ROW_H}px`;
      b.dataset.eventId = String(e.id);
      b.title = e.detail;
      b.textContent = `${e.hazard ? '⚠ ' : ''}line ${e.line + 1}: ${e.label} — ${e.detail.split('\n')[1] ?? ''}`;
      b.addEventListener('click', () => onReveal(e));
      b.addEventListener('focus', () => { why.textContent = e.detail; });
      b.addEventListener('mouseenter', () => { why.textContent = e.detail; });
      rows.push(b);
    }
    spacer.replaceChildren(...rows);
  };
  box.onscroll = () => { scrolled.set(box, box.scrollTop); draw(box.scrollTop); };
  draw(0);
}

export function renderState(list: HTMLElement, step: StepView | undefined): void {
  list.replaceChildren();
  if (!step) return;
  const s = step.state;
  if (s.crashed) list.append(item(`CRASHED${s.crashReason ? `: ${s.crashReason}` : ''}`, 'hl-hazard'));
  for (const d of s.devices) list.append(item(`${d.name} (${d.kind}${d.driver ? `, ${d.driver}` : ''}): ${d.status}`, d.replaced ? 'hl-hazard' : ''));
  for (const m of s.mappings) list.append(item(`mapping ${m.process}:${m.name} → ${m.source} ${m.base}+${m.size}: ${m.state}`, m.state === 'stale' || m.state === 'poisoned' ? 'hl-hazard' : ''));
  for (const p of s.poison) list.append(item(`poison at ${p.base}: ${p.pages} page(s), ${p.what}`, 'hl-hazard'));
  for (const r of s.resources) if (r.state === 'burned') list.append(item(`${r.name} ${r.base}+${r.size}: burned until reboot`, 'hl-hazard'));
  for (const f of s.filesystems) list.append(item(`filesystem ${f.name}: ${f.state}`));
  for (const p of s.processes) {
    const sig = p.signals.map((g) => `${g.signal} ${g.code} at step ${g.step}`).join(', ');
    list.append(item(`process ${p.name}: ${p.alive ? 'alive' : 'killed'}${sig ? ` (${sig})` : ''}`));
  }
}

export function renderDifferences(box: HTMLElement, kernels: readonly [string, string] | null, diffs: readonly Difference[]): void {
  box.replaceChildren();
  if (!kernels) return;
  const h = document.createElement('h3');
  h.textContent = `Differences: ${kernels[0]} vs ${kernels[1]}`;
  const ul = document.createElement('ul');
  for (const d of diffs.slice(0, 500)) ul.append(item(`step ${d.step} ${d.subject}: ${kernels[0]} ${d.a} / ${kernels[1]} ${d.b}`, 'hl-diff'));
  if (diffs.length === 0) ul.append(item('No differing outcomes.'));
  box.append(h, ul);
}
