//! Date ranges read from a mention's sentence: a report that dates an event
//! "before 3 October", "by the end of the month" or "since March" only bounds
//! it, and the timeline must not show the bound as the day it happened.
//!
//! Read at timeline time from what the store already keeps (the mention's
//! sentence, whose span is the event's evidence span, and its stored date):
//! the events layer dates a verb by the time expression it governs whatever
//! preposition introduces it, so the cue in front of that expression is the
//! only place the bound is still visible. The time grammar finds the
//! expression again in the sentence alone; its value must agree with the
//! stored date, else (one dated expression only) its position decides.

use chronicle_timex::{find_times, Kind, Tense};
use chrono::NaiveDate;
use serde::Serialize;

/// How a report bounds an event by a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BoundRelation {
    /// Strictly before the date ("before", "prior to", "ahead of").
    Before,
    /// On or before the end of the date's period ("by", "until", "no later than").
    By,
    /// Somewhere in the period (an ISO week, "last week"; a season).
    Within,
    /// On or after its start ("since").
    Since,
    /// Strictly after the date's period ("after", "following").
    After,
}

impl BoundRelation {
    pub fn as_str(self) -> &'static str {
        match self {
            BoundRelation::Before => "before",
            BoundRelation::By => "by",
            BoundRelation::Within => "within",
            BoundRelation::Since => "since",
            BoundRelation::After => "after",
        }
    }
}

/// A bound found in a sentence: the relation, the cue and expression as
/// written, and their byte span in the sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentenceBound {
    pub relation: BoundRelation,
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Cue phrases, longest first so "no later than" wins over "than".
const CUES: &[(&str, BoundRelation)] = &[
    ("no later than", BoundRelation::By),
    ("not later than", BoundRelation::By),
    ("earlier than", BoundRelation::Before),
    ("later than", BoundRelation::After),
    ("prior to", BoundRelation::Before),
    ("ahead of", BoundRelation::Before),
    ("in the run-up to", BoundRelation::Before),
    ("before", BoundRelation::Before),
    ("until", BoundRelation::By),
    ("till", BoundRelation::By),
    ("by", BoundRelation::By),
    ("since", BoundRelation::Since),
    ("after", BoundRelation::After),
    ("following", BoundRelation::After),
];

/// Words the sentence may hold between a cue and the time expression it
/// bounds by: "by the end of", "before the talks on", "after Monday's".
/// Only cues that take an event noun may reach over one ("after the talks
/// on 3 October"); "by" never does ("attacked by the army on Monday" is an
/// agent, not a deadline).
const PERIOD_PARTS: &[&str] = &[
    "the",
    "end",
    "start",
    "beginning",
    "middle",
    "close",
    "of",
    "early",
    "late",
    "mid",
];
const NOUN_LINKS: &[&str] = &["on", "in", "of", "at"];

/// Whether a sentence can hold a bound at all (a cheap test before the time
/// grammar runs).
pub fn has_cue(sentence: &str) -> bool {
    let lower = sentence.to_ascii_lowercase();
    let found = words(&lower).any(|(_, w)| {
        matches!(
            w,
            "before"
                | "until"
                | "till"
                | "by"
                | "since"
                | "after"
                | "following"
                | "prior"
                | "ahead"
                | "than"
                | "run-up"
        )
    });
    found
}

/// Lower-case words with their byte offsets (ASCII lowering keeps offsets).
fn words(s: &str) -> impl Iterator<Item = (usize, &str)> {
    s.split_inclusive(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
        .scan(0usize, |pos, piece| {
            let start = *pos;
            *pos += piece.len();
            let word =
                piece.trim_end_matches(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''));
            Some((start, word))
        })
        .filter(|(_, w)| !w.is_empty())
}

/// The bound the sentence puts on the date `date` (as stored: the value of
/// the time expression the event's verb governs), read against the report's
/// publication day `published`. `None` when the sentence states the date as
/// a point, or when it cannot tell which expression gave it.
pub fn bound_in(sentence: &str, date: &str, published: Option<&str>) -> Option<SentenceBound> {
    if !has_cue(sentence) {
        return None;
    }
    let reference = published
        .and_then(|p| p.get(..10))
        .and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok());
    let times: Vec<_> = find_times(sentence, reference, &|_, _| Tense::Past)
        .into_iter()
        .filter(|t| t.kind == Kind::Date)
        .collect();
    let same: Vec<_> = times.iter().filter(|t| agrees(&t.value, date)).collect();
    let t = match (same.as_slice(), times.as_slice()) {
        ([one], _) => *one,
        ([], [only]) => only,
        _ => return None,
    };
    // "Friday's strike": the date names a noun, and whatever cue precedes it
    // belongs to that noun's phrase.
    if sentence[t.end..].starts_with("'s") || sentence[t.end..].starts_with("’s") {
        return None;
    }
    let before = sentence.get(..t.start)?.to_ascii_lowercase();
    let ws: Vec<(usize, &str)> = words(&before).collect();
    // Walk back over the period words ("by the end of") and, for cues that
    // take a noun, over one short noun phrase ending in a link word ("after
    // the talks on").
    let mut i = ws.len();
    while i > 0 && PERIOD_PARTS.contains(&ws[i - 1].1) {
        i -= 1;
    }
    if let Some((start, rel, len)) = cue_ending_at(&ws, i) {
        return Some(found(sentence, start, t.end, rel, len));
    }
    if i > 0 && NOUN_LINKS.contains(&ws[i - 1].1) {
        // A comma or clause word between cue and date means the date belongs
        // to another clause.
        for j in (i.saturating_sub(6)..i - 1).rev() {
            let w = ws[j].1;
            // Another date, a clause word or a verb's auxiliary: the cue
            // belongs to something else ("before 1 October were suspended on").
            if matches!(
                w,
                "and"
                    | "or"
                    | "that"
                    | "which"
                    | "who"
                    | "when"
                    | "while"
                    | "was"
                    | "were"
                    | "is"
                    | "are"
                    | "has"
                    | "have"
                    | "had"
                    | "been"
                    | "be"
                    | "will"
                    | "would"
                    | "said"
            ) || w.bytes().any(|b| b.is_ascii_digit())
                || chronicle_timex::month_number(w).is_some()
            {
                break;
            }
            if let Some((start, rel, len)) = cue_ending_at(&ws, j + 1) {
                if rel != BoundRelation::By && len > 0 {
                    let gap = before.get(ws[j].0..t.start).unwrap_or_default();
                    if !gap.contains([',', ';', ':', '(', ')']) {
                        return Some(found(sentence, start, t.end, rel, len));
                    }
                }
                break;
            }
        }
    }
    None
}

fn found(
    sentence: &str,
    start: usize,
    end: usize,
    relation: BoundRelation,
    _len: usize,
) -> SentenceBound {
    SentenceBound {
        relation,
        text: sentence.get(start..end).unwrap_or_default().to_string(),
        start,
        end,
    }
}

/// A cue whose last word is `ws[i - 1]`: its start, relation and word count.
fn cue_ending_at(ws: &[(usize, &str)], i: usize) -> Option<(usize, BoundRelation, usize)> {
    CUES.iter().find_map(|(cue, rel)| {
        let parts: Vec<&str> = cue.split(' ').collect();
        let n = parts.len();
        if i < n {
            return None;
        }
        let here = &ws[i - n..i];
        here.iter()
            .zip(&parts)
            .all(|((_, w), p)| w == p)
            .then(|| (here[0].0, *rel, n))
    })
}

/// Whether a time value found again agrees with the stored date: equal, or
/// equal where the found value knows its digits (`XXXX-10-03`).
fn agrees(found: &str, stored: &str) -> bool {
    found.len() == stored.len()
        && found
            .bytes()
            .zip(stored.bytes())
            .all(|(a, b)| a == b || a == b'X')
}

/// The first and last day of an ISO week (`2016-W32`: its Monday and
/// Sunday) or weekend (`2016-W25-WE`: its Saturday and Sunday).
pub fn week_days(week: &str) -> Option<(String, String)> {
    let (y, w) = week.split_once("-W")?;
    let (w, weekend) = match w.split_once('-') {
        Some((w, "WE")) => (w, true),
        None => (w, false),
        _ => return None,
    };
    if w.len() != 2 {
        return None;
    }
    let (y, w): (i32, u32) = (y.parse().ok()?, w.parse().ok()?);
    let first = if weekend {
        chrono::Weekday::Sat
    } else {
        chrono::Weekday::Mon
    };
    let start = NaiveDate::from_isoywd_opt(y, w, first)?;
    let end = NaiveDate::from_isoywd_opt(y, w, chrono::Weekday::Sun)?;
    Some((
        start.format("%Y-%m-%d").to_string(),
        end.format("%Y-%m-%d").to_string(),
    ))
}

/// Whether a date is an ISO week or weekend (`2016-W32`, `2016-W25-WE`).
pub fn is_week(date: &str) -> bool {
    date.len() >= 8
        && date.as_bytes()[..4].iter().all(u8::is_ascii_digit)
        && week_days(date).is_some()
}

/// TIMEX3 seasons (`2012-SU`): winter as the year's first months.
const SEASONS: &[(&str, &str, &str)] = &[
    ("SP", "03-01", "05-32"),
    ("SU", "06-01", "08-32"),
    ("FA", "09-01", "11-32"),
    ("AU", "09-01", "11-32"),
    ("WI", "01-01", "02-32"),
];

/// Quarters and halves of a year (`2008-Q1`, `2008-H2`).
const QUARTERS: &[(&str, &str, &str)] = &[
    ("Q1", "01-01", "03-32"),
    ("Q2", "04-01", "06-32"),
    ("Q3", "07-01", "09-32"),
    ("Q4", "10-01", "12-32"),
    ("H1", "01-01", "06-32"),
    ("H2", "07-01", "12-32"),
];

/// The first and last day of a TIMEX3 season (`2012-SU`), as sortable
/// strings (a month's end as its "32nd").
pub fn season_days(date: &str) -> Option<(String, String)> {
    year_part_days(date, SEASONS)
}

/// The first and last day of a quarter or half of a year (`2008-Q1`,
/// `2008-H2`), as [`season_days`] gives a season's.
pub fn quarter_days(date: &str) -> Option<(String, String)> {
    year_part_days(date, QUARTERS)
}

/// `YYYY-<part>` with the part's first and last month-day from `parts`.
fn year_part_days(date: &str, parts: &[(&str, &str, &str)]) -> Option<(String, String)> {
    let (y, s) = date.split_once('-')?;
    if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (_, from, to) = parts.iter().find(|(name, _, _)| *name == s)?;
    Some((format!("{y}-{from}"), format!("{y}-{to}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_and_halves_span_their_months() {
        assert_eq!(
            quarter_days("2008-Q1"),
            Some(("2008-01-01".into(), "2008-03-32".into()))
        );
        assert_eq!(
            quarter_days("2008-H2"),
            Some(("2008-07-01".into(), "2008-12-32".into()))
        );
        assert_eq!(quarter_days("2008-Q5"), None);
        assert_eq!(quarter_days("08-Q1"), None);
    }

    fn rel(sentence: &str, date: &str) -> Option<(BoundRelation, String)> {
        bound_in(sentence, date, Some("2016-10-15")).map(|b| {
            assert_eq!(&sentence[b.start..b.end], b.text);
            (b.relation, b.text)
        })
    }

    #[test]
    fn a_cue_before_the_date_bounds_the_event() {
        assert_eq!(
            rel("The US suspended talks before 3 October.", "2016-10-03"),
            Some((BoundRelation::Before, "before 3 October".into()))
        );
        assert_eq!(
            rel("Aid had been cut since March, officials said.", "2016-03"),
            Some((BoundRelation::Since, "since March".into()))
        );
        assert_eq!(
            rel("The corridor stays open until 20 October.", "2016-10-20"),
            Some((BoundRelation::By, "until 20 October".into()))
        );
        assert_eq!(
            rel(
                "The ceasefire was to be agreed by the end of October.",
                "2016-10"
            )
            .map(|r| r.0),
            Some(BoundRelation::By)
        );
        assert_eq!(
            rel(
                "Troops will withdraw no later than 30 November.",
                "2016-11-30"
            )
            .map(|r| r.0),
            Some(BoundRelation::By)
        );
    }

    #[test]
    fn a_cue_may_reach_over_an_event_noun_but_not_over_an_agent() {
        assert_eq!(
            rel(
                "Strikes resumed after the talks on 3 October.",
                "2016-10-03"
            ),
            Some((BoundRelation::After, "after the talks on 3 October".into()))
        );
        assert_eq!(
            rel(
                "The town was attacked by the army on 3 October.",
                "2016-10-03"
            ),
            None
        );
        assert_eq!(
            rel(
                "Strikes resumed after the talks, on 3 October.",
                "2016-10-03"
            ),
            None
        );
    }

    #[test]
    fn a_point_date_is_no_bound() {
        assert_eq!(
            rel("The US suspended talks on 3 October.", "2016-10-03"),
            None
        );
        assert_eq!(
            rel("Five people were killed by Friday's strike.", "2016-10-14"),
            None
        );
        // The cue bounds another date than the stored one.
        assert_eq!(
            rel(
                "Talks held before 1 October were suspended on 3 October.",
                "2016-10-03"
            ),
            None
        );
    }

    #[test]
    fn weeks_have_their_days() {
        assert_eq!(
            week_days("2016-W32"),
            Some(("2016-08-08".into(), "2016-08-14".into()))
        );
        assert!(is_week("2016-W32"));
        assert!(!is_week("2016-10"));
        assert!(!is_week("2016-W99"));
        assert_eq!(
            week_days("2016-W25-WE"),
            Some(("2016-06-25".into(), "2016-06-26".into()))
        );
        assert_eq!(
            season_days("2012-SU"),
            Some(("2012-06-01".into(), "2012-08-32".into()))
        );
        assert_eq!(season_days("2012-XX"), None);
    }

    proptest::proptest! {
        #[test]
        fn bounds_are_spans_of_the_sentence(
            s in "\\PC{0,60}(before|by|since|after|until) (the talks on )?(3 October|March|Friday)\\PC{0,30}",
            date in "(2016-10-03|2016-03|2016-10-14)",
        ) {
            if let Some(b) = bound_in(&s, &date, Some("2016-10-15")) {
                proptest::prop_assert!(b.start < b.end && b.end <= s.len());
                proptest::prop_assert!(s.is_char_boundary(b.start) && s.is_char_boundary(b.end));
                proptest::prop_assert_eq!(&s[b.start..b.end], b.text.as_str());
            }
        }
    }

    #[test]
    fn words_keep_their_offsets() {
        let s = "Up to 3 October, then: after";
        for (i, w) in words(s) {
            assert_eq!(&s[i..i + w.len()], w);
        }
    }
}
