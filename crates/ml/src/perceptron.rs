//! The trainable multi-class averaged perceptron (lazy averaging), frozen into a `Model` when training ends.
use crate::model::Model;

type Map<V> = crate::hash::U64Map<V>;

/// One (feature, class) weight with what lazy averaging needs. The average is
/// over the weight as it stands after each instance; `total` holds that sum for
/// instances before `stamp` (the instance of the last change) and is brought up
/// to date only when the weight changes, so an update costs O(active features),
/// not O(all weights).
#[derive(Debug, Clone, Copy)]
struct Param {
    class: u32,
    weight: f32,
    total: f64,
    stamp: u64,
}

/// Trainable multi-class averaged perceptron over hashed features.
///
/// Usage per training instance: [`Perceptron::score`] (or `predict`) with the
/// current weights, then [`Perceptron::update`] with the truth and the guess —
/// `update` must be called for every instance, including correct ones, because
/// it advances the averaging clock. Finish with [`Perceptron::average`].
#[derive(Debug, Clone)]
pub struct Perceptron {
    kind: String,
    labels: Vec<String>,
    rows: Map<Vec<Param>>,
    time: u64,
}

impl Perceptron {
    /// `kind` names the model in its file (e.g. `"pos-xpos"`); `labels` are the
    /// classes, indexed in this order.
    ///
    /// # Panics
    /// With more than [`crate::MAX_CLASSES`] labels (a caller bug, not data).
    pub fn new(kind: &str, labels: Vec<String>) -> Self {
        assert!(
            labels.len() <= crate::MAX_CLASSES,
            "at most {} classes supported",
            crate::MAX_CLASSES
        );
        Perceptron {
            kind: kind.to_string(),
            labels,
            rows: Map::default(),
            time: 0,
        }
    }

    pub fn n_classes(&self) -> usize {
        self.labels.len()
    }
    pub fn labels(&self) -> &[String] {
        &self.labels
    }
    /// Instances seen so far (the averaging clock).
    pub fn instances(&self) -> u64 {
        self.time
    }
    pub fn n_features(&self) -> usize {
        self.rows.len()
    }

    /// Current (non-averaged) scores, written into `scores[..n_classes]`.
    pub fn score(&self, features: &[u64], scores: &mut [f32]) {
        let scores = &mut scores[..self.labels.len()];
        scores.fill(0.0);
        for f in features {
            if let Some(row) = self.rows.get(f) {
                for p in row {
                    scores[p.class as usize] += p.weight;
                }
            }
        }
    }

    pub fn predict(&self, features: &[u64], scores: &mut [f32]) -> usize {
        self.score(features, scores);
        crate::argmax(&scores[..self.labels.len()])
    }

    /// Standard perceptron step: advances the clock, then if `guess != truth`
    /// moves every feature's weight toward `truth` and away from `guess`.
    pub fn update(&mut self, truth: usize, guess: usize, features: &[u64]) {
        self.tick();
        if truth != guess {
            self.add(features, truth, 1.0);
            self.add(features, guess, -1.0);
        }
    }

    /// Advances the averaging clock by one instance without changing weights;
    /// for callers (e.g. a parser with several updates per state) that use
    /// [`Perceptron::add`] directly.
    pub fn tick(&mut self) {
        self.time += 1;
    }

    /// Adds `delta` to the weight of `class` for each feature.
    pub fn add(&mut self, features: &[u64], class: usize, delta: f32) {
        let time = self.time;
        for &f in features {
            let row = self.rows.entry(f).or_default();
            let p = match row.iter_mut().position(|p| p.class as usize == class) {
                Some(i) => &mut row[i],
                None => {
                    row.push(Param {
                        class: class as u32,
                        weight: 0.0,
                        total: 0.0,
                        stamp: time,
                    });
                    let last = row.len() - 1;
                    &mut row[last]
                }
            };
            p.total += (time - p.stamp) as f64 * p.weight as f64;
            p.stamp = time;
            p.weight += delta;
        }
    }

    /// Frozen model with weights averaged over all instances so far. Weights
    /// whose magnitude is below `prune` are dropped (they matter little and
    /// dominate model size). Does not consume the trainer, so a caller can
    /// evaluate the averaged model after each epoch and keep training.
    pub fn average(&self, prune: f32) -> Model {
        let time = self.time.max(1) as f64;
        let mut rows: Vec<(u64, Vec<(u32, f32)>)> = self
            .rows
            .iter()
            .filter_map(|(&key, params)| {
                let mut row: Vec<(u32, f32)> = params
                    .iter()
                    .map(|p| {
                        let total = p.total + (self.time + 1 - p.stamp) as f64 * p.weight as f64;
                        (p.class, (total / time) as f32)
                    })
                    .filter(|&(_, w)| w.abs() >= prune && w != 0.0)
                    .collect();
                row.sort_unstable_by_key(|&(c, _)| c);
                (!row.is_empty()).then_some((key, row))
            })
            .collect();
        // Sorted so the frozen table (and hence the file) does not depend on
        // hash-map iteration order.
        rows.sort_unstable_by_key(|&(k, _)| k);
        Model::build(self.kind.clone(), self.labels.clone(), rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::str_feature;
    use crate::{Model, ModelError, SplitMix64};

    /// Three classes, each signalled by its own feature plus shared noise.
    fn toy() -> Vec<(usize, Vec<u64>)> {
        let mut rng = SplitMix64::new(1);
        (0..300)
            .map(|i| {
                let class = i % 3;
                let mut f = vec![str_feature(0, &format!("c{class}")), str_feature(1, "bias")];
                f.push(str_feature(2, &format!("noise{}", rng.below(5))));
                (class, f)
            })
            .collect()
    }

    fn labels() -> Vec<String> {
        vec!["A".into(), "B".into(), "C".into()]
    }

    fn train() -> Model {
        let data = toy();
        let mut p = Perceptron::new("toy", labels());
        let mut scores = vec![0.0; 3];
        for _ in 0..5 {
            for (y, f) in &data {
                let g = p.predict(f, &mut scores);
                p.update(*y, g, f);
            }
        }
        p.average(0.0)
    }

    #[test]
    fn learns_separable_problem() {
        let m = train();
        let mut scores = vec![0.0; 3];
        for (y, f) in toy() {
            assert_eq!(m.predict(&f, &mut scores), y);
        }
        assert_eq!(m.label(1), "B");
        assert_eq!(m.class_of("C"), Some(2));
    }

    #[test]
    fn averaging_matches_explicit_sum() {
        // The weight for (f, A) after each of the 4 instances is 0, 1, 1, 1.
        let mut p = Perceptron::new("t", vec!["A".into(), "B".into()]);
        let f = [42u64];
        p.update(0, 0, &f);
        p.update(0, 1, &f);
        p.update(0, 0, &f);
        p.update(0, 0, &f);
        let m = p.average(0.0);
        let mut s = [0.0; 2];
        m.score(&f, &mut s);
        assert!((s[0] - 0.75).abs() < 1e-3, "{s:?}");
        assert!((s[1] + 0.75).abs() < 1e-3, "{s:?}");
    }

    #[test]
    fn pruning_drops_small_weights() {
        let mut p = Perceptron::new("t", vec!["A".into(), "B".into()]);
        p.update(0, 1, &[1]);
        for _ in 0..99 {
            p.update(0, 0, &[2]);
        }
        p.update(0, 1, &[2]);
        let full = p.average(0.0);
        let pruned = p.average(0.05);
        assert_eq!(full.n_features(), 2);
        assert_eq!(pruned.n_features(), 1);
    }

    #[test]
    fn serialization_round_trip() {
        let m = train();
        let bytes = m.to_bytes();
        let back = Model::from_bytes(&bytes).unwrap();
        assert_eq!(back.to_bytes(), bytes);
        assert_eq!(back.labels(), m.labels());
        assert_eq!(back.kind(), "toy");
        let (mut a, mut b) = (vec![0.0; 3], vec![0.0; 3]);
        for (_, f) in toy() {
            m.score(&f, &mut a);
            back.score(&f, &mut b);
            assert_eq!(a, b);
        }
        assert!(matches!(
            Model::from_bytes_of_kind(&bytes, "parser"),
            Err(ModelError::WrongKind { .. })
        ));
    }

    #[test]
    fn corrupt_bytes_are_errors() {
        let bytes = train().to_bytes();
        for cut in 0..bytes.len() {
            assert!(Model::from_bytes(&bytes[..cut]).is_err());
        }
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x5A;
            // Must not panic; the zstd checksum catches payload damage.
            let _ = Model::from_bytes(&b);
        }
        assert!(matches!(
            Model::from_bytes(b"garbage!"),
            Err(ModelError::BadMagic)
        ));
    }

    #[test]
    fn training_is_deterministic() {
        assert_eq!(train().to_bytes(), train().to_bytes());
    }
}
