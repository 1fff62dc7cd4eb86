//! Casing profiles from unlabeled text: for each lowercased word, whether it
//! is written capitalized or lowercase away from the start of a sentence. A
//! capitalized word whose lowercase form is common in running text is likely a
//! common noun in a headline; one only ever seen capitalized is likely a name.

use crate::features::lowercase_into;
use crate::model::U64Map;
use chronicle_ml::hash::hash_str;
use std::collections::BTreeMap;

/// Profile buckets: 1 only lowercase, 2 only capitalized, 3 mixed and mostly
/// capitalized, 4 mixed and mostly lowercase; +4 when seen at least
/// [`FREQUENT`] times. 0 (absent from the map) means never seen mid-sentence.
pub(crate) const N_BUCKETS: u32 = 9;
const FREQUENT: usize = 4;

/// Counts (lowercase, capitalized) mid-sentence occurrences of every word in
/// `texts` (one sentence, paragraph or document per item; whitespace-split,
/// edge punctuation trimmed) and buckets them.
pub(crate) fn case_profile<S: AsRef<str>>(texts: &[S]) -> U64Map<u32> {
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut low = String::new();
    for text in texts {
        for line in text.as_ref().lines() {
            let mut initial = true;
            for raw in line.split_whitespace() {
                let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
                let was_initial = initial;
                let end = raw.trim_end_matches(['"', '\'', ')', '\u{201D}', '\u{2019}']);
                initial = end.ends_with(['.', '!', '?', ':']) || word.is_empty() && initial;
                let Some(first) = word.chars().next() else {
                    continue;
                };
                if was_initial || !first.is_alphabetic() {
                    continue;
                }
                // All-caps words say nothing about the word's usual casing.
                if word.chars().count() > 1 && !word.chars().any(char::is_lowercase) {
                    continue;
                }
                lowercase_into(word, &mut low);
                let e = counts.entry(low.clone()).or_default();
                if first.is_uppercase() {
                    e.1 += 1;
                } else {
                    e.0 += 1;
                }
            }
        }
    }
    counts
        .iter()
        .map(|(w, &(l, c))| {
            let base = if c == 0 {
                1
            } else if l == 0 {
                2
            } else if c >= l {
                3
            } else {
                4
            };
            (hash_str(w), base + 4 * (l + c >= FREQUENT) as u32)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_mid_sentence_casing() {
        let p = case_profile(&[
            "The Board met. Board members said the board would meet Smith .",
            "Smith saw the apple. Apple fell.",
        ]);
        let get = |w: &str| p.get(&hash_str(w)).copied();
        // "board" seen capitalized once and lowercase once mid-sentence.
        assert_eq!(get("board"), Some(3));
        assert_eq!(get("smith"), Some(2));
        assert_eq!(get("apple"), Some(1));
        // Sentence-initial words are not counted.
        assert_eq!(get("the"), Some(1));
        assert_eq!(get("members"), Some(1));
        assert!(p.values().all(|&b| b > 0 && b < N_BUCKETS));
    }
}
