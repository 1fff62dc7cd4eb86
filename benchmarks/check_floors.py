#!/usr/bin/env python3
"""Runs `chronicle benchmark accuracy --json` for each row of floors.tsv and fails
when a figure is below its floor. Usage: check_floors.py BIN DATA_DIR FLOORS_TSV

A data path ending in .tar.xz is extracted once to a temporary folder (the data
folder is read-only); a json key with dots walks into nested objects
(`check.text_f1`)."""
import json
import subprocess
import sys
import tarfile
import tempfile

extracted = {}


def data_path(data, rel):
    path = f"{data}/{rel}"
    if not path.endswith(".tar.xz"):
        return path
    if path not in extracted:
        folder = tempfile.mkdtemp(prefix="chronicle-floors-")
        with tarfile.open(path) as tar:
            tar.extractall(folder, filter="data")
        extracted[path] = folder
    return extracted[path]


def figure(report, key):
    for part in key.split("."):
        if not isinstance(report, dict):
            return None
        report = report.get(part)
    return report

binary, data, floors_path = sys.argv[1:4]
cache = {}
failed = []
with open(floors_path) as f:
    rows = [l.rstrip("\n").split("\t") for l in f if l.strip() and not l.startswith("#")]
for row in rows:
    task, rel, key, floor = row[:4]
    extra = row[4].split() if len(row) > 4 and row[4] else []
    cmd = [binary, "benchmark", "accuracy", "--task", task, "--data", data_path(data, rel), "--json", *extra]
    ck = tuple(cmd)
    if ck not in cache:
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode != 0:
            print(f"FAIL {' '.join(cmd)}: exit {out.returncode}\n{out.stderr}")
            failed.append(task)
            continue
        cache[ck] = json.loads(out.stdout)
    value = figure(cache[ck], key)
    ok = value is not None and value >= float(floor)
    print(f"{'ok  ' if ok else 'FAIL'} {task:<7} {rel:<32} {key:<30} {'missing' if value is None else round(value, 4):<8} floor {floor}")
    if not ok:
        failed.append(f"{task}:{key}")
if failed:
    print(f"{len(failed)} figure(s) below floor: {', '.join(failed)}")
    sys.exit(1)
print("all figures at or above their floors")
