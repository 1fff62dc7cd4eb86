#!/usr/bin/env python3
"""Measures a GDELT event export (`chronicle export gdelt --out FILE`): share of
empty SQLDATE, event year range, share of rows with ActionGeo filled, SOURCEURL
non-empty share, and how IRQ and MUS are written. Standard library only.

Usage: python3 benchmarks/export_measure.py EVENTS.tsv
"""
import collections
import sys

COL = {
    "SQLDATE": 1, "Year": 3, "Actor1Code": 5, "Actor1CountryCode": 7, "Actor1Religion1Code": 10,
    "Actor1Type1Code": 12, "Actor2Code": 15, "Actor2CountryCode": 17, "Actor2Religion1Code": 20,
    "Actor2Type1Code": 22, "IsRootEvent": 25, "ActionGeo_Type": 51, "ActionGeo_FullName": 52,
    "ActionGeo_Lat": 56, "SOURCEURL": 60,
}


def main(path):
    rows = [line.rstrip("\n").split("\t") for line in open(path, encoding="utf-8")]
    n = len(rows)
    if n == 0:
        print("no rows")
        return 1
    share = lambda k: 100.0 * k / n
    col = lambda r, name: r[COL[name]]
    years = [int(col(r, "Year")) for r in rows if col(r, "Year").isdigit()]
    print(f"rows: {n}, columns: {sorted(set(len(r) for r in rows))}")
    empty = sum(1 for r in rows if not col(r, "SQLDATE"))
    print(f"empty SQLDATE: {empty} ({share(empty):.1f}%)")
    print(f"event years: {min(years) if years else '-'} .. {max(years) if years else '-'}")
    for name in ("ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_Lat"):
        k = sum(1 for r in rows if col(r, name))
        print(f"{name} filled: {k} ({share(k):.1f}%)")
    k = sum(1 for r in rows if col(r, "SOURCEURL"))
    print(f"SOURCEURL non-empty: {k} ({share(k):.1f}%)")
    roots = collections.Counter(col(r, "IsRootEvent") or "(empty)" for r in rows)
    print(f"IsRootEvent: {dict(sorted(roots.items()))}")
    for cc in ("IRQ", "MUS"):
        coded = sum(1 for r in rows for a in ("Actor1Code", "Actor2Code") if col(r, a)[:3] == cc)
        as_country = sum(1 for r in rows for a in ("Actor1CountryCode", "Actor2CountryCode") if col(r, a) == cc)
        as_type = sum(1 for r in rows for a in ("Actor1Type1Code", "Actor2Type1Code") if col(r, a) == cc)
        print(f"{cc}: codes starting with it {coded}, as CountryCode {as_country}, as Type1Code {as_type}")
    mos = sum(1 for r in rows for a in ("Actor1Religion1Code", "Actor2Religion1Code") if col(r, a) == "MOS")
    print(f"MOS (Muslim) as Religion1Code: {mos}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
