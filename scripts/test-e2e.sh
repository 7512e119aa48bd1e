#!/usr/bin/env bash
# The browser end-to-end suite (tests/e2e): the example app of examples/demo (clerk-js, @clerk/ui
# and @clerk/express, unmodified) against a real build/orgd, in Debian's chromium-headless-shell.
# Installs both packages' pinned dependencies when missing or stale; exits non-zero on failure.
# ORGD_E2E_SCREENSHOTS=1 also saves the UI components to docs/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export ORGD_BIN=${ORGD_BIN:-$root/${BUILD_DIR:-build}/orgd}

for dir in examples/demo tests/e2e; do
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
[ -x "${ORGD_E2E_CHROMIUM:-/usr/bin/chromium-headless-shell}" ] ||
  { echo "test-e2e: no ${ORGD_E2E_CHROMIUM:-/usr/bin/chromium-headless-shell} (scripts/install-deps.sh installs it)" >&2; exit 1; }

cd tests/e2e
npm test
