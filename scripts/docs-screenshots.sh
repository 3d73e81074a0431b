#!/usr/bin/env bash
# `npm run docs:screenshots`: copies the screenshots of the last browser
# test run (e2e/output/screenshots) into docs/, where the README shows them.
# Tests never write docs/ themselves, so `npm test` leaves the tree clean.
set -euo pipefail
cd "$(dirname "$0")/.."
shots=e2e/output/screenshots
if ! ls "$shots"/*.png > /dev/null 2>&1; then
  echo "no screenshots in $shots: run npm run test:e2e first" >&2
  exit 1
fi
cp "$shots"/*.png docs/
ls "$shots"/*.png | sed 's|.*/|docs/|'
