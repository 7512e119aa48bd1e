#!/usr/bin/env bash
# `make demo`: orgd on SQLite in ./data (Backend API on 127.0.0.1:8080, Frontend API on
# 127.0.0.1:8081) and the example app of examples/demo on http://127.0.0.1:3000, until Ctrl-C.
# The secret key is the one `make run` uses (./data/secret-key, generated on first use).
set -euo pipefail
cd "$(dirname "$0")/.."

api=127.0.0.1:8080
frontend=127.0.0.1:8081
app_port=3000

mkdir -p data
chmod 700 data
if [ ! -s data/secret-key ]; then
  (umask 077 && build/orgd gen-secret-key > data/secret-key)
fi

if [ ! -d examples/demo/node_modules ] || [ examples/demo/package-lock.json -nt examples/demo/node_modules/.package-lock.json ]; then
  (cd examples/demo && npm ci --no-audit --no-fund --loglevel=error)
fi

build/orgd serve --listen "$api" --frontend-listen "$frontend" --frontend-url "http://$frontend" \
  --database sqlite:./data/orgd.db --secret-key-file data/secret-key \
  --allowed-origin "http://127.0.0.1:$app_port" --invitation-url "http://127.0.0.1:$app_port/" &
orgd_pid=$!
trap 'kill "$orgd_pid" 2>/dev/null || true; wait "$orgd_pid" 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/${api%:*}/${api#*:}") 2>/dev/null && break
  kill -0 "$orgd_pid" 2>/dev/null || { echo "demo: orgd did not start" >&2; exit 1; }
  sleep 0.1
done

echo "demo: starting the app; open http://127.0.0.1:$app_port once it says it is listening (Ctrl-C stops both)"
ORGD_API_URL="http://$api" ORGD_FRONTEND_URL="http://$frontend" PORT=$app_port \
  CLERK_SECRET_KEY="$(head -n 1 data/secret-key)" node examples/demo/server.js
