// The built webview in headless Chromium (Debian package), fed golden timelines through
// window.postMessage with a stubbed acquireVsCodeApi. Skipped only when /usr/bin/chromium is
// absent (CI installs it: `apt-get install -y chromium`).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildBundle, CHROMIUM, launch, openPage, OUT, post, posted, serve, waitForPosted, type Served } from './harness.js';
import { HOSTILE, hostileTimeline, hugeTimeline, loadTimeline } from './fixtures.js';
import { packTimeline } from '../../language-server/protocol/packedTimeline.js';
import { THEMES } from './themes.js';

const uri = 'file:///work/seed.hotplug';
const story = loadTimeline('seed-story');
const push = (version: number, timeline: unknown = story, stale = false) => ({ type: 'timeline', uri, version, timeline, stale });
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is absent: install the Debian package (apt-get install -y chromium) to run the browser tests`;
if (skip) console.log(`# SKIP browser tests: ${skip}`);

describe('timeline webview in Chromium', { skip }, () => {
  let browser: Browser;
  let served: Served;
  let page: Page;

  before(async () => {
    mkdirSync(OUT, { recursive: true });
    served = await serve(await buildBundle());
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await served?.close();
  });

  const text = (p: Page, sel: string) => p.locator(sel).first().textContent();
  type Link = { lane: number; map: number; state: string; from: { x: number; y: number }; to: { x: number; y: number } };
  const drawnLinks = async (p: Page) => JSON.parse((await p.locator('#hl-link-canvas').getAttribute('data-links')) ?? '[]') as Link[];
  /** The colour in the middle of a drawn mapping line (the curve's midpoint is the chord's). */
  const linkPixel = (p: Page, l: Link) => p.evaluate((l) => {
    const c = document.getElementById('hl-link-canvas') as HTMLCanvasElement;
    const r = window.devicePixelRatio || 1;
    const d = c.getContext('2d')!.getImageData(Math.round(((l.from.x + l.to.x) / 2) * r), Math.round(((l.from.y + l.to.y) / 2) * r), 1, 1).data;
    return [d[0], d[1], d[2]];
  }, l);
  const waitTitle = (p: Page, title: string) => p.waitForFunction((t) => document.getElementById('hl-title')?.textContent === t, title);

  test('renders the seed story: title, verdict, slider, address map and lanes', async () => {
    page = await openPage(browser, served, 'dark');
    await post(page, push(1));
    await waitTitle(page, story.title);
    assert.equal(await page.locator('#hl-slider').getAttribute('max'), '10');
    assert.equal(await text(page, '.hl-verdict'), '4 hazards, 1 failed operation, crashed');
    const sizes = await page.evaluate(() => Array.from(document.querySelectorAll('canvas')).map((c) => c.width * c.height));
    assert.ok(sizes.every((s) => s > 10_000), 'both canvases drawn');
    assert.equal(await page.locator('vscode-button').count(), 11);
    // A narrower panel: the canvases are redrawn to the new width (ResizeObserver), lines follow.
    const mapWidth = () => page.evaluate(() => (document.getElementById('hl-map-canvas') as HTMLCanvasElement).getBoundingClientRect().width);
    const wide = await mapWidth();
    await page.setViewportSize({ width: 800, height: 1000 });
    await page.waitForFunction((w) => (document.getElementById('hl-map-canvas') as HTMLCanvasElement).getBoundingClientRect().width < w - 100, wide);
    const narrow = await page.evaluate(() => ({ map: document.getElementById('hl-map-canvas')!.getBoundingClientRect().width, section: document.querySelector('.hl-map')!.clientWidth, lanes: (document.getElementById('hl-lane-canvas') as HTMLCanvasElement).getBoundingClientRect().width, box: document.querySelector('.hl-lane-scroller')!.clientWidth }));
    assert.equal(Math.round(narrow.map), narrow.section);
    assert.equal(Math.round(narrow.lanes), narrow.box);
    await page.close();
  });

  test('keyboard: arrows step, Home/End jump; each selection is sent and announced', async () => {
    page = await openPage(browser, served);
    await post(page, push(1));
    await waitTitle(page, story.title);
    await page.locator('body').focus();
    await page.keyboard.press('End');
    await waitForPosted(page, { type: 'stepSelected', step: 10 });
    await page.keyboard.press('ArrowLeft');
    await waitForPosted(page, { type: 'stepSelected', step: 9 });
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await waitForPosted(page, { type: 'stepSelected', step: 4 });
    const steps = (await posted(page)).filter((m) => m.type === 'stepSelected').map((m) => m.step);
    assert.deepEqual(steps, [10, 9, 0, 1, 2, 3, 4]);
    assert.ok((await posted(page)).every((m) => m.type !== 'stepSelected' || m.uri === uri));
    assert.equal(await text(page, '#hl-live'), 'Step 4 of 10: offline k0 (ZONE_NORMAL). offline EBUSY.');
    assert.equal(await page.locator('#hl-slider').inputValue(), '4');
    assert.match((await text(page, '#hl-details-title'))!, /^Step 4: offline k0/);
    // The "why" of the ZONE_NORMAL offline failure is on screen without hovering.
    const why = (await text(page, '.hl-why'))!;
    assert.match(why, /^offline k0 → EBUSY \(line 26\)/);
    assert.match(why, /because:\n {2}line 18: k1 was onlined while k0 was the only kernel zone: its memmap lives in k0/);
    await page.close();
  });

  test('keyboard in the lanes: arrows reach every state and event of the step, the cause chain is announced, Enter reveals', async () => {
    page = await openPage(browser, served);
    await post(page, push(1));
    await waitTitle(page, story.title);
    await post(page, { type: 'selectStep', uri, step: 4 });
    await page.waitForFunction(() => (document.getElementById('hl-slider') as HTMLInputElement).value === '4');
    // Tab reaches the lanes (after the toolbar and the map): no mouse involved.
    for (let i = 0; i < 40 && !(await page.evaluate(() => document.activeElement?.classList.contains('hl-lane-scroller'))); i++) await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-roledescription')), 'timeline lanes');
    const live = () => text(page, '#hl-cursor-live');
    await page.keyboard.press('ArrowDown');
    assert.equal(await live(), 'machine after step 4: running');
    let said = '';
    for (let i = 0; i < 20 && !said.includes('EBUSY'); i++) { await page.keyboard.press('ArrowDown'); said = (await live())!; }
    assert.match(said, /^k0 · memory160\.\.191, step 4: offline k0 → EBUSY \(line 26\)/);
    assert.match(said, /because:\n {2}line 18: k1 was onlined while k0 was the only kernel zone/);
    // The hover's tooltip shows the same text, next to the mark.
    assert.equal(await page.locator('#hl-tooltip').isVisible(), true);
    assert.equal(await text(page, '#hl-tooltip'), said);
    await page.keyboard.press('Enter');
    const ev = story.steps[4]!.events[0]!;
    await waitForPosted(page, { type: 'reveal', line: ev.line, start: ev.span.start });
    await page.screenshot({ path: join(OUT, 'keyboard-cursor-dark.png') });
    // Right: the next step, the cursor stays on k0's lane.
    await page.keyboard.press('ArrowRight');
    await waitForPosted(page, { type: 'stepSelected', step: 5 });
    await page.waitForFunction(() => document.getElementById('hl-cursor-live')!.textContent!.startsWith('k0 · memory160..191 after step 5'));
    await page.keyboard.press('Escape');
    assert.equal(await live(), '');
    assert.equal(await page.locator('#hl-tooltip').isVisible(), false);
    await page.close();
  });

  test('buttons and slider select steps; selectStep from the editor does not echo back', async () => {
    page = await openPage(browser, served);
    await post(page, push(1));
    await waitTitle(page, story.title);
    await page.locator('#hl-next').click();
    await waitForPosted(page, { type: 'stepSelected', step: 1 });
    await page.locator('#hl-last').click();
    await waitForPosted(page, { type: 'stepSelected', step: 10 });
    await page.locator('#hl-slider').fill('6');
    await waitForPosted(page, { type: 'stepSelected', step: 6 });
    const before = (await posted(page)).length;
    await post(page, { type: 'selectStep', uri, step: 2 });
    await page.waitForFunction(() => (document.getElementById('hl-slider') as HTMLInputElement).value === '2');
    assert.equal((await posted(page)).length, before, 'no stepSelected echo for an editor-driven selection');
    await page.close();
  });

  test('clicking an event reveals its statement; clicking a lane cell selects the step', async () => {
    page = await openPage(browser, served);
    await post(page, push(1));
    await waitTitle(page, story.title);
    await post(page, { type: 'selectStep', uri, step: 4 });
    await page.locator('.hl-event').first().click();
    const reveal = await waitForPosted(page, { type: 'reveal' });
    const ev = story.steps[4]!.events[0]!;
    assert.deepEqual(reveal, { type: 'reveal', uri, line: ev.line, start: ev.span.start, length: ev.span.length });
    // Canvas: the mark of step 6 (unbind k0, burned-range) sits at the right of its cell in lane k0.
    await page.evaluate(() => { const s = document.querySelector('.hl-lane-scroller')!; s.scrollLeft = 0; s.scrollTop = 0; });
    const box = (await page.locator('.hl-lane-scroller').boundingBox())!;
    const zoom = Number(await page.locator('.hl-lane-scroller').getAttribute('data-column-width'));
    const label = 170, header = 30, row = 26;
    await page.mouse.click(box.x + label + 6 * zoom + zoom - 12, box.y + header + 5 * row + row / 2);
    const unbind = story.steps[6]!.events[0]!;
    await waitForPosted(page, { type: 'reveal', line: unbind.line });
    await waitForPosted(page, { type: 'stepSelected', step: 6 });
    await page.mouse.click(box.x + label + 2 * zoom + 20, box.y + header + 1 * row + 5);
    await waitForPosted(page, { type: 'stepSelected', step: 2 });
    await page.close();
  });

  test(`a scenario titled ${HOSTILE} runs no script and shows names as text`, async () => {
    page = await openPage(browser, served);
    const dialogs: string[] = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    await post(page, push(1, hostileTimeline()));
    await waitTitle(page, HOSTILE);
    for (let s = 0; s <= 10; s++) await post(page, { type: 'selectStep', uri, step: s });
    await page.waitForFunction(() => (document.getElementById('hl-slider') as HTMLInputElement).value === '10');
    assert.equal(await page.locator('img').count(), 0);
    assert.equal(await page.locator('script').count(), 1, 'only the bundle');
    assert.deepEqual(dialogs, []);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __hl: { alerts: unknown[] } }).__hl.alerts), []);
    const state = await page.locator('#hl-state-list').textContent();
    assert.ok(state!.includes(`${HOSTILE}k0`), 'device name shown literally');
    // The same through the packed transport the extension uses.
    await post(page, { type: 'packedTimeline', uri, version: 2, packed: packTimeline({ ...hostileTimeline(), title: `${HOSTILE} packed` }), stale: false });
    await waitTitle(page, `${HOSTILE} packed`);
    await page.locator('#hl-export-svg').click();
    await waitForPosted(page, { type: 'export', format: 'svg' });
    assert.equal(await page.locator('img').count(), 0);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __hl: { alerts: unknown[] } }).__hl.alerts), []);
    await page.close();
  });

  test('no request leaves 127.0.0.1, and nothing violates the CSP', async () => {
    const urls: string[] = [];
    page = await openPage(browser, served);
    page.on('request', (r) => urls.push(r.url()));
    await page.reload();
    await page.waitForFunction(() => (window as unknown as { __hl: { posted: { type: string }[] } }).__hl.posted.some((m) => m.type === 'ready'));
    await post(page, push(1));
    await waitTitle(page, story.title);
    await page.locator('#hl-export-png').click();
    await waitForPosted(page, { type: 'export', format: 'png' });
    const remote = urls.filter((u) => !u.startsWith(`${served.origin}/`) && !u.startsWith('data:'));
    assert.deepEqual(remote, []);
    assert.ok(urls.length >= 3, 'page, script and style were requested');
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __hl: { violations: string[] } }).__hl.violations), []);
    await page.close();
  });

  test('the served HTML carries a strict CSP', async () => {
    const res = await fetch(`${served.origin}/`);
    const html = await res.text();
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.ok(csp);
    const directives = new Map(csp!.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.equal(directives.get('script-src')!.length, 1);
    assert.match(directives.get('script-src')![0]!, /^'nonce-[A-Za-z0-9+/=]{16,}'$/);
    assert.deepEqual(directives.get('style-src'), [served.origin]);
    assert.deepEqual(directives.get('img-src'), [served.origin, 'data:']);
    assert.deepEqual(directives.get('font-src'), [served.origin]);
    const nonce = directives.get('script-src')![0]!.slice(7, -1);
    assert.ok(html.includes(`<script nonce="${nonce}" src=`));
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i);
  });

  test('stale and older versions: last good timeline stays, older push ignored, bad message logged', async () => {
    page = await openPage(browser, served);
    await post(page, push(3));
    await waitTitle(page, story.title);
    assert.equal(await page.locator('.hl-stale').isHidden(), true);
    await post(page, push(2, { ...story, title: 'older' }));
    await post(page, { type: 'timeline', uri, version: 4, timeline: null, stale: false });
    await page.waitForFunction(() => !document.querySelector<HTMLElement>('.hl-stale')!.hidden);
    assert.equal(await text(page, '#hl-title'), story.title);
    await post(page, { type: 'timeline', uri, version: 5, timeline: { schema: 1, title: 1 }, stale: false });
    await page.waitForFunction(() => (window as unknown as { __hl: { posted: { type: string; message?: string }[] } }).__hl.posted.some((m) => m.type === 'log' && /title/.test(m.message ?? '')));
    assert.ok((await posted(page)).some((m) => m.type === 'log' && /dropped timeline v2/.test(String(m.message))));
    // Another document that cannot be simulated: nothing of the previous one stays on screen.
    await post(page, { type: 'timeline', uri: 'file:///work/broken.hotplug', version: 1, timeline: null, stale: false });
    await page.waitForFunction(() => document.getElementById('app')!.classList.contains('hl-no-timeline'));
    assert.equal(await page.locator('.hl-lanes').isVisible(), false);
    assert.match((await text(page, '.placeholder'))!, /cannot be simulated/);
    await page.close();
  });

  test('exports: SVG, PNG, JSON and text', async () => {
    page = await openPage(browser, served);
    await post(page, push(1));
    await waitTitle(page, story.title);
    for (const f of ['svg', 'png', 'json', 'text']) await page.locator(`#hl-export-${f}`).click();
    const exp = await page.waitForFunction(() => {
      const got = (window as unknown as { __hl: { posted: { type: string; format?: string; data?: string }[] } }).__hl.posted.filter((m) => m.type === 'export');
      return got.length === 4 ? got : null;
    });
    const byFormat = new Map(((await exp.jsonValue()) as { format: string; data: string }[]).map((m) => [m.format, m.data]));
    assert.match(byFormat.get('svg')!, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(byFormat.get('png')!, /^data:image\/png;base64,/);
    assert.deepEqual(JSON.parse(byFormat.get('json')!), story);
    assert.match(byFormat.get('text')!, /^scenario "fsdax unbind/);
    // The SVG covers the whole timeline; the range fields narrow it.
    assert.match(byFormat.get('svg')!, /steps 0–10/);
    writeFileSync(join(OUT, 'export-all.svg'), byFormat.get('svg')!);
    await page.locator('#hl-export-from').fill('2');
    await page.locator('#hl-export-to').fill('5');
    await page.locator('#hl-export-svg').click();
    const ranged = await page.waitForFunction(() => (window as unknown as { __hl: { posted: { type: string; format?: string; data?: string }[] } }).__hl.posted.filter((m) => m.format === 'svg')[1]?.data);
    const svg = (await ranged.jsonValue()) as string;
    assert.match(svg, /steps 2–5/);
    assert.ok(!svg.includes('<title>6 '), 'nothing past step 5');
    assert.equal(await page.locator('#hl-slider').inputValue(), '0', 'typing in the range fields does not step');
    await page.close();
  });

  test('state survives a reload: selected step, zoom and scroll come back', async () => {
    page = await openPage(browser, served);
    await post(page, push(1));
    await waitTitle(page, story.title);
    await post(page, { type: 'selectStep', uri, step: 7 });
    await page.locator('#hl-zoom-in').click();
    await page.waitForFunction(() => (window as unknown as { __hl: { state: { zoom: number } } }).__hl.state.zoom === 120);
    const saved = await page.evaluate(() => (window as unknown as { __hl: { state: unknown } }).__hl.state);
    await page.close();
    page = await openPage(browser, served, 'dark', saved);
    await post(page, push(2));
    await waitTitle(page, story.title);
    assert.equal(await page.locator('#hl-slider').inputValue(), '7');
    assert.equal(await page.evaluate(() => (window as unknown as { __hl: { state: { zoom: number } } }).__hl.state.zoom), 120);
    await page.close();
  });

  test('compare mode: paired lanes and the differing outcomes listed', async () => {
    page = await openPage(browser, served);
    await post(page, push(1));
    await waitTitle(page, story.title);
    await post(page, { type: 'compare', uri, result: { kernels: ['5.10', '6.12'], timelines: [story, loadTimeline('seed-story-6.12')], differences: [] } });
    await page.waitForFunction(() => document.querySelector('.hl-differences h3')?.textContent === 'Differences: 5.10 vs 6.12');
    const diffs = await page.locator('.hl-differences li').allTextContents();
    assert.ok(diffs.includes('step 8 mapping m_db: 5.10 stale / 6.12 zapped'));
    await post(page, { type: 'selectStep', uri, step: 8 });
    await page.waitForFunction(() => (document.getElementById('hl-slider') as HTMLInputElement).value === '8');
    // Both kernels' maps, the differing mapping flagged on each; each kernel's mapping lane links to its own map.
    assert.equal(await page.locator('#hl-map-canvas-b').isVisible(), true);
    assert.match((await text(page, '#hl-map-title'))!, /— kernel 5\.10$/);
    assert.match((await text(page, '#hl-map-title-b'))!, /— kernel 6\.12$/);
    // Both kernels' states, each under its kernel: the stale and the zapped mapping.
    assert.equal(await text(page, '#hl-state-title'), 'State after this step — kernel 5.10');
    assert.equal(await text(page, '#hl-state-title-b'), 'State after this step — kernel 6.12');
    assert.ok((await page.locator('ul[aria-labelledby="hl-state-title"] li').allTextContents()).some((t) => /mapping db:m_db .*: stale$/.test(t)));
    assert.ok((await page.locator('ul[aria-labelledby="hl-state-title-b"] li').allTextContents()).some((t) => /mapping db:m_db .*: zapped$/.test(t)));
    assert.match((await page.locator('#hl-map-canvas').getAttribute('aria-label'))!, /differs: db maps m_db .*: stale/);
    assert.match((await page.locator('#hl-map-canvas-b').getAttribute('aria-label'))!, /differs: db maps m_db .*: zapped/);
    const links = await drawnLinks(page);
    assert.deepEqual(links.map((l) => [l.map, l.state]), [[0, 'stale'], [1, 'zapped']]);
    const mapB = (await page.locator('#hl-map-canvas-b').boundingBox())!;
    const picture = (await page.locator('.hl-picture').boundingBox())!;
    assert.ok(links[1]!.to.y > mapB.y - picture.y && links[1]!.to.y < mapB.y - picture.y + mapB.height, 'the 6.12 line ends on the 6.12 map');
    await page.screenshot({ path: join(OUT, 'compare-dark.png'), fullPage: true });
    // Compare off: one map again.
    await page.locator('#hl-compare').click();
    await page.waitForFunction(() => document.getElementById('hl-map-canvas-b')!.hidden);
    assert.equal(await page.locator('#hl-state-title-b').isVisible(), false);
    assert.equal(await text(page, '#hl-state-title'), 'State after this step');
    await page.close();
  });

  test('mapping lines: from the mapping lane to its range on the map, in the colour and line of its state', async () => {
    page = await openPage(browser, served, 'dark');
    await post(page, push(1));
    await waitTitle(page, story.title);
    for (const [step, state, colour] of [[3, 'valid', [0x89, 0xd1, 0x85]], [8, 'stale', [0xf1, 0x4c, 0x4c]]] as const) {
      await post(page, { type: 'selectStep', uri, step });
      await page.waitForFunction((s) => (document.getElementById('hl-slider') as HTMLInputElement).value === String(s), step);
      const links = await drawnLinks(page);
      assert.equal(links.length, 1);
      assert.equal(links[0]!.state, state);
      // The line starts on the m_db lane (the last one) and ends under the mappings row of the map.
      const lanes = (await page.locator('.hl-lane-scroller').boundingBox())!;
      const map = (await page.locator('#hl-map-canvas').boundingBox())!;
      const picture = (await page.locator('.hl-picture').boundingBox())!;
      assert.ok(Math.abs(links[0]!.from.y - (lanes.y - picture.y + 30 + 9 * 26 + 13)) < 2, `from ${JSON.stringify(links[0]!.from)}`);
      assert.ok(links[0]!.to.y > map.y - picture.y && links[0]!.to.y < map.y - picture.y + map.height);
      assert.deepEqual(await linkPixel(page, links[0]!), colour);
    }
    // The PNG export is the picture as on screen, mapping line included.
    const [stale] = await drawnLinks(page);
    await page.locator('#hl-export-png').click();
    const png = (await (await page.waitForFunction(() => (window as unknown as { __hl: { posted: { format?: string; data?: string }[] } }).__hl.posted.find((m) => m.format === 'png')?.data)).jsonValue()) as string;
    const inPng = await page.evaluate(async ({ png, l }) => {
      const img = new Image();
      img.src = png;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const r = window.devicePixelRatio || 1;
      const d = ctx.getImageData(Math.round(((l.from.x + l.to.x) / 2) * r), Math.round(((l.from.y + l.to.y) / 2) * r), 1, 1).data;
      return { size: [img.width, img.height], pixel: [d[0], d[1], d[2]] };
    }, { png, l: stale! });
    const picture = (await page.locator('.hl-picture').boundingBox())!;
    assert.deepEqual(inPng.size, [Math.round(picture.width), Math.round(picture.height)]);
    assert.deepEqual(inPng.pixel, [0xf1, 0x4c, 0x4c]);
    await post(page, { type: 'selectStep', uri, step: 2 });
    await page.waitForFunction(() => (document.getElementById('hl-slider') as HTMLInputElement).value === '2');
    assert.deepEqual(await drawnLinks(page), [], 'no mapping yet, no line');
    await page.close();
  });

  test('100,000 events stay smooth: load, step and scroll within frame budgets', async () => {
    page = await openPage(browser, served);
    // Hand the packed timeline over first (CDP transfer is not the webview's cost), then time
    // postMessage → decoded, checked → view model → drawn, inside the page: what the extension sends.
    await page.evaluate((packed) => { (window as unknown as { __huge: string }).__huge = packed; }, packTimeline(hugeTimeline(2000, 100_000)));
    // A string, not a function: tsx would wrap a serialized arrow's inner names in __name().
    const load = (await page.evaluate(`new Promise((resolve) => {
      const t0 = performance.now();
      window.postMessage({ type: 'packedTimeline', uri: ${JSON.stringify(uri)}, version: 1, packed: window.__huge, stale: false }, '*');
      const poll = () => (document.getElementById('hl-slider').getAttribute('max') === '1999' ? resolve(performance.now() - t0) : requestAnimationFrame(poll));
      requestAnimationFrame(poll);
    })`)) as number;
    const perStep = await page.evaluate(async () => {
      const start = performance.now();
      for (let i = 0; i < 100; i++) document.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
      return (performance.now() - start) / 100;
    });
    const perScroll = await page.evaluate(() => {
      const s = document.querySelector('.hl-lane-scroller')!;
      const start = performance.now();
      for (let i = 0; i < 100; i++) { s.scrollLeft = i * 1500; s.dispatchEvent(new Event('scroll')); }
      return (performance.now() - start) / 100;
    });
    console.log(`# 100k events: load ${load.toFixed(0)} ms, ${perStep.toFixed(1)} ms per step, ${perScroll.toFixed(1)} ms per scroll redraw`);
    // Target 200 ms (docs/performance.md); the budget leaves room for a busy 2-core CI machine.
    // The 70 MB object message this replaced took over 1 s before any webview code ran.
    assert.ok(load < 1000, `load ${load} ms`);
    assert.ok(perStep < 50, `step ${perStep} ms`);
    assert.ok(perScroll < 16, `scroll ${perScroll} ms`);
    assert.equal(await page.locator('#hl-slider').inputValue(), '100');
    await page.screenshot({ path: join(OUT, 'huge-dark.png') });
    await page.close();
  });

  test('live theme switch: light → dark → high contrast while the panel is open re-renders the canvases in the new colours', async () => {
    page = await openPage(browser, served, 'light');
    await post(page, push(1));
    await waitTitle(page, story.title);
    await post(page, { type: 'selectStep', uri, step: 8 });
    await page.waitForFunction(() => (document.getElementById('hl-slider') as HTMLInputElement).value === '8');
    const hex = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
    /** What the canvases show: the lanes' label column (the background) and the stale mapping's line (the error colour). */
    const sample = async () => {
      const [link] = await drawnLinks(page);
      const lanes = await page.evaluate(() => {
        const c = document.getElementById('hl-lane-canvas') as HTMLCanvasElement;
        const d = c.getContext('2d')!.getImageData(4, 40 * (window.devicePixelRatio || 1), 1, 1).data;
        return [d[0], d[1], d[2]];
      });
      return { background: lanes, stale: await linkPixel(page, link!) };
    };
    const expect = (theme: 'light' | 'dark' | 'hc') => ({
      background: hex(THEMES[theme].vars['--vscode-editor-background']!),
      stale: hex(THEMES[theme].vars['--vscode-editorError-foreground']!),
    });
    assert.deepEqual(await sample(), expect('light'));
    await page.screenshot({ path: join(OUT, 'theme-switch-1-light.png'), fullPage: true });
    for (const [from, to] of [['light', 'dark'], ['dark', 'hc']] as const) {
      // What VS Code does on a theme change: new variables on <html>, a new body class.
      await page.evaluate(({ old, next, bodyClass }) => {
        const html = document.documentElement;
        for (const k of Object.keys(old)) html.style.removeProperty(k);
        for (const [k, v] of Object.entries(next)) html.style.setProperty(k, v);
        document.body.className = bodyClass;
      }, { old: THEMES[from].vars, next: THEMES[to].vars, bodyClass: THEMES[to].bodyClass });
      const want = expect(to);
      await page.waitForFunction(async (w) => {
        const c = document.getElementById('hl-lane-canvas') as HTMLCanvasElement;
        const d = c.getContext('2d')!.getImageData(4, 40 * (window.devicePixelRatio || 1), 1, 1).data;
        return d[0] === w[0] && d[1] === w[1] && d[2] === w[2];
      }, want.background);
      assert.deepEqual(await sample(), want, `${to} colours after the switch`);
      await page.screenshot({ path: join(OUT, `theme-switch-${to === 'dark' ? 2 : 3}-${to}.png`), fullPage: true });
    }
    // High contrast: edges use the contrast border, and the DOM (legend) follows the theme too.
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.hl-swatch')!).borderTopColor), 'rgb(111, 195, 223)');
    await page.close();
  });

  test('screenshots: light, dark and high contrast', async () => {
    for (const [theme, step] of [['light', 4], ['dark', 4], ['dark', 10], ['light', 9], ['hc', 7]] as const) {
      page = await openPage(browser, served, theme);
      await post(page, push(1));
      await waitTitle(page, story.title);
      await post(page, { type: 'selectStep', uri, step });
      await page.waitForFunction((s) => (document.getElementById('hl-slider') as HTMLInputElement).value === String(s), step);
      await page.screenshot({ path: join(OUT, `${theme}-step${step}.png`), fullPage: true });
      await page.close();
    }
  });
});
