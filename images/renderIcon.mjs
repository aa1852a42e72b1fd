// Rasterizes images/icon.svg to images/icon.png (128×128, what the Marketplace and VS Code show)
// with Debian's Chromium through playwright-core. Run after editing the SVG and commit both:
//   node images/renderIcon.mjs
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const svg = fileURLToPath(new URL('icon.svg', import.meta.url));
const png = fileURLToPath(new URL('icon.png', import.meta.url));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(`<html><body style="margin:0;background:transparent">${readFileSync(svg, 'utf8')}</body></html>`);
  await page.locator('svg').screenshot({ path: png, omitBackground: true });
} finally {
  await browser.close();
}
console.log(`wrote ${png}`);
