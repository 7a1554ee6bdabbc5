// End-to-end tests of keeping the person's work (issue "Nothing lost, nothing misleading, nothing
// that panics", points 0 and 1): a link that used to brick the page opens with its problem said
// in words; opening a link, a preset, a damaged link or an embed never replaces the saved work of
// the same browser; reset can be undone.
// Run: node --test tests/e2e/keep.test.mjs   (env DIST=other/folder to test another build)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { openPage, assertClean, waitForFit, waitForInk, setData, FIT_MS, useApp } from './helpers.mjs';

const T = { timeout: 240_000 };
const app = useApp();

/** A state as the page writes it in a link: JSON, raw deflate, URL-safe base64, no padding. */
function encodeState(state) {
  return zlib
    .deflateRawSync(Buffer.from(JSON.stringify(state)), { level: 9 })
    .toString('base64')
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** My own runs: L = 20 N^-0.15 at 6 sizes (exact decimal text). */
const MINE = 'N,L\n1e6,2.5\n1e7,1.77\n1e8,1.25\n1e9,0.89\n1e10,0.63\n1e11,0.45\n';

/** Wait until the fit is `ok` and its status mentions `fragment`. */
async function waitForFitText(page, fragment) {
  await page.waitForFunction(
    (frag) => {
      const el = document.querySelector('[data-testid=fit-status]');
      return el && el.getAttribute('data-state') === 'ok' && el.textContent.includes(frag);
    },
    fragment,
    { timeout: FIT_MS, polling: 50 },
  );
}

/** Open `url` as a new tab of the same browser profile (same storage), run `body`, close it. */
async function inTab(session, url, body) {
  const page = await session.context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => msg.type() === 'error' && errors.push(`console.error: ${msg.text()}`));
  try {
    await page.goto(url, { waitUntil: 'load' });
    await body(page);
    assert.deepEqual(errors, [], `errors in ${url}:\n${errors.join('\n')}`);
  } finally {
    await page.close();
  }
}

/** The plain page shows my own runs again. */
async function mineIsBack(session, after) {
  await inTab(session, app.server.url, async (page) => {
    await waitForFitText(page, '6 points');
    assert.equal(
      await page.locator('[data-testid=data-input]').inputValue(),
      MINE,
      `my saved work is intact after ${after}`,
    );
  });
}

test('links, presets, damaged links and embeds never replace my saved work', T, async (t) => {
  const session = await openPage(app.browser, app.server.url);
  try {
    await waitForFit(session.page);
    await setData(session.page, MINE);
    await waitForFitText(session.page, '6 points');
    await mineIsBack(session, 'my own edit');

    // Point 0: {"model":"multiplicative","text":"N,L\n"} used to panic (SVD of an empty matrix)
    // and, saved before it was fitted, blanked every later visit.
    const bricking = 'q1bKzU9JzVGyUsotzSnJLMjJTE4sySxLVdJRKkmtKFGyUvLT8YnJU6oFAA';
    await inTab(session, `${app.server.url}#s=${bricking}`, async (page) => {
      assert.equal(await waitForFit(page), 'error', 'the empty table is an error, said in words');
      const status = await page.locator('[data-testid=fit-status]').innerText();
      t.diagnostic(`the old bricking link: ${status}`);
      assert.match(status, /no row takes part/);
      assert.equal(await page.locator('[data-testid=crash]').count(), 0, 'no internal error');
      assert.equal(await page.locator('[data-testid=model-select]').inputValue(), 'multiplicative');
      const notice = page.locator('[data-testid=notice]');
      await notice.waitFor({ state: 'visible', timeout: FIT_MS });
      assert.match(await notice.innerText(), /saved work/, 'told that my work is kept');
    });
    await mineIsBack(session, 'the old bricking link');

    // Extreme numbers in a link: a row error, not a panic ("capacity overflow" before).
    const extreme = encodeState({ v: 1, text: 'N,L\n1e308,1e308\n1e307,1e-308\n' });
    await inTab(session, `${app.server.url}#s=${extreme}`, async (page) => {
      const state = await waitForFit(page);
      t.diagnostic(`1e308 link: ${state}: ${await page.locator('[data-testid=fit-status]').innerText()}`);
      assert.equal(await page.locator('[data-testid=crash]').count(), 0);
      assert.ok((await waitForInk(page, '[data-testid=chart]', 500)) > 500, 'the chart draws');
    });
    const overflow = encodeState({
      v: 1,
      text: 'N,D,L\n1e8,2e9,3.5\n1e9,2e10,2.8\n1e10,2e11,2.35\n1e300,1e300,2.2\n',
      x: 'C',
    });
    await inTab(session, `${app.server.url}#s=${overflow}`, async (page) => {
      assert.equal(await waitForFit(page), 'error');
      const error = page.locator('[data-testid=input-error]');
      await error.waitFor({ state: 'visible', timeout: FIT_MS });
      assert.match(await error.innerText(), /Row 5/, 'the row that overflows is named');
    });
    await mineIsBack(session, 'links with extreme numbers');

    await inTab(session, `${app.server.url}?preset=hoffmann-2022`, async (page) => {
      assert.equal(await page.locator('[data-testid=preset-select]').inputValue(), 'hoffmann-2022');
      await waitForFit(page);
    });
    await mineIsBack(session, 'a ?preset= link');

    await inTab(session, `${app.server.url}#s=not-a-link`, async (page) => {
      await waitForFit(page);
      await page.locator('[data-testid=notice]').waitFor({ state: 'visible', timeout: FIT_MS });
    });
    await mineIsBack(session, 'a damaged link');

    const theirs = encodeState({ v: 1, text: 'N,L\n1e6,4\n1e7,3\n1e8,2.4\n1e9,2\n', model: 'power' });
    await inTab(session, `${app.server.url}?embed=1#s=${theirs}`, async (page) => {
      await waitForFitText(page, '4 points');
    });
    await mineIsBack(session, 'an embed on the same origin');

    // Someone else's link, then an edit of it: now that is my work.
    await inTab(session, `${app.server.url}#s=${theirs}`, async (page) => {
      await waitForFitText(page, '4 points');
      await page.locator('[data-testid=predict-input]').fill('1e12');
      await page.waitForTimeout(300);
    });
    await inTab(session, app.server.url, async (page) => {
      await waitForFitText(page, '4 points');
      assert.equal(await page.locator('[data-testid=predict-input]').inputValue(), '1e12');
    });
    assertClean(session);
  } finally {
    await session.close();
  }
});

test('a shared page can be kept as my work with one click', T, async () => {
  const session = await openPage(app.browser, app.server.url);
  try {
    await waitForFit(session.page);
    await setData(session.page, MINE);
    await waitForFitText(session.page, '6 points');
    await mineIsBack(session, 'my own edit');
    const theirs = encodeState({ v: 1, text: 'N,L\n1e6,4\n1e7,3\n1e8,2.4\n1e9,2\n', model: 'power' });
    await inTab(session, `${app.server.url}#s=${theirs}`, async (page) => {
      await waitForFitText(page, '4 points');
      const keep = page.locator('[data-testid=keep-this]');
      await keep.waitFor({ state: 'visible', timeout: FIT_MS });
      await keep.click();
      assert.equal(await page.locator('[data-testid=notice]').count(), 0, 'the notice is gone');
    });
    await inTab(session, app.server.url, async (page) => {
      await waitForFitText(page, '4 points');
      assert.match(await page.locator('[data-testid=data-input]').inputValue(), /1e9,2/, 'the kept page is my work now');
    });
    assertClean(session);
  } finally {
    await session.close();
  }
});

test('reset can be undone', T, () =>
  app.withApp('', async ({ page }) => {
    await waitForFit(page);
    await setData(page, MINE);
    await waitForFitText(page, '6 points');
    await page.locator('[data-testid=reset]').click();
    await waitForFitText(page, '4 points');
    assert.notEqual(await page.locator('[data-testid=data-input]').inputValue(), MINE);
    await page.locator('[data-testid=undo-reset]').click();
    await waitForFitText(page, '6 points');
    assert.equal(await page.locator('[data-testid=data-input]').inputValue(), MINE);
    assert.equal(await page.locator('[data-testid=undo-reset]').count(), 0, 'undone once');
  }),
);

/** Wait until a service worker controls `page` (reloading once if it is active but not yet). */
async function waitForServiceWorker(page) {
  const controlled = () => page.evaluate(() => !!navigator.serviceWorker.controller);
  for (let attempt = 0; attempt < 2; attempt++) {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (await controlled()) return;
      await page.waitForTimeout(200);
    }
    await page.reload({ waitUntil: 'load' });
  }
  assert.ok(await controlled(), 'a service worker controls the page');
}

/** The paths in the page's caches. */
function cachedPaths(page) {
  return page.evaluate(async () => {
    const out = [];
    for (const k of await caches.keys()) {
      for (const r of await (await caches.open(k)).keys()) out.push(new URL(r.url).pathname);
    }
    return out.sort();
  });
}

test('the offline copy cannot be poisoned by another file, and drops what a new page no longer uses', T, async (t) => {
  const { startServer } = await import('./server.mjs');
  const own = await startServer();
  const session = await openPage(app.browser, own.url);
  try {
    const { page, context } = session;
    await waitForFit(page);
    await waitForServiceWorker(page);
    // Point 12: opening another file of the site in the tab used to be cached as the page.
    await page.goto(`${own.url}icon.svg`, { waitUntil: 'load' });
    await page.goto(`${own.url}manifest.webmanifest`, { waitUntil: 'load' }).catch(() => {});
    await context.setOffline(true);
    await page.goto(own.url, { waitUntil: 'load' });
    assert.equal(await page.locator('h1').innerText(), 'Scaling-law calculator', 'offline, the page is the page');
    assert.equal(await waitForFit(page), 'ok');
    await context.setOffline(false);

    // An asset of an older deploy, left in the cache, goes with the next fresh copy of the page.
    await page.evaluate(async () => {
      const cache = await caches.open((await caches.keys())[0]);
      await cache.put(new URL('old-deploy_bg.wasm', location.href).href, new Response('old'));
    });
    assert.ok((await cachedPaths(page)).some((p) => p.endsWith('old-deploy_bg.wasm')));
    await page.reload({ waitUntil: 'load' });
    await waitForFit(page);
    const deadline = Date.now() + 20_000;
    let paths = await cachedPaths(page);
    while (paths.some((p) => p.endsWith('old-deploy_bg.wasm')) && Date.now() < deadline) {
      await page.waitForTimeout(200);
      paths = await cachedPaths(page);
    }
    t.diagnostic(`cached after a fresh page: ${paths.join(' ')}`);
    assert.ok(!paths.some((p) => p.endsWith('old-deploy_bg.wasm')), 'the old asset is gone');
    assert.ok(paths.some((p) => p.endsWith('.wasm')), 'the current wasm stays');
  } finally {
    await session.close();
    await own.close();
  }
});

test('a preset without runs after one with runs shows no stale fit; my own data drops the preset note', T, () =>
  app.withApp('?preset=besiroglu-2024', async ({ page }) => {
    assert.equal(await waitForFit(page), 'ok');
    assert.equal(await page.locator('.preset-note').count(), 1, 'the preset note is shown');
    await page.locator('[data-testid=preset-select]').selectOption('kaplan-2020');
    await page.waitForFunction(() => document.querySelector('[data-testid=data-input]').value === '');
    // Point 4: the Chinchilla fit used to stay on screen, marked stale, under a preset with no data.
    assert.equal(await page.locator('[data-testid^="fit-param-"]').count(), 0, 'no fit is shown');
    const status = await page.locator('[data-testid=fit-status]').innerText();
    assert.doesNotMatch(status, /stale/, status);

    await page.locator('[data-testid=preset-select]').selectOption('gpt2-gpt3');
    await waitForFitText(page, '4 points');
    assert.equal(await page.locator('.preset-note').count(), 1);
    await setData(page, MINE);
    await waitForFitText(page, '6 points');
    assert.equal(await page.locator('.preset-note').count(), 0, "the preset's note goes with its data");
  }),
);

test('the planner plans with my own fit once my runs replace a preset', T, () =>
  app.withApp('?preset=hoffmann-2022', async ({ page }) => {
    await waitForFit(page);
    assert.equal(await page.locator('[data-testid=plan-law-select]').inputValue(), 'hoffmann-2022');
    // Point 5: my own Chinchilla-form runs (L = 1.8 + 400/N^0.34 + 1000/D^0.36 on a 4 x 4 grid).
    const rows = ['N,D,L'];
    for (const n of [1e7, 1e8, 1e9, 1e10]) {
      for (const tpp of [5, 20, 80, 320]) {
        const d = n * tpp;
        rows.push(`${n},${d},${(1.8 + 400 / n ** 0.34 + 1000 / d ** 0.36).toPrecision(8)}`);
      }
    }
    await setData(page, `${rows.join('\n')}\n`);
    await waitForFitText(page, '16 points');
    assert.equal(await page.locator('[data-testid=plan-law-select]').inputValue(), 'fit');
    await page.locator('[data-testid=budget-input]').fill('1e21');
    const optN = page.locator('[data-testid=opt-N]');
    await optN.waitFor({ state: 'visible', timeout: FIT_MS });
    assert.ok(Number(await optN.getAttribute('data-value')) > 0, 'the split comes from my fit');
  }),
);

test('the law select is a few tab stops from the data box', T, () =>
  app.withApp('?preset=gpt2-gpt3', async ({ page }) => {
    await waitForFit(page);
    // Point 9: it was 26 tab stops away, past the file loader and every cell of the table.
    await page.locator('[data-testid=data-input]').focus();
    let stops = 0;
    for (; stops < 40; stops++) {
      const testid = await page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
      if (testid === 'model-select') break;
      await page.keyboard.press('Tab');
    }
    assert.ok(stops <= 3, `model-select is ${stops} tab stops from the data box`);
  }),
);
