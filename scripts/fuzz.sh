#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) in build-fuzz/ with Clang and runs each for a bounded time.
#
#   scripts/fuzz.sh [--seconds S] [--runs N] [--seed N] [--build-only] [target...]
#
#   --seconds S   run each target S seconds (default 120, `make fuzz`; CI uses 30)
#   --runs N      run each target N executions instead (with --seconds too: whichever ends first)
#   --seed N      libFuzzer's random seed (default: a new one each run). `make test` fixes it, so
#                 a shorter run there explores a prefix of what a longer run with the same seed did:
#                 CI does not fail on a finding nobody has seen, and a run here shows what CI will do
#   --build-only  configure and build, run nothing
#   target        names from fuzz/CMakeLists.txt (body_reader, multipart, …); default: all
#
# Each target starts from its committed seed corpus fuzz/corpus/<target>/, copied to a temporary
# working corpus (the tree is never written to), with fuzz/dict/<target>.dict when there is one.
# One process per target, one target at a time. Exits non-zero when a target finds a crash, a
# sanitizer report or a broken invariant; the input that did it is kept in build-fuzz/artifacts/
# and its path printed (reproduce: build-fuzz/fuzz/fuzz_<target> <that file>).
# Environment: ORGD_FUZZ_BUILD_DIR (default build-fuzz), JOBS (ninja -j, default nproc).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=""
runs=""
seed=""
build_only=0
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --build-only) build_only=1; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    -*) echo "fuzz: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done

# Each target and the largest input it is given: room for what the parser's limits allow
# (multipart's 8 KiB part headers, a request head), small enough to keep executions fast.
declare -A max_len=(
  [body_reader]=4096
  [multipart]=12288
  [query_params]=2048
  [frontend_body]=4096
  [router]=512
  [framing]=4096
  [api_headers]=1024
  [token_encoding]=1024
  [email]=4096
)
all=(body_reader multipart query_params frontend_body router framing api_headers token_encoding email)
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
[ -z "$seconds" ] && [ -z "$runs" ] && seconds=120
for t in "${targets[@]}"; do
  if [ -z "${max_len[$t]:-}" ]; then
    echo "fuzz: unknown target $t (targets: ${all[*]})" >&2
    exit 2
  fi
done

build="${ORGD_FUZZ_BUILD_DIR:-build-fuzz}"
if [ ! -f "$build/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DORGD_FUZZ=ON -DORGD_BENCH=OFF >/dev/null
fi
ninja -C "$build" -j "${JOBS:-$(nproc)}" fuzzers
[ "$build_only" -eq 1 ] && exit 0

artifacts="$build/artifacts"
logs="$build/logs"
mkdir -p "$artifacts" "$logs"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

failed=()
summary=()
for t in "${targets[@]}"; do
  corpus="$work/$t"
  mkdir -p "$corpus"
  [ -d "fuzz/corpus/$t" ] && cp -r "fuzz/corpus/$t/." "$corpus/"
  args=(-max_len="${max_len[$t]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
        -artifact_prefix="$artifacts/$t-")
  [ -f "fuzz/dict/$t.dict" ] && args+=(-dict="fuzz/dict/$t.dict")
  [ -n "$seconds" ] && args+=(-max_total_time="$seconds")
  [ -n "$runs" ] && args+=(-runs="$runs")
  [ -n "$seed" ] && args+=(-seed="$seed")
  log="$logs/$t.log"
  echo "fuzz: $t (${runs:+$runs runs, }${seconds:+$seconds s})"
  start=$(date +%s)
  status=0
  "$build/fuzz/fuzz_$t" "${args[@]}" "$corpus" >"$log" 2>&1 || status=$?
  elapsed=$(( $(date +%s) - start ))
  done_runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 || true)
  if [ "$status" -ne 0 ]; then
    failed+=("$t")
    crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    echo "fuzz: $t FAILED (exit $status) after ${elapsed}s; log: $log" >&2
    grep -E 'ERROR: AddressSanitizer|runtime error|fuzz invariant failed|SUMMARY|deadly signal|timeout|out-of-memory' "$log" | head -5 >&2 || true
    [ -n "$crash" ] && echo "fuzz: $t crash input: $crash (reproduce: $build/fuzz/fuzz_$t $crash)" >&2
    summary+=("$(printf '%-15s FAILED  %10s runs %8s exec/s %5ss  %s' "$t" "${done_runs:-?}" "${speed:-?}" "$elapsed" "$cov")")
  else
    summary+=("$(printf '%-15s ok      %10s runs %8s exec/s %5ss  %s' "$t" "${done_runs:-?}" "${speed:-?}" "$elapsed" "$cov")")
  fi
done

printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failed: ${failed[*]}" >&2
  exit 1
fi
