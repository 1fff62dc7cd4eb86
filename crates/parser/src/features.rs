//! Feature templates. Every feature is a 64-bit hash of (template id, atomic
//! values); extraction writes into fixed-size arrays so parsing never allocates
//! per transition.
//!
//! The transition templates follow Zhang & Nivre (2011), re-targeted from
//! arc-eager to arc-hybrid: there s0 always lacks a head, so the s0-head
//! templates become s1 templates (s1 is s0's only possible stack-side head).

use crate::system::State;
use std::collections::HashMap;

const K: u64 = 0x9E37_79B9_7F4A_7C15;
const FX: u64 = 0x517C_C1B7_2722_0A95;

/// Sentinel values for the artificial root and the "none" token. Tag ids are
/// small integers, word hashes are well mixed, so these cannot collide in practice.
const ROOT_W: u64 = 0x0123_4567_89AB_CDEF;
const NONE_W: u64 = 0xFEDC_BA98_7654_3210;
pub(crate) const TAG_UNKNOWN: u64 = 0;
const TAG_NONE: u64 = 1;
const TAG_ROOT: u64 = 2;
/// First id assigned to a real tag string.
pub(crate) const TAG_FIRST: u32 = 3;

#[inline(always)]
fn fold(h: u64, x: u64) -> u64 {
    (h.rotate_left(5) ^ x).wrapping_mul(FX)
}

#[inline(always)]
fn finish(h: u64) -> u64 {
    let h = h ^ (h >> 29);
    h.wrapping_mul(K) ^ (h >> 32)
}

/// Case-folded word with digits collapsed, so "1998" and "2004" share weights.
pub(crate) fn word_hash(form: &str) -> u64 {
    let mut h = 0xCBF2_9CE4_8422_2325u64;
    for c in form.chars().flat_map(char::to_lowercase) {
        let c = if c.is_ascii_digit() { '0' } else { c };
        h = (h ^ c as u64).wrapping_mul(0x0100_0000_01B3);
    }
    finish(h ^ 0x5555)
}

/// Last three characters, lower-cased: lets label decisions generalise over
/// unseen words ("-'s" possessives, "-ly" adverbs, "-ing" clauses).
fn suffix_hash(form: &str) -> u64 {
    let mut h = 0x8422_2325_CBF2_9CE4u64;
    let mut chars: [char; 3] = ['\0'; 3];
    for c in form.chars().flat_map(char::to_lowercase) {
        chars = [chars[1], chars[2], c];
    }
    for c in chars {
        h = (h ^ c as u64).wrapping_mul(0x0100_0000_01B3);
    }
    finish(h)
}

/// Per-sentence atomic values, indexed by token (0 = root, n + 1 = none).
#[derive(Debug, Default, Clone)]
pub(crate) struct Tokens {
    pub w: Vec<u64>,
    pub p: Vec<u64>,
    pub u: Vec<u64>,
    pub sfx: Vec<u64>,
}

impl Tokens {
    pub fn fill(
        &mut self,
        words: &[&str],
        upos: &[&str],
        xpos: &[&str],
        upos_ids: &HashMap<String, u32>,
        xpos_ids: &HashMap<String, u32>,
    ) {
        let n = words.len();
        for v in [&mut self.w, &mut self.p, &mut self.u, &mut self.sfx] {
            v.clear();
            v.reserve(n + 2);
        }
        self.w.push(ROOT_W);
        self.p.push(TAG_ROOT);
        self.u.push(TAG_ROOT);
        self.sfx.push(ROOT_W);
        let tag = |ids: &HashMap<String, u32>, t: Option<&&str>| -> u64 {
            t.and_then(|t| ids.get(*t))
                .map_or(TAG_UNKNOWN, |&id| u64::from(id))
        };
        for (i, form) in words.iter().enumerate() {
            self.w.push(word_hash(form));
            self.sfx.push(suffix_hash(form));
            self.p.push(tag(xpos_ids, xpos.get(i)));
            self.u.push(tag(upos_ids, upos.get(i)));
        }
        self.w.push(NONE_W);
        self.p.push(TAG_NONE);
        self.u.push(TAG_NONE);
        self.sfx.push(NONE_W);
    }
}

/// Distance buckets: exact up to 4, then coarse, as in Zhang & Nivre.
#[inline]
fn dist(a: u32, b: u32, none: u32) -> u64 {
    if a == none || b == none {
        return 0;
    }
    match a.abs_diff(b) {
        d @ 0..=4 => u64::from(d) + 1,
        5..=6 => 6,
        7..=9 => 7,
        10..=14 => 8,
        _ => 9,
    }
}

// Changing any template changes what stored weights mean: bump the model
// file VERSION in io.rs with it.
pub(crate) const N_TRANS_FEATS: usize = 115;
pub(crate) const N_LABEL_FEATS: usize = 48;

/// Writes feature hashes into `out` by template number.
struct Sink<'a, const N: usize> {
    out: &'a mut [u64; N],
    i: usize,
}

impl<const N: usize> Sink<'_, N> {
    #[inline(always)]
    fn push(&mut self, vals: &[u64]) {
        let mut h = (self.i as u64 + 1).wrapping_mul(K);
        for &v in vals {
            h = fold(h, v);
        }
        // Templates beyond N would be a programming error caught by the
        // feature-count test; silently dropping them keeps parsing panic-free.
        if let Some(slot) = self.out.get_mut(self.i) {
            *slot = finish(h);
        }
        self.i += 1;
    }

    /// Number of templates pushed; a debug assertion (and the feature-count
    /// test) keeps it equal to N.
    fn count(&self) -> usize {
        debug_assert_eq!(self.i, N, "template count does not match array size");
        self.i.min(N)
    }
}

#[inline]
fn wp(t: &Tokens, x: usize) -> u64 {
    fold(t.w[x], t.p[x])
}

/// Transition features; returns how many were written.
pub(crate) fn transition_features(st: &State, t: &Tokens, out: &mut [u64; N_TRANS_FEATS]) -> usize {
    let none = st.none;
    let (s0, s1, s2) = (st.s(0), st.s(1), st.s(2));
    let (b0, b1, b2, b3) = (st.buf(0), st.buf(1), st.buf(2), st.buf(3));
    let u = |x: u32| x as usize;
    let (s0u, s1u, s2u, b0u, b1u, b2u, b3u) = (u(s0), u(s1), u(s2), u(b0), u(b1), u(b2), u(b3));
    let s0l = u(st.lc1[s0u]);
    let s0l2 = u(st.lc2[s0u]);
    let s0r = u(st.rc1[s0u]);
    let s0r2 = u(st.rc2[s0u]);
    let s1l = u(st.lc1[s1u]);
    let s1r = u(st.rc1[s1u]);
    let s1r2 = u(st.rc2[s1u]);
    let b0l = u(st.lc1[b0u]);
    let b0l2 = u(st.lc2[b0u]);
    let w = &t.w;
    let p = &t.p;
    let up = &t.u;
    let lab = |x: usize| u64::from(st.label[x]);
    let d = dist(s0, b0, none);
    let d1 = dist(s1, s0, none);
    let (vl0, vr0) = (u64::from(st.nl[s0u]), u64::from(st.nr[s0u]));
    let (vl1, vr1) = (u64::from(st.nl[s1u]), u64::from(st.nr[s1u]));
    let vlb = u64::from(st.nl[b0u]);
    let lo = |x: u128| x as u64 ^ (x >> 64) as u64;
    let (sl0, sr0) = (lo(st.lset[s0u]), lo(st.rset[s0u]));
    let (sl1, sr1) = (lo(st.lset[s1u]), lo(st.rset[s1u]));
    let slb = lo(st.lset[b0u]);

    let mut f = Sink { out, i: 0 };
    f.push(&[]);
    // Single positions.
    f.push(&[w[s0u]]);
    f.push(&[p[s0u]]);
    f.push(&[wp(t, s0u)]);
    f.push(&[up[s0u]]);
    f.push(&[w[s1u]]);
    f.push(&[p[s1u]]);
    f.push(&[wp(t, s1u)]);
    f.push(&[w[s2u]]);
    f.push(&[p[s2u]]);
    f.push(&[w[b0u]]);
    f.push(&[p[b0u]]);
    f.push(&[wp(t, b0u)]);
    f.push(&[up[b0u]]);
    f.push(&[w[b1u]]);
    f.push(&[p[b1u]]);
    f.push(&[wp(t, b1u)]);
    f.push(&[w[b2u]]);
    f.push(&[p[b2u]]);
    // Pairs.
    f.push(&[wp(t, s0u), wp(t, b0u)]);
    f.push(&[wp(t, s0u), w[b0u]]);
    f.push(&[w[s0u], wp(t, b0u)]);
    f.push(&[wp(t, s0u), p[b0u]]);
    f.push(&[p[s0u], wp(t, b0u)]);
    f.push(&[w[s0u], w[b0u]]);
    f.push(&[p[s0u], p[b0u]]);
    f.push(&[p[b0u], p[b1u]]);
    f.push(&[wp(t, s1u), wp(t, s0u)]);
    f.push(&[w[s1u], w[s0u]]);
    f.push(&[p[s1u], p[s0u]]);
    f.push(&[wp(t, s1u), p[s0u]]);
    f.push(&[p[s1u], wp(t, s0u)]);
    f.push(&[p[s1u], p[b0u]]);
    f.push(&[w[s1u], w[b0u]]);
    f.push(&[up[s1u], up[s0u]]);
    f.push(&[up[s0u], up[b0u]]);
    f.push(&[w[s0u], p[b1u]]);
    // Triples.
    f.push(&[p[b0u], p[b1u], p[b2u]]);
    f.push(&[p[b1u], p[b2u], p[b3u]]);
    f.push(&[p[s0u], p[b0u], p[b1u]]);
    f.push(&[p[s1u], p[s0u], p[b0u]]);
    f.push(&[p[s2u], p[s1u], p[s0u]]);
    f.push(&[p[s1u], p[s0u], p[b1u]]);
    f.push(&[up[s2u], up[s1u], up[s0u]]);
    f.push(&[p[s0u], p[s0l], p[b0u]]);
    f.push(&[p[s0u], p[s0r], p[b0u]]);
    f.push(&[p[s0u], p[b0u], p[b0l]]);
    f.push(&[p[s1u], p[s1r], p[s0u]]);
    f.push(&[p[s1u], p[s1l], p[s0u]]);
    f.push(&[p[s1u], p[s0u], p[s0l]]);
    f.push(&[p[s1u], p[s0u], p[s0r]]);
    f.push(&[w[s1u], p[s0u], p[b0u]]);
    f.push(&[p[s1u], w[s0u], p[b0u]]);
    f.push(&[p[s1u], p[s0u], w[b0u]]);
    // Distance.
    f.push(&[w[s0u], d]);
    f.push(&[p[s0u], d]);
    f.push(&[w[b0u], d]);
    f.push(&[p[b0u], d]);
    f.push(&[w[s0u], w[b0u], d]);
    f.push(&[p[s0u], p[b0u], d]);
    f.push(&[p[s1u], p[s0u], d1]);
    f.push(&[w[s1u], w[s0u], d1]);
    f.push(&[w[s0u], d1]);
    f.push(&[w[s1u], d1]);
    f.push(&[p[s1u], p[s0u], p[b0u], d, d1]);
    // Valency.
    f.push(&[w[s0u], vl0]);
    f.push(&[p[s0u], vl0]);
    f.push(&[w[s0u], vr0]);
    f.push(&[p[s0u], vr0]);
    f.push(&[w[b0u], vlb]);
    f.push(&[p[b0u], vlb]);
    f.push(&[w[s1u], vr1]);
    f.push(&[p[s1u], vr1]);
    f.push(&[p[s1u], vl1]);
    // Children.
    f.push(&[w[s0l]]);
    f.push(&[p[s0l]]);
    f.push(&[lab(s0l)]);
    f.push(&[w[s0r]]);
    f.push(&[p[s0r]]);
    f.push(&[lab(s0r)]);
    f.push(&[w[b0l]]);
    f.push(&[p[b0l]]);
    f.push(&[lab(b0l)]);
    f.push(&[w[s1r]]);
    f.push(&[p[s1r]]);
    f.push(&[lab(s1r)]);
    f.push(&[w[s1l]]);
    f.push(&[p[s1l]]);
    f.push(&[lab(s1l)]);
    // Second-order children.
    f.push(&[w[s0l2]]);
    f.push(&[p[s0l2]]);
    f.push(&[lab(s0l2)]);
    f.push(&[w[s0r2]]);
    f.push(&[p[s0r2]]);
    f.push(&[lab(s0r2)]);
    f.push(&[w[b0l2]]);
    f.push(&[p[b0l2]]);
    f.push(&[lab(b0l2)]);
    f.push(&[p[s1r2]]);
    f.push(&[lab(s1r2)]);
    f.push(&[p[s0u], p[s0l], p[s0l2]]);
    f.push(&[p[s0u], p[s0r], p[s0r2]]);
    f.push(&[p[b0u], p[b0l], p[b0l2]]);
    f.push(&[p[s1u], p[s1r], p[s1r2]]);
    // Label sets.
    f.push(&[w[s0u], sl0]);
    f.push(&[p[s0u], sl0]);
    f.push(&[w[s0u], sr0]);
    f.push(&[p[s0u], sr0]);
    f.push(&[w[b0u], slb]);
    f.push(&[p[b0u], slb]);
    f.push(&[p[s1u], sr1]);
    f.push(&[p[s1u], sl1]);
    f.push(&[w[s1u], sr1]);
    // Label pairs around the attachment site.
    f.push(&[p[s0u], lab(s0l), lab(s0r)]);
    f.push(&[p[s1u], lab(s1r), p[s0u]]);
    f.count()
}

/// Features for choosing the label of the arc `head -> dep` (the direction is
/// implied by which label table scores them).
pub(crate) fn label_features(
    st: &State,
    t: &Tokens,
    head: u32,
    dep: u32,
    out: &mut [u64; N_LABEL_FEATS],
) -> usize {
    let none = st.none;
    let (h, d) = (head as usize, dep as usize);
    let dl = st.lc1[d] as usize;
    let dl2 = st.lc2[d] as usize;
    let dr = st.rc1[d] as usize;
    let dr2 = st.rc2[d] as usize;
    let hl = st.lc1[h] as usize;
    let hr = st.rc1[h] as usize;
    let prev = if dep >= 1 { d - 1 } else { none as usize };
    let next = if dep < st.n { d + 1 } else { none as usize };
    let hnext = if head < st.n { h + 1 } else { none as usize };
    let hprev = if head >= 1 { h - 1 } else { none as usize };
    let w = &t.w;
    let p = &t.p;
    let u = &t.u;
    let s = &t.sfx;
    let lab = |x: usize| u64::from(st.label[x]);
    let lo = |x: u128| x as u64 ^ (x >> 64) as u64;
    let dist = dist(head, dep, none);
    let (dls, drs) = (lo(st.lset[d]), lo(st.rset[d]));
    let (hls, hrs) = (lo(st.lset[h]), lo(st.rset[h]));
    let (dvl, dvr) = (u64::from(st.nl[d]), u64::from(st.nr[d]));
    let b0 = st.buf(0) as usize;

    let mut f = Sink { out, i: 0 };
    f.push(&[]);
    f.push(&[w[d]]);
    f.push(&[p[d]]);
    f.push(&[wp(t, d)]);
    f.push(&[u[d]]);
    f.push(&[s[d]]);
    f.push(&[w[h]]);
    f.push(&[p[h]]);
    f.push(&[wp(t, h)]);
    f.push(&[u[h]]);
    f.push(&[s[h]]);
    f.push(&[p[d], p[h]]);
    f.push(&[u[d], u[h]]);
    f.push(&[w[d], p[h]]);
    f.push(&[p[d], w[h]]);
    f.push(&[w[d], w[h]]);
    f.push(&[p[d], s[h]]);
    f.push(&[s[d], p[h]]);
    f.push(&[p[d], p[h], dist]);
    f.push(&[w[d], dist]);
    f.push(&[p[d], dist]);
    f.push(&[u[d], u[h], dist]);
    // Dependent's own children: a "case" or "mark" child decides obl/nmod/advcl.
    f.push(&[w[dl]]);
    f.push(&[p[d], w[dl]]);
    f.push(&[p[d], p[dl]]);
    f.push(&[p[d], lab(dl)]);
    f.push(&[lab(dl2)]);
    f.push(&[w[dr]]);
    f.push(&[p[d], p[dr]]);
    f.push(&[p[d], lab(dr)]);
    f.push(&[lab(dr2)]);
    f.push(&[p[d], dls]);
    f.push(&[p[d], drs]);
    f.push(&[u[d], dls, drs]);
    f.push(&[p[d], dvl, dvr]);
    // Head's other dependents: a head rarely takes two subjects or objects.
    f.push(&[p[h], hls]);
    f.push(&[p[h], hrs]);
    f.push(&[p[d], p[h], hls]);
    f.push(&[p[d], p[h], hrs]);
    f.push(&[p[h], lab(hl)]);
    f.push(&[p[h], lab(hr)]);
    // Context.
    f.push(&[p[d], p[prev]]);
    f.push(&[p[d], p[next]]);
    f.push(&[p[h], p[hnext]]);
    f.push(&[p[h], p[hprev]]);
    f.push(&[p[d], p[h], p[b0]]);
    f.push(&[w[d], u[h], lab(dl)]);
    f.push(&[w[h], p[d], hls]);
    f.count()
}
