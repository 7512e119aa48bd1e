#!/usr/bin/env bash
# Baseline load scenarios for orgd on SQLite (loopback only, every run bounded by wrk's -d).
#
#   bench/run.sh                 64 connections, 10 s per scenario, after a 3 s warm-up
#   BENCH_DURATION=5s BENCH_CONNECTIONS=32 bench/run.sh
#   BENCH_SCALES="1000 100000" BENCH_SCALE_DURATION=5s   the store sizes of the membership part
#
# The membership part seeds a database per store size with `orgd seed` (an organization with
# 10,000 members, a user in 100 organizations, spare users), restarts orgd on it and measures
# adding a member, the first page of the big organization's members, and the user's memberships,
# so the table shows whether those times stay flat as the store grows.
#
# Prints one line per scenario: requests/s, p50, p99 (wrk --latency), and writes the same table to
# bench/results/latest.md. The first scenario, GET /healthz (no auth, no database), is the ceiling
# of this server on this machine in this run; every other scenario is also given as a ratio of it. The database lives in a temp dir on the same disk as the build, with
# orgd's production durability (WAL, synchronous=FULL, group commit).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/report.sh
source bench/report.sh

duration=${BENCH_DURATION:-10s}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
orgd=${ORGD_BIN:-build/orgd}
command -v wrk >/dev/null || { echo "bench: wrk is missing (make deps)"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/orgd-bench-XXXXXX")
key=$("$orgd" gen-secret-key)
export ORGD_BENCH_KEY=$key
pid=
trap 'stop_orgd || true; rm -rf "$work"' EXIT

# start_orgd DB_FILE — starts orgd on the file and sets $url.
start_orgd() {
  : >"$work/orgd.log"
  "$orgd" serve --listen 127.0.0.1:0 --frontend-listen 127.0.0.1:0 --database "sqlite:$1" --secret-key "$key" \
    --log-level warn 2>"$work/orgd.log" &
  pid=$!
  url=$(listening_url "$work/orgd.log") || exit 1
}

stop_orgd() {
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
  pid=
}

start_orgd "$work/orgd.db"

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
declare -A rps_of p99_of
run() {
  local name=$1
  shift
  local t=${THREADS:-$threads} c=${CONNS:-$connections}
  [ -n "${NOWARM:-}" ] || wrk -t"$t" -c"$c" -d3s "$@" >/dev/null
  local out
  out=$(wrk -t"$t" -c"$c" -d"${DURATION:-$duration}" --latency "$@")
  local rps p50 p99 errs
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errs=$(grep -o 'BENCH errors=[0-9]* non2xx=[0-9]*' <<<"$out" | sed 's/BENCH //')
  [ -n "${ceiling:-}" ] || ceiling=$rps
  rps_of[$name]=$rps
  p99_of[$name]=$p99
  local ratio
  ratio=$(awk -v r="$rps" -v c="$ceiling" 'BEGIN { printf "%.2f", r / c }')
  printf '%-34s %10s req/s  %5s of ceiling  p50 %-9s p99 %-9s %s\n' "$name" "$rps" "$ratio" "$p50" "$p99" "$errs"
  echo "| $name | $rps | $ratio | $p50 | $p99 | $errs |" >>"$table"
}

# Ceilings of this machine, measured in this run (issue 7): a bare Beast server answering a body
# of an organization's size (every ratio below is against it), durable SQLite inserts, and
# OpenSSL's RSA-2048 signing rate.
ceiling_bin=${CEILING_HTTP_BIN:-build/bench/orgd-bench-ceiling-http}
"$ceiling_bin" >"$work/ceiling.log" 2>&1 &
ceiling_pid=$!
ceiling_url=$(listening_url "$work/ceiling.log" 5) || exit 1
echo "ceilings: bare Beast at $ceiling_url, $connections connections, $duration"
run "bare Beast, 390-byte body (HTTP ceiling)" -s bench/lua/get.lua "$ceiling_url/"
kill "$ceiling_pid"; wait "$ceiling_pid" 2>/dev/null || true
echo "durable SQLite inserts (WAL, synchronous=FULL; build/bench/orgd-bench-ceiling-sqlite):"
"${CEILING_SQLITE_BIN:-build/bench/orgd-bench-ceiling-sqlite}" --database "$work/ceiling.db" \
  --seconds 5 | sed 's/^/  /' | tee "$work/sqlite-ceiling.txt"
rsa=$(openssl speed -seconds 3 rsa2048 2>/dev/null | awk '/^rsa 2048/ {print $6}')
echo "  RSA-2048 signatures (openssl speed, one core): $rsa sign/s"
{
  echo
  echo "| ceiling | rate |"
  echo "|---|---|"
  sed 's/^  //; s/: / | /; s/^/| /; s/$/ |/' "$work/sqlite-ceiling.txt"
  echo "| RSA-2048 sign (openssl speed, one core) | $rsa sign/s |"
  echo
  echo "| scenario | req/s | of ceiling | p50 | p99 | errors |"
  echo "|---|---|---|---|---|---|"
} >>"$table"

echo "orgd $("$orgd" --version | cut -d' ' -f2) at $url, $connections connections, $duration per scenario"
run "GET /healthz" -s bench/lua/get.lua "$url/healthz"
run "GET /v1/organizations/{id}" -s bench/lua/get.lua "$url/v1/organizations/$org_id"
run "POST /v1/organizations" -s bench/lua/create_organization.lua "$url/v1/organizations"

# Roles (issue 5): the 2 default roles plus 8 custom ones, each granting the system permissions.
perm_ids=$(curl -sf -H "Authorization: Bearer $key" "$url/v1/organization_permissions?limit=100" |
  grep -o '"id":"perm_[0-9A-Za-z]*"' | cut -d'"' -f4 | sed 's/.*/"&"/' | paste -sd, -)
for i in $(seq 8); do
  curl -sf -o /dev/null -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
    -d "{\"name\":\"Bench role $i\",\"key\":\"org:bench_$i\",\"permissions\":[$perm_ids]}" \
    "$url/v1/organization_roles"
done
run "GET /v1/organization_roles (10 roles)" -s bench/lua/get.lua "$url/v1/organization_roles?limit=10"

peak_rss() { awk '/^VmHWM/ {printf "%.0f MB", $2 / 1024}' "/proc/$pid/status" 2>/dev/null; }
echo "orgd peak RSS after the scenarios above: $(peak_rss)"
echo "| orgd peak RSS (above) | $(peak_rss) |  |  |  |  |" >>"$table"

# Membership scenarios against stores of growing size (issue 4).
scale_duration=${BENCH_SCALE_DURATION:-5s}
spare=200000
export ORGD_BENCH_SPARE_SPAN=$((spare / threads))
first_scale=${BENCH_SCALES:-1000 100000}
first_scale=${first_scale%% *}
for orgs in ${BENCH_SCALES:-1000 100000}; do
  stop_orgd
  db="$work/scale-$orgs.db"
  "$orgd" seed --database "sqlite:$db" --orgs "$orgs" --users 10000 --big-org-members 10000 \
    --user-orgs 100 --spare-users "$spare" 2>/dev/null | sed 's/^/  /'
  start_orgd "$db"
  big=$(printf 'org_%027d' 0)
  many=$(printf 'user_%027d' 999999999)
  add=$(printf 'org_%027d' 2000000000)
  echo "store with $orgs organizations:"
  NOWARM=1 DURATION=$scale_duration run "add member ($orgs orgs)" -s bench/lua/add_member.lua \
    "$url/v1/organizations/$add/memberships"
  DURATION=$scale_duration run "list 10k-member org, page 1 ($orgs orgs)" -s bench/lua/get.lua \
    "$url/v1/organizations/$big/memberships"
  # The same page with one connection: its service time, without 64 requests queueing for two
  # cores (the latency target of issue 7 is about this one).
  THREADS=1 CONNS=1 DURATION=$scale_duration run "list 10k-member org, page 1, 1 connection ($orgs orgs)" \
    -s bench/lua/get.lua "$url/v1/organizations/$big/memberships"
  DURATION=$scale_duration run "user in 100 orgs: memberships ($orgs orgs)" -s bench/lua/get.lua \
    "$url/v1/users/$many/organization_memberships"
  echo "  orgd peak RSS: $(peak_rss)"
  echo "| orgd peak RSS ($orgs orgs) | $(peak_rss) |  |  |  |  |" >>"$table"
  rm -f "$db" "$db-wal" "$db-shm"
done

# The peer (issue 7): Better Auth's organization plugin on PostgreSQL, same machine, same wrk.
if [ "${BENCH_PEER:-1}" = 1 ]; then
  stop_orgd
  # shellcheck source=bench/peer/better_auth.sh
  source bench/peer/better_auth.sh
  trap 'peer_stop || true; stop_orgd || true; rm -rf "$work"' EXIT
  if peer_start; then
    echo "peer: Better Auth $BETTER_AUTH_VERSION (organization plugin) on PostgreSQL 15 at $peer_url"
    DURATION=$scale_duration run "peer: create organization" -s bench/lua/peer_create_organization.lua "$peer_url/"
    DURATION=$scale_duration run "peer: get full organization" -s bench/lua/peer_get.lua \
      "$peer_url/api/auth/organization/get-full-organization?organizationId=$peer_small_org"
    NOWARM=1 DURATION=$scale_duration run "peer: add member" -s bench/lua/peer_add_member.lua "$peer_url/"
    DURATION=$scale_duration run "peer: list 10k-member org, page 1" -s bench/lua/peer_get.lua \
      "$peer_url/api/auth/organization/list-members?organizationId=$peer_big_org&limit=10"
    peer_stop
    {
      echo
      echo "| shared scenario | orgd req/s | peer req/s | orgd/peer | orgd p99 | peer p99 |"
      echo "|---|---|---|---|---|---|"
    } >>"$table"
    echo "orgd beside the peer:"
    for pair in "create organization=POST /v1/organizations" \
      "get full organization=GET /v1/organizations/{id}" \
      "add member=add member (${first_scale} orgs)" \
      "list 10k-member org, page 1=list 10k-member org, page 1 (${first_scale} orgs)"; do
      peer_name="peer: ${pair%%=*}"
      orgd_name=${pair#*=}
      o=${rps_of[$orgd_name]:-}
      q=${rps_of[$peer_name]:-}
      [ -n "$o" ] && [ -n "$q" ] || continue
      ratio=$(awk -v a="$o" -v b="$q" 'BEGIN { printf "%.1f", a / b }')
      printf '  %-32s orgd %10s  peer %10s  orgd/peer %6s  p99 %s vs %s\n' "${pair%%=*}" "$o" "$q" \
        "$ratio" "${p99_of[$orgd_name]}" "${p99_of[$peer_name]}"
      echo "| ${pair%%=*} | $o | $q | $ratio | ${p99_of[$orgd_name]} | ${p99_of[$peer_name]} |" >>"$table"
    done
  else
    echo "peer: could not start (see $work/peer); skipped"
    peer_stop
  fi
fi

# The permission check itself (Google Benchmark, no HTTP): 100 roles, 1,000 permissions.
echo "permission check (build/bench/orgd_permission_benchmark):"
"${PERMISSION_BENCH_BIN:-build/bench/orgd_permission_benchmark}" --benchmark_min_time=1 \
  --benchmark_format=console 2>/dev/null | grep -E '^BM_' | sed 's/^/  /'

# The report: docs/BENCHMARKS.md's generated block and a chart (req/s and p99 per scenario).
report="$work/report.md"
{
  echo "Generated by \`make bench\` ($connections connections, $duration per orgd scenario, $scale_duration per"
  echo "store-size and peer scenario; \`bash bench/run.sh\`)."
  echo
  machine_info "$work"
  echo
  cat "$table"
  echo
  echo "![req/s and p99 per scenario](bench.png)"
} >"$report"
replace_block bench "$report"
bench_chart "$table" docs/bench.png "$work"
echo "table: $table"
