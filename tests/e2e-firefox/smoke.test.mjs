// An end-to-end smoke journey in Firefox (issue 14, point 11: every other browser test runs in
// Chromium). Headless Firefox ESR driven through geckodriver with the W3C WebDriver protocol
// (./webdriver.mjs, node's own fetch), against the release build served under /app/:
// load, paste (one input event, as a person's paste is), fit, chart inked, the share link opened
// in a fresh Firefox gives the same data and parameters, then the page reloads offline and with
// its server stopped (the service worker serves it).
// Run: node --test tests/e2e-firefox/   (after `trunk build --release`; env DIST=other/folder,
// FIREFOX=/path/to/firefox, GECKODRIVER=/path/to/geckodriver, E2E_FIREFOX_LOG=file to keep
// geckodriver's and Firefox's output)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, distDir } from '../e2e/server.mjs';
import { startGeckodriver, Session, firefoxVersion } from './webdriver.mjs';

/** The pasted runs: L = 7 N^-0.12 at 8 sizes, so `power` fits alpha = 0.12, A = 7. */
const NS = ['1e6', '3e6', '1e7', '3e7', '1e8', '3e8', '1e9', '3e9'];
const TEXT = `N,L\n${NS.map((n) => `${n},${(7 * Number(n) ** -0.12).toPrecision(9)}`).join('\n')}\n`;
const WANT = { alpha: 0.12, A: 7 };

let server;
let driver;
/** Where in geckodriver's output this file's pages start (for the console check). */
let logStart = 0;

before(async () => {
  const index = path.join(distDir(), 'index.html');
  if (!fs.existsSync(index)) {
    throw new Error(`${index} is missing: build the page first with \`trunk build --release\``);
  }
  server = await startServer();
  driver = await startGeckodriver();
});

after(async () => {
  if (process.env.E2E_FIREFOX_LOG) fs.writeFileSync(process.env.E2E_FIREFOX_LOG, driver?.log() ?? '');
  await driver?.close();
  await server?.close();
});

// ── in-page helpers (each runs in Firefox: no closures) ─────────────────────────────────────

/** Replace the data text as one paste: one `input` event of type insertFromPaste. */
function paste(text) {
  const el = document.querySelector('[data-testid=data-input]');
  el.focus();
  el.value = text;
  el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste', data: text }));
  return true;
}

/** The fit status when it is settled (`ok` or `error`) and mentions `fragment`, else false. */
function fitSettled(fragment) {
  const el = document.querySelector('[data-testid=fit-status]');
  const state = el && el.getAttribute('data-state');
  if (state !== 'ok' && state !== 'error') return false;
  return !fragment || el.textContent.includes(fragment) ? { state, text: el.textContent.trim() } : false;
}

/** Every `fit-param-*` on the page: {NAME: data-value string}. */
function params() {
  return Object.fromEntries(
    [...document.querySelectorAll('[data-testid^="fit-param-"]')].map((e) => [
      e.getAttribute('data-testid').slice('fit-param-'.length),
      e.getAttribute('data-value'),
    ]),
  );
}

/** The chart canvas's pixels with alpha > 0 (read through a scratch 2D canvas) if more than
 * `min`, else false. */
function inkAbove(selector, min) {
  const canvas = document.querySelector(selector);
  if (!canvas || !canvas.width || !canvas.height) return false;
  const scratch = document.createElement('canvas');
  scratch.width = canvas.width;
  scratch.height = canvas.height;
  const ctx = scratch.getContext('2d', { willReadFrequently: true });
  ctx.drawImage(canvas, 0, 0);
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
  return n > min ? n : false;
}

function valueOf(testid) {
  const el = document.querySelector(`[data-testid="${testid}"]`);
  return el ? el.value : null;
}

/** The service worker's state as the page sees it. */
async function serviceWorker() {
  if (!('serviceWorker' in navigator)) return { supported: false };
  const registrations = await navigator.serviceWorker.getRegistrations();
  return {
    supported: true,
    controlled: !!navigator.serviceWorker.controller,
    registrations: registrations.map((r) => ({
      installing: r.installing?.state,
      waiting: r.waiting?.state,
      active: r.active?.state,
    })),
  };
}

/** What fetching a file that is on no cache gives: a status online, an error offline. */
async function probe() {
  return fetch(`./no-such-file-${Math.random()}`, { cache: 'no-store' }).then(
    (r) => `status ${r.status}`,
    (e) => `error ${e.name}`,
  );
}

/** Wait until the chart has more than `min` inked pixels; returns the count. */
function waitForInk(session, min = 1000) {
  return session.waitFor(`more than ${min} inked pixels on the chart`, inkAbove, ['[data-testid=chart]', min]);
}

/**
 * Assert that no page since `logStart` logged a console error or threw: Firefox prints the
 * page's console to geckodriver's output (pref devtools.console.stdout.content), a Rust panic
 * included (console_error_panic_hook). Firefox's own experiment loader logs one error at start-up
 * when it cannot reach its server (`RSLoader:`, from the browser, not the page): skipped.
 */
async function assertNoPageErrors(t, what) {
  const lines = driver
    .log()
    .slice(logStart)
    .split('\n')
    .filter((l) => /^console\.error:|^JavaScript error: https?:\/\/127\.0\.0\.1/.test(l))
    .filter((l) => !/^console\.error: RSLoader:/.test(l));
  if (lines.length) t.diagnostic(`${what}: console errors:\n${lines.join('\n')}`);
  assert.deepEqual(lines, [], `${what}: no console errors or uncaught errors in the page`);
}

// ── the journey ─────────────────────────────────────────────────────────────────────────────

test('Firefox: load, paste, fit, chart, share link, offline reload', { timeout: 600_000 }, async (t) => {
  t.diagnostic(firefoxVersion());
  let link;
  let want;

  // 1. Load, paste, fit, chart, share link.
  {
    const s = await Session.open(driver);
    t.diagnostic(`${s.capabilities.browserName} ${s.capabilities.browserVersion}, headless`);
    try {
      logStart = driver.log().length;
      await s.goto(server.url);
      const first = await s.waitFor('the first fit', fitSettled, ['']);
      assert.equal(first.state, 'ok', `the default preset fits on load: ${first.text}`);
      const before = await s.exec(params);
      const linkBefore = await s.exec(valueOf, 'share-link');

      await s.exec(paste, TEXT);
      const fit = await s.waitFor('the fit of the 8 pasted points', fitSettled, ['8 points']);
      assert.equal(fit.state, 'ok', `the pasted data fits: ${fit.text}`);
      want = await s.exec(params);
      t.diagnostic(`before ${JSON.stringify(before)}; after the paste ${JSON.stringify(want)}`);
      assert.deepEqual(Object.keys(want).sort(), Object.keys(WANT).sort(), 'the power law parameters');
      assert.ok(Math.abs(Number(want.alpha) - WANT.alpha) <= 1e-6, `alpha: got ${want.alpha}, want ${WANT.alpha} ± 1e-6`);
      assert.ok(Math.abs(Number(want.A) / WANT.A - 1) <= 1e-5, `A: got ${want.A}, want ${WANT.A} (1e-5 relative)`);
      assert.equal(await s.exec(valueOf, 'data-input'), TEXT, 'the box holds the pasted text');

      const inked = await waitForInk(s);
      t.diagnostic(`chart: ${inked} inked pixels`);

      link = await s.waitFor('a share link for the pasted data', (old) => {
        const v = document.querySelector('[data-testid=share-link]')?.value;
        return v && v !== old ? v : false;
      }, [linkBefore]);
      assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/app\/#s=[A-Za-z0-9_-]+$/, `a share link: ${link.slice(0, 120)}`);
      t.diagnostic(`share link: ${link.length} characters`);
      await assertNoPageErrors(t, 'first visit');
    } finally {
      await s.close();
    }
  }

  // 2. The link in a fresh Firefox (a new profile: nothing saved), then offline.
  const s = await Session.open(driver);
  try {
    logStart = driver.log().length;
    await s.goto(link);
    const fit = await s.waitFor('the fit of the shared data', fitSettled, ['8 points']);
    assert.equal(fit.state, 'ok', `the shared page fits: ${fit.text}`);
    assert.equal(await s.exec(valueOf, 'data-input'), TEXT, 'the same data text');
    assert.deepEqual(await s.exec(params), want, 'the same parameters, to the last digit');
    assert.equal(await s.exec(valueOf, 'share-link'), link, 'the opened page links to itself');
    await waitForInk(s);
    await assertNoPageErrors(t, 'shared link');

    // The service worker installs and takes control (reload once if it is active but not yet
    // in control).
    let sw = await s.waitFor('an active service worker', async () => {
      const regs = await navigator.serviceWorker.getRegistrations();
      const controlled = !!navigator.serviceWorker.controller;
      return controlled || regs.some((r) => r.active?.state === 'activated') ? { controlled } : false;
    });
    if (!sw.controlled) {
      t.diagnostic('the service worker is active but not in control: reloading once');
      await reload(s);
      sw = await s.waitFor('the service worker in control', () => !!navigator.serviceWorker.controller);
    }
    t.diagnostic(`service worker: ${JSON.stringify(await s.exec(serviceWorker))}`);
    const cached = await s.exec(async () => {
      const out = [];
      for (const k of await caches.keys()) for (const r of await (await caches.open(k)).keys()) out.push(new URL(r.url).pathname);
      return out.sort();
    });
    t.diagnostic(`cached: ${cached.join(' ')}`);
    assert.ok(cached.some((p) => p.endsWith('.wasm')), `the wasm is cached: ${cached.join(' ')}`);
    assert.equal(await s.exec(probe), 'status 404', 'online, a missing file is a 404 from the server');

    const check = async (what) => {
      const again = await s.waitFor(`${what}: the fit`, fitSettled, ['8 points']);
      assert.equal(again.state, 'ok', `${what}: the page fits: ${again.text}`);
      assert.equal(await s.exec(valueOf, 'data-input'), TEXT, `${what}: the same data text`);
      assert.deepEqual(await s.exec(params), want, `${what}: the same parameters`);
      const n = await waitForInk(s);
      t.diagnostic(`${what}: chart ${n} inked pixels`);
    };

    // a) Firefox offline: every request of this tab and of the service worker to the server
    //    fails as offline (set from the browser's own context; see setOffline).
    await setOffline(s, server.origin, true);
    try {
      assert.match(await s.exec(probe), /^error /, 'offline, the network really is gone');
      logStart = driver.log().length;
      await reload(s);
      await check('offline');
      await assertNoPageErrors(t, 'offline reload');
    } finally {
      await setOffline(s, server.origin, false);
    }
    assert.equal(await s.exec(probe), 'status 404', 'back online');

    // b) The server stopped: nothing answers at all.
    await server.close();
    server = null;
    logStart = driver.log().length;
    await reload(s);
    await check('server stopped');
    await assertNoPageErrors(t, 'offline reloads');
    assert.match(await s.exec(probe), /^error /, 'with the server stopped, the network has nothing');
  } finally {
    await s.close();
  }
});

/**
 * Reload the page as a person does (F5: `location.reload()`, through the service worker) and
 * wait for the new document. WebDriver's own refresh is a hard reload in Firefox
 * (LOAD_FLAGS_BYPASS_CACHE), which bypasses the service worker.
 */
async function reload(session) {
  await session.exec(() => {
    window.__beforeReload = true;
    setTimeout(() => location.reload(), 0);
    return true;
  });
  await session.waitFor('the reloaded page', () => !window.__beforeReload && document.readyState === 'complete');
}

/**
 * Take `origin` offline for this Firefox (or back online): from the browser's chrome context
 * (geckodriver --allow-system-access), an observer cancels every HTTP connection to `origin`
 * with NS_ERROR_OFFLINE before it is made, whichever tab or worker asks (WebDriver classic has
 * no offline switch, and Firefox's own offline mode spares 127.0.0.1). Requests the service
 * worker answers never connect, so they still work, as they do for a person offline.
 */
async function setOffline(session, origin, offline) {
  await session.context('chrome');
  try {
    await session.exec(
      (target) => {
        /* global Services, Ci, Cr */
        // The observer lives as long as Firefox (registered once); a pref says what is offline.
        Services.prefs.setStringPref('e2e.offline-origin', target);
        if (!Services.prefs.getBoolPref('e2e.offline-observer', false)) {
          Services.obs.addObserver(
            {
              observe(subject) {
                const channel = subject.QueryInterface(Ci.nsIHttpChannel);
                const offlineOrigin = Services.prefs.getStringPref('e2e.offline-origin', '');
                if (offlineOrigin && channel.URI.prePath === offlineOrigin) channel.cancel(Cr.NS_ERROR_OFFLINE);
              },
            },
            'http-on-before-connect',
          );
          Services.prefs.setBoolPref('e2e.offline-observer', true);
        }
        return true;
      },
      offline ? origin : '',
    );
  } finally {
    await session.context('content');
  }
}
