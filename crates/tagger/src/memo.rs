//! A per-thread memo of first-pass partial scores for words seen recently.
//!
//! Almost half of a word's first-pass features depend on the word alone
//! ([`extract_own`]), and scoring them is a dozen or more random reads of a
//! table of several megabytes. News repeats its words, so those features' sum
//! is kept per word (with its flags and the sentence's casing bucket, which
//! those features also read) in a direct-mapped [`chronicle_ml::Memo`]. The
//! sums are the model's integer weights, so the memo changes no score, only
//! how it is reached.

use crate::features::{extract_own, Tok};

/// 4,096 slots of ~100 classes take 1.7 MB; 1,024 saved fewer table reads
/// (perf samples on fakes-dev).
const SLOTS: usize = 4096;

/// Adds the word-only partial sums of token `i` (unpadded) to `acc`: the
/// features of [`extract_own`] depend on the word's spelling, its flags and the
/// sentence's casing bucket, which make the key.
pub(crate) fn add_own(
    memo: &mut chronicle_ml::Memo,
    model: &chronicle_ml::Model,
    toks: &[Tok],
    i: usize,
    acc: &mut [i32],
) {
    let t = &toks[i + 2];
    let key = [t.form, t.lower, t.flags | (t.sent << 8)];
    memo.add(model, SLOTS, key, |f| extract_own(toks, i, f), acc);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::{extract, extract_context, prepare, Scratch};
    use chronicle_ml::{Perceptron, SplitMix64};

    fn sentences() -> Vec<Vec<&'static str>> {
        let vocab = [
            "The",
            "army",
            "said",
            "Homs",
            "was",
            "shelled",
            "on",
            "Friday",
            ",",
            "and",
            "the",
            "U.S.",
            "well-known",
            "1,200",
            "people",
            "fled",
            ".",
            "THE",
            "ARMY",
        ];
        let mut rng = SplitMix64::new(7);
        (0..60)
            .map(|_| {
                let n = 1 + rng.below(12);
                (0..n).map(|_| vocab[rng.below(vocab.len())]).collect()
            })
            .collect()
    }

    #[test]
    fn memoized_scores_equal_plain_scores() {
        let labels: Vec<String> = (0..7).map(|c| format!("C{c}")).collect();
        let mut p = Perceptron::new("toy", labels);
        let mut sc = Scratch::default();
        let mut rng = SplitMix64::new(3);
        let amb = |h: u64| h % 4;
        let prof = |h: u64| h % 3;
        let mut scores = vec![0.0f32; 7];
        for s in sentences() {
            prepare(&s, amb, prof, &mut sc);
            for i in 0..s.len() {
                extract(
                    &sc.toks,
                    i,
                    rng.below(7) as u64,
                    rng.below(7) as u64,
                    &mut sc.feats,
                );
                let guess = p.predict(&sc.feats, &mut scores);
                p.update(rng.below(7), guess, &sc.feats);
            }
        }
        let model = p.average(0.0);
        let (mut own, mut ctx, mut all) = (Vec::new(), Vec::new(), Vec::new());
        let mut plain = vec![0.0f32; 7];
        let mut memo = chronicle_ml::Memo::default();
        for _ in 0..2 {
            for s in sentences() {
                prepare(&s, amb, prof, &mut sc);
                for i in 0..s.len() {
                    let (p1, p2) = (rng.below(9) as u64, rng.below(9) as u64);
                    extract(&sc.toks, i, p1, p2, &mut all);
                    extract_own(&sc.toks, i, &mut own);
                    extract_context(&sc.toks, i, p1, p2, &mut ctx);
                    let mut split = [own.clone(), ctx.clone()].concat();
                    split.sort_unstable();
                    all.sort_unstable();
                    assert_eq!(split, all);
                    model.score(&all, &mut plain);
                    let mut acc = vec![0i32; 7];
                    add_own(&mut memo, &model, &sc.toks, i, &mut acc);
                    model.add_raw(&ctx, &mut acc);
                    model.finish(&acc, &mut scores);
                    assert_eq!(
                        plain.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                        scores.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
                    );
                }
            }
        }
    }
}
