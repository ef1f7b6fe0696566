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
CORPUS="${DLINT_CORPUS:-$HERE/../shared/corpus/dockerfiles}"
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

# Every rule, the opt-in ones included, and the default selection once.
run check-json     check --format json --select ALL
run check-default  check --format json
run check-sarif    check --format sarif --select ALL
run check-text     check --select ALL
run check-show     check --show-fixes --select ALL
run check-github   check --format github --select ALL
run check-stats    check --statistics --select ALL
run fix-diff       fix --diff --select ALL
run fix-unsafe     fix --unsafe-fixes --diff --select ALL
PYTHONPATH="$TREE" "$PY" -m dlint rules >"$OUT/rules.out" 2>&1; echo $? >"$OUT/rules.rc"

cd "$OUT" && sha256sum $(ls | grep -E '\.(out|err|rc)$' | LC_ALL=C sort)
