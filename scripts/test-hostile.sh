#!/usr/bin/env bash
# The hostile-input corpus (tests/hostile, issue 19 item 6) against a real orgd: thousands of
# malformed requests over every route of both APIs, each of which must be refused with a 4xx in
# Clerk's error envelope, with the database identical before and after.
#
#   scripts/test-hostile.sh [--postgres | --postgres-only] [run.mjs options]
#
#   ORGD_BIN        the binary (default build/orgd)
#   --postgres      also run on PostgreSQL: ORGD_TEST_POSTGRES_URL's server when set, else a
#                   throwaway one from scripts/test-postgres.sh, stopped at the end
#   --postgres-only only on PostgreSQL
# Other arguments go to tests/hostile/run.mjs: --seed N, --only TEXT, --skip TEXT, --list,
# --concurrency N, --report FILE, --failures-dir DIR (see its header).
# Exits non-zero when any run fails.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export ORGD_BIN=${ORGD_BIN:-$root/build/orgd}
if [ ! -x "$ORGD_BIN" ]; then
  echo "test-hostile: $ORGD_BIN is not an executable (make build, or set ORGD_BIN)" >&2
  exit 1
fi

stores=(sqlite)
args=()
for a in "$@"; do
  case "$a" in
  --postgres) stores=(sqlite postgres) ;;
  --postgres-only) stores=(postgres) ;;
  *) args+=("$a") ;;
  esac
done

pg_state=
cleanup() {
  if [ -n "$pg_state" ]; then
    bash "$root/scripts/test-postgres.sh" stop "$pg_state" || true
    rm -rf "$pg_state"
  fi
}
trap cleanup EXIT

rc=0
for store in "${stores[@]}"; do
  echo "== hostile-input corpus on $store"
  if [ "$store" = postgres ]; then
    url=${ORGD_TEST_POSTGRES_URL:-}
    if [ -z "$url" ]; then
      pg_state=$(mktemp -d /tmp/orgd-hostile-pg.XXXXXX)
      bash "$root/scripts/test-postgres.sh" start "$pg_state"
      url=$(cat "$pg_state/url")
    fi
    ORGD_TEST_STORE=postgres ORGD_TEST_POSTGRES_URL=$url node tests/hostile/run.mjs "${args[@]}" || rc=1
  else
    ORGD_TEST_STORE=sqlite node tests/hostile/run.mjs "${args[@]}" || rc=1
  fi
done
exit $rc
