#!/usr/bin/env bash
# fuzz/run_all.sh SECONDS — run every target in turn for SECONDS each (default 1800), seeded
# with small real files (the ingest and hub test fixtures, the demo's first Salford rows),
# and print each run's last status line. Needs `cargo +nightly fuzz build -O` first.
# Environment: FUZZ_BIN (the built targets), FUZZ_CORPUS (per-target corpus directories),
# FUZZ_TARGETS (which targets, in order; default all six).
set -uo pipefail
secs="${1:-1800}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${FUZZ_BIN:-${CARGO_TARGET_DIR:-$root/fuzz/target}/x86_64-unknown-linux-gnu/release}"
corpus="${FUZZ_CORPUS:-$root/fuzz/corpus}"
# Seeds (an empty corpus only): the repository's small real test fixtures of each format, and
# for `compressed` the CSV fixtures gzipped and xz-compressed.
seed() { # seed TARGET FIND-ARGS…
    local t="$1"; shift
    [ -n "$(ls -A "$corpus/$t" 2>/dev/null)" ] && return 0
    find "$root/crates" -path '*/tests/fixtures/*' -size -200k "$@" -exec cp {} "$corpus/$t/" \;
}
for t in csv xlsx xls ods ocds registers compressed; do mkdir -p "$corpus/$t"; done
seed csv -name '*.csv'
seed xlsx -name '*.xlsx'
seed xls -name '*.xls'
seed ods -name '*.ods'
seed ocds -name '*.json'
seed registers \( -name '*.csv' -o -name '*.txt' \)
if [ -z "$(ls -A "$corpus/compressed")" ]; then
    for f in "$corpus"/csv/*.csv; do
        gzip -c "$f" > "$corpus/compressed/$(basename "$f").gz"
        xz -c "$f" > "$corpus/compressed/$(basename "$f").xz"
    done
fi
for t in ${FUZZ_TARGETS:-csv xlsx xls ods ocds registers compressed}; do
    mkdir -p "$corpus/$t" "$corpus/artifacts/$t"
    len=65536
    case "$t" in xlsx|xls|ods) len=200000 ;; esac
    "$bin/$t" "$corpus/$t" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=30 \
        -max_len="$len" -print_final_stats=1 -artifact_prefix="$corpus/artifacts/$t/" \
        >"$corpus/$t.log" 2>&1
    echo "$t: exit $? · $(grep -E '^#[0-9]+' "$corpus/$t.log" | tail -1)"
    grep -E 'stat::number_of_executed_units|stat::peak_rss_mb|ERROR|panicked' "$corpus/$t.log" | head -5
done
