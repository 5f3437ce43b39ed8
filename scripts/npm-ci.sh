#!/usr/bin/env bash
# Install the SPA's exact dependency tree from frontend/package-lock.json.
# Playwright's own browser download is skipped: e2e drives Debian's Chromium.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../frontend"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
npm ci --no-audit --no-fund
