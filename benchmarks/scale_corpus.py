#!/usr/bin/env python3
"""FA-KES dev articles repeated as JSON Lines for the scale benchmarks (README
"PostgreSQL"), each copy its own article:

    python3 benchmarks/scale_corpus.py ../shared/data/fakes/fakes-dev.csv 100000 > articles.jsonl

Copy k of an article has "(copy k)" after its title (so it gets its own content
id), its date moved k*3 days later (250 copies span two years), and, for three
copies in four, the places and people of one of three other countries put in
place of Syria's (whole words, the same map for the title and the text), so the
store holds other dyads and timelines than the original's. Nothing is written
into the repository."""
import csv
import datetime
import json
import re
import sys

# Syria's names -> another country's, one map per copy class (copy % 4).
COUNTRIES = [
    {},
    {"Syria": "Yemen", "Syrian": "Yemeni", "Syrians": "Yemenis", "Damascus": "Sanaa",
     "Aleppo": "Taiz", "Homs": "Aden", "Idlib": "Marib", "Assad": "Hadi"},
    {"Syria": "Libya", "Syrian": "Libyan", "Syrians": "Libyans", "Damascus": "Tripoli",
     "Aleppo": "Benghazi", "Homs": "Misrata", "Idlib": "Sirte", "Assad": "Haftar"},
    {"Syria": "Iraq", "Syrian": "Iraqi", "Syrians": "Iraqis", "Damascus": "Baghdad",
     "Aleppo": "Mosul", "Homs": "Basra", "Idlib": "Kirkuk", "Assad": "Abadi"},
]


def swap(text, names):
    if not names:
        return text
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")
    return pattern.sub(lambda m: names[m.group(1)], text)


def shifted(date, days):
    try:
        d = datetime.date.fromisoformat(date[:10])
    except ValueError:
        return date
    return (d + datetime.timedelta(days=days)).isoformat()


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
    want = int(sys.argv[2])
    out = sys.stdout
    for i in range(want):
        r = rows[i % len(rows)]
        copy = i // len(rows)
        names = COUNTRIES[copy % len(COUNTRIES)]
        title = swap(r["article_title"], names)
        if copy:
            title = f"{title} (copy {copy})"
        out.write(json.dumps({"title": title, "text": swap(r["article_content"], names),
                              "source": r["source"],
                              "date": shifted(r["date"], 3 * copy)}) + "\n")


if __name__ == "__main__":
    main()
