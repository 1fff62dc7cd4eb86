//! Plain-text article cleaning: parses the header lines news copies carry (date
//! lines, URL lines, `PUBLISHED :` stamps, titles) and removes page chrome by its
//! general shape — navigation/newsletter/404 vocabulary on short lines, `LABEL:
//! headline` teasers, reading times, stray numbers, photo captions, bylines,
//! headline-shaped lines inside the body, and lines an outlet repeats across
//! articles. Every removed line is kept with the reason, for audit.

use crate::dates::{self, ParsedDate};
use chronicle_core::RemovedLine;
use chrono::NaiveDate;

/// A date the source states about itself, and which kind of stamp carried it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatedStamp {
    pub verbatim: String,
    pub parsed: Option<ParsedDate>,
    /// `date`, `published`, `updated`, `posted`.
    pub label: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cleaned {
    pub text: String,
    pub removed: Vec<RemovedLine>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub byline: Option<String>,
    pub stamps: Vec<StatedStamp>,
    /// A date opening the body (`Fri 07 Apr 2017 at 0914 …`).
    pub dateline: Option<(String, ParsedDate)>,
    /// Outlet named by a credit line (`Source: Al Jazeera News And News Agencies`)
    /// or by a masthead line (`Tidewater Tribune | World | 5 March 2025`).
    pub credited_outlet: Option<String>,
}

pub struct CleanOptions<'a> {
    /// Parse header lines (plain-text files). Off for bodies whose metadata came
    /// from structured fields (HTML, JSON, CSV, feeds).
    pub parse_header: bool,
    /// Title known from metadata: a body line repeating it is dropped.
    pub known_title: Option<&'a str>,
    /// Lines this outlet is known to repeat across articles.
    pub is_boilerplate: &'a dyn Fn(&str) -> bool,
    /// Drop headline-shaped lines between paragraphs as links to other stories.
    /// Off for HTML, where they are the article's list items, table rows and
    /// subheadings (readability and the page's links already set stories apart).
    pub related_headlines: bool,
}

const NAV_PHRASES: &[&str] = &[
    "skip to",
    "main menu",
    "toggle navigation",
    "sign in",
    "log in",
    "login",
    "subscribe",
    "newsletter",
    "cookie",
    "privacy policy",
    "terms of use",
    "terms of service",
    "all rights reserved",
    "advertisement",
    "share this",
    "share on",
    "share article",
    "follow us",
    "back to top",
    "most read",
    "most popular",
    "most viewed",
    "trending",
    "related stor",
    "related article",
    "related coverage",
    "related content",
    "related topics",
    "you may also like",
    "recommended for you",
    "click here",
    "sign up",
    "download the app",
    "enable javascript",
    "in your inbox",
    "get the latest",
    "breaking news alerts",
    "listen to this article",
    "print this",
    "email this",
];

/// Lines that are a single navigation word or two.
const NAV_WORDS: &[&str] = &[
    "share",
    "tweet",
    "email",
    "print",
    "comments",
    "comment",
    "menu",
    "search",
    "home",
    "close",
    "advertisement",
    "sponsored",
    "more",
    "next",
    "previous",
    "related",
    "video",
    "photos",
    "gallery",
    "facebook",
    "twitter",
    "whatsapp",
    "linkedin",
    "reddit",
    "copy link",
];

/// Title-case labels that introduce a teaser or credit rather than prose.
const TEASER_LABELS: &[&str] = &[
    "read more",
    "read also",
    "also read",
    "see also",
    "related",
    "watch",
    "listen",
    "opinion",
    "analysis",
    "explainer",
    "more",
    "inside story",
    "live",
    "live updates",
    "recommended",
];

const CREDIT_LABELS: &[&str] = &[
    "source", "sources", "photo", "photos", "image", "images", "picture", "video", "credit",
];

const STAMP_LABELS: &[(&str, &str)] = &[
    ("published", "published"),
    ("updated", "updated"),
    ("last updated", "updated"),
    ("posted", "posted"),
    ("first published", "published"),
    ("date", "date"),
];

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

fn strip_closers(s: &str) -> &str {
    s.trim_end_matches(['"', '\'', '”', '’', ')', ']', '»', ' '])
}

fn ends_like_sentence(s: &str) -> bool {
    let t = strip_closers(s.trim_end());
    t.ends_with(['.', '!', '?', ':', ';', '…', ','])
}

fn has_letters(s: &str) -> bool {
    s.chars().any(char::is_alphabetic)
}

fn is_url_line(s: &str) -> bool {
    let t = s.trim();
    (t.starts_with("http://") || t.starts_with("https://") || t.starts_with("www."))
        && !t.contains(char::is_whitespace)
}

fn is_reading_time(s: &str) -> bool {
    let lower = s.trim().to_lowercase();
    let mut words = lower.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    let (num, rest_in_first) = first.split_at(
        first
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(first.len()),
    );
    if num.is_empty() || num.len() > 3 {
        return false;
    }
    let mut rest: Vec<&str> = Vec::new();
    if !rest_in_first.is_empty() {
        rest.push(rest_in_first);
    }
    rest.extend(words);
    match rest.as_slice() {
        [unit] | [unit, "read"] => matches!(*unit, "min" | "mins" | "minute" | "minutes" | "m"),
        _ => false,
    }
}

fn is_stray_number(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '/' | '-' | ' '))
        && t.chars().any(|c| c.is_ascii_digit())
}

/// `LABEL: rest` with the label and rest split, when the line has that shape.
fn label_split(s: &str) -> Option<(&str, &str)> {
    let (label, rest) = s.split_once(':')?;
    let label = label.trim();
    let rest = rest.trim();
    if label.is_empty() || rest.is_empty() || word_count(label) > 3 || label.len() > 30 {
        return None;
    }
    Some((label, rest))
}

fn is_all_caps_label(label: &str) -> bool {
    let letters: Vec<char> = label.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 3 && letters.iter().all(|c| c.is_uppercase())
}

/// A stamp line such as `PUBLISHED : Friday, 09 September, 2016, 1:07pm`.
fn parse_stamp(s: &str) -> Option<StatedStamp> {
    let (label, rest) = label_split(s).or_else(|| {
        // "date 2016-10-03" without a colon
        let t = s.trim();
        let (l, r) = t.split_once(char::is_whitespace)?;
        l.eq_ignore_ascii_case("date").then_some((l, r.trim()))
    })?;
    let lower = label.to_lowercase();
    let lower = lower.trim_end_matches(" on").trim_end_matches(" at");
    let kind = STAMP_LABELS.iter().find(|(l, _)| *l == lower)?.1;
    Some(StatedStamp {
        verbatim: rest.to_string(),
        parsed: dates::parse_date(rest),
        label: kind.to_string(),
    })
}

/// `date 2015-03-20 French Foreign Minister …`: a date line glued to the first
/// paragraph. Returns the stamp and the byte offset where the prose starts.
fn glued_date_line(line: &str) -> Option<(StatedStamp, usize)> {
    let lead = line.len() - line.trim_start().len();
    let t = line.trim_start();
    let rest = t
        .strip_prefix("date ")
        .or_else(|| t.strip_prefix("Date "))?;
    let rest_start = lead + (t.len() - rest.len());
    let date_part = rest.get(..10)?;
    let parsed = dates::parse_date(date_part)?;
    let after = &line[rest_start + 10..];
    let prose = after.trim_start();
    if prose.is_empty() {
        return None;
    }
    Some((
        StatedStamp {
            verbatim: date_part.to_string(),
            parsed: Some(parsed),
            label: "date".to_string(),
        },
        line.len() - prose.len(),
    ))
}

/// A masthead line: a few parts split by `|`, `—`, `·` or ` - `, one of them a full
/// date (`Tidewater Tribune | World | 5 March 2025`, `Gazette — Thursday 6 March 2025`).
/// Returns the stamp and the first non-date part as the outlet.
fn masthead(line: &str) -> Option<(StatedStamp, Option<String>)> {
    if word_count(line) > 12
        || ends_like_sentence(line)
            && !line
                .trim_end()
                .ends_with(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
    {
        return None;
    }
    let parts: Vec<&str> = line
        .split(['|', '—', '·', '•'])
        .flat_map(|p| p.split(" - "))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 2 {
        return None;
    }
    let (date_idx, parsed) = parts.iter().enumerate().find_map(|(i, p)| {
        let parsed = dates::parse_date(p)?;
        Some((i, parsed))
    })?;
    let outlet = parts
        .iter()
        .enumerate()
        .find(|(i, p)| {
            *i != date_idx && has_letters(p) && p.chars().next().is_some_and(char::is_uppercase)
        })
        .map(|(_, p)| p.to_string());
    Some((
        StatedStamp {
            verbatim: parts[date_idx].to_string(),
            parsed: Some(parsed),
            label: "date".to_string(),
        },
        outlet,
    ))
}

/// A caption ending in a photo credit: `… old town, March 6, 2025. (The Lantern Review / M. Haskin)`.
fn is_photo_caption(t: &str) -> bool {
    let Some(body) = t.strip_suffix(')') else {
        return false;
    };
    let Some(open) = body.rfind('(') else {
        return false;
    };
    let credit = &body[open + 1..];
    let lower = credit.to_lowercase();
    word_count(credit) <= 8
        && (credit.contains('/')
            || [
                "photo", "picture", "image", "credit", "getty", "afp", "reuters", "ap ", "epa", "©",
            ]
            .iter()
            .any(|k| lower.contains(k)))
}

/// Why a body line is chrome, if it is.
fn chrome_reason(line: &str, is_boilerplate: &dyn Fn(&str) -> bool) -> Option<&'static str> {
    let t = line.trim();
    let lower = t.to_lowercase();
    let words = word_count(t);
    if is_boilerplate(t) {
        return Some("repeated");
    }
    if is_reading_time(t) {
        return Some("reading-time");
    }
    if is_stray_number(t) {
        return Some("stray-number");
    }
    if !has_letters(t) {
        return Some("no-text");
    }
    if words <= 15 && crate::not_found::is_error_line(t) {
        return Some("not-found");
    }
    if words <= 12 && NAV_PHRASES.iter().any(|p| lower.contains(p)) {
        return Some("navigation");
    }
    if words <= 2 && NAV_WORDS.contains(&lower.trim_end_matches([':', '.']).trim()) {
        return Some("navigation");
    }
    if t.starts_with('©') || lower.starts_with("copyright") || lower.starts_with("(c) ") {
        return Some("navigation");
    }
    if let Some((label, _rest)) = label_split(t).filter(|_| words <= 40) {
        let l = label.to_lowercase();
        if CREDIT_LABELS.contains(&l.as_str()) {
            return Some("credit");
        }
        if TEASER_LABELS.contains(&l.as_str()) || (is_all_caps_label(label) && words <= 25) {
            return Some("teaser");
        }
    }
    // Captions and labelled teasers are short; a long line is a paragraph whatever
    // it ends with (some dumps put a whole article on one line).
    if words <= 60 && is_photo_caption(t) {
        return Some("caption");
    }
    if let Some((left, right)) = t.split_once(" | ") {
        // "George Ourfalian, AFP | A general view shows…"
        if word_count(left) <= 6 && has_letters(right) {
            return Some("caption");
        }
    }
    if (lower.starts_with("by ") || lower.starts_with("words by "))
        && words <= 9
        && !t.ends_with('.')
    {
        return Some("byline");
    }
    None
}

fn byline_name(line: &str) -> String {
    let t = line.trim();
    let t = t.split_once(' ').map(|(_, r)| r).unwrap_or(t);
    let t = t.strip_prefix("by ").unwrap_or(t);
    t.split([',', '|']).next().unwrap_or(t).trim().to_string()
}

fn credited_outlet(line: &str) -> Option<String> {
    let (label, rest) = label_split(line.trim())?;
    if !label.eq_ignore_ascii_case("source") && !label.eq_ignore_ascii_case("sources") {
        return None;
    }
    let mut name = rest.trim_end_matches('.').to_string();
    for tail in [
        " and news agencies",
        " and agencies",
        " news and news agencies",
        " with agencies",
    ] {
        if name.to_lowercase().ends_with(tail) {
            name.truncate(name.len() - tail.len());
        }
    }
    let lower = name.to_lowercase();
    if let Some(stripped) = lower.strip_suffix(" news") {
        name.truncate(stripped.len());
    }
    let name = name.trim().to_string();
    (!name.is_empty()).then_some(name)
}

/// Stamps kept per document: a page repeating `Posted: …` on every line is still
/// removed line by line, but its evidence stays small (the date decision compares
/// every piece of evidence with the others).
const MAX_STAMPS: usize = 16;

fn keep_stamp(out: &mut Cleaned, stamp: StatedStamp) {
    if out.stamps.len() < MAX_STAMPS {
        out.stamps.push(stamp);
    }
}

/// Cleans an article body. Never fails: the worst case is an empty `text` that the
/// caller turns into a warning or an error.
pub fn clean(body: &str, opts: &CleanOptions) -> Cleaned {
    let mut out = Cleaned::default();
    let mut kept: Vec<(usize, String)> = Vec::new(); // (line number, text); empty text = paragraph break
    let mut in_header = opts.parse_header;
    let mut header_lines = 0;
    let known_title = opts.known_title.map(chronicle_core::normalize_for_id);

    for (idx, raw) in body.lines().enumerate() {
        let line_no = idx + 1;
        let line = raw.trim_end_matches('\r');
        let t = line.trim();
        if t.is_empty() {
            if kept.last().is_some_and(|(_, s)| !s.is_empty()) {
                kept.push((line_no, String::new()));
            }
            continue;
        }
        let remove = |reason: &str, out: &mut Cleaned| {
            out.removed.push(RemovedLine {
                line: line_no,
                text: t.to_string(),
                reason: reason.to_string(),
            });
        };
        if in_header {
            header_lines += 1;
            if let Some((stamp, prose_at)) = glued_date_line(line) {
                out.removed.push(RemovedLine {
                    line: line_no,
                    text: line[..prose_at].trim().to_string(),
                    reason: "header".to_string(),
                });
                keep_stamp(&mut out, stamp);
                kept.push((line_no, line[prose_at..].trim().to_string()));
                in_header = false;
                continue;
            }
            if let Some(stamp) = parse_stamp(t) {
                if stamp.parsed.is_some() {
                    keep_stamp(&mut out, stamp);
                    remove("header", &mut out);
                    continue;
                }
            }
            if let Some((stamp, outlet)) = masthead(t) {
                keep_stamp(&mut out, stamp);
                if out.credited_outlet.is_none() {
                    out.credited_outlet = outlet;
                }
                remove("header", &mut out);
                continue;
            }
            if is_url_line(t) {
                if out.url.is_none() {
                    out.url = Some(t.to_string());
                }
                remove("header", &mut out);
                continue;
            }
            if let Some(reason) = chrome_reason(t, opts.is_boilerplate) {
                if reason == "byline" && out.byline.is_none() {
                    out.byline = Some(byline_name(t));
                }
                remove(reason, &mut out);
                continue;
            }
            if out.title.is_none()
                && kept.is_empty()
                && !ends_like_sentence(t)
                && word_count(t) <= 30
                && header_lines <= 12
            {
                out.title = Some(t.to_string());
                remove("title", &mut out);
                continue;
            }
            in_header = false;
        } else if let Some(stamp) =
            parse_stamp(t).filter(|s| s.parsed.is_some() && s.label != "date")
        {
            // stamps repeated further down ("UPDATED : …")
            keep_stamp(&mut out, stamp);
            remove("header", &mut out);
            continue;
        }
        if let Some(kt) = &known_title {
            if kept.iter().all(|(_, s)| s.is_empty()) && chronicle_core::normalize_for_id(t) == *kt
            {
                remove("title", &mut out);
                continue;
            }
        }
        if let Some(reason) = chrome_reason(t, opts.is_boilerplate) {
            if reason == "byline" && out.byline.is_none() {
                out.byline = Some(byline_name(t));
            }
            if reason == "credit" && out.credited_outlet.is_none() {
                out.credited_outlet = credited_outlet(t);
            }
            remove(reason, &mut out);
            continue;
        }
        // A headline-shaped line between paragraphs is an inline link to another story;
        // short ones (≤ 5 words) are the article's own subheadings and stay.
        let has_prose = kept.iter().any(|(_, s)| !s.is_empty());
        if has_prose
            && opts.related_headlines
            && !ends_like_sentence(t)
            && (6..=25).contains(&word_count(t))
            && !t.ends_with('-')
        {
            remove("related-headline", &mut out);
            continue;
        }
        if in_header {
            in_header = false;
        }
        kept.push((line_no, t.to_string()));
    }

    out.text = assemble(&kept);
    if let Some(first) = out.text.split('\n').next() {
        out.dateline = dateline(first);
    }
    out
}

/// Words a dateline may open with before its date: "Posted on", "Last updated at".
const DATELINE_LABELS: &[&str] = &[
    "posted",
    "on",
    "published",
    "updated",
    "last",
    "at",
    "date",
    "dated",
    "first",
    "of",
    "publication",
    "-",
    ":",
    ",",
];

/// A full date opening the body ("Fri 07 Apr 2017 at 0914 …", "12 February 2015 …",
/// "Posted on April 4 2017 by …", "15-09-2013 …"): the copy's own date.
fn dateline(first: &str) -> Option<(String, ParsedDate)> {
    let cut = first.char_indices().nth(80).map_or(first.len(), |(i, _)| i);
    let head = &first[..cut];
    let times = chronicle_timex::find_times(head, None, &|_, _| chronicle_timex::Tense::Unknown);
    let t = times.first()?;
    let lead_ok = head[..t.start]
        .split(|c: char| c.is_whitespace() || c == ',' || c == ':')
        .filter(|w| !w.is_empty())
        .all(|w| {
            DATELINE_LABELS.contains(&w.to_lowercase().as_str()) || dates::starts_with_weekday(w)
        });
    if !lead_ok || t.relative {
        return None;
    }
    let date = NaiveDate::parse_from_str(t.value.get(..10)?, "%Y-%m-%d").ok()?;
    let time = t.value.split_once('T').map(|(_, hm)| hm.to_string());
    Some((
        head[t.start..t.end].trim().to_string(),
        ParsedDate { date, time },
    ))
}

/// Joins kept lines: blank lines separate paragraphs (`\n\n`); lines of one block
/// are joined with a space when the block is hard-wrapped prose, else kept apart.
fn assemble(kept: &[(usize, String)]) -> String {
    let mut paragraphs: Vec<Vec<&str>> = vec![Vec::new()];
    for (_, s) in kept {
        if s.is_empty() {
            if paragraphs.last().is_some_and(|p| !p.is_empty()) {
                paragraphs.push(Vec::new());
            }
        } else if let Some(p) = paragraphs.last_mut() {
            p.push(s);
        }
    }
    let mut text = String::new();
    for para in paragraphs.iter().filter(|p| !p.is_empty()) {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        let wrapped = para.len() > 1
            && para[..para.len() - 1]
                .iter()
                .all(|l| (40..=100).contains(&l.chars().count()));
        for (i, line) in para.iter().enumerate() {
            if i > 0 {
                let prev = para[i - 1];
                let joins = wrapped && !(ends_like_sentence(prev) && prev.chars().count() < 40);
                text.push_str(if joins { " " } else { "\n" });
            }
            text.push_str(line);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_boilerplate(_: &str) -> bool {
        false
    }

    fn run(body: &str) -> Cleaned {
        clean(
            body,
            &CleanOptions {
                parse_header: true,
                known_title: None,
                is_boilerplate: &no_boilerplate,
                related_headlines: true,
            },
        )
    }

    #[test]
    fn glued_date_line_keeps_prose() {
        let c = run(" date 2019-05-02 The minister met his counterpart in the capital on Thursday.\n\nMore text follows here.");
        assert_eq!(c.stamps[0].label, "date");
        assert!(c.text.starts_with("The minister met"));
        assert!(c.title.is_none());
    }

    #[test]
    fn url_numbers_and_title() {
        let c = run("https://news.example/2019/05/story-190502101010123.html\n202\n20\nA standfirst sentence that ends properly.\n\nBody paragraph one is here.\n\nOPINION: Will the talks last?\n\nShort heading\n\nBody two.\n\nSource: Example News And News Agencies");
        assert_eq!(
            c.url.as_deref(),
            Some("https://news.example/2019/05/story-190502101010123.html")
        );
        let reasons: Vec<&str> = c.removed.iter().map(|r| r.reason.as_str()).collect();
        assert_eq!(
            reasons,
            vec!["header", "stray-number", "stray-number", "teaser", "credit"]
        );
        assert!(c.text.contains("Short heading"));
        assert_eq!(c.credited_outlet.as_deref(), Some("Example"));
    }

    #[test]
    fn stamps_title_and_related_headline() {
        let c = run("Leaders agree to meet again next week\n\nPUBLISHED : Friday, 09 September, 2016, 1:07pm\nUPDATED : Friday, 09 September, 2016, 9:52pm\n\nThe first paragraph says something.\n\n‘A question?’ Someone asks, in a story about something else entirely\n\nThe second paragraph.");
        assert_eq!(
            c.title.as_deref(),
            Some("Leaders agree to meet again next week")
        );
        assert_eq!(c.stamps.len(), 2);
        assert_eq!(c.stamps[0].label, "published");
        assert!(c.removed.iter().any(|r| r.reason == "related-headline"));
        assert_eq!(
            c.text,
            "The first paragraph says something.\n\nThe second paragraph."
        );
    }

    #[test]
    fn chrome_shapes() {
        let c = run("Skip to main content\nDaily newsletter: the morning briefing in your inbox\n5 min\nBy Jane Roe, Staff Writer\nJane Roe, XYZ | Trucks wait at a checkpoint.\nA title line without a period\n\nThe article starts here, as articles do.\n\nRelated Story\n\nREAD MORE: Something else happened\n\nPage not found");
        assert_eq!(c.byline.as_deref(), Some("Jane Roe"));
        assert_eq!(c.title.as_deref(), Some("A title line without a period"));
        assert_eq!(c.text, "The article starts here, as articles do.");
        assert_eq!(c.removed.len(), 9, "{:#?}", c.removed);
    }

    #[test]
    fn masthead_lines() {
        let c = run("Tidewater Tribune | World | 5 March 2025\nA title here\n\nBody text of the story, which goes on.");
        assert_eq!(
            c.stamps[0].parsed.as_ref().map(|p| dates::iso(p.date)),
            Some("2025-03-05".to_string())
        );
        assert_eq!(c.credited_outlet.as_deref(), Some("Tidewater Tribune"));
        assert_eq!(c.title.as_deref(), Some("A title here"));
        let c = run("Southmoor Gazette — Thursday 6 March 2025\n“Quote headline”: the man who runs it\n\nBody.");
        assert_eq!(
            c.stamps[0].parsed.as_ref().map(|p| dates::iso(p.date)),
            Some("2025-03-06".to_string())
        );
        assert_eq!(c.credited_outlet.as_deref(), Some("Southmoor Gazette"));
    }

    #[test]
    fn one_line_article_ending_in_credit_is_kept() {
        let long = format!(
            "{} (Photo: Agency)",
            "The bombing continued unabated in the suburbs, residents said. ".repeat(12)
        );
        let c = clean(
            &long,
            &CleanOptions {
                parse_header: false,
                known_title: None,
                is_boilerplate: &no_boilerplate,
                related_headlines: true,
            },
        );
        assert!(!c.text.is_empty());
        let short =
            "Children collect water in the old town, March 6, 2025. (The Review / M. Haskin)";
        let c = clean(
            &format!("Body text here, as usual.\n\n{short}"),
            &CleanOptions {
                parse_header: false,
                known_title: None,
                is_boilerplate: &no_boilerplate,
                related_headlines: true,
            },
        );
        assert_eq!(c.removed[0].reason, "caption");
    }

    #[test]
    fn dateline_detected() {
        let c = run("Fri 07 Apr 2017 at 0914 A governor says the strike caused deaths. More words follow in this line.");
        assert_eq!(
            c.dateline.as_ref().map(|d| dates::iso(d.1.date)),
            Some("2017-04-07".to_string())
        );
    }

    #[test]
    fn hard_wrapped_prose_is_joined() {
        let body = "First line of a wrapped paragraph that goes on and on\nand continues on the next line until it ends.\n\nThen it ended.";
        let c = clean(
            body,
            &CleanOptions {
                parse_header: false,
                known_title: None,
                is_boilerplate: &no_boilerplate,
                related_headlines: true,
            },
        );
        assert_eq!(c.text, "First line of a wrapped paragraph that goes on and on and continues on the next line until it ends.\n\nThen it ended.");
    }
}
