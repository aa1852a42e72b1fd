// Browser harness: builds the webview bundle with the options esbuild.mjs uses, serves it on
// 127.0.0.1 behind the real HTML shell (renderWebviewHtml), and opens pages in the Debian
// chromium with a stubbed acquireVsCodeApi that records what the webview sends.
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderWebviewHtml } from '../../webview/html.js';
import { THEMES, type ThemeName } from './themes.js';

export const CHROMIUM = '/usr/bin/chromium';
export const ROOT = join(import.meta.dirname, '..', '..');
export const OUT = join(ROOT, 'test-output', 'webview');

/** Same entry and options as the webview target of esbuild.mjs, written under test-output/. */
export async function buildBundle(): Promise<string> {
  const outdir = join(OUT, 'dist');
  await esbuild.build({
    entryPoints: { timeline: join(ROOT, 'webview', 'main.ts') }, outdir, bundle: true, platform: 'browser', format: 'iife',
    target: 'es2022', sourcemap: false, logLevel: 'warning', legalComments: 'none',
  });
  return outdir;
}

export interface Served {
  readonly origin: string;
  readonly html: () => string;
  close(): Promise<void>;
}

export async function serve(dist: string): Promise<Served> {
  let origin = '';
  let lastHtml = '';
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/') {
      lastHtml = renderWebviewHtml({ cspSource: origin, nonce: randomBytes(18).toString('base64'), scriptUri: `${origin}/timeline.js`, styleUri: `${origin}/timeline.css` });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(lastHtml);
    } else if (path === '/timeline.js' || path === '/timeline.css') {
      const type = path.endsWith('.js') ? 'text/javascript' : 'text/css';
      res.writeHead(200, { 'content-type': type }).end(readFileSync(join(dist, path.slice(1))));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return { origin, html: () => lastHtml, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Runs before any page script: the acquireVsCodeApi stub (records postMessage and setState in
 * window.__hl), the theme's CSS variables and body class as VS Code sets them, and recorders for
 * alert() and CSP violations. Plain JS text: tsx would add helpers to a serialized function.
 */
function initScript(arg: { vars: Record<string, string>; bodyClass: string; saved: unknown }): string {
  return `(() => {
    const arg = ${JSON.stringify(arg)};
    const hl = { posted: [], state: arg.saved, alerts: [], violations: [] };
    window.__hl = hl;
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => { hl.posted.push(JSON.parse(JSON.stringify(m))); },
      getState: () => hl.state,
      setState: (s) => { hl.state = JSON.parse(JSON.stringify(s)); },
    });
    window.alert = (m) => { hl.alerts.push(m); };
    document.addEventListener('securitypolicyviolation', (e) => { hl.violations.push(e.violatedDirective + ' ' + e.blockedURI); });
    // VS Code sets these before any script runs; at init time <html> may not exist yet.
    const apply = () => {
      const html = document.documentElement;
      if (html && !html.dataset.hlTheme) { html.dataset.hlTheme = '1'; for (const [k, v] of Object.entries(arg.vars)) html.style.setProperty(k, v); }
      if (document.body && document.body.className !== arg.bodyClass) document.body.className = arg.bodyClass;
      return !!(html && document.body);
    };
    if (!apply()) new MutationObserver((_, o) => { if (apply()) o.disconnect(); }).observe(document, { childList: true, subtree: true });
  })();`;
}

export async function openPage(browser: Browser, served: Served, theme: ThemeName = 'dark', saved: unknown = undefined): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, reducedMotion: 'reduce' });
  page.setDefaultTimeout(10_000);
  await page.addInitScript({ content: initScript({ vars: THEMES[theme].vars, bodyClass: THEMES[theme].bodyClass, saved: saved ?? null }) });
  await page.goto(`${served.origin}/`);
  await page.waitForFunction(() => (window as unknown as { __hl: { posted: { type: string }[] } }).__hl.posted.some((m) => m.type === 'ready'));
  return page;
}

export async function post(page: Page, message: unknown): Promise<void> {
  await page.evaluate((m) => window.postMessage(m, '*'), message);
}

export async function posted(page: Page): Promise<{ type: string; [k: string]: unknown }[]> {
  return page.evaluate(() => (window as unknown as { __hl: { posted: { type: string }[] } }).__hl.posted);
}

/** Waits until the webview has sent a message with all the fields of `want`, and returns it. */
export async function waitForPosted(page: Page, want: Record<string, unknown>): Promise<{ type: string; [k: string]: unknown }> {
  const handle = await page.waitForFunction((w) => {
    const all = (window as unknown as { __hl: { posted: Record<string, unknown>[] } }).__hl.posted;
    return all.find((m) => Object.keys(w).every((k) => m[k] === w[k]));
  }, want);
  return (await handle.jsonValue()) as { type: string };
}
