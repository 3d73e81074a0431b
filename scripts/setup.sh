#!/usr/bin/env bash
# Installs what the portal and the tests need on a fresh machine:
# npm packages from the committed lockfile and, for the browser test,
# Debian's chromium. Safe to run again; it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# `npm ci` refuses this lockfile against the registry reachable here (some
# optional platform binaries are missing from it, see BACKSTAGE-NOTES.md);
# `npm install` honours the committed lockfile and leaves it unchanged.
if [ ! -f node_modules/.package-lock.json ] ||
  [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[setup] installing npm packages from package-lock.json"
  npm install --no-audit --no-fund --prefer-offline
  touch node_modules/.package-lock.json
fi

if [ "${SKIP_CHROMIUM:-}" != "1" ] && [ ! -x /usr/bin/chromium ]; then
  echo "[setup] installing Debian's chromium for the browser test"
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
