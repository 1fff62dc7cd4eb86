//! Unit tests of actor coding: roles from titles and appositions, dated dictionary roles, metonyms, countries.
use super::*;
use chronicle_core::{Published, Sentence, Token};
use proptest::prelude::*;

/// A document tokenized on spaces (lemma = lower-cased word), one sentence per
/// line, entity-free: the dictionaries alone must code it.
pub(crate) fn doc(text: &str, date: &str) -> Document {
    let mut d = Document::from_text("t", "t", text);
    d.published = Some(Published {
        date: date.into(),
        time: None,
        provenance: chronicle_core::DateProvenance::Header,
        confidence: 1.0,
        estimated: false,
    });
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let first = d.tokens.len();
        let mut pos = offset;
        for w in line.split(' ') {
            let w2 = w.trim_end();
            if !w2.is_empty() {
                d.tokens.push(Token {
                    start: pos,
                    end: pos + w2.len(),
                    text: w2.into(),
                    upos: None,
                    xpos: None,
                    lemma: Some(w2.to_lowercase()),
                    head: None,
                    deprel: None,
                });
            }
            pos += w.len() + 1;
        }
        d.sentences.push(Sentence {
            start: offset,
            end: offset + line.trim_end().len(),
            token_start: first,
            token_end: d.tokens.len(),
        });
        offset += line.len();
    }
    d
}

fn coder() -> ActorCoder<'static> {
    ActorCoder::new(Codebook::embedded().expect("embedded codebook"))
}

fn found(d: &Document, a: &DocActors) -> Vec<(String, Option<String>, Option<String>)> {
    a.mentions
        .iter()
        .map(|m| {
            (
                d.tokens[m.tok_start..m.tok_end]
                    .iter()
                    .map(|t| t.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                m.code.clone(),
                m.role.clone(),
            )
        })
        .collect()
}

#[test]
fn title_before_name_learns_the_role() {
    let d = doc(
        "Russian Foreign Minister Sergei Lavrov met Kerry .\nLavrov left .",
        "2016-10-01",
    );
    let a = coder().code(&d, None);
    let f = found(&d, &a);
    assert_eq!(
        f[0],
        (
            "Russian Foreign Minister Sergei Lavrov".into(),
            Some("RUSGOV".into()),
            Some("Foreign Minister".into())
        ),
        "{f:?}"
    );
    let later = f.iter().find(|m| m.0 == "Lavrov").expect("surname coded");
    assert_eq!(later.1.as_deref(), Some("RUSGOV"));
}

#[test]
fn apposition_learns_the_role_of_an_unknown_person() {
    let d = doc(
        "Ivan Zorkin , Russia 's foreign minister , said no .",
        "2016-10-01",
    );
    let mut d = d;
    d.entities.push(chronicle_core::Entity {
        start: 0,
        end: 11,
        text: "Ivan Zorkin".into(),
        label: "PER".into(),
        country: None,
    });
    let a = coder().code(&d, None);
    let m = a.at(0).expect("person coded");
    assert_eq!(m.code.as_deref(), Some("RUSGOV"), "{:?}", found(&d, &a));
    assert_eq!(m.role.as_deref(), Some("Foreign Minister"));
    assert_eq!(m.actor.as_deref(), Some("Ivan Zorkin"));
}

#[test]
fn dictionary_roles_are_dated() {
    let c = coder();
    let before = doc("Barack Obama spoke .", "1995-06-01");
    let after = doc("Barack Obama spoke .", "2012-06-01");
    assert_eq!(
        c.code(&before, None).mentions[0].code.as_deref(),
        Some("USAELI")
    );
    assert_eq!(
        c.code(&after, None).mentions[0].code.as_deref(),
        Some("USAGOV")
    );
}

#[test]
fn metonyms_and_definite_government_references() {
    let c = coder();
    let d = doc(
        "The Kremlin and the State Department spoke .\nSyria and Damascus and the regime spoke .",
        "2016-10-01",
    );
    let f = found(&d, &c.code(&d, None));
    let code = |t: &str| f.iter().find(|m| m.0 == t).and_then(|m| m.1.clone());
    assert_eq!(code("Kremlin").as_deref(), Some("RUSGOV"), "{f:?}");
    assert_eq!(code("State Department").as_deref(), Some("USAGOV"), "{f:?}");
    assert_eq!(code("Damascus").as_deref(), Some("SYR"), "{f:?}");
    assert_eq!(code("regime").as_deref(), Some("SYRGOV"), "{f:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn never_panics_and_mentions_are_ordered(words in proptest::collection::vec("[A-Za-z']{1,9}|,|the|Russian|Minister|Foreign", 0..500)) {
        let d = doc(&words.join(" "), "2016-10-01");
        let a = coder().code(&d, None);
        for w in a.mentions.windows(2) {
            prop_assert!(w[0].tok_end <= w[1].tok_start);
        }
        let layer = a.to_layer(&d, coder().book);
        prop_assert!(layer.iter().all(|m| m.start <= m.end && m.end <= d.text.len()));
    }
}

#[test]
fn lower_case_function_words_are_not_countries() {
    // "us" is not the US, but "US" still is.
    let d = doc("They told us the US would help .", "2016-10-01");
    let a = coder().code(&d, None);
    let f = found(&d, &a);
    assert!(!f.iter().any(|m| m.0 == "us"), "{f:?}");
    assert!(
        f.iter()
            .any(|m| m.0.ends_with("US") && m.1.as_deref() == Some("USA")),
        "{f:?}"
    );
}

#[test]
fn courtesy_and_rank_titles_leave_the_name() {
    assert_eq!(without_honorific("Dr Lena Kovar"), "Lena Kovar");
    assert_eq!(without_honorific("Colonel Piet Danek"), "Piet Danek");
    assert_eq!(without_honorific("Gen. Ana Silva"), "Ana Silva");
    assert_eq!(without_honorific("Major"), "Major");
    assert_eq!(without_honorific("Drake Bell"), "Drake Bell");
}

#[test]
fn north_koreas_official_name_is_not_the_south() {
    let d = doc(
        "the Democratic People 's Republic of Korea said no .",
        "2016-10-01",
    );
    let a = coder().code(&d, None);
    let f = found(&d, &a);
    assert!(f.iter().any(|m| m.1.as_deref() == Some("PRK")), "{f:?}");
    assert!(!f.iter().any(|m| m.1.as_deref() == Some("KOR")), "{f:?}");
}
