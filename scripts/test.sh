#!/usr/bin/env bash
# Every check, as CI runs it: format, lints (host and wasm32), native tests, the reference
# scripts against their committed outputs, browser tests
# (Chromium and Firefox), the release build, the command line and the end-to-end tests against
# that build (Playwright in Chromium, then a smoke journey in Firefox).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export PATH="$PWD/node_modules/.bin:$PATH"
# wasm-bindgen-test-runner drives the browser whose driver an env var names (GECKODRIVER wins over
# CHROMEDRIVER), else the first driver on PATH: name Chromium's here, Firefox's per step below.
export CHROMEDRIVER=/usr/bin/chromedriver

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --check

step "clippy (host)"
cargo clippy --all-targets -- -D warnings

step "clippy (wasm32)"
cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings

step "native tests (release profile: the fits are numeric)"
cargo test --release

step "reference scripts: each still gives the JSON the native tests read (SciPy, NumPy)"
python3 reference/check.py

step "browser tests (wasm-bindgen-test in headless Chromium)"
cargo test --target wasm32-unknown-unknown

step "browser tests (wasm-bindgen-test in headless Firefox)"
# GECKODRIVER makes wasm-bindgen-test-runner drive Firefox (it passes -headless itself; as root
# nothing more is needed: geckodriver gives Firefox a fresh profile in a temporary folder).
GECKODRIVER="$(command -v geckodriver)" cargo test --target wasm32-unknown-unknown

step "release build of the page"
trunk build --release
for wasm in dist/*.wasm; do
  printf '%s: %s bytes raw, %s bytes gzipped\n' "$wasm" "$(stat -c %s "$wasm")" "$(gzip -9 -c "$wasm" | wc -c)"
done

step "end-to-end tests (Playwright + Chromium, the release build under /app/)"
node --test tests/e2e/

step "end-to-end smoke journey in headless Firefox (WebDriver through geckodriver, the same build)"
GECKODRIVER="$(command -v geckodriver)" node --test tests/e2e-firefox/

echo
echo "All checks passed."
