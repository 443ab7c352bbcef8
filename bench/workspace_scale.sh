#!/usr/bin/env bash
# bench/workspace_scale.sh — the workspace at scale (issue 18; docs/benchmarks.md, "Workspace at
# scale"): the 16 ODI Leeds publishers of bench/networks/odileeds.toml (12.3 M payments) imported
# with `anchornet import` into a fresh workspace on BACKEND (sqlite or postgres), then the
# overview, a supplier page and an anchor page served by `anchornet serve` on loopback under
# 50 concurrent signed-in clients with crates/bench's `web_load` (closed loop, keep-alive), as the
# admin, and the anchor page again as a viewer.
# Prints the import rate per file and overall, the latency table and the server's peak RSS
# (VmHWM), then removes the workspace (and for postgres, the database it created).
#
# Usage: bench/workspace_scale.sh sqlite|postgres
# Environment:
#   WS_DIR        workspace directory (default /tmp/wsscale-BACKEND; must not exist)
#   WS_PG_ADMIN   PostgreSQL server URL for create/drop (default postgres://postgres@127.0.0.1:5432/test)
#   WS_PG_DB      database created for the run and dropped after (default wsscale)
#   WS_ANCHORS    how many of the network's anchors to import, in file order (default all 16)
#   WS_CLIENTS    concurrent clients (default 50);  WS_SECONDS  seconds per path (default 20)
#   WS_KEEP=1     keep the workspace / database afterwards
set -euo pipefail
backend="${1:?usage: workspace_scale.sh sqlite|postgres}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${WS_DIR:-/tmp/wsscale-$backend}"
clients="${WS_CLIENTS:-50}"
secs="${WS_SECONDS:-20}"
nanchors="${WS_ANCHORS:-99}"
pg_admin="${WS_PG_ADMIN:-postgres://postgres@127.0.0.1:5432/test}"
pg_db="${WS_PG_DB:-wsscale}"
port=18191
net="$root/bench/networks/odileeds.toml"
export ANCHORNET_PASSWORD="bench-password-1"

cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}/release"
# Build what is missing (release), before timing anything: the binary and crates/bench's web_load.
[ -x "$target/anchornet" ] || cargo build --release -q -p anchornet
[ -x "$target/web_load" ] || cargo build --release -q -p anchornet-bench
an="$target/anchornet"

[ -e "$dir" ] && { echo "$dir exists; remove it or set WS_DIR" >&2; exit 2; }
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
    if [ "${WS_KEEP:-0}" != 1 ]; then
        rm -rf "$dir"
        [ "$backend" = postgres ] && psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS $pg_db" || true
    fi
}
trap cleanup EXIT

echo "date: $(date -u +'%Y-%m-%d %H:%M UTC'); $(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$an" init --place Leeds --wider "Yorkshire and The Humber" --name "ODI Leeds publishers (benchmark)" "$dir" >/dev/null
case "$backend" in
    sqlite)
        # The SQLite file's default cap (4 GiB) is below what 12.3 M payments need.
        sed -i 's/^# database_max_mib = .*/database_max_mib = 32768/' "$dir/anchornet.toml" ;;
    postgres)
        psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS $pg_db" -c "CREATE DATABASE $pg_db"
        url="${pg_admin%/*}/$pg_db"
        sed -i "s|^# database_url = .*|database_url = \"$url\"|" "$dir/anchornet.toml" ;;
    *) echo "backend: sqlite or postgres" >&2; exit 2 ;;
esac
sed -i 's/^secure_cookies = true/secure_cookies = false/' "$dir/anchornet.toml"

# Anchors and their files, in the network file's order: "name<TAB>kind<TAB>file".
mapfile -t anchors < <(awk -v d="$(dirname "$net")" -F' = ' '
    /^\[\[anchor\]\]/ {n=""; k=""}
    $1=="name" && n=="" && seen {n=$2; gsub(/"/,"",n)}
    /^\[\[anchor\]\]/ {seen=1}
    $1=="kind" {k=$2; gsub(/"/,"",k)}
    $1=="payments" {p=$2; gsub(/[]["]/,"",p); print n "\t" k "\t" d "/" p}' "$net" | head -n "$nanchors")

echo
echo "| anchor | rows accepted | seconds | rows/s |"
echo "|---|---:|---:|---:|"
total_rows=0; t_all0=$(date +%s.%N)
for line in "${anchors[@]}"; do
    IFS=$'\t' read -r name kind file <<<"$line"
    "$an" anchor add --workspace "$dir" --kind "$kind" "$name" >/dev/null
    t0=$(date +%s.%N)
    out="$("$an" import --workspace "$dir" --anchor "$name" "$file")"
    t1=$(date +%s.%N)
    rows="$(grep -o '[0-9]* of [0-9]* rows accepted' <<<"$out" | awk '{s+=$1} END {print s+0}')"
    total_rows=$((total_rows + rows))
    awk -v n="$name" -v r="$rows" -v a="$t0" -v b="$t1" 'BEGIN {printf "| %s | %d | %.1f | %.0f |\n", n, r, b-a, r/(b-a)}'
done
t_all1=$(date +%s.%N)
awk -v r="$total_rows" -v a="$t_all0" -v b="$t_all1" 'BEGIN {printf "| **all %s** | %d | %.1f | %.0f |\n", "'"${#anchors[@]}"'", r, b-a, r/(b-a)}'
[ "$backend" = sqlite ] && echo "database file: $(du -h "$dir/anchornet.db" | cut -f1)"
[ "$backend" = postgres ] && echo "database size: $(psql -At "${pg_admin%/*}/$pg_db" -c "SELECT pg_size_pretty(pg_database_size('$pg_db'))")"

"$an" user add --workspace "$dir" --role admin admin >/dev/null
"$an" user add --workspace "$dir" --role viewer viewer >/dev/null
log="$dir/serve.log"
t_srv0=$(date +%s.%N)
"$an" serve --workspace "$dir" --bind "127.0.0.1:$port" --insecure-cookies >"$log" 2>&1 &
server=$!
for _ in $(seq 1 900); do grep -q "listening on" "$log" && break; sleep 1; done
grep -q "listening on" "$log" || { cat "$log" >&2; exit 1; }
base="http://127.0.0.1:$port"
. "$root/bench/sign_in.sh"
session="$(sign_in "$base" admin)"
viewer="$(sign_in "$base" viewer)"
# The first overview waits for the analysis of the whole network: time it.
t_first0=$(date +%s.%N)
payments="$(curl -s -m 1800 -H "Cookie: $session" "$base/overview.json" | grep -o '"payments":[0-9]*' | head -1 | cut -d: -f2)"
t_first1=$(date +%s.%N)
awk -v a="$t_srv0" -v b="$t_first0" -v c="$t_first1" 'BEGIN {printf "server start to listening+sign-in: %.1f s; first /overview.json: %.1f s\n", b-a, c-b}'
echo "overview payments: ${payments:-?}"
# The supplier page: the first link of /suppliers (the largest supplier by spend); the anchor
# page: Leeds, the anchor with the most payments (id 7: anchors are added in file order).
supplier="$(curl -s -H "Cookie: $session" "$base/suppliers" | grep -o 'href="/suppliers/[^"?]*"' | head -1 | sed 's/^href="//;s/"$//;s/&amp;/\&/g' || true)"
anchor_id=7
echo "supplier page: ${supplier:-none found}; anchor page: /anchors/$anchor_id"

echo
echo "| path | clients | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
"$target/web_load" --addr "127.0.0.1:$port" --path /overview --cookie "$session" --clients 4 --seconds 2 >/dev/null
for path in /overview ${supplier:+"$supplier"} "/anchors/$anchor_id"; do
    "$target/web_load" --addr "127.0.0.1:$port" --path "$path" --cookie "$session" --clients "$clients" --seconds "$secs"
done
# The anchor page as a viewer (no largest-payments table: figures from the snapshot only).
"$target/web_load" --addr "127.0.0.1:$port" --path "/anchors/$anchor_id" --cookie "$viewer" --clients "$clients" --seconds "$secs" | sed 's/^| `\([^`]*\)`/| `\1` (viewer)/'

echo
vmhwm="$(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' /proc/$server/status)"
cp "$log" "/tmp/wsscale-$backend.serve.log"   # kept: the server's log of the run
echo "server peak RSS (VmHWM): $vmhwm; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
