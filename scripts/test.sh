#!/usr/bin/env bash
# Runs every test (what `make test` and CI run):
#   1. the GoogleTest unit and store suites (CTest; its `postgres` fixture starts a throwaway
#      PostgreSQL);
#   2. the SDK compatibility suite (tests/compat, Node + @clerk/backend against a real orgd
#      binary) on PostgreSQL (on SQLite it runs in step 4, against the ASan+UBSan build), and the
#      hostile-input corpus (tests/hostile) on both stores;
#   3. the browser end-to-end suite (tests/e2e, through scripts/test-e2e.sh);
#   4. the short forms of the reliability suite (docs/RELIABILITY.md): crash cycles, connection
#      abuse, 250,000 runs (or 20 s) of each fuzz target, the sanitizer builds (ASan+UBSan: the
#      SDK suite on SQLite; TSan: the threaded test binaries);
#   5. last, every orgd log the suites saved is scanned for secrets (tests/secrets/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
root=$(pwd)
started=$(date +%s)
step() { printf '\n== %s (%ss in)\n' "$1" "$(($(date +%s) - started))"; }

step "unit and store tests (ctest)"
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)"

# Every orgd the suites start saves its whole log here, at debug (every request's access line),
# for the secrets scan at the end; the scanner's own check runs first.
step "secrets scanner self-test (tests/secrets)"
node --test tests/secrets/
logs="$root/$build_dir/test-logs"
rm -rf "$logs"
mkdir -p -m 700 "$logs"
export ORGD_TEST_LOG_LEVEL=debug

(
  cd tests/compat
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
)
export ORGD_BIN="$root/$build_dir/orgd"
# The SDK suite on SQLite runs once, against the ASan+UBSan binary (the sanitizers' step below):
# the same tests with memory errors, undefined behaviour and leaks checked, for the price of one run.

step "SDK compatibility tests (tests/compat) on PostgreSQL"
pg_state="$root/$build_dir/compat-postgres"
trap 'bash "$root/scripts/test-postgres.sh" stop "$pg_state"' EXIT
bash "$root/scripts/test-postgres.sh" start "$pg_state"
# Also the tests only PostgreSQL has: two nodes on one database, an outage under load.
(cd tests/compat && ORGD_TEST_STORE=postgres ORGD_TEST_POSTGRES_URL=$(cat "$pg_state/url") \
  ORGD_TEST_POSTGRES_STATE="$pg_state" ORGD_TEST_LOG_DIR="$logs/compat-postgres" \
  npm test -- test-postgres/)

step "hostile-input corpus (tests/hostile) on SQLite and PostgreSQL"
# (Its logs are not scanned: its requests carry key- and token-shaped junk on purpose.)
ORGD_TEST_POSTGRES_URL=$(cat "$pg_state/url") bash scripts/test-hostile.sh --postgres
bash "$root/scripts/test-postgres.sh" stop "$pg_state"
trap - EXIT

step "browser end-to-end tests (tests/e2e)"
ORGD_TEST_LOG_DIR="$logs/e2e" bash scripts/test-e2e.sh

step "crash consistency, short form (make test-crash for 20 cycles)"
bash scripts/test-crash.sh --cycles 3

step "connection abuse (tests/abuse)"
bash scripts/test-abuse.sh

# A fixed seed and run count: CI explores a prefix of what `scripts/fuzz.sh --seed 1 --runs
# 250000` explores anywhere, so it fails only on a finding such a run would have shown first.
step "fuzzing, 250,000 runs or 20 s per target, seed 1 (make fuzz for longer)"
bash scripts/fuzz.sh --seconds 20 --runs 250000 --seed 1

step "sanitizers, short form: ASan+UBSan SDK suite on SQLite, TSan (make test-sanitize adds ASan ctest and PostgreSQL)"
ORGD_TEST_LOG_DIR="$logs/compat-sqlite-asan" bash scripts/test-sanitize.sh --short

step "secrets in the saved logs (tests/secrets/scan.mjs)"
node tests/secrets/scan.mjs "$logs"

step "all tests passed"
