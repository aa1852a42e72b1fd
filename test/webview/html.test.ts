// The HTML shell: strict CSP, nonce'd script, no inline handlers, escaped URIs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentSecurityPolicy, renderWebviewHtml } from '../../webview/html.js';
import { escapeXml, viewToSvg } from '../../webview/svgExport.js';
import { timelineToText } from '../../webview/textExport.js';
import { buildTimelineView, buildViewModel } from '../../webview/viewModel.js';
import { TOKENS } from '../../webview/palette.js';
import { HOSTILE, hostileTimeline, loadTimeline } from './fixtures.js';

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
  const svg = viewToSvg(v, vm.map, { palette, selected: 6, from: 0, to: 10 });
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assert.ok(!svg.includes(HOSTILE) && !svg.includes('<script>'), 'no raw HTML from the scenario');
  assert.ok(svg.includes(escapeXml(HOSTILE)));
  assert.equal((svg.match(/<svg/g) ?? []).length, 1);
});

test('plain-text export lists steps, outcomes, causes and hazards', () => {
  const text = timelineToText(loadTimeline('seed-story'));
  assert.match(text, /^scenario "fsdax unbind, kmem offline in ZONE_NORMAL vs ZONE_MOVABLE" \(kernel 5\.10\): 4 hazards/);
  assert.match(text, /step 4 offline k0 \(ZONE_NORMAL\) \(line 25\)\n {2}offline k0 -> EBUSY: offline_pages\(\) cannot isolate/);
  assert.match(text, / {4}because line 18: k1 was onlined/);
  assert.match(text, /hazard m_db -> info HAZARD data-exposure/);
  assert.match(text, / {2}CRASHED: Fatal machine check/);
});
