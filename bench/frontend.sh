#!/usr/bin/env bash
# The Frontend API against the Backend API (loopback only, every run bounded by wrk's -d):
#   1. GET /v1/organizations/{id}/memberships?limit=10 on the Backend API (secret key): the ceiling
#      of the read, the same service call without a client or a session to resolve;
#   2. the same read on the Frontend API as clerk-js sends it (the __client cookie, Origin,
#      _clerk_session_id), with the client and session resolved on every request;
#   3. the Frontend API's token refresh, POST /v1/client/sessions/{id}/tokens organization_id=…;
#   4. for reference the Backend API's POST /v1/sessions/{id}/tokens (the same signature).
# Read 1 is measured again after the others; the ratio is taken against the higher of the two, and
# a gap between them means something else was using the machine. Each rate is also given per second
# of orgd's CPU (from /proc), which another process's load on the 2 cores moves much less.
#
#   bench/frontend.sh                       make bench-frontend
#   BENCH_DURATION=5s bash bench/frontend.sh
#
# Knobs: BENCH_DURATION (wrk, 10s), BENCH_WARMUP (2s), BENCH_CONNECTIONS (64), BENCH_THREADS (wrk
# threads, 2), BENCH_CLIENTS (signed-in browsers the connections cycle through, 64), ORGD_BIN.
#
# The store: a fresh SQLite database with one organization of 10 members; the caller, its
# creator, is an admin and signs in BENCH_CLIENTS times with Backend API sign-in tokens redeemed
# at POST /v1/client/sign_ins (strategy=ticket), each a client with its own __client cookie.
# Writes the table into docs/BENCHMARKS.md between <!-- frontend:begin --> and <!-- frontend:end -->.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/report.sh
source bench/report.sh

orgd=${ORGD_BIN:-build/orgd}
duration=${BENCH_DURATION:-10s}
warmup=${BENCH_WARMUP:-2s}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
client_count=${BENCH_CLIENTS:-64}
members=10
origin=http://127.0.0.1:3000
cores=$(nproc)
command -v wrk >/dev/null || { echo "bench: wrk is missing (make deps)"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/orgd-bench-frontend-XXXXXX")
key=$("$orgd" gen-secret-key)
pid=
trap '[ -z "$pid" ] || { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }; rm -rf "$work"' EXIT
db="$work/orgd.db"

# log_url PATTERN — the first URL on the line of orgd's log matching PATTERN, waiting up to 20 s.
log_url() {
  local found=
  for _ in $(seq 200); do
    found=$(sed -n "s|^$1 \\(http://127\\.0\\.0\\.1:[0-9]*\\) .*|\\1|p" "$work/orgd.log" | head -1)
    [ -z "$found" ] || break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$found" ] || { echo "bench: orgd did not say \"$1\":" >&2; cat "$work/orgd.log" >&2; return 1; }
  echo "$found"
}
# One session from one address at thousands of requests a second is what the Frontend API's rate
# limits exist to refuse: they are off here, where the request path itself is measured.
"$orgd" serve --listen 127.0.0.1:0 --frontend-listen 127.0.0.1:0 --allowed-origin "$origin" \
  --frontend-rate-limit off --database "sqlite:$db" --secret-key "$key" --log-level warn \
  2>"$work/orgd.log" &
pid=$!
url=$(log_url 'orgd [^ ]* listening on') || exit 1
furl=$(log_url 'orgd frontend API listening on') || exit 1

# api METHOD PATH [BODY] — the Backend API's response body; fails (printing it) unless 2xx.
api() {
  local out status body=()
  [ $# -lt 3 ] || body=(-d "$3")
  out=$(curl -sS -w '\n%{http_code}' -X "$1" -H "Authorization: Bearer $key" \
    -H 'Content-Type: application/json' "${body[@]}" "$url$2")
  status=${out##*$'\n'}
  out=${out%$'\n'*}
  [[ $status == 2?? ]] || { echo "bench: $1 $2 answered $status: $out" >&2; return 1; }
  printf '%s' "$out"
}
# json EXPR — EXPR (Python, over the parsed JSON object `j` on stdin) printed; fails on empty input.
json() {
  /usr/bin/python3 -c 'import json,sys; s = sys.stdin.read(); j = json.loads(s) if s else sys.exit(1); print(eval(sys.argv[1]))' "$1"
}
TIMEFORMAT='%U %S'  # bash's time: wrk's own user and system seconds
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
busy_ticks() { awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat; }

# The store: an organization of $members members, its creator (the caller) an admin.
echo "orgd $("$orgd" --version | cut -d' ' -f2): Backend API at $url, Frontend API at $furl"
admin=$(api POST /v1/users '{"email_address":["admin@bench.test"],"first_name":"Bench","last_name":"Admin"}' | json 'j["id"]')
org=$(api POST /v1/organizations \
  "{\"name\":\"Bench frontend\",\"created_by\":\"$admin\",\"max_allowed_memberships\":100}" | json 'j["id"]')
for i in $(seq 2 "$members"); do
  member=$(api POST /v1/users "{\"email_address\":[\"member$i@bench.test\"],\"first_name\":\"Member\",\"last_name\":\"$i\"}" | json 'j["id"]')
  api POST "/v1/organizations/$org/memberships" "{\"user_id\":\"$member\",\"role\":\"org:member\"}" >/dev/null
done
# The browsers: each redeems a sign-in token and keeps its __client cookie and session.
: >"$work/clients"
for i in $(seq "$client_count"); do
  ticket=$(api POST /v1/sign_in_tokens "{\"user_id\":\"$admin\"}" | json 'j["token"]')
  status=$(curl -sS -o "$work/sign_in.json" -D "$work/sign_in.headers" -w '%{http_code}' \
    -H "Origin: $origin" --data-urlencode strategy=ticket --data-urlencode "ticket=$ticket" \
    "$furl/v1/client/sign_ins")
  [ "$status" = 200 ] || { echo "bench: sign-in $i answered $status: $(head -c 300 "$work/sign_in.json")"; exit 1; }
  cookie=$(tr -d '\r' <"$work/sign_in.headers" | sed -n 's/^[Ss]et-[Cc]ookie: __client=\([^;]*\);.*/\1/p')
  sess=$(json 'j["client"]["sessions"][0]["id"]' <"$work/sign_in.json")
  if [ -z "$cookie" ] || [ -z "$sess" ]; then
    echo "bench: sign-in $i set no __client cookie or session"; exit 1
  fi
  echo "$sess $cookie" >>"$work/clients"
done
echo "  $org: $members members; $client_count signed-in clients of its admin $admin"
# One request of each kind by hand, so a wrong setup fails here with its answer.
read -r sess cookie <"$work/clients"
page=$(curl -sS -H "Cookie: __client=$cookie" -H "Origin: $origin" \
  "$furl/v1/organizations/$org/memberships?paginated=true&limit=10&offset=0&_clerk_session_id=$sess")
[ "$(json 'str(j["response"]["total_count"]) + " " + str(len(j["response"]["data"])) + " " + str(j["client"])' <<<"$page")" = "$members 10 None" ] ||
  { echo "bench: the Frontend API's page is not 10 of $members members: $(head -c 300 <<<"$page")"; exit 1; }
api GET "/v1/organizations/$org/memberships?limit=10" | json 'j["total_count"]' | grep -qx "$members" ||
  { echo "bench: the Backend API's page does not count $members members"; exit 1; }
fapi_bytes=$(printf '%s' "$page" | wc -c)
bapi_bytes=$(api GET "/v1/organizations/$org/memberships?limit=10" | wc -c)

export ORGD_BENCH_KEY=$key ORGD_BENCH_ORG=$org ORGD_BENCH_ORIGIN=$origin \
  ORGD_BENCH_MEMBERS=$members ORGD_BENCH_CLIENTS=$work/clients

# scenario NAME MODE BASE_URL — a $warmup warm-up, then the measured run; sets rps[NAME],
# p50[NAME], p99[NAME], counts[NAME], cpu[NAME] (cores busy: machine / orgd / wrk / other) and
# other[NAME] (cores used by anything but orgd and wrk during the run) and per_cpu[NAME] (requests
# per second of orgd's CPU: what another process's load on the machine moves least).
declare -A rps p50 p99 counts cpu other per_cpu
ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.2f", v / 1000; else if (v ~ /ms$/) printf "%.2f", v + 0; else printf "%.2f", v * 1000 }'; }
scenario() {
  local name=$1 mode=$2 base=$3 out started finished ticks_before ticks_after busy_before busy_after
  ORGD_BENCH_MODE=$mode wrk -t"$threads" -c"$connections" -d"$warmup" -s bench/lua/frontend.lua \
    "$base/" >/dev/null 2>>"$work/wrk.err"
  ticks_before=$(cpu_ticks); busy_before=$(busy_ticks); started=$(date +%s.%N)
  out=$( { time ORGD_BENCH_MODE=$mode wrk -t"$threads" -c"$connections" -d"$duration" --latency \
    -s bench/lua/frontend.lua "$base/" 2>>"$work/wrk.err"; } 2>"$work/wrk.time")
  finished=$(date +%s.%N); ticks_after=$(cpu_ticks); busy_after=$(busy_ticks)
  local orgd_c machine_c wrk_c other_c hz
  hz=$(getconf CLK_TCK)
  rps[$name]=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50[$name]=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99[$name]=$(awk '$1 == "99%" {print $2}' <<<"$out")
  counts[$name]=$(grep -o 'BENCH errors=.*' <<<"$out" | sed 's/BENCH //')
  if [ -z "${rps[$name]}" ] || [ -z "${counts[$name]}" ]; then
    echo "bench: wrk printed no result:"; echo "$out"; cat "$work/wrk.err"; exit 1
  fi
  orgd_c=$(awk -v a="$ticks_before" -v b="$ticks_after" -v s="$started" -v e="$finished" -v hz="$hz" \
    'BEGIN { printf "%.2f", (b - a) / hz / (e - s) }')
  machine_c=$(awk -v a="$busy_before" -v b="$busy_after" -v s="$started" -v e="$finished" -v hz="$hz" \
    'BEGIN { printf "%.2f", (b - a) / hz / (e - s) }')
  wrk_c=$(awk -v s="$started" -v e="$finished" '{ printf "%.2f", ($1 + $2) / (e - s) }' "$work/wrk.time")
  other_c=$(awk -v m="$machine_c" -v o="$orgd_c" -v w="$wrk_c" 'BEGIN { r = m - o - w; printf "%.2f", r < 0 ? 0 : r }')
  cpu[$name]="$machine_c / $orgd_c / $wrk_c / $other_c"
  other[$name]=$other_c
  per_cpu[$name]=$(awk -v r="${rps[$name]}" -v o="$orgd_c" 'BEGIN { printf "%.0f", r / o }')
  printf '  %-12s %10s req/s  p50 %-9s p99 %-9s %s; cores machine/orgd/wrk/other %s; %s per orgd CPU-s\n' \
    "$name" "${rps[$name]}" "${p50[$name]}" "${p99[$name]}" "${counts[$name]}" "${cpu[$name]}" "${per_cpu[$name]}"
}

echo "wrk -t$threads -c$connections -d$duration --latency after a $warmup warm-up, over $client_count clients:"
scenario bapi_read bapi_read "$url"
scenario fapi_read fapi_read "$furl"
scenario fapi_refresh fapi_refresh "$furl"
scenario bapi_mint bapi_mint "$url"
scenario bapi_read2 bapi_read "$url"
if [ -s "$work/wrk.err" ]; then sed 's/^/  wrk: /' "$work/wrk.err" | head -20; fi
orgd_log=$(grep -Eiv '^\s*$' "$work/orgd.log" | grep -v 'listening on' | grep -v 'no --smtp-url' | head -20 || true)
[ -z "$orgd_log" ] || sed 's/^/  orgd log: /' <<<"$orgd_log"

failed=
for s in bapi_read fapi_read fapi_refresh bapi_mint bapi_read2; do
  [[ ${counts[$s]} == "errors=0 non2xx=0 non200=0 badbody=0" ]] ||
    failed="$s: responses not all 200 with the expected body (${counts[$s]})"
done
read_ceiling=$(awk -v a="${rps[bapi_read]}" -v b="${rps[bapi_read2]}" 'BEGIN { print (a > b ? a : b) }')
spread=$(awk -v a="${rps[bapi_read]}" -v b="${rps[bapi_read2]}" \
  'BEGIN { d = a - b; if (d < 0) d = -d; printf "%.0f", 100 * d / (a > b ? a : b) }')
read_ratio=$(awk -v f="${rps[fapi_read]}" -v b="$read_ceiling" 'BEGIN { printf "%.2f", f / b }')
read_met=$(awk -v r="$read_ratio" 'BEGIN { print (r >= 0.7 ? "met" : "not met") }')
mint_ratio=$(awk -v f="${rps[fapi_refresh]}" -v b="${rps[bapi_mint]}" 'BEGIN { printf "%.2f", f / b }')
# The same two ratios per second of orgd's CPU (the read against the higher of its two runs).
read_cpu_ceiling=$(awk -v a="${per_cpu[bapi_read]}" -v b="${per_cpu[bapi_read2]}" 'BEGIN { print (a > b ? a : b) }')
read_cpu_ratio=$(awk -v f="${per_cpu[fapi_read]}" -v b="$read_cpu_ceiling" 'BEGIN { printf "%.2f", f / b }')
mint_cpu_ratio=$(awk -v f="${per_cpu[fapi_refresh]}" -v b="${per_cpu[bapi_mint]}" 'BEGIN { printf "%.2f", f / b }')
echo "  FAPI read / BAPI read (the higher, $read_ceiling) = $read_ratio (target >= 0.7: $read_met)"
echo "  FAPI refresh / BAPI mint = $mint_ratio"
echo "  per orgd CPU-second: FAPI read / BAPI read = $read_cpu_ratio, FAPI refresh / BAPI mint = $mint_cpu_ratio"
noisy=
worst_other=$(printf '%s\n' "${other[@]}" | sort -g | tail -1)
if [ "$spread" -gt 10 ]; then
  noisy="the two Backend API read runs differ by $spread%: something else was using the machine"
elif awk -v o="$worst_other" 'BEGIN { exit !(o > 0.10) }'; then
  noisy="other processes used up to $worst_other of the $cores cores during a run"
fi
[ -z "$noisy" ] || echo "  warning: $noisy"

report="$work/report.md"
{
  echo "Generated by \`make bench-frontend\` (\`bash bench/frontend.sh\`: wrk with $threads threads and"
  echo "$connections connections for $duration per scenario after a $warmup warm-up, cycling through $client_count signed-in"
  echo "clients; SQLite). The organization has $members members; the caller, its creator, is an admin; the"
  echo "Frontend API requests carry the \`__client\` cookie and \`Origin: $origin\` as clerk-js's do."
  echo "The Backend API read is measured first and again last; the ratio is against the higher. Target:"
  echo "Frontend API read at least 0.7 of the Backend API read. wrk runs on the same $cores cores."
  echo
  machine_info "$work"
  echo
  echo "| scenario | req/s | p50 | p99 | responses | cores busy: machine / orgd / wrk / other | req per orgd CPU-second |"
  echo "|---|---|---|---|---|---|---|"
  echo "| 1. Backend API: GET /v1/organizations/{id}/memberships?limit=10 ($bapi_bytes bytes), first run | ${rps[bapi_read]} | ${p50[bapi_read]} | ${p99[bapi_read]} | ${counts[bapi_read]} | ${cpu[bapi_read]} | ${per_cpu[bapi_read]} |"
  echo "| 2. Frontend API: GET /v1/organizations/{id}/memberships?paginated=true&limit=10&offset=0&_clerk_session_id=… ($fapi_bytes bytes) | ${rps[fapi_read]} | ${p50[fapi_read]} | ${p99[fapi_read]} | ${counts[fapi_read]} | ${cpu[fapi_read]} | ${per_cpu[fapi_read]} |"
  echo "| 3. Frontend API: POST /v1/client/sessions/{id}/tokens, organization_id=… (token refresh) | ${rps[fapi_refresh]} | ${p50[fapi_refresh]} | ${p99[fapi_refresh]} | ${counts[fapi_refresh]} | ${cpu[fapi_refresh]} | ${per_cpu[fapi_refresh]} |"
  echo "| 4. Backend API: POST /v1/sessions/{id}/tokens, {} (the same signature) | ${rps[bapi_mint]} | ${p50[bapi_mint]} | ${p99[bapi_mint]} | ${counts[bapi_mint]} | ${cpu[bapi_mint]} | ${per_cpu[bapi_mint]} |"
  echo "| 1. Backend API read again, last run | ${rps[bapi_read2]} | ${p50[bapi_read2]} | ${p99[bapi_read2]} | ${counts[bapi_read2]} | ${cpu[bapi_read2]} | ${per_cpu[bapi_read2]} |"
  echo
  echo "| ratio | of req/s | of req per orgd CPU-second |"
  echo "|---|---|---|"
  echo "| Frontend API read / Backend API read (the higher of its two runs; target ≥ 0.7) | **$read_ratio** ($read_met) | $read_cpu_ratio |"
  echo "| Frontend API refresh / Backend API mint | **$mint_ratio** | $mint_cpu_ratio |"
  if [ -n "$noisy" ]; then
    echo
    echo "**Noisy run**: $noisy;"
    echo "the req/s ratios are not reliable. The ratios per orgd CPU-second (each rate divided by the"
    echo "cores orgd used in that run) move less with other processes' load."
  fi
} >"$report"
if [ -n "$failed" ]; then
  echo "bench: FAILED: $failed (docs/BENCHMARKS.md not updated)"
  exit 1
fi
replace_block frontend "$report"
echo "table written to docs/BENCHMARKS.md (frontend block)"
