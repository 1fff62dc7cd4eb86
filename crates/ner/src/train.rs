//! Training: greedy left-to-right averaged perceptron, learning from its own
//! predicted tag history so training sees the errors inference will make.

use crate::eval::{evaluate_ner, NerScores};
use crate::features::{self, Lexicon, Prepared, LEXICAL_FEATURES};
use crate::viterbi::{self, transition_feature, Constraints};
use crate::{
    scheme_labels, scheme_tags, NerExample, NerModel, Scheme, Tag, MODEL_KIND, MODEL_KIND_VITERBI,
    START,
};
use chronicle_ml::{Perceptron, SplitMix64};
use serde::Serialize;
use std::collections::HashMap;
use std::time::Instant;

#[derive(Debug, Clone, Serialize)]
pub struct TrainOptions {
    pub epochs: usize,
    /// Shuffling seed; the same seed and data give a byte-identical model.
    pub seed: u64,
    /// Averaged weights below this magnitude are dropped from the model.
    pub prune: f32,
    /// Word dropout: probability of hiding a token's identity features in
    /// training is `word_dropout / (word_dropout + count)`, so rare words are
    /// often trained as unknown words, teaching the model to recognise names
    /// it has never seen from shape and context.
    pub word_dropout: f64,
    pub scheme: Scheme,
    /// Viterbi over a first-order model (structured perceptron) instead of
    /// greedy decoding with richer tag-history features.
    pub viterbi: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 8,
            seed: 0x4e45_5231,
            prune: 0.5,
            word_dropout: 3.0,
            scheme: Scheme::Bilou,
            viterbi: true,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct EpochReport {
    pub epoch: usize,
    /// Tag accuracy of the running (non-averaged) weights during the epoch.
    pub train_tag_accuracy: f64,
    pub dev: Option<NerScores>,
    pub seconds: f64,
}

struct Prepped {
    prep: Prepared,
    gold: Vec<usize>,
    ignore: Vec<bool>,
    drop_p: Vec<f64>,
}

/// Uniform in [0, 1) from the top 53 bits.
fn unit(x: u64) -> f64 {
    (x >> 11) as f64 / (1u64 << 53) as f64
}

pub fn train_ner(
    train: &[NerExample],
    dev: Option<&[NerExample]>,
    opts: &TrainOptions,
    progress: &mut dyn FnMut(EpochReport),
) -> NerModel {
    let labels = scheme_labels(opts.scheme);
    let class_of = |t: &str| labels.iter().position(|l| l == t).unwrap_or(0);
    let lexicon = Lexicon::from_sentences(train.iter().map(|e| e.tokens.as_slice()));
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for ex in train {
        for w in &ex.tokens {
            *counts.entry(w.as_str()).or_default() += 1;
        }
    }
    let data: Vec<Prepped> = train
        .iter()
        .filter(|ex| !ex.tokens.is_empty())
        .map(|ex| {
            let words: Vec<&str> = ex.tokens.iter().map(String::as_str).collect();
            let mut prep = Prepared::default();
            features::prepare(&words, &lexicon, &mut prep);
            let drop_p = words
                .iter()
                .map(|w| {
                    let c = counts.get(w).copied().unwrap_or(0) as f64;
                    opts.word_dropout / (opts.word_dropout + c)
                })
                .collect();
            let gold = scheme_tags(opts.scheme, ex.tokens.len(), &ex.entities, &ex.others)
                .iter()
                .map(|t| class_of(t))
                .collect();
            Prepped {
                prep,
                gold,
                ignore: ex.ignore.clone(),
                drop_p,
            }
        })
        .collect();

    let kind = if opts.viterbi {
        MODEL_KIND_VITERBI
    } else {
        MODEL_KIND
    };
    let mut p = Perceptron::new(kind, labels.clone());
    let tags: Vec<Tag> = labels.iter().filter_map(|l| Tag::parse(l)).collect();
    let cons = Constraints::new(&tags, opts.scheme == Scheme::Bilou);
    let k = labels.len();
    let mut emit: Vec<f32> = Vec::new();
    let mut sent_feats: Vec<Vec<u64>> = Vec::new();
    let mut rng = SplitMix64::new(opts.seed);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut feats = Vec::with_capacity(128);
    let mut scores = vec![0.0f32; labels.len()];
    for epoch in 1..=opts.epochs {
        let t0 = Instant::now();
        rng.shuffle(&mut order);
        let (mut right, mut total) = (0usize, 0usize);
        for &si in &order {
            let d = &data[si];
            if opts.viterbi {
                let n = d.prep.len();
                sent_feats.resize(n, Vec::new());
                emit.clear();
                emit.resize(n * k, 0.0);
                for i in 0..n {
                    let f = &mut sent_feats[i];
                    f.clear();
                    f.extend_from_slice(d.prep.static_features(i));
                    if d.drop_p[i] > 0.0 && unit(rng.next_u64()) < d.drop_p[i] {
                        features::unknown_word_features(&mut f[..LEXICAL_FEATURES]);
                    }
                    p.score(f, &mut emit[i * k..(i + 1) * k]);
                }
                let trans = viterbi::transitions(k, &cons, |f, row| p.score(f, row));
                let pred = viterbi::decode(&emit, k, &trans, &cons);
                // Unknown gold (unannotated names) takes the prediction: no update.
                let ignored = |i: usize| d.ignore.get(i).copied().unwrap_or(false);
                let gold: Vec<usize> = (0..n)
                    .map(|i| if ignored(i) { pred[i] } else { d.gold[i] })
                    .collect();
                for i in 0..n {
                    let (g, q) = (gold[i], pred[i]);
                    if !ignored(i) {
                        right += (g == q) as usize;
                        total += 1;
                    }
                    if g != q {
                        p.add(&sent_feats[i], g, 1.0);
                        p.add(&sent_feats[i], q, -1.0);
                    }
                    let gp = if i == 0 { START } else { gold[i - 1] as u64 };
                    let qp = if i == 0 { START } else { pred[i - 1] as u64 };
                    if (gp, g) != (qp, q) {
                        p.add(&[transition_feature(gp)], g, 1.0);
                        p.add(&[transition_feature(qp)], q, -1.0);
                    }
                }
                p.tick();
                continue;
            }
            let mut prev = START;
            let mut prev2 = START;
            for i in 0..d.prep.len() {
                feats.clear();
                feats.extend_from_slice(d.prep.static_features(i));
                let dropped = d.drop_p[i] > 0.0 && unit(rng.next_u64()) < d.drop_p[i];
                if dropped {
                    features::unknown_word_features(&mut feats[..LEXICAL_FEATURES]);
                }
                features::history(&d.prep, i, prev, prev2, dropped, &mut feats);
                let guess = p.predict(&feats, &mut scores);
                let truth = d.gold[i];
                if d.ignore.get(i).copied().unwrap_or(false) {
                    // Unknown gold: advance the averaging clock only.
                    p.tick();
                } else {
                    p.update(truth, guess, &feats);
                    right += (guess == truth) as usize;
                    total += 1;
                }
                prev2 = prev;
                prev = guess as u64;
            }
        }
        let dev_scores = dev.map(|d| {
            let m = NerModel::from_model(p.average(opts.prune), lexicon.clone())
                .expect("labels are generated by scheme_labels and always parse");
            evaluate_ner(&m, d)
        });
        progress(EpochReport {
            epoch,
            train_tag_accuracy: right as f64 / total.max(1) as f64,
            dev: dev_scores,
            seconds: t0.elapsed().as_secs_f64(),
        });
    }
    NerModel::from_model(p.average(opts.prune), lexicon.clone())
        .expect("labels are generated by scheme_labels and always parse")
}
