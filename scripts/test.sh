#!/usr/bin/env bash
# The one test command (`npm test`): installs what is missing, then runs every
# package's tests (SQLite, PostgreSQL and MySQL for the backend) and the
# browser test against a running portal.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
source scripts/test-databases.sh

echo "[test] unit, database and UI tests"
CI=true npx backstage-cli repo test --ci

if [ -f e2e/run.mjs ]; then
  echo "[test] browser test"
  node e2e/run.mjs
fi
