//! Feature hashing. Features are identified by a 64-bit hash of (template id,
//! value) so extraction writes `u64`s into a reused buffer instead of building
//! strings. The functions are fixed (no per-process random seed) because the
//! hashes are stored in model files and must mean the same thing on every run
//! and platform.

const K: u64 = 0x9E37_79B9_7F4A_7C15;
const FX: u64 = 0x517C_C1B7_2722_0A95;

#[inline(always)]
fn fold(h: u64, x: u64) -> u64 {
    (h.rotate_left(5) ^ x).wrapping_mul(FX)
}

/// Murmur3's 64-bit finalizer (`fmix64`): a bijection that spreads every input
/// bit over the output, so the cheap `fold` chain still gives uniform table
/// indices. Also the mixer of `chronicle-link`'s MinHash seeds and bands.
#[inline(always)]
pub fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^ (h >> 33)
}

/// FNV-1a's offset basis: the hash of no bytes.
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// One FNV-1a step: folds byte `b` into `h`. Byte-at-a-time, so a caller can hash
/// a transformed byte stream (lower-cased, word shapes) without building it.
#[inline(always)]
pub fn fnv1a_byte(h: u64, b: u8) -> u64 {
    (h ^ b as u64).wrapping_mul(FNV_PRIME)
}

/// 64-bit FNV-1a of `bytes`. Slower than [`hash_bytes`] on long inputs, but the
/// sentence model's features and stored MinHash signatures are built on it, so it
/// must never change.
#[inline]
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(FNV_OFFSET, |h, &b| fnv1a_byte(h, b))
}

/// Hash of a byte string under a seed; little-endian reads keep it identical
/// across platforms.
#[inline]
pub fn hash_bytes(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = fold(seed ^ K, bytes.len() as u64);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = fold(h, u64::from_le_bytes(w));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = fold(h, u64::from_le_bytes(w));
    }
    fmix64(h)
}

#[inline]
pub fn hash_str(s: &str) -> u64 {
    hash_bytes(0, s.as_bytes())
}

/// Feature for template `template` with a string value, e.g. `str_feature(3, "ing")`
/// for "suffix-3 = ing".
#[inline]
pub fn str_feature(template: u32, value: &str) -> u64 {
    hash_bytes(
        (template as u64).wrapping_mul(K) ^ 0xA076_1D64_78BD_642F,
        value.as_bytes(),
    )
}

/// Feature for a template with an already-hashed or integer value (a tag id, a
/// distance bucket, a word hash from [`hash_str`]).
#[inline]
pub fn feature(template: u32, value: u64) -> u64 {
    fmix64(fold(fold(K, template as u64), value))
}

/// Feature for a template over two values (conjunctions such as "previous tag +
/// current word").
#[inline]
pub fn feature2(template: u32, a: u64, b: u64) -> u64 {
    fmix64(fold(fold(fold(K, template as u64), a), b))
}

/// Feature for a template over three values.
#[inline]
pub fn feature3(template: u32, a: u64, b: u64, c: u64) -> u64 {
    fmix64(fold(fold(fold(fold(K, template as u64), a), b), c))
}

/// Hasher for keys that are already well-mixed 64-bit hashes (feature keys, word
/// hashes): SipHash would only cost time, a multiply is all the mixing a table needs.
#[derive(Default)]
pub struct PassThroughHasher(u64);

impl std::hash::Hasher for PassThroughHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Map keyed by a 64-bit hash.
pub type U64Map<V> =
    std::collections::HashMap<u64, V, std::hash::BuildHasherDefault<PassThroughHasher>>;
/// Set of 64-bit hashes.
pub type U64Set = std::collections::HashSet<u64, std::hash::BuildHasherDefault<PassThroughHasher>>;

#[cfg(test)]
mod tests {
    use super::*;
    const PINNED_STR: u64 = 4592843680805283684;
    const PINNED_F2: u64 = 6143278555387366628;

    /// Published FNV-1a test vectors, and Murmur3's finalizer on fixed inputs: the
    /// sentence model and stored MinHash signatures depend on these exact values.
    #[test]
    fn fnv1a_and_fmix64_are_the_published_functions() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
        assert_eq!(fmix64(0), 0);
        assert_eq!(fmix64(1), 0xb456_bcfc_34c2_cb2c);
    }

    #[test]
    fn stable_and_distinct() {
        assert_eq!(hash_str("walking"), hash_str("walking"));
        assert_ne!(hash_str("walking"), hash_str("walkinG"));
        assert_ne!(str_feature(1, "ing"), str_feature(2, "ing"));
        assert_ne!(feature(1, 5), feature(5, 1));
        assert_ne!(feature2(1, 2, 3), feature2(1, 3, 2));
        // Trailing zero bytes must not alias the shorter string.
        assert_ne!(hash_bytes(0, b"a"), hash_bytes(0, b"a\0"));
        let mut seen = std::collections::HashSet::new();
        for i in 0..10_000u64 {
            assert!(seen.insert(feature(7, i)));
        }
    }

    #[test]
    fn fixed_values_do_not_drift() {
        // Stored models depend on these exact values; changing the hash
        // silently invalidates every shipped model.
        assert_eq!(hash_str("chronicle"), PINNED_STR);
        assert_eq!(feature2(3, 1, 2), PINNED_F2);
    }
}
