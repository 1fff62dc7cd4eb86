//! The sentence-boundary model: a binary averaged perceptron over hashed
//! features, its deterministic trainer and its file format.
//!
//! File format (all little-endian): magic `CHRSENT\0`, `u16` version, `u8` hash
//! bits, `f32` scale, `u32` entry count, then per non-zero weight a LEB128 delta
//! of its bucket index and an `i16` weight in units of `scale`.

use crate::eval::GoldText;
use crate::sentence::{gap_kinds, rule_boundary, Context, Gap, TokenInfo};
use crate::tokenize::tokenize;
use chronicle_formats::Sentence;

const MAGIC: &[u8; 8] = b"CHRSENT\0";
const VERSION: u16 = 1;

/// The shipped model, trained by `examples/train_sentences.rs`.
static EMBEDDED: &[u8] = include_bytes!("../../../models/sentence.v1.bin");

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    #[error("not a sentence model (bad magic bytes)")]
    BadMagic,
    #[error("sentence model version {0} is not supported (this build reads {VERSION})")]
    UnsupportedVersion(u16),
    #[error("sentence model truncated or corrupt: {0}")]
    Corrupt(&'static str),
}

/// Weights of the in-paragraph boundary classifier: one `f32` per hashed
/// feature bucket, dense so scoring is a handful of array reads per token.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundaryModel {
    bits: u8,
    weights: Vec<f32>,
}

/// Training settings; the defaults are what the shipped model used.
#[derive(Debug, Clone, Copy)]
pub struct TrainOptions {
    pub epochs: usize,
    pub hash_bits: u8,
    /// Weights smaller than this (after averaging) are dropped to keep the file small.
    pub prune_below: f32,
    /// Seed of the per-epoch paragraph shuffle.
    pub seed: u64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 8,
            hash_bits: 16,
            prune_below: 0.05,
            seed: 0x5eed,
        }
    }
}

impl BoundaryModel {
    pub fn embedded() -> Result<Self, ModelError> {
        Self::from_bytes(EMBEDDED)
    }

    pub(crate) fn score(&self, ctx: &Context) -> f32 {
        let mask = (1u64 << self.bits) - 1;
        let mut s = 0.0;
        ctx.features(|h| s += self.weights[(h & mask) as usize]);
        s
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let max = self.weights.iter().fold(0f32, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        let entries: Vec<(usize, i16)> = self
            .weights
            .iter()
            .enumerate()
            .filter_map(|(i, &w)| {
                let q = (w / scale).round() as i16;
                (q != 0).then_some((i, q))
            })
            .collect();
        let mut out = Vec::with_capacity(19 + entries.len() * 4);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.push(self.bits);
        out.extend_from_slice(&scale.to_le_bytes());
        out.extend_from_slice(&(entries.len() as u32).to_le_bytes());
        let mut prev = 0usize;
        for (i, q) in entries {
            let mut delta = (i - prev) as u64;
            prev = i;
            loop {
                let byte = (delta & 0x7f) as u8;
                delta >>= 7;
                if delta == 0 {
                    out.push(byte);
                    break;
                }
                out.push(byte | 0x80);
            }
            out.extend_from_slice(&q.to_le_bytes());
        }
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ModelError> {
        let mut r = Reader { bytes, pos: 0 };
        if r.take(8, "magic")? != MAGIC {
            return Err(ModelError::BadMagic);
        }
        let version = u16::from_le_bytes(r.array("version")?);
        if version != VERSION {
            return Err(ModelError::UnsupportedVersion(version));
        }
        let [bits] = r.array("hash bits")?;
        if !(8..=24).contains(&bits) {
            return Err(ModelError::Corrupt("hash bits out of range"));
        }
        let scale = f32::from_le_bytes(r.array("scale")?);
        if !scale.is_finite() {
            return Err(ModelError::Corrupt("scale is not finite"));
        }
        let count = u32::from_le_bytes(r.array("entry count")?) as usize;
        let size = 1usize << bits;
        let mut weights = vec![0f32; size];
        let mut index = 0usize;
        for _ in 0..count {
            let mut delta = 0u64;
            let mut shift = 0;
            loop {
                let [b] = r.array("index")?;
                if shift > 35 {
                    return Err(ModelError::Corrupt("index varint too long"));
                }
                delta |= ((b & 0x7f) as u64) << shift;
                shift += 7;
                if b & 0x80 == 0 {
                    break;
                }
            }
            index = index
                .checked_add(delta as usize)
                .filter(|&i| i < size)
                .ok_or(ModelError::Corrupt("weight index out of range"))?;
            let q = i16::from_le_bytes(r.array("weight")?);
            weights[index] = q as f32 * scale;
        }
        if r.pos != bytes.len() {
            return Err(ModelError::Corrupt("trailing bytes"));
        }
        Ok(BoundaryModel { bits, weights })
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], ModelError> {
        let s = self
            .bytes
            .get(self.pos..self.pos + n)
            .ok_or(ModelError::Corrupt(what))?;
        self.pos += n;
        Ok(s)
    }

    fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], ModelError> {
        let s = self.take(N, what)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }
}

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Trains the boundary model on CoNLL-U sentences (EWT train for the shipped
/// model). Deterministic: a seeded shuffle and no other randomness, so the same input
/// gives byte-identical model files.
pub fn train_sentence_model(sentences: &[Sentence], opts: TrainOptions) -> BoundaryModel {
    let gold = GoldText::from_conllu(sentences);
    let text = gold.text.as_str();
    let tokens = tokenize(text);
    let gaps = gap_kinds(text, &tokens);
    let info = TokenInfo::compute(text, &tokens);
    let mut gold_ends: Vec<usize> = gold.sentences.iter().map(|s| s.end).collect();
    gold_ends.sort_unstable();
    let is_gold_end = |pos: usize| gold_ends.binary_search(&pos).is_ok();

    let bits = opts.hash_bits.clamp(8, 24);
    let size = 1usize << bits;
    let mask = (size - 1) as u64;
    let mut w = vec![0f64; size];
    // Sum of (update time × delta), for the lazy average w - u / c.
    let mut u = vec![0f64; size];
    let mut c = 1f64;
    let mut feats: Vec<usize> = Vec::with_capacity(32);

    let mut blocks = Vec::new();
    let mut start = 0;
    for (i, g) in gaps.iter().enumerate() {
        if *g == Gap::Hard {
            blocks.push(start..i + 1);
            start = i + 1;
        }
    }
    // Paragraphs are visited in a fresh order each epoch (fixed seed, so still
    // deterministic): EWT is sorted by genre, and a sorted pass lets the last
    // genre dominate the weights.
    let mut rng = opts.seed;
    let mut order: Vec<usize> = (0..blocks.len()).collect();
    for _ in 0..opts.epochs.max(1) {
        for k in (1..order.len()).rev() {
            let r = splitmix(&mut rng) % (k as u64 + 1);
            order.swap(k, r as usize);
        }
        for block in order.iter().map(|&b| &blocks[b]) {
            let mut since = 0;
            for i in block.start..block.end.saturating_sub(1) {
                since += 1;
                if gaps[i] == Gap::Soft {
                    continue;
                }
                let ctx = Context {
                    info: &info,
                    block: block.clone(),
                    i,
                    since,
                    rule: rule_boundary(text, &tokens, i),
                };
                feats.clear();
                ctx.features(|h| feats.push((h & mask) as usize));
                let score: f64 = feats.iter().map(|&f| w[f]).sum();
                let pred = score > 0.0;
                let truth = is_gold_end(tokens[i].end);
                if pred != truth {
                    let d = if truth { 1.0 } else { -1.0 };
                    for &f in &feats {
                        w[f] += d;
                        u[f] += c * d;
                    }
                }
                c += 1.0;
                if pred {
                    since = 0;
                }
            }
        }
    }
    let weights = w
        .iter()
        .zip(&u)
        .map(|(&wi, &ui)| {
            let avg = (wi - ui / c) as f32;
            if avg.abs() < opts.prune_below {
                0.0
            } else {
                avg
            }
        })
        .collect();
    BoundaryModel { bits, weights }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# newpar\n# text = Hi there.\n1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_\n2\tthere\tthere\tADV\tRB\t_\t1\tadvmod\t_\tSpaceAfter=No\n3\t.\t.\tPUNCT\t.\t_\t1\tpunct\t_\t_\n\n# text = so what\n1\tso\tso\tADV\tRB\t_\t2\tadvmod\t_\t_\n2\twhat\twhat\tPRON\tWP\t_\t0\troot\t_\t_\n\n";

    #[test]
    fn training_is_deterministic_and_learns() {
        let sents = chronicle_formats::read_conllu(&SAMPLE.repeat(20), "s").unwrap();
        let opts = TrainOptions {
            hash_bits: 12,
            ..TrainOptions::default()
        };
        let a = train_sentence_model(&sents, opts).to_bytes();
        let b = train_sentence_model(&sents, opts).to_bytes();
        assert_eq!(a, b);
        let seg = crate::Segmenter::with_model(BoundaryModel::from_bytes(&a).unwrap());
        let s = crate::evaluate_conllu_with(&seg, &sents);
        assert_eq!(s.sentence_f1, 1.0, "{s:?}");
    }

    #[test]
    fn embedded_model_loads() {
        assert!(BoundaryModel::embedded().is_ok());
    }

    #[test]
    fn round_trip_and_corruption() {
        let m = BoundaryModel::embedded().unwrap();
        let bytes = m.to_bytes();
        let back = BoundaryModel::from_bytes(&bytes).unwrap();
        assert_eq!(back.to_bytes(), bytes);
        assert_eq!(
            BoundaryModel::from_bytes(b"nope"),
            Err(ModelError::Corrupt("magic"))
        );
        assert_eq!(
            BoundaryModel::from_bytes(b"XXXXXXXXyyyyyyyyyyyy"),
            Err(ModelError::BadMagic)
        );
        for cut in [9, 12, 18, bytes.len() - 1] {
            assert!(BoundaryModel::from_bytes(&bytes[..cut]).is_err());
        }
    }
}
