// End-to-end test of task accuracy chained to scale (issue "Plan the next run the way labs do",
// point 5): on the OLMo ladder preset, HellaSwag's task loss and accuracy columns picked, the
// chain fitted in the worker on the 24 ladder runs and checked on the held-out 7B and 13B models;
// their errors are shown (checked against SciPy natively: tests/task.rs, +9.1 % and +12.4 %).
// Run: node --test tests/e2e/task.test.mjs   (env DIST=other/folder to test another build)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { openPage, assertClean, waitForFit, FIT_MS, useApp, shareLink } from './helpers.mjs';

const T = { timeout: 180_000 };
const app = useApp();
const reference = JSON.parse(fs.readFileSync(new URL('../../reference/task_chain_scipy.json', import.meta.url)));

test("the OLMo ladder's HellaSwag chain: its error on the held-out 7B and 13B", T, async (t) => {
  let link;
  await app.withApp('?preset=olmo-ladder', async ({ page }) => {
    assert.equal(await waitForFit(page), 'ok');
    await page.locator('[data-testid=task] summary').click();
    assert.equal(await page.locator('[data-testid=task-loss-column]').inputValue(), 'hellaswag_bpb');
    assert.equal(await page.locator('[data-testid=task-accuracy-column]').inputValue(), 'hellaswag_acc');
    const checks = page.locator('[data-testid=task-check]');
    await checks.first().waitFor({ timeout: FIT_MS });
    assert.equal(await checks.count(), 2);
    const got = await checks.evaluateAll((rows) => rows.map((r) => [Number(r.dataset.predicted), Number(r.dataset.error)]));
    got.forEach(([predicted, error], i) => {
      t.diagnostic(`${reference.checks[i].model}: predicted ${predicted}, error ${(100 * error).toFixed(1)} %`);
      assert.ok(Math.abs(predicted - reference.checks[i].predicted_accuracy) < 1e-4, `${predicted}`);
    });
    assert.match(await page.locator('[data-testid=task]').innerText(), /do not scale predictably/);
    // Another task: ARC-Easy's columns.
    await page.locator('[data-testid=task-loss-column]').selectOption('arc_easy_bpb');
    await page.locator('[data-testid=task-accuracy-column]').selectOption('arc_easy_acc');
    await page.waitForFunction(
      (old) => {
        const row = document.querySelector('[data-testid=task-check]');
        return row && Number(row.dataset.predicted) !== old;
      },
      got[0][0],
      { timeout: FIT_MS },
    );
    // Step 1 by another law of N and D: the chain is refitted (the forms offered are those of
    // N and D alone).
    const offered = await page.locator('[data-testid=task-model] option').evaluateAll((o) => o.map((x) => x.value));
    assert.ok(offered.includes('chinchilla') && offered.includes('kaplan-joint') && !offered.includes('power'), `${offered}`);
    const before = Number(await page.locator('[data-testid=task-check]').first().getAttribute('data-predicted'));
    await page.locator('[data-testid=task-model]').selectOption('kaplan-joint');
    await page.waitForFunction(
      (old) => {
        const row = document.querySelector('[data-testid=task-check]');
        return row && Number(row.dataset.predicted) !== old;
      },
      before,
      { timeout: FIT_MS },
    );
    assert.match(await page.locator('[data-testid=task-loss-law]').innerText(), /\]\^/, 'kaplan-joint\'s formula');
    // The columns and the law picked travel in the share link.
    link = await shareLink(page);
  });
  const session = await openPage(app.browser, link);
  try {
    await session.page.locator('[data-testid=task] summary').click();
    assert.equal(await session.page.locator('[data-testid=task-loss-column]').inputValue(), 'arc_easy_bpb');
    assert.equal(await session.page.locator('[data-testid=task-accuracy-column]').inputValue(), 'arc_easy_acc');
    assert.equal(await session.page.locator('[data-testid=task-model]').inputValue(), 'kaplan-joint');
    await session.page.locator('[data-testid=task-check]').first().waitFor({ timeout: FIT_MS });
    assertClean(session);
  } finally {
    await session.close();
  }
});
