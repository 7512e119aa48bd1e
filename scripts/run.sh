#!/usr/bin/env bash
# Starts orgd on SQLite in ./data. Without ORGD_SECRET_KEY, a key is generated once into
# ./data/secret-key (mode 0600), reused on every later run and passed as --secret-key-file, so it
# never shows in `ps`.
set -euo pipefail
cd "$(dirname "$0")/.."

mkdir -p data
chmod 700 data
if [ -z "${ORGD_SECRET_KEY:-}" ]; then
  if [ ! -s data/secret-key ]; then
    (umask 077 && build/orgd gen-secret-key > data/secret-key)
    echo "make run: generated a secret key into data/secret-key"
  fi
  set -- --secret-key-file data/secret-key "$@"
  first_key=$(head -n 1 data/secret-key)
else
  first_key=${ORGD_SECRET_KEY%%,*}
fi
listen=${ORGD_LISTEN:-127.0.0.1:8080}
cat <<BANNER
orgd on http://$listen with database ${ORGD_DATABASE:-sqlite:./data/orgd.db}
secret key: $first_key
try:  curl -s -H "Authorization: Bearer $first_key" -H 'Content-Type: application/json' -d '{"name":"Acme Corp"}' http://$listen/v1/organizations
BANNER
exec build/orgd serve --listen "$listen" "$@"
