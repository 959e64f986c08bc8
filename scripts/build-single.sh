#!/usr/bin/env bash
# Builds dist/model-collapse-explorer.html: the whole page in one file (styles, script, the wasm
# module as base64, the default corpus), for classrooms and offline use: it opens from file://
# and inside a sandboxed iframe, and makes no request at all. Run scripts/build-web.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p dist
python3 scripts/inline_page.py www dist/model-collapse-explorer.html
