#!/usr/bin/env bash
# Byte-identity check of dlint's observable behaviour over the whole corpus.
#
#   bench/contract_check.sh [TREE] [OUTDIR]
#
# TREE: the source tree whose dlint runs (default: this checkout); OUTDIR: where outputs go
# (default: a fresh temporary directory). Prints one "sha256  name" line per output (stdout, stderr and
# exit code of each command, per batch). Run it on two trees and diff the printed lists: identical lists
# mean the same findings, messages, fixes and exit codes, byte for byte.
set -u
HERE="$(cd "$(dirname "$0")/.." && pwd)"
TREE="$(cd "${1:-$HERE}" && pwd)"
OUT="${2:-$(mktemp -d /tmp/dlint-contract-XXXXXX)}"
CORPUS="${DLINT_CORPUS:-/work/shared/corpus/dockerfiles}"
PY="${PYTHON:-python}"
mkdir -p "$OUT"
cd "$CORPUS" || exit 2
ls | grep -v '^MANIFEST' | LC_ALL=C sort > "$OUT/files.txt"
split -l 500 -d "$OUT/files.txt" "$OUT/batch."

run() {  # name, then the dlint arguments; the batch's files are appended
  local name="$1"; shift
  for b in "$OUT"/batch.*; do
    local tag="$name.$(basename "$b")"
    # shellcheck disable=SC2046
    PYTHONPATH="$TREE" "$PY" -m dlint "$@" $(cat "$b") >"$OUT/$tag.out" 2>"$OUT/$tag.err"
    echo $? >"$OUT/$tag.rc"
  done
}

run check-json     check --format json --extend-select L008
run check-sarif    check --format sarif --extend-select L008
run check-text     check --extend-select L008
run check-show     check --show-fixes --extend-select L008
run check-github   check --format github
run check-stats    check --statistics --extend-select L008
run fix-diff       fix --diff
run fix-unsafe     fix --unsafe-fixes --diff
PYTHONPATH="$TREE" "$PY" -m dlint rules >"$OUT/rules.out" 2>&1; echo $? >"$OUT/rules.rc"

cd "$OUT" && sha256sum $(ls | grep -E '\.(out|err|rc)$' | LC_ALL=C sort)
