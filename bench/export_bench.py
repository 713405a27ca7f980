#!/usr/bin/env python3
"""export-sqlite benchmark: full and incremental export against the sqlite3 CLI, side by side in one run.

For each size, on one PostgreSQL server:
  import       the sqlite3 CLI's `.import --csv` of the day-1 snapshot into a table whose order_id is
               the INTEGER PRIMARY KEY: the floor for "the same rows into SQLite"
  full         `warehouse export-sqlite --full` of the warehouse holding day 1 (new file, renamed in place)
  baseline     the same with an earlier build (--baseline), in the same run
  incremental  after `warehouse ingest` of day 2 (new, changed and removed orders), `export-sqlite` of
               the day-1 file: brought up to date in place, writing only what changed
  full day 2   `export-sqlite --full` of the day-2 warehouse, for comparison
Prints seconds, ratios to the import, peak RSS, and what the incremental export wrote. After each
load the warehouse is settled (VACUUM ANALYZE, CHECKPOINT) before anything is timed.

bench/bench.py calls measure() and report() for each size it loads; alone:
  bench/export_bench.py [--sizes 1000000,5000000] [--runs 1] [--baseline BIN] [--database-url URL]
"""
import argparse
import atexit
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release", "warehouse")
AS_OF = "2023-12-10"


def _run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


class BaselineRefused(Exception):
    pass


def _timed(cmd, stdin=None, refusal_ok=False):
    """Wall seconds, peak RSS (MB) and stdout of a command, via /usr/bin/time."""
    # The previous command's file (a 100-500 MB SQLite file) is still being written back by the
    # kernel; without a sync first, that I/O lands in whichever command runs next.
    os.sync()
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], text=True, capture_output=True, input=stdin)
    elapsed = time.perf_counter() - start
    if proc.returncode == 78 and refusal_ok:  # EX_CONFIG: the schema is not the one this build reads
        raise BaselineRefused(proc.stderr.strip().splitlines()[0] if proc.stderr.strip() else "exit 78")
    if proc.returncode != 0:
        sys.exit(f"export bench: {' '.join(cmd)} failed:\n{proc.stderr}")
    return elapsed, int(proc.stderr.strip().splitlines()[-1]) / 1024, proc.stdout


def _sqlite_import(csv, path):
    if os.path.exists(path):
        os.remove(path)
    script = ("create table orders (customer_name text, order_id integer primary key, price real, "
              "order_date text, product_id text, passenger_count integer);\n"
              f".import --csv --skip 1 '{csv}' orders\n")
    seconds, _, _ = _timed(["sqlite3", path], stdin=script)
    os.remove(path)
    return seconds


def _settle(url):
    """Lets the warehouse settle after a load, before anything is timed: VACUUM ANALYZE sets the
    new rows' hint bits and visibility map and the planner's statistics, CHECKPOINT writes the
    load's dirty pages out. Without it the first minute after a load timed the server's
    background flushing as much as the export: the same 1M full export took 2.1-2.4 s right
    after the load and 1.6 s once settled. CHECKPOINT needs a superuser (or pg_checkpoint):
    skipped where refused."""
    _run(["psql", "-X", "-q", url, "-c", "vacuum analyze"])
    subprocess.run(["psql", "-X", "-q", url, "-c", "checkpoint"], capture_output=True)


def _export(binary, url, path, *extra):
    seconds, rss, out = _timed([binary, "export-sqlite", "--database-url", url, "--as-of", AS_OF, "--json", *extra, path])
    return seconds, rss, json.loads(out) if out.lstrip().startswith("{") else None


def measure(binary, baseline, url, size, day1, day2, work, runs=1):
    """One size on the empty database at `url` (loaded here): a dict of medians for report()."""
    # The older build migrates first: a newer one accepts the older texts of a migration whose
    # comments changed since, not the other way round.
    if baseline:
        _run([baseline, "migrate", "--database-url", url, "-q"])
    _run([binary, "migrate", "--database-url", url, "-q"])
    _run([binary, "ingest", "--database-url", url, "-q", day1])
    _settle(url)
    kept = os.path.join(work, f"export-{size}.db")
    other = os.path.join(work, f"export-{size}-other.db")
    floors, full, base, rss = [], [], [], []
    for _ in range(runs):
        floors.append(_sqlite_import(day1, other))
        t, r, _ = _export(binary, url, kept, "--full")
        full.append(t)
        rss.append(r)
        if baseline:
            # An earlier build may lack --json and --full; it always writes the whole file. One
            # whose migrations are older than the database's refuses it (exit 78): no baseline then.
            try:
                t, _, _ = _timed([baseline, "export-sqlite", "--database-url", url, "--as-of", AS_OF, "-q", other],
                                 refusal_ok=True)
                base.append(t)
            except BaselineRefused as refusal:
                print(f"export bench: the baseline build refuses this database, measured without it: {refusal}",
                      file=sys.stderr)
                baseline = None
    size_mb = os.path.getsize(kept) / 1e6
    day1_file = kept + ".day1"
    os.replace(kept, day1_file)
    _run([binary, "ingest", "--database-url", url, "-q", "--allow-shrink", day2])
    _settle(url)
    incremental, full2, changes = [], [], None
    for _ in range(runs):
        _run(["cp", day1_file, kept])
        t, r, summary = _export(binary, url, kept)
        if summary["kind"] != "incremental":
            sys.exit(f"export bench: expected an incremental export, got {summary['kind']}: {summary.get('full_reason')}")
        incremental.append(t)
        rss.append(r)
        changes = summary
        t, _, _ = _export(binary, url, other, "--full")
        full2.append(t)
    for path in (kept, other, day1_file):
        if os.path.exists(path):
            os.remove(path)
    facts = next(t for t in changes["tables"] if t["name"] == "fact_orders")
    written = sum(t["inserted"] + t["updated"] + t["deleted"] for t in changes["tables"])
    return {"rows": size, "import": statistics.median(floors), "full": statistics.median(full),
            "baseline": statistics.median(base) if base else None, "incremental": statistics.median(incremental),
            "full2": statistics.median(full2), "rss": max(rss), "mb": size_mb,
            "facts": (facts["inserted"], facts["updated"], facts["deleted"]), "written": written}


def report(results):
    print("export-sqlite against the sqlite3 CLI's .import of the same CSV (order_id INTEGER PRIMARY KEY), one run:")
    print(f"{'rows':>9} {'import s':>9} {'full s':>8} {'x':>5} {'baseline s':>11} {'x':>5} "
          f"{'incremental s':>14} {'x':>5} {'full day 2 s':>13} {'x':>5} {'file MB':>8} {'peak RSS MB':>12}")
    for r in results:
        f = r["import"]
        b = f"{r['baseline']:>11.2f} {r['baseline']/f:>5.2f}" if r["baseline"] else f"{'-':>11} {'-':>5}"
        print(f"{r['rows']:>9} {f:>9.2f} {r['full']:>8.2f} {r['full']/f:>5.2f} {b} "
              f"{r['incremental']:>14.2f} {r['incremental']/f:>5.2f} {r['full2']:>13.2f} {r['full2']/f:>5.2f} "
              f"{r['mb']:>8.0f} {r['rss']:>12.1f}")
    for r in results:
        i, u, d = r["facts"]
        print(f"incremental, {r['rows']} rows: fact_orders +{i} ~{u} -{d}; {r['written']} rows written or deleted in all "
              "(the report tables are rewritten whole)")
    print("goals: full <= 1.5x import; incremental in seconds at 5M")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000000,5000000")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--baseline", help="an earlier build of warehouse to measure side by side")
    parser.add_argument("--database-url", help="a database to empty and use (default: a scratch one on the embedded cluster)")
    args = parser.parse_args()
    if not os.path.exists(BIN):
        sys.exit("export bench: build first: make release")
    from bench import embedded_url, fresh_database  # the same set-up as the main bench
    work = tempfile.mkdtemp(prefix="warehouse-export-bench-")
    # The generated files take gigabytes at 5M and 20M rows: gone when the bench ends, however it ends.
    atexit.register(shutil.rmtree, work, True)
    url = args.database_url
    if url:
        _run(["psql", "-X", "-q", url, "-c", "drop schema if exists staging, warehouse, reporting, ops cascade"])
    else:
        url = fresh_database(embedded_url(), "bench_export")
    results = []
    for size in [int(s) for s in args.sizes.split(",")]:
        snapshots = os.path.join(work, f"snap-{size}")
        _run([BIN, "generate", "--orders", str(size), "--customers", str(max(1000, size // 25)), "--seed", "42",
              "--snapshots", "2", "--out-dir", snapshots])
        day1, day2 = sorted(os.path.join(snapshots, f) for f in os.listdir(snapshots) if f.endswith(".csv"))
        results.append(measure(BIN, args.baseline and os.path.abspath(args.baseline), url, size, day1, day2, work, args.runs))
        _run(["rm", "-rf", snapshots])
        _run(["psql", "-X", "-q", url, "-c", "drop schema if exists staging, warehouse, reporting, ops cascade"])
    print()
    report(results)


if __name__ == "__main__":
    main()
