//! Typed quote, claim and entity rows, and the document's FTS row: written with the
//! document, replaced with its layers, and read by `quotes`/`claims` without
//! decoding any stored document.

use crate::filter::{limit, Where};
use crate::{ByteSpan, ClaimFilter, ClaimRow, QuoteFilter, QuoteRow};
use chronicle_core::{Document, Span};
use rusqlite::{params, Connection};

/// The lowercased speaker forms `QuoteFilter::speaker` searches (Unicode case
/// folding, which SQLite's `lower`/`LIKE` do not do).
pub(crate) fn speaker_search(speaker: Option<&str>, canonical: Option<&str>) -> String {
    [speaker, canonical]
        .into_iter()
        .flatten()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("\u{1f}")
}

pub fn write_fts(conn: &Connection, doc: &Document) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT INTO documents_fts (doc_id, title, text) VALUES (?1, ?2, ?3)")?
        .execute(params![
            doc.id,
            doc.title.as_deref().unwrap_or(""),
            doc.text
        ])?;
    Ok(())
}

/// Replaces `doc`'s quote, claim and entity rows.
pub fn write(conn: &Connection, doc: &Document) -> rusqlite::Result<()> {
    for table in ["quotes", "claims", "entities"] {
        conn.prepare_cached(&format!("DELETE FROM {table} WHERE doc_id = ?1"))?
            .execute([&doc.id])?;
    }
    let split = |s: Option<Span>| (s.map(|s| s.start as i64), s.map(|s| s.end as i64));
    let mut q = conn.prepare_cached(
        "INSERT INTO quotes (doc_id, idx, start, end, text, kind, cue, speaker, speaker_canonical,
         speaker_start, speaker_end, cue_start, cue_end, speaker_search)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?;
    for (i, x) in doc.quotes.iter().enumerate() {
        let (ss, se) = split(x.speaker_span);
        let (cs, ce) = split(x.cue_span);
        q.execute(params![
            doc.id,
            i as i64,
            x.start as i64,
            x.end as i64,
            x.text,
            x.kind,
            x.cue,
            x.speaker,
            x.speaker_canonical,
            ss,
            se,
            cs,
            ce,
            speaker_search(x.speaker.as_deref(), x.speaker_canonical.as_deref()),
        ])?;
    }
    let mut c = conn.prepare_cached(
        "INSERT INTO claims (doc_id, idx, start, end, text, value, qualifier, kind, subject,
         claimant, place, time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    for (i, x) in doc.claims.iter().enumerate() {
        c.execute(params![
            doc.id,
            i as i64,
            x.start as i64,
            x.end as i64,
            x.text,
            x.value,
            x.qualifier,
            x.kind,
            x.subject,
            x.claimant,
            x.place,
            x.time,
        ])?;
    }
    let mut e = conn.prepare_cached(
        "INSERT INTO entities (doc_id, idx, start, end, text, label, country)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (i, x) in doc.entities.iter().enumerate() {
        e.execute(params![
            doc.id,
            i as i64,
            x.start as i64,
            x.end as i64,
            x.text,
            x.label,
            x.country,
        ])?;
    }
    Ok(())
}

pub(crate) fn span(start: Option<i64>, end: Option<i64>) -> Option<ByteSpan> {
    match (start, end) {
        (Some(s), Some(e)) => Some(ByteSpan {
            start: s as usize,
            end: e as usize,
        }),
        _ => None,
    }
}

/// The document-level filters every typed-row listing has.
pub(crate) struct DocumentSide<'a> {
    pub(crate) outlet: Option<&'a str>,
    pub(crate) from: Option<&'a str>,
    pub(crate) to: Option<&'a str>,
    pub(crate) doc_id: Option<&'a str>,
}

impl DocumentSide<'_> {
    fn any(&self) -> bool {
        self.outlet.is_some() || self.from.is_some() || self.to.is_some() || self.doc_id.is_some()
    }
}

/// Which table drives the join. Row filters alone (speaker, kind) are cheapest
/// scanning the rows and sorting the matches; otherwise walking documents in date
/// order and seeking their rows needs no sort and stops at a `LIMIT`. The order is
/// fixed with `CROSS JOIN`, and `+` keeps a row filter from steering the inner
/// seek onto its own index (that plan visits every matching row per document).
#[derive(Clone, Copy, PartialEq)]
enum Plan {
    RowsFirst,
    DocumentsFirst,
}

impl Plan {
    fn choose(docs: &DocumentSide<'_>, row_filters: bool) -> Plan {
        if row_filters && !docs.any() {
            Plan::RowsFirst
        } else {
            Plan::DocumentsFirst
        }
    }

    fn from(self, table: &str) -> String {
        match self {
            Plan::RowsFirst => format!("FROM {table} x CROSS JOIN documents d ON d.id = x.doc_id"),
            Plan::DocumentsFirst => {
                format!("FROM documents d CROSS JOIN {table} x ON x.doc_id = d.id")
            }
        }
    }

    /// Prefix of a row-filter column: `+` (no index) when documents drive.
    fn row_column(self, column: &str) -> String {
        match self {
            Plan::RowsFirst => column.to_string(),
            Plan::DocumentsFirst => format!("+{column}"),
        }
    }

    /// Dated documents by date, then the undated ones. Walking documents, that is
    /// two queries, because `ORDER BY published_date IS NULL` would sort every row
    /// instead of reading them in the `(published_date, id)` index's order; rows
    /// first, the matches are sorted anyway, in one query.
    fn run<T>(
        self,
        conn: &Connection,
        select: &str,
        w: &Where,
        limit_rows: Option<usize>,
        row: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<Vec<T>> {
        let mut out = Vec::new();
        let parts: &[Option<&str>] = match self {
            Plan::RowsFirst => &[None],
            Plan::DocumentsFirst => &[Some("IS NOT NULL"), Some("IS NULL")],
        };
        for part in parts {
            let left = limit_rows.map(|l| l.saturating_sub(out.len()));
            if left == Some(0) {
                break;
            }
            let (clause, order) = match part {
                None => (w.sql(), "d.published_date IS NULL, d.published_date"),
                Some(cond) => (
                    match w.sql() {
                        c if c.is_empty() => format!(" WHERE d.published_date {cond}"),
                        c => format!("{c} AND d.published_date {cond}"),
                    },
                    "d.published_date",
                ),
            };
            let sql = format!(
                "{select}{clause} ORDER BY {order}, d.id, x.idx{}",
                limit(left)
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(w.args(), &row)?;
            for r in rows {
                out.push(r?);
            }
        }
        Ok(out)
    }
}

pub(crate) fn document_filter(w: &mut Where, docs: &DocumentSide<'_>) {
    w.contains("d.outlet", docs.outlet)
        .period("d.published_date", docs.from, docs.to)
        .prefix_range("d.id", docs.doc_id);
}

pub fn quotes(conn: &Connection, f: &QuoteFilter) -> rusqlite::Result<Vec<QuoteRow>> {
    let docs = DocumentSide {
        outlet: f.outlet.as_deref(),
        from: f.from.as_deref(),
        to: f.to.as_deref(),
        doc_id: f.doc_id.as_deref(),
    };
    let plan = Plan::choose(&docs, f.kind.is_some() || f.speaker.is_some());
    let from = plan.from("quotes");
    let mut w = Where::default();
    document_filter(&mut w, &docs);
    w.equals(&plan.row_column("x.kind"), f.kind.as_deref())
        .folded_contains("x.speaker_search", f.speaker.as_deref());
    let select = format!(
        "SELECT x.doc_id, x.idx, d.outlet, d.published_date, d.title, x.start, x.end,
         x.text, x.kind, x.cue, x.speaker, x.speaker_canonical, x.speaker_start, x.speaker_end,
         x.cue_start, x.cue_end,
         (SELECT st.statement_id FROM statements st WHERE st.doc_id = x.doc_id AND st.idx = x.idx) {from}"
    );
    plan.run(conn, &select, &w, f.limit, |r| {
        Ok(QuoteRow {
            doc_id: r.get(0)?,
            index: r.get::<_, i64>(1)? as usize,
            outlet: r.get(2)?,
            published: r.get(3)?,
            title: r.get(4)?,
            start: r.get::<_, i64>(5)? as usize,
            end: r.get::<_, i64>(6)? as usize,
            text: r.get(7)?,
            kind: r.get(8)?,
            cue: r.get(9)?,
            speaker: r.get(10)?,
            speaker_canonical: r.get(11)?,
            speaker_span: span(r.get(12)?, r.get(13)?),
            cue_span: span(r.get(14)?, r.get(15)?),
            statement: r.get(16)?,
        })
    })
}

pub fn claims(conn: &Connection, f: &ClaimFilter) -> rusqlite::Result<Vec<ClaimRow>> {
    if let (Some(id), None, None, None, None) = (&f.doc_id, &f.outlet, &f.from, &f.to, &f.kind) {
        // One document's claims (a timeline reads thousands of documents'):
        // a seek on the claims' primary key, in the same order as a listing.
        // Nothing found may mean `id` is a prefix: the listing below reads it.
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {CLAIM_COLUMNS} FROM claims x JOIN documents d ON d.id = x.doc_id
             WHERE x.doc_id = ?1 ORDER BY x.idx{}",
            limit(f.limit)
        ))?;
        let rows = stmt
            .query_map([id], claim_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if !rows.is_empty() {
            return Ok(rows);
        }
    }
    let docs = DocumentSide {
        outlet: f.outlet.as_deref(),
        from: f.from.as_deref(),
        to: f.to.as_deref(),
        doc_id: f.doc_id.as_deref(),
    };
    let plan = Plan::choose(&docs, f.kind.is_some());
    let from = plan.from("claims");
    let mut w = Where::default();
    document_filter(&mut w, &docs);
    w.equals(&plan.row_column("x.kind"), f.kind.as_deref());
    let select = format!("SELECT {CLAIM_COLUMNS} {from}");
    plan.run(conn, &select, &w, f.limit, claim_row)
}

/// The columns [`claim_row`] reads, first in a SELECT over claims `x` joined to
/// documents `d`.
pub(crate) const CLAIM_COLUMNS: &str =
    "x.doc_id, x.idx, d.outlet, d.published_date, d.title, x.start, x.end,
         x.text, x.value, x.qualifier, x.kind, x.subject, x.claimant, x.place, x.time";

/// A claim row from the first columns of [`CLAIM_COLUMNS`].
pub(crate) fn claim_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ClaimRow> {
    Ok(ClaimRow {
        doc_id: r.get(0)?,
        index: r.get::<_, i64>(1)? as usize,
        outlet: r.get(2)?,
        published: r.get(3)?,
        title: r.get(4)?,
        start: r.get::<_, i64>(5)? as usize,
        end: r.get::<_, i64>(6)? as usize,
        text: r.get(7)?,
        // NaN is stored as NULL.
        value: r.get::<_, Option<f64>>(8)?.unwrap_or(f64::NAN),
        qualifier: r.get(9)?,
        kind: r.get(10)?,
        subject: r.get(11)?,
        claimant: r.get(12)?,
        place: r.get(13)?,
        time: r.get(14)?,
    })
}
