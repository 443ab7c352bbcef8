#!/usr/bin/env bash
# bench/web_load.sh — the web app under load (docs/benchmarks.md, "Web load"): the bundled demo
# network (Salford, Manchester and Trafford, ~540,000 payments) served by a release build on
# loopback, 50 concurrent clients requesting the overview as a signed-in user for 20 s each
# (HTML page and JSON twin), with crates/bench's `web_load` (closed loop, keep-alive).
#
# Environment:
#   WEB_LOAD_DIR      workspace directory (default /tmp/anchornet-web-load; reused if present)
#   WEB_LOAD_CLIENTS  concurrent clients (default 50)
#   WEB_LOAD_SECONDS  seconds per path (default 20)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${WEB_LOAD_DIR:-/tmp/anchornet-web-load}"
clients="${WEB_LOAD_CLIENTS:-50}"
secs="${WEB_LOAD_SECONDS:-20}"
port=18181
export ANCHORNET_PASSWORD="bench-password-1"

cd "$root"
cargo build --release -q -p anchornet -p anchornet-bench
target="${CARGO_TARGET_DIR:-$root/target}/release"

log="$dir.log"
mkdir -p "$dir"
"$target/anchornet" demo --serve --out "$dir" --bind "127.0.0.1:$port" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
    grep -q "listening on" "$log" && break
    sleep 1
done
grep -q "listening on" "$log" || { cat "$log" >&2; exit 1; }

# Sign in as the admin.
. "$root/bench/sign_in.sh"
base="http://127.0.0.1:$port"
session="$(sign_in "$base" admin)"
payments="$(curl -s -H "Cookie: $session" "$base/overview.json" | grep -o '"payments":[0-9]*' | head -1 | cut -d: -f2)"

echo "network loaded: $payments payments; $(nproc) cores; $clients clients, ${secs}s per path"
echo
echo "| path | clients | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
# Warm up (not reported).
"$target/web_load" --addr "127.0.0.1:$port" --path /overview --cookie "$session" --clients 4 --seconds 2 >/dev/null
for path in /overview /overview.json "/overview?year=2024/25&anchor=3"; do
    "$target/web_load" --addr "127.0.0.1:$port" --path "$path" --cookie "$session" --clients "$clients" --seconds "$secs"
done
