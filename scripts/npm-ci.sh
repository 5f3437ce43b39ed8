#!/usr/bin/env bash
# Install the SPA's exact dependency tree from frontend/package-lock.json.
# Playwright's own browser download is skipped: e2e drives Debian's Chromium.
#
# The npm registry this project's machines reach lacks the optional packages of other
# platforms (e.g. @rollup/rollup-android-arm64), so a lock file written here does not list them
# and `npm ci` refuses it as "out of sync". Only then we fall back to `npm install`, which
# installs the same locked versions, and say so.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../frontend"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if npm ci --no-audit --no-fund 2>"$log"; then
  exit 0
fi
if grep -q 'EUSAGE' "$log" && grep -q 'Missing: .* from lock file' "$log"; then
  echo "npm-ci: the lock file lacks other platforms' optional packages; running 'npm install' (same locked versions)."
  npm install --no-audit --no-fund
  git -C .. diff --quiet -- frontend/package-lock.json 2>/dev/null \
    || echo "npm-ci: note: npm install rewrote frontend/package-lock.json; do not commit that change unless you meant to."
  exit 0
fi
cat "$log" >&2
exit 1
