//! Tests over the shipped model and the training entry point. Those needing
//! `../shared/data` skip themselves (with a message) when it is absent.

use chronicle_ner::{
    evaluate_ner, examples_from_iob2, load_meantime_dir, load_meantime_docs, train_ner, EntitySpan,
    Label, NerExample, NerModel, TrainOptions,
};
use proptest::prelude::*;
use std::path::PathBuf;
use std::sync::OnceLock;

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn model() -> &'static NerModel {
    static M: OnceLock<NerModel> = OnceLock::new();
    M.get_or_init(|| {
        let bytes =
            std::fs::read(repo_root().join("models/ner.v1.bin.zst")).expect("shipped model");
        NerModel::from_bytes(&bytes).expect("shipped model loads")
    })
}

fn data_dir() -> Option<PathBuf> {
    let d = repo_root().join("../shared/data");
    if d.join("uner-ewt").is_dir() {
        Some(d)
    } else {
        eprintln!("skipping: {} not found", d.display());
        None
    }
}

fn check_spans(n: usize, spans: &[EntitySpan]) {
    let mut last_end = 0;
    for s in spans {
        assert!(s.start_token < s.end_token, "{s:?}");
        assert!(s.end_token <= n, "{s:?} past {n}");
        assert!(s.start_token >= last_end, "overlap at {s:?}");
        last_end = s.end_token;
    }
}

#[test]
fn shipped_model_tags_news() {
    let words = [
        "Syrian",
        "President",
        "Bashar",
        "al-Assad",
        "met",
        "Vladimir",
        "Putin",
        "in",
        "Moscow",
        "on",
        "Tuesday",
        ",",
        "the",
        "United",
        "Nations",
        "said",
        ".",
    ];
    let spans = model().tag(&words);
    check_spans(words.len(), &spans);
    let has = |s: usize, e: usize, l: Label| {
        spans.contains(&EntitySpan {
            start_token: s,
            end_token: e,
            label: l,
        })
    };
    assert!(has(5, 7, Label::Per), "{spans:?}");
    assert!(has(8, 9, Label::Loc), "{spans:?}");
    assert!(
        has(12, 15, Label::Org) || has(13, 15, Label::Org),
        "{spans:?}"
    );
    // The demonym is not an entity.
    assert!(spans.iter().all(|s| s.start_token != 0), "{spans:?}");
}

#[test]
fn document_pass_keeps_spans_valid() {
    let doc: Vec<Vec<&str>> = vec![
        "General Motors ( GM ) said on Monday it would cut jobs ."
            .split(' ')
            .collect(),
        "GM shares fell 5 % in New York .".split(' ').collect(),
        "Analysts said GM needs more cash .".split(' ').collect(),
    ];
    let tagged = model().tag_document(&doc);
    assert_eq!(tagged.len(), 3);
    for (s, spans) in doc.iter().zip(&tagged) {
        check_spans(s.len(), spans);
    }
    assert!(model().tag_document(&[]).is_empty());
    assert!(model().tag_document(&[vec![]]).iter().all(|s| s.is_empty()));
}

#[test]
fn predictions_tag_each_document_together() {
    let sentence = |doc: &str, text: &str| NerExample {
        tokens: text.split(' ').map(str::to_string).collect(),
        document: doc.to_string(),
        ..Default::default()
    };
    let a = [
        "General Motors ( GM ) said on Monday it would cut jobs .",
        "GM shares fell 5 % in New York .",
    ];
    let b = ["Analysts said GM needs more cash ."];
    let mut gold: Vec<NerExample> = a.iter().map(|t| sentence("a", t)).collect();
    gold.extend(b.iter().map(|t| sentence("b", t)));
    gold.push(sentence("", "Mary Barra spoke in Detroit ."));
    let words = |ts: &[&str]| -> Vec<Vec<String>> {
        ts.iter()
            .map(|t| t.split(' ').map(str::to_string).collect())
            .collect()
    };
    fn refs(w: &[Vec<String>]) -> Vec<Vec<&str>> {
        w.iter()
            .map(|s| s.iter().map(String::as_str).collect())
            .collect()
    }
    let (wa, wb) = (words(&a), words(&b));
    let mut expected = model().tag_document(&refs(&wa));
    expected.extend(model().tag_document(&refs(&wb)));
    expected.push(model().tag(&["Mary", "Barra", "spoke", "in", "Detroit", "."]));
    assert_eq!(chronicle_ner::predict_ner(model(), &gold), expected);
}

#[test]
fn model_bytes_round_trip_and_corruption_is_an_error() {
    let m = model();
    let bytes = m.to_bytes();
    let again = NerModel::from_bytes(&bytes).unwrap();
    assert_eq!(again.to_bytes(), bytes);
    assert!(NerModel::from_bytes(&bytes[..bytes.len() / 2]).is_err());
    assert!(NerModel::from_bytes(b"not a model").is_err());
    let mut flipped = bytes.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x55;
    assert!(NerModel::from_bytes(&flipped).is_err());
}

#[test]
fn model_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<NerModel>();
}

fn toy_data() -> Vec<NerExample> {
    let s = |toks: &str, spans: &[(usize, usize, Label)]| NerExample {
        tokens: toks.split(' ').map(str::to_string).collect(),
        entities: spans
            .iter()
            .map(|&(a, b, l)| EntitySpan {
                start_token: a,
                end_token: b,
                label: l,
            })
            .collect(),
        ..Default::default()
    };
    let mut v = Vec::new();
    for _ in 0..5 {
        v.push(s(
            "John Smith visited Paris today .",
            &[(0, 2, Label::Per), (3, 4, Label::Loc)],
        ));
        v.push(s(
            "the bank Acme Corp hired Mary .",
            &[(2, 4, Label::Org), (5, 6, Label::Per)],
        ));
        v.push(s("nothing happened here .", &[]));
    }
    v
}

#[test]
fn training_is_deterministic_and_learns() {
    let data = toy_data();
    let opts = TrainOptions {
        epochs: 5,
        ..Default::default()
    };
    let mut reports = 0;
    let a = train_ner(&data, Some(&data), &opts, &mut |_| reports += 1);
    let b = train_ner(&data, None, &opts, &mut |_| {});
    assert_eq!(reports, 5);
    assert_eq!(a.to_bytes(), b.to_bytes());
    let s = evaluate_ner(&a, &data);
    assert!(s.f1 > 0.9, "{s:?}");
}

#[test]
fn uner_dev_f1_floor() {
    let Some(d) = data_dir() else { return };
    let sents = chronicle_formats::read_iob2_file(&d.join("uner-ewt/en_ewt-ud-dev.iob2")).unwrap();
    let gold = examples_from_iob2(&sents).unwrap();
    let s = evaluate_ner(model(), &gold);
    eprintln!(
        "UNER EWT dev: P {:.4} R {:.4} F1 {:.4}",
        s.precision, s.recall, s.f1
    );
    assert!(s.f1 >= 0.60, "UNER dev F1 {:.4} under the 0.60 floor", s.f1);
}

#[test]
fn meantime_reader_on_real_corpus() {
    let Some(d) = data_dir() else { return };
    let docs = load_meantime_docs(&d.join("meantime/corpus_gm")).unwrap();
    assert_eq!(docs.len(), 30);
    let gm = load_meantime_dir(&d.join("meantime/corpus_gm")).unwrap();
    assert_eq!(gm.len(), docs.iter().map(Vec::len).sum::<usize>());
    assert!(gm.len() > 300);
    let n: usize = gm.iter().map(|e| e.entities.len()).sum();
    assert!(n > 300, "{n} entities");
    for e in &gm {
        check_spans(e.tokens.len(), &e.entities);
    }
}

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Z][a-z]{0,8}",
        "[a-z]{1,8}",
        "[A-Z]{1,4}",
        "[0-9.,$%-]{1,5}",
        any::<String>(),
        Just(String::new()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn tag_never_panics_and_spans_are_valid(tokens in prop::collection::vec(token(), 0..40)) {
        let words: Vec<&str> = tokens.iter().map(String::as_str).collect();
        let spans = model().tag(&words);
        check_spans(words.len(), &spans);
    }

    #[test]
    fn tag_document_never_panics(sents in prop::collection::vec(prop::collection::vec(token(), 0..12), 0..5)) {
        let doc: Vec<Vec<&str>> = sents.iter().map(|s| s.iter().map(String::as_str).collect()).collect();
        let tagged = model().tag_document(&doc);
        prop_assert_eq!(tagged.len(), doc.len());
        for (s, spans) in doc.iter().zip(&tagged) {
            check_spans(s.len(), spans);
        }
    }
}
