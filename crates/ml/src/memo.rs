//! A small direct-mapped memo of partial class scores, for the part of a
//! token's features that recurs whenever the same word does.
//!
//! Scoring is bound by random reads of weight tables several megabytes large,
//! and news repeats its words: summing a word's own features once per word
//! rather than once per occurrence removes many of those reads. The sums are
//! the model's integer weights ([`Model::add_raw`]), so the memo changes no
//! score, only how it is reached.

use crate::Model;

/// Never a real key: callers keep their third key word below 2^63.
const VACANT: [u64; 3] = [0, 0, u64::MAX];

/// Slots of partial sums; a key's slot is fixed and a newcomer evicts the old
/// one. Keys are exact (three words the features are a function of), so an
/// entry is only reused for the same word in the same circumstances.
#[derive(Debug, Default)]
pub struct Memo {
    /// [`Model::id`] the sums belong to; 0 before first use.
    model: u64,
    k: usize,
    slots: usize,
    keys: Vec<[u64; 3]>,
    sums: Vec<i32>,
    feats: Vec<u64>,
}

impl Memo {
    /// Adds to `acc` the sums of the features `own` writes for `key`,
    /// computing them only when the slot holds another key. `slots` (a power
    /// of two) sizes the memo on first use with a model; `key[2]` must stay
    /// below 2^63.
    pub fn add(
        &mut self,
        model: &Model,
        slots: usize,
        key: [u64; 3],
        own: impl FnOnce(&mut Vec<u64>),
        acc: &mut [i32],
    ) {
        let k = model.n_classes();
        if self.model != model.id() || self.k != k || self.slots != slots {
            self.model = model.id();
            self.k = k;
            self.slots = slots.next_power_of_two();
            self.keys.clear();
            self.keys.resize(self.slots, VACANT);
            self.sums.clear();
            self.sums.resize(self.slots * k, 0);
        }
        let mix = (key[0] ^ key[1].rotate_left(17) ^ key[2].wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .wrapping_mul(0xD6E8_FEB8_6659_FD93);
        let slot = (mix >> 32) as usize & (self.slots - 1);
        let sums = &mut self.sums[slot * k..(slot + 1) * k];
        if self.keys[slot] != key {
            sums.fill(0);
            self.feats.clear();
            own(&mut self.feats);
            model.add_raw(&self.feats, sums);
            self.keys[slot] = key;
        }
        for (a, &s) in acc.iter_mut().zip(sums.iter()) {
            *a += s;
        }
    }
}
