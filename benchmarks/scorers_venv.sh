#!/usr/bin/env bash
# Installs the Python scorers the cross-check needs (seqeval and what it imports,
# versions pinned in scorers-requirements.txt) into benchmarks/.venv, once.
# Prints the venv's python. The CoNLL 2018 UD scorer needs only the standard
# library and is run with the system python3 from ../shared/tools.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${CHRONICLE_VENV:-$ROOT/benchmarks/.venv}"
REQ="$ROOT/benchmarks/scorers-requirements.txt"
PY="$VENV/bin/python"
want="$(grep -E '^seqeval==' "$REQ" | cut -d= -f3)"
if [ -x "$PY" ] && [ "$("$PY" -c 'import importlib.metadata as m; print(m.version("seqeval"))' 2>/dev/null)" = "$want" ]; then
  echo "$PY"
  exit 0
fi
[ -x "$PY" ] || python3 -m venv "$VENV" >&2
"$PY" -m pip install -q --disable-pip-version-check -r "$REQ" >&2
echo "$PY"
