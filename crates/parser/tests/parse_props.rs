//! parse() must return a single-rooted tree of the right length for any input,
//! in time linear in the sentence length.

use chronicle_formats::{Sentence, Word};
use chronicle_parser::{train_parser, Arc, ParserModel, TrainOptions};
use proptest::prelude::*;
use std::sync::OnceLock;

fn word(form: &str, upos: &str, xpos: &str, head: usize, deprel: &str) -> Word {
    Word {
        form: form.into(),
        lemma: "_".into(),
        upos: upos.into(),
        xpos: xpos.into(),
        feats: "_".into(),
        head,
        deprel: deprel.into(),
        deps: "_".into(),
        misc: "_".into(),
    }
}

fn model() -> &'static ParserModel {
    static M: OnceLock<ParserModel> = OnceLock::new();
    M.get_or_init(|| {
        let s = Sentence {
            words: vec![
                word("Troops", "NOUN", "NNS", 2, "nsubj"),
                word("shelled", "VERB", "VBD", 0, "root"),
                word("the", "DET", "DT", 4, "det"),
                word("city", "NOUN", "NN", 2, "obj"),
                word(".", "PUNCT", ".", 2, "punct"),
            ],
            ..Sentence::default()
        };
        let opts = TrainOptions {
            epochs: 3,
            trans_bits: 12,
            label_bits: 10,
            ..TrainOptions::default()
        };
        train_parser(&[s], None, &opts, &mut |_| {})
    })
}

fn assert_tree(arcs: &[Arc], n: usize) {
    assert_eq!(arcs.len(), n);
    if n == 0 {
        return;
    }
    assert_eq!(arcs.iter().filter(|a| a.head == 0).count(), 1);
    for d in 1..=n {
        let mut x = d;
        let mut steps = 0;
        while x != 0 {
            assert!(x <= n, "head out of range");
            x = arcs[x - 1].head;
            steps += 1;
            assert!(steps <= n, "cycle through word {d}");
        }
    }
    for a in arcs {
        assert!(!a.deprel.is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn any_input_gives_a_tree(
        words in prop::collection::vec("\\PC{0,8}", 0..60),
        tags in prop::collection::vec(prop::sample::select(vec!["NOUN", "VERB", "DET", "PUNCT", "NN", "VBD", "DT", ".", "", "??"]), 0..70),
    ) {
        let w: Vec<&str> = words.iter().map(String::as_str).collect();
        // Tag lists of any length, including shorter or longer than the words.
        let arcs = model().parse(&w, &tags, &tags);
        assert_tree(&arcs, w.len());
    }
}

#[test]
fn lengths_zero_one_two_and_two_thousand() {
    for n in [0usize, 1, 2, 2000] {
        let w: Vec<String> = (0..n).map(|i| format!("w{}", i % 37)).collect();
        let w: Vec<&str> = w.iter().map(String::as_str).collect();
        let tags: Vec<&str> = (0..n).map(|i| ["NN", "VBD", "DT", "."][i % 4]).collect();
        assert_tree(&model().parse(&w, &tags, &tags), n);
    }
}

#[test]
fn time_grows_linearly() {
    let make = |n: usize| -> Vec<String> { (0..n).map(|i| format!("w{}", i % 101)).collect() };
    let time = |n: usize| {
        let w = make(n);
        let w: Vec<&str> = w.iter().map(String::as_str).collect();
        let tags: Vec<&str> = (0..n).map(|i| ["NN", "VBD", "DT", "IN"][i % 4]).collect();
        // the fastest of several runs: other processes only ever add time
        (0..5)
            .map(|_| {
                let t = std::time::Instant::now();
                assert_tree(&model().parse(&w, &tags, &tags), n);
                t.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min)
    };
    let small = time(1000).max(1e-4);
    let big = time(8000);
    // 8x the words; a quadratic parser would take ~64x. Generous bound for
    // noisy shared CI machines.
    assert!(
        big < small * 30.0,
        "1000 words {small:.4}s, 8000 words {big:.4}s"
    );
}
