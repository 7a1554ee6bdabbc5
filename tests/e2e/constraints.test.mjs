// End-to-end tests of fixed and tied parameters on the page (issue "Can I trust this
// extrapolation?", point 6): typed into the fit options, fitted in the worker, marked in the
// parameters, carried by share links, and a name the form lacks said in words while the last good
// fit stays. The values are checked against SciPy natively (tests/constraints.rs).
// Run: node --test tests/e2e/constraints.test.mjs   (env DIST=other/folder to test another build)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, assertClean, waitForFit, FIT_MS, useApp, shareLink } from './helpers.mjs';

const T = { timeout: 180_000 };
const app = useApp();

/** The data-value of a fitted parameter. */
async function param(page, name) {
  return page.locator(`[data-testid=fit-param-${name}]`).getAttribute('data-value');
}

/** Wait until the fit is ok with alpha = beta, and with `e` given, E = e too. */
async function waitForTied(page, e = null) {
  await page.waitForFunction(
    (e) => {
      const status = document.querySelector('[data-testid=fit-status]');
      if (!status || status.getAttribute('data-state') !== 'ok') return false;
      const value = (name) =>
        document.querySelector(`[data-testid=fit-param-${name}]`)?.getAttribute('data-value');
      return value('alpha') != null && value('alpha') === value('beta') && (e === null || Number(value('E')) === e);
    },
    e,
    { timeout: FIT_MS, polling: 50 },
  );
}

test('alpha tied to beta and E held: fitted, marked, shared, and a bad name explained', T, async (t) => {
  let link;
  await app.withApp('?preset=besiroglu-2024', async ({ page }) => {
    assert.equal(await waitForFit(page), 'ok');
    const freeAlpha = await param(page, 'alpha');
    assert.notEqual(freeAlpha, await param(page, 'beta'), 'free, the two exponents differ');

    // Typed as one input event per key, as a person types.
    await page.locator('[data-testid=fit-tie]').pressSequentially('alpha=beta');
    await waitForTied(page);
    assert.equal(await page.locator('[data-testid=fit-param-beta]').getAttribute('data-held'), 'tied');
    assert.equal(await page.locator('[data-testid=fit-param-alpha]').getAttribute('data-held'), null);

    await page.locator('[data-testid=fit-fix]').fill('E=1.69');
    await waitForTied(page, 1.69);
    assert.equal(await page.locator('[data-testid=fit-param-E]').getAttribute('data-held'), 'fixed');
    const row = await page.locator('[data-testid=fit-param-E]').locator('xpath=..').innerText();
    assert.match(row, /held fixed/, `the E row says it is held: ${row}`);
    const held = { alpha: await param(page, 'alpha'), A: await param(page, 'A') };
    t.diagnostic(`tied and held: ${JSON.stringify(held)}`);

    link = await shareLink(page);

    // A name the form does not have: said in words, and the last good fit stays on screen.
    await page.locator('[data-testid=fit-tie]').fill('alpha=gamma');
    await page.locator('[data-testid=fit-status][data-state=error]').waitFor({ timeout: FIT_MS });
    const status = await page.locator('[data-testid=fit-status]').innerText();
    assert.match(status, /gamma/, status);
    assert.match(status, /alpha, beta/, `the form's parameters are listed: ${status}`);
    assert.equal(await param(page, 'alpha'), held.alpha, 'the last good fit stays');

    // The Chinese page says the same in Chinese.
    await page.locator('[data-testid=lang-select]').selectOption('zh-Hant');
    await page.waitForFunction(
      () => /沒有參數 gamma/.test(document.querySelector('[data-testid=fit-status]').textContent),
      null,
      { timeout: FIT_MS },
    );
    await page.locator('[data-testid=lang-select]').selectOption('en');
  });

  // The link opens with the same constraints and the same fit.
  const session = await openPage(app.browser, link);
  try {
    const { page } = session;
    await waitForTied(page, 1.69);
    assert.equal(await page.locator('[data-testid=fit-tie]').inputValue(), 'alpha=beta');
    assert.equal(await page.locator('[data-testid=fit-fix]').inputValue(), 'E=1.69');
    assertClean(session);
  } finally {
    await session.close();
  }
});
