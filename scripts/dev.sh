#!/usr/bin/env bash
# `make dev`: Flask debug server on :5000 and the Vite dev server on :5173 (it proxies /api to
# :5000), both in this terminal. Ctrl-C, or either one exiting, stops both.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

# Job control gives each server its own process group, so one signal stops a server together
# with its children (Flask's reloader, npm's vite). Background groups must not read the
# terminal (they would be stopped by SIGTTIN), hence stdin from /dev/null.
set -m
pids=()

# shellcheck disable=SC2317  # called from the traps below
stop_all() {
  trap - INT TERM EXIT
  set +e
  for pid in "${pids[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null
  done
  wait 2>/dev/null
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap stop_all EXIT

(cd backend && exec ../.venv/bin/flask --app wsgi run --debug --host 127.0.0.1 --port 5000) </dev/null &
pids+=("$!")
(cd frontend && exec npm run dev -- --port 5173 --strictPort) </dev/null &
pids+=("$!")

echo "dev: API http://127.0.0.1:5000   SPA http://localhost:5173   (Ctrl-C stops both)"
set +e
wait -n
status=$?
echo "dev: a server exited (status $status); stopping the other"
exit "$status"
