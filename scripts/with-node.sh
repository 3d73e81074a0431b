#!/usr/bin/env bash
# Runs a Node script on a Node Backstage supports (see node-version.sh):
# `bash scripts/with-node.sh bench/run.mjs`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-version.sh
exec node "$@"
