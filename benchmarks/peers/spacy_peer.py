#!/usr/bin/env python3
"""Helpers for benchmarks/peers/spacy_peer.sh (the spaCy side-by-side peer benchmark).

Subcommands (all paths explicit; nothing here reads or writes the repository except the
results JSON the shell script names):

  uner2ner   UNER IOB2 (tab: idx, token, tag, ...) -> "token TAG" lines for `spacy convert -c ner`
  upos-map   build the lexicalised XPOS->UPOS table from UD train (see README: spaCy's English
             pipelines get UPOS from the tagger's XPOS through a tag map, not a morphologizer)
  pred-ud    run the tagger+parser+lemmatizer pipeline on the GOLD words of a CoNLL-U file and
             write CoNLL-U for conll18_ud_eval.py
  eval-ner   run the NER pipeline on the GOLD tokens of a UNER IOB2 file and score with seqeval
  speed      one timed pass of the full pipeline over the FA-KES article texts
  summary    gather everything into the results JSON and print the summary block
"""
import argparse
import csv
import json
import os
import re
import statistics
import sys
import time
from collections import Counter, defaultdict

KEEP = {"PER", "ORG", "LOC"}


# ---------------------------------------------------------------- readers

def read_conllu(path):
    """Yield sentences as dicts: comments, mwt {first_id: line}, words [10 columns]."""
    sent = {"comments": [], "mwt": {}, "words": []}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                if sent["words"]:
                    yield sent
                sent = {"comments": [], "mwt": {}, "words": []}
                continue
            if line.startswith("#"):
                sent["comments"].append(line)
                continue
            cols = line.split("\t")
            if "." in cols[0]:  # empty node (enhanced deps only): not a word
                continue
            if "-" in cols[0]:
                sent["mwt"][int(cols[0].split("-")[0])] = cols
                continue
            sent["words"].append(cols)
    if sent["words"]:
        yield sent


def read_iob2(path):
    """Yield sentences as lists of (token, mapped_tag)."""
    sent = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                if sent:
                    yield sent
                sent = []
                continue
            if line.startswith("#"):
                continue
            cols = line.split("\t")
            sent.append((cols[1], map_tag(cols[2])))
    if sent:
        yield sent


def map_tag(tag):
    """UNER tag -> B-/I- PER|ORG|LOC or O (OTH and stray labels such as B-O become O)."""
    if len(tag) > 2 and tag[1] == "-" and tag[0] in "BI" and tag[2:] in KEEP:
        return tag
    return "O"


def fix_iob2(tags):
    """An I-X not preceded by B-X/I-X (possible after OTH->O) becomes B-X."""
    out = []
    prev = "O"
    for t in tags:
        if t.startswith("I-") and prev[2:] != t[2:]:
            t = "B-" + t[2:]
        out.append(t)
        prev = t
    return out


# ---------------------------------------------------------------- uner2ner

def cmd_uner2ner(a):
    n = 0
    with open(a.out, "w", encoding="utf-8") as out:
        for sent in read_iob2(a.iob2):
            tags = fix_iob2([t for _, t in sent])
            for (tok, _), tag in zip(sent, tags):
                tok = re.sub(r"\s+", "_", tok) or "_"
                out.write(f"{tok} {tag}\n")
            out.write("\n")
            n += 1
    print(f"uner2ner: {n} sentences -> {a.out}")


# ---------------------------------------------------------------- UPOS map

def cmd_upos_map(a):
    by_word = defaultdict(Counter)
    by_tag = defaultdict(Counter)
    for sent in read_conllu(a.train):
        for c in sent["words"]:
            by_word[c[4] + "\t" + c[1].lower()][c[3]] += 1
            by_tag[c[4]][c[3]] += 1
    tag_major = {t: c.most_common(1)[0][0] for t, c in by_tag.items()}
    # keep only entries that differ from the tag-level majority
    word_map = {}
    for k, c in by_word.items():
        best = c.most_common(1)[0][0]
        if best != tag_major[k.split("\t", 1)[0]]:
            word_map[k] = best
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump({"tag": tag_major, "word": word_map}, f)
    # ceiling of the map on the dev gold XPOS (how much UPOS the map itself loses)
    if a.dev:
        n = ok = 0
        for sent in read_conllu(a.dev):
            for c in sent["words"]:
                n += 1
                ok += upos_of(c[4], c[1], tag_major, word_map) == c[3]
        print(f"upos-map: {len(tag_major)} tags, {len(word_map)} word exceptions; "
              f"UPOS ceiling on dev gold XPOS = {100 * ok / n:.2f}%")
        with open(a.out + ".ceiling", "w") as f:
            f.write(f"{100 * ok / n:.2f}\n")


def load_upos_map(path):
    with open(path, encoding="utf-8") as f:
        m = json.load(f)
    return m["tag"], m["word"]


def upos_of(tag, text, tag_major, word_map):
    p = word_map.get(tag + "\t" + text.lower())
    if p is not None:
        return p
    return tag_major.get(tag, "X")


# ---------------------------------------------------------------- pred-ud

def cmd_pred_ud(a):
    import spacy
    from spacy.tokens import Doc

    nlp = spacy.load(a.model)
    tag_major, word_map = load_upos_map(a.upos_map)
    sents = list(read_conllu(a.gold))
    docs = []
    for s in sents:
        words = [c[1] for c in s["words"]]
        spaces = []
        for i, c in enumerate(s["words"]):
            wid = int(c[0])
            # inside a multiword token there is never a space; after it, the MWT's MISC decides
            mwt_end = None
            for first, m in s["mwt"].items():
                lo, hi = (int(x) for x in m[0].split("-"))
                if lo <= wid <= hi:
                    mwt_end = (hi, m)
            if mwt_end is not None:
                hi, m = mwt_end
                spaces.append(wid == hi and "SpaceAfter=No" not in m[9])
            else:
                spaces.append("SpaceAfter=No" not in c[9])
        doc = Doc(nlp.vocab, words=words, spaces=spaces)
        doc[0].is_sent_start = True
        for t in doc[1:]:
            t.is_sent_start = False
        docs.append(doc)
    fixed_roots = 0
    with open(a.out, "w", encoding="utf-8") as out:
        for s, doc in zip(sents, nlp.pipe(docs)):
            roots = [t.i for t in doc if t.head.i == t.i]
            main = roots[0] if roots else 0
            if len(roots) > 1:
                # the official scorer wants exactly one root per sentence: keep the root with
                # the largest subtree, attach the others to it
                main = max(roots, key=lambda i: len(list(doc[i].subtree)))
                fixed_roots += len(roots) - 1
            for c in s["comments"]:
                out.write(c + "\n")
            for i, (c, t) in enumerate(zip(s["words"], doc)):
                wid = int(c[0])
                if wid in s["mwt"]:
                    out.write("\t".join(s["mwt"][wid]) + "\n")
                if t.i == main:
                    head, dep = 0, "root"
                elif t.head.i == t.i:
                    head, dep = main + 1, "parataxis"
                else:
                    head, dep = t.head.i + 1, t.dep_
                    if dep.upper() == "ROOT":
                        dep = "dep"
                lemma = t.lemma_ or t.text
                xpos = t.tag_ or "_"
                upos = upos_of(t.tag_, t.text, tag_major, word_map)
                out.write("\t".join([c[0], c[1], lemma, upos, xpos, "_", str(head), dep,
                                     "_", "_"]) + "\n")
            out.write("\n")
    print(f"pred-ud: {len(sents)} sentences -> {a.out} ({fixed_roots} extra roots re-attached)")
    if a.meta:
        with open(a.meta, "w") as f:
            json.dump({"sentences": len(sents), "extra_roots_reattached": fixed_roots}, f)


# ---------------------------------------------------------------- eval-ner

def cmd_eval_ner(a):
    import spacy
    from spacy.tokens import Doc
    from seqeval.metrics import classification_report, f1_score, precision_score, recall_score
    from seqeval.scheme import IOB2

    nlp = spacy.load(a.model)
    sents = list(read_iob2(a.gold))
    gold = [fix_iob2([t for _, t in s]) for s in sents]
    docs = [Doc(nlp.vocab, words=[re.sub(r"\s+", "_", w) or "_" for w, _ in s]) for s in sents]
    pred = []
    for doc in nlp.pipe(docs):
        tags = []
        for t in doc:
            if t.ent_iob_ in ("B", "I") and t.ent_type_ in KEEP:
                tags.append(f"{t.ent_iob_}-{t.ent_type_}")
            else:
                tags.append("O")
        pred.append(fix_iob2(tags))
    res = {
        "sentences": len(sents),
        "f1": f1_score(gold, pred),
        "precision": precision_score(gold, pred),
        "recall": recall_score(gold, pred),
        "f1_strict_iob2": f1_score(gold, pred, mode="strict", scheme=IOB2),
    }
    rep = classification_report(gold, pred, digits=4)
    print(rep)
    res["report"] = rep
    with open(a.out, "w") as f:
        json.dump(res, f, indent=1)
    print(f"eval-ner: seqeval entity F1 = {100 * res['f1']:.2f} "
          f"(P {100 * res['precision']:.2f}, R {100 * res['recall']:.2f}; "
          f"strict IOB2 F1 {100 * res['f1_strict_iob2']:.2f})")


# ---------------------------------------------------------------- speed

def full_pipeline(model_a, model_b):
    """tagger+parser+lemmatizer pipeline with the NER component sourced from the NER pipeline.
    The NER listens to its own pipeline's tok2vec, so that listener is replaced by an inline
    copy first (two tok2vec passes per doc: the honest cost of two trained pipelines)."""
    import spacy

    nlp = spacy.load(model_a)
    ner_nlp = spacy.load(model_b)
    if "tok2vec" in ner_nlp.pipe_names:
        ner_nlp.replace_listeners("tok2vec", "ner", ["model.tok2vec"])
    nlp.add_pipe("ner", source=ner_nlp)
    return nlp


def cmd_speed(a):
    import resource

    csv.field_size_limit(sys.maxsize)
    with open(a.csv, encoding="utf-8", newline="") as f:
        texts = [r["article_content"] for r in csv.DictReader(f)]
    nlp = full_pipeline(a.model_a, a.model_b)
    tag_major, word_map = load_upos_map(a.upos_map)
    words = sum(len(t.split()) for t in texts)
    load_before = os.getloadavg()[0]
    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    tokens = ents = 0
    for doc in nlp.pipe(texts):
        tokens += len(doc)
        ents += len(doc.ents)
        for t in doc:  # UPOS from XPOS, as in pred-ud (part of producing the annotation)
            upos_of(t.tag_, t.text, tag_major, word_map)
    dt = time.perf_counter() - t0
    ru1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    res = {
        "pipeline": nlp.pipe_names,
        "docs": len(texts),
        "words": words,
        "spacy_tokens": tokens,
        "entities": ents,
        "seconds": dt,
        "words_per_s": words / dt,
        "spacy_tokens_per_s": tokens / dt,
        "docs_per_s": len(texts) / dt,
        "cpu_seconds": cpu,
        "words_per_cpu_s": words / cpu if cpu > 0 else None,
        "loadavg_1min_before": load_before,
        "loadavg_1min_after": os.getloadavg()[0],
        "peak_rss_mb_getrusage": rss_mb,
    }
    with open(a.out, "w") as f:
        json.dump(res, f, indent=1)
    print(f"speed: {len(texts)} docs, {words} words ({tokens} spaCy tokens) in {dt:.2f}s = "
          f"{words / dt:.0f} words/s, {len(texts) / dt:.2f} docs/s, rss {rss_mb:.0f} MB; "
          f"cpu {cpu:.1f}s = {words / cpu:.0f} words/cpu-s; load avg {load_before:.1f}")


# ---------------------------------------------------------------- summary

def parse_conll18(path):
    out = {}
    with open(path) as f:
        for line in f:
            parts = [p.strip() for p in line.split("|")]
            if len(parts) >= 4 and parts[0] and parts[3]:
                try:
                    out[parts[0]] = float(parts[3])
                except ValueError:
                    pass
    return out


def parse_time_v(path):
    if not path or not os.path.exists(path):
        return None
    with open(path) as f:
        for line in f:
            if "Maximum resident set size" in line:
                return int(line.rsplit(":", 1)[1]) / 1024.0
    return None


def cmd_summary(a):
    import spacy

    ud = parse_conll18(a.conll18)
    with open(a.ner) as f:
        ner = json.load(f)
    runs = []
    for i, p in enumerate(a.speed):
        with open(p) as f:
            r = json.load(f)
        tv = parse_time_v(a.time_v[i]) if a.time_v and i < len(a.time_v) else None
        r["peak_rss_mb"] = tv if tv is not None else r["peak_rss_mb_getrusage"]
        runs.append(r)
    med = lambda k: statistics.median(r[k] for r in runs)
    ev = {}
    for name, p in (("tagger_parser_lemmatizer", a.eval_a), ("ner", a.eval_b)):
        if p and os.path.exists(p):
            with open(p) as f:
                m = json.load(f)
            ev[name] = {k: m.get(k) for k in ("tag_acc", "pos_acc", "lemma_acc", "dep_uas",
                                              "dep_las", "ents_f", "ents_p", "ents_r", "speed")
                        if k in m}
    with open(a.upos_ceiling) as f:
        ceiling = float(f.read())
    with open(a.pred_meta) as f:
        meta = json.load(f)
    train = json.loads(a.train_info)
    res = {
        "peer": "spaCy",
        "spacy_version": spacy.__version__,
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "dev_sets": {"ud": "UD English EWT v2.15 dev (gold tokens)",
                     "ner": "UNER English EWT dev (gold tokens; PER/ORG/LOC, OTH->O)",
                     "speed": "FA-KES fakes-dev.csv article_content (402 articles)"},
        "upos": ud.get("UPOS"),
        "xpos": ud.get("XPOS"),
        "lemma": ud.get("Lemmas"),
        "uas": ud.get("UAS"),
        "las": ud.get("LAS"),
        "ner_f1": round(100 * ner["f1"], 2),
        "ner_precision": round(100 * ner["precision"], 2),
        "ner_recall": round(100 * ner["recall"], 2),
        "ner_f1_strict_iob2": round(100 * ner["f1_strict_iob2"], 2),
        "words_per_s": round(med("words_per_s"), 1),
        "spacy_tokens_per_s": round(med("spacy_tokens_per_s"), 1),
        "docs_per_s": round(med("docs_per_s"), 3),
        "words_per_cpu_s": (round(med("words_per_cpu_s"), 1)
                            if all(r.get("words_per_cpu_s") for r in runs) else None),
        "peak_rss_mb": round(med("peak_rss_mb"), 1),
        "speed_runs": [{k: (round(v, 3) if isinstance(v, float) else v)
                        for k, v in r.items() if k != "pipeline"} for r in runs],
        "speed_pipeline": runs[0]["pipeline"] if runs else None,
        "speed_words": runs[0]["words"] if runs else None,
        "speed_spacy_tokens": runs[0]["spacy_tokens"] if runs else None,
        "train_minutes_each": train["cap_minutes"],
        "training": train,
        "upos_source": "tagger XPOS -> UPOS via lexicalised table from UD train "
                       "(no morphologizer)",
        "upos_map_ceiling_on_gold_xpos": ceiling,
        "extra_roots_reattached": meta["extra_roots_reattached"],
        "spacy_evaluate": ev,
        "threads": 1,
        "niceness": 19,
    }
    with open(a.out, "w") as f:
        json.dump(res, f, indent=1)
        f.write("\n")
    print("=" * 64)
    print(f"spaCy {res['spacy_version']} peer results  ({res['date']})")
    print(f"  official scorer (conll18_ud_eval.py, UD EWT dev, gold tokens):")
    for k in ("UPOS", "XPOS", "Lemmas", "UAS", "LAS"):
        print(f"    {k:<7} {ud.get(k)}")
    print(f"  NER seqeval entity F1 (UNER EWT dev, PER/ORG/LOC): {res['ner_f1']}"
          f"  (P {res['ner_precision']}, R {res['ner_recall']})")
    print(f"  speed (median of {len(runs)}): {res['words_per_s']} words/s, "
          f"{res['docs_per_s']} docs/s, {res['spacy_tokens_per_s']} spaCy tokens/s")
    print(f"  CPU-time throughput (median): {res['words_per_cpu_s']} words per CPU-second "
          f"(wall figures depend on the shared machine's load)")
    print(f"  peak RSS (median): {res['peak_rss_mb']} MB")
    print(f"  training cap: {res['train_minutes_each']} min per pipeline; {train}")
    print(f"  -> {a.out}")
    print("=" * 64)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("uner2ner"); p.add_argument("iob2"); p.add_argument("out")
    p.set_defaults(fn=cmd_uner2ner)
    p = sub.add_parser("upos-map"); p.add_argument("train"); p.add_argument("out")
    p.add_argument("--dev"); p.set_defaults(fn=cmd_upos_map)
    p = sub.add_parser("pred-ud"); p.add_argument("model"); p.add_argument("upos_map")
    p.add_argument("gold"); p.add_argument("out"); p.add_argument("--meta")
    p.set_defaults(fn=cmd_pred_ud)
    p = sub.add_parser("eval-ner"); p.add_argument("model"); p.add_argument("gold")
    p.add_argument("out"); p.set_defaults(fn=cmd_eval_ner)
    p = sub.add_parser("speed"); p.add_argument("model_a"); p.add_argument("model_b")
    p.add_argument("upos_map"); p.add_argument("csv"); p.add_argument("out")
    p.set_defaults(fn=cmd_speed)
    p = sub.add_parser("summary")
    p.add_argument("--conll18", required=True); p.add_argument("--ner", required=True)
    p.add_argument("--speed", nargs="+", required=True); p.add_argument("--time-v", nargs="*")
    p.add_argument("--eval-a"); p.add_argument("--eval-b")
    p.add_argument("--upos-ceiling", required=True); p.add_argument("--pred-meta", required=True)
    p.add_argument("--train-info", required=True); p.add_argument("--out", required=True)
    p.set_defaults(fn=cmd_summary)
    a = ap.parse_args()
    a.fn(a)


if __name__ == "__main__":
    main()
