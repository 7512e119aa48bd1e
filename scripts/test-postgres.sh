#!/usr/bin/env bash
# A throwaway PostgreSQL 15 for tests and benchmarks, from Debian's packages: initdb in a temp
# dir, one free loopback port, trust auth for the user `orgd`, no system service.
#
#   scripts/test-postgres.sh start STATE_DIR   starts one (unless STATE_DIR's is running) and
#                                              writes its admin URL to STATE_DIR/url
#   scripts/test-postgres.sh stop STATE_DIR    stops it and deletes its data
#   scripts/test-postgres.sh halt STATE_DIR    stops it, keeping its data (fault tests)
#   scripts/test-postgres.sh resume STATE_DIR  starts a halted one again on the same port
#
# PostgreSQL refuses to run as root; as root the server runs as the `postgres` user.
# Exits non-zero (with the server log) when the server cannot start: tests never skip it.
set -euo pipefail
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
action=${1:?usage: test-postgres.sh start|stop|halt|resume STATE_DIR}
state=${2:?usage: test-postgres.sh start|stop|halt|resume STATE_DIR}

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

running() {
  [ -f "$state/datadir" ] && as_pg "$pg_bin/pg_ctl" -D "$(cat "$state/datadir")" status >/dev/null 2>&1
}

case "$action" in
start)
  mkdir -p "$state"
  if running; then exit 0; fi
  [ -x "$pg_bin/initdb" ] || { echo "test-postgres: $pg_bin/initdb not found (install postgresql-15)" >&2; exit 1; }
  data=$(mktemp -d /tmp/orgd-pg.XXXXXX)
  chmod 755 "$data"
  [ "$(id -u)" -eq 0 ] && chown postgres "$data"
  as_pg "$pg_bin/initdb" -D "$data/db" -U orgd --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
    >"$data/initdb.log" 2>&1 || { cat "$data/initdb.log" >&2; exit 1; }
  for attempt in 1 2 3 4 5; do
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    # Loopback only; the socket directory is the temp dir. max_connections covers two orgd
    # nodes' pools and parallel tests.
    if as_pg "$pg_bin/pg_ctl" -D "$data/db" -l "$data/server.log" -w -t 30 \
      -o "-p $port -h 127.0.0.1 -k $data -c max_connections=300 -c shared_buffers=128MB" \
      start >/dev/null 2>&1; then
      echo "$data/db" >"$state/datadir"
      echo "-p $port -h 127.0.0.1 -k $data -c max_connections=300 -c shared_buffers=128MB" >"$state/options"
      echo "postgres://orgd@127.0.0.1:$port/postgres" >"$state/url"
      exit 0
    fi
  done
  echo "test-postgres: PostgreSQL did not start:" >&2
  cat "$data/server.log" >&2 || true
  exit 1
  ;;
halt)
  as_pg "$pg_bin/pg_ctl" -D "$(cat "$state/datadir")" -m fast -w stop >/dev/null
  ;;
resume)
  data=$(cat "$state/datadir")
  as_pg "$pg_bin/pg_ctl" -D "$data" -l "$(dirname "$data")/server.log" -w -t 30 \
    -o "$(cat "$state/options")" start >/dev/null
  ;;
stop)
  if [ -f "$state/datadir" ]; then
    data=$(cat "$state/datadir")
    as_pg "$pg_bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$(dirname "$data")"
    rm -f "$state/datadir" "$state/url"
  fi
  ;;
*)
  echo "usage: test-postgres.sh start|stop|halt|resume STATE_DIR" >&2
  exit 2
  ;;
esac
