//! Near-duplicate articles (the same wire story
//! republished with a new header or a sentence changed), found with MinHash over
//! word 3-shingles and a banded LSH index, so a new article is compared only with
//! the few stored ones that share a band instead of with every document.
//!
//! MinHash rather than SimHash: news articles are short, and one edited sentence in
//! a 150-word story moves a 64-bit SimHash by ~10 bits, past any threshold that
//! still separates different stories; the Jaccard estimate of MinHash stays high.

// Murmur3's finalizer and FNV-1a, from the one home of hash mixing.
use chronicle_ml::hash::{fmix64 as mix, fnv1a};
use std::collections::HashMap;

/// Number of hash functions in a signature.
pub const SIGNATURE_LEN: usize = 64;
/// LSH banding: 16 bands of 4 rows put the 50%-detection point near Jaccard 0.5.
const BANDS: usize = 16;
const ROWS: usize = SIGNATURE_LEN / BANDS;
/// Estimated shingle Jaccard at or above which two articles are near-duplicates.
pub const NEAR_DUPLICATE_JACCARD: f32 = 0.6;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature(pub [u32; SIGNATURE_LEN]);

/// Fixed seeds make signatures stable across runs and machines, so stored
/// signatures stay comparable with new ones.
fn seeds() -> [u64; SIGNATURE_LEN] {
    let mut s = [0u64; SIGNATURE_LEN];
    for (i, v) in s.iter_mut().enumerate() {
        *v = mix(0x9e37_79b9_7f4a_7c15 ^ (i as u64).wrapping_mul(0x2545_f491_4f6c_dd1d));
    }
    s
}

impl Signature {
    /// MinHash of the lowercase word 3-shingles of `text`.
    pub fn of_text(text: &str) -> Signature {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        let mut shingles: Vec<u64> = if words.len() < 3 {
            words.iter().map(|w| fnv1a(w.as_bytes())).collect()
        } else {
            words
                .windows(3)
                .map(|w| fnv1a(w.join(" ").as_bytes()))
                .collect()
        };
        shingles.sort_unstable();
        shingles.dedup();
        let seeds = seeds();
        let mut sig = [u32::MAX; SIGNATURE_LEN];
        for sh in shingles {
            for (slot, seed) in sig.iter_mut().zip(seeds.iter()) {
                let h = (mix(sh ^ seed) >> 32) as u32;
                if h < *slot {
                    *slot = h;
                }
            }
        }
        Signature(sig)
    }

    /// Estimated Jaccard similarity of the two shingle sets.
    pub fn jaccard(&self, other: &Signature) -> f32 {
        let same = self
            .0
            .iter()
            .zip(other.0.iter())
            .filter(|(a, b)| a == b)
            .count();
        same as f32 / SIGNATURE_LEN as f32
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// `None` when the bytes are not a signature (wrong length).
    pub fn from_bytes(bytes: &[u8]) -> Option<Signature> {
        if bytes.len() != SIGNATURE_LEN * 4 {
            return None;
        }
        let mut sig = [0u32; SIGNATURE_LEN];
        for (slot, chunk) in sig.iter_mut().zip(bytes.chunks_exact(4)) {
            *slot = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        Some(Signature(sig))
    }

    fn band_key(&self, band: usize) -> u64 {
        let rows = &self.0[band * ROWS..(band + 1) * ROWS];
        rows.iter().fold(band as u64, |acc, &r| mix(acc ^ r as u64))
    }
}

/// Banded LSH index over signatures.
#[derive(Debug, Default)]
pub struct NearDuplicateIndex {
    buckets: HashMap<u64, Vec<usize>>,
    entries: Vec<(String, Signature)>,
}

impl NearDuplicateIndex {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn insert(&mut self, id: String, sig: Signature) {
        let idx = self.entries.len();
        for b in 0..BANDS {
            self.buckets.entry(sig.band_key(b)).or_default().push(idx);
        }
        self.entries.push((id, sig));
    }

    /// The most similar indexed document at or above `NEAR_DUPLICATE_JACCARD`.
    pub fn nearest(&self, sig: &Signature) -> Option<(&str, f32)> {
        let mut best: Option<(usize, f32)> = None;
        for b in 0..BANDS {
            if let Some(cands) = self.buckets.get(&sig.band_key(b)) {
                for &i in cands {
                    let j = self.entries[i].1.jaccard(sig);
                    if j >= NEAR_DUPLICATE_JACCARD && best.is_none_or(|(_, bj)| j > bj) {
                        best = Some((i, j));
                    }
                }
            }
        }
        best.map(|(i, j)| (self.entries[i].0.as_str(), j))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const STORY: &str = "Aid trucks reached the besieged city on Tuesday after a week of delays at the northern checkpoint, officials said. The convoy of forty trucks carried flour, fuel and medicine for the city's hospitals, which had warned they would run out within days. A spokesman for the relief agency said the crossing took six hours and that thirteen trucks were turned back by soldiers who cited security concerns. Residents gathered at the distribution point before dawn. The ceasefire negotiators meeting in the neighbouring capital welcomed the delivery but said a longer pause in the fighting was needed before more convoys could move safely.";

    #[test]
    fn one_changed_sentence_is_near_other_story_is_not() {
        let edited = STORY.replace(
            "A spokesman for the relief agency said",
            "The regional governor's office said",
        );
        let mut idx = NearDuplicateIndex::new();
        idx.insert("orig".into(), Signature::of_text(STORY));
        let (id, j) = idx
            .nearest(&Signature::of_text(&edited))
            .expect("near duplicate found");
        assert_eq!(id, "orig");
        assert!(j >= NEAR_DUPLICATE_JACCARD, "{j}");
        let other = "Negotiators meeting in the neighbouring capital said on Tuesday that the ceasefire was holding, while aid agencies warned that hospitals in the besieged city would run out of fuel within days unless more trucks were allowed through the northern checkpoint.";
        assert!(idx.nearest(&Signature::of_text(other)).is_none());
    }

    #[test]
    fn bytes_round_trip() {
        let s = Signature::of_text(STORY);
        assert_eq!(Signature::from_bytes(&s.to_bytes()), Some(s));
        assert_eq!(Signature::from_bytes(&[1, 2, 3]), None);
    }

    proptest! {
        #[test]
        fn identical_texts_always_match(text in "[a-z ]{0,200}") {
            let a = Signature::of_text(&text);
            prop_assert_eq!(a.jaccard(&Signature::of_text(&text)), 1.0);
        }
    }
}
