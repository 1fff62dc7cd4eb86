//! Per-token precomputation and tagger feature templates. Every string-derived
//! value is hashed once per token; the per-position templates then only
//! combine integers, so extraction does no allocation.

use chronicle_ml::hash::{feature, feature2, feature3, hash_str, str_feature};

/// Hashes and flags of one token, computed once per sentence.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Tok {
    pub form: u64,
    pub lower: u64,
    /// Word identity as the features see it: rare words (no ambiguity class)
    /// are all mapped to one value, so the model learns to tag them from their
    /// spelling — exactly the situation of unseen words at test time.
    pub fw: u64,
    pub lw: u64,
    pub suf: [u64; 4],
    pub pre: [u64; 3],
    pub shape: u64,
    pub flags: u64,
    /// Ambiguity class (set of tags seen in training) of the lowercased word;
    /// gives the tagger a view of the right context's likely tags.
    pub amb: u64,
    /// Casing profile of the lowercased word in unlabeled text (0 = unseen).
    pub prof: u64,
    /// Share of capitalized words in the sentence, bucketed (same for every
    /// token of a sentence): headlines and all-caps lines capitalize common
    /// nouns too.
    pub sent: u64,
    /// Ambiguity class and 3-letter suffix of the part after the last hyphen
    /// (the word's own when it has none): "well-known" inflects like "known".
    pub tail_amb: u64,
    pub tail_suf: u64,
    pub suf5: u64,
}

const PAD_LEFT: u64 = 0x5354_4152_5421;
const PAD_RIGHT: u64 = 0x454E_4421;
const RARE: u64 = 0x5241_5245;

impl Tok {
    fn pad(v: u64) -> Tok {
        Tok {
            form: v,
            lower: v,
            fw: v,
            lw: v,
            suf: [v; 4],
            pre: [v; 3],
            shape: v,
            flags: v,
            amb: v,
            prof: v,
            sent: v,
            tail_amb: v,
            tail_suf: v,
            suf5: v,
        }
    }
}

/// Reused buffers so tagging a sentence allocates only its output.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    pub toks: Vec<Tok>,
    pub lower: String,
    pub shape: String,
    pub feats: Vec<u64>,
    pub scores: Vec<f32>,
    /// First-pass classes, padded like `toks` (two entries each side).
    pub first: Vec<u64>,
    /// First-pass score margin (best minus runner-up) per word.
    pub margins: Vec<f32>,
    /// Integer score sums of the first pass.
    pub acc: Vec<i32>,
    pub memo: chronicle_ml::Memo,
}

const Q_LEFT: u64 = 0x5154_4C21;
const Q_RIGHT: u64 = 0x5154_5221;

/// Stores a first-pass prediction in the padded layout `extract_stacked` reads.
pub(crate) fn set_first<I: IntoIterator<Item = u32>>(classes: I, first: &mut Vec<u64>) {
    first.clear();
    first.extend_from_slice(&[Q_LEFT, Q_LEFT ^ 1]);
    first.extend(classes.into_iter().map(u64::from));
    first.extend_from_slice(&[Q_RIGHT, Q_RIGHT ^ 1]);
}

/// Byte offset where the last `k` chars of `s` start (0 when `s` is shorter).
#[inline]
pub(crate) fn suffix_start(s: &str, k: usize) -> usize {
    s.char_indices().rev().nth(k - 1).map_or(0, |(i, _)| i)
}

#[inline]
pub(crate) fn prefix_end(s: &str, k: usize) -> usize {
    s.char_indices().nth(k).map_or(s.len(), |(i, _)| i)
}

pub(crate) fn lowercase_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
    } else {
        for c in word.chars() {
            out.extend(c.to_lowercase());
        }
    }
}

/// A character's class in a word shape: `X` upper, `x` lower, `d` digit,
/// anything else itself.
pub(crate) fn shape_class(c: char) -> char {
    if c.is_uppercase() {
        'X'
    } else if c.is_lowercase() {
        'x'
    } else if c.is_ascii_digit() {
        'd'
    } else {
        c
    }
}

/// Word shape with runs collapsed ("Xxxxx-dd" → "Xx-d"): generalizes unknown
/// words by their spelling pattern.
fn shape_into(word: &str, out: &mut String) {
    out.clear();
    let mut last = '\0';
    for c in word.chars() {
        let s = shape_class(c);
        if s != last {
            out.push(s);
            last = s;
        }
    }
}

pub(crate) const F_DIGIT: u64 = 1;
pub(crate) const F_HYPHEN: u64 = 2;
pub(crate) const F_UPPER_INIT: u64 = 4;
pub(crate) const F_ALL_UPPER: u64 = 8;
pub(crate) const F_FIRST: u64 = 16;
pub(crate) const F_NO_ALNUM: u64 = 32;

/// Fills `sc.toks` with one padded entry per word (two pads each side).
pub(crate) fn prepare<F: Fn(u64) -> u64, G: Fn(u64) -> u64>(
    words: &[&str],
    amb_of: F,
    prof_of: G,
    sc: &mut Scratch,
) {
    sc.toks.clear();
    sc.toks.push(Tok::pad(PAD_LEFT));
    sc.toks.push(Tok::pad(PAD_LEFT ^ 1));
    for (i, w) in words.iter().enumerate() {
        lowercase_into(w, &mut sc.lower);
        shape_into(w, &mut sc.shape);
        let low = sc.lower.as_str();
        let lower = hash_str(low);
        let mut suf = [0u64; 4];
        for (k, s) in suf.iter_mut().enumerate() {
            *s = str_feature(100 + k as u32, &low[suffix_start(low, k + 1)..]);
        }
        let mut pre = [0u64; 3];
        for (k, p) in pre.iter_mut().enumerate() {
            *p = str_feature(110 + k as u32, &low[..prefix_end(low, k + 1)]);
        }
        let mut flags = 0;
        let mut any_alnum = false;
        let mut any_lower = false;
        for c in w.chars() {
            if c.is_ascii_digit() {
                flags |= F_DIGIT;
            }
            if c == '-' {
                flags |= F_HYPHEN;
            }
            any_alnum |= c.is_alphanumeric();
            any_lower |= c.is_lowercase();
        }
        if w.chars().next().is_some_and(char::is_uppercase) {
            flags |= F_UPPER_INIT;
            if !any_lower {
                flags |= F_ALL_UPPER;
            }
        }
        if i == 0 {
            flags |= F_FIRST;
        }
        if !any_alnum {
            flags |= F_NO_ALNUM;
        }
        let amb = amb_of(lower);
        let (tail_amb, tail_suf) = match low.rfind('-').map(|k| &low[k + 1..]) {
            Some(tail) if !tail.is_empty() => (
                amb_of(hash_str(tail)),
                str_feature(130, &tail[suffix_start(tail, 3)..]),
            ),
            _ => (amb, suf[2]),
        };
        let suf5 = str_feature(104, &low[suffix_start(low, 5)..]);
        let (fw, lw) = if amb == 0 {
            (RARE, RARE)
        } else {
            (hash_str(w), lower)
        };
        sc.toks.push(Tok {
            form: hash_str(w),
            lower,
            fw,
            lw,
            suf,
            pre,
            shape: str_feature(120, &sc.shape),
            flags,
            amb,
            prof: prof_of(lower),
            sent: 0,
            tail_amb,
            tail_suf,
            suf5,
        });
    }
    let (mut alpha, mut caps) = (0usize, 0usize);
    for w in words.iter().skip(1) {
        if let Some(c) = w.chars().next().filter(|c| c.is_alphabetic()) {
            alpha += 1;
            caps += c.is_uppercase() as usize;
        }
    }
    let sent = if alpha < 2 {
        0
    } else {
        1 + (caps * 4 / alpha) as u64
    };
    for t in &mut sc.toks[2..] {
        t.sent = sent;
    }
    sc.toks.push(Tok::pad(PAD_RIGHT));
    sc.toks.push(Tok::pad(PAD_RIGHT ^ 1));
}

/// Features of word `i` (0-based, unpadded) given the two previous predicted
/// classes (`u64::MAX - k` stands for sentence start): [`extract_own`]'s, then
/// [`extract_context`]'s. (Scores are sums, so the order of features changes
/// no score, in training or at run time.)
#[inline]
pub(crate) fn extract(toks: &[Tok], i: usize, p1: u64, p2: u64, out: &mut Vec<u64>) {
    out.clear();
    push_own(toks, i, out);
    push_context(toks, i, p1, p2, out);
}

/// The features of [`extract`] that depend on word `i` alone (its spelling,
/// lexicon classes, flags and the sentence's casing bucket): the same for every
/// occurrence of the word with the same flags and bucket, so their partial
/// sums can be cached ([`crate::memo`]).
#[inline]
pub(crate) fn extract_own(toks: &[Tok], i: usize, out: &mut Vec<u64>) {
    out.clear();
    push_own(toks, i, out);
}

/// The rest of [`extract`]'s features: previous classes and neighbours.
#[inline]
pub(crate) fn extract_context(toks: &[Tok], i: usize, p1: u64, p2: u64, out: &mut Vec<u64>) {
    out.clear();
    push_context(toks, i, p1, p2, out);
}

#[inline]
fn push_own(toks: &[Tok], i: usize, out: &mut Vec<u64>) {
    let t = &toks[i + 2];
    out.extend_from_slice(&[
        feature(0, 0),
        feature(1, t.fw),
        feature(2, t.lw),
        feature(3, t.suf[0]),
        feature(4, t.suf[1]),
        feature(5, t.suf[2]),
        feature(6, t.suf[3]),
        feature(7, t.pre[0]),
        feature(8, t.pre[1]),
        feature(9, t.pre[2]),
        feature(10, t.shape),
        feature(11, t.flags),
        feature(23, t.amb),
        feature2(31, t.flags, t.amb),
        feature2(35, t.sent, t.flags),
        feature3(36, t.sent, t.flags, t.amb),
        feature2(37, t.prof, t.flags),
        feature3(38, t.prof, t.flags, t.amb),
        feature(50, t.suf5),
        feature2(51, t.tail_amb, t.tail_suf),
    ]);
}

#[inline]
fn push_context(toks: &[Tok], i: usize, p1: u64, p2: u64, out: &mut Vec<u64>) {
    let c = i + 2;
    let t = &toks[c];
    let (m1, m2, n1, n2) = (&toks[c - 1], &toks[c - 2], &toks[c + 1], &toks[c + 2]);
    out.extend_from_slice(&[
        feature(12, p1),
        feature(13, p2),
        feature2(14, p1, p2),
        feature2(15, p1, t.lw),
        feature2(16, p1, t.suf[2]),
        feature(17, m1.lw),
        feature(18, m1.suf[2]),
        feature(19, m2.lw),
        feature(20, n1.lw),
        feature(21, n1.suf[2]),
        feature(22, n2.lw),
        feature(24, n1.amb),
        feature(25, n2.amb),
        feature2(26, t.amb, n1.amb),
        feature2(27, p1, t.amb),
        feature2(28, t.lw, n1.lw),
        feature2(29, m1.lw, t.lw),
        feature(30, n1.shape),
        feature2(32, t.flags, m1.flags),
        feature2(33, t.flags, n1.flags),
        feature3(34, m1.flags, t.flags, n1.flags),
        feature2(52, t.lw, n1.amb),
        feature2(53, m1.amb, t.lw),
        feature3(54, p1, t.amb, n1.amb),
    ]);
}

/// Second-pass features: everything `extract` has, plus the first pass's
/// classes for this word and its right context, which the greedy left-to-right
/// pass otherwise sees only through ambiguity classes.
#[inline]
pub(crate) fn extract_stacked(
    toks: &[Tok],
    first: &[u64],
    i: usize,
    p1: u64,
    p2: u64,
    out: &mut Vec<u64>,
) {
    extract(toks, i, p1, p2, out);
    let c = i + 2;
    let t = &toks[c];
    let (q0, q1, q2) = (first[c], first[c + 1], first[c + 2]);
    out.extend_from_slice(&[
        feature(40, q0),
        feature(41, q1),
        feature(42, q2),
        feature2(43, q1, q2),
        feature2(44, p1, q1),
        feature2(45, q0, q1),
        feature2(46, t.lw, q1),
        feature2(47, t.suf[2], q1),
        feature2(48, first[c - 1], q0),
    ]);
}
