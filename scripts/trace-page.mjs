// Where the page's thread spends a cold load, a keystroke or a large paste: a Chromium
// performance trace (the DevTools timeline) of the release build, printed as the main thread's
// events longer than a millisecond (script, style, layout, paint, commit, timers, frames,
// garbage collection), in milliseconds from the start of what is traced. Not a test and not a
// benchmark (tracing slows everything down): it shows what to look at, and scripts/bench-page.sh
// measures whether a change helped.
//
// Run: node scripts/trace-page.mjs cold|keystroke|paste   (env DIST: the build, default dist/;
// MIN_MS: the shortest event printed, default 1). For function names in a CPU profile instead,
// build a copy of the page's wasm with its names kept (wasm-bindgen, then `wasm-opt -Oz -g`).
import { startServer } from '../tests/e2e/server.mjs';
import { launchBrowser, bigData } from '../tests/e2e/helpers.mjs';

const WHAT = process.argv[2] || 'cold';
const MIN_MS = Number(process.env.MIN_MS || 1);
const SHOWN = new Set([
  'EventDispatch', 'FunctionCall', 'RunMicrotasks', 'TimerFire', 'FireAnimationFrame',
  'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'MajorGC',
  'MinorGC', 'ParseHTML', 'EvaluateScript', 'v8.compileModule', 'v8.wasm.compileConsume',
]);

const waitOk = (page, points = '') =>
  page.waitForFunction(
    (n) => {
      const el = document.querySelector('[data-testid=fit-status]');
      return el && el.getAttribute('data-state') === 'ok' && el.textContent.includes(n);
    },
    points,
    { timeout: 120_000, polling: 50 },
  );

/** Types a digit into one loss of the 240 Chinchilla runs, as one input event. */
const keystroke = () => {
  const box = document.querySelector('[data-testid=data-input]');
  const lines = box.value.split('\n');
  const cells = lines[5].split(',');
  const loss = cells[cells.length - 1];
  const dot = loss.indexOf('.');
  cells[cells.length - 1] = `${loss.slice(0, dot + 1)}7${loss.slice(dot + 1)}`;
  lines[5] = cells.join(',');
  box.value = lines.join('\n');
  box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: '7' }));
};

/** Pastes `text` into the data box as one input event. */
const paste = (text) => {
  const box = document.querySelector('[data-testid=data-input]');
  box.value = text;
  box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
};

async function main() {
  if (!['cold', 'keystroke', 'paste'].includes(WHAT)) {
    console.error('usage: node scripts/trace-page.mjs cold|keystroke|paste');
    process.exit(2);
  }
  const server = await startServer(process.env.DIST ? { root: process.env.DIST } : {});
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const events = [];
    cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
    const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    const trace = () =>
      cdp.send('Tracing.start', {
        categories: 'devtools.timeline,v8.execute,disabled-by-default-devtools.timeline',
        transferMode: 'ReportEvents',
      });
    if (WHAT === 'cold') {
      await trace();
      await page.goto(server.url, { waitUntil: 'load' });
      await waitOk(page);
    } else {
      const search = WHAT === 'keystroke' ? '?preset=besiroglu-2024' : '';
      await page.goto(server.url + search, { waitUntil: 'load' });
      await waitOk(page);
      if (WHAT === 'paste') {
        await page.locator('[data-testid=model-select]').selectOption('power-offset');
        await waitOk(page);
      }
      await page.waitForTimeout(1000);
      await trace();
      if (WHAT === 'keystroke') await page.evaluate(keystroke);
      else await page.evaluate(paste, bigData(10_000));
      await waitOk(page, WHAT === 'paste' ? '10000 points' : '');
    }
    await page.waitForTimeout(500);
    await cdp.send('Tracing.end');
    await complete;
    // The page's main thread: the one that ran its scripts.
    const counts = new Map();
    for (const e of events) if (e.name === 'FunctionCall') counts.set(e.tid, (counts.get(e.tid) || 0) + 1);
    const main = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
    const start =
      WHAT === 'cold'
        ? events.find((e) => e.name === 'navigationStart')?.ts
        : events.find((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'input')?.ts;
    const t0 = start ?? Math.min(...events.filter((e) => e.ts > 0).map((e) => e.ts));
    console.log(`${WHAT}: main thread events of ${MIN_MS} ms or more, from ${start ? 'the start' : 'the first event'} (ms, duration)`);
    for (const e of events
      .filter((e) => e.tid === main && e.ph === 'X' && SHOWN.has(e.name) && e.dur >= MIN_MS * 1000 && e.ts >= t0)
      .sort((a, b) => a.ts - b.ts)) {
      const what = e.args?.data?.type || e.args?.data?.url?.split('/').pop() || '';
      console.log(`${((e.ts - t0) / 1000).toFixed(1).padStart(8)} ${(e.dur / 1000).toFixed(1).padStart(7)}  ${e.name} ${what}`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
