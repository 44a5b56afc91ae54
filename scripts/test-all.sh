#!/usr/bin/env bash
# Every test tier in one node:test run, so its summary is the last thing printed:
# unit (no database), API suites on PGlite and on a throwaway PostgreSQL cluster, contract, fuzz (bounded),
# faults (PostgreSQL stopped, restarted and cut under load; their own cluster), crash (kill -9 under load,
# data-dir lock), browser (e2e; test/browser: Debian's Chromium driven by playwright-core, the web UI built
# first if web/dist is missing).
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
# The browser and UI-serving tests need the built UI; build it once here (not per file, which would race).
[ -f web/dist/index.html ] || npm run build:web >&2
files=(test/unit/*.test.ts test/api/*.test.ts test/contract/*.test.ts test/fuzz/*.test.ts test/faults/*.test.ts test/crash/*.test.ts test/e2e/*.test.ts test/browser/*.test.ts)
exec node --import tsx scripts/with-postgres.ts \
  node --import tsx --test --test-reporter=tap "$@" "${files[@]}"
