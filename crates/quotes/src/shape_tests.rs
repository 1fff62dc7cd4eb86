//! The algorithm's shape, by counting: a document twice as long costs the speaker
//! resolver and the span lookups about twice as many comparisons (a whole-layer scan
//! per quote or number made it four times as many). Counts, never time.

use super::*;
use chronicle_core::{Entity, Sentence, TimeExpr, Token};

const ROOT: usize = usize::MAX;

/// (word, upos, head within the sentence or ROOT, deprel, lemma)
type Word = (String, &'static str, usize, &'static str, String);
/// A sentence: its words, its entities as token ranges, the token of its date.
type Parsed = (Vec<Word>, Vec<(usize, usize, &'static str)>, Option<usize>);

/// Four hand-parsed sentences naming their own person and organization (`k` makes
/// the names differ from copy to copy, so the document's people grow with it).
fn block(k: usize) -> Vec<Parsed> {
    let surname = format!("Dor{}", letters(k));
    let org = format!("Vantor{}", letters(k));
    let w = |s: &str, u: &'static str, h: usize, r: &'static str, l: &str| {
        (s.to_string(), u, h, r, l.to_string())
    };
    vec![
        (
            vec![
                w("Foreign", "PROPN", 1, "compound", "foreign"),
                w("Minister", "PROPN", 3, "compound", "minister"),
                w("Ana", "PROPN", 3, "compound", "ana"),
                w(&surname, "PROPN", 4, "nsubj", &surname.to_lowercase()),
                w("said", "VERB", ROOT, "root", "say"),
                w("12", "NUM", 6, "nummod", "12"),
                w("people", "NOUN", 7, "nsubj", "people"),
                w("died", "VERB", 4, "ccomp", "die"),
                w("in", "ADP", 9, "case", "in"),
                w("Kestra", "PROPN", 7, "obl", "kestra"),
                w("on", "ADP", 11, "case", "on"),
                w("Monday", "PROPN", 7, "obl", "monday"),
                w(".", "PUNCT", 4, "punct", "."),
            ],
            vec![(2, 4, "PER"), (9, 10, "LOC")],
            Some(11),
        ),
        (
            vec![
                w("“", "PUNCT", 3, "punct", "“"),
                w("The", "DET", 2, "det", "the"),
                w("talks", "NOUN", 3, "nsubj", "talk"),
                w("failed", "VERB", 7, "ccomp", "fail"),
                w(",", "PUNCT", 3, "punct", ","),
                w("”", "PUNCT", 3, "punct", "”"),
                w("she", "PRON", 7, "nsubj", "she"),
                w("said", "VERB", ROOT, "root", "say"),
                w(".", "PUNCT", 7, "punct", "."),
            ],
            vec![],
            None,
        ),
        (
            vec![
                w("The", "DET", 1, "det", "the"),
                w("minister", "NOUN", 2, "nsubj", "minister"),
                w("said", "VERB", ROOT, "root", "say"),
                w("the", "DET", 5, "det", "the"),
                w(&org, "PROPN", 5, "compound", &org.to_lowercase()),
                w("Group", "PROPN", 6, "nsubj", "group"),
                w("lied", "VERB", 2, "ccomp", "lie"),
                w(".", "PUNCT", 2, "punct", "."),
            ],
            vec![(4, 6, "ORG")],
            None,
        ),
        (
            vec![
                w("“", "PUNCT", 2, "punct", "“"),
                w("Nothing", "PRON", 2, "nsubj", "nothing"),
                w("changed", "VERB", 6, "ccomp", "change"),
                w(",", "PUNCT", 2, "punct", ","),
                w("”", "PUNCT", 2, "punct", "”"),
                w("it", "PRON", 6, "nsubj", "it"),
                w("said", "VERB", ROOT, "root", "say"),
                w(".", "PUNCT", 6, "punct", "."),
            ],
            vec![],
            None,
        ),
    ]
}

/// `k` as three lower-case letters: names that differ in every trigram position.
fn letters(k: usize) -> String {
    let a = |n: usize| char::from(b'a' + (n % 26) as u8);
    [a(k / 676), a(k / 26), a(k)].iter().collect()
}

fn document(copies: usize) -> Document {
    let mut d = Document::from_text("shape", "shape.txt", String::new());
    let mut text = String::new();
    for k in 0..copies {
        for (words, ents, time) in block(k) {
            let base = d.tokens.len();
            let start = text.len();
            for (i, (word, upos, head, rel, lemma)) in words.iter().enumerate() {
                if i > 0 {
                    text.push(' ');
                }
                let s = text.len();
                text.push_str(word);
                d.tokens.push(Token {
                    start: s,
                    end: text.len(),
                    text: word.clone(),
                    upos: Some(upos.to_string()),
                    xpos: None,
                    lemma: Some(lemma.clone()),
                    head: (*head != ROOT).then_some(base + head),
                    deprel: Some(rel.to_string()),
                });
            }
            for (a, b, label) in ents {
                let (s, e) = (d.tokens[base + a].start, d.tokens[base + b - 1].end);
                d.entities.push(Entity {
                    start: s,
                    end: e,
                    text: text[s..e].to_string(),
                    label: label.to_string(),
                    country: None,
                });
            }
            if let Some(t) = time {
                let tok = &d.tokens[base + t];
                d.times.push(TimeExpr {
                    start: tok.start,
                    end: tok.end,
                    text: tok.text.clone(),
                    kind: "DATE".into(),
                    value: "2016-10-03".into(),
                    anchor: None,
                });
            }
            d.sentences.push(Sentence {
                start,
                end: text.len(),
                token_start: base,
                token_end: d.tokens.len(),
            });
            text.push_str("\n\n");
        }
    }
    d.text = text;
    d
}

/// Quotes, claims and the comparisons made finding them.
fn run(copies: usize) -> (Vec<Quote>, usize, usize) {
    let d = document(copies);
    let v = View::new(&d);
    let (quotes, resolver) = quotes_of(&v);
    let claims = claims::extract(&v, &quotes);
    // The resolver's count includes the entity index's; the times index is the claims'.
    let work = resolver + v.times.visited();
    (quotes, claims.len(), work)
}

#[test]
fn the_fixture_exercises_every_speaker_rule() {
    let (quotes, claims, _) = run(2);
    let canon: Vec<&str> = quotes
        .iter()
        .filter_map(|q| q.speaker_canonical.as_deref())
        .collect();
    // Names, a pronoun, a description and an organization, each copy its own.
    let each = |k: usize| {
        let person = format!("Ana Dor{}", letters(k));
        // A name, a pronoun, a description, and a pronoun for an organization.
        vec![
            person.clone(),
            person.clone(),
            person,
            format!("Vantor{} Group", letters(k)),
        ]
    };
    assert_eq!(canon, [each(0), each(1)].concat());
    assert_eq!(claims, 2);
}

#[test]
fn doubling_the_document_about_doubles_the_comparisons() {
    let (q1, c1, w1) = run(200);
    let (q2, c2, w2) = run(400);
    let (q4, c4, w4) = run(800);
    assert_eq!(q2.len(), 2 * q1.len());
    assert_eq!(q4.len(), 4 * q1.len());
    assert_eq!((c2, c4), (2 * c1, 4 * c1));
    assert!(w1 > 0);
    // Linear: 2x and 4x, with room for logarithms; quadratic would be 4x and 16x.
    let (r2, r4) = (w2 as f64 / w1 as f64, w4 as f64 / w1 as f64);
    assert!(r2 < 2.3 && r4 < 4.6, "comparisons {w1} -> {w2} -> {w4}");
}
