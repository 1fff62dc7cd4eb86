//! The engine's ingest run through `&mut dyn Store`: counts, events, skipping
//! what is stored, near-duplicate links and failure groups, on fixtures written
//! here.

use chronicle_engine::{ingest_paths, IngestEvent, IngestSettings};
use chronicle_store::{SqliteStore, Store, StoreError};
use std::path::{Path, PathBuf};

const STORY: &str = "The harbour authority in Eastport said on Tuesday that two cargo ships had been delayed by fog near the northern breakwater.\n\nOfficials expect the port to reopen on Wednesday morning after inspectors finish checking the main channel for debris left by the storm.\n\nA spokesperson for the shipping company said the crews were safe and that the cargo, mostly grain and machine parts, had not been damaged.\n\nLocal fishermen said the fog was the thickest they had seen in a decade and that smaller boats had stayed in the inner harbour all week.\n";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn run(
    store: &mut dyn Store,
    paths: &[PathBuf],
) -> (chronicle_engine::IngestReport, Vec<IngestEvent>) {
    let mut events = Vec::new();
    let report = ingest_paths(store, paths, &IngestSettings::default(), &mut |e| {
        events.push(e.clone())
    })
    .unwrap();
    (report, events)
}

#[test]
fn stores_links_skips_and_groups_failures() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", STORY);
    // The same story with one word changed: a near-duplicate.
    write(dir.path(), "b.txt", &STORY.replace("Tuesday", "Monday"));
    write(dir.path(), "c.txt", STORY);
    write(dir.path(), "empty1.txt", "   \n");
    write(dir.path(), "empty2.txt", "\n");
    let mut store = SqliteStore::open_in_memory().unwrap();
    let (report, events) = run(&mut store, &[dir.path().to_path_buf()]);

    assert_eq!(report.files, 5);
    assert_eq!(report.documents_read, 3);
    assert_eq!(report.inserted, 2);
    assert_eq!(report.already_stored, 1);
    assert_eq!(report.skipped_before_annotation, 1);
    assert_eq!(report.annotated, 2);
    assert_eq!(report.near_duplicates.len(), 1);
    assert_eq!(report.failures.len(), 2);
    assert_eq!(report.failure_groups.len(), 1);
    assert_eq!(report.failure_groups[0].count, 2);
    assert!(report.stopped.is_none() && report.not_stored.is_empty());
    assert_eq!(store.count().unwrap(), 2);

    let total: u64 = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    assert_eq!(
        events.first(),
        Some(&IngestEvent::Started {
            files: 5,
            bytes: total
        })
    );
    assert_eq!(events.last(), Some(&IngestEvent::Finished));
    let done: Vec<u64> = events
        .iter()
        .filter_map(|e| match e {
            IngestEvent::Progress(p) => Some(p.done_bytes),
            _ => None,
        })
        .collect();
    assert!(done.windows(2).all(|w| w[0] <= w[1]), "{done:?}");
    assert!(
        done.last().is_some_and(|&d| d + 1 >= total),
        "{done:?} of {total}"
    );

    // A second run annotates nothing: every document is found stored first.
    let (again, _) = run(&mut store, &[dir.path().to_path_buf()]);
    assert_eq!(again.inserted, 0);
    assert_eq!(again.annotated, 0);
    assert_eq!(again.skipped_before_annotation, 3);
    assert_eq!(again.already_stored, 3);
}

#[test]
fn the_json_report_keeps_every_field() {
    let report = chronicle_engine::IngestReport::default();
    let json = serde_json::to_value(&report).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let expected = [
        "files",
        "documents_read",
        "inserted",
        "already_stored",
        "near_duplicates",
        "failures",
        "inserted_ids",
        "seconds",
        "bytes",
        "skipped_before_annotation",
        "annotated",
        "preannotated",
        "over_budget",
        "failure_groups",
        "stopped",
        "not_stored",
        "link",
        "link_stopped",
    ];
    let mut sorted = expected.to_vec();
    sorted.sort_unstable();
    let mut got = keys.clone();
    got.sort_unstable();
    assert_eq!(got, sorted);
}

/// A backend whose writes fail with `error` (SQLite in memory for the reads): the
/// engine only ever sees the `Store` trait.
struct FailingWrites {
    inner: SqliteStore,
    error: fn() -> chronicle_store::StoreError,
}

impl Store for FailingWrites {
    fn put_batch(
        &mut self,
        _: &[chronicle_store::NewDocument],
    ) -> Result<Vec<chronicle_store::PutOutcome>, chronicle_store::StoreError> {
        Err((self.error)())
    }
    fn put_batch_linked(
        &mut self,
        _: &mut [chronicle_store::NewDocument],
        _: &[chronicle_store::NewSource],
        _: &mut chronicle_store::Linker<'_>,
    ) -> Result<chronicle_store::BatchOutcome, chronicle_store::StoreError> {
        Err((self.error)())
    }
    fn update_document(
        &mut self,
        doc: &chronicle_core::Document,
    ) -> Result<(), chronicle_store::StoreError> {
        self.inner.update_document(doc)
    }
    fn get(
        &self,
        id: &str,
    ) -> Result<Option<chronicle_core::Document>, chronicle_store::StoreError> {
        self.inner.get(id)
    }
    fn resolve_id(&self, prefix: &str) -> Result<Vec<String>, chronicle_store::StoreError> {
        self.inner.resolve_id(prefix)
    }
    fn list(
        &self,
        f: &chronicle_store::DocumentFilter,
    ) -> Result<Vec<chronicle_store::DocumentSummary>, chronicle_store::StoreError> {
        self.inner.list(f)
    }
    fn search(
        &self,
        q: &str,
        limit: usize,
    ) -> Result<Vec<chronicle_store::SearchHit>, chronicle_store::StoreError> {
        self.inner.search(q, limit)
    }
    fn duplicates(
        &self,
    ) -> Result<Vec<chronicle_store::DuplicateLink>, chronicle_store::StoreError> {
        self.inner.duplicates()
    }
    fn fingerprints(&self) -> Result<Vec<(String, Vec<u8>)>, chronicle_store::StoreError> {
        self.inner.fingerprints()
    }
    fn contains(&self, id: &str) -> Result<bool, chronicle_store::StoreError> {
        self.inner.contains(id)
    }
    fn count(&self) -> Result<u64, chronicle_store::StoreError> {
        self.inner.count()
    }
    fn events(
        &self,
        f: &chronicle_store::EventFilter,
    ) -> Result<Vec<chronicle_store::EventRow>, chronicle_store::StoreError> {
        self.inner.events(f)
    }
    fn actors(&self) -> Result<Vec<chronicle_store::ActorSummary>, chronicle_store::StoreError> {
        self.inner.actors()
    }
    fn quotes(
        &self,
        f: &chronicle_store::QuoteFilter,
    ) -> Result<Vec<chronicle_store::QuoteRow>, chronicle_store::StoreError> {
        self.inner.quotes(f)
    }
    fn claims(
        &self,
        f: &chronicle_store::ClaimFilter,
    ) -> Result<Vec<chronicle_store::ClaimRow>, chronicle_store::StoreError> {
        self.inner.claims(f)
    }
    fn check(&self) -> Result<chronicle_store::CheckReport, chronicle_store::StoreError> {
        self.inner.check()
    }
    fn put_links(&mut self, _: &chronicle_store::LinkBatch) -> Result<bool, StoreError> {
        Err((self.error)())
    }
    fn clear_links(&mut self) -> Result<(), StoreError> {
        Err((self.error)())
    }
    fn unlinked_documents(
        &self,
        limit: usize,
    ) -> Result<Vec<chronicle_store::PendingDocument>, StoreError> {
        self.inner.unlinked_documents(limit)
    }
    fn link_generation(&self) -> Result<i64, StoreError> {
        self.inner.link_generation()
    }
    fn story_posting(&self, key: &str, cap: usize) -> Result<Vec<String>, StoreError> {
        self.inner.story_posting(key, cap)
    }
    fn key_stats(&self, keys: &[String]) -> Result<(u64, Vec<u64>), StoreError> {
        self.inner.key_stats(keys)
    }
    fn story(&self, id: &str) -> Result<Option<chronicle_store::StoryRow>, StoreError> {
        self.inner.story(id)
    }
    fn story_of_document(&self, doc_id: &str) -> Result<Option<String>, StoreError> {
        self.inner.story_of_document(doc_id)
    }
    fn stories(
        &self,
        f: &chronicle_store::StoryFilter,
    ) -> Result<Vec<chronicle_store::StoryRow>, StoreError> {
        self.inner.stories(f)
    }
    fn story_documents(
        &self,
        story_id: &str,
        limit: Option<usize>,
    ) -> Result<Vec<chronicle_store::StoryDocumentRow>, StoreError> {
        self.inner.story_documents(story_id, limit)
    }
    fn story_merges(&self) -> Result<Vec<chronicle_store::StoryMergeRow>, StoreError> {
        self.inner.story_merges()
    }
    fn story_top(
        &self,
        story_id: &str,
        limit: usize,
    ) -> Result<chronicle_store::StoryTop, StoreError> {
        self.inner.story_top(story_id, limit)
    }
    fn merged_event_candidates(
        &self,
        story_id: &str,
        cap: usize,
    ) -> Result<chronicle_store::MergedEventCandidates, StoreError> {
        self.inner.merged_event_candidates(story_id, cap)
    }
    fn merged_events(
        &self,
        f: &chronicle_store::MergedEventFilter,
    ) -> Result<Vec<chronicle_store::MergedEventRow>, StoreError> {
        self.inner.merged_events(f)
    }
    fn story_event_count(&self, story_id: &str) -> Result<u64, StoreError> {
        self.inner.story_event_count(story_id)
    }
    fn merged_event_mentions(
        &self,
        merged_id: &str,
        limit: Option<usize>,
    ) -> Result<Vec<chronicle_store::EventMentionRow>, StoreError> {
        self.inner.merged_event_mentions(merged_id, limit)
    }
    fn document_merged_events(&self, doc_id: &str) -> Result<Vec<(usize, String)>, StoreError> {
        self.inner.document_merged_events(doc_id)
    }
    fn entity_candidates(
        &self,
        keys: &[String],
        cap: usize,
    ) -> Result<chronicle_store::EntityCandidates, StoreError> {
        self.inner.entity_candidates(keys, cap)
    }
    fn entities(
        &self,
        f: &chronicle_store::EntityFilter,
    ) -> Result<Vec<chronicle_store::EntityRow>, StoreError> {
        self.inner.entities(f)
    }
    fn entity_mentions(
        &self,
        doc_id: &str,
    ) -> Result<Vec<chronicle_store::EntityMentionRow>, StoreError> {
        self.inner.entity_mentions(doc_id)
    }
    fn statement_candidates(
        &self,
        story_id: &str,
        speaker_key: &str,
        cap: usize,
    ) -> Result<Vec<chronicle_store::StatementRow>, StoreError> {
        self.inner.statement_candidates(story_id, speaker_key, cap)
    }
    fn statements(
        &self,
        story_id: Option<&str>,
    ) -> Result<Vec<chronicle_store::StatementRow>, StoreError> {
        self.inner.statements(story_id)
    }
    fn story_claims(&self, story_id: &str) -> Result<Vec<chronicle_store::StoryClaim>, StoreError> {
        self.inner.story_claims(story_id)
    }
    fn date_corrections(
        &self,
        story_id: Option<&str>,
    ) -> Result<Vec<chronicle_store::DateCorrection>, StoreError> {
        self.inner.date_corrections(story_id)
    }
    fn link_counts(&self) -> Result<chronicle_store::LinkCounts, StoreError> {
        self.inner.link_counts()
    }
    fn change_counter(&self) -> Result<i64, StoreError> {
        self.inner.change_counter()
    }
    fn schema_version(&self) -> Result<i64, StoreError> {
        Store::schema_version(&self.inner)
    }
}

#[test]
fn a_busy_store_stops_the_run_and_names_what_was_not_stored() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.txt", STORY);
    let b = write(dir.path(), "b.txt", &STORY.replace("fog", "snow"));
    let mut store = FailingWrites {
        inner: SqliteStore::open_in_memory().unwrap(),
        error: || chronicle_store::StoreError::Busy {
            path: "busy.db".into(),
            waited: std::time::Duration::from_secs(1),
        },
    };
    let (report, events) = run(&mut store, &[a.clone(), b.clone()]);
    assert_eq!(report.inserted, 0);
    assert_eq!(report.documents_read, 2);
    let stopped = report.stopped.as_deref().unwrap_or_default();
    assert!(stopped.contains("busy.db"), "{stopped}");
    let mut not_stored = report.not_stored.clone();
    not_stored.sort();
    assert_eq!(
        not_stored,
        [a.display().to_string(), b.display().to_string()]
    );
    assert_eq!(events.last(), Some(&IngestEvent::Finished));
}

#[test]
fn any_other_store_failure_is_an_error_naming_the_step() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.txt", STORY);
    let mut store = FailingWrites {
        inner: SqliteStore::open_in_memory().unwrap(),
        error: || chronicle_store::StoreError::Backend {
            path: "x.db".into(),
            operation: "storing documents",
            message: "disk I/O error".into(),
        },
    };
    let err = ingest_paths(&mut store, &[a], &IngestSettings::default(), &mut |_| {})
        .err()
        .unwrap();
    let chain = format!("{err}: {}", std::error::Error::source(&err).unwrap());
    assert_eq!(
        chain,
        "writing a batch to the database: database x.db: storing documents: disk I/O error"
    );
}

/// A run's own thread count changes how fast documents are annotated, never
/// what is stored: one and two threads store the same documents and events.
#[test]
fn own_thread_count_stores_the_same_record() {
    let dir = tempfile::tempdir().unwrap();
    for (i, day) in ["Monday", "Tuesday", "Friday"].iter().enumerate() {
        let text = STORY
            .replace("Tuesday", day)
            .replace("two cargo", &format!("{} cargo", i + 3));
        write(dir.path(), &format!("{i}.txt"), &text);
    }
    write(dir.path(), "other.txt", "Farmers in the western valley said the late frost had cut the apple harvest by half, and the growers' union asked the regional government on Thursday for emergency loans.\n");
    let mut dumps = Vec::new();
    for n in [1usize, 2] {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let settings = IngestSettings {
            threads: std::num::NonZeroUsize::new(n),
            ..IngestSettings::default()
        };
        let report = ingest_paths(
            &mut store,
            &[dir.path().to_path_buf()],
            &settings,
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(report.inserted + report.already_stored, 4, "{n} threads");
        let mut ids: Vec<String> = store
            .fingerprints()
            .unwrap()
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        ids.sort();
        let docs: Vec<String> = ids
            .iter()
            .map(|id| serde_json::to_string(&store.get(id).unwrap().unwrap()).unwrap())
            .collect();
        dumps.push(docs);
    }
    assert_eq!(dumps[0], dumps[1]);
}
