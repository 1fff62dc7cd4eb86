//! HTML pages: main content by readability (dom_smoothie), metadata from `<meta>`,
//! JSON-LD, `<link rel=canonical>` and `<time datetime>`.

use crate::{dates, IngestError, RawArticle};
use chronicle_core::{DateEvidence, DateProvenance};
use dom_query::Document as Dom;
use std::path::Path;

fn meta(dom: &Dom, selectors: &[&str]) -> Option<String> {
    selectors.iter().find_map(|sel| {
        let s = dom.select(sel);
        let v = s
            .attr("content")
            .or_else(|| s.attr("href"))
            .or_else(|| s.attr("datetime"))?;
        let v = v.trim().to_string();
        (!v.is_empty()).then_some(v)
    })
}

/// `datePublished`, `headline`, `author` and `publisher` of a JSON-LD article object,
/// searching `@graph` arrays too.
#[derive(Default)]
struct JsonLd {
    date: Option<String>,
    headline: Option<String>,
    author: Option<String>,
    publisher: Option<String>,
    url: Option<String>,
}

fn json_ld(dom: &Dom) -> JsonLd {
    let mut out = JsonLd::default();
    for script in dom.select("script[type='application/ld+json']").iter() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(script.text().trim()) else {
            continue;
        };
        let mut stack = vec![v];
        while let Some(v) = stack.pop() {
            match v {
                serde_json::Value::Array(a) => stack.extend(a),
                serde_json::Value::Object(o) => {
                    if let Some(g) = o.get("@graph") {
                        stack.push(g.clone());
                    }
                    let s = |k: &str| {
                        o.get(k)
                            .map(crate::fields::json_to_string)
                            .filter(|s| !s.is_empty())
                    };
                    if out.date.is_none() {
                        out.date = s("datePublished").or_else(|| s("dateCreated"));
                    }
                    if out.headline.is_none() {
                        out.headline = s("headline");
                    }
                    if out.author.is_none() {
                        out.author = s("author");
                    }
                    if out.publisher.is_none() {
                        out.publisher = s("publisher");
                    }
                    if out.url.is_none() && o.contains_key("headline") {
                        out.url = ["url", "mainEntityOfPage"]
                            .iter()
                            .find_map(|k| o.get(*k).and_then(json_ld_url));
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// A JSON-LD URL: a string, or a node (`{"@type": "WebPage", "@id": "https://…"}`)
/// named by its `@id` or `url`; only web addresses count.
fn json_ld_url(v: &serde_json::Value) -> Option<String> {
    let s = match v {
        serde_json::Value::String(s) => s.trim(),
        serde_json::Value::Object(o) => o
            .get("@id")
            .or_else(|| o.get("url"))
            .and_then(serde_json::Value::as_str)?
            .trim(),
        _ => return None,
    };
    (s.starts_with("https://") || s.starts_with("http://")).then(|| s.to_string())
}

/// A full day in the page's own address (`/2019/01/01/`) outranks a day read
/// from the page's text or a modified date. Publication stamps keep their
/// rank: on the tune pages a URL's day was the day a story was started as
/// often as the day it went out.
fn url_day_first(
    page: Option<super::html_dates::PageDate>,
    url: Option<&str>,
) -> Option<super::html_dates::PageDate> {
    let Some(day) = url.map(dates::dates_in_url).and_then(|ds| {
        ds.into_iter()
            .find(|d| d.day_precision && stands_alone(url, &d.verbatim))
    }) else {
        return page;
    };
    if page
        .as_ref()
        .is_some_and(|p| p.date == day.date || !(p.modified || p.from_text))
    {
        return page;
    }
    Some(super::html_dates::PageDate {
        verbatim: day.verbatim,
        date: day.date,
        source: "URL".into(),
        modified: false,
        from_text: false,
    })
}

/// Words a description needs to be a standfirst rather than a slogan.
const STANDFIRST_WORDS: usize = 10;

fn fold_words(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The page's description (`og:description`, `description`) when the page
/// also shows it as text: the article's standfirst, which readability often
/// leaves outside the block it keeps.
fn visible_description(dom: &Dom) -> Option<String> {
    let d = meta(
        dom,
        &[
            "meta[property='og:description']",
            "meta[name='description']",
        ],
    )?;
    let d = d.split_whitespace().collect::<Vec<_>>().join(" ");
    if d.split(' ').count() < STANDFIRST_WORDS || d.ends_with("...") || d.ends_with('…') {
        return None;
    }
    let shown = fold_words(&dom.select("body").text());
    shown.contains(&fold_words(&d)).then_some(d)
}

/// `body` opened by the standfirst when it does not hold it already.
fn with_standfirst(body: String, standfirst: Option<&str>) -> String {
    match standfirst {
        Some(s) if !fold_words(&body).contains(&fold_words(s)) => format!("{s}\n\n{body}"),
        _ => body,
    }
}

/// Readability's text shorter than this (non-space characters) may be a side
/// box rather than the article.
const SHORT_ARTICLE: usize = 1500;

/// Whether `found` appears in `url` with no digit running on after it
/// (`/2003/03/20030331_speech` holds no `2003/03/20`).
fn stands_alone(url: Option<&str>, found: &str) -> bool {
    url.is_some_and(|u| {
        u.match_indices(found).any(|(at, _)| {
            !u[at + found.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit())
        })
    })
}

/// Text of an HTML fragment with block elements turned into paragraph breaks.
pub fn fragment_to_text(html: &str) -> String {
    if !html.contains('<') {
        return decode_entities_only(html);
    }
    let html = super::html_depth::bounded_fragment(html);
    let dom = Dom::fragment(html.as_ref());
    dom.select("script, style, noscript").remove();
    for tag in [
        "p",
        "div",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "tr",
        "section",
        "article",
        "figcaption",
    ] {
        for node in dom.select(tag).iter() {
            node.append_html("\n\n");
        }
    }
    for node in dom.select("br").iter() {
        node.replace_with_html("\n");
    }
    let text = dom.select("html").text();
    let text = if text.trim().is_empty() {
        dom.root().text()
    } else {
        text
    };
    normalize_blank_lines(&text)
}

fn decode_entities_only(s: &str) -> String {
    if s.contains('&') {
        Dom::fragment(format!("<p>{s}</p>"))
            .root()
            .text()
            .to_string()
    } else {
        s.to_string()
    }
}

fn normalize_blank_lines(text: &str) -> String {
    let mut out = String::new();
    for para in text.split("\n\n") {
        let p = para.split_whitespace().collect::<Vec<_>>().join(" ");
        if !p.is_empty() {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&p);
        }
    }
    out
}

pub fn read_html(
    html: &str,
    url_hint: Option<&str>,
    path: &Path,
) -> Result<RawArticle, IngestError> {
    let html = super::html_depth::bounded(html);
    let html = html.as_ref();
    let dom = Dom::from(html);
    let canonical = meta(&dom, &["link[rel='canonical']", "meta[property='og:url']"]);
    let ld = json_ld(&dom);
    let url = canonical
        .clone()
        .or(ld.url.clone())
        .or_else(|| url_hint.map(str::to_string));
    let meta_title = meta(
        &dom,
        &["meta[property='og:title']", "meta[name='twitter:title']"],
    )
    .or(ld.headline.clone());
    let zone =
        super::html_zone::site_zone(url.as_deref(), dom.select("html").attr("lang").as_deref());
    let page_date = super::html_dates::page_date(&dom, ld.date.as_deref(), zone);
    let page_date = url_day_first(page_date, url.as_deref());
    let time_el = dom
        .select("time[datetime]")
        .attr("datetime")
        .map(|s| s.to_string());
    let author = meta(
        &dom,
        &["meta[name='author']", "meta[property='article:author']"],
    )
    .or(ld.author.clone());
    let site = meta(
        &dom,
        &[
            "meta[property='og:site_name']",
            "meta[name='application-name']",
        ],
    )
    .or(ld.publisher.clone());

    let host = url.as_deref().and_then(crate::outlet_from_url);
    let site_names: Vec<&str> = [site.as_deref(), ld.publisher.as_deref(), host.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    let page_title = dom.select("title").text().to_string();
    let headline = super::html_title::headline(
        &dom,
        meta_title.as_deref(),
        Some(page_title.as_str()).filter(|t| !t.trim().is_empty()),
        &site_names,
    );

    let second = super::html_main::densest_block(&dom);
    let links = super::html_boilerplate::link_texts(&dom);
    let standfirst = visible_description(&dom);
    // Photo captions and credits are the picture's, not the article's text.
    dom.select("figcaption").remove();
    let cfg = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        ..Default::default()
    };
    // Readability takes the parsed page over (it prunes it), so the page is parsed
    // once for both; the rare fallback below parses it again.
    let article = dom_smoothie::Readability::with_document(dom, url.as_deref(), Some(cfg))
        .and_then(|mut r| r.parse());
    let (title, body, byline, published) = match article {
        Ok(a) => (
            Some(a.title.to_string()).filter(|t| !t.trim().is_empty()),
            a.text_content.to_string(),
            a.byline.map(|b| b.to_string()),
            a.published_time.map(|p| p.to_string()),
        ),
        Err(_) => {
            // Too little content for readability: fall back to the whole body text.
            let dom = Dom::from(html);
            let body_html = dom.select("body").html();
            let fallback = fragment_to_text(&body_html);
            let title = dom.select("title").text().trim().to_string();
            (Some(title).filter(|t| !t.is_empty()), fallback, None, None)
        }
    };
    let body = normalize_blank_lines(
        &body
            .replace("\r\n", "\n")
            .replace('\n', "\n\n")
            .replace("\n\n\n\n", "\n\n"),
    );
    // Readability kept a short block with less than half the prose of the
    // page's densest one: it settled on a side box (a disclosure, an author's
    // note, a login form), so the densest block is the article. A long
    // readability text stands (on tune, the denser block beside a long one
    // was a consent dialog as often as the article).
    let body_chars = body.chars().filter(|c| !c.is_whitespace()).count();
    let body = match second {
        Some(b) if body_chars < SHORT_ARTICLE && b.prose_chars > 2 * body_chars + 200 => {
            let text = fragment_to_text(&b.html);
            if text.trim().is_empty() {
                body
            } else {
                text
            }
        }
        _ => body,
    };
    let body = super::html_boilerplate::strip_chrome(&body, &links);
    let body = with_standfirst(body, standfirst.as_deref());
    if body.trim().is_empty() {
        return Err(IngestError::malformed(
            path,
            "HTML",
            "page has no readable text",
        ));
    }
    let mut extra = Vec::new();
    if let Some(t) = &time_el {
        if let Some(p) = dates::parse_date(t) {
            extra.push(DateEvidence {
                date: dates::iso(p.date),
                provenance: DateProvenance::HtmlMeta,
                verbatim: format!("<time datetime=\"{t}\">"),
                confidence: 0.8,
            });
        }
    }
    // The stated date is what the page says as written when ingest's date parser
    // reads it the same way; otherwise (a German "23. März 2008", a modified
    // date) the day found goes in as evidence of its own.
    let mut stated = published.map(|d| (d, DateProvenance::HtmlMeta));
    if let Some(pd) = page_date {
        let read_as = dates::parse_date(&pd.verbatim).map(|p| p.date);
        let parses_same = read_as == Some(pd.date);
        if parses_same && !pd.modified {
            stated = Some((pd.verbatim, DateProvenance::HtmlMeta));
        } else if read_as.is_some() && !pd.modified && !pd.from_text {
            // A UTC stamp moved to the site's own day: the stamp as written
            // names the UTC day, so it is evidence, not the stated date.
            stated = None;
            extra.push(DateEvidence {
                date: dates::iso(pd.date),
                provenance: DateProvenance::HtmlMeta,
                verbatim: format!("{}: {}", pd.source, pd.verbatim),
                confidence: 0.9,
            });
        } else {
            extra.push(DateEvidence {
                date: dates::iso(pd.date),
                provenance: DateProvenance::HtmlMeta,
                verbatim: format!("{}: {}", pd.source, pd.verbatim),
                confidence: if pd.modified { 0.35 } else { 0.7 },
            });
        }
    }
    Ok(RawArticle {
        format: "html",
        record: None,
        title: headline.or(title),
        body,
        url,
        stated_date: stated,
        extra_dates: extra,
        outlet: site,
        byline: author.or(byline),
        metadata: Default::default(),
        parse_header: false,
        warnings: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_urls_are_web_addresses_from_strings_or_nodes() {
        let v: serde_json::Value =
            serde_json::from_str(r#"{"@type": "WebPage", "@id": "https://pillar.example/a.html"}"#)
                .unwrap();
        assert_eq!(
            json_ld_url(&v).as_deref(),
            Some("https://pillar.example/a.html")
        );
        assert_eq!(
            json_ld_url(&serde_json::Value::from(" http://x.example/b ")).as_deref(),
            Some("http://x.example/b")
        );
        assert_eq!(json_ld_url(&serde_json::Value::from("/relative")), None);
        assert_eq!(json_ld_url(&serde_json::json!({"@type": "WebPage"})), None);
    }

    #[test]
    fn metadata_and_body() {
        let html = r#"<html><head><title>T | Site</title>
<meta property="og:title" content="Talks resume in the capital">
<link rel="canonical" href="https://news.example/2025/03/06/talks.html">
<meta property="article:published_time" content="2025-03-06T08:30:00Z">
<meta name="author" content="Ana Voss"><meta property="og:site_name" content="Northgate Herald">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Talks resume in the capital</h1>
<p>Negotiators from both governments returned to the table on Thursday, officials said, after a week in which the ceasefire nearly collapsed twice.</p>
<p>"We are here to finish what we started," the foreign minister told reporters outside the conference hall in the late afternoon.</p>
<p>Aid agencies said at least 40 trucks were waiting at the northern checkpoint, and that fuel for the city's hospitals would run out within days.</p>
</article><footer>Copyright 2025 Northgate Herald. All rights reserved.</footer></body></html>"#;
        let a = read_html(html, None, Path::new("x.html")).unwrap();
        assert_eq!(a.title.as_deref(), Some("Talks resume in the capital"));
        assert_eq!(
            a.url.as_deref(),
            Some("https://news.example/2025/03/06/talks.html")
        );
        assert_eq!(
            a.stated_date.as_ref().map(|d| d.0.as_str()),
            Some("2025-03-06T08:30:00Z")
        );
        assert_eq!(a.byline.as_deref(), Some("Ana Voss"));
        assert_eq!(a.outlet.as_deref(), Some("Northgate Herald"));
        assert!(
            a.body.contains("Negotiators from both governments"),
            "{}",
            a.body
        );
        assert!(!a.body.contains("All rights reserved"), "{}", a.body);
    }

    #[test]
    fn a_urls_day_outranks_a_day_read_from_text_only_when_it_stands_alone() {
        let text_day = |d: &str| {
            Some(super::super::html_dates::PageDate {
                verbatim: "page text".into(),
                date: d.parse().unwrap(),
                source: "page text".into(),
                modified: false,
                from_text: true,
            })
        };
        let url = Some("https://news.example/2019/01/01/new-year/");
        let got = url_day_first(text_day("2018-12-31"), url).unwrap();
        assert_eq!(got.date.to_string(), "2019-01-01");
        let stamp = super::super::html_dates::PageDate {
            from_text: false,
            ..text_day("2018-12-31").unwrap()
        };
        let got = url_day_first(Some(stamp), url).unwrap();
        assert_eq!(got.date.to_string(), "2018-12-31");
        let glued = Some("https://news.example/2003/03/20030331_speech.html");
        let got = url_day_first(text_day("2003-03-31"), glued).unwrap();
        assert_eq!(got.date.to_string(), "2003-03-31");
    }

    #[test]
    fn list_items_and_subheadings_of_an_article_stay_captions_go() {
        let para = "The harbour board met on Tuesday and agreed on a timetable for the works, which will close the north pier to ferries for most of the summer season.";
        let html = format!(
            r#"<html><head><title>Pier works</title></head><body><article><h1>Pier works</h1>
            <p>{para}</p><h2>What changes for passengers from the first of May</h2>
            <ul><li>Morning ferries leave from the south quay instead</li>
            <li>Evening sailings keep their usual times and berths</li></ul>
            <figure><img src="q.jpg"><figcaption>Passengers at the south quay. Photograph: A. Muster</figcaption></figure>
            <p>{para}</p><p>{para}</p></article></body></html>"#
        );
        let stats = crate::LineStats::default();
        let docs = crate::read_bytes(
            html.as_bytes(),
            Path::new("pier.html"),
            &crate::IngestOptions::default(),
            &stats,
        )
        .expect("read");
        let doc = docs.into_iter().next().expect("one").expect("a document");
        assert!(!doc.text.contains("Photograph"), "{}", doc.text);
        for line in [
            "What changes for passengers from the first of May",
            "Morning ferries leave from the south quay instead",
            "Evening sailings keep their usual times and berths",
        ] {
            assert!(doc.text.contains(line), "{line}: {}", doc.text);
        }
    }

    #[test]
    fn a_shown_description_opens_the_text_a_hidden_one_does_not() {
        let lead = "Ferries will leave from the south quay for the whole summer while the north pier is rebuilt";
        let page = |shown: &str| {
            Dom::from(format!(
                r#"<html><head><meta name="description" content="{lead}"></head>
                <body><div class="intro">{shown}</div><article><p>Body.</p></article></body></html>"#
            ))
        };
        assert_eq!(visible_description(&page(lead)).as_deref(), Some(lead));
        assert_eq!(visible_description(&page("Something else")), None);
        let body = with_standfirst("Body.".into(), Some(lead));
        assert_eq!(body, format!("{lead}\n\nBody."));
        assert_eq!(with_standfirst(body.clone(), Some(lead)), body);
    }

    #[test]
    fn fragment_paragraphs() {
        assert_eq!(
            fragment_to_text("<p>One &amp; two.</p><p>Three.</p>"),
            "One & two.\n\nThree."
        );
    }
}
