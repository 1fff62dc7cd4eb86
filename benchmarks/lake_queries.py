#!/usr/bin/env python3
"""Latency of the reader's three questions in DuckDB over a Parquet lake
(`chronicle export parquet --out LAKE`), beside the databases' figures from
`cargo run --release -p chronicle-engine --example scale_queries -- DB`:

    PY=$(benchmarks/export_venv.sh)
    $PY benchmarks/lake_queries.py LAKE [--runs 5] [--dyads 'SYR,USA;RUS,SYR'] \
        [--months 2016-12,2017-04] [--stories 10]

- dyad-month events: a dyad's events in a month, either way round (the month
  read from the Hive partitions, their values compared as written);
- actor-month timeline: the actor's merged events dated in the month, each with
  its first 8 mentions (what the timeline reads);
- story page: the story's row, its reports, its first 300 merged events by date
  with their first 20 mentions each, and its reports' claims (what the story
  view reads), for the N stories with the most documents and N spread over the
  rest, as the Rust example chooses them.

One JSON line per question: p50/p95/max over every answer. The same defaults
as the Rust example, so the rows asked are the same. A benchmark, not a test."""
import argparse
import json
import time

import duckdb


def pairs(s):
    return [tuple(d.split(",", 1)) for d in s.split(";") if "," in d]


def timed(name, runs, jobs):
    ms, rows = [], 0
    for _ in range(runs):
        for run in jobs:
            t = time.perf_counter()
            rows += run()
            ms.append((time.perf_counter() - t) * 1000)
    if not ms:
        return
    ms.sort()
    at = lambda p: round(ms[round((len(ms) - 1) * p)], 1)
    print(json.dumps({"query": name, "answers": len(ms), "p50_ms": at(0.5),
                      "p95_ms": at(0.95), "max_ms": at(1.0),
                      "rows_per_run": rows // max(runs, 1)}))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("lake")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dyads", default="SYR,USA;RUS,SYR;SYR,TUR;YEM,SAU;IRQ,USA;LBY,EGY")
    ap.add_argument("--months", default="2016-12,2017-04,2017-10,2018-06")
    ap.add_argument("--stories", type=int, default=10)
    a = ap.parse_args()
    db = duckdb.connect()
    for table in ["events", "merged_events", "merged_event_mentions", "stories",
                  "story_documents", "claims"]:
        db.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet("
                   f"'{a.lake}/{table}/**/*.parquet', hive_partitioning = true, hive_types_autocast = false, union_by_name = true)")
    dyads, months = pairs(a.dyads), a.months.split(",")
    print(json.dumps({"events": db.execute("SELECT count(*) FROM events").fetchone()[0],
                      "merged_events": db.execute("SELECT count(*) FROM merged_events").fetchone()[0],
                      "stories": db.execute("SELECT count(*) FROM stories").fetchone()[0]}))

    def dyad(x, y, m):
        year, month = m[:4], m[5:7]  # partition values as written: '2017', '04'
        return lambda: len(db.execute(
            """SELECT * FROM events WHERE year = ? AND month = ? AND
               ((starts_with(source_code, ?) AND starts_with(target_code, ?)) OR
                (starts_with(source_code, ?) AND starts_with(target_code, ?)))""",
            [year, month, x, y, y, x]).fetchall())

    def timeline(x, m):
        year, month = m[:4], m[5:7]  # partition values as written: '2017', '04'
        return lambda: len(db.execute(
            """WITH e AS (SELECT * FROM merged_events WHERE year = ? AND month = ? AND
                          (starts_with(source, ?) OR starts_with(target, ?)))
               SELECT e.id, m.* FROM e LEFT JOIN (
                   SELECT * FROM merged_event_mentions WHERE merged_id IN (SELECT id FROM e)
                   QUALIFY row_number() OVER (PARTITION BY merged_id ORDER BY seq, document, index) <= 8
               ) m ON m.merged_id = e.id ORDER BY e.date, e.id""",
            [year, month, x, x]).fetchall())

    def story(sid):
        def run():
            n = len(db.execute("SELECT * FROM stories WHERE id = ?", [sid]).fetchall())
            n += len(db.execute("SELECT * FROM story_documents WHERE story_id = ? ORDER BY seq",
                                [sid]).fetchall())
            n += len(db.execute(
                """WITH e AS (SELECT * FROM merged_events WHERE story_id = ?
                              ORDER BY date NULLS LAST, first_date, id LIMIT 300)
                   SELECT e.id, m.* FROM e LEFT JOIN (
                       SELECT * FROM merged_event_mentions WHERE merged_id IN (SELECT id FROM e)
                       QUALIFY row_number() OVER (PARTITION BY merged_id ORDER BY seq, document, index) <= 20
                   ) m ON m.merged_id = e.id""", [sid]).fetchall())
            n += len(db.execute(
                """SELECT c.* FROM claims c JOIN story_documents d ON d.doc_id = c.doc_id
                   WHERE d.story_id = ?""", [sid]).fetchall())
            return n
        return run

    ranked = [r[0] for r in db.execute(
        "SELECT id FROM stories ORDER BY documents DESC, id").fetchall()]
    chosen = ranked[:a.stories]
    rest = ranked[a.stories:]
    if rest and a.stories:
        chosen += rest[::max(len(rest) // a.stories, 1)][:a.stories]
    timed("dyad-month events", a.runs, [dyad(x, y, m) for x, y in dyads for m in months])
    timed("actor-month timeline", a.runs, [timeline(x, m) for x, _ in dyads for m in months])
    timed("story page", a.runs, [story(s) for s in chosen])


if __name__ == "__main__":
    main()
