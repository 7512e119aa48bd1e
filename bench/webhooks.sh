#!/usr/bin/env bash
# Webhooks (issue 18): the API's rate of creating organizations with webhooks off (no endpoint)
# and on (one endpoint subscribed to every event, a local receiver), the deliveries one node makes
# per second, and the delay from commit to receipt at a steady, moderate rate. Loopback only;
# every run is bounded (wrk's -d, the backlog's drain by BENCH_WEBHOOK_WAIT seconds, the paced run
# by its count and its own deadline, the receiver by its own lifetime).
#
#   bench/webhooks.sh                     make bench-webhooks
#   BENCH_DURATION=5s bash bench/webhooks.sh
#
# Knobs: BENCH_DURATION (wrk, 10s), BENCH_CONNECTIONS (32), BENCH_THREADS (wrk threads, 2),
# BENCH_WEBHOOK_WAIT (seconds the ON run's backlog may take to drain, 300), BENCH_WEBHOOK_RATE
# (creates/s of the delay run, 200), BENCH_WEBHOOK_EVENTS (creates in the delay run, 2000),
# ORGD_BIN (build/orgd).
#
# Runs, each on a fresh SQLite database in a temp dir, orgd started with --webhook-allow-private
# --log-level warn:
#   1. off: wrk -t2 -c32 POST /v1/organizations (bench/lua/create_organization.lua), no endpoint;
#   2. on: the same with one endpoint (POST /v1/webhook_endpoints, every event) at the receiver
#      (bench/webhook_receiver.mjs, node:http on 127.0.0.1, answers 200, records svix-id, the
#      envelope's timestamp and the receipt time); then, with wrk stopped, the backlog drains:
#      GET /v1/webhook_endpoints/{id}/messages?status=pending&limit=1 polled until total_count is 0;
#   3. off again (the ratio is taken against the higher of the two off runs; a gap between them
#      means something else was using the machine);
#   4. delay: BENCH_WEBHOOK_EVENTS creates at BENCH_WEBHOOK_RATE per second, open loop
#      (bench/webhook_pace.mjs); the receiver's receipt ms − each event's timestamp ms.
# Writes the table into docs/BENCHMARKS.md between <!-- webhooks:begin --> and <!-- webhooks:end -->.
# create_run sets its results as NAME_rps, NAME_p99, … (printf -v), which shellcheck cannot follow.
# shellcheck disable=SC2154
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/report.sh
source bench/report.sh

orgd_bin=${ORGD_BIN:-build/orgd}
duration=${BENCH_DURATION:-10s}
connections=${BENCH_CONNECTIONS:-32}
threads=${BENCH_THREADS:-2}
drain_wait=${BENCH_WEBHOOK_WAIT:-300}
pace_rate=${BENCH_WEBHOOK_RATE:-200}
pace_count=${BENCH_WEBHOOK_EVENTS:-2000}
cores=$(nproc)
command -v wrk >/dev/null || { echo "bench: wrk is missing (make deps)"; exit 1; }
command -v node >/dev/null || { echo "bench: node is missing (make deps)"; exit 1; }
[ -x "$orgd_bin" ] || { echo "bench: $orgd_bin is missing (make build)"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/orgd-bench-webhooks-XXXXXX")
pid=
receiver_pid=
trap '[ -z "$pid" ] || { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
      [ -z "$receiver_pid" ] || { kill "$receiver_pid" 2>/dev/null; wait "$receiver_pid" 2>/dev/null; }
      rm -rf "$work"' EXIT
# Every run uses the same binary even if build/ is rebuilt meanwhile.
cp "$orgd_bin" "$work/orgd"
orgd=$work/orgd
key=$("$orgd" gen-secret-key)
export ORGD_BENCH_KEY=$key

# seconds DURATION — wrk's duration (10s, 2m, 1h) in seconds.
seconds() { awk -v d="$1" 'BEGIN { n = d + 0; u = substr(d, length(d)); print (u == "m" ? n * 60 : u == "h" ? n * 3600 : n) }'; }
# The receiver outlives everything below, then exits by itself.
receiver_life=$(( 3 * $(seconds "$duration") + drain_wait * 2 + pace_count / pace_rate + 600 ))
node bench/webhook_receiver.mjs "$receiver_life" 2>"$work/receiver.log" &
receiver_pid=$!
receiver=$(listening_url "$work/receiver.log") || exit 1

# start_orgd NAME — orgd on a fresh database $work/NAME.db, its log in $work/NAME.log; sets $url.
start_orgd() {
  log="$work/$1.log"
  "$orgd" serve --listen 127.0.0.1:0 --frontend-listen 127.0.0.1:0 --database "sqlite:$work/$1.db" --secret-key "$key" \
    --webhook-allow-private --log-level warn 2>"$log" &
  pid=$!
  url=$(listening_url "$log" 20) || exit 1
}
stop_orgd() { kill -INT "$pid"; wait "$pid" 2>/dev/null || true; pid=; }

# api METHOD PATH [BODY] — the response body; fails (printing it) unless the status is 2xx.
api() {
  local out status body=()
  [ $# -lt 3 ] || body=(-d "$3")
  out=$(curl -sS -m 10 -w '\n%{http_code}' -X "$1" -H "Authorization: Bearer $key" \
    -H 'Content-Type: application/json' "${body[@]}" "$url$2")
  status=${out##*$'\n'}
  out=${out%$'\n'*}
  [[ $status == 2?? ]] || { echo "bench: $1 $2 answered $status: $out" >&2; return 1; }
  printf '%s' "$out"
}
# field NAME — the top-level field NAME of the JSON object on stdin.
field() {
  /usr/bin/python3 -c 'import json,sys; s = sys.stdin.read(); print(json.loads(s)[sys.argv[1]]) if s else sys.exit(1)' "$1"
}
# messages STATUS — how many of the endpoint's messages have STATUS.
messages() { api GET "/v1/webhook_endpoints/$endpoint/messages?status=$1&limit=1" | field total_count; }
organizations() { api GET "/v1/organizations?limit=1" | field total_count; }
new_endpoint() {
  endpoint=$(api POST /v1/webhook_endpoints "{\"url\":\"$receiver/hook\",\"description\":\"bench\"}" | field id)
}
# The receiver's counters: reset, and read one (after `received_stats`, which fetches them all: rstat NAME).
receiver_reset() { curl -sf -m 10 -X POST "$receiver/_reset" >/dev/null; }
received_stats() { curl -sf -m 10 "$receiver/_stats" >"$work/stats"; }
rstat() { sed -n "s/^$1=//p" "$work/stats"; }

# ticks PID — user + system clock ticks PID has used so far.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# busy_ticks — clock ticks the whole machine has spent not idle (all cores) so far.
busy_ticks() { awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat; }
hz=$(getconf CLK_TCK)
now() { date +%s.%N; }
# cores_used TICKS_BEFORE TICKS_AFTER START END — cores used on average between START and END.
cores_used() { awk -v a="$1" -v b="$2" -v s="$3" -v e="$4" -v hz="$hz" 'BEGIN { printf "%.2f", (b - a) / hz / (e - s) }'; }

# create_run NAME — wrk creating organizations for $duration against $url; sets NAME_rps, NAME_p99,
# NAME_counts, NAME_cpu ("machine / orgd / receiver / wrk / anything else"), NAME_start, NAME_end.
create_run() {
  local name=$1 out b0 b1 o0 o1 r0 r1 s e m oc rc wc other
  b0=$(busy_ticks); o0=$(ticks "$pid"); r0=$(ticks "$receiver_pid"); s=$(now)
  TIMEFORMAT='%U %S'
  out=$( { time wrk -t"$threads" -c"$connections" -d"$duration" --latency \
    -s bench/lua/create_organization.lua "$url" 2>"$work/wrk.err"; } 2>"$work/wrk.time")
  e=$(now); b1=$(busy_ticks); o1=$(ticks "$pid"); r1=$(ticks "$receiver_pid")
  printf -v "${name}_rps" '%s' "$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
  printf -v "${name}_p99" '%s' "$(awk '$1 == "99%" {print $2}' <<<"$out")"
  printf -v "${name}_counts" '%s' "$(grep -o 'BENCH errors=.*' <<<"$out" | sed 's/BENCH //')"
  local rps_var=${name}_rps
  [ -n "${!rps_var}" ] || { echo "bench: wrk printed no result:"; echo "$out"; cat "$work/wrk.err"; exit 1; }
  m=$(cores_used "$b0" "$b1" "$s" "$e"); oc=$(cores_used "$o0" "$o1" "$s" "$e")
  rc=$(cores_used "$r0" "$r1" "$s" "$e")
  wc=$(awk -v s="$s" -v e="$e" '{ printf "%.2f", ($1 + $2) / (e - s) }' "$work/wrk.time")
  other=$(awk -v m="$m" -v o="$oc" -v r="$rc" -v w="$wc" 'BEGIN { x = m - o - r - w; printf "%.2f", (x < 0 ? 0 : x) }')
  printf -v "${name}_cpu" '%s' "$m / $oc / $rc / $wc / $other"
  printf -v "${name}_other" '%s' "$other"
  printf -v "${name}_per_cpu" '%s' "$(awk -v r="${!rps_var}" -v c="$oc" 'BEGIN { printf "%.0f", (c > 0 ? r / c : 0) }')"
  printf -v "${name}_start" '%s' "$s"
  printf -v "${name}_end" '%s' "$e"
  local counts_var=${name}_counts p99_var=${name}_p99 cpu_var=${name}_cpu
  echo "  ${!rps_var} requests/s, p99 ${!p99_var}; ${!counts_var}"
  echo "  busy (of $cores cores): machine / orgd / receiver / wrk / anything else = ${!cpu_var}"
}

# log_lines NAME — orgd's log lines of run NAME beyond its start-up ones.
log_lines() {
  grep -Ev 'listening on|no --smtp-url' "$work/$1.log" | grep -Ev '^\s*$' || true
}
show_log() {
  local lines
  lines=$(log_lines "$1")
  [ -z "$lines" ] || { echo "  orgd log ($(wc -l <<<"$lines") lines):"; head -20 <<<"$lines" | sed 's/^/    /'; }
}

echo "orgd $("$orgd" --version | cut -d' ' -f2), receiver at $receiver"

# 1. Off.
echo "create organizations, webhooks off (no endpoint): wrk -t$threads -c$connections -d$duration"
start_orgd off1
create_run off1
stop_orgd
show_log off1

# 2. On, then the backlog drains.
echo "create organizations, webhooks on (one endpoint, every event, at the receiver)"
start_orgd on
new_endpoint
receiver_reset
create_run on
received_stats
received_at_end=$(rstat received)
pending_at_end=$(messages pending)
drain_start=$(now); drain_ticks0=$(ticks "$pid"); drain_receiver0=$(ticks "$receiver_pid")
echo "  wrk stopped: $received_at_end received, $pending_at_end pending; draining (at most ${drain_wait}s)"
deadline=$(( $(date +%s) + drain_wait ))
pending=$pending_at_end
while [ "$pending" -gt 0 ] && [ "$(date +%s)" -lt "$deadline" ]; do
  sleep 0.5
  pending=$(messages pending)
done
drained_at=$(now)
drain_ticks1=$(ticks "$pid"); drain_receiver1=$(ticks "$receiver_pid")
sleep 0.2  # a delivery marked delivered has been answered; let the receiver's counters settle
received_stats
on_orgs=$(organizations)
on_delivered=$(messages delivered)
on_failed=$(messages failed)
on_received=$(rstat received); on_unique=$(rstat unique); on_duplicates=$(rstat duplicates)
on_first=$(rstat first_ms); on_last=$(rstat last_ms); on_peak=$(rstat peak_per_s)
on_connections=$(rstat connections); on_types=$(rstat types); on_bad=$(rstat bad_body)
# Who closes a delivery's connection keeps it in TIME-WAIT for 60 s (orgd's side: toward the receiver).
time_wait=$(ss -tan state time-wait "( dport = :${receiver##*:} )" 2>/dev/null | tail -n +2 | wc -l)
stop_orgd
show_log on
# While wrk ran: deliveries from the first receipt to wrk's end.
during_rate=$(awk -v n="$received_at_end" -v f="$on_first" -v e="$on_end" \
  'BEGIN { printf "%.0f", ((e * 1000 - f) > 0 ? n / ((e * 1000 - f) / 1000) : 0) }')
# The drain: what arrived after wrk's end, over the time to the last receipt.
drain_seconds=$(awk -v e="$on_end" -v l="$on_last" 'BEGIN { printf "%.2f", l / 1000 - e }')
drain_rate=$(awk -v a="$received_at_end" -v b="$on_received" -v d="$drain_seconds" \
  'BEGIN { printf "%.0f", (d > 0 ? (b - a) / d : 0) }')
overall_rate=$(awk -v n="$on_received" -v f="$on_first" -v l="$on_last" \
  'BEGIN { printf "%.0f", (l > f ? n / ((l - f) / 1000) : 0) }')
drain_orgd_cores=$(cores_used "$drain_ticks0" "$drain_ticks1" "$drain_start" "$drained_at")
drain_receiver_cores=$(cores_used "$drain_receiver0" "$drain_receiver1" "$drain_start" "$drained_at")
per_cpu=$(awk -v a="$received_at_end" -v b="$on_received" -v t0="$drain_ticks0" -v t1="$drain_ticks1" -v hz="$hz" \
  'BEGIN { printf "%.0f", (t1 > t0 ? (b - a) / ((t1 - t0) / hz) : 0) }')
drained=yes
[ "$pending" -eq 0 ] || drained="no: $pending still pending after ${drain_wait}s"
echo "  $on_orgs organizations; $on_received deliveries received ($on_unique distinct svix-id, $on_duplicates duplicates); orgd: $on_delivered delivered, $on_failed failed, $pending pending"
echo "  deliveries/s: $during_rate while wrk ran, $drain_rate draining the backlog ($drain_seconds s), $overall_rate first to last receipt, peak second $on_peak"
echo "  draining, busy: orgd $drain_orgd_cores cores, receiver $drain_receiver_cores; $per_cpu deliveries per orgd CPU-second; $on_connections TCP connections to the receiver, $time_wait of orgd's in TIME-WAIT"

# 3. Off again.
echo "create organizations, webhooks off again"
start_orgd off2
create_run off2
stop_orgd
show_log off2

off_best=$(awk -v a="$off1_rps" -v b="$off2_rps" 'BEGIN { print (a > b ? a : b) }')
ratio=$(awk -v on="$on_rps" -v off="$off_best" 'BEGIN { printf "%.2f", on / off }')
ratio_met=$(awk -v r="$ratio" 'BEGIN { print (r >= 0.9 ? "met" : "not met") }')
spread=$(awk -v a="$off1_rps" -v b="$off2_rps" 'BEGIN { d = a - b; if (d < 0) d = -d; printf "%.0f", 100 * d / (a > b ? a : b) }')
echo "  on / off (the higher, $off_best) = $ratio (target >= 0.9: $ratio_met)"
off_best_per_cpu=$(awk -v a="$off1_per_cpu" -v b="$off2_per_cpu" 'BEGIN { print (a > b ? a : b) }')
cpu_ratio=$(awk -v on="$on_per_cpu" -v off="$off_best_per_cpu" 'BEGIN { printf "%.2f", (off > 0 ? on / off : 0) }')
echo "  creates per orgd CPU-second: off $off1_per_cpu / $off2_per_cpu, on $on_per_cpu ($cpu_ratio)"

# 4. Delay at a steady rate.
echo "delay: $pace_count creates at $pace_rate/s, receipt − the event's timestamp"
start_orgd delay
new_endpoint
receiver_reset
pace_out=$(node bench/webhook_pace.mjs "$url" "$pace_rate" "$pace_count") || { echo "$pace_out"; echo "bench: the paced run failed"; exit 1; }
echo "  $pace_out"
deadline=$(( $(date +%s) + 60 ))
pending=$(messages pending)
while [ "$pending" -gt 0 ] && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.2; pending=$(messages pending); done
sleep 0.2
received_stats
delay_failed=$(messages failed)
stop_orgd
show_log delay
pace_rps=$(sed -n 's/.*per_second=\([0-9.]*\).*/\1/p' <<<"$pace_out")
api_p50=$(sed -n 's/.*api_p50_ms=\([0-9.]*\).*/\1/p' <<<"$pace_out")
api_p99=$(sed -n 's/.*api_p99_ms=\([0-9.]*\).*/\1/p' <<<"$pace_out")
d_received=$(rstat received); d_unique=$(rstat unique); d_duplicates=$(rstat duplicates)
d_p50=$(rstat delay_p50_ms); d_p90=$(rstat delay_p90_ms); d_p99=$(rstat delay_p99_ms); d_max=$(rstat delay_max_ms)
echo "  $d_received received ($d_unique distinct, $d_duplicates duplicates), $pending pending, $delay_failed failed"
echo "  delay p50 $d_p50 ms, p90 $d_p90 ms, p99 $d_p99 ms, max $d_max ms"

noisy=
if [ "$spread" -gt 10 ]; then
  noisy="the two off runs differ by $spread%: something else was using the machine"
elif awk -v a="$off1_other" -v b="$on_other" -v c="$off2_other" 'BEGIN { exit !(a > 0.10 || b > 0.10 || c > 0.10) }'; then
  noisy="other processes used up to $(printf '%s\n' "$off1_other" "$on_other" "$off2_other" | sort -n | tail -1) of the $cores cores during the wrk runs"
fi
[ -z "$noisy" ] || echo "  warning: $noisy"
log_note() {
  local n
  n=$(log_lines "$1" | wc -l)
  [ "$n" -eq 0 ] && echo "none" || echo "$n lines, e.g. \`$(log_lines "$1" | head -1 | cut -c1-160)\`"
}

report="$work/report.md"
{
  echo "Generated by \`make bench-webhooks\` (\`bash bench/webhooks.sh\`: wrk with $threads threads and"
  echo "$connections connections for $duration per create run, \`bench/lua/create_organization.lua\`; SQLite, a fresh"
  echo "database per run; orgd with \`--webhook-allow-private --log-level warn\` and its default 4 webhook"
  echo "workers). \"On\" is one endpoint subscribed to every event at \`bench/webhook_receiver.mjs\`"
  echo "(node:http on 127.0.0.1, answers 200 at once, records svix-id, the envelope's \`timestamp\` and the"
  echo "receipt time). The off rate is measured before and after the on run; the ratio is taken against"
  echo "the higher. Target (issue 18): on/off at least 0.9. Everything shares the same $cores cores."
  echo
  machine_info "$work"
  echo
  echo "| measurement | result |"
  echo "|---|---|"
  echo "| POST /v1/organizations, webhooks off (no endpoint), before / after | $off1_rps / $off2_rps requests/s (p99 $off1_p99 / $off2_p99) |"
  echo "| POST /v1/organizations, webhooks on (1 endpoint, every event) | $on_rps requests/s (p99 $on_p99) |"
  echo "| on / off (target ≥ 0.9) | $ratio ($ratio_met) |"
  echo "| creates per orgd CPU-second, off before / on / off after; on / off (the higher) | $off1_per_cpu / $on_per_cpu / $off2_per_cpu; $cpu_ratio |"
  echo "| responses, off / on / off | $off1_counts; $on_counts; $off2_counts |"
  echo "| CPU busy in the create runs (off / on / off): machine / orgd / receiver / wrk / anything else, of $cores cores | $off1_cpu; $on_cpu; $off2_cpu |"
  echo "| on run: organizations created / webhooks received / distinct svix-id / duplicates | $on_orgs / $on_received / $on_unique / $on_duplicates |"
  echo "| on run: orgd's messages delivered / failed / pending at the end | $on_delivered / $on_failed / $pending |"
  echo "| deliveries/s while wrk ran (first receipt to wrk's end; $received_at_end received, $pending_at_end pending when it stopped) | $during_rate |"
  echo "| deliveries/s draining the backlog after wrk (drained: $drained, in $drain_seconds s) | $drain_rate |"
  echo "| deliveries/s, first to last receipt / busiest second | $overall_rate / $on_peak |"
  echo "| draining: orgd / receiver cores busy; deliveries per orgd CPU-second | $drain_orgd_cores / $drain_receiver_cores; $per_cpu |"
  echo "| TCP connections orgd opened to the receiver in the on run (per delivery: $(awk -v c="$on_connections" -v n="$on_received" 'BEGIN { printf "%.2f", n ? c / n : 0 }')); orgd's sockets in TIME-WAIT toward it after the drain | $on_connections; $time_wait |"
  echo "| delay run: $pace_count creates at $pace_rate/s (achieved $pace_rps/s), API p50 / p99 | $api_p50 ms / $api_p99 ms |"
  echo "| delay run: received / distinct / duplicates / failed | $d_received / $d_unique / $d_duplicates / $delay_failed |"
  echo "| **commit → receipt delay** (receipt ms − the event's \`timestamp\`), p50 / p90 / p99 / max | **$d_p50 / $d_p90 / $d_p99** / $d_max ms |"
  echo "| orgd log beyond start-up, off / on / off / delay runs | $(log_note off1); $(log_note on); $(log_note off2); $(log_note delay) |"
  echo
  [ -z "$noisy" ] || { echo "**Noisy run**: $noisy; the ratio is not reliable."; echo; }
  echo "Event types received in the on run: \`$on_types\`$( [ "$on_bad" = 0 ] || echo " ($on_bad bodies without a timestamp)")."
} >"$report"
replace_block webhooks "$report"
echo "wrote the webhooks block of docs/BENCHMARKS.md"
