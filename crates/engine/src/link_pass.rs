//! The link pass: documents stored but not yet linked are linked in stored order
//! (deterministic), a step of at most [`LINK_BATCH`] documents at a time, each
//! step written in one transaction (`Store::put_links`). A crash between storing
//! and linking leaves documents pending; the next ingest or `relink` links them.
//!
//! Per document: its story (H1's flow over the store's postings; a near
//! duplicate joins its original's story and counts as a mention, not an
//! article), its entity mentions resolved to cross-document entities (H2, by
//! name keys), its event mentions attached to the story's merged events (H2),
//! its date checked against the story's reports (H3; re-dated documents are
//! re-resolved with `redate`), its quotes given statement ids and its claims
//! tied to merged events. Every candidate list is capped; a cap that cuts is
//! reported, so a 10,000-document story stays usable and says so.

use crate::story_backend::StoreStories;
use crate::{EngineError, IngestEvent};
use chronicle_core::{DateProvenance, Document};
use chronicle_link::coref::{
    self, names, EntityMention, EntityProfile, EventMention, MergedEventProfile,
};
use chronicle_link::dating::{self, PeerEvent};
use chronicle_link::stories::{self, DocProfile};
use chronicle_store::{
    ClaimContextWrite, ClaimEventWrite, DateCorrection, EntityMentionWrite, EntityWrite,
    EventMentionWrite, LinkBatch, MergedEventWrite, PendingDocument, StatementWrite, Store,
    StoreError, StoryDocumentWrite, StoryMergeWrite,
};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::time::Instant;

/// Documents per link step (one transaction). A step holds the profiles it
/// read and changed until it writes them, tens of KB each: adding 512
/// documents to a 21,000-document store peaked at 430 MB with 256-document
/// steps, 215 MB with 32 and 188 MB with 16, for about a quarter more link
/// time (noisy; a step's fixed reads and its commit). Once steps dropped
/// what they read and left unchanged, 16 peaked at 171 MB, 8 at 167 and 4 at
/// 165 (without linking 142). The size moves a few capped candidate lists
/// (which of a key's entities come capped from the store and which are the
/// step's own): 8 rather than 16 attached 6 of those 512 documents' 9,797
/// entity mentions elsewhere.
pub const LINK_BATCH: usize = 8;
/// Merged events of a story a new mention is compared with (the most recently
/// extended).
pub const EVENT_CANDIDATES: usize = 32;
/// Entities a mention is compared with (sharing the most name keys).
pub const ENTITY_CANDIDATES: usize = 8;
/// Entity profiles read and left unchanged that a step keeps between its
/// documents. A profile holds sample mentions with their sentence's lemmas and
/// their document's names (tens of KB with its key sets); a step reading every
/// candidate of every key of 256 documents held hundreds of MB.
const CLEAN_ENTITIES: usize = 128;
/// A speaker's latest statements in a story a quote is compared with.
pub const STATEMENT_CANDIDATES: usize = 32;
/// Other mentions of a merged event read as dating peers.
pub const PEER_MENTIONS: usize = 8;
/// A story's reports read as dating peers when no event is shared.
pub const PEER_REPORTS: usize = 32;
/// Word overlap (Jaccard) at which two quotes of one speaker are one statement.
pub const STATEMENT_JACCARD: f32 = 0.6;
/// Cap notes kept in the report (all are counted and sent as events).
const CAP_NOTES: usize = 20;
/// Times a step refused because another writer linked first is redone.
const RETRIES: usize = 5;

/// How ingest links.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct LinkSettings {
    /// Link after every stored batch (`false`: documents stay pending until a
    /// later ingest or `relink`).
    pub link: bool,
}

impl Default for LinkSettings {
    fn default() -> Self {
        LinkSettings { link: true }
    }
}

/// A candidate list cut at its cap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CapNote {
    pub document: String,
    /// `stories`, `merged-events`, `entities`.
    pub what: String,
    pub cap: usize,
}

/// What linking did. Fields are only ever added.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LinkReport {
    pub documents: usize,
    /// Near duplicates that joined their original's story.
    pub copies: usize,
    pub stories_started: usize,
    pub stories_joined: usize,
    pub story_merges: usize,
    pub merged_events_started: usize,
    pub event_mentions: usize,
    pub entities_started: usize,
    pub entity_mentions: usize,
    pub statements_shared: usize,
    pub date_corrections: usize,
    /// Candidate lists cut at their cap (each also sent as an event).
    pub cap_hits: usize,
    /// The first cap hits.
    pub caps: Vec<CapNote>,
    /// Steps redone because another writer linked first.
    pub retries: usize,
    pub steps: usize,
    pub seconds: f64,
    /// Seconds spent per part of linking (reading the step's documents,
    /// stories, entities, events, dating, other, writing the step), to show
    /// where the time goes.
    pub phase_seconds: BTreeMap<String, f64>,
}

impl LinkReport {
    fn add(&mut self, o: &LinkReport) {
        self.documents += o.documents;
        self.copies += o.copies;
        self.stories_started += o.stories_started;
        self.stories_joined += o.stories_joined;
        self.story_merges += o.story_merges;
        self.merged_events_started += o.merged_events_started;
        self.event_mentions += o.event_mentions;
        self.entities_started += o.entities_started;
        self.entity_mentions += o.entity_mentions;
        self.statements_shared += o.statements_shared;
        self.date_corrections += o.date_corrections;
        for (k, v) in &o.phase_seconds {
            *self.phase_seconds.entry(k.clone()).or_default() += v;
        }
        self.cap_hits += o.cap_hits;
        for c in &o.caps {
            if self.caps.len() < CAP_NOTES {
                self.caps.push(c.clone());
            }
        }
        self.steps += 1;
    }

    fn time(&mut self, phase: &str, since: Instant) {
        *self.phase_seconds.entry(phase.to_string()).or_default() += since.elapsed().as_secs_f64();
    }

    fn cap(&mut self, document: &str, what: &str, cap: usize) {
        self.cap_hits += 1;
        self.caps.push(CapNote {
            document: document.to_string(),
            what: what.to_string(),
            cap,
        });
    }
}

fn store_err(doing: &'static str) -> impl Fn(StoreError) -> EngineError {
    move |source| EngineError::Store { doing, source }
}

/// Links every pending document, a step at a time. `fresh` holds documents the
/// caller has in hand (just stored), so they are not read back.
pub(crate) fn link_pending(
    store: &mut dyn Store,
    fresh: &mut HashMap<String, Document>,
    report: &mut LinkReport,
    on_event: &mut dyn FnMut(&IngestEvent),
) -> Result<(), EngineError> {
    let started = Instant::now();
    loop {
        let pending = store
            .unlinked_documents(LINK_BATCH)
            .map_err(store_err("listing documents to link"))?;
        if pending.is_empty() {
            break;
        }
        let mut tries = 0;
        loop {
            let generation = store
                .link_generation()
                .map_err(store_err("reading the link generation"))?;
            let (mut batch, mut step) =
                build_step(&*store, &pending, fresh).map_err(store_err("linking documents"))?;
            batch.generation = generation;
            let t = Instant::now();
            let written = store
                .put_links(&batch)
                .map_err(store_err("writing links"))?;
            step.time("writing", t);
            if written {
                for c in &step.caps {
                    on_event(&IngestEvent::LinkCapped(c.clone()));
                }
                report.add(&step);
                on_event(&IngestEvent::Linked {
                    documents: report.documents,
                });
                break;
            }
            tries += 1;
            report.retries += 1;
            if tries >= RETRIES {
                // Another writer keeps linking: it links these documents too.
                report.seconds += started.elapsed().as_secs_f64();
                return Ok(());
            }
        }
        for p in &pending {
            fresh.remove(&p.doc_id);
        }
    }
    report.seconds += started.elapsed().as_secs_f64();
    Ok(())
}

/// Clears the cross-document layer and links every stored document again, in
/// stored order (one command after a model change).
pub fn relink(
    store: &mut dyn Store,
    _settings: &LinkSettings,
    on_event: &mut dyn FnMut(&IngestEvent),
) -> Result<LinkReport, EngineError> {
    store
        .clear_links()
        .map_err(store_err("clearing links for relinking"))?;
    let mut report = LinkReport::default();
    link_pending(store, &mut HashMap::new(), &mut report, on_event)?;
    Ok(report)
}

/// Links the documents already stored but not linked (after a crash, or an
/// ingest run without linking).
pub fn link_unlinked(
    store: &mut dyn Store,
    on_event: &mut dyn FnMut(&IngestEvent),
) -> Result<LinkReport, EngineError> {
    let mut report = LinkReport::default();
    link_pending(store, &mut HashMap::new(), &mut report, on_event)?;
    Ok(report)
}

/// Ids changed in this step, in the order first changed (the order they are
/// written in); a set beside the list so marking stays constant-time.
#[derive(Default)]
struct Dirty {
    order: Vec<String>,
    seen: HashSet<String>,
}

impl Dirty {
    fn mark(&mut self, id: &str) {
        if self.seen.insert(id.to_string()) {
            self.order.push(id.to_string());
        }
    }

    fn take(&mut self) -> Vec<String> {
        self.seen.clear();
        std::mem::take(&mut self.order)
    }
}

/// Merged events read or made in this step.
#[derive(Default)]
struct Events {
    /// Story → its merged events, oldest first (the store's most recent, then this step's).
    by_story: HashMap<String, Vec<String>>,
    profiles: HashMap<String, MergedEventProfile>,
    story_of: HashMap<String, String>,
    /// Events that existed before this step (their other mentions are stored).
    stored: HashSet<String>,
    capped: HashSet<String>,
    dirty: Dirty,
    /// Merged event → mentions made in this step (peers for dating).
    step_mentions: HashMap<String, Vec<PeerEvent>>,
}

/// Entities read or made in this step.
#[derive(Default)]
struct Entities {
    profiles: HashMap<String, EntityProfile>,
    by_key: HashMap<String, BTreeSet<String>>,
    loaded_keys: HashSet<String>,
    dirty: Dirty,
}

impl Entities {
    /// Drops the profiles read but not changed in this step once they pass
    /// [`CLEAN_ENTITIES`]. The store still holds them as read (a step writes
    /// at its end), so a later document re-reads the same candidates: the
    /// bound changes memory, never a decision.
    fn evict_clean(&mut self) {
        if self.profiles.len() <= self.dirty.seen.len() + CLEAN_ENTITIES {
            return;
        }
        let dirty = &self.dirty.seen;
        self.profiles.retain(|id, _| dirty.contains(id));
        for ids in self.by_key.values_mut() {
            ids.retain(|id| dirty.contains(id));
        }
        self.by_key.retain(|_, ids| !ids.is_empty());
        self.loaded_keys.clear();
    }
}

/// A statement id and the words of its first report.
type Said = (String, BTreeSet<String>);

/// Statements read or made in this step, by (story, speaker key).
#[derive(Default)]
struct Statements {
    by_speaker: HashMap<(String, String), Vec<Said>>,
}

struct Step<'s> {
    store: &'s dyn Store,
    stories: StoreStories<'s>,
    events: Events,
    entities: Entities,
    statements: Statements,
    /// Document → story (as assigned) of this step.
    assigned: HashMap<String, String>,
    /// Document → (outlet, published) of this step, for dating peers.
    step_docs: HashMap<String, (Option<String>, Option<String>)>,
    batch: LinkBatch,
    report: LinkReport,
}

fn build_step(
    store: &dyn Store,
    pending: &[PendingDocument],
    fresh: &mut HashMap<String, Document>,
) -> Result<(LinkBatch, LinkReport), StoreError> {
    let mut step = Step {
        store,
        stories: StoreStories::new(store)?,
        events: Events::default(),
        entities: Entities::default(),
        statements: Statements::default(),
        assigned: HashMap::new(),
        step_docs: HashMap::new(),
        batch: LinkBatch::default(),
        report: LinkReport::default(),
    };
    let t = Instant::now();
    let mut loaded = Vec::with_capacity(pending.len());
    for p in pending {
        // Taken, not copied: an annotated document is large, and a step that
        // must be redone reads the stored copy instead.
        let doc = match fresh.remove(&p.doc_id) {
            Some(d) => Some(d),
            None => match store.get(&p.doc_id) {
                Ok(d) => d,
                // An unreadable document still takes its place (a story of its
                // own); `check` reports the blob.
                Err(StoreError::Corrupt { .. }) => None,
                Err(e) => return Err(e),
            },
        };
        loaded.push((p, doc));
    }
    step.report.time("reading", t);
    // A document whose own date is in doubt is linked after the step's others
    // (stable, so still deterministic): a stale header that arrives first would
    // otherwise find no dated peers, and its story could not correct it.
    loaded.sort_by_key(|(_, doc)| doc.as_ref().is_some_and(in_doubt));
    for (p, doc) in loaded {
        step.link_document(p, doc)?;
        if let Some(e) = step.stories.take_error() {
            return Err(e);
        }
        step.entities.evict_clean();
        step.stories.evict_clean();
        // The samples' key sets are rebuilt when next scored: held for every
        // profile a step keeps, they took about as much as the profiles.
        for p in step.entities.profiles.values_mut() {
            p.forget_keys();
        }
        for p in step.events.profiles.values_mut() {
            p.forget_keys();
        }
    }
    step.finish()
}

/// A document's profile for story linking. A document whose own date is in
/// doubt (`date_conflict`: a stale header) is placed by its content alone, so
/// the story's reports can date it.
fn profile_of(doc: &Document) -> DocProfile {
    let mut p = DocProfile::of(doc);
    if in_doubt(doc) {
        p.date = None;
        p.keys
            .retain(|k, _| !k.starts_with("y:") && !k.starts_with("m:"));
    }
    p
}

/// The document's own date is in doubt: its text contradicts its header.
fn in_doubt(doc: &Document) -> bool {
    doc.warnings.iter().any(|w| w.code == "date_conflict")
}

fn empty_profile(doc_id: &str) -> DocProfile {
    DocProfile {
        doc_id: doc_id.to_string(),
        date: None,
        outlet: None,
        title: None,
        keys: BTreeMap::new(),
        actors: BTreeMap::new(),
        places: BTreeMap::new(),
    }
}

fn published(doc: &Document) -> Option<String> {
    doc.published.as_ref().map(|p| p.date.clone())
}

/// Lower-case words of a quote, for comparing statements.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f32 {
    let inter = a.intersection(b).count();
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f32 / union as f32
    }
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

impl Step<'_> {
    fn link_document(
        &mut self,
        p: &PendingDocument,
        doc: Option<Document>,
    ) -> Result<(), StoreError> {
        self.report.documents += 1;
        self.batch.linked.push(p.doc_id.clone());
        let Some(mut doc) = doc else {
            let a = stories::link_document(&mut self.stories, &empty_profile(&p.doc_id))?;
            self.report.stories_started += 1;
            self.join(&p.doc_id, &a.story, 1.0, None, None, None);
            return Ok(());
        };
        let t = Instant::now();
        // A copy joins its original's story.
        let original_story = match &p.duplicate_of {
            Some(orig) => match self.assigned.get(orig) {
                Some(s) => self.stories.resolve(s)?,
                None => match self.store.story_of_document(orig)? {
                    Some(s) => self.stories.resolve(&s)?,
                    None => None,
                },
            },
            None => None,
        };
        let (story, score, copy_of) = match original_story {
            Some(s) => {
                self.report.copies += 1;
                (s, 1.0, p.duplicate_of.clone())
            }
            None => {
                let profile = profile_of(&doc);
                self.stories.prefetch_doc_freqs(profile.keys.keys());
                let a = stories::link_document(&mut self.stories, &profile)?;
                if a.cap_hit {
                    self.report.cap(&doc.id, "stories", stories::CANDIDATE_CAP);
                }
                match a.score {
                    Some(_) => self.report.stories_joined += 1,
                    None => self.report.stories_started += 1,
                }
                (a.story, a.score.unwrap_or(1.0), None)
            }
        };
        self.report.time("stories", t);
        let t = Instant::now();
        let entity_of = self.link_entities(&doc)?;
        self.report.time("entities", t);
        let t = Instant::now();
        let merged = self.link_events(&doc, &story)?;
        self.report.time("events", t);
        let t = Instant::now();
        let corrected = self.date(&mut doc, &story, &merged)?;
        self.report.time("dating", t);
        let t = Instant::now();
        if corrected {
            self.report.date_corrections += 1;
        }
        self.event_rows(&doc, &merged, &entity_of, copy_of.as_deref());
        self.entity_rows(&doc, &entity_of);
        self.statements(&doc, &story, &entity_of)?;
        self.claims(&doc, &merged);
        // A date still in doubt is no evidence for the story's other reports.
        let date = published(&doc).filter(|_| !in_doubt(&doc));
        self.join(&doc.id, &story, score, copy_of, doc.outlet.clone(), date);
        if corrected {
            self.batch.updated_documents.push(doc);
        }
        self.report.time("other", t);
        Ok(())
    }

    fn join(
        &mut self,
        doc_id: &str,
        story: &str,
        score: f32,
        copy_of: Option<String>,
        outlet: Option<String>,
        date: Option<String>,
    ) {
        self.assigned.insert(doc_id.to_string(), story.to_string());
        self.step_docs
            .insert(doc_id.to_string(), (outlet.clone(), date.clone()));
        self.batch.story_documents.push(StoryDocumentWrite {
            story_id: story.to_string(),
            doc_id: doc_id.to_string(),
            score,
            copy_of,
            outlet,
            date,
        });
    }

    /// Resolves each entity mention to a cross-document entity; returns the
    /// mentions with their entity ids.
    fn link_entities(
        &mut self,
        doc: &Document,
    ) -> Result<Vec<(EntityMention, String)>, StoreError> {
        let mut out = Vec::new();
        let mut capped = false;
        for m in coref::entity_mentions(doc) {
            if names::is_pronoun(&m.text) {
                continue;
            }
            let mut keys = coref::name_keys(&m.text);
            if let Some(r) = &m.role {
                keys.push(format!("r:{}", r.to_lowercase()));
            }
            keys.sort();
            keys.dedup();
            if keys.is_empty() {
                continue;
            }
            let (candidates, cut) = self.entity_candidates(&keys)?;
            capped |= cut;
            let chosen = coref::attach_entity(&m, &candidates);
            self.entities.profiles.extend(candidates);
            let id = match chosen {
                Some(id) => id,
                None => {
                    self.report.entities_started += 1;
                    format!("entity-{}-{}", doc.id, m.start)
                }
            };
            let profile = self
                .entities
                .profiles
                .entry(id.clone())
                .and_modify(|p| p.absorb(&m))
                .or_insert_with(|| EntityProfile::start(&m));
            for k in profile.keys() {
                self.entities
                    .by_key
                    .entry(k)
                    .or_default()
                    .insert(id.clone());
            }
            self.entities.dirty.mark(&id);
            self.report.entity_mentions += 1;
            out.push((m, id));
        }
        if capped {
            self.report.cap(&doc.id, "entities", ENTITY_CANDIDATES);
        }
        Ok(out)
    }

    /// Entities sharing the most keys, then by id, at most [`ENTITY_CANDIDATES`].
    fn entity_candidates(
        &mut self,
        keys: &[String],
    ) -> Result<(Vec<(String, EntityProfile)>, bool), StoreError> {
        let mut capped = false;
        for k in keys {
            if !self.entities.loaded_keys.insert(k.clone()) {
                continue;
            }
            let found = self
                .store
                .entity_candidates(std::slice::from_ref(k), ENTITY_CANDIDATES)?;
            capped |= found.capped;
            for e in found.entities {
                self.entities
                    .by_key
                    .entry(k.clone())
                    .or_default()
                    .insert(e.id.clone());
                if !self.entities.profiles.contains_key(&e.id) {
                    if let Ok(p) = serde_json::from_slice::<EntityProfile>(&e.profile) {
                        self.entities.profiles.insert(e.id.clone(), p);
                    }
                }
            }
        }
        let mut shared: BTreeMap<&String, usize> = BTreeMap::new();
        for k in keys {
            for id in self.entities.by_key.get(k).into_iter().flatten() {
                *shared.entry(id).or_default() += 1;
            }
        }
        let mut ranked: Vec<(&String, usize)> = shared.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        if ranked.len() > ENTITY_CANDIDATES {
            capped = true;
            ranked.truncate(ENTITY_CANDIDATES);
        }
        let ids: Vec<String> = ranked.into_iter().map(|(id, _)| id.clone()).collect();
        // Moved out, not cloned (profiles hold sample mentions); `link_entities`
        // puts them back.
        let out = ids
            .into_iter()
            .filter_map(|id| self.entities.profiles.remove(&id).map(|p| (id, p)))
            .collect();
        Ok((out, capped))
    }

    /// The story's merged events a mention is compared with: the most recently
    /// extended, stories merged in this step included.
    fn event_candidates(
        &mut self,
        story: &str,
    ) -> Result<(Vec<(String, MergedEventProfile)>, bool), StoreError> {
        let mut sources = vec![story.to_string()];
        for m in &self.stories.merges {
            if self.stories.resolve(&m.kept)?.as_deref() == Some(story) {
                sources.push(m.absorbed.clone());
            }
        }
        let mut capped = false;
        let mut ids: Vec<String> = Vec::new();
        for s in &sources {
            if !self.events.by_story.contains_key(s) {
                let found = self.store.merged_event_candidates(s, EVENT_CANDIDATES)?;
                if found.capped {
                    self.events.capped.insert(s.clone());
                }
                let mut list = Vec::new();
                // Oldest first, so this step's events go at the newest end.
                for e in found.events.into_iter().rev() {
                    if let Ok(p) = serde_json::from_slice::<MergedEventProfile>(&e.profile) {
                        self.events.profiles.insert(e.id.clone(), p);
                        self.events.story_of.insert(e.id.clone(), s.clone());
                        self.events.stored.insert(e.id.clone());
                        list.push(e.id);
                    }
                }
                self.events.by_story.insert(s.clone(), list);
            }
            capped |= self.events.capped.contains(s);
            ids.extend(self.events.by_story[s].iter().cloned());
        }
        if ids.len() > EVENT_CANDIDATES {
            capped = true;
            ids = ids.split_off(ids.len() - EVENT_CANDIDATES);
        }
        // Moved out, not cloned; `link_events` puts them back.
        let out = ids
            .into_iter()
            .filter_map(|id| self.events.profiles.remove(&id).map(|p| (id, p)))
            .collect();
        Ok((out, capped))
    }

    /// Attaches each event mention to a merged event of the story (or starts
    /// one); returns the merged id per event index.
    fn link_events(&mut self, doc: &Document, story: &str) -> Result<Vec<String>, StoreError> {
        let mut mentions: Vec<EventMention> = coref::event_mentions(doc);
        if in_doubt(doc) {
            // Dates read off a stale header are no evidence against the peers'.
            // Relative expressions ("on Monday") were read against that header
            // too: only a date the text states without an anchor stays.
            for m in mentions.iter_mut() {
                let stated = m.date.as_deref().is_some_and(|d| {
                    doc.times
                        .iter()
                        .any(|t| t.anchor.is_none() && t.value == d && t.value.len() == 10)
                });
                if !stated {
                    m.date = None;
                }
            }
        }
        let mut out = Vec::with_capacity(mentions.len());
        let mut capped = false;
        for (i, m) in mentions.iter().enumerate() {
            let (candidates, cut) = self.event_candidates(story)?;
            capped |= cut;
            let chosen = coref::attach_event(m, &candidates);
            self.events.profiles.extend(candidates);
            let id = match chosen {
                Some(id) => id,
                None => {
                    let id = format!("event-{}-{i}", doc.id);
                    self.report.merged_events_started += 1;
                    self.events
                        .by_story
                        .entry(story.to_string())
                        .or_default()
                        .push(id.clone());
                    self.events.story_of.insert(id.clone(), story.to_string());
                    id
                }
            };
            self.events
                .profiles
                .entry(id.clone())
                .and_modify(|p| p.absorb(m))
                .or_insert_with(|| MergedEventProfile::start(m));
            // Most recently extended last, as the store orders candidates.
            if let Some(list) = self
                .events
                .story_of
                .get(&id)
                .and_then(|s| self.events.by_story.get_mut(s))
            {
                if let Some(pos) = list.iter().position(|x| *x == id) {
                    let x = list.remove(pos);
                    list.push(x);
                }
            }
            self.events.dirty.mark(&id);
            self.report.event_mentions += 1;
            out.push(id);
        }
        if capped {
            self.report.cap(&doc.id, "merged-events", EVENT_CANDIDATES);
        }
        Ok(out)
    }

    /// Dates a document from its story (H3): a conflicting or missing date gets
    /// the estimate, the document is re-resolved against it. `true` if re-dated.
    fn date(
        &mut self,
        doc: &mut Document,
        story: &str,
        merged: &[String],
    ) -> Result<bool, StoreError> {
        let mut peers: Vec<PeerEvent> = Vec::new();
        for (i, id) in merged.iter().enumerate() {
            if self.events.stored.contains(id) {
                for m in self.store.merged_event_mentions(id, Some(PEER_MENTIONS))? {
                    if m.date_in_doubt {
                        continue;
                    }
                    if let Some(date) = m.date {
                        peers.push(PeerEvent {
                            doc_id: m.document,
                            outlet: m.outlet,
                            event: Some(i),
                            date,
                            date_source: m.date_source,
                            published: m.published,
                        });
                    }
                }
            }
            for p in self.events.step_mentions.get(id).into_iter().flatten() {
                peers.push(PeerEvent {
                    event: Some(i),
                    ..p.clone()
                });
            }
        }
        peers.retain(|p| p.doc_id != doc.id);
        if !peers.iter().any(|p| p.event.is_some()) {
            // No shared event: the story's other reports (their dates only).
            for d in self.store.story_documents(story, Some(PEER_REPORTS))? {
                if d.date_in_doubt {
                    continue;
                }
                if let Some(date) = d.published {
                    peers.push(PeerEvent {
                        doc_id: d.doc_id,
                        outlet: d.outlet,
                        event: None,
                        date: date.clone(),
                        date_source: None,
                        published: Some(date),
                    });
                }
            }
            for (other, s) in &self.assigned {
                if self.stories.resolve(s)?.as_deref() != Some(story) {
                    continue;
                }
                if let Some((outlet, Some(date))) = self.step_docs.get(other) {
                    peers.push(PeerEvent {
                        doc_id: other.clone(),
                        outlet: outlet.clone(),
                        event: None,
                        date: date.clone(),
                        date_source: None,
                        published: Some(date.clone()),
                    });
                }
            }
            peers.retain(|p| p.doc_id != doc.id);
            // Deterministic order whatever the map's.
            peers.sort_by(|a, b| a.doc_id.cmp(&b.doc_id));
            peers.dedup_by(|a, b| a.doc_id == b.doc_id);
        }
        let previous = published(doc);
        let estimate = if peers.is_empty() {
            None
        } else {
            dating::estimate(doc, &peers)
        };
        let Some(sd) = estimate else {
            self.keep_story_date(doc, story);
            return Ok(false);
        };
        dating::apply(doc, &sd);
        // A date `apply` wrote is a day: redate cannot refuse it; if it did, the
        // document keeps its old times, still dated by the story.
        let _ = chronicle_annotate::redate(doc, &sd.date);
        self.batch.date_corrections.push(DateCorrection {
            doc_id: doc.id.clone(),
            story_id: story.to_string(),
            stated: doc.stated_date.as_ref().and_then(|s| s.date.clone()),
            previous,
            corrected: sd.date.clone(),
            evidence: sd.evidence_docs.clone(),
            reason: sd.reason.clone(),
        });
        Ok(true)
    }

    /// A document re-dated by an earlier link (before a relink) keeps its
    /// correction on record.
    fn keep_story_date(&mut self, doc: &Document, story: &str) {
        let Some(p) = doc
            .published
            .as_ref()
            .filter(|p| p.provenance == DateProvenance::Story)
        else {
            return;
        };
        let reason = doc
            .date_evidence
            .iter()
            .rev()
            .find(|e| e.provenance == DateProvenance::Story)
            .map(|e| e.verbatim.clone())
            .unwrap_or_default();
        self.batch.date_corrections.push(DateCorrection {
            doc_id: doc.id.clone(),
            story_id: story.to_string(),
            stated: doc.stated_date.as_ref().and_then(|s| s.date.clone()),
            previous: doc.stated_date.as_ref().and_then(|s| s.date.clone()),
            corrected: p.date.clone(),
            evidence: Vec::new(),
            reason,
        });
    }

    fn event_rows(
        &mut self,
        doc: &Document,
        merged: &[String],
        entity_of: &[(EntityMention, String)],
        copy_of: Option<&str>,
    ) {
        let entity_at = |start: usize, end: usize| {
            entity_of
                .iter()
                .find(|(m, _)| overlaps((m.start, m.end), (start, end)))
                .map(|(_, id)| id.clone())
        };
        for (i, (ev, id)) in doc.events.iter().zip(merged).enumerate() {
            self.batch.event_mentions.push(EventMentionWrite {
                merged_id: id.clone(),
                doc_id: doc.id.clone(),
                idx: i,
                outlet: doc.outlet.clone(),
                copy_of: copy_of.map(str::to_string),
                start: ev.start,
                end: ev.end,
                code: Some(ev.cameo.clone()),
                source: ev.source_actor.clone(),
                target: ev.target_actor.clone(),
                place: ev.location.clone(),
                date: ev.date.clone(),
                source_entity: ev.source.as_ref().and_then(|a| entity_at(a.start, a.end)),
                target_entity: ev.target.as_ref().and_then(|a| entity_at(a.start, a.end)),
            });
            if let Some(date) = ev.date.as_ref().filter(|_| !in_doubt(doc)) {
                self.events
                    .step_mentions
                    .entry(id.clone())
                    .or_default()
                    .push(PeerEvent {
                        doc_id: doc.id.clone(),
                        outlet: doc.outlet.clone(),
                        event: None,
                        date: date.clone(),
                        date_source: ev.date_source.clone(),
                        published: published(doc),
                    });
            }
        }
    }

    fn entity_rows(&mut self, doc: &Document, entity_of: &[(EntityMention, String)]) {
        let date = published(doc);
        for (m, id) in entity_of {
            self.batch.entity_mentions.push(EntityMentionWrite {
                entity_id: id.clone(),
                doc_id: doc.id.clone(),
                start: m.start,
                end: m.end,
                text: m.text.clone(),
                role: m.role.clone(),
                date: date.clone(),
            });
        }
    }

    /// Gives each quote a statement id: the same speaker saying nearly the
    /// same words in the same story is one statement.
    fn statements(
        &mut self,
        doc: &Document,
        story: &str,
        entity_of: &[(EntityMention, String)],
    ) -> Result<(), StoreError> {
        for (idx, q) in doc.quotes.iter().enumerate() {
            let entity = q.speaker_span.and_then(|s| {
                entity_of
                    .iter()
                    .find(|(m, _)| overlaps((m.start, m.end), (s.start, s.end)))
                    .map(|(_, id)| id.clone())
            });
            let speaker_key = match (entity, q.speaker_canonical.as_ref().or(q.speaker.as_ref())) {
                (Some(e), _) => e,
                (None, Some(name)) => format!("name:{}", names::fold_accents(name).to_lowercase()),
                (None, None) => "unknown".to_string(),
            };
            let content_words = words(&q.text);
            let set: BTreeSet<String> = content_words.iter().cloned().collect();
            let key = (story.to_string(), speaker_key.clone());
            if !self.statements.by_speaker.contains_key(&key) {
                let stored =
                    self.store
                        .statement_candidates(story, &speaker_key, STATEMENT_CANDIDATES)?;
                let list = stored
                    .into_iter()
                    .rev()
                    .map(|s| {
                        let w: BTreeSet<String> =
                            s.content.split(' ').map(str::to_string).collect();
                        (s.statement_id, w)
                    })
                    .collect();
                self.statements.by_speaker.insert(key.clone(), list);
            }
            let list = self.statements.by_speaker.entry(key).or_default();
            let found = list
                .iter()
                .rev()
                .find(|(_, w)| !set.is_empty() && jaccard(w, &set) >= STATEMENT_JACCARD)
                .map(|(id, _)| id.clone());
            let statement_id = match found {
                Some(id) => {
                    self.report.statements_shared += 1;
                    id
                }
                None => {
                    let id = format!("{}:{idx}", doc.id);
                    list.push((id.clone(), set));
                    id
                }
            };
            self.batch.statements.push(StatementWrite {
                doc_id: doc.id.clone(),
                idx,
                statement_id,
                story_id: story.to_string(),
                speaker_key,
                content: content_words.join(" "),
            });
        }
        Ok(())
    }

    /// Ties each claim to the merged event told in the same clause, and keeps
    /// what its report says of it (a story's disagreements are then read from
    /// rows, not from every report).
    fn claims(&mut self, doc: &Document, merged: &[String]) {
        let refs = chronicle_link::conflicts::claim_refs(doc);
        for (idx, r) in refs.iter().enumerate() {
            if let Ok(context) = serde_json::to_string(&r.context()) {
                self.batch.claim_contexts.push(ClaimContextWrite {
                    doc_id: doc.id.clone(),
                    idx,
                    context,
                });
            }
        }
        for (idx, c) in doc.claims.iter().enumerate() {
            let event = doc
                .events
                .iter()
                .zip(merged)
                .find(|(e, _)| e.start <= c.start && c.end <= e.end)
                .map(|(_, id)| id.clone());
            if let Some(merged_id) = event {
                self.batch.claim_events.push(ClaimEventWrite {
                    doc_id: doc.id.clone(),
                    idx,
                    merged_id,
                });
            }
        }
    }

    fn finish(mut self) -> Result<(LinkBatch, LinkReport), StoreError> {
        for id in self.events.dirty.take() {
            let Some(p) = self.events.profiles.get(&id) else {
                continue;
            };
            let story = self.events.story_of.get(&id).cloned().unwrap_or_default();
            let story = self.stories.resolve(&story)?.unwrap_or(story);
            self.batch.merged_events.push(MergedEventWrite {
                id: id.clone(),
                story_id: story,
                profile: serde_json::to_vec(p).unwrap_or_default(),
            });
        }
        for id in self.entities.dirty.take() {
            let Some(p) = self.entities.profiles.get(&id) else {
                continue;
            };
            self.batch.entities.push(EntityWrite {
                id: id.clone(),
                canonical: p.canonical.clone(),
                label: p.label.clone(),
                profile: serde_json::to_vec(p).unwrap_or_default(),
                keys: p.keys(),
            });
        }
        let writes = self.stories.into_writes();
        self.report.story_merges += writes.merges.len();
        self.batch.stories = writes.stories;
        self.batch.postings = writes.postings;
        self.batch.key_counts = writes.key_counts;
        self.batch.documents_counted = writes.documents_counted;
        self.batch.merges = writes
            .merges
            .into_iter()
            .map(|m| StoryMergeWrite {
                from: m.absorbed,
                into: m.kept,
                reason: format!("reports converged (similarity {:.2})", m.score),
            })
            .collect();
        Ok((self.batch, self.report))
    }
}
