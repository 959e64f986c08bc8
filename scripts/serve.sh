#!/usr/bin/env bash
# The main job: installs what is missing, builds the page with the bundled default corpus, and
# serves it on http://127.0.0.1:${PORT:-8000}/ (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build-web.sh
port="${PORT:-8000}"
echo "serving http://127.0.0.1:$port/" >&2
exec python3 -m http.server "$port" --bind 127.0.0.1 --directory www
