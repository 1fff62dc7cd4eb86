#!/usr/bin/env bash
# Installs pandas, pyarrow and DuckDB (versions pinned in export-requirements.txt) into a
# venv for benchmarks/export_check.py, once. Prints the venv's python.
# The venv lives in target/ (ignored by git) unless CHRONICLE_EXPORT_VENV says otherwise.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${CHRONICLE_EXPORT_VENV:-$ROOT/target/export-venv}"
REQ="$ROOT/benchmarks/export-requirements.txt"
PY="$VENV/bin/python"
want_pandas="$(grep -E '^pandas==' "$REQ" | cut -d= -f3)"
want_arrow="$(grep -E '^pyarrow==' "$REQ" | cut -d= -f3)"
want_duckdb="$(grep -E '^duckdb==' "$REQ" | cut -d= -f3)"
have() {
  "$PY" -c 'import importlib.metadata as m; print(m.version("pandas"), m.version("pyarrow"), m.version("duckdb"))' 2>/dev/null || true
}
if [ -x "$PY" ] && [ "$(have)" = "$want_pandas $want_arrow $want_duckdb" ]; then
  echo "$PY"
  exit 0
fi
mkdir -p "$(dirname "$VENV")"
[ -x "$PY" ] || python3 -m venv "$VENV" >&2
"$PY" -m pip install -q --disable-pip-version-check -r "$REQ" >&2
echo "$PY"
