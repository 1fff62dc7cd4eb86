//! Dates as news states them: ISO stamps, `Friday, 09 September, 2016, 1:07pm`,
//! `Sept. 9, 2016`, RFC 2822 feed dates, `4/5/17`, and dates buried in URLs.

use chrono::{Datelike, NaiveDate};

/// A parsed calendar date with an optional time of day (`HH:MM`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedDate {
    pub date: NaiveDate,
    pub time: Option<String>,
}

/// Years outside this window are almost surely ids or prices, not publication years.
const MIN_YEAR: i32 = 1900;
const MAX_YEAR: i32 = 2100;

/// A month name as headers write it: the time lexicon's names and abbreviations
/// (`Sept.`, `oct`), and any longer prefix of a full name (`Septem`), but not a
/// word that merely starts like one (`marching`).
pub fn month_from_name(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    chronicle_timex::month_number(&w).or_else(|| {
        chronicle_timex::MONTH_NAMES
            .iter()
            .position(|full| full.starts_with(&w))
            .map(|i| i as u32 + 1)
    })
}

fn is_weekday(word: &str) -> bool {
    let w = word.trim_end_matches(['.', ',']).to_ascii_lowercase();
    chronicle_timex::weekday_number(&w).is_some()
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

fn expand_two_digit_year(y: i32) -> i32 {
    if y < 70 {
        2000 + y
    } else {
        1900 + y
    }
}

/// Tokens of a date string: runs of letters, runs of digits, and `:`-joined clock times.
fn date_tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_alphabetic() {
            let st = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphabetic() || bytes[i] == b'.') {
                i += 1;
            }
            out.push(&s[st..i]);
        } else if c.is_ascii_digit() {
            let st = i;
            while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b':') {
                i += 1;
            }
            // a trailing am/pm glued to a clock time
            let mut j = i;
            if j + 1 < bytes.len() + 1 && s[j..].len() >= 2 {
                let rest = s[j..].get(..2).unwrap_or("").to_ascii_lowercase();
                if rest == "am" || rest == "pm" {
                    j += 2;
                }
            }
            out.push(&s[st..i]);
            if j > i {
                out.push(&s[i..j]);
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

fn parse_clock(tok: &str, next: Option<&str>) -> Option<String> {
    let (h, m) = tok.split_once(':')?;
    let mut h: u32 = h.parse().ok()?;
    let m: u32 = m.get(..2).unwrap_or(m).parse().ok()?;
    match next.map(|n| n.to_ascii_lowercase()) {
        Some(n) if n == "pm" && h < 12 => h += 12,
        Some(n) if n == "am" && h == 12 => h = 0,
        _ => {}
    }
    (h < 24 && m < 60).then(|| format!("{h:02}:{m:02}"))
}

/// Parses a date written in any of the common news and metadata forms.
pub fn parse_date(s: &str) -> Option<ParsedDate> {
    let s = s.trim();
    if s.is_empty() || s.len() > 200 {
        return None;
    }
    if let Some(p) = parse_iso(s) {
        return Some(p);
    }
    if let Ok(dt) = chrono::DateTime::parse_from_rfc2822(s) {
        return Some(ParsedDate {
            date: dt.date_naive(),
            time: Some(dt.format("%H:%M").to_string()),
        });
    }
    if let Some(p) = parse_numeric_slash(s) {
        return Some(p);
    }
    parse_words(s)
}

/// `2016-10-15`, `2016-10-15T08:30:00Z`, `2016/10/15`, `20161015`.
fn parse_iso(s: &str) -> Option<ParsedDate> {
    let b = s.as_bytes();
    if b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && (b[4] == b'-' || b[4] == b'/')
        && b[7] == b[4]
    {
        let y: i32 = s.get(..4)?.parse().ok()?;
        let m: u32 = s.get(5..7)?.parse().ok()?;
        let d: u32 = s.get(8..10)?.parse().ok()?;
        let date = ymd(y, m, d)?;
        let time = if b.len() >= 16 && (b[10] == b'T' || b[10] == b' ') {
            s.get(11..16).and_then(|c| parse_clock(c, None))
        } else {
            None
        };
        return Some(ParsedDate { date, time });
    }
    if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
        let date = ymd(
            s.get(..4)?.parse().ok()?,
            s.get(4..6)?.parse().ok()?,
            s.get(6..8)?.parse().ok()?,
        )?;
        return Some(ParsedDate { date, time: None });
    }
    None
}

/// `4/5/17`, `10/6/2016`: month first (US) unless the first number cannot be a month.
/// The two leading numbers, the year (two digits expanded) and whether the date is
/// dotted, of `07/03/2025` or `21.08.2013`.
fn numeric_parts(s: &str) -> Option<(u32, u32, i32, bool)> {
    let head = s.split_whitespace().next()?;
    let parts: Vec<&str> = head.split(['/', '.']).collect();
    if parts.len() != 3
        || !parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let a: u32 = parts[0].parse().ok()?;
    let b: u32 = parts[1].parse().ok()?;
    let mut y: i32 = parts[2].parse().ok()?;
    if parts[2].len() == 2 {
        y = expand_two_digit_year(y);
    } else if parts[2].len() != 4 {
        return None;
    }
    Some((a, b, y, head.contains('.')))
}

fn parse_numeric_slash(s: &str) -> Option<ParsedDate> {
    let (a, b, y, dotted) = numeric_parts(s)?;
    // 21.08.2013 and 07.03.2025: dotted dates are written day first
    let (m, d) = if a > 12 || dotted { (b, a) } else { (a, b) };
    Some(ParsedDate {
        date: ymd(y, m, d)?,
        time: None,
    })
}

/// `07/03/2025`: both numbers could be the month, so the reading is a guess that
/// hints must settle (`numeric_readings`). Dotted dates are day first by convention.
pub fn is_ambiguous_numeric(s: &str) -> bool {
    let head = s.split_whitespace().next().unwrap_or("");
    if head.contains('.') {
        return false;
    }
    let parts: Vec<u32> = head.split('/').filter_map(|p| p.parse().ok()).collect();
    parts.len() == 3 && parts[0] <= 12 && parts[1] <= 12 && parts[0] != parts[1]
}

/// Which number of a numeric date is the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumericOrder {
    MonthFirst,
    DayFirst,
}

/// The order a slashed date proves by itself (`13/03/2025` can only be day first).
pub fn numeric_order_evidence(s: &str) -> Option<NumericOrder> {
    let head = s.split_whitespace().next()?;
    let parts: Vec<u32> = head.split('/').filter_map(|p| p.parse().ok()).collect();
    if parts.len() != 3 {
        return None;
    }
    match (parts[0] > 12, parts[1] > 12) {
        (true, false) => Some(NumericOrder::DayFirst),
        (false, true) => Some(NumericOrder::MonthFirst),
        _ => None,
    }
}

/// Both readings of an ambiguous slashed date: (month first, day first).
pub fn numeric_readings(s: &str) -> Option<(NaiveDate, NaiveDate)> {
    let (a, b, y, _) = numeric_parts(s)?;
    Some((ymd(y, a, b)?, ymd(y, b, a)?))
}

/// Month-name forms: `09 September, 2016`, `Sept. 9, 2016`, `Fri 07 Apr 2017 at 0914`.
fn parse_words(s: &str) -> Option<ParsedDate> {
    let toks = date_tokens(s);
    let mi = toks.iter().position(|t| month_from_name(t).is_some())?;
    let month = month_from_name(toks[mi])?;
    let num = |t: &str| -> Option<u32> {
        if t.bytes().all(|c| c.is_ascii_digit()) && t.len() <= 4 {
            t.parse().ok()
        } else {
            None
        }
    };
    let mut day = None;
    let mut year = None;
    // day before the month ("09 September") or after it ("September 9")
    if mi > 0 {
        if let Some(d) =
            num(toks[mi - 1]).filter(|d| (1..=31).contains(d) && toks[mi - 1].len() <= 2)
        {
            day = Some(d);
        }
    }
    let mut k = mi + 1;
    if day.is_none() {
        if let Some(d) = toks
            .get(k)
            .and_then(|t| num(t))
            .filter(|d| (1..=31).contains(d))
        {
            if toks.get(k).is_some_and(|t| t.len() <= 2) {
                day = Some(d);
                k += 1;
                // ordinal suffix
                if toks.get(k).is_some_and(|t| {
                    ["st", "nd", "rd", "th"].contains(&t.to_ascii_lowercase().as_str())
                }) {
                    k += 1;
                }
            }
        }
    }
    if let Some(y) = toks.get(k).filter(|t| t.len() == 4).and_then(|t| num(t)) {
        year = Some(y as i32);
        k += 1;
    }
    let year = year?;
    let day = day?;
    let date = ymd(year, month, day)?;
    let time = toks[k..].iter().enumerate().find_map(|(i, t)| {
        if t.contains(':') {
            parse_clock(t, toks.get(k + i + 1).copied())
        } else {
            None
        }
    });
    Some(ParsedDate { date, time })
}

/// Whether a string starts with a weekday name: datelines often do.
pub fn starts_with_weekday(s: &str) -> bool {
    s.split_whitespace().next().is_some_and(is_weekday)
}

/// Dates inside a URL, with how precise they are (`day` or `month`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlDate {
    pub date: NaiveDate,
    pub verbatim: String,
    pub day_precision: bool,
}

/// Finds `/2016/10/15/`, `/2016/10/`, `2016-10-15`, `20161015` and 12+ digit
/// `yymmddHHMMSS…` stamps (as in `…-161015035430288.html`).
pub fn dates_in_url(url: &str) -> Vec<UrlDate> {
    let mut out = Vec::new();
    let path = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let path = path.split_once('/').map(|(_, p)| p).unwrap_or("");
    let segs: Vec<&str> = path.split(['/', '?', '&', '=']).collect();
    for w in 0..segs.len() {
        let seg = segs[w];
        if seg.len() == 4 && seg.bytes().all(|c| c.is_ascii_digit()) {
            let y: i32 = seg.parse().unwrap_or(0);
            let m = segs
                .get(w + 1)
                .filter(|s| s.len() <= 2)
                .and_then(|s| s.parse::<u32>().ok());
            let d = segs
                .get(w + 2)
                .filter(|s| s.len() <= 2)
                .and_then(|s| s.parse::<u32>().ok());
            if let (Some(m), Some(d)) = (m, d) {
                if let Some(date) = ymd(y, m, d) {
                    out.push(UrlDate {
                        date,
                        verbatim: format!("{seg}/{}/{}", segs[w + 1], segs[w + 2]),
                        day_precision: true,
                    });
                    continue;
                }
            }
            if let Some(m) = m {
                if let Some(date) = ymd(y, m, 1) {
                    out.push(UrlDate {
                        date,
                        verbatim: format!("{seg}/{}", segs[w + 1]),
                        day_precision: false,
                    });
                }
            }
        }
    }
    // digit runs anywhere in the path
    let bytes = path.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let st = i;
            while i < bytes.len() && (bytes[i].is_ascii_digit()) {
                i += 1;
            }
            let run = &path[st..i];
            // ISO with dashes: 2016-10-15
            if run.len() == 4 && path[i..].len() >= 6 {
                if let Some((rest, p)) =
                    path.get(st..st + 10).and_then(|r| Some((r, parse_iso(r)?)))
                {
                    out.push(UrlDate {
                        date: p.date,
                        verbatim: rest.to_string(),
                        day_precision: true,
                    });
                }
            }
            if run.len() == 8 {
                if let Some(p) = parse_iso(run) {
                    out.push(UrlDate {
                        date: p.date,
                        verbatim: run.to_string(),
                        day_precision: true,
                    });
                }
            } else if run.len() >= 12 {
                let (yy, mm, dd) = (&run[0..2], &run[2..4], &run[4..6]);
                let (hh, mi, ss) = (&run[6..8], &run[8..10], &run[10..12]);
                let ok_time = hh.parse::<u32>().is_ok_and(|h| h < 24)
                    && mi.parse::<u32>().is_ok_and(|m| m < 60)
                    && ss.parse::<u32>().is_ok_and(|s| s < 60);
                if ok_time {
                    if let (Ok(y), Ok(m), Ok(d)) =
                        (yy.parse::<i32>(), mm.parse::<u32>(), dd.parse::<u32>())
                    {
                        if let Some(date) = ymd(2000 + y, m, d) {
                            out.push(UrlDate {
                                date,
                                verbatim: run.to_string(),
                                day_precision: true,
                            });
                        }
                    }
                }
            }
        } else {
            i += 1;
        }
    }
    out.dedup_by(|a, b| a.date == b.date && a.day_precision == b.day_precision);
    out
}

/// A full date (day, month, year) written out in running text, with its byte span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextDate {
    pub date: NaiveDate,
    pub start: usize,
    pub end: usize,
}

/// Scans running text for explicit full dates (`October 6, 2016`, `6 October 2016`,
/// `2016-10-06`). Used as content evidence for the publication date.
pub fn full_dates_in_text(text: &str) -> Vec<TextDate> {
    let mut out = Vec::new();
    let words: Vec<(usize, &str)> = word_spans(text);
    for (i, &(start, w)) in words.iter().enumerate() {
        if let Some(m) = month_from_name(w) {
            if w.chars().next().is_some_and(|c| c.is_lowercase()) {
                continue; // "may", "march" as verbs
            }
            // Month D, YYYY
            if let (Some(&(_, d)), Some(&(ys, y))) = (words.get(i + 1), words.get(i + 2)) {
                let d = d.trim_end_matches(',');
                let yv = y.trim_end_matches([',', '.', ';', ')']);
                if let (Ok(dn), Ok(yn)) = (d.parse::<u32>(), yv.parse::<i32>()) {
                    if yv.len() == 4 {
                        if let Some(date) = ymd(yn, m, dn) {
                            out.push(TextDate {
                                date,
                                start,
                                end: ys + yv.len(),
                            });
                            continue;
                        }
                    }
                }
            }
            // D Month YYYY
            if i > 0 {
                let (ds, d) = words[i - 1];
                if let Some(&(ys, y)) = words.get(i + 1) {
                    let yv = y.trim_end_matches([',', '.', ';', ')']);
                    if let (Ok(dn), Ok(yn)) = (d.parse::<u32>(), yv.parse::<i32>()) {
                        if yv.len() == 4 {
                            if let Some(date) = ymd(yn, m, dn) {
                                out.push(TextDate {
                                    date,
                                    start: ds,
                                    end: ys + yv.len(),
                                });
                            }
                        }
                    }
                }
            }
        } else if w.len() >= 10 {
            if let Some(p) = w.get(..10).and_then(parse_iso) {
                out.push(TextDate {
                    date: p.date,
                    start,
                    end: start + 10,
                });
            }
        }
    }
    out
}

fn word_spans(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                out.push((s, &text[s..i]));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

pub fn iso(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_and_weekday_words_come_from_the_time_lexicon() {
        for (w, m) in [
            ("Sept.", Some(9)),
            ("sep", Some(9)),
            ("Septem", Some(9)),
            ("MAY", Some(5)),
            ("janu", Some(1)),
            ("marching", None),
            ("ma", None),
            ("decade", None),
        ] {
            assert_eq!(month_from_name(w), m, "{w}");
        }
        for w in ["Thurs.", "tue,", "Sunday"] {
            assert!(is_weekday(w), "{w}");
        }
        assert!(!is_weekday("sundae"));
    }

    fn d(s: &str) -> String {
        parse_date(s).map(|p| iso(p.date)).unwrap_or_default()
    }

    #[test]
    fn news_forms() {
        assert_eq!(d("Friday, 09 September, 2016, 1:07pm"), "2016-09-09");
        assert_eq!(
            parse_date("Friday, 09 September, 2016, 1:07pm")
                .unwrap()
                .time
                .as_deref(),
            Some("13:07")
        );
        assert_eq!(d("Sept. 9, 2016"), "2016-09-09");
        assert_eq!(d("Oct 6, 2016"), "2016-10-06");
        assert_eq!(d("Fri 07 Apr 2017 at 0914"), "2017-04-07");
        assert_eq!(d("2016-10-03"), "2016-10-03");
        assert_eq!(d("2025-03-06T08:30:00Z"), "2025-03-06");
        assert_eq!(d("Wed, 05 Mar 2025 09:14:00 GMT"), "2025-03-05");
        assert_eq!(d("4/5/17"), "2017-04-05");
        assert_eq!(d("25/12/2016"), "2016-12-25");
        assert_eq!(d("not a date"), "");
        assert_eq!(d("March 2016"), "");
    }

    #[test]
    fn url_dates() {
        let u = dates_in_url("http://www.aljazeera.com/news/2016/10/syria-war-talks-lausanne-aleppo-fighting-161015035430288.html");
        let found: Vec<(String, bool)> = u.iter().map(|x| (iso(x.date), x.day_precision)).collect();
        assert!(found.contains(&("2016-10-01".into(), false)), "{found:?}");
        assert!(found.contains(&("2016-10-15".into(), true)), "{found:?}");
        let u = dates_in_url("https://x.example/2025/03/05/story.html");
        assert_eq!(iso(u[0].date), "2025-03-05");
        assert!(dates_in_url("https://x.example/story-1234").is_empty());
    }

    #[test]
    fn dates_in_running_text() {
        let t = "A caption from October 6, 2016 and 7 March 2025. Not may 5 2020.";
        let found: Vec<String> = full_dates_in_text(t).iter().map(|x| iso(x.date)).collect();
        assert_eq!(found, vec!["2016-10-06", "2025-03-07"]);
    }
}
