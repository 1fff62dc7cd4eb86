#!/usr/bin/env bash
# Validates the API's OpenAPI 3.1 document (`chronicle serve --openapi`) with the
# maintained openapi-spec-validator, pinned in openapi-requirements.txt and
# installed once into a venv under target/ (CHRONICLE_OPENAPI_VENV overrides).
# Usage: openapi_check.sh path/to/chronicle
set -euo pipefail
BIN="$1"
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
VENV="${CHRONICLE_OPENAPI_VENV:-$ROOT/target/openapi-venv}"
REQ="$ROOT/crates/server/ci/openapi-requirements.txt"
PY="$VENV/bin/python"
want="$(grep -E '^openapi-spec-validator==' "$REQ" | cut -d= -f3)"
have="$("$PY" -c 'import importlib.metadata as m; print(m.version("openapi-spec-validator"))' 2>/dev/null || true)"
if [ "$have" != "$want" ]; then
  mkdir -p "$(dirname "$VENV")"
  [ -x "$PY" ] || python3 -m venv "$VENV" >&2
  "$PY" -m pip install -q --disable-pip-version-check -r "$REQ" >&2
fi
DOC="$(mktemp --suffix=.json)"
trap 'rm -f "$DOC"' EXIT
"$BIN" serve --openapi > "$DOC"
"$PY" - "$DOC" <<'PY'
import json, sys
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
doc = json.load(open(sys.argv[1]))
try:
    validate(doc)
except OpenAPIValidationError as e:
    print(f"openapi.json is not valid OpenAPI {doc.get('openapi')}: {e}", file=sys.stderr)
    sys.exit(1)
paths = doc.get("paths", {})
print(f"openapi.json: valid OpenAPI {doc['openapi']}, {len(paths)} paths, "
      f"{len(doc.get('components', {}).get('schemas', {}))} schemas")
PY
