#!/usr/bin/env bash
# The connection-abuse run (tests/abuse/connections.mjs) against a real build/orgd, loopback only:
# 2,000 idle connections and 200 dribbled request heads while a normal client measures latency and
# orgd's memory is sampled, then the connection caps, the header and idle deadlines and the
# keep-alive limit. Exits non-zero when a check fails; takes under two minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export ORGD_BIN=${ORGD_BIN:-$root/${BUILD_DIR:-build}/orgd}
[ -x "$ORGD_BIN" ] || { echo "test-abuse: no orgd binary at $ORGD_BIN (make build)" >&2; exit 1; }

# 2,200 connections on each side do not fit the usual soft limit of 1,024 open files; orgd (a
# child of node) inherits the raised limit. Capped by the hard limit where that is lower.
want=65536
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ]; then want=$hard; fi
ulimit -n "$want"
if [ "$(ulimit -n)" -lt 4500 ]; then
  echo "test-abuse: open-file limit $(ulimit -n) is too low (hard limit $hard); 4,500 needed" >&2
  exit 1
fi

# lib/orgd.js (shared with tests/compat) has no dependencies beyond Node's own modules.
exec node tests/abuse/connections.mjs "$@"
