#!/usr/bin/env bash
# Installs the Debian 12 packages orgd needs to build, test and benchmark, when they are missing.
# Idempotent and quiet when everything is already there. Run as root, or with sudo available.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git
  # the build embeds the vendored OpenAPI contracts as JSON (scripts/embed_openapi.py)
  python3 python3-yaml
  # libraries (CONTRIBUTING.md, "Dependencies")
  libboost1.81-all-dev libboost-json1.81-dev libboost-url1.81-dev libsqlite3-dev sqlite3 libpq-dev libssl-dev libcurl4-openssl-dev
  libspdlog-dev libfmt-dev libcli11-dev libvips-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # test and benchmark peers
  postgresql python3-aiosmtpd python3-dnslib nodejs npm wrk curl openssl gnuplot-nox valgrind
  # the browser of the end-to-end suite (tests/e2e: clerk-js and @clerk/ui against orgd)
  chromium-headless-shell
  # the documented nginx front of several nodes, exercised by tests/compat/test-postgres/nginx.test.js
  nginx-light
  # fuzzing (scripts/fuzz.sh): Clang, its libFuzzer and sanitizer runtimes (only recommended by
  # clang, so not installed with --no-install-recommends), llvm-symbolizer for readable reports
  clang libclang-rt-14-dev llvm
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Node 20 may come from NodeSource instead of Debian; then `npm` is part of `nodejs` and needs no package.
if command -v npm >/dev/null 2>&1; then
  missing=("${missing[@]/npm}")
fi
if command -v node >/dev/null 2>&1; then
  missing=("${missing[@]/nodejs}")
fi
read -r -a missing <<<"${missing[*]}"

[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
as_root=()
[ "$(id -u)" -ne 0 ] && as_root=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The tests start their own nginx and PostgreSQL on loopback; the system services the packages may
# have started (nginx on port 80, a PostgreSQL cluster) are not needed: stop what we just installed.
for service in nginx postgresql; do
  if [[ " ${missing[*]} " == *" ${service}"* ]]; then
    "${as_root[@]}" systemctl disable --now "$service" >/dev/null 2>&1 ||
      "${as_root[@]}" service "$service" stop >/dev/null 2>&1 || true
  fi
done
echo "install-deps: done"
