//! Speaker resolution: a speaker noun phrase → the fullest name the document gives.
//! Names resolve to the longest PER mention sharing their surname; pronouns to the
//! latest person speaking or acting as subject nearby; descriptions ("the French
//! foreign minister") to the person whose title words, gathered from pre-name titles
//! and appositions anywhere in the document, cover the description's head noun and
//! do not contradict its country. Organizations and anonymous sources stay as written.

use crate::cues::{self, in_list};
use crate::view::View;
use chronicle_core::Entity;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, HashMap, HashSet};

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
    /// Surname key → the person it names (every person has one key).
    person_by_key: HashMap<String, usize>,
    /// Title word → the persons given it, in person order.
    by_title: HashMap<String, Vec<usize>>,
    /// Persons with a newsroom title, in person order.
    newsroom_persons: Vec<usize>,
    canonicals: HashSet<String>,
    /// Distinct ORG names in document order, lower-cased, with their initials.
    orgs: Vec<(String, String, &'b str)>,
    /// Character trigram of a lower-cased ORG name → the names holding it, in order.
    org_trigrams: HashMap<[char; 3], Vec<usize>>,
    /// Initials → the ORG names with them, in order.
    org_initials: HashMap<String, Vec<usize>>,
    /// `fullest_org` answers by name: a source quoted a hundred times is looked up once.
    org_cache: RefCell<HashMap<String, String>>,
    /// The best-fitting persons per description (words, head word, "our").
    described: RefCell<HashMap<Description, std::rc::Rc<Titled>>>,
    /// Candidates compared outside the span indexes (persons, organizations).
    work: Cell<usize>,
}

/// A description as the title match reads it: its words, its head word, and
/// whether it is "our" newsroom's.
type Description = (BTreeSet<String>, String, bool);

/// The persons a description fits best (all with the same score).
struct Titled {
    /// The lowest person index among them.
    first: Option<usize>,
    /// Their mentions' byte offsets with the person, sorted.
    mentions: Vec<(usize, usize)>,
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

/// The character trigrams of `s`, in order.
fn trigrams(s: &str) -> Vec<[char; 3]> {
    let chars: Vec<char> = s.chars().collect();
    chars.windows(3).map(|w| [w[0], w[1], w[2]]).collect()
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
        let mut seen_org: HashSet<&str> = HashSet::new();
        let orgs: Vec<(String, String, &str)> = ents
            .iter()
            .filter(|e| e.label == "ORG" && seen_org.insert(e.text.as_str()))
            .map(|e| (e.text.to_lowercase(), initials(&e.text), e.text.as_str()))
            .collect();
        let mut org_trigrams: HashMap<[char; 3], Vec<usize>> = HashMap::new();
        let mut org_initials: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, (lower, init, _)) in orgs.iter().enumerate() {
            let mut grams: Vec<[char; 3]> = trigrams(lower);
            grams.sort_unstable();
            grams.dedup();
            for g in grams {
                org_trigrams.entry(g).or_default().push(i);
            }
            org_initials.entry(init.clone()).or_default().push(i);
        }
        let mut r = Resolver {
            v,
            persons,
            person_of,
            country_at,
            in_person,
            person_by_key,
            by_title: HashMap::new(),
            newsroom_persons: Vec::new(),
            canonicals: HashSet::new(),
            orgs,
            org_trigrams,
            org_initials,
            org_cache: RefCell::new(HashMap::new()),
            described: RefCell::new(HashMap::new()),
            work: Cell::new(0),
        };
        for (i, e) in ents.iter().enumerate() {
            if let Some(p) = r.person_of[i] {
                let words = r.title_words(e);
                r.persons[p].titles.extend(words);
            }
        }
        for (i, p) in r.persons.iter_mut().enumerate() {
            // Recency looks for the last mention before a position.
            p.mentions.sort_unstable();
            for t in &p.titles {
                r.by_title.entry(t.clone()).or_default().push(i);
            }
            if p.titles
                .iter()
                .any(|t| in_list(NEWSROOM, &t.to_lowercase()))
            {
                r.newsroom_persons.push(i);
            }
            r.canonicals.insert(p.canonical.clone());
        }
        r
    }

    /// Items compared by this resolver's lookups, the span indexes' included.
    pub fn comparisons(&self) -> usize {
        self.work.get() + self.v.entities.visited()
    }

    fn count(&self, n: usize) {
        self.work.set(self.work.get() + n);
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
        let ents = &self.v.doc.entities;
        self.v
            .entities
            .within(start, end)
            .into_iter()
            .find(|&i| ents[i].label == label)
    }

    /// Fullest ORG name containing this one ("the Observatory" → the full name), or
    /// spelling out an acronym ("SOHR" → "Syrian Observatory for Human Rights").
    /// Each distinct name is compared once per distinct question (a repeated name
    /// cannot change the answer: the first of the longest wins).
    fn fullest_org(&self, text: &str) -> String {
        if let Some(hit) = self.org_cache.borrow().get(text) {
            return hit.clone();
        }
        let low = text.to_lowercase();
        let acronym = text.len() >= 2 && text.chars().all(|c| c.is_ascii_uppercase());
        // A name containing `low` holds each of its trigrams: the rarest one's names
        // are the only candidates (a name under three letters is compared with all).
        let grams = trigrams(&low);
        let mut candidates: Vec<usize> = if grams.is_empty() {
            (0..self.orgs.len()).collect()
        } else {
            grams
                .iter()
                .map(|g| self.org_trigrams.get(g).map_or(&[][..], Vec::as_slice))
                .min_by_key(|list| list.len())
                .unwrap_or(&[])
                .to_vec()
        };
        if acronym {
            if let Some(list) = self.org_initials.get(text) {
                candidates.extend(list);
                candidates.sort_unstable();
                candidates.dedup();
            }
        }
        self.count(candidates.len());
        let best = candidates
            .into_iter()
            .map(|i| &self.orgs[i])
            .filter(|(lower, init, _)| lower.contains(&low) || acronym && init == text)
            .map(|(_, _, name)| *name)
            .fold(text, |a, b| if b.len() > a.len() { b } else { a })
            .to_string();
        self.org_cache
            .borrow_mut()
            .insert(text.to_string(), best.clone());
        best
    }

    /// Entities (indices, in document order) ending within `window` bytes before
    /// `pos`, and a few more that the caller's own test drops.
    fn entities_before(&self, pos: usize, window: usize) -> Vec<usize> {
        self.v.entities.reaching(pos, pos.saturating_sub(window))
    }

    /// The person a mention before byte `pos` most recently names, within `window`
    /// bytes, preferring subjects.
    fn recent_person(&self, pos: usize, window: usize) -> Option<usize> {
        let v = self.v;
        let mut best: Option<(bool, usize, usize)> = None;
        for i in self.entities_before(pos, window) {
            let e = &v.doc.entities[i];
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
        self.entities_before(pos, window)
            .into_iter()
            .map(|i| &v.doc.entities[i])
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
            .entities
            .within(start, end)
            .into_iter()
            .filter(|&i| !possessor(&v.doc.entities[i]))
            .filter_map(|i| self.person_of[i].map(|p| self.persons[p].canonical.as_str()))
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
            // A person's canonical name ends in the surname it is keyed by.
            if let Some(&p) = self.person_by_key.get(&key) {
                return self.persons[p].canonical.clone();
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
        // "our correspondent" is the outlet's own journalist, whatever title the
        // article gave them earlier ("diplomatic editor James Bays").
        let newsroom = |w: &str| in_list(NEWSROOM, &w.to_lowercase());
        let our_journalist = newsroom(&head_word) && (lo..=hi).any(|t| v.lower(t) == "our");
        // The best person is the most recent of the best-scoring ones, and which
        // ones score best does not depend on where the description is: worked out
        // once per description, then each use is a binary search.
        let key = (words, head_word, our_journalist);
        let cached = self.described.borrow().get(&key).cloned();
        let top = match cached {
            Some(top) => top,
            None => {
                let top = std::rc::Rc::new(self.best_titled(&key.0, &key.1, key.2));
                self.described.borrow_mut().insert(key, top.clone());
                top
            }
        };
        self.count(1);
        let first = top.first?;
        // Recency is the last mention before `pos`; the latest such mention's owner
        // wins (the lower person on a shared byte), and with none after byte 0 every
        // one ties at 0 and the first person wins.
        let k = top.mentions.partition_point(|&(m, _)| m < pos);
        match k.checked_sub(1).map(|i| top.mentions[i].0) {
            Some(m) if m > 0 => {
                let i = top.mentions.partition_point(|&(x, _)| x < m);
                Some(top.mentions[i].1)
            }
            _ => Some(first),
        }
    }

    /// The persons a description's words best fit: those titled with its head word
    /// (or, for "our correspondent", any newsroom title) whose countries do not
    /// contradict it, with the most title words in common.
    fn best_titled(
        &self,
        words: &BTreeSet<String>,
        head_word: &str,
        our_journalist: bool,
    ) -> Titled {
        let newsroom = |w: &str| in_list(NEWSROOM, &w.to_lowercase());
        let countries: Vec<&String> = words.iter().filter(|w| w.starts_with('@')).collect();
        // Only persons holding the head word as a title (or a newsroom title) can
        // match: candidates from the title index, in person order.
        let mut candidates: Vec<usize> = self.by_title.get(head_word).cloned().unwrap_or_default();
        if our_journalist {
            candidates.extend(&self.newsroom_persons);
            candidates.sort_unstable();
            candidates.dedup();
        }
        self.count(candidates.len());
        let mut best_score = 0;
        let mut top: Vec<usize> = Vec::new();
        for i in candidates {
            let p = &self.persons[i];
            let titled = p.titles.contains(head_word)
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
            if top.is_empty() || score > best_score {
                best_score = score;
                top.clear();
            }
            if score == best_score {
                top.push(i);
            }
        }
        let mut mentions: Vec<(usize, usize)> = top
            .iter()
            .flat_map(|&i| self.persons[i].mentions.iter().map(move |&m| (m, i)))
            .collect();
        mentions.sort_unstable();
        self.count(mentions.len());
        Titled {
            first: top.first().copied(),
            mentions,
        }
    }

    pub fn is_person_name(&self, name: &str) -> bool {
        self.canonicals.contains(name)
    }
}
