//! Places that stand for governments in news prose and that the Phoenix
//! dictionaries lack (the Kremlin and the White House are there). Facts, not data.

use std::ops::Range;

const METONYMS: &[(&[&str], &str)] = &[
    (&["STATE", "DEPARTMENT"], "USAGOV"),
    (&["PENTAGON"], "USAMIL"),
    (&["CAPITOL", "HILL"], "USALEG"),
    (&["DOWNING", "STREET"], "GBRGOV"),
    (&["WHITEHALL"], "GBRGOV"),
    (&["ELYSEE"], "FRAGOV"),
    (&["ÉLYSÉE"], "FRAGOV"),
    (&["QUAI", "D'ORSAY"], "FRAGOV"),
    (&["ZHONGNANHAI"], "CHNGOV"),
    (&["FOGGY", "BOTTOM"], "USAGOV"),
];

/// (start, end, code) of every metonym in `words[range]`.
pub fn find(words: &[String], range: Range<usize>) -> Vec<(usize, usize, &'static str)> {
    let end = range.end.min(words.len());
    let mut out = Vec::new();
    for i in range.start..end {
        for (phrase, code) in METONYMS {
            let n = phrase.len();
            if i + n <= end && phrase.iter().zip(&words[i..i + n]).all(|(a, b)| a == b) {
                out.push((i, i + n, *code));
            }
        }
    }
    out
}
