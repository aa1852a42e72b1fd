// Webview timings in headless Debian Chromium: first render (postMessage of the packed timeline,
// as the extension sends it → decoded, checked, drawn, inside the page; handing the string to the
// page over CDP is not the webview's cost) and one step change (keydown → handler → style and
// layout flushed). `pack` is the language server worker's share (packTimeline, in Node; the extension host forwards the string). Prints JSON per
// event count.
// Run with tsx (it reuses the browser test harness, which finds files via import.meta.dirname).

import { existsSync } from 'node:fs';
import { buildBundle, CHROMIUM, launch, openPage, serve } from '../test/webview/harness.js';
import { hugeTimeline } from '../test/webview/fixtures.js';
import { packTimeline } from '../language-server/protocol/packedTimeline.js';
import { analyze } from '../language-server/core/index.js';
import { generateScenario } from './generate.js';

const uri = 'file:///bench/huge.hotplug';

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) { process.stdout.write(JSON.stringify({ skipped: `${CHROMIUM} missing` })); return; }
  // "100000": the synthetic timeline of that many events (50 a step, shared states);
  // "lines:100000": the simulator's timeline of the generated scenario of that many lines.
  const counts = process.argv.slice(2);
  const runs = 5;
  const served = await serve(await buildBundle());
  const browser = await launch();
  const out: Record<string, { first: number[]; clone: number[]; step: number[]; pack: number[]; bytes: number; events: number; steps: number }> = {};
  try {
    for (const arg of counts) {
      const timeline = arg.startsWith('lines:')
        ? analyze(generateScenario(Number(arg.slice(6)))).timeline!
        : hugeTimeline(Math.max(2, Math.round(Number(arg) / 50)), Number(arg));
      const steps = timeline.steps.length;
      const events = timeline.steps.reduce((n, st) => n + st.events.length, 0);
      const r = { first: [] as number[], clone: [] as number[], step: [] as number[], pack: [] as number[], bytes: 0, events, steps };
      let packed = '';
      for (let run = 0; run < runs; run++) {
        const t0 = performance.now();
        packed = packTimeline(timeline);
        r.pack.push(performance.now() - t0);
      }
      r.bytes = packed.length;
      for (let run = 0; run < runs; run++) {
        const page = await openPage(browser, served);
        await page.evaluate((j) => { (window as unknown as { __t: unknown }).__t = j; }, packed);
        // A string, not a function: tsx would wrap a serialized arrow's inner names in __name().
        r.first.push((await page.evaluate(`new Promise((resolve) => {
          const slider = document.getElementById('hl-slider');
          const t0 = performance.now();
          window.postMessage({ type: 'packedTimeline', uri: ${JSON.stringify(uri)}, version: 1, packed: window.__t, stale: false }, '*');
          const poll = () => {
            if (slider && slider.getAttribute('max') === '${steps - 1}') { void document.body.offsetHeight; resolve(performance.now() - t0); }
            else setTimeout(poll, 0);
          };
          setTimeout(poll, 0);
        })`)) as number);
        // What the message transport alone costs: the structured clone postMessage makes.
        r.clone.push((await page.evaluate(`(() => { const t0 = performance.now(); structuredClone({ type: 'packedTimeline', packed: window.__t }); return performance.now() - t0; })()`)) as number);
        r.step.push(...((await page.evaluate(`(() => {
          const times = [];
          for (let i = 0; i < 40; i++) {
            const t0 = performance.now();
            document.dispatchEvent(new KeyboardEvent('keydown', { key: i % 2 ? 'ArrowLeft' : 'ArrowRight', bubbles: true }));
            void document.body.offsetHeight;
            times.push(performance.now() - t0);
          }
          return times;
        })()`)) as number[]));
        await page.close();
      }
      out[arg] = r;
    }
  } finally {
    await browser.close();
    await served.close();
  }
  process.stdout.write(JSON.stringify(out));
}

void main();
