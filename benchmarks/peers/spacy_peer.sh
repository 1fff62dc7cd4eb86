#!/usr/bin/env bash
# spaCy side-by-side peer benchmark for Chronicle. See benchmarks/peers/README.md.
#
#   bash benchmarks/peers/spacy_peer.sh            # full run (2 x 25 min training + eval + speed)
#   SPACY_TRAIN_MINUTES=1 SPACY_PEER_OUT=/tmp/smoke.json bash benchmarks/peers/spacy_peer.sh
#
# Environment (all optional):
#   CHRONICLE_DATA       data root (default ../shared/data, relative to the repo root)
#   CONLL18_EVAL         official UD scorer (default ../shared/tools/conll18_ud_eval.py)
#   SPACY_TRAIN_MINUTES  wall-clock cap per trained pipeline, minutes (default 25)
#   SPACY_MAX_EPOCHS     --training.max_epochs (default 30; the wall-clock cap usually ends first)
#   SPACY_SPEED_RUNS     timed passes over the FA-KES articles, median reported (default 3)
#   SPACY_PEER_WORK      scratch dir for converted corpora, models, logs (default
#                        /tmp/chronicle-spacy-peer; derived data never goes into the repo)
#   SPACY_PEER_OUT       results JSON (default benchmarks/peers/spacy-results.json)
#   SPACY_REUSE_MODELS=1 skip training when both models already exist in the scratch dir
set -euo pipefail

ORIG_PWD=$PWD
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

abspath() { # resolve a possibly relative path against the caller's cwd, else the repo root
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) if [ -e "$ORIG_PWD/$1" ]; then printf '%s\n' "$ORIG_PWD/$1"; else printf '%s\n' "$ROOT/$1"; fi ;;
  esac
}

DATA=$(abspath "${CHRONICLE_DATA:-../shared/data}")
SCORER=$(abspath "${CONLL18_EVAL:-../shared/tools/conll18_ud_eval.py}")
MINUTES=${SPACY_TRAIN_MINUTES:-25}
EPOCHS=${SPACY_MAX_EPOCHS:-30}
RUNS=${SPACY_SPEED_RUNS:-3}
W=${SPACY_PEER_WORK:-/tmp/chronicle-spacy-peer}
OUT=$(abspath "${SPACY_PEER_OUT:-benchmarks/peers/spacy-results.json}")
VENV=$ROOT/benchmarks/.venv
PY=$VENV/bin/python
HELPER=$ROOT/benchmarks/peers/spacy_peer.py

# one thread everywhere; everything heavy runs at the lowest priority (shared 2-core machine)
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 BLIS_NUM_THREADS=1
export PYTHONHASHSEED=0
NICE=(nice -n 19)

say() { printf '\n== %s  [%s]\n' "$*" "$(date -u +%H:%M:%S)"; }
die() { echo "spacy_peer: $*" >&2; exit 1; }

UD_TRAIN=$DATA/ud-ewt/en_ewt-ud-train.conllu
UD_DEV=$DATA/ud-ewt/en_ewt-ud-dev.conllu
NER_TRAIN=$DATA/uner-ewt/en_ewt-ud-train.iob2
NER_DEV=$DATA/uner-ewt/en_ewt-ud-dev.iob2
FAKES=$DATA/fakes/fakes-dev.csv
for f in "$UD_TRAIN" "$UD_DEV" "$NER_TRAIN" "$NER_DEV" "$FAKES" "$SCORER"; do
  [ -f "$f" ] || die "missing $f (set CHRONICLE_DATA / CONLL18_EVAL)"
done
mkdir -p "$W"/{corpus/ud,corpus/ner,ner-src,configs,models,logs,eval}

# ---------------------------------------------------------------- 1. venv
say "1. venv at benchmarks/.venv (spacy, click, seqeval)"
if [ ! -x "$PY" ]; then
  "${NICE[@]}" python3 -m venv "$VENV"
fi
if ! "$PY" -c 'import spacy, click, seqeval' 2>/dev/null; then
  "${NICE[@]}" "$PY" -m pip install -q --upgrade pip
  "${NICE[@]}" "$PY" -m pip install -q spacy click seqeval
fi
SPACY_VERSION=$("$PY" -c 'import spacy; print(spacy.__version__)')
echo "spaCy $SPACY_VERSION, python $("$PY" -c 'import sys; print(sys.version.split()[0])')"

# ---------------------------------------------------------------- 2. convert
say "2. convert training data to .spacy (scratch: $W)"
if [ ! -s "$W/corpus/ud/en_ewt-ud-train.spacy" ] || [ ! -s "$W/corpus/ud/en_ewt-ud-dev.spacy" ]; then
  for f in "$UD_TRAIN" "$UD_DEV"; do
    "${NICE[@]}" "$PY" -m spacy convert "$f" "$W/corpus/ud" -c conllu -n 10
  done
else
  echo "UD corpora already converted"
fi
if [ ! -s "$W/corpus/ner/train.spacy" ] || [ ! -s "$W/corpus/ner/dev.spacy" ]; then
  "$PY" "$HELPER" uner2ner "$NER_TRAIN" "$W/ner-src/train.conll"
  "$PY" "$HELPER" uner2ner "$NER_DEV" "$W/ner-src/dev.conll"
  for s in train dev; do
    "${NICE[@]}" "$PY" -m spacy convert "$W/ner-src/$s.conll" "$W/corpus/ner" -c ner -n 10
  done
else
  echo "NER corpora already converted"
fi

# ---------------------------------------------------------------- 3. configs + training
say "3. init config + train (cap ${MINUTES} min per pipeline, max_epochs ${EPOCHS})"
"$PY" -m spacy init config "$W/configs/ud.cfg" -l en -p tagger,parser,trainable_lemmatizer \
  -o efficiency -F >/dev/null
"$PY" -m spacy init config "$W/configs/ner.cfg" -l en -p ner -o efficiency -F >/dev/null

TRAIN_JSON=""
loadable() { "$PY" -c 'import spacy, sys; spacy.load(sys.argv[1])' "$1" >/dev/null 2>&1; }

train() { # name cfg train.spacy dev.spacy -> sets MODEL
  local name=$1 cfg=$2 tr=$3 dv=$4 out=$W/models/$1 log=$W/logs/train-$1.log
  local start end rc cap_hit=false which last_row epoch step
  if [ "${SPACY_REUSE_MODELS:-0}" = 1 ] && [ -f "$out/train-info.json" ]; then
    MODEL=$(sed -n 's/.*"model_path": "\([^"]*\)".*/\1/p' "$out/train-info.json")
    if [ -n "$MODEL" ] && loadable "$MODEL"; then
      echo "$name: reusing $MODEL"
      TRAIN_JSON+="${TRAIN_JSON:+, }\"$name\": $(cat "$out/train-info.json")"
      return
    fi
  fi
  rm -rf "$out"; mkdir -p "$out"
  echo "$name: training, log $log"
  start=$(date +%s)
  set +e
  # SIGINT on the cap: spaCy's training loop then still writes model-last (model-best is
  # written whenever the dev score improves, every eval_frequency steps)
  timeout -s INT -k 120 "${MINUTES}m" "${NICE[@]}" "$PY" -m spacy train "$cfg" \
    --output "$out" --paths.train "$tr" --paths.dev "$dv" \
    --training.max_epochs "$EPOCHS" >"$log" 2>&1
  rc=$?
  set -e
  end=$(date +%s)
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    cap_hit=true
    echo "$name: WALL-CLOCK CAP HIT after ${MINUTES} min (training stopped by timeout)"
  elif [ "$rc" != 0 ]; then
    tail -30 "$log" >&2
    die "$name: spacy train failed (exit $rc)"
  else
    echo "$name: training finished by itself (max_epochs/patience) before the cap"
  fi
  # last row of spaCy's progress table: E  #  LOSS...  SCORE
  last_row=$(grep -E '^ *[0-9]+ +[0-9]+ ' "$log" | tail -1 || true)
  epoch=$(awk '{print $1}' <<<"$last_row"); step=$(awk '{print $2}' <<<"$last_row")
  echo "$name: last evaluated row: ${last_row:-none}"
  MODEL=""
  for which in model-best model-last; do
    if [ -d "$out/$which" ] && loadable "$out/$which"; then MODEL=$out/$which; break; fi
  done
  [ -n "$MODEL" ] || die "$name: no loadable model-best or model-last in $out"
  echo "$name: using $MODEL"
  cat >"$out/train-info.json" <<EOF
{"wall_minutes": $(awk -v s="$((end - start))" 'BEGIN{printf "%.1f", s/60}'), "cap_hit": $cap_hit, "model": "$(basename "$MODEL")", "model_path": "$MODEL", "last_epoch": ${epoch:-null}, "last_step": ${step:-null}}
EOF
  TRAIN_JSON+="${TRAIN_JSON:+, }\"$name\": $(cat "$out/train-info.json")"
}

train tagger_parser_lemmatizer "$W/configs/ud.cfg" \
  "$W/corpus/ud/en_ewt-ud-train.spacy" "$W/corpus/ud/en_ewt-ud-dev.spacy"
MODEL_A=$MODEL
train ner "$W/configs/ner.cfg" "$W/corpus/ner/train.spacy" "$W/corpus/ner/dev.spacy"
MODEL_B=$MODEL
TRAIN_INFO="{\"cap_minutes\": $MINUTES, \"max_epochs\": $EPOCHS, $TRAIN_JSON}"

# ---------------------------------------------------------------- 4. evaluation
say "4a. spacy evaluate (spaCy's own scorer, dev .spacy files)"
"${NICE[@]}" "$PY" -m spacy evaluate "$MODEL_A" "$W/corpus/ud/en_ewt-ud-dev.spacy" \
  --output "$W/eval/spacy-evaluate-ud.json"
"${NICE[@]}" "$PY" -m spacy evaluate "$MODEL_B" "$W/corpus/ner/dev.spacy" \
  --output "$W/eval/spacy-evaluate-ner.json"

say "4b. official scorer: conll18_ud_eval.py on UD EWT dev (gold tokens)"
"$PY" "$HELPER" upos-map "$UD_TRAIN" "$W/eval/upos-map.json" --dev "$UD_DEV"
"${NICE[@]}" "$PY" "$HELPER" pred-ud "$MODEL_A" "$W/eval/upos-map.json" "$UD_DEV" \
  "$W/eval/spacy-dev.conllu" --meta "$W/eval/pred-ud-meta.json"
python3 "$SCORER" -v "$UD_DEV" "$W/eval/spacy-dev.conllu" | tee "$W/eval/conll18.txt"

say "4c. NER: seqeval entity-level F1 on UNER EWT dev (PER/ORG/LOC, OTH->O)"
"${NICE[@]}" "$PY" "$HELPER" eval-ner "$MODEL_B" "$NER_DEV" "$W/eval/ner-seqeval.json"

# ---------------------------------------------------------------- 5. speed
say "5. speed: full pipeline on $(basename "$FAKES") article_content, $RUNS runs"
SPEED=(); TIMEV=()
for i in $(seq 1 "$RUNS"); do
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -v -o "$W/eval/time-$i.txt" "${NICE[@]}" "$PY" "$HELPER" speed \
      "$MODEL_A" "$MODEL_B" "$W/eval/upos-map.json" "$FAKES" "$W/eval/speed-$i.json"
    TIMEV+=("$W/eval/time-$i.txt")
  else
    "${NICE[@]}" "$PY" "$HELPER" speed \
      "$MODEL_A" "$MODEL_B" "$W/eval/upos-map.json" "$FAKES" "$W/eval/speed-$i.json"
  fi
  SPEED+=("$W/eval/speed-$i.json")
done

# ---------------------------------------------------------------- 6. summary
say "6. summary"
"$PY" "$HELPER" summary --conll18 "$W/eval/conll18.txt" --ner "$W/eval/ner-seqeval.json" \
  --speed "${SPEED[@]}" ${TIMEV[@]+--time-v "${TIMEV[@]}"} \
  --eval-a "$W/eval/spacy-evaluate-ud.json" --eval-b "$W/eval/spacy-evaluate-ner.json" \
  --upos-ceiling "$W/eval/upos-map.json.ceiling" --pred-meta "$W/eval/pred-ud-meta.json" \
  --train-info "$TRAIN_INFO" --out "$OUT"
