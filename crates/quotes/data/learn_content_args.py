#!/usr/bin/env python3
"""Counts which dependents of which words hold an attribution's content in PolNeAR's
training part, and prints the rows of `CONTENT_ARGS` (src/learned.rs).

Usage (outside the repository; never commit PolNeAR text):
  python3 - > train.jsonl  # one {"id": file name, "text": file text} per text/ file
  chronicle annotate --jsonl train.jsonl > train.ann.jsonl
  learn_content_args.py ../shared/data/polnear/train train.jsonl train.ann.jsonl

Only texts the annotation keeps byte for byte are counted (offsets must line up);
each against the first annotator's .ann in name order, as the benchmark scores."""
import collections
import json
import os
import re
import sys

NO_CONTENT = set("""punct nsubj nsubj:pass aux aux:pass cop mark cc det advmod compound:prt case
expl discourse nmod:poss amod nummod compound fixed flat cc:preconj dep vocative reparandum
goeswith orphan list det:predet nmod:tmod obl:tmod obl:npmod nmod:npmod iobj appos conj""".split())
MARKED = {"obl", "advcl", "nmod", "acl", "ccomp", "xcomp", "obl:agent"}


def spans(ann, c2b):
    t, atts = {}, []
    for line in ann.splitlines():
        p = line.split("\t")
        if p[0].startswith("T"):
            _, *offs = p[1].replace(";", " ").split()
            n = list(map(int, offs))
            t[p[0]] = [(c2b[n[i]], c2b[n[i + 1]]) for i in range(0, len(n), 2)]
    for line in ann.splitlines():
        p = line.split("\t")
        if p[0].startswith("E"):
            args = dict(x.split(":") for x in p[1].split())
            atts.append({k: t[v] for k, v in args.items() if v in t})
    return atts


def size(f):
    return sum(b - a for a, b in f)


def matches(f, g):
    i = sum(max(0, min(b, d) - max(a, c)) for a, b in f for c, d in g)
    return i > 0 and 2 * i >= max(size(f), size(g))


def main(folder, raw_path, ann_path):
    anns = collections.defaultdict(list)
    for n in sorted(os.listdir(os.path.join(folder, "attributions"))):
        anns[re.sub(r"_[0-9a-f]{4}\.ann$", ".txt", n)].append(n)
    counts = collections.defaultdict(lambda: [0, 0])
    for raw_line, doc_line in zip(open(raw_path), open(ann_path)):
        raw, d = json.loads(raw_line), json.loads(doc_line)
        if d["text"] != raw["text"] or raw["id"] not in anns:
            continue
        c2b = [0]
        for ch in raw["text"]:
            c2b.append(c2b[-1] + len(ch.encode()))
        ann = open(os.path.join(folder, "attributions", anns[raw["id"]][0]), encoding="utf-8").read()
        atts = spans(ann, c2b)
        toks = d["tokens"]
        kids = [[] for _ in toks]
        for i, tk in enumerate(toks):
            if tk["head"] is not None:
                kids[tk["head"]].append(i)
        cue_of = collections.defaultdict(list)
        for a in atts:
            for s, e in a.get("Cue", []):
                for i, tk in enumerate(toks):
                    if s <= tk["start"] and tk["end"] <= e:
                        cue_of[i].append(a)
        for w, tk in enumerate(toks):
            if tk["upos"] not in ("VERB", "NOUN"):
                continue
            for c in kids[w]:
                rel = toks[c]["deprel"]
                if (c < w and rel not in ("ccomp", "obj", "csubj")) or rel in NO_CONTENT:
                    continue
                key = rel
                if rel in MARKED:
                    marks = [k for k in sorted(kids[c]) if k < c and toks[k]["deprel"] in ("case", "mark")]
                    if marks:
                        key += ":" + " ".join(toks[k]["text"].lower() for k in marks)
                lo = hi = c
                stack = [c]
                while stack:
                    x = stack.pop()
                    for k in kids[x]:
                        if toks[k]["deprel"] != "punct":
                            lo, hi = min(lo, k), max(hi, k)
                            stack.append(k)
                if rel in ("obl", "nmod"):
                    while lo < c and toks[lo]["deprel"] == "case":
                        lo += 1
                span = [(toks[lo]["start"], toks[hi]["end"])]
                row = counts[(tk["lemma"].lower(), tk["upos"], key)]
                row[1] += 1
                row[0] += any("Content" in a and matches(a["Content"], span) for a in cue_of[w])
    rows = sorted(
        (k, v) for k, v in counts.items()
        if v[0] >= 3 and v[0] >= 0.15 * v[1] and re.fullmatch(r"[a-z][a-z'-]*", k[0])
    )
    for (lemma, upos, rel), (content, seen) in rows:
        print(f'    ("{lemma}", "{upos}", "{rel}", {content}, {seen}),')


if __name__ == "__main__":
    main(*sys.argv[1:4])
