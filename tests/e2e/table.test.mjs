// End-to-end tests of the data table and the data export (issue 14, points 6, 8 and the table's
// part of 9): "Add a row" with TSV and CSV, every row of a long table reachable page by page (and
// never drawn whole), a column mapped without rewriting its header (and the choice kept in a share
// link), the name column shown as the points' names, a point left out by clicking it on the chart,
// an accessible name on every input of the table, and the points' names in the CSV export.
// Run: node --test tests/e2e/table.test.mjs   (env DIST=other/folder to test another build)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './server.mjs';
import { openPage, assertClean, waitForFit, numberValue, assertNear, FIT_MS, useApp, shareLink } from './helpers.mjs';

const T = { timeout: 240_000 };
const app = useApp();

/** Open the app (the default preset), wait for its fit, run `body`, assert a clean console. */
async function withApp(body, search = '') {
  const session = await openPage(app.browser, app.server.url + search);
  try {
    assert.equal(await waitForFit(session.page), 'ok', 'the page fits on load');
    await body(session);
    assertClean(session);
  } finally {
    await session.close();
  }
}

/** A person's paste into the data box: the whole text in one `input` event. */
async function paste(page, text) {
  await page.evaluate((t) => {
    const box = document.querySelector('[data-testid=data-input]');
    box.value = t;
    box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
  }, text);
}

/** Wait until the fit is `ok` with `Fitted ${n} points`. */
async function waitForPoints(page, n, timeout = FIT_MS) {
  await page.waitForFunction(
    (want) => {
      const el = document.querySelector('[data-testid=fit-status]');
      return el && el.getAttribute('data-state') === 'ok' && el.textContent.includes(`Fitted ${want} points`);
    },
    n,
    { timeout, polling: 50 },
  );
}

const dataText = (page) => page.locator('[data-testid=data-input]').inputValue();

/** Wait until the data text satisfies `check` (a predicate run in node); returns it. */
async function waitForText(page, check, what) {
  const deadline = Date.now() + FIT_MS;
  for (;;) {
    const text = await dataText(page);
    if (check(text)) return text;
    if (Date.now() > deadline) assert.fail(`${what}; the text is:\n${text.slice(0, 2000)}`);
    await page.waitForTimeout(50);
  }
}

/** Open the table's fold if it is closed. */
async function openTable(page) {
  const table = page.locator('details.data-table');
  if ((await table.getAttribute('open')) === null) await table.locator('summary').click();
}

/** L = 5 N^-0.1 on `rows` rows, N log-spaced from 1e6 (short decimal text), separated by `sep`. */
function runs(rows, sep = ',') {
  const lines = [`N${sep}L`];
  for (let i = 0; i < rows; i++) {
    const n = 10 ** (6 + (4 * i) / Math.max(rows - 1, 1));
    lines.push(`${n.toPrecision(6)}${sep}${(5 * n ** -0.1).toPrecision(6)}`);
  }
  return `${lines.join('\n')}\n`;
}

// 1 ─────────────────────────────────────────────────────────────────────────────────────────
test('Add a row gives an empty row to fill in, with TSV and with CSV data', T, () =>
  withApp(async ({ page }) => {
    for (const [name, sep] of [['TSV', '\t'], ['CSV', ',']]) {
      const text = runs(4, sep);
      await paste(page, text);
      await waitForPoints(page, 4);
      await openTable(page);
      await page.locator('[data-testid=row-add]').click();
      const added = await waitForText(page, (t) => t !== text, `${name}: Add a row changes the text`);
      assert.equal(added, `${text}${sep}\n`, `${name}: a line of separators, the new row's empty cells`);
      const cell0 = page.locator('[data-testid=cell-4-0]');
      const cell1 = page.locator('[data-testid=cell-4-1]');
      assert.equal(await cell0.inputValue(), '', `${name}: the new row is in the table`);
      await cell0.fill('3e10');
      await cell0.dispatchEvent('change');
      await cell1.fill('2.5');
      await cell1.dispatchEvent('change');
      await waitForPoints(page, 5);
      assert.equal(await dataText(page), `${text}3e10${sep}2.5\n`, `${name}: the row is filled in`);
    }
  }),
);

test('the table follows the text: a changed value, a row more, a row less, on a later page too', T, () =>
  withApp(async ({ page }) => {
    const cell = (i, c) => page.locator(`[data-testid=cell-${i}-${c}]`);
    for (const rows of [4, 150]) {
      const text = runs(rows);
      await paste(page, text);
      await waitForPoints(page, rows);
      await openTable(page);
      const i = rows - 1;
      if (rows > 100) await page.locator('[data-testid=rows-page]').selectOption('1');
      // The same number of rows, one value changed in the text.
      const changed = text.replace(/,[0-9.]+\n$/, ',0.25\n');
      await page.evaluate((t) => {
        const box = document.querySelector('[data-testid=data-input]');
        box.value = t;
        box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText' }));
      }, changed);
      await page.waitForFunction((id) => document.querySelector(`[data-testid=${id}]`)?.value === '0.25', `cell-${i}-1`);
      // A row more, then a row less.
      await page.evaluate((t) => {
        const box = document.querySelector('[data-testid=data-input]');
        box.value = t;
        box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText' }));
      }, `${changed}1e11,0.2\n`);
      await cell(i + 1, 0).waitFor();
      assert.equal(await cell(i + 1, 1).inputValue(), '0.2');
      await page.evaluate((t) => {
        const box = document.querySelector('[data-testid=data-input]');
        box.value = t;
        box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText' }));
      }, changed);
      await cell(i + 1, 0).waitFor({ state: 'detached' });
      assert.equal(await cell(i, 1).inputValue(), '0.25');
    }
  }),
);

// 2 ─────────────────────────────────────────────────────────────────────────────────────────
test('every row of a long table can be reached page by page and left out', T, (t) =>
  withApp(async ({ page }) => {
    for (const rows of [250, 10_000]) {
      const text = runs(rows);
      await paste(page, text);
      await waitForPoints(page, rows);
      const shown = () => page.locator('details.data-table table tbody tr').count();
      if (rows === 250) {
        // Folded, the table builds no rows at all: typing in the box above costs it nothing.
        assert.equal(await page.locator('details.data-table').getAttribute('open'), null, 'a long table opens folded');
        assert.equal(await shown(), 0, 'a folded table has no rows in the page');
      }
      await openTable(page);
      await page.locator('[data-testid=row-use-0]').waitFor();
      assert.equal(await shown(), 100, `${rows} rows: one page of 100 is drawn`);
      const pages = Math.ceil(rows / 100);
      assert.equal(await page.locator('[data-testid=rows-page] option').count(), pages);
      assert.equal(await page.locator('[data-testid=rows-prev]').isDisabled(), true, 'no page before the first');
      // The next page by its button; the last one by the menu of pages.
      await page.locator('[data-testid=rows-next]').click();
      await page.locator('[data-testid=row-use-100]').waitFor();
      assert.equal(await page.locator('[data-testid=row-use-99]').count(), 0, 'the first page is gone');
      await page.locator('[data-testid=rows-page]').selectOption(String(pages - 1));
      const last = page.locator(`[data-testid=row-use-${rows - 1}]`);
      await last.waitFor();
      assert.ok((await shown()) <= 100, 'never more than a page of rows');
      assert.equal(await page.locator('[data-testid=rows-next]').isDisabled(), true, 'no page after the last');
      // The last row, past the first 100, leaves the fit.
      await last.uncheck();
      await waitForPoints(page, rows - 1);
      const lines = (await dataText(page)).split('\n');
      assert.ok(lines[rows].startsWith('#'), `the last row is marked #: ${lines[rows]}`);
      assert.equal(lines.filter((l) => l.startsWith('#')).length, 1, 'only that row');
      assert.equal(await last.isChecked(), false);
      // Previous goes back a page.
      await page.locator('[data-testid=rows-prev]').click();
      await page.locator(`[data-testid=row-use-${(pages - 2) * 100}]`).waitFor();
      t.diagnostic(`${rows} rows: ${pages} pages of at most 100 rows`);
    }
  }),
);

// 3 ─────────────────────────────────────────────────────────────────────────────────────────
test("mapping a column keeps the person's header and the choice travels in the share link", T, async () => {
  const text = `size_of_model,val,note\n${runs(8).split('\n').slice(1).map((l) => (l ? `${l},x` : '')).join('\n')}`;
  let link;
  let alpha;
  await withApp(async ({ page }) => {
    await paste(page, text);
    assert.equal(await waitForFit(page, { states: ['error'] }), 'error', 'no N and L: no fit');
    await openTable(page);
    assert.equal(await page.locator('[data-testid=column-map-0]').inputValue(), 'ignored');
    await page.locator('[data-testid=column-map-0]').selectOption('N');
    await page.locator('[data-testid=column-map-1]').selectOption('L');
    await waitForPoints(page, 8);
    assert.equal(await dataText(page), text, 'the text, header and all, is as the person wrote it');
    assert.equal(await page.locator('details.data-table table thead .col-name').first().innerText(), 'size_of_model');
    alpha = await numberValue(page, 'fit-param-alpha');
    assertNear(alpha, 0.1, 1e-5, 'alpha');
    link = await shareLink(page);
  });
  // The link opens the same columns in a fresh browser.
  const session = await openPage(app.browser, link);
  try {
    const { page } = session;
    await waitForPoints(page, 8);
    assert.equal(await dataText(page), text);
    await openTable(page);
    assert.equal(await page.locator('[data-testid=column-map-0]').inputValue(), 'N');
    assert.equal(await page.locator('[data-testid=column-map-1]').inputValue(), 'L');
    assert.equal(await page.locator('[data-testid=column-map-2]').inputValue(), 'ignored');
    assert.equal(await numberValue(page, 'fit-param-alpha'), alpha, 'the same fit');
    assertClean(session);
  } finally {
    await session.close();
  }
});

// 4 ─────────────────────────────────────────────────────────────────────────────────────────
test("the name column shows as the points' names", T, () =>
  withApp(async ({ page }) => {
    // The default preset: model,N,L with the GPT-2 checkpoints.
    assert.match(await dataText(page), /^model,N,L\n/);
    const map = page.locator('[data-testid=column-map-0]');
    assert.equal(await map.inputValue(), 'name');
    assert.equal((await map.locator('option:checked').innerText()).trim(), 'names');
    // Chosen as ignored, the names leave the chart's tooltips; back to names, they return.
    await map.selectOption('ignored');
    assert.equal(await page.locator('[data-testid=column-map-0]').inputValue(), 'ignored');
    assert.match(await dataText(page), /^model,N,L\n/, 'the header stays');
    await page.locator('[data-testid=column-map-0]').selectOption('name');
    assert.equal(await page.locator('[data-testid=column-map-0]').inputValue(), 'name');
  }),
);

// 5 ─────────────────────────────────────────────────────────────────────────────────────────
/**
 * Find where the main chart draws the point whose tooltip includes `want`: move the pointer over
 * the canvas on a 10-pixel grid (inside the 18-pixel reach of a point), in the page, reading the
 * tooltip after each move. Returns the position in the canvas's CSS pixels, or null.
 */
async function findPoint(page, want) {
  return page.evaluate(async (text) => {
    const canvas = document.querySelector('[data-testid=chart]');
    const box = canvas.getBoundingClientRect();
    const settle = () =>
      new Promise((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = resolve;
        channel.port2.postMessage(0);
      });
    for (let y = 5; y < box.height; y += 10) {
      for (let x = 5; x < box.width; x += 10) {
        canvas.dispatchEvent(
          new PointerEvent('pointermove', { bubbles: true, clientX: box.left + x, clientY: box.top + y }),
        );
        await settle();
        const tip = document.querySelector('[data-testid=chart-tooltip]');
        if (tip && tip.textContent.includes(text)) return { x, y };
      }
    }
    return null;
  }, want);
}

test('clicking a point on the chart leaves its row out of the fit, and clicking again brings it back', T, () =>
  withApp(async ({ page }) => {
    const text = await dataText(page);
    assert.match(text, /\nGPT-2 medium,350M,2.84\n/);
    const hint = page.locator('[data-testid=chart-hint]');
    assert.match(await hint.innerText(), /Click a point to leave it out of the fit/);
    await waitForPoints(page, 4);
    const at = await findPoint(page, 'GPT-2 medium:');
    assert.ok(at, 'the tooltip finds the point');
    assert.match(await page.locator('[data-testid=chart-tooltip]').innerText(), /click to leave it out/);
    const canvas = page.locator('[data-testid=chart]');
    await canvas.click({ position: at });
    await waitForPoints(page, 3);
    assert.equal(await dataText(page), text.replace('\nGPT-2 medium,', '\n#GPT-2 medium,'), 'one # before that row');
    assert.match(await hint.innerText(), /Row 3 is left out of the fit/);
    // The table shows that row unticked and marked.
    await openTable(page);
    assert.equal(await page.locator('[data-testid=row-use-1]').isChecked(), false);
    assert.match((await page.locator('tr[data-line="3"]').getAttribute('class')) || '', /\bmarked\b/);
    // The same point, now hollow, comes back in.
    assert.ok(await findPoint(page, 'click to bring it back'), 'the left-out point offers to come back');
    await canvas.click({ position: at });
    await waitForPoints(page, 4);
    assert.equal(await dataText(page), text, 'the text is as before');
    assert.match(await hint.innerText(), /Row 3 is back in the fit/);
  }),
);

test('a fit left without enough points still lets the person click a point back in', T, () =>
  withApp(async ({ page }) => {
    const text = 'model,N,L\na,1e8,3.3\nb,1e9,2.8\nc,1e10,2.4\n';
    await paste(page, text);
    await waitForPoints(page, 3);
    const canvas = page.locator('[data-testid=chart]');
    await canvas.click({ position: await findPoint(page, 'a: ') });
    await waitForPoints(page, 2);
    await canvas.click({ position: await findPoint(page, 'b: ') });
    // One point left: no power law through it; the last fit stays on screen, stale.
    assert.equal(await waitForFit(page, { states: ['error'] }), 'error');
    assert.equal(await dataText(page), 'model,N,L\n#a,1e8,3.3\n#b,1e9,2.8\nc,1e10,2.4\n');
    assert.match(await page.locator('[data-testid=chart-hint]').innerText(), /Row 3 is left out/);
    const b = await findPoint(page, 'b: ');
    assert.match(await page.locator('[data-testid=chart-tooltip]').innerText(), /click to bring it back/);
    await canvas.click({ position: b });
    await waitForPoints(page, 2);
    assert.equal(await dataText(page), 'model,N,L\n#a,1e8,3.3\nb,1e9,2.8\nc,1e10,2.4\n');
  }),
);

test('the embedded view has no click-to-exclude', T, () =>
  withApp(async ({ page }) => {
    assert.equal(await page.locator('[data-testid=chart-hint]').count(), 0);
  }, '?embed=1'),
);

// 6 ─────────────────────────────────────────────────────────────────────────────────────────
test('every input of the table has an accessible name with its column and row', T, () =>
  withApp(async ({ page }) => {
    await openTable(page);
    const names = await page.$$eval('details.data-table table input, details.data-table table select, details.data-table table button', (els) =>
      els.map((el) => ({ id: el.getAttribute('data-testid'), name: el.getAttribute('aria-label') || '' })),
    );
    assert.ok(names.length >= 4 * 3 + 3, `inputs found: ${names.length}`);
    for (const { id, name } of names) assert.ok(name.trim().length > 0, `${id} has no accessible name`);
    assert.equal(new Set(names.map((n) => n.name)).size, names.length, 'every name is different');
    const label = (id) => names.find((n) => n.id === id).name;
    assert.equal(label('cell-1-1'), 'N, row 3');
    assert.equal(label('cell-0-0'), 'model, row 2');
    assert.equal(label('row-use-1'), 'Use row 3 in the fit');
    assert.equal(label('row-delete-1'), 'Delete row 3');
    assert.equal(label('column-map-2'), 'Column L holds');
    // In Traditional Chinese too.
    await page.locator('[data-testid=lang-select]').selectOption('zh-Hant');
    await page.waitForFunction(() => /第 3 列/.test(document.querySelector('[data-testid=cell-1-1]').getAttribute('aria-label')));
  }),
);

// 7 ─────────────────────────────────────────────────────────────────────────────────────────
test("the CSV export keeps the points' names, first and quoted", T, () =>
  withApp(async ({ page }) => {
    const text = 'model,N,L\n"GPT-2, small",124M,3.12\n"the ""medium""",350M,2.84\nlarge,774M,2.67\nXL,1558M,2.54\n';
    await paste(page, text);
    await waitForPoints(page, 4);
    const [file] = await Promise.all([
      page.waitForEvent('download', { timeout: FIT_MS }),
      page.locator('[data-testid=export-csv]').click(),
    ]);
    const csv = fs.readFileSync(await file.path(), 'utf8');
    const lines = csv.trimEnd().split('\n');
    assert.equal(lines[0], 'name,kind,N,D,C,observed,fitted,residual_percent,excluded');
    assert.ok(lines[1].startsWith('"GPT-2, small",data,124000000,'), lines[1]);
    assert.ok(lines[2].startsWith('"the ""medium""",data,350000000,'), lines[2]);
    assert.ok(lines[3].startsWith('large,data,'), lines[3]);
    assert.ok(lines.at(-1).startsWith(',prediction,'), lines.at(-1));
  }),
);

// 8 ─────────────────────────────────────────────────────────────────────────────────────────
test('screenshot of a long table, a page of it, with a row left out from the chart', T, (t) =>
  withApp(async ({ page }) => {
    const text = runs(250);
    await paste(page, text);
    await waitForPoints(page, 250);
    await openTable(page);
    await page.locator('[data-testid=rows-page]').selectOption('1');
    await page.locator('[data-testid=row-use-120]').uncheck();
    await waitForPoints(page, 249);
    const out = path.join(REPO_ROOT, 'test-results');
    fs.mkdirSync(out, { recursive: true });
    const file = path.join(out, 'table-pages.png');
    await page.locator('section.data-panel').screenshot({ path: file });
    t.diagnostic(`screenshot: ${file}`);
  }),
);
