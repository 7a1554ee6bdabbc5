#!/usr/bin/env bash
# Installs what the build needs, each step skipped fast when already done (idempotent).
#   scripts/setup.sh          the build tools (wasm target, trunk, wasm-bindgen-cli, npm packages)
#   scripts/setup.sh --test   also the test tools (Chromium, ChromeDriver, Firefox ESR and a CJK
#                             font from Debian; geckodriver from crates.io; NumPy and SciPy for
#                             the reference scripts)
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
GECKODRIVER_VERSION=0.37.1
# The CLI must equal the wasm-bindgen that Cargo.lock pins.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)

step() { printf '\n==> %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
for component in clippy rustfmt; do
  if ! rustup component list --installed | grep -q "^$component"; then
    step "rustup component add $component"
    rustup component add "$component"
  fi
done

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  step "cargo install trunk $TRUNK_VERSION (about 9 minutes on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  # Without --locked: its lockfile wants a webpki-roots the registry here lacks.
  step "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2.5 minutes)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# npm packages: binaryen 132's wasm-opt (never Debian's) and playwright-core.
if [ ! -x node_modules/.bin/wasm-opt ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci"
  npm ci --no-audit --no-fund
fi

if [ "${1:-}" = "--test" ]; then
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    step "apt-get install chromium chromium-driver"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver
  fi
  # Firefox, the second engine the browser and end-to-end tests run in (Debian's ESR), and the
  # WebDriver server that drives it (crates.io; about 7 minutes to compile on 2 cores).
  if [ ! -x /usr/bin/firefox-esr ]; then
    step "apt-get install firefox-esr"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends firefox-esr
  fi
  # sed, not head: geckodriver panics when its stdout closes early.
  if [ "$(geckodriver --version 2>/dev/null | sed -n 1p)" != "geckodriver $GECKODRIVER_VERSION" ]; then
    step "cargo install geckodriver $GECKODRIVER_VERSION (about 7 minutes on 2 cores)"
    cargo install geckodriver --version "$GECKODRIVER_VERSION" --locked
  fi
  # A CJK font, so screenshots of the zh-Hant page show Chinese glyphs, not boxes (test
  # machines only: the page itself uses the reader's system fonts).
  if ! dpkg -s fonts-noto-cjk >/dev/null 2>&1 && [ -z "$(fc-list :lang=zh-tw 2>/dev/null | head -n 1)" ]; then
    step "apt-get install fonts-noto-cjk"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-noto-cjk
  fi
  if ! python3 -c 'import scipy, numpy' 2>/dev/null; then
    step "pip install numpy scipy (for the reference scripts)"
    python3 -m pip install -q numpy scipy
  fi
fi
