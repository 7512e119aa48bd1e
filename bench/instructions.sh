#!/usr/bin/env bash
# Instructions per request under callgrind: the stable measure on a noisy machine (wall-clock
# rates here move by 10–20% between runs; instruction counts move by well under 1%).
#
#   bench/instructions.sh          make bench-instructions
#
# Seeds a store with `orgd seed` (1,000 organizations, one with 10,000 members), then for each
# scenario starts `orgd serve` under valgrind --tool=callgrind, sends requests with wrk (one
# thread, four connections, for BENCH_INSTR_SECONDS, default 8 s), stops orgd and divides the
# instructions counted, less those of a run that served nothing (start-up and shutdown), by the
# requests answered. User-space instructions only: the kernel's share (sockets, fsync) is not in
# them. Writes the table into docs/BENCHMARKS.md between <!-- instructions:begin --> and
# <!-- instructions:end -->. Loopback only; every run is bounded by wrk's -d.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/report.sh
source bench/report.sh

orgd=${ORGD_BIN:-build/orgd}
seconds=${BENCH_INSTR_SECONDS:-8}
command -v valgrind >/dev/null || { echo "bench: valgrind is missing (make deps)"; exit 1; }
command -v wrk >/dev/null || { echo "bench: wrk is missing (make deps)"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/orgd-instr-XXXXXX")
pid=
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
key=$("$orgd" gen-secret-key)
export ORGD_BENCH_KEY=$key ORGD_BENCH_SPARE_SPAN=100000

"$orgd" seed --database "sqlite:$work/seed.db" --orgs 1000 --users 10000 --big-org-members 10000 \
  --user-orgs 100 --spare-users 200000 2>/dev/null | sed 's/^/  /'
# The signing key is made once, here: otherwise every run on a fresh copy generates an RSA key at
# start, whose cost (a prime search) varies by hundreds of millions of instructions from run to run
# and swamps the difference between a run and its idle baseline.
"$orgd" keys rotate --database "sqlite:$work/seed.db" 2>/dev/null | sed 's/^/  /'

# measure PATH SCRIPT DURATION [ceiling] — prints "<instructions> <requests>" of one callgrind
# run of orgd on a fresh copy of the seeded store (or of the bare Beast ceiling server). libvips
# loads its optional modules at start (one of them uses CPU instructions valgrind does not know);
# pointing VIPSHOME elsewhere keeps them out, which changes nothing orgd does here.
measure() {
  local path=$1 script=$2 duration=$3
  rm -f "$work/cg.out"
  : >"$work/orgd.log"
  if [ "${4:-}" = ceiling ]; then
    valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" \
      "${CEILING_HTTP_BIN:-build/bench/orgd-bench-ceiling-http}" >"$work/orgd.log" 2>&1 &
  else
    cp "$work/seed.db" "$work/run.db"
    rm -f "$work/run.db-wal" "$work/run.db-shm"
    VIPSHOME=/nonexistent valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" \
      "$orgd" serve --listen 127.0.0.1:0 --frontend-listen 127.0.0.1:0 --database "sqlite:$work/run.db" --secret-key "$key" \
      --log-level warn ${ORGD_EXTRA_ARGS:-} 2>"$work/orgd.log" &
  fi
  pid=$!
  local url
  url=$(listening_url "$work/orgd.log" 60) || exit 1
  local requests=0
  if [ "$duration" != 0 ]; then
    requests=$(wrk -t1 -c4 -d"$duration" -s "$script" "$url$path" | awk '/requests in/ {print $1}')
  fi
  kill -INT "$pid"
  wait "$pid" 2>/dev/null || true
  pid=
  echo "$(awk '/^summary:/ {print $2}' "$work/cg.out") $requests"
}

echo "callgrind: the bare Beast ceiling and orgd, each serving nothing first (start-up and shutdown)"
read -r ceiling_idle _ < <(measure / bench/lua/get.lua 0 ceiling)
read -r ceiling_total ceiling_requests < <(measure / bench/lua/get.lua "${seconds}s" ceiling)
ceiling=$(awk -v t="$ceiling_total" -v i="$ceiling_idle" -v n="$ceiling_requests" \
  'BEGIN { printf "%.0f", (t - i) / n }')
printf '  %-32s %8s requests  %10s instructions/request\n' "bare Beast (HTTP ceiling)" \
  "$ceiling_requests" "$ceiling"
read -r idle _ < <(measure /healthz bench/lua/get.lua 0)
big=$(printf 'org_%027d' 0)
small=$(printf 'org_%027d' 5)
add=$(printf 'org_%027d' 2000000000)
table="$work/table.md"
{
  echo "| scenario | requests | instructions per request | of the ceiling's |"
  echo "|---|---|---|---|"
  echo "| bare Beast, 390-byte body (HTTP ceiling) | $ceiling_requests | $ceiling | 1.0 |"
} >"$table"
for row in "GET /healthz|/healthz|bench/lua/get.lua" \
  "GET /v1/organizations/{id}|/v1/organizations/$small|bench/lua/get.lua" \
  "POST /v1/organizations|/v1/organizations|bench/lua/create_organization.lua" \
  "add member|/v1/organizations/$add/memberships|bench/lua/add_member.lua" \
  "list 10k-member org, page 1|/v1/organizations/$big/memberships|bench/lua/get.lua"; do
  IFS='|' read -r name path script <<<"$row"
  read -r total requests < <(measure "$path" "$script" "${seconds}s")
  per=$(awk -v t="$total" -v i="$idle" -v n="$requests" 'BEGIN { printf "%.0f", (t - i) / n }')
  printf '  %-32s %8s requests  %10s instructions/request\n' "$name" "$requests" "$per"
  times=$(awk -v p="$per" -v c="$ceiling" 'BEGIN { printf "%.1f", p / c }')
  echo "| $name | $requests | $per | $times |" >>"$table"
  [ "$name" != "GET /v1/organizations/{id}" ] || get_per=$per
done

# The cost of the Prometheus series (issue 20: at most 5% more instructions on get organization):
# the same scenario with the operator listener on, against a run that served nothing with it on.
read -r metrics_idle _ < <(ORGD_EXTRA_ARGS="--metrics-listen 127.0.0.1:0" measure /healthz bench/lua/get.lua 0)
read -r total requests < <(ORGD_EXTRA_ARGS="--metrics-listen 127.0.0.1:0" \
  measure "/v1/organizations/$small" bench/lua/get.lua "${seconds}s")
per=$(awk -v t="$total" -v i="$metrics_idle" -v n="$requests" 'BEGIN { printf "%.0f", (t - i) / n }')
more=$(awk -v p="$per" -v g="$get_per" 'BEGIN { printf "%+.1f%%", (p / g - 1) * 100 }')
printf '  %-32s %8s requests  %10s instructions/request (%s)\n' "… with --metrics-listen" \
  "$requests" "$per" "$more"
times=$(awk -v p="$per" -v c="$ceiling" 'BEGIN { printf "%.1f", p / c }')
echo "| GET /v1/organizations/{id}, --metrics-listen on ($more) | $requests | $per | $times |" >>"$table"

report="$work/report.md"
{
  echo "Generated by \`make bench-instructions\` (\`bash bench/instructions.sh\`: callgrind, wrk with one"
  echo "thread and 4 connections for ${seconds} s per scenario, on a copy of a store seeded with 1,000"
  echo "organizations; start-up and shutdown subtracted). The last column is how many times the bare"
  echo "Beast server's instructions a request costs."
  echo
  machine_info "$work"
  echo
  cat "$table"
} >"$report"
replace_block instructions "$report"
