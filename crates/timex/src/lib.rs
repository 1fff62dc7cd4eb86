//! Time expressions (TimeML TIMEX3) in news text: recognition, and normalization
//! against the document's reference date with the clause's tense deciding which way
//! "on Thursday" points. Rule-based: the grammar of English dates is closed and a
//! rule is right for every reader the same way, where a model trained on TimeBank
//! would inherit its licence and its 1990s newswire.

mod docdate;
mod grammar;
mod lexer;
mod lexicon;
mod resolve;
mod tense;

pub use docdate::date_document;
/// Month number of a month name or abbreviation (`sept`, `october`), lower case.
pub use lexicon::month as month_number;
pub use lexicon::weekday as weekday_number;
pub use lexicon::MONTH_NAMES;
pub use resolve::{Context, Kind, Resolved, Tense};
pub use tense::TenseIndex;

use chronicle_core::{Document, TimeExpr};
use chrono::NaiveDate;

/// One time expression: byte span, type and value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timex {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    pub value: String,
    /// The TIMEX3 `mod` (APPROX, MORE_THAN, START, END, MID …).
    pub modifier: Option<&'static str>,
    /// The value was computed from the reference date.
    pub relative: bool,
    /// A date other than the reference the value was counted from.
    pub anchor: Option<NaiveDate>,
}

fn mostly_upper(text: &str) -> bool {
    let (mut upper, mut letters) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()).take(2000) {
        letters += 1;
        upper += c.is_uppercase() as usize;
    }
    letters > 20 && upper * 10 > letters * 8
}

/// Finds and normalizes the time expressions of `text` against `reference`
/// (usually the publication date). `tense_at(start, end)` gives the tense of the
/// clause holding a span.
pub fn find_times(
    text: &str,
    reference: Option<NaiveDate>,
    tense_at: &dyn Fn(usize, usize) -> Tense,
) -> Vec<Timex> {
    let toks = lexer::lex(text);
    let mentions = grammar::recognize(&toks, mostly_upper(text));
    let mut last_quarter: Option<(i32, u32)> = None;
    let mut last_date: Option<NaiveDate> = None;
    let mut out = Vec::with_capacity(mentions.len());
    for m in mentions {
        let (Some(first), Some(last)) = (toks.get(m.start), toks.get(m.end.saturating_sub(1)))
        else {
            continue;
        };
        let (start, end) = (first.start, last.end);
        let ctx = Context {
            reference,
            tense: tense_at(start, end),
            last_quarter,
            last_date,
        };
        let r = resolve::resolve(&m.sem, &ctx);
        // only quarters the text names set the context; "a year earlier" reads from it
        let names_quarter = matches!(m.sem, grammar::Sem::Quarter { .. })
            || matches!(&m.sem, grammar::Sem::PartOfYear { part, .. } if part.starts_with('Q'));
        if let Some(q) = r
            .value
            .get(..7)
            .filter(|_| names_quarter)
            .and_then(|v| v.split_once("-Q"))
        {
            if let (Ok(y), Ok(n)) = (q.0.parse::<i32>(), q.1.parse::<u32>()) {
                last_quarter = Some((y, n));
            }
        }
        if matches!(r.kind, Kind::Date | Kind::Time) {
            if let Some(d) = r
                .value
                .get(..10)
                .and_then(|v| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok())
            {
                last_date = Some(d);
            }
        }
        out.push(Timex {
            start,
            end,
            kind: r.kind,
            value: r.value,
            modifier: m.modifier,
            relative: r.relative,
            anchor: r.anchor,
        });
    }
    out
}

/// The `times` layer of an annotated document, resolved against `reference`.
/// Tenses come from the document's parse when it has one.
pub fn document_times(doc: &Document, reference: Option<NaiveDate>) -> Vec<TimeExpr> {
    let index = TenseIndex::new(&doc.tokens);
    let tense = |s: usize, e: usize| index.tense_at(s, e);
    let times = find_times(&doc.text, reference, &tense);
    docdate::to_layer(doc, times, reference)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn values(text: &str, dct: &str, tense: Tense) -> Vec<(String, &'static str, String)> {
        let reference = NaiveDate::parse_from_str(dct, "%Y-%m-%d").ok();
        find_times(text, reference, &|_, _| tense)
            .into_iter()
            .map(|t| (text[t.start..t.end].to_string(), t.kind.as_str(), t.value))
            .collect()
    }

    fn one(text: &str, dct: &str, tense: Tense) -> (String, String) {
        let v = values(text, dct, tense);
        assert_eq!(v.len(), 1, "{text}: {v:?}");
        (v[0].0.clone(), v[0].2.clone())
    }

    #[test]
    fn absolute_dates() {
        let p = Tense::Past;
        assert_eq!(
            one("on Sept. 9 they met", "2016-10-03", p),
            ("Sept. 9".into(), "2016-09-09".into())
        );
        assert_eq!(one("Oct 6, 2016 caption", "2017-01-01", p).1, "2016-10-06");
        assert_eq!(
            one("Friday, 09 September, 2016, 1:07pm", "2016-09-09", p).1,
            "2016-09-09T13:07"
        );
        assert_eq!(
            one("posted 2016-10-03 here", "2017-01-01", p).1,
            "2016-10-03"
        );
        assert_eq!(one("dated 4/5/2017 here", "2017-01-01", p).1, "2017-04-05");
        assert_eq!(
            one("Wed 05 Apr 2017 at 0914", "2017-04-05", p).1,
            "2017-04-05"
        );
        assert_eq!(one("since 2011 the war", "2016-10-03", p).1, "2011");
        assert_eq!(
            one("in the 1990s", "2016-10-03", p),
            ("the 1990s".into(), "199".into())
        );
        assert_eq!(one("September 9", "2016-10-03", p).1, "2016-09-09");
    }

    #[test]
    fn relative_and_deictic() {
        // 2016-10-06 is a Thursday
        let d = "2016-10-06";
        let p = Tense::Past;
        assert_eq!(one("Russia on Wednesday said", d, p).1, "2016-10-05");
        assert_eq!(
            one("will meet on Saturday", d, Tense::Future).1,
            "2016-10-08"
        );
        assert_eq!(one("yesterday", d, p).1, "2016-10-05");
        assert_eq!(one("last month", d, p).1, "2016-09");
        assert_eq!(
            one("earlier this month", d, p),
            ("earlier this month".into(), "2016-10".into())
        );
        assert_eq!(one("next week", d, Tense::Future).1, "2016-W41");
        assert_eq!(one("three years ago", d, p).1, "2013");
        assert_eq!(one("Saturday's talks", d, p).0, "Saturday");
        assert_eq!(one("now", d, p).1, "PRESENT_REF");
        assert_eq!(one("in recent months", d, p).1, "PAST_REF");
        assert_eq!(one("this weekend", d, Tense::Future).1, "2016-W40-WE");
        // counted from the last named day, not from the publication date
        let v = values(
            "The convoy was hit on Sept. 19; jets struck the weekend before.",
            d,
            p,
        );
        assert_eq!(
            v[1],
            ("the weekend before".into(), "DATE", "2016-W37-WE".into())
        );
        let v = values("They met on Sept. 19 and talked again the next day.", d, p);
        assert_eq!(v[1].2, "2016-09-20");
    }

    #[test]
    fn durations_sets_and_times() {
        let d = "2016-10-06";
        let p = Tense::Past;
        assert_eq!(
            one("the five-year conflict", d, p),
            ("five-year".into(), "P5Y".into())
        );
        assert_eq!(
            one("for at least 72 hours", d, p),
            ("at least 72 hours".into(), "PT72H".into())
        );
        assert_eq!(one("fighting for years", d, p).1, "PXY");
        assert_eq!(one("at 1:07pm", d, p).1, "2016-10-06T13:07");
        assert_eq!(one("attacked at dawn", d, p).1, "2016-10-06TMO");
        assert_eq!(one("meets weekly", d, p).1, "P1W");
        assert_eq!(
            one("almost two and a half years", d, p),
            ("almost two and a half years".into(), "P2.5Y".into())
        );
        assert_eq!(one("for the next four years", d, p).1, "P4Y");
        assert_eq!(
            one("in June last year", d, p),
            ("June last year".into(), "2015-06".into())
        );
        assert_eq!(
            one("on April 2nd", d, p),
            ("April 2nd".into(), "2016-04-02".into())
        );
    }

    #[test]
    fn parts_of_a_year_named_relative_to_the_reference() {
        let d = "2012-11-20";
        let p = Tense::Past;
        assert_eq!(
            one("profits rose in the second quarter of this year", d, p),
            ("the second quarter of this year".into(), "2012-Q2".into())
        );
        assert_eq!(
            one("sales fell in the fourth quarter of last year", d, p),
            ("the fourth quarter of last year".into(), "2011-Q4".into())
        );
        assert_eq!(
            one(
                "a plant opens in the first half of next year",
                d,
                Tense::Future
            ),
            ("the first half of next year".into(), "2013-H1".into())
        );
        assert_eq!(
            one("losses in the first quarter of the current year", d, p).1,
            "2012-Q1"
        );
        // "this" takes no article: "of the this year" does not join the quarter
        let v = values("the third quarter of the this year", d, p);
        assert_eq!(v[0].0, "the third quarter", "{v:?}");
        // a later sentence's bare "the quarter" reads the part the text named
        let v = values(
            "Output grew in the third quarter of last year. The quarter was slow.",
            d,
            p,
        );
        assert_eq!(v[1].2, "2011-Q3", "{v:?}");
    }

    #[test]
    fn a_named_year_keeps_the_quarter_the_text_speaks_of() {
        let d = "1999-11-03";
        let p = Tense::Past;
        let v = values(
            "Profit rose in the third quarter, up from the 1998 period.",
            d,
            p,
        );
        assert_eq!(v[0].2, "1999-Q3", "{v:?}");
        assert_eq!(
            (v[1].0.as_str(), v[1].2.as_str()),
            ("the 1998 period", "1998-Q3")
        );
        // with no quarter named yet, the last one closed at the reference date
        assert_eq!(one("against the 1998 quarter", d, p).1, "1998-Q3");
    }

    #[test]
    fn the_last_part_of_a_named_year() {
        let d = "2012-11-20";
        let p = Tense::Past;
        assert_eq!(
            one("in the final quarter of 2010", d, p),
            ("the final quarter of 2010".into(), "2010-Q4".into())
        );
        assert_eq!(one("during the last half of 2009", d, p).1, "2009-H2");
        assert_eq!(one("the final quarter of this year", d, p).1, "2012-Q4");
        // without a year, "the last quarter" is still the one before this one
        assert_ne!(one("in the last quarter", d, p).1, "2012-Q4");
        assert!(values("the final whistle", d, p).is_empty());
    }

    #[test]
    fn an_adjective_leaves_its_article_to_the_noun() {
        let d = "2012-11-20";
        let p = Tense::Past;
        assert_eq!(one("the current chair resigned", d, p).0, "current");
        assert_eq!(one("the recently opened bridge", d, p).0, "recently");
        assert_eq!(one("under the recent rules", d, p).0, "recent");
        // nouns keep theirs
        assert_eq!(one("in the past prices rose", d, p).0, "the past");
        assert_eq!(
            one("plans for the future were dropped", d, p).0,
            "the future"
        );
    }

    #[test]
    fn not_times() {
        let d = "2016-10-06";
        assert!(values("2000 people fled; they may march", d, Tense::Past).is_empty());
        assert!(values("a 30-year-old man", d, Tense::Past).is_empty());
        assert!(values("February 30 and 13/13/2016", d, Tense::Past).is_empty());
    }

    #[test]
    fn bad_input_is_ignored_not_fatal() {
        let d = "2016-10-06";
        // thousands of year-like numbers in a table: none read as years, in one pass
        let table: String = (0..20_000)
            .map(|i| format!("{} ", 1900 + i % 200))
            .collect();
        assert!(values(&table, d, Tense::Past).is_empty());
        // years far out of range and impossible days (the month and year of
        // "30 February 2016" are still a real month)
        let v = values(
            "in 9999 and 0999, on 30 February 2016, 13/13/2016, 99:99",
            d,
            Tense::Past,
        );
        assert_eq!(
            v,
            [("February 2016".to_string(), "DATE", "2016-02".to_string())]
        );
        // two-digit years in numeric dates are read in the 2000s below 50
        assert_eq!(one("dated 4/5/17 here", d, Tense::Past).1, "2017-04-05");
        // no reference date: values keep what the text says and no more
        assert_eq!(
            values("on Sept. 9 and on Friday", "", Tense::Past)
                .iter()
                .map(|v| v.2.as_str())
                .collect::<Vec<_>>(),
            ["XXXX-09-09", "XXXX-WXX-5"]
        );
    }

    proptest! {
        #[test]
        fn spans_valid_on_any_text(text in "\\PC{0,200}") {
            let r = NaiveDate::from_ymd_opt(2016, 10, 6);
            for t in find_times(&text, r, &|_, _| Tense::Unknown) {
                prop_assert!(t.start < t.end && t.end <= text.len());
                prop_assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
            }
        }

        #[test]
        fn date_words_never_panic(words in proptest::collection::vec(prop_oneof![
            Just("May"), Just("30"), Just("February"), Just("2016"), Just("last"), Just("the"),
            Just("Friday"), Just(","), Just("-"), Just("year"), Just("ago"), Just("99999"),
            Just("13/13/2016"), Just("0:99"), Just("quarter"), Just("third"), Just("'"), Just("s"),
        ], 0..30)) {
            let text = words.join(" ");
            let _ = find_times(&text, NaiveDate::from_ymd_opt(2016, 2, 29), &|_, _| Tense::Past);
            let _ = find_times(&text, None, &|_, _| Tense::Future);
        }
    }
}
