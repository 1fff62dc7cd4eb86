#!/usr/bin/env python3
"""The lake check's dyad query in Apache Spark (pyspark, local mode): daily event
counts by CAMEO root code for every dyad, read from `chronicle export parquet`'s
events folder, compared with `chronicle events --format jsonl`. Not run by CI
(it needs Java and pyspark); see README "Parquet lake".

    python lake_spark.py --lake DIR --events events.jsonl [--master 'local[2]']
"""
import argparse
import collections
import json
import re
import sys

from pyspark.sql import SparkSession


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lake", required=True)
    ap.add_argument("--events", required=True, help="chronicle events --format jsonl output")
    ap.add_argument("--master", default="local[2]")
    args = ap.parse_args(argv)
    spark = SparkSession.builder.master(args.master).appName("chronicle-lake").getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    ev = spark.read.option("basePath", f"{args.lake}/events").parquet(f"{args.lake}/events")
    rows = ev.groupBy("source_code", "target_code", "day", "root_code").count().collect()
    got = collections.Counter({(r[0], r[1], str(r[2]) if r[2] else None, r[3]): r[4] for r in rows})
    want = collections.Counter()
    with open(args.events, encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            d = e.get("date")
            day = d if d and re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) else None
            want[(e.get("source_code"), e.get("target_code"), day, e["code"][:2])] += 1
    same = got == want
    print(f"{'ok' if same else 'FAILED'}: spark {spark.version}: {ev.count()} events, {len(got)} "
          f"(dyad, day, root) groups; equal to events --json: {same}")
    spark.stop()
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
