//! Pathological inputs through `chronicle_ingest::read_file`, end to end (read,
//! decode, sniff, parse, readability, cleaning, dates). Prints, per shape and size, the
//! median wall time over several runs and what came out, so that a shape whose cost
//! grows faster than its size shows at once. Run with
//! `cargo bench -p chronicle-ingest --bench pathological` (`-- --quick` for one run
//! each). Speed is shown here, never asserted in tests.

use chronicle_ingest::{read_file, IngestOptions, LineStats};
use std::time::{Duration, Instant};

const ARTICLE: &str = "<article><h1>Council approves the harbour budget</h1>\
<p>The town council of Eastbrook voted on Monday to approve the harbour budget for the coming year, officials said after the meeting.</p>\
<p>The plan sets aside money for new moorings and for repairs to the north pier, which was damaged in the winter storms.</p>\
<p>Opposition members said the vote had been rushed and that they would ask the regional auditor to review the figures.</p>\
</article>";

/// A phrase of the article that must survive, whatever the shape around it.
const NEEDLE: &str = "north pier";

fn page(body: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>Council approves the harbour budget</title></head><body>{body}</body></html>"
    )
}

fn nested(open: &str, close: &str, n: usize) -> String {
    let mut s = String::with_capacity((open.len() + close.len()) * n + ARTICLE.len());
    for _ in 0..n {
        s.push_str(open);
    }
    s.push_str(ARTICLE);
    for _ in 0..n {
        s.push_str(close);
    }
    page(&s)
}

struct Case {
    name: String,
    file: &'static str,
    content: String,
    /// Whether the article's text must come out.
    expect_article: bool,
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    for n in [1_000, 8_000, 100_000] {
        out.push(Case {
            name: format!("nested <div> x{n}"),
            file: "nested.html",
            content: nested("<div>", "</div>", n),
            expect_article: true,
        });
    }
    out.push(Case {
        name: "unclosed <div> x100000".into(),
        file: "unclosed.html",
        content: nested("<div>", "", 100_000),
        expect_article: true,
    });
    out.push(Case {
        name: "nested <table><tr><td> x30000".into(),
        file: "tables.html",
        content: nested("<table><tr><td>", "</td></tr></table>", 30_000),
        expect_article: true,
    });
    out.push(Case {
        name: "nested <ul><li> x50000".into(),
        file: "lists.html",
        content: nested("<ul><li>", "</li></ul>", 50_000),
        expect_article: true,
    });
    out.push(Case {
        name: "reopened <b> in <p> x50000".into(),
        file: "reopen.html",
        content: page(&format!(
            "{}{ARTICLE}",
            (0..50_000)
                .map(|i| format!("<p><b id=b{i}>x</p>"))
                .collect::<String>()
        )),
        expect_article: true,
    });
    for n in [50_000, 200_000] {
        out.push(Case {
            name: format!("120 <div> deep, {n} <p> inside"),
            file: "wide.html",
            content: nested("<div>", "</div>", 120).replace(
                "<article>",
                &format!("<article>{}", "<p>Short line of text here.</p>".repeat(n)),
            ),
            expect_article: true,
        });
    }
    for n in [250_000, 1_000_000] {
        out.push(Case {
            name: format!("{n} tiny <p>"),
            file: "tiny.html",
            content: page(&format!("{ARTICLE}{}", "<p>Ok.</p>".repeat(n))),
            expect_article: true,
        });
    }
    let words = "the harbour council met again on the north pier and voted ";
    let mut line = String::with_capacity(20_000_000);
    while line.len() + words.len() < 20_000_000 {
        line.push_str(words);
    }
    out.push(Case {
        name: "20 MB single-line text".into(),
        file: "line.txt",
        content: line.clone(),
        expect_article: true,
    });
    out.push(Case {
        name: "20 MB single-line <p>".into(),
        file: "line.html",
        content: page(&format!("<p>{line}</p>")),
        expect_article: true,
    });
    out.push(Case {
        name: "1M tiny text paragraphs".into(),
        file: "tiny.txt",
        content: format!(
            "The council met on the north pier.\n\n{}",
            "Ok then.\n\n".repeat(1_000_000)
        ),
        expect_article: true,
    });
    out.push(Case {
        name: "1M dated stamp lines".into(),
        file: "stamps.txt",
        content: format!(
            "The council met on the north pier on Monday, officials said.\n{}",
            "Posted: 5 Mar 2025\n".repeat(1_000_000)
        ),
        expect_article: true,
    });
    out.push(Case {
        name: "RSS item, 100000 nested elements".into(),
        file: "feed.xml",
        content: format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><item><title>Budget</title><description>{}The council met on the north pier.{}</description></item></channel></rss>",
            "<x>".repeat(100_000),
            "</x>".repeat(100_000)
        ),
        expect_article: false,
    });
    out.push(Case {
        name: "RSS item, 100000 nested <div> (escaped)".into(),
        file: "feed2.xml",
        content: format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><item><title>Budget</title><description>{}{}{}</description></item></channel></rss>",
            "&lt;div&gt;".repeat(100_000),
            ARTICLE.replace('<', "&lt;").replace('>', "&gt;"),
            "&lt;/div&gt;".repeat(100_000)
        ),
        expect_article: true,
    });
    out.push(Case {
        name: "JSON nested 100000 arrays".into(),
        file: "deep.json",
        content: format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
        expect_article: false,
    });
    out
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("cannot create a temporary folder: {e}");
            std::process::exit(1);
        }
    };
    let opts = IngestOptions::default();
    println!(
        "{:<38} {:>10} {:>9} {:>9} {:>9}  result",
        "shape", "bytes", "median s", "min s", "max s"
    );
    for case in cases() {
        if filter
            .as_ref()
            .is_some_and(|f| !case.name.contains(f.as_str()))
        {
            continue;
        }
        let path = dir.path().join(case.file);
        if let Err(e) = std::fs::write(&path, &case.content) {
            eprintln!("cannot write {}: {e}", path.display());
            std::process::exit(1);
        }
        let runs = if quick { 1 } else { 3 };
        let mut times = Vec::with_capacity(runs);
        let mut summary = String::new();
        for _ in 0..runs {
            let start = Instant::now();
            let result = read_file(&path, &opts, &LineStats::default());
            times.push(start.elapsed());
            summary = describe(&result, case.expect_article);
        }
        let min = times.iter().copied().min().unwrap_or_default();
        let max = times.iter().copied().max().unwrap_or_default();
        println!(
            "{:<38} {:>10} {:>9.3} {:>9.3} {:>9.3}  {summary}",
            case.name,
            case.content.len(),
            median(times).as_secs_f64(),
            min.as_secs_f64(),
            max.as_secs_f64(),
        );
    }
}

fn describe(result: &chronicle_ingest::FileResult, expect_article: bool) -> String {
    match result {
        Err(e) => format!("error: {e}"),
        Ok(records) => {
            let docs: Vec<_> = records.iter().filter_map(|r| r.as_ref().ok()).collect();
            let failed = records.len() - docs.len();
            let chars: usize = docs.iter().map(|d| d.text.len()).sum();
            let found = docs.iter().any(|d| d.text.contains(NEEDLE));
            let mut s = format!("{} doc(s), {failed} failed, {chars} text bytes", docs.len());
            if expect_article {
                s.push_str(if found {
                    ", article text found"
                } else {
                    ", ARTICLE TEXT MISSING"
                });
            }
            s
        }
    }
}
