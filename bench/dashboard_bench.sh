#!/usr/bin/env bash
# Dashboard response times: GET / and the API endpoints, median of N curl runs each.
#
# Usage: DATABASE_URL=postgresql://… bench/dashboard_bench.sh [-n RUNS] [--as-of YYYY-MM-DD] [--days N] [--url URL] [--bin PATH]
#
# Without --url it starts `warehouse serve` itself on a free loopback port against DATABASE_URL,
# twice: once as shipped (results kept until the next load, see docs/dashboard.md) and once with
# --no-cache (every request reads PostgreSQL), so both numbers are visible. For each endpoint it
# prints the first request's time ("first", the cache empty) and the median of RUNS more.
# With --url it measures that running server only (its cache as it is).
# Goal: under 200 ms per request at 5M facts.
set -euo pipefail

runs=20
as_of=""
url=""
root=$(cd "$(dirname "$0")/.." && pwd)
days=""
bin="$root/.build/release/warehouse"
[ -x "$bin" ] || bin="$root/.build/debug/warehouse"

while [ $# -gt 0 ]; do
    case "$1" in
        -n|--runs) runs=$2; shift 2 ;;
        --as-of) as_of=$2; shift 2 ;;
        --days) days=$2; shift 2 ;;
        --url) url=${2%/}; shift 2 ;;
        --bin) bin=$2; shift 2 ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

command -v curl >/dev/null || { echo "curl is required" >&2; exit 2; }
if [ -z "$url" ] && [ -z "${DATABASE_URL:-}" ]; then
    echo "set DATABASE_URL to the warehouse to measure (or give --url of a running dashboard)" >&2
    exit 2
fi

# The as-of day: the newest order's, so the weekly window is full (psql if available).
if [ -z "$as_of" ] && [ -n "${DATABASE_URL:-}" ] && command -v psql >/dev/null; then
    as_of=$(psql -X -A -t -w -d "$DATABASE_URL" -c "select max(order_date) from warehouse.fact_orders" 2>/dev/null || true)
fi
as_of=${as_of:-$(date -u +%F)}

window="as_of=$as_of${days:+&days=$days}"
endpoints=(
    "/?$window"
    "/api/summary?$window"
    "/api/reports/total-orders?limit=10"
    "/api/reports/most-recent-order?limit=10"
    "/api/reports/top-customers?$window&limit=10"
    "/reports/top-customers.csv?$window&limit=100"
    "/healthz"
)

# Milliseconds for one GET, failing loudly on anything but 200.
fetch_ms() {
    local out code seconds
    out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' ${TOKEN:+-H "Authorization: Bearer $TOKEN"} "$1")
    code=${out%% *}
    seconds=${out#* }
    [ "$code" = 200 ] || { echo "GET $1 answered $code" >&2; exit 1; }
    awk -v s="$seconds" 'BEGIN { printf "%.1f", s * 1000 }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

measure() {  # $1 base URL, $2 label
    printf '\n%s (as of %s, %d runs)\n' "$2" "$as_of" "$runs"
    printf '%-52s %10s %10s\n' endpoint "first ms" "median ms"
    for endpoint in "${endpoints[@]}"; do
        first=$(fetch_ms "$1$endpoint")
        times=$(for _ in $(seq "$runs"); do fetch_ms "$1$endpoint"; echo; done | median)
        printf '%-52s %10s %10s\n' "$endpoint" "$first" "$times"
    done
}

server_pid=""
stop_server() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=""
}
trap stop_server EXIT

start_server() {  # extra serve flags; sets base
    local port
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$bin" serve --quiet --database-url "$DATABASE_URL" --port "$port" "$@" >/dev/null &
    server_pid=$!
    base="http://127.0.0.1:$port"
    for _ in $(seq 100); do
        curl -s -o /dev/null "$base/healthz" && return 0
        sleep 0.1
    done
    echo "warehouse serve did not start" >&2
    exit 1
}

if [ -n "$url" ]; then
    measure "$url" "running dashboard at $url"
    exit 0
fi

facts=$(psql -X -A -t -w -d "$DATABASE_URL" -c "select count(*) from warehouse.fact_orders" 2>/dev/null || echo "?")
echo "warehouse: $facts facts; binary: $bin"
start_server
measure "$base" "as shipped: results kept until the next load"
stop_server
start_server --no-cache
measure "$base" "--no-cache: every request reads PostgreSQL"
