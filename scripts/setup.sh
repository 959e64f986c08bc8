#!/usr/bin/env bash
# Installs what the build needs and is missing; safe to run again (each step checks first).
#   scripts/setup.sh          the wasm target, wasm-bindgen-cli at the version in Cargo.lock and
#                             the npm dev tools (`npm ci`: binaryen's wasm-opt for the build,
#                             playwright-core for the tests; no browser download)
#   scripts/setup.sh --test   also Chromium + ChromeDriver (Debian)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding the wasm32-unknown-unknown target" >&2
  rustup target add wasm32-unknown-unknown
fi

# The CLI must match the wasm-bindgen crate in Cargo.lock exactly (schema versions differ).
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "setup: installing wasm-bindgen-cli $want (have: ${have:-none}); this takes a few minutes" >&2
  # Not --locked: its own lockfile pins a crate release the registry mirror does not serve.
  cargo install wasm-bindgen-cli --version "$want"
fi

# npm dev tools, pinned by package-lock.json: binaryen (wasm-opt, used by scripts/build-web.sh)
# and playwright-core (the end-to-end tests).
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] ||
  [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci (binaryen's wasm-opt, playwright-core; no browser download)" >&2
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent
fi

if [ "${1:-}" = "--test" ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    echo "setup: installing Debian's chromium and chromium-driver" >&2
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
fi
