#!/usr/bin/env bash
# Runs every test: the GoogleTest unit and store suites (CTest; its `postgres` fixture starts a
# throwaway PostgreSQL), then the SDK compatibility suite (tests/compat, Node + @clerk/backend
# against a real orgd binary) once on SQLite and once on PostgreSQL, then the browser end-to-end
# suite (tests/e2e, through scripts/test-e2e.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
root=$(pwd)

echo "== unit and store tests (ctest)"
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)"

echo "== SDK compatibility tests (tests/compat)"
cd tests/compat
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
export ORGD_BIN="$root/$build_dir/orgd"

echo "-- on SQLite"
ORGD_TEST_STORE=sqlite npm test

echo "-- on PostgreSQL"
pg_state="$root/$build_dir/compat-postgres"
trap 'bash "$root/scripts/test-postgres.sh" stop "$pg_state"' EXIT
bash "$root/scripts/test-postgres.sh" start "$pg_state"
# Also the tests only PostgreSQL has: two nodes on one database, an outage under load.
ORGD_TEST_STORE=postgres ORGD_TEST_POSTGRES_URL=$(cat "$pg_state/url") \
  ORGD_TEST_POSTGRES_STATE="$pg_state" npm test -- test-postgres/

echo "== browser end-to-end tests (tests/e2e)"
bash "$root/scripts/test-e2e.sh"
