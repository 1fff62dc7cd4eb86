"""Scores a `token<TAB>gold<TAB>pred` dump (from `eval_ner --dump`) with seqeval,
to cross-check chronicle-ner's own scorer. Tags other than PER/ORG/LOC are
mapped to O on both sides, as our scorer does.

    benchmarks/.venv/bin/python crates/ner/scripts/seqeval_check.py /tmp/dev_pred.tsv \
        [../shared/data/uner-ewt/en_ewt-ud-dev.iob2]

With the original IOB2 file as second argument, gold tags are taken from it
(third column) instead of from the dump, so our reader is checked too.
"""
import sys

from seqeval.metrics import classification_report, f1_score, precision_score, recall_score

KEEP = {"PER", "ORG", "LOC"}


def norm(tag):
    if tag == "O" or "-" not in tag:
        return "O"
    prefix, typ = tag.split("-", 1)
    return tag if typ in KEEP else "O"


def read(path):
    gold, pred, g, p = [], [], [], []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line:
            if g:
                gold.append(g)
                pred.append(p)
                g, p = [], []
            continue
        cols = line.split("\t")
        g.append(norm(cols[-2]))
        p.append(norm(cols[-1]))
    if g:
        gold.append(g)
        pred.append(p)
    return gold, pred


def read_iob2(path):
    out, cur = [], []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip():
            if cur:
                out.append(cur)
                cur = []
            continue
        if line.startswith("#"):
            continue
        cur.append(norm(line.split("\t")[2]))
    if cur:
        out.append(cur)
    return out


gold, pred = read(sys.argv[1])
if len(sys.argv) > 2:
    orig = read_iob2(sys.argv[2])
    assert [len(s) for s in orig] == [len(s) for s in pred], "sentence lengths differ"
    gold = orig
print(f"seqeval: P {precision_score(gold, pred):.4f} R {recall_score(gold, pred):.4f} F1 {f1_score(gold, pred):.4f}")
print(classification_report(gold, pred, digits=4))
