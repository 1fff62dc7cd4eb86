//! First-order Viterbi decoding: per-token scores from the static features
//! plus a tag-transition matrix. Unlike greedy decoding it never has to finish
//! an entity it should not have started, because the whole path is scored.

use crate::{Tag, START};
use chronicle_ml::hash::feature;

/// Transition feature for "previous class `prev`" (`START` before token 0).
pub(crate) fn transition_feature(prev: u64) -> u64 {
    feature(TEMPLATE, prev)
}

const TEMPLATE: u32 = 45;

/// Allowed transitions, `[prev][cur]` with `prev == k` meaning sentence start,
/// and whether each class may end a sentence.
#[derive(Debug, Clone)]
pub(crate) struct Constraints {
    pub allowed: Vec<Vec<bool>>,
    pub can_end: Vec<bool>,
}

impl Constraints {
    pub fn new(tags: &[Tag], bilou: bool) -> Self {
        let k = tags.len();
        let mut allowed = vec![vec![false; k]; k + 1];
        for (p, row) in allowed.iter_mut().enumerate() {
            let prev = tags.get(p).copied();
            for (c, a) in row.iter_mut().enumerate() {
                *a = tags[c].allowed_after(prev, bilou);
            }
        }
        let can_end = tags.iter().map(|t| !(bilou && t.is_open())).collect();
        Constraints { allowed, can_end }
    }
}

/// Transition scores `[prev * k + cur]` (row `k` = start) from a scorer, with
/// disallowed transitions at −∞ so decoding needs no separate check.
pub(crate) fn transitions(
    k: usize,
    cons: &Constraints,
    mut score: impl FnMut(&[u64], &mut [f32]),
) -> Vec<f32> {
    let mut out = vec![0.0f32; (k + 1) * k];
    for (p, row) in out.chunks_mut(k).enumerate() {
        let prev = if p == k { START } else { p as u64 };
        score(&[transition_feature(prev)], row);
        for (c, v) in row.iter_mut().enumerate() {
            if !cons.allowed[p][c] {
                *v = f32::NEG_INFINITY;
            }
        }
    }
    out
}

/// Best allowed class path given per-token scores `emit[i * k + c]` and
/// transitions from [`transitions`].
pub(crate) fn decode(emit: &[f32], k: usize, trans: &[f32], cons: &Constraints) -> Vec<usize> {
    let n = emit.len() / k;
    if n == 0 || trans.len() != (k + 1) * k {
        return vec![0; n];
    }
    let mut delta = vec![f32::NEG_INFINITY; n * k];
    let mut back = vec![0u8; n * k];
    let start = &trans[k * k..];
    for ((d, e), t) in delta[..k].iter_mut().zip(&emit[..k]).zip(start) {
        *d = e + t;
    }
    for i in 1..n {
        let (before, rest) = delta.split_at_mut(i * k);
        let prev = &before[(i - 1) * k..];
        let cur = &mut rest[..k];
        let em = &emit[i * k..(i + 1) * k];
        let bk = &mut back[i * k..(i + 1) * k];
        for c in 0..k {
            let mut best = f32::NEG_INFINITY;
            let mut arg = 0usize;
            for (p, &dp) in prev.iter().enumerate() {
                let s = dp + trans[p * k + c];
                if s > best {
                    best = s;
                    arg = p;
                }
            }
            cur[c] = best + em[c];
            bk[c] = arg as u8;
        }
    }
    let mut best = 0usize;
    let mut best_s = f32::NEG_INFINITY;
    for (c, (&s, &ok)) in delta[(n - 1) * k..].iter().zip(&cons.can_end).enumerate() {
        if ok && s > best_s {
            best_s = s;
            best = c;
        }
    }
    let mut path = vec![0usize; n];
    path[n - 1] = best;
    for i in (1..n).rev() {
        path[i - 1] = back[i * k + path[i]] as usize;
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_respects_constraints_over_greedy_choice() {
        let labels = ["O", "B-PER", "I-PER", "L-PER", "U-PER"];
        let tags: Vec<Tag> = labels.iter().filter_map(|l| Tag::parse(l)).collect();
        let cons = Constraints::new(&tags, true);
        let k = tags.len();
        let trans = transitions(k, &cons, |_, row| row.fill(0.0));
        // Token 0 prefers B-PER, token 1 prefers O: greedy would be stuck in an
        // open entity; Viterbi must pick a well-formed path.
        let emit = [0.0, 2.0, 0.0, 0.0, 1.5, 3.0, 0.0, 0.0, 0.0, 0.0];
        let path = decode(&emit, k, &trans, &cons);
        assert_eq!(path, vec![4, 0]); // U-PER, O
        assert!(decode(&[], k, &trans, &cons).is_empty());
    }
}
