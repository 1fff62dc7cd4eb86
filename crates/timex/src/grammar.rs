//! Recognition: which token runs are time expressions, and what they say before any
//! reference date is applied (`Sem`). One pass left to right, longest match at each
//! position, so the work is linear in the text.

use crate::lexer::{Tok, TokKind};
use crate::lexicon::{self, Unit};

/// Which way a relative word points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rel {
    /// No word: the clause's tense decides ("on Thursday").
    Bare,
    Last,
    This,
    Next,
}

/// What an expression says, before the document date resolves it.
#[derive(Debug, Clone, PartialEq)]
pub enum Sem {
    /// A calendar date with the parts the text gives. A missing year is resolved
    /// against the reference date.
    Calendar {
        year: Option<i32>,
        month: u32,
        day: Option<u32>,
    },
    Year(i32),
    /// The first three digits of the decade: the 1990s → 199.
    Decade(i32),
    Weekday {
        weekday: u32,
        rel: Rel,
    },
    Month {
        month: u32,
        rel: Rel,
    },
    /// yesterday (-1), today (0), tomorrow (+1).
    RelDay(i64),
    /// this/last/next week, month, year, weekend, quarter.
    RelUnit {
        unit: Unit,
        offset: i32,
    },
    /// "three years ago" (direction -1), "two weeks from now" (+1).
    Shift {
        unit: Unit,
        count: Option<f64>,
        direction: i32,
    },
    Quarter {
        quarter: u32,
        year: Option<i32>,
    },
    /// A quarter the context names: "the quarter", "the latest quarter";
    /// `years_back` is 1 for "the year-earlier quarter".
    ContextQuarter {
        years_back: i32,
        /// "the 1988 period": the context's quarter in the year the text names.
        year: Option<i32>,
    },
    Half {
        half: u32,
        year: Option<i32>,
    },
    /// A quarter or half of a year named relative to the reference: "the third
    /// quarter of this year" (`part` "Q3", offset 0), "the first half of next year".
    PartOfYear {
        part: String,
        offset: i32,
    },
    Season {
        season: &'static str,
        year: Option<i32>,
        rel: Rel,
    },
    Reference(&'static str),
    Duration {
        unit: Unit,
        count: Option<f64>,
    },
    Clock {
        day: Option<Box<Sem>>,
        hour: u32,
        minute: u32,
    },
    PartOfDay {
        day: Option<Box<Sem>>,
        part: &'static str,
    },
    Set(String),
    /// A month in a year named relative to the reference: "June last year".
    MonthOfYear {
        month: u32,
        offset: i32,
    },
    /// Counted from the last date the text named: "the day before",
    /// "the weekend before", "the following week", "two days later".
    Anchored {
        unit: Unit,
        offset: i32,
    },
    /// The fourth Thursday of November.
    Thanksgiving {
        year: Option<i32>,
    },
}

/// A recognized expression over tokens `start..end`.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub sem: Sem,
    pub modifier: Option<&'static str>,
}

struct Cursor<'a> {
    toks: &'a [Tok],
    /// The whole text is upper case (headlines, wire slugs): capitalization says nothing.
    shouting: bool,
}

impl<'a> Cursor<'a> {
    fn word(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| t.lower.as_str())
    }

    fn is(&self, i: usize, w: &str) -> bool {
        self.word(i) == w
    }

    fn capitalized(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.capitalized) || self.shouting
    }

    fn number(&self, i: usize) -> Option<&str> {
        self.toks
            .get(i)
            .filter(|t| t.kind == TokKind::Number)
            .map(|t| t.lower.as_str())
    }

    /// Tokens `i` and `i + 1` touch (no space), as in `mid-` or `'90s`.
    fn adjacent(&self, i: usize) -> bool {
        match (self.toks.get(i), self.toks.get(i + 1)) {
            (Some(a), Some(b)) => a.end == b.start,
            _ => false,
        }
    }

    /// Skips a hyphen written between two words ("five-year", "third-quarter").
    fn hyphen(&self, i: usize) -> usize {
        if self.is(i, "-") && self.adjacent(i.wrapping_sub(1)) && self.adjacent(i) {
            i + 1
        } else {
            i
        }
    }

    fn month_at(&self, i: usize) -> Option<(u32, usize)> {
        let w = self.word(i);
        let m = lexicon::month(w)?;
        if !self.capitalized(i) {
            return None;
        }
        let mut end = i + 1;
        if lexicon::is_month_abbreviation(w) && self.is(end, ".") {
            end += 1;
        }
        Some((m, end))
    }

    fn day_number(&self, i: usize) -> Option<u32> {
        let w = self.word(i);
        let d: u32 = if let Some(n) = self.number(i) {
            // "2nd", "21st"
            if let Some(d) = lexicon::ordinal(n) {
                d
            } else if n.len() > 2 {
                return None;
            } else {
                n.parse().ok()?
            }
        } else {
            lexicon::ordinal(w)?
        };
        (1..=31).contains(&d).then_some(d)
    }

    fn year_number(&self, i: usize) -> Option<i32> {
        let n = self.number(i)?;
        if n.len() != 4 {
            return None;
        }
        let y: i32 = n.parse().ok()?;
        (1000..=2200).contains(&y).then_some(y)
    }

    /// A count: digits, number words ("twenty-four", "a couple of"), or a vague
    /// quantity (None inside Some).
    fn count(&self, i: usize) -> Option<(Option<f64>, usize)> {
        let (v, end) = self.whole_count(i)?;
        // "two and a half years"
        if let Some(n) = v {
            if self.is(end, "and") && self.is(end + 1, "a") && self.is(end + 2, "half") {
                return Some((Some(n + 0.5), end + 3));
            }
        }
        Some((v, end))
    }

    fn whole_count(&self, i: usize) -> Option<(Option<f64>, usize)> {
        if let Some(n) = self.number(i) {
            let v: f64 = n.replace(',', "").parse().ok()?;
            return Some((Some(v), i + 1));
        }
        let w = self.word(i);
        if w == "a" && self.is(i + 1, "couple") && self.is(i + 2, "of") {
            return Some((Some(2.0), i + 3));
        }
        if (w == "a" || w == "the") && self.is(i + 1, "few") {
            return Some((None, i + 2));
        }
        if w == "a" && self.is(i + 1, "half") {
            return Some((Some(0.5), i + 2));
        }
        if lexicon::vague_quantity(w) {
            return Some((None, i + 1));
        }
        let v = lexicon::number_word(w)?;
        // twenty-four, twenty four
        let next = self.hyphen(i + 1);
        if (20.0..100.0).contains(&v) {
            if let Some(u) =
                lexicon::number_word(self.word(next)).filter(|u| *u < 10.0 && *u >= 1.0)
            {
                return Some((Some(v + u), next + 1));
            }
        }
        Some((Some(v), i + 1))
    }
}

fn parse_clock(s: &str) -> Option<(u32, u32, Option<&str>)> {
    let (digits, suffix) = match s.find(|c: char| c.is_ascii_alphabetic()) {
        Some(k) => (&s[..k], Some(&s[k..])),
        None => (s, None),
    };
    let (h, m) = match digits.split_once(':') {
        Some((h, m)) => (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?),
        None if suffix.is_some() => (digits.parse::<u32>().ok()?, 0),
        None => return None,
    };
    if h > 24 || m > 59 {
        return None;
    }
    if let Some(sfx) = suffix {
        if !matches!(
            sfx,
            "am" | "pm" | "a.m." | "p.m." | "h" | "hrs" | "gmt" | "utc"
        ) {
            return None;
        }
    }
    Some((h, m, suffix))
}

fn meridiem(h: u32, suffix: &str) -> u32 {
    match suffix {
        "pm" | "p.m." | "p.m" if h < 12 => h + 12,
        "am" | "a.m." | "a.m" if h == 12 => 0,
        _ => h,
    }
}

/// A numeric date in one token: 2016-10-03, 4/5/2017 (US order unless the first
/// part cannot be a month), 21.08.2013 and 15-09-2013 (day first).
fn numeric_date(s: &str) -> Option<Sem> {
    let sep = s.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let parts: Vec<&str> = s.split(sep).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let n: Vec<i64> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    if n.len() != 3 {
        return None;
    }
    let (y, m, d) = if parts[0].len() == 4 {
        (n[0], n[1], n[2])
    } else if parts[2].len() == 4 || parts[2].len() == 2 {
        let y = if parts[2].len() == 2 {
            if n[2] < 50 {
                2000 + n[2]
            } else {
                1900 + n[2]
            }
        } else {
            n[2]
        };
        if sep == '/' && n[0] <= 12 {
            (y, n[0], n[1])
        } else {
            (y, n[1], n[0])
        }
    } else {
        return None;
    };
    let valid = chrono::NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32).is_some();
    (valid && (1000..=2200).contains(&y)).then_some(Sem::Calendar {
        year: Some(y as i32),
        month: m as u32,
        day: Some(d as u32),
    })
}

/// Words after a four-digit number that make it a count, not a year.
fn counts_things(word: &str) -> bool {
    matches!(
        word,
        "people"
            | "persons"
            | "civilians"
            | "soldiers"
            | "troops"
            | "fighters"
            | "children"
            | "men"
            | "women"
            | "members"
            | "residents"
            | "refugees"
            | "militants"
            | "rebels"
            | "dollars"
            | "euros"
            | "pounds"
            | "tonnes"
            | "tons"
            | "km"
            | "kilometers"
            | "kilometres"
            | "miles"
            | "meters"
            | "metres"
            | "feet"
            | "%"
            | "percent"
            | "per"
            | "cases"
            | "deaths"
            | "dead"
            | "killed"
            | "houses"
            | "homes"
            | "families"
            | "students"
            | "workers"
            | "jobs"
            | "shares"
            | "points"
            | "votes"
            | "units"
            | "barrels"
            | "vehicles"
            | "prisoners"
            | "detainees"
            | "hectares"
            | "acres"
            | "square"
            | "times"
            | "rounds"
            | "shells"
            | "rockets"
            | "missiles"
            | "bombs"
    ) || lexicon::unit(word).is_some()
}

const SET_ADVERBS: &[(&str, &str)] = &[
    ("hourly", "PT1H"),
    ("daily", "P1D"),
    ("nightly", "P1D"),
    ("weekly", "P1W"),
    ("monthly", "P1M"),
    ("yearly", "P1Y"),
    ("annually", "P1Y"),
    ("biannually", "P6M"),
];

struct Grammar<'a> {
    c: Cursor<'a>,
}

type Hit = Option<(usize, Sem)>;

fn longest(candidates: impl IntoIterator<Item = Hit>) -> Hit {
    candidates
        .into_iter()
        .flatten()
        .fold(None, |best: Hit, (end, sem)| match &best {
            Some((b, _)) if *b >= end => best,
            _ => Some((end, sem)),
        })
}

impl<'a> Grammar<'a> {
    /// Month-led dates: "Oct 6, 2016", "Sept. 9", "October 2016", "May".
    fn month_led(&self, i: usize) -> Hit {
        let c = &self.c;
        let (month, mut end) = c.month_at(i)?;
        if let Some(day) = c.day_number(end) {
            let mut j = end + 1;
            let mut k = j;
            if c.is(k, ",") {
                k += 1;
            }
            if let Some(year) = c.year_number(k) {
                j = k + 1;
                return Some((
                    j,
                    Sem::Calendar {
                        year: Some(year),
                        month,
                        day: Some(day),
                    },
                ));
            }
            chrono::NaiveDate::from_ymd_opt(2000, month, day)?;
            return Some((
                j,
                Sem::Calendar {
                    year: None,
                    month,
                    day: Some(day),
                },
            ));
        }
        let mut k = end;
        if c.is(k, ",") || c.is(k, "of") {
            k += 1;
        }
        if let Some(year) = c.year_number(k) {
            return Some((
                k + 1,
                Sem::Calendar {
                    year: Some(year),
                    month,
                    day: None,
                },
            ));
        }
        // "June last year", "March next year"
        if c.is(end + 1, "year") {
            let offset = match c.word(end) {
                "last" => Some(-1),
                "this" => Some(0),
                "next" => Some(1),
                _ => None,
            };
            if let Some(offset) = offset {
                return Some((end + 2, Sem::MonthOfYear { month, offset }));
            }
        }
        // A month on its own must look like one: "may" and "march" are verbs, and
        // abbreviations need a day or year.
        let w = c.word(i);
        if lexicon::is_month_abbreviation(w) && w != "sept" {
            return None;
        }
        if matches!(w, "may" | "march") {
            let prev = c.word(i.wrapping_sub(1));
            let ok = matches!(
                prev,
                "in" | "since"
                    | "until"
                    | "till"
                    | "by"
                    | "early"
                    | "late"
                    | "mid"
                    | "last"
                    | "next"
                    | "this"
                    | "of"
                    | "from"
                    | "through"
                    | "during"
                    | "before"
                    | "after"
                    | "-"
                    | "between"
                    | "and"
            );
            if !ok {
                return None;
            }
        }
        end = end.max(i + 1);
        Some((
            end,
            Sem::Month {
                month,
                rel: Rel::Bare,
            },
        ))
    }

    /// Day-led dates: "09 September, 2016", "6th of October", "12 February 2015".
    fn day_led(&self, i: usize) -> Hit {
        let c = &self.c;
        let day = c.day_number(i)?;
        let mut j = i + 1;
        if c.is(j, "of") {
            j += 1;
        }
        let (month, mut end) = c.month_at(j)?;
        let mut k = end;
        if c.is(k, ",") {
            k += 1;
        }
        let year = c.year_number(k);
        if year.is_some() {
            end = k + 1;
        }
        chrono::NaiveDate::from_ymd_opt(year.unwrap_or(2000), month, day)?;
        Some((
            end,
            Sem::Calendar {
                year,
                month,
                day: Some(day),
            },
        ))
    }

    /// "Thursday", "Wed 05 Apr 2017", "Friday, 09 September, 2016", "Wednesday night".
    fn weekday_led(&self, i: usize) -> Hit {
        let c = &self.c;
        let w = c.word(i);
        if let Some(wd) = lexicon::weekday_plural(w) {
            if c.capitalized(i) {
                return Some((i + 1, Sem::Set(format!("XXXX-WXX-{wd}"))));
            }
        }
        let weekday = lexicon::weekday(w)?;
        if !c.capitalized(i) {
            return None;
        }
        let abbreviated = lexicon::is_weekday_abbreviation(w);
        let mut j = i + 1;
        if abbreviated && c.is(j, ".") {
            j += 1;
        }
        let mut k = j;
        if c.is(k, ",") {
            k += 1;
        }
        if let Some((end, sem)) = longest([self.month_led(k), self.day_led(k)]) {
            if matches!(sem, Sem::Calendar { day: Some(_), .. }) {
                return Some((end, sem));
            }
        }
        if abbreviated {
            return None;
        }
        let day = Sem::Weekday {
            weekday,
            rel: Rel::Bare,
        };
        if let Some(part) = lexicon::part_of_day(c.word(j)).filter(|_| c.word(j) != "overnight") {
            return Some((
                j + 1,
                Sem::PartOfDay {
                    day: Some(Box::new(day)),
                    part,
                },
            ));
        }
        Some((j, day))
    }

    fn numeric(&self, i: usize) -> Hit {
        let c = &self.c;
        let n = c.number(i)?;
        if let Some(sem) = numeric_date(n) {
            return Some((i + 1, sem));
        }
        if let Some((date, time)) = n.split_once('t') {
            if let (Some(sem), Some((h, m, _))) = (numeric_date(date), parse_clock(time)) {
                return Some((
                    i + 1,
                    Sem::Clock {
                        day: Some(Box::new(sem)),
                        hour: h,
                        minute: m,
                    },
                ));
            }
        }
        // 1990s, '90s
        if let Some(d) = n.strip_suffix('s') {
            if d.len() == 4 && d.ends_with('0') {
                let y: i32 = d.parse().ok()?;
                return Some((i + 1, Sem::Decade(y / 10)));
            }
            if d.len() == 2 && d.ends_with('0') && c.is(i.wrapping_sub(1), "'") {
                let y: i32 = d.parse().ok()?;
                return Some((
                    i + 1,
                    Sem::Decade(if y < 30 { 200 + y / 10 } else { 190 + y / 10 }),
                ));
            }
        }
        if let Some(year) = c.year_number(i) {
            let next = c.word(i + 1);
            let prev = c.word(i.wrapping_sub(1));
            // a run of bare numbers is a table or a list of figures, not of years
            let beside_number = c.number(i + 1).is_some() || c.number(i.wrapping_sub(1)).is_some();
            if counts_things(next)
                || beside_number
                || matches!(prev, "$" | "€" | "£" | "no" | "number" | "#")
            {
                return None;
            }
            return Some((i + 1, Sem::Year(year)));
        }
        self.clock(i)
    }

    /// "1:07pm", "10 a.m.", "14:30 GMT", "4 in the morning".
    fn clock(&self, i: usize) -> Hit {
        let c = &self.c;
        let n = c.number(i)?;
        let mut end = i + 1;
        let (mut h, m) = if let Some((h, m, suffix)) = parse_clock(n) {
            let h = suffix.map_or(h, |s| meridiem(h, s));
            (h, m)
        } else {
            let h: u32 = n.parse().ok().filter(|h| *h <= 12)?;
            let next = c.word(end);
            if !matches!(
                next,
                "am" | "pm" | "a.m." | "p.m." | "a.m" | "p.m" | "o'clock"
            ) {
                if c.is(end, "in") && c.is(end + 1, "the") {
                    if let Some(part) = lexicon::part_of_day(c.word(end + 2)) {
                        let h = if matches!(part, "AF" | "EV" | "NI") && h < 12 {
                            h + 12
                        } else {
                            h
                        };
                        return Some((
                            end + 3,
                            Sem::Clock {
                                day: None,
                                hour: h,
                                minute: 0,
                            },
                        ));
                    }
                }
                return None;
            }
            (h, 0)
        };
        if !n.contains(':') && !n.ends_with('m') && c.number(i).is_some() {
            // plain hour followed by a meridiem word
            h = meridiem(h, c.word(end));
            end += 1;
        } else if matches!(c.word(end), "am" | "pm" | "a.m." | "p.m.") {
            h = meridiem(h, c.word(end));
            end += 1;
        }
        if matches!(
            c.word(end),
            "gmt" | "utc" | "est" | "edt" | "cet" | "bst" | "et" | "pt"
        ) {
            end += 1;
        } else if c.is(end, "local") && c.is(end + 1, "time") {
            end += 2;
        }
        if !n.contains(':') && end == i + 1 {
            return None;
        }
        Some((
            end,
            Sem::Clock {
                day: None,
                hour: h,
                minute: m,
            },
        ))
    }

    /// this/last/next/past/coming + unit, weekday, month or season.
    fn relative(&self, i: usize) -> Hit {
        let c = &self.c;
        let rel = match c.word(i) {
            "last" | "previous" => Rel::Last,
            "this" | "current" => Rel::This,
            "next" | "coming" | "following" => Rel::Next,
            "past" => Rel::Last,
            _ => return None,
        };
        let j = i + 1;
        let w = c.word(j);
        if let Some((unit, plural)) = lexicon::unit(w) {
            if plural {
                // "the coming weeks", "the past years": an open stretch of time
                return Some((j + 1, Sem::Duration { unit, count: None }));
            }
            if matches!(c.word(i), "past" | "coming")
                || (c.word(i) == "last" && c.is(i.wrapping_sub(1), "the"))
            {
                return Some((
                    j + 1,
                    Sem::Duration {
                        unit,
                        count: Some(1.0),
                    },
                ));
            }
            if c.word(i) == "following" || c.word(i) == "previous" {
                return None;
            }
            let offset = match rel {
                Rel::Last => -1,
                Rel::Next => 1,
                _ => 0,
            };
            if matches!(unit, Unit::Second | Unit::Minute | Unit::Hour) {
                return None;
            }
            return Some((j + 1, Sem::RelUnit { unit, offset }));
        }
        if c.word(i) == "past"
            || c.word(i) == "coming"
            || (matches!(c.word(i), "last" | "next") && c.is(i.wrapping_sub(1), "the"))
        {
            // "the past two months", "the last three years"
            let (count, k) = c.count(j)?;
            let (unit, _) = lexicon::unit(c.word(k))?;
            return Some((k + 1, Sem::Duration { unit, count }));
        }
        if let Some(weekday) =
            lexicon::weekday(w).filter(|_| c.capitalized(j) && w.ends_with("day"))
        {
            let mut end = j + 1;
            let day = Sem::Weekday { weekday, rel };
            if let Some(part) =
                lexicon::part_of_day(c.word(end)).filter(|p| *p != "NI" || c.word(end) == "night")
            {
                end += 1;
                return Some((
                    end,
                    Sem::PartOfDay {
                        day: Some(Box::new(day)),
                        part,
                    },
                ));
            }
            return Some((end, day));
        }
        if let Some((month, end)) = c.month_at(j) {
            if !lexicon::is_month_abbreviation(c.word(j)) || c.word(j) == "sept" {
                return Some((end, Sem::Month { month, rel }));
            }
        }
        if let Some(season) = lexicon::season(w) {
            return Some((
                j + 1,
                Sem::Season {
                    season,
                    year: None,
                    rel,
                },
            ));
        }
        if rel == Rel::This && c.word(i) == "this" {
            if let Some(part) = lexicon::part_of_day(w).filter(|_| w != "overnight" && w != "dawn")
            {
                return Some((
                    j + 1,
                    Sem::PartOfDay {
                        day: Some(Box::new(Sem::RelDay(0))),
                        part,
                    },
                ));
            }
        }
        if c.word(i) == "last" && w == "night" {
            return Some((
                j + 1,
                Sem::PartOfDay {
                    day: Some(Box::new(Sem::RelDay(-1))),
                    part: "NI",
                },
            ));
        }
        None
    }

    /// "three years", "72 hours", "five-year", "a year ago", "two weeks later".
    fn quantity(&self, i: usize) -> Hit {
        let c = &self.c;
        // "the first nine months"
        let i = if c.is(i, "first") && c.is(i.wrapping_sub(1), "the") {
            i + 1
        } else {
            i
        };
        let (count, j) = c.count(i)?;
        let j = c.hyphen(j);
        let (unit, plural) = lexicon::unit(c.word(j))?;
        // "a year": the article alone is a count only before a singular unit
        if matches!(c.word(i), "a" | "an") && plural {
            return None;
        }
        if count.is_none() && !plural {
            return None;
        }
        // ages: "a five-year-old", "30 years old"
        let mut end = j + 1;
        if c.is(end, "old") || (c.is(end, "-") && c.is(end + 1, "old")) {
            return None;
        }
        if count.is_some_and(|n| n > 10_000.0) {
            return None;
        }
        // "twice a day", "three times a year": a frequency
        if matches!(c.word(i), "a" | "an" | "per") && !plural {
            let prev = c.word(i.wrapping_sub(1));
            if matches!(prev, "once" | "twice" | "times" | "thrice") {
                return Some((end, Sem::Set(unit.duration(Some(1.0)))));
            }
        }
        match c.word(end) {
            "ago" | "earlier" | "before" if c.word(end) == "ago" || !c.is(end + 1, "the") => {
                let next = c.word(end);
                if next == "before" {
                    return Some((end, Sem::Duration { unit, count }));
                }
                end += 1;
                return Some((
                    end,
                    Sem::Shift {
                        unit,
                        count,
                        direction: -1,
                    },
                ));
            }
            "later" | "hence" => {
                end += 1;
                return Some((
                    end,
                    Sem::Shift {
                        unit,
                        count,
                        direction: 1,
                    },
                ));
            }
            "from" if c.is(end + 1, "now") => {
                return Some((
                    end + 2,
                    Sem::Shift {
                        unit,
                        count,
                        direction: 1,
                    },
                ));
            }
            _ => {}
        }
        if c.is(end, "and") && c.is(end + 1, "a") && c.is(end + 2, "half") {
            end += 3;
            return Some((
                end,
                Sem::Duration {
                    unit,
                    count: count.map(|n| n + 0.5),
                },
            ));
        }
        if matches!(unit, Unit::Quarter) && !plural {
            return None;
        }
        Some((end, Sem::Duration { unit, count }))
    }

    /// "the third quarter", "third-quarter", "the first quarter of 1998",
    /// "the fiscal first quarter", "the year-earlier quarter", "first half".
    fn quarter(&self, i: usize) -> Hit {
        let c = &self.c;
        let mut j = i;
        if c.is(j, "fiscal") {
            j = c.hyphen(j + 1);
        }
        let mut explicit_year = None;
        if let Some(y) = c.year_number(j) {
            explicit_year = Some(y);
            j += 1;
        }
        let years_back =
            if c.is(j, "year") && c.is(j + 1, "-") && matches!(c.word(j + 2), "earlier" | "ago") {
                j += 3;
                1
            } else {
                0
            };
        // "the final quarter of 2009": the last of the year's parts, only when the
        // year is named ("the last quarter" alone is the one before this one)
        let closing = matches!(c.word(j), "final" | "last")
            && matches!(c.word(c.hyphen(j + 1)), "quarter" | "half");
        let ordinal = lexicon::ordinal(c.word(j)).filter(|n| (1..=4).contains(n));
        if let Some(n) = ordinal.or(closing.then_some(0)) {
            let k = c.hyphen(j + 1);
            let w = c.word(k);
            let half = w == "half";
            let n = if n == 0 && half {
                2
            } else if n == 0 {
                4
            } else {
                n
            };
            if w == "quarter" || half {
                let mut end = k + 1;
                let mut year = explicit_year;
                if (c.is(end, "of") || c.is(end, ",")) && c.year_number(end + 1).is_some() {
                    year = c.year_number(end + 1);
                    end += 2;
                } else if let Some(y) = c.year_number(end) {
                    year = Some(y);
                    end += 1;
                } else if let Some((e, offset)) = self.relative_year(end) {
                    if years_back == 0 && explicit_year.is_none() {
                        let part = format!("{}{n}", if half { "H" } else { "Q" });
                        return (!half || n <= 2).then_some((e, Sem::PartOfYear { part, offset }));
                    }
                }
                if closing && year.is_none() {
                    return None;
                }
                if half {
                    return (n <= 2).then_some((end, Sem::Half { half: n, year }));
                }
                if years_back > 0 && year.is_none() {
                    return Some((
                        end,
                        Sem::ContextQuarter {
                            years_back,
                            year: None,
                        },
                    ));
                }
                return Some((end, Sem::Quarter { quarter: n, year }));
            }
            return None;
        }
        let w = c.word(j);
        if matches!(w, "quarter" | "period")
            && (years_back > 0 || explicit_year.is_some() || c.is(i.wrapping_sub(1), "the"))
        {
            if w == "period" && years_back == 0 && explicit_year.is_none() {
                return None;
            }
            return Some((
                j + 1,
                Sem::ContextQuarter {
                    years_back,
                    year: explicit_year,
                },
            ));
        }
        if matches!(w, "latest" | "current" | "recent")
            && matches!(c.word(j + 1), "quarter" | "period")
        {
            return Some((
                j + 2,
                Sem::ContextQuarter {
                    years_back: 0,
                    year: None,
                },
            ));
        }
        if years_back > 0 {
            return Some((
                j,
                Sem::ContextQuarter {
                    years_back,
                    year: None,
                },
            ));
        }
        None
    }

    /// "of this year", "of last year", "of next year" after a part of a year:
    /// where it ends and the year's offset from the reference year.
    fn relative_year(&self, i: usize) -> Option<(usize, i32)> {
        let c = &self.c;
        if !c.is(i, "of") {
            return None;
        }
        let j = if c.is(i + 1, "the") { i + 2 } else { i + 1 };
        let offset = match c.word(j) {
            "this" | "current" => 0,
            "last" | "previous" => -1,
            "next" | "coming" => 1,
            _ => return None,
        };
        // "the" goes with "current"/"previous"/"coming" only
        if j == i + 2 && matches!(c.word(j), "this" | "last" | "next") {
            return None;
        }
        c.is(j + 1, "year").then_some((j + 2, offset))
    }

    fn season(&self, i: usize) -> Hit {
        let c = &self.c;
        let w = c.word(i);
        let season = lexicon::season(w)?;
        let mut end = i + 1;
        let mut k = end;
        if c.is(k, "of") {
            k += 1;
        }
        if let Some(y) = c.year_number(k) {
            end = k + 1;
            return Some((
                end,
                Sem::Season {
                    season,
                    year: Some(y),
                    rel: Rel::Bare,
                },
            ));
        }
        // "fall" and "spring" are also verbs: bare seasons need "the"/"in"
        let prev = c.word(i.wrapping_sub(1));
        if !matches!(
            prev,
            "the" | "in" | "this" | "last" | "next" | "early" | "late" | "mid" | "-"
        ) {
            return None;
        }
        Some((
            end,
            Sem::Season {
                season,
                year: None,
                rel: Rel::Bare,
            },
        ))
    }

    fn holiday(&self, i: usize) -> Hit {
        let c = &self.c;
        if !c.capitalized(i) {
            return None;
        }
        let w = c.word(i);
        let (month, day, mut end) = match w {
            "christmas" if c.is(i + 1, "eve") => (12, 24, i + 2),
            "christmas" => (12, 25, if c.is(i + 1, "day") { i + 2 } else { i + 1 }),
            "halloween" => (10, 31, i + 1),
            "new" if c.is(i + 1, "year") && c.is(i + 2, "'s") => {
                if c.is(i + 3, "eve") {
                    (12, 31, i + 4)
                } else if c.is(i + 3, "day") {
                    (1, 1, i + 4)
                } else {
                    return None;
                }
            }
            "independence" if c.is(i + 1, "day") => (7, 4, i + 2),
            "valentine" if c.is(i + 1, "'s") && c.is(i + 2, "day") => (2, 14, i + 3),
            "thanksgiving" => (11, 0, if c.is(i + 1, "day") { i + 2 } else { i + 1 }),
            _ => return None,
        };
        let mut year = None;
        if let Some(y) = c.year_number(end) {
            year = Some(y);
            end += 1;
        }
        if day == 0 {
            // the fourth Thursday of November: the value needs the year
            return Some((end, Sem::Thanksgiving { year }));
        }
        Some((
            end,
            Sem::Calendar {
                year,
                month,
                day: Some(day),
            },
        ))
    }

    fn single_word(&self, i: usize) -> Hit {
        let c = &self.c;
        let w = c.word(i);
        let next = c.word(i + 1);
        let sem = match w {
            "today" => Sem::RelDay(0),
            "yesterday" => Sem::RelDay(-1),
            "tomorrow" => Sem::RelDay(1),
            "tonight" => Sem::PartOfDay {
                day: Some(Box::new(Sem::RelDay(0))),
                part: "NI",
            },
            "overnight" => Sem::PartOfDay {
                day: None,
                part: "NI",
            },
            // "the now-defunct truce": an adjective, not a time
            "now" if c.is(i + 1, "-") && c.adjacent(i) => return None,
            "now" | "currently" | "nowadays" | "presently" => Sem::Reference("PRESENT_REF"),
            "current" if next != "account" && next != "affairs" && next != "events" => {
                Sem::Reference("PRESENT_REF")
            }
            "recently" | "lately" => Sem::Reference("PAST_REF"),
            "recent" if lexicon::unit(next).is_some_and(|(_, plural)| plural) => {
                return Some((i + 2, Sem::Reference("PAST_REF")));
            }
            "recent" => Sem::Reference("PAST_REF"),
            "future" => Sem::Reference("FUTURE_REF"),
            "past"
                if c.is(i.wrapping_sub(1), "the")
                    && !matches!(next, ",")
                    && lexicon::unit(next).is_none()
                    && c.count(i + 1).is_none() =>
            {
                Sem::Reference("PAST_REF")
            }
            "noon" | "midday" => Sem::Clock {
                day: None,
                hour: 12,
                minute: 0,
            },
            "midnight" => Sem::Clock {
                day: None,
                hour: 24,
                minute: 0,
            },
            "dawn" | "dusk" | "daybreak" | "nightfall"
                if matches!(
                    c.word(i.wrapping_sub(1)),
                    "at" | "before" | "after" | "until" | "by" | "since"
                ) =>
            {
                let part = lexicon::part_of_day(w).unwrap_or("NI");
                Sem::PartOfDay { day: None, part }
            }
            "weekend" if c.is(i.wrapping_sub(1), "the") => Sem::RelUnit {
                unit: Unit::Weekend,
                offset: 0,
            },
            "moment" if c.is(i.wrapping_sub(1), "the") && c.is(i.wrapping_sub(2), "at") => {
                Sem::Reference("PRESENT_REF")
            }
            "years" | "decades" | "months" | "weeks" | "centuries"
                if matches!(
                    c.word(i.wrapping_sub(1)),
                    "for" | "in" | "over" | "within" | "after"
                ) =>
            {
                let (unit, _) = lexicon::unit(w)?;
                Sem::Duration { unit, count: None }
            }
            "every" | "each" => {
                let mut j = i + 1;
                let mut n = 1.0;
                if c.is(j, "other") {
                    n = 2.0;
                    j += 1;
                }
                if let Some((unit, false)) = lexicon::unit(c.word(j)) {
                    return Some((j + 1, Sem::Set(unit.duration(Some(n)))));
                }
                if let Some(wd) = lexicon::weekday(c.word(j)).filter(|_| c.capitalized(j)) {
                    return Some((j + 1, Sem::Set(format!("XXXX-WXX-{wd}"))));
                }
                return None;
            }
            _ => {
                let (_, value) = SET_ADVERBS.iter().find(|(a, _)| *a == w)?;
                Sem::Set(value.to_string())
            }
        };
        Some((i + 1, sem))
    }

    fn decade_words(&self, i: usize) -> Hit {
        let c = &self.c;
        // the '90s
        if c.is(i, "'") {
            return self.numeric(i + 1);
        }
        None
    }

    /// "the day before", "the weekend before", "the next day", "the following week",
    /// "the previous month", "that day", "the same day".
    fn anchored(&self, i: usize) -> Hit {
        let c = &self.c;
        if !matches!(c.word(i), "the" | "that") {
            return None;
        }
        let mut j = i + 1;
        let lead = match c.word(j) {
            "next" | "following" => Some(1),
            "previous" | "preceding" => Some(-1),
            "same" => Some(0),
            _ => None,
        };
        if lead.is_some() {
            j += 1;
        }
        let w = c.word(j);
        let unit = match w {
            "morning" if lead == Some(1) => Unit::Day,
            _ => match lexicon::unit(w) {
                Some((u, false))
                    if !matches!(u, Unit::Second | Unit::Minute | Unit::Hour | Unit::Quarter) =>
                {
                    u
                }
                _ => return None,
            },
        };
        if c.word(i) == "that" {
            return (unit == Unit::Day && lead.is_none())
                .then_some((j + 1, Sem::Anchored { unit, offset: 0 }));
        }
        let offset = match (lead, c.word(j + 1)) {
            (Some(o), _) => o,
            (None, "before" | "earlier") => -1,
            (None, "after" | "later") => 1,
            _ => return None,
        };
        let end = if lead.is_some() { j + 1 } else { j + 2 };
        // "the day before yesterday" is a plain relative day
        if c.is(end, "yesterday") || c.is(end, "tomorrow") {
            return None;
        }
        Some((end, Sem::Anchored { unit, offset }))
    }

    fn core(&self, i: usize) -> Hit {
        longest([
            self.anchored(i),
            self.numeric(i),
            self.month_led(i),
            self.day_led(i),
            self.weekday_led(i),
            self.relative(i),
            self.quantity(i),
            self.quarter(i),
            self.season(i),
            self.holiday(i),
            self.single_word(i),
            self.decade_words(i),
        ])
    }

    /// A core expression with its modifiers: "more than", "the", "early", "the end of",
    /// "earlier" + this/last, and a trailing clock time or day.
    fn at(&self, i: usize) -> Option<Mention> {
        let c = &self.c;
        let mut j = i;
        let mut modifier = None;
        let words: Vec<&str> = (i..i + 2).map(|k| c.word(k)).collect();
        let mut approximated = false;
        if let Some((n, m)) = lexicon::approximation(&words) {
            j += n;
            modifier = Some(m);
            approximated = true;
        }
        if let Some((k, m)) = self.position(j) {
            j = k;
            modifier = Some(m);
        }
        j = self.past_article(j, modifier.is_some())?;
        let (end, sem) = self.core(j)?;
        // "about", "more than" qualify quantities of time only ("almost daily" is not one)
        if approximated && !matches!(sem, Sem::Duration { .. } | Sem::Shift { .. }) {
            return None;
        }
        let (end, sem) = self.with_clock_or_day(end, sem);
        Some(Mention {
            start: i,
            end,
            sem,
            modifier,
        })
    }

    /// A position in a period before an expression at `j` ("the end of", "early",
    /// "mid-", "later this"): where the expression starts and the TIMEX3 modifier.
    fn position(&self, j: usize) -> Option<(usize, &'static str)> {
        let c = &self.c;
        let position: &[(&[&str], &'static str)] = &[
            (&["the", "end", "of"], "END"),
            (&["the", "beginning", "of"], "START"),
            (&["the", "start", "of"], "START"),
            (&["the", "middle", "of"], "MID"),
            (&["end", "of"], "END"),
            (&["early"], "START"),
            (&["late"], "END"),
            (&["mid"], "MID"),
            (&["earlier"], "START"),
            (&["later"], "END"),
        ];
        for (seq, m) in position {
            if seq.iter().enumerate().all(|(k, w)| c.is(j + k, w)) {
                let mut k = j + seq.len();
                if *seq == ["mid"] && c.is(k, "-") {
                    k += 1;
                }
                if matches!(*seq, ["earlier"] | ["later"])
                    && !matches!(c.word(k), "this" | "last" | "next" | "in" | "that")
                {
                    continue;
                }
                if (*seq == ["later"] || *seq == ["earlier"]) && c.is(k, "in") && c.is(k + 1, "the")
                {
                    k += 2;
                }
                if self.core(k).is_some() || (c.is(k, "the") && self.core(k + 1).is_some()) {
                    return Some((k, m));
                }
                return None;
            }
        }
        None
    }

    /// Where the expression starts after a "the" at `j`: past it when the expression
    /// keeps its article; `None` when the article belongs to something else.
    fn past_article(&self, j: usize, modified: bool) -> Option<usize> {
        let c = &self.c;
        // "the" belongs to "the third quarter" and "the past two months", not to a
        // date ("the Sept. 19 attack") or an adjective ("the five-year conflict").
        if c.is(j, "the") && self.anchored(j).is_none() {
            if let Some((end, sem)) = self.core(j + 1) {
                let adjectival = c.is(end.wrapping_sub(2), "-");
                let keeps_article = !adjectival
                    && matches!(
                        sem,
                        Sem::Duration { .. }
                            | Sem::Quarter { .. }
                            | Sem::ContextQuarter { .. }
                            | Sem::Half { .. }
                            | Sem::PartOfYear { .. }
                            | Sem::Season { .. }
                            | Sem::Decade(_)
                            | Sem::RelUnit { .. }
                            | Sem::Shift { .. }
                    )
                    // "the past", "the future", "the moment" are nouns and keep it;
                    // in "the current chief", "the recently announced plan" the
                    // article belongs to the noun the adjective or adverb qualifies
                    || matches!(sem, Sem::Reference(_))
                        && !matches!(
                            c.word(j + 1),
                            "current" | "recent" | "recently" | "currently" | "now" | "lately"
                        );
                if keeps_article || modified {
                    return Some(j + 1);
                }
                return None;
            }
        }
        Some(j)
    }

    /// A day followed by a clock time, or a clock time followed by a day, as one
    /// expression: "Friday, 09 September, 2016, 1:07pm", "midnight Friday",
    /// "Friday at 3 p.m.".
    fn with_clock_or_day(&self, end: usize, sem: Sem) -> (usize, Sem) {
        let c = &self.c;
        let day_like = |s: &Sem| {
            matches!(
                s,
                Sem::Calendar { day: Some(_), .. } | Sem::Weekday { .. } | Sem::RelDay(_)
            )
        };
        if day_like(&sem) {
            let mut k = end;
            if c.is(k, ",") || c.is(k, "at") {
                k += 1;
            }
            if let Some((
                e,
                Sem::Clock {
                    day: None,
                    hour,
                    minute,
                },
            )) = self.clock(k)
            {
                let sem = Sem::Clock {
                    day: Some(Box::new(sem)),
                    hour,
                    minute,
                };
                return (e, sem);
            }
        } else if let Sem::Clock {
            day: None,
            hour,
            minute,
        } = sem
        {
            let mut k = end;
            if c.is(k, "on") {
                k += 1;
            }
            if let Some((e, day)) = longest([
                self.weekday_led(k),
                self.single_word(k),
                self.month_led(k),
                self.day_led(k),
            ]) {
                if day_like(&day) {
                    let sem = Sem::Clock {
                        day: Some(Box::new(day)),
                        hour,
                        minute,
                    };
                    return (e, sem);
                }
            }
        }
        (end, sem)
    }
}

/// All time expressions in `toks`, left to right, non-overlapping.
pub fn recognize(toks: &[Tok], shouting: bool) -> Vec<Mention> {
    let g = Grammar {
        c: Cursor { toks, shouting },
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match g.at(i) {
            Some(m) if m.end > i => {
                i = m.end;
                out.push(m);
            }
            _ => i += 1,
        }
    }
    out
}
