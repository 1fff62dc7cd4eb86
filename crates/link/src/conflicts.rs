//! Conflicting figures: numeric claims about the same quantity, told by several
//! reports of a story, grouped; a group whose values cannot all be true is a
//! disagreement ("275,000 besieged" against "250,000 besieged").
//!
//! The same quantity means: the same kind (KILL, WOUND, BESIEGED, …), the same
//! subject class (people and civilians are one class; children, women and each
//! kind of combatant are others, so "12 people, including five children" is no
//! clash), the same incident (the same merged event when both claims have one,
//! else the same day: the claim's own day-level time, else its report's date)
//! and a compatible place (equal after folding "eastern", "province", …, or
//! unknown on one side).
//!
//! What is NOT a disagreement, by decision:
//! - cumulative tolls ("killed more than 280,000 since 2011", "the war's toll")
//!   are kept out of every group: they count a different quantity from an
//!   incident's toll and grow with time;
//! - bounds and approximations are intervals: "at least 20" is compatible with
//!   20 or 25 (a lower bound), "nearly 30" with 25, "about 100" with 95, "dozens"
//!   with 40; two figures disagree only when their intervals do not overlap;
//! - one document gives one figure per group (its first in reading order, the
//!   lead's), and values from the same outlet (its copies and updates) never
//!   disagree with each other;
//! - money, percentages and plain counts are not casualty figures.

use chronicle_core::{Claim, Document};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One claim as the story sees it: the claim, its report and, where coreference
/// found one, the merged event it counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimRef {
    pub doc_id: String,
    pub outlet: Option<String>,
    /// The report's publication date (`YYYY-MM-DD`).
    pub date: Option<String>,
    pub claim: Claim,
    pub merged_event: Option<String>,
    /// The claim's sentence counts since a start ("since 2011", "so far this
    /// year"), not an incident; set by [`claim_refs`].
    #[serde(default)]
    pub cumulative: bool,
}

/// One document's figure in a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FigureValue {
    pub value: f64,
    /// "at least", "nearly", … as the claim words it.
    pub qualifier: Option<String>,
    pub text: String,
    pub claimant: Option<String>,
    pub outlet: Option<String>,
    pub document: String,
    pub start: usize,
    pub end: usize,
    pub date: Option<String>,
}

/// Claims about one quantity from two or more documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FigureGroup {
    pub kind: String,
    /// The subject class: `people` (people, civilians, residents, none said),
    /// `children`, `women`, or the counted noun ("soldier", "militant").
    pub subject: String,
    /// The place as first named in the group (not folded).
    pub place: Option<String>,
    /// The incident's day when the group is keyed by day.
    pub time: Option<String>,
    pub merged_event: Option<String>,
    /// Sorted by value, then document.
    pub values: Vec<FigureValue>,
    /// Largest value minus smallest.
    pub spread: f64,
    /// Two outlets give figures that cannot both be true.
    pub disagrees: bool,
}

/// Kinds that count people something happened to.
const CASUALTY_KINDS: &[&str] = &[
    "KILL", "WOUND", "BESIEGED", "DISPLACE", "ARREST", "KIDNAP", "EVACUATE", "SICKEN",
];

/// The claims of `doc` as [`ClaimRef`]s (no merged event yet), each marked
/// cumulative or not from its sentence.
pub fn claim_refs(doc: &Document) -> Vec<ClaimRef> {
    doc.claims
        .iter()
        .map(|c| ClaimRef {
            doc_id: doc.id.clone(),
            outlet: doc.outlet.clone(),
            date: doc.published.as_ref().map(|p| p.date.clone()),
            claim: c.clone(),
            merged_event: None,
            cumulative: cumulative(sentence_of(doc, c.start, c.end), c),
        })
        .collect()
}

fn sentence_of(doc: &Document, start: usize, end: usize) -> &str {
    doc.sentences
        .iter()
        .find(|s| s.start <= start && end <= s.end)
        .and_then(|s| doc.text.get(s.start..s.end))
        .unwrap_or_else(|| doc.text.get(start..end).unwrap_or_default())
}

/// Whether a claim in `sentence` counts a running total rather than one
/// incident: "since 2011", "since the start of the war", "so far this year",
/// "the war has killed", "over the past five years", "in total".
pub fn cumulative(sentence: &str, claim: &Claim) -> bool {
    let s = sentence.to_lowercase();
    let words: Vec<&str> = s
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.contains(&w);
    let phrase = |p: &str| s.contains(p);
    let since = words.windows(2).any(|w| {
        w[0] == "since"
            && (w[1].len() == 4 && w[1].chars().all(|c| c.is_ascii_digit())
                || matches!(
                    w[1],
                    "the" | "its" | "it" | "march" | "january" | "beginning"
                ))
    });
    let war_subject = [
        "war has",
        "conflict has",
        "war that has",
        "conflict that has",
        "war, which has",
    ]
    .iter()
    .any(|p| phrase(p));
    let total = phrase("so far this year")
        || phrase("in total")
        || phrase("a total of")
        || phrase("death toll of the war")
        || phrase("toll of the conflict")
        || phrase("over the past")
        || phrase("over the last")
        || phrase("in the past")
        || (has("years") && (has("war") || has("conflict")) && claim.value >= 10_000.0);
    since || war_subject || total
}

/// The interval of counts a claim allows.
fn interval(c: &Claim) -> (f64, f64) {
    let v = c.value;
    if chronicle_quotes_vague(&c.text) {
        return (v, v * 10.0);
    }
    match c.qualifier.as_deref().unwrap_or("") {
        "at least" | "no fewer than" | "no less than" | "upwards of" | "more than" | "over"
        | "in excess of" | "or more" => (v, f64::INFINITY),
        "less than" | "fewer than" | "at most" | "up to" | "under" | "as many as" => (0.0, v),
        "nearly" | "almost" | "close to" => (v * 0.8, v),
        "about" | "around" | "roughly" | "approximately" | "some" | "an estimated"
        | "estimated" | "or so" => (v * 0.9, v * 1.1),
        _ => (v, v),
    }
}

/// "dozens", "hundreds", "scores": a vague count (the quotes crate's words,
/// repeated here as link does not depend on it).
fn chronicle_quotes_vague(text: &str) -> bool {
    text.split_whitespace().any(|w| {
        matches!(
            w.to_lowercase().trim_matches(|c: char| !c.is_alphabetic()),
            "dozens" | "hundreds" | "thousands" | "scores" | "several" | "dozen" | "tens" | "many"
        )
    })
}

fn overlap(a: (f64, f64), b: (f64, f64)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

/// The subject class of a claim (see [`FigureGroup::subject`]).
pub fn subject_class(subject: Option<&str>) -> String {
    let head = subject
        .and_then(|s| s.split_whitespace().last())
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .unwrap_or_default();
    match head.as_str() {
        "" | "people" | "person" | "persons" | "civilians" | "civilian" | "residents"
        | "individuals" | "villagers" | "them" | "others" | "victims" | "citizens" => {
            "people".into()
        }
        "children" | "child" | "kids" | "infants" | "boys" | "girls" | "minors" => {
            "children".into()
        }
        "women" | "woman" => "women".into(),
        h => h.strip_suffix('s').unwrap_or(h).to_string(),
    }
}

/// A place folded for comparison: lower case, letters only, compass and
/// administrative words dropped ("eastern Aleppo", "Aleppo province" → "aleppo").
pub fn place_key(place: &str) -> String {
    place
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| {
            !w.is_empty()
                && !matches!(
                    *w,
                    "the"
                        | "of"
                        | "eastern"
                        | "western"
                        | "northern"
                        | "southern"
                        | "central"
                        | "east"
                        | "west"
                        | "north"
                        | "south"
                        | "rural"
                        | "countryside"
                        | "province"
                        | "governorate"
                        | "city"
                        | "al"
                )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

/// The incident's day: the claim's own day-level time, else its report's date.
fn incident_day(c: &ClaimRef) -> Option<NaiveDate> {
    c.claim
        .time
        .as_deref()
        .and_then(day)
        .or_else(|| c.date.as_deref().and_then(day))
}

struct Draft<'a> {
    kind: &'a str,
    subject: String,
    place: Option<(String, String)>,
    day: Option<NaiveDate>,
    merged_event: Option<&'a str>,
    members: Vec<&'a ClaimRef>,
}

impl Draft<'_> {
    fn accepts(&self, c: &ClaimRef, subject: &str, place: Option<&str>) -> bool {
        if self.kind != c.claim.kind || self.subject != subject {
            return false;
        }
        if let (Some(p), Some((key, _))) = (place, &self.place) {
            if p != key {
                return false;
            }
        }
        match (self.merged_event, c.merged_event.as_deref()) {
            (Some(a), Some(b)) => a == b,
            _ => self.day.is_some() && self.day == incident_day(c),
        }
    }
}

/// Every group of casualty claims about one quantity told by two or more
/// documents, agreeing or not. Deterministic: claims are taken in (date,
/// document, position) order and each joins the first group it fits.
pub fn figure_groups(claims: &[ClaimRef]) -> Vec<FigureGroup> {
    let mut order: Vec<&ClaimRef> = claims
        .iter()
        .filter(|c| CASUALTY_KINDS.contains(&c.claim.kind.as_str()) && !c.cumulative)
        .filter(|c| c.claim.value > 0.0 && c.claim.value.is_finite())
        .collect();
    order.sort_by(|a, b| {
        (a.date.as_deref(), a.doc_id.as_str(), a.claim.start).cmp(&(
            b.date.as_deref(),
            b.doc_id.as_str(),
            b.claim.start,
        ))
    });
    let mut drafts: Vec<Draft> = Vec::new();
    for c in order {
        let subject = subject_class(c.claim.subject.as_deref());
        let place = c
            .claim
            .place
            .as_deref()
            .map(place_key)
            .filter(|p| !p.is_empty());
        match drafts
            .iter_mut()
            .find(|d| d.accepts(c, &subject, place.as_deref()))
        {
            // One figure per document and group: a document's later claim of the
            // quantity (a part, a restatement, an update) is not another voice.
            Some(d) if d.members.iter().any(|m| m.doc_id == c.doc_id) => {}
            Some(d) => {
                if d.place.is_none() {
                    d.place = place.zip(c.claim.place.clone());
                }
                if d.merged_event.is_none() {
                    d.merged_event = c.merged_event.as_deref();
                }
                d.members.push(c);
            }
            None => drafts.push(Draft {
                kind: c.claim.kind.as_str(),
                subject,
                place: place.zip(c.claim.place.clone()),
                day: incident_day(c),
                merged_event: c.merged_event.as_deref(),
                members: vec![c],
            }),
        }
    }
    drafts
        .into_iter()
        .filter(|d| d.members.len() >= 2)
        .map(finish)
        .collect()
}

fn finish(d: Draft) -> FigureGroup {
    let outlet = |c: &ClaimRef| c.outlet.clone().unwrap_or_else(|| c.doc_id.clone());
    let mut disagrees = false;
    for (i, a) in d.members.iter().enumerate() {
        for b in &d.members[i + 1..] {
            if outlet(a) != outlet(b) && !overlap(interval(&a.claim), interval(&b.claim)) {
                disagrees = true;
            }
        }
    }
    let mut values: Vec<FigureValue> = d
        .members
        .iter()
        .map(|c| FigureValue {
            value: c.claim.value,
            qualifier: c.claim.qualifier.clone(),
            text: c.claim.text.clone(),
            claimant: c.claim.claimant.clone(),
            outlet: c.outlet.clone(),
            document: c.doc_id.clone(),
            start: c.claim.start,
            end: c.claim.end,
            date: c.date.clone(),
        })
        .collect();
    values.sort_by(|a, b| {
        a.value
            .total_cmp(&b.value)
            .then_with(|| a.document.cmp(&b.document))
    });
    let spread = match (values.first(), values.last()) {
        (Some(lo), Some(hi)) => hi.value - lo.value,
        _ => 0.0,
    };
    FigureGroup {
        kind: d.kind.to_string(),
        subject: d.subject,
        place: d.place.map(|(_, shown)| shown),
        time: d.day.map(|x| x.format("%Y-%m-%d").to_string()),
        merged_event: d.merged_event.map(str::to_string),
        values,
        spread,
        disagrees,
    }
}

/// The groups of [`figure_groups`] whose figures disagree: what a story shows.
pub fn disagreements(claims: &[ClaimRef]) -> Vec<FigureGroup> {
    figure_groups(claims)
        .into_iter()
        .filter(|g| g.disagrees)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn claim(kind: &str, value: f64, qualifier: Option<&str>, subject: Option<&str>) -> Claim {
        Claim {
            start: 10,
            end: 20,
            text: format!("{value}"),
            value,
            qualifier: qualifier.map(str::to_string),
            kind: kind.into(),
            subject: subject.map(str::to_string),
            claimant: None,
            place: Some("Aleppo".into()),
            time: None,
        }
    }

    fn at(doc: &str, outlet: &str, date: &str, c: Claim) -> ClaimRef {
        ClaimRef {
            doc_id: doc.into(),
            outlet: Some(outlet.into()),
            date: Some(date.into()),
            claim: c,
            merged_event: None,
            cumulative: false,
        }
    }

    #[test]
    fn clashing_tolls_of_one_incident_disagree_with_their_spread() {
        let claims = [
            at(
                "a",
                "sana",
                "2016-10-13",
                claim("KILL", 13.0, None, Some("civilians")),
            ),
            at(
                "b",
                "trt",
                "2016-10-13",
                claim("KILL", 84.0, None, Some("people")),
            ),
            at(
                "c",
                "ahram",
                "2016-10-14",
                claim("KILL", 40.0, None, Some("people")),
            ),
        ];
        let d = disagreements(&claims);
        assert_eq!(d.len(), 1, "{d:?}");
        let values: Vec<(f64, &str)> = d[0]
            .values
            .iter()
            .map(|v| (v.value, v.document.as_str()))
            .collect();
        assert_eq!(values, vec![(13.0, "a"), (84.0, "b")]);
        assert_eq!(d[0].spread, 71.0);
        assert_eq!(d[0].time.as_deref(), Some("2016-10-13"));
    }

    #[test]
    fn bounds_subjects_kinds_and_one_outlet_are_not_disagreements() {
        let d = "2016-10-13";
        let cases = [
            // "at least 20" and 25: a lower bound met.
            vec![
                at("a", "x", d, claim("KILL", 20.0, Some("at least"), None)),
                at("b", "y", d, claim("KILL", 25.0, None, None)),
            ],
            // children against people: a part, not a rival figure.
            vec![
                at("a", "x", d, claim("KILL", 5.0, None, Some("children"))),
                at("b", "y", d, claim("KILL", 25.0, None, Some("people"))),
            ],
            // killed against wounded.
            vec![
                at("a", "x", d, claim("KILL", 5.0, None, None)),
                at("b", "y", d, claim("WOUND", 25.0, None, None)),
            ],
            // one outlet's copies.
            vec![
                at("a", "x", d, claim("KILL", 5.0, None, None)),
                at("b", "x", d, claim("KILL", 7.0, None, None)),
            ],
            // "about 100" and 95.
            vec![
                at("a", "x", d, claim("KILL", 100.0, Some("about"), None)),
                at("b", "y", d, claim("KILL", 95.0, None, None)),
            ],
            // another day.
            vec![
                at("a", "x", d, claim("KILL", 5.0, None, None)),
                at("b", "y", "2016-10-14", claim("KILL", 9.0, None, None)),
            ],
        ];
        for claims in cases {
            assert!(disagreements(&claims).is_empty(), "{claims:?}");
        }
        // "at least 20" against 12 is a disagreement.
        let low = [
            at("a", "x", d, claim("KILL", 20.0, Some("at least"), None)),
            at("b", "y", d, claim("KILL", 12.0, None, None)),
        ];
        assert_eq!(disagreements(&low).len(), 1);
    }

    #[test]
    fn other_places_and_cumulative_tolls_stay_apart() {
        let d = "2016-10-13";
        let mut idlib = claim("KILL", 9.0, None, None);
        idlib.place = Some("Idlib province".into());
        let mut unknown = claim("KILL", 30.0, None, None);
        unknown.place = None;
        let mut war = at(
            "c",
            "z",
            d,
            claim("KILL", 280_000.0, Some("more than"), None),
        );
        war.cumulative = true;
        let claims = [
            at("a", "x", d, claim("KILL", 5.0, None, None)),
            at("b", "y", d, idlib),
            war,
        ];
        assert!(figure_groups(&claims).is_empty());
        // No place on one side is compatible.
        let claims = [
            at("a", "x", d, claim("KILL", 5.0, None, None)),
            at("b", "y", d, unknown),
        ];
        assert_eq!(disagreements(&claims).len(), 1);
    }

    #[test]
    fn a_merged_event_groups_across_days() {
        let mut a = at(
            "a",
            "x",
            "2016-10-03",
            claim("BESIEGED", 275_000.0, None, None),
        );
        let mut b = at(
            "b",
            "y",
            "2016-10-05",
            claim("BESIEGED", 250_000.0, None, None),
        );
        a.merged_event = Some("m1".into());
        b.merged_event = Some("m1".into());
        let d = disagreements(&[a, b]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].merged_event.as_deref(), Some("m1"));
        assert_eq!(d[0].spread, 25_000.0);
    }

    #[test]
    fn cumulative_sentences_are_recognized() {
        let c = claim("KILL", 280_000.0, Some("more than"), None);
        assert!(cumulative(
            "The war has killed more than 280,000 people since 2011.",
            &c
        ));
        assert!(cumulative(
            "More than 280,000 people have died since the start of the conflict.",
            &c
        ));
        let c = claim("KILL", 13.0, None, None);
        assert!(!cumulative(
            "Air strikes killed 13 civilians in Aleppo on Thursday.",
            &c
        ));
    }

    #[test]
    fn groups_serialize_with_the_contract_fields() {
        let claims = [
            at("a", "x", "2016-10-13", claim("KILL", 5.0, None, None)),
            at("b", "y", "2016-10-13", claim("KILL", 9.0, None, None)),
        ];
        let g = serde_json::to_value(&disagreements(&claims)[0]).expect("json");
        assert_eq!(g["kind"], "KILL");
        for f in [
            "value", "claimant", "outlet", "document", "start", "end", "date",
        ] {
            assert!(g["values"][0].get(f).is_some(), "{f}: {g}");
        }
    }

    #[test]
    fn place_keys_fold_compass_and_admin_words() {
        assert_eq!(place_key("eastern Aleppo"), "aleppo");
        assert_eq!(place_key("Aleppo province"), "aleppo");
        assert_eq!(place_key("Deir Ezzor"), "deir ezzor");
    }

    proptest! {
        /// Figures keep their claim's span, every group has two documents at
        /// least and its spread is the range of its values, whatever the claims.
        #[test]
        fn groups_keep_spans_and_spreads(
            raw in proptest::collection::vec((0usize..4, 0usize..3, 1u32..60, 0usize..200), 0..12)
        ) {
            let claims: Vec<ClaimRef> = raw
                .iter()
                .enumerate()
                .map(|(i, &(doc, outlet, v, start))| {
                    let mut c = claim("KILL", f64::from(v), None, None);
                    c.start = start;
                    c.end = start + 1 + i;
                    at(&format!("d{doc}"), &format!("o{outlet}"), "2016-10-13", c)
                })
                .collect();
            for g in figure_groups(&claims) {
                prop_assert!(g.values.len() >= 2);
                let docs: std::collections::BTreeSet<&str> =
                    g.values.iter().map(|v| v.document.as_str()).collect();
                prop_assert_eq!(docs.len(), g.values.len());
                for v in &g.values {
                    prop_assert!(claims.iter().any(|c| c.doc_id == v.document
                        && c.claim.start == v.start && c.claim.end == v.end
                        && c.claim.value == v.value));
                }
                let lo = g.values.iter().map(|v| v.value).fold(f64::INFINITY, f64::min);
                let hi = g.values.iter().map(|v| v.value).fold(0.0, f64::max);
                prop_assert_eq!(g.spread, hi - lo);
            }
        }
    }
}
