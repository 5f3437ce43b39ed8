#!/usr/bin/env bash
# Browser end-to-end run: a fresh database, the built SPA served by gunicorn on 127.0.0.1:5055,
# then Playwright (Debian's Chromium). `make test-e2e` installs deps, builds the SPA, then calls this.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

venv=$root/.venv/bin
host=127.0.0.1
port=${E2E_PORT:-5055}
base_url=http://$host:$port
artifacts=${E2E_ARTIFACTS_DIR:-$root/frontend/e2e/artifacts}
# E2E_PORT, E2E_DB, E2E_REDIS_DB and BACKEND_FRONTEND_DIST_DIR let two runs share one machine.
pg_db=${E2E_DB:-pathshala_e2e}
redis_db=${E2E_REDIS_DB:-15}
dist_dir=${BACKEND_FRONTEND_DIST_DIR:-$root/frontend/dist}
export BACKEND_FRONTEND_DIST_DIR=$dist_dir
psql_admin=(env PGOPTIONS=--client-min-messages=warning psql -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1 -q)

export E2E_ADMIN_EMAIL=admin@e2e.test
export E2E_ADMIN_PASSWORD=e2e-Admin-pass-1
export E2E_ADMIN_NAME="E2E Admin"

for tool in "$venv/flask" "$venv/gunicorn"; do
  [ -x "$tool" ] || { echo "e2e: $tool missing; run 'make test-e2e' (it installs the backend)." >&2; exit 1; }
done
[ -f "$dist_dir/index.html" ] || { echo "e2e: $dist_dir is not built; run 'make test-e2e'." >&2; exit 1; }
if curl -fsS -o /dev/null "$base_url/health" 2>/dev/null; then
  echo "e2e: something already answers on $base_url; stop it first." >&2
  exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pathshala-e2e.XXXXXX")
mkdir -p "$artifacts"
server_log=$artifacts/server.log
: >"$server_log"
server_pid=
worker_pid=
smtp_pid=
using_pg=

stop() {
  local pid=$1
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  fi
}

cleanup() {
  local status=$?
  set +e
  stop "$server_pid"
  stop "$worker_pid"
  stop "$smtp_pid"
  if [ -n "$using_pg" ]; then
    "${psql_admin[@]}" -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1
  fi
  rm -rf "$tmp"
  if [ "$status" -ne 0 ] && [ -s "$server_log" ]; then
    echo "---- last lines of the server log ($server_log) ----"
    tail -n 40 "$server_log"
  fi
  echo "e2e: screenshots and traces are in frontend/e2e/artifacts/ (server log: frontend/e2e/artifacts/server.log)"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A fresh database: Postgres when it answers, else a throw-away SQLite file.
if command -v psql >/dev/null 2>&1 && "${psql_admin[@]}" -c 'SELECT 1' >/dev/null 2>&1; then
  "${psql_admin[@]}" -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)"
  "${psql_admin[@]}" -c "CREATE DATABASE $pg_db"
  using_pg=1
  export BACKEND_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/$pg_db
  echo "e2e: database: Postgres 127.0.0.1:5432/$pg_db (fresh)"
else
  export BACKEND_DATABASE_URL=sqlite:///$tmp/e2e.db
  echo "e2e: database: SQLite $tmp/e2e.db (Postgres at 127.0.0.1:5432 not reachable with psql)"
fi

# Redis when it answers (db 15, emptied first so old rate-limit counters do not leak in).
if E2E_REDIS_DB=$redis_db "$venv/python" - <<'PY' 2>/dev/null
import redis
import os
redis.Redis(host="127.0.0.1", port=6379, db=int(os.environ["E2E_REDIS_DB"]), socket_connect_timeout=1).flushdb()
PY
then
  export BACKEND_REDIS_URL=redis://127.0.0.1:6379/$redis_db
  echo "e2e: redis: 127.0.0.1:6379/$redis_db"
else
  unset BACKEND_REDIS_URL
  echo "e2e: redis: not reachable, the app uses its in-process fallbacks"
fi

export BACKEND_ENV=test
# Specs sign many users up from one IP within a minute; the limits have their own backend tests.
export BACKEND_RATELIMIT_ENABLED=false
# Payments go through the in-process sandbox even if a .env or the shell carries Razorpay keys.
export BACKEND_PAYMENT_SANDBOX=true
export BACKEND_STORAGE_DIR=$tmp/media
export BACKEND_PUBLIC_URL=$base_url
# Short-lived video URLs, so the media spec can show a copied URL dying (the player renews).
export BACKEND_VIDEO_URL_TTL_SECONDS=${BACKEND_VIDEO_URL_TTL_SECONDS:-20}
export PORT=$port

# A real SMTP server (aiosmtpd, from the backend's dev dependencies) that files every mail in
# a Maildir, where specs read what a user was sent.
smtp_port=$("$venv/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export E2E_MAILDIR=$tmp/maildir
"$venv/python" -m aiosmtpd -n -l "$host:$smtp_port" -c aiosmtpd.handlers.Mailbox "$E2E_MAILDIR" >>"$server_log" 2>&1 &
smtp_pid=$!
export BACKEND_SMTP_URL="smtp://$host:$smtp_port?starttls=off"

(cd backend && "$venv/flask" --app wsgi db upgrade)
(cd backend && "$venv/flask" --app wsgi create-admin \
  --email "$E2E_ADMIN_EMAIL" --password "$E2E_ADMIN_PASSWORD" --name "$E2E_ADMIN_NAME")

"$venv/gunicorn" --chdir backend wsgi:app -b "$host:$port" -w 2 \
  --access-logfile - >>"$server_log" 2>&1 &
server_pid=$!
if [ -n "${BACKEND_REDIS_URL:-}" ]; then
  # With Redis, background jobs (video transcoding) run in a worker, as in production.
  (cd backend && exec "$venv/flask" --app wsgi worker) >>"$server_log" 2>&1 &
  worker_pid=$!
fi

echo "e2e: waiting for $base_url/health"
for i in $(seq 1 120); do
  if curl -fsS -o /dev/null "$base_url/health" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "e2e: the server exited before answering /health" >&2
    exit 1
  fi
  if [ "$i" -eq 120 ]; then
    echo "e2e: no healthy answer from $base_url/health after 60 s" >&2
    exit 1
  fi
  sleep 0.5
done
echo "e2e: server up (pid $server_pid)"

chromium_bin=$(command -v chromium || true)
(cd frontend && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 E2E_BASE_URL="$base_url" \
  CHROMIUM_PATH="${CHROMIUM_PATH:-$chromium_bin}" E2E_ARTIFACTS_DIR="$artifacts" npx playwright test "$@")
