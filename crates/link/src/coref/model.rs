//! The pairwise model: logistic regression over a few dense features, one weight
//! vector per mention kind (events, entities), with the clustering threshold tuned
//! beside it, and the learned head-pair affinity table (`pairs.rs`) three of its
//! features read. Trained by Newton's method (exact, deterministic);
//! stored in the zstd model envelope every Chronicle model uses
//! (`chronicle_ml::codec`), `models/coref.v2.bin`, embedded at compile time.

use super::pairs::LemmaPairs;

/// Magic bytes of the coreference model file.
pub const MAGIC: &[u8; 8] = b"CHRCOREF";
/// Format version this build reads and writes.
pub const VERSION: u16 = 2;

static EMBEDDED: &[u8] = include_bytes!("../../../../models/coref.v2.bin");

/// Why a model file could not be read.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CorefModelError {
    #[error("coreference model: bad magic bytes (not a Chronicle coref model)")]
    BadMagic,
    #[error(
        "coreference model: format version {found} not supported (this build reads {VERSION})"
    )]
    Version { found: u16 },
    #[error("coreference model: {0}")]
    Envelope(String),
    #[error("coreference model: truncated while reading {0}")]
    Truncated(&'static str),
    #[error(
        "coreference model: {kind} has {found} weights, this build computes {expected} features"
    )]
    Width {
        kind: &'static str,
        found: usize,
        expected: usize,
    },
}

/// Weights of one pairwise classifier and its clustering threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct PairModel {
    pub bias: f32,
    pub weights: Vec<f32>,
    /// Average-link merge threshold on the coreference probability.
    pub threshold: f32,
    /// Head pair counts: event head lemmas, entity head words.
    pub lemma_pairs: LemmaPairs,
}

impl PairModel {
    /// Probability that the pair with these features corefers.
    pub fn prob(&self, features: &[f32]) -> f32 {
        let z: f32 = self.bias
            + self
                .weights
                .iter()
                .zip(features)
                .map(|(w, x)| w * x)
                .sum::<f32>();
        1.0 / (1.0 + (-z).exp())
    }

    /// Fits by Newton's method with an L2 penalty `l2` (bias not penalized). Rows
    /// are feature vectors of equal width; `labels[i]` is whether row `i` corefers.
    pub fn train(rows: &[Vec<f32>], labels: &[bool], l2: f64, iterations: usize) -> PairModel {
        let d = rows.first().map_or(0, Vec::len) + 1;
        let mut w = vec![0f64; d];
        for _ in 0..iterations {
            let mut grad = vec![0f64; d];
            let mut hess = vec![0f64; d * d];
            for (x, &y) in rows.iter().zip(labels) {
                let mut z = w[0];
                for (k, v) in x.iter().enumerate() {
                    z += w[k + 1] * f64::from(*v);
                }
                let p = 1.0 / (1.0 + (-z).exp());
                let r = p - if y { 1.0 } else { 0.0 };
                let s = (p * (1.0 - p)).max(1e-9);
                let xi = |k: usize| if k == 0 { 1.0 } else { f64::from(x[k - 1]) };
                for a in 0..d {
                    let xa = xi(a);
                    if xa == 0.0 {
                        continue;
                    }
                    grad[a] += r * xa;
                    for b in a..d {
                        hess[a * d + b] += s * xa * xi(b);
                    }
                }
            }
            for a in 0..d {
                for b in 0..a {
                    hess[a * d + b] = hess[b * d + a];
                }
                let pen = if a == 0 { 1e-6 } else { l2 };
                grad[a] += pen * w[a];
                hess[a * d + a] += pen;
            }
            let step = solve(&mut hess, &grad, d);
            let mut moved = 0f64;
            for a in 0..d {
                w[a] -= step[a];
                moved = moved.max(step[a].abs());
            }
            if moved < 1e-7 {
                break;
            }
        }
        PairModel {
            bias: w[0] as f32,
            weights: w[1..].iter().map(|v| *v as f32).collect(),
            threshold: 0.5,
            lemma_pairs: LemmaPairs::default(),
        }
    }
}

/// Solves `h x = g` for a symmetric positive definite `h` (Cholesky, in place).
fn solve(h: &mut [f64], g: &[f64], d: usize) -> Vec<f64> {
    for j in 0..d {
        let mut s = h[j * d + j];
        for k in 0..j {
            s -= h[j * d + k] * h[j * d + k];
        }
        let diag = s.max(1e-12).sqrt();
        h[j * d + j] = diag;
        for i in j + 1..d {
            let mut s = h[i * d + j];
            for k in 0..j {
                s -= h[i * d + k] * h[j * d + k];
            }
            h[i * d + j] = s / diag;
        }
    }
    let mut y = vec![0f64; d];
    for i in 0..d {
        let mut s = g[i];
        for k in 0..i {
            s -= h[i * d + k] * y[k];
        }
        y[i] = s / h[i * d + i];
    }
    let mut x = vec![0f64; d];
    for i in (0..d).rev() {
        let mut s = y[i];
        for k in i + 1..d {
            s -= h[k * d + i] * x[k];
        }
        x[i] = s / h[i * d + i];
    }
    x
}

/// The event and the entity classifiers, as one file.
#[derive(Debug, Clone, PartialEq)]
pub struct CorefModel {
    pub events: PairModel,
    pub entities: PairModel,
}

impl CorefModel {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut payload = Vec::new();
        for m in [&self.events, &self.entities] {
            payload.extend_from_slice(&(m.weights.len() as u32).to_le_bytes());
            payload.extend_from_slice(&m.bias.to_le_bytes());
            payload.extend_from_slice(&m.threshold.to_le_bytes());
            for w in &m.weights {
                payload.extend_from_slice(&w.to_le_bytes());
            }
            m.lemma_pairs.write(&mut payload);
        }
        chronicle_ml::codec::pack(MAGIC, VERSION, &payload)
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<CorefModel, CorefModelError> {
        let (found, payload) = chronicle_ml::codec::unpack(MAGIC, bytes).map_err(|e| match e {
            chronicle_ml::ModelError::BadMagic => CorefModelError::BadMagic,
            other => CorefModelError::Envelope(other.to_string()),
        })?;
        if found != VERSION {
            return Err(CorefModelError::Version { found });
        }
        let bytes = payload.as_slice();
        let mut at = 0;
        let mut read = |what: &'static str| -> Result<PairModel, CorefModelError> {
            let mut take4 = || -> Result<[u8; 4], CorefModelError> {
                let b = bytes
                    .get(at..at + 4)
                    .ok_or(CorefModelError::Truncated(what))?;
                at += 4;
                Ok([b[0], b[1], b[2], b[3]])
            };
            let n = u32::from_le_bytes(take4()?) as usize;
            let bias = f32::from_le_bytes(take4()?);
            let threshold = f32::from_le_bytes(take4()?);
            let mut weights = Vec::with_capacity(n.min(1024));
            for _ in 0..n {
                weights.push(f32::from_le_bytes(take4()?));
            }
            let lemma_pairs =
                LemmaPairs::read(bytes, &mut at).ok_or(CorefModelError::Truncated(what))?;
            Ok(PairModel {
                bias,
                weights,
                threshold,
                lemma_pairs,
            })
        };
        let events = read("event weights")?;
        let entities = read("entity weights")?;
        let check = |kind: &'static str, m: &PairModel, expected: usize| {
            if m.weights.len() == expected {
                Ok(())
            } else {
                Err(CorefModelError::Width {
                    kind,
                    found: m.weights.len(),
                    expected,
                })
            }
        };
        check("events", &events, crate::coref::events::N_FEATURES)?;
        check("entities", &entities, crate::coref::entities::N_FEATURES)?;
        Ok(CorefModel { events, entities })
    }

    /// The model embedded in this build, or why it does not load.
    pub fn embedded() -> Result<&'static CorefModel, &'static CorefModelError> {
        static MODEL: std::sync::OnceLock<Result<CorefModel, CorefModelError>> =
            std::sync::OnceLock::new();
        MODEL
            .get_or_init(|| CorefModel::from_bytes(EMBEDDED))
            .as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newton_separates_a_simple_rule() {
        let rows: Vec<Vec<f32>> = (0..40).map(|i| vec![(i % 2) as f32, 0.5]).collect();
        let labels: Vec<bool> = (0..40).map(|i| i % 2 == 1 && i % 7 != 0).collect();
        let m = PairModel::train(&rows, &labels, 0.1, 30);
        assert!(m.prob(&[1.0, 0.5]) > 0.7);
        assert!(m.prob(&[0.0, 0.5]) < 0.3);
    }

    #[test]
    fn bad_files_are_errors() {
        assert_eq!(
            CorefModel::from_bytes(b"nope"),
            Err(CorefModelError::BadMagic)
        );
        assert_eq!(
            CorefModel::from_bytes(&chronicle_ml::codec::pack(MAGIC, 9, &[])),
            Err(CorefModelError::Version { found: 9 })
        );
        assert!(matches!(
            CorefModel::from_bytes(&chronicle_ml::codec::pack(MAGIC, VERSION, &[1, 0])),
            Err(CorefModelError::Truncated(_))
        ));
        let mut cut = chronicle_ml::codec::pack(MAGIC, VERSION, &[0; 64]);
        cut.truncate(cut.len() - 3);
        assert!(matches!(
            CorefModel::from_bytes(&cut),
            Err(CorefModelError::Envelope(_))
        ));
    }

    #[test]
    fn bytes_round_trip() {
        let m = CorefModel::embedded().unwrap();
        assert_eq!(&CorefModel::from_bytes(&m.to_bytes()).unwrap(), m);
        assert!(!m.events.lemma_pairs.is_empty());
    }

    #[test]
    fn the_embedded_model_loads() {
        assert!(CorefModel::embedded().is_ok());
    }
}
