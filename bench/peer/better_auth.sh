# Sourced by bench/run.sh: starts the peer — Better Auth 1.7 (organization plugin) on PostgreSQL 15,
# installed from npm into $work/peer at run time — and seeds it like orgd's scenarios: 64 users
# with sessions, an organization with 10,000 members, 200,000 spare users (users and members
# are inserted with SQL into Better Auth's own tables, as its sign-up hashes passwords and would
# take minutes). Sets peer_url, peer_cookie, peer_small_org, peer_big_org; peer_stop tears down.
BETTER_AUTH_VERSION=1.7.25
PG_VERSION_NPM=8.23.1
peer_free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

peer_start() {
  local dir="$work/peer"
  mkdir -p "$dir" && cp bench/peer/better_auth_server.mjs "$dir/server.mjs"
  (cd "$dir" && echo '{"type":"module","private":true}' >package.json &&
    npm install --no-audit --no-fund --loglevel=error "better-auth@$BETTER_AUTH_VERSION" \
      "pg@$PG_VERSION_NPM" >/dev/null 2>&1) || { echo "peer: npm install failed"; return 1; }
  # The same throwaway PostgreSQL the tests use (scripts/test-postgres.sh), with a database for
  # the peer.
  bash scripts/test-postgres.sh start "$dir/pg" || return 1
  local admin
  admin=$(cat "$dir/pg/url")
  peer_db="${admin%/*}/auth"
  psql -q "$admin" -c "CREATE DATABASE auth" || return 1
  local port
  port=$(peer_free_port)
  (cd "$dir" && DATABASE_URL="$peer_db" PORT=$port \
    exec node server.mjs >"$dir/server.log" 2>&1) &
  peer_pid=$!
  for _ in $(seq 100); do grep -q "listening on" "$dir/server.log" 2>/dev/null && break; sleep 0.2; done
  peer_url="http://127.0.0.1:$port"
  grep -q "listening on" "$dir/server.log" || { cat "$dir/server.log"; return 1; }

  : >"$dir/cookies"
  for i in $(seq 0 63); do
    curl -sf -D - -o /dev/null -H 'Content-Type: application/json' \
      -d "{\"email\":\"u$i@peer.example.com\",\"password\":\"bench-password-$i\",\"name\":\"User $i\"}" \
      "$peer_url/api/auth/sign-up/email" |
      grep -io 'better-auth.session_token=[^;]*' >>"$dir/cookies"
  done
  peer_cookie=$(head -1 "$dir/cookies")
  create_org() {
    curl -sf -H 'Content-Type: application/json' -H "Cookie: $peer_cookie" -H "Origin: $peer_url" \
      -d "{\"name\":\"$1\",\"slug\":\"$2\"}" "$peer_url/api/auth/organization/create" |
      grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4
  }
  peer_small_org=$(create_org "Small Org" small-org)
  peer_big_org=$(create_org "Big Org" big-org)
  psql -q "$peer_db" -c "
    INSERT INTO \"user\" (id, name, email, \"emailVerified\", \"createdAt\", \"updatedAt\")
      SELECT 'member_' || g, 'Member ' || g, 'member' || g || '@peer.example.com', true, now(), now()
      FROM generate_series(1, 10000) g;
    INSERT INTO member (id, \"organizationId\", \"userId\", role, \"createdAt\")
      SELECT 'm_' || g, '$peer_big_org', 'member_' || g, 'member', now() - (g || ' seconds')::interval
      FROM generate_series(1, 10000) g;
    INSERT INTO \"user\" (id, name, email, \"emailVerified\", \"createdAt\", \"updatedAt\")
      SELECT 'spare_' || g, 'Spare ' || g, 'spare' || g || '@peer.example.com', true, now(), now()
      FROM generate_series(0, 199999) g;
    ANALYZE;" || return 1
  export PEER_COOKIES="$dir/cookies" PEER_ORIGIN="$peer_url" PEER_COOKIE="$peer_cookie"
  export PEER_ORG="$peer_small_org" PEER_SPARE_SPAN=$((200000 / threads))
}

peer_stop() {
  if [ -n "${peer_pid:-}" ]; then
    kill "$peer_pid" 2>/dev/null
    wait "$peer_pid" 2>/dev/null || true
  fi
  bash scripts/test-postgres.sh stop "$work/peer/pg" || true
  peer_pid=
  return 0
}
