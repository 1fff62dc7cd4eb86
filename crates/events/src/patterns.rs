//! Matching PETRARCH verb patterns (`- PRE * POST [CODE]`) against the words of
//! the verb's clause: items must appear in order, other words may come between;
//! `$`/`+` match a word of a coded actor. The pattern with most items wins.

use crate::args::{Tree, OTHER_CLAUSES};
use chronicle_actors::DocActors;
use chronicle_codebook::{Codebook, PatternItem, VerbPattern};
use chronicle_core::{Document, Sentence};

/// A run of the clause's tokens, in reading order or reversed.
struct Words<'t> {
    tree: &'t Tree,
    toks: Vec<usize>,
    actor: Vec<bool>,
}

impl Words<'_> {
    fn len(&self) -> usize {
        self.toks.len()
    }

    fn is(&self, k: usize, word: &str) -> bool {
        self.toks
            .get(k)
            .is_some_and(|&t| self.tree.upper[t] == word || self.tree.lemma_upper[t] == word)
    }

    fn reversed(&self) -> Words<'_> {
        Words {
            tree: self.tree,
            toks: self.toks.iter().rev().copied().collect(),
            actor: self.actor.iter().rev().copied().collect(),
        }
    }
}

fn item_at(book: &Codebook, w: &Words, item: &PatternItem, i: usize) -> Option<usize> {
    match item {
        PatternItem::Word(x) => w.is(i, x).then_some(1),
        PatternItem::Source | PatternItem::Target => {
            w.actor.get(i).copied().unwrap_or(false).then_some(1)
        }
        PatternItem::Synset(name) => book
            .verbs
            .synsets
            .get(name)?
            .iter()
            .filter(|p| p.words.iter().enumerate().all(|(k, x)| w.is(i + k, x)))
            .map(|p| p.words.len())
            .max(),
    }
}

/// Words a pattern may skip before its next item: PETRARCH matches within the
/// phrases next to the verb, not anywhere in a long clause.
const MAX_GAP: usize = 8;

/// Whether `items` occur in order in `w`, each within `MAX_GAP` words of the
/// previous one (the first from the start of `w`); `Some(words spanned)`.
fn seq(book: &Codebook, w: &Words, items: &[PatternItem]) -> Option<usize> {
    let mut i = 0;
    for item in items {
        let limit = (i + MAX_GAP).min(w.len());
        loop {
            if i >= limit {
                return None;
            }
            if let Some(n) = item_at(book, w, item, i) {
                i += n;
                break;
            }
            i += 1;
        }
    }
    Some(i)
}

/// `seq` read backwards from the verb, for the words before it; `rev` is
/// `w` reversed.
fn seq_before(book: &Codebook, w: &Words, rev: &Words, items: &[PatternItem]) -> Option<usize> {
    // Multi-word synonyms read backwards would not match; keep them forward.
    if items.iter().any(|i| matches!(i, PatternItem::Synset(_))) {
        if w.len() == 0 {
            return None;
        }
        return seq(book, w, items);
    }
    let items: Vec<PatternItem> = items.iter().rev().cloned().collect();
    seq(book, rev, &items)
}

/// The best pattern of `patterns` for verb `v`, if any matches.
pub fn best<'p>(
    book: &Codebook,
    doc: &Document,
    tree: &Tree,
    actors: &DocActors,
    sentence: &Sentence,
    v: usize,
    patterns: &'p [VerbPattern],
) -> Option<&'p VerbPattern> {
    if patterns.is_empty() {
        return None;
    }
    let clause: Vec<usize> = tree
        .subtree(v, OTHER_CLAUSES)
        .into_iter()
        .filter(|&t| t >= sentence.token_start && t < sentence.token_end)
        .collect();
    let words = |toks: Vec<usize>| Words {
        tree,
        actor: toks
            .iter()
            .map(|&t| actors.at(t).is_some_and(|m| m.code.is_some()))
            .collect(),
        toks,
    };
    let mut before: Vec<usize> = clause.iter().copied().filter(|&t| t < v).collect();
    let mut after: Vec<usize> = clause.iter().copied().filter(|&t| t > v).collect();
    // Patterns are written in the active voice: in "hospitals were hit by air
    // strikes" the `by` phrase is what stands before the verb in "air strikes
    // hit hospitals", and the passive subject what follows it.
    let kids = tree.children(v);
    let passive_subject = kids.iter().copied().find(|&c| tree.rel(c) == "nsubj:pass");
    let agent = kids.iter().copied().find(|&c| {
        tree.rel(c) == "obl:agent"
            || (tree.rel(c).starts_with("obl")
                && tree.children(c).iter().any(|&k| {
                    tree.rel(k) == "case" && doc.tokens[k].text.eq_ignore_ascii_case("by")
                }))
    });
    if let (Some(subj), Some(agent)) = (passive_subject, agent) {
        let by_phrase = tree.subtree(agent, &[]);
        let patient = tree.subtree(subj, &[]);
        before = by_phrase
            .iter()
            .copied()
            .filter(|t| !doc.tokens[*t].text.eq_ignore_ascii_case("by"))
            .collect();
        after.retain(|t| !by_phrase.contains(t));
        after.splice(0..0, patient);
    }
    let (before, after) = (words(before), words(after));
    let before_reversed = before.reversed();
    // Most items first; among equals, the one spanning fewest words (its words
    // nearest the verb).
    let mut best: Option<((usize, std::cmp::Reverse<usize>), &VerbPattern)> = None;
    for p in patterns {
        let n = p.before.len() + p.after.len();
        if best.is_some_and(|(b, _)| b.0 > n) {
            continue;
        }
        let (Some(b), Some(a)) = (
            seq_before(book, &before, &before_reversed, &p.before),
            seq(book, &after, &p.after),
        ) else {
            continue;
        };
        let key = (n, std::cmp::Reverse(a + b));
        if best.is_none_or(|(k, _)| key > k) {
            best = Some((key, p));
        }
    }
    best.map(|(_, p)| p)
}

/// Whether a pattern's words include a negation (directly or in a synonym set).
pub fn mentions_negation(book: &Codebook, p: &VerbPattern) -> bool {
    let neg = |w: &str| matches!(w, "NOT" | "N'T" | "NEVER" | "NO");
    p.before.iter().chain(&p.after).any(|i| match i {
        PatternItem::Word(w) => neg(w),
        PatternItem::Synset(name) => book
            .verbs
            .synsets
            .get(name)
            .is_some_and(|ps| ps.iter().any(|ph| ph.words.iter().any(|w| neg(w)))),
        _ => false,
    })
}
