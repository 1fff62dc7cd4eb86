//! The figures the reports of one timeline event give (a toll of 20 in one,
//! 25 in another), every version with its outlet and document: the timeline
//! never picks one.
//!
//! A claim counts an event the way the link pass ties them (`claim_events`):
//! it lies inside the span of a mention of the event, its sentence. The claims
//! are read per document from the store's claim rows, only for events whose
//! mentions in two or more outlets hold a number, so a timeline of thousands of
//! events reads a few documents' claims, not the story's. The grouping into
//! quantities and what counts as disagreeing are the story view's
//! (`chronicle_link::conflicts`), except places: the claims of one event are
//! grouped without them (their nesting needs the gazetteer, whose loading
//! alone would cost the timeline more than its whole query), and a group whose
//! figures name different places is shown but not called a disagreement.

use chronicle_core::Claim;
use chronicle_link::conflicts::{self, ClaimRef, FigureGroup};
use chronicle_store::{ClaimRow, EventMentionRow, MergedEventRow, Store, StoreError};
use std::collections::{BTreeMap, BTreeSet};

/// Whether a sentence can hold a count: a number word, or digits that are
/// not a date's ("3 October", "2016"). A cheap test that spares reading the
/// claims of reports whose sentences only date the event.
pub fn has_number(sentence: &str) -> bool {
    let words: Vec<&str> = sentence
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == ',' || c == '.'))
        .map(|w| w.trim_matches(|c: char| c == ',' || c == '.'))
        .filter(|w| !w.is_empty())
        .collect();
    let month = |i: Option<&&str>| {
        i.is_some_and(|w| chronicle_timex::month_number(&w.to_ascii_lowercase()).is_some())
    };
    words.iter().enumerate().any(|(i, w)| {
        if w.bytes().any(|b| b.is_ascii_digit()) {
            let year = w.len() == 4 && (w.starts_with("19") || w.starts_with("20"));
            let day = w.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d));
            let dated = day
                && (month(i.checked_sub(1).and_then(|p| words.get(p))) || month(words.get(i + 1)));
            !year && !dated
        } else {
            number_word(&w.to_ascii_lowercase())
        }
    })
}

fn number_word(w: &str) -> bool {
    const WORDS: &[&str] = &[
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "thousand",
        "million",
        "dozen",
    ];
    WORDS.contains(&w) || w.split_once('-').is_some_and(|(a, _)| WORDS.contains(&a))
}

/// The mentions of `e` that may carry a figure, when two outlets' do.
fn numbered(e: &MergedEventRow) -> Vec<&EventMentionRow> {
    let ms: Vec<&EventMentionRow> = e
        .mentions
        .iter()
        .filter(|m| m.sentence.as_deref().is_some_and(has_number))
        .collect();
    let outlets: BTreeSet<&str> = ms
        .iter()
        .map(|m| m.outlet.as_deref().unwrap_or(m.document.as_str()))
        .collect();
    if outlets.len() < 2 {
        return Vec::new();
    }
    ms
}

/// The figure groups of each event in `rows` whose versions differ, by merged
/// event id. Reads the claims of the documents of [`numbered`] mentions only.
pub fn read(
    store: &dyn Store,
    rows: &[MergedEventRow],
) -> Result<BTreeMap<String, Vec<FigureGroup>>, StoreError> {
    // Every report's claims in one read.
    let mut documents: Vec<String> = rows
        .iter()
        .flat_map(|e| numbered(e).into_iter().map(|m| m.document.clone()))
        .collect();
    documents.sort();
    documents.dedup();
    let claims_of = store.claims_of_documents(&documents)?;
    let mut out = BTreeMap::new();
    for e in rows {
        let ms = numbered(e);
        if ms.is_empty() {
            continue;
        }
        let mut refs = Vec::new();
        for m in ms {
            let Some(claims) = claims_of.get(&m.document) else {
                continue;
            };
            refs.extend(
                claims
                    .iter()
                    .filter(|c| c.doc_id == m.document && m.start <= c.start && c.end <= m.end)
                    .map(|c| claim_ref(c, m, &e.id)),
            );
        }
        let groups = differing(&refs);
        if !groups.is_empty() {
            out.insert(e.id.clone(), groups);
        }
    }
    Ok(out)
}

/// The groups of one event's claims told by two or more documents whose
/// values are not all the same (agreeing bounds included, marked by
/// `disagrees: false`).
pub fn differing(refs: &[ClaimRef]) -> Vec<FigureGroup> {
    let place_of: BTreeMap<(&str, usize), &str> = refs
        .iter()
        .filter_map(|c| {
            Some((
                (c.doc_id.as_str(), c.claim.start),
                c.claim.place.as_deref()?,
            ))
        })
        .collect();
    let unplaced: Vec<ClaimRef> = refs
        .iter()
        .cloned()
        .map(|mut c| {
            c.claim.place = None;
            c
        })
        .collect();
    conflicts::figure_groups(&unplaced)
        .into_iter()
        .filter(|g| g.spread > 0.0 || distinct_wording(g))
        .map(|mut g| {
            let mut places: Vec<&str> = Vec::new();
            for v in &g.values {
                if let Some(p) = place_of.get(&(v.document.as_str(), v.start)) {
                    if !places
                        .iter()
                        .any(|q| conflicts::place_key(q) == conflicts::place_key(p))
                    {
                        places.push(p);
                    }
                }
            }
            if places.len() > 1 {
                g.disagrees = false;
            }
            g.place = (!places.is_empty()).then(|| places.join(" / "));
            g
        })
        .collect()
}

/// "at least 20" and "20" are different versions though their values agree.
fn distinct_wording(g: &FigureGroup) -> bool {
    g.values
        .iter()
        .map(|v| v.qualifier.as_deref())
        .collect::<BTreeSet<_>>()
        .len()
        > 1
}

/// A claim row as the story's grouping reads it, from what the row and the
/// mention's sentence give (the report's headline figures from its title).
fn claim_ref(c: &ClaimRow, m: &EventMentionRow, event: &str) -> ClaimRef {
    let claim = Claim {
        start: c.start,
        end: c.end,
        text: c.text.clone(),
        value: c.value,
        qualifier: c.qualifier.clone(),
        kind: c.kind.clone(),
        subject: c.subject.clone(),
        claimant: c.claimant.clone(),
        place: c.place.clone(),
        time: c.time.clone(),
    };
    let told = c
        .title
        .as_deref()
        .map(conflicts::headline_figures)
        .and_then(|fs| {
            fs.into_iter()
                .find(|f| f.kind == claim.kind && (f.value - claim.value).abs() < 0.5)
        });
    ClaimRef {
        doc_id: c.doc_id.clone(),
        outlet: c.outlet.clone(),
        date: c.published.clone(),
        cumulative: conflicts::cumulative(m.sentence.as_deref().unwrap_or_default(), &claim)
            || war_toll(m.sentence.as_deref().unwrap_or_default(), &claim),
        merged_event: Some(event.to_string()),
        context_place: None,
        headline: told.is_some(),
        subject_hint: told
            .and_then(|f| f.subject)
            .filter(|_| claim.subject.is_none()),
        civilians_of_split: false,
        report_countries: Vec::new(),
        claim,
    }
}

/// "The war in Syria, which began in 2011, has killed more than 280000
/// people": a war's toll told beside an incident, which conflicts' phrases
/// miss when words come between the war and its verb.
fn war_toll(sentence: &str, claim: &Claim) -> bool {
    let lower = sentence.to_lowercase();
    claim.value >= 10_000.0
        && lower
            .split(|c: char| !c.is_alphabetic())
            .any(|w| matches!(w, "war" | "conflict" | "uprising"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(doc: &str, outlet: &str, value: f64, qualifier: Option<&str>) -> ClaimRef {
        ClaimRef {
            doc_id: doc.into(),
            outlet: Some(outlet.into()),
            date: Some("2016-10-13".into()),
            claim: Claim {
                start: 0,
                end: 2,
                text: format!("{value}"),
                value,
                qualifier: qualifier.map(str::to_string),
                kind: "KILL".into(),
                subject: Some("civilians".into()),
                claimant: None,
                place: Some("Aleppo".into()),
                time: None,
            },
            merged_event: Some("event-1".into()),
            cumulative: false,
            context_place: None,
            headline: false,
            subject_hint: None,
            civilians_of_split: false,
            report_countries: Vec::new(),
        }
    }

    #[test]
    fn every_version_of_a_figure_is_kept_with_its_outlet() {
        let g = differing(&[
            claim("a", "sana", 20.0, None),
            claim("b", "trt", 84.0, None),
        ]);
        assert_eq!(g.len(), 1);
        assert!(g[0].disagrees);
        let who: Vec<(&str, f64)> = g[0]
            .values
            .iter()
            .map(|v| (v.outlet.as_deref().unwrap_or(""), v.value))
            .collect();
        assert_eq!(who, [("sana", 20.0), ("trt", 84.0)]);
    }

    #[test]
    fn the_same_figure_is_no_disagreement_but_a_bound_is_a_version() {
        assert!(differing(&[
            claim("a", "sana", 20.0, None),
            claim("b", "trt", 20.0, None)
        ])
        .is_empty());
        let g = differing(&[
            claim("a", "sana", 20.0, Some("at least")),
            claim("b", "trt", 21.0, None),
        ]);
        assert_eq!(g.len(), 1);
        assert!(!g[0].disagrees);
    }

    #[test]
    fn figures_of_different_places_are_versions_but_no_disagreement() {
        let mut idlib = claim("b", "trt", 84.0, None);
        idlib.claim.place = Some("Idlib".into());
        let g = differing(&[claim("a", "sana", 20.0, None), idlib]);
        assert_eq!(g.len(), 1);
        assert!(!g[0].disagrees);
        assert_eq!(g[0].place.as_deref(), Some("Aleppo / Idlib"));
        let mut eastern = claim("b", "trt", 84.0, None);
        eastern.claim.place = Some("eastern Aleppo".into());
        let g = differing(&[claim("a", "sana", 20.0, None), eastern]);
        assert!(g[0].disagrees);
        assert_eq!(g[0].place.as_deref(), Some("Aleppo"));
    }

    #[test]
    fn a_war_toll_is_no_version_of_an_incident_figure() {
        let big = claim("c", "jordantimes", 280_000.0, Some("more than"));
        let s = "The war in Syria which began in 2011 has killed more than 280000 people.";
        assert!(war_toll(s, &big.claim));
        assert!(!war_toll(
            "Strikes killed 31 people.",
            &claim("a", "x", 31.0, None).claim
        ));
    }

    #[test]
    fn numbers_are_seen_in_digits_and_words() {
        assert!(has_number("At least 20 were killed."));
        assert!(has_number("Twenty-five people were killed."));
        assert!(has_number("five children died"));
        assert!(!has_number("Talks collapsed on Monday."));
        assert!(!has_number("Talks collapsed on 3 October 2016."));
        assert!(!has_number("Talks collapsed on October 3, 2016."));
        assert!(has_number("On 3 October 45 people died."));
    }
}
