// End-to-end tests of sharing and keeping work (issue "Share, embed, keep, work offline, and speak
// Traditional Chinese"): share links opened in a fresh app.browser, autosave and reset, the service
// worker (offline, with the server stopped), the `?embed=1` view inside an iframe, the
// Traditional Chinese interface, damaged and hostile links, and `?preset=`.
// Run: node --test tests/e2e/share.test.mjs   (env DIST=other/folder to test another build)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { startServer, distDir } from './server.mjs';
import { launchBrowser, openPage, assertClean, waitForInk, waitForFit, numberValue, setData, FIT_MS, useApp, shareLink } from './helpers.mjs';

const T = { timeout: 240_000 };
const CHART = '[data-testid=chart]';
/** The default preset's data text (gpt2-gpt3, src/engine/presets.rs). */
const DEFAULT_TEXT =
  'model,N,L\nGPT-2 small,124M,3.12\nGPT-2 medium,350M,2.84\nGPT-2 large,774M,2.67\nGPT-2 XL,1558M,2.54\n';

const app = useApp();

/**
 * A stand-in for the app.browser whose new contexts get extra options (locale, colour scheme,
 * permissions …), so `openPage` (and its console and network recording) is reused as is.
 */
function browserWith(options) {
  return { newContext: (base) => app.browser.newContext({ ...base, ...options }) };
}

/** Open `url` in a fresh context (extra context `options`), run `body`, assert clean, close. */
async function withUrl(url, body, options = null) {
  const session = await openPage(options ? browserWith(options) : app.browser, url);
  try {
    await body(session);
    assertClean(session);
  } finally {
    await session.close();
  }
}

/** L = E + A N^-alpha at `rows` log-spaced N from 1e6 to 1e10 (short, exact decimal text). */
function offsetLawCsv({ E = 1.7, A = 400, alpha = 0.3, rows = 10 } = {}) {
  const lines = ['N,L'];
  for (let i = 0; i < rows; i++) {
    const n = Number((10 ** (6 + (4 * i) / (rows - 1))).toPrecision(3));
    lines.push(`${n},${(E + A * n ** -alpha).toPrecision(8)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Every `fit-param-*` on the page: {NAME: data-value string}. */
async function params(page) {
  return Object.fromEntries(
    await page.$$eval('[data-testid^="fit-param-"]', (els) =>
      els.map((e) => [e.getAttribute('data-testid').slice('fit-param-'.length), e.getAttribute('data-value')]),
    ),
  );
}

/** Wait until the fit is `ok` with exactly the parameters `names` on screen. */
async function waitForParams(page, names, timeout = FIT_MS) {
  await page.waitForFunction(
    (want) => {
      const el = document.querySelector('[data-testid=fit-status]');
      if (!el || el.getAttribute('data-state') !== 'ok') return false;
      const got = [...document.querySelectorAll('[data-testid^="fit-param-"]')].map((e) =>
        e.getAttribute('data-testid').slice('fit-param-'.length),
      );
      return got.length === want.length && want.every((n) => got.includes(n));
    },
    names,
    { timeout, polling: 50 },
  );
}

/** Wait until the fit is `ok` and its text contains `fragment`. */
async function waitForFitText(page, fragment, timeout = FIT_MS) {
  await page.waitForFunction(
    (frag) => {
      const el = document.querySelector('[data-testid=fit-status]');
      return el && el.getAttribute('data-state') === 'ok' && el.textContent.includes(frag);
    },
    fragment,
    { timeout, polling: 50 },
  );
}


// 1 ─────────────────────────────────────────────────────────────────────────────────────────
test('a copied link opens the same parameters in a fresh app.browser', T, async (t) => {
  const text = offsetLawCsv();
  let link;
  let want;
  let copied;
  await withUrl(
    app.server.url,
    async ({ page, context }) => {
      assert.equal(await waitForFit(page), 'ok');
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.server.origin });
      await page.locator('[data-testid=model-select]').selectOption('power-offset');
      await setData(page, text);
      await page.locator('[data-testid=predict-input]').fill('70B');
      await waitForParams(page, ['E', 'A', 'alpha']);
      await waitForFitText(page, '10 points');
      want = await params(page);
      link = await shareLink(page);
      assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/app\/#s=[A-Za-z0-9_-]+$/, `a share link: ${link.slice(0, 120)}`);

      // The copy button puts exactly this link on the clipboard.
      await page.locator('[data-testid=copy-link]').click();
      copied = await page.evaluate(() => navigator.clipboard.readText()).catch((e) => `(clipboard: ${e})`);
      assert.equal(copied, link, 'copy-link copies the link shown');

      // The box is deflated when the page is next idle; a copy made before then copies the
      // state as it is now, not the link still in the box.
      const settlesOn = (expected) =>
        page.waitForFunction(
          (l) => {
            const box = document.querySelector('[data-testid=share-link]');
            return box.dataset.pending === 'false' && box.value === l;
          },
          expected,
          { timeout: FIT_MS },
        );
      await page.locator('[data-testid=predict-input]').fill('80B');
      await page.locator('[data-testid=copy-link]').click();
      const fresh = await page.evaluate(() => navigator.clipboard.readText());
      assert.notEqual(fresh, link, 'a changed state copies a new link');
      await settlesOn(fresh);
      await page.locator('[data-testid=predict-input]').fill('70B');
      await settlesOn(link);
      t.diagnostic(`link ${link.length} chars; params ${JSON.stringify(want)}`);
    },
    { permissions: [] },
  );

  await withUrl(link, async ({ page }) => {
    await waitForParams(page, Object.keys(want));
    assert.deepEqual(await params(page), want, 'the same parameters, to the last digit');
    assert.equal(await page.locator('[data-testid=data-input]').inputValue(), text, 'the same data');
    assert.equal(await page.locator('[data-testid=model-select]').inputValue(), 'power-offset');
    assert.equal(await page.locator('[data-testid=predict-input]').inputValue(), '70B');
    assert.equal(await page.locator('[data-testid=notice]').count(), 0, 'no notice for a good link');
    assert.equal(await shareLink(page), link, 'the opened page links to itself');
  });
});

// 2 ─────────────────────────────────────────────────────────────────────────────────────────
test('an edit survives a reload; reset brings the default back', T, () =>
  withUrl(app.server.url, async ({ page }) => {
    assert.equal(await waitForFit(page), 'ok');
    assert.equal(await page.locator('[data-testid=data-input]').inputValue(), DEFAULT_TEXT);
    const text = offsetLawCsv({ E: 0, A: 20, alpha: 0.15, rows: 7 });
    await setData(page, text);
    await waitForFitText(page, '7 points');
    const before = await params(page);
    assert.ok(Math.abs(Number(before.alpha) - 0.15) < 1e-3, `alpha ≈ 0.15: ${before.alpha}`);

    await page.reload({ waitUntil: 'load' });
    await waitForFitText(page, '7 points');
    assert.equal(await page.locator('[data-testid=data-input]').inputValue(), text, 'the edit is kept');
    assert.deepEqual(await params(page), before, 'the same fit after the reload');
    assert.equal(await page.locator('[data-testid=notice]').count(), 0, 'no notice on restore');

    await page.locator('[data-testid=reset]').click();
    await page.waitForFunction(
      (want) => document.querySelector('[data-testid=data-input]').value === want,
      DEFAULT_TEXT,
      { timeout: FIT_MS },
    );
    await waitForFitText(page, '4 points');
    assert.equal(await page.locator('[data-testid=preset-select]').inputValue(), 'gpt2-gpt3');
    assert.ok(
      Math.abs((await numberValue(page, 'fit-param-alpha')) - 0.0814) < 0.002,
      'the default fit is back',
    );
    // And a reload after the reset stays on the default.
    await page.reload({ waitUntil: 'load' });
    await waitForFitText(page, '4 points');
    assert.equal(await page.locator('[data-testid=data-input]').inputValue(), DEFAULT_TEXT);
  }),
);

// 3 ─────────────────────────────────────────────────────────────────────────────────────────
test('after one visit the page works offline, even with the server gone', T, async (t) => {
  // A server of its own, so it can be stopped.
  const own = await startServer();
  let stopped = false;
  try {
    await withUrl(own.url, async ({ page, context }) => {
      assert.equal(await waitForFit(page), 'ok');
      // Wait until the service worker is active and in control (it claims the page); reload
      // once if it is active but not yet in control. A failed install unregisters it.
      const sw = async () =>
        page.evaluate(async () => ({
          controlled: !!navigator.serviceWorker.controller,
          registrations: (await navigator.serviceWorker.getRegistrations()).map((r) => ({
            installing: r.installing?.state,
            waiting: r.waiting?.state,
            active: r.active?.state,
          })),
        }));
      const settle = async (ms) => {
        const deadline = Date.now() + ms;
        let seen = await sw();
        while (!seen.controlled && Date.now() < deadline) {
          await page.waitForTimeout(200);
          seen = await sw();
        }
        return seen;
      };
      let state = await settle(20_000);
      if (!state.controlled && state.registrations.some((r) => r.active === 'activated')) {
        t.diagnostic('the service worker did not claim the first page; reloading once');
        await page.reload({ waitUntil: 'load' });
        state = await settle(20_000);
      }
      assert.ok(
        state.controlled,
        'the service worker installs and controls the page after the first visit; got ' +
          `${JSON.stringify(state)} (no registration left means its install failed)`,
      );
      const cached = await page.evaluate(async () => {
        const keys = await caches.keys();
        const out = [];
        for (const k of keys) for (const r of await (await caches.open(k)).keys()) out.push(new URL(r.url).pathname);
        return out.sort();
      });
      t.diagnostic(`cached: ${cached.join(' ')}`);
      assert.ok(cached.some((p) => p.endsWith('.wasm')), `the wasm is cached: ${cached.join(' ')}`);

      const check = async (what) => {
        assert.equal(await waitForFit(page), 'ok', `${what}: the fit runs`);
        assert.equal(await page.locator('h1').innerText(), 'Scaling-law calculator', `${what}: the page renders`);
        const ink = await waitForInk(page, CHART, 1000);
        assert.ok(ink > 1000, `${what}: the chart is drawn (${ink} inked pixels)`);
      };

      // a) The app.browser offline.
      await context.setOffline(true);
      await page.reload({ waitUntil: 'load' });
      await check('offline');
      await context.setOffline(false);

      // b) The server stopped (a stronger test: nothing answers at all).
      await own.close();
      stopped = true;
      await page.reload({ waitUntil: 'load' });
      await check('server stopped');
      const served = await page.evaluate(() => fetch('./').then((r) => r.status, (e) => String(e)));
      t.diagnostic(`with the server stopped, fetch('./') gives ${served}`);
    });
  } finally {
    if (!stopped) await own.close();
  }
});

// 4 ─────────────────────────────────────────────────────────────────────────────────────────
test('the embed view fits a 600×400 iframe on another site', T, async (t) => {
  const embedUrl = `${app.server.url}?embed=1`;
  let snippet;
  await withUrl(app.server.url, async ({ page }) => {
    assert.equal(await waitForFit(page), 'ok');
    await shareLink(page);
    snippet = await page.locator('[data-testid=embed-code]').inputValue();
    assert.ok(snippet.includes('<iframe'), `embed code is an iframe: ${snippet}`);
    assert.ok(snippet.includes('embed=1'), `embed code asks for the embed view: ${snippet}`);
    assert.ok(snippet.includes('#s='), `embed code carries the state: ${snippet.slice(0, 200)}`);
  });

  // The host page lives on another origin: a second server (another port) serving one file.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embed-host-'));
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><html><head><meta charset="utf-8"><title>host</title><link rel="icon" href="data:,"></head>' +
      '<body style="margin:0">' +
      `<iframe id="small" src="${embedUrl}" width="600" height="400" style="border:0;display:block"></iframe>` +
      `<div id="snippet">${snippet}</div></body></html>`,
  );
  const hostServer = await startServer({ root: dir });
  const host = hostServer.url;
  try {
    await withUrl(host, async ({ page }) => {
      const frame = page.frames().find((f) => f.url() === embedUrl);
      assert.ok(frame, `the embed frame: ${page.frames().map((f) => f.url()).join(' ')}`);
      assert.equal(await waitForFit(frame), 'ok', 'the embedded page fits');
      const status = await frame.locator('[data-testid=fit-status]').innerText();
      assert.doesNotMatch(status, /\bms\b/, `blog readers are not shown fit timings: ${status}`);
      const ink = await waitForInk(frame, CHART, 1000);
      assert.ok(ink > 1000, `the embedded chart is drawn (${ink} inked pixels)`);
      const full = frame.locator('[data-testid=open-full]');
      assert.equal(await full.count(), 1, 'a link to the full calculator');
      assert.match(await full.getAttribute('href'), /\/app\/#s=/, 'it carries the state');
      const box = await frame.evaluate(() => {
        const c = document.querySelector('[data-testid=chart]').getBoundingClientRect();
        const d = document.documentElement;
        return {
          scrollWidth: d.scrollWidth,
          clientWidth: d.clientWidth,
          clientHeight: d.clientHeight,
          scrollHeight: d.scrollHeight,
          chart: { top: c.top, bottom: c.bottom, left: c.left, right: c.right },
          full: document.querySelector('[data-testid=data-input]') !== null,
          openFullBottom: document.querySelector('[data-testid=open-full]').getBoundingClientRect().bottom,
        };
      });
      t.diagnostic(`600×400 frame: ${JSON.stringify(box)}`);
      assert.ok(box.scrollWidth <= box.clientWidth + 1, `no horizontal scroll: ${box.scrollWidth} > ${box.clientWidth}`);
      assert.ok(box.chart.bottom <= 400, `the chart fits in 400 px: bottom at ${box.chart.bottom}`);
      assert.ok(box.chart.right <= 600 && box.chart.left >= 0, `the chart fits in 600 px: ${JSON.stringify(box.chart)}`);
      assert.equal(box.full, false, 'the compact view, not the full calculator');

      // The embed code, pasted as is, works too.
      const second = page.frames().find((f) => f !== frame && f.url().includes('embed=1'));
      assert.ok(second, 'the pasted snippet loads');
      assert.equal(await waitForFit(second), 'ok');
      const ink2 = await waitForInk(second, CHART, 1000);
      assert.ok(ink2 > 1000, `the snippet's chart is drawn (${ink2} inked pixels)`);
      assert.equal(await second.locator('[data-testid=open-full]').count(), 1);
    });
  } finally {
    await hostServer.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// 5 ─────────────────────────────────────────────────────────────────────────────────────────
const ZH = ['縮放定律計算器', '預設範例', '預測於', '已擬合'];
const EN = ['Scaling-law calculator', 'Preset', 'Predict at', 'Fitted'];

/** Assert the visible page is in Chinese (true) or English (false). */
async function assertLanguage(page, chinese, what) {
  const body = await page.locator('body').innerText();
  const [yes, no] = chinese ? [ZH, EN] : [EN, ZH];
  for (const s of yes) assert.ok(body.includes(s), `${what}: the page shows ${s}`);
  for (const s of no) assert.ok(!body.includes(s), `${what}: the page does not show ${s}`);
  assert.equal(await page.evaluate(() => document.documentElement.lang), chinese ? 'zh-Hant' : 'en');
  const status = await page.locator('[data-testid=fit-status]').innerText();
  assert.equal(/[\u4e00-\u9fff]/.test(status), chinese, `${what}: fit-status language: ${status}`);
}

test('the page speaks Traditional Chinese and back', T, (t) =>
  withUrl(app.server.url, async ({ page }) => {
    assert.equal(await waitForFit(page), 'ok');
    await assertLanguage(page, false, 'first open');
    await page.locator('[data-testid=lang-select]').selectOption('zh-Hant');
    await page.waitForFunction(() => document.documentElement.lang === 'zh-Hant', null, { timeout: FIT_MS });
    await assertLanguage(page, true, 'zh-Hant chosen');
    t.diagnostic(`fit-status: ${await page.locator('[data-testid=fit-status]').innerText()}`);
    const h1 = await page.locator('h1').innerText();
    assert.equal(h1, '縮放定律計算器');
    await page.locator('[data-testid=lang-select]').selectOption('en');
    await page.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: FIT_MS });
    await assertLanguage(page, false, 'en chosen again');
  }),
);

test('a zh-TW app.browser opens in Chinese; a link made in English stays English', T, async () => {
  await withUrl(
    app.server.url,
    async ({ page }) => {
      assert.equal(await waitForFit(page), 'ok');
      await assertLanguage(page, true, 'zh-TW app.browser');
      assert.equal(await page.locator('[data-testid=lang-select]').inputValue(), 'zh-Hant');
    },
    { locale: 'zh-TW' },
  );

  let link;
  await withUrl(app.server.url, async ({ page }) => {
    assert.equal(await waitForFit(page), 'ok');
    await page.locator('[data-testid=lang-select]').selectOption('zh-Hant');
    await page.locator('[data-testid=lang-select]').selectOption('en');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    link = await shareLink(page);
  });

  await withUrl(
    link,
    async ({ page }) => {
      assert.equal(await waitForFit(page), 'ok');
      await assertLanguage(page, false, 'English link in a zh-TW app.browser');
      assert.equal(await page.locator('[data-testid=lang-select]').inputValue(), 'en');
    },
    { locale: 'zh-TW' },
  );
});

test('in Traditional Chinese no English sentence is left on the page', T, (t) =>
  withUrl(
    app.server.url,
    async ({ page }) => {
      assert.equal(await waitForFit(page), 'ok');
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-Hant');
      // Visible text nodes (and labels read aloud) made of three or more English words and no
      // Chinese at all. Data, formulas and ids are single words or carry Chinese around them.
      const left = await page.evaluate(() => {
        const english = /[A-Za-z]{3,}(\s+[A-Za-z]{2,}){2,}/;
        const chinese = /[\u4e00-\u9fff]/;
        const out = [];
        const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let n; (n = walk.nextNode()); ) {
          const text = n.textContent.trim();
          if (!text || n.parentElement.closest('textarea, script, style')) continue;
          if (english.test(text) && !chinese.test(text)) out.push(text.slice(0, 100));
        }
        for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
          for (const a of ['aria-label', 'title', 'placeholder']) {
            const v = el.getAttribute(a);
            if (v && english.test(v) && !chinese.test(v)) out.push(`${a}="${v.slice(0, 100)}"`);
          }
        }
        return out;
      });
      t.diagnostic(`English left: ${JSON.stringify(left)}`);
      assert.deepEqual(left, [], 'every sentence is translated');
    },
    { locale: 'zh-TW' },
  ),
);

test('in a zh-TW app.browser a damaged link is explained in Chinese', T, (t) =>
  withUrl(
    `${app.server.url}#s=!!!not-base64`,
    async ({ page }) => {
      assert.equal(await waitForFit(page), 'ok');
      const notice = page.locator('[data-testid=notice]');
      await notice.waitFor({ state: 'visible', timeout: FIT_MS });
      const text = await notice.innerText();
      t.diagnostic(text);
      assert.match(text, /無法開啟此連結/, 'the notice is in Chinese');
      assert.match(text, /base64/);
    },
    { locale: 'zh-TW' },
  ),
);

// 6 ─────────────────────────────────────────────────────────────────────────────────────────
/** URL-safe base64 without padding, as the page writes (src/engine/share.rs). */
function b64url(buf) {
  return Buffer.from(buf).toString('base64url');
}

/** Raw deflate (no zlib header), as miniz_oxide::deflate::compress_to_vec writes. */
function encodeState(state) {
  return b64url(zlib.deflateRawSync(Buffer.from(JSON.stringify(state)), { level: 9 }));
}

/** Open a damaged link and check the notice, the default page, and that the page responds. */
async function damagedLink(t, what, fragment, pattern) {
  await withUrl(`${app.server.url}#s=${fragment}`, async ({ page }) => {
    const started = Date.now();
    assert.equal(await waitForFit(page), 'ok', `${what}: the default page fits`);
    const notice = page.locator('[data-testid=notice]');
    await notice.waitFor({ state: 'visible', timeout: FIT_MS });
    const message = (await notice.innerText()).trim();
    t.diagnostic(`${what} (${fragment.length} chars): ${message} [${Date.now() - started} ms]`);
    assert.ok(message.length > 20, `${what}: a message in words: ${message}`);
    if (pattern) assert.match(message, pattern, `${what}: the message says why`);
    assert.equal(await page.locator('[data-testid=data-input]').inputValue(), DEFAULT_TEXT, `${what}: default data`);
    assert.equal(await page.locator('[data-testid=preset-select]').inputValue(), 'gpt2-gpt3');
    // Alive: a round trip answers, a new fit happens, the notice can be dismissed.
    assert.equal(await page.evaluate(() => 1), 1, `${what}: the page answers`);
    await setData(page, 'N,L\n1e6,4\n1e7,3\n1e8,2.4\n1e9,2\n');
    await waitForFitText(page, '4 points', 10_000);
    await notice.getByRole('button').click();
    await notice.waitFor({ state: 'detached', timeout: 10_000 });
  });
}

test('the page reads the links it writes: raw deflate, URL-safe base64, no padding', T, async () => {
  // A state made here, in node, opens there: the format is what src/engine/share.rs says.
  const fragment = encodeState({ v: 1, text: 'N,L\n1e6,4\n1e7,3\n1e8,2.4\n1e9,2\n', model: 'power', lang: 'en' });
  assert.doesNotMatch(fragment, /[+/=]/);
  await withUrl(`${app.server.url}#s=${fragment}`, async ({ page }) => {
    await waitForFitText(page, '4 points');
    assert.equal(await page.locator('[data-testid=notice]').count(), 0);
    assert.equal(await page.locator('[data-testid=data-input]').inputValue(), 'N,L\n1e6,4\n1e7,3\n1e8,2.4\n1e9,2\n');
    // And the page's own link inflates, in node, to its JSON state.
    const link = await shareLink(page);
    const json = JSON.parse(zlib.inflateRawSync(Buffer.from(link.split('#s=')[1], 'base64url')).toString());
    assert.equal(json.v, 1);
    assert.equal(json.text, 'N,L\n1e6,4\n1e7,3\n1e8,2.4\n1e9,2\n');
  });
});

test('damaged links: not base64, not deflate, truncated', T, async (t) => {
  await damagedLink(t, 'not base64', '!!!not-base64', /base64/);
  await damagedLink(t, 'AAAA', 'AAAA', /could not be opened/);
  // A real link cut in half.
  const real = encodeState({ v: 1, text: offsetLawCsv({ rows: 30 }), model: 'power-offset', lang: 'en' });
  await damagedLink(t, 'truncated', real.slice(0, Math.floor(real.length / 2)), /could not be opened/);
  // Valid deflate, but not a state; and a state from the future.
  await damagedLink(t, 'not a state', b64url(zlib.deflateRawSync(Buffer.from('[1,2,3]'))), /not a calculator state/);
  await damagedLink(t, 'future', encodeState({ v: 99, text: 'N,L\n1,2\n' }), /newer version/);
});

test('hostile links: 3 MB, just over the page limit, a deflate bomb', T, async (t) => {
  // 3 MB: Chromium refuses URLs over 2 MiB before any page sees them. Whatever happens, the
  // app.browser must go on working and a page that opens must be the default one.
  const huge = `${app.server.url}#s=${'A'.repeat(3_000_000)}`;
  await withUrl(app.server.url, async ({ page }) => {
    assert.equal(await waitForFit(page), 'ok');
    const outcome = await page.goto(huge, { waitUntil: 'load', timeout: 60_000 }).then(
      () => 'opened',
      (e) => `refused: ${String(e.message).split('\n')[0].slice(0, 60)}`,
    );
    t.diagnostic(`3 MB link: ${outcome}; now at ${(await page.evaluate(() => location.href)).slice(0, 60)}`);
    if (outcome === 'opened' && (await page.evaluate(() => location.hash.length)) > 1_000_000) {
      assert.equal(await waitForFit(page), 'ok');
      await page.locator('[data-testid=notice]').waitFor({ state: 'visible', timeout: FIT_MS });
    }
    await page.goto(app.server.url, { waitUntil: 'load' });
    assert.equal(await waitForFit(page), 'ok', 'the page works after the 3 MB link');
  });
  // Over the page's own limit (2,000,000 characters) but under Chromium's: the page refuses.
  await damagedLink(t, '2.05 MB', 'A'.repeat(2_050_000), /more than this page accepts/);
  // 50 MB of spaces, raw-deflated to ~50 kB: refused after 8 MB of output.
  const bomb = b64url(zlib.deflateRawSync(Buffer.alloc(50_000_000, 0x20), { level: 9 }));
  await damagedLink(t, 'deflate bomb', bomb, /decompresses to more than this page accepts/);
  // A bomb of valid JSON (a 20 MB string inside a state) is refused the same way.
  const jsonBomb = b64url(
    zlib.deflateRawSync(Buffer.from(`{"v":1,"text":"${' '.repeat(20_000_000)}"}`), { level: 9 }),
  );
  await damagedLink(t, 'JSON bomb', jsonBomb, /decompresses to more than this page accepts/);
});

// 7 ─────────────────────────────────────────────────────────────────────────────────────────
test('?preset= opens a preset; an unknown one says so and opens the default', T, async (t) => {
  await withUrl(`${app.server.url}?preset=hoffmann-2022`, async ({ page }) => {
    assert.equal(await page.locator('[data-testid=preset-select]').inputValue(), 'hoffmann-2022');
    assert.equal(await page.locator('[data-testid=model-select]').inputValue(), 'chinchilla');
    await waitForParams(page, ['E', 'A', 'B', 'alpha', 'beta'], 120_000);
    t.diagnostic(`hoffmann-2022: ${await page.locator('[data-testid=fit-status]').innerText()}`);
    assert.equal(await page.locator('[data-testid=notice]').count(), 0);
  });
  await withUrl(`${app.server.url}?preset=nope`, async ({ page }) => {
    assert.equal(await waitForFit(page), 'ok');
    const notice = page.locator('[data-testid=notice]');
    await notice.waitFor({ state: 'visible', timeout: FIT_MS });
    assert.match(await notice.innerText(), /nope/, 'the notice names the preset');
    assert.equal(await page.locator('[data-testid=preset-select]').inputValue(), 'gpt2-gpt3');
    assert.equal(await page.locator('[data-testid=data-input]').inputValue(), DEFAULT_TEXT);
    assert.ok(Math.abs((await numberValue(page, 'fit-param-alpha')) - 0.0814) < 0.002);
  });
  // A link's fragment beats ?preset= (the order on open).
  const fragment = encodeState({ v: 1, text: 'N,L\n1e6,4\n1e7,3\n1e8,2.4\n1e9,2\n', model: 'power' });
  await withUrl(`${app.server.url}?preset=hoffmann-2022#s=${fragment}`, async ({ page }) => {
    await waitForFitText(page, '4 points');
    assert.equal(await page.locator('[data-testid=model-select]').inputValue(), 'power');
  });
});
