//! Story-level dates: the other reports of a story date the events a document
//! tells, so they date the document too when its own date is missing or stale.
//!
//! The rule is a search over candidate publication dates, not a formula: relative
//! expressions ("yesterday", "on Monday") say how an event's day follows from the
//! publication day, and timex knows how to read them, so each candidate day `c`
//! (the days from a peer's event date up to a week after it) re-reads the
//! document's own time expressions against `c` and counts the peer mentions whose
//! event date the document then agrees with. The best-supported day wins; ties go
//! to the day nearest the peers' own publication dates, then to the earliest day.
//! Everything is deterministic and the reason names the documents.

use chronicle_core::{DateEvidence, DateProvenance, Document, Event, Published, TimeExpr, Warning};
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A dated mention, in another document of the story, of an event this document
/// also tells (`event` is the index of the document's own mention in
/// `doc.events`), or only a report of the same story (`event: None`; then `date`
/// is that report's publication date).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerEvent {
    pub doc_id: String,
    pub outlet: Option<String>,
    pub event: Option<usize>,
    /// The peer's event date, `YYYY-MM-DD` (longer values are cut to the day).
    pub date: String,
    /// The peer event's `date_source`: `time_expression` (the peer's text dates
    /// it) counts fully, anything else (`published`) half.
    pub date_source: Option<String>,
    /// The peer document's publication date.
    pub published: Option<String>,
}

/// A publication date estimated from the story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryDate {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The documents whose event dates support it, sorted.
    pub evidence_docs: Vec<String>,
    /// One sentence a reader can check.
    pub reason: String,
    pub confidence: f32,
    /// The date this estimate corrects (`None` for an undated document).
    pub replaces: Option<String>,
}

/// How far after a peer's event date a report of it may still be published.
pub const LOOKAHEAD_DAYS: i64 = 7;

/// A stated date at least this far from the day the story's reports give is
/// stale; a nearer one (a late copy, a time-zone slip) is kept.
pub const STALE_DAYS: i64 = 7;

fn day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn day_level(t: &TimeExpr) -> Option<NaiveDate> {
    (t.kind == "DATE").then(|| day(&t.value)).flatten()
}

/// The day `ev` happened when the document is read as published on `c`, with
/// `times_c` its time expressions resolved against `c`. An event the events
/// stage dated by a time expression keeps that expression (found by span); one
/// dated by the publication day moves with `c`; an undated one (an undated
/// document's events) takes the day-level expression nearest its verb in its
/// sentence, else `c`.
fn event_day_at(doc: &Document, ev: &Event, times_c: &[TimeExpr], c: NaiveDate) -> NaiveDate {
    let in_sentence = |t: &&TimeExpr| ev.start <= t.start && t.end <= ev.end;
    let at_span = |start: usize, end: usize| {
        times_c
            .iter()
            .find(|t| t.start == start && t.end == end)
            .and_then(day_level)
    };
    match ev.date_source.as_deref() {
        Some("time_expression") => {
            let old = doc
                .times
                .iter()
                .filter(in_sentence)
                .find(|t| Some(t.value.as_str()) == ev.date.as_deref());
            old.and_then(|t| at_span(t.start, t.end)).unwrap_or(c)
        }
        Some("published") => c,
        _ => {
            let anchor = ev.verb.map_or(ev.start, |v| v.start);
            times_c
                .iter()
                .filter(in_sentence)
                .filter_map(|t| day_level(t).map(|d| (t.start.abs_diff(anchor), d)))
                .min_by_key(|(dist, _)| *dist)
                .map_or(c, |(_, d)| d)
        }
    }
}

/// Support for one candidate day: weight of agreeing peer mentions and which
/// documents agree.
struct Support {
    weight: f32,
    docs: BTreeSet<String>,
    /// (own event index, peer date) pairs that agree, for the reason.
    agreed: Vec<(usize, NaiveDate)>,
}

fn support(doc: &Document, linked: &[(usize, NaiveDate, &PeerEvent)], c: NaiveDate) -> Support {
    let times_c = chronicle_timex::document_times(doc, Some(c));
    let mut s = Support {
        weight: 0.0,
        docs: BTreeSet::new(),
        agreed: Vec::new(),
    };
    let mut own: BTreeMap<usize, NaiveDate> = BTreeMap::new();
    for &(i, peer_day, p) in linked {
        let Some(ev) = doc.events.get(i) else {
            continue;
        };
        let ours = *own
            .entry(i)
            .or_insert_with(|| event_day_at(doc, ev, &times_c, c));
        if ours == peer_day {
            s.weight += if p.date_source.as_deref() == Some("time_expression") {
                1.0
            } else {
                0.5
            };
            s.docs.insert(p.doc_id.clone());
            s.agreed.push((i, peer_day));
        }
    }
    s
}

/// Whether two independent clues (metadata and a dateline, say) state the
/// document's day `cur`. Such a date is not overturned by events the document
/// only dates by its publication day: those agree with any candidate day by
/// construction, so a match with a peer says no more than "published the day a
/// peer was" (a generic "denied" or "suspended" merged across weeks did that).
fn corroborated(doc: &Document, cur: NaiveDate) -> bool {
    let mut kinds = doc
        .date_evidence
        .iter()
        .filter(|e| e.provenance != DateProvenance::Story && day(&e.date) == Some(cur))
        .map(|e| e.provenance);
    kinds
        .next()
        .is_some_and(|first| kinds.any(|other| other != first))
}

/// Whether some agreeing event of `doc` is dated by its own time expression
/// ("on Monday", "yesterday"): only then does the candidate day change what the
/// text says, and the agreement is evidence about the publication day.
fn text_dated(doc: &Document, s: &Support) -> bool {
    s.agreed.iter().any(|&(i, _)| {
        doc.events
            .get(i)
            .is_some_and(|e| e.date_source.as_deref() == Some("time_expression"))
    })
}

fn median(mut days: Vec<NaiveDate>) -> Option<NaiveDate> {
    days.sort();
    days.get(days.len().checked_sub(1)? / 2).copied()
}

/// The story's estimate of when `doc` was published, or `None` to keep its own
/// date: an undated document gets the best-supported day; a dated one is
/// corrected only when its stated day agrees with fewer peer mentions than the
/// best day and lies at least [`STALE_DAYS`] from it. Peers of the same document
/// are ignored; so are peers whose date is not a day.
pub fn estimate(doc: &Document, peers: &[PeerEvent]) -> Option<StoryDate> {
    let peers: Vec<&PeerEvent> = peers.iter().filter(|p| p.doc_id != doc.id).collect();
    let current = doc.published.as_ref().and_then(|p| day(&p.date));
    let peer_published: Vec<NaiveDate> = {
        let by_doc: BTreeMap<&str, NaiveDate> = peers
            .iter()
            .filter_map(|p| Some((p.doc_id.as_str(), day(p.published.as_deref()?)?)))
            .collect();
        by_doc.into_values().collect()
    };
    let linked: Vec<(usize, NaiveDate, &PeerEvent)> = peers
        .iter()
        .filter_map(|p| {
            Some((
                p.event.filter(|&i| i < doc.events.len())?,
                day(&p.date)?,
                *p,
            ))
        })
        .collect();
    if linked.is_empty() {
        return story_only(doc, current, &peers, peer_published);
    }
    let mut candidates: BTreeSet<NaiveDate> = BTreeSet::new();
    for &(_, d, _) in &linked {
        for k in 0..=LOOKAHEAD_DAYS {
            candidates.insert(d + Duration::days(k));
        }
    }
    let centre = median(peer_published.clone());
    let mut best: Option<(NaiveDate, Support)> = None;
    for &c in &candidates {
        let s = support(doc, &linked, c);
        if s.weight <= 0.0 {
            continue;
        }
        let better = match &best {
            None => true,
            Some((b, bs)) => {
                let dist = |d: NaiveDate| centre.map_or(0, |m| (d - m).num_days().abs());
                s.weight > bs.weight || (s.weight == bs.weight && dist(c) < dist(*b))
            }
        };
        if better {
            best = Some((c, s));
        }
    }
    let Some((date, s)) = best else {
        return current.and_then(|cur| stale(doc, cur, &peers, &peer_published));
    };
    if let Some(cur) = current {
        let own = support(doc, &linked, cur);
        if own.weight >= s.weight || (date - cur).num_days().abs() < STALE_DAYS {
            return None;
        }
        if corroborated(doc, cur) && !text_dated(doc, &s) {
            return None;
        }
    }
    let evidence_docs: Vec<String> = s.docs.iter().cloned().collect();
    let told: Vec<String> = s
        .agreed
        .iter()
        .map(|&(i, d)| (i, d))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|(i, d)| {
            let what = doc.events[i]
                .verb
                .and_then(|v| doc.text.get(v.start..v.end))
                .unwrap_or(doc.events[i].cameo.as_str());
            format!("`{what}` on {}", iso(d))
        })
        .collect();
    let reason = match current {
        Some(cur) => format!(
            "the stated date {} conflicts with the story: reports {} date {}; read from {}, this document agrees",
            iso(cur),
            evidence_docs.join(", "),
            told.join(", "),
            iso(date)
        ),
        None => format!(
            "undated; reports {} date {}; read from {}, this document agrees",
            evidence_docs.join(", "),
            told.join(", "),
            iso(date)
        ),
    };
    Some(StoryDate {
        date: iso(date),
        confidence: (0.4 + 0.1 * evidence_docs.len() as f32).min(0.7),
        evidence_docs,
        reason,
        replaces: current.map(iso),
    })
}

/// How far outside the span of its story's other reports a stated date must
/// lie to be called stale when no shared event dates the document.
pub const STALE_SPAN_DAYS: i64 = 30;

/// A stated date far outside the story (a 2015 header on a 2016 story) that no
/// shared event corrects: the text's own latest full date inside the story's
/// span dates it ([`date_in_text`]); else, for a document whose text already
/// contradicts its header (`date_conflict`), the story's reports do
/// ([`date_from_reports`]). Otherwise the stated date is kept (its warning stays).
fn stale(
    doc: &Document,
    cur: NaiveDate,
    peers: &[&PeerEvent],
    peer_published: &[NaiveDate],
) -> Option<StoryDate> {
    let (lo, hi) = (*peer_published.iter().min()?, *peer_published.iter().max()?);
    let span = Duration::days(STALE_SPAN_DAYS);
    if cur >= lo - span && cur <= hi + span {
        return None;
    }
    let docs: BTreeSet<String> = peers
        .iter()
        .filter(|p| p.published.is_some())
        .map(|p| p.doc_id.clone())
        .collect();
    let evidence_docs: Vec<String> = docs.into_iter().collect();
    let named = match evidence_docs.len() {
        n if n > 4 => format!("{} and {} more", evidence_docs[..4].join(", "), n - 4),
        _ => evidence_docs.join(", "),
    };
    let outside = format!(
        "the stated date {} lies outside the story's reports {named} ({} .. {})",
        iso(cur),
        iso(lo),
        iso(hi)
    );
    let (date, reason, confidence) = match date_in_text(doc, lo, hi) {
        Some((date, said)) => (
            date,
            format!("{outside}; the text's own date \"{said}\" falls inside it"),
            0.5,
        ),
        None => {
            if !doc.warnings.iter().any(|w| w.code == "date_conflict") {
                return None;
            }
            let (date, latest_said) = date_from_reports(doc, lo, hi, peer_published)?;
            let after_said = latest_said
                .map(|l| {
                    format!(
                        " published from {} on (the latest day the text names)",
                        iso(l)
                    )
                })
                .unwrap_or_default();
            (
                date,
                format!("{outside} and the text contradicts it; the median publication date of the reports{after_said}"),
                0.3,
            )
        }
    };
    Some(StoryDate {
        date: iso(date),
        reason,
        evidence_docs,
        confidence,
        replaces: Some(iso(cur)),
    })
}

/// The text's own latest full date ("Friday, March 7, 2025", read without the
/// header) within a week of the story's span `lo ..= hi`.
fn date_in_text(doc: &Document, lo: NaiveDate, hi: NaiveDate) -> Option<(NaiveDate, &str)> {
    let week = Duration::days(LOOKAHEAD_DAYS);
    // Absolute expressions carry no anchor: the header did not make them.
    doc.times
        .iter()
        .filter(|t| t.kind == "DATE" && t.anchor.is_none() && t.value.len() == 10)
        .filter_map(|t| Some((day(&t.value)?, t.text.as_str())))
        .filter(|(d, _)| lo - week <= *d && *d <= hi + week)
        .max_by_key(|(d, _)| *d)
}

/// A day-and-month expression without a year ("Sept. 19"): the year came from
/// the header, so only its day and month are the text's.
fn yearless_day(t: &TimeExpr) -> Option<NaiveDate> {
    let four_digits = t
        .text
        .as_bytes()
        .windows(4)
        .any(|w| w.iter().all(u8::is_ascii_digit));
    let has_digit = t.text.bytes().any(|b| b.is_ascii_digit());
    if t.anchor.is_none() || four_digits || !has_digit || t.value.len() != 10 {
        return None;
    }
    day(&t.value)
}

/// The story's reports date a contradicted header with no full date of its own:
/// its yearless days ("Sept. 19") are read in the story's years; it was
/// published on or after the latest of them, so the estimate is the median
/// publication day of the reports from then on (all reports when none). A weak
/// estimate. Returns the day and the latest yearless day the text names.
fn date_from_reports(
    doc: &Document,
    lo: NaiveDate,
    hi: NaiveDate,
    peer_published: &[NaiveDate],
) -> Option<(NaiveDate, Option<NaiveDate>)> {
    use chrono::Datelike;
    let latest_said = doc
        .times
        .iter()
        .filter_map(yearless_day)
        .filter_map(|d| {
            (lo.year()..=hi.year())
                .filter_map(|y| NaiveDate::from_ymd_opt(y, d.month(), d.day()))
                .filter(|d| *d <= hi)
                .max()
        })
        .max();
    let after: Vec<NaiveDate> = peer_published
        .iter()
        .copied()
        .filter(|d| latest_said.is_none_or(|l| *d >= l))
        .collect();
    let date = median(if after.is_empty() {
        peer_published.to_vec()
    } else {
        after
    })?;
    Some((date, latest_said))
}

/// No shared event: an undated document takes the median publication day of the
/// story's other reports (a weak estimate); a dated one is corrected only when
/// stale with a date of its own inside the story ([`stale`]).
fn story_only(
    doc: &Document,
    current: Option<NaiveDate>,
    peers: &[&PeerEvent],
    peer_published: Vec<NaiveDate>,
) -> Option<StoryDate> {
    if let Some(cur) = current {
        return stale(doc, cur, peers, &peer_published);
    }
    let mut days = peer_published;
    for p in peers.iter().filter(|p| p.event.is_none()) {
        if p.published.is_none() {
            days.extend(day(&p.date));
        }
    }
    let date = median(days)?;
    let docs: BTreeSet<String> = peers.iter().map(|p| p.doc_id.clone()).collect();
    let evidence_docs: Vec<String> = docs.into_iter().collect();
    Some(StoryDate {
        date: iso(date),
        reason: format!(
            "undated and no event shared with a dated report: the median publication date of the story's reports {}",
            evidence_docs.join(", ")
        ),
        evidence_docs,
        confidence: 0.2,
        replaces: None,
    })
}

/// Writes `sd` into `doc`: `published` with provenance `story` (estimated), a
/// `date_evidence` entry holding the reason, a `story_date` warning; the stated
/// date and the earlier evidence stay. Re-resolving the document's times against
/// the new date is `chronicle_annotate::redate`.
pub fn apply(doc: &mut Document, sd: &StoryDate) {
    doc.published = Some(Published {
        date: sd.date.clone(),
        time: None,
        provenance: DateProvenance::Story,
        confidence: sd.confidence,
        estimated: true,
    });
    doc.date_evidence.push(DateEvidence {
        date: sd.date.clone(),
        provenance: DateProvenance::Story,
        verbatim: sd.reason.clone(),
        confidence: sd.confidence,
    });
    doc.warnings.retain(|w| w.code != "no_date");
    let message = match &sd.replaces {
        Some(old) => format!("date {old} replaced by {} from the story", sd.date),
        None => format!("dated {} from the story", sd.date),
    };
    doc.warnings.push(Warning::new("story_date", message));
}

#[cfg(test)]
mod tests {
    use super::*;
    use chronicle_core::Span;

    /// A document whose text is `text`, published on `published`, with one event
    /// per (sentence-span text, verb word, date source) and its times resolved
    /// against the publication date, as annotate leaves them (no parse: timex's
    /// default tense).
    fn doc(id: &str, text: &str, published: Option<&str>, verbs: &[&str]) -> Document {
        let mut d = Document::from_text(id, "t", text);
        d.published = published.map(|p| Published {
            date: p.into(),
            time: None,
            provenance: DateProvenance::Header,
            confidence: 0.85,
            estimated: false,
        });
        let reference = published.and_then(day);
        d.times = chronicle_timex::document_times(&d, reference);
        for v in verbs {
            let at = text.find(v).expect("verb in text");
            let dated = d
                .times
                .iter()
                .find(|t| day_level(t).is_some() && reference.is_some())
                .cloned();
            let (date, source) = match (&dated, published) {
                (Some(t), _) => (Some(t.value.clone()), "time_expression"),
                (None, Some(p)) => (Some(p.to_string()), "published"),
                (None, None) => (None, "none"),
            };
            d.events.push(Event {
                start: 0,
                end: text.len(),
                text: text.into(),
                source_actor: None,
                target_actor: None,
                cameo: "161".into(),
                plover_type: None,
                plover_mode: None,
                quad_class: None,
                goldstein: None,
                location: None,
                date,
                date_source: Some(source.into()),
                source: None,
                target: None,
                verb: Some(Span::new(at, at + v.len())),
                modality: None,
            });
        }
        d
    }

    fn peer(doc_id: &str, event: usize, date: &str, published: &str) -> PeerEvent {
        PeerEvent {
            doc_id: doc_id.into(),
            outlet: None,
            event: Some(event),
            date: date.into(),
            date_source: Some("time_expression".into()),
            published: Some(published.into()),
        }
    }

    #[test]
    fn yesterday_in_an_undated_report_follows_the_peers_monday() {
        let d = doc(
            "u",
            "The United States yesterday suspended negotiations with Russia.",
            None,
            &["suspended"],
        );
        let peers = [
            peer("a", 0, "2016-10-03", "2016-10-04"),
            peer("b", 0, "2016-10-03", "2016-10-03"),
        ];
        let sd = estimate(&d, &peers).expect("an estimate");
        assert_eq!(sd.date, "2016-10-04", "{sd:?}");
        assert_eq!(sd.evidence_docs, vec!["a", "b"]);
        assert!(sd.reason.contains("suspended"), "{}", sd.reason);
        assert_eq!(sd.replaces, None);
    }

    #[test]
    fn a_stale_header_is_corrected_and_a_near_one_kept() {
        let text = "The United States broke off talks with Russia on Monday.";
        let stale = doc("s", text, Some("2015-03-10"), &["broke"]);
        let peers = [
            peer("a", 0, "2016-10-03", "2016-10-04"),
            peer("b", 0, "2016-10-03", "2016-10-04"),
        ];
        let sd = estimate(&stale, &peers).expect("a correction");
        assert_eq!(sd.date, "2016-10-04", "{sd:?}");
        assert_eq!(sd.replaces.as_deref(), Some("2015-03-10"));
        // A copy stated a day late still reads "on Monday" as 3 October: kept.
        let fine = doc("f", text, Some("2016-10-05"), &["broke"]);
        assert_eq!(estimate(&fine, &peers), None);
    }

    /// `d` with two clues (metadata and a dateline) stating `date`.
    fn corroborate(mut d: Document, date: &str) -> Document {
        for provenance in [DateProvenance::Metadata, DateProvenance::Dateline] {
            d.date_evidence.push(DateEvidence {
                date: date.into(),
                provenance,
                verbatim: date.into(),
                confidence: 0.8,
            });
        }
        d
    }

    #[test]
    fn a_corroborated_date_yields_only_to_the_texts_own_expressions() {
        let peers = [
            peer("a", 0, "2016-10-26", "2016-10-26"),
            peer("b", 0, "2016-10-26", "2016-10-26"),
        ];
        // "denied" is dated only by the publication day: agreeing with the peers
        // on 26 October would only mean being published that day.
        let text = "Moscow denied any part in the attack.";
        let lone = doc("m", text, Some("2016-09-22"), &["denied"]);
        assert!(estimate(&lone, &peers).is_some(), "one clue yields");
        let both = corroborate(lone, "2016-09-22");
        assert_eq!(estimate(&both, &peers), None);
        // With its own "on Wednesday" the text dates the act: read from the
        // days after 26 October (a Wednesday), it agrees with the peers.
        let told = "Moscow denied on Wednesday any part in the attack.";
        let dated = corroborate(
            doc("w", told, Some("2016-09-22"), &["denied"]),
            "2016-09-22",
        );
        let sd = estimate(&dated, &peers).expect("the text's own expression decides");
        assert_eq!(sd.replaces.as_deref(), Some("2016-09-22"));
    }

    #[test]
    fn a_stale_header_without_shared_events_takes_the_texts_own_date() {
        let story = |id: &str, p: &str| PeerEvent {
            doc_id: id.into(),
            outlet: None,
            event: None,
            date: p.into(),
            date_source: None,
            published: Some(p.into()),
        };
        let peers = [story("a", "2025-03-05"), story("b", "2025-03-09")];
        let text = "Talks failed on Friday, March 7, 2025, after a dispute.";
        let stale = doc("s", text, Some("2023-09-14"), &[]);
        let sd = estimate(&stale, &peers).expect("a correction");
        assert_eq!(sd.date, "2025-03-07", "{sd:?}");
        assert_eq!(sd.replaces.as_deref(), Some("2023-09-14"));
        assert!(sd.reason.contains("March 7, 2025"), "{}", sd.reason);
        // Inside the story's span: kept.
        let near = doc("n", text, Some("2025-03-08"), &[]);
        assert_eq!(estimate(&near, &peers), None);
        // Stale but with no date of its own inside the story: kept.
        let bare = doc(
            "b2",
            "Talks failed after a dispute.",
            Some("2023-09-14"),
            &[],
        );
        assert_eq!(estimate(&bare, &peers), None);
    }

    #[test]
    fn a_contradicted_header_without_a_date_of_its_own_takes_the_story() {
        let story = |id: &str, p: &str| PeerEvent {
            doc_id: id.into(),
            outlet: None,
            event: None,
            date: p.into(),
            date_source: None,
            published: Some(p.into()),
        };
        let peers = [
            story("a", "2016-09-09"),
            story("b", "2016-10-15"),
            story("c", "2016-10-17"),
        ];
        let text = "The deal reached Sept. 9 failed, and the Sept. 19 attack ended it.";
        let mut stale = doc("s", text, Some("2015-03-20"), &[]);
        // Without the text contradicting its header, the header stands.
        assert_eq!(estimate(&stale, &peers), None);
        stale.warnings.push(Warning {
            code: "date_conflict".into(),
            message: "the text reports later dates".into(),
        });
        let sd = estimate(&stale, &peers).expect("a correction");
        // Published after 19 September (read in the story's year): the median of
        // the reports from then on.
        assert_eq!(sd.date, "2016-10-15", "{sd:?}");
        assert_eq!(sd.replaces.as_deref(), Some("2015-03-20"));
        assert!(sd.reason.contains("2016-09-19"), "{}", sd.reason);
        assert_eq!(sd.evidence_docs, vec!["a", "b", "c"]);
    }

    #[test]
    fn apply_keeps_the_stated_date_and_explains() {
        let mut d = doc(
            "s",
            "Talks ended on Monday.",
            Some("2015-03-10"),
            &["ended"],
        );
        d.stated_date = Some(chronicle_core::StatedDate {
            verbatim: "10 March 2015".into(),
            date: Some("2015-03-10".into()),
            time: None,
            provenance: DateProvenance::Header,
        });
        let sd = StoryDate {
            date: "2016-10-04".into(),
            evidence_docs: vec!["a".into()],
            reason: "reports a date it".into(),
            confidence: 0.5,
            replaces: Some("2015-03-10".into()),
        };
        apply(&mut d, &sd);
        let p = d.published.as_ref().expect("published");
        assert_eq!(
            (p.date.as_str(), p.provenance),
            ("2016-10-04", DateProvenance::Story)
        );
        assert!(p.estimated);
        assert_eq!(
            d.stated_date.as_ref().and_then(|s| s.date.as_deref()),
            Some("2015-03-10")
        );
        assert!(d
            .date_evidence
            .iter()
            .any(|e| e.provenance == DateProvenance::Story));
        assert!(d.warnings.iter().any(|w| w.code == "story_date"));
    }

    #[test]
    fn without_shared_events_only_an_undated_report_is_dated() {
        let story = |id: &str, p: &str| PeerEvent {
            doc_id: id.into(),
            outlet: None,
            event: None,
            date: p.into(),
            date_source: None,
            published: Some(p.into()),
        };
        let peers = [
            story("a", "2016-10-03"),
            story("b", "2016-10-05"),
            story("c", "2016-10-04"),
        ];
        let undated = doc("u", "Talks ended.", None, &[]);
        assert_eq!(
            estimate(&undated, &peers).map(|s| s.date),
            Some("2016-10-04".into())
        );
        let dated = doc("d", "Talks ended.", Some("2016-09-20"), &[]);
        assert_eq!(estimate(&dated, &peers), None);
        assert_eq!(estimate(&undated, &[]), None);
    }

    #[test]
    fn self_peers_are_ignored_and_bad_indices_link_nothing() {
        let d = doc("u", "Talks ended yesterday.", None, &["ended"]);
        let mut p = peer("u", 0, "2016-10-03", "2016-10-04");
        assert_eq!(estimate(&d, std::slice::from_ref(&p)), None);
        p.doc_id = "a".into();
        // An index past the document's events links nothing: only the weak
        // story-wide estimate is left.
        p.event = Some(9);
        let sd = estimate(&d, &[p]).expect("story estimate");
        assert_eq!((sd.date.as_str(), sd.confidence), ("2016-10-04", 0.2));
    }
}
