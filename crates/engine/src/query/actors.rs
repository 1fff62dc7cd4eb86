//! `chronicle actors` and `GET /api/v1/actors`: coded-actor rows folded by
//! cross-document entity (one row per entity, code and role), with the entities
//! named in several documents that no coded row names.

use chronicle_store::{ActorSummary, EntityFilter, EntityRow, Store, StoreError};
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::HashMap;

/// One row of `chronicle actors`: an actor with one code and role, over the
/// documents that mention it. When linking ran, the spellings of one
/// cross-document entity (Sergei/Sergey, a surname alone) are one row under its
/// canonical name, and people and organizations named in several documents
/// without an actor code are listed too (origin `entity`).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ActorRow {
    pub actor: String,
    pub code: Option<String>,
    pub role: Option<String>,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub mentions: u64,
    pub documents: u64,
    /// The words used for it, every spelling of its entity included.
    pub variants: Vec<String>,
    /// Where the code came from: dictionary, text, entity, coreference.
    pub origins: Vec<String>,
    /// The earliest mention as `document:start-end` (bytes into its text).
    pub evidence: Option<String>,
    /// The cross-document entity (`chronicle actors` rows of one person share it).
    pub entity: Option<String>,
}

impl ActorRow {
    fn of(a: ActorSummary) -> ActorRow {
        ActorRow {
            actor: a.actor,
            code: a.code,
            role: a.role,
            first_seen: a.first_seen,
            last_seen: a.last_seen,
            mentions: a.mentions,
            documents: a.documents,
            variants: a.variants,
            origins: a.origins,
            evidence: a.evidence,
            entity: None,
        }
    }

    fn of_entity(e: &EntityRow) -> ActorRow {
        let role = e
            .roles
            .iter()
            .max_by(|a, b| (&a.last_seen, a.mentions).cmp(&(&b.last_seen, b.mentions)))
            .map(|r| r.role.clone());
        ActorRow {
            actor: e.canonical.clone(),
            code: None,
            role,
            first_seen: e.first_seen.clone(),
            last_seen: e.last_seen.clone(),
            mentions: e.mentions,
            documents: e.documents,
            variants: e.variants.clone(),
            origins: vec!["entity".into()],
            evidence: None,
            entity: Some(e.id.clone()),
        }
    }
}

fn push_unique(into: &mut Vec<String>, items: &[String]) {
    for v in items {
        if !into.iter().any(|x| x.eq_ignore_ascii_case(v)) {
            into.push(v.clone());
        }
    }
}

fn min_opt(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Folds actor rows naming one cross-document entity into one row per entity,
/// code and role, and adds the entities named in several documents that no
/// coded actor row names.
fn with_entities(actors: Vec<ActorSummary>, entities: &[EntityRow]) -> Vec<ActorRow> {
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for (k, e) in entities.iter().enumerate() {
        for n in std::iter::once(&e.canonical).chain(e.variants.iter()) {
            by_name.entry(n.to_lowercase()).or_insert(k);
        }
    }
    let mut rows: Vec<ActorRow> = Vec::new();
    let mut at: HashMap<(usize, Option<String>, Option<String>), usize> = HashMap::new();
    let mut named = vec![false; entities.len()];
    for a in actors {
        let entity = std::iter::once(&a.actor)
            .chain(a.variants.iter())
            .find_map(|n| by_name.get(&n.to_lowercase()).copied());
        let Some(k) = entity else {
            rows.push(ActorRow::of(a));
            continue;
        };
        named[k] = true;
        let e = &entities[k];
        let key = (k, a.code.clone(), a.role.as_ref().map(|r| r.to_lowercase()));
        match at.get(&key) {
            Some(&i) => {
                let r = &mut rows[i];
                r.mentions += a.mentions;
                r.documents = (r.documents + a.documents).min(e.documents.max(r.documents));
                r.first_seen = min_opt(r.first_seen.take(), a.first_seen);
                r.last_seen = r.last_seen.take().max(a.last_seen);
                r.evidence = min_opt(r.evidence.take(), a.evidence);
                push_unique(&mut r.variants, &a.variants);
                push_unique(&mut r.origins, &a.origins);
            }
            None => {
                let mut r = ActorRow::of(a);
                r.actor = e.canonical.clone();
                push_unique(&mut r.variants, &e.variants);
                r.entity = Some(e.id.clone());
                at.insert(key, rows.len());
                rows.push(r);
            }
        }
    }
    for (k, e) in entities.iter().enumerate() {
        let cross_document = e.documents > 1 || e.variants.len() > 1;
        if !named[k] && cross_document && matches!(e.label.as_str(), "PER" | "ORG") {
            rows.push(ActorRow::of_entity(e));
        }
    }
    rows.sort_by(|a, b| {
        (a.actor.to_lowercase(), &a.first_seen).cmp(&(b.actor.to_lowercase(), &b.first_seen))
    });
    rows
}

/// Every actor row, by name. Without `all`, actors known only by a generic
/// agent word ("civilians", "artillery", "the ministry": a sector word alone,
/// or a later mention of one) are left out: they name no one in particular.
pub fn actor_rows(store: &dyn Store, all: bool) -> Result<Vec<ActorRow>, StoreError> {
    let entities = store.entities(&EntityFilter::default())?;
    let mut rows = with_entities(store.actors()?, &entities);
    if !all {
        // The written-out CAMEO country table, not the dictionary-derived set
        // (which misses countries whose every entry is dated, such as IRQ).
        rows.retain(|a| {
            let generic_origin = a.origins.iter().all(|o| o == "agent" || o == "coreference");
            let sector_only = a
                .code
                .as_deref()
                .is_some_and(|c| c.len() <= 3 && !chronicle_export::cameo::is_country(c));
            !(generic_origin && sector_only)
        });
    }
    Ok(rows)
}
