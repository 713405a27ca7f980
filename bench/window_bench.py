#!/usr/bin/env python3
"""Top customers for random windows: server time of reporting.top_customers and the whole
`warehouse report top-customers` process, over the warehouse in DATABASE_URL (or --url).

  bench/window_bench.py [--url URL] [--binary BIN] [--windows 20] [--seed 42]

Windows of 1-31 days end on days drawn from the loaded range (the same windows for the same seed
and data); each is asked once, as a first request, with limit 10. Then a few longer windows (60,
90 and 180 days), which are correct but cost more, and limits of 20, 50 and 100 (the dashboard's
deeper tables) for 7, 30 and 90 days. Prints the median, 90th percentile and largest
server time (psql's \\timing, one connection), and the median wall time of the report process.
Read-only: nothing in the database changes.
"""
import argparse
import datetime
import os
import random
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def psql(url, script):
    return subprocess.run(["psql", "-X", "-q", "-w", "-At", "-v", "ON_ERROR_STOP=1", "-d", url],
                          input=script, text=True, capture_output=True, check=True).stdout


def server_times(url, windows, limit=10):
    """Milliseconds per window, each asked once on one connection (values are date and integer literals)."""
    script = "\\timing on\n\\o /dev/null\n" + "".join(
        f"select * from reporting.top_customers('{end}'::date, {days}::integer, {limit});\n" for end, days in windows)
    out = psql(url, script)
    return [float(t) for t in re.findall(r"^Time: ([0-9.]+)", out, re.M)]


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "warehouse"))
    parser.add_argument("--windows", type=int, default=20)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    if not args.url:
        sys.exit("window bench: set DATABASE_URL or pass --url")
    first, last = psql(args.url, "select min(order_date), max(order_date) from warehouse.fact_orders").strip().split("|")
    if not first:
        sys.exit("window bench: the warehouse holds no orders")
    last_day = datetime.date.fromisoformat(last)
    days_in_data = (last_day - datetime.date.fromisoformat(first)).days + 1
    pick = random.Random(args.seed)
    windows = []
    for _ in range(args.windows):
        days = pick.randint(1, 31)
        back = pick.randint(0, max(0, days_in_data - days))
        windows.append(((last_day - datetime.timedelta(days=back)).isoformat(), days))
    short = server_times(args.url, windows)
    process = []
    for end, days in windows:
        started = time.perf_counter()
        subprocess.run([args.binary, "report", "top-customers", "--database-url", args.url, "--as-of", end,
                        "--days", str(days), "--limit", "10", "--quiet"], check=True, capture_output=True)
        process.append((time.perf_counter() - started) * 1000)
    print(f"top customers, {len(windows)} random windows of 1-31 days in {first} .. {last}, limit 10, first request each:")
    print(f"  server ms: median {statistics.median(short):.1f}, p90 {percentile(short, 0.9):.1f}, max {max(short):.1f}"
          f"   (goal: median <= 50)")
    print(f"  `warehouse report` process ms: median {statistics.median(process):.1f}, max {max(process):.1f}"
          f"   (goal: <= 100)")
    longer = [(last, days) for days in (60, 90, 180)]
    for (end, days), ms in zip(longer, server_times(args.url, longer)):
        print(f"  {days} days to {end}: {ms:.1f} ms")
    # The dashboard offers 5-100 rows: deeper rankings of windows the loads do not keep.
    earlier = (last_day - datetime.timedelta(days=3)).isoformat()
    for limit in (20, 50, 100):
        deeper = [(earlier, days) for days in (7, 30, 90)]
        times = server_times(args.url, deeper, limit)
        print(f"  limit {limit}, to {earlier}: " + ", ".join(f"{days} days {ms:.1f} ms" for (_, days), ms in zip(deeper, times)))


if __name__ == "__main__":
    main()
