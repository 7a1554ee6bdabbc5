// End-to-end tests of how far to trust a prediction (issue "Can I trust this extrapolation?",
// points 3-5): one new run's interval shown apart from the mean curve's, intervals on the plan
// from the bootstrap, and a prediction past anything a backtest tested said in words. The numbers
// are checked natively (tests/prediction.rs against numpy; tests/cli.rs).
// Run: node --test tests/e2e/trust.test.mjs   (env DIST=other/folder to test another build)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitForFit, waitForInk, FIT_MS, useApp, setData } from './helpers.mjs';

const T = { timeout: 300_000 };
const app = useApp();

const lohi = async (page, testid) => {
  const el = page.locator(`[data-testid=${testid}]`);
  return [Number(await el.getAttribute('data-lo')), Number(await el.getAttribute('data-hi'))];
};

async function runBootstrap(page, count = '200') {
  await page.locator('[data-testid=bootstrap-count]').fill(count);
  await page.locator('[data-testid=bootstrap-run]').click();
  await page.locator('[data-testid=bootstrap-state][data-state=done]').waitFor({ timeout: 240_000 });
}

test("one new run's range is shown apart from the mean curve's, and holds it", T, async (t) =>
  app.withApp('?preset=gpt2-gpt3', async ({ page }) => {
    assert.equal(await waitForFit(page), 'ok');
    await page.locator('[data-testid=predict-input]').fill('175B');
    const run = page.locator('[data-testid=prediction-run-interval]');
    await run.waitFor({ timeout: FIT_MS });
    const value = Number(await page.locator('[data-testid=prediction]').getAttribute('data-value'));
    const [lo, hi] = await lohi(page, 'prediction-run-interval');
    assert.ok(lo < value && value < hi, `${lo} < ${value} < ${hi}`);
    assert.match(await run.innerText(), /one new run 95%/);
    assert.match(await run.getAttribute('title'), /scatter/, 'the distinction is stated in words');

    await runBootstrap(page);
    await page.locator('[data-testid=prediction-interval]').waitFor({ timeout: FIT_MS });
    const [mlo, mhi] = await lohi(page, 'prediction-interval');
    const [rlo, rhi] = await lohi(page, 'prediction-run-interval');
    t.diagnostic(`at 175B: ${value}; mean [${mlo}, ${mhi}]; one run [${rlo}, ${rhi}]`);
    assert.ok(rlo <= mlo && mhi <= rhi, "one run's range holds the mean's");
    assert.match(await page.locator('[data-testid=prediction-interval]').innerText(), /mean curve 95%/);
    assert.ok((await waitForInk(page, '[data-testid=chart]')) > 1000);
  }),
);

test('the plan carries intervals from the bootstrap, and says when the optimum is beyond the runs', T, async (t) =>
  app.withApp('?preset=besiroglu-2024', async ({ page }) => {
    assert.equal(await waitForFit(page), 'ok');
    await page.locator('[data-testid=plan-law-select]').selectOption('fit');
    await page.locator('[data-testid=budget-input]').fill('1e24');
    await page.locator('[data-testid=opt-N]').waitFor({ timeout: FIT_MS });
    assert.equal(await page.locator('[data-testid=opt-N-interval]').count(), 0, 'no intervals before a bootstrap');
    await runBootstrap(page, '100');
    await page.locator('[data-testid=opt-N-interval]').waitFor({ timeout: FIT_MS });
    for (const key of ['N', 'D', 'loss']) {
      const value = Number(await page.locator(`[data-testid=opt-${key}]`).getAttribute('data-value'));
      const [lo, hi] = await lohi(page, `opt-${key}-interval`);
      t.diagnostic(`${key}_opt ${value} in [${lo}, ${hi}]`);
      assert.ok(lo < value && value < hi, `${key}: ${lo} < ${value} < ${hi}`);
    }
    const reach = await page.locator('[data-testid=opt-reach]').innerText();
    assert.match(reach, /beyond your largest run/, reach);
  }),
);

test('a prediction past anything the backtest tested is said so', T, async (t) =>
  app.withApp('?preset=olmo-ladder', async ({ page }) => {
    assert.equal(await waitForFit(page), 'ok');
    await page.locator('[data-testid=model-select]').selectOption('power-offset');
    await page.locator('[data-testid=x-select]').selectOption('N');
    await page.locator('[data-testid=fit-status][data-state=ok]').waitFor({ timeout: FIT_MS });
    await page.locator('[data-testid=predict-input]').fill('1T');
    await page.locator('[data-testid=prediction]').waitFor({ timeout: FIT_MS });
    assert.equal(await page.locator('[data-testid=prediction-past-backtest]').count(), 0, 'no backtest yet');
    await page.locator('[data-testid=backtest] summary').click();
    await page.locator('[data-testid=backtest-by]').selectOption('N');
    await page.locator('[data-testid=backtest-run]').click();
    await page.locator('[data-testid=backtest-state][data-state=done]').waitFor({ timeout: 240_000 });
    const past = page.locator('[data-testid=prediction-past-backtest]');
    await past.waitFor({ timeout: FIT_MS });
    const tested = Number(await past.getAttribute('data-tested'));
    t.diagnostic(`${await past.innerText()} (tested ${tested})`);
    assert.ok(tested > 0.5 && tested < 2, `the rollout held out runs up to ~1 decade past a cut: ${tested}`);
    // A target within what was tested: no such note.
    await page.locator('[data-testid=predict-input]').fill('2B');
    await page.waitForFunction(() => !document.querySelector('[data-testid=prediction-past-backtest]'), null, { timeout: FIT_MS });
  }),
);

// The OLMo ladder's point: fit the 24 small runs, see how close the law comes to 7B and 13B
// (SciPy's predictions 2.455 and 2.370, docs/REFERENCES.md; tests/olmo.rs checks the numbers).
test('the runs left out of the fit are checked against what the law predicts', T, async (t) =>
  app.withApp('?preset=olmo-ladder', async ({ page }) => {
    assert.equal(await waitForFit(page), 'ok');
    const rows = page.locator('[data-testid=held-out-row]');
    await rows.first().waitFor({ timeout: FIT_MS });
    assert.equal(await rows.count(), 2);
    const read = async (i) => {
      const row = rows.nth(i);
      const get = async (a) => row.getAttribute(`data-${a}`);
      return {
        row: Number(await get('row')), predicted: Number(await get('predicted')),
        actual: Number(await get('actual')), error: Number(await get('error')),
        lo: Number(await get('lo')), hi: Number(await get('hi')), inside: await get('inside'),
        decades: Number(await get('decades')), text: await row.innerText(),
      };
    };
    for (const [i, [label, want, actual]] of [['7B-4T', 2.455, 2.48292], ['13B-5T', 2.370, 2.43758]].entries()) {
      const r = await read(i);
      t.diagnostic(r.text);
      assert.ok(r.text.includes(label), r.text);
      assert.ok(Math.abs(r.predicted - want) < 6e-4 * want, `${label}: ${r.predicted}`);
      assert.equal(r.actual, actual);
      assert.ok(Math.abs(r.error - (r.predicted - actual) / actual) < 1e-12);
      assert.ok(r.lo < r.predicted && r.predicted < r.hi && r.inside === 'inside', JSON.stringify(r));
      assert.ok(r.decades > 1.5 && r.decades < 2.5, `compute past the ladder: ${r.decades}`);
    }
    const summary = page.locator('[data-testid=held-out-summary]');
    assert.equal(await summary.getAttribute('data-inside'), '2');
    assert.equal(await summary.getAttribute('data-of'), '2');
    assert.doesNotMatch(await summary.innerText(), /outliers|too confident/, 'nothing missed, nothing to explain');
    // In Chinese, the same check.
    await page.locator('[data-testid=lang-select]').selectOption('zh-Hant');
    await page.waitForFunction(() => document.querySelector('[data-testid=held-out] caption')?.textContent.includes('未納入擬合'), null, { timeout: FIT_MS });
    assert.match(await rows.nth(0).innerText(), /在區間內/);
    // A bootstrap's laws give the intervals instead of the delta method.
    const before = await read(1);
    await runBootstrap(page, '200');
    await page.waitForFunction((lo) => Number(document.querySelectorAll('[data-testid=held-out-row]')[1]?.getAttribute('data-lo')) !== lo, before.lo, { timeout: FIT_MS });
    const after = await read(1);
    assert.equal(after.predicted, before.predicted);
    assert.ok(after.lo < after.predicted && after.predicted < after.hi, JSON.stringify(after));
    // Taking a target into the fit removes it from the check.
    await page.locator('[data-testid=data-input]').evaluate((el) => {
      el.value = el.value.replace('#13B-5T', '13B-5T');
      el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
    });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=held-out-row]').length === 1, null, { timeout: FIT_MS });
    assert.equal(await rows.first().getAttribute('data-row'), String(before.row - 1));
  }),
);

test('of many held-out rows the table shows the furthest out, and says how many there are', T, async () =>
  app.withApp('', async ({ page }) => {
    assert.equal(await waitForFit(page), 'ok');
    // 10 fitted runs and 20 held out, on L = 400 N^-0.3 with ±2 % scatter.
    const lines = ['N,L'];
    for (let i = 0; i < 30; i++) {
      const n = 10 ** (6 + (4 * i) / 29);
      lines.push(`${i >= 10 ? '#' : ''}${n},${400 * n ** -0.3 * (i % 2 ? 1.02 : 0.98)}`);
    }
    await setData(page, lines.join('\n'));
    const more = page.locator('[data-testid=held-out-more]');
    await more.waitFor({ timeout: FIT_MS });
    assert.equal(await more.getAttribute('data-all'), '20');
    const rows = await page.locator('[data-testid=held-out-row]').evaluateAll((els) => els.map((e) => Number(e.dataset.row)));
    // The furthest out are the last 12 lines of the text (lines 20 to 31), in the text's order.
    assert.deepEqual(rows, Array.from({ length: 12 }, (_, i) => 20 + i));
  }),
);

test('held-out runs missed within the fitted range are said to be unlike the others', T, async () =>
  app.withApp('?preset=besiroglu-2024', async ({ page }) => {
    assert.equal(await waitForFit(page), 'ok');
    // Epoch's 5 dropped runs: the highest losses, at the smallest scales, far above the law.
    const summary = page.locator('[data-testid=held-out-summary]');
    await summary.waitFor({ timeout: FIT_MS });
    assert.equal(await summary.getAttribute('data-of'), '5');
    assert.equal(await summary.getAttribute('data-inside'), '0');
    const said = await summary.innerText();
    assert.match(said, /outliers/, said);
    assert.doesNotMatch(said, /too confident/, said);
    const errors = await page.locator('[data-testid=held-out-row]').evaluateAll((els) => els.map((e) => Number(e.dataset.error)));
    assert.ok(errors.every((e) => e < -0.05), `all far below the actual losses: ${errors}`);
  }),
);
