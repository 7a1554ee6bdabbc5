// End-to-end tests of the backtest panel (issue "Can I trust this extrapolation?"): the rollout of
// the chosen law and the ranking of every form, run in the worker pool, with the verdict in words.
// Run: node --test tests/e2e/backtest.test.mjs   (env DIST=other/folder to test another build)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitForFit, waitForInk, FIT_MS, useApp } from './helpers.mjs';

const T = { timeout: 300_000 };
const app = useApp();

/** Opens the panel, runs the backtest by `by`, waits until every form has answered. */
async function runBacktest(page, by = 'N') {
  await page.locator('[data-testid=backtest] summary').click();
  await page.locator('[data-testid=backtest-by]').selectOption(by);
  await page.locator('[data-testid=backtest-run]').click();
  await page.locator('[data-testid=backtest-state][data-state=done]').waitFor({ timeout: 240_000 });
}

test('the OLMo ladder: a rollout of its law, every form ranked, the verdict in words', T, (t) =>
  app.withApp('?preset=olmo-ladder', async ({ page }) => {
    assert.equal(await waitForFit(page), 'ok');
    await runBacktest(page, 'N');
    // Cuts between the ladder's four sizes (190M, 370M, 760M | 1.3B held out last).
    const cuts = page.locator('[data-testid=backtest-cut]');
    assert.equal(await cuts.count(), 3, 'a cut after each of the first three sizes');
    const trainMax = await cuts.evaluateAll((rows) => rows.map((r) => Number(r.dataset.trainMax)));
    assert.equal(trainMax[0], 190354176, 'the first cut trains on the 190M runs');
    for (let i = 1; i < trainMax.length; i++) assert.ok(trainMax[i - 1] < trainMax[i], `ascending: ${trainMax}`);
    for (const row of await cuts.all()) {
      assert.ok(Number.isFinite(Number(await row.getAttribute('data-rmsle'))), 'each cut has its RMSLE');
      assert.ok(Number.isFinite(Number(await row.getAttribute('data-bias'))), 'each cut has its bias');
    }
    const ranks = page.locator('[data-testid=law-rank]');
    const models = await ranks.evaluateAll((rows) => rows.map((r) => r.dataset.model));
    for (const m of ['power', 'power-offset', 'chinchilla', 'multiplicative']) {
      assert.ok(models.includes(m), `${m} is ranked: ${models}`);
    }
    const rmsle = await ranks.evaluateAll((rows) => rows.map((r) => Number(r.dataset.rmsle)));
    for (let i = 1; i < rmsle.length; i++) assert.ok(rmsle[i - 1] <= rmsle[i], `best first: ${rmsle}`);
    const verdict = await page.locator('[data-testid=backtest-verdict]').innerText();
    t.diagnostic(verdict);
    assert.match(verdict, new RegExp(`${models[0]} extrapolated best on your runs`));
    assert.ok((await waitForInk(page, '[data-testid=backtest-chart]', 500)) > 500, 'the chart is drawn');
    // It suggests; the law on screen stays.
    assert.equal(await page.locator('[data-testid=model-select]').inputValue(), 'chinchilla');
  }),
);

test('the Chinchilla runs by compute: the early cuts collapse, and the page says so', T, (t) =>
  app.withApp('?preset=besiroglu-2024', async ({ page }) => {
    assert.equal(await waitForFit(page), 'ok');
    await page.locator('[data-testid=backtest] summary').click();
    await page.locator('[data-testid=backtest-by]').selectOption('C');
    await page.locator('[data-testid=backtest-run]').click();
    // While it runs in the workers, the page answers: switching the language re-renders it.
    await page.locator('[data-testid=lang-select]').selectOption('zh-Hant');
    await page.waitForFunction(() => document.querySelector('h1').textContent.includes('計算器'), null, { timeout: FIT_MS });
    await page.locator('[data-testid=lang-select]').selectOption('en');
    t.diagnostic(`while the backtest ran: ${await page.locator('[data-testid=backtest-state]').getAttribute('data-state')}`);
    await page.locator('[data-testid=backtest-state][data-state=done]').waitFor({ timeout: 240_000 });
    const verdict = await page.locator('[data-testid=backtest-verdict]').innerText();
    t.diagnostic(verdict);
    assert.match(verdict, /a law fitted on small runs alone would have misled/);
    const first = page.locator('[data-testid=backtest-cut]').first();
    assert.ok(Number(await first.getAttribute('data-train-max')) < 1e19, 'the first cut is below 1e19 FLOP');
  }),
);
