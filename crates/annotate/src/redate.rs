//! Re-reading an annotated document against a new publication date (a story-level
//! correction, `chronicle_link::dating`): its time expressions are resolved again
//! with timex against the new date, and the event dates and claim times that came
//! from them follow, by span. No stage is re-run: the parse, entities, quotes,
//! claims and events keep every span; only values that depended on the date change.

use chronicle_core::{Document, TimeExpr};
use chrono::NaiveDate;

#[derive(Debug, thiserror::Error)]
pub enum RedateError {
    #[error("document {doc}: {date:?} is not a day written YYYY-MM-DD")]
    BadDate { doc: String, date: String },
}

/// The value the expression at `old`'s span has now.
fn now_at<'a>(times: &'a [TimeExpr], old: &TimeExpr) -> Option<&'a TimeExpr> {
    times
        .iter()
        .find(|t| t.start == old.start && t.end == old.end)
}

/// Re-resolves `doc`'s `times` against `date` (`YYYY-MM-DD`), then moves each
/// event date and claim time that was read from an expression to that
/// expression's new value, and each event dated by the publication day (or not
/// dated, for lack of one) to `date`. `published` is not touched: the caller set it.
pub fn redate(doc: &mut Document, date: &str) -> Result<(), RedateError> {
    let day = date
        .get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .ok_or_else(|| RedateError::BadDate {
            doc: doc.id.clone(),
            date: date.to_string(),
        })?;
    let old = std::mem::take(&mut doc.times);
    doc.times = chronicle_timex::document_times(doc, Some(day));
    let new_day = day.format("%Y-%m-%d").to_string();
    for ev in &mut doc.events {
        match ev.date_source.as_deref() {
            Some("time_expression") => {
                // The expression the events stage took: in the event's sentence,
                // with the value it gave the event.
                let moved = old
                    .iter()
                    .filter(|t| ev.start <= t.start && t.end <= ev.end)
                    .find(|t| Some(t.value.as_str()) == ev.date.as_deref())
                    .and_then(|t| now_at(&doc.times, t));
                if let Some(t) = moved {
                    ev.date = Some(t.value.clone());
                }
            }
            _ => {
                ev.date = Some(new_day.clone());
                ev.date_source = Some("published".into());
            }
        }
    }
    for c in &mut doc.claims {
        let Some(value) = c.time.clone() else {
            continue;
        };
        let sentence = doc
            .sentences
            .iter()
            .find(|s| s.start <= c.start && c.end <= s.end)
            .map_or((0, doc.text.len()), |s| (s.start, s.end));
        let moved = old
            .iter()
            .filter(|t| sentence.0 <= t.start && t.end <= sentence.1 && t.value == value)
            .min_by_key(|t| t.start.abs_diff(c.start))
            .and_then(|t| now_at(&doc.times, t));
        if let Some(t) = moved {
            c.time = Some(t.value.clone());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Pipeline;
    use chronicle_core::{DateProvenance, Published};
    use proptest::prelude::*;

    fn annotated(text: &str, published: Option<&str>) -> Document {
        let mut d = Document::from_text("d", "d", text);
        d.language = Some("eng".into());
        d.published = published.map(|p| Published {
            date: p.into(),
            time: None,
            provenance: DateProvenance::Header,
            confidence: 0.85,
            estimated: false,
        });
        Pipeline::shared()
            .expect("embedded models")
            .annotate(&mut d);
        d
    }

    #[test]
    fn relative_times_and_event_dates_follow_the_new_date() {
        let mut d = annotated(
            "The United States suspended talks with Russia yesterday. \
             Air strikes killed 12 people in Aleppo on Monday.",
            Some("2015-03-10"),
        );
        let yesterday = d.times.iter().find(|t| t.text == "yesterday").cloned();
        assert_eq!(yesterday.map(|t| t.value), Some("2015-03-09".into()));
        redate(&mut d, "2016-10-04").expect("a day");
        let value = |w: &str| {
            d.times
                .iter()
                .find(|t| t.text == w)
                .map(|t| t.value.clone())
        };
        assert_eq!(value("yesterday").as_deref(), Some("2016-10-03"));
        assert_eq!(value("Monday").as_deref(), Some("2016-10-03"));
        for e in &d.events {
            let date = e.date.as_deref().unwrap_or_default();
            assert!(date.starts_with("2016-10"), "{e:?}");
        }
        for c in d.claims.iter().filter(|c| c.time.is_some()) {
            assert!(
                c.time.as_deref().unwrap_or_default().starts_with("2016-10"),
                "{c:?}"
            );
        }
        assert!(d.check_spans().is_ok());
    }

    #[test]
    fn an_undated_document_gets_event_dates() {
        let mut d = annotated("The council voted to end the talks.", None);
        redate(&mut d, "2016-10-04").expect("a day");
        assert!(d
            .events
            .iter()
            .all(|e| e.date.as_deref() == Some("2016-10-04")));
        let e = redate(&mut d, "4 Oct").unwrap_err().to_string();
        assert!(e.contains("document d") && e.contains("4 Oct"), "{e}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// Whatever the new date, the spans of every layer stay on char boundaries
        /// and the times keep their spans.
        #[test]
        fn spans_survive_any_date(y in 1990i32..2030, m in 1u32..13, dd in 1u32..29) {
            let text = "Él said on Monday that 3 people died yesterday in Homs, two days after the vote.";
            let mut d = annotated(text, Some("2016-10-05"));
            let before: Vec<(usize, usize)> = d.times.iter().map(|t| (t.start, t.end)).collect();
            redate(&mut d, &format!("{y:04}-{m:02}-{dd:02}")).expect("a day");
            let after: Vec<(usize, usize)> = d.times.iter().map(|t| (t.start, t.end)).collect();
            prop_assert_eq!(before, after);
            prop_assert!(d.check_spans().is_ok());
        }
    }
}
