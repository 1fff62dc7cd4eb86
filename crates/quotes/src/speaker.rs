//! Speaker resolution: a speaker noun phrase → the fullest name the document gives.
//! Names resolve to the longest PER mention sharing their surname; pronouns to the
//! latest person speaking or acting as subject nearby; descriptions ("the French
//! foreign minister") to the person whose title words, gathered from pre-name titles
//! and appositions anywhere in the document, cover the description's head noun and
//! do not contradict its country. Organizations and anonymous sources stay as written.

use crate::cues::{self, in_list};
use crate::view::View;
use chronicle_core::Entity;
use std::collections::{BTreeSet, HashMap};

struct Person {
    canonical: String,
    titles: BTreeSet<String>,
    /// Byte offsets of mentions, in order.
    mentions: Vec<usize>,
}

pub struct Resolver<'a, 'b> {
    v: &'a View<'b>,
    persons: Vec<Person>,
    /// Entity index → person index for PER entities.
    person_of: Vec<Option<usize>>,
    /// Per token: the country of the first entity holding it that has one.
    country_at: Vec<Option<String>>,
    /// Per token: whether a PER entity holds it.
    in_person: Vec<bool>,
}

/// Newsroom titles: "our correspondent" may name the "editor" introduced earlier.
const NEWSROOM: &[&str] = &[
    "correspondent",
    "reporter",
    "editor",
    "journalist",
    "producer",
    "anchor",
];

fn last_word(s: &str) -> String {
    s.split_whitespace()
        .last()
        .unwrap_or("")
        .trim_end_matches("'s")
        .trim_end_matches("’s")
        .to_lowercase()
}

/// Initials of the capitalized words: "Syrian Observatory for Human Rights" → "SOHR".
fn initials(s: &str) -> String {
    s.split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect()
}

/// A tagged span that reads as a name: capitalized words and name particles only
/// ("Velkova told Marrow" is a tagging error, not a fuller name).
fn name_like(s: &str) -> bool {
    s.split_whitespace().all(|w| {
        w.starts_with(|c: char| c.is_uppercase())
            || matches!(
                w,
                "al" | "al-"
                    | "bin"
                    | "ibn"
                    | "de"
                    | "da"
                    | "di"
                    | "van"
                    | "von"
                    | "la"
                    | "le"
                    | "del"
                    | "der"
                    | "el"
                    | "du"
            )
    })
}

impl<'a, 'b> Resolver<'a, 'b> {
    /// Linear in the document: one pass groups PER mentions by surname, one marks
    /// the tokens entities cover (a person with thousands of mentions, or thousands of
    /// people, must not cost their square).
    pub fn new(v: &'a View<'b>) -> Self {
        let ents = &v.doc.entities;
        let words = |s: &str| s.split_whitespace().count();
        // Per surname: the first name-like mention with the most words.
        let mut fullest: HashMap<String, &str> = HashMap::new();
        for e in ents
            .iter()
            .filter(|e| e.label == "PER" && name_like(&e.text))
        {
            let best = fullest.entry(last_word(&e.text)).or_insert(e.text.as_str());
            if words(&e.text) > words(best) {
                *best = e.text.as_str();
            }
        }
        let mut persons: Vec<Person> = Vec::new();
        let mut person_by_key: HashMap<String, usize> = HashMap::new();
        let mut person_of = vec![None; ents.len()];
        for (i, e) in ents.iter().enumerate() {
            if e.label != "PER" {
                continue;
            }
            let key = last_word(&e.text);
            let idx = *person_by_key.entry(key.clone()).or_insert_with(|| {
                // The surname's first mention names the person unless a name-like
                // mention of it is fuller.
                let canonical = match fullest.get(&key) {
                    Some(f) if words(f) > words(&e.text) => f.to_string(),
                    _ => e.text.clone(),
                };
                persons.push(Person {
                    canonical,
                    titles: BTreeSet::new(),
                    mentions: Vec::new(),
                });
                persons.len() - 1
            });
            person_of[i] = Some(idx);
            persons[idx].mentions.push(e.start);
        }
        let mut country_at: Vec<Option<String>> = vec![None; v.len()];
        let mut in_person = vec![false; v.len()];
        for e in ents {
            let mut t = v.token_at_or_after(e.start);
            while t < v.len() && v.tok(t).end <= e.end {
                if e.label == "PER" {
                    in_person[t] = true;
                }
                if country_at[t].is_none() {
                    country_at[t] = e.country.clone();
                }
                t += 1;
            }
        }
        let mut r = Resolver {
            v,
            persons,
            person_of,
            country_at,
            in_person,
        };
        for (i, e) in ents.iter().enumerate() {
            if let Some(p) = r.person_of[i] {
                let words = r.title_words(e);
                r.persons[p].titles.extend(words);
            }
        }
        r
    }

    /// A word for matching: countries as `@ISO`, otherwise the lowercase lemma.
    fn word(&self, t: usize) -> Option<String> {
        if let Some(c) = &self.country_at[t] {
            return Some(format!("@{c}"));
        }
        if matches!(
            self.v.upos(t),
            "DET" | "PUNCT" | "ADP" | "PART" | "CCONJ" | "PRON"
        ) {
            return None;
        }
        Some(self.v.lemma(t).to_string())
    }

    /// Title words around a PER mention: "French Foreign Minister Jean-Marc Ayrault",
    /// "John Kerry, the US secretary of state,".
    fn title_words(&self, e: &Entity) -> Vec<String> {
        let v = self.v;
        let first = v.token_at_or_after(e.start);
        let after = v.token_at_or_after(e.end);
        let mut out = Vec::new();
        let sent = if first < v.len() {
            v.sent_of[first]
        } else {
            return out;
        };
        let mut t = first;
        while t > 0 && first - t < 6 {
            let p = t - 1;
            if v.sent_of[p] != sent
                || !(matches!(v.upos(p), "PROPN" | "NOUN" | "ADJ")
                    || v.lower(p) == "'s"
                    || v.lower(p) == "’s")
                || self.is_person_token(p)
            {
                break;
            }
            out.extend(self.word(p));
            t = p;
        }
        if after < v.len() && v.sent_of[after] == sent && v.tok(after).text == "," {
            // An apposition ends at the next comma; a verb means it was a clause.
            let mut app = Vec::new();
            let mut clause = false;
            for t in after + 1..v.len().min(after + 11) {
                if v.sent_of[t] != sent || matches!(v.tok(t).text.as_str(), "," | "." | ";" | ")") {
                    break;
                }
                if matches!(v.upos(t), "VERB" | "AUX") {
                    clause = true;
                    break;
                }
                app.extend(self.word(t));
            }
            if !clause {
                out.extend(app);
            }
        }
        out
    }

    fn is_person_token(&self, t: usize) -> bool {
        self.in_person[t]
    }

    fn entity_in(&self, start: usize, end: usize, label: &str) -> Option<usize> {
        self.v
            .doc
            .entities
            .iter()
            .position(|e| e.label == label && start <= e.start && e.end <= end)
    }

    /// Fullest ORG name containing this one ("the Observatory" → the full name), or
    /// spelling out an acronym ("SOHR" → "Syrian Observatory for Human Rights").
    fn fullest_org(&self, text: &str) -> String {
        let low = text.to_lowercase();
        let acronym = text.len() >= 2 && text.chars().all(|c| c.is_ascii_uppercase());
        self.v
            .doc
            .entities
            .iter()
            .filter(|e| {
                e.label == "ORG"
                    && (e.text.to_lowercase().contains(&low)
                        || acronym && initials(&e.text) == text)
            })
            .map(|e| e.text.as_str())
            .fold(text, |a, b| if b.len() > a.len() { b } else { a })
            .to_string()
    }

    /// The person a mention before byte `pos` most recently names, within `window`
    /// bytes, preferring subjects.
    fn recent_person(&self, pos: usize, window: usize) -> Option<usize> {
        let v = self.v;
        let mut best: Option<(bool, usize, usize)> = None;
        for (i, e) in v.doc.entities.iter().enumerate() {
            let Some(p) = self.person_of[i] else { continue };
            if e.end > pos || pos - e.end > window {
                continue;
            }
            let t = v.token_at_or_after(e.start);
            let subj = (t..v.token_at_or_after(e.end)).any(|x| v.deprel(x).starts_with("nsubj"));
            let cand = (subj, e.start, p);
            if best.is_none_or(|b| (cand.0, cand.1) > (b.0, b.1)) {
                best = Some(cand);
            }
        }
        best.map(|b| b.2)
    }

    /// The latest organization or country acting as a subject before `pos`.
    fn recent_group(&self, pos: usize, window: usize) -> Option<String> {
        let v = self.v;
        v.doc
            .entities
            .iter()
            .rev()
            .find(|e| {
                let t = v.token_at_or_after(e.start);
                matches!(e.label.as_str(), "ORG" | "LOC")
                    && e.end <= pos
                    && pos - e.end <= window
                    && (t..v.token_at_or_after(e.end)).any(|x| v.deprel(x).starts_with("nsubj"))
            })
            .map(|e| {
                if e.label == "ORG" {
                    self.fullest_org(&e.text)
                } else {
                    e.text.clone()
                }
            })
    }

    /// Canonical name for the speaker phrase `lo..=hi` (tokens). `last_person` is the
    /// latest resolved person speaker with the byte offset of its quote.
    pub fn resolve(&self, lo: usize, hi: usize, last_person: Option<(&str, usize)>) -> String {
        let v = self.v;
        let (start, end) = (v.tok(lo).start, v.tok(hi).end);
        let surface = v.text(start, end).to_string();
        // "Kerry and Lavrov": every person named, each by the fullest name.
        // Possessors are not the speaker ("Trump's spokesman Jason Miller").
        let possessor = |e: &Entity| {
            let t = v.token_at_or_after(e.end);
            t < v.len() && matches!(v.lower(t), "'s" | "’s")
        };
        let mut people: Vec<&str> = v
            .doc
            .entities
            .iter()
            .enumerate()
            .filter(|(_, e)| start <= e.start && e.end <= end && !possessor(e))
            .filter_map(|(i, _)| self.person_of[i].map(|p| self.persons[p].canonical.as_str()))
            .collect();
        let coordinated = (lo..=hi).any(|t| v.deprel(t) == "cc");
        if coordinated && people.len() > 1 {
            people.dedup();
            return people.join(" and ");
        }
        // Otherwise the name nearest the phrase's end: the one its title describes.
        if let Some(last) = people.last() {
            return last.to_string();
        }
        let head = (lo..=hi)
            .find(|&t| v.head(t).is_none_or(|h| h < lo || h > hi))
            .unwrap_or(hi);
        let low = v.lower(head);
        if lo == hi && in_list(cues::PRONOUNS_PERSON, low) {
            if let Some((name, at)) = last_person {
                if start.saturating_sub(at) < 600 {
                    return name.to_string();
                }
            }
            if let Some(p) = self.recent_person(start, 600) {
                return self.persons[p].canonical.clone();
            }
            return surface;
        }
        if lo == hi && matches!(low, "it" | "they" | "we") {
            return self.recent_group(start, 600).unwrap_or(surface);
        }
        // A surname the tagger missed in this mention: "Ayrault told Lavrov".
        if v.upos(head) == "PROPN" {
            let key = last_word(v.text(v.tok(head).start, v.tok(head).end));
            if let Some(p) = self.persons.iter().find(|p| last_word(&p.canonical) == key) {
                return p.canonical.clone();
            }
        }
        // "Al Jazeera's diplomatic editor James Bays": a name the tagger missed,
        // written after the title.
        let name_run = (lo..=hi)
            .rev()
            .take_while(|&t| v.upos(t) == "PROPN")
            .count();
        if name_run >= 2 && name_run <= hi - lo {
            let first = hi + 1 - name_run;
            let name = v.text(v.tok(first).start, end);
            if name_like(name) && self.entity_in(v.tok(first).start, end, "ORG").is_none() {
                return name.to_string();
            }
        }
        if let Some(e) = self.entity_in(start, end, "ORG") {
            return self.fullest_org(&v.doc.entities[e].text);
        }
        if v.upos(head) == "NOUN" {
            if let Some(p) = self.description(lo, hi, head, start) {
                return self.persons[p].canonical.clone();
            }
        }
        surface
    }

    /// "the French foreign minister" → the person titled so in the document.
    fn description(&self, lo: usize, hi: usize, head: usize, pos: usize) -> Option<usize> {
        let v = self.v;
        // Indefinite descriptions are anonymous sources ("a senior official").
        if (lo..=hi).any(|t| matches!(v.lower(t), "a" | "an" | "some" | "one" | "two" | "several"))
        {
            return None;
        }
        let words: BTreeSet<String> = (lo..=hi).filter_map(|t| self.word(t)).collect();
        let head_word = self.word(head)?;
        let countries: Vec<&String> = words.iter().filter(|w| w.starts_with('@')).collect();
        let mut best: Option<(usize, usize, usize)> = None;
        // "our correspondent" is the outlet's own journalist, whatever title the
        // article gave them earlier ("diplomatic editor James Bays").
        let newsroom = |w: &str| in_list(NEWSROOM, &w.to_lowercase());
        let our_journalist = newsroom(&head_word) && (lo..=hi).any(|t| v.lower(t) == "our");
        for (i, p) in self.persons.iter().enumerate() {
            let titled = p.titles.contains(&head_word)
                || (our_journalist && p.titles.iter().any(|t| newsroom(t)));
            if !titled {
                continue;
            }
            let their: Vec<&String> = p.titles.iter().filter(|w| w.starts_with('@')).collect();
            if !countries.is_empty()
                && !their.is_empty()
                && !countries.iter().any(|c| their.contains(c))
            {
                continue;
            }
            let score = words.intersection(&p.titles).count();
            let recency = p
                .mentions
                .iter()
                .copied()
                .filter(|&m| m < pos)
                .max()
                .unwrap_or(0);
            if best.is_none_or(|b| (score, recency) > (b.0, b.1)) {
                best = Some((score, recency, i));
            }
        }
        best.map(|b| b.2)
    }

    pub fn is_person_name(&self, name: &str) -> bool {
        self.persons.iter().any(|p| p.canonical == name)
    }
}
