#!/usr/bin/env bash
# bench/workspace_incremental.sh — incremental re-analysis in the workspace (issue 18;
# docs/benchmarks.md, "Incremental re-analysis"): the demo network's files imported into a
# fresh SQLite workspace but one (Manchester's last in name order), `anchornet serve` started
# and its first analysis waited for; then the held-back file imported with `anchornet import`
# and the next /overview.json timed: that request finds the store changed and waits for the
# rebuild (up to 10 s, STALE_WAIT), so its latency is the re-analysis as a user sees it.
# Prints the times and the payments count before and after (the count must grow by the
# file's accepted rows, which the import prints).
#
# Usage: bench/workspace_incremental.sh          (release build: cargo build --release -p anchornet)
# Environment: WS_DIR (default /tmp/wsincr; must not exist), ANCHORNET_BIN; WS_PERF=FILE
# records the server with `perf record` during the re-analysis; WS_KEEP=1 keeps the workspace.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${WS_DIR:-/tmp/wsincr}"
an="${ANCHORNET_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/anchornet}"
port=18193
export ANCHORNET_PASSWORD="bench-password-1"
[ -e "$dir" ] && { echo "$dir exists; remove it or set WS_DIR" >&2; exit 2; }
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
    [ "${WS_KEEP:-0}" = 1 ] || rm -rf "$dir"
}
trap cleanup EXIT
demo="$root/data/demo/spend"
held="$demo/manchester/harmonised-2021-04-to-05.csv.xz"

echo "date: $(date -u +'%Y-%m-%d %H:%M UTC'); $(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$an" init --place Salford --wider "Greater Manchester" "$dir" >/dev/null
sed -i 's/^secure_cookies = true/secure_cookies = false/' "$dir/anchornet.toml"
for a in salford manchester trafford; do
    "$an" anchor add --workspace "$dir" "$a" >/dev/null
    files=()
    for f in "$demo/$a"/*.csv.xz; do [ "$f" = "$held" ] || files+=("$f"); done
    "$an" import --workspace "$dir" --anchor "$a" "${files[@]}" >/dev/null
done
"$an" user add --workspace "$dir" --role admin admin >/dev/null
log="$dir/serve.log"
"$an" serve --workspace "$dir" --bind "127.0.0.1:$port" --insecure-cookies >"$log" 2>&1 &
server=$!
for _ in $(seq 1 300); do grep -q "listening on" "$log" && break; sleep 1; done
grep -q "listening on" "$log" || { cat "$log" >&2; exit 1; }
base="http://127.0.0.1:$port"
. "$root/bench/sign_in.sh"
session="$(sign_in "$base" admin)"
count() { curl -s -m 600 -H "Cookie: $session" "$base/overview.json" | grep -o '"payments":[0-9]*' | head -1 | cut -d: -f2; }
t0=$(date +%s.%N); before="$(count)"; t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v n="$before" 'BEGIN {printf "first /overview.json (the whole analysis): %.2f s, %s payments\n", b-a, n}'
perf_pid=""
if [ -n "${WS_PERF:-}" ]; then
    perf record -F 500 -g -o "$WS_PERF" -p "$server" >/dev/null 2>&1 &
    perf_pid=$!
    sleep 1
fi
cpu() { awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$server/stat"; }
c0=$(cpu)
t0=$(date +%s.%N)
out="$("$an" import --workspace "$dir" --anchor manchester "$held")"
t1=$(date +%s.%N)
after="$(count)"
t2=$(date +%s.%N)
c1=$(cpu)
[ -n "$perf_pid" ] && kill -INT "$perf_pid" && wait "$perf_pid" || true
echo "import of $(basename "$held"): $(grep -o '[0-9]* of [0-9]* rows accepted' <<<"$out" | head -1)"
awk -v a="$t0" -v b="$t1" -v c="$t2" -v n="$after" -v u="$c0" -v v="$c1" 'BEGIN {printf "import: %.2f s; next /overview.json (re-analysis): %.2f s, %s payments; server CPU meanwhile %.2f s\n", b-a, c-b, n, v-u}'
t0=$(date +%s.%N); again="$(count)"; t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v n="$again" 'BEGIN {printf "then /overview.json: %.3f s, %s payments\n", b-a, n}'
echo "server peak RSS (VmHWM): $(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' /proc/$server/status); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
kill "$server" && wait "$server" 2>/dev/null || true
server=""
echo "the server's rebuilds:"
grep "rebuilt in" "$log" || true
