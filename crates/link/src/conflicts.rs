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
//! - one document gives one figure per kind and class, in all groups: the
//!   civilians of a toll its sentence splits into civilians and fighters, else
//!   the one its headline states, else its first in reading order (the
//!   lead's) of the report's own incident; its other figures (an earlier raid,
//!   fighting elsewhere, a restatement) are background, not its account of
//!   another incident. Values from the same outlet (its copies and updates)
//!   never disagree with each other;
//! - a place is read in the countries its report names: a name the gazetteer
//!   only knows abroad ("Assad" in "Assad regime airstrikes", "Obama") is
//!   unknown words, compatible with any place, not a foreign division;
//! - a figure summed over places ("in Aleppo and Homs", a headline's "in Deir
//!   Ezzor Aleppo") is kept out like a running total;
//! - a headline's rounded bound ("more than 200 killed") gives way to the
//!   exact count its text gives within the bound ("at least 213 people");
//! - a figure's subject class may come from the report itself: the headline's
//!   noun for a bare number ("35 were killed" under "… kill 35 militants"), or
//!   the fighters the same number counts in another of its sentences;
//! - money, percentages and plain counts are not casualty figures.

use chronicle_core::{Claim, Document};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

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
    /// year") or over several places ("in Aleppo and Homs"), not one incident;
    /// set by [`claim_refs`].
    #[serde(default)]
    pub cumulative: bool,
    /// Where the claim's sentence, else the report's opening, places things
    /// below country level, for a claim that names no place or only a country;
    /// set by [`claim_refs`].
    #[serde(default)]
    pub context_place: Option<String>,
    /// The report's headline states this figure of this kind ("… kills 35"):
    /// the figure the report leads with, taken before the body's others; set
    /// by [`claim_refs`] from the document's title.
    #[serde(default)]
    pub headline: bool,
    /// What the report says elsewhere the figure counts: its headline, for a
    /// claim whose own sentence names nothing ("35 were killed" under "… kill
    /// 35 militants"), or the fighters the same number counts in another
    /// sentence ("executed 40 gunmen … In all 40 people were killed"); set by
    /// [`claim_refs`].
    #[serde(default)]
    pub subject_hint: Option<String>,
    /// The claim counts the civilians of a toll its sentence splits into
    /// civilians and fighters ("killed 15 civilians and 27 pro-government
    /// fighters"): the report's civilian figure, before a headline total
    /// that counts both; set by [`claim_refs`].
    #[serde(default)]
    pub civilians_of_split: bool,
    /// The countries (ISO3) the report names, the places of its claims are
    /// read in (see `Where::of_in`); set by [`claim_refs`].
    #[serde(default)]
    pub report_countries: Vec<String>,
}

/// What a claim's report says of it beyond the claim: the fields of
/// [`ClaimRef`] that [`claim_refs`] reads from the whole document. The link
/// step stores it with each claim, so a story's claims are rebuilt from rows
/// without reading its reports again.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClaimContext {
    #[serde(default, skip_serializing_if = "is_false")]
    pub cumulative: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_place: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub headline: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_hint: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub civilians_of_split: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub report_countries: Vec<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl ClaimRef {
    /// The part of this reference read from its document.
    pub fn context(&self) -> ClaimContext {
        ClaimContext {
            cumulative: self.cumulative,
            context_place: self.context_place.clone(),
            headline: self.headline,
            subject_hint: self.subject_hint.clone(),
            civilians_of_split: self.civilians_of_split,
            report_countries: self.report_countries.clone(),
        }
    }

    /// A reference rebuilt from a stored claim and its stored context: the
    /// same as [`claim_refs`] gave when the document was linked.
    pub fn from_context(
        doc_id: String,
        outlet: Option<String>,
        date: Option<String>,
        claim: Claim,
        merged_event: Option<String>,
        context: ClaimContext,
    ) -> ClaimRef {
        ClaimRef {
            doc_id,
            outlet,
            date,
            claim,
            merged_event,
            cumulative: context.cumulative,
            context_place: context.context_place,
            headline: context.headline,
            subject_hint: context.subject_hint,
            civilians_of_split: context.civilians_of_split,
            report_countries: context.report_countries,
        }
    }
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
pub const CASUALTY_KINDS: &[&str] = &[
    "KILL", "WOUND", "BESIEGED", "DISPLACE", "ARREST", "KIDNAP", "EVACUATE", "SICKEN",
];

/// The claims of `doc` as [`ClaimRef`]s (no merged event yet), each marked
/// cumulative or not from its sentence.
pub fn claim_refs(doc: &Document) -> Vec<ClaimRef> {
    let figures = doc
        .title
        .as_deref()
        .map(headline_figures)
        .unwrap_or_default();
    let countries = report_countries(doc);
    let mut refs: Vec<ClaimRef> = doc
        .claims
        .iter()
        .map(|c| {
            let told = figures
                .iter()
                .find(|f| f.kind == c.kind && (f.value - c.value).abs() < 0.5);
            ClaimRef {
                doc_id: doc.id.clone(),
                outlet: doc.outlet.clone(),
                date: doc.published.as_ref().map(|p| p.date.clone()),
                claim: c.clone(),
                merged_event: None,
                cumulative: cumulative(sentence_of(doc, c.start, c.end), c)
                    || several_places(doc, c)
                    || joins_divisions(sentence_of(doc, c.start, c.end), &countries)
                    || (told.is_some()
                        && doc
                            .title
                            .as_deref()
                            .is_some_and(|t| joins_divisions(t, &countries))),
                context_place: context_place(doc, c),
                headline: told.is_some(),
                subject_hint: subject_hint(doc, c, told),
                civilians_of_split: civilians_of_split(doc, c),
                report_countries: countries.clone(),
            }
        })
        .collect();
    refine_headline(&mut refs);
    refs
}

/// A headline rounds its toll to a bound ("more than 200 killed", "nearly 30
/// dead") that the report's text gives exactly ("killed at least 213
/// people"): the exact count, the first within the bound, is the report's
/// figure.
fn refine_headline(refs: &mut [ClaimRef]) {
    for h in 0..refs.len() {
        let head = &refs[h];
        let v = head.claim.value;
        let round = v >= 10.0 && v % 10.0 == 0.0;
        let (lo, hi) = match head.claim.qualifier.as_deref() {
            Some("more than" | "over" | "upwards of" | "in excess of") => (v + 0.5, v * 1.25),
            Some("nearly" | "almost" | "close to") => (v * 0.8, v - 0.5),
            _ => continue,
        };
        if !head.headline || !round {
            continue;
        }
        let class = ref_class(head);
        let exact = refs.iter().enumerate().find(|(i, r)| {
            *i != h
                && !r.headline
                && !r.cumulative
                && r.claim.kind == head.claim.kind
                && ref_class(r) == class
                && (lo..=hi).contains(&r.claim.value)
                && !chronicle_quotes_vague(&r.claim.text)
        });
        if let Some((i, _)) = exact {
            refs[i].headline = true;
            refs[h].headline = false;
        }
    }
}

/// See [`ClaimRef::subject_hint`]: a figure of people that the headline or
/// another sentence of the report gives as fighters counts the fighters.
fn subject_hint(doc: &Document, c: &Claim, told: Option<&HeadlineFigure>) -> Option<String> {
    let fighters = |s: &str| !PEOPLE_CLASSES.contains(&subject_class(Some(s)).as_str());
    let from_headline = told.and_then(|f| f.subject.clone());
    if c.subject.is_none() && from_headline.is_some() {
        return from_headline;
    }
    if claim_class(c) != "people" {
        return None;
    }
    from_headline.filter(|s| fighters(s)).or_else(|| {
        doc.claims
            .iter()
            .filter(|o| o.kind == c.kind && (o.value - c.value).abs() < 0.5)
            .filter_map(|o| o.subject.as_deref())
            .find(|s| fighters(s))
            .map(str::to_string)
    })
}

/// The countries a report names: those of its place names that are a
/// country's, else the countries of the places it names whole (never of one
/// word of a longer name, which the gazetteer may find anywhere).
fn report_countries(doc: &Document) -> Vec<String> {
    let Ok(gazetteer) = chronicle_geo::Gazetteer::embedded() else {
        return Vec::new();
    };
    let places: Vec<chronicle_geo::Place> = doc
        .entities
        .iter()
        .filter(|e| e.label == "LOC")
        .filter_map(|e| gazetteer.lookup(&e.text, &[]))
        .collect();
    let named = |countries_only: bool| {
        let mut out: Vec<String> = places
            .iter()
            .filter(|p| !countries_only || p.kind == chronicle_geo::PlaceKind::Country)
            .map(|p| p.country.iso3.clone())
            .collect();
        out.sort();
        out.dedup();
        out
    };
    let countries = named(true);
    if countries.is_empty() {
        named(false)
    } else {
        countries
    }
}

/// See [`ClaimRef::civilians_of_split`].
fn civilians_of_split(doc: &Document, c: &Claim) -> bool {
    let civilians = c
        .subject
        .as_deref()
        .and_then(|s| s.split_whitespace().last())
        .is_some_and(|h| matches!(h.to_lowercase().as_str(), "civilians" | "civilian"));
    if !civilians || claim_class(c) != "people" {
        return false;
    }
    let Some(s) = doc
        .sentences
        .iter()
        .find(|s| s.start <= c.start && c.end <= s.end)
    else {
        return false;
    };
    doc.claims.iter().any(|o| {
        o.kind == c.kind
            && s.start <= o.start
            && o.end <= s.end
            && !PEOPLE_CLASSES.contains(&claim_class(o).as_str())
    })
}

/// Classes that count people a civilian toll counts, or part of them.
const PEOPLE_CLASSES: &[&str] = &["people", "children", "women", "others", "part"];

/// A casualty figure a headline states: "Air raid kills 19 Syrians", "Two
/// children killed 5 others injured", "Death toll … rises to 112".
#[derive(Debug, Clone, PartialEq)]
pub struct HeadlineFigure {
    pub value: f64,
    /// `KILL` or `WOUND`.
    pub kind: &'static str,
    /// The words between the number and its verb or after it ("Syrians",
    /// "Daesh Militants"), if any.
    pub subject: Option<String>,
}

fn casualty_word(w: &str) -> Option<&'static str> {
    match w {
        "kill" | "kills" | "killed" | "killing" | "dead" | "die" | "dies" | "died" | "death"
        | "deaths" | "toll" | "martyrs" | "martyred" | "massacre" | "massacred" => Some("KILL"),
        "injure" | "injures" | "injured" | "injuring" | "wound" | "wounds" | "wounded"
        | "wounding" | "hurt" => Some("WOUND"),
        _ => None,
    }
}

/// Words after a number that end its phrase: what follows is another part of
/// the headline ("kills 35 and wounds dozens", "kills 19 in Idlib").
fn ends_phrase(w: &str) -> bool {
    matches!(
        w,
        "and"
            | "in"
            | "as"
            | "after"
            | "at"
            | "on"
            | "near"
            | "from"
            | "by"
            | "with"
            | "for"
            | "to"
            | "while"
            | "amid"
            | "since"
            | "during"
            | "across"
            | "over"
            | "inside"
    )
}

fn headline_number(w: &str) -> Option<f64> {
    if w.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        let digits: String = w.chars().filter(|c| *c != ',').collect();
        return digits.parse::<f64>().ok().filter(|v| v.fract() == 0.0);
    }
    chronicle_quotes::cardinal_word(w)
}

/// The casualty figures a headline states, each tied to the verb of its own
/// phrase: the casualty word right after the number and its noun ("5 others
/// injured"), else the one just before it ("kills at least 19").
pub fn headline_figures(title: &str) -> Vec<HeadlineFigure> {
    let words: Vec<String> = title
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let Some(value) = headline_number(w) else {
            continue;
        };
        let mut subject: Vec<&str> = Vec::new();
        let mut kind = None;
        for next in words.iter().skip(i + 1).take(4) {
            if let Some(k) = casualty_word(next) {
                kind = Some(k);
                break;
            }
            if ends_phrase(next) || headline_number(next).is_some() {
                break;
            }
            subject.push(next);
        }
        if kind.is_none() {
            kind = words[..i]
                .iter()
                .rev()
                .take(4)
                .take_while(|p| headline_number(p).is_none())
                .find_map(|p| casualty_word(p));
        }
        if let Some(kind) = kind {
            out.push(HeadlineFigure {
                value,
                kind,
                subject: (!subject.is_empty()).then(|| subject.join(" ")),
            });
        }
    }
    out
}

/// The subject class of a claim as its report tells it: the claim's own
/// ([`claim_class`]), or its [`ClaimRef::subject_hint`]'s.
pub fn ref_class(c: &ClaimRef) -> String {
    match &c.subject_hint {
        Some(s) => subject_class(Some(s)),
        None => claim_class(&c.claim),
    }
}

/// Whether the claim's sentence joins two different divisions ("in Aleppo and
/// Homs", "Damascus & Aleppo"): its figure is a sum over places, not any one
/// incident's toll, so it is kept out like a running total.
fn several_places(doc: &Document, c: &Claim) -> bool {
    let Some(s) = doc
        .sentences
        .iter()
        .find(|s| s.start <= c.start && c.end <= s.end)
    else {
        return false;
    };
    let locs: Vec<&chronicle_core::Entity> = doc
        .entities
        .iter()
        .filter(|e| e.label == "LOC" && s.start <= e.start && e.end <= s.end)
        .collect();
    locs.windows(2).any(|w| {
        let between = doc.text.get(w[0].end..w[1].start).unwrap_or("x").trim();
        let joined = matches!(between, "and" | "&" | "," | "" | "and in" | ", and");
        let (a, b) = (Where::of(&w[0].text), Where::of(&w[1].text));
        joined
            && matches!(
                (&a, &b),
                (Some(Where::Division(x, p)), Some(Where::Division(y, q))) if (x, p) != (y, q)
            )
    })
}

/// Whether a phrase after "in" names two first-level divisions in a row
/// ("in Deir Ezzor Aleppo", "in Damascus & Aleppo"): headlines sum an
/// outlet's roundup over places, and the tagger, reading title case, often
/// misses one of the names, so the words are matched against the gazetteer
/// itself, the longest name first. Only divisions of one country the report
/// names (`countries`, ISO3; none known = any) count: a capitalised word the
/// gazetteer finds abroad is no second place.
pub fn joins_divisions(text: &str, countries: &[String]) -> bool {
    let Ok(gazetteer) = chronicle_geo::Gazetteer::embedded() else {
        return false;
    };
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '&' && c != '-'))
        .filter(|w| !w.is_empty())
        .collect();
    let prefer: Vec<&str> = countries.iter().map(String::as_str).collect();
    let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let joiner = |w: &str| matches!(w, "&" | "and");
    let mut i = 0;
    while i < words.len() {
        if !words[i].eq_ignore_ascii_case("in") {
            i += 1;
            continue;
        }
        // The run of names after "in", with their joiners.
        let run: Vec<&str> = words[i + 1..]
            .iter()
            .copied()
            .take_while(|w| capital(w) || joiner(w))
            .collect();
        i += 1 + run.len();
        let mut divisions: Vec<(String, String)> = Vec::new();
        let mut j = 0;
        while j < run.len() {
            let found = (1..=3).rev().find_map(|n| {
                let names = run.get(j..j + n)?;
                if names.iter().any(|w| joiner(w)) {
                    return None;
                }
                let p = gazetteer.lookup(&names.join(" "), &prefer)?;
                let a = p.adm1?;
                let known = countries.is_empty() || countries.contains(&p.country.iso3);
                (known && p.kind != chronicle_geo::PlaceKind::Country)
                    .then(|| (n, (p.country.iso3.clone(), a.code.clone())))
            });
            match found {
                Some((n, d)) => {
                    if !divisions.contains(&d) {
                        divisions.push(d);
                    }
                    j += n;
                }
                None => j += 1,
            }
        }
        let two_in_one_country = divisions
            .iter()
            .enumerate()
            .any(|(k, a)| divisions[k + 1..].iter().any(|b| b.0 == a.0));
        if two_in_one_country {
            return true;
        }
    }
    false
}

/// The place a claim without one most likely counts in: the first place entity of
/// its sentence the gazetteer knows below country level, else the first such in
/// the report (news leads say where).
fn context_place(doc: &Document, c: &Claim) -> Option<String> {
    let gazetteer = chronicle_geo::Gazetteer::embedded().ok()?;
    let local = |e: &&chronicle_core::Entity| {
        e.label == "LOC"
            && gazetteer
                .lookup(&e.text, &[])
                .is_some_and(|p| p.kind != chronicle_geo::PlaceKind::Country)
    };
    let sentence = doc
        .sentences
        .iter()
        .find(|s| s.start <= c.start && c.end <= s.end);
    sentence
        .and_then(|s| {
            doc.entities
                .iter()
                .filter(|e| s.start <= e.start && e.end <= s.end)
                .find(local)
        })
        .or_else(|| doc.entities.iter().find(local))
        .map(|e| e.text.clone())
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
    // "since 2011", "since the conflict erupted", "since Monday": a running total.
    let since = has("since");
    let war_subject = [
        "war has",
        "conflict has",
        "war that has",
        "conflict that has",
        "war, which has",
    ]
    .iter()
    .any(|p| phrase(p));
    let total = phrase("so far")
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

/// How far past its number a bound is still read as agreeing: "more than 30"
/// agrees with 31, "at least 20" does not with 25.
pub const BOUND_SLACK: f64 = 0.10;

/// The interval of counts a claim is read as. News states a toll confirmed so
/// far as a bound ("at least 19 killed"), so a bound is read as its number
/// plus a little slack in its direction, not as the open interval logic would
/// give: "at least 19" against 69 is a disagreement a reader sees, and "at
/// least 18" against "at least 45" is one too. Approximations ("about",
/// "some") allow 10% either way, "nearly" 20% below; vague counts are kept out
/// of groups before this.
fn interval(c: &Claim) -> (f64, f64) {
    let v = c.value;
    let slack = (v * BOUND_SLACK).max(1.0);
    match c.qualifier.as_deref().unwrap_or("") {
        "at least" | "no fewer than" | "no less than" | "upwards of" | "more than" | "over"
        | "in excess of" | "or more" => (v, v + slack),
        "less than" | "fewer than" | "at most" | "up to" | "under" | "as many as" => (v - slack, v),
        "nearly" | "almost" | "close to" => (v * 0.8, v),
        "about" | "around" | "roughly" | "approximately" | "some" | "an estimated"
        | "estimated" | "or so" => (v * 0.9, v * 1.1),
        _ => (v, v),
    }
}

/// Whether two figures cannot both be true as read (see [`interval`]).
fn intervals_clash((lo_a, hi_a): (f64, f64), (lo_b, hi_b): (f64, f64)) -> bool {
    lo_a > hi_b || lo_b > hi_a
}

/// "dozens", "hundreds", "scores": a vague count (the quotes crate's words,
/// repeated here as link does not depend on it).
/// "dozens", "hundreds", "several": a count with no number to hold against another.
pub fn chronicle_quotes_vague(text: &str) -> bool {
    text.split_whitespace().any(|w| {
        matches!(
            w.to_lowercase().trim_matches(|c: char| !c.is_alphabetic()),
            "dozens" | "hundreds" | "thousands" | "scores" | "several" | "dozen" | "tens" | "many"
        )
    })
}

/// The subject class of a claim (see [`FigureGroup::subject`]).
pub fn subject_class(subject: Option<&str>) -> String {
    // "5 others", "another 65 people", "two other persons": counted beside a
    // first figure, never the toll itself.
    let first = subject
        .and_then(|s| s.split_whitespace().next())
        .map(str::to_lowercase)
        .unwrap_or_default();
    if matches!(first.as_str(), "other" | "others" | "another" | "more") {
        return "others".into();
    }
    // "19 Syrians", "6 Lebanese": people named by their nation.
    let last = subject
        .and_then(|s| s.split_whitespace().last())
        .unwrap_or("");
    if last.chars().next().is_some_and(char::is_uppercase)
        && ["ans", "is", "ese"].iter().any(|e| last.ends_with(e))
    {
        return "people".into();
    }
    let head = subject
        .and_then(|s| s.split_whitespace().last())
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .unwrap_or_default();
    match head.as_str() {
        "" | "people" | "person" | "persons" | "civilians" | "civilian" | "residents"
        | "individuals" | "villagers" | "them" | "victims" | "citizens" => "people".into(),
        "children" | "child" | "kids" | "infants" | "boys" | "girls" | "minors" => {
            "children".into()
        }
        "women" | "woman" => "women".into(),
        h => {
            let one = h.strip_suffix('s').unwrap_or(h);
            // Bodies recovered are counted by who digs, not who died when.
            if COMBATANTS.contains(&one) || matches!(h, "gunmen" | "bodies" | "corpses") {
                one.to_string()
            } else {
                // Medics, aid workers, students, worshippers: people a toll counts.
                "people".into()
            }
        }
    }
}

/// Heads that count fighters, not the people a civilian toll counts; each is
/// its own class ("soldier", "militant").
const COMBATANTS: &[&str] = &[
    "soldier",
    "troop",
    "fighter",
    "militant",
    "rebel",
    "gunman",
    "terrorist",
    "jihadist",
    "insurgent",
    "combatant",
    "officer",
    "policeman",
    "guard",
    "personnel",
    "recruit",
    "commander",
    "member",
    "militiamen",
    "militia",
    "mercenarie",
    "extremist",
    "loyalist",
    "servicemen",
    "pilot",
    "sniper",
    "attacker",
    "bomber",
    "army",
    "force",
];

/// The subject class of a claim: "another 65 people" and "5 others" are
/// `others`; else [`subject_class`] of its subject.
pub fn claim_class(c: &Claim) -> String {
    let first = c
        .text
        .split_whitespace()
        .next()
        .map(str::to_lowercase)
        .unwrap_or_default();
    if matches!(first.as_str(), "another" | "other") {
        return "others".into();
    }
    // "14 of the victims", "three of them": part of a figure given elsewhere
    // (a vague "dozens of people" is a count of its own).
    let of = c
        .text
        .split_whitespace()
        .skip(1)
        .take(2)
        .any(|w| w.eq_ignore_ascii_case("of"));
    if of && !chronicle_quotes_vague(&c.text) {
        return "part".into();
    }
    subject_class(c.subject.as_deref())
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

/// Where a claim happened, as far as the bundled gazetteer tells: a country, a
/// first-level division (a city counts as its division: Aleppo city and Aleppo
/// governorate are one place for a toll), or only the folded words.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Where {
    Country(String),
    Division(String, String),
    Words(String),
}

impl Where {
    fn of(place: &str) -> Option<Where> {
        Where::of_in(place, &[])
    }

    /// [`Where::of`] as read in a report that names `countries` (ISO3; none
    /// known = any): a name the gazetteer only knows in a country the report
    /// never names ("Assad" in Qatar, "Obama" in Japan, "Tuman" in Germany in
    /// a report from Syria) is a word the tagger took for a place, or a
    /// village the gazetteer lacks, so it stays unknown words.
    fn of_in(place: &str, countries: &[String]) -> Option<Where> {
        let gazetteer = chronicle_geo::Gazetteer::embedded().ok();
        let prefer: Vec<&str> = countries.iter().map(String::as_str).collect();
        // The words whole, then each word alone, then without a possessive s
        // whose apostrophe was lost ("Syrias Idlib" → "Idlib", "Syrias" → "Syria").
        let words: Vec<&str> = place.split_whitespace().collect();
        let mut tries: Vec<String> = vec![place.to_string()];
        if words.len() > 1 {
            tries.extend(words.iter().rev().map(|w| w.to_string()));
        }
        tries.extend(
            words
                .iter()
                .rev()
                .filter_map(|w| w.strip_suffix('s').filter(|r| r.len() > 2))
                .map(str::to_string),
        );
        let found = gazetteer
            .and_then(|g| tries.iter().find_map(|t| g.lookup(t, &prefer)))
            .filter(|p| countries.is_empty() || countries.contains(&p.country.iso3));
        if let Some(p) = found {
            let country = p.country.iso3.clone();
            return Some(match (p.kind, p.adm1) {
                (chronicle_geo::PlaceKind::Country, _) | (_, None) => Where::Country(country),
                (_, Some(a)) => Where::Division(country, a.code.clone()),
            });
        }
        Some(Where::Words(place_key(place))).filter(|w| w != &Where::Words(String::new()))
    }

    /// A country holds its divisions; words the gazetteer does not know (a
    /// neighbourhood, a village) may lie anywhere a known place is, but two
    /// different unknown names are two places.
    fn compatible(&self, other: &Where) -> bool {
        use Where::*;
        match (self, other) {
            (Country(a), Country(b) | Division(b, _)) | (Division(b, _), Country(a)) => a == b,
            (Division(a, x), Division(b, y)) => a == b && x == y,
            (Words(a), Words(b)) => a == b,
            (Words(_), _) | (_, Words(_)) => true,
        }
    }
}

fn day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

/// How far a claim's own day may lie from its report's date and still be taken
/// for the report's incident: the nearest time expression of a sentence often
/// dates something else, so only a clearly other time (another month) splits.
const SAME_INCIDENT_DAYS: i64 = 30;

/// The incident a claim counts, as a time key: the report's date, unless the
/// claim's own time says it is another, earlier or later incident ("an attack
/// in July left 270 dead", "on 3 March" in an April report): then that day or
/// month. Reports of one incident are dated within a few days of it, so the
/// report's date keys them together even when one says "yesterday".
fn incident(c: &ClaimRef) -> Option<String> {
    let published = c.date.as_deref().and_then(day);
    let own = c.claim.time.as_deref().unwrap_or("");
    let own_day = day(own);
    let own_month = own.get(..7).filter(|m| {
        own.len() == 7 && m.as_bytes()[4] == b'-' && m[..4].bytes().all(|b| b.is_ascii_digit())
    });
    match (published, own_day, own_month) {
        (Some(p), Some(d), _) if (p - d).num_days().abs() > SAME_INCIDENT_DAYS => Some(iso(d)),
        (Some(p), None, Some(m)) if iso(p).get(..7) != Some(m) => Some(m.to_string()),
        (Some(p), _, _) => Some(iso(p)),
        (None, Some(d), _) => Some(iso(d)),
        (None, None, _) => None,
    }
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

struct Draft<'a> {
    kind: &'a str,
    subject: String,
    /// The first place named, as the text gives it.
    place: Option<String>,
    /// Every distinct place its members name.
    wheres: Vec<Where>,
    incident: Option<String>,
    merged_event: Option<&'a str>,
    members: Vec<&'a ClaimRef>,
    /// Its members' documents: one figure per document and group.
    documents: std::collections::HashSet<&'a str>,
}

/// A casualty claim with the keys grouping reads from it, each computed
/// once: the incident needs date parsing and formatting, and a large story
/// holds thousands of claims compared with hundreds of groups.
struct Keyed<'a> {
    claim: &'a ClaimRef,
    incident: Option<String>,
    of_the_report: bool,
    class: String,
}

impl Draft<'_> {
    /// Whether a claim of the draft's kind and class joins it.
    fn accepts(&self, c: &Keyed, place: Option<&Where>) -> bool {
        if let Some(p) = place {
            if !self.wheres.iter().all(|w| w.compatible(p)) {
                return false;
            }
        }
        match (self.merged_event, c.claim.merged_event.as_deref()) {
            (Some(a), Some(b)) => a == b,
            _ => self.incident.is_some() && self.incident == c.incident,
        }
    }
}

/// Every group of casualty claims about one quantity told by two or more
/// documents, agreeing or not. Deterministic: claims are taken in (date,
/// document, position) order and each joins the first group it fits.
pub fn figure_groups(claims: &[ClaimRef]) -> Vec<FigureGroup> {
    let order: Vec<&ClaimRef> = claims
        .iter()
        .filter(|c| CASUALTY_KINDS.contains(&c.claim.kind.as_str()) && !c.cumulative)
        .filter(|c| c.claim.value > 0.0 && c.claim.value.is_finite())
        // "dozens", "hundreds": no number to hold against another.
        .filter(|c| !chronicle_quotes_vague(&c.claim.text))
        .collect();
    let classes: Vec<String> = order.iter().map(|c| ref_class(c)).collect();
    // A part stated alone ("two children were killed", no toll of people
    // beside it) is the document's whole figure for that kind.
    let whole: std::collections::HashSet<(&str, &str)> = order
        .iter()
        .zip(&classes)
        .filter(|(_, k)| k.as_str() == "people")
        .map(|(c, _)| (c.doc_id.as_str(), c.claim.kind.as_str()))
        .collect();
    let mut keyed: Vec<Keyed> = order
        .into_iter()
        .zip(classes)
        .map(|(c, k)| {
            let part = matches!(k.as_str(), "children" | "women");
            let class = if part && !whole.contains(&(c.doc_id.as_str(), c.claim.kind.as_str())) {
                "people".to_string()
            } else {
                k
            };
            let incident = incident(c);
            let report = c.date.as_deref().and_then(day).map(iso);
            Keyed {
                claim: c,
                of_the_report: report.is_none() || incident == report,
                incident,
                class,
            }
        })
        .collect();
    // A document's headline figure first: the lead may open with another
    // number (an earlier raid, a part) while the headline states the toll.
    // Then its figures of the report's own incident before those its
    // sentence dates to another month ("an attack in July left 270 dead").
    fn sort_key<'k>(k: &'k Keyed) -> (Option<&'k str>, &'k str, bool, bool, bool, usize) {
        let c = k.claim;
        (
            c.date.as_deref(),
            c.doc_id.as_str(),
            !c.civilians_of_split,
            !c.headline,
            !k.of_the_report,
            c.claim.start,
        )
    }
    keyed.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
    // One figure per document, kind and class: the one it leads with. A
    // report tells one incident; its other figures of that kind (an earlier
    // raid, the toll of fighting elsewhere, a restatement) are background,
    // not its account of another incident.
    let mut seen = std::collections::HashSet::new();
    keyed.retain(|k| {
        seen.insert((
            k.claim.doc_id.as_str(),
            k.claim.claim.kind.as_str(),
            k.class.clone(),
        ))
    });
    let mut drafts: Vec<Draft> = Vec::new();
    // Drafts by kind and class, in the order they were opened: a claim joins
    // the first of its own kind and class that accepts it.
    let mut by_quantity: HashMap<(&str, String), Vec<usize>> = HashMap::new();
    for k in keyed {
        let c = k.claim;
        let of = |p: &str| Where::of_in(p, &c.report_countries);
        let own = c.claim.place.as_deref().and_then(of);
        // The report's local place stands in for a bare country only when it
        // lies in that country: "2 leaders killed in Afghanistan" in a report
        // from Raqqa is not a Raqqa toll.
        let place = match own {
            Some(Where::Country(_)) | None => c
                .context_place
                .as_deref()
                .and_then(of)
                .filter(|w| own.as_ref().is_none_or(|o| o.compatible(w)))
                .or(own),
            local => local,
        };
        let same = by_quantity
            .entry((c.claim.kind.as_str(), k.class.clone()))
            .or_default();
        match same
            .iter()
            .copied()
            .find(|&i| drafts[i].accepts(&k, place.as_ref()))
        {
            // One figure per document and group: a document's later claim of the
            // quantity (a part, a restatement, an update) is not another voice.
            Some(i) if drafts[i].documents.contains(c.doc_id.as_str()) => {}
            Some(i) => {
                let d = &mut drafts[i];
                if d.place.is_none() {
                    d.place = c.claim.place.clone();
                }
                if let Some(p) = place {
                    if !d.wheres.contains(&p) {
                        d.wheres.push(p);
                    }
                }
                if d.merged_event.is_none() {
                    d.merged_event = c.merged_event.as_deref();
                }
                d.documents.insert(c.doc_id.as_str());
                d.members.push(c);
            }
            None => {
                same.push(drafts.len());
                drafts.push(Draft {
                    kind: c.claim.kind.as_str(),
                    subject: k.class,
                    place: c.claim.place.clone(),
                    wheres: place.into_iter().collect(),
                    incident: k.incident,
                    merged_event: c.merged_event.as_deref(),
                    members: vec![c],
                    documents: std::iter::once(c.doc_id.as_str()).collect(),
                })
            }
        }
    }
    drafts
        .into_iter()
        .filter(|d| d.members.len() >= 2)
        .map(finish)
        .collect()
}

fn finish(d: Draft) -> FigureGroup {
    let read: Vec<(&str, (f64, f64))> = d
        .members
        .iter()
        .map(|c| {
            let outlet = c.outlet.as_deref().unwrap_or(c.doc_id.as_str());
            (outlet, interval(&c.claim))
        })
        .collect();
    let disagrees = read.iter().enumerate().any(|(i, (outlet_a, a))| {
        read[i + 1..]
            .iter()
            .any(|(outlet_b, b)| outlet_a != outlet_b && intervals_clash(*a, *b))
    });
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
        place: d.place,
        time: d.incident,
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
            context_place: None,
            headline: false,
            subject_hint: None,
            civilians_of_split: false,
            report_countries: Vec::new(),
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
            // "at least 20" and 21, "more than 30" and 31: a bound met, just.
            vec![
                at("a", "x", d, claim("KILL", 20.0, Some("at least"), None)),
                at("b", "y", d, claim("KILL", 21.0, None, None)),
            ],
            vec![
                at("a", "x", d, claim("KILL", 30.0, Some("more than"), None)),
                at("b", "y", d, claim("KILL", 31.0, None, None)),
            ],
            // "25 people, including five children" against 25 people: the
            // children are a part, not a rival figure.
            vec![
                at("a", "x", d, claim("KILL", 25.0, None, Some("people"))),
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
        // "at least 20" against 12 or 69, "at least 18" against "at least 45":
        // the tolls a reader sees differ.
        for (a, qa, b, qb) in [
            (20.0, Some("at least"), 12.0, None),
            (19.0, Some("at least"), 69.0, None),
            (18.0, Some("at least"), 45.0, Some("at least")),
        ] {
            let pair = [
                at("a", "x", d, claim("KILL", a, qa, None)),
                at("b", "y", d, claim("KILL", b, qb, None)),
            ];
            assert_eq!(disagreements(&pair).len(), 1, "{a} {b}");
        }
        // Vague counts hold no number against another.
        let mut dozens = claim("KILL", 24.0, None, None);
        dozens.text = "dozens of people".into();
        let vague = [
            at("a", "x", d, dozens),
            at("b", "y", d, claim("KILL", 5.0, None, None)),
        ];
        assert!(figure_groups(&vague).is_empty());
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
    fn places_nest_through_the_gazetteer() {
        let w = |p: &str| Where::of(p).expect("a place");
        assert!(w("Syria").compatible(&w("Aleppo")));
        assert!(w("eastern Aleppo").compatible(&w("Aleppo province")));
        assert!(!w("Aleppo").compatible(&w("Idlib")));
        assert!(w("Syrias Idlib").compatible(&w("Idlib")));
        // Unknown words may be anywhere, but two unknown names are two places.
        assert!(w("Qaterji").compatible(&w("Aleppo")));
        assert!(!w("Qaterji").compatible(&w("Urom al-Joz")));
    }

    #[test]
    fn classes_keep_parts_others_and_fighters_apart() {
        let class = |text: &str, subject: Option<&str>| {
            let mut c = claim("KILL", 5.0, None, subject);
            c.text = text.into();
            claim_class(&c)
        };
        assert_eq!(class("5 civilians", Some("civilians")), "people");
        assert_eq!(class("four medics", Some("medics")), "people");
        assert_eq!(class("19 Syrians", Some("Syrians")), "people");
        assert_eq!(class("5 others", Some("others")), "others");
        assert_eq!(class("Another 65 people", Some("people")), "others");
        assert_eq!(class("14 of the victims", Some("the victims")), "part");
        assert_eq!(class("dozens of people", Some("people")), "people");
        assert_eq!(class("three children", Some("children")), "children");
        assert_eq!(class("27 soldiers", Some("soldiers")), "soldier");
        assert_eq!(class("40 gunmen", Some("gunmen")), "gunmen");
        assert_eq!(class("14 bodies", Some("bodies")), "bodie");
    }

    #[test]
    fn a_part_stated_alone_is_the_whole_figure() {
        let d = "2016-10-13";
        let claims = [
            at("a", "x", d, claim("KILL", 2.0, None, Some("children"))),
            at("b", "y", d, claim("KILL", 13.0, None, Some("people"))),
            // c gives a whole toll and a part: the part stays a part.
            at("c", "z", d, claim("KILL", 13.0, None, Some("people"))),
        ];
        let g = disagreements(&claims);
        assert_eq!(g.len(), 1, "{g:?}");
        assert_eq!(g[0].values.len(), 3);
    }

    #[test]
    fn headline_figures_tie_each_number_to_its_own_verb() {
        let f = headline_figures("Two children killed 5 others injured in rocket attack");
        let got: Vec<(f64, &str, Option<&str>)> = f
            .iter()
            .map(|h| (h.value, h.kind, h.subject.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                (2.0, "KILL", Some("children")),
                (5.0, "WOUND", Some("others"))
            ]
        );
        let f = headline_figures("Plane crashes into market, kills 35 and wounds dozens");
        assert_eq!(f.len(), 1);
        assert_eq!(
            (f[0].value, f[0].kind, f[0].subject.clone()),
            (35.0, "KILL", None)
        );
        let f = headline_figures("Militia forces kill 35 rebel fighters in 24 hours");
        assert_eq!(f[0].subject.as_deref(), Some("rebel fighters"));
        assert_eq!(f.len(), 1, "24 hours is no casualty figure: {f:?}");
        assert_eq!(
            headline_figures("Forty-two dead as storm hits coast")[0].value,
            42.0
        );
        assert!(headline_figures("Talks resume in Geneva after 3 weeks").is_empty());
    }

    #[test]
    fn the_headline_figure_is_the_documents_voice_and_lends_its_subject() {
        let d = "2015-08-03";
        let mut lead = at(
            "a",
            "x",
            d,
            claim("KILL", 12.0, Some("at least"), Some("people")),
        );
        lead.claim.start = 5;
        let mut told = at("a", "x", d, claim("KILL", 35.0, None, None));
        told.claim.start = 90;
        told.headline = true;
        let other = at("b", "y", d, claim("KILL", 27.0, None, Some("people")));
        let g = disagreements(&[lead, told, other.clone()]);
        assert_eq!(g.len(), 1, "{g:?}");
        let values: Vec<f64> = g[0].values.iter().map(|v| v.value).collect();
        assert_eq!(values, vec![27.0, 35.0]);
        // A bare number the headline gives as fighters is not a toll of people.
        let mut bare = at("c", "z", d, claim("KILL", 35.0, None, None));
        bare.subject_hint = Some("rebel fighters".into());
        assert_eq!(ref_class(&bare), "fighter");
        assert!(disagreements(&[bare, other]).is_empty());
    }

    #[test]
    fn a_foreign_country_is_not_replaced_by_the_reports_city() {
        let d = "2017-04-16";
        let mut far = at("a", "x", d, claim("KILL", 2.0, None, Some("people")));
        far.claim.place = Some("Afghanistan".into());
        far.context_place = Some("Raqqa".into());
        let mut near = at("b", "y", d, claim("KILL", 14.0, None, Some("civilians")));
        near.claim.place = Some("Raqqa".into());
        assert!(disagreements(&[far.clone(), near.clone()]).is_empty());
        // The same country still stands for the report's own city.
        far.claim.place = Some("Syria".into());
        assert_eq!(disagreements(&[far, near]).len(), 1);
    }

    #[test]
    fn claim_refs_read_the_title_and_restated_fighters() {
        let text = "Gunmen executed 40 fighters who tried to leave. In all 40 people were killed. \
                    Separately 7 people died in shelling.";
        let mut doc = Document::new(
            "d1".into(),
            chronicle_core::SourceRef {
                path: "fixture".into(),
                format: "text".into(),
                record: None,
            },
            text.into(),
        );
        doc.title = Some("Shelling kills 7 in northern town".into());
        let mut fighters = claim("KILL", 40.0, None, Some("fighters"));
        fighters.text = "40 fighters".into();
        let mut restated = claim("KILL", 40.0, None, Some("people"));
        restated.text = "40 people".into();
        let mut seven = claim("KILL", 7.0, None, Some("people"));
        seven.text = "7 people".into();
        doc.claims = vec![fighters, restated, seven];
        let refs = claim_refs(&doc);
        let classes: Vec<String> = refs.iter().map(ref_class).collect();
        assert_eq!(classes, vec!["fighter", "fighter", "people"]);
        let headline: Vec<bool> = refs.iter().map(|r| r.headline).collect();
        assert_eq!(headline, vec![false, false, true]);
        // The stored context rebuilds each reference exactly.
        for r in &refs {
            let json = serde_json::to_string(&r.context()).unwrap();
            let back = ClaimRef::from_context(
                r.doc_id.clone(),
                r.outlet.clone(),
                r.date.clone(),
                r.claim.clone(),
                r.merged_event.clone(),
                serde_json::from_str(&json).unwrap(),
            );
            assert_eq!(&back, r);
        }
    }

    #[test]
    fn a_report_gives_one_figure_per_quantity() {
        let d = "2016-08-15";
        // b leads with Idlib's toll; its later line on fighting in Aleppo is
        // background, not its account of a's Aleppo incident.
        let mut idlib = claim("KILL", 15.0, None, Some("people"));
        idlib.place = Some("Idlib".into());
        let mut later = claim("KILL", 327.0, Some("at least"), Some("people"));
        later.start = 1500;
        let claims = [
            at("a", "x", d, claim("KILL", 9.0, None, Some("persons"))),
            at("b", "y", d, idlib),
            at("b", "y", d, later),
        ];
        assert!(figure_groups(&claims).is_empty());
        // A figure its sentence puts in another month gives way to the report's own.
        let mut july = claim("KILL", 270.0, None, None);
        july.time = Some("2014-07".into());
        let own = {
            let mut c = claim("KILL", 30.0, None, None);
            c.start = 300;
            c
        };
        let claims = [
            at("a", "x", "2014-10-03", july),
            at("a", "x", "2014-10-03", own),
            at("b", "y", "2014-10-03", claim("KILL", 39.0, None, None)),
        ];
        let g = disagreements(&claims);
        assert_eq!(g.len(), 1, "{g:?}");
        let values: Vec<f64> = g[0].values.iter().map(|v| v.value).collect();
        assert_eq!(values, vec![30.0, 39.0]);
    }

    #[test]
    fn two_divisions_in_a_row_are_a_sum_over_places() {
        let syr = ["SYR".to_string()];
        let joins = |t: &str| joins_divisions(t, &syr);
        assert!(joins(
            "3 Civilians Killed 38 Injured in Terrorist Rocket Attacks in Deir Ezzor Aleppo"
        ));
        assert!(joins("Child killed in attacks in Damascus & Aleppo"));
        assert!(joins_divisions("Shelling in Homs and Hama", &[]));
        assert!(!joins("Air raid kills 19 in Khan Sheikhoun Idlib"));
        assert!(!joins("Shelling kills 5 in Aleppo, Syria"));
        assert!(!joins("Strikes in Aleppo kill 5 as talks go on in Geneva"));
    }

    #[test]
    fn a_split_toll_gives_its_civilians() {
        let text = "ISIS killed more than 50 people in an attack. \
                    The attack killed 15 civilians and 27 pro-government fighters.";
        let mut doc = Document::new(
            "d1".into(),
            chronicle_core::SourceRef {
                path: "fixture".into(),
                format: "text".into(),
                record: None,
            },
            text.into(),
        );
        doc.title = Some("ISIS kills more than 50 in central attack".into());
        let second = text.find("The attack").expect("fixture");
        doc.sentences = vec![
            chronicle_core::Sentence {
                start: 0,
                end: second - 1,
                token_start: 0,
                token_end: 0,
            },
            chronicle_core::Sentence {
                start: second,
                end: text.len(),
                token_start: 0,
                token_end: 0,
            },
        ];
        let span = |t: &str, value: f64, subject: &str, q: Option<&str>| {
            let start = text.find(t).expect("fixture");
            Claim {
                start,
                end: start + t.len(),
                text: t.into(),
                value,
                qualifier: q.map(str::to_string),
                kind: "KILL".into(),
                subject: Some(subject.into()),
                claimant: None,
                place: None,
                time: None,
            }
        };
        doc.claims = vec![
            span("more than 50 people", 50.0, "people", Some("more than")),
            span("15 civilians", 15.0, "civilians", None),
            span(
                "27 pro-government fighters",
                27.0,
                "pro-government fighters",
                None,
            ),
        ];
        let refs = claim_refs(&doc);
        let split: Vec<bool> = refs.iter().map(|r| r.civilians_of_split).collect();
        assert_eq!(split, vec![false, true, false]);
        let mut claims = refs;
        for c in &mut claims {
            c.date = Some("2017-05-18".into());
        }
        claims.push(at("b", "y", "2017-05-18", claim("KILL", 51.0, None, None)));
        let g = disagreements(&claims);
        assert_eq!(g.len(), 1, "{g:?}");
        let values: Vec<f64> = g[0].values.iter().map(|v| v.value).collect();
        assert_eq!(values, vec![15.0, 51.0]);
    }

    #[test]
    fn a_place_only_known_abroad_is_unknown_words_in_a_syrian_report() {
        let d = "2017-04-13";
        let mut tagged = at("a", "x", d, claim("KILL", 6.0, Some("at least"), None));
        // "Assad regime airstrikes" tagged as a place: the gazetteer knows an
        // "Assad" only outside Syria.
        tagged.claim.place = Some("Assad".into());
        let mut idlib = at("b", "y", d, claim("KILL", 87.0, Some("at least"), None));
        idlib.claim.place = Some("Idlib".into());
        assert!(disagreements(&[tagged.clone(), idlib.clone()]).is_empty());
        tagged.report_countries = vec!["SYR".into()];
        idlib.report_countries = vec!["SYR".into()];
        assert_eq!(disagreements(&[tagged, idlib]).len(), 1);
        let syr = ["SYR".to_string()];
        assert_eq!(
            Where::of_in("Assad", &syr),
            Some(Where::Words("assad".into()))
        );
        assert!(matches!(
            Where::of_in("Aleppo", &syr),
            Some(Where::Division(c, _)) if c == "SYR"
        ));
    }

    #[test]
    fn a_rounded_headline_gives_way_to_the_exact_count() {
        let text = "Activists say more than 200 killed. The attack killed at least 213 people.";
        let mut doc = Document::new(
            "d1".into(),
            chronicle_core::SourceRef {
                path: "fixture".into(),
                format: "text".into(),
                record: None,
            },
            text.into(),
        );
        doc.title = Some("Activists say more than 200 killed in gas attack".into());
        let span = |t: &str, value: f64, q: &str| {
            let start = text.find(t).expect("fixture");
            let mut c = claim("KILL", value, Some(q), None);
            c.start = start;
            c.end = start + t.len();
            c.text = t.into();
            c
        };
        doc.claims = vec![
            span("more than 200", 200.0, "more than"),
            span("at least 213 people", 213.0, "at least"),
        ];
        let headline: Vec<bool> = claim_refs(&doc).iter().map(|r| r.headline).collect();
        assert_eq!(headline, vec![false, true]);
        // A count far past the bound is another figure, not the exact one.
        doc.claims[1] = span("at least 213 people", 400.0, "at least");
        let headline: Vec<bool> = claim_refs(&doc).iter().map(|r| r.headline).collect();
        assert_eq!(headline, vec![true, false]);
    }

    #[test]
    fn another_month_is_another_incident() {
        let mut july = claim("KILL", 270.0, None, None);
        july.time = Some("2014-07".into());
        let claims = [
            at("a", "x", "2014-10-03", july),
            at("b", "y", "2014-10-03", claim("KILL", 39.0, None, None)),
        ];
        assert!(figure_groups(&claims).is_empty());
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
