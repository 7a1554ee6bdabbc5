// A small W3C WebDriver client (node's own fetch) for geckodriver and Firefox: start
// geckodriver on a free localhost port, open headless Firefox sessions, run scripts, poll.
// Not a test file (no `.test.` in its name), so `node --test tests/e2e-firefox/` does not run it.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';

/** geckodriver: env GECKODRIVER, else the one on PATH (cargo installs it in ~/.cargo/bin). */
export function geckodriverPath() {
  if (process.env.GECKODRIVER) return process.env.GECKODRIVER;
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const p = path.join(dir, 'geckodriver');
    if (dir && fs.existsSync(p)) return p;
  }
  const cargo = path.join(os.homedir(), '.cargo', 'bin', 'geckodriver');
  if (fs.existsSync(cargo)) return cargo;
  throw new Error('geckodriver not found: scripts/setup.sh --test installs it (cargo install geckodriver)');
}

/** Limits to avoid hangs (never asserted on): the machine has 2 cores shared with others. */
export const COMMAND_MS = 90_000;

/**
 * Start geckodriver on a free port (`--port 0`; it prints the one it got) and wait until it
 * listens. Firefox's own output (with the console pref below, the page's console) comes out of
 * geckodriver: `log()` returns everything seen so far.
 * @returns {Promise<{url: string, log: () => string, close: () => Promise<void>}>}
 */
export async function startGeckodriver() {
  const bin = geckodriverPath();
  if (!fs.existsSync(FIREFOX)) {
    throw new Error(`Firefox not found at ${FIREFOX}: apt-get install -y --no-install-recommends firefox-esr`);
  }
  // A folder of our own for profiles, HOME and temporary files: Firefox as root wants a HOME
  // it can write, and the profiles are removed with it at the end.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-firefox-'));
  const child = spawn(
    bin,
    ['--port', '0', '--websocket-port', '0', '--allow-system-access', '--profile-root', scratch],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MOZ_HEADLESS: '1', HOME: scratch, TMPDIR: scratch },
    },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`geckodriver did not start:\n${out}`)), 30_000);
    const onData = () => {
      const m = out.match(/Listening on (127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(`http://${m[1]}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`geckodriver exited (${code}):\n${out}`));
    });
  });
  return {
    url,
    log: () => out,
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

/** A WebDriver error response as an Error (its `error` code kept, e.g. `script timeout`). */
class WebDriverError extends Error {
  constructor(method, route, status, value) {
    super(`${method} ${route}: ${status} ${value?.error}: ${value?.message}`);
    this.error = value?.error;
  }
}

async function call(base, method, route, body, timeout = COMMAND_MS) {
  const res = await fetch(base + route, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeout),
  });
  const json = await res.json().catch(() => ({ value: { error: 'bad json', message: res.statusText } }));
  if (!res.ok) throw new WebDriverError(method, route, res.status, json.value);
  return json.value;
}

/** One Firefox (a fresh profile): what a person opening the page in a new browser has. */
export class Session {
  static async open(driver, { width = 1280, height = 900 } = {}) {
    const caps = {
      browserName: 'firefox',
      pageLoadStrategy: 'normal',
      timeouts: { script: 60_000, pageLoad: 60_000, implicit: 0 },
      'moz:firefoxOptions': {
        binary: FIREFOX,
        args: ['-headless'],
        prefs: {
          // The page's console to Firefox's stdout, which geckodriver passes on (see log()),
          // and not the browser's own.
          'devtools.console.stdout.content': true,
          'devtools.console.stdout.chrome': false,
          // No first-run pages, updates, telemetry or other requests off 127.0.0.1.
          'browser.shell.checkDefaultBrowser': false,
          'app.update.disabledForTesting': true,
          'datareporting.policy.dataSubmissionEnabled': false,
          'toolkit.telemetry.reportingpolicy.firstRun': false,
        },
      },
    };
    const value = await call(driver.url, 'POST', '/session', { capabilities: { alwaysMatch: caps } }, 120_000);
    const session = new Session(driver.url, value.sessionId, value.capabilities);
    await session.cmd('POST', '/window/rect', { width, height });
    return session;
  }

  constructor(base, id, capabilities) {
    this.base = base;
    this.id = id;
    this.capabilities = capabilities;
  }

  cmd(method, route, body, timeout) {
    return call(this.base, method, `/session/${this.id}${route}`, body, timeout);
  }

  goto(url) {
    return this.cmd('POST', '/url', { url });
  }

  refresh() {
    return this.cmd('POST', '/refresh', {});
  }

  url() {
    return this.cmd('GET', '/url');
  }

  /**
   * Run `fn(...args)` in the page (or in the browser's chrome after `context('chrome')`) and
   * return its value; a returned promise is awaited. `fn` must not close over anything.
   */
  exec(fn, ...args) {
    return this.cmd('POST', '/execute/sync', { script: `return (${fn}).apply(null, arguments);`, args });
  }

  /** `content` (the page) or `chrome` (the browser itself; needs --allow-system-access). */
  context(which) {
    return this.cmd('POST', '/moz/context', { context: which });
  }

  /**
   * Poll `fn(...args)` in the page every 100 ms until it returns something truthy; return that.
   * Throws with `what` and the last value after `timeout` ms (a guard against hangs only).
   */
  async waitFor(what, fn, args = [], timeout = 60_000) {
    const deadline = Date.now() + timeout;
    let last;
    for (;;) {
      try {
        last = await this.exec(fn, ...args);
        if (last) return last;
      } catch (e) {
        // The page may be between documents (a reload): try again.
        last = e.message;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async close() {
    await this.cmd('DELETE', '', undefined, 60_000).catch(() => {});
  }
}

/** Firefox's version line (for the test's diagnostics). */
export function firefoxVersion() {
  try {
    return execFileSync(FIREFOX, ['--version'], { encoding: 'utf8', env: { ...process.env, MOZ_HEADLESS: '1' } }).trim();
  } catch {
    return '(unknown)';
  }
}
