// Page benchmark: how fast the release page loads, follows typing and takes a paste, and how
// big its wasm is. Not a test: nothing here passes or fails on time (the machine is shared and
// noisy; compare runs on one machine, not numbers across machines).
//
// Needs the release build in dist/ (`trunk build --release`; env DIST=other/folder for another)
// and node_modules (playwright-core; `npm ci`). It builds nothing. Serves dist/ under /app/ on
// 127.0.0.1 with the end-to-end tests' server and drives Debian's Chromium (env CHROMIUM).
//
// Run: scripts/bench-page.sh   (or: node scripts/bench-page.mjs; env RUNS=5 repetitions)
//
// What is measured, each as performance.now() differences inside the page:
// - cold load: a fresh browser context each time (no HTTP cache, no service worker; the server
//   also sends Cache-Control: no-store), from navigation start until the main chart first has
//   ink (checked every animation frame), and until the fit status first says `ok`;
// - keystroke to paint, editing the 240 Chinchilla runs (`?preset=besiroglu-2024`, the
//   `chinchilla` law): one `input` event per keystroke (a digit typed into, then deleted from,
//   a loss value), timed until the next frame has been drawn (the end of the first animation
//   frame after the event, its chart drawing, style, layout and paint included: how long the
//   page's thread is held, since the fit runs in the worker), and until the frame after the new
//   fit is shown has been drawn;
// - paste to result: the whole text set at once and ONE `input` event with
//   inputType `insertFromPaste` (what a person's paste fires), from an empty box, timed until the
//   frame after the status says `ok` for all the points has been drawn: the 240 runs with
//   `chinchilla` and 10,000 generated rows with `power-offset`;
// - fits per burst of typing: 60 lines typed by Playwright's `fill`, which fires two `input`
//   events per line; the number of fits is the page's own count of fits sent to the worker
//   (`data-fits` on the fit status);
// - a bootstrap of 1,000 resamples of the 240-run Chinchilla fit across the worker pool: time
//   to done, and the longest gap between animation frames meanwhile (the page's responsiveness);
//   once with a pool of one worker (the page told navigator.hardwareConcurrency = 1) and once
//   with one per core, so the gain from more cores shows on the machine at hand; each page runs
//   it twice: the first run (the pool's workers start as the count box takes focus) and again;
// - wasm size: every *.wasm in dist/, raw and gzipped (level 9).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { startServer, distDir } from '../tests/e2e/server.mjs';
import { launchBrowser, bigData } from '../tests/e2e/helpers.mjs';

const RUNS = Math.max(1, Number(process.env.RUNS || 5));
/** Env ONLY=cold,keys,paste,burst,bootstrap (comma-separated) measures only those parts. */
const ONLY = new Set((process.env.ONLY || 'cold,keys,paste,burst,bootstrap').split(','));
const KEYSTROKES = Math.max(2, Number(process.env.KEYSTROKES || 12));
const VIEWPORT = { width: 1280, height: 900 };
const LIMIT_MS = 120_000;

/** Installed in every page before its scripts: the load watch (first ink, first `ok`). */
const INIT = () => {
  const load = {};
  window.__bench = { load };
  const ink = (canvas) => {
    if (!canvas || !canvas.width || !canvas.height) return 0;
    const scratch = document.createElement('canvas');
    scratch.width = canvas.width;
    scratch.height = canvas.height;
    const ctx = scratch.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(canvas, 0, 0);
    const data = ctx.getImageData(0, 0, scratch.width, scratch.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0 && ++n > 1000) return n;
    return n;
  };
  const watch = () => {
    const status = document.querySelector('[data-testid=fit-status]');
    if (load.ok === undefined && status && status.getAttribute('data-state') === 'ok') {
      load.ok = performance.now();
    }
    if (load.chart === undefined && ink(document.querySelector('[data-testid=chart]')) > 1000) {
      load.chart = performance.now();
    }
    if (load.ok === undefined || load.chart === undefined) requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (v) => (Number.isFinite(v) ? `${Math.round(v)} ms` : '—');
const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
const summary = (xs) =>
  `best ${ms(Math.min(...xs))}, median ${ms(median(xs))}, worst ${ms(Math.max(...xs))} (${xs.length} runs)`;

async function newPage(browser, url, errors, cores = null) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript(INIT);
  if (cores !== null) {
    // The page sizes its worker pool from navigator.hardwareConcurrency: report `cores`.
    await context.addInitScript((n) => {
      Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => n });
    }, cores);
  }
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && errors.push(`console.error: ${m.text()}`));
  page.setDefaultTimeout(LIMIT_MS);
  await page.goto(url, { waitUntil: 'load', timeout: LIMIT_MS });
  return { context, page };
}

/** Wait until the status is ok with `points` points (any count if null). */
async function waitOk(page, points = null) {
  await page.waitForFunction(
    (n) => {
      const el = document.querySelector('[data-testid=fit-status]');
      return (
        el &&
        el.getAttribute('data-state') === 'ok' &&
        (n === null || el.textContent.includes(`${n} points`))
      );
    },
    points,
    { timeout: LIMIT_MS, polling: 50 },
  );
}

// In-page helpers, passed as source so each evaluate is self-contained.
const IN_PAGE = `
  const box = document.querySelector('[data-testid=data-input]');
  const statusEl = () => document.querySelector('[data-testid=fit-status]');
  const tick = () => new Promise((r) => setTimeout(r, 0));
  const frame = () => new Promise((r) => requestAnimationFrame(() => r(performance.now())));
  // The end of the next frame: a message posted from its animation-frame callback is handled
  // after the frame's other callbacks (the page's chart drawing) and its style, layout and paint.
  const painted = () =>
    new Promise((r) =>
      requestAnimationFrame(() => {
        const c = new MessageChannel();
        c.port1.onmessage = () => r(performance.now());
        c.port2.postMessage(0);
      }),
    );
  const fire = (value, inputType, data = null) => {
    box.value = value;
    box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType, data }));
  };
  const fits = () => Number(statusEl().getAttribute('data-fits'));
  /** Until a new fit has been sent (the page's count passed fits0) and done(status) holds. */
  const settle = async (fits0, done, limit) => {
    const start = performance.now();
    for (;;) {
      await tick();
      const el = statusEl();
      const s = { state: el.getAttribute('data-state'), text: el.textContent, millis: el.getAttribute('data-millis') };
      if (fits() > fits0 && done(s)) return s;
      if (performance.now() - start > limit) throw new Error('no fit after the event: ' + JSON.stringify(s));
    }
  };
`;

async function coldLoad(browser, url) {
  const chart = [];
  const ok = [];
  const errors = [];
  for (let i = 0; i < RUNS; i++) {
    const { context, page } = await newPage(browser, url, errors);
    await page.waitForFunction(
      () => window.__bench.load.chart !== undefined && window.__bench.load.ok !== undefined,
      null,
      { timeout: LIMIT_MS, polling: 50 },
    );
    const load = await page.evaluate(() => window.__bench.load);
    chart.push(load.chart);
    ok.push(load.ok);
    await context.close();
  }
  return { chart, ok, errors };
}

async function keystrokes(browser, url) {
  const errors = [];
  const { context, page } = await newPage(browser, `${url}?preset=besiroglu-2024`, errors);
  await waitOk(page, 240);
  if ((await page.locator('[data-testid=model-select]').inputValue()) !== 'chinchilla') {
    throw new Error('the besiroglu-2024 preset did not open with the chinchilla law');
  }
  await page.waitForTimeout(500);
  const result = await page.evaluate(
    new Function(
      'args',
      `const [count, limit] = args;
      ${IN_PAGE}
      return (async () => {
        const lines = box.value.split('\\n');
        const data = lines.map((l, i) => i).filter((i) => i > 0 && lines[i].includes('.') && !lines[i].startsWith('#'));
        const out = [];
        for (let k = 0; k < count; k++) {
          // Keystroke 2j types a digit right after the decimal point of one run's loss
          // (2.2123 -> 2.52123); keystroke 2j+1 deletes it again, back to the shipped text.
          const row = data[((k >> 1) * 37) % data.length];
          const typed = k % 2 === 0;
          const digit = String(1 + ((k >> 1) % 9));
          const next = lines.slice();
          if (typed) {
            const cells = lines[row].split(',');
            const loss = cells[cells.length - 1];
            const dot = loss.indexOf('.');
            cells[cells.length - 1] = loss.slice(0, dot + 1) + digit + loss.slice(dot + 1);
            next[row] = cells.join(',');
          }
          const fits0 = fits();
          const t0 = performance.now();
          fire(next.join('\\n'), typed ? 'insertText' : 'deleteContentBackward', typed ? digit : null);
          const drawn = (await painted()) - t0;
          const s = await settle(fits0, (s) => s.state === 'ok', limit);
          const shown = (await painted()) - t0;
          out.push({ painted: drawn, shown, fit: Number(s.millis), fits: fits() - fits0 });
          await frame();
        }
        return out;
      })();`,
    ),
    [KEYSTROKES, LIMIT_MS],
  );
  await context.close();
  return { result, errors };
}

async function paste(browser, url, { search, model, points, text, label }) {
  const errors = [];
  const { context, page } = await newPage(browser, url + search, errors);
  await waitOk(page);
  if (model && (await page.locator('[data-testid=model-select]').inputValue()) !== model) {
    await page.locator('[data-testid=model-select]').selectOption(model);
    await waitOk(page);
  }
  const body = text ?? (await page.locator('[data-testid=data-input]').inputValue());
  const times = [];
  const fits = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await page.evaluate(
      new Function(
        'args',
        `const [text, points, limit] = args;
        ${IN_PAGE}
        return (async () => {
          fire('', 'deleteContentBackward');
          await tick();
          await frame();
          await frame();
          const fits0 = fits();
          const t0 = performance.now();
          fire(text, 'insertFromPaste');
          const s = await settle(fits0, (s) => s.state === 'ok' && s.text.includes(points + ' points'), limit);
          const shown = (await painted()) - t0;
          return { shown, fit: Number(s.millis) };
        })();`,
      ),
      [body, points, LIMIT_MS],
    );
    times.push(r.shown);
    fits.push(r.fit);
  }
  await context.close();
  return { label, times, fits, errors };
}

async function burst(browser, url) {
  const errors = [];
  const { context, page } = await newPage(browser, url, errors);
  await waitOk(page);
  await page.locator('[data-testid=model-select]').selectOption('power-offset');
  await waitOk(page);
  const text = bigData(59); // a header and 59 rows: 60 lines
  await page.evaluate(() => {
    window.__inputs = 0;
    document.addEventListener('input', (e) => {
      if (e.target.matches('[data-testid=data-input]')) window.__inputs++;
    }, { capture: true });
  });
  const fitsSent = () => page.evaluate(() => Number(document.querySelector('[data-testid=fit-status]').getAttribute('data-fits')));
  const fits0 = await fitsSent();
  const t0 = await page.evaluate(() => performance.now());
  await page.locator('[data-testid=data-input]').fill(text);
  await waitOk(page, 59);
  await page.waitForTimeout(300);
  const r = await page.evaluate(() => ({ inputs: window.__inputs, now: performance.now() }));
  const fits = (await fitsSent()) - fits0;
  await context.close();
  return { lines: text.trimEnd().split('\n').length, inputs: r.inputs, fits, wall: r.now - t0 - 300, errors };
}

/** A bootstrap of `count` resamples of the 240-run Chinchilla fit, run twice on one page: the
 *  first run (its workers starting as the count box takes focus, as when a person types the
 *  count) and the run again (the pool's workers already started); the time to done of each, and
 *  the longest gap between animation frames while they ran. `cores`, when given, is what the
 *  page is told navigator.hardwareConcurrency is, so its pool has that many workers. */
async function bootstrap(browser, url, count, cores = null) {
  const errors = [];
  const { context, page } = await newPage(browser, `${url}?preset=besiroglu-2024`, errors, cores);
  await waitOk(page, 240);
  await page.locator('[data-testid=bootstrap-count]').fill(String(count));
  const told = await page.evaluate(() => navigator.hardwareConcurrency);
  const times = [];
  let worst = 0;
  for (let i = 0; i < 2; i++) {
    // Timed inside the page, frame by frame: from the click until the first frame that shows
    // the run done (Playwright's own waiting polls every 500 ms once a wait grows long).
    await page.evaluate(() => {
      window.__gaps = { last: performance.now(), worst: 0, on: true, running: false, done: null };
      const loop = (t) => {
        const g = window.__gaps;
        g.worst = Math.max(g.worst, t - g.last);
        g.last = t;
        const state = document.querySelector('[data-testid=bootstrap-state]')?.getAttribute('data-state');
        if (state === 'running') g.running = true;
        if (g.done === null && g.running && state === 'done') g.done = performance.now();
        if (g.on) requestAnimationFrame(loop);
      };
      requestAnimationFrame(loop);
      window.__t0 = performance.now();
    });
    await page.locator('[data-testid=bootstrap-run]').click();
    await page.waitForFunction(() => window.__gaps.done !== null, null, { timeout: LIMIT_MS * 5, polling: 50 });
    const r = await page.evaluate(() => {
      window.__gaps.on = false;
      return { took: window.__gaps.done - window.__t0, worst: window.__gaps.worst };
    });
    times.push(r.took);
    worst = Math.max(worst, r.worst);
    await page.waitForTimeout(300);
  }
  await context.close();
  return { first: times[0], again: times[1], worst, cores: told, errors };
}

/** The machine's logical cores as the browser reports them. */
async function realCores(browser) {
  const page = await browser.newPage();
  const n = await page.evaluate(() => navigator.hardwareConcurrency);
  await page.close();
  return n;
}

function wasmSizes(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.wasm')) {
        const raw = fs.readFileSync(p);
        out.push({ file: path.relative(dir, p), raw: raw.length, gzip: zlib.gzipSync(raw, { level: 9 }).length });
      }
    }
  };
  walk(dir);
  return out;
}

async function main() {
  const dist = distDir();
  if (!fs.existsSync(path.join(dist, 'index.html'))) {
    console.error(`${dist}/index.html is missing: build the page first with \`trunk build --release\`.`);
    process.exit(2);
  }
  const server = await startServer();
  const browser = await launchBrowser();
  const errors = [];
  try {
    console.log(`page benchmark: ${server.url} (dist ${dist}), ${RUNS} runs each, Chromium ${browser.version()}`);

    for (const w of wasmSizes(dist)) {
      console.log(`wasm ${w.file}: ${kb(w.raw)} raw (${w.raw} B), ${kb(w.gzip)} gzipped (${w.gzip} B)`);
    }

    if (ONLY.has('cold')) {
      const cold = await coldLoad(browser, server.url);
      errors.push(...cold.errors);
      console.log(`cold load to first chart drawn (default page): ${summary(cold.chart)}`);
      console.log(`cold load to fit status ok (default page):     ${summary(cold.ok)}`);
    }

    if (ONLY.has('keys')) {
      const keys = await keystrokes(browser, server.url);
      errors.push(...keys.errors);
      const painted = keys.result.map((k) => k.painted);
      const shown = keys.result.map((k) => k.shown);
      const fit = keys.result.map((k) => k.fit);
      const sent = keys.result.map((k) => k.fits);
      console.log(
        `keystroke to paint, 240 Chinchilla runs, chinchilla law: median ${ms(median(painted))}, ` +
          `worst ${ms(Math.max(...painted))} (${painted.length} keystrokes); keystroke to the new fit ` +
          `shown: median ${ms(median(shown))}, worst ${ms(Math.max(...shown))} (the fit in the worker: ` +
          `median ${ms(median(fit))}, worst ${ms(Math.max(...fit))}; fits per keystroke: ${[...new Set(sent)].join(', ')})`,
      );
      console.log(`  each keystroke to paint: ${painted.map((v) => Math.round(v)).join(', ')} ms`);
    }

    for (const job of !ONLY.has('paste') ? [] : [
      { label: '240 Chinchilla runs, chinchilla', search: '?preset=besiroglu-2024', model: 'chinchilla', points: 240 },
      { label: '10,000 rows, power-offset', search: '', model: 'power-offset', points: 10000, text: bigData(10_000) },
    ]) {
      const r = await paste(browser, server.url, job);
      errors.push(...r.errors);
      console.log(`paste to result, ${r.label}: ${summary(r.times)}; the fit itself: median ${ms(median(r.fits))}`);
    }

    if (ONLY.has('burst')) {
      const b = await burst(browser, server.url);
      errors.push(...b.errors);
      console.log(
        `typing burst: ${b.lines} lines filled by Playwright arrived as ${b.inputs} input events and ` +
          `triggered ${b.fits} fits (power-offset), ${ms(b.wall)} until the last fit was shown`,
      );
    }

    // The same bootstrap with a pool of one worker, then of every core: faster with more cores.
    const real = ONLY.has('bootstrap') ? await realCores(browser) : 1;
    for (const cores of !ONLY.has('bootstrap') ? [] : [...new Set([1, real])]) {
      const first = [];
      const again = [];
      let worst = 0;
      for (let i = 0; i < Math.min(RUNS, 3); i++) {
        const boot = await bootstrap(browser, server.url, 1000, cores);
        errors.push(...boot.errors);
        first.push(boot.first);
        again.push(boot.again);
        worst = Math.max(worst, boot.worst);
      }
      console.log(
        `bootstrap, 1,000 resamples of the 240-run chinchilla fit, a pool of ${cores} worker(s) ` +
          `(${real} cores): first run ${summary(first)}; run again ${summary(again)}; ` +
          `longest gap between frames meanwhile ${ms(worst)}`,
      );
    }
  } finally {
    await browser.close();
    await server.close();
  }
  if (errors.length) {
    console.log(`page errors seen (${errors.length}):\n  ${[...new Set(errors)].join('\n  ')}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
