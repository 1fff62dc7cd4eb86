//! The listings on PostgreSQL: documents, events, actors, quotes and claims,
//! filtered by the same `Where` builder as SQLite's (in PostgreSQL's words) and
//! ordered as SQLite orders them (SQLite sorts NULL first, PostgreSQL last,
//! hence the explicit `NULLS FIRST`/`NULLS LAST`). The planner picks the join
//! order itself, so there is none of the SQLite plan steering here.

use crate::filter::{limit, Where};
use crate::rows::span;
use crate::rows::{document_filter, DocumentSide};
use crate::{
    ActorSummary, ClaimFilter, ClaimRow, DocumentFilter, DocumentSummary, EventFilter, EventRow,
    QuoteFilter, QuoteRow,
};
use ::postgres::{Error, GenericClient, Row};

pub fn documents(
    c: &mut impl GenericClient,
    filter: &DocumentFilter,
) -> Result<Vec<DocumentSummary>, Error> {
    let mut w = Where::postgres();
    w.contains("d.outlet", filter.outlet.as_deref())
        .period(
            "d.published_date",
            filter.from.as_deref(),
            filter.to.as_deref(),
        )
        .equals("d.language", filter.language.as_deref());
    let sql = format!(
        "SELECT d.id, d.outlet, d.title, d.url, d.language, d.published_date,
                d.published_provenance, d.published_confidence, d.estimated, d.warnings,
                d.duplicate_of, (SELECT COUNT(*) FROM sources s WHERE s.doc_id = d.id)
         FROM documents d{}
         ORDER BY d.published_date NULLS LAST, d.outlet NULLS FIRST, d.id{}",
        w.sql(),
        limit(filter.limit)
    );
    Ok(c.query(&sql, &w.pg_args())?
        .iter()
        .map(|r| {
            let warnings: String = r.get(9);
            DocumentSummary {
                id: r.get(0),
                outlet: r.get(1),
                title: r.get(2),
                url: r.get(3),
                language: r.get(4),
                published: r.get(5),
                provenance: r.get(6),
                confidence: r.get::<_, Option<f64>>(7).map(|c| c as f32),
                estimated: r.get(8),
                warnings: serde_json::from_str(&warnings).unwrap_or_default(),
                duplicate_of: r.get(10),
                sources: r.get::<_, i64>(11) as u32,
            }
        })
        .collect())
}

pub fn events(c: &mut impl GenericClient, f: &EventFilter) -> Result<Vec<EventRow>, Error> {
    let mut w = Where::postgres();
    crate::events::event_clauses(&mut w, f);
    let sql = format!(
        "SELECT e.doc_id, e.idx, e.code, e.source_code, e.source_text, e.source_actor,
         e.target_code, e.target_text, e.target_actor, e.location, e.date, e.date_source,
         e.plover_type, e.plover_mode, e.quad_class, e.goldstein, e.modality, e.start, e.end,
         e.sentence, d.url, d.published_date
         FROM events e JOIN documents d ON d.id = e.doc_id{}
         ORDER BY e.date NULLS FIRST, e.doc_id, e.idx{}",
        w.sql(),
        limit(f.limit)
    );
    Ok(c.query(&sql, &w.pg_args())?
        .iter()
        .map(|r| EventRow {
            doc_id: r.get(0),
            index: r.get::<_, i64>(1) as usize,
            code: r.get(2),
            source_code: r.get(3),
            source_text: r.get(4),
            source_actor: r.get(5),
            target_code: r.get(6),
            target_text: r.get(7),
            target_actor: r.get(8),
            location: r.get(9),
            date: r.get(10),
            date_source: r.get(11),
            plover_type: r.get(12),
            plover_mode: r.get(13),
            quad_class: r.get::<_, Option<i64>>(14).map(|q| q as u8),
            goldstein: r.get::<_, Option<f64>>(15).map(|g| g as f32),
            modality: r.get(16),
            start: r.get::<_, i64>(17) as usize,
            end: r.get::<_, i64>(18) as usize,
            sentence: r.get(19),
            url: r.get(20),
            published: r.get(21),
        })
        .collect())
}

/// One row per (actor, code, role), names and roles compared ignoring ASCII
/// case (SQLite's NOCASE; `lower` of a "C" text folds ASCII only), answered
/// as SQLite answers it: the name and role shown are those of the row giving
/// the evidence (SQLite takes a bare column from the row of the last `MIN`),
/// variants and origins in the order they were first stored (`seq`, the
/// insertion order SQLite's rowid gives), groups in (name, code, role) order
/// where the first date ties.
pub fn actors(c: &mut impl GenericClient) -> Result<Vec<ActorSummary>, Error> {
    let rows = c.query(
        r#"SELECT (array_agg(COALESCE(actor, text) ORDER BY ev, seq))[1], code,
                  (array_agg(role ORDER BY ev, seq))[1], MIN(date), MAX(date), COUNT(*),
                  array_agg(text ORDER BY seq), array_agg(origin ORDER BY seq),
                  COUNT(DISTINCT doc_id), MIN(ev)
           FROM (SELECT m.*,
                        COALESCE(date, '') || ' ' || doc_id || ':' || start || '-' || "end" AS ev
                 FROM actor_mentions m WHERE code IS NOT NULL) m
           GROUP BY lower(COALESCE(actor, text)), code, lower(role)
           ORDER BY lower(COALESCE(actor, text)), MIN(date) NULLS FIRST, code,
                    lower(role) NULLS FIRST"#,
        &[],
    )?;
    Ok(rows
        .iter()
        .map(|r| ActorSummary {
            actor: r.get(0),
            code: r.get(1),
            role: r.get(2),
            first_seen: r.get(3),
            last_seen: r.get(4),
            mentions: r.get::<_, i64>(5) as u64,
            variants: first_seen(r.get(6)),
            origins: first_seen(r.get(7)),
            documents: r.get::<_, i64>(8) as u64,
            // "date doc:start-end" of the earliest mention; the date is dropped.
            evidence: r
                .get::<_, Option<String>>(9)
                .and_then(|e| e.split_once(' ').map(|(_, rest)| rest.to_string())),
        })
        .collect())
}

/// Each value once, where it first appears (SQLite's `DISTINCT` aggregates).
fn first_seen(values: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    values
        .into_iter()
        .filter(|v| seen.insert(v.clone()))
        .collect()
}

/// Dated documents by date, then the undated ones; rows in document order.
const ROW_ORDER: &str = " ORDER BY d.published_date NULLS LAST, d.id, x.idx";

pub fn quotes(c: &mut impl GenericClient, f: &QuoteFilter) -> Result<Vec<QuoteRow>, Error> {
    let mut w = Where::postgres();
    document_filter(
        &mut w,
        &DocumentSide {
            outlet: f.outlet.as_deref(),
            from: f.from.as_deref(),
            to: f.to.as_deref(),
            doc_id: f.doc_id.as_deref(),
        },
    );
    w.equals("x.kind", f.kind.as_deref())
        .folded_contains("x.speaker_search", f.speaker.as_deref());
    let sql = format!(
        "SELECT x.doc_id, x.idx, d.outlet, d.published_date, d.title, x.start, x.end,
         x.text, x.kind, x.cue, x.speaker, x.speaker_canonical, x.speaker_start, x.speaker_end,
         x.cue_start, x.cue_end,
         (SELECT st.statement_id FROM statements st WHERE st.doc_id = x.doc_id AND st.idx = x.idx)
         FROM quotes x JOIN documents d ON d.id = x.doc_id{}{ROW_ORDER}{}",
        w.sql(),
        limit(f.limit)
    );
    Ok(c.query(&sql, &w.pg_args())?
        .iter()
        .map(|r| QuoteRow {
            doc_id: r.get(0),
            index: r.get::<_, i64>(1) as usize,
            outlet: r.get(2),
            published: r.get(3),
            title: r.get(4),
            start: r.get::<_, i64>(5) as usize,
            end: r.get::<_, i64>(6) as usize,
            text: r.get(7),
            kind: r.get(8),
            cue: r.get(9),
            speaker: r.get(10),
            speaker_canonical: r.get(11),
            speaker_span: span(r.get(12), r.get(13)),
            cue_span: span(r.get(14), r.get(15)),
            statement: r.get(16),
        })
        .collect())
}

/// The columns [`claim_row`] reads, over claims `x` joined to documents `d`.
pub const CLAIM_COLUMNS: &str = "x.doc_id, x.idx, d.outlet, d.published_date, d.title, x.start,
         x.end, x.text, x.value, x.qualifier, x.kind, x.subject, x.claimant, x.place, x.time";

/// Documents whose claims one statement reads.
const CLAIM_DOCUMENTS: usize = 1000;

/// The claims of many documents, a statement per [`CLAIM_DOCUMENTS`].
pub fn claims_of_documents(
    c: &mut impl GenericClient,
    ids: &[String],
) -> Result<std::collections::HashMap<String, Vec<ClaimRow>>, Error> {
    let mut out: std::collections::HashMap<String, Vec<ClaimRow>> = Default::default();
    for chunk in ids.chunks(CLAIM_DOCUMENTS) {
        let rows = c.query_typed(
            &format!(
                "SELECT {CLAIM_COLUMNS} FROM claims x JOIN documents d ON d.id = x.doc_id
                 WHERE x.doc_id = ANY($1) ORDER BY x.doc_id, x.idx"
            ),
            &[(&chunk, ::postgres::types::Type::TEXT_ARRAY)],
        )?;
        for r in &rows {
            let row = claim_row(r);
            out.entry(row.doc_id.clone()).or_default().push(row);
        }
    }
    Ok(out)
}

/// A claim from the first columns of [`CLAIM_COLUMNS`].
pub fn claim_row(r: &Row) -> ClaimRow {
    ClaimRow {
        doc_id: r.get(0),
        index: r.get::<_, i64>(1) as usize,
        outlet: r.get(2),
        published: r.get(3),
        title: r.get(4),
        start: r.get::<_, i64>(5) as usize,
        end: r.get::<_, i64>(6) as usize,
        text: r.get(7),
        // NaN is stored as NULL.
        value: r.get::<_, Option<f64>>(8).unwrap_or(f64::NAN),
        qualifier: r.get(9),
        kind: r.get(10),
        subject: r.get(11),
        claimant: r.get(12),
        place: r.get(13),
        time: r.get(14),
    }
}

pub fn claims(c: &mut impl GenericClient, f: &ClaimFilter) -> Result<Vec<ClaimRow>, Error> {
    if let (Some(id), None, None, None, None) = (&f.doc_id, &f.outlet, &f.from, &f.to, &f.kind) {
        // One document's claims by its whole id; nothing found may mean `id`
        // is a prefix, which the listing below reads (as on SQLite).
        let rows = c.query(
            &format!(
                "SELECT {CLAIM_COLUMNS} FROM claims x JOIN documents d ON d.id = x.doc_id
                 WHERE x.doc_id = $1 ORDER BY x.idx{}",
                limit(f.limit)
            ),
            &[id],
        )?;
        if !rows.is_empty() {
            return Ok(rows.iter().map(claim_row).collect());
        }
    }
    let mut w = Where::postgres();
    document_filter(
        &mut w,
        &DocumentSide {
            outlet: f.outlet.as_deref(),
            from: f.from.as_deref(),
            to: f.to.as_deref(),
            doc_id: f.doc_id.as_deref(),
        },
    );
    w.equals("x.kind", f.kind.as_deref());
    let sql = format!(
        "SELECT {CLAIM_COLUMNS} FROM claims x JOIN documents d ON d.id = x.doc_id{}{ROW_ORDER}{}",
        w.sql(),
        limit(f.limit)
    );
    Ok(c.query(&sql, &w.pg_args())?.iter().map(claim_row).collect())
}
