// End-to-end test of the IsoFLOP panel (issue "Plan the next run the way labs do", point 6): the
// runs of reference/isoflop_numpy.json (IsoFLOP sweeps of Hoffmann's law, 0.5 % noise) pasted,
// the panel opened: six profiles, their minima, the frontier exponent and its interval (checked
// against numpy natively in tests/isoflop.rs), the parabolas drawn, the bias stated, in both
// languages.
// Run: node --test tests/e2e/isoflop.test.mjs   (env DIST=other/folder to test another build)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { waitForFit, waitForInk, FIT_MS, useApp } from './helpers.mjs';

const T = { timeout: 180_000 };
const app = useApp();
const reference = JSON.parse(fs.readFileSync(new URL('../../reference/isoflop_numpy.json', import.meta.url)));

test('IsoFLOP sweeps: six parabolas, their minima, the frontier beside the fit', T, (t) =>
  app.withApp('', async ({ page }) => {
    // The page is up (its first fit shown) before the paste.
    assert.equal(await waitForFit(page), 'ok');
    await page.evaluate((text) => {
      const box = document.querySelector('[data-testid=data-input]');
      box.value = text;
      box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
    }, reference.text);
    await page.locator('[data-testid=model-select]').selectOption('chinchilla');
    assert.equal(await waitForFit(page, { states: ['ok'] }), 'ok');
    await page.locator('[data-testid=isoflop] summary').click();
    const exponent = page.locator('[data-testid=isoflop-exponent]');
    await exponent.waitFor({ timeout: FIT_MS });
    const e = Number(await exponent.getAttribute('data-value'));
    const [lo, hi] = [Number(await exponent.getAttribute('data-lo')), Number(await exponent.getAttribute('data-hi'))];
    t.diagnostic(`${await exponent.innerText()}`);
    assert.ok(Math.abs(e / reference.exponent - 1) < 1e-9, `${e} vs numpy ${reference.exponent}`);
    assert.ok(lo < reference.law_exponent && reference.law_exponent < hi);
    const rows = page.locator('[data-testid=isoflop-profile]');
    assert.equal(await rows.count(), 6);
    const minima = await rows.evaluateAll((r) => r.map((row) => Number(row.dataset.n)));
    minima.forEach((n, i) => assert.ok(Math.abs(n / reference.minima[i] - 1) < 1e-9, `${n} vs ${reference.minima[i]}`));
    // The parametric fit on the same runs, side by side.
    const parametric = Number(await page.locator('[data-testid=isoflop-parametric]').getAttribute('data-value'));
    t.diagnostic(`parametric chinchilla fit: N_opt ∝ C^${parametric}`);
    assert.ok(Math.abs(parametric - reference.law_exponent) < 0.05, `${parametric}`);
    assert.ok((await waitForInk(page, '[data-testid=isoflop-chart]', 500)) > 500, 'the parabolas are drawn');
    assert.ok((await waitForInk(page, '[data-testid=isoflop-frontier-chart]', 500)) > 500, 'the frontier is drawn');
    assert.match(await page.locator('[data-testid=isoflop]').innerText(), /Known bias/);
    await page.locator('[data-testid=lang-select]').selectOption('zh-Hant');
    await page.waitForFunction(() => /已知偏差/.test(document.querySelector('[data-testid=isoflop]').textContent), null, { timeout: FIT_MS });
  }),
);

test('runs that are not IsoFLOP sweeps are told so', T, () =>
  app.withApp('?preset=gpt2-gpt3', async ({ page }) => {
    assert.equal(await waitForFit(page), 'ok');
    await page.locator('[data-testid=isoflop] summary').click();
    await page.locator('[data-testid=isoflop-error]').waitFor({ timeout: FIT_MS });
    assert.match(await page.locator('[data-testid=isoflop-error]').innerText(), /IsoFLOP analysis needs/);
  }),
);
