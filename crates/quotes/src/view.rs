//! Read-only helpers over a document's token layer: children lists, sentence of a
//! token, subtrees as contiguous token ranges.

use crate::spans::SpanIndex;
use chronicle_core::{Document, Token};

pub struct View<'a> {
    pub doc: &'a Document,
    pub children: Vec<Vec<usize>>,
    pub sent_of: Vec<usize>,
    lower: Vec<String>,
    lemma: Vec<String>,
    /// The document's entities and time expressions by byte span: lookups near a
    /// token or inside a sentence, not scans of the whole layer.
    pub entities: SpanIndex,
    pub times: SpanIndex,
}

impl<'a> View<'a> {
    pub fn new(doc: &'a Document) -> Self {
        let n = doc.tokens.len();
        let mut children = vec![Vec::new(); n];
        for (i, t) in doc.tokens.iter().enumerate() {
            if let Some(h) = t.head.filter(|&h| h < n && h != i) {
                children[h].push(i);
            }
        }
        let mut sent_of = vec![0; n];
        for (si, s) in doc.sentences.iter().enumerate() {
            for slot in sent_of
                .iter_mut()
                .take(s.token_end.min(n))
                .skip(s.token_start)
            {
                *slot = si;
            }
        }
        let lower = doc.tokens.iter().map(|t| t.text.to_lowercase()).collect();
        let lemma = doc
            .tokens
            .iter()
            .map(|t| t.lemma.as_deref().unwrap_or(&t.text).to_lowercase())
            .collect();
        View {
            doc,
            children,
            sent_of,
            lower,
            lemma,
            entities: SpanIndex::new(doc.entities.iter().map(|e| (e.start, e.end))),
            times: SpanIndex::new(doc.times.iter().map(|t| (t.start, t.end))),
        }
    }

    pub fn len(&self) -> usize {
        self.doc.tokens.len()
    }

    pub fn tok(&self, i: usize) -> &Token {
        &self.doc.tokens[i]
    }

    pub fn lower(&self, i: usize) -> &str {
        &self.lower[i]
    }

    pub fn lemma(&self, i: usize) -> &str {
        &self.lemma[i]
    }

    pub fn upos(&self, i: usize) -> &str {
        self.doc.tokens[i].upos.as_deref().unwrap_or("")
    }

    pub fn deprel(&self, i: usize) -> &str {
        self.doc.tokens[i].deprel.as_deref().unwrap_or("")
    }

    pub fn head(&self, i: usize) -> Option<usize> {
        self.doc.tokens[i].head.filter(|&h| h < self.len())
    }

    /// Token range `[start, end)` of sentence `s`.
    pub fn sentence_tokens(&self, s: usize) -> std::ops::Range<usize> {
        self.doc
            .sentences
            .get(s)
            .map(|x| x.token_start.min(self.len())..x.token_end.min(self.len()))
            .unwrap_or(0..0)
    }

    pub fn child_with(&self, i: usize, rels: &[&str]) -> Option<usize> {
        self.children[i]
            .iter()
            .copied()
            .find(|&c| rels.contains(&self.deprel(c)))
    }

    /// Smallest and largest token index of `i`'s subtree, skipping children whose
    /// relation is in `skip`. Guarded against cycles by a visit budget.
    pub fn subtree(&self, i: usize, skip: &[&str]) -> (usize, usize) {
        let (mut lo, mut hi) = (i, i);
        let mut stack = vec![i];
        let mut budget = self.len() + 1;
        while let Some(x) = stack.pop() {
            if budget == 0 {
                break;
            }
            budget -= 1;
            lo = lo.min(x);
            hi = hi.max(x);
            for &c in &self.children[x] {
                if !skip.contains(&self.deprel(c)) {
                    stack.push(c);
                }
            }
        }
        (lo, hi)
    }

    /// Byte span of tokens `lo..=hi`, trimmed of punctuation tokens at both ends.
    pub fn trimmed_span(&self, mut lo: usize, mut hi: usize) -> Option<(usize, usize)> {
        while lo < hi && self.is_edge_punct(lo) {
            lo += 1;
        }
        while hi > lo && self.is_edge_punct(hi) {
            hi -= 1;
        }
        if lo == hi && self.is_edge_punct(lo) {
            return None;
        }
        Some((self.tok(lo).start, self.tok(hi).end))
    }

    fn is_edge_punct(&self, i: usize) -> bool {
        self.upos(i) == "PUNCT" && !crate::marks::is_quote_char_str(&self.tok(i).text)
    }

    pub fn text(&self, start: usize, end: usize) -> &str {
        self.doc.text.get(start..end).unwrap_or("")
    }

    /// First token whose start is at or after byte `b`.
    pub fn token_at_or_after(&self, b: usize) -> usize {
        self.doc.tokens.partition_point(|t| t.start < b)
    }
}
