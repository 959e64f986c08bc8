#!/usr/bin/env bash
# Builds the page into www/: the wasm module and its JS glue (www/pkg/) and the default corpus
# (www/data/). Run scripts/setup.sh first (serve.sh and test.sh do).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/fetch-corpus.sh
cargo build --lib --release --locked --target wasm32-unknown-unknown
rm -rf www/pkg
wasm-bindgen --target web --no-typescript --out-dir www/pkg target/wasm32-unknown-unknown/release/collapse.wasm
echo "built www/pkg: $(du -h www/pkg/collapse_bg.wasm | cut -f1) wasm" >&2
