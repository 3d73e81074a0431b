# Sourced by the dev and test scripts: runs them on a Node Backstage
# supports (22 or 24). When the `node` on PATH is older, Node 24 comes
# from the npm registry (scripts/use-node.sh); native modules are rebuilt
# when node_modules was built for another Node.
NODE_MAJOR=$(node -p 'process.versions.node.split(".")[0]')
if [ "$NODE_MAJOR" -lt 22 ]; then
  echo "[node] $(node --version) is older than Backstage supports; using Node 24"
  source "$(dirname "${BASH_SOURCE[0]}")/use-node.sh" 24
fi
