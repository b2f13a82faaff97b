#!/usr/bin/env bash
# Parses the rebuilt real-world corpus with `xprem parse` and reports, per manifest category, how
# many files parse. It only READS the corpus (which lives outside the repository and is never
# committed); results go to a folder outside the repository too.
#
# Usage: scripts/corpus-check.sh CORPUS_ROOT MANIFEST [OUT_DIR]
#   CORPUS_ROOT  the folder holding files/... (see ../shared/corpus/README.md)
#   MANIFEST     manifest.tsv (columns: repo commit path sha256 bytes split category domain source)
#   OUT_DIR      where to write failures-<category>.txt (default: a new temporary folder)
#
# Build first: cargo build --release
set -euo pipefail

corpus=${1:?usage: corpus-check.sh CORPUS_ROOT MANIFEST [OUT_DIR]}
manifest=${2:?usage: corpus-check.sh CORPUS_ROOT MANIFEST [OUT_DIR]}
out=${3:-$(mktemp -d)}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
xprem="$here/target/release/xprem"
[ -x "$xprem" ] || { echo "build first: cargo build --release" >&2; exit 2; }
case "$out" in "$here"/*) echo "OUT_DIR must be outside the repository" >&2; exit 2 ;; esac
mkdir -p "$out"

for category in general admin docs; do
  list="$out/files-$category.txt"
  awk -F'\t' -v c="$category" -v root="$corpus" 'NR > 1 && $7 == c { print root "/" $3 }' "$manifest" > "$list"
  total=$(wc -l < "$list")
  # One process for all files of the category. The gcc form gives one line per syntax error,
  # written here as `file:line:col: message` (the form of earlier results, so they compare).
  tr '\n' '\0' < "$list" | xargs -0 "$xprem" parse --format gcc 2> "$out/summary-$category.txt" \
    | sed -E 's/^(.+:[0-9]+:[0-9]+): error: (.*) \[syntax-error\]$/\1: \2/' > "$out/failures-$category.txt" || true
  failed=$(cut -d: -f1 "$out/failures-$category.txt" | sort -u | wc -l)
  echo "$category: $((total - failed)) of $total parse ($failed fail)"
done
echo "details: $out"
