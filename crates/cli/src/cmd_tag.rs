//! `chronicle tag`: our annotations in the field's exchange formats, so the
//! official scorers (and any tool that reads them) can check what we predict.
//!
//! The predictions come from the same library functions the `benchmark accuracy`
//! scorers call (`predict_pos`, `chronicle_eval::parse::parse_with_our_tags`,
//! `predict_ner`, `chronicle_eval::timex::timeml_times`,
//! `chronicle_eval::quotes::predicted_contents`), so a figure from the official
//! scorer on our output and our own figure measure one and the same output.

use anyhow::{bail, Context};
use chronicle_annotate::Pipeline;
use chronicle_core::Document;
use chronicle_eval::english_document;
use chronicle_eval::parse::parse_with_our_tags;
use chronicle_formats::{Anchor, BratAttribution, Sentence, TimexOut, Word};
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagFormat {
    /// CoNLL-U: from raw text, or from CoNLL-U with --gold-tokens.
    Conllu,
    /// IOB2 in the UNER layout, from an IOB2 file (its tokens are always kept).
    Iob2,
    /// TimeML, from a TimeML file with a DCT: its TIMEX3s replaced by ours.
    Timeml,
    /// brat standoff (`.ann`, PolNeAR's attribution scheme), from a text file.
    Brat,
}

impl TagFormat {
    fn extension(self) -> &'static str {
        match self {
            TagFormat::Conllu => "conllu",
            TagFormat::Iob2 => "iob2",
            TagFormat::Timeml => "tml",
            TagFormat::Brat => "ann",
        }
    }
}

pub struct TagArgs<'a> {
    pub format: TagFormat,
    pub gold_tokens: bool,
    /// A folder, or `-`/None for standard output.
    pub out: Option<&'a Path>,
    pub inputs: &'a [PathBuf],
}

fn pipeline() -> anyhow::Result<&'static Pipeline> {
    Pipeline::shared().map_err(|e| anyhow::anyhow!("{e}"))
}

fn read_utf8(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{}: byte {}: not UTF-8",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// The FEATS predictor, loaded on first use (only CoNLL-U output needs it).
fn feats_model() -> anyhow::Result<&'static chronicle_tagger::FeatsModel> {
    chronicle_tagger::FeatsModel::shared().map_err(|e| anyhow::anyhow!("{e}"))
}

/// Our LEMMA, UPOS, XPOS, FEATS, HEAD and DEPREL for each word of gold CoNLL-U sentences.
fn predict_gold_tokens(p: &Pipeline, gold: &[Sentence]) -> anyhow::Result<Vec<Sentence>> {
    let tags = chronicle_tagger::predict_pos(&p.pos, gold);
    let feats = chronicle_tagger::predict_feats(feats_model()?, gold, &tags);
    let arcs = parse_with_our_tags(&p.pos, &p.parser, gold, false);
    Ok(gold
        .iter()
        .zip(tags.iter().zip(&arcs).zip(&feats))
        .map(|(s, ((tags, arcs), feats))| Sentence {
            words: s
                .words
                .iter()
                .zip(tags.iter().zip(arcs).zip(feats))
                .map(|(w, ((t, a), f))| Word {
                    form: w.form.clone(),
                    lemma: t.lemma.clone(),
                    upos: t.upos.to_string(),
                    xpos: t.xpos.to_string(),
                    feats: f.to_string(),
                    head: a.head,
                    deprel: a.deprel.clone(),
                    deps: "_".into(),
                    misc: "_".into(),
                })
                .collect(),
            ..Default::default()
        })
        .collect())
}

/// A CoNLL-U text with our predictions in place of the file's own.
fn conllu_over_gold(p: &Pipeline, text: &str, name: &str) -> anyhow::Result<String> {
    let gold = chronicle_formats::read_conllu(text, name)?;
    let pred = predict_gold_tokens(p, &gold)?;
    Ok(chronicle_formats::overlay_conllu(text, name, &pred)?)
}

/// A raw text file as one English document, annotated. The text is taken as it
/// is (no ingest cleaning), so every offset we write points into the input file.
fn annotate_text(p: &Pipeline, path: &Path, text: String) -> Document {
    let mut doc = english_document(&doc_id(path), &path.display().to_string(), text);
    p.annotate(&mut doc);
    doc
}

fn doc_id(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "doc".into())
}

/// Our sentences of an annotated document as CoNLL-U sentences (layout from
/// [`chronicle_text::conllu_sentences`]), with our tags and tree in each word.
fn conllu_sentences(p: &Pipeline, doc: &Document) -> anyhow::Result<Vec<Sentence>> {
    // The document keeps tokens but not which of them were one written word
    // ("don't" → do + n't); the segmenter is deterministic, so ask it again.
    let seg = p.segmenter.segment(&doc.text);
    let same_tokens = seg.tokens.len() == doc.tokens.len()
        && seg
            .tokens
            .iter()
            .zip(&doc.tokens)
            .all(|(a, b)| (a.start, a.end) == (b.start, b.end));
    let same_sentences = seg.sentences.len() == doc.sentences.len()
        && seg
            .sentences
            .iter()
            .zip(&doc.sentences)
            .all(|(a, b)| a.tokens == (b.token_start..b.token_end));
    if !same_tokens || !same_sentences {
        bail!(
            "{}: the segmenter and the annotated document disagree on tokens",
            doc.id
        );
    }
    let mut out = chronicle_text::conllu_sentences(&doc.text, &seg, Some(&doc.id));
    for (cs, s) in out.iter_mut().zip(&doc.sentences) {
        let range = s.token_start..s.token_end;
        for (w, tok) in cs.words.iter_mut().zip(&doc.tokens[range.clone()]) {
            w.lemma = tok.lemma.clone().unwrap_or_default();
            w.upos = tok.upos.clone().unwrap_or_default();
            w.xpos = tok.xpos.clone().unwrap_or_default();
            w.head = match tok.head {
                Some(h) if range.contains(&h) => h - range.start + 1,
                _ => 0,
            };
            w.deprel = tok.deprel.clone().unwrap_or_default();
        }
        let words: Vec<chronicle_tagger::FeatsToken> = cs
            .words
            .iter()
            .map(|w| chronicle_tagger::FeatsToken {
                form: &w.form,
                upos: &w.upos,
                xpos: &w.xpos,
                lemma: &w.lemma,
            })
            .collect();
        let feats = feats_model()?.predict(&words);
        for (w, f) in cs.words.iter_mut().zip(feats) {
            w.feats = f.to_string();
        }
    }
    Ok(out)
}

/// Whether a text reads as CoNLL-U: its first line that is not blank or a
/// comment has the format's ten tab-separated columns.
fn looks_like_conllu(text: &str) -> bool {
    text.lines()
        .find(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .is_some_and(|l| l.split('\t').count() == 10)
}

fn conllu_from_text(p: &Pipeline, path: &Path) -> anyhow::Result<String> {
    let text = read_utf8(path)?;
    if looks_like_conllu(&text) {
        bail!(
            "{}: this is CoNLL-U, not raw text; add --gold-tokens to keep its tokens",
            path.display()
        );
    }
    let doc = annotate_text(p, path, text);
    Ok(chronicle_formats::write_conllu(&conllu_sentences(p, &doc)?))
}

/// An IOB2 text with our tags in place of the file's own.
fn iob2_over_gold(p: &Pipeline, text: &str, name: &str) -> anyhow::Result<String> {
    let gold = chronicle_formats::read_iob2(text, name)?;
    let examples = chronicle_ner::examples_from_iob2(&gold).with_context(|| name.to_string())?;
    let tags: Vec<Vec<String>> = chronicle_ner::predict_ner(&p.ner, &examples)
        .iter()
        .zip(&examples)
        .map(|(spans, ex)| chronicle_ner::spans_to_iob2(ex.tokens.len(), spans))
        .collect();
    Ok(chronicle_formats::overlay_iob2(text, name, &tags)?)
}

/// A TimeML text with our TIMEX3s in place of the file's own. Anchors: the DCT
/// (`t0`) when a value was computed from it, else the latest earlier expression
/// of ours with the anchor's value.
fn timeml_over_gold(p: &Pipeline, text: &str, name: &str) -> anyhow::Result<String> {
    let gold = chronicle_formats::read_timeml(text, name)?;
    let Some(dct) = gold.dct.as_deref() else {
        bail!("{name}: no document creation time (a TIMEX3 in <DCT>)");
    };
    let dct_day = chronicle_eval::timex::reference_date(Some(dct)).map(|d| d.to_string());
    let times = chronicle_eval::timex::timeml_times(p, &gold);
    let ours: Vec<TimexOut> = times
        .iter()
        .enumerate()
        .map(|(i, t)| TimexOut {
            start: t.start,
            end: t.end,
            kind: t.kind.clone(),
            value: t.value.clone(),
            anchor: t.anchor.as_ref().and_then(|a| {
                if Some(a) == dct_day.as_ref() {
                    Some(Anchor::Dct)
                } else {
                    times[..i]
                        .iter()
                        .rposition(|o| &o.value == a)
                        .map(Anchor::Timex)
                }
            }),
        })
        .collect();
    let out = chronicle_formats::overlay_timeml(text, name, &ours)?;
    if !out.skipped.is_empty() {
        eprintln!(
            "{name}: {} of {} time expressions not written: they cross another TimeML element",
            out.skipped.len(),
            ours.len()
        );
    }
    Ok(out.xml)
}

/// Our attributions of a text as a brat `.ann`: the contents `benchmark accuracy
/// --task quotes` scores, each with its speaker as Source and its cue.
fn brat_from_text(p: &Pipeline, path: &Path) -> anyhow::Result<String> {
    Ok(brat_of(&annotate_text(p, path, read_utf8(path)?)))
}

fn brat_of(doc: &Document) -> String {
    let attributions: Vec<BratAttribution> = chronicle_eval::quotes::predicted_contents(doc)
        .into_iter()
        .map(|c| BratAttribution {
            source: c.speaker_span.map(|(a, b)| a..b),
            cue: c.cue_span.map(|(a, b)| a..b),
            content: c.frags.iter().map(|&(a, b)| a..b).collect(),
        })
        .collect();
    chronicle_formats::write_brat_attributions(&doc.text, &attributions)
}

fn tag_one(format: TagFormat, gold_tokens: bool, path: &Path) -> anyhow::Result<String> {
    let p = pipeline()?;
    let name = path.display().to_string();
    match (format, gold_tokens) {
        (TagFormat::Conllu, true) => conllu_over_gold(p, &read_utf8(path)?, &name),
        (TagFormat::Conllu, false) => conllu_from_text(p, path),
        (TagFormat::Iob2, _) => iob2_over_gold(p, &read_utf8(path)?, &name),
        (TagFormat::Timeml, _) => timeml_over_gold(p, &read_utf8(path)?, &name),
        (TagFormat::Brat, _) => brat_from_text(p, path),
    }
}

/// Writes beside the target and renames, so a failure never leaves half a file.
fn write_atomically(target: &Path, content: &str) -> anyhow::Result<()> {
    let mut sink = crate::sink::Sink::replacing(target)?;
    std::io::Write::write_all(&mut sink, content.as_bytes())
        .with_context(|| format!("writing {}", target.display()))?;
    sink.commit()
}

/// Where each input's output goes in `dir`; an error when it would overwrite the
/// input itself or the output of an earlier input of the same batch.
fn output_paths(dir: &Path, inputs: &[PathBuf], extension: &str) -> Vec<anyhow::Result<PathBuf>> {
    let canonical: HashMap<PathBuf, &Path> = inputs
        .iter()
        .filter_map(|i| Some((i.canonicalize().ok()?, i.as_path())))
        .collect();
    let mut taken: HashMap<PathBuf, &Path> = HashMap::new();
    inputs
        .iter()
        .map(|input| {
            let target = dir.join(format!("{}.{extension}", doc_id(input)));
            if let Some(overwritten) = target.canonicalize().ok().and_then(|t| canonical.get(&t)) {
                bail!(
                    "{}: output {} would overwrite the input {}",
                    input.display(),
                    target.display(),
                    overwritten.display()
                );
            }
            if let Some(first) = taken.get(&target) {
                bail!(
                    "{}: output {} is already the output of {}",
                    input.display(),
                    target.display(),
                    first.display()
                );
            }
            taken.insert(target.clone(), input);
            Ok(target)
        })
        .collect()
}

/// brat reads `X.ann` with `X.txt` beside it: copy the input there unless it is there.
fn brat_text_beside(input: &Path, ann: &Path) -> anyhow::Result<()> {
    let txt = ann.with_extension("txt");
    let same = match (input.canonicalize(), txt.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if !same {
        write_atomically(&txt, &read_utf8(input)?)?;
    }
    Ok(())
}

pub fn run(args: TagArgs) -> anyhow::Result<ExitCode> {
    let TagArgs {
        format,
        gold_tokens,
        out,
        inputs,
    } = args;
    let dir = out.filter(|o| o.as_os_str() != "-");
    if let Some(d) = dir {
        std::fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
    }
    // Load the models once, before the threads race for them.
    pipeline()?;
    let results: Vec<anyhow::Result<String>> = inputs
        .par_iter()
        .map(|path| tag_one(format, gold_tokens, path))
        .collect();
    let targets: Vec<anyhow::Result<PathBuf>> = match dir {
        Some(d) => output_paths(d, inputs, format.extension()),
        None => inputs.iter().map(|_| Ok(PathBuf::from("-"))).collect(),
    };
    let mut failed = 0;
    let stdout = std::io::stdout();
    for ((input, result), target) in inputs.iter().zip(results).zip(targets) {
        let written = result.and_then(|content| {
            let target = target?;
            if dir.is_none() {
                let mut lock = stdout.lock();
                lock.write_all(content.as_bytes())
                    .and_then(|()| lock.flush())
                    .context("writing to standard output")?;
            } else {
                write_atomically(&target, &content)?;
                if format == TagFormat::Brat {
                    brat_text_beside(input, &target)?;
                }
                eprintln!("{} -> {}", input.display(), target.display());
            }
            Ok(())
        });
        if let Err(e) = written {
            failed += 1;
            eprintln!("error: {e:#}");
        }
    }
    if failed > 0 {
        eprintln!("{failed} of {} inputs failed", inputs.len());
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const WORDS: &[&str] = &[
        "The", "minister", "said", "Paris", "would", "n't", "talk", "to", "Kofi", "Annan", ".",
        ",", "on", "Tuesday", "UN", "10", "«", "é",
    ];

    /// A valid CoNLL-U sentence: left-pointing heads, optional multiword range,
    /// empty node and comments, as a gold file may have them.
    fn arb_gold_sentence() -> impl Strategy<Value = String> {
        (
            prop::collection::vec((0..WORDS.len(), 0usize..100, any::<bool>()), 1..12),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(words, mwt, empty)| {
                let mut s = String::from("# sent_id = x\n# text = whatever\n");
                for (i, (w, h, glued)) in words.iter().enumerate() {
                    if mwt && i == 0 && words.len() > 1 {
                        s.push_str("1-2\tab\t_\t_\t_\t_\t_\t_\t_\t_\n");
                    }
                    let head = if i == 0 { 0 } else { h % (i + 1) };
                    let misc = if *glued { "SpaceAfter=No" } else { "_" };
                    s.push_str(&format!(
                        "{}\t{}\tL\tX\tXX\tA=B\t{head}\tdep\t{head}:dep\t{misc}\n",
                        i + 1,
                        WORDS[*w]
                    ));
                    if empty && i == 0 {
                        s.push_str("1.1\tgo\tgo\tVERB\tVB\t_\t_\t_\t1:conj\t_\n");
                    }
                }
                s.push('\n');
                s
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Gold in, ours out, through the models: only LEMMA … DEPREL of word lines change.
        #[test]
        fn gold_tokens_output_changes_only_prediction_columns(
            sents in prop::collection::vec(arb_gold_sentence(), 1..4),
        ) {
            let p = pipeline().expect("embedded models load");
            let gold = sents.concat();
            let out = conllu_over_gold(p, &gold, "g").expect("valid gold");
            let (a, b): (Vec<&str>, Vec<&str>) = (gold.lines().collect(), out.lines().collect());
            prop_assert_eq!(a.len(), b.len());
            for (g, o) in a.iter().zip(&b) {
                let (gc, oc): (Vec<&str>, Vec<&str>) = (g.split('\t').collect(), o.split('\t').collect());
                let word = gc.len() == 10 && gc[0].bytes().all(|c| c.is_ascii_digit());
                if !word {
                    prop_assert_eq!(g, o);
                    continue;
                }
                for k in [0, 1, 8, 9] {
                    prop_assert_eq!(gc[k], oc[k]);
                }
                // FEATS is ours: `_` or universal features, sorted.
                prop_assert!(oc[5] == "_" || chronicle_tagger::universal_feats(oc[5]) == oc[5], "{}", oc[5]);
            }
            let back = chronicle_formats::read_conllu(&out, "o").expect("our output reads back");
            let roots = back.iter().map(|s| s.words.iter().filter(|w| w.head == 0).count());
            for r in roots {
                prop_assert_eq!(r, 1, "one root per sentence, as the official scorer requires");
            }
        }

        /// Raw text in: our CoNLL-U reads back, each sentence's words are the
        /// text's non-space characters in order, and there is one root per sentence.
        #[test]
        fn raw_text_output_reads_back(text in "[A-Za-z ,.'\n]{0,200}") {
            let p = pipeline().expect("embedded models load");
            let mut doc = english(&text);
            p.annotate(&mut doc);
            let out = chronicle_formats::write_conllu(&conllu_sentences(p, &doc).expect("aligned"));
            let back = chronicle_formats::read_conllu(&out, "o").expect("reads back");
            let forms: String = back.iter().flat_map(|s| s.words.iter().map(|w| w.form.as_str())).collect();
            let chars: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            prop_assert_eq!(forms, chars);
            for s in &back {
                prop_assert_eq!(s.words.iter().filter(|w| w.head == 0).count(), 1);
            }
        }
    }

    fn english(text: &str) -> Document {
        english_document("d", "d", text.into())
    }

    const SPEAKERS: &[&str] = &[
        "The minister",
        "Ilse Varga",
        "A spokesman for the council",
        "She",
        "Officials",
    ];
    const CUES: &[&str] = &["said", "told reporters", "added", "warned", "according to"];
    const WORDS2: &[&str] = &[
        "the", "talks", "will", "resume", "in", "Varnholm", "soon", "é", "“", "”", "—", "tomorrow",
    ];

    /// Sentences shaped like reported speech, with curly and straight quotes,
    /// multi-byte characters and line breaks.
    fn arb_news() -> impl Strategy<Value = String> {
        prop::collection::vec(
            (
                0..SPEAKERS.len(),
                0..CUES.len(),
                prop::collection::vec(0..WORDS2.len(), 1..8),
                0..4u8,
            ),
            1..6,
        )
        .prop_map(|sents| {
            let mut out = String::new();
            for (s, c, words, shape) in sents {
                let said: Vec<&str> = words.iter().map(|&w| WORDS2[w]).collect();
                let said = said.join(" ");
                let (sp, cue) = (SPEAKERS[s], CUES[c]);
                out.push_str(&match shape {
                    0 => format!("“{said},” {sp} {cue}. "),
                    1 => format!("{sp} {cue} that {said}.\n"),
                    2 => format!("\"{said}\", {sp} {cue}, \"and {said}.\"\n\n"),
                    _ => format!("{said} ({sp} {cue}). "),
                });
            }
            out
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Every brat offset (characters) lands on the text its line names, and our
        /// reader reads the file back with every event argument defined.
        #[test]
        fn brat_offsets_land_on_their_text(text in arb_news()) {
            let p = pipeline().expect("embedded models load");
            let mut doc = english(&text);
            p.annotate(&mut doc);
            let ann = brat_of(&doc);
            let read = chronicle_formats::read_brat(&ann, "d.ann").expect("reads back");
            for e in &read.events {
                for (_, id) in &e.args {
                    prop_assert!(read.span(id).is_some());
                }
            }
            for line in ann.lines().filter(|l| l.starts_with('T')) {
                let id = line.split('\t').next().unwrap_or_default();
                let named = line.splitn(3, '\t').nth(2).unwrap_or_default();
                let frags = read.byte_fragments(id, &text).expect("offsets on the text");
                let got: Vec<&str> = frags.iter().map(|&(a, b)| &text[a..b]).collect();
                prop_assert_eq!(got.join(" "), named);
            }
        }
    }

    #[test]
    fn brat_marks_source_cue_and_content() {
        let p = pipeline().expect("embedded models load");
        let mut doc = english("“The talks will resume in Varnholm,” the minister said on Friday.");
        p.annotate(&mut doc);
        let ann = brat_of(&doc);
        assert!(ann.contains("\tSource 37 49\tthe minister\n"), "{ann}");
        assert!(ann.contains("\tCue 50 54\tsaid\n"), "{ann}");
        assert!(
            ann.contains("\tContent 0 36\t“The talks will resume in Varnholm,”\n"),
            "{ann}"
        );
        assert!(ann.contains("\tAttribution 50 54\tsaid\n"), "{ann}");
    }

    #[test]
    fn raw_text_marks_contractions_paragraphs_and_spacing() {
        let p = pipeline().expect("embedded models load");
        let mut doc = english("They don't know.\n\nShe left (quietly).");
        p.annotate(&mut doc);
        let out = chronicle_formats::write_conllu(&conllu_sentences(p, &doc).expect("aligned"));
        assert!(
            out.starts_with("# newdoc id = d\n# sent_id = d-1\n# text = They don't know.\n"),
            "{out}"
        );
        assert!(out.contains("\n2-3\tdon't\t"), "{out}");
        assert!(out.contains("# newpar\n# sent_id = d-2\n"), "{out}");
        assert!(out.contains("\tquietly\t"), "{out}");
        let back = chronicle_formats::read_conllu(&out, "o").expect("reads back");
        let last = back[1]
            .words
            .iter()
            .rev()
            .nth(1)
            .expect("word before the final period");
        assert_eq!((last.form.as_str(), last.space_after()), (")", false));
    }

    #[test]
    fn conllu_input_is_told_apart_from_raw_text() {
        assert!(looks_like_conllu(
            "# sent_id = 1\n1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_\n\n"
        ));
        assert!(!looks_like_conllu(
            "# A heading\nThe council met.\tIt voted.\n"
        ));
        assert!(!looks_like_conllu(""));
    }

    #[test]
    fn outputs_never_overwrite_inputs_or_each_other() {
        let dir = tempfile::tempdir().expect("tempdir");
        let input = dir.path().join("a.conllu");
        std::fs::write(&input, "").expect("write");
        let other = dir.path().join("sub").join("a.txt");
        let b = dir.path().join("sub").join("b.txt");
        let paths = output_paths(dir.path(), &[input, other, b.clone(), b], "conllu");
        assert!(paths[0].is_err());
        assert!(paths[1].is_err());
        assert!(paths[2].is_ok());
        assert!(paths[3].is_err());
    }
}
