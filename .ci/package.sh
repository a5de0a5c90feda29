#!/usr/bin/env bash
# The npm package as a user gets it: `npm pack` (which runs `prepare`, a production build), the file
# list checked, the tarball installed globally into an empty prefix with the network cut off (no
# registry reachable, --offline), then `bulkhead` run from that prefix and through `npm exec`.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

npm pack --silent --pack-destination "$work" > "$work/name"
tarball="$work/$(tail -n1 "$work/name")"
echo "packed $(basename "$tarball") ($(du -k "$tarball" | cut -f1) KB)"

# Only the CLI bundle, its launcher (the compile cache), its worker, the map viewer (inlined by `bulkhead map --out`), its bin, the schema and docs ship (plus what npm always adds).
tar -tzf "$tarball" | sed 's#^package/##' | sort > "$work/files"
expected=$(printf '%s\n' CHANGELOG.md LICENSE README.md bin/bulkhead.js dist/cli.js dist/launch.js dist/mapViewer.js dist/scanWorker.js docs/rules.md package.json schemas/bulkhead.schema.json | sort)
if [ "$(cat "$work/files")" != "$expected" ]; then
  echo "package contents differ from the expected list:"; diff <(echo "$expected") "$work/files" || true; exit 1
fi
if grep -q 'sourceMappingURL' <(tar -xzOf "$tarball" package/dist/cli.js); then echo "dist/cli.js is not the production build"; exit 1; fi

# No network: an unreachable registry and --offline; an empty prefix and an empty cache.
export npm_config_registry=http://127.0.0.1:9/ npm_config_offline=true npm_config_cache="$work/cache" npm_config_audit=false npm_config_fund=false
npm install --global --prefix "$work/prefix" "$tarball" > "$work/install.log" 2>&1 || { cat "$work/install.log"; exit 1; }

check_scan() { # $1: how it ran; stdin: the output of `bulkhead scan examples` with its exit code last
  local out; out=$(cat)
  local status=${out##*$'\n'}
  if [ "$status" != "1" ] || ! grep -q 'privileged-container' <<<"$out" || ! grep -q 'problems (' <<<"$out"; then
    echo "$1: unexpected result (exit $status):"; echo "$out"; exit 1
  fi
  echo "$1: OK ($(grep 'problems (' <<<"$out"))"
}

"$work/prefix/bin/bulkhead" --version
# The compile cache of the installed package, in a folder of its own: the second run uses what the first wrote.
for expect in missing used; do
  got=$(XDG_CACHE_HOME="$work/xdg" BULKHEAD_NO_COMPILE_CACHE= BULKHEAD_DEBUG_COMPILE_CACHE=1 "$work/prefix/bin/bulkhead" scan examples --no-color 2>&1 >/dev/null || true)
  [ "$got" = "bulkhead: compile cache $expect" ] || { echo "global install: compile cache: expected $expect, got: $got"; exit 1; }
done
echo "global install, compile cache: OK"
{ "$work/prefix/bin/bulkhead" scan examples --no-color || echo $?; } | check_scan "global install"
# The worker threads of a parallel scan load dist/scanWorker.js from the installed package.
{ "$work/prefix/bin/bulkhead" scan examples --no-color --jobs 2 || echo $?; } | check_scan "global install, 2 threads"
# `bulkhead map --out` inlines dist/mapViewer.js from the installed package into one HTML file.
"$work/prefix/bin/bulkhead" map examples --out "$work/map.html" > /dev/null
if ! grep -q '<script' "$work/map.html" || [ "$(wc -c < "$work/map.html")" -lt 50000 ]; then echo "global install: map report is missing its viewer"; exit 1; fi
echo "global install, map report: OK ($(( $(wc -c < "$work/map.html") / 1024 )) KB)"
# npx / npm exec with the package from the tarball, run in an empty folder outside the repository.
mkdir "$work/elsewhere" && cp -r examples "$work/elsewhere/examples"
( cd "$work/elsewhere" && { npm exec --yes --package "$tarball" -- bulkhead scan examples --no-color || echo $?; } ) | check_scan "npm exec"
echo "package check finished in $(( $(date +%s) - start ))s"
