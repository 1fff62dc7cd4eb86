//! Who said what, and who claims which numbers.
//!
//! Reads the linguistic layers `chronicle-annotate` fills (sentences, tokens with
//! UPOS/lemma/head/deprel, entities) and adds two layers to a `Document`:
//! `quotes` (direct, partial and reported speech with cue, speaker span and the
//! speaker resolved to the fullest name the document gives) and `claims` (numeric
//! claims with qualifier, what is counted, subject, claimant, place and time).
//! Rule-based: quotation marks, a lexicon of reporting cues, and the dependency parse.
//! Never does I/O; bounded work on any input.

pub mod marks;
pub mod spans;
mod view;

pub use marks::{find_quotes, QuoteSpan};

mod attribution;
mod claims;
mod cues;
mod learned;
mod numbers;
mod speaker;

pub use numbers::{cardinal_word, digits_value};

/// Whether a claim's text states a vague count ("dozens of", "hundreds") rather than a
/// number.
pub fn vague_count(text: &str) -> bool {
    text.split_whitespace()
        .any(|w| numbers::vague_value(&w.to_lowercase()).is_some())
}

/// Every claim kind the extractor gives: the count kinds of the cue lexicon, then
/// the kinds a number's own shape decides (money, percentages, plain counts).
/// Front ends validate user filters against it.
pub fn claim_kinds() -> Vec<&'static str> {
    let mut kinds: Vec<&'static str> = cues::KIND_WORDS.iter().map(|(_, k)| *k).collect();
    kinds.extend(claims::SHAPE_KINDS);
    kinds.sort_unstable();
    kinds.dedup();
    kinds
}

use chronicle_core::{Document, Quote, Span};
use view::View;

/// Fills `doc.quotes` and `doc.claims` (replacing any present) from the linguistic
/// layers. A document without tokens gets empty layers.
pub fn annotate(doc: &mut Document) {
    let (quotes, claims) = {
        let v = View::new(doc);
        let (quotes, _) = quotes_of(&v);
        let claims = claims::extract(&v, &quotes);
        (quotes, claims)
    };
    doc.quotes = quotes;
    doc.claims = claims;
}

/// The quotes, and the items the speaker resolver compared (for shape tests).
fn quotes_of(v: &View) -> (Vec<Quote>, usize) {
    if v.len() == 0 {
        return (Vec::new(), 0);
    }
    let raw = attribution::extract(v);
    let resolver = speaker::Resolver::new(v);
    let mut out = Vec::with_capacity(raw.len());
    let mut last_person: Option<(String, usize)> = None;
    for r in raw {
        let (speaker, canonical, span) = match r.speaker {
            Some((lo, hi)) => {
                let (s, e) = (v.tok(lo).start, v.tok(hi).end);
                let canonical =
                    resolver.resolve(lo, hi, last_person.as_ref().map(|(n, p)| (n.as_str(), *p)));
                if resolver.is_person_name(&canonical) {
                    last_person = Some((canonical.clone(), r.start));
                }
                (
                    Some(v.text(s, e).to_string()),
                    Some(canonical),
                    Some(Span::new(s, e)),
                )
            }
            None => (None, None, None),
        };
        let cue_span = r.cue.map(|(a, b)| Span::new(v.tok(a).start, v.tok(b).end));
        let cue = cue_span.map(|c| v.text(c.start, c.end).to_string());
        out.push(Quote {
            start: r.start,
            end: r.end,
            text: v.text(r.start, r.end).to_string(),
            kind: r.kind.to_string(),
            cue,
            speaker,
            speaker_canonical: canonical,
            speaker_span: span,
            cue_span,
        });
    }
    (out, resolver.comparisons())
}

#[cfg(test)]
mod shape_tests;
