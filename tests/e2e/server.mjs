// A tiny static file server for the end-to-end tests: serves the release build (dist/) under
// the sub-path /app/ on 127.0.0.1, like GitHub Pages serves a project site under /<repo>/.
// Not a test file (no `.test.` in its name), so `node --test tests/e2e/` does not run it.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PREFIX = '/app/';

/** The folder to serve: env DIST (absolute, or relative to the repo root), else <repo>/dist. */
export function distDir() {
  return path.resolve(REPO_ROOT, process.env.DIST || 'dist');
}

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

function send(res, status, body, type = 'text/plain; charset=utf-8', extra = {}) {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...extra });
  res.end(body);
}

/**
 * Start the server on an ephemeral port.
 * @returns {Promise<{url: string, origin: string, root: string, close: () => Promise<void>}>}
 *   url is the page's address, `http://127.0.0.1:PORT/app/`.
 */
export async function startServer({ root = distDir() } = {}) {
  const rootReal = fs.realpathSync(root);
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, 405, 'method not allowed\n', undefined, { Allow: 'GET, HEAD' });
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      return send(res, 400, 'bad request\n');
    }
    if (pathname === '/app') {
      const q = req.url.indexOf('?');
      return send(res, 301, '', undefined, { Location: PREFIX + (q >= 0 ? req.url.slice(q) : '') });
    }
    if (!pathname.startsWith(PREFIX) || pathname.includes('\0')) {
      return send(res, 404, 'not found\n');
    }
    let rel = pathname.slice(PREFIX.length);
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = path.resolve(rootReal, rel);
    if (file !== rootReal && !file.startsWith(rootReal + path.sep)) {
      return send(res, 404, 'not found\n');
    }
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) return send(res, 404, 'not found\n');
      const type = MIME[path.extname(file).toLowerCase()] || 'application/octet-stream';
      res.writeHead(200, {
        'Content-Type': type,
        'Content-Length': st.size,
        'Cache-Control': 'no-store',
      });
      if (req.method === 'HEAD') return res.end();
      fs.createReadStream(file).on('error', () => res.destroy()).pipe(res);
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: origin + PREFIX,
    origin,
    root: rootReal,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}
