//! From a `RawArticle` to a `Document`: cleaning, outlet, title, language, and the
//! first decision on the publication date from all the evidence at hand.

use crate::clean::{self, CleanOptions, Cleaned};
use crate::dates::{self, iso};
use crate::outlet::{outlet_from_url, title_from_url};
use crate::{IngestError, RawArticle};
use chronicle_core::{
    content_id, DateEvidence, DateProvenance, Document, Published, SourceRef, StatedDate, Warning,
};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Mutex;

/// How often each outlet repeats each line across the articles seen so far. A line
/// found in `REPEAT_THRESHOLD` or more articles of one outlet is boilerplate.
#[derive(Debug, Default)]
pub struct LineStats {
    inner: Mutex<LineCounts>,
}

#[derive(Debug, Default)]
struct LineCounts {
    /// [`line_key`] of (outlet number, line) → articles of that outlet holding
    /// the line, saturating (only "more than one" and the threshold are read):
    /// 16 bytes an entry rather than 24, as the table nears its cap in a long run.
    seen: HashMap<u64, u8>,
    /// Outlet name → its number in `seen` keys.
    outlet_numbers: HashMap<String, u32>,
    /// Per outlet: numeric dates that proved day-first / month-first order, and the
    /// latest dates of its articles; both settle an ambiguous `07/03/2025`.
    orders: HashMap<String, (u32, u32)>,
    outlet_dates: HashMap<String, Vec<NaiveDate>>,
    /// Outlets with at least one boilerplate line, kept as counts reach the
    /// threshold so the per-document check does not scan `seen`.
    with_boilerplate: HashSet<String>,
}

const REPEAT_THRESHOLD: u8 = 3;

/// Line counts kept at most. Past it, lines seen in one article only are
/// forgotten (then those below the threshold): a long run keeps the lines
/// that repeat, and its memory stays bounded whatever the number of articles.
const LINE_COUNTS_CAP: usize = 1 << 18;

const MAX_URL_DATES: usize = 4;

/// One key for an outlet's line: the outlet number mixed into the line's
/// 64-bit hash (a collision of two keys is as likely as one of two hashes).
fn line_key(outlet: u32, line: u64) -> u64 {
    line ^ u64::from(outlet).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

fn line_hash(line: &str) -> u64 {
    let norm = chronicle_core::normalize_for_id(line);
    let h = blake3::hash(norm.as_bytes());
    let mut b = [0u8; 8];
    b.copy_from_slice(&h.as_bytes()[..8]);
    u64::from_le_bytes(b)
}

impl LineStats {
    pub fn is_boilerplate(&self, outlet: &str, line: &str) -> bool {
        let Ok(counts) = self.inner.lock() else {
            return false;
        };
        let Some(&number) = counts.outlet_numbers.get(outlet) else {
            return false;
        };
        counts
            .seen
            .get(&line_key(number, line_hash(line)))
            .is_some_and(|&n| n >= REPEAT_THRESHOLD)
    }

    fn has_outlet_lines(&self, outlet: &str) -> bool {
        self.inner
            .lock()
            .map(|c| c.with_boilerplate.contains(outlet))
            .unwrap_or(false)
    }

    fn record_order(&self, outlet: &str, order: dates::NumericOrder) {
        if let Ok(mut c) = self.inner.lock() {
            let e = c.orders.entry(outlet.to_string()).or_default();
            match order {
                dates::NumericOrder::DayFirst => e.0 += 1,
                dates::NumericOrder::MonthFirst => e.1 += 1,
            }
        }
    }

    /// The order an outlet's unambiguous numeric dates show, when they agree.
    fn order_hint(&self, outlet: &str) -> Option<(dates::NumericOrder, u32)> {
        let c = self.inner.lock().ok()?;
        let &(day, month) = c.orders.get(outlet)?;
        if day > 0 && month == 0 {
            Some((dates::NumericOrder::DayFirst, day))
        } else if month > 0 && day == 0 {
            Some((dates::NumericOrder::MonthFirst, month))
        } else {
            None
        }
    }

    fn record_date(&self, outlet: &str, date: NaiveDate) {
        if let Ok(mut c) = self.inner.lock() {
            let v = c.outlet_dates.entry(outlet.to_string()).or_default();
            v.push(date);
            if v.len() > 32 {
                v.remove(0);
            }
        }
    }

    fn outlet_dates(&self, outlet: &str) -> Vec<NaiveDate> {
        self.inner
            .lock()
            .ok()
            .and_then(|c| c.outlet_dates.get(outlet).cloned())
            .unwrap_or_default()
    }

    /// Counts each distinct short line of one article once.
    pub fn record(&self, outlet: &str, body: &str) {
        let Ok(mut counts) = self.inner.lock() else {
            return;
        };
        let lines: HashSet<u64> = body
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && l.split_whitespace().count() <= 20)
            .map(line_hash)
            .collect();
        let next = counts.outlet_numbers.len() as u32;
        let number = *counts
            .outlet_numbers
            .entry(outlet.to_string())
            .or_insert(next);
        for h in lines {
            let n = counts.seen.entry(line_key(number, h)).or_insert(0);
            *n = n.saturating_add(1);
            if *n == REPEAT_THRESHOLD {
                counts.with_boilerplate.insert(outlet.to_string());
            }
        }
        if counts.seen.len() > LINE_COUNTS_CAP {
            counts.seen.retain(|_, n| *n > 1);
            if counts.seen.len() > LINE_COUNTS_CAP / 2 {
                counts.seen.retain(|_, n| *n >= REPEAT_THRESHOLD);
            }
        }
    }
}

fn stamp_confidence(label: &str) -> f32 {
    match label {
        "published" => 0.9,
        "date" | "posted" => 0.85,
        _ => 0.5, // "updated" only bounds the publication date from above
    }
}

fn provenance_confidence(p: DateProvenance) -> f32 {
    match p {
        DateProvenance::HtmlMeta => 0.9,
        DateProvenance::Metadata => 0.85,
        DateProvenance::Header => 0.85,
        DateProvenance::Url => 0.8,
        DateProvenance::Dateline => 0.75,
        DateProvenance::Crawl => 0.2,
        DateProvenance::ContentEstimate => 0.3,
        DateProvenance::Story => 0.6,
    }
}

fn parse_any(verbatim: &str) -> Option<dates::ParsedDate> {
    dates::parse_date(verbatim).or_else(|| {
        // epoch seconds, as some exports carry
        let t = verbatim.trim();
        let secs: i64 = t.parse().ok().filter(|_| (9..=10).contains(&t.len()))?;
        let dt = chrono::DateTime::from_timestamp(secs, 0)?;
        Some(dates::ParsedDate {
            date: dt.date_naive(),
            time: Some(dt.format("%H:%M").to_string()),
        })
    })
}

struct DateDecision {
    stated: Option<StatedDate>,
    evidence: Vec<DateEvidence>,
    published: Option<Published>,
    warnings: Vec<Warning>,
}

/// Countries whose outlets write the day first (`07/03/2025` = 7 March).
const DAY_FIRST_TLDS: &[&str] = &[
    "uk", "ie", "au", "nz", "in", "za", "fr", "de", "es", "it", "ru", "tr", "eg", "lb", "sy", "ae",
    "qa", "sa", "jo", "ps", "il", "iq", "ir", "pk", "ng", "ke", "br", "ar", "mx", "nl", "be", "pt",
    "gr", "pl", "ua",
];

/// Reads an ambiguous `07/03/2025` with the first hint that settles it, and says which.
fn settle_numeric_order(
    verbatim: &str,
    url: Option<&str>,
    text: &str,
    stats: &LineStats,
    outlet: Option<&str>,
) -> Option<(NaiveDate, String)> {
    let (month_first, day_first) = dates::numeric_readings(verbatim)?;
    let label = |d: NaiveDate| d.format("%-d %B %Y").to_string();
    let closest = |refs: &[NaiveDate], within: i64| -> Option<(NaiveDate, NaiveDate)> {
        let dist = |d: NaiveDate| refs.iter().map(|r| ((d - *r).num_days().abs(), *r)).min();
        match (dist(month_first), dist(day_first)) {
            (Some((a, r)), Some((b, _))) if a <= within && b > within => Some((month_first, r)),
            (Some((a, _)), Some((b, r))) if b <= within && a > within => Some((day_first, r)),
            _ => None,
        }
    };
    let in_text: Vec<NaiveDate> = dates::full_dates_in_text(text)
        .iter()
        .map(|d| d.date)
        .collect();
    if let Some((d, r)) = closest(&in_text, 14) {
        return Some((
            d,
            format!("read as {}: the text reports {}", label(d), iso(r)),
        ));
    }
    if let Some(o) = outlet {
        if let Some((order, n)) = stats.order_hint(o) {
            let d = match order {
                dates::NumericOrder::DayFirst => day_first,
                dates::NumericOrder::MonthFirst => month_first,
            };
            return Some((
                d,
                format!(
                    "read as {}: {n} other dates from {o} can only be read that way",
                    label(d)
                ),
            ));
        }
        if let Some((d, r)) = closest(&stats.outlet_dates(o), 31) {
            return Some((
                d,
                format!(
                    "read as {}: {o}'s other articles are dated around {}",
                    label(d),
                    iso(r)
                ),
            ));
        }
    }
    let tld = url
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| u.host_str().map(str::to_string))
        .and_then(|h| h.rsplit('.').next().map(str::to_string));
    if let Some(t) = tld.filter(|t| DAY_FIRST_TLDS.contains(&t.as_str())) {
        return Some((
            day_first,
            format!(
                "read as {}: outlets under .{t} write the day first",
                label(day_first)
            ),
        ));
    }
    Some((
        month_first,
        format!(
            "read as {} (month first): no hint settled it",
            label(month_first)
        ),
    ))
}

fn decide_dates(
    raw: &RawArticle,
    cleaned: &Cleaned,
    url: Option<&str>,
    text: &str,
    stats: &LineStats,
    outlet: Option<&str>,
) -> DateDecision {
    let mut evidence: Vec<DateEvidence> = Vec::new();
    let mut stated: Option<StatedDate> = None;
    let mut best_time: Option<String> = None;
    let mut warnings = Vec::new();

    if let Some((verbatim, prov)) = &raw.stated_date {
        let mut parsed = parse_any(verbatim);
        if dates::is_ambiguous_numeric(verbatim) {
            if let (Some(p), Some((date, why))) = (
                parsed.as_mut(),
                settle_numeric_order(verbatim, url, text, stats, outlet),
            ) {
                p.date = date;
                warnings.push(Warning::new(
                    "ambiguous_date",
                    format!("{verbatim:?} could be day/month or month/day; {why}"),
                ));
            }
        } else if let (Some(order), Some(o)) = (dates::numeric_order_evidence(verbatim), outlet) {
            stats.record_order(o, order);
        }
        if let Some(p) = &parsed {
            evidence.push(DateEvidence {
                date: iso(p.date),
                provenance: *prov,
                verbatim: verbatim.clone(),
                confidence: provenance_confidence(*prov),
            });
            best_time = p.time.clone();
        }
        stated = Some(StatedDate {
            verbatim: verbatim.clone(),
            date: parsed.as_ref().map(|p| iso(p.date)),
            time: parsed.and_then(|p| p.time),
            provenance: *prov,
        });
    }
    let mut stamps: Vec<_> = cleaned.stamps.iter().collect();
    stamps.sort_by(|a, b| stamp_confidence(&b.label).total_cmp(&stamp_confidence(&a.label)));
    for s in &stamps {
        if let Some(p) = &s.parsed {
            evidence.push(DateEvidence {
                date: iso(p.date),
                provenance: DateProvenance::Header,
                verbatim: format!("{}: {}", s.label, s.verbatim),
                confidence: stamp_confidence(&s.label),
            });
        }
    }
    if stated.is_none() {
        if let Some(s) = stamps.first() {
            stated = Some(StatedDate {
                verbatim: s.verbatim.clone(),
                date: s.parsed.as_ref().map(|p| iso(p.date)),
                time: s.parsed.as_ref().and_then(|p| p.time.clone()),
                provenance: DateProvenance::Header,
            });
            best_time = s.parsed.as_ref().and_then(|p| p.time.clone());
        }
    }
    if let Some(u) = url {
        // A URL can hold any number of date-shaped segments; a few are evidence enough.
        for d in dates::dates_in_url(u).into_iter().take(MAX_URL_DATES) {
            evidence.push(DateEvidence {
                date: if d.day_precision {
                    iso(d.date)
                } else {
                    iso(d.date)[..7].to_string()
                },
                provenance: DateProvenance::Url,
                verbatim: d.verbatim,
                confidence: if d.day_precision { 0.8 } else { 0.3 },
            });
        }
    }
    if let Some((verbatim, p)) = &cleaned.dateline {
        evidence.push(DateEvidence {
            date: iso(p.date),
            provenance: DateProvenance::Dateline,
            verbatim: verbatim.clone(),
            confidence: 0.75,
        });
    }
    evidence.extend(raw.extra_dates.iter().cloned());

    let day_evidence =
        |e: &&DateEvidence| e.date.len() == 10 && e.provenance != DateProvenance::Crawl;
    let mut votes: HashMap<&str, usize> = HashMap::new();
    for e in &evidence {
        *votes.entry(e.date.as_str()).or_default() += 1;
    }
    // agreement between independent sources raises trust
    let agree = |e: &DateEvidence| votes.get(e.date.as_str()).copied().unwrap_or(0) as f32 * 0.05;
    let best = evidence
        .iter()
        .filter(day_evidence)
        .max_by(|a, b| (a.confidence + agree(a)).total_cmp(&(b.confidence + agree(b))))
        .cloned();

    // Dates written out in the text, and in captions that cleaning removed (a photo
    // caption often carries the only explicit date of an undated copy).
    let mut mentioned: Vec<(NaiveDate, String, String)> = dates::full_dates_in_text(text)
        .into_iter()
        .map(|d| {
            (
                d.date,
                text[d.start..d.end].to_string(),
                format!("at bytes {}..{}", d.start, d.end),
            )
        })
        .collect();
    for r in cleaned.removed.iter().filter(|r| r.reason == "caption") {
        for d in dates::full_dates_in_text(&r.text) {
            mentioned.push((
                d.date,
                r.text[d.start..d.end].to_string(),
                format!("in the removed caption on line {}", r.line),
            ));
        }
    }
    let latest_mentioned = mentioned.iter().max_by_key(|d| d.0);
    let mut published = best.as_ref().map(|b| {
        let agreeing = evidence.iter().filter(|o| o.date == b.date).count();
        Published {
            date: b.date.clone(),
            time: best_time
                .clone()
                .filter(|_| stated.as_ref().and_then(|s| s.date.as_ref()) == Some(&b.date)),
            provenance: b.provenance,
            confidence: (b.confidence + 0.05 * (agreeing.saturating_sub(1)) as f32).min(0.99),
            estimated: false,
        }
    });
    match (&published, latest_mentioned) {
        (Some(p), Some(m)) => {
            if let Ok(pd) = NaiveDate::parse_from_str(&p.date, "%Y-%m-%d") {
                // Reports may mention dates a little ahead (scheduled talks); weeks ahead
                // of the stated date means the stated date is wrong.
                let (m_date, said, at) = m;
                if (*m_date - pd).num_days() > 14 {
                    warnings.push(Warning::new(
                        "date_conflict",
                        format!(
                            "stated date {} ({}) is earlier than a date the text reports: \"{}\" {}; best alternative estimate {}",
                            p.date,
                            serde_json::to_string(&p.provenance).unwrap_or_default().trim_matches('"'),
                            said,
                            at,
                            iso(*m_date)
                        ),
                    ));
                    evidence.push(DateEvidence {
                        date: iso(*m_date),
                        provenance: DateProvenance::ContentEstimate,
                        verbatim: said.clone(),
                        confidence: 0.4,
                    });
                }
            }
        }
        (None, Some((m_date, said, at))) => {
            warnings.push(Warning::new(
                "no_date",
                format!(
                    "no stated date; estimated {} from \"{}\" {}",
                    iso(*m_date),
                    said,
                    at
                ),
            ));
            evidence.push(DateEvidence {
                date: iso(*m_date),
                provenance: DateProvenance::ContentEstimate,
                verbatim: said.clone(),
                confidence: 0.3,
            });
            published = Some(Published {
                date: iso(*m_date),
                time: None,
                provenance: DateProvenance::ContentEstimate,
                confidence: 0.3,
                estimated: true,
            });
        }
        (None, None) => {
            let month = evidence
                .iter()
                .find(|e| e.provenance == DateProvenance::Url);
            let crawl = evidence
                .iter()
                .find(|e| e.provenance == DateProvenance::Crawl);
            let hint = match (month, crawl) {
                (Some(m), _) => format!("; the URL gives the month {}", m.date),
                (None, Some(c)) => format!("; crawled on {}", c.date),
                _ => String::new(),
            };
            warnings.push(Warning::new(
                "no_date",
                format!("no publication date found{hint}"),
            ));
        }
        (Some(_), None) => {}
    }
    if let (Some(s), Some(p)) = (&stated, &published) {
        if s.date.is_none() {
            warnings.push(Warning::new(
                "unparsed_date",
                format!(
                    "could not parse stated date {:?}; used {} evidence",
                    s.verbatim,
                    serde_json::to_string(&p.provenance).unwrap_or_default()
                ),
            ));
        }
    }
    if let (Some(p), Some(o)) = (published.as_ref().filter(|p| !p.estimated), outlet) {
        if let Ok(d) = NaiveDate::parse_from_str(&p.date, "%Y-%m-%d") {
            stats.record_date(o, d);
        }
    }
    DateDecision {
        stated,
        evidence,
        published,
        warnings,
    }
}

fn detect_language(text: &str) -> (Option<String>, f32) {
    let sample: String = text.chars().take(4000).collect();
    match whatlang::detect(&sample) {
        Some(info) => (
            Some(info.lang().code().to_string()),
            info.confidence() as f32,
        ),
        None => (None, 0.0),
    }
}

/// Cleans the raw article and assembles the document with its provenance.
pub fn build_document(
    raw: RawArticle,
    path: &Path,
    stats: &LineStats,
) -> Result<Document, IngestError> {
    let no_stats = |_: &str| false;
    let opts = CleanOptions {
        parse_header: raw.parse_header,
        known_title: raw.title.as_deref(),
        is_boilerplate: &no_stats,
        related_headlines: raw.format != "html",
    };
    let mut cleaned = clean::clean(&raw.body, &opts);
    let url = raw.url.clone().or_else(|| cleaned.url.clone());
    let host = url.as_deref().and_then(outlet_from_url);
    let outlet = raw
        .outlet
        .clone()
        .or_else(|| host.clone())
        .or_else(|| cleaned.credited_outlet.clone());
    let stats_key = host.clone().or_else(|| outlet.clone());
    if let Some(key) = &stats_key {
        if stats.has_outlet_lines(key) {
            let pred = |l: &str| stats.is_boilerplate(key, l);
            let opts = CleanOptions {
                parse_header: raw.parse_header,
                known_title: raw.title.as_deref(),
                is_boilerplate: &pred,
                related_headlines: raw.format != "html",
            };
            let with_stats = clean::clean(&raw.body, &opts);
            // An article made only of lines the outlet repeats is a republication,
            // not boilerplate: keep it whole rather than lose it.
            if !with_stats.text.trim().is_empty() {
                cleaned = with_stats;
            }
        }
        stats.record(key, &raw.body);
    }
    let title_says_missing = raw
        .title
        .as_deref()
        .or(cleaned.title.as_deref())
        .is_some_and(|t| t.split_whitespace().count() <= 15 && crate::not_found::is_error_line(t));
    let not_found = title_says_missing || cleaned.removed.iter().any(|r| r.reason == "not-found");
    let words = cleaned.text.split_whitespace().count();
    // A short text that lost a "not found" line is an error page, unless what is left
    // reads like an article (a brief that reports "404 people").
    let error_page =
        not_found && words < 40 && !crate::not_found::has_article_sentence(&cleaned.text);
    if words == 0 || error_page {
        let why = if not_found {
            "page is a \"not found\" error page, no article text"
        } else {
            "no article text left after removing page chrome"
        };
        return Err(IngestError::record(path, raw.record.clone(), why));
    }
    let title = raw
        .title
        .clone()
        .or_else(|| cleaned.title.clone())
        .or_else(|| url.as_deref().and_then(title_from_url));
    let id = content_id(title.as_deref(), &raw.body);
    let decision = decide_dates(
        &raw,
        &cleaned,
        url.as_deref(),
        &cleaned.text,
        stats,
        stats_key.as_deref(),
    );
    let (language, language_confidence) = detect_language(&cleaned.text);

    let mut doc = Document::new(
        id,
        SourceRef {
            path: path.display().to_string(),
            format: raw.format.to_string(),
            record: raw.record.clone(),
        },
        std::mem::take(&mut cleaned.text),
    );
    doc.outlet = outlet;
    doc.url = url;
    doc.title = title;
    doc.byline = raw.byline.clone().or(cleaned.byline.take());
    doc.stated_date = decision.stated;
    doc.published = decision.published;
    doc.date_evidence = decision.evidence;
    doc.warnings = raw.warnings.clone();
    doc.warnings.extend(decision.warnings);
    if language.as_deref() != Some("eng") {
        doc.warnings.push(Warning::new(
            "not_english",
            format!(
                "language detected as {} (confidence {:.2}); stored but not annotated as English",
                language.as_deref().unwrap_or("unknown"),
                language_confidence
            ),
        ));
    }
    doc.language = language;
    doc.language_confidence = language_confidence;
    doc.removed = cleaned.removed;
    doc.metadata = raw.metadata;
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settle(
        verbatim: &str,
        url: Option<&str>,
        text: &str,
        stats: &LineStats,
        outlet: Option<&str>,
    ) -> (String, String) {
        let (d, why) = settle_numeric_order(verbatim, url, text, stats, outlet).expect("ambiguous");
        (iso(d), why)
    }

    /// A run far longer than the cap still finds the outlet's repeated line,
    /// and the table never holds more than the cap.
    #[test]
    fn line_counts_stay_bounded_and_keep_what_repeats() {
        let stats = LineStats::default();
        let footer = "Subscribe to our newsletter";
        let articles = LINE_COUNTS_CAP / 4 + 10;
        for i in 0..articles {
            let body: String = (0..4).map(|k| format!("unique line {i} {k}\n")).collect();
            let body = if i % 1000 == 0 {
                format!("{body}{footer}\n")
            } else {
                body
            };
            stats.record("paper.example", &body);
            let len = stats.inner.lock().map(|c| c.seen.len()).unwrap_or(0);
            assert!(
                len <= LINE_COUNTS_CAP + 5,
                "{len} line counts after {i} articles"
            );
        }
        assert!(stats.is_boilerplate("paper.example", footer));
        assert!(!stats.is_boilerplate("paper.example", "unique line 7 1"));
        assert!(!stats.is_boilerplate("other.example", footer));
    }

    #[test]
    fn ambiguous_numeric_dates_say_which_hint_decided() {
        let stats = LineStats::default();
        let (d, why) = settle(
            "07/03/2025",
            None,
            "Talks opened on March 6, 2025 in the capital.",
            &stats,
            None,
        );
        assert_eq!(d, "2025-03-07");
        assert!(why.contains("text reports 2025-03-06"), "{why}");
        let (d, why) = settle(
            "07/03/2025",
            Some("https://news.example.co.uk/a"),
            "",
            &stats,
            None,
        );
        assert_eq!(d, "2025-03-07");
        assert!(why.contains(".uk"), "{why}");
        let (d, why) = settle("07/03/2025", None, "", &stats, None);
        assert_eq!(d, "2025-07-03");
        assert!(why.contains("no hint"), "{why}");
        stats.record_order("Gazette", dates::NumericOrder::DayFirst);
        let (d, why) = settle("07/03/2025", None, "", &stats, Some("Gazette"));
        assert_eq!(d, "2025-03-07");
        assert!(why.contains("Gazette"), "{why}");
        stats.record_date(
            "Monitor",
            NaiveDate::from_ymd_opt(2025, 7, 1).expect("valid"),
        );
        assert_eq!(
            settle("07/03/2025", None, "", &stats, Some("Monitor")).0,
            "2025-07-03"
        );
    }

    #[test]
    fn impossible_and_dotted_dates() {
        assert!(dates::parse_date("13/13/2016").is_none());
        assert!(dates::parse_date("February 30, 2016").is_none());
        assert_eq!(
            dates::parse_date("07.03.2025")
                .map(|p| iso(p.date))
                .as_deref(),
            Some("2025-03-07")
        );
        assert!(!dates::is_ambiguous_numeric("07.03.2025"));
        assert_eq!(
            dates::numeric_order_evidence("13/03/2025"),
            Some(dates::NumericOrder::DayFirst)
        );
    }
}
