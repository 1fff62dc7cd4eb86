//! Placing undated events among dated ones by what the text says of their
//! order, never by giving them a date: "after the talks collapsed" (a cue
//! whose clause names a dated event of the same story), "had + participle"
//! (told as earlier than the report's other events) and, as weak evidence,
//! the order one report tells them in. An event the text relates to nothing
//! stays apart.

use super::{TimelineEntry, TimelineEvidence};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Which side of the anchor an undated event falls on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Before,
    After,
}

/// What the placement rests on, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    /// A temporal connective whose clause names the anchor event.
    Cue,
    /// The past perfect: told as earlier than the report's other events.
    Tense,
    /// Only the order one report tells the two events in (weak).
    DocumentOrder,
}

/// An undated event placed relative to a dated timeline entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Placement {
    pub side: Side,
    /// The dated entry's `order` and merged event.
    pub order: usize,
    pub event: String,
    pub strength: Strength,
    /// The words it rests on ("after the talks collapsed", "had agreed").
    pub cue: String,
    /// Where they are: the undated event's mention, the span of the cue.
    pub evidence: TimelineEvidence,
}

const CONNECTIVES: &[(&str, Side)] = &[
    ("after", Side::After),
    ("following", Side::After),
    ("since", Side::After),
    ("before", Side::Before),
    ("prior to", Side::Before),
    ("ahead of", Side::Before),
    ("until", Side::Before),
];

const STOP: &[&str] = &[
    "the",
    "a",
    "an",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "with",
    "and",
    "or",
    "its",
    "their",
    "his",
    "her",
    "that",
    "this",
    "these",
    "those",
    "which",
    "who",
    "was",
    "were",
    "been",
    "had",
    "has",
    "have",
    "said",
    "says",
    "would",
    "will",
    "from",
    "into",
    "over",
    "last",
    "week",
    "after",
    "before",
    "following",
    "since",
    "prior",
    "ahead",
    "until",
];

/// Content-word stems, so "talks collapsed" meets "the talk collapses".
fn stems(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        // Short words ("took", "most", "part") are too common to tell two
        // events' sentences apart.
        .filter(|w| w.chars().count() >= 5 && !STOP.contains(&w.as_str()))
        .map(|w| w.trim_end_matches('s').chars().take(6).collect())
        .collect()
}

/// Byte offsets of words in `s` (lower case), up to a clause end.
fn word_spans(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        let inside = c.is_alphanumeric() || c == '\'' || c == '-';
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(b)) => {
                out.push((b, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(b) = start {
        out.push((b, s.len()));
    }
    out
}

/// A connective and its clause: the side, and the clause's span (the
/// connective included) up to a punctuation mark or ten words.
fn connective(sentence: &str) -> Option<(Side, usize, usize)> {
    let lower = sentence.to_ascii_lowercase();
    let ws = word_spans(&lower);
    for (i, &(b, _)) in ws.iter().enumerate() {
        for (cue, side) in CONNECTIVES {
            let parts: Vec<&str> = cue.split(' ').collect();
            let matches = parts
                .iter()
                .enumerate()
                .all(|(k, p)| ws.get(i + k).is_some_and(|&(s, e)| &lower[s..e] == *p));
            if !matches {
                continue;
            }
            let first = i + parts.len();
            let Some(&(_, mut end)) = ws.get(first) else {
                continue;
            };
            for &(s, e) in ws.iter().skip(first + 1).take(9) {
                if lower[end..s].contains([',', ';', ':', '.', '(', ')', '"']) {
                    break;
                }
                end = e;
            }
            return Some((*side, b, end));
        }
    }
    None
}

/// "had agreed", "had been killed": the span of the first past perfect.
fn past_perfect(sentence: &str) -> Option<(usize, usize)> {
    let lower = sentence.to_ascii_lowercase();
    let ws = word_spans(&lower);
    ws.windows(2).find_map(|w| {
        let (had, next) = (&lower[w[0].0..w[0].1], &lower[w[1].0..w[1].1]);
        let participle = next == "been"
            || (next.len() > 3 && (next.ends_with("ed") || next.ends_with("en")))
            || matches!(
                next,
                "met"
                    | "made"
                    | "held"
                    | "said"
                    | "told"
                    | "left"
                    | "sent"
                    | "led"
                    | "fought"
                    | "struck"
                    | "brought"
                    | "built"
                    | "kept"
                    | "lost"
                    | "won"
                    | "put"
                    | "set"
                    | "cut"
                    | "hit"
                    | "begun"
                    | "done"
                    | "gone"
                    | "agreed"
            );
        (had == "had" && participle).then_some((w[0].0, w[1].1))
    })
}

fn evidence_at(m: &chronicle_store::EventMentionRow, start: usize, end: usize) -> TimelineEvidence {
    TimelineEvidence {
        document: m.document.clone(),
        outlet: m.outlet.clone(),
        start: m.start + start,
        end: m.start + end,
        sentence: m.sentence.clone(),
    }
}

/// Places each undated entry that the text relates to a dated one
/// (`dated` in timeline order, orders set); the others keep `placed: None`.
pub fn place(dated: &[TimelineEntry], undated: &mut [TimelineEntry]) {
    if undated.is_empty() {
        return;
    }
    // Where each dated entry is told, in the reports of undated ones only:
    // document → (position, entry, told in the past perfect).
    let reports: BTreeSet<String> = undated
        .iter()
        .flat_map(|u| u.mentions.iter().map(|m| m.document.clone()))
        .collect();
    let mut by_doc: BTreeMap<&str, Vec<(usize, usize, bool)>> = BTreeMap::new();
    let mut by_story: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, e) in dated.iter().enumerate() {
        by_story.entry(e.story.as_str()).or_default().push(i);
        for m in e.mentions.iter().filter(|m| reports.contains(&m.document)) {
            let perfect = m.sentence.as_deref().and_then(past_perfect).is_some();
            by_doc
                .entry(m.document.as_str())
                .or_default()
                .push((m.start, i, perfect));
        }
    }
    let mut stem_cache: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    for u in undated.iter_mut() {
        let mut best: Option<Placement> = None;
        for m in &u.mentions {
            let Some(sentence) = m.sentence.as_deref() else {
                continue;
            };
            let same_doc = by_doc.get(m.document.as_str());
            let found = by_cue(dated, &by_story, &mut stem_cache, u, m, sentence)
                .or_else(|| by_tense(dated, same_doc, m, sentence))
                .or_else(|| by_document_order(dated, same_doc, m));
            if let Some(p) = found {
                if best.as_ref().is_none_or(|b| p.strength < b.strength) {
                    best = Some(p);
                }
            }
        }
        u.placed = best;
    }
}

/// A connective whose clause shares two content words with the sentence of a
/// dated event of the same story (not the same sentence: its verb may be
/// the clause's own).
fn by_cue(
    dated: &[TimelineEntry],
    by_story: &BTreeMap<&str, Vec<usize>>,
    cache: &mut BTreeMap<usize, BTreeSet<String>>,
    u: &TimelineEntry,
    m: &chronicle_store::EventMentionRow,
    sentence: &str,
) -> Option<Placement> {
    let (side, start, end) = connective(sentence)?;
    let clause = stems(sentence.get(start..end)?);
    if clause.len() < 2 {
        return None;
    }
    let mut best: Option<(usize, bool, usize)> = None;
    for &i in by_story.get(u.story.as_str())? {
        let x = &dated[i];
        let Some(ev) = &x.evidence else { continue };
        if ev.document == m.document && ev.start == m.start {
            continue;
        }
        let words = cache
            .entry(i)
            .or_insert_with(|| stems(ev.sentence.as_deref().unwrap_or_default()));
        let shared = clause.intersection(words).count();
        let same_doc = x.mentions.iter().any(|o| o.document == m.document);
        let key = (shared, same_doc, usize::MAX - i);
        if shared >= 2 && best.is_none_or(|b| key > b) {
            best = Some(key);
        }
    }
    let (_, _, inv) = best?;
    let x = &dated[usize::MAX - inv];
    Some(Placement {
        side,
        order: x.order.unwrap_or_default(),
        event: x.event.clone(),
        strength: Strength::Cue,
        cue: sentence.get(start..end)?.to_string(),
        evidence: evidence_at(m, start, end),
    })
}

/// The past perfect: earlier than the nearest event the same report tells
/// in another sentence without it.
fn by_tense(
    dated: &[TimelineEntry],
    same_doc: Option<&Vec<(usize, usize, bool)>>,
    m: &chronicle_store::EventMentionRow,
    sentence: &str,
) -> Option<Placement> {
    let (start, end) = past_perfect(sentence)?;
    let &(_, i, _) = same_doc?
        .iter()
        .filter(|(pos, _, perfect)| *pos != m.start && !perfect)
        .min_by_key(|(pos, i, _)| (pos.abs_diff(m.start), *i))?;
    let x = &dated[i];
    Some(Placement {
        side: Side::Before,
        order: x.order.unwrap_or_default(),
        event: x.event.clone(),
        strength: Strength::Tense,
        cue: sentence.get(start..end)?.to_string(),
        evidence: evidence_at(m, start, end),
    })
}

/// Weak: after the dated event the same report tells last before it, else
/// before the one it tells first after it.
fn by_document_order(
    dated: &[TimelineEntry],
    same_doc: Option<&Vec<(usize, usize, bool)>>,
    m: &chronicle_store::EventMentionRow,
) -> Option<Placement> {
    let told = same_doc?;
    let earlier = told
        .iter()
        .filter(|(pos, _, _)| *pos < m.start)
        .max_by_key(|(pos, i, _)| (*pos, usize::MAX - i));
    let later = told
        .iter()
        .filter(|(pos, _, _)| *pos > m.start)
        .min_by_key(|(pos, i, _)| (*pos, *i));
    let (side, &(_, i, _)) = match (earlier, later) {
        (Some(e), _) => (Side::After, e),
        (None, Some(l)) => (Side::Before, l),
        _ => return None,
    };
    let x = &dated[i];
    Some(Placement {
        side,
        order: x.order.unwrap_or_default(),
        event: x.event.clone(),
        strength: Strength::DocumentOrder,
        cue: match side {
            Side::After => "told after it in the same report".into(),
            Side::Before => "told before it in the same report".into(),
        },
        evidence: evidence_at(m, 0, m.end.saturating_sub(m.start)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connective_takes_its_clause() {
        let s = "Russia resumed strikes after the talks collapsed, officials said.";
        let (side, b, e) = connective(s).unwrap();
        assert_eq!(side, Side::After);
        assert_eq!(&s[b..e], "after the talks collapsed");
        let s = "They met prior to the vote in Geneva.";
        let (side, b, e) = connective(s).unwrap();
        assert_eq!(
            (side, &s[b..e]),
            (Side::Before, "prior to the vote in Geneva")
        );
        assert_eq!(connective("No connective here."), None);
    }

    #[test]
    fn the_past_perfect_is_found_but_not_had_to() {
        let s = "Moscow had agreed to a pause.";
        let (b, e) = past_perfect(s).unwrap();
        assert_eq!(&s[b..e], "had agreed");
        assert_eq!(past_perfect("They had to leave."), None);
        let s = "The convoy had been hit twice.";
        let (b, e) = past_perfect(s).unwrap();
        assert_eq!(&s[b..e], "had been");
    }

    proptest::proptest! {
        #[test]
        fn cue_spans_stay_inside_the_sentence(s in "\\PC{0,80}( after | had [a-z]+ed |,)?\\PC{0,40}") {
            if let Some((_, b, e)) = connective(&s) {
                proptest::prop_assert!(b <= e && e <= s.len());
                proptest::prop_assert!(s.is_char_boundary(b) && s.is_char_boundary(e));
            }
            if let Some((b, e)) = past_perfect(&s) {
                proptest::prop_assert!(b < e && e <= s.len());
                proptest::prop_assert!(s.is_char_boundary(b) && s.is_char_boundary(e));
            }
        }
    }

    #[test]
    fn stems_fold_plurals_and_tenses() {
        let a = stems("after the talks collapsed");
        let b = stems("The talks collapse in Geneva");
        assert_eq!(a.intersection(&b).count(), 2);
    }
}
