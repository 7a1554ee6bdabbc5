#!/usr/bin/env bash
# Builds the page exactly as it is deployed and serves it on http://127.0.0.1:${PORT:-8080}/
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH"
trunk build --release
PORT=${PORT:-8080}
echo "Serving dist/ on http://127.0.0.1:$PORT/ (Ctrl-C to stop)"
exec python3 -m http.server "$PORT" --bind 127.0.0.1 --directory dist
