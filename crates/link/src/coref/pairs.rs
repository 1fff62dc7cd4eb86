//! Learned head affinity: how often mentions with two given heads (an event's
//! head lemma, an entity's head word; or one head twice) corefer in the
//! training topics. Same-lemma clustering is a
//! strong baseline because most lemmas keep to one event inside a story, but not
//! all ("say", "attack", "meet" recur for different events), and a few different
//! lemmas name one event across outlets ("quake"/"earthquake", "kill"/"die").
//! The same holds for entity heads ("suspect"/"man", "he"/"he"). Counts pooled
//! over many topics carry that across to unseen topics.

use std::collections::BTreeMap;

/// Pairs seen fewer times than this say nothing (their rate is noise).
pub const MIN_SUPPORT: u32 = 3;
/// Pseudo-count pulling a rate toward its prior (same or different lemma).
const SMOOTHING: f32 = 2.0;

/// Coreferent and total pair counts by head-lemma pair (the smaller lemma
/// first), with the sums the priors come from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LemmaPairs {
    counts: BTreeMap<String, BTreeMap<String, (u32, u32)>>,
    /// Coreferent and total pairs of one lemma with itself, and of two lemmas.
    same: (u64, u64),
    different: (u64, u64),
}

fn ordered<'s>(a: &'s str, b: &'s str) -> (&'s str, &'s str) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

impl LemmaPairs {
    /// Counts one pair of mentions with head lemmas `a` and `b` (lower case).
    pub fn add(&mut self, a: &str, b: &str, coref: bool) {
        if a.is_empty() || b.is_empty() {
            return;
        }
        let (x, y) = ordered(a, b);
        let c = self
            .counts
            .entry(x.to_string())
            .or_default()
            .entry(y.to_string())
            .or_default();
        c.0 += u32::from(coref);
        c.1 += 1;
        let sums = if a == b {
            &mut self.same
        } else {
            &mut self.different
        };
        sums.0 += u64::from(coref);
        sums.1 += 1;
    }

    /// Adds every count of `other` (pooling topics).
    pub fn absorb(&mut self, other: &LemmaPairs) {
        for (x, row) in &other.counts {
            let mine = self.counts.entry(x.clone()).or_default();
            for (y, c) in row {
                let m = mine.entry(y.clone()).or_default();
                m.0 += c.0;
                m.1 += c.1;
            }
        }
        self.same.0 += other.same.0;
        self.same.1 += other.same.1;
        self.different.0 += other.different.0;
        self.different.1 += other.different.1;
    }

    /// These counts less `other`'s (`other` must be part of them): the table a
    /// topic's training rows read, so no row sees its own pairs counted.
    pub fn without(&self, other: &LemmaPairs) -> LemmaPairs {
        let mut out = self.clone();
        for (x, row) in &other.counts {
            if let Some(mine) = out.counts.get_mut(x) {
                for (y, c) in row {
                    if let Some(m) = mine.get_mut(y) {
                        m.0 = m.0.saturating_sub(c.0);
                        m.1 = m.1.saturating_sub(c.1);
                    }
                }
                mine.retain(|_, c| c.1 > 0);
            }
        }
        out.counts.retain(|_, row| !row.is_empty());
        out.same.0 = out.same.0.saturating_sub(other.same.0);
        out.same.1 = out.same.1.saturating_sub(other.same.1);
        out.different.0 = out.different.0.saturating_sub(other.different.0);
        out.different.1 = out.different.1.saturating_sub(other.different.1);
        out
    }

    fn prior(sums: (u64, u64)) -> f32 {
        if sums.1 == 0 {
            0.0
        } else {
            sums.0 as f32 / sums.1 as f32
        }
    }

    /// How much likelier (or less likely) than other pairs of its kind (same or
    /// different lemma) a pair with these head lemmas corefers: the smoothed
    /// rate less the prior. `None` when the pair was seen too rarely.
    pub fn affinity(&self, a: &str, b: &str) -> Option<f32> {
        let (x, y) = ordered(a, b);
        let &(pos, total) = self.counts.get(x)?.get(y)?;
        if total < MIN_SUPPORT {
            return None;
        }
        let prior = Self::prior(if a == b { self.same } else { self.different });
        Some((pos as f32 + SMOOTHING * prior) / (total as f32 + SMOOTHING) - prior)
    }

    /// Appends the table: the four sums, then the pairs seen at least
    /// [`MIN_SUPPORT`] times (rarer ones answer nothing anyway), in order.
    pub fn write(&self, out: &mut Vec<u8>) {
        for v in [self.same.0, self.same.1, self.different.0, self.different.1] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        let kept: Vec<(&String, &String, (u32, u32))> = self
            .counts
            .iter()
            .flat_map(|(x, row)| row.iter().map(move |(y, c)| (x, y, *c)))
            .filter(|(_, _, c)| c.1 >= MIN_SUPPORT)
            .collect();
        out.extend_from_slice(&(kept.len() as u32).to_le_bytes());
        for (x, y, (pos, total)) in kept {
            for w in [x, y] {
                out.extend_from_slice(&(w.len() as u16).to_le_bytes());
                out.extend_from_slice(w.as_bytes());
            }
            out.extend_from_slice(&pos.to_le_bytes());
            out.extend_from_slice(&total.to_le_bytes());
        }
    }

    /// Reads what [`LemmaPairs::write`] wrote from `bytes` at `*at`; `None`
    /// when the bytes end early or a lemma is not UTF-8.
    pub fn read(bytes: &[u8], at: &mut usize) -> Option<LemmaPairs> {
        let mut take = |n: usize| -> Option<&[u8]> {
            let s = bytes.get(*at..at.checked_add(n)?)?;
            *at += n;
            Some(s)
        };
        let mut u64s = [0u64; 4];
        for v in &mut u64s {
            *v = u64::from_le_bytes(take(8)?.try_into().ok()?);
        }
        let n = u32::from_le_bytes(take(4)?.try_into().ok()?);
        let mut out = LemmaPairs {
            same: (u64s[0], u64s[1]),
            different: (u64s[2], u64s[3]),
            ..LemmaPairs::default()
        };
        for _ in 0..n {
            let mut word = || -> Option<String> {
                let len = u16::from_le_bytes(take(2)?.try_into().ok()?) as usize;
                String::from_utf8(take(len)?.to_vec()).ok()
            };
            let (x, y) = (word()?, word()?);
            let pos = u32::from_le_bytes(take(4)?.try_into().ok()?);
            let total = u32::from_le_bytes(take(4)?.try_into().ok()?);
            out.counts.entry(x).or_default().insert(y, (pos, total));
        }
        Some(out)
    }

    /// Number of lemma pairs held.
    pub fn len(&self) -> usize {
        self.counts.values().map(BTreeMap::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> LemmaPairs {
        let mut t = LemmaPairs::default();
        for i in 0..10 {
            t.add("quake", "earthquake", i < 8);
            t.add("say", "say", i < 1);
            t.add("kill", "kill", i < 9);
            t.add("hit", "elect", false);
        }
        t.add("rare", "rare", true);
        t
    }

    #[test]
    fn affinity_is_relative_to_the_pair_kind() {
        let t = table();
        assert!(t.affinity("earthquake", "quake").unwrap() > 0.3);
        assert!(t.affinity("say", "say").unwrap() < 0.0);
        assert!(t.affinity("kill", "kill").unwrap() > 0.0);
        assert!(t.affinity("elect", "hit").unwrap() < 0.0);
        assert_eq!(t.affinity("rare", "rare"), None);
        assert_eq!(t.affinity("never", "seen"), None);
    }

    #[test]
    fn without_undoes_absorb() {
        let a = table();
        let mut b = LemmaPairs::default();
        b.add("quake", "earthquake", true);
        b.add("new", "pair", false);
        let mut both = a.clone();
        both.absorb(&b);
        assert_eq!(both.without(&b), a);
    }

    #[test]
    fn bytes_round_trip_and_answer_the_same() {
        let t = table();
        let mut bytes = Vec::new();
        t.write(&mut bytes);
        let mut at = 0;
        let back = LemmaPairs::read(&bytes, &mut at).unwrap();
        assert_eq!(at, bytes.len());
        for (a, b) in [("quake", "earthquake"), ("say", "say"), ("rare", "rare")] {
            assert_eq!(back.affinity(a, b), t.affinity(a, b));
        }
        assert!(LemmaPairs::read(&bytes[..bytes.len() - 1], &mut 0).is_none());
    }
}
