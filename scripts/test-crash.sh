#!/usr/bin/env bash
# Crash consistency (tests/crash/README.md): orgd under write load is SIGKILLed at random moments
# and restarted on the same store; on PostgreSQL the database's postmaster is SIGKILLed too. Every
# acknowledged write must be there afterwards and nothing may be half-applied.
#
#   scripts/test-crash.sh [--cycles N] [--store sqlite|postgres|both] [-- more crash.mjs flags]
#
# --cycles N (default 20): orgd kills per store; on PostgreSQL as many postmaster kills again.
# ORGD_BIN names the binary (default build/orgd, or $BUILD_DIR/orgd). PostgreSQL is a throwaway
# one from scripts/test-postgres.sh, stopped and deleted on exit. Exits non-zero when a write was
# lost or a rule broken on either store.
set -euo pipefail
caller=$(pwd)
cd "$(dirname "$0")/.."
root=$(pwd)

cycles=20
store=both
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
  --cycles) cycles=${2:?--cycles needs a number}; shift 2 ;;
  --store) store=${2:?--store needs sqlite, postgres or both}; shift 2 ;;
  --) shift; extra=("$@"); break ;;
  *) echo "usage: test-crash.sh [--cycles N] [--store sqlite|postgres|both] [-- crash.mjs flags]" >&2; exit 2 ;;
  esac
done
case "$store" in sqlite | postgres | both) ;; *) echo "test-crash: --store must be sqlite, postgres or both" >&2; exit 2 ;; esac

bin=${ORGD_BIN:-$root/${BUILD_DIR:-build}/orgd}
case "$bin" in /*) ;; *) bin="$caller/$bin" ;; esac
[ -x "$bin" ] || { echo "test-crash: $bin is not built (make build)" >&2; exit 2; }
export ORGD_BIN=$bin

status=0
if [ "$store" != postgres ]; then
  echo "== crash consistency on SQLite ($cycles orgd kills)"
  node tests/crash/crash.mjs --store sqlite --cycles "$cycles" ${extra[@]+"${extra[@]}"} || status=1
fi
if [ "$store" != sqlite ]; then
  echo "== crash consistency on PostgreSQL ($cycles orgd kills, $cycles postmaster kills)"
  pg_state=$(mktemp -d /tmp/orgd-crash-pg-state.XXXXXX)
  trap 'bash "$root/scripts/test-postgres.sh" stop "$pg_state"; rm -rf "$pg_state"' EXIT
  bash scripts/test-postgres.sh start "$pg_state"
  node tests/crash/crash.mjs --store postgres --cycles "$cycles" --postgres-state "$pg_state" \
    ${extra[@]+"${extra[@]}"} || status=1
fi
exit $status
