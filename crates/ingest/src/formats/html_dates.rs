//! A web page's publication date from its markup, most telling first: metadata
//! that names a publication date (any `<meta>` spelling: Open Graph, Dublin Core,
//! schema.org `itemprop` on any element, JSON inside scripts), then the page's
//! `<time>` and `abbr.published` stamps, then a short date written in an element
//! whose class or id says it holds one ("entry-date", "datum", "fecha"), in
//! English, German, French, Spanish, Italian, Portuguese or Dutch. A modified
//! date only answers when nothing else does. Attribute names are compared
//! without case (`DC.Date` and `dc.date` are one tag).
//!
//! A timestamp is read as the day written in it, its own local day. When the
//! chosen one is in UTC and another stamp of the page gives the same instant
//! with the site's offset, that local day is the page's.

use crate::dates;
use chrono::{DateTime, FixedOffset, NaiveDate};
use dom_query::Document as Dom;

/// Meta names or properties (lowercase) that state when a page was published,
/// most specific first.
const PUBLISHED_META: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article:published",
    "datepublished",
    "article.published",
    "published_time",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date.published",
    "citation_publication_date",
    "citation_online_date",
    "citation_date",
    "parsely-pub-date",
    "sailthru.date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "publication_date",
    "date_published",
    "originalpublicationdate",
    "article_date_original",
    "cxenseparse:recs:publishtime",
    "displaydate",
    "dc.date",
    "dcterms.date",
    "date",
    "created",
];

/// Meta names or properties (lowercase) of a page's last change.
const MODIFIED_META: &[&str] = &[
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dc.date.modified",
    "dcterms.modified",
    "modified_time",
    "last-modified",
    "lastmod",
    "revised",
];

/// JSON keys inside scripts that hold a publication date.
const PUBLISHED_JSON: &[&str] = &[
    "datePublished",
    "publishDate",
    "publishedAt",
    "published_at",
    "pubDate",
    "date_published",
    "dateCreated",
];

/// Class or id words of elements that hold a date as text.
const DATE_CLASS_WORDS: &[&str] = &[
    "date",
    "datum",
    "fecha",
    "data",
    "time",
    "published",
    "posted",
    "pubdate",
    "dateline",
];

/// Month names of the languages news pages are most often written in beside
/// English (which `dates::month_from_name` reads); full forms, matched by their
/// first three or more letters.
const FOREIGN_MONTHS: &[[&str; 12]] = &[
    // German
    [
        "januar",
        "februar",
        "märz",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "dezember",
    ],
    // French
    [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    // Spanish
    [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    // Italian
    [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ],
    // Portuguese
    [
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ],
    // Dutch
    [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
];

/// A date found in the page's markup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageDate {
    /// As written (an attribute value or an element's text).
    pub verbatim: String,
    /// The day it names (a timestamp's own local day).
    pub date: NaiveDate,
    /// Where it was found, for the evidence line.
    pub source: String,
    /// A last-change date, taken only for want of a publication date.
    pub modified: bool,
    /// Read from text written on the page rather than from a stamp.
    pub from_text: bool,
}

/// The page's publication date from markup, or its modified date when nothing
/// says when it was published; `None` when neither is written anywhere.
///
/// `zone` is the site's likely time zone (`html_zone::site_zone`): a UTC stamp
/// that no other stamp of the page gives in the site's offset is moved to it.
pub fn page_date(
    dom: &Dom,
    json_ld_date: Option<&str>,
    zone: Option<(i32, bool)>,
) -> Option<PageDate> {
    let stamps = stamps(dom);
    let chosen = published_meta(dom)
        .or_else(|| itemprop(dom, "datepublished"))
        .or_else(|| {
            json_ld_date.and_then(|d| found(d.to_string(), "JSON-LD datePublished".into(), false))
        })
        .or_else(|| script_json_date(dom))
        .or_else(|| stamps.first().cloned())
        .or_else(|| class_date(dom))
        .or_else(|| modified_meta(dom))
        .or_else(|| super::html_text_dates::text_date(dom))?;
    Some(local_day_of(chosen, &stamps, zone))
}

fn lower_attr(sel: &dom_query::Selection, name: &str) -> Option<String> {
    sel.attr(name).map(|v| v.trim().to_ascii_lowercase())
}

fn meta_matching(dom: &Dom, keys: &[&str], modified: bool) -> Option<PageDate> {
    let mut best: Option<(usize, PageDate)> = None;
    for m in dom.select("meta[content]").iter() {
        let Some(content) = m.attr("content").map(|c| c.trim().to_string()) else {
            continue;
        };
        if content.is_empty() {
            continue;
        }
        for attr in ["property", "name", "itemprop", "http-equiv"] {
            let Some(key) = lower_attr(&m, attr) else {
                continue;
            };
            if let Some(rank) = keys.iter().position(|k| *k == key) {
                if best.as_ref().is_none_or(|(r, _)| rank < *r) {
                    let source = format!("<meta {attr}=\"{key}\">");
                    if let Some(d) = found(content.clone(), source, modified) {
                        best = Some((rank, d));
                    }
                }
            }
        }
    }
    best.map(|(_, d)| d)
}

fn published_meta(dom: &Dom) -> Option<PageDate> {
    meta_matching(dom, PUBLISHED_META, false)
}

fn modified_meta(dom: &Dom) -> Option<PageDate> {
    meta_matching(dom, MODIFIED_META, true).or_else(|| {
        itemprop(dom, "datemodified").map(|d| PageDate {
            modified: true,
            ..d
        })
    })
}

/// An element with `itemprop` = `prop` (any case): its `content`, `datetime` or
/// `title` attribute, else its text.
fn itemprop(dom: &Dom, prop: &str) -> Option<PageDate> {
    dom.select("[itemprop]").iter().find_map(|el| {
        if lower_attr(&el, "itemprop").as_deref() != Some(prop) {
            return None;
        }
        let value = ["content", "datetime", "title"]
            .iter()
            .find_map(|a| el.attr(a).map(|v| v.trim().to_string()))
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| el.text().trim().to_string());
        found(value, format!("itemprop=\"{prop}\""), false)
    })
}

/// `"datePublished": "2021-04-09T10:00:00+02:00"` in any script (page state
/// objects, not only JSON-LD).
fn script_json_date(dom: &Dom) -> Option<PageDate> {
    for script in dom.select("script").iter() {
        let text = script.text();
        for key in PUBLISHED_JSON {
            let quoted = format!("\"{key}\"");
            let Some(at) = text.find(&quoted) else {
                continue;
            };
            let rest = text[at + quoted.len()..].trim_start();
            let Some(rest) = rest.strip_prefix(':') else {
                continue;
            };
            let rest = rest.trim_start();
            let Some(rest) = rest.strip_prefix('"') else {
                continue;
            };
            let value: String = rest.chars().take_while(|&c| c != '"').take(64).collect();
            if let Some(d) = found(value, format!("script JSON \"{key}\""), false) {
                return Some(d);
            }
        }
    }
    None
}

/// `<time>` elements with a `datetime` (the one marked `pubdate` or with a
/// publishing class first), then `abbr.published` / `abbr[title]` stamps.
fn stamps(dom: &Dom) -> Vec<PageDate> {
    let mut marked = Vec::new();
    let mut plain = Vec::new();
    for t in dom.select("time[datetime]").iter() {
        let Some(v) = t.attr("datetime").map(|v| v.trim().to_string()) else {
            continue;
        };
        let class = lower_attr(&t, "class").unwrap_or_default();
        let is_marked = t.has_attr("pubdate")
            || class.contains("publish")
            || class.contains("entry-date")
            || class.contains("post-date");
        if class.contains("updated") && !class.contains("publish") && !class.contains("entry-date")
        {
            continue;
        }
        let Some(d) = found(v.clone(), format!("<time datetime=\"{v}\">"), false) else {
            continue;
        };
        if is_marked {
            marked.push(d);
        } else {
            plain.push(d);
        }
    }
    for a in dom.select("abbr[title]").iter() {
        let class = lower_attr(&a, "class").unwrap_or_default();
        if !class.contains("published") {
            continue;
        }
        if let Some(v) = a.attr("title").map(|v| v.trim().to_string()) {
            let source = format!("<abbr class=\"published\" title=\"{v}\">");
            marked.extend(found(v, source, false));
        }
    }
    marked.extend(plain);
    marked
}

/// The first short element whose class or id names a date and whose text reads
/// as one ("Posted on 23. Juli 2017", "12.03.2021").
fn class_date(dom: &Dom) -> Option<PageDate> {
    for el in dom.select("[class], [id]").iter() {
        let names = format!(
            "{} {}",
            lower_attr(&el, "class").unwrap_or_default(),
            lower_attr(&el, "id").unwrap_or_default()
        );
        let names_a_date = names
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| DATE_CLASS_WORDS.contains(&w))
            || names.contains("entry-date")
            || names.contains("post-date");
        if !names_a_date || names.contains("update") || names.contains("modif") {
            continue;
        }
        let text = el.text();
        let text = text.trim();
        if text.is_empty() || text.len() > 120 {
            continue;
        }
        if let Some(date) = date_in_words(text) {
            return Some(PageDate {
                verbatim: text.split_whitespace().collect::<Vec<_>>().join(" "),
                date,
                source: format!("element class/id \"{}\"", names.trim()),
                modified: false,
                from_text: true,
            });
        }
    }
    None
}

/// `verbatim` as a found date, when ingest's date parser or the written-date
/// reader makes a day of it.
fn found(verbatim: String, source: String, modified: bool) -> Option<PageDate> {
    if verbatim.is_empty() {
        return None;
    }
    let date = dates::parse_date(&verbatim)
        .map(|p| p.date)
        .or_else(|| date_in_words(&verbatim))?;
    Some(PageDate {
        verbatim,
        date,
        source,
        modified,
        from_text: false,
    })
}

fn foreign_month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w.chars().count() < 3 {
        return None;
    }
    FOREIGN_MONTHS.iter().find_map(|names| {
        names
            .iter()
            .position(|full| full.starts_with(&w))
            .map(|i| i as u32 + 1)
    })
}

fn month_word(word: &str) -> Option<u32> {
    dates::month_from_name(word).or_else(|| foreign_month(word))
}

fn year_of(word: &str) -> Option<i32> {
    (word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()))
        .then(|| word.parse().ok())
        .flatten()
        .filter(|y| (1990..=2100).contains(y))
}

fn day_of(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    let digits: String = w.chars().take_while(char::is_ascii_digit).collect();
    // 1st, 2nd, 23rd, 1er, 1º
    if digits.is_empty() || digits.len() > 2 {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

/// A day written in `text`: `23. März 2008`, `23 de marzo de 2008`, `March 23,
/// 2008`, `12.03.2021` (dotted: day first), `2021-03-12`; the first one found.
pub fn date_in_words(text: &str) -> Option<NaiveDate> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == '|' || c == '(' || c == ')')
        .filter(|w| !w.is_empty() && !matches!(w.to_lowercase().as_str(), "de" | "del" | "of"))
        .collect();
    for (i, w) in words.iter().enumerate() {
        if let Some(p) = dates::parse_date(w).filter(|_| w.len() >= 8) {
            return Some(p.date);
        }
        let next = |k: usize| words.get(i + k).copied().unwrap_or("");
        // day month year
        if let (Some(d), Some(m), Some(y)) = (day_of(w), month_word(next(1)), year_of(next(2))) {
            if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
                return Some(date);
            }
        }
        // month day year
        if let (Some(m), Some(d), Some(y)) = (month_word(w), day_of(next(1)), year_of(next(2))) {
            if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
                return Some(date);
            }
        }
    }
    None
}

fn timestamp(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    DateTime::parse_from_rfc3339(s)
        .or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%z"))
        .or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z"))
        .or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M%z"))
        .or_else(|_| DateTime::parse_from_rfc2822(s))
        .ok()
}

/// A UTC stamp (`…Z`, `+00:00`) gives the UTC day; when another stamp of the
/// page is the same instant written with the site's own offset, its day is
/// the one the site printed. Failing that, the site's likely zone gives it,
/// unless the stamp is midnight UTC exactly (a bare day written as a stamp).
fn local_day_of(chosen: PageDate, stamps: &[PageDate], zone: Option<(i32, bool)>) -> PageDate {
    let Some(t) = timestamp(&chosen.verbatim) else {
        return chosen;
    };
    if t.offset().local_minus_utc() != 0 {
        return chosen;
    }
    stamps
        .iter()
        .find(|s| {
            timestamp(&s.verbatim).is_some_and(|o| {
                o.offset().local_minus_utc() != 0
                    && (o.timestamp() - t.timestamp()).abs() <= 120
                    && o.date_naive() != t.date_naive()
            })
        })
        .map(|s| PageDate {
            modified: chosen.modified,
            ..s.clone()
        })
        .unwrap_or_else(|| in_zone(chosen, t, zone))
}

fn in_zone(chosen: PageDate, t: DateTime<FixedOffset>, zone: Option<(i32, bool)>) -> PageDate {
    let Some(zone) = zone else {
        return chosen;
    };
    let utc = t.naive_utc();
    if utc.time() == chrono::NaiveTime::MIN {
        return chosen;
    }
    let minutes = super::html_zone::offset_on(zone, utc.date());
    let local = (utc + chrono::Duration::minutes(i64::from(minutes))).date();
    if local == chosen.date {
        return chosen;
    }
    PageDate {
        date: local,
        source: format!(
            "{} in the site's zone (UTC{:+})",
            chosen.source,
            minutes / 60
        ),
        ..chosen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date_of(html: &str) -> Option<PageDate> {
        page_date(&Dom::from(html), None, None)
    }

    #[test]
    fn meta_names_match_without_case_and_by_rank() {
        let d = date_of(
            r#"<html><head><meta name="DC.Date" content="2006-12-16T08:00+01:00">
            <meta property="article:published_time" content="2019-03-02T10:00:00+01:00">
            </head><body><p>x</p></body></html>"#,
        )
        .expect("a date");
        assert_eq!(d.verbatim, "2019-03-02T10:00:00+01:00");
        let dc = date_of(r#"<meta name="DC.Date" content="2006-12-16T08:00+01:00">"#)
            .expect("Dublin Core");
        assert_eq!(dc.date.to_string(), "2006-12-16");
    }

    #[test]
    fn abbr_published_and_itemprop_on_any_element() {
        let d = date_of(
            r#"<p><abbr class="published" title="2017-07-23T17:06:45+0000">Sunday</abbr></p>"#,
        )
        .expect("abbr");
        assert!(d.verbatim.starts_with("2017-07-23"), "{d:?}");
        let d = date_of(r#"<span itemprop="DatePublished">12.03.2021</span>"#).expect("itemprop");
        assert_eq!(d.date.to_string(), "2021-03-12");
    }

    #[test]
    fn a_modified_date_answers_only_alone() {
        let only = date_of(r#"<meta property="og:updated_time" content="2017-04-05T19:05:44Z">"#)
            .expect("modified");
        assert!(only.modified);
        let both = date_of(
            r#"<meta property="og:updated_time" content="2017-04-05T19:05:44Z">
            <div class="entry-date">3. April 2017</div>"#,
        )
        .expect("published");
        assert!(!both.modified);
        assert_eq!(both.date.to_string(), "2017-04-03");
    }

    #[test]
    fn the_sites_own_offset_gives_the_day() {
        let d = date_of(
            r#"<meta property="article:published_time" content="2022-05-04T03:37:37+00:00">
            <time class="entry-date" datetime="2022-05-03T23:37:37-04:00">May 3</time>"#,
        )
        .expect("a date");
        assert_eq!(d.verbatim, "2022-05-03T23:37:37-04:00");
        assert_eq!(d.date.to_string(), "2022-05-03");
    }

    #[test]
    fn a_utc_stamp_moves_to_the_sites_zone_unless_it_is_midnight() {
        let html = r#"<meta property="article:published_time" content="2022-11-06T23:00:00.000Z">"#;
        let berlin = Some((60, true));
        let d = page_date(&Dom::from(html), None, berlin).expect("a date");
        assert_eq!(d.date.to_string(), "2022-11-07");
        let bare = r#"<meta property="article:published_time" content="2022-11-06T00:00:00Z">"#;
        let d = page_date(&Dom::from(bare), None, Some((-300, false))).expect("a date");
        assert_eq!(d.date.to_string(), "2022-11-06");
        let d = page_date(&Dom::from(html), None, None).expect("a date");
        assert_eq!(d.date.to_string(), "2022-11-06");
    }

    #[test]
    fn written_dates_in_several_languages() {
        for (text, want) in [
            ("Veröffentlicht am 23. März 2008", "2008-03-23"),
            ("publié le 5 février 2019 à 10h", "2019-02-05"),
            ("14 de octubre de 2020", "2020-10-14"),
            ("Posted on March 7, 2025 by staff", "2025-03-07"),
            ("aggiornato 1 gennaio 2019", "2019-01-01"),
            ("12.03.2021", "2021-03-12"),
        ] {
            assert_eq!(
                date_in_words(text).map(|d| d.to_string()).as_deref(),
                Some(want),
                "{text}"
            );
        }
        assert_eq!(date_in_words("Seite 3 von 12"), None);
        assert_eq!(date_in_words("Mai"), None);
    }
}
