#!/usr/bin/env python3
"""Regenerate crawl.warc and crawl.warc.gz (fictional Chronicle example corpus).

Run from this directory:  python3 make_warc.py
Content-Length values and digests are computed, so edit the HTML below freely.
crawl.warc.gz holds each record as a separate gzip member, as WARC.gz does.
"""
import base64
import gzip
import hashlib
import uuid

NS = uuid.UUID("6d1c3a52-0b6e-4c1e-9f43-2f1d7c0a9e11")


def rid(name):
    return "<urn:uuid:%s>" % uuid.uuid5(NS, name)


def sha1(b):
    return "sha1:" + base64.b32encode(hashlib.sha1(b).digest()).decode()


def record(headers, block):
    head = "WARC/1.0\r\n"
    for k, v in headers:
        head += "%s: %s\r\n" % (k, v)
    head += "Content-Length: %d\r\n\r\n" % len(block)
    return head.encode("utf-8") + block + b"\r\n\r\n"


PAGE1 = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Drone, shell or both? Accounts clash over strike on northern Vastrel | Granite Courier</title>
<meta property="og:title" content="Drone, shell or both? Accounts clash over strike on northern Vastrel">
<meta property="og:site_name" content="Granite Courier">
<meta property="article:published_time" content="2025-03-08T20:45:00Z">
<meta name="author" content="Lisbet Varga">
<link rel="canonical" href="https://www.granite-courier.example/world/2025/03/08/vastrel-north-strike-accounts">
</head>
<body>
<nav><a href="/">Granite Courier</a> | <a href="/world">World</a> | <a href="/opinion">Opinion</a></nav>
<article>
<h1>Drone, shell or both? Accounts clash over strike on northern Vastrel</h1>
<p class="byline">By Lisbet Varga &middot; <time datetime="2025-03-08T20:45:00Z">8 March 2025</time></p>
<p>Talmar and Ostrevia gave sharply different accounts on Saturday of the artillery fire that hit the northern district of Vastrel, the most serious breach of the humanitarian pause that began on Thursday.</p>
<p>Talmar's Health Ministry said four civilians, among them a 12-year-old boy, were killed when shells landed near a water distribution point at about 3pm. Its spokeswoman, Dr Lena Kovar, said the victims had been &ldquo;queuing for water, nothing else&rdquo;.</p>
<p>Ostrevia's military spokesman, Colonel Piet Danek, said Ostrevian guns had fired only after a Talmari drone struck a supply post near the village of Orrin. &ldquo;We answered,&rdquo; he said. &ldquo;We did not begin.&rdquo; Talmar denied launching any drone.</p>
<p>According to the Talmari Red Crescent, its volunteers reached the site within 20 minutes and treated 11 injured people. The organisation said it could not confirm what had happened before the shelling.</p>
<p>The Caldrian mediator, Teodor Hallam, said he had spoken to both delegations in Portavene and that the pause was &ldquo;strained but not broken&rdquo;. Talmar now says 131 people have been killed in the city since February 24.</p>
</article>
<footer><p>&copy; 2025 Granite Courier</p></footer>
</body>
</html>
"""

PAGE2 = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Five days to March 14: the tests facing the Vastrel framework - Northgate Herald</title>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Five days to March 14: the tests facing the Vastrel framework","datePublished":"2025-03-09T21:10:00Z","author":{"@type":"Person","name":"Odile Marchetti"},"publisher":{"@type":"Organization","name":"Northgate Herald"}}</script>
<link rel="canonical" href="https://www.northgate-herald.example/analysis/2025/03/09/five-days-to-march-14">
</head>
<body>
<div class="cookie-notice">This site uses cookies. <button>OK</button></div>
<header><a href="/">Northgate Herald</a></header>
<main>
<h1>Five days to March 14: the tests facing the Vastrel framework</h1>
<p class="meta">Odile Marchetti, Diplomatic Editor &mdash; <time datetime="2025-03-09T21:10:00Z">Sunday 9 March 2025</time></p>
<p>The ceasefire framework initialled in Portavene on Sunday buys Vastrel five days. What happens in those days will decide whether Talmar and Ostrevia return on March 14 to sign it.</p>
<p>The first test is trucks. Ostrevia has promised at least 50 a day through the Brenn checkpoint. Last week, on the best day, 27 got through. &ldquo;Fifty is a number on paper,&rdquo; said Sanna Moret of the World Food Relief Office. &ldquo;We will count them.&rdquo;</p>
<p>The second test is the north of the city, where shelling on Saturday killed four people. Foreign Minister Ilsa Varnay said that any repeat would be treated as &ldquo;a signature withdrawn&rdquo;.</p>
<p>The third is prisoners. The joint commission has not yet met, and Deputy Defence Minister Radek Sorin said on Sunday that Ostrevia's position on a one-for-one exchange had not changed.</p>
<p>Mediator Teodor Hallam was, as ever, careful. Asked if he was optimistic, he said he was &ldquo;employed&rdquo;, and left it there.</p>
</main>
<footer><a href="/about">About</a> &middot; <a href="/privacy">Privacy</a></footer>
</body>
</html>
"""

PAGES = [
    ("https://www.granite-courier.example/world/2025/03/08/vastrel-north-strike-accounts",
     "2025-03-08T21:02:11Z", "Sat, 08 Mar 2025 21:02:11 GMT", "192.0.2.41", PAGE1),
    ("https://www.northgate-herald.example/analysis/2025/03/09/five-days-to-march-14",
     "2025-03-09T22:30:47Z", "Sun, 09 Mar 2025 22:30:47 GMT", "192.0.2.77", PAGE2),
]


def build():
    info_id = rid("warcinfo")
    info = (
        "software: chronicle-example-generator/0.1\r\n"
        "format: WARC File Format 1.0\r\n"
        "conformsTo: http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf\r\n"
        "description: Fictional crawl for the Chronicle example corpus (all content invented)\r\n"
        "isPartOf: chronicle-examples\r\n"
        "robots: obey\r\n"
    ).encode("utf-8")
    recs = [record([
        ("WARC-Type", "warcinfo"),
        ("WARC-Date", "2025-03-09T22:30:00Z"),
        ("WARC-Filename", "crawl.warc"),
        ("WARC-Record-ID", info_id),
        ("Content-Type", "application/warc-fields"),
    ], info)]
    for url, wdate, hdate, ip, html in PAGES:
        body = html.encode("utf-8")
        http = (
            "HTTP/1.1 200 OK\r\n"
            "Date: %s\r\n"
            "Server: nginx\r\n"
            "Content-Type: text/html; charset=utf-8\r\n"
            "Content-Length: %d\r\n"
            "Cache-Control: max-age=300\r\n"
            "Connection: close\r\n"
            "\r\n" % (hdate, len(body))
        ).encode("ascii") + body
        recs.append(record([
            ("WARC-Type", "response"),
            ("WARC-Target-URI", url),
            ("WARC-Date", wdate),
            ("WARC-Record-ID", rid(url)),
            ("WARC-Warcinfo-ID", info_id),
            ("WARC-IP-Address", ip),
            ("WARC-Block-Digest", sha1(http)),
            ("WARC-Payload-Digest", sha1(body)),
            ("Content-Type", "application/http; msgtype=response"),
        ], http))
    return recs


if __name__ == "__main__":
    recs = build()
    with open("crawl.warc", "wb") as f:
        f.write(b"".join(recs))
    with open("crawl.warc.gz", "wb") as f:
        for r in recs:
            f.write(gzip.compress(r, mtime=0))
