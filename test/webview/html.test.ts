// The HTML shell: strict CSP, nonce'd script, no inline handlers, escaped URIs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentSecurityPolicy, renderWebviewHtml } from '../../webview/html.js';
import { escapeXml, exportRange, viewToSvg } from '../../webview/svgExport.js';
import { compareMaps, compareView } from '../../webview/compare.js';
import { timelineToText } from '../../webview/textExport.js';
import { buildTimelineView, buildViewModel } from '../../webview/viewModel.js';
import { TOKENS } from '../../webview/palette.js';
import { HOSTILE, hostileTimeline, hugeTimeline, loadTimeline } from './fixtures.js';

const nonce = 'dGVzdG5vbmNlMTIzNDU2Nzg5MA==';
const opts = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce, scriptUri: 'https://x/timeline.js', styleUri: 'https://x/timeline.css' };

test('CSP: default none, scripts by nonce, styles/images/fonts from the extension only', () => {
  assert.equal(contentSecurityPolicy(opts.cspSource, nonce),
    `default-src 'none'; script-src 'nonce-${nonce}'; style-src ${opts.cspSource}; img-src ${opts.cspSource} data:; font-src ${opts.cspSource}`);
  const html = renderWebviewHtml(opts);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-/);
  assert.equal((html.match(/<script/g) ?? []).length, 1);
  assert.match(html, new RegExp(`<script nonce="${nonce}" src="https://x/timeline.js"></script>`));
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline handlers');
  assert.doesNotMatch(html, /style=/, 'no inline styles');
  assert.doesNotMatch(html, /unsafe-/);
});

test('URIs are escaped and bad nonces refused', () => {
  const html = renderWebviewHtml({ ...opts, scriptUri: 'https://x/a"><script>alert(1)</script>' });
  assert.equal((html.match(/<script/g) ?? []).length, 1);
  assert.throws(() => renderWebviewHtml({ ...opts, nonce: `abc' 'unsafe-inline` }), /nonce/);
  assert.throws(() => renderWebviewHtml({ ...opts, nonce: 'short' }), /nonce/);
});

const palette = { ...Object.fromEntries(TOKENS.map((t) => [t, '#123456'])), foreground: '#000', background: '#fff', muted: '#666', border: '#999', focus: '#00f', selection: '#eef', font: 'sans-serif' } as never;

test('SVG export escapes scenario text and is well-formed', () => {
  const t = hostileTimeline();
  const v = buildTimelineView(t);
  const vm = buildViewModel(t, { step: 6 }, v);
  const svg = viewToSvg(v, [{ kernel: 'kernel 5.10', map: vm.map }], { palette, selected: 6 });
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assert.ok(!svg.includes(HOSTILE) && !svg.includes('<script>'), 'no raw HTML from the scenario');
  assert.ok(svg.includes(escapeXml(HOSTILE)));
  assert.equal((svg.match(/<svg/g) ?? []).length, 1);
});

test('SVG export: the whole timeline by default (not a 40-step window), or the chosen steps; maps and mapping lines', () => {
  const story = loadTimeline('seed-story');
  const v = buildTimelineView(story);
  const vm = buildViewModel(story, { step: 8 }, v);
  const all = viewToSvg(v, [{ kernel: 'kernel 5.10', map: vm.map }], { palette, selected: 8 });
  for (const s of story.steps) assert.ok(all.includes(`${s.index} ${escapeXml(s.label)}</text>`) || all.includes(`${s.index} ${escapeXml(s.label)}`), `step ${s.index}`);
  for (const l of v.lanes) assert.ok(all.includes(`<title>${escapeXml(l.label)}</title>`), `lane ${l.label}`);
  assert.match(all, /<path class="hl-link" data-state="stale"/);
  assert.match(all, /steps 0–10/);
  const some = viewToSvg(v, [{ kernel: 'kernel 5.10', map: vm.map }], { palette, selected: 8, from: 5, to: 2 });
  assert.match(some, /steps 2–5/);
  assert.ok(some.includes('>2 online k1') || some.includes('2 online k1'));
  assert.ok(!some.includes('>6 '), 'nothing past the range');
  // 300 steps: all of them, not a window around the selection.
  const big = hugeTimeline(300, 3000);
  const bv = buildTimelineView(big);
  const bsvg = viewToSvg(bv, [{ kernel: 'k', map: buildViewModel(big, { step: 0 }, bv).map }], { palette, selected: 0 });
  assert.ok(bsvg.includes('<title>299 step 299</title>'));
  assert.equal((bsvg.match(/<circle /g) ?? []).length, 3000);
  // Compare mode: both maps, the differing mapping flagged.
  const result = { kernels: ['5.10', '6.12'] as const, timelines: [story, loadTimeline('seed-story-6.12')] as const, differences: [] };
  const [a, b] = compareMaps(result, 8)!;
  const cmp = viewToSvg(compareView(result)!.view, [{ kernel: 'kernel 5.10', map: a }, { kernel: 'kernel 6.12', map: b }], { palette, selected: 8 });
  assert.ok(cmp.includes('— kernel 6.12</text>'));
  assert.match(cmp, /≠ db:m_db stale/);
  assert.match(cmp, /data-state="zapped"/);
  assert.deepEqual(exportRange(11, undefined, 99), [0, 10]);
});

test('plain-text export lists steps, outcomes, causes and hazards', () => {
  const text = timelineToText(loadTimeline('seed-story'));
  assert.match(text, /^scenario "fsdax unbind, kmem offline in ZONE_NORMAL vs ZONE_MOVABLE" \(kernel 5\.10\): 4 hazards/);
  assert.match(text, /step 4 offline k0 \(ZONE_NORMAL\) \(line 25\)\n {2}offline k0 -> EBUSY: offline_pages\(\) cannot isolate/);
  assert.match(text, / {4}because line 18: k1 was onlined/);
  assert.match(text, /hazard m_db -> info HAZARD data-exposure/);
  assert.match(text, / {2}CRASHED: Fatal machine check/);
});
