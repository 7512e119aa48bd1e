#!/usr/bin/env bash
# The same scenarios on each store (issue 6): SQLite, PostgreSQL with one orgd node, and
# PostgreSQL with two orgd nodes sharing the database (two wrk processes, one per node, at the
# same time; their rates are added). Loopback only; every run bounded by wrk's -d.
#
#   bench/stores.sh                          (make bench-stores) 64 connections, 5 s per scenario
#   BENCH_DURATION=3s BENCH_CONNECTIONS=32 bench/stores.sh
#
# Every store is seeded with `orgd seed` (1,000 organizations, one with 10,000 members, 200,000
# spare users for add-member). PostgreSQL is a throwaway server (scripts/test-postgres.sh) with
# the settings printed in the report. Ratios are against the bare Beast ceiling of this run.
# Writes the table into docs/BENCHMARKS.md between <!-- stores:begin --> and <!-- stores:end -->.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/report.sh
source bench/report.sh

duration=${BENCH_DURATION:-5s}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
orgd=${ORGD_BIN:-build/orgd}
command -v wrk >/dev/null || { echo "bench: wrk is missing (make deps)"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/orgd-stores-XXXXXX")
key=$("$orgd" gen-secret-key)
export ORGD_BENCH_KEY=$key
pids=()
stop_all() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}
trap 'stop_all; bash scripts/test-postgres.sh stop "$work/pg" || true; rm -rf "$work"' EXIT

# start_node DATABASE_URL N — starts orgd node N on the database; sets url_N.
start_node() {
  local log="$work/orgd-$2.log"
  "$orgd" serve --listen 127.0.0.1:0 --frontend-listen 127.0.0.1:0 --database "$1" --secret-key "$key" --log-level warn 2>"$log" &
  pids+=($!)
  local u
  u=$(listening_url "$log" 15) || exit 1
  printf -v "url_$2" '%s' "$u"
}

seed() {
  "$orgd" seed --database "$1" --orgs 1000 --users 10000 --big-org-members 10000 --user-orgs 100 \
    --spare-users 200000 2>/dev/null | sed 's/^/  /'
}

# measure NAME NODES LUA PATH [NOWARM] — wrk against each of the NODES nodes at once (connections
# split between them); prints and records the summed rate and the worst p99.
table="$work/stores.md"
ceiling=
measure() {
  local name=$1 nodes=$2 lua=$3 path=$4 nowarm=${5:-}
  local per=$((connections / nodes)) runs=() i
  if [ -z "$nowarm" ]; then
    for i in $(seq "$nodes"); do
      local u="url_$i"
      wrk -t"$threads" -c"$per" -d2s -s "$lua" "${!u}$path" >/dev/null &
      runs+=($!)
    done
    wait "${runs[@]}"
    runs=()
  fi
  for i in $(seq "$nodes"); do
    local u="url_$i"
    ORGD_BENCH_SPARE_OFFSET=$(((i - 1) * 100000)) wrk -t"$threads" -c"$per" -d"$duration" --latency \
      -s "$lua" "${!u}$path" >"$work/wrk-$i.out" &
    runs+=($!)
  done
  wait "${runs[@]}"
  local rps=0 p99="" errs=""
  for i in $(seq "$nodes"); do
    rps=$(awk -v a="$rps" '/^Requests\/sec:/ {printf "%.2f", a + $2}' "$work/wrk-$i.out")
    local p
    p=$(awk '$1 == "99%" {print $2}' "$work/wrk-$i.out")
    p99="${p99:+$p99 / }$p"
    errs="${errs:+$errs; }$(grep -o 'errors=[0-9]* non2xx=[0-9]*' "$work/wrk-$i.out" || true)"
  done
  [ -n "$ceiling" ] || ceiling=$rps
  local ratio
  ratio=$(awk -v r="$rps" -v c="$ceiling" 'BEGIN { printf "%.2f", r / c }')
  printf '%-48s %10s req/s  %5s of ceiling  p99 %-20s %s\n' "$name" "$rps" "$ratio" "$p99" "$errs"
  echo "| $name | $rps | $ratio | $p99 | $errs |" >>"$table"
}

{
  echo "| scenario | req/s | of ceiling | p99 (per node) | errors |"
  echo "|---|---|---|---|---|"
} >"$table"

"${CEILING_HTTP_BIN:-build/bench/orgd-bench-ceiling-http}" >"$work/ceiling.log" 2>&1 &
pids+=($!)
url_1=$(listening_url "$work/ceiling.log" 5) || exit 1
measure "bare Beast, 390-byte body (HTTP ceiling)" 1 bench/lua/get.lua "/"
stop_all

export ORGD_BENCH_SPARE_SPAN=$((100000 / threads))
big=$(printf 'org_%027d' 0)
add=$(printf 'org_%027d' 2000000000)
small=$(printf 'org_%027d' 1)
scenarios() {  # scenarios LABEL NODES
  measure "$1: GET /v1/organizations/{id}" "$2" bench/lua/get.lua "/v1/organizations/$small"
  measure "$1: POST /v1/organizations" "$2" bench/lua/create_organization.lua "/v1/organizations"
  measure "$1: add member" "$2" bench/lua/add_member.lua "/v1/organizations/$add/memberships" nowarm
  measure "$1: list 10k-member org, page 1" "$2" bench/lua/get.lua "/v1/organizations/$big/memberships"
}

echo "SQLite (one node):"
seed "sqlite:$work/orgd.db"
start_node "sqlite:$work/orgd.db" 1
scenarios "SQLite, 1 node" 1
stop_all

echo "PostgreSQL 15 (throwaway server, loopback):"
bash scripts/test-postgres.sh start "$work/pg"
admin=$(cat "$work/pg/url")
psql "$admin" -qc "CREATE DATABASE bench_one" -c "CREATE DATABASE bench_two"
pg_settings=$(psql "$admin" -tAc "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'shared_buffers', 'wal_level', 'max_connections', 'commit_delay', 'full_page_writes')")
echo "  settings: $pg_settings"
for db in bench_one bench_two; do seed "${admin%/*}/$db"; done
start_node "${admin%/*}/bench_one" 1
scenarios "PostgreSQL, 1 node" 1
stop_all
start_node "${admin%/*}/bench_two" 1
start_node "${admin%/*}/bench_two" 2
scenarios "PostgreSQL, 2 nodes" 2
stop_all

report="$work/report.md"
{
  echo "Generated by \`make bench-stores\` ($connections connections split across the nodes, $duration per"
  echo "scenario; \`bash bench/stores.sh\`). PostgreSQL 15 settings: $pg_settings; orgd pool"
  echo "8 connections per node. Every process (orgd nodes, PostgreSQL, wrk) shares the same cores."
  echo
  machine_info "$work"
  echo
  cat "$table"
} >"$report"
replace_block stores "$report"
cat "$table"
