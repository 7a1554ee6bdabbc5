// End-to-end tests of the planning panel (compute-optimal split, law comparison, cost, inverse,
// bottleneck) and of every preset, on the release build (dist/) served under /app/.
// Run: node --test tests/e2e/   (env DIST=other/folder to test another build)
// The preset test also saves a full-page screenshot per preset (docs/presets/ID.png with UPDATE_SCREENSHOTS=1, else test-results/presets/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, distDir, REPO_ROOT } from './server.mjs';
import {
  launchBrowser,
  openPage,
  assertClean,
  waitForInk,
  waitForFit,
  dataValue,
  numberValue,
  waitForValueChange,
  ensureSelected,
  assertNear,
  FIT_MS,
  useApp,
} from './helpers.mjs';

const T = { timeout: 180_000 };
const CHART = '[data-testid=chart]';
const SHOTS = path.join(REPO_ROOT, process.env.UPDATE_SCREENSHOTS ? 'docs' : 'test-results', 'presets');

const app = useApp();

/** Open `query` (e.g. `?preset=x`) in a fresh context, run `body`, assert a clean console, close. */
async function withApp(query, body) {
  const session = await openPage(app.browser, app.server.url + query);
  try {
    await body(session);
    assertClean(session);
  } finally {
    await session.close();
  }
}

/** Open the app and wait for the preset's first fit to be `ok`. */
function loadedApp(query, body) {
  return withApp(query, async (s) => {
    assert.equal(await waitForFit(s.page), 'ok', 'the preset should fit on load');
    await body(s);
  });
}

/** Assert |actual/expected - 1| <= rel. */
function assertRel(actual, expected, rel, what) {
  assert.ok(
    Number.isFinite(actual) && Math.abs(actual / expected - 1) <= rel,
    `${what}: got ${actual}, want ${expected} (±${rel} relative; off by ${actual / expected - 1})`,
  );
}

/** Fill a text field (fires `input`). */
async function fill(page, testid, text) {
  await page.locator(`[data-testid=${testid}]`).fill(text);
}

/** Wait until `[data-testid=ID]` has a finite numeric data-value; return it. */
async function waitForNumber(page, testid, timeout = FIT_MS) {
  const handle = await page.waitForFunction(
    (id) => {
      const el = document.querySelector(`[data-testid="${id}"]`);
      const v = el && el.getAttribute('data-value');
      return v !== null && v !== '' && Number.isFinite(Number(v)) ? v : false;
    },
    testid,
    { timeout, polling: 50 },
  );
  return Number(await handle.jsonValue());
}

/** Wait until `[data-testid=ID]`'s data-value is a finite number different from `old`; return it. */
async function waitForNewNumber(page, testid, old, timeout = FIT_MS) {
  return Number(await waitForValueChange(page, testid, old, timeout));
}

// Hoffmann et al. 2022 (arXiv 2203.15556), approach 3, printed and unrounded constants
// (docs/REFERENCES.md).
const HOFFMANN = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
const HOFFMANN_UNROUNDED = { E: 1.69337, A: 406.401, B: 410.723, alpha: 0.33917084, beta: 0.2849083 };

/** L(N, D) = E + A/N^alpha + B/D^beta. */
function chinchillaLoss({ E, A, B, alpha, beta }, n, d) {
  return E + A / n ** alpha + B / d ** beta;
}

/** The closed-form compute-optimal split of C = 6ND under a chinchilla law. */
function closedForm(law, budget) {
  const { A, B, alpha, beta } = law;
  const G = ((alpha * A) / (beta * B)) ** (1 / (alpha + beta));
  const n = G * (budget / 6) ** (beta / (alpha + beta));
  const d = (budget / 6) ** (alpha / (alpha + beta)) / G;
  return { n, d, loss: chinchillaLoss(law, n, d) };
}

/** On the compute-optimal frontier, D as a function of N: C/6 = (N/G)^((a+b)/b). */
function frontierD(law, n) {
  const { A, B, alpha, beta } = law;
  const G = ((alpha * A) / (beta * B)) ** (1 / (alpha + beta));
  return (n / G) ** (alpha / beta) / G;
}

/** Parse a number as the page prints it with format_si: `12.3B`, `456k`, `1.2T`, `3.1e19`. */
function parseSi(text) {
  const m = /^([0-9.]+(?:e[+-]?\d+)?)([kMBTP]?)$/.exec(text.trim());
  if (!m) return NaN;
  const scale = { '': 1, k: 1e3, M: 1e6, B: 1e9, T: 1e12, P: 1e15 }[m[2]];
  return Number(m[1]) * scale;
}

test('hoffmann-2022: the budget gives the closed-form split', T, () =>
  loadedApp('?preset=hoffmann-2022', async ({ page }) => {
    const budget = 5.76e23;
    const want = closedForm(HOFFMANN, budget);
    // The formula and the literals agree (a check of the test itself).
    assertRel(want.n, 32189859151.368168, 1e-12, 'closed-form N_opt vs literal');
    assertRel(want.d, 2982305686662.796, 1e-12, 'closed-form D_opt vs literal');
    assertRel(want.loss, 1.930748101731648, 1e-12, 'closed-form loss vs literal');

    assert.equal(
      await page.locator('[data-testid=plan-law-select]').inputValue(),
      'hoffmann-2022',
      'the hoffmann-2022 preset plans with the printed constants',
    );
    await fill(page, 'budget-input', '5.76e23');
    await page.waitForFunction(
      () => document.querySelector('[data-testid=budget-input]')?.value === '5.76e23',
    );
    const n = await waitForNumber(page, 'opt-N');
    const nRaw = await dataValue(page, 'opt-N');
    const d = await numberValue(page, 'opt-D');
    const loss = await numberValue(page, 'opt-loss');
    for (const [got, formula, literal, what] of [
      [n, want.n, 32189859151.368168, 'opt-N'],
      [d, want.d, 2982305686662.796, 'opt-D'],
      [loss, want.loss, 1.930748101731648, 'opt-loss'],
    ]) {
      assertRel(got, formula, 1e-9, `${what} vs the closed form`);
      assertRel(got, literal, 1e-9, `${what} vs the literal`);
    }

    await ensureSelected(page, 'plan-law-select', 'hoffmann-2022-unrounded');
    const nUnrounded = await waitForNewNumber(page, 'opt-N', nRaw);
    const wantUnrounded = closedForm(HOFFMANN_UNROUNDED, budget);
    assertRel(wantUnrounded.n, 40360908349.89, 1e-9, 'unrounded closed-form N_opt vs literal');
    assertRel(nUnrounded, 40360908349.89, 1e-9, 'opt-N with hoffmann-2022-unrounded');
    assertRel(nUnrounded, wantUnrounded.n, 1e-9, 'opt-N with hoffmann-2022-unrounded vs the closed form');
    assertRel(await numberValue(page, 'opt-D'), wantUnrounded.d, 1e-9, 'opt-D unrounded');
  }),
);

test("the three-law comparison at GPT-3's budget is visible", T, () =>
  loadedApp('', async ({ page }) => {
    assert.equal(await page.locator('[data-testid=preset-select]').inputValue(), 'gpt2-gpt3');
    assert.equal(await page.locator('[data-testid=budget-input]').inputValue(), '3.14e23');
    const table = page.locator('[data-testid=compare-table]');
    await table.waitFor({ state: 'visible', timeout: FIT_MS });
    const text = await table.innerText();
    for (const name of ['Hoffmann', 'Besiroglu', 'Kaplan']) {
      assert.ok(text.includes(name), `the comparison should name ${name}: ${JSON.stringify(text)}`);
    }
    const rows = await table.locator('tbody tr').count();
    assert.ok(rows >= 4, `at least 4 body rows, got ${rows}`);
  }),
);

test('the cost of the run on A100s at 40% MFU is shown with its assumptions', T, () =>
  loadedApp('', async ({ page }) => {
    assert.equal(await page.locator('[data-testid=accelerator-select]').inputValue(), 'a100');
    assert.equal(await page.locator('[data-testid=mfu-input]').inputValue(), '40');
    const priceText = await page.locator('[data-testid=price-input]').inputValue();
    assert.equal(priceText, '2.00', 'default price per accelerator-hour');
    const price = Number(priceText);

    const hours = await waitForNumber(page, 'cost-hours');
    const wantA100 = 3.14e23 / (312e12 * 0.4) / 3600;
    assertRel(wantA100, 698896.0113960113, 1e-12, 'A100 hours formula vs literal');
    assertRel(hours, wantA100, 1e-9, 'cost-hours on A100');
    assertRel(await numberValue(page, 'cost-money'), hours * price, 1e-9, 'cost-money = hours × price');
    assertRel(await numberValue(page, 'cost-energy'), hours * 0.4, 1e-9, 'cost-energy = hours × 0.4 kWh');

    const costText = await page.locator('details.cost').innerText();
    assert.match(costText, /assumption/i, `the cost should state its assumptions: ${JSON.stringify(costText)}`);
    assert.ok(await page.getByText(/assumption/i).first().isVisible(), 'an "assumption" text is visible');

    const hoursRaw = await dataValue(page, 'cost-hours');
    await page.locator('[data-testid=accelerator-select]').selectOption('h100');
    const hoursH100 = await waitForNewNumber(page, 'cost-hours', hoursRaw);
    assertRel(hoursH100, 3.14e23 / (989e12 * 0.4) / 3600, 1e-9, 'cost-hours on H100');
    assert.equal(await page.locator('[data-testid=power-input]').inputValue(), '700');
    assertRel(await numberValue(page, 'cost-energy'), hoursH100 * 0.7, 1e-9, 'H100 energy = hours × 0.7 kWh');

    await fill(page, 'mfu-input', '150');
    const err = page.locator('details.cost .input-error');
    await err.first().waitFor({ state: 'visible', timeout: FIT_MS });
    const msg = await err.first().innerText();
    assert.match(msg, /MFU/, `the error should name MFU: ${JSON.stringify(msg)}`);
    assert.equal(await page.locator('[data-testid=cost-hours]').count(), 0, 'no cost for a bad MFU');
    // No crash: the page still answers.
    await fill(page, 'mfu-input', '40');
    assertRel(await waitForNumber(page, 'cost-hours'), hoursH100, 1e-12, 'cost back at 40 % MFU');
  }),
);

test('inverting a target loss', T, () =>
  loadedApp('', async ({ page }) => {
    assert.equal(
      await page.locator('[data-testid=plan-law-select]').inputValue(),
      'hoffmann-2022',
      'the gpt2-gpt3 preset plans with hoffmann-2022',
    );
    // Under hoffmann-2022: N_opt of the budget whose compute-optimal loss is 2.0.
    await fill(page, 'invert-input', '2.0');
    const result = page.locator('[data-testid=invert-result]');
    await result.waitFor({ state: 'visible', timeout: FIT_MS });
    const n = await waitForNumber(page, 'invert-result');
    const nRaw = await dataValue(page, 'invert-result');
    // Exactly: on the frontier D is a function of N.
    const dExact = frontierD(HOFFMANN, n);
    assertRel(chinchillaLoss(HOFFMANN, n, dExact), 2.0, 1e-9, 'L(N, D_frontier(N)) at invert-result');
    // And from the words: "N = 12.3B on D = 456B tokens, a budget of 3.1e23 FLOP" (3 digits).
    const text = await result.innerText();
    const m = /N = (\S+) on D = (\S+) tokens, a budget of (\S+) FLOP/.exec(text);
    assert.ok(m, `the result should read "N = … on D = … tokens, a budget of … FLOP": ${JSON.stringify(text)}`);
    const [nShown, dShown, cShown] = m.slice(1).map(parseSi);
    assertRel(nShown, n, 5e-3, 'N shown vs data-value');
    assertRel(dShown, dExact, 5e-3, 'D shown vs the frontier');
    assertRel(cShown, 6 * n * dExact, 5e-3, 'budget shown vs 6ND');
    assertNear(chinchillaLoss(HOFFMANN, n, dShown), 2.0, 2e-3, 'L(N, D shown)');

    // With the fitted power law (A N^-alpha), the inverse is exact.
    await ensureSelected(page, 'plan-law-select', 'fit');
    const nFit = await waitForNewNumber(page, 'invert-result', nRaw);
    const A = await numberValue(page, 'fit-param-A');
    const alpha = await numberValue(page, 'fit-param-alpha');
    assertRel(A * nFit ** -alpha, 2.0, 1e-9, 'A N^-alpha at invert-result (fit)');

    // Below the irreducible loss of hoffmann-2022 (E = 1.69) nothing reaches it.
    await ensureSelected(page, 'plan-law-select', 'hoffmann-2022');
    await fill(page, 'invert-input', '1.5');
    const err = page.locator('[data-testid=invert-error]');
    await err.waitFor({ state: 'visible', timeout: FIT_MS });
    const msg = await err.innerText();
    assert.match(msg, /irreducible/i, `the error should mention the irreducible loss: ${JSON.stringify(msg)}`);
    assert.equal(await page.locator('[data-testid=invert-result]').count(), 0, 'no result below the floor');
  }),
);

test('bottleneck of GPT-3 under Hoffmann', T, () =>
  loadedApp('', async ({ page }) => {
    assert.equal(await page.locator('[data-testid=plan-law-select]').inputValue(), 'hoffmann-2022');
    assert.equal(await page.locator('[data-testid=predict-n]').inputValue(), '175B');
    assert.equal(await page.locator('[data-testid=predict-d]').inputValue(), '300B');
    const text = await page.locator('[data-testid=bottleneck]').innerText({ timeout: FIT_MS });
    assert.match(text, /grow data/, `bottleneck: ${JSON.stringify(text)}`);
    assert.match(text, /under-trained/, `bottleneck: ${JSON.stringify(text)}`);
    const want = chinchillaLoss(HOFFMANN, 175e9, 300e9);
    assertRel(want, 2.0022879365177095, 1e-12, 'formula vs literal');
    assertRel(await waitForNumber(page, 'prediction-nd'), want, 1e-9, 'prediction-nd');
  }),
);

test('every preset opens, draws and explains itself', { timeout: 900_000 }, async (t) => {
  // The preset ids, read from the page.
  let ids = [];
  await withApp('', async ({ page }) => {
    await waitForFit(page);
    ids = await page.$$eval('[data-testid=preset-select] option', (os) =>
      os.map((o) => o.value).filter((v) => v !== ''),
    );
  });
  assert.ok(ids.length >= 8, `expected at least 8 presets, got ${JSON.stringify(ids)}`);
  for (const id of [
    'gpt2-gpt3',
    'hoffmann-2022',
    'besiroglu-2024',
    'kaplan-2020',
    'deepseek-2024',
    'cerebras-gpt',
    'gpt3-family',
    'article-simulated',
  ]) {
    assert.ok(ids.includes(id), `preset ${id} should be offered: ${JSON.stringify(ids)}`);
  }
  fs.mkdirSync(SHOTS, { recursive: true });

  for (const id of ids) {
    await t.test(id, { timeout: 180_000 }, () =>
      withApp(`?preset=${encodeURIComponent(id)}`, async ({ page }) => {
        const state = await waitForFit(page);
        assert.equal(await page.locator('[data-testid=preset-select]').inputValue(), id);
        const ink = await waitForInk(page, CHART, 1000);
        const note = page.locator('.preset-note');
        await note.waitFor({ state: 'visible', timeout: FIT_MS });
        const noteText = await note.innerText();
        await page.screenshot({ path: path.join(SHOTS, `${id}.png`), fullPage: true });

        // Presets that are published laws without data (kaplan-2020, deepseek-2024, cerebras-gpt)
        // and the GPT-3 table without losses have nothing to fit: `none`, said in words, never
        // an error; those with runs to fit must fit.
        const status = await page.locator('[data-testid=fit-status]').innerText();
        const withRuns = ['gpt2-gpt3', 'hoffmann-2022', 'besiroglu-2024', 'olmo-ladder', 'nmt-learning-curve', 'article-simulated'];
        if (withRuns.includes(id)) {
          assert.equal(state, 'ok', `the ${id} preset has runs and should fit: ${status}`);
        } else {
          assert.equal(state, 'none', `the ${id} preset has nothing to fit: ${status}`);
          assert.equal(await page.locator('.fit-status.error').count(), 0, `${id}: no error styling`);
        }
        assert.ok(ink > 1000, `the chart should be drawn: ${ink} inked pixels`);
        assert.match(noteText, /Source/, `the preset note should cite its source: ${JSON.stringify(noteText)}`);

        if (id === 'cerebras-gpt') {
          assert.equal(await page.locator('[data-testid=predict-input]').inputValue(), '2.3e22');
          assertNear(await waitForNumber(page, 'prediction'), 1.5796, 5e-4, 'cerebras prediction at 2.3e22');
        }
        if (id === 'article-simulated') {
          // P = 1/(1 + N^-0.5) exactly: the fit must give X0 = 1 and alpha = 0.5.
          const x0 = await numberValue(page, 'fit-param-X0');
          const alpha = await numberValue(page, 'fit-param-alpha');
          const both = `X0 = ${x0}, alpha = ${alpha}`;
          assertRel(x0, 1, 1e-6, `fit-param-X0 (${both})`);
          assertRel(alpha, 0.5, 1e-6, `fit-param-alpha (${both})`);
        }
        if (id === 'gpt3-family') {
          const rows = page.locator('[data-testid=runs-table] tbody tr');
          await rows.first().waitFor({ state: 'attached', timeout: FIT_MS });
          const verdicts = await rows.allInnerTexts();
          assert.equal(verdicts.length, 8, `8 GPT-3 runs, got ${JSON.stringify(verdicts)}`);
          assert.ok(await page.locator('[data-testid=runs-table]').isVisible(), 'the runs table is visible');
          // Against Hoffmann's printed law (the preset's plan law), each run's tokens per parameter
          // (all on 300B tokens) over the compute-optimal ratio at its own C = 6ND: < 0.8 is
          // under-trained, > 1.25 over-trained. The small models (125M..2.65B, 2400..113 tokens per
          // parameter) are over-trained; 6.66B, 12.85B and 174.6B are under-trained.
          const sizes = [125e6, 356e6, 760e6, 1.32e9, 2.65e9, 6.66e9, 12.85e9, 174.6e9];
          sizes.forEach((n, i) => {
            const d = 300e9;
            const opt = closedForm(HOFFMANN, 6 * n * d);
            const ratio = d / n / (opt.d / opt.n);
            const want = ratio < 0.8 ? 'under-trained' : ratio > 1.25 ? 'over-trained' : 'near compute-optimal';
            assert.ok(
              verdicts[i].includes(want),
              `GPT-3 run ${i + 1} (N = ${n}, ${d / n} tokens/param, ${ratio.toFixed(3)}× optimal) should read "${want}": ${JSON.stringify(verdicts[i])}`,
            );
          });
          assert.match(verdicts[7], /under-trained/, 'GPT-3 175B is under-trained under Hoffmann');
        }
      }),
    );
  }
});

test('choosing a form that can plan, after pasting one\'s own runs, plans with one\'s own fit', T, () =>
  loadedApp('', async ({ page }) => {
    const text = 'N,D,L\n' + [[70e6, 1.4e9], [160e6, 6.4e9], [410e6, 8.2e9], [1e9, 40e9], [2.8e9, 56e9], [6.9e9, 276e9], [13e9, 260e9], [30e9, 900e9]]
      .map(([n, d], i) => `${n},${d},${((1.69 + 406.4 / n ** 0.34 + 410.7 / d ** 0.28) * (1 + 0.005 * Math.sin(i))).toFixed(5)}`).join('\n');
    await page.evaluate((t) => {
      const box = document.querySelector('[data-testid=data-input]');
      box.value = t;
      box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
    }, text);
    // The default form (power, a law of N alone) cannot plan: the published law stays.
    assert.equal(await waitForFit(page), 'ok');
    assert.equal(await page.locator('[data-testid=plan-law-select]').inputValue(), 'hoffmann-2022');
    await page.locator('[data-testid=model-select]').selectOption('chinchilla');
    await page.waitForFunction(() => document.querySelector('[data-testid=plan-law-select]').value === 'fit', null, { timeout: FIT_MS });
  }),
);

test('a degenerate fit\'s extreme numbers stay short: the page never grows wider than the window', T, () =>
  loadedApp('', async ({ page }) => {
    // Five points for chinchilla's five parameters: beta runs to 2.2 and B to 4.6e8, so the
    // bottleneck's gain ratio is about 1e300 (it was once written in 300 digits).
    const text = 'N,D,L\n70000000,1400000000,3.6929980733704215\n410000000,8200000000,2.8833904162387003\n' +
      '1000000000,20000000000,2.583688836003244\n2800000000,56000000000,2.323515457766704\n6900000000,138000000000,2.1647334625524164\n';
    await page.evaluate((t) => {
      const box = document.querySelector('[data-testid=data-input]');
      box.value = t;
      box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
    }, text);
    await page.locator('[data-testid=model-select]').selectOption('chinchilla');
    await page.waitForFunction(() => document.querySelector('[data-testid=plan-law-select]').value === 'fit', null, { timeout: FIT_MS });
    await page.locator('[data-testid=bottleneck]').waitFor({ state: 'attached', timeout: FIT_MS });
    assert.match(await page.locator('[data-testid=bottleneck]').innerText(), /e\d{2,3}×/, 'the ratio in scientific notation');
    await page.waitForTimeout(500);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 1280, `the page is ${width} px wide in a 1280 px window`);
  }),
);
