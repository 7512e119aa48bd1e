#!/usr/bin/env bash
# Baseline load scenarios for orgd on SQLite (loopback only, every run bounded by wrk's -d).
#
#   bench/run.sh                 64 connections, 10 s per scenario, after a 3 s warm-up
#   BENCH_DURATION=5s BENCH_CONNECTIONS=32 bench/run.sh
#
# Prints one line per scenario: requests/s, p50, p99 (wrk --latency), and writes the same table to
# bench/results/latest.md. The first scenario, GET /healthz (no auth, no database), is the ceiling
# of this server on this machine in this run; every other scenario is also given as a ratio of it. The database lives in a temp dir on the same disk as the build, with
# orgd's production durability (WAL, synchronous=FULL, group commit).
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${BENCH_DURATION:-10s}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
orgd=${ORGD_BIN:-build/orgd}
command -v wrk >/dev/null || { echo "bench: wrk is missing (make deps)"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/orgd-bench-XXXXXX")
key=$("$orgd" gen-secret-key)
export ORGD_BENCH_KEY=$key
"$orgd" serve --listen 127.0.0.1:0 --database "sqlite:$work/orgd.db" --secret-key "$key" \
  --log-level warn 2>"$work/orgd.log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT

for _ in $(seq 100); do
  grep -q "listening on" "$work/orgd.log" && break
  sleep 0.1
done
url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/orgd.log" | head -1)
[ -n "$url" ] || { cat "$work/orgd.log"; exit 1; }

org_id=$(curl -sf -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -d '{"name":"Bench Target","public_metadata":{"plan":"pro"}}' "$url/v1/organizations" |
  grep -o '"id":"org_[0-9A-Za-z]*"' | cut -d'"' -f4)

results=bench/results
mkdir -p "$results"
table="$results/latest.md"
{
  echo "| scenario | req/s | of ceiling | p50 | p99 | errors |"
  echo "|---|---|---|---|---|---|"
} >"$table"

# run NAME WRK_ARGS… — a 3 s warm-up, then the measured run.
run() {
  local name=$1
  shift
  wrk -t"$threads" -c"$connections" -d3s "$@" >/dev/null
  local out
  out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency "$@")
  local rps p50 p99 errs
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errs=$(grep -o 'BENCH errors=[0-9]* non2xx=[0-9]*' <<<"$out" | sed 's/BENCH //')
  [ -n "${ceiling:-}" ] || ceiling=$rps
  local ratio
  ratio=$(awk -v r="$rps" -v c="$ceiling" 'BEGIN { printf "%.2f", r / c }')
  printf '%-34s %10s req/s  %5s of ceiling  p50 %-9s p99 %-9s %s\n' "$name" "$rps" "$ratio" "$p50" "$p99" "$errs"
  echo "| $name | $rps | $ratio | $p50 | $p99 | $errs |" >>"$table"
}

echo "orgd $("$orgd" --version | cut -d' ' -f2) at $url, $connections connections, $duration per scenario"
run "GET /healthz (ceiling)" -s bench/lua/get.lua "$url/healthz"
run "GET /v1/organizations/{id}" -s bench/lua/get.lua "$url/v1/organizations/$org_id"
run "POST /v1/organizations" -s bench/lua/create_organization.lua "$url/v1/organizations"
echo "table: $table"
