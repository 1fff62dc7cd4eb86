//! Closed word lists of English time language.

/// Full month names, January first (the abbreviations are in [`month`]).
pub const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

pub fn month(word: &str) -> Option<u32> {
    Some(match word {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sept" | "sep" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

/// Whether a month word is an abbreviation, which may be followed by a period.
pub fn is_month_abbreviation(word: &str) -> bool {
    matches!(
        word,
        "jan"
            | "feb"
            | "mar"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "sept"
            | "oct"
            | "nov"
            | "dec"
    )
}

/// Monday = 1 … Sunday = 7 (ISO).
pub fn weekday(word: &str) -> Option<u32> {
    Some(match word {
        "monday" | "mon" => 1,
        "tuesday" | "tue" | "tues" => 2,
        "wednesday" | "wed" => 3,
        "thursday" | "thu" | "thur" | "thurs" => 4,
        "friday" | "fri" => 5,
        "saturday" | "sat" => 6,
        "sunday" | "sun" => 7,
        _ => return None,
    })
}

pub fn is_weekday_abbreviation(word: &str) -> bool {
    weekday(word).is_some() && !word.ends_with("day")
}

/// Plural weekdays ("on Fridays") denote a set.
pub fn weekday_plural(word: &str) -> Option<u32> {
    word.strip_suffix('s')
        .and_then(|w| weekday(w).filter(|_| w.ends_with("day")))
}

pub fn number_word(word: &str) -> Option<f64> {
    Some(match word {
        "a" | "an" | "one" => 1.0,
        "two" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" => 12.0,
        "thirteen" => 13.0,
        "fourteen" => 14.0,
        "fifteen" => 15.0,
        "sixteen" => 16.0,
        "seventeen" => 17.0,
        "eighteen" => 18.0,
        "nineteen" => 19.0,
        "twenty" => 20.0,
        "thirty" => 30.0,
        "forty" => 40.0,
        "fifty" => 50.0,
        "sixty" => 60.0,
        "seventy" => 70.0,
        "eighty" => 80.0,
        "ninety" => 90.0,
        "hundred" => 100.0,
        "half" => 0.5,
        "dozen" => 12.0,
        _ => return None,
    })
}

/// Quantities with no definite number: "several years" → PXY.
pub fn vague_quantity(word: &str) -> bool {
    matches!(
        word,
        "several" | "few" | "many" | "some" | "numerous" | "countless"
    )
}

pub fn ordinal(word: &str) -> Option<u32> {
    let named = match word {
        "first" => 1,
        "second" => 2,
        "third" => 3,
        "fourth" => 4,
        "fifth" => 5,
        "sixth" => 6,
        "seventh" => 7,
        "eighth" => 8,
        "ninth" => 9,
        "tenth" => 10,
        "eleventh" => 11,
        "twelfth" => 12,
        "thirteenth" => 13,
        "fourteenth" => 14,
        "fifteenth" => 15,
        "twentieth" => 20,
        "thirtieth" => 30,
        _ => 0,
    };
    if named > 0 {
        return Some(named);
    }
    let digits = word
        .strip_suffix("st")
        .or_else(|| word.strip_suffix("nd"))
        .or_else(|| word.strip_suffix("rd"))
        .or_else(|| word.strip_suffix("th"))?;
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Weekend,
    Month,
    Quarter,
    Year,
    Decade,
    Century,
    Millennium,
}

impl Unit {
    /// The TIMEX3 duration for `n` units: `PT72H`, `P5Y`, `P2W`.
    pub fn duration(self, n: Option<f64>) -> String {
        let num = match n {
            Some(v) if v.fract() == 0.0 => format!("{}", v as i64),
            Some(v) => format!("{v}"),
            None => "X".into(),
        };
        match self {
            Unit::Second => format!("PT{num}S"),
            Unit::Minute => format!("PT{num}M"),
            Unit::Hour => format!("PT{num}H"),
            Unit::Day => format!("P{num}D"),
            Unit::Week => format!("P{num}W"),
            Unit::Weekend => format!("P{num}WE"),
            Unit::Month => format!("P{num}M"),
            Unit::Quarter => format!("P{num}Q"),
            Unit::Year => format!("P{num}Y"),
            // TimeBank writes decades in years: "two decades" = P20Y
            Unit::Decade => match n {
                Some(v) => format!("P{}Y", (v * 10.0).round() as i64),
                None => "PXDE".into(),
            },
            Unit::Century => format!("P{num}CE"),
            Unit::Millennium => format!("P{num}ML"),
        }
    }
}

/// A unit word, singular or plural, with whether it was plural.
pub fn unit(word: &str) -> Option<(Unit, bool)> {
    let (u, plural) = match word {
        "second" | "sec" | "secs" => (Unit::Second, false),
        "seconds" => (Unit::Second, true),
        "minute" | "min" | "mins" => (Unit::Minute, false),
        "minutes" => (Unit::Minute, true),
        "hour" | "hr" | "hrs" => (Unit::Hour, false),
        "hours" => (Unit::Hour, true),
        "day" => (Unit::Day, false),
        "days" => (Unit::Day, true),
        "week" => (Unit::Week, false),
        "weeks" => (Unit::Week, true),
        "weekend" => (Unit::Weekend, false),
        "weekends" => (Unit::Weekend, true),
        "month" => (Unit::Month, false),
        "months" => (Unit::Month, true),
        "quarter" => (Unit::Quarter, false),
        "quarters" => (Unit::Quarter, true),
        "year" | "yr" => (Unit::Year, false),
        "years" | "yrs" => (Unit::Year, true),
        "decade" => (Unit::Decade, false),
        "decades" => (Unit::Decade, true),
        "century" => (Unit::Century, false),
        "centuries" => (Unit::Century, true),
        "millennium" => (Unit::Millennium, false),
        "millennia" => (Unit::Millennium, true),
        _ => return None,
    };
    Some((u, plural))
}

/// Parts of the day and their TIMEX3 codes.
pub fn part_of_day(word: &str) -> Option<&'static str> {
    Some(match word {
        "morning" | "dawn" | "daybreak" | "sunrise" => "MO",
        "afternoon" | "midday" => "AF",
        "evening" | "dusk" | "sunset" => "EV",
        "night" | "overnight" | "nighttime" => "NI",
        _ => return None,
    })
}

pub fn season(word: &str) -> Option<&'static str> {
    Some(match word {
        "spring" => "SP",
        "summer" => "SU",
        "fall" | "autumn" => "FA",
        "winter" => "WI",
        _ => return None,
    })
}

/// Words that qualify a quantity of time, with the TIMEX3 `mod` they imply.
pub fn approximation(words: &[&str]) -> Option<(usize, &'static str)> {
    let two = |a: &str, b: &str| words.len() >= 2 && words[0] == a && words[1] == b;
    if two("more", "than") {
        return Some((2, "MORE_THAN"));
    }
    if two("less", "than") || two("fewer", "than") {
        return Some((2, "LESS_THAN"));
    }
    if two("at", "least") || two("no", "less") {
        return Some((2, "EQUAL_OR_MORE"));
    }
    if two("at", "most") || two("up", "to") {
        return Some((2, "EQUAL_OR_LESS"));
    }
    if two("just", "over") || two("just", "under") || two("close", "to") {
        return Some((2, "APPROX"));
    }
    Some((
        1,
        match *words.first()? {
            "about" | "around" | "roughly" | "approximately" | "some" | "nearly" | "almost"
            | "estimated" => "APPROX",
            "under" => "LESS_THAN",
            _ => return None,
        },
    ))
}
