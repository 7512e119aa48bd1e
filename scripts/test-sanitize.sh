#!/usr/bin/env bash
# Runs the tests under the sanitizers, each in a build of its own (scripts/test.sh is unaffected):
#
#   build-asan/  ORGD_SANITIZE=address,undefined: the SDK suite (tests/compat) against
#                build-asan/orgd on SQLite; unless --short, first the whole CTest suite (its
#                `postgres` fixture starts a throwaway PostgreSQL) and last the SDK suite on
#                PostgreSQL too. (--short builds orgd alone: the test binaries are a third of
#                the build's time, and their threaded code is under TSan below.)
#   build-tsan/  ORGD_SANITIZE=thread: the test binaries that run threads (TSAN_TESTS below), all
#                of their tests; unless --short, also build-tsan/orgd under the SDK suite on SQLite.
#
#   scripts/test-sanitize.sh [--short] [asan|tsan]   (default: both, asan first)
#
# A sanitizer report fails the run even when the process that wrote it was a server whose test
# passed (a leak is reported at exit, after the test has its answer): every sanitized process
# writes its reports to BUILD/sanitizer-logs/ (log_path), and the run ends by printing every file
# there and exiting 1 if there is one. Suppressions (tests/sanitizers/) name only third-party
# library internals, never orgd code.
#
# Environment: JOBS (ninja and ctest parallelism; default nproc).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=${JOBS:-$(nproc)}

short=0
parts=()
for arg in "$@"; do
  case "$arg" in
  --short) short=1 ;;
  asan | tsan) parts+=("$arg") ;;
  *)
    echo "usage: scripts/test-sanitize.sh [--short] [asan|tsan]" >&2
    exit 2
    ;;
  esac
done
[ ${#parts[@]} -gt 0 ] || parts=(asan tsan)

# The binaries with threads of their own or threads of the code under test: the SQLite store's
# writer and group commit (orgd_store_test, and every store-backed service test), the PostgreSQL
# pool and notifications (orgd_store_test, orgd_multi_node_test, orgd_write_retry_test), the job
# runner and webhook delivery (orgd_service_test), the completion batch, random pools and RSA
# signing from many threads (orgd_common_test), the HTTP server's io threads (orgd_http_test),
# the DNS resolver from many threads (orgd_jobs_test) and libvips from several (orgd_media_test).
# Left out: orgd_domain_test, orgd_api_test and orgd_server_test, which run on one thread.
TSAN_TESTS=(orgd_common_test orgd_store_test orgd_service_test orgd_multi_node_test
  orgd_write_retry_test orgd_http_test orgd_jobs_test orgd_media_test)

section() { printf '\n== %s (%s)\n' "$1" "$(date +%T)"; }

# Runs the SDK suite (npm test ARGS…) in tests/compat with at most MINUTES: a test file whose
# orgd never exits would otherwise hold the run forever. (timeout signals its whole process
# group, so the orgd processes go too.)
sdk_suite() { # MINUTES ARGS…
  local minutes=$1 rc=0
  shift
  (cd tests/compat && timeout -k 30 "${minutes}m" npm test "$@") || rc=$?
  [ $rc -ne 124 ] || echo "test-sanitize: the SDK suite was stopped after $minutes minutes" >&2
  return $rc
}

# Step timings. CPU seconds (this script's children, user + system) alongside wall seconds: on a
# machine shared with other work the wall time says little, CPU / cores is what an idle one takes.
# (Called directly, never in $(…): a subshell's `times` does not see this shell's children.)
cpu_now() {
  times >"$cpu_file"
  cpu=$(awk 'NR == 2 { split($0, t, /[ms ]+/); print int(t[1] * 60 + t[2] + t[3] * 60 + t[4]) }' "$cpu_file")
}
mark() {
  cpu_now
  mark_wall=$(date +%s) mark_cpu=$cpu
}
took() { # WHAT
  cpu_now
  echo "-- $1 in $(($(date +%s) - mark_wall))s wall, $((cpu - mark_cpu))s CPU"
}
cpu_file=$(mktemp)
trap 'rm -f "$cpu_file"' EXIT

# Warnings stay warnings here: the instrumentation defeats gcc's value-range analysis, so its
# flow-based warnings (-Wformat-truncation, -Wmaybe-uninitialized, -Wstringop-*) fire on code that
# the normal build, which keeps -Werror, proves fine.
configure() { # BUILD_DIR SANITIZERS
  cmake -S . -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DORGD_SANITIZE="$2" \
    -DORGD_BENCH=OFF -DORGD_WERROR=OFF >/dev/null
}

# Sets the sanitizer options every process started from here on inherits; reports go to
# $logs. halt_on_error: the first report ends the process, so a test cannot pass over it.
sanitizer_env() { # LOG_DIR
  local logs=$1 supp=$root/tests/sanitizers
  rm -rf "$logs"
  mkdir -p "$logs"
  export ASAN_OPTIONS="log_path=$logs/asan:halt_on_error=1:detect_leaks=1:check_initialization_order=1:strict_init_order=1"
  export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"  # to stderr: see check_reports
  export TSAN_OPTIONS="log_path=$logs/tsan:halt_on_error=1:second_deadlock_stack=1:suppressions=$supp/tsan.supp"
}

# Prints every report in LOG_DIR, and every file under the further paths that holds one; fails
# when there is one. The further paths are what the runners keep of each process's stderr
# (CTest's LastTest.log, the orgd logs the SDK suite saves): with gcc 12, UBSan in a process that
# also has ASan writes to stderr whatever its log_path says (it is a runtime library of its own,
# and only ASan's honours log_path).
check_reports() { # NAME LOG_DIR [PATH…]
  local name=$1 dir=$2 found=0 f
  shift 2
  for f in "$dir"/*; do
    [ -e "$f" ] || continue
    found=1
    printf '\n---- %s\n' "$f"
    cat "$f"
  done
  if [ $# -gt 0 ]; then
    while IFS= read -r f; do
      found=1
      printf '\n---- %s (the report and the lines before it)\n' "$f"
      grep -E -B 5 -A 30 "$report_pattern" "$f"
    done < <(grep -rlE "$report_pattern" "$@" 2>/dev/null || true)
  fi
  if [ $found -eq 1 ]; then
    echo "test-sanitize: $name reported the problems above" >&2
    return 1
  fi
  echo "-- $name: no sanitizer reports"
}
# A UBSan report's first line, or any sanitizer's report header or summary.
report_pattern=': runtime error: |^(==[0-9]+==)?(ERROR|WARNING): [A-Za-z]+Sanitizer|^SUMMARY: [A-Za-z]+Sanitizer'

status=0

run_asan() {
  local dir=build-asan logs=$root/build-asan/sanitizer-logs orgd_logs pg_state
  local targets=()
  [ $short -eq 0 ] || targets=(orgd)
  section "ASan+UBSan: configure and build ${targets[*]:-everything} in $dir"
  mark
  configure "$dir" "address,undefined"
  # (The build runs each test binary once to list its tests, with the sanitizers' defaults: a
  # report there fails the build.)
  ninja -C "$dir" -j "$jobs" "${targets[@]}"
  took "built"
  sanitizer_env "$logs"

  if [ $short -eq 0 ]; then
    section "ASan+UBSan: unit and store tests (ctest)"
    mark
    ctest --test-dir "$dir" --output-on-failure -j "$jobs" || status=1
    took "ctest"
  fi

  section "ASan+UBSan: SDK compatibility tests (tests/compat) on SQLite"
  (
    cd tests/compat
    if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
      npm ci --no-audit --no-fund --loglevel=error
    fi
  )
  export ORGD_BIN="$root/$dir/orgd"
  # Each orgd's stderr is kept (tests/compat/lib/orgd.js), for the UBSan reports: under the
  # caller's ORGD_TEST_LOG_DIR at the caller's level (scripts/test.sh scans them for secrets:
  # this is its only SDK run on SQLite), else in build-asan/orgd-logs at the suite's usual level.
  if [ -n "${ORGD_TEST_LOG_DIR:-}" ]; then
    orgd_logs=$ORGD_TEST_LOG_DIR
  else
    orgd_logs=$root/$dir/orgd-logs
    rm -rf "$orgd_logs"
    export ORGD_TEST_LOG_LEVEL=${ORGD_TEST_LOG_LEVEL:-warn}
  fi
  mark
  ORGD_TEST_STORE=sqlite ORGD_TEST_LOG_DIR="$orgd_logs/sqlite" sdk_suite 20 || status=1
  took "SDK suite on SQLite"

  if [ $short -eq 0 ]; then
    section "ASan+UBSan: SDK compatibility tests (tests/compat) on PostgreSQL"
    pg_state="$root/$dir/compat-postgres"
    trap 'rm -f "$cpu_file"; bash "$root/scripts/test-postgres.sh" stop "$pg_state"' EXIT
    bash scripts/test-postgres.sh start "$pg_state"
    mark
    ORGD_TEST_STORE=postgres ORGD_TEST_POSTGRES_URL=$(cat "$pg_state/url") \
      ORGD_TEST_POSTGRES_STATE="$pg_state" ORGD_TEST_LOG_DIR="$orgd_logs/postgres" \
      sdk_suite 30 -- test-postgres/ || status=1
    bash scripts/test-postgres.sh stop "$pg_state"
    trap 'rm -f "$cpu_file"' EXIT
    took "SDK suite on PostgreSQL"
  fi
  check_reports "ASan+UBSan" "$logs" "$dir/Testing/Temporary/LastTest.log" "$orgd_logs" || status=1
}

run_tsan() {
  local dir=build-tsan logs=$root/build-tsan/sanitizer-logs targets=("${TSAN_TESTS[@]}")
  [ $short -eq 1 ] || targets+=(orgd)
  section "TSan: configure and build ${targets[*]} in $dir"
  mark
  configure "$dir" "thread"
  ninja -C "$dir" -j "$jobs" "${targets[@]}"
  took "built"
  sanitizer_env "$logs"
  rm -rf "$root/$dir/orgd-logs"

  section "TSan: the tests of ${TSAN_TESTS[*]} (ctest)"
  mark
  # The binaries not built here stand in CTest as one failing <name>_NOT_BUILT test each.
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" -E '_NOT_BUILT$' || status=1
  took "ctest"

  if [ $short -eq 0 ]; then
    # The whole server under the SDK suite: its I/O threads, the SQLite writer, the signing and
    # image pools and the job runner together, which no unit test puts side by side.
    section "TSan: SDK compatibility tests (tests/compat) on SQLite against $dir/orgd"
    mark
    ORGD_BIN="$root/$dir/orgd" ORGD_TEST_STORE=sqlite ORGD_TEST_LOG_LEVEL=warn \
      ORGD_TEST_LOG_DIR="$root/$dir/orgd-logs" sdk_suite 30 || status=1
    took "SDK suite on SQLite"
  fi
  check_reports "TSan" "$logs" "$dir/Testing/Temporary/LastTest.log" "$root/$dir/orgd-logs" || status=1
}

for part in "${parts[@]}"; do
  "run_$part"
done
exit $status
