#!/usr/bin/env bash
# End-to-end tests in real editors, offline: code-server (real VS Code workbench) + Debian Chromium, mocha in the
# code-server extension host, and Neovim's LSP client. Meant to run after `npm ci && npm test` in .ci/run; it
# installs what it needs itself (apt: chromium, neovim, libkrb5-dev; npm: Node 24 and code-server into
# ~/.cache/bulkhead-e2e, never into the repo), and is safe to re-run. See test/e2e/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1   # playwright-core drives Debian's /usr/bin/chromium; never download one

# Run on its own on a fresh clone: the repo's devDependencies (playwright-core, mocha, vsce, esbuild) first.
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/mocha ]; then
  npm ci --no-audit --no-fund
fi

status=0
npm run -s test:e2e || status=$?
echo "e2e finished in $(( $(date +%s) - start ))s (exit $status)"
exit $status
