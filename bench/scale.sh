#!/usr/bin/env bash
# The scale curve (make bench-scale): get, list and add latency and orgd's RSS as the store grows.
# For each size in BENCH_SCALES (default 10^3 10^4 10^5 10^6 organizations), `orgd seed` fills a
# fresh SQLite file — every organization with 10 members from a pool of 100,000 users (10^7
# memberships at 10^6), one organization with 10,000 members, a user in 100 organizations, spare
# users — then orgd serves it and wrk runs each scenario (64 connections, BENCH_SCALE_DURATION,
# default 5 s, after a 2 s warm-up). Loopback only; every run is bounded by wrk's -d.
#
# Writes bench/results/scale.md and bench/results/scale.png (gnuplot).
set -euo pipefail
cd "$(dirname "$0")/.."

orgd=${ORGD_BIN:-build/orgd}
duration=${BENCH_SCALE_DURATION:-5s}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
scales=${BENCH_SCALES:-1000 10000 100000 1000000}
spare=100000
command -v wrk >/dev/null || { echo "bench: wrk is missing (make deps)"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/orgd-scale-XXXXXX")
key=$("$orgd" gen-secret-key)
export ORGD_BENCH_KEY=$key ORGD_BENCH_SPARE_SPAN=$((spare / threads))
pid=
stop_orgd() {
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
  pid=
}
trap 'stop_orgd || true; rm -rf "$work"' EXIT

results=bench/results
mkdir -p "$results"
table="$results/scale.md"
data="$work/scale.dat"
{
  echo "| organizations | memberships | seed s | DB MB | scenario | req/s | p50 | p99 | RSS MB |"
  echo "|---|---|---|---|---|---|---|---|---|"
} >"$table"
: >"$data"

# measure NAME SCRIPT URL [NOWARM] — prints "req/s p50_ms p99_ms".
measure() {
  local script=$2 url=$3
  [ -n "${4:-}" ] || wrk -t"$threads" -c"$connections" -d2s -s "$script" "$url" >/dev/null
  wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$script" "$url" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^Requests\/sec:/ { rps = $2 } $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
    END { printf "%s %.2f %.2f\n", rps, p50, p99 }'
}

for orgs in $scales; do
  db="$work/scale-$orgs.db"
  seeded=$("$orgd" seed --database "sqlite:$db" --orgs "$orgs" --users 100000 --members-per-org 10 \
    --big-org-members 10000 --user-orgs 100 --spare-users "$spare" 2>/dev/null)
  echo "$seeded"
  seed_s=$(grep -o 'in [0-9.]* s' <<<"$seeded" | awk '{print $2}')
  memberships=$(grep -o '[0-9]* memberships' <<<"$seeded" | awk '{print $1}')
  db_mb=$(du -m "$db" | awk '{print $1}')
  "$orgd" serve --listen 127.0.0.1:0 --database "sqlite:$db" --secret-key "$key" --log-level warn \
    2>"$work/orgd.log" &
  pid=$!
  for _ in $(seq 300); do grep -q "listening on" "$work/orgd.log" && break; sleep 0.1; done
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/orgd.log" | head -1)
  mid=$(printf 'org_%027d' $((orgs / 2)))
  big=$(printf 'org_%027d' 0)
  many=$(printf 'user_%027d' 999999999)
  add=$(printf 'org_%027d' 2000000000)
  for scenario in "get organization|bench/lua/get.lua|$url/v1/organizations/$mid|" \
    "list 10k-member org, page 1|bench/lua/get.lua|$url/v1/organizations/$big/memberships|" \
    "user's 100 memberships|bench/lua/get.lua|$url/v1/users/$many/organization_memberships|" \
    "add member|bench/lua/add_member.lua|$url/v1/organizations/$add/memberships|nowarm"; do
    IFS='|' read -r name script target nowarm <<<"$scenario"
    read -r rps p50 p99 < <(measure "$name" "$script" "$target" "$nowarm")
    rss=$(awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")
    printf '%9s orgs  %-30s %10s req/s  p50 %7s ms  p99 %7s ms  RSS %s MB\n' "$orgs" "$name" \
      "$rps" "$p50" "$p99" "$rss"
    echo "| $orgs | $memberships | $seed_s | $db_mb | $name | $rps | $p50 | $p99 | $rss |" >>"$table"
    echo "$orgs \"$name\" $rps $p50 $p99 $rss" >>"$data"
  done
  stop_orgd
  rm -f "$db" "$db-wal" "$db-shm"
done

if command -v gnuplot >/dev/null; then
  gnuplot <<GP
set terminal pngcairo size 1100,450 font ",10" noenhanced
set output "docs/bench-scale.png"
set multiplot layout 1,2 title "orgd on SQLite: latency and throughput against store size (64 connections)"
set logscale x
set xlabel "organizations in the store"
set key top left
set ylabel "p99 latency (ms)"
plot for [s in "get_organization list_10k-member_org,_page_1 user's_100_memberships add_member"] \\
  "< awk -v n=\"".s."\" '{ name = \$2; for (i = 3; i <= NF - 4; i++) name = name \"_\" \$i; gsub(/\"/, \"\", name); if (name == n) print \$1, \$(NF-1) }' $data" \\
  using 1:2 with linespoints title s
set ylabel "req/s"
plot for [s in "get_organization list_10k-member_org,_page_1 user's_100_memberships add_member"] \\
  "< awk -v n=\"".s."\" '{ name = \$2; for (i = 3; i <= NF - 4; i++) name = name \"_\" \$i; gsub(/\"/, \"\", name); if (name == n) print \$1, \$(NF-3) }' $data" \\
  using 1:2 with linespoints title s
unset multiplot
GP
  echo "chart: docs/bench-scale.png"
fi

# shellcheck source=bench/report.sh
source bench/report.sh
report="$work/report.md"
{
  echo "Generated by \`make bench-scale\` ($connections connections, $duration per scenario after a 2 s"
  echo "warm-up; \`bash bench/scale.sh\`, sizes: $scales organizations)."
  echo
  machine_info "$work"
  echo
  cat "$table"
  echo
  echo "![latency and throughput against store size](bench-scale.png)"
} >"$report"
replace_block scale "$report"
echo "table: $table"
