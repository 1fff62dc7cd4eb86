//! The events and actor-mention tables: one row per coded event and per actor
//! mention, written with the document, so `chronicle events` and `chronicle
//! actors` filter in SQL instead of decoding every stored document.

use crate::filter::{limit, Where};
use crate::{ActorSummary, EventFilter, EventRow};
use chronicle_core::Document;
use rusqlite::{params, Connection};

pub const MIGRATION: &str = "CREATE TABLE events (
        doc_id TEXT NOT NULL REFERENCES documents(id),
        idx INTEGER NOT NULL,
        code TEXT NOT NULL,
        root TEXT NOT NULL,
        source_code TEXT, source_text TEXT, source_actor TEXT,
        target_code TEXT, target_text TEXT, target_actor TEXT,
        location TEXT,
        date TEXT,
        date_source TEXT,
        plover_type TEXT, plover_mode TEXT,
        quad_class INTEGER,
        goldstein REAL,
        modality TEXT,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        sentence TEXT NOT NULL,
        PRIMARY KEY (doc_id, idx)
    );
    CREATE INDEX events_date ON events(date);
    CREATE INDEX events_source ON events(source_code);
    CREATE INDEX events_target ON events(target_code);
    CREATE INDEX events_root ON events(root);
    CREATE TABLE actor_mentions (
        doc_id TEXT NOT NULL REFERENCES documents(id),
        idx INTEGER NOT NULL,
        text TEXT NOT NULL,
        actor TEXT,
        code TEXT,
        role TEXT,
        country TEXT,
        sector TEXT,
        origin TEXT NOT NULL,
        date TEXT,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        PRIMARY KEY (doc_id, idx)
    );
    CREATE INDEX actor_mentions_actor ON actor_mentions(actor);";

/// Replaces the rows of `doc`'s events and actor mentions.
pub fn write(tx: &Connection, doc: &Document) -> rusqlite::Result<()> {
    tx.prepare_cached("DELETE FROM events WHERE doc_id = ?1")?
        .execute([&doc.id])?;
    tx.prepare_cached("DELETE FROM actor_mentions WHERE doc_id = ?1")?
        .execute([&doc.id])?;
    let mut ev = tx.prepare_cached(
        "INSERT INTO events (doc_id, idx, code, root, source_code, source_text, source_actor,
         target_code, target_text, target_actor, location, date, date_source, plover_type,
         plover_mode, quad_class, goldstein, modality, start, end, sentence)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
    )?;
    for (i, e) in doc.events.iter().enumerate() {
        let s = e.source.as_ref();
        let t = e.target.as_ref();
        ev.execute(params![
            doc.id,
            i as i64,
            e.cameo,
            e.cameo.get(..2).unwrap_or(&e.cameo),
            e.source_actor,
            s.map(|a| a.text.clone()),
            s.and_then(|a| a.actor.clone()),
            e.target_actor,
            t.map(|a| a.text.clone()),
            t.and_then(|a| a.actor.clone()),
            e.location,
            e.date,
            e.date_source,
            e.plover_type,
            e.plover_mode,
            e.quad_class,
            e.goldstein.map(f64::from),
            e.modality,
            e.start as i64,
            e.end as i64,
            e.text,
        ])?;
    }
    let date = doc.published.as_ref().map(|p| p.date.clone());
    let mut am = tx.prepare_cached(
        "INSERT INTO actor_mentions (doc_id, idx, text, actor, code, role, country, sector, origin, date, start, end)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    for (i, a) in doc.actors.iter().enumerate() {
        am.execute(params![
            doc.id,
            i as i64,
            a.text,
            a.actor,
            a.code,
            a.role,
            a.country,
            a.sector,
            a.origin,
            date,
            a.start as i64,
            a.end as i64,
        ])?;
    }
    Ok(())
}

/// The event listing's filter over events `e`, the same on every backend (`w`
/// writes it in the backend's words).
pub(crate) fn event_clauses(w: &mut Where, f: &EventFilter) {
    w.starts_with_any(&["e.source_code", "e.target_code"], f.actor.as_deref())
        .dyad(
            "e.source_code",
            "e.target_code",
            f.actor.as_deref(),
            f.other.as_deref(),
        )
        .prefix_range("e.code", f.code.as_deref())
        .equals("e.plover_type", f.plover_type.as_deref())
        .period("e.date", f.from.as_deref(), f.to.as_deref());
}

/// Every filter is on the event, so events drive the join (`CROSS JOIN` fixes the
/// order): by `events_by_date` when unfiltered, so a `LIMIT` stops early.
pub fn query(conn: &Connection, f: &EventFilter) -> rusqlite::Result<Vec<EventRow>> {
    let mut sql = String::from(
        "SELECT e.doc_id, e.idx, e.code, e.source_code, e.source_text, e.source_actor,
         e.target_code, e.target_text, e.target_actor, e.location, e.date, e.date_source,
         e.plover_type, e.plover_mode, e.quad_class, e.goldstein, e.modality, e.start, e.end,
         e.sentence, d.url, d.published_date
         FROM events e CROSS JOIN documents d ON d.id = e.doc_id",
    );
    let mut w = Where::default();
    event_clauses(&mut w, f);
    sql.push_str(&w.sql());
    sql.push_str(" ORDER BY e.date, e.doc_id, e.idx");
    sql.push_str(&limit(f.limit));
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(w.args(), |r| {
        Ok(EventRow {
            doc_id: r.get(0)?,
            index: r.get::<_, i64>(1)? as usize,
            code: r.get(2)?,
            source_code: r.get(3)?,
            source_text: r.get(4)?,
            source_actor: r.get(5)?,
            target_code: r.get(6)?,
            target_text: r.get(7)?,
            target_actor: r.get(8)?,
            location: r.get(9)?,
            date: r.get(10)?,
            date_source: r.get(11)?,
            plover_type: r.get(12)?,
            plover_mode: r.get(13)?,
            quad_class: r.get(14)?,
            goldstein: r.get::<_, Option<f64>>(15)?.map(|g| g as f32),
            modality: r.get(16)?,
            start: r.get::<_, i64>(17)? as usize,
            end: r.get::<_, i64>(18)? as usize,
            sentence: r.get(19)?,
            url: r.get(20)?,
            published: r.get(21)?,
        })
    })?;
    rows.collect()
}

/// One row per (actor, code, role): first and last dates seen, mention count and
/// the name variants used.
pub fn actors(conn: &Connection) -> rusqlite::Result<Vec<ActorSummary>> {
    let mut stmt = conn.prepare(
        "SELECT COALESCE(actor, text), code, role, MIN(date), MAX(date), COUNT(*),
                json_group_array(DISTINCT text), group_concat(DISTINCT origin),
                COUNT(DISTINCT doc_id), MIN(COALESCE(date, '') || ' ' || doc_id || ':' || start || '-' || end)
         FROM actor_mentions
         WHERE code IS NOT NULL
         GROUP BY COALESCE(actor, text) COLLATE NOCASE, code, role COLLATE NOCASE
         ORDER BY COALESCE(actor, text) COLLATE NOCASE, MIN(date)",
    )?;
    let rows = stmt.query_map([], |r| {
        let split = |s: Option<String>| -> Vec<String> {
            s.map(|s| s.split(',').map(str::to_string).collect())
                .unwrap_or_default()
        };
        Ok(ActorSummary {
            actor: r.get(0)?,
            code: r.get(1)?,
            role: r.get(2)?,
            first_seen: r.get(3)?,
            last_seen: r.get(4)?,
            mentions: r.get::<_, i64>(5)? as u64,
            // A JSON array: a name can hold commas ("foreign minister, Ilsa Varnay").
            variants: serde_json::from_str(&r.get::<_, String>(6)?).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    6,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                )
            })?,
            origins: split(r.get(7)?),
            documents: r.get::<_, i64>(8)? as u64,
            // "date doc:start-end" of the earliest mention; the date is dropped.
            evidence: r
                .get::<_, Option<String>>(9)?
                .and_then(|e| e.split_once(' ').map(|(_, rest)| rest.to_string())),
        })
    })?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use crate::{EventFilter, NewDocument, SqliteStore, Store};
    use chronicle_core::{ActorMention, Document, Event, EventActor};

    fn event(code: &str, src: &str, tgt: &str, date: &str) -> Event {
        let actor = |c: &str| EventActor {
            text: c.into(),
            code: Some(c.into()),
            actor: None,
            start: 0,
            end: 4,
        };
        Event {
            start: 0,
            end: 10,
            text: "Ruritania.".into(),
            source_actor: Some(src.into()),
            target_actor: Some(tgt.into()),
            cameo: code.into(),
            plover_type: None,
            plover_mode: None,
            quad_class: Some(4),
            goldstein: Some(-10.0),
            location: None,
            date: Some(date.into()),
            date_source: Some("published".into()),
            source: Some(actor(src)),
            target: Some(actor(tgt)),
            verb: None,
            modality: Some("asserted".into()),
        }
    }

    /// A name written with a comma stays one variant.
    #[test]
    fn variants_keep_their_commas() {
        let mut d = Document::from_text("e2", "e.txt", "foreign minister, Ilsa Varnay spoke.");
        d.actors = vec![ActorMention {
            start: 0,
            end: 29,
            text: "foreign minister, Ilsa Varnay".into(),
            code: Some("TALGOV".into()),
            actor: Some("Ilsa Varnay".into()),
            role: None,
            country: None,
            sector: Some("GOV".into()),
            origin: "text".into(),
        }];
        let mut s = SqliteStore::open_in_memory().unwrap();
        s.put_batch(&[NewDocument {
            doc: d,
            fingerprint: None,
            duplicate_of: None,
        }])
        .unwrap();
        let actors = s.actors().unwrap();
        assert_eq!(actors[0].variants, ["foreign minister, Ilsa Varnay"]);
    }

    #[test]
    fn events_and_actors_are_queryable() {
        let mut d = Document::from_text("e1", "e.txt", "Ruritania.");
        d.events = vec![
            event("190", "RURMIL", "GRA", "2016-10-01"),
            event("042", "GRAGOV", "RUR", "2016-10-05"),
        ];
        d.actors = vec![ActorMention {
            start: 0,
            end: 4,
            text: "Ruri".into(),
            code: Some("RURGOV".into()),
            actor: Some("Ruri Ruritanian".into()),
            role: Some("Foreign Minister".into()),
            country: Some("RUR".into()),
            sector: Some("GOV".into()),
            origin: "text".into(),
        }];
        let mut s = SqliteStore::open_in_memory().unwrap();
        s.put_batch(&[NewDocument {
            doc: d.clone(),
            fingerprint: None,
            duplicate_of: None,
        }])
        .unwrap();
        let all = s.events(&EventFilter::default()).unwrap();
        assert_eq!(all.len(), 2);
        let rur = s
            .events(&EventFilter {
                actor: Some("RUR".into()),
                code: Some("19".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(rur.len(), 1);
        assert_eq!(rur[0].target_code.as_deref(), Some("GRA"));
        let dated = s
            .events(&EventFilter {
                from: Some("2016-10-02".into()),
                to: Some("2016-10-05".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(dated.len(), 1);
        assert_eq!(dated[0].code, "042");
        let actors = s.actors().unwrap();
        assert_eq!(actors[0].role.as_deref(), Some("Foreign Minister"));
        assert_eq!(actors[0].evidence.as_deref(), Some("e1:0-4"));
        assert_eq!(actors[0].variants, ["Ruri"]);
        // Re-annotation replaces the rows.
        d.events.truncate(1);
        s.update_document(&d).unwrap();
        assert_eq!(s.events(&EventFilter::default()).unwrap().len(), 1);
    }
}
