//! Feature extraction. Features that do not depend on predicted tags are
//! computed once per sentence ("static"), so a decoder only adds the handful
//! of tag-history features per step; this split is what keeps tagging fast.

use crate::gazetteer::{gazetteer, kind};
use chronicle_ml::hash::{feature, feature2, feature3, hash_str, str_feature, U64Set};

// Template ids. Changing any of them invalidates stored models.
const T_BIAS: u32 = 1;
const T_LOWER: u32 = 2;
const T_RAW: u32 = 3;
const T_SHAPE: u32 = 4;
const T_SHORT_SHAPE: u32 = 5;
const T_PREFIX: u32 = 6; // +0..3
const T_SUFFIX: u32 = 10; // +0..3
const T_LOWER_M1: u32 = 14;
const T_LOWER_P1: u32 = 15;
const T_LOWER_M2: u32 = 16;
const T_LOWER_P2: u32 = 17;
const T_SHAPE_M1: u32 = 18;
const T_SHAPE_P1: u32 = 19;
const T_BIGRAM_M1: u32 = 20;
const T_BIGRAM_P1: u32 = 21;
const T_INITIAL_SHAPE: u32 = 22;
const T_GAZ_BEGIN: u32 = 23;
const T_GAZ_INSIDE: u32 = 24;
const T_GAZ_M1_SHAPE: u32 = 25;
const T_GAZ_P1_SHAPE: u32 = 26;
const T_SHAPE_TRI: u32 = 27;
const T_SENT_CASE_SHAPE: u32 = 28;
const T_GAZ_P2: u32 = 29;
const T_GAZ_M2: u32 = 30;
const T_LEN: u32 = 31;
const T_GAZ_BEGIN_SHAPE: u32 = 32;
const T_RAW_M1: u32 = 33;
const T_RAW_P1: u32 = 34;
const T_LEX: u32 = 35;
const T_LEX_M1: u32 = 36;
const T_LEX_P1: u32 = 37;
const T_LEX_SHAPE: u32 = 38;
const T_M1_SHAPE: u32 = 46;
const T_SHAPE_P1W: u32 = 47;
// Tag-history templates.
const T_PREV: u32 = 40;
const T_PREV2: u32 = 41;
const T_PREV_LOWER: u32 = 42;
const T_PREV_SHAPE: u32 = 43;
const T_PREV_GAZ: u32 = 44;

/// Sentence-boundary padding values for the window features.
const PAD_M: u64 = 0x5354_4152_5430_0001;
const PAD_P: u64 = 0x454e_4430_0000_0002;

/// Character classes with runs capped at `max_run` into `out`.
fn shape_into(w: &str, max_run: usize, out: &mut String) {
    out.clear();
    let mut last = '\0';
    let mut run = 0;
    for ch in w.chars() {
        let c = char_class(ch);
        if c == last {
            run += 1;
            if run > max_run {
                continue;
            }
        } else {
            run = 1;
            last = c;
        }
        out.push(c);
    }
}

/// Collapsed character classes: "McDonald's" → "XxXx'x". Collapsing repeats
/// lets every capitalised word share one value regardless of length.
#[cfg(test)]
pub(crate) fn short_shape(w: &str) -> String {
    let mut out = String::new();
    shape_into(w, 1, &mut out);
    out
}

/// Character classes with runs capped at 4: "Al-Ani" → "Xx-Xxx", "2005" → "dddd".
#[cfg(test)]
pub(crate) fn shape(w: &str) -> String {
    let mut out = String::new();
    shape_into(w, 4, &mut out);
    out
}

#[inline]
fn char_class(ch: char) -> char {
    if ch.is_uppercase() {
        'X'
    } else if ch.is_lowercase() {
        'x'
    } else if ch.is_ascii_digit() {
        'd'
    } else if ch.is_alphabetic() {
        'a'
    } else {
        ch
    }
}

/// Whole-sentence casing: web text is often all lowercase or all caps, where
/// capitalisation carries no signal and the model must rely on other cues.
fn sentence_case(words: &[&str]) -> u64 {
    let mut upper_start = 0usize;
    let mut lower_start = 0usize;
    let mut all_caps = 0usize;
    for w in words {
        let mut chars = w.chars();
        if let Some(c) = chars.next() {
            if c.is_uppercase() {
                upper_start += 1;
                if w.chars()
                    .filter(|c| c.is_alphabetic())
                    .all(|c| c.is_uppercase())
                    && w.chars().count() > 1
                {
                    all_caps += 1;
                }
            } else if c.is_lowercase() {
                lower_start += 1;
            }
        }
    }
    let alpha = upper_start + lower_start;
    if alpha == 0 {
        0
    } else if upper_start == 0 {
        1 // all lowercase
    } else if all_caps * 2 > alpha {
        2 // shouting / headline caps
    } else if upper_start * 10 > alpha * 7 {
        3 // title case headline
    } else {
        4
    }
}

/// Words seen written in lower case in the training text. A capitalised word
/// whose lower-case form is common ("The", "Company") is weak evidence of a
/// name; one never seen in lower case ("Chrysler") is strong evidence, and
/// this generalises to names the model has never seen.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lexicon {
    /// Sorted hashes of lowercased words.
    pub words: Vec<u64>,
    /// The same hashes for lookup: a binary search is a dozen dependent
    /// cache misses per token, a hash probe one or two.
    set: U64Set,
}

impl PartialEq for Lexicon {
    fn eq(&self, other: &Self) -> bool {
        self.words == other.words
    }
}

impl Eq for Lexicon {}

impl Lexicon {
    /// From sorted, distinct hashes.
    pub fn new(words: Vec<u64>) -> Self {
        let set = words.iter().copied().collect();
        Lexicon { words, set }
    }

    pub fn from_sentences<'a>(sents: impl Iterator<Item = &'a [String]>) -> Self {
        let mut words: Vec<u64> = sents
            .flatten()
            .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
            .map(|w| hash_str(w))
            .collect();
        words.sort_unstable();
        words.dedup();
        Lexicon::new(words)
    }

    fn contains(&self, lower_h: u64) -> bool {
        self.set.contains(&lower_h)
    }
}

/// Casing × lexicon class of a token: what capitalisation says about it given
/// whether its lower-case form is an ordinary word and where it stands.
fn lex_class(word: &str, lower_h: u64, initial: bool, lex: &Lexicon) -> u64 {
    let mut chars = word.chars();
    let case = match chars.next() {
        Some(c) if c.is_uppercase() => {
            if word
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
                && word.chars().count() > 1
            {
                2
            } else {
                1
            }
        }
        Some(c) if c.is_lowercase() => 0,
        _ => return 7,
    };
    case * 4 + (lex.contains(lower_h) as u64) * 2 + initial as u64
}

/// Per-sentence feature state reused across calls to avoid allocation.
#[derive(Default)]
pub(crate) struct Prepared {
    pub lower: Vec<String>,
    pub lower_h: Vec<u64>,
    pub shape_h: Vec<u64>,
    pub gaz_begin: Vec<u16>,
    pub gaz_inside: Vec<u16>,
    /// Static features of token i are `feats[offsets[i]..offsets[i + 1]]`.
    pub feats: Vec<u64>,
    pub offsets: Vec<usize>,
    /// The same features split in two: those that depend on token i alone,
    /// given `keys[i]` (its raw and lower-case hashes, whether it starts the
    /// sentence, the sentence's casing and its gazetteer bits), and the rest.
    pub own: Vec<u64>,
    pub own_offsets: Vec<usize>,
    pub context: Vec<u64>,
    pub context_offsets: Vec<usize>,
    pub keys: Vec<[u64; 3]>,
    raw_h: Vec<u64>,
    short_h: Vec<u64>,
    lex_c: Vec<u64>,
}

impl Prepared {
    pub fn len(&self) -> usize {
        self.lower.len()
    }

    pub fn static_features(&self, i: usize) -> &[u64] {
        &self.feats[self.offsets[i]..self.offsets[i + 1]]
    }

    pub fn own_features(&self, i: usize) -> &[u64] {
        &self.own[self.own_offsets[i]..self.own_offsets[i + 1]]
    }

    pub fn context_features(&self, i: usize) -> &[u64] {
        &self.context[self.context_offsets[i]..self.context_offsets[i + 1]]
    }
}

fn push_gaz(out: &mut Vec<u64>, template: u32, bits: u16, extra: u64) {
    if bits == 0 {
        return;
    }
    for b in 0..kind::COUNT {
        if bits & (1 << b) != 0 {
            out.push(feature2(template, b as u64, extra));
        }
    }
}

/// Number of leading static features per token that identify the word itself;
/// training may replace them with unknown-word values (word dropout).
pub(crate) const LEXICAL_FEATURES: usize = 4;

/// Replacement for the lexical features of a dropped word.
pub(crate) fn unknown_word_features(out: &mut [u64]) {
    out[0] = feature(T_LOWER, PAD_M ^ PAD_P);
    out[1] = feature(T_RAW, PAD_M ^ PAD_P);
    out[2] = feature(T_BIGRAM_M1, PAD_M ^ PAD_P);
    out[3] = feature(T_BIGRAM_P1, PAD_M ^ PAD_P);
}

pub(crate) fn prepare(words: &[&str], lex: &Lexicon, p: &mut Prepared) {
    let n = words.len();
    // Buffers are reused across sentences: tagging allocates only when a
    // sentence is longer than any seen before on this thread.
    p.lower.truncate(n);
    while p.lower.len() < n {
        p.lower.push(String::new());
    }
    for (dst, w) in p.lower.iter_mut().zip(words) {
        dst.clear();
        if w.is_ascii() {
            dst.push_str(w);
            dst.make_ascii_lowercase();
        } else {
            dst.extend(w.chars().flat_map(char::to_lowercase));
        }
    }
    p.lower_h.clear();
    p.lower_h.extend(p.lower.iter().map(|w| hash_str(w)));
    let mut raw_h = std::mem::take(&mut p.raw_h);
    raw_h.clear();
    raw_h.extend(words.iter().map(|w| hash_str(w)));
    let mut short_h = std::mem::take(&mut p.short_h);
    short_h.clear();
    p.shape_h.clear();
    let mut buf = String::new();
    for w in words {
        shape_into(w, 4, &mut buf);
        p.shape_h.push(hash_str(&buf));
        shape_into(w, 1, &mut buf);
        short_h.push(hash_str(&buf));
    }
    gazetteer().annotate(&p.lower, &p.lower_h, &mut p.gaz_begin, &mut p.gaz_inside);
    let sent_case = sentence_case(words);

    p.feats.clear();
    p.offsets.clear();
    p.offsets.push(0);
    let lw = |i: isize| -> u64 {
        if i < 0 {
            PAD_M
        } else if i as usize >= n {
            PAD_P
        } else {
            p.lower_h[i as usize]
        }
    };
    let sh = |i: isize| -> u64 {
        if i < 0 {
            PAD_M
        } else if i as usize >= n {
            PAD_P
        } else {
            p.shape_h[i as usize]
        }
    };
    let gz = |i: isize| -> u16 {
        if i < 0 || i as usize >= n {
            0
        } else {
            p.gaz_begin[i as usize] | p.gaz_inside[i as usize]
        }
    };
    // Each token's class is read three times (as itself and as both
    // neighbours' context): computed once.
    let mut lex_c = std::mem::take(&mut p.lex_c);
    lex_c.clear();
    lex_c.extend((0..n).map(|i| lex_class(words[i], p.lower_h[i], i == 0, lex)));
    let mut out = std::mem::take(&mut p.feats);
    let mut own: Vec<usize> = Vec::new();
    p.own.clear();
    p.own_offsets.clear();
    p.own_offsets.push(0);
    p.context.clear();
    p.context_offsets.clear();
    p.context_offsets.push(0);
    p.keys.clear();
    for i in 0..n {
        own.clear();
        let first = out.len();
        let ii = i as isize;
        let w = p.lower[i].as_str();
        let short = short_h[i];
        // The LEXICAL_FEATURES word-identity features come first.
        own.push(out.len());
        out.push(feature(T_LOWER, p.lower_h[i]));
        own.push(out.len());
        out.push(feature(T_RAW, raw_h[i]));
        out.push(feature2(T_BIGRAM_M1, lw(ii - 1), p.lower_h[i]));
        out.push(feature2(T_BIGRAM_P1, p.lower_h[i], lw(ii + 1)));
        own.push(out.len());
        out.push(feature(T_BIAS, 0));
        let lc = lex_c[i];
        own.push(out.len());
        out.push(feature(T_LEX, lc));
        own.push(out.len());
        out.push(feature2(T_LEX_SHAPE, lc, short));
        out.push(feature(T_LEX_M1, if i > 0 { lex_c[i - 1] } else { 8 }));
        out.push(feature(T_LEX_P1, lex_c.get(i + 1).copied().unwrap_or(8)));
        own.push(out.len());
        out.push(feature(T_SHAPE, p.shape_h[i]));
        own.push(out.len());
        out.push(feature(T_SHORT_SHAPE, short));
        let nc = w.chars().count();
        for (k, (end, _)) in w
            .char_indices()
            .skip(1)
            .chain([(w.len(), ' ')])
            .take(4)
            .enumerate()
        {
            own.push(out.len());
            out.push(str_feature(T_PREFIX + k as u32, &w[..end]));
        }
        for (k, (start, _)) in w.char_indices().rev().take(4).enumerate() {
            own.push(out.len());
            out.push(str_feature(T_SUFFIX + k as u32, &w[start..]));
        }
        out.push(feature(T_LOWER_M1, lw(ii - 1)));
        out.push(feature(T_LOWER_P1, lw(ii + 1)));
        out.push(feature(T_LOWER_M2, lw(ii - 2)));
        out.push(feature(T_LOWER_P2, lw(ii + 2)));
        out.push(feature(T_RAW_M1, if i > 0 { raw_h[i - 1] } else { PAD_M }));
        out.push(feature(
            T_RAW_P1,
            if i + 1 < n { raw_h[i + 1] } else { PAD_P },
        ));
        out.push(feature(T_SHAPE_M1, sh(ii - 1)));
        out.push(feature(T_SHAPE_P1, sh(ii + 1)));
        out.push(feature3(T_SHAPE_TRI, sh(ii - 1), short, sh(ii + 1)));
        // Context words as cues for unseen names: "automaker X", "X said".
        out.push(feature2(T_M1_SHAPE, lw(ii - 1), short));
        out.push(feature2(T_SHAPE_P1W, short, lw(ii + 1)));
        own.push(out.len());
        out.push(feature2(T_INITIAL_SHAPE, (i == 0) as u64, short));
        own.push(out.len());
        out.push(feature2(T_SENT_CASE_SHAPE, sent_case, short));
        own.push(out.len());
        out.push(feature(T_LEN, nc.min(12) as u64));
        let at = out.len();
        push_gaz(&mut out, T_GAZ_BEGIN, p.gaz_begin[i], 0);
        own.extend(at..out.len());
        let at = out.len();
        push_gaz(&mut out, T_GAZ_BEGIN_SHAPE, p.gaz_begin[i], short);
        own.extend(at..out.len());
        let at = out.len();
        push_gaz(&mut out, T_GAZ_INSIDE, p.gaz_inside[i], 0);
        own.extend(at..out.len());
        push_gaz(&mut out, T_GAZ_M1_SHAPE, gz(ii - 1), short);
        push_gaz(&mut out, T_GAZ_P1_SHAPE, gz(ii + 1), short);
        push_gaz(&mut out, T_GAZ_M2, gz(ii - 2), 0);
        push_gaz(&mut out, T_GAZ_P2, gz(ii + 2), 0);
        p.offsets.push(out.len());
        // The word's own features (in `own`, ascending) and the rest, for
        // decoders that memoize the former per word.
        let mut next_own = own.iter().peekable();
        for (at, &f) in out.iter().enumerate().skip(first) {
            if next_own.next_if_eq(&&at).is_some() {
                p.own.push(f);
            } else {
                p.context.push(f);
            }
        }
        p.own_offsets.push(p.own.len());
        p.context_offsets.push(p.context.len());
        p.keys.push([
            raw_h[i],
            p.lower_h[i],
            u64::from(i == 0)
                | sent_case << 1
                | u64::from(p.gaz_begin[i]) << 8
                | u64::from(p.gaz_inside[i]) << 24,
        ]);
    }
    p.feats = out;
    p.lex_c = lex_c;
    p.raw_h = raw_h;
    p.short_h = short_h;
}

/// Tag-history features for token `i` given the two previous tag ids (0 = O /
/// sentence start are distinct: callers pass `start_tag` for positions before 0).
#[inline]
pub(crate) fn history(
    p: &Prepared,
    i: usize,
    prev: u64,
    prev2: u64,
    dropped: bool,
    out: &mut Vec<u64>,
) {
    out.push(feature(T_PREV, prev));
    out.push(feature2(T_PREV2, prev, prev2));
    let w = if dropped { PAD_M ^ PAD_P } else { p.lower_h[i] };
    out.push(feature2(T_PREV_LOWER, prev, w));
    out.push(feature2(T_PREV_SHAPE, prev, p.shape_h[i]));
    let g = p.gaz_begin[i] | p.gaz_inside[i];
    if g != 0 {
        out.push(feature2(T_PREV_GAZ, prev, g as u64));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(shape("Al-Ani"), "Xx-Xxx");
        assert_eq!(shape("2005"), "dddd");
        assert_eq!(shape("Washington"), "Xxxxx");
        assert_eq!(short_shape("McDonald's"), "XxXx'x");
        assert_eq!(short_shape("U.S."), "X.X.");
    }

    #[test]
    fn sentence_case_classes() {
        assert_eq!(sentence_case(&["the", "cat"]), 1);
        assert_eq!(sentence_case(&["THE", "CAT", "SAT"]), 2);
        assert_eq!(sentence_case(&["The", "cat", "sat", "in", "Paris"]), 4);
    }

    #[test]
    fn every_token_gets_features_and_gazetteer_hits() {
        let words = ["Syrian", "troops", "entered", "Aleppo", "."];
        let mut p = Prepared::default();
        let lex = Lexicon::default();
        prepare(&words, &lex, &mut p);
        assert_eq!(p.len(), 5);
        for i in 0..5 {
            assert!(p.static_features(i).len() > 20);
        }
        assert!(p.gaz_begin[0] & kind::DEMONYM != 0);
        assert!(p.gaz_begin[3] & kind::CITY != 0);
        // Same input, same features: models depend on it.
        let mut q = Prepared::default();
        prepare(&words, &lex, &mut q);
        assert_eq!(p.feats, q.feats);
    }

    #[test]
    fn lexicon_separates_names_from_capitalised_words() {
        let sents = [vec![
            "the".to_string(),
            "company".to_string(),
            "Company".to_string(),
        ]];
        let lex = Lexicon::from_sentences(sents.iter().map(|s| s.as_slice()));
        assert_eq!(lex.words.len(), 2);
        let c1 = lex_class("Company", hash_str("company"), false, &lex);
        let c2 = lex_class("Chrysler", hash_str("chrysler"), false, &lex);
        assert_ne!(c1, c2);
    }

    #[test]
    fn own_and_context_split_the_static_features_and_the_key_fixes_own() {
        let sents: [&[&str]; 5] = [
            &["Syrian", "troops", "entered", "Aleppo", "on", "Friday", "."],
            &[
                "Aleppo", "fell", ",", "said", "the", "Syrian", "army", "in", "Aleppo",
            ],
            &["NEW", "YORK", "(", "Reuters", ")", "-", "Aleppo"],
            &["the", "new", "york", "times", "said", "aleppo", "fell"],
            &["Aleppo"],
        ];
        let lex = Lexicon::from_sentences(
            [vec!["the".to_string(), "said".to_string()]]
                .iter()
                .map(|s| s.as_slice()),
        );
        let mut p = Prepared::default();
        let mut seen: std::collections::HashMap<[u64; 3], Vec<u64>> = Default::default();
        for words in sents {
            prepare(words, &lex, &mut p);
            for i in 0..words.len() {
                let mut split = [p.own_features(i), p.context_features(i)].concat();
                let mut all = p.static_features(i).to_vec();
                split.sort_unstable();
                all.sort_unstable();
                assert_eq!(split, all);
                let own = p.own_features(i).to_vec();
                assert_eq!(seen.entry(p.keys[i]).or_insert_with(|| own.clone()), &own);
            }
        }
        assert!(seen.len() < sents.iter().map(|s| s.len()).sum::<usize>());
    }

    #[test]
    fn odd_unicode_does_not_panic() {
        let words = ["", "ß", "İstanbul", "\u{301}", "🇺🇸", "a\u{0}b"];
        let mut p = Prepared::default();
        prepare(&words, &Lexicon::default(), &mut p);
        assert_eq!(p.len(), words.len());
    }
}
