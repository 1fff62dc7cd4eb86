#!/usr/bin/env python3
"""Confirms `chronicle benchmark accuracy` with the field's official scorers.

Tags the dev files with `chronicle tag`, scores the output with the CoNLL 2018
UD scorer (UPOS, XPOS, UFeats, AllTags, lemmas, UAS, LAS on gold tokens; tokens and sentences
from raw text) and with seqeval (NER); scores ECB+ dev event coreference
(`coref-events`, the CoNLL KEY/RESPONSE files the benchmark writes with
CHRONICLE_COREF_DUMP) with the reference coreference scorer v8.01 (perl); and
fails when a figure differs from our own scorer's by more than 0.1 point. Run by
benchmarks/crosscheck.sh (which installs seqeval); usage:
crosscheck.py BIN DATA_DIR TOOLS_DIR [--json OUT] [--only coref]
"""
import os
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TOLERANCE = 0.1  # points
KEEP = {"PER", "ORG", "LOC"}


def run(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"FAIL {' '.join(map(str, cmd))}: exit {out.returncode}\n{out.stderr}")
    return out.stdout


def ours(binary, task, data):
    return json.loads(run([binary, "benchmark", "accuracy", "--task", task, "--data", data, "--json"]))


def tag(binary, fmt, data, out_dir, gold_tokens):
    cmd = [binary, "tag", "--format", fmt, "--out", out_dir, data]
    if gold_tokens:
        cmd.insert(4, "--gold-tokens")
    t = time.monotonic()
    run(cmd)
    return Path(out_dir) / (Path(data).stem + "." + fmt), time.monotonic() - t


def conll18(tools, gold, system):
    """F1 column of `conll18_ud_eval.py -v`, by metric name, in points."""
    text = run([sys.executable, f"{tools}/conll18_ud_eval.py", "-v", gold, str(system)])
    scores = {}
    for line in text.splitlines():
        cols = [c.strip() for c in line.split("|")]
        if len(cols) >= 4 and cols[0] and cols[3].replace(".", "").isdigit():
            scores[cols[0]] = float(cols[3])
    return text, scores


def ewt_raw_text(gold, path):
    """The raw text `benchmark accuracy --task tokens` segments: `# text` of each
    sentence, a blank line before a new paragraph or document, else one space."""
    parts = []
    for block in Path(gold).read_text(encoding="utf-8").split("\n\n"):
        comments = [l[1:].strip() for l in block.split("\n") if l.startswith("#")]
        text = next((c.split("=", 1)[1].strip() for c in comments if c.split("=", 1)[0].strip() == "text"), None)
        if text is None:
            continue
        if parts:
            parts.append("\n\n" if any(c.startswith(("newpar", "newdoc")) for c in comments) else " ")
        parts.append(text)
    Path(path).write_text("".join(parts), encoding="utf-8")


def iob2_tags(path):
    """Tag column per sentence, types other than PER/ORG/LOC as O (as our scorer does)."""
    sents, cur = [], []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if cur:
                sents.append(cur)
                cur = []
            continue
        if line.startswith("#"):
            continue
        tag = line.split("\t")[2].strip()
        typ = tag.split("-", 1)[1] if "-" in tag else ""
        cur.append(tag if typ in KEEP else "O")
    if cur:
        sents.append(cur)
    return sents


def coref_scorer(tools, key, response):
    """F1 of MUC, B3 (bcub) and CEAF-e from `scorer.pl all KEY RESPONSE none`, in
    points, and the CoNLL F1 (their mean), with the scorer's output."""
    out = subprocess.run(["perl", f"{tools}/reference-coreference-scorer/scorer.pl", "all", key, response, "none"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"FAIL scorer.pl: exit {out.returncode}\n{out.stderr}")
    scores, metric = {}, None
    for line in out.stdout.splitlines():
        if line.startswith("METRIC "):
            metric = line.split()[1].rstrip(":")
        elif line.startswith("Coreference: Recall:") and metric in ("muc", "bcub", "ceafe"):
            # "... F1: 70.47%": the scorer prints F1 from its own rounded-down percentages,
            # so recompute it from the exact numerator/denominator pairs.
            pairs = re.findall(r"\(([-\d.e+]+) / ([-\d.e+]+)\)", line)
            nums = [float(v) for pair in pairs for v in pair]
            r = nums[0] / nums[1] if nums[1] else 0.0
            p = nums[2] / nums[3] if nums[3] else 0.0
            scores[metric] = 100 * (2 * p * r / (p + r) if p + r else 0.0)
    if len(scores) != 3:
        sys.exit(f"FAIL scorer.pl printed no MUC/B3/CEAF-e figures:\n{out.stdout[-2000:]}")
    scores["conll"] = (scores["muc"] + scores["bcub"] + scores["ceafe"]) / 3
    return out.stdout, scores


def coref_check(binary, data, tools, compare, report):
    """coref-events on ECB+ dev: our figures against scorer.pl on the dumped KEY/RESPONSE."""
    with tempfile.TemporaryDirectory() as tmp:
        t = time.monotonic()
        cmd = [binary, "benchmark", "accuracy", "--task", "coref-events", "--data", f"{data}/ecbplus",
               "--split", "dev", "--json"]
        out = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "CHRONICLE_COREF_DUMP": tmp})
        if out.returncode != 0:
            sys.exit(f"FAIL {' '.join(cmd)}: exit {out.returncode}\n{out.stderr}")
        own = json.loads(out.stdout)
        secs = time.monotonic() - t
        key, response = Path(tmp) / "coref-events-dev.key", Path(tmp) / "coref-events-dev.response"
        if not key.exists() or not response.exists():
            sys.exit(f"FAIL coref-events did not write {key.name} and {response.name} (CHRONICLE_COREF_DUMP)")
        text, off = coref_scorer(tools, str(key), str(response))
        print(f"== scorer.pl all on `benchmark accuracy --task coref-events --split dev` KEY/RESPONSE ({secs:.2f}s)")
        print("\n".join(l for l in text.splitlines() if l.startswith(("METRIC", "Coreference:"))))
        compare("ECB+ dev events MUC F1", off["muc"], 100 * own["muc_f1"])
        compare("ECB+ dev events B3 F1", off["bcub"], 100 * own["b3_f1"])
        compare("ECB+ dev events CEAF-e F1", off["ceafe"], 100 * own["ceafe_f1"])
        compare("ECB+ dev events CoNLL F1", off["conll"], 100 * own["conll_f1"])
        report["ecbplus_coref_events_dev"] = {"official": off, "seconds": secs}


def main():
    binary, data, tools = sys.argv[1:4]
    json_out = sys.argv[sys.argv.index("--json") + 1] if "--json" in sys.argv else None
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    ewt = f"{data}/ud-ewt/en_ewt-ud-dev.conllu"
    uner = f"{data}/uner-ewt/en_ewt-ud-dev.iob2"
    rows, failed, report = [], [], {}

    def compare(name, official, own):
        ok = abs(official - own) <= TOLERANCE
        rows.append((name, official, own, ok))
        if not ok:
            failed.append(name)

    coref_check(binary, data, tools, compare, report)
    if only != "coref":
        ud_and_ner_checks(binary, tools, ewt, uner, compare, report)
    finish(rows, failed, report, json_out)


def ud_and_ner_checks(binary, tools, ewt, uner, compare, report):
    with tempfile.TemporaryDirectory() as tmp:
        system, secs = tag(binary, "conllu", ewt, tmp, gold_tokens=True)
        text, off = conll18(tools, ewt, system)
        print(f"== conll18_ud_eval.py -v on `chronicle tag --format conllu --gold-tokens` ({secs:.2f}s)\n{text}")
        pos, parse = ours(binary, "pos", ewt), ours(binary, "parse", ewt)
        compare("EWT UPOS (gold tokens)", off["UPOS"], 100 * pos["upos_accuracy"])
        compare("EWT XPOS (gold tokens)", off["XPOS"], 100 * pos["xpos_accuracy"])
        compare("EWT lemmas (gold tokens)", off["Lemmas"], 100 * pos["lemma_accuracy"])
        compare("EWT UFeats (gold tokens)", off["UFeats"], 100 * pos["ufeats_accuracy"])
        compare("EWT AllTags (gold tokens)", off["AllTags"], 100 * pos["alltags_accuracy"])
        compare("EWT UAS (gold tokens)", off["UAS"], 100 * parse["uas"])
        compare("EWT LAS (gold tokens)", off["LAS"], 100 * parse["las"])
        report["ewt_gold_tokens"] = {"official": off, "seconds": secs}

        raw = Path(tmp) / "raw" / "en_ewt-ud-dev.txt"
        raw.parent.mkdir()
        ewt_raw_text(ewt, raw)
        system, secs = tag(binary, "conllu", str(raw), str(raw.parent), gold_tokens=False)
        text, off = conll18(tools, ewt, system)
        print(f"== conll18_ud_eval.py -v on `chronicle tag --format conllu` from raw text ({secs:.2f}s)\n{text}")
        tok = ours(binary, "tokens", ewt)
        compare("EWT tokens F1 (raw text)", off["Tokens"], 100 * tok["token_f1"])
        compare("EWT sentences F1 (raw text)", off["Sentences"], 100 * tok["sentence_f1"])
        report["ewt_raw_text"] = {"official": off, "seconds": secs}

        from seqeval.metrics import classification_report, f1_score, precision_score, recall_score

        system, secs = tag(binary, "iob2", uner, tmp, gold_tokens=True)
        gold, pred = iob2_tags(uner), iob2_tags(system)
        if [len(s) for s in gold] != [len(s) for s in pred]:
            sys.exit("FAIL tagged IOB2 does not have the gold file's sentences and tokens")
        p, r, f = (100 * m(gold, pred) for m in (precision_score, recall_score, f1_score))
        print(f"== seqeval (default mode) on `chronicle tag --format iob2` ({secs:.2f}s)")
        print(classification_report(gold, pred, digits=4))
        ner = ours(binary, "ner", uner)
        compare("UNER NER precision", p, 100 * ner["precision"])
        compare("UNER NER recall", r, 100 * ner["recall"])
        compare("UNER NER F1", f, 100 * ner["f1"])
        report["uner"] = {"official": {"precision": p, "recall": r, "f1": f}, "seconds": secs}


def finish(rows, failed, report, json_out):
    print(f"{'figure':<30} {'official':>9} {'ours':>9}")
    for name, official, own, ok in rows:
        print(f"{name:<30} {official:>9.2f} {own:>9.2f}  {'ok' if ok else 'DIFFERS'}")
    if json_out:
        report["rows"] = [{"figure": n, "official": o, "ours": w} for n, o, w, _ in rows]
        Path(json_out).write_text(json.dumps(report, indent=2) + "\n")
    if failed:
        sys.exit(f"{len(failed)} figure(s) differ from the official scorer by more than {TOLERANCE} point: {', '.join(failed)}")
    print(f"all figures agree with the official scorers within {TOLERANCE} point")


if __name__ == "__main__":
    main()
