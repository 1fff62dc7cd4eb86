#!/usr/bin/env python3
"""Loads Chronicle's exports the way users' scripts do (pandas, with the pyarrow
engine where it reads the format) and checks what those scripts rely on.

    python export_check.py --gdelt-events events.tsv --gdelt-mentions mentions.tsv --acled acled.csv

Each option runs one check; give any of them. One line per check, its problems
below it, then `N passed, M failed`; the exit status is 1 when a check failed.

To add a check (a Parquet file, say): write `def check_x(path, seen) -> Result`
and register it with `@check("--x", "what the file is")`. `seen` holds what
earlier checks loaded (the event ids, for the mentions table), by check name.
"""
import argparse
import csv
import datetime as dt
import re
import sys
from dataclasses import dataclass, field

import pandas as pd

# GDELT 2.0 event table, codebook order.
GDELT_EVENT_COLUMNS = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
]

# GDELT 2.0 mentions table, codebook order.
GDELT_MENTION_COLUMNS = [
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset",
    "InRawText", "Confidence", "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras",
]

# Code columns GDELT's codebook says to read as strings (leading zeros matter).
GDELT_STRING_COLUMNS = [c for c in GDELT_EVENT_COLUMNS if c.endswith("Code") or c.endswith("Name")
                        or c.endswith("FullName") or c.endswith("FeatureID") or c == "SOURCEURL"]

ACLED_REQUIRED = [
    "event_id_cnty", "event_date", "year", "event_type", "sub_event_type", "actor1", "assoc_actor_1",
    "actor2", "location", "latitude", "longitude", "source", "notes", "fatalities",
]

ACLED_TYPES = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {"Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"},
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"},
}

LATEST = dt.date.today().year + 2


@dataclass
class Result:
    rows: int = 0
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    data: object = None

    def require(self, ok, message):
        if not bool(ok):
            self.problems.append(message)


CHECKS = []


def check(option, help_text):
    def register(fn):
        CHECKS.append((option, help_text, fn))
        return fn
    return register


def is_integer_dtype(series):
    return pd.api.types.is_integer_dtype(series.dtype)


def bad_rows(mask, frame, column, limit=3):
    """A few offending values, for the message."""
    values = frame.loc[mask, column].head(limit).tolist()
    return f"{int(mask.sum())} rows, e.g. {values}"


def field_counts(path, sep):
    counts = {}
    with open(path, encoding="utf-8", newline="") as f:
        for line in f:
            n = len(line.rstrip("\n").split(sep))
            counts[n] = counts.get(n, 0) + 1
    return counts


@check("--gdelt-events", "GDELT 2.0 event table (chronicle export gdelt --out)")
def check_gdelt_events(path, seen):
    r = Result()
    counts = field_counts(path, "\t")
    r.require(set(counts) <= {61}, f"lines must have 61 tab-separated fields: found {counts}")
    # What a user's script does without telling pandas the types: integers must
    # come out as integers (a single empty SQLDATE would make the column float).
    raw = pd.read_csv(path, sep="\t", header=None, names=GDELT_EVENT_COLUMNS, quoting=csv.QUOTE_NONE)
    r.rows = len(raw)
    r.require(r.rows > 0, "no rows")
    for col in ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "IsRootEvent", "QuadClass",
                "NumMentions", "NumSources", "NumArticles", "DATEADDED"]:
        r.require(is_integer_dtype(raw[col]), f"{col} is read as {raw[col].dtype}, not an integer column")
    # And with the codebook's advice: codes as strings.
    df = pd.read_csv(path, sep="\t", header=None, names=GDELT_EVENT_COLUMNS, quoting=csv.QUOTE_NONE,
                     dtype={c: str for c in GDELT_STRING_COLUMNS}, keep_default_na=False,
                     na_values={c: [""] for c in GDELT_EVENT_COLUMNS if c not in GDELT_STRING_COLUMNS})
    r.data = df
    if r.rows == 0:
        return r
    r.require(df["GLOBALEVENTID"].is_unique, "GLOBALEVENTID repeats")
    sqldate = df["SQLDATE"].astype("Int64").astype(str)
    r.require(sqldate.str.fullmatch(r"\d{8}").all(), "SQLDATE is not always 8 digits")
    when = pd.to_datetime(sqldate, format="%Y%m%d", errors="coerce")
    r.require(when.notna().all(), f"SQLDATE is not a calendar date: {bad_rows(when.isna(), df, 'SQLDATE')}")
    years = df["Year"]
    in_range = years.between(1900, LATEST)
    r.require(in_range.all(), f"Year outside 1900..{LATEST}: {bad_rows(~in_range, df, 'Year')}")
    r.require((df["MonthYear"] == df["SQLDATE"] // 100).all(), "MonthYear is not SQLDATE's YYYYMM")
    r.require((df["Year"] == df["SQLDATE"] // 10000).all(), "Year is not SQLDATE's YYYY")
    frac = df["FractionDate"] - df["Year"]
    r.require(frac.between(0, 1, inclusive="left").all(), "FractionDate is not within its year")
    added = pd.to_datetime(df["DATEADDED"].astype("Int64").astype(str), format="%Y%m%d%H%M%S", errors="coerce")
    r.require(added.notna().all(), "DATEADDED is not a YYYYMMDDHHMMSS timestamp")
    r.notes.append(f"SQLDATE {when.min():%Y-%m-%d} .. {when.max():%Y-%m-%d}")
    for col, pattern in [("EventCode", r"\d{3,4}"), ("EventBaseCode", r"\d{3}"), ("EventRootCode", r"\d{2}")]:
        ok = df[col].str.fullmatch(pattern)
        r.require(ok.all(), f"{col} is not {pattern} with its leading zeros: {bad_rows(~ok, df, col)}")
    r.require((df.apply(lambda x: x["EventCode"].startswith(x["EventBaseCode"])
                        and x["EventBaseCode"].startswith(x["EventRootCode"]), axis=1)).all(),
              "EventCode, EventBaseCode and EventRootCode do not nest")
    lead_zero = df["EventCode"].str.startswith("0").sum()
    r.notes.append(f"{lead_zero} event codes keep a leading zero")
    for actor in ("Actor1", "Actor2"):
        code = df[f"{actor}Code"]
        ok = (code == "") | code.str.fullmatch(r"([A-Z]{3})+")
        r.require(ok.all(), f"{actor}Code is not CAMEO letters: {bad_rows(~ok, df, f'{actor}Code')}")
        cc = df[f"{actor}CountryCode"]
        ok = (cc == "") | cc.str.fullmatch(r"[A-Z]{3}")
        r.require(ok.all(), f"{actor}CountryCode is not 3 letters: {bad_rows(~ok, df, f'{actor}CountryCode')}")
    for actor in ("Actor1", "Actor2"):
        mus = (df[f"{actor}CountryCode"] == "MUS") & ~df[f"{actor}Name"].str.contains("MAURITI", na=False)
        r.require(not mus.any(), f"{actor}CountryCode MUS (Mauritius) for a non-Mauritian actor: "
                                 f"{bad_rows(mus, df, f'{actor}Name')}")
    r.require(df["IsRootEvent"].isin([0, 1]).all(), "IsRootEvent is not 0/1")
    r.require(df["QuadClass"].isin([1, 2, 3, 4]).all(), "QuadClass is not 1-4")
    gold = df["GoldsteinScale"].dropna()
    r.require(gold.between(-10, 10).all(), "GoldsteinScale outside -10..10")
    r.require(pd.api.types.is_float_dtype(df["GoldsteinScale"]), "GoldsteinScale is not a float column")
    for col in ("NumMentions", "NumSources", "NumArticles"):
        r.require((df[col] >= 1).all(), f"{col} below 1")
    # A merged event's outlets are among its articles, and its articles among its
    # mentions (a copy is a mention, not an article or a source).
    r.require((df["NumSources"] <= df["NumArticles"]).all(), "NumSources above NumArticles")
    r.require((df["NumArticles"] <= df["NumMentions"]).all(), "NumArticles above NumMentions")
    merged = df["NumArticles"] > 1
    r.notes.append(f"{int(merged.sum())} rows stand for events told by several articles "
                   f"(NumSources up to {int(df['NumSources'].max())})")
    tone = df["AvgTone"].dropna()
    r.require(tone.between(-100, 100).all(), "AvgTone outside -100..100")
    for geo in ("Actor1Geo", "Actor2Geo", "ActionGeo"):
        t = df[f"{geo}_Type"]
        r.require(t.dropna().isin([1, 2, 3, 4, 5]).all(), f"{geo}_Type not in 1-5")
        lat, lon = df[f"{geo}_Lat"], df[f"{geo}_Long"]
        r.require(lat.dropna().between(-90, 90).all(), f"{geo}_Lat outside -90..90")
        r.require(lon.dropna().between(-180, 180).all(), f"{geo}_Long outside -180..180")
        placed = t.notna()
        cc = df.loc[placed, f"{geo}_CountryCode"]
        r.require(cc.str.fullmatch(r"[A-Z]{2}").all(), f"{geo}_CountryCode is not a 2-letter FIPS code")
        adm1 = df.loc[placed, f"{geo}_ADM1Code"]
        r.require((adm1.str[:2] == cc).all(), f"{geo}_ADM1Code does not start with its country code")
        fid = df.loc[placed, f"{geo}_FeatureID"]
        r.require((fid != "").all(), f"{geo}_FeatureID empty for a placed event")
        cities = t.isin([3, 4])
        r.require(df.loc[cities, f"{geo}_FeatureID"].str.fullmatch(r"-?\d+").all(),
                  f"{geo}_FeatureID is not numeric for cities")
        r.require((df.loc[placed, f"{geo}_FullName"] != "").all(), f"{geo}_FullName empty for a placed event")
        if geo == "ActionGeo":
            r.notes.append(f"ActionGeo filled in {int(placed.sum())} rows ({100 * placed.mean():.1f}%)")
    r.require((df["SOURCEURL"] != "").all(), "SOURCEURL is empty")
    return r


@check("--gdelt-mentions", "GDELT 2.0 mentions table (chronicle export gdelt --mentions)")
def check_gdelt_mentions(path, seen):
    r = Result()
    counts = field_counts(path, "\t")
    r.require(set(counts) <= {16}, f"lines must have 16 tab-separated fields: found {counts}")
    df = pd.read_csv(path, sep="\t", header=None, names=GDELT_MENTION_COLUMNS, quoting=csv.QUOTE_NONE,
                     dtype={"MentionSourceName": str, "MentionIdentifier": str, "MentionDocTranslationInfo": str,
                            "Extras": str}, keep_default_na=False,
                     na_values={c: [""] for c in ("MentionDocTone",)})
    r.rows = len(df)
    r.data = df
    if r.rows == 0:
        r.problems.append("no rows")
        return r
    ints = ["GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "SentenceID",
            "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset", "InRawText", "Confidence", "MentionDocLen"]
    for col in ints:
        r.require(is_integer_dtype(df[col]), f"{col} is read as {df[col].dtype}, not an integer column")
    for col in ("EventTimeDate", "MentionTimeDate"):
        t = pd.to_datetime(df[col].astype(str), format="%Y%m%d%H%M%S", errors="coerce")
        r.require(t.notna().all(), f"{col} is not a YYYYMMDDHHMMSS timestamp")
    r.require(df["MentionType"].isin([1, 2]).all(), "MentionType is not 1 (web) or 2 (citation)")
    r.require((df["MentionIdentifier"] != "").all(), "MentionIdentifier is empty")
    web = df["MentionType"] == 1
    r.require(df.loc[web, "MentionIdentifier"].str.match(r"https?://").all(), "a web mention's identifier is not a URL")
    r.require((df["SentenceID"] >= 1).all(), "SentenceID below 1")
    for col in ("Actor1CharOffset", "Actor2CharOffset"):
        r.require((df[col] >= -1).all(), f"{col} below -1")
        r.require((df[col] < df["MentionDocLen"]).all(), f"{col} past the document's end")
    r.require(df["ActionCharOffset"].between(0, df["MentionDocLen"] - 1).all(),
              "ActionCharOffset outside the document")
    r.require(df["InRawText"].isin([0, 1]).all(), "InRawText is not 0/1")
    r.require(df["Confidence"].between(1, 100).all(), "Confidence outside 1-100")
    r.require((df["MentionDocLen"] > 0).all(), "MentionDocLen is not positive")
    events = seen.get("--gdelt-events")
    if events is not None and events.data is not None:
        known = set(events.data["GLOBALEVENTID"])
        missing = ~df["GLOBALEVENTID"].isin(known)
        r.require(not missing.any(), f"mentions of events not in the event table: {bad_rows(missing, df, 'GLOBALEVENTID')}")
        r.notes.append("every mention's event is in the event table")
        # One mentions row per mention written: never more than the event's NumMentions.
        per_event = df.groupby("GLOBALEVENTID").size()
        limit = events.data.set_index("GLOBALEVENTID")["NumMentions"]
        over = per_event[per_event > limit.reindex(per_event.index).fillna(0)]
        r.require(over.empty, f"events with more mention rows than NumMentions: {list(over.index[:3])}")
        missing_rows = ~events.data["GLOBALEVENTID"].isin(set(df["GLOBALEVENTID"]))
        r.require(not missing_rows.any(), f"events without a mentions row: {int(missing_rows.sum())}")
    return r


@check("--acled", "ACLED-style CSV (chronicle export acled --out)")
def check_acled(path, seen):
    r = Result()
    df = pd.read_csv(path, engine="pyarrow")
    r.rows = len(df)
    r.data = df
    missing = [c for c in ACLED_REQUIRED if c not in df.columns]
    r.require(not missing, f"columns missing: {missing}")
    if r.rows == 0:
        # An export with nothing ACLED records (no violence, no known place) is
        # a header alone; its columns are all there is to check.
        r.notes.append("no events: header only")
    if missing or r.rows == 0:
        return r
    when = pd.to_datetime(df["event_date"], format="%Y-%m-%d", errors="coerce")
    r.require(when.notna().all(), f"event_date does not parse: {bad_rows(when.isna(), df, 'event_date')}")
    r.require((when.dt.year == df["year"]).all(), "year is not event_date's year")
    r.require(df["year"].between(1900, LATEST).all(), f"year outside 1900..{LATEST}")
    r.require(is_integer_dtype(df["fatalities"]), f"fatalities is read as {df['fatalities'].dtype}, not integers")
    r.require((df["fatalities"] >= 0).all(), "fatalities below 0")
    ok = df.apply(lambda x: x["sub_event_type"] in ACLED_TYPES.get(x["event_type"], set()), axis=1)
    r.require(ok.all(), f"event_type / sub_event_type not ACLED's: {bad_rows(~ok, df, 'sub_event_type')}")
    r.require(df["latitude"].between(-90, 90).all(), "latitude outside -90..90 or missing")
    r.require(df["longitude"].between(-180, 180).all(), "longitude outside -180..180 or missing")
    r.require(df["event_id_cnty"].is_unique, "event_id_cnty repeats")
    for col, allowed in (("geo_precision", {1, 2, 3}), ("time_precision", {1, 2, 3})):
        if col in df.columns:
            r.require(df[col].isin(allowed).all(), f"{col} not in {sorted(allowed)}")
    if "iso" in df.columns:
        r.require(is_integer_dtype(df["iso"]), "iso is not an integer column")
    r.require(df["notes"].notna().all(), "notes (the evidence sentence) missing")
    types = df["event_type"].value_counts().to_dict()
    r.notes.append(f"event types {types}; fatalities {int(df['fatalities'].sum())} in "
                   f"{int((df['fatalities'] > 0).sum())} events")
    return r


# The listings' files (`chronicle LISTING --format parquet|csv --out FILE`): the
# columns scripts join and filter on, with the type they must load as. Each check
# also compares the file with the same listing's JSON Lines beside it
# (FILE with the suffix .jsonl), when there is one: same rows, same ids.
LISTING_COLUMNS = {
    "documents": {"id": "string", "published": "date", "outlet": "string", "sources": "integer",
                  "estimated": "bool", "warnings": "list"},
    "events": {"doc_id": "string", "index": "integer", "code": "code", "date": "string",
               "published": "date", "start": "integer", "end": "integer", "goldstein": "float",
               "quad_class": "integer", "sentence": "string"},
    "quotes": {"doc_id": "string", "published": "date", "outlet": "string", "start": "integer",
               "end": "integer", "text": "string", "kind": "string"},
    "claims": {"doc_id": "string", "published": "date", "outlet": "string", "start": "integer",
               "end": "integer", "value": "float", "kind": "string"},
    "actors": {"actor": "string", "mentions": "integer", "documents": "integer", "variants": "list"},
    "stories": {"id": "string", "label": "string", "first_date": "date", "last_date": "date",
                "documents": "list", "outlets": "list"},
}


def column_problems(df, columns):
    problems = []
    for col, kind in columns.items():
        if col not in df.columns:
            problems.append(f"column {col} missing")
            continue
        s = df[col]
        values = s.dropna()
        if kind == "integer":
            ok = pd.api.types.is_integer_dtype(s.dtype) or (len(values) == 0)
        elif kind == "float":
            ok = pd.api.types.is_numeric_dtype(s.dtype) or len(values) == 0
        elif kind == "bool":
            ok = pd.api.types.is_bool_dtype(s.dtype) or len(values) == 0
        elif kind == "list":
            ok = all(hasattr(v, "__len__") and not isinstance(v, str) for v in values)
        elif kind == "code":
            # CAMEO codes keep their leading zero: strings of 2-4 digits.
            ok = all(isinstance(v, str) and re.fullmatch(r"\d{2,4}", v) for v in values)
        elif kind == "date":
            ok = all(isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) for v in values)
        else:
            ok = all(isinstance(v, str) for v in values)
        if not ok:
            problems.append(f"column {col} is {s.dtype}, not {kind} (e.g. {values.head(3).tolist()})")
    return problems


def compare_with_jsonl(r, path, df, key):
    import json
    import os
    sibling = os.path.splitext(path)[0] + ".jsonl"
    if not os.path.exists(sibling):
        return
    with open(sibling, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    r.require(len(rows) == len(df), f"{len(df)} rows, the JSON Lines listing has {len(rows)}")
    if rows and len(rows) == len(df) and key in df.columns:
        same = [str(a.get(key)) == str(b) for a, b in zip(rows, df[key].tolist())]
        r.require(all(same), f"{key} differs from the JSON Lines listing in {same.count(False)} rows")
    r.notes.append("matches its JSON Lines")


def listing_check(name, fmt):
    def run(path, seen):
        r = Result()
        if fmt == "parquet":
            import pyarrow.parquet as pq
            import duckdb
            table = pq.read_table(path)
            df = table.to_pandas()
            con = duckdb.connect()
            n = con.execute("SELECT count(*) FROM read_parquet(?)", [path]).fetchall()[0][0]
            r.require(n == len(df), f"DuckDB reads {n} rows, pyarrow {len(df)}")
            r.notes.append("DuckDB reads it")
        else:
            dtypes = {c: "string" for c, k in LISTING_COLUMNS[name].items() if k in ("string", "code", "date")}
            df = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""])
            for col, kind in LISTING_COLUMNS[name].items():
                if kind == "list" and col in df.columns:
                    import json
                    df[col] = df[col].map(lambda v: json.loads(v) if isinstance(v, str) else v)
                if kind == "bool" and col in df.columns:
                    df[col] = df[col].map({"true": True, "false": False, True: True, False: False})
        r.rows = len(df)
        for p in column_problems(df, LISTING_COLUMNS[name]):
            r.problems.append(p)
        key = {"documents": "id", "stories": "id", "actors": "actor"}.get(name, "doc_id")
        compare_with_jsonl(r, path, df, key)
        return r
    return run


for _name in LISTING_COLUMNS:
    for _fmt in ("parquet", "csv"):
        check(f"--{_name}-{_fmt}", f"`chronicle {_name} --format {_fmt}`")(listing_check(_name, _fmt))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for option, help_text, _ in CHECKS:
        parser.add_argument(option, metavar="FILE", help=help_text)
    args = parser.parse_args(argv)
    seen = {}
    passed = failed = 0
    for option, _, fn in CHECKS:
        path = getattr(args, option.lstrip("-").replace("-", "_"))
        if path is None:
            continue
        try:
            result = fn(path, seen)
        except Exception as e:  # a file pandas cannot read at all is a failed check
            result = Result(problems=[f"cannot load: {type(e).__name__}: {e}"])
        seen[option] = result
        status = "ok" if not result.problems else "FAILED"
        extra = f" ({'; '.join(result.notes)})" if result.notes else ""
        print(f"{status}: {option.lstrip('-')} {path}: {result.rows} rows{extra}")
        for p in result.problems:
            print(f"  - {p}")
        if result.problems:
            failed += 1
        else:
            passed += 1
    if passed + failed == 0:
        parser.error("give at least one file to check")
    import pyarrow
    import duckdb
    print(f"(pandas {pd.__version__}, pyarrow {pyarrow.__version__}, duckdb {duckdb.__version__})")
    print(f"exports: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
