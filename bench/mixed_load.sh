#!/usr/bin/env bash
# bench/mixed_load.sh — the workspace under mixed load (issue 17; docs/security.md, "Load"):
# `anchornet serve` (release) on loopback over a fresh SQLite workspace holding Salford's and
# Manchester's April–June 2021 payments (data/demo), then crates/bench's `web_mixed`: 200
# clients on keep-alive connections for 5 minutes, reading pages, their CSV/JSON twins and the
# public view, one client in ten importing the demo's other monthly files (each once, then
# again as a recognised duplicate). Stops by itself. Prints requests, errors by status,
# latency percentiles and the server's peak RSS.
#
# Usage: bench/mixed_load.sh [--seconds 300] [--clients 200] [--postgres URL]
#   --postgres URL   use PostgreSQL instead of SQLite (e.g. postgres://postgres@127.0.0.1/test);
#                    restarting PostgreSQL during the run is done by hand, from another shell.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
secs=300
clients=200
pg=""
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) secs="$2"; shift 2 ;;
        --clients) clients="$2"; shift 2 ;;
        --postgres) pg="$2"; shift 2 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done
target="${CARGO_TARGET_DIR:-$root/target}/release"
[ -x "$target/anchornet" ] && [ -x "$target/web_mixed" ] || {
    echo "build first: cargo build --release -p anchornet -p anchornet-bench" >&2
    exit 2
}
dir="$(mktemp -d /tmp/anchornet-mixed-XXXXXX)"
export ANCHORNET_WORKSPACE="$dir" ANCHORNET_PASSWORD="load-test-password-7"
demo="$root/data/demo/spend"

if [ -n "$pg" ]; then
    export ANCHORNET_DATABASE_URL="$pg"
fi
"$target/anchornet" init "$dir" --place Salford >/dev/null
"$target/anchornet" anchor add "Salford City Council" --kind council >/dev/null
"$target/anchornet" anchor add "Manchester City Council" --kind council >/dev/null
"$target/anchornet" user add admin --role admin >/dev/null
"$target/anchornet" import --anchor "Salford City Council" "$demo/salford/harmonised-2021-04-to-06.csv.xz" >/dev/null
"$target/anchornet" import --anchor "Manchester City Council" "$demo/manchester/harmonised-2021-04-to-05.csv.xz" >/dev/null

log="$dir/serve.log"
"$target/anchornet" serve --bind 127.0.0.1:0 --insecure-cookies >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 120); do
    grep -q "listening on" "$log" && break
    sleep 1
done
addr="$(grep -o 'listening on http://[0-9.:]*' "$log" | sed 's|listening on http://||')"
[ -n "$addr" ] || { cat "$log" >&2; exit 1; }

# Sign in as the admin (the form's pre-session token, then the session cookie).
jar="$(mktemp)"
base="http://$addr"
token="$(curl -s -c "$jar" "$base/login" | grep -o 'name="csrf" value="[^"]*"' | sed 's/.*value="//;s/"$//')"
curl -s -b "$jar" -c "$jar" -o /dev/null -d "csrf=$token&username=admin&password=$ANCHORNET_PASSWORD&next=/overview" "$base/login"
session="anchornet_session=$(awk '$6 == "anchornet_session" {print $7}' "$jar")"
rm -f "$jar"

imports=()
for f in "$demo"/salford/20*.csv.xz; do imports+=(--import "1:$f"); done
for f in "$demo"/manchester/20*.csv.xz; do imports+=(--import "2:$f"); done
echo "server pid $server on $addr; $(nproc) cores; workspace $dir"
"$target/web_mixed" --addr "$addr" --cookie "$session" --pid "$server" \
    --clients "$clients" --seconds "$secs" "${imports[@]}"
