//! When an exported event happened: a whole calendar date for every row, and
//! the rule that keeps background (references to the past) out of the export.
//!
//! GDELT dates an event by the article that reports it unless the article
//! states another day; ACLED needs a day too. So:
//! - an event date stated to the day is used as it is;
//! - an event date with only a year or a month, or none, falls back to the
//!   article's publication date (the period it names contains, or is near, the
//!   day of publication: "this year", "in October" in an October article);
//! - an event is **background** when the latest day its stated date allows
//!   (the day itself, the month's last day, the year's 31 December) is more than
//!   [`BACKGROUND_DAYS`] before publication: "since 1963", "the 2011 uprising",
//!   "in March" in a June article. News reports what happened in the last days;
//!   30 days keeps "last week" and "earlier this month" and drops history;
//! - a stated date more than [`FUTURE_DAYS`] after publication is not a
//!   credible event date (a misread number, "2118"): the publication date is
//!   used and the row is counted;
//! - with no publication date, only a date stated to the day can be used; the
//!   row is otherwise left out and counted.

/// Stated dates ending this many days or more before publication are background.
pub const BACKGROUND_DAYS: i64 = 30;
/// Stated dates starting this many days or more after publication are not credible.
pub const FUTURE_DAYS: i64 = 366;

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    pub y: i32,
    pub m: u32,
    pub d: u32,
}

impl Day {
    pub fn new(y: i32, m: u32, d: u32) -> Option<Day> {
        ((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m) && (1..=9999).contains(&y))
            .then_some(Day { y, m, d })
    }

    /// `YYYY-MM-DD` (the first ten characters; a time after them is ignored).
    pub fn parse_iso(s: &str) -> Option<Day> {
        let (y, m, d) = parts(s);
        Day::new(y?, m?, d?)
    }

    /// Days since 0000-03-01 (proleptic Gregorian), for differences.
    pub fn ordinal(self) -> i64 {
        let (y, m) = if self.m <= 2 {
            (self.y as i64 - 1, self.m as i64 + 9)
        } else {
            (self.y as i64, self.m as i64 - 3)
        };
        365 * y + y.div_euclid(4) - y.div_euclid(100)
            + y.div_euclid(400)
            + (153 * m + 2) / 5
            + self.d as i64
            - 1
    }

    /// `YYYYMMDD`, GDELT's SQLDATE.
    pub fn compact(self) -> String {
        format!("{:04}{:02}{:02}", self.y, self.m, self.d)
    }

    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

fn leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Year, month and day of a TIMEX3 value as far as it states them:
/// "2016-10-14T…" all three, "2016-10" two, "2016", "2016-W37" or "2016-SU"
/// only the year, "PRESENT_REF" none.
pub fn parts(value: &str) -> (Option<i32>, Option<u32>, Option<u32>) {
    let num = |s: Option<&str>, len: usize| -> Option<u32> {
        s.filter(|s| s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|s| s.parse().ok())
    };
    let Some(y) = num(value.get(..4), 4) else {
        return (None, None, None);
    };
    let dash = |i: usize| value.as_bytes().get(i) == Some(&b'-');
    let m = num(value.get(5..7), 2).filter(|m| dash(4) && (1..=12).contains(m));
    let d = m.and(num(value.get(8..10), 2)).filter(|_| dash(7));
    (Some(y as i32), m, d)
}

/// How an event's export date was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateDecision {
    /// The event's own date, stated to the day.
    Stated(Day),
    /// The publication date (the event's date was partial, absent, or not credible).
    Published(Day),
    /// A reference to the past; `day` is what it would be exported with.
    Background(Day),
    /// No usable date at all.
    None,
}

/// Whether the fallback replaced a stated date judged not credible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decided {
    pub decision: DateDecision,
    pub implausible: bool,
}

/// The export date of an event whose TIMEX3 value is `event` in a document
/// published on `published` (`YYYY-MM-DD…`).
pub fn decide(event: Option<&str>, published: Option<&str>) -> Decided {
    let pub_day = published.and_then(Day::parse_iso);
    let (y, m, d) = parts(event.unwrap_or(""));
    let stated = match (y, m, d) {
        (Some(y), Some(m), Some(d)) => Day::new(y, m, d),
        _ => None,
    };
    // The earliest and latest days the stated date allows.
    let span = match (y, m) {
        _ if stated.is_some() => stated.map(|s| (s, s)),
        (Some(y), Some(m)) => Day::new(y, m, 1).zip(Day::new(y, m, days_in_month(y, m))),
        (Some(y), None) => Day::new(y, 1, 1).zip(Day::new(y, 12, 31)),
        _ => None,
    };
    let ok = |decision| Decided {
        decision,
        implausible: false,
    };
    let Some(p) = pub_day else {
        return ok(match stated {
            Some(s) => DateDecision::Stated(s),
            None => DateDecision::None,
        });
    };
    let Some((first, last)) = span else {
        return ok(DateDecision::Published(p));
    };
    if p.ordinal() - last.ordinal() > BACKGROUND_DAYS {
        return ok(DateDecision::Background(stated.unwrap_or(p)));
    }
    if first.ordinal() - p.ordinal() > FUTURE_DAYS {
        return Decided {
            decision: DateDecision::Published(p),
            implausible: true,
        };
    }
    ok(match stated {
        Some(s) => DateDecision::Stated(s),
        None => DateDecision::Published(p),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(s: &str) -> Day {
        Day::parse_iso(s).unwrap()
    }

    #[test]
    fn partial_values_state_only_what_they_say() {
        assert_eq!(parts("2016-10-14TNI"), (Some(2016), Some(10), Some(14)));
        assert_eq!(parts("2016-10"), (Some(2016), Some(10), None));
        assert_eq!(parts("2014-W37-WE"), (Some(2014), None, None));
        assert_eq!(parts("2016-SU"), (Some(2016), None, None));
        assert_eq!(parts("1963"), (Some(1963), None, None));
        assert_eq!(parts("PRESENT_REF"), (None, None, None));
        assert_eq!(parts("20"), (None, None, None));
        assert_eq!(parts("2016-13"), (Some(2016), None, None));
    }

    #[test]
    fn days_are_valid_calendar_days() {
        assert!(Day::new(2016, 2, 29).is_some());
        assert!(Day::new(2017, 2, 29).is_none());
        assert!(Day::parse_iso("2016-04-31").is_none());
        assert_eq!(day("2017-03-01").ordinal() - day("2017-02-28").ordinal(), 1);
        assert_eq!(day("2016-03-01").ordinal() - day("2016-02-28").ordinal(), 2);
        assert_eq!(
            day("2017-01-01").ordinal() - day("2016-01-01").ordinal(),
            366
        );
        assert_eq!(day("2016-10-14").compact(), "20161014");
    }

    #[test]
    fn the_rule() {
        let p = Some("2016-10-15");
        let d = |e: &str| decide(Some(e), p).decision;
        assert_eq!(d("2016-10-14"), DateDecision::Stated(day("2016-10-14")));
        assert_eq!(d("2016-10"), DateDecision::Published(day("2016-10-15")));
        assert_eq!(d("2016"), DateDecision::Published(day("2016-10-15")));
        assert_eq!(d("PRESENT_REF"), DateDecision::Published(day("2016-10-15")));
        assert_eq!(
            decide(None, p).decision,
            DateDecision::Published(day("2016-10-15"))
        );
        // Background: "since 1963", a month long past, a day two months before.
        assert_eq!(d("1963"), DateDecision::Background(day("2016-10-15")));
        assert_eq!(d("2016-03"), DateDecision::Background(day("2016-10-15")));
        assert_eq!(d("2016-08-01"), DateDecision::Background(day("2016-08-01")));
        // Within the window: last month's last days, last week.
        assert_eq!(d("2016-09"), DateDecision::Published(day("2016-10-15")));
        assert_eq!(d("2016-10-08"), DateDecision::Stated(day("2016-10-08")));
        // Planned: kept; not credible: publication date, counted.
        assert_eq!(d("2016-12-20"), DateDecision::Stated(day("2016-12-20")));
        let far = decide(Some("2118"), p);
        assert_eq!(far.decision, DateDecision::Published(day("2016-10-15")));
        assert!(far.implausible);
        // No publication date.
        assert_eq!(
            decide(Some("2016-10-14"), None).decision,
            DateDecision::Stated(day("2016-10-14"))
        );
        assert_eq!(decide(Some("2016-10"), None).decision, DateDecision::None);
        assert_eq!(decide(None, Some("unknown")).decision, DateDecision::None);
    }

    proptest! {
        #[test]
        fn every_decision_is_a_valid_day(e in "\\PC{0,14}", y in 1900i32..2100, m in 1u32..13, dd in 1u32..32) {
            let p = format!("{y:04}-{m:02}-{dd:02}");
            let got = decide(Some(&e), Some(&p)).decision;
            match got {
                DateDecision::Stated(x) | DateDecision::Published(x) | DateDecision::Background(x) => {
                    prop_assert!(Day::new(x.y, x.m, x.d).is_some());
                    prop_assert_eq!(x.compact().len(), 8);
                }
                DateDecision::None => prop_assert!(Day::parse_iso(&p).is_none()),
            }
        }
    }
}
