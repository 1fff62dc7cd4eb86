//! CoNLL-U output: whole sentences (system output from raw text) and predictions
//! laid over a gold file that must otherwise stay byte for byte as it was.

use crate::overlay::{no_prediction, rewrite_token_lines, Line};
use crate::{FormatError, Sentence, Word};
use std::fmt::Write as _;

/// A field value safe for one tab-separated column: CoNLL-U has no escaping, so
/// tabs and line breaks become spaces, and an empty value is written as `_`.
pub fn conllu_field(value: &str) -> std::borrow::Cow<'_, str> {
    if value.is_empty() {
        "_".into()
    } else if value.contains(['\t', '\n', '\r']) {
        value.replace(['\t', '\n', '\r'], " ").into()
    } else {
        value.into()
    }
}

/// Writes sentences as CoNLL-U: comments (`# ` + text), multiword-token ranges
/// before their first word, then the ten columns of each word; a blank line
/// closes every sentence. [`crate::read_conllu`] reads the result back unchanged.
pub fn write_conllu(sentences: &[Sentence]) -> String {
    let mut out = String::new();
    for s in sentences {
        for c in &s.comments {
            let _ = writeln!(out, "# {}", c.replace(['\n', '\r'], " "));
        }
        for (i, w) in s.words.iter().enumerate() {
            let id = i + 1;
            for m in s.multiword.iter().filter(|m| m.first == id) {
                let _ = writeln!(
                    out,
                    "{}-{}\t{}\t_\t_\t_\t_\t_\t_\t_\t{}",
                    m.first,
                    m.last,
                    conllu_field(&m.form),
                    conllu_field(&m.misc)
                );
            }
            let _ = writeln!(
                out,
                "{id}\t{}\t{}",
                conllu_field(&w.form),
                prediction_columns(w)
            );
        }
        out.push('\n');
    }
    out
}

/// LEMMA … MISC of a word (columns 3–10), tab-separated.
fn prediction_columns(w: &Word) -> String {
    format!(
        "{}\t{}\t{}",
        tree_columns(w),
        conllu_field(&w.deps),
        conllu_field(&w.misc)
    )
}

/// LEMMA, UPOS, XPOS, FEATS, HEAD, DEPREL (columns 3–8): what we predict.
fn tree_columns(w: &Word) -> String {
    format!(
        "{}\t{}\t{}\t{}\t{}\t{}",
        conllu_field(&w.lemma),
        conllu_field(&w.upos),
        conllu_field(&w.xpos),
        conllu_field(&w.feats),
        w.head,
        conllu_field(&w.deprel)
    )
}

/// Copies `gold` (a CoNLL-U text that [`crate::read_conllu`] accepted) and puts
/// the LEMMA, UPOS, XPOS, FEATS, HEAD and DEPREL of `pred` into each word line;
/// every other byte — comments, IDs, FORM, DEPS, MISC, multiword ranges, empty
/// nodes, line endings — is kept. `pred[i].words[j]` is word `j + 1` of the
/// file's sentence `i`.
pub fn overlay_conllu(
    gold: &str,
    source_name: &str,
    pred: &[Sentence],
) -> Result<String, FormatError> {
    rewrite_token_lines(
        gold,
        source_name,
        pred.len(),
        |body, sentence, word, line_no| {
            let cols: Vec<&str> = body.split('\t').collect();
            if cols.len() != 10 {
                return Err(FormatError::malformed(
                    source_name,
                    line_no,
                    format!("expected 10 tab-separated columns, found {}", cols.len()),
                ));
            }
            if cols[0].is_empty() || !cols[0].bytes().all(|b| b.is_ascii_digit()) {
                // Multiword ranges and empty nodes are not predicted.
                return Ok(Line::Keep);
            }
            let w = pred
                .get(sentence)
                .and_then(|s| s.words.get(word))
                .ok_or_else(|| no_prediction(source_name, line_no, sentence, word))?;
            Ok(Line::Replace(format!(
                "{}\t{}\t{}\t{}\t{}",
                cols[0],
                cols[1],
                tree_columns(w),
                cols[8],
                cols[9]
            )))
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{read_conllu, MultiwordToken};
    use proptest::prelude::*;

    const GOLD: &str = "# newdoc id = d\r\n# text = I don't.\r\n1\tI\tI\tPRON\tPRP\tCase=Nom\t3\tnsubj\t3:nsubj\t_\r\n2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\r\n2\tdo\tdo\tAUX\tVBP\t_\t0\troot\t0:root\t_\r\n2.1\tgo\tgo\tVERB\tVB\t_\t_\t_\t2:conj\tCopyOf=2\r\n3\tn't\tnot\tPART\tRB\t_\t2\tadvmod\t2:advmod\t_\r\n4\t.\t.\tPUNCT\t.\t_\t2\tpunct\t2:punct\t_\r\n\r\n";

    fn word(lemma: &str, upos: &str, head: usize) -> Word {
        Word {
            form: "ignored".into(),
            lemma: lemma.into(),
            upos: upos.into(),
            xpos: "XX".into(),
            feats: String::new(),
            head,
            deprel: "dep".into(),
            deps: "ignored".into(),
            misc: "ignored".into(),
        }
    }

    #[test]
    fn overlay_replaces_only_prediction_columns() {
        read_conllu(GOLD, "g").unwrap();
        let pred = vec![Sentence {
            words: vec![
                word("i", "PRON", 2),
                word("do", "AUX", 0),
                word("not", "PART", 2),
                word(".", "PUNCT", 2),
            ],
            ..Default::default()
        }];
        let out = overlay_conllu(GOLD, "g", &pred).unwrap();
        let lines: Vec<&str> = out.split_inclusive('\n').collect();
        assert_eq!(lines[2], "1\tI\ti\tPRON\tXX\t_\t2\tdep\t3:nsubj\t_\r\n");
        assert_eq!(
            lines[3],
            "2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\r\n"
        );
        assert_eq!(
            lines[5],
            "2.1\tgo\tgo\tVERB\tVB\t_\t_\t_\t2:conj\tCopyOf=2\r\n"
        );
        let back = read_conllu(&out, "o").unwrap();
        assert_eq!(back[0].words[0].head, 2);
        assert_eq!(back[0].words[3].form, ".");
    }

    #[test]
    fn overlay_counts_sentences() {
        let e = overlay_conllu(GOLD, "g", &[]).unwrap_err().to_string();
        assert!(e.starts_with("g:3:") && e.contains("no prediction"), "{e}");
    }

    fn arb_token() -> impl Strategy<Value = String> {
        "[A-Za-z0-9.,'é-]{1,6}"
    }

    fn arb_word(n: usize) -> impl Strategy<Value = Word> {
        (
            arb_token(),
            arb_token(),
            "[A-Z]{1,5}",
            "[A-Z$.,]{1,3}",
            prop_oneof![Just("_".to_string()), "[A-Z][a-z]{1,4}=[A-Z][a-z]{1,4}"],
            0..=n,
            "[a-z]{2,5}(:[a-z]{2,4})?",
            prop_oneof![Just("_".to_string()), Just("SpaceAfter=No".to_string())],
        )
            .prop_map(
                |(form, lemma, upos, xpos, feats, head, deprel, misc)| Word {
                    form,
                    lemma,
                    upos,
                    xpos,
                    feats,
                    head,
                    deprel,
                    deps: "_".into(),
                    misc,
                },
            )
    }

    /// Sentences as `read_conllu` returns them.
    fn arb_sentence() -> impl Strategy<Value = Sentence> {
        (1usize..8).prop_flat_map(|n| {
            (
                prop::collection::vec(arb_word(n), n),
                prop::collection::vec("[a-z_]{1,8} = [^\n\r]{0,20}", 0..3),
                0..n,
            )
                .prop_map(move |(mut words, comments, mwt_at)| {
                    // Heads point left (or at the root): always a tree.
                    for (j, w) in words.iter_mut().enumerate() {
                        w.head %= j + 1;
                    }
                    let multiword = if mwt_at + 1 < n {
                        vec![MultiwordToken {
                            first: mwt_at + 1,
                            last: mwt_at + 2,
                            form: format!("{}{}", words[mwt_at].form, words[mwt_at + 1].form),
                            misc: "_".into(),
                        }]
                    } else {
                        Vec::new()
                    };
                    Sentence {
                        comments: comments
                            .into_iter()
                            .map(|c| c.trim_end().to_string())
                            .collect(),
                        words,
                        multiword,
                    }
                })
        })
    }

    proptest! {
        #[test]
        fn write_then_read_round_trips(sents in prop::collection::vec(arb_sentence(), 0..5)) {
            let text = write_conllu(&sents);
            prop_assert_eq!(read_conllu(&text, "rt").unwrap(), sents);
        }

        /// Gold in, ours out: only the six prediction columns of word lines change.
        #[test]
        fn overlay_keeps_every_other_byte(
            gold in prop::collection::vec(arb_sentence(), 1..5),
            seed in prop::collection::vec(arb_sentence(), 1..5),
            crlf in any::<bool>(),
            empty_node in any::<bool>(),
        ) {
            let mut text = write_conllu(&gold);
            if empty_node {
                text = text.replacen("\n1\t", "\n1.1\tx\tx\tX\tX\t_\t_\t_\t1:dep\t_\n1\t", 1);
            }
            if crlf {
                text = text.replace('\n', "\r\n");
            }
            prop_assume!(read_conllu(&text, "g").is_ok());
            // Predictions shaped like the gold, values from unrelated sentences.
            let pred: Vec<Sentence> = gold.iter().enumerate().map(|(i, s)| {
                let donor = &seed[i % seed.len()];
                Sentence {
                    words: (0..s.words.len()).map(|j| {
                        let mut w = donor.words[j % donor.words.len()].clone();
                        w.head = w.head.min(s.words.len());
                        w
                    }).collect(),
                    ..Default::default()
                }
            }).collect();
            let out = overlay_conllu(&text, "g", &pred).unwrap();
            let (a, b): (Vec<&str>, Vec<&str>) =
                (text.split_inclusive('\n').collect(), out.split_inclusive('\n').collect());
            prop_assert_eq!(a.len(), b.len());
            let (mut si, mut wi) = (0, 0);
            for (g, o) in a.iter().zip(&b) {
                let gc: Vec<&str> = g.split('\t').collect();
                let is_word = gc.len() == 10 && !gc[0].is_empty() && gc[0].bytes().all(|c| c.is_ascii_digit());
                if g.trim().is_empty() && wi > 0 { si += 1; wi = 0; }
                if !is_word {
                    prop_assert_eq!(g, o);
                    continue;
                }
                let oc: Vec<&str> = o.split('\t').collect();
                for k in [0, 1, 8, 9] {
                    prop_assert_eq!(gc[k], oc[k]);
                }
                let w = &pred[si].words[wi];
                prop_assert_eq!(oc[2], w.lemma.as_str());
                prop_assert_eq!(oc[6], w.head.to_string());
                wi += 1;
            }
        }
    }
}
