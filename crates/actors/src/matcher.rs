//! Finds dictionary phrases in a token sequence: actors by their upper-cased
//! words (longest match, exact before PETRARCH-style prefix matches), agents by
//! words with the last one lemmatized (so plurals match).

use chronicle_codebook::{Codebook, Phrase};
use rustc_hash::{FxBuildHasher, FxHashMap};
use std::hash::BuildHasher;
use std::ops::Range;

/// How much longer a text word may be than a dictionary word that matches as a
/// prefix (`ARGENTIN` → ARGENTINA, ARGENTINE; `BULGAR` → BULGARIAN).
const MAX_PREFIX_EXTRA: usize = 4;
/// Shortest dictionary word allowed to match as a prefix: short ones over-match.
const MIN_PREFIX_WORD: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DictHit {
    pub start: usize,
    pub end: usize,
    pub entry: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgentHit {
    pub start: usize,
    pub end: usize,
    pub agent: usize,
}

pub struct Matcher<'a> {
    book: &'a Codebook,
    /// Actor phrases as the tokenizer splits them (`PEOPLE'S` → `PEOPLE 'S`),
    /// with their entry.
    phrases: Vec<(usize, Phrase)>,
    /// Each phrase's word hashes ([`word_hash`]).
    phrase_hashes: Vec<Vec<u64>>,
    /// First word → indexes into `phrases` starting with it.
    actors: FxHashMap<String, Vec<usize>>,
    /// The one-word phrases that may match as a prefix, by their word: the
    /// only ones a text word's prefix can match, so a word's prefixes are
    /// looked up here rather than among all first words.
    prefixes: FxHashMap<String, Vec<usize>>,
    agents: FxHashMap<&'a str, Vec<usize>>,
}

fn word_matches(dict: &str, text: &str, prefix: bool) -> bool {
    dict == text
        || (prefix
            && dict.len() >= MIN_PREFIX_WORD
            && text.len() <= dict.len() + MAX_PREFIX_EXTRA
            && text.starts_with(dict)
            && text[dict.len()..].chars().all(char::is_alphabetic))
}

/// Hash of one word, to tell most unequal words apart without comparing them.
fn word_hash(w: &str) -> u64 {
    FxBuildHasher.hash_one(w)
}

/// The words of one call with their hashes (`hashes[k]` of `words[base + k]`).
struct Text<'w> {
    words: &'w [String],
    base: usize,
    hashes: Vec<u64>,
}

/// Whether `phrase` (whose words hash to `hashes`) matches at `i`;
/// `Some(exact)` when it does.
fn phrase_at(phrase: &Phrase, hashes: &[u64], text: &Text, i: usize, end: usize) -> Option<bool> {
    let n = phrase.words.len();
    if i + n > end {
        return None;
    }
    let mut exact = true;
    for (k, (w, &h)) in phrase.words.iter().zip(hashes).enumerate() {
        let t = &text.words[i + k];
        let last = k + 1 == n;
        if text.hashes.get(i + k - text.base) == Some(&h) && w == t {
            continue;
        }
        // Unequal words: only a prefix phrase's last word can still match.
        if last && phrase.prefix && word_matches(w, t, true) {
            exact = false;
            continue;
        }
        return None;
    }
    Some(exact)
}

/// Splits possessives as the tokenizer does: `PEOPLE'S` → `PEOPLE`, `'S`.
fn tokenized(p: &Phrase) -> Phrase {
    let mut words = Vec::with_capacity(p.words.len());
    for w in &p.words {
        match w.strip_suffix("'S") {
            Some(stem) if !stem.is_empty() => {
                words.push(stem.to_string());
                words.push("'S".to_string());
            }
            _ => words.push(w.clone()),
        }
    }
    Phrase {
        words,
        prefix: p.prefix,
    }
}

impl<'a> Matcher<'a> {
    pub fn new(book: &'a Codebook) -> Self {
        let mut phrases = Vec::new();
        let mut phrase_hashes = Vec::new();
        let mut actors: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        let mut prefixes: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (e, entry) in book.actors.iter().enumerate() {
            for phrase in &entry.phrases {
                let phrase = tokenized(phrase);
                if let Some(first) = phrase.words.first() {
                    actors.entry(first.clone()).or_default().push(phrases.len());
                    if phrase.prefix && phrase.words.len() == 1 && first.len() >= MIN_PREFIX_WORD {
                        prefixes
                            .entry(first.clone())
                            .or_default()
                            .push(phrases.len());
                    }
                }
                phrase_hashes.push(phrase.words.iter().map(|w| word_hash(w)).collect());
                phrases.push((e, phrase));
            }
        }
        let mut agents: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
        for (i, a) in book.agents.iter().enumerate() {
            if let Some(first) = a.phrase.words.first() {
                agents.entry(first.as_str()).or_default().push(i);
            }
        }
        Matcher {
            book,
            phrases,
            phrase_hashes,
            actors,
            prefixes,
            agents,
        }
    }

    /// Longest actor-dictionary matches over `words[range]`, left to right.
    pub fn actors(&self, words: &[String], range: Range<usize>) -> Vec<DictHit> {
        let end = range.end.min(words.len());
        let mut out = Vec::new();
        let mut i = range.start;
        let text = Text {
            words,
            base: i,
            hashes: words
                .get(i..end)
                .unwrap_or_default()
                .iter()
                .map(|w| word_hash(w))
                .collect(),
        };
        while i < end {
            match self.actor_at(&text, i, end) {
                Some(hit) => {
                    i = hit.end;
                    out.push(hit);
                }
                None => i += 1,
            }
        }
        out
    }

    fn actor_at(&self, text: &Text, i: usize, end: usize) -> Option<DictHit> {
        let w = text.words[i].as_str();
        // Candidates: phrases starting with the word itself, then one-word
        // phrases that match as a prefix, keyed by the word's prefixes (a
        // longer phrase cannot match there: its first word would have to be
        // the whole text word).
        let mut best: Option<(usize, bool, usize)> = None; // (len, exact, entry)
        for extra in 0..=MAX_PREFIX_EXTRA {
            let candidates = if extra == 0 {
                self.actors.get(w)
            } else if w.len() > extra + MIN_PREFIX_WORD - 1 && w.is_char_boundary(w.len() - extra) {
                self.prefixes.get(&w[..w.len() - extra])
            } else {
                None
            };
            for &k in candidates.into_iter().flatten() {
                let (e, phrase) = (self.phrases[k].0, &self.phrases[k].1);
                let Some(exact) = phrase_at(phrase, &self.phrase_hashes[k], text, i, end) else {
                    continue;
                };
                let cand = (phrase.words.len(), exact, e);
                let better = match best {
                    None => true,
                    Some((n, x, _)) => cand.0 > n || (cand.0 == n && exact && !x),
                };
                if better {
                    best = Some(cand);
                }
            }
        }
        best.map(|(n, _, entry)| DictHit {
            start: i,
            end: i + n,
            entry,
        })
    }

    /// Longest agent matches; every word compared upper-cased, the last also by lemma.
    pub fn agents(
        &self,
        words: &[String],
        lemmas: &[String],
        range: Range<usize>,
    ) -> Vec<AgentHit> {
        let end = range.end.min(words.len()).min(lemmas.len());
        let mut out: Vec<AgentHit> = Vec::new();
        let mut i = range.start;
        while i < end {
            let mut best: Option<(usize, usize)> = None;
            for key in [words[i].as_str(), lemmas[i].as_str()] {
                for &a in self.agents.get(key).into_iter().flatten() {
                    let ph = &self.book.agents[a].phrase.words;
                    let n = ph.len();
                    if i + n > end {
                        continue;
                    }
                    let ok = ph
                        .iter()
                        .enumerate()
                        .all(|(k, w)| *w == words[i + k] || (k + 1 == n && *w == lemmas[i + k]));
                    if ok && best.is_none_or(|(bn, _)| n > bn) {
                        best = Some((n, a));
                    }
                }
            }
            match best {
                Some((n, agent)) => {
                    // Adjacent titles are one title whose last part is its head:
                    // "Deputy" + "Defence Minister" is a minister.
                    match out.last_mut() {
                        Some(prev) if prev.end == i => {
                            prev.end = i + n;
                            prev.agent = agent;
                        }
                        _ => out.push(AgentHit {
                            start: i,
                            end: i + n,
                            agent,
                        }),
                    }
                    i += n;
                }
                None => i += 1,
            }
        }
        out
    }
}
