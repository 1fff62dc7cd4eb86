#!/usr/bin/env bash
# Words per CPU-second of Chronicle's full annotation pipeline and of a spaCy English
# pipeline on the same texts, run alternately on one pinned core. Not in CI (slow).
#
#   bash benchmarks/peers/speed_vs_spacy.sh
#   ROUNDS=5 CORE=1 bash benchmarks/peers/speed_vs_spacy.sh
#
# Environment (all optional):
#   CHRONICLE_DATA    data root (default ../shared/data); the texts are fakes/fakes-dev.csv
#   SPEED_INPUT       another input file or folder Chronicle reads (overrides the above)
#   CHRONICLE_BIN     chronicle binary (default target/release/chronicle, built if missing)
#   ROUNDS            alternated rounds, medians reported (default 3)
#   CORE              CPU both run on, via taskset (default 0)
#   SPACY_MODEL_WHEEL a local en_core_web_sm wheel to install when PyPI has none
#   SPACY_BATCH       nlp.pipe batch size (default 16, as the issue's measurement)
#   SPEED_WORK        scratch dir for the venv and the extracted texts
#                     (default /tmp/chronicle-spacy-speed; nothing is written in the repo)
#
# The spaCy pipeline: en_core_web_sm when it can be installed from the Python package
# registry or SPACY_MODEL_WHEEL. It is not on PyPI (spaCy publishes it on its own model
# hub), so by default the script builds spaCy's CPU-efficiency English pipeline
# (tok2vec, tagger, parser, ner: the architecture and sizes en_core_web_sm is trained
# with) and initialises it untrained: its predictions are meaningless, its cost per
# word is what a trained one of that shape costs (the network runs the same way
# whatever the weights). The report says which pipeline ran.
set -euo pipefail

ORIG_PWD=$PWD
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
abspath() {
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) if [ -e "$ORIG_PWD/$1" ]; then printf '%s\n' "$ORIG_PWD/$1"; else printf '%s\n' "$ROOT/$1"; fi ;;
  esac
}

DATA=$(abspath "${CHRONICLE_DATA:-../shared/data}")
INPUT=$(abspath "${SPEED_INPUT:-$DATA/fakes/fakes-dev.csv}")
BIN=$(abspath "${CHRONICLE_BIN:-${CARGO_TARGET_DIR:-target}/release/chronicle}")
ROUNDS=${ROUNDS:-3}
CORE=${CORE:-0}
BATCH=${SPACY_BATCH:-16}
W=${SPEED_WORK:-/tmp/chronicle-spacy-speed}
VENV=$W/venv
PY=$VENV/bin/python

[ -e "$INPUT" ] || { echo "speed_vs_spacy: missing $INPUT (set CHRONICLE_DATA or SPEED_INPUT)" >&2; exit 1; }
command -v taskset >/dev/null || { echo "speed_vs_spacy: taskset (util-linux) is needed to pin a core" >&2; exit 1; }
mkdir -p "$W"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 BLIS_NUM_THREADS=1 PYTHONHASHSEED=0

if [ ! -x "$BIN" ]; then
  echo "== building chronicle (release)"
  cargo build --release -p chronicle
fi

echo "== venv $VENV (spacy from PyPI)"
[ -x "$PY" ] || python3 -m venv "$VENV"
if ! "$PY" -c 'import spacy' 2>/dev/null; then
  "$PY" -m pip install -q --upgrade pip
  "$PY" -m pip install -q spacy
fi
if ! "$PY" -c 'import en_core_web_sm' 2>/dev/null; then
  if [ -n "${SPACY_MODEL_WHEEL:-}" ]; then
    "$PY" -m pip install -q "$(abspath "$SPACY_MODEL_WHEEL")"
  else
    "$PY" -m pip install -q en_core_web_sm 2>/dev/null \
      || echo "   en_core_web_sm is not on PyPI: using the untrained efficiency pipeline (see the header)"
  fi
fi

echo "== texts: Chronicle's own reading of $(basename "$INPUT") (the text both engines get)"
"$BIN" --threads 1 annotate "$INPUT" --json > "$W/docs.json" 2>"$W/annotate.err" || true
"$PY" - "$W/docs.json" "$W/texts.json" <<'PY'
import json, sys
docs = json.load(open(sys.argv[1], encoding="utf-8"))
docs = docs if isinstance(docs, list) else [docs]
texts = [d["text"] for d in docs if d.get("text")]
json.dump(texts, open(sys.argv[2], "w", encoding="utf-8"))
print(f"   {len(texts)} texts, {sum(len(t.split()) for t in texts)} words")
PY

cat > "$W/spacy_speed.py" <<'PY'
"""One timed pass of a spaCy pipeline over the texts: prints JSON with words per CPU-second."""
import json, resource, sys, time
import spacy

texts = json.load(open(sys.argv[1], encoding="utf-8"))
batch = int(sys.argv[2])
try:
    nlp = spacy.load("en_core_web_sm")
    name = f"en_core_web_sm {nlp.meta.get('version', '?')}"
except OSError:
    cfg = spacy.util.load_config_from_str(sys.argv[3])
    nlp = spacy.util.load_model_from_config(cfg, auto_fill=True, validate=True)
    # Labels of the size the trained English pipeline has; weights stay random.
    for t in ("NN NNS NNP NNPS VB VBD VBG VBN VBP VBZ DT IN JJ JJR JJS RB RBR RBS PRP PRP$ CC CD "
              "TO MD WDT WP WRB EX POS RP UH FW LS PDT SYM . , : `` '' -LRB- -RRB- HYPH NFP ADD AFX $ XX").split():
        nlp.get_pipe("tagger").add_label(t)
    for l in ("nsubj nsubjpass dobj iobj attr det amod case nmod pobj prep obl advmod npadvmod punct compound conj cc "
              "mark aux auxpass cop dep nummod xcomp ccomp advcl acl relcl appos poss neg prt quantmod "
              "expl csubj dative oprd agent preconj predet meta intj parataxis").split():
        nlp.get_pipe("parser").add_label(l)
    for l in "PERSON NORP FAC ORG GPE LOC PRODUCT EVENT WORK_OF_ART LAW LANGUAGE DATE TIME PERCENT MONEY QUANTITY ORDINAL CARDINAL".split():
        nlp.get_pipe("ner").add_label(l)
    nlp.initialize()
    name = f"untrained CPU-efficiency English pipeline ({', '.join(nlp.pipe_names)}), spaCy {spacy.__version__}"
words = sum(len(t.split()) for t in texts)
for _ in nlp.pipe(texts[:8], batch_size=batch):
    pass  # warm-up: lazy allocations outside the timed pass
c0, t0 = time.process_time(), time.perf_counter()
for _ in nlp.pipe(texts, batch_size=batch):
    pass
cpu, wall = time.process_time() - c0, time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"pipeline": name, "words": words, "cpu_seconds": cpu, "wall_seconds": wall,
                  "words_per_cpu_s": words / cpu, "peak_rss_mb": rss}))
PY
"$PY" -m spacy init config "$W/efficiency.cfg" -l en -p tagger,parser,ner -o efficiency -F >/dev/null

echo "== $ROUNDS rounds, spaCy (batch $BATCH) and Chronicle alternately, both pinned to core $CORE"
: > "$W/rounds.jsonl"
for r in $(seq 1 "$ROUNDS"); do
  s=$(taskset -c "$CORE" "$PY" "$W/spacy_speed.py" "$W/texts.json" "$BATCH" "$(cat "$W/efficiency.cfg")")
  c=$(taskset -c "$CORE" "$BIN" --threads 1 benchmark speed --data "$INPUT" --runs 1 --json)
  "$PY" - "$s" "$c" "$r" >> "$W/rounds.jsonl" <<'PY'
import json, sys
s, c = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(json.dumps({"round": int(sys.argv[3]), "spacy": s,
                  "chronicle": {"words": c["words"], "cpu_seconds": c["single_thread"]["cpu_seconds"],
                                "words_per_cpu_s": c["single_thread"]["words_per_cpu_s"],
                                "peak_rss_mb": c["peak_rss_mb"]}}))
PY
  tail -1 "$W/rounds.jsonl" | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
r, s, c = d["round"], d["spacy"]["words_per_cpu_s"], d["chronicle"]["words_per_cpu_s"]
print(f"   round {r}: spaCy {s:,.0f}  Chronicle {c:,.0f} words per CPU-second")'
done

"$PY" - "$W/rounds.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
s = statistics.median(r["spacy"]["words_per_cpu_s"] for r in rows)
c = statistics.median(r["chronicle"]["words_per_cpu_s"] for r in rows)
print()
print(f"spaCy:     {rows[0]['spacy']['pipeline']}")
print(f"           {rows[0]['spacy']['words']} words, median {s:,.0f} words per CPU-second, "
      f"peak RSS {max(r['spacy']['peak_rss_mb'] for r in rows):.0f} MB")
print(f"Chronicle: full pipeline (tokens, tags, lemmas, parse, entities, times, quotes, claims, actors, events)")
print(f"           {rows[0]['chronicle']['words']} words, median {c:,.0f} words per CPU-second, "
      f"peak RSS {max(r['chronicle']['peak_rss_mb'] for r in rows):.0f} MB")
print(f"ratio:     Chronicle / spaCy = {c / s:.1f}x (median of {len(rows)} rounds, one pinned core)")
PY
