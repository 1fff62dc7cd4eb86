//! Held-out discipline for small dev sets: each document (or record) falls in one
//! of [`FOLDS`] folds by a hash of its key, so the split never depends on file
//! order and a new document never moves the others. Folds `0..TUNE_FOLDS` are the
//! *tune* part (look at these while changing rules); the rest are the *check*
//! part (only scored). Learned components are cross-validated over the same folds:
//! trained on four, scored on the fifth.

use serde::Serialize;
use std::collections::BTreeMap;

/// Number of folds every small dev set is cut into.
pub const FOLDS: usize = 5;
/// Folds `0..TUNE_FOLDS` form the tune part; the others the check part.
pub const TUNE_FOLDS: usize = 3;

/// The fold of a document or record, from its stable key (a record id, a file
/// name without its folder).
pub fn fold_of(key: &str) -> usize {
    let id = chronicle_core::content_id(None, key);
    let head = id
        .bytes()
        .take(8)
        .filter_map(|b| (b as char).to_digit(16))
        .fold(0u64, |acc, d| acc * 16 + u64::from(d));
    (head % FOLDS as u64) as usize
}

/// Whether a key belongs to the tune part.
pub fn is_tune(key: &str) -> bool {
    fold_of(key) < TUNE_FOLDS
}

/// The part a fold belongs to: `"tune"` or `"check"`.
pub fn part_name(fold: usize) -> &'static str {
    if fold < TUNE_FOLDS {
        "tune"
    } else {
        "check"
    }
}

/// A scorer's counts kept per fold, so that the tune part, the check part, the
/// whole set and each fold are sums of the same per-document counts (micro over
/// the documents of a part) and always agree with one another.
#[derive(Debug, Clone, PartialEq)]
pub struct PerFold<C> {
    folds: [C; FOLDS],
}

impl<C: Default> Default for PerFold<C> {
    fn default() -> Self {
        PerFold {
            folds: std::array::from_fn(|_| C::default()),
        }
    }
}

impl<C: Default + Clone + std::ops::AddAssign> PerFold<C> {
    /// Adds one document's counts to the fold of its key.
    pub fn add(&mut self, key: &str, counts: C) {
        self.folds[fold_of(key)] += counts;
    }

    /// The counts of each fold, in fold order.
    pub fn folds(&self) -> &[C; FOLDS] {
        &self.folds
    }

    fn sum(&self, range: std::ops::Range<usize>) -> C {
        let mut total = C::default();
        for c in &self.folds[range] {
            total += c.clone();
        }
        total
    }

    /// Folds `0..TUNE_FOLDS`.
    pub fn tune(&self) -> C {
        self.sum(0..TUNE_FOLDS)
    }

    /// Folds `TUNE_FOLDS..FOLDS`.
    pub fn check(&self) -> C {
        self.sum(TUNE_FOLDS..FOLDS)
    }

    /// Every fold.
    pub fn all(&self) -> C {
        self.sum(0..FOLDS)
    }
}

/// One fold's figures, with its number and part.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fold<S> {
    pub fold: usize,
    pub part: &'static str,
    #[serde(flatten)]
    pub scores: S,
}

/// Every fold's figures, and the mean (over folds, unweighted), lowest and highest
/// of the headline measures: how far one fold's figure may stray from another's
/// on a set this small.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoldFigures<S> {
    pub per_fold: Vec<Fold<S>>,
    pub mean: BTreeMap<String, f64>,
    pub min: BTreeMap<String, f64>,
    pub max: BTreeMap<String, f64>,
}

/// A headline measure: its JSON name and how to read it from a part's figures.
pub type Measure<S> = (&'static str, fn(&S) -> f64);

impl<S> FoldFigures<S> {
    /// Figures of each fold's counts, summarized over `headline`.
    pub fn new<C>(counts: &PerFold<C>, headline: &[Measure<S>]) -> Self
    where
        S: for<'c> From<&'c C>,
    {
        let per_fold: Vec<Fold<S>> = counts
            .folds
            .iter()
            .enumerate()
            .map(|(fold, c)| Fold {
                fold,
                part: part_name(fold),
                scores: S::from(c),
            })
            .collect();
        let (mut mean, mut min, mut max) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
        for &(name, read) in headline {
            let values: Vec<f64> = per_fold.iter().map(|f| read(&f.scores)).collect();
            mean.insert(
                name.to_string(),
                values.iter().sum::<f64>() / values.len().max(1) as f64,
            );
            min.insert(
                name.to_string(),
                values.iter().copied().fold(f64::INFINITY, f64::min),
            );
            max.insert(
                name.to_string(),
                values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            );
        }
        FoldFigures {
            per_fold,
            mean,
            min,
            max,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_are_stable_and_all_used() {
        let keys: Vec<String> = (0..200).map(|i| format!("doc-{i}.tml")).collect();
        let mut counts = [0usize; FOLDS];
        for k in &keys {
            assert_eq!(fold_of(k), fold_of(k));
            counts[fold_of(k)] += 1;
        }
        assert!(counts.iter().all(|&c| c > 20), "{counts:?}");
        let tune = keys.iter().filter(|k| is_tune(k)).count();
        assert!((90..150).contains(&tune), "{tune}");
    }

    /// (true positives, predicted, gold) of one document.
    #[derive(Debug, Clone, Copy, Default, PartialEq)]
    struct Tally(usize, usize, usize);

    impl std::ops::AddAssign for Tally {
        fn add_assign(&mut self, o: Self) {
            (self.0, self.1, self.2) = (self.0 + o.0, self.1 + o.1, self.2 + o.2);
        }
    }

    impl From<&Tally> for Tally {
        fn from(t: &Tally) -> Self {
            *t
        }
    }

    fn synthetic() -> (Vec<(String, Tally)>, PerFold<Tally>) {
        let docs: Vec<(String, Tally)> = (0..60)
            .map(|i| (format!("doc-{i}.txt"), Tally(i % 3, i % 5 + 1, i % 4 + 1)))
            .collect();
        let mut per = PerFold::default();
        for (k, t) in &docs {
            per.add(k, *t);
        }
        (docs, per)
    }

    #[test]
    fn parts_split_a_synthetic_set_by_key() {
        let (docs, per) = synthetic();
        let mut tune = Tally::default();
        let mut check = Tally::default();
        for (k, t) in &docs {
            if is_tune(k) {
                tune += *t;
            } else {
                check += *t;
            }
            assert_eq!(part_name(fold_of(k)) == "tune", is_tune(k));
        }
        assert_eq!(per.tune(), tune);
        assert_eq!(per.check(), check);
        assert!(tune.2 > 0 && check.2 > 0, "both parts hold documents");
    }

    #[test]
    fn per_fold_counts_sum_to_the_whole() {
        let (docs, per) = synthetic();
        let mut whole = Tally::default();
        docs.iter().for_each(|(_, t)| whole += *t);
        let mut folds = Tally::default();
        per.folds().iter().for_each(|t| folds += *t);
        assert_eq!(folds, whole);
        assert_eq!(per.all(), whole);
        let mut parts = per.tune();
        parts += per.check();
        assert_eq!(parts, whole);
    }

    #[test]
    fn fold_figures_give_each_fold_and_the_spread() {
        let (_, per) = synthetic();
        let recall = |t: &Tally| t.0 as f64 / t.2.max(1) as f64;
        let figures = FoldFigures::new(
            &per,
            &[("recall", |t: &Tally| t.0 as f64 / t.2.max(1) as f64)],
        );
        assert_eq!(figures.per_fold.len(), FOLDS);
        let values: Vec<f64> = per.folds().iter().map(recall).collect();
        let mean = values.iter().sum::<f64>() / FOLDS as f64;
        assert!((figures.mean["recall"] - mean).abs() < 1e-12);
        assert!(values
            .iter()
            .all(|v| figures.min["recall"] <= *v && *v <= figures.max["recall"]));
        assert!(values.contains(&figures.min["recall"]) && values.contains(&figures.max["recall"]));
        let parts: Vec<&str> = figures.per_fold.iter().map(|f| f.part).collect();
        assert_eq!(parts, ["tune", "tune", "tune", "check", "check"]);
        assert!(figures
            .per_fold
            .iter()
            .enumerate()
            .all(|(i, f)| f.fold == i));
    }
}
