#!/usr/bin/env bash
# Builds the page into www/: the wasm module and its JS glue (www/pkg/) and the default corpus
# (www/data/: the text, and its packed form that the page reads, scripts/pack-corpus.mjs). Run scripts/setup.sh first (serve.sh and test.sh do): it installs wasm-bindgen-cli
# and, with `npm ci`, binaryen's wasm-opt (npm binaryen, pinned in package.json; never Debian's
# binaryen, whose old wasm-opt breaks the module). Without node_modules/.bin/wasm-opt the module
# is built unoptimised (larger, same behaviour) and a note says so.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/fetch-corpus.sh
cargo build --lib --release --locked --target wasm32-unknown-unknown
rm -rf www/pkg
# The name section (function names, for profilers) is a quarter of the module's size.
wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
  --out-dir www/pkg "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/collapse.wasm"
wasm=www/pkg/collapse_bg.wasm
if [ -x node_modules/.bin/wasm-opt ]; then
  # The features current rustc emits for wasm32 (wasm-opt must be told; it validates against them).
  node_modules/.bin/wasm-opt -Oz \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$wasm" -o "$wasm.opt"
  mv "$wasm.opt" "$wasm"
else
  echo "build-web: node_modules/.bin/wasm-opt missing (run npm ci): the module is not size-optimised" >&2
fi
echo "built www/pkg: $(( $(wc -c <"$wasm") / 1024 )) KiB wasm ($(( $(gzip -c "$wasm" | wc -c) / 1024 )) KiB gzipped)" >&2
# The bundled text in the packed form the page's workers read (node is there: setup.sh's npm ci).
node scripts/pack-corpus.mjs
