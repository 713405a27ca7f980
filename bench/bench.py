#!/usr/bin/env python3
"""Ingest benchmark: the durable floor vs `warehouse ingest`, side by side in one run.

For each server and size it generates a daily series of two snapshots with `warehouse generate
--snapshots 2` (fixed seed: the next day adds, changes and drops orders), then on that server:
  floor    psql \\copy of the first file into a LOGGED table with typed columns and a primary key
  first    `warehouse ingest` into an empty warehouse (fresh database)
  reload   `warehouse ingest` of the same snapshot again (skipped: it is what the warehouse holds)
  force    `warehouse ingest --force` of the same snapshot (full re-merge, zero changes)
  next-day `warehouse ingest` of the next day's snapshot (new, changed and dropped orders)
and prints seconds, ratios to the floor and the peak RSS of each `warehouse ingest`. With
--baseline BIN, an earlier build runs the same steps in the same run, for before/after ratios.

Servers: "embedded" (the tool's own cluster, `warehouse db url`, or DATABASE_URL when set) and
"stock" (a PostgreSQL started here with the distribution's defaults, wal_level=replica, reached
as a non-superuser by URL). Then, over the largest embedded warehouse, it times the report
queries, `export-sqlite`, and the dashboard's responses.

Usage: bench/bench.py [--sizes 1000000,5000000] [--runs 3] [--servers embedded,stock] [--baseline BIN]
       (--sizes 20000000 shows how time and memory grow; it needs ~2 GB of disk per file)
"""
import argparse
import atexit
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from stock_server import StockServer  # noqa: E402
import export_bench  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release", "warehouse")


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def embedded_url():
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    return run([BIN, "db", "url"]).stdout.strip()


def with_database(url, name):
    """The same server's URL with another database name (URL or query-string forms)."""
    if "dbname=" in url:
        return re.sub(r"dbname=[^&\s]*", "dbname=" + name, url)
    m = re.match(r"^(postgres(?:ql)?://[^/?]*)(/[^?]*)?(\?.*)?$", url)
    if not m:
        sys.exit("bench: cannot derive a database URL from DATABASE_URL")
    return m.group(1) + "/" + name + (m.group(3) or "")


def psql(url, *args):
    return run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, *args])


def timed(cmd, env=None):
    """Wall seconds and peak RSS (MB) of a command, via /usr/bin/time."""
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], text=True, capture_output=True, env=env)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed:\n{proc.stderr}")
    rss_kb = int(proc.stderr.strip().splitlines()[-1])
    return elapsed, rss_kb / 1024, proc.stdout


def fresh_database(admin_url, name):
    psql(admin_url, "-c", f'drop database if exists "{name}"', "-c", f'create database "{name}"')
    return with_database(admin_url, name)


def measure_loads(name, binary, admin, size, day1, day2, home):
    """first, reload, force, next-day with one build on one server; seconds, peak RSS, next-day summary."""
    env = {**os.environ, "WAREHOUSE_HOME": home}
    # One database per build: the read benches that follow use the current build's.
    url = fresh_database(admin, f"bench_wh_{name}_{size}")
    run([binary, "migrate", "--database-url", url, "-q"], env=env)
    times, rss = {}, []
    for step, extra, path in [("first", [], day1), ("reload", [], day1), ("force", ["--force"], day1), ("next", [], day2)]:
        t, r, out = timed([binary, "ingest", "--database-url", url, "--json", "-q", *extra, path], env=env)
        times[step] = t
        rss.append(r)
    return times, max(rss), json.loads(out), url


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000000,5000000")
    parser.add_argument("--runs", type=int, default=3, help="repetitions per measurement (median reported)")
    parser.add_argument("--servers", default="embedded,stock")
    parser.add_argument("--baseline", help="an earlier build of warehouse to measure side by side")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark databases")
    parser.add_argument("--loads-only", action="store_true", help="measure the loads only: no export, reports or dashboard")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    servers = args.servers.split(",")
    builds = [("now", BIN)] + ([("baseline", os.path.abspath(args.baseline))] if args.baseline else [])

    if not os.path.exists(BIN):
        sys.exit("bench: build first: make release")
    work = tempfile.mkdtemp(prefix="warehouse-bench-")
    # The generated files take gigabytes at 5M and 20M rows: gone when the bench ends, however it ends.
    if not args.keep:
        atexit.register(shutil.rmtree, work, True)
    stock = StockServer().start() if "stock" in servers else None
    results = []
    export_results = []
    last_url = None
    baseline_url = None
    try:
        for size in sizes:
            customers = max(1000, size // 25)
            snapshots = os.path.join(work, f"snap-{size}")
            run([BIN, "generate", "--orders", str(size), "--customers", str(customers), "--seed", "42",
                 "--snapshots", "2", "--out-dir", snapshots])
            files = sorted(os.path.join(snapshots, f) for f in os.listdir(snapshots) if f.endswith(".csv"))
            day1, day2 = files[0], files[1]
            mb = os.path.getsize(day1) / 1e6
            for server in servers:
                admin = stock.url if server == "stock" else embedded_url()
                floors = []
                per_build = {name: {"first": [], "reload": [], "force": [], "next": [], "rss": []} for name, _ in builds}
                summaries = {}
                for _ in range(args.runs):
                    floor_url = fresh_database(admin, f"bench_floor_{size}")
                    psql(floor_url, "-c", "create table orders (customer_name text, order_id bigint primary key, "
                         "price numeric(12,2), order_date date, product_id text, passenger_count integer)")
                    start = time.perf_counter()
                    psql(floor_url, "-c", f"\\copy orders from '{day1}' with (format csv, header true)")
                    floors.append(time.perf_counter() - start)
                    if not args.keep:
                        psql(admin, "-c", f'drop database "bench_floor_{size}"')
                    for name, binary in builds:
                        home = tempfile.mkdtemp(prefix=f"home-{name}-", dir=work)
                        times, rss, summary, url = measure_loads(name, binary, admin, size, day1, day2, home)
                        for step, t in times.items():
                            per_build[name][step].append(t)
                        per_build[name]["rss"].append(rss)
                        summaries[name] = summary
                        if server == "embedded" and name == "now":
                            last_url = url
                        if server == "embedded" and name == "baseline":
                            baseline_url = url
                if server == "embedded":
                    # The loads leave the embedded cluster's shared buffers full of dirty pages: its next
                    # checkpoint would write them while the stock server is measured, on the same disk.
                    try:
                        psql(admin, "-c", "checkpoint")
                    except subprocess.CalledProcessError:
                        print("bench: could not checkpoint the embedded cluster (not a superuser?)", file=sys.stderr)
                floor = statistics.median(floors)
                for name, _ in builds:
                    m = per_build[name]
                    results.append({"server": server, "build": name, "rows": size, "mb": mb, "floor": floor,
                                    **{k: statistics.median(m[k]) for k in ["first", "reload", "force", "next"]},
                                    "rss": max(m["rss"]), "next_summary": summaries[name]})
            if "embedded" in servers and not args.loads_only:  # full and incremental export-sqlite: bench/export_bench.py
                export_results.append(export_bench.measure(BIN, builds[-1][1] if args.baseline else None,
                                                           fresh_database(embedded_url(), "bench_export"), size, day1, day2, work))
    finally:
        if stock:
            stock.stop()

    print()
    if stock:
        print(f"stock server: PostgreSQL {stock.settings}, non-superuser by URL")
    print(f"{'server':>8} {'build':>8} {'rows':>9} {'MB':>5} {'floor s':>8} {'first s':>8} {'x':>5} {'reload s':>9} {'x':>5} "
          f"{'force s':>8} {'x':>5} {'next-day s':>10} {'x':>5} {'peak RSS MB':>12}")
    for r in results:
        f = r["floor"]
        print(f"{r['server']:>8} {r['build']:>8} {r['rows']:>9} {r['mb']:>5.0f} {f:>8.2f} {r['first']:>8.2f} {r['first']/f:>5.2f} "
              f"{r['reload']:>9.2f} {r['reload']/f:>5.2f} {r['force']:>8.2f} {r['force']/f:>5.2f} "
              f"{r['next']:>10.2f} {r['next']/f:>5.2f} {r['rss']:>12.1f}")
    print("goals: next-day <= 0.8x floor, force <= 0.8x, first <= 1.5x, peak RSS <= 150 MB at 5M")
    for r in results:
        if r["build"] != "now":
            continue
        n = r["next_summary"]
        phases = ", ".join(f"{p['name']} {p['seconds']:.2f}" for p in n.get("phases", []) if p["seconds"] >= 0.05)
        print(f"next-day, {r['server']}, {r['rows']} rows: inserted {n['inserted']}, updated {n['updated']}, "
              f"unchanged {n['unchanged']}, removed {n.get('removed')}, restored {n.get('restored')}; {phases}")

    if last_url and not args.loads_only:
        print()
        env = {**os.environ, "DATABASE_URL": last_url}
        subprocess.run(["bash", os.path.join(ROOT, "bench", "report_bench.sh")], env=env)
        print()
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "window_bench.py")], env=env)
        print()
        export_bench.report(export_results)
        print()
        # The latest order's day: its week is one the loads keep ready (migration 0007); three days
        # earlier is a week they do not, aggregated from the facts when first asked.
        latest, earlier = psql(last_url, "-At", "-c",
                               "select max(order_date), max(order_date) - 3 from warehouse.fact_orders").stdout.strip().split("|")
        subprocess.run(["bash", os.path.join(ROOT, "bench", "dashboard_bench.sh"), "-n", "10", "--as-of", latest], env=env)
        print()
        print("the same for a week the loads do not keep ready:")
        subprocess.run(["bash", os.path.join(ROOT, "bench", "dashboard_bench.sh"), "-n", "10", "--as-of", earlier], env=env)
        print()
        print("and for 30 days the loads do not keep ready:")
        subprocess.run(["bash", os.path.join(ROOT, "bench", "dashboard_bench.sh"), "-n", "10", "--as-of", earlier,
                        "--days", "30"], env=env)
        if baseline_url:
            print()
            print("the same 30 days with the baseline build, on its own warehouse:")
            subprocess.run(["bash", os.path.join(ROOT, "bench", "dashboard_bench.sh"), "-n", "10", "--as-of", earlier,
                            "--days", "30", "--bin", builds[1][1]], env={**os.environ, "DATABASE_URL": baseline_url})
        for days in ("90", "365"):
            print()
            print(f"and for {days} days:")
            subprocess.run(["bash", os.path.join(ROOT, "bench", "dashboard_bench.sh"), "-n", "5", "--as-of", earlier,
                            "--days", days], env=env)
        if not args.keep:
            # The stock server is gone by now (stopped above); its databases went with it.
            for size in sizes:
                for name, _ in builds:
                    psql(embedded_url(), "-c", f'drop database if exists "bench_wh_{name}_{size}"')
            psql(embedded_url(), "-c", 'drop database if exists "bench_export"')


if __name__ == "__main__":
    main()
