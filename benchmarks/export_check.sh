#!/usr/bin/env bash
# Exports that users' scripts accept: builds a fresh store from examples/corpus
# (`chronicle demo` into a new file), exports GDELT events + mentions and ACLED
# CSV, and loads them with pandas/pyarrow (benchmarks/export_check.py), and the
# Parquet lake with pyarrow/DuckDB (benchmarks/lake_check.py). With the
# shared data (../shared/data or CHRONICLE_DATA) it does the same on FA-KES dev.
#
# Usage: bash benchmarks/export_check.sh [CHRONICLE_BINARY]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${1:-${CARGO_TARGET_DIR:-$ROOT/target}/release/chronicle}"
DATA="${CHRONICLE_DATA:-$ROOT/../shared/data}"
PY="$(bash "$ROOT/benchmarks/export_venv.sh")"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

run() { # NAME DB: export the store and check the files
  local name="$1" db="$2"
  "$BIN" --db "$db" export gdelt --out "$TMP/$name-events.tsv" --mentions "$TMP/$name-mentions.tsv"
  "$BIN" --db "$db" export acled --out "$TMP/$name-acled.csv"
  echo "-- $name"
  "$PY" "$ROOT/benchmarks/export_check.py" \
    --gdelt-events "$TMP/$name-events.tsv" \
    --gdelt-mentions "$TMP/$name-mentions.tsv" \
    --acled "$TMP/$name-acled.csv"
  # Every listing as Parquet and CSV, each beside its JSON Lines for comparison.
  local files=()
  for listing in documents events quotes claims actors stories; do
    "$BIN" --db "$db" "$listing" --format jsonl --out "$TMP/$name-$listing.jsonl" 2>/dev/null
    "$BIN" --db "$db" "$listing" --format parquet --out "$TMP/$name-$listing.parquet" 2>/dev/null
    # The CSV needs its own stem so that it, too, finds the JSON Lines file.
    cp "$TMP/$name-$listing.jsonl" "$TMP/$name-$listing-csv.jsonl"
    "$BIN" --db "$db" "$listing" --format csv --out "$TMP/$name-$listing-csv.csv" 2>/dev/null
    files+=("--$listing-parquet" "$TMP/$name-$listing.parquet" "--$listing-csv" "$TMP/$name-$listing-csv.csv")
  done
  "$PY" "$ROOT/benchmarks/export_check.py" "${files[@]}"
  # The Parquet lake, read with pyarrow and DuckDB, against the same listings.
  "$BIN" --db "$db" events --merged --format jsonl --out "$TMP/$name-merged.jsonl" 2>/dev/null
  "$BIN" --db "$db" export parquet --out "$TMP/$name-lake"
  "$PY" "$ROOT/benchmarks/lake_check.py" --lake "$TMP/$name-lake" --listings "$TMP/$name-"
}

"$BIN" --db "$TMP/demo.db" demo --corpus "$ROOT/examples/corpus" > "$TMP/demo.log"
run corpus "$TMP/demo.db"

if [ -f "$DATA/fakes/fakes-dev.csv" ]; then
  "$BIN" --db "$TMP/fakes.db" ingest "$DATA/fakes/fakes-dev.csv" > "$TMP/ingest.log" 2>&1
  run fakes-dev "$TMP/fakes.db"
else
  echo "-- $DATA/fakes/fakes-dev.csv not found: checked the example corpus only"
fi
