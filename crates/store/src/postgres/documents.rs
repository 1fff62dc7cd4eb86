//! Documents on PostgreSQL: the document row with its sources, duplicate link,
//! full-text row, near-duplicate bands and typed rows (events, actor mentions,
//! quotes, claims, entities), written and read by id. Each layer's rows go in
//! one `INSERT ... SELECT FROM UNNEST(arrays)`, so a document costs a handful
//! of round trips to the server, not one per row.

use super::link_rows;
use crate::near_dup::{bands, BAND_CANDIDATES};
use crate::sqlite::{compress, provenance_name, warnings_json};
use crate::{BatchOutcome, DuplicateLink, NewDocument, NewSource, PutOutcome, SearchHit};
use ::postgres::types::{ToSql, Type};
use ::postgres::{Error, GenericClient};
use chronicle_core::{Document, SourceRef, Span};
use std::collections::HashSet;

/// A report's full-text vector, from the `title` and `text` columns of the
/// rows it is computed over (what `search` matches; `copy` derives it the same way).
pub(super) const SEARCH_VECTOR: &str = "to_tsvector('english', title || ' ' || text)";

type Params<'a> = Vec<&'a (dyn ToSql + Sync)>;

fn int(n: usize) -> i64 {
    n as i64
}

/// Each row of one layer of `docs`, with its document's id and its index in
/// the layer: the first columns of every typed-row insert.
fn rows_of<'d, T>(
    docs: &[&'d Document],
    layer: impl Fn(&'d Document) -> &'d [T],
) -> (Vec<&'d str>, Vec<i64>, Vec<(&'d Document, &'d T)>) {
    let mut ids = Vec::new();
    let mut idx = Vec::new();
    let mut rows = Vec::new();
    for d in docs {
        for (i, x) in layer(d).iter().enumerate() {
            ids.push(d.id.as_str());
            idx.push(int(i));
            rows.push((*d, x));
        }
    }
    (ids, idx, rows)
}

/// Inserts the event and actor-mention rows of `docs` (the caller removed
/// any old ones), one statement per table.
fn write_events(c: &mut impl GenericClient, docs: &[&Document]) -> Result<(), Error> {
    let (ids, idx, ev) = rows_of(docs, |d| &d.events);
    if !ev.is_empty() {
        let code: Vec<&str> = ev.iter().map(|(_, e)| e.cameo.as_str()).collect();
        let root: Vec<&str> = ev
            .iter()
            .map(|(_, e)| e.cameo.get(..2).unwrap_or(&e.cameo))
            .collect();
        let source_code: Vec<Option<&str>> =
            ev.iter().map(|(_, e)| e.source_actor.as_deref()).collect();
        let source_text: Vec<Option<&str>> = ev
            .iter()
            .map(|(_, e)| e.source.as_ref().map(|a| a.text.as_str()))
            .collect();
        let source_actor: Vec<Option<&str>> = ev
            .iter()
            .map(|(_, e)| e.source.as_ref().and_then(|a| a.actor.as_deref()))
            .collect();
        let target_code: Vec<Option<&str>> =
            ev.iter().map(|(_, e)| e.target_actor.as_deref()).collect();
        let target_text: Vec<Option<&str>> = ev
            .iter()
            .map(|(_, e)| e.target.as_ref().map(|a| a.text.as_str()))
            .collect();
        let target_actor: Vec<Option<&str>> = ev
            .iter()
            .map(|(_, e)| e.target.as_ref().and_then(|a| a.actor.as_deref()))
            .collect();
        let location: Vec<Option<&str>> = ev.iter().map(|(_, e)| e.location.as_deref()).collect();
        let date: Vec<Option<&str>> = ev.iter().map(|(_, e)| e.date.as_deref()).collect();
        let date_source: Vec<Option<&str>> =
            ev.iter().map(|(_, e)| e.date_source.as_deref()).collect();
        let plover_type: Vec<Option<&str>> =
            ev.iter().map(|(_, e)| e.plover_type.as_deref()).collect();
        let plover_mode: Vec<Option<&str>> =
            ev.iter().map(|(_, e)| e.plover_mode.as_deref()).collect();
        let quad: Vec<Option<i64>> = ev
            .iter()
            .map(|(_, e)| e.quad_class.map(i64::from))
            .collect();
        let goldstein: Vec<Option<f64>> =
            ev.iter().map(|(_, e)| e.goldstein.map(f64::from)).collect();
        let modality: Vec<Option<&str>> = ev.iter().map(|(_, e)| e.modality.as_deref()).collect();
        let start: Vec<i64> = ev.iter().map(|(_, e)| int(e.start)).collect();
        let end: Vec<i64> = ev.iter().map(|(_, e)| int(e.end)).collect();
        let sentence: Vec<&str> = ev.iter().map(|(_, e)| e.text.as_str()).collect();
        let p: Params = vec![
            &ids,
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
               SELECT * FROM UNNEST($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[],
               $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
               $12::text[], $13::text[], $14::text[], $15::text[], $16::bigint[],
               $17::float8[], $18::text[], $19::bigint[], $20::bigint[], $21::text[])"#,
            &p,
        )?;
    }
    let (ids, idx, am) = rows_of(docs, |d| &d.actors);
    if !am.is_empty() {
        let date: Vec<Option<&str>> = am
            .iter()
            .map(|(d, _)| d.published.as_ref().map(|p| p.date.as_str()))
            .collect();
        let text: Vec<&str> = am.iter().map(|(_, a)| a.text.as_str()).collect();
        let actor: Vec<Option<&str>> = am.iter().map(|(_, a)| a.actor.as_deref()).collect();
        let code: Vec<Option<&str>> = am.iter().map(|(_, a)| a.code.as_deref()).collect();
        let role: Vec<Option<&str>> = am.iter().map(|(_, a)| a.role.as_deref()).collect();
        let country: Vec<Option<&str>> = am.iter().map(|(_, a)| a.country.as_deref()).collect();
        let sector: Vec<Option<&str>> = am.iter().map(|(_, a)| a.sector.as_deref()).collect();
        let origin: Vec<&str> = am.iter().map(|(_, a)| a.origin.as_str()).collect();
        let start: Vec<i64> = am.iter().map(|(_, a)| int(a.start)).collect();
        let end: Vec<i64> = am.iter().map(|(_, a)| int(a.end)).collect();
        let p: Params = vec![
            &ids, &date, &idx, &text, &actor, &code, &role, &country, &sector, &origin, &start,
            &end,
        ];
        c.execute(
            r#"INSERT INTO actor_mentions (doc_id, date, idx, text, actor, code, role, country,
               sector, origin, start, "end")
               SELECT * FROM UNNEST($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[],
               $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::bigint[],
               $12::bigint[])"#,
            &p,
        )?;
    }
    Ok(())
}

/// Inserts the quote, claim and entity rows of `docs` (the caller removed any
/// old ones), one statement per table.
fn write_rows(c: &mut impl GenericClient, docs: &[&Document]) -> Result<(), Error> {
    let (ids, idx, q) = rows_of(docs, |d| &d.quotes);
    if !q.is_empty() {
        let start: Vec<i64> = q.iter().map(|(_, x)| int(x.start)).collect();
        let end: Vec<i64> = q.iter().map(|(_, x)| int(x.end)).collect();
        let text: Vec<&str> = q.iter().map(|(_, x)| x.text.as_str()).collect();
        let kind: Vec<&str> = q.iter().map(|(_, x)| x.kind.as_str()).collect();
        let cue: Vec<Option<&str>> = q.iter().map(|(_, x)| x.cue.as_deref()).collect();
        let speaker: Vec<Option<&str>> = q.iter().map(|(_, x)| x.speaker.as_deref()).collect();
        let canonical: Vec<Option<&str>> = q
            .iter()
            .map(|(_, x)| x.speaker_canonical.as_deref())
            .collect();
        let part =
            |s: Option<Span>, first: bool| s.map(|s| int(if first { s.start } else { s.end }));
        let ss: Vec<Option<i64>> = q.iter().map(|(_, x)| part(x.speaker_span, true)).collect();
        let se: Vec<Option<i64>> = q.iter().map(|(_, x)| part(x.speaker_span, false)).collect();
        let cs: Vec<Option<i64>> = q.iter().map(|(_, x)| part(x.cue_span, true)).collect();
        let ce: Vec<Option<i64>> = q.iter().map(|(_, x)| part(x.cue_span, false)).collect();
        let search: Vec<String> = q
            .iter()
            .map(|(_, x)| {
                crate::rows::speaker_search(x.speaker.as_deref(), x.speaker_canonical.as_deref())
            })
            .collect();
        let p: Params = vec![
            &ids, &idx, &start, &end, &text, &kind, &cue, &speaker, &canonical, &ss, &se, &cs, &ce,
            &search,
        ];
        c.execute(
            r#"INSERT INTO quotes (doc_id, idx, start, "end", text, kind, cue, speaker,
               speaker_canonical, speaker_start, speaker_end, cue_start, cue_end, speaker_search)
               SELECT * FROM UNNEST($1::text[], $2::bigint[], $3::bigint[], $4::bigint[],
               $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[],
               $11::bigint[], $12::bigint[], $13::bigint[], $14::text[])"#,
            &p,
        )?;
    }
    let (ids, idx, x) = rows_of(docs, |d| &d.claims);
    if !x.is_empty() {
        let start: Vec<i64> = x.iter().map(|(_, x)| int(x.start)).collect();
        let end: Vec<i64> = x.iter().map(|(_, x)| int(x.end)).collect();
        let text: Vec<&str> = x.iter().map(|(_, x)| x.text.as_str()).collect();
        // NaN is stored as NULL, as SQLite stores it.
        let value: Vec<Option<f64>> = x
            .iter()
            .map(|(_, x)| (!x.value.is_nan()).then_some(x.value))
            .collect();
        let qualifier: Vec<Option<&str>> = x.iter().map(|(_, x)| x.qualifier.as_deref()).collect();
        let kind: Vec<&str> = x.iter().map(|(_, x)| x.kind.as_str()).collect();
        let subject: Vec<Option<&str>> = x.iter().map(|(_, x)| x.subject.as_deref()).collect();
        let claimant: Vec<Option<&str>> = x.iter().map(|(_, x)| x.claimant.as_deref()).collect();
        let place: Vec<Option<&str>> = x.iter().map(|(_, x)| x.place.as_deref()).collect();
        let time: Vec<Option<&str>> = x.iter().map(|(_, x)| x.time.as_deref()).collect();
        let p: Params = vec![
            &ids, &idx, &start, &end, &text, &value, &qualifier, &kind, &subject, &claimant,
            &place, &time,
        ];
        c.execute(
            r#"INSERT INTO claims (doc_id, idx, start, "end", text, value, qualifier, kind,
               subject, claimant, place, time)
               SELECT * FROM UNNEST($1::text[], $2::bigint[], $3::bigint[], $4::bigint[],
               $5::text[], $6::float8[], $7::text[], $8::text[], $9::text[], $10::text[],
               $11::text[], $12::text[])"#,
            &p,
        )?;
    }
    let (ids, idx, x) = rows_of(docs, |d| &d.entities);
    if !x.is_empty() {
        let start: Vec<i64> = x.iter().map(|(_, x)| int(x.start)).collect();
        let end: Vec<i64> = x.iter().map(|(_, x)| int(x.end)).collect();
        let text: Vec<&str> = x.iter().map(|(_, x)| x.text.as_str()).collect();
        let label: Vec<&str> = x.iter().map(|(_, x)| x.label.as_str()).collect();
        let country: Vec<Option<&str>> = x.iter().map(|(_, x)| x.country.as_deref()).collect();
        let p: Params = vec![&ids, &idx, &start, &end, &text, &label, &country];
        c.execute(
            r#"INSERT INTO entities (doc_id, idx, start, "end", text, label, country)
               SELECT * FROM UNNEST($1::text[], $2::bigint[], $3::bigint[], $4::bigint[],
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
    write_events(c, &[doc])?;
    write_rows(c, &[doc])
}

/// Stores the documents of `docs` not stored yet (by anyone, committed before
/// our write lock) with all their rows, and queues them for linking; the
/// answer says, per document, whether it was inserted. A document given twice
/// is inserted once, as its first copy. Every table gets one statement for
/// the whole batch.
fn insert_documents(c: &mut impl GenericClient, docs: &[NewDocument]) -> Result<Vec<bool>, Error> {
    let mut first: HashSet<&str> = HashSet::new();
    let fresh: Vec<&NewDocument> = docs
        .iter()
        .filter(|nd| first.insert(nd.doc.id.as_str()))
        .collect();
    if fresh.is_empty() {
        return Ok(Vec::new());
    }
    let id: Vec<&str> = fresh.iter().map(|nd| nd.doc.id.as_str()).collect();
    let outlet: Vec<Option<&str>> = fresh.iter().map(|nd| nd.doc.outlet.as_deref()).collect();
    let url: Vec<Option<&str>> = fresh.iter().map(|nd| nd.doc.url.as_deref()).collect();
    let title: Vec<Option<&str>> = fresh.iter().map(|nd| nd.doc.title.as_deref()).collect();
    let language: Vec<Option<&str>> = fresh.iter().map(|nd| nd.doc.language.as_deref()).collect();
    let published: Vec<Option<&chronicle_core::Published>> =
        fresh.iter().map(|nd| nd.doc.published.as_ref()).collect();
    let date: Vec<Option<&str>> = published
        .iter()
        .map(|p| p.map(|p| p.date.as_str()))
        .collect();
    let provenance: Vec<Option<String>> = fresh.iter().map(|nd| provenance_name(&nd.doc)).collect();
    let confidence: Vec<Option<f64>> = published
        .iter()
        .map(|p| p.map(|p| p.confidence as f64))
        .collect();
    let estimated: Vec<bool> = published
        .iter()
        .map(|p| p.is_some_and(|p| p.estimated))
        .collect();
    let warnings: Vec<String> = fresh.iter().map(|nd| warnings_json(&nd.doc)).collect();
    let fingerprint: Vec<Option<&[u8]>> =
        fresh.iter().map(|nd| nd.fingerprint.as_deref()).collect();
    let duplicate_of: Vec<Option<&str>> = fresh
        .iter()
        .map(|nd| nd.duplicate_of.as_ref().map(|l| l.other_id.as_str()))
        .collect();
    let blob: Vec<Vec<u8>> = fresh.iter().map(|nd| compress(&nd.doc)).collect();
    let p: Params = vec![
        &id,
        &outlet,
        &url,
        &title,
        &language,
        &date,
        &provenance,
        &confidence,
        &estimated,
        &warnings,
        &fingerprint,
        &duplicate_of,
        &blob,
    ];
    // In batch order, so `seq` (stored order) follows it.
    let inserted: HashSet<String> = c
        .query(
            "INSERT INTO documents (id, outlet, url, title, language, published_date,
             published_provenance, published_confidence, estimated, warnings, fingerprint,
             duplicate_of, doc)
             SELECT id, outlet, url, title, language, published_date, published_provenance,
                    published_confidence, estimated, warnings, fingerprint, duplicate_of, doc
             FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                         $7::text[], $8::float8[], $9::bool[], $10::text[], $11::bytea[],
                         $12::text[], $13::bytea[])
                  WITH ORDINALITY AS u(id, outlet, url, title, language, published_date,
                         published_provenance, published_confidence, estimated, warnings,
                         fingerprint, duplicate_of, doc, n)
             ORDER BY n
             ON CONFLICT (id) DO NOTHING RETURNING id",
            &p,
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let new: Vec<&NewDocument> = fresh
        .into_iter()
        .filter(|nd| inserted.contains(&nd.doc.id))
        .collect();
    if !new.is_empty() {
        write_new(c, &new)?;
    }
    Ok(docs
        .iter()
        .map({
            let mut seen: HashSet<&str> = HashSet::new();
            move |nd| inserted.contains(&nd.doc.id) && seen.insert(nd.doc.id.as_str())
        })
        .collect())
}

/// Everything but the document row of newly inserted documents: bands, the
/// full-text row, typed rows, duplicate links, the link queue.
fn write_new(c: &mut impl GenericClient, new: &[&NewDocument]) -> Result<(), Error> {
    let (mut band, mut rows, mut band_doc) = (Vec::new(), Vec::new(), Vec::new());
    for nd in new {
        if let (None, Some(fp)) = (&nd.duplicate_of, &nd.fingerprint) {
            for (b, r) in bands(fp) {
                band.push(b);
                rows.push(r);
                band_doc.push(nd.doc.id.as_str());
            }
        }
    }
    if !band.is_empty() {
        c.execute(
            "INSERT INTO near_dup_bands (band, rows, doc_id)
             SELECT * FROM UNNEST($1::bigint[], $2::bytea[], $3::text[])
             ON CONFLICT DO NOTHING",
            &[&band, &rows, &band_doc],
        )?;
    }
    let id: Vec<&str> = new.iter().map(|nd| nd.doc.id.as_str()).collect();
    let title: Vec<&str> = new
        .iter()
        .map(|nd| nd.doc.title.as_deref().unwrap_or(""))
        .collect();
    let text: Vec<&str> = new.iter().map(|nd| nd.doc.text.as_str()).collect();
    c.execute(
        &format!(
            "INSERT INTO documents_fts (doc_id, title, text, search)
             SELECT doc_id, title, text, {SEARCH_VECTOR}
             FROM UNNEST($1::text[], $2::text[], $3::text[]) AS u(doc_id, title, text)"
        ),
        &[&id, &title, &text],
    )?;
    let docs: Vec<&Document> = new.iter().map(|nd| &nd.doc).collect();
    write_events(c, &docs)?;
    write_rows(c, &docs)?;
    let links: Vec<&DuplicateLink> = new
        .iter()
        .filter_map(|nd| nd.duplicate_of.as_ref())
        .collect();
    if !links.is_empty() {
        let doc_id: Vec<&str> = links.iter().map(|l| l.doc_id.as_str()).collect();
        let other: Vec<&str> = links.iter().map(|l| l.other_id.as_str()).collect();
        let kind: Vec<&str> = links.iter().map(|l| l.kind.as_str()).collect();
        let similarity: Vec<f64> = links.iter().map(|l| l.similarity as f64).collect();
        c.execute(
            "INSERT INTO duplicates (doc_id, other_id, kind, similarity)
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::float8[])
             ON CONFLICT DO NOTHING",
            &[&doc_id, &other, &kind, &similarity],
        )?;
    }
    for nd in new {
        link_rows::enqueue(c, &nd.doc.id)?;
    }
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
    // Typed: one round trip, no separate prepare (asked for every document
    // of a linked batch).
    let found = c.query_typed(
        "WITH ids AS (
             SELECT DISTINCT hit.doc_id
             FROM UNNEST($1::bigint[], $2::bytea[]) AS u(b, r),
             LATERAL (SELECT n.doc_id FROM near_dup_bands n
                      WHERE n.band = u.b AND n.rows = u.r LIMIT $3) AS hit)
         SELECT d.id, d.fingerprint FROM ids JOIN documents d ON d.id = ids.doc_id
         WHERE d.fingerprint IS NOT NULL AND d.duplicate_of IS NULL
         ORDER BY d.seq",
        &[
            (&band, Type::INT8_ARRAY),
            (&rows, Type::BYTEA_ARRAY),
            (&(BAND_CANDIDATES as i64), Type::INT8),
        ],
    )?;
    Ok(found.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// Records where documents were read from (a document read twice from the
/// same place is recorded once).
fn add_sources(c: &mut impl GenericClient, sources: &[(&str, &SourceRef)]) -> Result<(), Error> {
    if sources.is_empty() {
        return Ok(());
    }
    let id: Vec<&str> = sources.iter().map(|(id, _)| *id).collect();
    let path: Vec<&str> = sources.iter().map(|(_, s)| s.path.as_str()).collect();
    let format: Vec<&str> = sources.iter().map(|(_, s)| s.format.as_str()).collect();
    let record: Vec<&str> = sources
        .iter()
        .map(|(_, s)| s.record.as_deref().unwrap_or(""))
        .collect();
    c.execute(
        "INSERT INTO sources (doc_id, path, format, record)
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[])
         ON CONFLICT DO NOTHING",
        &[&id, &path, &format, &record],
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
    let inserted = insert_documents(c, docs)?;
    let mut outcome = BatchOutcome {
        documents: inserted
            .iter()
            .map(|&new| {
                if new {
                    PutOutcome::Inserted
                } else {
                    PutOutcome::AlreadyStored
                }
            })
            .collect(),
        sources: Vec::new(),
    };
    let mut located: Vec<(&str, &SourceRef)> = docs
        .iter()
        .map(|nd| (nd.doc.id.as_str(), &nd.doc.source))
        .collect();
    if !sources.is_empty() {
        let ids: Vec<&str> = sources.iter().map(|s| s.doc_id.as_str()).collect();
        let stored: HashSet<String> = c
            .query("SELECT id FROM documents WHERE id = ANY($1)", &[&ids])?
            .iter()
            .map(|r| r.get(0))
            .collect();
        for s in sources {
            let exists = stored.contains(&s.doc_id);
            if exists {
                located.push((s.doc_id.as_str(), &s.source));
            }
            outcome.sources.push(exists);
        }
    }
    add_sources(c, &located)?;
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
