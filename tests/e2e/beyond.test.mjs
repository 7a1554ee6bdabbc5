// End-to-end tests of planning beyond the compute-optimal split (issue "Plan the next run the way
// labs do"): limited unique data, inference-aware size, learning rate and batch size, a model
// shape, in both languages and in share links. The numbers are checked natively
// (tests/planning.rs: the datablations optimum, SciPy's inference-aware size, REFERENCES values).
// Run: node --test tests/e2e/beyond.test.mjs   (env DIST=other/folder to test another build)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, assertClean, waitForInk, FIT_MS, useApp, shareLink } from './helpers.mjs';

const T = { timeout: 180_000 };
const app = useApp();

const value = async (page, testid) =>
  Number(await page.locator(`[data-testid=${testid}]`).getAttribute('data-value'));

test('25B unique tokens, 1T served: the datablations optimum, a smaller model, rates, a shape', T, async (t) => {
  let link;
  await app.withApp('', async ({ page }) => {
    await page.locator('[data-testid=plan-law-select]').selectOption('muennighoff-2023');
    await page.locator('[data-testid=budget-input]').fill(String(6 * 8.67e9 * 178e9));
    await page.locator('[data-testid=unique-tokens]').fill('25B');
    await page.locator('[data-testid=limited-D]').waitFor({ timeout: FIT_MS });
    const [d, epochs, n] = [await value(page, 'limited-D'), await value(page, 'limited-epochs'), await value(page, 'limited-N')];
    t.diagnostic(`with 25B unique: N ${n}, D ${d}, ${epochs} epochs`);
    assert.ok(Math.abs(d / 227e9 - 1) < 0.01, `about 227B tokens: ${d}`);
    assert.ok(Math.abs(epochs - 9.1) < 0.05, `about 9.1 epochs: ${epochs}`);
    assert.ok(Math.abs(n / 6.8e9 - 1) < 0.01, `about 6.8B parameters: ${n}`);
    assert.ok((await value(page, 'repetition-cost')) > 0, 'repetition costs loss');

    await page.locator('[data-testid=inference-tokens]').fill('1T');
    await page.locator('[data-testid=inference-N]').waitFor({ timeout: FIT_MS });
    assert.ok((await value(page, 'inference-N')) < (await value(page, 'opt-N')), 'serving asks for a smaller model');
    assert.ok((await value(page, 'inference-saving')) > 0);
    assert.ok((await waitForInk(page, '[data-testid=inference-chart]', 500)) > 500, 'total FLOP against N is drawn');

    for (const id of ['hyper-deepseek', 'hyper-step-law']) {
      const row = page.locator(`[data-testid=${id}]`);
      assert.ok(Number(await row.getAttribute('data-lr')) > 0 && Number(await row.getAttribute('data-batch')) > 0, id);
    }
    // DeepSeek's law was fitted on 1e17-2e19 FLOP: this 9.3e21 budget is 2.7 decades past it.
    assert.ok(Number(await page.locator('[data-testid=hyper-deepseek]').getAttribute('data-outside')) > 2.6);
    assert.ok((await value(page, 'shape-layers')) >= 1 && (await value(page, 'shape-width')) % 128 === 0);
    // k derived with attention counted (DeepSeek's M / N = 6 + l/d) can be planned with.
    await page.locator('[data-testid=shape-sequence]').fill('8192');
    const button = page.locator('[data-testid=use-k-with-attention]');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=use-k-with-attention]')?.dataset.value) > 6.5, null, { timeout: FIT_MS });
    const derivedK = Number(await button.getAttribute('data-value'));
    const width = await value(page, 'shape-width');
    assert.ok(Math.abs(derivedK - (6 + 8192 / width)) < 1e-9, `k = 6 + l/d: ${derivedK}`);
    const nBefore = await value(page, 'opt-N');
    await button.click();
    await page.waitForFunction((old) => Number(document.querySelector('[data-testid=opt-N]').dataset.value) !== old, nBefore, { timeout: FIT_MS });
    assert.equal(Number(await page.locator('[data-testid=flop-k]').inputValue()), Number(derivedK.toPrecision(4)));
    await page.locator('[data-testid=flop-k]').fill('6');

    // A law without repetition: said in words.
    link = await shareLink(page);
    await page.locator('[data-testid=plan-law-select]').selectOption('hoffmann-2022');
    await page.locator('[data-testid=limited-error]').waitFor({ timeout: FIT_MS });
    assert.match(await page.locator('[data-testid=limited-error]').innerText(), /data-constrained/);
    await page.locator('[data-testid=lang-select]').selectOption('zh-Hant');
    await page.waitForFunction(() => /資料受限定律/.test(document.querySelector('[data-testid=limited-error]').textContent), null, { timeout: FIT_MS });
    assert.match(await page.locator('.plan-panel').innerText(), /考慮推論成本的模型大小/);
  });
  const session = await openPage(app.browser, link);
  try {
    const { page } = session;
    await page.locator('[data-testid=limited-D]').waitFor({ timeout: FIT_MS });
    assert.equal(await page.locator('[data-testid=unique-tokens]').inputValue(), '25B');
    assert.equal(await page.locator('[data-testid=inference-tokens]').inputValue(), '1T');
    assertClean(session);
  } finally {
    await session.close();
  }
});

test('the next experiments: ladders 1 % of the budget affords, best first, the best as CSV', T, async (t) =>
  app.withApp('?preset=hoffmann-2022', async ({ page }) => {
    await page.locator('[data-testid=budget-input]').fill('1e23');
    await page.locator('[data-testid=ladder-run]').click();
    const rows = page.locator('[data-testid=ladder-row]');
    await rows.first().waitFor({ timeout: 120_000 });
    assert.equal(await rows.count(), 5, 'the five best ladders');
    const errors = await rows.evaluateAll((r) => r.map((row) => Number(row.dataset.error)));
    const flops = await rows.evaluateAll((r) => r.map((row) => Number(row.dataset.flop)));
    const spread = Number(await page.locator('[data-testid=ladder-error]').first().getAttribute('data-spread'));
    assert.ok(spread > 0 && spread < errors[0], `the best score's Monte-Carlo error: ${spread}`);
    t.diagnostic(`expected errors ${errors.map((e) => (100 * e).toFixed(2) + ' %').join(', ')}`);
    for (let i = 1; i < errors.length; i++) assert.ok(errors[i - 1] <= errors[i], `best first: ${errors}`);
    flops.forEach((f) => assert.ok(Math.abs(f / 1e21 - 1) < 1e-9, `1 % of the budget: ${f}`));
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=ladder-csv]').click()]);
    const file = await download.path();
    const csv = (await import('node:fs')).readFileSync(file, 'utf8');
    assert.ok(csv.startsWith('N,D,C,tokens_per_param\n'), csv.slice(0, 60));
    const runs = Number(await rows.first().getAttribute('data-runs'));
    assert.equal(csv.trim().split('\n').length, runs + 1);
  }),
);
