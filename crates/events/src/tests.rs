//! Unit tests of event coding over hand-built parses: roles, verb patterns, negation, conditions, intents, dates.
use super::*;
use chronicle_core::{Published, Sentence, Token};
use proptest::prelude::*;

const ROOT: usize = usize::MAX;

/// One hand-parsed sentence: (word, upos, head index in the sentence or ROOT, deprel).
fn parsed(words: &[(&str, &str, usize, &str)]) -> Document {
    let text = words.iter().map(|w| w.0).collect::<Vec<_>>().join(" ");
    let mut d = Document::from_text("t", "t", text.clone());
    d.published = Some(Published {
        date: "2016-10-01".into(),
        time: None,
        provenance: chronicle_core::DateProvenance::Header,
        confidence: 1.0,
        estimated: false,
    });
    let mut pos = 0;
    for (w, upos, head, rel) in words {
        let lemma = match *w {
            "accused" => "accuse",
            "said" => "say",
            "bombed" => "bomb",
            "attacked" => "attack",
            "met" => "meet",
            "plans" => "plan",
            "was" => "be",
            "did" => "do",
            "killing" => "kill",
            "demanded" => "demand",
            "gave" => "give",
            "dollars" => "dollar",
            "attacking" => "attack",
            "argued" => "argue",
            "signed" => "sign",
            "halted" => "halt",
            "negotiations" => "negotiation",
            "denied" => "deny",
            "carrying" => "carry",
            "dismissed" => "dismiss",
            "reports" => "report",
            "took" => "take",
            "crimes" => "crime",
            "believe" => "believe",
            w => w,
        };
        d.tokens.push(Token {
            start: pos,
            end: pos + w.len(),
            text: w.to_string(),
            upos: Some(upos.to_string()),
            xpos: (*upos == "VERB" && w.ends_with("ed")).then(|| "VBD".to_string()),
            lemma: Some(lemma.to_lowercase()),
            head: (*head != ROOT).then_some(*head),
            deprel: Some(rel.to_string()),
        });
        pos += w.len() + 1;
    }
    d.sentences.push(Sentence {
        start: 0,
        end: text.len(),
        token_start: 0,
        token_end: d.tokens.len(),
    });
    d
}

fn coded(d: &Document) -> Vec<(String, String, String, String)> {
    let c = EventCoder::shared().expect("embedded codebook");
    c.code(d, None)
        .events
        .into_iter()
        .map(|e| {
            (
                e.source_actor.unwrap_or_default(),
                e.cameo,
                e.target_actor.unwrap_or_default(),
                e.modality.unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn accusation_source_and_target() {
    let d = parsed(&[
        ("Syria", "PROPN", 1, "nsubj"),
        ("accused", "VERB", ROOT, "root"),
        ("Turkey", "PROPN", 1, "obj"),
        (".", "PUNCT", 1, "punct"),
    ]);
    let e = coded(&d);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(
        (e[0].0.as_str(), &e[0].1[..2], e[0].2.as_str()),
        ("SYR", "11", "TUR")
    );
}

#[test]
fn passive_voice_swaps_roles() {
    let d = parsed(&[
        ("Turkey", "PROPN", 2, "nsubj:pass"),
        ("was", "AUX", 2, "aux:pass"),
        ("attacked", "VERB", ROOT, "root"),
        ("by", "ADP", 4, "case"),
        ("Syria", "PROPN", 2, "obl"),
    ]);
    let e = coded(&d);
    assert!(!e.is_empty(), "{e:?}");
    assert_eq!((e[0].0.as_str(), e[0].2.as_str()), ("SYR", "TUR"), "{e:?}");
    assert!(
        e[0].1.starts_with("19") || e[0].1.starts_with("18"),
        "{e:?}"
    );
}

#[test]
fn negation_codes_nothing() {
    let d = parsed(&[
        ("Syria", "PROPN", 3, "nsubj"),
        ("did", "AUX", 3, "aux"),
        ("not", "PART", 3, "advmod"),
        ("attack", "VERB", ROOT, "root"),
        ("Turkey", "PROPN", 3, "obj"),
    ]);
    assert!(coded(&d).is_empty());
}

#[test]
fn compound_meeting_is_symmetric() {
    let d = parsed(&[
        ("Russia", "PROPN", 3, "nsubj"),
        ("and", "CCONJ", 2, "cc"),
        ("Turkey", "PROPN", 0, "conj"),
        ("met", "VERB", ROOT, "root"),
    ]);
    let mut e = coded(&d);
    e.sort();
    assert_eq!(e.len(), 2, "{e:?}");
    assert_eq!((e[0].0.as_str(), e[0].2.as_str()), ("RUS", "TUR"));
    assert_eq!((e[1].0.as_str(), e[1].2.as_str()), ("TUR", "RUS"));
    assert!(e[0].1.starts_with("04"));
}

#[test]
fn planned_meeting_is_an_intent() {
    let d = parsed(&[
        ("Russia", "PROPN", 1, "nsubj"),
        ("plans", "VERB", ROOT, "root"),
        ("to", "PART", 3, "mark"),
        ("meet", "VERB", 1, "xcomp"),
        ("Turkey", "PROPN", 3, "obj"),
    ]);
    let e = coded(&d);
    let meet: Vec<_> = e.iter().filter(|x| x.3 == "intent").collect();
    assert_eq!(meet.len(), 1, "{e:?}");
    assert_eq!(meet[0].1, "036");
}

#[test]
fn reported_attack_is_the_speakers_accusation() {
    let d = parsed(&[
        ("Syria", "PROPN", 1, "nsubj"),
        ("said", "VERB", ROOT, "root"),
        ("Turkey", "PROPN", 3, "nsubj"),
        ("attacked", "VERB", 1, "ccomp"),
        ("Aleppo", "PROPN", 3, "obj"),
    ]);
    let e = coded(&d);
    assert!(
        e.iter()
            .any(|x| x.0 == "SYR" && x.1 == "112" && x.2 == "TUR"),
        "{e:?}"
    );
}

#[test]
fn must_under_a_speech_verb_is_a_demand() {
    let d = parsed(&[
        ("Syria", "PROPN", 1, "nsubj"),
        ("said", "VERB", ROOT, "root"),
        ("Turkey", "PROPN", 4, "nsubj"),
        ("must", "AUX", 4, "aux"),
        ("withdraw", "VERB", 1, "ccomp"),
    ]);
    let e = coded(&d);
    assert!(
        e.iter()
            .any(|x| x.0 == "SYR" && x.1 == "100" && x.2 == "TUR"),
        "{e:?}"
    );
}

#[test]
fn reciprocal_compound_subjects_code_both_ways() {
    let d = parsed(&[
        ("Russia", "PROPN", 3, "nsubj"),
        ("and", "CCONJ", 2, "cc"),
        ("Turkey", "PROPN", 0, "conj"),
        ("attacked", "VERB", ROOT, "root"),
        ("each", "DET", 5, "det"),
        ("other", "ADJ", 3, "obj"),
    ]);
    let mut e = coded(&d);
    e.sort();
    let pairs: Vec<(&str, &str)> = e.iter().map(|x| (x.0.as_str(), x.2.as_str())).collect();
    assert!(
        pairs.contains(&("RUS", "TUR")) && pairs.contains(&("TUR", "RUS")),
        "{e:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// Any parse (random heads and relations, up to 500 tokens) codes in bounded
    /// time without panicking, and every span is valid.
    #[test]
    fn random_parses_never_panic(n in 1usize..500, seed in any::<u64>()) {
        let words = ["Syria", "attacked", "Turkey", "and", "Russia", "met", "the", "regime", "not", "by", "in", "Aleppo", "said", "plans", "to", "denied", "dismissed", "reports", "no", "strike"];
        let rels = ["nsubj", "obj", "obl", "conj", "xcomp", "ccomp", "advmod", "case", "aux:pass", "nsubj:pass", "root", "cc", "acl", "nmod", "det"];
        let mut x = seed | 1;
        let mut next = || { x ^= x << 13; x ^= x >> 7; x ^= x << 17; x as usize };
        let spec: Vec<(&str, &str, usize, &str)> = (0..n)
            .map(|i| {
                let w = words[next() % words.len()];
                let head = if i == 0 { ROOT } else { next() % n };
                let verb = matches!(w, "attacked" | "met" | "denied" | "dismissed");
                (w, if verb { "VERB" } else { "PROPN" }, head, rels[next() % rels.len()])
            })
            .collect();
        let mut d = parsed(&spec);
        let t = std::time::Instant::now();
        EventCoder::shared().expect("codebook").annotate(&mut d);
        prop_assert!(t.elapsed().as_secs() < 5);
        prop_assert!(d.check_spans().is_ok());
        for x in EventCoder::shared().expect("codebook").denials(&d) {
            prop_assert!(d.text.get(x.start..x.end) == Some(x.sentence.as_str()));
            prop_assert!(d.text.get(x.cue.start..x.cue.end).is_some());
        }
    }
}

#[test]
fn condition_clause_codes_nothing() {
    // "Turkey will retaliate if Syria attacks Turkey": the attack is a condition.
    let d = parsed(&[
        ("if", "SCONJ", 2, "mark"),
        ("Syria", "PROPN", 2, "nsubj"),
        ("attacked", "VERB", ROOT, "root"),
        ("Turkey", "PROPN", 2, "obj"),
    ]);
    assert!(coded(&d).is_empty(), "{:?}", coded(&d));
}

#[test]
fn halting_negotiations_is_164_with_the_supplement() {
    let d = parsed(&[
        ("Syria", "PROPN", 1, "nsubj"),
        ("halted", "VERB", ROOT, "root"),
        ("negotiations", "NOUN", 1, "obj"),
        ("with", "ADP", 4, "case"),
        ("Turkey", "PROPN", 2, "nmod"),
        ("on", "ADP", 7, "case"),
        ("a", "DET", 7, "det"),
        ("ceasefire", "NOUN", 2, "nmod"),
    ]);
    let e = coded(&d);
    assert!(e.iter().any(|x| x.1 == "164"), "{e:?}");
    assert!(!e.iter().any(|x| x.1 == "196"), "{e:?}");
}

#[test]
fn where_something_was_said_is_not_its_target() {
    let d = parsed(&[
        ("Syria", "PROPN", 1, "nsubj"),
        ("said", "VERB", ROOT, "root"),
        ("in", "ADP", 3, "case"),
        ("Moscow", "PROPN", 1, "obl"),
    ]);
    let e = coded(&d);
    assert!(e.iter().all(|x| x.2 != "RUS"), "{e:?}");
}

#[test]
fn news_verb_misread_as_reduced_relative_keeps_its_subject() {
    // "Syria attacked Turkey, officials said" with "attacked" hung on "Syria"
    // as a participle (acl): an active participle with an object.
    let d = parsed(&[
        ("Syria", "PROPN", 5, "nsubj"),
        ("attacked", "VERB", 0, "acl"),
        ("Turkey", "PROPN", 1, "obj"),
        (",", "PUNCT", 5, "punct"),
        ("officials", "NOUN", 5, "nsubj"),
        ("said", "VERB", ROOT, "root"),
    ]);
    let e = coded(&d);
    assert!(
        e.iter()
            .any(|x| x.0 == "SYR" && x.2 == "TUR" && x.1.starts_with("19")),
        "{e:?}"
    );
}

/// The dates of the events coded in `d`, with where each came from.
fn dates(d: &Document) -> Vec<(String, String, String)> {
    let c = EventCoder::shared().expect("embedded codebook");
    c.code(d, None)
        .events
        .into_iter()
        .map(|e| {
            (
                e.cameo,
                e.date.unwrap_or_default(),
                e.date_source.unwrap_or_default(),
            )
        })
        .collect()
}

fn with_time(mut d: Document, word: &str, value: &str) -> Document {
    let t = d
        .tokens
        .iter()
        .find(|t| t.text == word)
        .map(|t| (t.start, t.end))
        .expect("word in sentence");
    d.times.push(chronicle_core::TimeExpr {
        start: t.0,
        end: t.1,
        text: word.into(),
        kind: "DATE".into(),
        value: value.into(),
        anchor: None,
    });
    d
}

#[test]
fn a_time_in_a_relative_clause_does_not_date_the_main_verb() {
    // "Syria attacked Turkey over a deal signed Monday": Monday dates the deal.
    let d = with_time(
        parsed(&[
            ("Syria", "PROPN", 1, "nsubj"),
            ("attacked", "VERB", ROOT, "root"),
            ("Turkey", "PROPN", 1, "obj"),
            ("over", "ADP", 5, "case"),
            ("a", "DET", 5, "det"),
            ("deal", "NOUN", 1, "obl"),
            ("signed", "VERB", 5, "acl"),
            ("Monday", "PROPN", 6, "obl:tmod"),
        ]),
        "Monday",
        "2016-09-26",
    );
    let e = dates(&d);
    assert!(!e.is_empty(), "{e:?}");
    assert!(e.iter().all(|x| x.2 == "published"), "{e:?}");
}

#[test]
fn a_participle_takes_the_date_of_the_verb_it_hangs_on() {
    // "Syria attacked Turkey on Friday, killing civilians".
    let d = with_time(
        parsed(&[
            ("Syria", "PROPN", 1, "nsubj"),
            ("attacked", "VERB", ROOT, "root"),
            ("Turkey", "PROPN", 1, "obj"),
            ("on", "ADP", 4, "case"),
            ("Friday", "PROPN", 1, "obl"),
            (",", "PUNCT", 6, "punct"),
            ("killing", "VERB", 1, "advcl"),
            ("Turkey", "PROPN", 6, "obj"),
        ]),
        "Friday",
        "2016-09-30",
    );
    let e = dates(&d);
    assert!(e.len() >= 2, "{e:?}");
    assert!(
        e.iter()
            .all(|x| x.1 == "2016-09-30" && x.2 == "time_expression"),
        "{e:?}"
    );
}

#[test]
fn a_gerund_after_a_preposition_is_a_topic_not_an_act() {
    // "Syria argued for attacking Turkey": nothing was attacked.
    let mut d = parsed(&[
        ("Syria", "PROPN", 1, "nsubj"),
        ("argued", "VERB", ROOT, "root"),
        ("for", "SCONJ", 3, "mark"),
        ("attacking", "VERB", 1, "advcl"),
        ("Turkey", "PROPN", 3, "obj"),
    ]);
    d.tokens[3].xpos = Some("VBG".into());
    let e = coded(&d);
    assert!(!e.iter().any(|x| x.1.starts_with("19")), "{e:?}");
}

#[test]
fn a_nationality_read_as_conjunct_gives_way_to_the_named_actor_after_it() {
    // "Turkey and Russian counterpart Vladimir Putin met", with "Russian" parsed
    // as the conjunct and "Putin" as an apposition.
    let d = parsed(&[
        ("Turkey", "PROPN", 6, "nsubj"),
        ("and", "CCONJ", 2, "cc"),
        ("Russian", "ADJ", 0, "conj"),
        ("counterpart", "NOUN", 0, "flat"),
        ("Vladimir", "PROPN", 5, "compound"),
        ("Putin", "PROPN", 0, "appos"),
        ("met", "VERB", ROOT, "root"),
    ]);
    let e = coded(&d);
    assert!(
        e.iter().any(|x| x.0 == "RUSGOV" || x.2 == "RUSGOV"),
        "{e:?}"
    );
    assert!(!e.iter().any(|x| x.0 == "RUS" || x.2 == "RUS"), "{e:?}");
}

#[test]
fn a_multi_code_actor_is_one_participant_per_code() {
    let m = Mention {
        tok_start: 0,
        tok_end: 2,
        code: Some("FRO/BIL/SAM".into()),
        actor: None,
        role: None,
        origin: "dictionary",
    };
    let codes: Vec<Option<String>> = split_multi_codes(vec![m])
        .into_iter()
        .map(|m| m.code)
        .collect();
    assert_eq!(
        codes,
        [Some("FRO".into()), Some("BIL".into()), Some("SAM".into())]
    );
}

#[test]
fn a_nationality_that_names_a_currency_is_no_target() {
    // "Japan gave US dollars to Jordan": the aid goes to Jordan, not the US.
    let d = parsed(&[
        ("Japan", "PROPN", 1, "nsubj"),
        ("gave", "VERB", ROOT, "root"),
        ("US", "PROPN", 3, "compound"),
        ("dollars", "NOUN", 1, "obj"),
        ("to", "ADP", 5, "case"),
        ("Jordan", "PROPN", 1, "obl"),
    ]);
    let e = coded(&d);
    assert!(e.iter().any(|x| x.0 == "JPN" && x.2 == "JOR"), "{e:?}");
    assert!(!e.iter().any(|x| x.2 == "USA"), "{e:?}");
}

#[test]
fn a_with_phrase_hung_on_the_governor_still_names_the_target() {
    // "Syria is ready to meet with Turkey", with "with Turkey" parsed under "ready".
    let d = parsed(&[
        ("Syria", "PROPN", 2, "nsubj"),
        ("is", "AUX", 2, "cop"),
        ("ready", "ADJ", ROOT, "root"),
        ("to", "PART", 4, "mark"),
        ("meet", "VERB", 2, "xcomp"),
        ("with", "ADP", 6, "case"),
        ("Turkey", "PROPN", 2, "obl"),
    ]);
    let e = coded(&d);
    assert!(e.iter().any(|x| x.0 == "SYR" && x.2 == "TUR"), "{e:?}");
}

#[test]
fn two_subjects_of_one_verb_are_two_sources() {
    // "Syria and the awful Iraq attacked Turkey", parsed with two nsubj.
    let d = parsed(&[
        ("Syria", "PROPN", 5, "nsubj"),
        ("and", "CCONJ", 3, "cc"),
        ("the", "DET", 3, "det"),
        ("awful", "NOUN", 0, "conj"),
        ("Iraq", "PROPN", 5, "nsubj"),
        ("attacked", "VERB", ROOT, "root"),
        ("Turkey", "PROPN", 5, "obj"),
    ]);
    let e = coded(&d);
    for src in ["SYR", "IRQ"] {
        assert!(e.iter().any(|x| x.0 == src && x.2 == "TUR"), "{src}: {e:?}");
    }
}

#[test]
fn countries_conjoined_in_an_agents_of_phrase_share_the_agent() {
    // "The ministers of Syria and Iraq met Turkey."
    let d = parsed(&[
        ("The", "DET", 1, "det"),
        ("ministers", "NOUN", 6, "nsubj"),
        ("of", "ADP", 3, "case"),
        ("Syria", "PROPN", 1, "nmod"),
        ("and", "CCONJ", 5, "cc"),
        ("Iraq", "PROPN", 3, "conj"),
        ("met", "VERB", ROOT, "root"),
        ("Turkey", "PROPN", 6, "obj"),
    ]);
    let e = coded(&d);
    for src in ["SYRGOV", "IRQGOV"] {
        assert!(e.iter().any(|x| x.0 == src && x.2 == "TUR"), "{src}: {e:?}");
    }
}

#[test]
fn a_reduced_relative_misread_keeps_its_subject_through_an_xcomp_object() {
    // "Syria attacked suspected rebels Turkey …" parsed with the object under
    // the xcomp "suspected": "Syria attacked suspected Turkey, officials said".
    let mut d = parsed(&[
        ("Syria", "PROPN", 6, "nsubj"),
        ("attacked", "VERB", 0, "acl"),
        ("suspected", "VERB", 1, "xcomp"),
        ("Turkey", "PROPN", 2, "obj"),
        (",", "PUNCT", 6, "punct"),
        ("officials", "NOUN", 6, "nsubj"),
        ("said", "VERB", ROOT, "root"),
    ]);
    d.tokens[1].xpos = Some("VBN".into());
    let e = coded(&d);
    assert!(
        e.iter().any(|x| x.0 == "SYR" && x.1.starts_with("19")),
        "{e:?}"
    );
}

#[test]
fn a_name_read_as_the_demanded_clause_is_the_target() {
    // "Syria demanded that Turkey withdraw", with "Turkey" parsed as the ccomp.
    let d = parsed(&[
        ("Syria", "PROPN", 1, "nsubj"),
        ("demanded", "VERB", ROOT, "root"),
        ("that", "SCONJ", 3, "mark"),
        ("Turkey", "PROPN", 1, "ccomp"),
        ("withdraw", "VERB", 1, "obl"),
    ]);
    let e = coded(&d);
    assert!(e.iter().any(|x| x.0 == "SYR" && x.2 == "TUR"), "{e:?}");
}

/// One hand-parsed sentence for the shape test: words (word, upos, head within the
/// sentence or ROOT, deprel, lemma), entities (token range, label, country), the
/// token of its date, and a quotation (token range, speaker token range).
struct Shaped {
    words: Vec<(
        &'static str,
        &'static str,
        usize,
        &'static str,
        &'static str,
    )>,
    entities: Vec<(usize, usize, &'static str, Option<&'static str>)>,
    time: Option<usize>,
    quote: Option<((usize, usize), (usize, usize))>,
}

fn shaped_block() -> Vec<Shaped> {
    vec![
        // "Syria attacked Turkey in Aleppo on Friday."
        Shaped {
            words: vec![
                ("Syria", "PROPN", 1, "nsubj", "Syria"),
                ("attacked", "VERB", ROOT, "root", "attack"),
                ("Turkey", "PROPN", 1, "obj", "Turkey"),
                ("in", "ADP", 4, "case", "in"),
                ("Aleppo", "PROPN", 1, "obl", "Aleppo"),
                ("on", "ADP", 6, "case", "on"),
                ("Friday", "PROPN", 1, "obl", "Friday"),
                (".", "PUNCT", 1, "punct", "."),
            ],
            entities: vec![
                (0, 1, "LOC", Some("SYR")),
                (2, 3, "LOC", Some("TUR")),
                (4, 5, "LOC", Some("SYR")),
            ],
            time: Some(6),
            quote: None,
        },
        // "Syrian President Bashar Assad met Turkey."
        Shaped {
            words: vec![
                ("Syrian", "ADJ", 3, "amod", "Syrian"),
                ("President", "PROPN", 3, "compound", "President"),
                ("Bashar", "PROPN", 3, "compound", "Bashar"),
                ("Assad", "PROPN", 4, "nsubj", "Assad"),
                ("met", "VERB", ROOT, "root", "meet"),
                ("Turkey", "PROPN", 4, "obj", "Turkey"),
                (".", "PUNCT", 4, "punct", "."),
            ],
            entities: vec![
                (0, 1, "NORP", Some("SYR")),
                (2, 4, "PER", None),
                (5, 6, "LOC", Some("TUR")),
            ],
            time: None,
            quote: None,
        },
        // "He attacked Turkey."
        Shaped {
            words: vec![
                ("He", "PRON", 1, "nsubj", "he"),
                ("attacked", "VERB", ROOT, "root", "attack"),
                ("Turkey", "PROPN", 1, "obj", "Turkey"),
                (".", "PUNCT", 1, "punct", "."),
            ],
            entities: vec![(2, 3, "LOC", Some("TUR"))],
            time: None,
            quote: None,
        },
        // "“We attacked Turkey,” Syria said."
        Shaped {
            words: vec![
                ("“", "PUNCT", 2, "punct", "“"),
                ("We", "PRON", 2, "nsubj", "we"),
                ("attacked", "VERB", 7, "ccomp", "attack"),
                ("Turkey", "PROPN", 2, "obj", "Turkey"),
                (",", "PUNCT", 2, "punct", ","),
                ("”", "PUNCT", 2, "punct", "”"),
                ("Syria", "PROPN", 7, "nsubj", "Syria"),
                ("said", "VERB", ROOT, "root", "say"),
                (".", "PUNCT", 7, "punct", "."),
            ],
            entities: vec![(3, 4, "LOC", Some("TUR")), (6, 7, "LOC", Some("SYR"))],
            time: None,
            quote: Some(((0, 6), (6, 7))),
        },
    ]
}

/// `copies` times the block, as one document.
fn shaped_document(copies: usize) -> Document {
    let mut d = parsed(&[("x", "X", ROOT, "root")]);
    d.tokens.clear();
    d.sentences.clear();
    let mut text = String::new();
    for _ in 0..copies {
        for s in shaped_block() {
            let base = d.tokens.len();
            let start = text.len();
            for (i, (w, upos, head, rel, lemma)) in s.words.iter().enumerate() {
                if i > 0 {
                    text.push(' ');
                }
                let at = text.len();
                text.push_str(w);
                d.tokens.push(Token {
                    start: at,
                    end: text.len(),
                    text: w.to_string(),
                    upos: Some(upos.to_string()),
                    xpos: None,
                    lemma: Some(lemma.to_lowercase()),
                    head: (*head != ROOT).then_some(base + head),
                    deprel: Some(rel.to_string()),
                });
            }
            let bytes = |a: usize, b: usize| (d.tokens[base + a].start, d.tokens[base + b - 1].end);
            for &(a, b, label, country) in &s.entities {
                let (x, y) = bytes(a, b);
                d.entities.push(chronicle_core::Entity {
                    start: x,
                    end: y,
                    text: text[x..y].to_string(),
                    label: label.into(),
                    country: country.map(str::to_string),
                });
            }
            if let Some(t) = s.time {
                let (x, y) = bytes(t, t + 1);
                d.times.push(chronicle_core::TimeExpr {
                    start: x,
                    end: y,
                    text: text[x..y].to_string(),
                    kind: "DATE".into(),
                    value: "2016-09-30".into(),
                    anchor: None,
                });
            }
            if let Some(((a, b), (sa, sb))) = s.quote {
                let (x, y) = bytes(a, b);
                let (p, q) = bytes(sa, sb);
                d.quotes.push(chronicle_core::Quote {
                    start: x,
                    end: y,
                    text: text[x..y].to_string(),
                    kind: "direct".into(),
                    cue: Some("said".into()),
                    speaker: Some(text[p..q].to_string()),
                    speaker_canonical: Some(text[p..q].to_string()),
                    speaker_span: Some(Span::new(p, q)),
                    cue_span: None,
                });
            }
            d.sentences.push(Sentence {
                start,
                end: text.len(),
                token_start: base,
                token_end: d.tokens.len(),
            });
            text.push(' ');
        }
    }
    d.text = text;
    d
}

/// The algorithm's shape, by counting: twice the document, about twice the layer
/// items the actor and event lookups compare (a scan of a whole layer per verb,
/// sentence or pronoun made it four times). Counts, never time.
#[test]
fn doubling_the_document_about_doubles_the_comparisons() {
    let c = EventCoder::shared().expect("embedded codebook");
    let one = c.code(&shaped_document(1), None);
    let kinds: Vec<(&str, Option<&str>, Option<&str>)> = one
        .events
        .iter()
        .map(|e| {
            (
                e.cameo.as_str(),
                e.source_actor.as_deref(),
                e.location.as_deref(),
            )
        })
        .collect();
    // The fixture reaches the place, date, pronoun and quotation lookups.
    assert!(
        one.events
            .iter()
            .any(|e| e.location.as_deref() == Some("Aleppo")),
        "{kinds:?}"
    );
    assert!(
        one.events
            .iter()
            .any(|e| e.date_source.as_deref() == Some("time_expression")),
        "{kinds:?}"
    );
    let runs: Vec<Coded> = [100, 200, 400]
        .iter()
        .map(|&n| c.code(&shaped_document(n), None))
        .collect();
    let n = one.events.len();
    // "He attacked Turkey": the pronoun is the president named before it.
    assert_eq!(n, 3, "{kinds:?}");
    assert_eq!(kinds[2].1, Some("SYRGOV"), "{kinds:?}");
    assert_eq!(
        runs.iter().map(|r| r.events.len()).collect::<Vec<_>>(),
        [100 * n, 200 * n, 400 * n]
    );
    let w: Vec<f64> = runs.iter().map(|r| r.comparisons as f64).collect();
    assert!(w[0] > 0.0);
    // Linear: 2x and 4x, with room for logarithms; quadratic would be 4x and 16x.
    assert!(w[1] / w[0] < 2.3 && w[2] / w[0] < 4.6, "comparisons {w:?}");
}

#[test]
fn negation_on_the_governor_of_an_intent_is_kept() {
    // "the United States will not be ready to join Russia"
    let d = parsed(&[
        ("America", "PROPN", 4, "nsubj"),
        ("will", "AUX", 4, "aux"),
        ("not", "PART", 4, "advmod"),
        ("be", "AUX", 4, "cop"),
        ("ready", "ADJ", ROOT, "root"),
        ("to", "PART", 6, "mark"),
        ("join", "VERB", 4, "xcomp"),
        ("Russia", "PROPN", 6, "obj"),
    ]);
    let e = coded(&d);
    assert!(
        e.iter().all(|x| !x.1.starts_with("03")),
        "no intent to cooperate: {e:?}"
    );
}

#[test]
fn a_negated_belief_codes_nothing_in_its_clause() {
    // "I do n't believe Turkey will join Russia"
    let d = parsed(&[
        ("I", "PRON", 3, "nsubj"),
        ("do", "AUX", 3, "aux"),
        ("n't", "PART", 3, "advmod"),
        ("believe", "VERB", ROOT, "root"),
        ("Turkey", "PROPN", 6, "nsubj"),
        ("will", "AUX", 6, "aux"),
        ("join", "VERB", 3, "ccomp"),
        ("Russia", "PROPN", 6, "obj"),
    ]);
    let e = coded(&d);
    assert!(
        !e.iter().any(|x| x.0 == "TUR" && x.2 == "RUS"),
        "a doubt is no act: {e:?}"
    );
}

#[test]
fn what_is_denied_is_not_coded_as_done() {
    let d = denied_strike();
    let e = coded(&d);
    assert!(e.iter().all(|x| !x.1.starts_with("19")), "{e:?}");
    // The denial itself: Russia denies responsibility (016), rejecting no one.
    assert!(e.iter().any(|x| x.0 == "RUS" && x.1 == "016"), "{e:?}");
    assert!(e.iter().all(|x| !x.1.starts_with("12")), "{e:?}");
}

#[test]
fn no_such_attack_took_place_is_a_negated_attack() {
    let c = EventCoder::shared().expect("embedded codebook");
    let d = parsed(&[
        ("No", "DET", 1, "det"),
        ("attack", "NOUN", 2, "nsubj"),
        ("took", "VERB", ROOT, "root"),
        ("place", "NOUN", 2, "obj"),
    ]);
    assert!(coded(&d).is_empty(), "{:?}", coded(&d));
    let found = c.denials(&d);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, DenialKind::Negated);
    assert_eq!(found[0].cue_text, "No");
    assert!(crate::hostile(found[0].code.as_deref()), "{found:?}");
}

#[test]
fn a_ceasefire_taking_effect_is_no_seizure() {
    let d = parsed(&[
        ("A", "DET", 1, "det"),
        ("ceasefire", "NOUN", 4, "nsubj"),
        ("by", "ADP", 3, "case"),
        ("Russia", "PROPN", 1, "nmod"),
        ("took", "VERB", ROOT, "root"),
        ("effect", "NOUN", 4, "obj"),
    ]);
    let e = coded(&d);
    assert!(e.iter().all(|x| !x.1.starts_with("17")), "{e:?}");
}

#[test]
fn an_accusation_of_crimes_stays_an_accusation() {
    let d = parsed(&[
        ("Turkey", "PROPN", 1, "nsubj"),
        ("accused", "VERB", ROOT, "root"),
        ("Syria", "PROPN", 1, "obj"),
        ("of", "ADP", 4, "case"),
        ("crimes", "NOUN", 1, "obl"),
    ]);
    let e = coded(&d);
    assert!(!e.is_empty(), "{e:?}");
    assert!(e.iter().all(|x| x.1.starts_with("11")), "{e:?}");
}

/// "Russia denied carrying out the strike on Turkey ."
fn denied_strike() -> Document {
    parsed(&[
        ("Russia", "PROPN", 1, "nsubj"),
        ("denied", "VERB", ROOT, "root"),
        ("carrying", "VERB", 1, "xcomp"),
        ("out", "ADP", 2, "compound:prt"),
        ("the", "DET", 5, "det"),
        ("strike", "NOUN", 2, "obj"),
        ("on", "ADP", 7, "case"),
        ("Turkey", "PROPN", 5, "nmod"),
        (".", "PUNCT", 1, "punct"),
    ])
}

#[test]
fn a_denial_names_the_denier_and_the_act() {
    let c = EventCoder::shared().expect("embedded codebook");
    let d = denied_strike();
    let found = c.denials(&d);
    assert_eq!(found.len(), 1, "{found:?}");
    let x = &found[0];
    assert_eq!(x.kind, DenialKind::Denied);
    assert_eq!(x.cue_text, "denied");
    assert_eq!(
        x.denier.as_ref().and_then(|a| a.code.as_deref()),
        Some("RUS")
    );
    assert!(crate::hostile(x.code.as_deref()), "{x:?}");
    assert_eq!(
        x.sources
            .iter()
            .filter_map(|a| a.code.as_deref())
            .collect::<Vec<_>>(),
        vec!["RUS"]
    );
    assert_eq!(&d.text[x.start..x.end], x.sentence);
    assert_eq!(&d.text[x.cue.start..x.cue.end], "denied");
}

#[test]
fn dismissing_reports_of_an_attack_is_a_denial_but_rejecting_a_plea_is_not() {
    let c = EventCoder::shared().expect("embedded codebook");
    let d = parsed(&[
        ("Russia", "PROPN", 1, "nsubj"),
        ("dismissed", "VERB", ROOT, "root"),
        ("reports", "NOUN", 1, "obj"),
        ("of", "ADP", 5, "case"),
        ("Turkish", "ADJ", 5, "amod"),
        ("strikes", "NOUN", 2, "nmod"),
    ]);
    let found = c.denials(&d);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0]
            .sources
            .iter()
            .filter_map(|a| a.code.as_deref())
            .collect::<Vec<_>>(),
        vec!["TUR"]
    );
    let plea = parsed(&[
        ("Russia", "PROPN", 1, "nsubj"),
        ("dismissed", "VERB", ROOT, "root"),
        ("a", "DET", 3, "det"),
        ("plea", "NOUN", 1, "obj"),
    ]);
    assert!(c.denials(&plea).is_empty());
}

#[test]
fn a_negated_act_is_told_as_not_done() {
    let c = EventCoder::shared().expect("embedded codebook");
    let d = parsed(&[
        ("Russia", "PROPN", 3, "nsubj"),
        ("did", "AUX", 3, "aux"),
        ("not", "PART", 3, "advmod"),
        ("attack", "VERB", ROOT, "root"),
        ("Turkey", "PROPN", 3, "obj"),
    ]);
    let found = c.denials(&d);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, DenialKind::Negated);
    assert_eq!(found[0].cue_text, "not");
    assert_eq!(
        found[0]
            .targets
            .iter()
            .filter_map(|a| a.code.as_deref())
            .collect::<Vec<_>>(),
        vec!["TUR"]
    );
}
