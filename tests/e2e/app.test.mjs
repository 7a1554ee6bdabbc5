// End-to-end tests of the release build (dist/ from `trunk build --release`) served under /app/.
// Run: npm run e2e   (or: node --test tests/e2e/; env DIST=other/folder to test another build)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  launchBrowser,
  openPage,
  assertClean,
  canvasInk,
  waitForInk,
  waitForFit,
  dataValue,
  numberValue,
  waitForValueChange,
  setData,
  ensureSelected,
  assertNear,
  FIT_MS,
  useApp,
} from './helpers.mjs';

const T = { timeout: 120_000 };
const CHART = '[data-testid=chart]';

const app = useApp();

/** Open the app in a fresh context, run `body`, assert a clean console and network, close. */
async function withApp(body) {
  const session = await openPage(app.browser, app.server.url);
  try {
    await body(session);
    assertClean(session);
  } finally {
    await session.close();
  }
}

/** Open the app and wait for the preset's first fit to be `ok`. */
async function loadedApp(body) {
  return withApp(async (s) => {
    assert.equal(await waitForFit(s.page), 'ok', 'the preset should fit on load');
    await body(s);
  });
}

/** A synthetic power law L = A N^-alpha, 8 log-spaced rows from 1e6 to 1e10, full precision. */
function powerLawCsv({ A = 5, alpha = 0.1, rows = 8, sep = ',' } = {}) {
  const lines = [`N${sep}L`];
  for (let i = 0; i < rows; i++) {
    const n = 10 ** (6 + (4 * i) / (rows - 1));
    lines.push(`${n}${sep}${A * n ** -alpha}`);
  }
  return lines.join('\n');
}

test('the gpt2-gpt3 preset loads and draws', T, () =>
  loadedApp(async ({ page }) => {
    assert.equal(await page.locator('[data-testid=preset-select]').inputValue(), 'gpt2-gpt3');
    assertNear(await numberValue(page, 'fit-param-alpha'), 0.0814, 0.002, 'fit-param-alpha');
    assert.equal(await page.locator('[data-testid=predict-input]').inputValue(), '175B');
    assertNear(await numberValue(page, 'prediction'), 1.72, 0.02, 'prediction at 175B');
    const ink = await waitForInk(page, CHART, 1000);
    assert.ok(ink > 1000, `the chart should be drawn: ${ink} inked pixels`);
    // The forms these columns cannot take, once per reason.
    const notOffered = await page.locator('[data-testid=models-not-offered]').innerText();
    assert.match(notOffered, /kaplan-joint, chinchilla, skaling and data-constrained need the column D/);
    assert.equal(notOffered.match(/the column D/g).length, 1, notOffered);
  }),
);

test('pasted data refits', T, () =>
  loadedApp(async ({ page }) => {
    await ensureSelected(page, 'model-select', 'power');
    assert.equal(await waitForFit(page), 'ok');
    const before = await dataValue(page, 'fit-param-alpha');
    await setData(page, powerLawCsv());
    await waitForValueChange(page, 'fit-param-alpha', before);
    assert.equal(await waitForFit(page, { states: ['ok'] }), 'ok');
    assertNear(await numberValue(page, 'fit-param-alpha'), 0.1, 1e-6, 'fit-param-alpha');
    const A = await numberValue(page, 'fit-param-A');
    assert.ok(Math.abs(A / 5 - 1) <= 1e-6, `fit-param-A: got ${A}, want 5 (1e-6 relative)`);
  }),
);

test('tsv with units', T, () =>
  loadedApp(async ({ page }) => {
    const before = await dataValue(page, 'fit-param-alpha');
    const tsv = [
      'params\tloss',
      '125M\t3.0',
      '350M\t2.85',
      '760M\t2.72',
      '1.5B\t2.6',
      '2.7B\t2.5',
      '6.7B\t2.39',
      '13B\t2.3',
    ].join('\n');
    await setData(page, tsv);
    await waitForValueChange(page, 'fit-param-alpha', before);
    assert.equal(await waitForFit(page, { states: ['ok', 'error'] }), 'ok');
    const params = await page.$$eval('[data-testid^="fit-param-"]', (els) =>
      els.map((e) => [e.getAttribute('data-testid'), e.getAttribute('data-value')]),
    );
    assert.ok(params.length >= 2, `expected fitted parameters, got ${JSON.stringify(params)}`);
    for (const [id, v] of params) {
      assert.ok(Number.isFinite(Number(v)) && v !== null && v !== '', `${id} = ${v} is not finite`);
    }
    assert.ok(await page.locator('[data-testid=input-error]').isHidden(), 'no input error');
  }),
);

test('a bad cell shows its error and the page recovers', T, () =>
  loadedApp(async ({ page }) => {
    const good = await dataValue(page, 'fit-param-alpha');
    assert.ok(Number.isFinite(Number(good)), `a good alpha first, got ${good}`);

    const rows = powerLawCsv().split('\n');
    const [n3] = rows[2].split(','); // row 3, counting the header as row 1
    rows[2] = `${n3},abc`;
    await setData(page, rows.join('\n'));

    assert.equal(await waitForFit(page, { states: ['error'] }), 'error');
    const err = page.locator('[data-testid=input-error]');
    await err.waitFor({ state: 'visible', timeout: FIT_MS });
    const msg = await err.innerText();
    assert.match(msg, /\b3\b/, `the error should name row 3: ${JSON.stringify(msg)}`);
    assert.match(msg, /\bL\b/, `the error should name column L: ${JSON.stringify(msg)}`);
    assert.equal(await dataValue(page, 'fit-param-alpha'), good, 'the last good fit stays (stale)');
    // Marked as stale, in its class and in words after the formula; the mark goes with the error.
    const summary = page.locator('.summary');
    await page.locator('.summary.stale').waitFor({ timeout: FIT_MS });
    assert.match(await summary.locator('.formula').innerText(), /\(stale\)/);
    const ink = await canvasInk(page, CHART);
    assert.ok(ink > 1000, `the chart should still be drawn: ${ink} inked pixels`);

    await setData(page, powerLawCsv());
    await err.waitFor({ state: 'hidden', timeout: FIT_MS });
    assert.equal(await waitForFit(page, { states: ['ok'] }), 'ok');
    await page.locator('.summary:not(.stale)').waitFor({ timeout: FIT_MS });
    assert.doesNotMatch(await summary.locator('.formula').innerText(), /stale/);
  }),
);

test('switching the model to power-offset refits', T, () =>
  loadedApp(async ({ page }) => {
    await page.locator('[data-testid=model-select]').selectOption('power-offset');
    await page.locator('[data-testid=fit-param-E]').waitFor({ state: 'attached', timeout: FIT_MS });
    assert.equal(await waitForFit(page), 'ok', 'power-offset should fit the preset');
    const E = await numberValue(page, 'fit-param-E');
    assert.ok(Number.isFinite(E) && E >= 0, `fit-param-E = ${E} should be finite and >= 0`);
  }),
);
