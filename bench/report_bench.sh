#!/usr/bin/env bash
# Times the queries `warehouse report` runs, over the warehouse in DATABASE_URL (or --url).
#
#   bench/report_bench.sh [--url URL] [--as-of YYYY-MM-DD] [--days N] [--runs N] [--explain]
#
# Each query is the one ReportQuery sends (same SQL; values as psql variables rather than $n),
# run once to warm the cache and then --runs times on one connection; the median, min and max
# of psql's \timing are printed in ms. The time is what a client waits for: execution plus
# sending every row, which is why the "all rows" lines grow with the number of customers.
# --as-of defaults to the latest order date, so the window is full and is one of the weeks each
# load keeps ready (migration 0007); "week not kept" ends 3 days earlier and is aggregated from
# the facts when asked, as any other window is. --explain also prints
# EXPLAIN (ANALYZE, BUFFERS) for each query. Read-only: nothing in the database changes.
set -euo pipefail

url="${DATABASE_URL:-}"
as_of=""
days=7
runs=7
explain=0
while [ $# -gt 0 ]; do
    case "$1" in
        --url) url="$2"; shift 2 ;;
        --as-of) as_of="$2"; shift 2 ;;
        --days) days="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --explain) explain=1; shift ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "report_bench: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
[ -n "$url" ] || { echo "report_bench: set DATABASE_URL or pass --url" >&2; exit 2; }
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "report_bench: --runs takes a positive number" >&2; exit 2; }
[[ "$days" =~ ^[1-9][0-9]*$ ]] || { echo "report_bench: --days takes a positive number" >&2; exit 2; }
if [ -n "$as_of" ] && ! [[ "$as_of" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]]; then
    echo "report_bench: --as-of takes YYYY-MM-DD" >&2; exit 2
fi

# Values reach SQL only as psql variables quoted by psql (:'as_of'), never pasted.
psql_run() { psql -X -q -w -v ON_ERROR_STOP=1 -v as_of="$as_of" -v days="$days" -d "$url" "$@"; }

if [ -z "$as_of" ]; then
    as_of=$(psql_run -At -c "select coalesce(max(order_date), current_date) from warehouse.fact_orders")
fi

# name|setup|query: the statements of ReportQuery for the CLI's defaults and for all rows, with
# the settings ReportQuery makes first. (fetch = limit + 1: the CLI reads one row more to know
# whether the limit cut anything.)
queries=(
"total-orders (all rows)||select customer_name, total_orders, total_value, first_order_date, last_order_date
 from reporting.total_orders_per_customer order by total_orders desc, customer_name limit null"
"total-orders --limit 10|set max_parallel_workers_per_gather = 0;|select customer_name, total_orders, total_value, first_order_date, last_order_date
 from reporting.total_orders_per_customer order by total_orders desc, customer_name limit 11"
"most-recent-order (all rows)||select customer_name, order_id, order_date, product_id, price, passenger_count
 from reporting.most_recent_order_per_customer order by order_date desc, order_id desc limit null"
"most-recent-order --limit 10||select customer_name, order_id, order_date, product_id, price, passenger_count
 from reporting.most_recent_order_per_customer order by order_date desc, order_id desc limit 11"
"top-customers (limit 10)||select rank, customer_name, total_value, order_count
 from reporting.top_customers(:'as_of'::date, :'days'::integer, 11) order by rank, customer_name"
"top-customers, week not kept||select rank, customer_name, total_value, order_count
 from reporting.top_customers(:'as_of'::date - 3, :'days'::integer, 11) order by rank, customer_name"
"top-customers --limit all||select rank, customer_name, total_value, order_count
 from reporting.top_customers(:'as_of'::date, :'days'::integer, null) order by rank, customer_name"
"view top_customers_last_week||select * from reporting.top_customers_last_week"
)

# (Queries go through standard input: psql expands :'variables' there, not in -c.)
psql_run -At -F ' ' <<<"select count(*), (select count(*) from warehouse.dim_customers),
        (select count(*) from warehouse.fact_orders where order_date between :'as_of'::date - (:'days'::integer - 1) and :'as_of'::date)
    from warehouse.fact_orders" | {
    read -r facts customers window
    echo "warehouse: $facts facts, $customers customers; window $days days ending $as_of: $window orders; $runs runs each"
}
printf '%-30s %9s %11s %9s %9s\n' "query" "rows" "median ms" "min ms" "max ms"

for entry in "${queries[@]}"; do
    IFS='|' read -r name setup query <<<"$entry"
    query="${entry#*|*|}"
    script="set warehouse.as_of = :'as_of';"$'\n'"$setup"$'\n'"select count(*) from ($query) as q;"$'\n'"\\timing on"$'\n'"\\o /dev/null"$'\n'
    for _ in $(seq 0 "$runs"); do script+="$query;"$'\n'; done
    output=$(psql_run -At <<<"$script")
    rows=$(head -n 1 <<<"$output")
    # The first timed run warms the cache and is dropped.
    times=$(grep -oE '^Time: [0-9.]+' <<<"$output" | awk 'NR > 1 { print $2 }' | sort -n)
    stats=$(awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%11.1f %9.1f %9.1f", m, v[1], v[NR] }' <<<"$times")
    printf '%-30s %9s %s\n' "$name" "$rows" "$stats"
done

if [ "$explain" = 1 ]; then
    for entry in "${queries[@]}"; do
        echo
        IFS='|' read -r name setup _ <<<"$entry"
        echo "== $name"
        psql_run <<<"set warehouse.as_of = :'as_of';"$'\n'"$setup"$'\n'"explain (analyze, buffers) ${entry#*|*|};"
        if [[ "$entry" == *top_customers* ]]; then
            # reporting.top_customers is not inlined (it carries SET clauses), so EXPLAIN shows only
            # a Function Scan; auto_explain prints the plan inside it (needs LOAD rights: superuser).
            echo "-- the plan inside reporting.top_customers (auto_explain):"
            psql -X -q -w -v as_of="$as_of" -v days="$days" -d "$url" 2>&1 >/dev/null <<<"set warehouse.as_of = :'as_of';
load 'auto_explain';
set auto_explain.log_nested_statements = on;
set auto_explain.log_analyze = on;
set auto_explain.log_buffers = on;
set auto_explain.log_min_duration = 0;
set client_min_messages = log;
${entry#*|*|};" | sed -n '/^LOG:  duration/,$p' | grep -v '^ *--' || true
        fi
    done
fi
