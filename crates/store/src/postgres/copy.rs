//! A SQLite record moved whole into an empty PostgreSQL database (`chronicle
//! copy --to`): what a user does when the file outgrows one machine, without
//! annotating or linking anything again.
//!
//! Both backends hold the same tables with the same column names (PostgreSQL's
//! layout is SQLite's, see `schema.rs`), so the copy is driven by the
//! destination's catalogue: for every table of [`tables`], the columns both
//! sides have are streamed out of SQLite in stored order (`rowid`) into
//! `COPY … FROM STDIN`, each value written as the destination column's type
//! reads it. What PostgreSQL alone holds is derived: the identity columns that
//! number stored order (`documents.seq`, `actor_mentions.seq`) count up in
//! that same order, and the full-text vector is computed as `put_batch`
//! computes it ([`super::documents::SEARCH_VECTOR`]).
//!
//! One transaction under the write lock: a copy stopped half-way leaves the
//! destination empty, and running it again starts over. The source is read
//! in one read transaction, so a writer working on the file meanwhile cannot
//! tear the copy. The destination must hold no record yet: merging two
//! records is linking, which only `ingest` does.

use super::{Fail, PgStore};
use crate::sqlite::store_error;
use crate::{SqliteStore, StoreError};
use ::postgres::Transaction;
use rusqlite::types::ValueRef;
use serde::Serialize;
use std::io::Write;
use std::time::Instant;

/// The tables a record holds beside the link step's, in an order that
/// satisfies the foreign keys (documents first).
const DOCUMENT_TABLES: &[&str] = &[
    "documents",
    "sources",
    "duplicates",
    "documents_fts",
    "events",
    "actor_mentions",
    "quotes",
    "claims",
    "entities",
    "near_dup_bands",
    "link_order",
];

/// Every table of a record, in copy order: the documents' side, the link
/// step's tables, and the evidence kept through a relink. A test checks it
/// against PostgreSQL's catalogue, so a table a later migration adds cannot
/// be left behind.
pub fn tables() -> Vec<&'static str> {
    let mut all = DOCUMENT_TABLES.to_vec();
    all.extend_from_slice(crate::link_rows::LINK_TABLES);
    all.push("date_evidence_kept");
    all
}

/// PostgreSQL's own bookkeeping, never copied (the destination has its own).
pub const OWN_TABLES: &[&str] = &["chronicle_meta", "chronicle_schema"];

/// SQLite's own tables that have no PostgreSQL counterpart: FTS5's shadow
/// tables (PostgreSQL's vector is derived), the planner's statistics, and the
/// notes of migrations that back-filled old files.
fn sqlite_only(table: &str) -> bool {
    table.starts_with("sqlite_")
        || table.starts_with("documents_fts_")
        || table == "migration_skipped"
}

/// Bytes of rows gathered before they are handed to the COPY stream.
const CHUNK_BYTES: usize = 1 << 20;

/// What a copy moved.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CopyReport {
    /// `(table, rows)` in copy order.
    pub tables: Vec<(String, u64)>,
    pub documents: u64,
    pub seconds: f64,
}

/// A destination column: its name and how PostgreSQL types it.
struct Column {
    name: String,
    kind: Kind,
    identity: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Integer,
    Float,
    Boolean,
    Text,
    Bytes,
    /// Derived on the destination (the full-text vector).
    Derived,
}

impl PgStore {
    /// Copies every row of `source` into this database, which must hold no
    /// record yet. `progress` hears each table's name and row count as it
    /// finishes. See the module doc.
    pub fn copy_from_sqlite(
        &self,
        source: &SqliteStore,
        progress: &mut dyn FnMut(&str, u64),
    ) -> Result<CopyReport, StoreError> {
        let started = Instant::now();
        let src = source.connection();
        let src_name = source.path();
        check_source_tables(src, src_name)?;
        // One snapshot of the file for the whole copy.
        let snapshot = src
            .unchecked_transaction()
            .map_err(|e| store_error(src_name, "starting a read transaction", e))?;
        let name = self.name.clone();
        let counts = self.write("copying a SQLite record", |tx| {
            refuse_unless_empty(tx, &name)?;
            let mut counts = Vec::new();
            for table in tables() {
                let rows = copy_table(tx, src, src_name, &name, table)?;
                progress(table, rows);
                counts.push((table.to_string(), rows));
            }
            Ok((counts, true))
        })?;
        drop(snapshot);
        // The planner's statistics, so the first queries are planned on the
        // copied rows, not on an empty database's.
        self.read("analysing the copied tables", |c| {
            c.batch_execute("ANALYZE")
        })?;
        let documents = counts
            .iter()
            .find(|(t, _)| t == "documents")
            .map_or(0, |(_, n)| *n);
        Ok(CopyReport {
            tables: counts,
            documents,
            seconds: started.elapsed().as_secs_f64(),
        })
    }
}

/// Every table of the source is copied or known to be SQLite's own: a table
/// this list has never heard of would otherwise be left behind unsaid.
fn check_source_tables(src: &rusqlite::Connection, path: &str) -> Result<(), StoreError> {
    let err = |e| store_error(path, "listing the tables to copy", e);
    let mut stmt = src
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .map_err(err)?;
    let names = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .map_err(err)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(err)?;
    let copied = tables();
    let unknown: Vec<&String> = names
        .iter()
        .filter(|t| !copied.contains(&t.as_str()) && !sqlite_only(t))
        .collect();
    if !unknown.is_empty() {
        return Err(StoreError::Backend {
            path: path.to_string(),
            operation: "listing the tables to copy",
            message: format!(
                "tables this chronicle cannot copy: {}",
                unknown
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    Ok(())
}

fn refuse_unless_empty(tx: &mut Transaction<'_>, name: &str) -> Result<(), Fail> {
    for table in tables() {
        let held: bool = tx
            .query_one(&format!("SELECT EXISTS (SELECT 1 FROM {table})"), &[])?
            .try_get(0)?;
        if held {
            return Err(Fail::Store(StoreError::Backend {
                path: name.to_string(),
                operation: "copying a SQLite record",
                message: format!(
                    "the destination already holds rows ({table}); copy into a database with no record yet (merging two records is ingesting: `chronicle annotate --jsonl` then `ingest --from-jsonl`)"
                ),
            }));
        }
    }
    Ok(())
}

/// The destination's columns of `table`, in their order.
fn columns(tx: &mut Transaction<'_>, table: &str) -> Result<Vec<Column>, Fail> {
    let rows = tx.query(
        "SELECT column_name::text, data_type::text, is_identity::text
         FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1
         ORDER BY ordinal_position",
        &[&table],
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let name: String = r.try_get(0)?;
        let data_type: String = r.try_get(1)?;
        let identity: String = r.try_get(2)?;
        let kind = match data_type.as_str() {
            "bigint" | "integer" | "smallint" => Kind::Integer,
            "double precision" | "real" | "numeric" => Kind::Float,
            "boolean" => Kind::Boolean,
            "bytea" => Kind::Bytes,
            "tsvector" => Kind::Derived,
            _ => Kind::Text,
        };
        out.push(Column {
            name,
            kind,
            identity: identity == "YES",
        });
    }
    Ok(out)
}

/// The source's columns of `table`, and whether it has a `rowid` (stored order).
fn source_columns(
    src: &rusqlite::Connection,
    table: &str,
) -> rusqlite::Result<(Vec<String>, bool)> {
    let mut stmt = src.prepare(&format!("PRAGMA table_info({table})"))?;
    let names = stmt
        .query_map([], |r| r.get::<_, String>(1))?
        .collect::<Result<Vec<_>, _>>()?;
    let without_rowid: bool = src
        .query_row(
            "SELECT COALESCE(sql LIKE '%WITHOUT ROWID%', 0) FROM sqlite_master WHERE name = ?1",
            [table],
            |r| r.get(0),
        )
        .unwrap_or(false);
    Ok((names, !without_rowid))
}

fn copy_table(
    tx: &mut Transaction<'_>,
    src: &rusqlite::Connection,
    src_name: &str,
    dest_name: &str,
    table: &str,
) -> Result<u64, Fail> {
    let copy_io = |e: std::io::Error| {
        Fail::Store(StoreError::Backend {
            path: dest_name.to_string(),
            operation: "copying rows",
            message: format!("{table}: {e}"),
        })
    };
    // What is wrong with the source; the message names the table.
    let source_problem = |message: String| {
        Fail::Store(StoreError::Backend {
            path: src_name.to_string(),
            operation: "reading a table",
            message,
        })
    };
    let sqlite_err = |e: rusqlite::Error| source_problem(format!("{table}: {e}"));
    let dest = columns(tx, table)?;
    let (have, has_rowid) = source_columns(src, table).map_err(sqlite_err)?;
    if have.is_empty() {
        return Err(source_problem(format!(
            "{table}: no table {table} in the source"
        )));
    }
    if let Some(extra) = have.iter().find(|c| !dest.iter().any(|d| &d.name == *c)) {
        return Err(source_problem(format!(
            "{table}: column {extra} has no place in PostgreSQL's {table}"
        )));
    }
    // Columns both sides have; the destination's others are numbered (identity)
    // or derived (the vector) there.
    let shared: Vec<&Column> = dest
        .iter()
        .filter(|d| d.kind != Kind::Derived && have.contains(&d.name))
        .collect();
    let derived = dest.iter().any(|d| d.kind == Kind::Derived);
    let list = shared
        .iter()
        .map(|c| format!("\"{}\"", c.name))
        .collect::<Vec<_>>()
        .join(", ");
    // The vector is computed from the copied columns in a staging table.
    let target = if derived {
        let staging = format!("copy_staging_{table}");
        tx.batch_execute(&format!(
            "CREATE TEMP TABLE {staging} ON COMMIT DROP AS SELECT {list} FROM {table} WITH NO DATA"
        ))?;
        staging
    } else {
        table.to_string()
    };
    let order = if has_rowid { " ORDER BY rowid" } else { "" };
    let mut stmt = src
        .prepare(&format!("SELECT {list} FROM {table}{order}"))
        .map_err(sqlite_err)?;
    let mut rows = stmt.query([]).map_err(sqlite_err)?;
    let mut writer = tx.copy_in(&format!("COPY {target} ({list}) FROM STDIN"))?;
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK_BYTES + 4096);
    let mut count = 0u64;
    while let Some(row) = rows.next().map_err(sqlite_err)? {
        for (i, col) in shared.iter().enumerate() {
            if i > 0 {
                buf.push(b'\t');
            }
            let value = row.get_ref(i).map_err(sqlite_err)?;
            write_value(&mut buf, value, col.kind)
                .map_err(|why| source_problem(format!("{table}.{}: {why}", col.name)))?;
        }
        buf.push(b'\n');
        count += 1;
        if buf.len() >= CHUNK_BYTES {
            writer.write_all(&buf).map_err(copy_io)?;
            buf.clear();
        }
    }
    writer.write_all(&buf).map_err(copy_io)?;
    writer.finish()?;
    if derived {
        tx.batch_execute(&format!(
            "INSERT INTO {table} ({list}, search) SELECT {list}, {} FROM copy_staging_{table}",
            super::documents::SEARCH_VECTOR
        ))?;
    }
    // Identity columns given explicit values: the next number follows them.
    for c in shared.iter().filter(|c| c.identity) {
        tx.batch_execute(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', '{0}'), COALESCE((SELECT max(\"{0}\") FROM {table}), 0) + 1, false)",
            c.name
        ))?;
    }
    Ok(count)
}

/// One value in COPY's text format, as the destination column reads it
/// (written straight into `buf`, which cannot refuse a write).
fn write_value(buf: &mut Vec<u8>, value: ValueRef<'_>, kind: Kind) -> Result<(), String> {
    match (value, kind) {
        (ValueRef::Null, _) => buf.extend_from_slice(b"\\N"),
        (ValueRef::Integer(i), Kind::Boolean) => {
            buf.push(if i != 0 { b't' } else { b'f' });
        }
        (ValueRef::Integer(i), Kind::Integer | Kind::Float | Kind::Text) => {
            let _ = write!(buf, "{i}");
        }
        (ValueRef::Real(f), Kind::Float | Kind::Text) => write_float(buf, f),
        (ValueRef::Real(f), Kind::Integer) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
            let _ = write!(buf, "{}", f as i64);
        }
        (ValueRef::Text(t), Kind::Text) => {
            let s = std::str::from_utf8(t).map_err(|e| format!("text is not UTF-8: {e}"))?;
            if s.contains('\0') {
                return Err("text holds a NUL character, which PostgreSQL refuses".into());
            }
            escape_text(buf, s.as_bytes());
        }
        (ValueRef::Text(t), Kind::Integer | Kind::Float)
            if std::str::from_utf8(t).is_ok_and(|s| s.trim().parse::<f64>().is_ok()) =>
        {
            buf.extend_from_slice(t);
        }
        (ValueRef::Blob(b) | ValueRef::Text(b), Kind::Bytes) => {
            // bytea's hex form, its backslash escaped for COPY.
            buf.extend_from_slice(b"\\\\x");
            const HEX: &[u8; 16] = b"0123456789abcdef";
            buf.reserve(2 * b.len());
            for &byte in b {
                buf.push(HEX[usize::from(byte >> 4)]);
                buf.push(HEX[usize::from(byte & 15)]);
            }
        }
        (v, k) => {
            return Err(format!(
                "a {} value where PostgreSQL holds {}",
                type_name(v),
                kind_name(k)
            ))
        }
    }
    Ok(())
}

fn write_float(buf: &mut Vec<u8>, f: f64) {
    if f.is_nan() {
        buf.extend_from_slice(b"NaN");
    } else if f.is_infinite() {
        buf.extend_from_slice(if f > 0.0 { b"Infinity" } else { b"-Infinity" });
    } else {
        // Rust's shortest form reads back to the same double.
        let _ = write!(buf, "{f:?}");
    }
}

/// COPY's text escapes: the backslash, and the characters that would end a
/// value or a row.
fn escape_text(buf: &mut Vec<u8>, bytes: &[u8]) {
    for &b in bytes {
        match b {
            b'\\' => buf.extend_from_slice(b"\\\\"),
            b'\n' => buf.extend_from_slice(b"\\n"),
            b'\r' => buf.extend_from_slice(b"\\r"),
            b'\t' => buf.extend_from_slice(b"\\t"),
            _ => buf.push(b),
        }
    }
}

fn type_name(v: ValueRef<'_>) -> &'static str {
    match v {
        ValueRef::Null => "null",
        ValueRef::Integer(_) => "integer",
        ValueRef::Real(_) => "real",
        ValueRef::Text(_) => "text",
        ValueRef::Blob(_) => "blob",
    }
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Integer => "integers",
        Kind::Float => "floating-point numbers",
        Kind::Boolean => "booleans",
        Kind::Text => "text",
        Kind::Bytes => "bytes",
        Kind::Derived => "a derived value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(v: ValueRef<'_>, k: Kind) -> String {
        let mut b = Vec::new();
        write_value(&mut b, v, k).unwrap();
        String::from_utf8(b).unwrap()
    }

    #[test]
    fn values_are_written_as_copy_reads_them() {
        assert_eq!(text(ValueRef::Null, Kind::Text), "\\N");
        assert_eq!(text(ValueRef::Integer(1), Kind::Boolean), "t");
        assert_eq!(text(ValueRef::Integer(0), Kind::Boolean), "f");
        assert_eq!(text(ValueRef::Integer(-7), Kind::Integer), "-7");
        assert_eq!(text(ValueRef::Real(0.1), Kind::Float), "0.1");
        assert_eq!(text(ValueRef::Real(1.0), Kind::Float), "1.0");
        assert_eq!(
            text(ValueRef::Text(b"a\tb\nc\\d\re".as_slice()), Kind::Text),
            "a\\tb\\nc\\\\d\\re"
        );
        assert_eq!(
            text(ValueRef::Blob(&[0, 255, 16]), Kind::Bytes),
            "\\\\x00ff10"
        );
    }

    #[test]
    fn values_that_cannot_fit_are_refused_with_the_reason() {
        let mut b = Vec::new();
        let e = write_value(&mut b, ValueRef::Text(b"x\0y"), Kind::Text).unwrap_err();
        assert!(e.contains("NUL"), "{e}");
        let e = write_value(&mut b, ValueRef::Blob(b"x"), Kind::Integer).unwrap_err();
        assert!(
            e.contains("blob value where PostgreSQL holds integers"),
            "{e}"
        );
        let e = write_value(&mut b, ValueRef::Text(&[0xff]), Kind::Text).unwrap_err();
        assert!(e.contains("UTF-8"), "{e}");
    }

    #[test]
    fn sqlites_own_tables_are_known() {
        assert!(sqlite_only("documents_fts_data"));
        assert!(sqlite_only("sqlite_stat1"));
        assert!(!sqlite_only("documents_fts"));
        assert!(!sqlite_only("events"));
    }
}
