//! Held-out discipline for small dev sets: each document (or record) falls in one
//! of [`FOLDS`] folds by a hash of its key, so the split never depends on file
//! order and a new document never moves the others. Folds `0..TUNE_FOLDS` are the
//! *tune* part (look at these while changing rules); the rest are the *check*
//! part (only scored). Learned components are cross-validated over the same folds:
//! trained on four, scored on the fifth.

/// Number of folds every small dev set is cut into.
pub const FOLDS: usize = 5;
/// Folds `0..TUNE_FOLDS` form the tune part; the others the check part.
pub const TUNE_FOLDS: usize = 3;

/// The fold of a document or record, from its stable key (a record id, a file
/// name without its folder).
pub fn fold_of(key: &str) -> usize {
    let id = chronicle_core::content_id(None, key);
    let head = id
        .bytes()
        .take(8)
        .filter_map(|b| (b as char).to_digit(16))
        .fold(0u64, |acc, d| acc * 16 + u64::from(d));
    (head % FOLDS as u64) as usize
}

/// Whether a key belongs to the tune part.
pub fn is_tune(key: &str) -> bool {
    fold_of(key) < TUNE_FOLDS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_are_stable_and_all_used() {
        let keys: Vec<String> = (0..200).map(|i| format!("doc-{i}.tml")).collect();
        let mut counts = [0usize; FOLDS];
        for k in &keys {
            assert_eq!(fold_of(k), fold_of(k));
            counts[fold_of(k)] += 1;
        }
        assert!(counts.iter().all(|&c| c > 20), "{counts:?}");
        let tune = keys.iter().filter(|k| is_tune(k)).count();
        assert!((90..150).contains(&tune), "{tune}");
    }
}
