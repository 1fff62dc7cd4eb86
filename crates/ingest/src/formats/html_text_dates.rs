//! A page's publication day from its visible text, for pages whose markup names
//! none: many sites print the day only as text beside the headline ("Handball
//! Schweiz • 02.02.2022", "Von Anna Muster | 31.10.23", "am 24. Juli 2017"),
//! in no element that says it holds a date. The page's text nodes are read in
//! document order (scripts, styles and forms left out); the first day written
//! at or after the page's first `<h1>` is taken, else the first day written
//! anywhere, else one in the `<title>` or the description.

use super::html_dates::{date_in_words, PageDate};
use chrono::NaiveDate;
use dom_query::{Document as Dom, NodeRef};

/// Elements whose text a reader never sees as the page's prose.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "select", "option", "textarea", "button",
    "head",
];

/// Text nodes read past the first heading before giving up on a day near it:
/// a byline sits within the first few dozen nodes after the headline.
const AFTER_HEADING_NODES: usize = 60;

/// Text pieces longer than this are prose, not a stamp; a date inside prose is
/// more often the event's than the page's.
const MAX_PIECE: usize = 160;

/// One date-bearing text piece, with whether it comes after the first `<h1>`.
struct Found {
    date: NaiveDate,
    text: String,
    after_heading: bool,
    nodes_after_heading: usize,
}

/// The short text pieces of the body in document order, each marked when it
/// follows the first `<h1>` (with how many pieces after it).
fn scan(dom: &Dom) -> Vec<Found> {
    let mut out = Vec::new();
    let body = dom.select("body");
    let Some(root) = body.nodes().first().cloned() else {
        return out;
    };
    let mut stack: Vec<NodeRef> = vec![root];
    let mut seen_heading = false;
    let mut after = 0usize;
    while let Some(node) = stack.pop() {
        if node.is_text() {
            let text = node.text();
            let t = text.trim();
            if t.is_empty() {
                continue;
            }
            if seen_heading {
                after += 1;
            }
            if t.len() <= MAX_PIECE && t.bytes().any(|b| b.is_ascii_digit()) {
                if let Some(date) = date_in_words(t) {
                    out.push(Found {
                        date,
                        text: t.split_whitespace().collect::<Vec<_>>().join(" "),
                        after_heading: seen_heading,
                        nodes_after_heading: after,
                    });
                }
            }
            continue;
        }
        if !node.is_element() {
            continue;
        }
        let name = node.node_name().map(|n| n.to_ascii_lowercase());
        if name.as_deref().is_some_and(|n| SKIPPED.contains(&n)) {
            continue;
        }
        if name.as_deref() == Some("h1") {
            seen_heading = true;
        }
        stack.extend(node.children_it(true));
    }
    out
}

/// The day the page's text gives, as a `PageDate`.
pub fn text_date(dom: &Dom) -> Option<PageDate> {
    let found = scan(dom);
    let pick = found
        .iter()
        .find(|f| f.after_heading && f.nodes_after_heading <= AFTER_HEADING_NODES)
        .or_else(|| found.first());
    if let Some(f) = pick {
        return Some(PageDate {
            verbatim: f.text.clone(),
            date: f.date,
            source: "page text".into(),
            modified: false,
            from_text: true,
        });
    }
    let title = dom.select("title").text();
    let description = dom
        .select("meta[name='description'], meta[property='og:description']")
        .attr("content")
        .map(|c| c.to_string())
        .unwrap_or_default();
    [("<title>", title.to_string()), ("description", description)]
        .into_iter()
        .find_map(|(source, text)| {
            let t = text.trim();
            let date = date_in_words(t).filter(|_| t.len() <= 400)?;
            Some(PageDate {
                verbatim: t.to_string(),
                date,
                source: source.into(),
                modified: false,
                from_text: true,
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(html: &str) -> Option<String> {
        text_date(&Dom::from(html)).map(|d| d.date.to_string())
    }

    #[test]
    fn the_first_day_after_the_heading_wins() {
        let html = r#"<html><body><div class="teaser">Older piece 03.01.2020</div>
            <h1>Bridge reopens</h1><p><span>Town desk</span> <span>| 14.02.2021</span></p>
            <p>Work began on 2 March 2020 and ended last week.</p></body></html>"#;
        assert_eq!(day(html).as_deref(), Some("2021-02-14"));
    }

    #[test]
    fn without_a_heading_the_first_day_in_the_page() {
        let html = r#"<body><p>Filed 7. Mai 2019 by the desk</p><p>Next: 9 May 2019</p></body>"#;
        assert_eq!(day(html).as_deref(), Some("2019-05-07"));
    }

    #[test]
    fn scripts_and_long_prose_are_not_read() {
        let html = r#"<body><script>var d = "01.01.2015";</script><h1>Notes</h1>
            <p>This paragraph is long enough to be prose rather than a stamp, and it names
            a day, 4 April 2016, that belongs to the story it tells about the harbour.</p>
            </body>"#;
        assert_eq!(day(html), None);
    }

    #[test]
    fn the_title_or_description_as_a_last_resort() {
        let html = r#"<html><head><title>05.06.2022 - Season opens</title></head>
            <body><h1>Season opens</h1><p>No day here.</p></body></html>"#;
        assert_eq!(day(html).as_deref(), Some("2022-06-05"));
    }
}
