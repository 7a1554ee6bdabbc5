#!/usr/bin/env bash
# Page benchmark (scripts/bench-page.mjs): cold load, keystroke-to-paint, paste-to-result, fits
# per burst of typing, and the wasm size, measured on the release build in dist/ with Debian's
# Chromium. Not a test: it prints timings and never fails on them. It builds nothing: run
# `trunk build --release` first (scripts/serve.sh or scripts/test.sh do), and scripts/setup.sh
# --test for Chromium and playwright-core. Env: RUNS (default 5), KEYSTROKES (12), DIST, CHROMIUM.
set -euo pipefail
cd "$(dirname "$0")/.."
dist=${DIST:-dist}
if [ ! -f "$dist/index.html" ]; then
  echo "bench-page: $dist/index.html is missing; build the page first: trunk build --release" >&2
  exit 2
fi
if [ ! -d node_modules/playwright-core ]; then
  echo "bench-page: node_modules/playwright-core is missing; run scripts/setup.sh --test (or npm ci)" >&2
  exit 2
fi
exec node scripts/bench-page.mjs "$@"
