#!/usr/bin/env bash
# Runs every test: the GoogleTest unit and store suites (CTest), then the SDK compatibility suite
# (tests/compat, Node + @clerk/backend against a real orgd binary).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}

echo "== unit and store tests (ctest)"
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)"

echo "== SDK compatibility tests (tests/compat)"
cd tests/compat
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
ORGD_BIN="$(cd ../.. && pwd)/$build_dir/orgd" npm test
