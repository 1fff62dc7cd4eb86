//! Coreference and clustering metrics as the reference coreference scorer v8.01
//! (CoNLL-2011/2012; `scorer.pl`) computes them: MUC (link based), B³ (mention
//! based), CEAF-e (entity alignment by Kuhn-Munkres with φ4 similarity) and the
//! CoNLL F1, their mean; plus the adjusted Rand index for document clustering, and
//! the writer of the CoNLL KEY/RESPONSE files that let `scorer.pl` check our figures.
//!
//! A clustering is a list of chains, each a list of mention ids (`usize`). Key and
//! response may hold different mentions ("twinless" mentions, as with predicted
//! mentions); singletons are kept, as the ECB+ setup scores them. A mention must not
//! repeat: `scorer.pl` counts a repeated key mention twice in some metrics and once
//! in others, so callers remove repeats first ([`labels_to_chains`] cannot make them).

use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::hash::Hash;

/// One metric's recall and precision as numerator/denominator (as `scorer.pl` prints them).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct MetricScore {
    pub recall_num: f64,
    pub recall_den: f64,
    pub precision_num: f64,
    pub precision_den: f64,
}

impl MetricScore {
    pub fn recall(&self) -> f64 {
        ratio(self.recall_num, self.recall_den)
    }
    pub fn precision(&self) -> f64 {
        ratio(self.precision_num, self.precision_den)
    }
    pub fn f1(&self) -> f64 {
        chronicle_formats::f1(self.precision(), self.recall())
    }
}

fn ratio(a: f64, b: f64) -> f64 {
    if b == 0.0 {
        0.0
    } else {
        a / b
    }
}

/// The three metrics and their mean (each F1 in 0..=1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CorefScores {
    pub muc: MetricScore,
    pub b3: MetricScore,
    pub ceafe: MetricScore,
    pub conll_f1: f64,
}

/// Chains from one label per mention: mention `i` belongs to the chain of `labels[i]`;
/// `None` leaves it out (a mention this side does not hold). Chains come in order of
/// their first mention.
pub fn labels_to_chains<L: Eq + Hash>(labels: &[Option<L>]) -> Vec<Vec<usize>> {
    let mut index: HashMap<&L, usize> = HashMap::new();
    let mut chains: Vec<Vec<usize>> = Vec::new();
    for (i, l) in labels.iter().enumerate() {
        if let Some(l) = l {
            let c = *index.entry(l).or_insert_with(|| {
                chains.push(Vec::new());
                chains.len() - 1
            });
            chains[c].push(i);
        }
    }
    chains
}

fn index_of(chains: &[Vec<usize>]) -> HashMap<usize, usize> {
    chains
        .iter()
        .enumerate()
        .flat_map(|(c, ms)| ms.iter().map(move |&m| (m, c)))
        .collect()
}

/// MUC (Vilain et al. 1995) with `scorer.pl`'s handling of twinless mentions: key
/// mentions the response lacks count as response singletons, response singletons
/// the key lacks are dropped.
pub fn muc(key: &[Vec<usize>], response: &[Vec<usize>]) -> MetricScore {
    let k_index = index_of(key);
    let r_index = index_of(response);
    let mut r_chains: Vec<Vec<usize>> = response
        .iter()
        .filter(|c| c.len() != 1 || k_index.contains_key(&c[0]))
        .cloned()
        .collect();
    for c in key {
        for &m in c {
            if !r_index.contains_key(&m) {
                r_chains.push(vec![m]);
            }
        }
    }
    // Correct links: inside a response chain, each key chain's part of n mentions gives n-1.
    let mut correct = 0usize;
    for c in &r_chains {
        let mut parts: HashMap<usize, usize> = HashMap::new();
        for m in c {
            if let Some(&k) = k_index.get(m) {
                *parts.entry(k).or_default() += 1;
            }
        }
        correct += parts.values().map(|n| n - 1).sum::<usize>();
    }
    let links = |cs: &[Vec<usize>]| cs.iter().map(|c| c.len().saturating_sub(1)).sum::<usize>();
    MetricScore {
        recall_num: correct as f64,
        recall_den: links(key) as f64,
        precision_num: correct as f64,
        precision_den: links(&r_chains) as f64,
    }
}

fn overlaps(key: &[Vec<usize>], response: &[Vec<usize>]) -> HashMap<(usize, usize), usize> {
    let r_index = index_of(response);
    let mut common = HashMap::new();
    for (k, c) in key.iter().enumerate() {
        for m in c {
            if let Some(&r) = r_index.get(m) {
                *common.entry((k, r)).or_insert(0) += 1;
            }
        }
    }
    common
}

/// B³ (Bagga & Baldwin 1998): per mention, the share of its chain the other side
/// got right; twinless mentions score 0 on their side.
pub fn b_cubed(key: &[Vec<usize>], response: &[Vec<usize>]) -> MetricScore {
    let mut s = MetricScore {
        recall_den: key.iter().map(Vec::len).sum::<usize>() as f64,
        precision_den: response.iter().map(Vec::len).sum::<usize>() as f64,
        ..MetricScore::default()
    };
    for ((k, r), n) in overlaps(key, response) {
        let n = n as f64;
        s.recall_num += n * n / key[k].len() as f64;
        s.precision_num += n * n / response[r].len() as f64;
    }
    s
}

/// CEAF-e (Luo 2005): the one-to-one alignment of key and response chains with the
/// largest total φ4 = 2|K∩R| / (|K|+|R|), over the number of key (recall) and
/// response (precision) chains. Chains sharing no mention have φ4 = 0, so the
/// alignment is solved per connected component of the overlap graph: the same
/// optimum as one big Kuhn-Munkres, at a fraction of its cost.
pub fn ceaf_e(key: &[Vec<usize>], response: &[Vec<usize>]) -> MetricScore {
    let common = overlaps(key, response);
    // Union-find over key chains (0..K) and response chains (K..K+R).
    let nk = key.len();
    let mut parent: Vec<usize> = (0..nk + response.len()).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for &(k, r) in common.keys() {
        let (a, b) = (find(&mut parent, k), find(&mut parent, nk + r));
        if a != b {
            parent[a] = b;
        }
    }
    let mut comps: BTreeMap<usize, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    for k in 0..nk {
        let root = find(&mut parent, k);
        comps.entry(root).or_default().0.push(k);
    }
    for r in 0..response.len() {
        let root = find(&mut parent, nk + r);
        comps.entry(root).or_default().1.push(r);
    }
    let mut total = 0.0;
    for (ks, rs) in comps.values() {
        if ks.is_empty() || rs.is_empty() {
            continue;
        }
        let sim: Vec<Vec<f64>> = ks
            .iter()
            .map(|&k| {
                rs.iter()
                    .map(|&r| {
                        let n = common.get(&(k, r)).copied().unwrap_or(0) as f64;
                        2.0 * n / (key[k].len() + response[r].len()) as f64
                    })
                    .collect()
            })
            .collect();
        total += max_assignment(&sim);
    }
    MetricScore {
        recall_num: total,
        recall_den: key.iter().filter(|c| !c.is_empty()).count() as f64,
        precision_num: total,
        precision_den: response.iter().filter(|c| !c.is_empty()).count() as f64,
    }
}

/// The largest total weight of a one-to-one assignment of rows to columns
/// (Kuhn-Munkres with potentials, O(n²m), on the transposed matrix when wider than tall).
pub fn max_assignment(weights: &[Vec<f64>]) -> f64 {
    let rows = weights.len();
    let cols = weights.first().map_or(0, Vec::len);
    if rows == 0 || cols == 0 {
        return 0.0;
    }
    // The solver needs rows <= cols; cost = -weight turns the maximum into a minimum.
    let transposed = rows > cols;
    let (n, m) = if transposed {
        (cols, rows)
    } else {
        (rows, cols)
    };
    let cost = |i: usize, j: usize| {
        if transposed {
            -weights[j][i]
        } else {
            -weights[i][j]
        }
    };
    let inf = f64::INFINITY;
    let mut u = vec![0.0; n + 1];
    let mut v = vec![0.0; m + 1];
    let mut p = vec![0usize; m + 1]; // p[j]: the row matched to column j (1-based, 0 = none)
    let mut way = vec![0usize; m + 1];
    for i in 1..=n {
        p[0] = i;
        let mut j0 = 0;
        let mut minv = vec![inf; m + 1];
        let mut used = vec![false; m + 1];
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let mut delta = inf;
            let mut j1 = 0;
            for j in 1..=m {
                if !used[j] {
                    let cur = cost(i0 - 1, j - 1) - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=m {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    (1..=m)
        .filter(|&j| p[j] != 0)
        .map(|j| -cost(p[j] - 1, j - 1))
        .sum()
}

/// MUC, B³, CEAF-e and the CoNLL F1 (their mean).
pub fn conll(key: &[Vec<usize>], response: &[Vec<usize>]) -> CorefScores {
    let muc = muc(key, response);
    let b3 = b_cubed(key, response);
    let ceafe = ceaf_e(key, response);
    CorefScores {
        muc,
        b3,
        ceafe,
        conll_f1: (muc.f1() + b3.f1() + ceafe.f1()) / 3.0,
    }
}

/// Adjusted Rand index (Hubert & Arabie 1985) of two labelings of the same items.
/// Two labelings that are both one cluster, or both all singletons, agree fully (1.0).
pub fn adjusted_rand_index<A: Eq + Hash, B: Eq + Hash>(gold: &[A], pred: &[B]) -> f64 {
    let n = gold.len().min(pred.len());
    let mut table: HashMap<(&A, &B), usize> = HashMap::new();
    let mut a_sum: HashMap<&A, usize> = HashMap::new();
    let mut b_sum: HashMap<&B, usize> = HashMap::new();
    for (a, b) in gold.iter().zip(pred).take(n) {
        *table.entry((a, b)).or_default() += 1;
        *a_sum.entry(a).or_default() += 1;
        *b_sum.entry(b).or_default() += 1;
    }
    let pairs = |x: usize| (x * x.saturating_sub(1) / 2) as f64;
    let index: f64 = table.values().map(|&x| pairs(x)).sum();
    let a: f64 = a_sum.values().map(|&x| pairs(x)).sum();
    let b: f64 = b_sum.values().map(|&x| pairs(x)).sum();
    let expected = a * b / pairs(n).max(1.0);
    let max = (a + b) / 2.0;
    if (max - expected).abs() < f64::EPSILON {
        1.0
    } else {
        (index - expected) / (max - expected)
    }
}

/// B³ of a document clustering: the same metric, each document a mention.
pub fn b_cubed_labels<A: Eq + Hash, B: Eq + Hash>(gold: &[A], pred: &[B]) -> MetricScore {
    let key = labels_to_chains(&gold.iter().map(Some).collect::<Vec<_>>());
    let response = labels_to_chains(&pred.iter().map(Some).collect::<Vec<_>>());
    b_cubed(&key, &response)
}

/// A CoNLL-2012 coreference file `scorer.pl` reads: all mentions as one document
/// named `name`, one line per mention (so spans never nest), line `i` for mention
/// `i`, the last column `(c)` for a mention of chain `c` or `-` for a mention this
/// side does not hold. Write KEY and RESPONSE with the same mention order.
pub fn write_conll_coref<L: Eq + Hash>(name: &str, labels: &[Option<L>]) -> String {
    let mut ids: HashMap<&L, usize> = HashMap::new();
    let mut out = format!("#begin document ({name}); part 000\n");
    for (i, l) in labels.iter().enumerate() {
        let col = match l {
            Some(l) => {
                let next = ids.len();
                format!("({})", *ids.entry(l).or_insert(next))
            }
            None => "-".to_string(),
        };
        // Column 0 is the sentence id scorer.pl reads for heads: one per mention is fine.
        let _ = writeln!(out, "{name}\t0\t{i}\tm{i}\t{col}");
    }
    out.push_str("#end document\n");
    out
}

/// Removes repeated mentions (same key) keeping the first: `keys[i]` identifies
/// mention `i` (document and span); returns the indices kept.
pub fn first_of_each<K: Eq + Hash>(keys: &[K]) -> Vec<usize> {
    let mut seen = HashSet::new();
    (0..keys.len()).filter(|&i| seen.insert(&keys[i])).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    // Key {a b c} {d e} {f}; response {a b} {c d} {e} {f}, with a..f = 0..5.
    fn example() -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
        (
            vec![vec![0, 1, 2], vec![3, 4], vec![5]],
            vec![vec![0, 1], vec![2, 3], vec![4], vec![5]],
        )
    }

    #[test]
    fn muc_by_hand() {
        let (k, r) = example();
        let s = muc(&k, &r);
        // Key links 2+1 = 3; response links 1+1 = 2; correct: a-b only.
        assert_eq!((s.recall_num, s.recall_den), (1.0, 3.0));
        assert_eq!((s.precision_num, s.precision_den), (1.0, 2.0));
        assert!(close(s.f1(), 0.4));
    }

    #[test]
    fn b_cubed_by_hand() {
        let (k, r) = example();
        let s = b_cubed(&k, &r);
        // Recall per mention: a,b 2/3; c 1/3; d,e 1/2; f 1 -> 11/3 over 6.
        assert!(close(s.recall(), 11.0 / 3.0 / 6.0));
        // Precision: a,b 1; c,d 1/2; e 1; f 1 -> 5 over 6.
        assert!(close(s.precision(), 5.0 / 6.0));
    }

    #[test]
    fn ceaf_e_by_hand() {
        let (k, r) = example();
        let s = ceaf_e(&k, &r);
        // Best: {abc}-{ab} 4/5, {de}-{e} 2/3, {f}-{f} 1 (vs {de}-{cd} 1/2).
        let total = 0.8 + 2.0 / 3.0 + 1.0;
        assert!(close(s.recall(), total / 3.0));
        assert!(close(s.precision(), total / 4.0));
        let c = conll(&k, &r);
        assert!(close(c.conll_f1, (0.4 + c.b3.f1() + s.f1()) / 3.0));
    }

    #[test]
    fn perfect_and_twinless() {
        let (k, _) = example();
        let c = conll(&k, &k);
        assert!(close(c.conll_f1, 1.0));
        // Response lacks mention 5 and adds an unknown singleton 9.
        let r = vec![vec![0, 1, 2], vec![3, 4], vec![9]];
        let m = muc(&k, &r);
        assert!(close(m.recall(), 1.0) && close(m.precision(), 1.0));
        let b = b_cubed(&k, &r);
        assert!(close(b.recall(), 5.0 / 6.0) && close(b.precision(), 5.0 / 6.0));
    }

    #[test]
    fn assignment_picks_the_best_matching() {
        let w = vec![vec![1.0, 0.9], vec![0.9, 0.0]];
        assert!(close(max_assignment(&w), 1.8));
        let wide = vec![vec![0.1, 0.5, 0.2]];
        assert!(close(max_assignment(&wide), 0.5));
        let tall = vec![vec![0.1], vec![0.7], vec![0.2]];
        assert!(close(max_assignment(&tall), 0.7));
    }

    #[test]
    fn ari_by_hand() {
        assert!(close(
            adjusted_rand_index(&[1, 1, 2, 2], &["a", "a", "b", "b"]),
            1.0
        ));
        // Contingency [[1,1],[1,1]]: index 0, expected (2*2)/6 = 2/3, max 2 -> -0.5.
        assert!(close(
            adjusted_rand_index(&[1, 1, 2, 2], &[1, 2, 1, 2]),
            -0.5
        ));
        // gold {0,1,2}{3,4}, pred {0,1}{2,3,4}: index 1+1=2, a=3+1=4, b=1+3=4,
        // expected 16/10, max 4 -> (2-1.6)/(4-1.6) = 1/6.
        assert!(close(
            adjusted_rand_index(&[0, 0, 0, 1, 1], &[0, 0, 1, 1, 1]),
            1.0 / 6.0
        ));
    }

    #[test]
    fn conll_file_shape() {
        let f = write_conll_coref("ecb", &[Some("x"), None, Some("x"), Some("y")]);
        assert_eq!(
            f,
            "#begin document (ecb); part 000\necb\t0\t0\tm0\t(0)\necb\t0\t1\tm1\t-\n\
             ecb\t0\t2\tm2\t(0)\necb\t0\t3\tm3\t(1)\n#end document\n"
        );
        assert_eq!(first_of_each(&["a", "b", "a"]), vec![0, 1]);
        assert_eq!(
            labels_to_chains(&[Some(3), None, Some(3), Some(1)]),
            vec![vec![0, 2], vec![3]]
        );
    }
}
