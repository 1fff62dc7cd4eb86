//! Matching PETRARCH verb patterns (`- PRE * POST [CODE]`) against the words of
//! the verb's clause: items must appear in order, other words may come between;
//! `$`/`+` match a word of a coded actor. The pattern with most items wins.

use crate::args::{Tree, OTHER_CLAUSES};
use chronicle_actors::DocActors;
use chronicle_codebook::{Codebook, PatternItem, VerbPattern};
use chronicle_core::{Document, Sentence};
use rustc_hash::FxHashMap;

/// The codebook's verb patterns with their words as numbers. A block's
/// patterns are all tried for each of its verbs, every item against every word
/// within reach; as strings (and synonym sets looked up by name each time)
/// those compares were most of the matcher's time. A token's text and lemma
/// get their number once per document ([`Compiled::id`]); words no pattern
/// uses get [`NO_WORD`], which no item holds, so a number matches exactly when
/// the string did.
pub struct Compiled {
    vocab: FxHashMap<String, u32>,
    /// Synonym sets by number: each phrase's words.
    synsets: Vec<Vec<Vec<u32>>>,
    /// Per verb block, its patterns in the codebook's order.
    blocks: Vec<Vec<Pattern>>,
}

/// The number of a word no pattern uses.
pub(crate) const NO_WORD: u32 = 0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    Word(u32),
    /// A synonym set, `None` when the codebook lacks it (it matches nothing).
    Synset(Option<u32>),
    /// `$` or `+`: a word of a coded actor.
    Actor,
}

struct Pattern {
    before: Vec<Item>,
    after: Vec<Item>,
}

impl Compiled {
    pub fn new(book: &Codebook) -> Compiled {
        let mut vocab: FxHashMap<String, u32> = FxHashMap::default();
        let mut id = |w: &str| -> u32 {
            let next = vocab.len() as u32 + 1;
            *vocab.entry(w.to_string()).or_insert(next)
        };
        let mut names: FxHashMap<&str, u32> = FxHashMap::default();
        let mut synsets = Vec::new();
        for (name, phrases) in &book.verbs.synsets {
            names.insert(name.as_str(), synsets.len() as u32);
            synsets.push(
                phrases
                    .iter()
                    .map(|p| p.words.iter().map(|w| id(w)).collect())
                    .collect(),
            );
        }
        let mut item = |i: &PatternItem| match i {
            PatternItem::Word(w) => Item::Word(id(w)),
            PatternItem::Synset(name) => Item::Synset(names.get(name.as_str()).copied()),
            PatternItem::Source | PatternItem::Target => Item::Actor,
        };
        let blocks = book
            .verbs
            .blocks
            .iter()
            .map(|b| {
                b.patterns
                    .iter()
                    .map(|p| Pattern {
                        before: p.before.iter().map(&mut item).collect(),
                        after: p.after.iter().map(&mut item).collect(),
                    })
                    .collect()
            })
            .collect();
        Compiled {
            vocab,
            synsets,
            blocks,
        }
    }

    /// The number of an upper-case word, [`NO_WORD`] when no pattern uses it.
    pub fn id(&self, word: &str) -> u32 {
        self.vocab.get(word).copied().unwrap_or(NO_WORD)
    }
}

/// A run of the clause's tokens, in reading order or reversed, with the
/// numbers of their texts and lemmas.
struct Words {
    text: Vec<u32>,
    lemma: Vec<u32>,
    actor: Vec<bool>,
}

impl Words {
    fn len(&self) -> usize {
        self.text.len()
    }

    #[inline]
    fn is(&self, k: usize, word: u32) -> bool {
        self.text.get(k) == Some(&word) || self.lemma.get(k) == Some(&word)
    }

    fn reversed(&self) -> Words {
        Words {
            text: self.text.iter().rev().copied().collect(),
            lemma: self.lemma.iter().rev().copied().collect(),
            actor: self.actor.iter().rev().copied().collect(),
        }
    }
}

fn item_at(c: &Compiled, w: &Words, item: Item, i: usize) -> Option<usize> {
    match item {
        Item::Word(x) => w.is(i, x).then_some(1),
        Item::Actor => w.actor.get(i).copied().unwrap_or(false).then_some(1),
        Item::Synset(set) => c
            .synsets
            .get(set? as usize)?
            .iter()
            .filter(|p| p.iter().enumerate().all(|(k, &x)| w.is(i + k, x)))
            .map(|p| p.len())
            .max(),
    }
}

/// Words a pattern may skip before its next item: PETRARCH matches within the
/// phrases next to the verb, not anywhere in a long clause.
const MAX_GAP: usize = 8;

/// Whether `items` occur in order in `w`, each within `MAX_GAP` words of the
/// previous one (the first from the start of `w`); `Some(words spanned)`.
fn seq<'i>(c: &Compiled, w: &Words, items: impl Iterator<Item = &'i Item>) -> Option<usize> {
    let mut i = 0;
    for &item in items {
        let limit = (i + MAX_GAP).min(w.len());
        loop {
            if i >= limit {
                return None;
            }
            if let Some(n) = item_at(c, w, item, i) {
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
fn seq_before(c: &Compiled, w: &Words, rev: &Words, items: &[Item]) -> Option<usize> {
    // Multi-word synonyms read backwards would not match; keep them forward.
    if items.iter().any(|i| matches!(i, Item::Synset(_))) {
        if w.len() == 0 {
            return None;
        }
        return seq(c, w, items.iter());
    }
    seq(c, rev, items.iter().rev())
}

/// The best pattern of verb block `block` (whose patterns are `patterns`) for
/// verb `v`, if any matches.
#[allow(clippy::too_many_arguments)]
pub fn best<'p>(
    compiled: &Compiled,
    block: usize,
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
    let compiled_block = compiled.blocks.get(block)?;
    let clause: Vec<usize> = tree
        .subtree(v, OTHER_CLAUSES)
        .into_iter()
        .filter(|&t| t >= sentence.token_start && t < sentence.token_end)
        .collect();
    let words = |toks: Vec<usize>| Words {
        text: toks.iter().map(|&t| tree.upper_id[t]).collect(),
        lemma: toks.iter().map(|&t| tree.lemma_id[t]).collect(),
        actor: toks
            .iter()
            .map(|&t| actors.at(t).is_some_and(|m| m.code.is_some()))
            .collect(),
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
    for (p, cp) in patterns.iter().zip(compiled_block) {
        let n = cp.before.len() + cp.after.len();
        if best.is_some_and(|(b, _)| b.0 > n) {
            continue;
        }
        let (Some(b), Some(a)) = (
            seq_before(compiled, &before, &before_reversed, &cp.before),
            seq(compiled, &after, cp.after.iter()),
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
