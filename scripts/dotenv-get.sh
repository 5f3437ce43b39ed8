#!/usr/bin/env bash
# scripts/dotenv-get.sh NAME [DEFAULT]: print NAME from the environment, else from the repo-root
# .env (read as KEY=value lines, never executed), else DEFAULT.
# The backend (settings.py) and Vite (envDir '..') read .env themselves; make only needs PORT.
set -euo pipefail

name=${1:?usage: dotenv-get.sh NAME [DEFAULT]}
default=${2:-}
env_file=${DOTENV_FILE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.env}

if [ -n "${!name:-}" ]; then
  printf '%s\n' "${!name}"
  exit 0
fi

found=
if [ -f "$env_file" ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%$'\r'}
    [[ $line =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*=[[:space:]]*(.*)$ ]] || continue
    [ "${BASH_REMATCH[2]}" = "$name" ] || continue
    value=${BASH_REMATCH[3]}
    if [[ $value =~ ^\"(.*)\"[[:space:]]*(#.*)?$ ]] || [[ $value =~ ^\'(.*)\'[[:space:]]*(#.*)?$ ]]; then
      value=${BASH_REMATCH[1]}
    else
      # Unquoted: " #" starts a comment (python-dotenv reads it the same way); trim blanks.
      value=${value%%[[:space:]]#*}
      value=${value%"${value##*[![:space:]]}"}
    fi
    found=$value  # the last assignment wins
  done <"$env_file"
fi
printf '%s\n' "${found:-$default}"
