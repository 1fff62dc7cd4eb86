#!/usr/bin/env python3
"""Reads the Parquet lake of `chronicle export parquet --out DIR` with pyarrow
(dataset, hive partitioning) and DuckDB (read_parquet(..., hive_partitioning=true))
and runs GDELT-style queries, each compared with the CLI's own listings of the
same store (JSON Lines files PREFIX<listing>.jsonl):

- every table's row count equals its listing's (documents, events, quotes, claims,
  actors, stories, events --merged);
- every file's columns have the types `DIR/_schema.json` declares;
- daily event counts by CAMEO root code per dyad (source, target actor codes),
  in DuckDB and in pyarrow, equal the counts from `chronicle events --json`;
- the top actors of the largest story (stories.top_actors, and the actors its
  documents' events name, through story_documents ⨝ events) equal
  `chronicle stories --json` and `chronicle events --json`.

    python lake_check.py --lake DIR --listings PREFIX

One line per check, its problems below it; the exit status is 1 when one failed.
"""
import argparse
import collections
import json
import re
import sys

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

LISTINGS = {  # lake table -> listing file stem
    "documents": "documents", "events": "events", "quotes": "quotes", "claims": "claims",
    "actors": "actors", "stories": "stories", "merged_events": "merged",
}

ARROW_TYPES = {
    "string": pa.string(), "string (JSON)": pa.string(), "int64": pa.int64(), "float64": pa.float64(),
    "boolean": pa.bool_(), "date32": pa.date32(), "list<string>": pa.list_(pa.string()),
}

DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


class Checks:
    def __init__(self):
        self.failed = 0
        self.passed = 0

    def report(self, name, problems, note=""):
        status = "ok" if not problems else "FAILED"
        print(f"{status}: {name}{': ' + note if note else ''}")
        for p in problems:
            print(f"  - {p}")
        if problems:
            self.failed += 1
        else:
            self.passed += 1


def dataset(lake, table):
    return ds.dataset(f"{lake}/{table}", format="parquet", partitioning="hive")


def daily_dyad_counts_expected(events):
    counts = collections.Counter()
    for e in events:
        day = e["date"] if e.get("date") and DAY.fullmatch(e["date"]) else None
        counts[(e.get("source_code"), e.get("target_code"), day, e["code"][:2])] += 1
    return counts


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lake", required=True)
    ap.add_argument("--listings", required=True, help="prefix of the listings' .jsonl files")
    args = ap.parse_args(argv)
    lake = args.lake
    checks = Checks()
    con = duckdb.connect()
    listings = {t: jsonl(f"{args.listings}{stem}.jsonl") for t, stem in LISTINGS.items()}
    with open(f"{lake}/_schema.json", encoding="utf-8") as f:
        schema = json.load(f)

    # Row counts, both readers, and the hive partition columns.
    problems, counts = [], []
    for table, rows in listings.items():
        n_arrow = dataset(lake, table).count_rows()
        n_duck = con.execute(
            f"SELECT count(*) FROM read_parquet('{lake}/{table}/**/*.parquet', hive_partitioning=true)"
        ).fetchone()[0]
        counts.append(f"{table} {n_duck}")
        if not (n_arrow == n_duck == len(rows)):
            problems.append(f"{table}: pyarrow {n_arrow}, DuckDB {n_duck}, listing {len(rows)} rows")
    parts = con.execute(
        f"SELECT DISTINCT year, month FROM read_parquet('{lake}/events/**/*.parquet', hive_partitioning=true) ORDER BY 1, 2"
    ).fetchall()
    if not parts:
        problems.append("events: no year/month partition columns")
    checks.report("row counts equal the listings'", problems,
                  f"{', '.join(counts)}; events in {len(parts)} year/month partitions, "
                  f"e.g. {['/'.join(map(str, p)) for p in parts[-3:]]}")

    # Column types as _schema.json declares them.
    problems = []
    for table, spec in schema["tables"].items():
        d = dataset(lake, table)
        for col in spec["columns"]:
            want = ARROW_TYPES[col["type"]]
            got = d.schema.field(col["name"]).type if col["name"] in d.schema.names else None
            if got is None or not (got == want or (pa.types.is_list(got) and pa.types.is_list(want))):
                problems.append(f"{table}.{col['name']}: {got}, _schema.json says {col['type']}")
    checks.report("column types match _schema.json", problems, f"{len(schema['tables'])} tables")

    # Daily event counts by CAMEO root code per dyad.
    expected = daily_dyad_counts_expected(listings["events"])
    duck = con.execute(
        f"""SELECT source_code, target_code, CAST(day AS VARCHAR), root_code, count(*)
            FROM read_parquet('{lake}/events/**/*.parquet', hive_partitioning=true)
            GROUP BY ALL"""
    ).fetchall()
    got_duck = collections.Counter({tuple(r[:4]): r[4] for r in duck})
    t = dataset(lake, "events").to_table(columns=["source_code", "target_code", "day", "root_code"])
    t = t.set_column(2, "day", pc.cast(t["day"], pa.string()))
    agg = t.group_by(["source_code", "target_code", "day", "root_code"]).aggregate([([], "count_all")])
    got_arrow = collections.Counter({
        (r["source_code"], r["target_code"], r["day"], r["root_code"]): r["count_all"] for r in agg.to_pylist()
    })
    dyads = collections.Counter((s, tg) for (s, tg, _, _), n in expected.items() if s and tg for _ in range(n))
    problems = []
    if got_duck != expected:
        problems.append(f"DuckDB differs from events --json: {sorted((got_duck - expected).items())[:3]} "
                        f"{sorted((expected - got_duck).items())[:3]}")
    if got_arrow != expected:
        problems.append(f"pyarrow differs from events --json: {sorted((got_arrow - expected).items())[:3]}")
    if not dyads:
        problems.append("no event names both a source and a target")
    note = ""
    if dyads:
        (src, tgt), _ = dyads.most_common(1)[0]
        rows = con.execute(
            f"""SELECT day, root_code, count(*) AS events
                FROM read_parquet('{lake}/events/**/*.parquet', hive_partitioning=true)
                WHERE source_code = ? AND target_code = ?
                GROUP BY day, root_code ORDER BY day, root_code""", [src, tgt]
        ).fetchall()
        shown = "; ".join(f"{d} {r}: {n}" for d, r, n in rows[:6])
        note = (f"{len(expected)} (dyad, day, root) groups agree in DuckDB and pyarrow; "
                f"dyad {src}->{tgt}: {shown}")
        want = sorted((str(d) if d else None, r, n) for (s, tg, d, r), n in expected.items() if (s, tg) == (src, tgt))
        got = sorted((str(d) if d else None, r, n) for d, r, n in rows)
        if want != got:
            problems.append(f"dyad {src}->{tgt}: DuckDB {got}, events --json {want}")
    checks.report("daily event counts by root code per dyad", problems, note)

    # Top actors of the largest story.
    problems, note = [], ""
    stories = listings["stories"]
    if stories:
        story = max(stories, key=lambda s: (len(s["documents"]), s["id"]))
        lake_top = con.execute(
            f"SELECT top_actors FROM read_parquet('{lake}/stories/**/*.parquet', hive_partitioning=true) WHERE id = ?",
            [story["id"]],
        ).fetchall()
        if [r[0] for r in lake_top] != [story["top_actors"]]:
            problems.append(f"stories.top_actors {lake_top}, stories --json {story['top_actors']}")
        rows = con.execute(
            f"""WITH e AS (
                  SELECT ev.source_code AS actor FROM read_parquet('{lake}/events/**/*.parquet', hive_partitioning=true) ev
                  JOIN read_parquet('{lake}/story_documents/**/*.parquet', hive_partitioning=true) sd
                    ON sd.doc_id = ev.doc_id WHERE sd.story_id = ?
                  UNION ALL
                  SELECT ev.target_code FROM read_parquet('{lake}/events/**/*.parquet', hive_partitioning=true) ev
                  JOIN read_parquet('{lake}/story_documents/**/*.parquet', hive_partitioning=true) sd
                    ON sd.doc_id = ev.doc_id WHERE sd.story_id = ?)
                SELECT actor, count(*) AS n FROM e WHERE actor IS NOT NULL GROUP BY actor ORDER BY n DESC, actor""",
            [story["id"], story["id"]],
        ).fetchall()
        docs = set(story["documents"])
        want = collections.Counter()
        for e in listings["events"]:
            if e["doc_id"] in docs:
                for a in (e.get("source_code"), e.get("target_code")):
                    if a:
                        want[a] += 1
        if dict(rows) != dict(want):
            problems.append(f"event actors of the story: DuckDB {rows[:5]}, events --json {want.most_common(5)}")
        top = ", ".join(f"{a} {n}" for a, n in rows[:5])
        note = (f"story {story['id']} ({len(docs)} documents): top_actors {story['top_actors']}; "
                f"actor codes in its events: {top}")
    else:
        problems.append("no story")
    checks.report("top actors of a story", problems, note)

    print(f"(pyarrow {pa.__version__}, duckdb {duckdb.__version__})")
    print(f"lake: {checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
