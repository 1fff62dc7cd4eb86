//! Documents on PostgreSQL: the document row with its sources, duplicate link,
//! full-text row, near-duplicate bands and typed rows (events, actor mentions,
//! quotes, claims, entities), written and read by id. Each layer's rows go in
//! one `INSERT ... SELECT FROM UNNEST(arrays)`, so a document costs a handful
//! of round trips to the server, not one per row.

use super::link_rows;
use crate::near_dup::{bands, BAND_CANDIDATES};
use crate::sqlite::{compress, provenance_name, warnings_json};
use crate::{BatchOutcome, DuplicateLink, NewDocument, NewSource, PutOutcome, SearchHit};
use ::postgres::types::ToSql;
use ::postgres::{Error, GenericClient};
use chronicle_core::{Document, SourceRef, Span};

type Params<'a> = Vec<&'a (dyn ToSql + Sync)>;

fn int(n: usize) -> i64 {
    n as i64
}

/// Inserts `doc`'s event and actor-mention rows (the caller removed the old ones).
fn write_events(c: &mut impl GenericClient, doc: &Document) -> Result<(), Error> {
    if !doc.events.is_empty() {
        let ev = &doc.events;
        let idx: Vec<i64> = (0..ev.len()).map(int).collect();
        let code: Vec<&str> = ev.iter().map(|e| e.cameo.as_str()).collect();
        let root: Vec<&str> = ev
            .iter()
            .map(|e| e.cameo.get(..2).unwrap_or(&e.cameo))
            .collect();
        let source_code: Vec<Option<&str>> = ev.iter().map(|e| e.source_actor.as_deref()).collect();
        let source_text: Vec<Option<&str>> = ev
            .iter()
            .map(|e| e.source.as_ref().map(|a| a.text.as_str()))
            .collect();
        let source_actor: Vec<Option<&str>> = ev
            .iter()
            .map(|e| e.source.as_ref().and_then(|a| a.actor.as_deref()))
            .collect();
        let target_code: Vec<Option<&str>> = ev.iter().map(|e| e.target_actor.as_deref()).collect();
        let target_text: Vec<Option<&str>> = ev
            .iter()
            .map(|e| e.target.as_ref().map(|a| a.text.as_str()))
            .collect();
        let target_actor: Vec<Option<&str>> = ev
            .iter()
            .map(|e| e.target.as_ref().and_then(|a| a.actor.as_deref()))
            .collect();
        let location: Vec<Option<&str>> = ev.iter().map(|e| e.location.as_deref()).collect();
        let date: Vec<Option<&str>> = ev.iter().map(|e| e.date.as_deref()).collect();
        let date_source: Vec<Option<&str>> = ev.iter().map(|e| e.date_source.as_deref()).collect();
        let plover_type: Vec<Option<&str>> = ev.iter().map(|e| e.plover_type.as_deref()).collect();
        let plover_mode: Vec<Option<&str>> = ev.iter().map(|e| e.plover_mode.as_deref()).collect();
        let quad: Vec<Option<i64>> = ev.iter().map(|e| e.quad_class.map(i64::from)).collect();
        let goldstein: Vec<Option<f64>> = ev.iter().map(|e| e.goldstein.map(f64::from)).collect();
        let modality: Vec<Option<&str>> = ev.iter().map(|e| e.modality.as_deref()).collect();
        let start: Vec<i64> = ev.iter().map(|e| int(e.start)).collect();
        let end: Vec<i64> = ev.iter().map(|e| int(e.end)).collect();
        let sentence: Vec<&str> = ev.iter().map(|e| e.text.as_str()).collect();
        let p: Params = vec![
            &doc.id,
            &idx,
            &code,
            &root,
            &source_code,
            &source_text,
            &source_actor,
            &target_code,
            &target_text,
            &target_actor,
            &location,
            &date,
            &date_source,
            &plover_type,
            &plover_mode,
            &quad,
            &goldstein,
            &modality,
            &start,
            &end,
            &sentence,
        ];
        c.execute(
            r#"INSERT INTO events (doc_id, idx, code, root, source_code, source_text, source_actor,
               target_code, target_text, target_actor, location, date, date_source, plover_type,
               plover_mode, quad_class, goldstein, modality, start, "end", sentence)
               SELECT $1::text, * FROM UNNEST($2::bigint[], $3::text[], $4::text[], $5::text[],
               $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
               $12::text[], $13::text[], $14::text[], $15::text[], $16::bigint[],
               $17::float8[], $18::text[], $19::bigint[], $20::bigint[], $21::text[])"#,
            &p,
        )?;
    }
    if !doc.actors.is_empty() {
        let am = &doc.actors;
        let date = doc.published.as_ref().map(|p| p.date.as_str());
        let idx: Vec<i64> = (0..am.len()).map(int).collect();
        let text: Vec<&str> = am.iter().map(|a| a.text.as_str()).collect();
        let actor: Vec<Option<&str>> = am.iter().map(|a| a.actor.as_deref()).collect();
        let code: Vec<Option<&str>> = am.iter().map(|a| a.code.as_deref()).collect();
        let role: Vec<Option<&str>> = am.iter().map(|a| a.role.as_deref()).collect();
        let country: Vec<Option<&str>> = am.iter().map(|a| a.country.as_deref()).collect();
        let sector: Vec<Option<&str>> = am.iter().map(|a| a.sector.as_deref()).collect();
        let origin: Vec<&str> = am.iter().map(|a| a.origin.as_str()).collect();
        let start: Vec<i64> = am.iter().map(|a| int(a.start)).collect();
        let end: Vec<i64> = am.iter().map(|a| int(a.end)).collect();
        let p: Params = vec![
            &doc.id, &date, &idx, &text, &actor, &code, &role, &country, &sector, &origin, &start,
            &end,
        ];
        c.execute(
            r#"INSERT INTO actor_mentions (doc_id, date, idx, text, actor, code, role, country,
               sector, origin, start, "end")
               SELECT $1::text, $2::text, * FROM UNNEST($3::bigint[], $4::text[], $5::text[],
               $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::bigint[],
               $12::bigint[])"#,
            &p,
        )?;
    }
    Ok(())
}

/// Inserts `doc`'s quote, claim and entity rows (the caller removed the old ones).
fn write_rows(c: &mut impl GenericClient, doc: &Document) -> Result<(), Error> {
    if !doc.quotes.is_empty() {
        let q = &doc.quotes;
        let idx: Vec<i64> = (0..q.len()).map(int).collect();
        let start: Vec<i64> = q.iter().map(|x| int(x.start)).collect();
        let end: Vec<i64> = q.iter().map(|x| int(x.end)).collect();
        let text: Vec<&str> = q.iter().map(|x| x.text.as_str()).collect();
        let kind: Vec<&str> = q.iter().map(|x| x.kind.as_str()).collect();
        let cue: Vec<Option<&str>> = q.iter().map(|x| x.cue.as_deref()).collect();
        let speaker: Vec<Option<&str>> = q.iter().map(|x| x.speaker.as_deref()).collect();
        let canonical: Vec<Option<&str>> =
            q.iter().map(|x| x.speaker_canonical.as_deref()).collect();
        let part =
            |s: Option<Span>, first: bool| s.map(|s| int(if first { s.start } else { s.end }));
        let ss: Vec<Option<i64>> = q.iter().map(|x| part(x.speaker_span, true)).collect();
        let se: Vec<Option<i64>> = q.iter().map(|x| part(x.speaker_span, false)).collect();
        let cs: Vec<Option<i64>> = q.iter().map(|x| part(x.cue_span, true)).collect();
        let ce: Vec<Option<i64>> = q.iter().map(|x| part(x.cue_span, false)).collect();
        let search: Vec<String> = q
            .iter()
            .map(|x| {
                crate::rows::speaker_search(x.speaker.as_deref(), x.speaker_canonical.as_deref())
            })
            .collect();
        let p: Params = vec![
            &doc.id, &idx, &start, &end, &text, &kind, &cue, &speaker, &canonical, &ss, &se, &cs,
            &ce, &search,
        ];
        c.execute(
            r#"INSERT INTO quotes (doc_id, idx, start, "end", text, kind, cue, speaker,
               speaker_canonical, speaker_start, speaker_end, cue_start, cue_end, speaker_search)
               SELECT $1::text, * FROM UNNEST($2::bigint[], $3::bigint[], $4::bigint[],
               $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[],
               $11::bigint[], $12::bigint[], $13::bigint[], $14::text[])"#,
            &p,
        )?;
    }
    if !doc.claims.is_empty() {
        let x = &doc.claims;
        let idx: Vec<i64> = (0..x.len()).map(int).collect();
        let start: Vec<i64> = x.iter().map(|x| int(x.start)).collect();
        let end: Vec<i64> = x.iter().map(|x| int(x.end)).collect();
        let text: Vec<&str> = x.iter().map(|x| x.text.as_str()).collect();
        // NaN is stored as NULL, as SQLite stores it.
        let value: Vec<Option<f64>> = x
            .iter()
            .map(|x| (!x.value.is_nan()).then_some(x.value))
            .collect();
        let qualifier: Vec<Option<&str>> = x.iter().map(|x| x.qualifier.as_deref()).collect();
        let kind: Vec<&str> = x.iter().map(|x| x.kind.as_str()).collect();
        let subject: Vec<Option<&str>> = x.iter().map(|x| x.subject.as_deref()).collect();
        let claimant: Vec<Option<&str>> = x.iter().map(|x| x.claimant.as_deref()).collect();
        let place: Vec<Option<&str>> = x.iter().map(|x| x.place.as_deref()).collect();
        let time: Vec<Option<&str>> = x.iter().map(|x| x.time.as_deref()).collect();
        let p: Params = vec![
            &doc.id, &idx, &start, &end, &text, &value, &qualifier, &kind, &subject, &claimant,
            &place, &time,
        ];
        c.execute(
            r#"INSERT INTO claims (doc_id, idx, start, "end", text, value, qualifier, kind,
               subject, claimant, place, time)
               SELECT $1::text, * FROM UNNEST($2::bigint[], $3::bigint[], $4::bigint[],
               $5::text[], $6::float8[], $7::text[], $8::text[], $9::text[], $10::text[],
               $11::text[], $12::text[])"#,
            &p,
        )?;
    }
    if !doc.entities.is_empty() {
        let x = &doc.entities;
        let idx: Vec<i64> = (0..x.len()).map(int).collect();
        let start: Vec<i64> = x.iter().map(|x| int(x.start)).collect();
        let end: Vec<i64> = x.iter().map(|x| int(x.end)).collect();
        let text: Vec<&str> = x.iter().map(|x| x.text.as_str()).collect();
        let label: Vec<&str> = x.iter().map(|x| x.label.as_str()).collect();
        let country: Vec<Option<&str>> = x.iter().map(|x| x.country.as_deref()).collect();
        let p: Params = vec![&doc.id, &idx, &start, &end, &text, &label, &country];
        c.execute(
            r#"INSERT INTO entities (doc_id, idx, start, "end", text, label, country)
               SELECT $1::text, * FROM UNNEST($2::bigint[], $3::bigint[], $4::bigint[],
               $5::text[], $6::text[], $7::text[])"#,
            &p,
        )?;
    }
    Ok(())
}

/// Replaces a stored document's layers and rows, and its date and warning
/// columns (a story can re-date a document). The full-text row stays: ingest
/// fixes `title` and `text` (stages only add layers).
pub fn rewrite_document(c: &mut impl GenericClient, doc: &Document) -> Result<(), Error> {
    let published = doc.published.as_ref();
    c.execute(
        "UPDATE documents SET doc = $2, published_date = $3, published_provenance = $4,
         published_confidence = $5, estimated = $6, warnings = $7 WHERE id = $1",
        &[
            &doc.id,
            &compress(doc),
            &published.map(|p| p.date.as_str()),
            &provenance_name(doc),
            &published.map(|p| p.confidence as f64),
            &published.is_some_and(|p| p.estimated),
            &warnings_json(doc),
        ],
    )?;
    // One statement removes every layer's rows (one round trip, not five).
    c.execute(
        "WITH e AS (DELETE FROM events WHERE doc_id = $1),
              a AS (DELETE FROM actor_mentions WHERE doc_id = $1),
              q AS (DELETE FROM quotes WHERE doc_id = $1),
              c AS (DELETE FROM claims WHERE doc_id = $1)
         DELETE FROM entities WHERE doc_id = $1",
        &[&doc.id],
    )?;
    write_events(c, doc)?;
    write_rows(c, doc)
}

/// Stores `nd` unless a document with its id is stored (by anyone, committed
/// before our write lock): `false` then, and nothing is written.
fn insert_document(c: &mut impl GenericClient, nd: &NewDocument) -> Result<bool, Error> {
    let doc = &nd.doc;
    let published = doc.published.as_ref();
    let inserted = c.query_opt(
        "INSERT INTO documents (id, outlet, url, title, language, published_date,
         published_provenance, published_confidence, estimated, warnings, fingerprint,
         duplicate_of, doc)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (id) DO NOTHING RETURNING seq",
        &[
            &doc.id,
            &doc.outlet,
            &doc.url,
            &doc.title,
            &doc.language,
            &published.map(|p| p.date.as_str()),
            &provenance_name(doc),
            &published.map(|p| p.confidence as f64),
            &published.is_some_and(|p| p.estimated),
            &warnings_json(doc),
            &nd.fingerprint,
            &nd.duplicate_of.as_ref().map(|l| l.other_id.as_str()),
            &compress(doc),
        ],
    )?;
    if inserted.is_none() {
        return Ok(false);
    }
    if let (None, Some(fp)) = (&nd.duplicate_of, &nd.fingerprint) {
        index_bands(c, &doc.id, fp)?;
    }
    c.execute(
        "INSERT INTO documents_fts (doc_id, title, text, search)
         VALUES ($1, $2::text, $3::text, to_tsvector('english', $2::text || ' ' || $3::text))",
        &[&doc.id, &doc.title.as_deref().unwrap_or(""), &doc.text],
    )?;
    write_events(c, doc)?;
    write_rows(c, doc)?;
    if let Some(l) = &nd.duplicate_of {
        c.execute(
            "INSERT INTO duplicates (doc_id, other_id, kind, similarity) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING",
            &[&l.doc_id, &l.other_id, &l.kind, &(l.similarity as f64)],
        )?;
    }
    link_rows::enqueue(c, &doc.id)?;
    Ok(true)
}

/// Indexes an original's fingerprint bands (see `crate::near_dup`).
fn index_bands(c: &mut impl GenericClient, doc_id: &str, fp: &[u8]) -> Result<(), Error> {
    let (band, rows): (Vec<i64>, Vec<&[u8]>) = bands(fp).unzip();
    if band.is_empty() {
        return Ok(());
    }
    c.execute(
        "INSERT INTO near_dup_bands (band, rows, doc_id)
         SELECT b, r, $3 FROM UNNEST($1::bigint[], $2::bytea[]) AS u(b, r)
         ON CONFLICT DO NOTHING",
        &[&band, &rows, &doc_id],
    )?;
    Ok(())
}

/// Stored originals sharing a band with `fingerprint`, oldest stored first:
/// (id, fingerprint). Each band reads at most `BAND_CANDIDATES` originals.
pub fn candidates(
    c: &mut impl GenericClient,
    fingerprint: &[u8],
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let (band, rows): (Vec<i64>, Vec<&[u8]>) = bands(fingerprint).unzip();
    if band.is_empty() {
        return Ok(Vec::new());
    }
    let found = c.query(
        "WITH ids AS (
             SELECT DISTINCT hit.doc_id
             FROM UNNEST($1::bigint[], $2::bytea[]) AS u(b, r),
             LATERAL (SELECT n.doc_id FROM near_dup_bands n
                      WHERE n.band = u.b AND n.rows = u.r LIMIT $3) AS hit)
         SELECT d.id, d.fingerprint FROM ids JOIN documents d ON d.id = ids.doc_id
         WHERE d.fingerprint IS NOT NULL AND d.duplicate_of IS NULL
         ORDER BY d.seq",
        &[&band, &rows, &(BAND_CANDIDATES as i64)],
    )?;
    Ok(found.iter().map(|r| (r.get(0), r.get(1))).collect())
}

fn add_source(c: &mut impl GenericClient, id: &str, source: &SourceRef) -> Result<(), Error> {
    c.execute(
        "INSERT INTO sources (doc_id, path, format, record) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING",
        &[
            &id,
            &source.path,
            &source.format,
            &source.record.as_deref().unwrap_or(""),
        ],
    )?;
    Ok(())
}

pub fn contains(c: &mut impl GenericClient, id: &str) -> Result<bool, Error> {
    Ok(
        c.query_opt("SELECT 1 FROM documents WHERE id = $1", &[&id])?
            .is_some(),
    )
}

/// Stores the documents not yet stored and records every source (the caller
/// holds the write transaction), with the outcomes SQLite's `write_batch` gives.
pub fn write_batch(
    c: &mut impl GenericClient,
    docs: &[NewDocument],
    sources: &[NewSource],
) -> Result<BatchOutcome, Error> {
    let mut outcome = BatchOutcome::default();
    for nd in docs {
        let inserted = insert_document(c, nd)?;
        add_source(c, &nd.doc.id, &nd.doc.source)?;
        outcome.documents.push(if inserted {
            PutOutcome::Inserted
        } else {
            PutOutcome::AlreadyStored
        });
    }
    for s in sources {
        let exists = contains(c, &s.doc_id)?;
        if exists {
            add_source(c, &s.doc_id, &s.source)?;
        }
        outcome.sources.push(exists);
    }
    Ok(outcome)
}

/// The stored (compressed) blob of a document.
pub fn blob(c: &mut impl GenericClient, id: &str) -> Result<Option<Vec<u8>>, Error> {
    Ok(
        c.query_opt("SELECT doc FROM documents WHERE id = $1", &[&id])?
            .map(|r| r.get(0)),
    )
}

pub fn count(c: &mut impl GenericClient) -> Result<u64, Error> {
    Ok(c.query_one("SELECT COUNT(*) FROM documents", &[])?
        .get::<_, i64>(0) as u64)
}

pub fn resolve_id(c: &mut impl GenericClient, prefix: &str) -> Result<Vec<String>, Error> {
    let mut w = crate::filter::Where::postgres();
    w.prefix_range("id", Some(prefix));
    let rows = c.query(
        &format!("SELECT id FROM documents{} ORDER BY id LIMIT 10", w.sql()),
        &w.pg_args(),
    )?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

pub fn fingerprints(c: &mut impl GenericClient) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let rows = c.query(
        "SELECT id, fingerprint FROM documents
         WHERE fingerprint IS NOT NULL AND duplicate_of IS NULL ORDER BY seq",
        &[],
    )?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// Near-duplicate links, then each document read from several sources (an
/// exact duplicate is one stored document with several sources).
pub fn duplicates(c: &mut impl GenericClient) -> Result<Vec<DuplicateLink>, Error> {
    let mut out: Vec<DuplicateLink> = c
        .query(
            "SELECT doc_id, other_id, kind, similarity FROM duplicates ORDER BY doc_id",
            &[],
        )?
        .iter()
        .map(|r| DuplicateLink {
            doc_id: r.get(0),
            other_id: r.get(1),
            kind: r.get(2),
            similarity: r.get::<_, f64>(3) as f32,
        })
        .collect();
    let exact = c.query(
        "SELECT doc_id, COUNT(*) FROM sources GROUP BY doc_id HAVING COUNT(*) > 1 ORDER BY doc_id",
        &[],
    )?;
    for r in exact {
        let id: String = r.get(0);
        let n: i64 = r.get(1);
        out.push(DuplicateLink {
            doc_id: id.clone(),
            other_id: id,
            kind: format!("exact ({n} sources)"),
            similarity: 1.0,
        });
    }
    Ok(out)
}

/// Full-text search: `websearch_to_tsquery` (words, "phrases", `or`, `-word`;
/// it never rejects a query), hits marked `[like this]` as SQLite's snippets
/// are, best first. `rank` is minus `ts_rank_cd`, so lower is better, as
/// SQLite's bm25.
pub fn search(
    c: &mut impl GenericClient,
    query: &str,
    limit: usize,
) -> Result<Vec<SearchHit>, Error> {
    let rows = c.query(
        r#"SELECT d.id, d.title, d.outlet, d.published_date,
                  ts_headline('english', top.text, top.q,
                              'StartSel="[", StopSel="]", MaxWords=16, MinWords=8'),
                  top.rank
           FROM (SELECT f.doc_id, f.text, -ts_rank_cd(f.search, q)::float8 AS rank, q
                 FROM documents_fts f, websearch_to_tsquery('english', $1) q
                 WHERE f.search @@ q ORDER BY rank, f.doc_id LIMIT $2) top
           JOIN documents d ON d.id = top.doc_id
           ORDER BY top.rank, d.id"#,
        &[&query, &(limit as i64)],
    )?;
    Ok(rows
        .iter()
        .map(|r| SearchHit {
            id: r.get(0),
            title: r.get(1),
            outlet: r.get(2),
            published: r.get(3),
            snippet: r.get(4),
            rank: r.get(5),
        })
        .collect())
}
