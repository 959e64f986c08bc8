#!/usr/bin/env bash
# Runs every test: installs what is missing (wasm target, wasm-bindgen-cli, Chromium, npm dev
# tools), fetches the default corpus, then
#   1. formatting and lints,
#   2. native unit, property, statistical and value-stability tests (cargo test),
#   3. the wasm-bindgen boundary in headless Chromium,
#   4. the page end to end in Chromium (playwright-core), served and as one offline file.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
scripts/fetch-corpus.sh

step() { printf '\n== %s\n' "$*" >&2; }

step "format and lints"
cargo fmt --check
cargo clippy --locked --all-targets -q -- -D warnings
cargo clippy --locked --lib --target wasm32-unknown-unknown -q -- -D warnings

step "native tests"
cargo test --locked

step "wasm boundary in headless Chromium"
cargo test --locked --target wasm32-unknown-unknown --test web

step "page end to end in Chromium"
scripts/build-web.sh
scripts/build-single.sh
node --test --test-concurrency=1 tests/e2e/
