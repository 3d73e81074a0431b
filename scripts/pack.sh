#!/usr/bin/env bash
# `npm run pack`: builds every publishable package (backstage-cli package
# build: dist/ with bundled type declarations) and packs each one as npm
# would publish it (prepack swaps in publishConfig) into dist-packs/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-version.sh
SKIP_CHROMIUM=1 SKIP_OPENSSH=1 bash scripts/setup.sh

# In dependency order; the frontend plugin last but one is fine: each build
# reads only its own sources and the declarations tsc writes to dist-types.
PACKAGES=(
  sessions-common
  sessions-node
  sessions-backend
  catalog-backend-module-sessions-group-owners
  auth-backend-module-sessions-guest-provider
  scaffolder-backend-module-sessions
  sessions
)

began=$SECONDS
rm -rf dist-types
npx tsc
echo "[pack] declarations (tsc) took $((SECONDS - began)) s"

out="${PACK_DESTINATION:-dist-packs}"
rm -rf "$out"
mkdir -p "$out"
for pkg in "${PACKAGES[@]}"; do
  began=$SECONDS
  (cd "plugins/$pkg" && npx backstage-cli package build >/dev/null)
  npm pack --silent --workspace "plugins/$pkg" --pack-destination "$out" >/dev/null
  echo "[pack] plugins/$pkg built and packed in $((SECONDS - began)) s"
done
ls -1 "$out"
