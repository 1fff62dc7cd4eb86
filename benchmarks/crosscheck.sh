#!/usr/bin/env bash
# Cross-checks `chronicle benchmark accuracy` against the official scorers on the
# dev files (see crosscheck.py). Usage: crosscheck.sh BIN [DATA_DIR] [TOOLS_DIR]
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
BIN="$1"
DATA="${2:-../shared/data}"
TOOLS="${3:-../shared/tools}"
PY="$(bash "$HERE/scorers_venv.sh")"
exec "$PY" "$HERE/crosscheck.py" "$BIN" "$DATA" "$TOOLS"
