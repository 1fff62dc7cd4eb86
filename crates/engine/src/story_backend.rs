//! H1's story flow (`chronicle_link::stories::link_document`) over the store: a
//! `StoryBackend` that reads postings, stories and key statistics through the
//! `Store` trait and keeps one link step's changes in memory, so the documents
//! of a step see each other, and the step's changes are written in one
//! transaction at its end. What it loads is bounded by the step, not the store.

use chronicle_link::stories::{KeyStats, MergeDecision, StoryBackend, StoryProfile, POSTING_CAP};
use chronicle_store::{Store, StoreError, StoryWrite};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Merge chains are short; the bound guards a cycle no flow creates.
const MAX_HOPS: usize = 64;
/// Story profiles read and left unchanged that a step keeps between its
/// documents. A step of 16 documents on a 21,000-document store read about 900
/// (each up to 128 weighted keys with its actors and places).
const CLEAN_STORIES: usize = 64;

/// What one step changed, for the `LinkBatch`.
pub(crate) struct StoryWrites {
    pub stories: Vec<StoryWrite>,
    pub postings: Vec<(String, String)>,
    pub key_counts: Vec<(String, u64)>,
    pub documents_counted: u64,
    pub merges: Vec<MergeDecision>,
}

pub(crate) struct StoreStories<'s> {
    /// Stories read from the store in this step.
    loaded: RefCell<HashSet<String>>,
    store: &'s dyn Store,
    /// Documents counted in the store when the step began, plus this step's.
    base_docs: u64,
    step_docs: u64,
    /// Key → documents holding it in the store (loaded on first use).
    df: RefCell<HashMap<String, u64>>,
    /// Key → documents of this step holding it (written at the end).
    df_step: BTreeMap<String, u64>,
    /// Postings read or changed in this step (newest last, capped).
    postings: RefCell<HashMap<String, Vec<String>>>,
    /// Posts of this step, in order.
    posts: Vec<(String, String)>,
    /// Stories read or changed in this step.
    stories: RefCell<HashMap<String, StoryProfile>>,
    /// Stories changed in this step, in first-change order.
    dirty: Vec<String>,
    /// Merges of this step: absorbed → kept.
    merged_into: HashMap<String, String>,
    pub(crate) merges: Vec<MergeDecision>,
    absorbed: HashMap<String, StoryProfile>,
    /// The first store error met inside a `&self` method that cannot return it.
    error: RefCell<Option<StoreError>>,
}

impl<'s> StoreStories<'s> {
    pub(crate) fn new(store: &'s dyn Store) -> Result<Self, StoreError> {
        let (base_docs, _) = store.key_stats(&[])?;
        Ok(StoreStories {
            loaded: RefCell::new(HashSet::new()),
            store,
            base_docs,
            step_docs: 0,
            df: RefCell::new(HashMap::new()),
            df_step: BTreeMap::new(),
            postings: RefCell::new(HashMap::new()),
            posts: Vec::new(),
            stories: RefCell::new(HashMap::new()),
            dirty: Vec::new(),
            merged_into: HashMap::new(),
            merges: Vec::new(),
            absorbed: HashMap::new(),
            error: RefCell::new(None),
        })
    }

    /// Drops the story profiles read and left unchanged in this step once they
    /// pass [`CLEAN_STORIES`], and the key counts read. The store holds them
    /// as read (a step writes at its end), so a later document of the step
    /// reads the same values again: the bound changes memory, never a decision.
    pub(crate) fn evict_clean(&mut self) {
        let stories = self.stories.get_mut();
        if stories.len() <= self.dirty.len() + CLEAN_STORIES {
            return;
        }
        let dirty = &self.dirty;
        stories.retain(|id, _| dirty.contains(id));
        self.df.get_mut().clear();
    }

    fn keep_error(&self, e: StoreError) {
        let mut slot = self.error.borrow_mut();
        if slot.is_none() {
            *slot = Some(e);
        }
    }

    /// The store error met while linking, if any (the step must not be written).
    pub(crate) fn take_error(&self) -> Option<StoreError> {
        self.error.borrow_mut().take()
    }

    /// The live story `id` names now (this step's merges and the store's).
    pub(crate) fn resolve(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(self.story(id)?.map(|s| s.id))
    }

    /// What this step writes: changed stories (label, profile), postings, key
    /// counts, and the merges of stories that exist (a story founded by a
    /// document and absorbed at once is only that document joining the other).
    pub(crate) fn into_writes(self) -> StoryWrites {
        let stories = self.stories.into_inner();
        let writes = self
            .dirty
            .iter()
            .filter_map(|id| stories.get(id).or_else(|| self.absorbed.get(id)))
            .map(|p| StoryWrite {
                id: p.id.clone(),
                label: p.label().to_string(),
                profile: serde_json::to_vec(p).unwrap_or_default(),
            })
            .collect();
        let merges = self
            .merges
            .iter()
            .filter(|m| {
                self.dirty.contains(&m.absorbed) || self.loaded.borrow().contains(&m.absorbed)
            })
            .cloned()
            .collect();
        StoryWrites {
            stories: writes,
            postings: self.posts,
            key_counts: self.df_step.into_iter().collect(),
            documents_counted: self.step_docs,
            merges,
        }
    }

    fn load_story(&self, id: &str) -> Result<Option<StoryProfile>, StoreError> {
        // Without the outlets list, which reads every document of the story.
        let Some(row) = self.store.story_profile(id)? else {
            return Ok(None);
        };
        let profile = serde_json::from_slice::<StoryProfile>(&row.profile)
            .ok()
            .filter(|p| p.id == row.id);
        if let Some(p) = profile {
            return Ok(Some(p));
        }
        // A profile that does not decode (written by another version) is
        // rebuilt from what the row says rather than failing the step.
        let Some(row) = self.store.story(id)? else {
            return Ok(None);
        };
        Ok(Some(StoryProfile {
            id: row.id.clone(),
            keys: BTreeMap::new(),
            doc_count: row.num_documents as u32,
            first_date: row.first_date.clone(),
            last_date: row.last_date.clone(),
            label: Some(row.label.clone()),
            label_score: 0.0,
            outlets: row.outlets.iter().cloned().collect(),
            actors: BTreeMap::new(),
            places: BTreeMap::new(),
            merged: Vec::new(),
        }))
    }
}

impl StoreStories<'_> {
    /// Reads the stored counts of the keys not known yet in one call, so a
    /// document's keys cost one round trip to a server, not one each.
    pub(crate) fn prefetch_doc_freqs<'k>(&self, keys: impl Iterator<Item = &'k String>) {
        let missing: Vec<String> = {
            let df = self.df.borrow();
            keys.filter(|k| !df.contains_key(k.as_str()))
                .cloned()
                .collect()
        };
        if missing.is_empty() {
            return;
        }
        match self.store.key_stats(&missing) {
            Ok((_, counts)) if counts.len() == missing.len() => {
                let mut df = self.df.borrow_mut();
                for (k, n) in missing.into_iter().zip(counts) {
                    df.insert(k, n);
                }
            }
            // Asked again one by one, where an error is kept as before.
            Ok(_) => {}
            Err(e) => self.keep_error(e),
        }
    }
}

impl KeyStats for StoreStories<'_> {
    fn doc_count(&self) -> u64 {
        self.base_docs + self.step_docs
    }

    fn doc_freq(&self, key: &str) -> u64 {
        let step = self.df_step.get(key).copied().unwrap_or(0);
        if let Some(n) = self.df.borrow().get(key) {
            return n + step;
        }
        let stored = match self.store.key_stats(&[key.to_string()]) {
            Ok((_, v)) => v.first().copied().unwrap_or(0),
            Err(e) => {
                self.keep_error(e);
                0
            }
        };
        self.df.borrow_mut().insert(key.to_string(), stored);
        stored + step
    }
}

impl StoryBackend for StoreStories<'_> {
    type Error = StoreError;

    fn count_keys(&mut self, keys: &[&str]) -> Result<(), StoreError> {
        self.step_docs += 1;
        for k in keys {
            *self.df_step.entry((*k).to_string()).or_default() += 1;
        }
        Ok(())
    }

    fn posting(&self, key: &str) -> Result<Vec<String>, StoreError> {
        if let Some(p) = self.postings.borrow().get(key) {
            return Ok(p.clone());
        }
        let p = self.store.story_posting(key, POSTING_CAP)?;
        self.postings
            .borrow_mut()
            .insert(key.to_string(), p.clone());
        Ok(p)
    }

    fn post(&mut self, key: &str, story: &str) -> Result<(), StoreError> {
        let mut p = self.posting(key)?;
        p.retain(|s| s != story);
        p.push(story.to_string());
        if p.len() > POSTING_CAP {
            p.remove(0);
        }
        self.postings.borrow_mut().insert(key.to_string(), p);
        self.posts.push((key.to_string(), story.to_string()));
        Ok(())
    }

    fn story(&self, id: &str) -> Result<Option<StoryProfile>, StoreError> {
        let mut current = id.to_string();
        for _ in 0..MAX_HOPS {
            if let Some(next) = self.merged_into.get(&current) {
                current = next.clone();
                continue;
            }
            if let Some(p) = self.stories.borrow().get(&current) {
                return Ok(Some(p.clone()));
            }
            match self.load_story(&current)? {
                None => return Ok(None),
                Some(p) if p.id != current => current = p.id,
                Some(p) => {
                    self.loaded.borrow_mut().insert(current.clone());
                    self.stories.borrow_mut().insert(current, p.clone());
                    return Ok(Some(p));
                }
            }
        }
        Ok(None)
    }

    fn put_story(&mut self, story: &StoryProfile) -> Result<(), StoreError> {
        if !self.dirty.contains(&story.id) {
            self.dirty.push(story.id.clone());
        }
        self.stories
            .borrow_mut()
            .insert(story.id.clone(), story.clone());
        Ok(())
    }

    fn record_merge(&mut self, merge: &MergeDecision) -> Result<(), StoreError> {
        // Kept aside so a story founded and absorbed in this step still gets its
        // row: its id resolves through the recorded merge like any other.
        if let Some(p) = self.stories.borrow_mut().remove(&merge.absorbed) {
            self.absorbed.insert(merge.absorbed.clone(), p);
        }
        self.merged_into
            .insert(merge.absorbed.clone(), merge.kept.clone());
        self.merges.push(merge.clone());
        Ok(())
    }

    fn assign(&mut self, _doc_id: &str, _story: &str) -> Result<(), StoreError> {
        // The link step records the assignment with the document's other rows.
        Ok(())
    }
}
