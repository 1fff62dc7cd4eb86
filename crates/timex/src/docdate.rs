//! The article date, second pass: once the text is parsed, its time expressions
//! confirm the date ingest decided, contradict it, or stand in for a missing one.

use crate::resolve::{iso, Tense};
use crate::{find_times, TenseIndex, Timex};
use chronicle_core::{DateEvidence, DateProvenance, Document, Published, TimeExpr, Warning};
use chrono::{Datelike, Duration, NaiveDate};

/// News names a day without its year only while it is recent; a yearless date
/// read in the past tense further back than this says the stated date is wrong.
const YEARLESS_HORIZON_DAYS: i64 = 150;

/// How far into the text a date still reads as the copy's dateline.
const HEAD_BYTES: usize = 300;

fn parse(d: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(d.get(..10)?, "%Y-%m-%d").ok()
}

/// The `times` layer from found expressions; `anchor` names what each relative
/// value was counted from.
pub(crate) fn to_layer(
    doc: &Document,
    times: Vec<Timex>,
    reference: Option<NaiveDate>,
) -> Vec<TimeExpr> {
    let anchor = reference.map(iso);
    times
        .into_iter()
        .map(|t| TimeExpr {
            start: t.start,
            end: t.end,
            text: doc.text[t.start..t.end].to_string(),
            kind: t.kind.as_str().to_string(),
            value: t.value,
            anchor: match t.anchor {
                Some(a) => Some(iso(a)),
                None if t.relative => anchor.clone(),
                None => None,
            },
        })
        .collect()
}

/// Expressions that only a date can be written as: "Oct 6, 2016", "2016-10-03".
fn full_dates(times: &[Timex]) -> impl Iterator<Item = (NaiveDate, &Timex)> {
    times
        .iter()
        .filter(|t| !t.relative && t.value.len() >= 10)
        .filter_map(|t| parse(&t.value).map(|d| (d, t)))
}

/// Fills `doc.times` and settles `doc.published`: keeps a stated date and warns
/// when the text contradicts it, or estimates a missing date from the content.
pub fn date_document(doc: &mut Document) {
    let index = TenseIndex::new(&doc.tokens);
    let tense = |s: usize, e: usize| index.tense_at(s, e);
    let stated = doc
        .published
        .as_ref()
        .filter(|p| !p.estimated)
        .and_then(|p| parse(&p.date));
    if let Some(reference) = stated {
        let times = find_times(&doc.text, Some(reference), &tense);
        let warning = yearless_conflict(doc, &times, reference, &tense);
        doc.times = to_layer(doc, times, Some(reference));
        if let Some((w, evidence)) = warning {
            if !doc.warnings.iter().any(|x| x.code == "date_conflict") {
                doc.warnings.push(w);
            }
            doc.date_evidence.push(evidence);
        }
        return;
    }
    // No stated date: absolute dates in the text (or the estimate ingest made
    // from a removed caption) anchor the estimate; relative weekdays move it on.
    let unanchored = find_times(&doc.text, None, &tense);
    // A full date in the opening lines, after a headline or an agency credit
    // ("… Monitor AFP Friday 15 Jul 2016 At least …"), is the copy's own date.
    if let Some((date, t)) = full_dates(&unanchored).find(|(_, t)| t.start < HEAD_BYTES) {
        let said = doc.text[t.start..t.end].to_string();
        doc.date_evidence.push(DateEvidence {
            date: iso(date),
            provenance: DateProvenance::Dateline,
            verbatim: said,
            confidence: 0.6,
        });
        doc.warnings.retain(|w| w.code != "no_date");
        doc.published = Some(Published {
            date: iso(date),
            time: t.value.split_once('T').map(|(_, hm)| hm.to_string()),
            provenance: DateProvenance::Dateline,
            confidence: 0.6,
            estimated: false,
        });
        let times = find_times(&doc.text, Some(date), &tense);
        doc.times = to_layer(doc, times, Some(date));
        return;
    }
    let mut anchor: Option<(NaiveDate, String)> = full_dates(&unanchored)
        .max_by_key(|(d, _)| *d)
        .map(|(d, t)| (d, doc.text[t.start..t.end].to_string()));
    // Ingest's own estimate (from a caption it removed) says where it came from.
    let mut from_ingest = false;
    if let Some(p) = doc.published.as_ref().and_then(|p| parse(&p.date)) {
        if !matches!(&anchor, Some((d, _)) if p <= *d) {
            let said = doc
                .date_evidence
                .iter()
                .find(|e| {
                    e.provenance == DateProvenance::ContentEstimate && parse(&e.date) == Some(p)
                })
                .map_or_else(|| iso(p), |e| e.verbatim.clone());
            anchor = Some((p, said));
            from_ingest = true;
        }
    }
    let Some((anchor_date, said)) = anchor else {
        doc.times = to_layer(doc, unanchored, None);
        return;
    };
    // Each past-tense weekday the text reports happened on or after the anchor
    // (otherwise the writer would have dated it too), so publication is no
    // earlier than the latest of them.
    let mut estimate = anchor_date;
    let mut moved_by: Option<String> = None;
    for t in &unanchored {
        let Some(wd) = t
            .value
            .strip_prefix("XXXX-WXX-")
            .and_then(|w| w.parse::<u32>().ok())
        else {
            continue;
        };
        if tense(t.start, t.end) == Tense::Future {
            continue;
        }
        let from = anchor_date.weekday().number_from_monday();
        let ahead = (wd as i64 - from as i64).rem_euclid(7);
        let day = anchor_date + Duration::days(ahead);
        if day > estimate {
            estimate = day;
            moved_by = Some(doc.text[t.start..t.end].to_string());
        }
    }
    if from_ingest && moved_by.is_none() {
        let times = find_times(&doc.text, Some(estimate), &tense);
        doc.times = to_layer(doc, times, Some(estimate));
        return;
    }
    let how = match &moved_by {
        Some(w) => format!("\"{said}\" then \"{w}\""),
        None => format!("\"{said}\""),
    };
    doc.warnings.retain(|w| w.code != "no_date");
    doc.warnings.push(Warning::new(
        "no_date",
        format!("no stated date; estimated {} from {how}", iso(estimate)),
    ));
    doc.date_evidence.push(DateEvidence {
        date: iso(estimate),
        provenance: DateProvenance::ContentEstimate,
        verbatim: how,
        confidence: 0.35,
    });
    doc.published = Some(Published {
        date: iso(estimate),
        time: None,
        provenance: DateProvenance::ContentEstimate,
        confidence: 0.35,
        estimated: true,
    });
    let times = find_times(&doc.text, Some(estimate), &tense);
    doc.times = to_layer(doc, times, Some(estimate));
}

/// Yearless days ("Sept. 9") told in the past tense that land months before the
/// stated date: the copy's date is older than its story.
fn yearless_conflict(
    doc: &Document,
    times: &[Timex],
    reference: NaiveDate,
    tense: &dyn Fn(usize, usize) -> Tense,
) -> Option<(Warning, DateEvidence)> {
    let text = &doc.text;
    let mut stale: Vec<(NaiveDate, &str)> = Vec::new();
    let mut recent = 0usize;
    for t in times.iter().filter(|t| t.relative && t.value.len() == 10) {
        let surface = &text[t.start..t.end];
        // only month-day expressions: weekdays and "yesterday" are anchored by construction
        let yearless_month_day = surface.chars().any(|c| c.is_ascii_digit())
            && !surface
                .chars()
                .filter(|c| c.is_ascii_digit())
                .count()
                .ge(&4);
        if !yearless_month_day || tense(t.start, t.end) == Tense::Future {
            continue;
        }
        let Some(d) = parse(&t.value) else { continue };
        if (reference - d).num_days().abs() > YEARLESS_HORIZON_DAYS {
            stale.push((d, surface));
        } else {
            recent += 1;
        }
    }
    if stale.is_empty() || recent >= stale.len() {
        return None;
    }
    let (latest, said) = stale.iter().max_by_key(|(d, _)| *d)?;
    // the same month and day in the first year after the stated date
    let next = NaiveDate::from_ymd_opt(reference.year(), latest.month(), latest.day())
        .filter(|d| *d > reference)
        .or_else(|| NaiveDate::from_ymd_opt(reference.year() + 1, latest.month(), latest.day()))?;
    let listed: Vec<String> = stale.iter().map(|(_, s)| format!("\"{s}\"")).collect();
    let message = format!(
        "stated date {} is contradicted by the text: {} named without a year would fall {}+ days from it in the tense they are told, and news names a day without its year only while it is recent; best alternative estimate: on or after {} (year unknown)",
        iso(reference),
        listed.join(", "),
        (reference - *latest).num_days().abs(),
        iso(next)
    );
    Some((
        Warning::new("date_conflict", message),
        DateEvidence {
            date: iso(next),
            provenance: DateProvenance::ContentEstimate,
            verbatim: format!("after {said}"),
            confidence: 0.2,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str, published: Option<&str>) -> Document {
        let mut d = Document::from_text("t", "t", text);
        d.published = published.map(|p| Published {
            date: p.into(),
            time: None,
            provenance: DateProvenance::Header,
            confidence: 0.85,
            estimated: false,
        });
        d
    }

    #[test]
    fn undated_copy_is_estimated_from_a_date_and_a_later_weekday() {
        let filler = "Aid agencies described the situation in detail. ".repeat(8);
        let text = format!("{filler}Photo taken October 6, 2016 shows the convoy. Russia on Wednesday said it would respond.");
        let mut d = doc(&text, None);
        date_document(&mut d);
        let p = d.published.expect("estimated");
        assert_eq!(p.date, "2016-10-12");
        assert!(p.estimated);
        assert!(d
            .warnings
            .iter()
            .any(|w| w.code == "no_date" && w.message.contains("Wednesday")));
        assert!(d
            .times
            .iter()
            .any(|t| t.value == "2016-10-12" && t.anchor.as_deref() == Some("2016-10-12")));
    }

    #[test]
    fn a_date_after_the_headline_is_the_dateline() {
        let mut d = doc("Strikes kill 11 in east Syria Monitor AFP Friday 15 Jul 2016 At least 11 civilians were killed on Friday.", None);
        date_document(&mut d);
        let p = d.published.expect("dated");
        assert_eq!(
            (p.date.as_str(), p.provenance, p.estimated),
            ("2016-07-15", DateProvenance::Dateline, false)
        );
    }

    #[test]
    fn stale_yearless_dates_contradict_the_stated_date() {
        let mut d = doc(
            "The deal reached Sept. 9 collapsed. The convoy was hit on Sept. 19.",
            Some("2015-03-20"),
        );
        date_document(&mut d);
        let w = d
            .warnings
            .iter()
            .find(|w| w.code == "date_conflict")
            .expect("conflict");
        assert!(w.message.contains("Sept. 19"), "{}", w.message);
        assert_eq!(
            d.published.map(|p| p.date).as_deref(),
            Some("2015-03-20"),
            "stated date kept"
        );
        let mut fresh = doc("The deal reached Sept. 9 collapsed.", Some("2016-10-03"));
        date_document(&mut fresh);
        assert!(fresh.warnings.is_empty());
    }
}
