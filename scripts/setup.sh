#!/usr/bin/env bash
# Installs what the portal and the tests need on a fresh machine:
# npm packages from the committed lockfile and, for the browser test,
# Debian's chromium. Safe to run again; it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# `npm ci` refuses this lockfile against the registry reachable here: some
# optional platform binaries it names are missing from that registry;
# `npm install` honours the committed lockfile and leaves it unchanged.
if [ ! -f node_modules/.package-lock.json ] ||
  [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[setup] installing npm packages from package-lock.json"
  npm install --no-audit --no-fund --prefer-offline
  touch node_modules/.package-lock.json
fi

# Native modules (better-sqlite3 above all) are built for one Node at a
# time: after switching Node, rebuild them.
ABI=$(node -p process.versions.modules)
if [ "$(cat node_modules/.node-abi 2>/dev/null || true)" != "$ABI" ]; then
  if [ -f node_modules/.node-abi ]; then
    echo "[setup] rebuilding native modules for Node $(node --version)"
    npm rebuild better-sqlite3 ssh2 cpu-features >/dev/null
  fi
  echo "$ABI" >node_modules/.node-abi
fi

# Debian packages the end-to-end tests use: chromium for the browser test,
# openssh-server for the OpenSSH connector's test (its own sshd on a
# loopback port; the package's service is not started), sudo for the sudo
# connector's test (SKIP_SUDO=1 leaves it out).
PACKAGES=""
if [ "${SKIP_CHROMIUM:-}" != "1" ] && [ ! -x /usr/bin/chromium ]; then
  PACKAGES="$PACKAGES chromium"
fi
if [ "${SKIP_OPENSSH:-}" != "1" ] && [ ! -x /usr/sbin/sshd ]; then
  PACKAGES="$PACKAGES openssh-server"
fi
if [ "${SKIP_SUDO:-}" != "1" ] && [ ! -x /usr/bin/sudo ]; then
  PACKAGES="$PACKAGES sudo"
fi
if [ -n "$PACKAGES" ]; then
  echo "[setup] installing Debian packages:$PACKAGES"
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  # Keep package scripts from starting services (policy-rc.d: 101 = deny).
  POLICY=/usr/sbin/policy-rc.d
  ADDED_POLICY=""
  if [ ! -e "$POLICY" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
    $SUDO chmod +x "$POLICY"
    ADDED_POLICY=1
  fi
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $PACKAGES >/dev/null
  if [ -n "$ADDED_POLICY" ]; then $SUDO rm -f "$POLICY"; fi
fi
