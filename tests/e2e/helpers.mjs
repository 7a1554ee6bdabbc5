// Shared helpers for the end-to-end tests: launch Debian's Chromium through playwright-core,
// open a page that records console errors and requests leaving 127.0.0.1, read canvas ink, and
// wait for the calculator's fit. Not a test file (no `.test.` in its name).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { startServer, distDir } from './server.mjs';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Generous limits: the release wasm may be a few MB and the machine has 2 cores. */
export const PAGE_LOAD_MS = 30_000;
export const FIT_MS = 30_000;

/** Launch Chromium. No --user-data-dir: playwright already uses a fresh profile (and rejects it). */
export async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: apt-get install -y --no-install-recommends chromium`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

function isLocal(url) {
  if (url.startsWith('data:') || url.startsWith('blob:') || url.startsWith('about:')) return true;
  try {
    return new URL(url).hostname === '127.0.0.1';
  } catch {
    return false;
  }
}

/**
 * Open `url` in a fresh browser context.
 * @returns {Promise<{context, page, errors: string[], outside: string[], close: () => Promise<void>}>}
 *   errors: console errors and uncaught page errors; outside: every request (and websocket)
 *   whose URL is not on 127.0.0.1 (data: and blob: URLs are fine).
 */
export async function openPage(browser, url, { timeout = PAGE_LOAD_MS } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  const outside = [];
  context.on('request', (req) => {
    if (!isLocal(req.url())) outside.push(`${req.method()} ${req.url()}`);
  });
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      errors.push(`console.error: ${msg.text()}${loc?.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.stack || err.message || err}`));
  page.on('crash', () => errors.push('page crashed'));
  page.on('websocket', (ws) => {
    if (!isLocal(ws.url())) outside.push(`WEBSOCKET ${ws.url()}`);
  });
  page.setDefaultTimeout(FIT_MS);
  try {
    await page.goto(url, { waitUntil: 'load', timeout });
  } catch (e) {
    await context.close().catch(() => {});
    throw e;
  }
  return { context, page, errors, outside, close: () => context.close() };
}

/** Assert that the page logged no errors and made no request off 127.0.0.1. */
export function assertClean({ errors, outside }) {
  assert.deepEqual(errors, [], `console or page errors:\n${errors.join('\n')}`);
  assert.deepEqual(outside, [], `requests that left 127.0.0.1:\n${outside.join('\n')}`);
}

/**
 * Count the pixels of the canvas with alpha > 0 (a blank canvas reads as transparent black).
 * Copies the canvas onto a scratch 2D canvas first, so it works whatever context the page uses.
 */
export async function canvasInk(page, selector) {
  return page.$eval(selector, (canvas) => {
    const w = canvas.width;
    const h = canvas.height;
    if (!w || !h) return 0;
    const scratch = document.createElement('canvas');
    scratch.width = w;
    scratch.height = h;
    const ctx = scratch.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(canvas, 0, 0);
    const data = ctx.getImageData(0, 0, w, h).data;
    let ink = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) ink++;
    return ink;
  });
}

/** Poll until the canvas has more than `min` inked pixels; returns the count (or the last seen). */
export async function waitForInk(page, selector, min = 1000, timeout = FIT_MS) {
  const deadline = Date.now() + timeout;
  let ink = 0;
  for (;;) {
    ink = await canvasInk(page, selector);
    if (ink > min || Date.now() > deadline) return ink;
    await page.waitForTimeout(100);
  }
}

/**
 * Wait until `[data-testid=fit-status]` has settled, with data-state in `states` (default
 * `ok`, `error` or `none`: nothing to fit), and return the state.
 */
export async function waitForFit(page, { states = ['ok', 'error', 'none'], timeout = FIT_MS } = {}) {
  const handle = await page.waitForFunction(
    (want) => {
      const el = document.querySelector('[data-testid=fit-status]');
      const s = el && el.getAttribute('data-state');
      return want.includes(s) ? s : false;
    },
    states,
    { timeout, polling: 50 },
  );
  return handle.jsonValue();
}

/** The `data-value` attribute of `[data-testid=ID]` as a string (null if absent). */
export async function dataValue(page, testid) {
  return page.evaluate((id) => {
    const el = document.querySelector(`[data-testid="${id}"]`);
    return el ? el.getAttribute('data-value') : null;
  }, testid);
}

/** The `data-value` of `[data-testid=ID]` parsed as a number (NaN if absent or unparsable). */
export async function numberValue(page, testid) {
  const v = await dataValue(page, testid);
  return v === null || v.trim() === '' ? NaN : Number(v);
}

/** Wait until `[data-testid=ID]`'s data-value is present and differs from `old`; returns it. */
export async function waitForValueChange(page, testid, old, timeout = FIT_MS) {
  const handle = await page.waitForFunction(
    ([id, prev]) => {
      const el = document.querySelector(`[data-testid="${id}"]`);
      const v = el && el.getAttribute('data-value');
      return v !== null && v !== '' && v !== prev ? v : false;
    },
    [testid, old],
    { timeout, polling: 50 },
  );
  return handle.jsonValue();
}

/**
 * Replace the data text as a paste would: fill (fires `input`) then fire `change`, so the page
 * refits whichever of the two events it listens to.
 */
/**
 * The share link of what the page shows now. The page deflates its state when next idle
 * (`data-pending` is true until then): wait for that, then read the link.
 */
export async function shareLink(page, timeout = FIT_MS) {
  const box = page.locator('[data-testid=share-link][data-pending=false]');
  await box.waitFor({ state: 'attached', timeout });
  return box.inputValue();
}

export async function setData(page, text) {
  const box = page.locator('[data-testid=data-input]');
  await box.fill(text);
  await box.dispatchEvent('change');
}

/** Select `value` in `[data-testid=ID]` unless it is already selected. */
export async function ensureSelected(page, testid, value) {
  const sel = page.locator(`[data-testid=${testid}]`);
  if ((await sel.inputValue()) !== value) await sel.selectOption(value);
}

/** Assert |actual - expected| <= tol with a readable message. */
export function assertNear(actual, expected, tol, what) {
  assert.ok(
    Number.isFinite(actual) && Math.abs(actual - expected) <= tol,
    `${what}: got ${actual}, want ${expected} ± ${tol}`,
  );
}

/**
 * One server (the release build under /app/) and one browser for a test file: registers the
 * before/after hooks and returns { server, browser, withApp }. `withApp(search, body)` opens
 * `search` (e.g. `?preset=x`) in a fresh context, runs `body`, and asserts a clean console and
 * no outside requests.
 */
export function useApp() {
  const app = {
    server: null,
    browser: null,
    async withApp(search, body) {
      const session = await openPage(app.browser, app.server.url + search);
      try {
        await body(session);
        assertClean(session);
      } finally {
        await session.close();
      }
    },
  };
  before(async () => {
    const index = path.join(distDir(), 'index.html');
    if (!fs.existsSync(index)) {
      throw new Error(
        `${index} is missing: build the page first with \`trunk build --release\` ` +
          '(or point env DIST at a built folder).',
      );
    }
    app.server = await startServer();
    app.browser = await launchBrowser();
  });
  after(async () => {
    await app.browser?.close();
    await app.server?.close();
  });
  return app;
}

/** `rows` rows of L = 1.8 + 500 N^-0.32 with ±0.3 % deterministic noise, N log-spaced 1e6..1e11
 * (the 10,000-row paste of the tests and the page benchmark). */
export function bigData(rows = 10_000) {
  let seed = 12345;
  const lines = ['N,L'];
  for (let i = 0; i < rows; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const noise = 1 + 0.006 * (seed / 2 ** 32 - 0.5);
    const n = 10 ** (6 + (5 * i) / (rows - 1));
    lines.push(`${n.toPrecision(6)},${((1.8 + 500 * n ** -0.32) * noise).toPrecision(6)}`);
  }
  return `${lines.join('\n')}\n`;
}
