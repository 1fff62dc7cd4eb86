use chronicle_formats::read_conllu;
use chronicle_tagger::{
    evaluate_pos, train_pos, train_pos_with_text, PosModel, TaggerError, TrainOptions,
};
use proptest::prelude::*;

fn conllu(rows: &[&[(&str, &str, &str, &str)]]) -> String {
    let mut out = String::new();
    for sent in rows {
        for (i, (form, lemma, upos, xpos)) in sent.iter().enumerate() {
            out.push_str(&format!(
                "{}\t{form}\t{lemma}\t{upos}\t{xpos}\t_\t0\troot\t_\t_\n",
                i + 1
            ));
        }
        out.push('\n');
    }
    out
}

fn toy_corpus() -> Vec<chronicle_formats::Sentence> {
    let s1: &[(&str, &str, &str, &str)] = &[
        ("The", "the", "DET", "DT"),
        ("dogs", "dog", "NOUN", "NNS"),
        ("barked", "bark", "VERB", "VBD"),
        (".", ".", "PUNCT", "."),
    ];
    let s2: &[(&str, &str, &str, &str)] = &[
        ("A", "a", "DET", "DT"),
        ("cat", "cat", "NOUN", "NN"),
        ("walked", "walk", "VERB", "VBD"),
        ("home", "home", "ADV", "RB"),
        (".", ".", "PUNCT", "."),
    ];
    let s3: &[(&str, &str, &str, &str)] = &[
        ("Paris", "Paris", "PROPN", "NNP"),
        ("cats", "cat", "NOUN", "NNS"),
        ("jumped", "jump", "VERB", "VBD"),
        (".", ".", "PUNCT", "."),
    ];
    let text = conllu(&[s1, s2, s3].repeat(8));
    read_conllu(&text, "toy").expect("toy corpus is valid CoNLL-U")
}

fn toy_model() -> PosModel {
    let opts = TrainOptions {
        epochs: 5,
        dict_min_count: 1000,
        // Every toy word is "rare", so the tagger must learn from spelling
        // and context — what an unseen word needs.
        amb_min_count: 1000,
        ..TrainOptions::default()
    };
    let mut reports = Vec::new();
    let corpus = toy_corpus();
    let m = train_pos(&corpus, Some(&corpus), &opts, &mut |r| reports.push(r));
    assert_eq!(reports.len(), 5);
    assert!(reports[4].dev_upos.is_some());
    m
}

#[test]
fn tags_training_sentences() {
    let m = toy_model();
    let tags = m.tag(&["The", "cats", "walked", "."]);
    let upos: Vec<&str> = tags.iter().map(|t| t.upos).collect();
    let xpos: Vec<&str> = tags.iter().map(|t| t.xpos).collect();
    let lemmas: Vec<&str> = tags.iter().map(|t| t.lemma.as_str()).collect();
    assert_eq!(upos, ["DET", "NOUN", "VERB", "PUNCT"]);
    assert_eq!(xpos, ["DT", "NNS", "VBD", "."]);
    assert_eq!(lemmas, ["the", "cat", "walk", "."]);
    let scores = evaluate_pos(&m, &toy_corpus());
    assert_eq!(scores.upos_accuracy, 1.0);
    assert_eq!(scores.lemma_accuracy, 1.0);
    assert_eq!(scores.per_upos["NOUN"].f1, 1.0);
    assert!(m.tag(&[]).is_empty());
}

#[test]
fn unseen_words_get_rule_lemmas() {
    let m = toy_model();
    // "kicked" never occurs: its lemma must come from the -ed rule.
    let tags = m.tag(&["The", "dogs", "kicked", "."]);
    assert_eq!(tags[2].xpos, "VBD");
    assert_eq!(tags[2].lemma, "kick");
    // Capitalized known word at sentence start is lowercased like "The".
    let tags = m.tag(&["Cats", "jumped", "."]);
    assert_eq!(tags[1].lemma, "jump");
}

#[test]
fn round_trip_and_determinism() {
    let m = toy_model();
    let bytes = m.to_bytes();
    assert_eq!(
        bytes,
        toy_model().to_bytes(),
        "training must be deterministic"
    );
    let back = PosModel::from_bytes(&bytes).expect("own bytes load");
    assert_eq!(back.to_bytes(), bytes);
    let words = ["A", "dogs", "jumped", "home", "."];
    assert_eq!(back.tag(&words), m.tag(&words));
}

#[test]
fn corrupt_model_is_an_error() {
    let bytes = toy_model().to_bytes();
    for cut in [0, 5, 17, bytes.len() / 2, bytes.len() - 1] {
        assert!(PosModel::from_bytes(&bytes[..cut]).is_err());
    }
    let mut flipped = bytes.clone();
    let last = flipped.len() - 3;
    flipped[last] ^= 0xFF;
    assert!(PosModel::from_bytes(&flipped).is_err());
    // A valid envelope of another model type is rejected too.
    let other = chronicle_ml::codec::pack(b"CHRNPOS\0", 1, b"not a model");
    assert!(matches!(
        PosModel::from_bytes(&other),
        Err(TaggerError::Model(_))
    ));
}

#[test]
fn casing_profile_round_trips_deterministically() {
    let opts = TrainOptions {
        epochs: 3,
        jackknife_folds: 3,
        ..TrainOptions::default()
    };
    let text = [
        "Yesterday the cats met Paris and the dogs .",
        "We saw Paris . The Cats barked at home .",
    ];
    let corpus = toy_corpus();
    let m = train_pos_with_text(&corpus, &text, None, &opts, &mut |_| {});
    let bytes = m.to_bytes();
    let again = train_pos_with_text(&corpus, &text, None, &opts, &mut |_| {});
    assert_eq!(bytes, again.to_bytes(), "training must be deterministic");
    let plain = train_pos(&corpus, None, &opts, &mut |_| {});
    assert_ne!(bytes, plain.to_bytes(), "the profile table is stored");
    let back = PosModel::from_bytes(&bytes).expect("own bytes load");
    assert_eq!(back.to_bytes(), bytes);
    let words = ["Paris", "cats", "barked", "."];
    assert_eq!(back.tag(&words), m.tag(&words));
}

#[test]
fn old_format_version_is_rejected() {
    let bytes = toy_model().to_bytes();
    let (_, payload) = chronicle_ml::codec::unpack(b"CHRNPOS\0", &bytes).expect("unpacks");
    let v1 = chronicle_ml::codec::pack(b"CHRNPOS\0", 1, &payload);
    assert!(matches!(
        PosModel::from_bytes(&v1),
        Err(TaggerError::Model(
            chronicle_ml::ModelError::UnsupportedVersion { .. }
        ))
    ));
}

#[test]
fn empty_corpus_gives_a_working_model() {
    let m = train_pos(&[], None, &TrainOptions::default(), &mut |_| {});
    let tags = m.tag(&["Hello", "world"]);
    assert_eq!(tags.len(), 2);
    assert_eq!(
        tags[0].lemma, "Hello",
        "no rules learned: words stay as written"
    );
    let back = PosModel::from_bytes(&m.to_bytes()).expect("round trip");
    assert_eq!(back.tag(&["x"]).len(), 1);
}

#[test]
fn model_is_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<PosModel>();
    let m = std::sync::Arc::new(toy_model());
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let m = m.clone();
            std::thread::spawn(move || m.tag(&["The", "cat", "barked", "."]))
        })
        .collect();
    for h in handles {
        let tags = h.join().expect("tagging thread");
        assert_eq!(tags[1].upos, "NOUN");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = PosModel::from_bytes(&bytes);
    }

    #[test]
    fn garbage_payload_never_panics(payload in proptest::collection::vec(any::<u8>(), 0..400)) {
        for version in [1, 2] {
            let bytes = chronicle_ml::codec::pack(b"CHRNPOS\0", version, &payload);
            let _ = PosModel::from_bytes(&bytes);
        }
    }

    #[test]
    fn any_words_can_be_tagged(words in proptest::collection::vec("\\PC{0,12}", 0..12)) {
        static MODEL: std::sync::OnceLock<PosModel> = std::sync::OnceLock::new();
        let m = MODEL.get_or_init(toy_model);
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        prop_assert_eq!(m.tag(&refs).len(), words.len());
    }
}
