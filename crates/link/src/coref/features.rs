//! Small set measures the pairwise features share.

use std::collections::BTreeSet;
use std::sync::OnceLock;

/// What the pairwise features read of a profile's samples, built once per
/// profile (not once per scored mention). Never stored, never compared: two
/// profiles are equal whatever their caches hold. Whoever changes the samples
/// clears it ([`KeyCache::clear`]).
#[derive(Clone)]
pub struct KeyCache<T>(OnceLock<Vec<T>>);

impl<T> Default for KeyCache<T> {
    fn default() -> Self {
        KeyCache(OnceLock::new())
    }
}

impl<T> PartialEq for KeyCache<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<T> std::fmt::Debug for KeyCache<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyCache")
    }
}

impl<T> KeyCache<T> {
    /// Calls `f` with the cached keys, built by `build` on first use. `len` is
    /// the number of samples: a cache of another length (a sample pushed
    /// without [`KeyCache::clear`]) is bypassed, built afresh and not kept.
    pub fn with<R>(&self, len: usize, build: impl Fn() -> Vec<T>, f: impl FnOnce(&[T]) -> R) -> R {
        match self.0.get() {
            Some(v) if v.len() == len => f(v),
            Some(_) => f(&build()),
            None => f(self.0.get_or_init(build)),
        }
    }

    pub fn clear(&mut self) {
        self.0 = OnceLock::new();
    }
}

/// Parts of speech whose lemmas describe a sentence's content (context features).
pub fn is_content_pos(upos: &str) -> bool {
    matches!(upos, "NOUN" | "PROPN" | "VERB" | "NUM" | "ADJ")
}

/// Jaccard overlap of two word sets (0 when both are empty).
pub fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f32 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let inter = a.intersection(b).count();
    inter as f32 / (a.len() + b.len() - inter) as f32
}

/// Shared elements of two sets.
pub fn overlap(a: &BTreeSet<String>, b: &BTreeSet<String>) -> usize {
    a.intersection(b).count()
}

/// Character trigrams of a word padded with `#`; `None` for the empty string
/// (see [`trigram_dice_of`]).
pub fn trigrams(s: &str) -> Option<BTreeSet<[char; 3]>> {
    if s.is_empty() {
        return None;
    }
    let cs: Vec<char> = format!("#{s}#").chars().collect();
    Some(cs.windows(3).map(|w| [w[0], w[1], w[2]]).collect())
}

/// Dice coefficient of character trigrams: morphological neighbours
/// ("arrest"/"arrested", "earthquake"/"quake") score high.
pub fn trigram_dice(a: &str, b: &str) -> f32 {
    trigram_dice_of(trigrams(a).as_ref(), trigrams(b).as_ref())
}

/// [`trigram_dice`] over trigrams built earlier; 0 when either word is empty.
pub fn trigram_dice_of(ta: Option<&BTreeSet<[char; 3]>>, tb: Option<&BTreeSet<[char; 3]>>) -> f32 {
    let (Some(ta), Some(tb)) = (ta, tb) else {
        return 0.0;
    };
    let inter = ta.intersection(tb).count();
    2.0 * inter as f32 / (ta.len() + tb.len()) as f32
}

/// Length of the common prefix, in characters.
pub fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// 1 when both are given and equal, -1 when both are given and differ, 0 else.
pub fn agree(a: Option<&str>, b: Option<&str>) -> i8 {
    match (a, b) {
        (Some(x), Some(y)) if !x.is_empty() && !y.is_empty() => {
            if x.eq_ignore_ascii_case(y) {
                1
            } else {
                -1
            }
        }
        _ => 0,
    }
}

pub fn b(v: bool) -> f32 {
    if v {
        1.0
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures() {
        let a: BTreeSet<String> = ["x", "y"].iter().map(|s| s.to_string()).collect();
        let c: BTreeSet<String> = ["y", "z"].iter().map(|s| s.to_string()).collect();
        assert!((jaccard(&a, &c) - 1.0 / 3.0).abs() < 1e-6);
        assert!(trigram_dice("arrest", "arrested") > 0.6);
        assert_eq!(common_prefix("shoot", "shooting"), 5);
        assert_eq!(agree(Some("a"), Some("A")), 1);
        assert_eq!(agree(Some("a"), None), 0);
    }
}
