#!/usr/bin/env bash
# `npm run dev`: installs what is missing, then runs the portal backend
# (http://localhost:7007), the app (http://localhost:3000) and the session
# simulator together. Ctrl-C stops all three.
# `npm run dev:manager` does the same signed in as a manager
# (app-config.manager.yaml) instead of the admin guest; `npm run dev:oncall`
# as an SRE on-call engineer under the company policy
# (app-config.oncall.yaml). `bash scripts/dev.sh NAME` adds any
# app-config.NAME.yaml.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-version.sh
SKIP_CHROMIUM=1 bash scripts/setup.sh
BACKEND="npm run start:backend"
if [ -n "${1:-}" ]; then
  if [ ! -f "app-config.$1.yaml" ]; then
    echo "[dev] no app-config.$1.yaml" >&2
    exit 1
  fi
  BACKEND="npm --workspace backend run start -- --config $PWD/app-config.yaml --config $PWD/app-config.$1.yaml"
fi
exec npx concurrently --kill-others --names backend,app,simulator \
  --prefix-colors blue,green,magenta \
  "$BACKEND" "npm run start:app" "npm run simulate"
