//! The near-duplicate index, kept in the store: each original's fingerprint is
//! cut into [`BANDS`] equal bands, and a new document is compared only with
//! the originals that share one of its bands (locality-sensitive hashing). An
//! ingest therefore holds no index in memory, whatever the store's size, and
//! writers interleaving batches see each other's originals in the same table.
//!
//! The cut is positional (band `i` is the `i`-th sixteenth of the bytes), so
//! this module needs no knowledge of how a fingerprint is computed: the link
//! layer's MinHash signature keeps each band's rows contiguous.

use rusqlite::{params, Connection};
use std::collections::HashMap;

/// Bands per fingerprint.
pub const BANDS: usize = 16;

/// Originals read per band at most. A band shared by thousands of documents
/// (a boilerplate-only text) stops being evidence of anything; the cap keeps
/// one such band from costing a read of the whole index.
pub const BAND_CANDIDATES: usize = 256;

/// Migration 7: the band table, back-filled from the stored originals in SQL
/// (`substr` of a BLOB is a BLOB), so an upgrade needs no link code.
pub const MIGRATION: &str = "CREATE TABLE near_dup_bands (
        band INTEGER NOT NULL,
        rows BLOB NOT NULL,
        doc_id TEXT NOT NULL REFERENCES documents(id),
        PRIMARY KEY (band, rows, doc_id)
    ) WITHOUT ROWID;
    INSERT OR IGNORE INTO near_dup_bands (band, rows, doc_id)
    SELECT b.n, substr(d.fingerprint, b.n * (length(d.fingerprint) / 16) + 1, length(d.fingerprint) / 16), d.id
    FROM documents d,
         (WITH RECURSIVE n(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM n WHERE n < 15) SELECT n FROM n) b
    WHERE d.duplicate_of IS NULL AND d.fingerprint IS NOT NULL
      AND length(d.fingerprint) >= 16 AND length(d.fingerprint) % 16 = 0;";

/// The bands of a fingerprint; none when it cannot be cut evenly (then the
/// document is never a candidate, as a fingerprint that cannot be compared).
pub fn bands(fingerprint: &[u8]) -> impl Iterator<Item = (i64, &[u8])> {
    let width = fingerprint.len() / BANDS;
    let even = width > 0 && fingerprint.len().is_multiple_of(BANDS);
    fingerprint
        .chunks(width.max(1))
        .take(if even { BANDS } else { 0 })
        .enumerate()
        .map(|(i, rows)| (i as i64, rows))
}

/// Indexes an original (a document stored with no near-duplicate link).
pub fn index(tx: &Connection, doc_id: &str, fingerprint: &[u8]) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO near_dup_bands (band, rows, doc_id) VALUES (?1, ?2, ?3)",
    )?;
    for (band, rows) in bands(fingerprint) {
        stmt.execute(params![band, rows, doc_id])?;
    }
    Ok(())
}

/// Stored originals sharing a band with `fingerprint`, oldest stored first:
/// (id, fingerprint).
pub fn candidates(
    conn: &Connection,
    fingerprint: &[u8],
) -> rusqlite::Result<Vec<(String, Vec<u8>)>> {
    let mut ids: Vec<String> = Vec::new();
    let mut by_band = conn.prepare_cached(
        "SELECT doc_id FROM near_dup_bands WHERE band = ?1 AND rows = ?2 LIMIT ?3",
    )?;
    for (band, rows) in bands(fingerprint) {
        let found = by_band.query_map(params![band, rows, BAND_CANDIDATES as i64], |r| {
            r.get::<_, String>(0)
        })?;
        for id in found {
            ids.push(id?);
        }
    }
    ids.sort_unstable();
    ids.dedup();
    let mut read = conn.prepare_cached(
        "SELECT rowid, fingerprint FROM documents
         WHERE id = ?1 AND fingerprint IS NOT NULL AND duplicate_of IS NULL",
    )?;
    let mut found: HashMap<String, (i64, Vec<u8>)> = HashMap::with_capacity(ids.len());
    for id in ids {
        let mut rows = read.query([&id])?;
        if let Some(r) = rows.next()? {
            found.insert(id, (r.get(0)?, r.get(1)?));
        }
    }
    let mut out: Vec<(i64, String, Vec<u8>)> = found
        .into_iter()
        .map(|(id, (rowid, fp))| (rowid, id, fp))
        .collect();
    out.sort_unstable_by_key(|(rowid, _, _)| *rowid);
    Ok(out.into_iter().map(|(_, id, fp)| (id, fp)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// An upgraded store indexes the originals it already holds, as ingest
    /// would have: the same rows, near-duplicates and odd fingerprints left out.
    #[test]
    fn the_migration_back_fills_what_index_writes() {
        let c = Connection::open_in_memory().unwrap();
        let crate::schema::Migration::Sql(docs) = crate::schema::MIGRATIONS[0] else {
            panic!("migration 1 is SQL")
        };
        c.execute_batch(docs).unwrap();
        let fp: Vec<u8> = (0..64u8).collect();
        for (id, fingerprint, dup) in [
            ("a", Some(fp.clone()), None),
            ("b", Some(fp.clone()), Some("a")),
            ("c", Some(vec![7; 5]), None),
            ("d", None, None),
        ] {
            c.execute(
                "INSERT INTO documents (id, fingerprint, duplicate_of, doc) VALUES (?1, ?2, ?3, x'00')",
                params![id, fingerprint, dup],
            )
            .unwrap();
        }
        c.execute_batch(MIGRATION).unwrap();
        let rows = |c: &Connection| -> Vec<(i64, Vec<u8>, String)> {
            let mut st = c
                .prepare("SELECT band, rows, doc_id FROM near_dup_bands ORDER BY band")
                .unwrap();
            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        let migrated = rows(&c);
        c.execute_batch("DELETE FROM near_dup_bands").unwrap();
        index(&c, "a", &fp).unwrap();
        assert_eq!(migrated, rows(&c));
        assert_eq!(migrated.len(), BANDS);
        assert_eq!(migrated[3], (3, vec![12, 13, 14, 15], "a".to_string()));
        let found = candidates(&c, &fp).unwrap();
        assert_eq!(found, [("a".to_string(), fp)]);
    }

    #[test]
    fn an_uneven_fingerprint_has_no_bands() {
        assert_eq!(bands(&[1, 2, 3, 4]).count(), 0);
        assert_eq!(bands(&[]).count(), 0);
        assert_eq!(bands(&[0; 17]).count(), 0);
    }

    proptest! {
        #[test]
        fn bands_cover_the_fingerprint_in_order(width in 1usize..20, byte in any::<u8>()) {
            let fp: Vec<u8> = (0..width * BANDS).map(|i| (i as u8).wrapping_add(byte)).collect();
            let cut: Vec<(i64, &[u8])> = bands(&fp).collect();
            prop_assert_eq!(cut.len(), BANDS);
            let joined: Vec<u8> = cut.iter().flat_map(|(_, r)| r.iter().copied()).collect();
            prop_assert_eq!(joined, fp.clone());
            prop_assert!(cut.iter().enumerate().all(|(i, (b, r))| *b == i as i64 && r.len() == width));
        }
    }
}
