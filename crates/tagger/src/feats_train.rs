//! FEATS predictor training from CoNLL-U, on gold or predicted tags, with per-epoch reports.
use crate::feats::{
    allowed_in, best_of, extract, is_question, prepare, tag_key, universal_feats, FeatsModel,
    FeatsToken, FEATS_KIND,
};
use crate::model::{PosTag, U64Map};
use chronicle_formats::Sentence;
use chronicle_ml::{Perceptron, SplitMix64};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

/// Training knobs; the defaults are what the shipped model uses.
#[derive(Debug, Clone)]
pub struct FeatsTrainOptions {
    pub epochs: usize,
    pub seed: u64,
    /// Averaged weights below this magnitude are dropped from the model.
    pub prune: f32,
    /// A FEATS value joins a tag pair's allowed set when training saw it with
    /// that pair at least this often.
    pub min_count: usize,
}

impl Default for FeatsTrainOptions {
    fn default() -> Self {
        FeatsTrainOptions {
            epochs: 6,
            seed: 0xFEA7_5EED,
            prune: 0.0,
            min_count: 1,
        }
    }
}

/// Progress after one epoch.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FeatsEpochReport {
    pub epoch: usize,
    /// Share of training words right (with the weights of the moment).
    pub train_accuracy: f64,
    /// UFeats on the dev sentences, when given.
    pub dev_ufeats: Option<f64>,
    pub seconds: f64,
}

/// Words of a gold sentence with the tags and lemmas the predictor reads:
/// `tags` when given (a tagger's output), else the gold ones.
pub fn feats_tokens<'a>(s: &'a Sentence, tags: Option<&'a [PosTag]>) -> Vec<FeatsToken<'a>> {
    match tags {
        Some(tags) => s
            .words
            .iter()
            .zip(tags)
            .map(|(w, t)| FeatsToken {
                form: &w.form,
                upos: t.upos,
                xpos: t.xpos,
                lemma: &t.lemma,
            })
            .collect(),
        None => s
            .words
            .iter()
            .map(|w| FeatsToken {
                form: &w.form,
                upos: &w.upos,
                xpos: &w.xpos,
                lemma: &w.lemma,
            })
            .collect(),
    }
}

/// Trains on the words of `train` with `tags[i]` for sentence `i` (gold tags
/// when `None`). `dev` (sentences and the tags to read them with) is scored
/// after every epoch for the reports only; it never influences the model.
pub fn train_feats(
    train: &[Sentence],
    tags: Option<&[Vec<PosTag>]>,
    dev: Option<(&[Sentence], &[Vec<PosTag>])>,
    opts: &FeatsTrainOptions,
    on_epoch: &mut dyn FnMut(&FeatsEpochReport),
) -> FeatsModel {
    let tokens: Vec<Vec<FeatsToken<'_>>> = train
        .iter()
        .enumerate()
        .map(|(i, s)| feats_tokens(s, tags.and_then(|t| t.get(i)).map(Vec::as_slice)))
        .collect();
    let gold: Vec<Vec<String>> = train
        .iter()
        .map(|s| s.words.iter().map(|w| universal_feats(&w.feats)).collect())
        .collect();
    let label_set: BTreeSet<&str> = gold.iter().flatten().map(String::as_str).collect();
    let labels: Vec<String> = label_set.iter().map(|s| s.to_string()).collect();
    let class: BTreeMap<&str, u32> = label_set
        .iter()
        .enumerate()
        .map(|(i, &l)| (l, i as u32))
        .collect();
    let truth: Vec<Vec<u32>> = gold
        .iter()
        .map(|s| s.iter().map(|l| class[l.as_str()]).collect())
        .collect();
    let (allowed, sets) = allowed_sets(&tokens, &truth, opts.min_count);
    let mut perceptron = Perceptron::new(FEATS_KIND, labels);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut rng = SplitMix64::new(opts.seed);
    let mut scores = vec![0.0f32; perceptron.n_classes()];
    let (mut toks, mut lower, mut feats) = (Vec::new(), String::new(), Vec::new());
    for epoch in 1..=opts.epochs {
        let t0 = Instant::now();
        rng.shuffle(&mut order);
        let (mut correct, mut total) = (0usize, 0usize);
        for &si in &order {
            let words = &tokens[si];
            prepare(words, &mut lower, &mut toks);
            let question = is_question(words);
            for (i, w) in words.iter().enumerate() {
                let gold = truth[si][i];
                total += 1;
                let set = allowed_in(&allowed, &sets, w.upos, w.xpos);
                let guess = match set {
                    [] => None,
                    [only] => Some(*only),
                    set if !set.contains(&gold) => {
                        // A mistagged word whose FEATS its tags never carry:
                        // nothing to learn from it.
                        None
                    }
                    set => {
                        extract(&toks, i, question, &mut feats);
                        perceptron.score(&feats, &mut scores);
                        let g = best_of(set, &scores);
                        perceptron.update(gold as usize, g as usize, &feats);
                        Some(g)
                    }
                };
                correct += (guess == Some(gold)) as usize;
            }
        }
        let dev_ufeats = dev.map(|(sents, tags)| {
            let model = FeatsModel::assemble(
                perceptron.average(opts.prune),
                allowed.clone(),
                sets.clone(),
            );
            crate::eval::score_feats(sents, &crate::eval::predict_feats(&model, sents, tags))
        });
        on_epoch(&FeatsEpochReport {
            epoch,
            train_accuracy: correct as f64 / total.max(1) as f64,
            dev_ufeats,
            seconds: t0.elapsed().as_secs_f64(),
        });
    }
    FeatsModel::assemble(perceptron.average(opts.prune), allowed, sets)
}

/// Classes seen at least `min_count` times with each UPOS+XPOS pair, and with
/// each UPOS alone (for pairs training never saw).
fn allowed_sets(
    tokens: &[Vec<FeatsToken<'_>>],
    truth: &[Vec<u32>],
    min_count: usize,
) -> (U64Map<u32>, Vec<Vec<u32>>) {
    let mut counts: BTreeMap<(&str, &str), BTreeMap<u32, usize>> = BTreeMap::new();
    for (words, classes) in tokens.iter().zip(truth) {
        for (w, &c) in words.iter().zip(classes) {
            *counts
                .entry((w.upos, w.xpos))
                .or_default()
                .entry(c)
                .or_default() += 1;
            *counts
                .entry((w.upos, ""))
                .or_default()
                .entry(c)
                .or_default() += 1;
        }
    }
    let mut allowed = U64Map::default();
    let mut sets = Vec::new();
    for ((upos, xpos), classes) in counts {
        let set: Vec<u32> = classes
            .iter()
            .filter(|&(_, &n)| n >= min_count)
            .map(|(&c, _)| c)
            .collect();
        if set.is_empty() {
            continue;
        }
        allowed.insert(tag_key(upos, xpos), sets.len() as u32);
        sets.push(set);
    }
    (allowed, sets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chronicle_formats::read_conllu;

    const NOM3: &str = "Case=Nom|Gender=Neut|Number=Sing|Person=3|PronType=Prs";
    const ACC3: &str = "Case=Acc|Gender=Neut|Number=Sing|Person=3|PronType=Prs";
    const PAST1: &str = "Mood=Ind|Number=Sing|Person=1|Tense=Past|VerbForm=Fin";
    const PAST3: &str = "Mood=Ind|Number=Sing|Person=3|Tense=Past|VerbForm=Fin";

    /// Our own toy sentences: (form, upos, xpos, feats).
    fn corpus() -> Vec<Sentence> {
        let sents: [&[(&str, &str, &str, &str)]; 4] = [
            &[
                (
                    "I",
                    "PRON",
                    "PRP",
                    "Case=Nom|Number=Sing|Person=1|PronType=Prs",
                ),
                ("saw", "VERB", "VBD", PAST1),
                ("it", "PRON", "PRP", ACC3),
                (".", "PUNCT", ".", "_"),
            ],
            &[
                ("It", "PRON", "PRP", NOM3),
                ("saw", "VERB", "VBD", PAST3),
                ("dogs", "NOUN", "NNS", "Number=Plur|NumForm=Word"),
                (".", "PUNCT", ".", "_"),
            ],
            &[
                (
                    "He",
                    "PRON",
                    "PRP",
                    "Case=Nom|Gender=Masc|Number=Sing|Person=3|PronType=Prs",
                ),
                ("took", "VERB", "VBD", PAST3),
                ("it", "PRON", "PRP", ACC3),
                (".", "PUNCT", ".", "_"),
            ],
            &[
                (
                    "I",
                    "PRON",
                    "PRP",
                    "Case=Nom|Number=Sing|Person=1|PronType=Prs",
                ),
                ("took", "VERB", "VBD", PAST1),
                ("a", "DET", "DT", "Definite=Ind|PronType=Art"),
                ("dog", "NOUN", "NN", "Number=Sing"),
                (".", "PUNCT", ".", "_"),
            ],
        ];
        let mut text = String::new();
        for s in sents.repeat(6) {
            for (i, (form, upos, xpos, feats)) in s.iter().enumerate() {
                text.push_str(&format!(
                    "{}\t{form}\t{form}\t{upos}\t{xpos}\t{feats}\t0\troot\t_\t_\n",
                    i + 1
                ));
            }
            text.push('\n');
        }
        read_conllu(&text, "toy").expect("toy corpus is valid CoNLL-U")
    }

    fn model() -> FeatsModel {
        let mut epochs = 0;
        let m = train_feats(
            &corpus(),
            None,
            None,
            &FeatsTrainOptions::default(),
            &mut |r| {
                epochs = r.epoch;
                assert!(r.dev_ufeats.is_none());
            },
        );
        assert_eq!(epochs, FeatsTrainOptions::default().epochs);
        m
    }

    fn tok<'a>(form: &'a str, upos: &'a str, xpos: &'a str) -> FeatsToken<'a> {
        FeatsToken {
            form,
            upos,
            xpos,
            lemma: form,
        }
    }

    #[test]
    fn learns_agreement_and_case_from_context() {
        let m = model();
        let s = [
            tok("I", "PRON", "PRP"),
            tok("took", "VERB", "VBD"),
            tok("it", "PRON", "PRP"),
            tok(".", "PUNCT", "."),
        ];
        assert_eq!(m.predict(&s)[1..], [PAST1, ACC3, "_"]);
        let s = [tok("It", "PRON", "PRP"), tok("took", "VERB", "VBD")];
        assert_eq!(m.predict(&s), [NOM3, PAST3]);
    }

    #[test]
    fn only_universal_features_are_learned() {
        // NumForm is EWT's own feature: not scored, not predicted.
        let m = model();
        assert_eq!(m.predict(&[tok("cats", "NOUN", "NNS")]), ["Number=Plur"]);
    }

    #[test]
    fn unseen_tags_fall_back_to_the_upos_or_to_none() {
        let m = model();
        assert_eq!(m.predict(&[tok("x", "SYM", "NFP")]), ["_"]);
        // NN never seen with DET: the labels DET was seen with still apply.
        assert_eq!(
            m.predict(&[tok("a", "DET", "NN")]),
            ["Definite=Ind|PronType=Art"]
        );
        assert!(m.predict(&[]).is_empty());
    }

    #[test]
    fn model_bytes_are_deterministic_and_round_trip() {
        let a = model();
        let bytes = a.to_bytes();
        assert_eq!(bytes, model().to_bytes());
        let b = FeatsModel::from_bytes(&bytes).expect("round trip");
        assert_eq!(b.to_bytes(), bytes);
        for s in corpus() {
            let words = feats_tokens(&s, None);
            assert_eq!(a.predict(&words), b.predict(&words));
        }
    }

    #[test]
    fn corrupt_bytes_are_errors_not_panics() {
        let bytes = model().to_bytes();
        for cut in [0, 1, 8, 12, bytes.len() / 2, bytes.len() - 1] {
            assert!(FeatsModel::from_bytes(&bytes[..cut]).is_err(), "cut {cut}");
        }
        let mut flipped = bytes.clone();
        flipped[0] ^= 0xFF;
        assert!(FeatsModel::from_bytes(&flipped).is_err());
        // A POS model's envelope is refused by its magic bytes.
        assert!(FeatsModel::from_bytes(b"CHRNPOS\0\x02\x00").is_err());
    }

    #[test]
    fn scored_like_the_official_scorer() {
        let gold = corpus();
        let perfect: Vec<Vec<&str>> = gold
            .iter()
            .map(|s| s.words.iter().map(|w| w.feats.as_str()).collect())
            .collect();
        assert_eq!(crate::eval::score_feats(&gold, &perfect), 1.0);
        // "_" and "" are the same empty value; order and non-universal
        // features do not count.
        let mut reordered = perfect.clone();
        reordered[1][2] = "NumForm=Digit|Number=Plur";
        reordered[0][3] = "";
        assert_eq!(crate::eval::score_feats(&gold, &reordered), 1.0);
        let mut wrong = perfect;
        wrong[0][1] = PAST3;
        let n: usize = gold.iter().map(|s| s.words.len()).sum();
        let want = (n - 1) as f64 / n as f64;
        assert!((crate::eval::score_feats(&gold, &wrong) - want).abs() < 1e-12);
    }
}
