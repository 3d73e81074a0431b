#!/usr/bin/env bash
# `npm run dev`: installs what is missing, then runs the portal backend
# (http://localhost:7007), the app (http://localhost:3000) and the session
# simulator together. Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
SKIP_CHROMIUM=1 bash scripts/setup.sh
exec npx concurrently --kill-others --names backend,app,simulator \
  --prefix-colors blue,green,magenta \
  "npm run start:backend" "npm run start:app" "npm run simulate"
