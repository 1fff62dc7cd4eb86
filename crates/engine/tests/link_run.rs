//! The link pass through `&mut dyn Store`, on fixtures written here: reports of
//! one story join it, an unrelated one starts its own, a near copy joins its
//! original's story as a mention, documents stored without linking stay pending
//! until linked, relinking gives the same stories, re-ingest keeps story ids.

use chronicle_engine::{
    ingest_paths, ingest_paths_with, link_unlinked, relink, IngestEvent, IngestSettings,
    LinkSettings,
};
use chronicle_store::{SqliteStore, Store, StoryFilter};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const FERRY_A: &str = "PUBLISHED: 2024-05-06\n\nA ferry carrying 80 passengers sank on Lake Tarvo near the port of Belmin on Sunday, and rescuers said at least 12 people were killed.\n\nThe harbour master, Oskar Vennet, said the ferry Marisol had left Belmin despite a storm warning.\n\nDivers from the Belmin coast guard searched the wreck through the night.\n";
const FERRY_B: &str = "PUBLISHED: 2024-05-06\n\nRescuers searched Lake Tarvo on Monday after the ferry Marisol sank near Belmin on Sunday; officials said 15 people were killed.\n\nHarbour master Oskar Vennet said the Marisol left Belmin port although a storm warning had been issued.\n\nThe Belmin coast guard said divers would return to the wreck.\n";
const FERRY_C: &str = "PUBLISHED: 2024-05-07\n\nThe coast guard in Belmin ended the search on Lake Tarvo on Tuesday, two days after the ferry Marisol sank with 80 passengers aboard.\n\nOskar Vennet, the harbour master, said an inquiry would ask why the Marisol left port in a storm.\n";
const ORCHARD: &str = "PUBLISHED: 2024-09-02\n\nApple growers in the Qell valley began the harvest early this year after a dry summer, the valley's growers' union said.\n\nThe union's chair, Mara Ostby, said prices at the Qell market had risen for the third week in a row.\n";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn corpus(dir: &Path) -> Vec<PathBuf> {
    vec![
        write(dir, "a.txt", FERRY_A),
        write(dir, "b.txt", FERRY_B),
        write(dir, "c.txt", FERRY_C),
        // A near copy of the first report (one word changed).
        write(dir, "d.txt", &FERRY_A.replace("searched", "combed")),
        write(dir, "e.txt", ORCHARD),
    ]
}

/// Document id → story id, for comparing runs.
fn stories_by_document(store: &dyn Store) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for s in store
        .stories(&StoryFilter {
            include_merged: false,
            ..Default::default()
        })
        .unwrap()
    {
        for d in store.story_documents(&s.id, None).unwrap() {
            out.insert(d.doc_id, s.id.clone());
        }
    }
    out
}

#[test]
fn reports_of_one_story_join_it_and_copies_count_as_mentions() {
    let dir = tempfile::tempdir().unwrap();
    let paths = corpus(dir.path());
    let mut store = SqliteStore::open_in_memory().unwrap();
    let mut events = Vec::new();
    let report = ingest_paths(&mut store, &paths, &IngestSettings::default(), &mut |e| {
        events.push(e.clone())
    })
    .unwrap();
    assert_eq!(report.inserted, 5);
    let link = report.link.clone().expect("ingest links by default");
    assert_eq!(link.documents, 5);
    assert_eq!(link.copies, 1);
    assert!(events
        .iter()
        .any(|e| matches!(e, IngestEvent::Linked { documents: 5 })));
    assert!(store.unlinked_documents(10).unwrap().is_empty());
    let by_doc = stories_by_document(&store);
    assert_eq!(by_doc.len(), 5, "every document is in a story: {by_doc:?}");
    let stories: Vec<_> = store.stories(&StoryFilter::default()).unwrap();
    // The orchard report is a story of its own; the ferry's copy is in the
    // ferry's story as a copy, not a new article.
    let orchard_story = stories
        .iter()
        .find(|s| s.label.contains("Apple") || s.label.contains("Qell"))
        .cloned();
    let ferry_story = stories
        .iter()
        .max_by_key(|s| s.num_documents)
        .cloned()
        .unwrap();
    assert!(ferry_story.num_documents >= 2, "{stories:?}");
    assert_eq!(
        ferry_story.num_documents - ferry_story.num_articles,
        1,
        "the copy counts as a document, not an article: {stories:?}"
    );
    if let Some(o) = orchard_story {
        assert_ne!(o.id, ferry_story.id);
    }
    let report = store.check().unwrap();
    assert!(report.is_clean(), "{report:?}");
    // Merged events count the copy as a mention, never as a source or article.
    for e in store.merged_events(&Default::default()).unwrap() {
        assert!(e.num_articles <= e.num_mentions);
        assert!(e.num_sources <= e.num_articles);
    }
    // Quotes carry statement ids once linked.
    let quotes = store.quotes(&Default::default()).unwrap();
    assert!(quotes.iter().all(|q| q.statement.is_some()), "{quotes:?}");
}

#[test]
fn pending_documents_are_linked_later_and_relink_gives_the_same_stories() {
    let dir = tempfile::tempdir().unwrap();
    let paths = corpus(dir.path());
    let mut linked = SqliteStore::open_in_memory().unwrap();
    ingest_paths(&mut linked, &paths, &IngestSettings::default(), &mut |_| {}).unwrap();
    let expected = stories_by_document(&linked);

    // Stored without linking (as after a crash between storing and linking).
    let mut store = SqliteStore::open_in_memory().unwrap();
    let mut off = LinkSettings::default();
    off.link = false;
    let report = ingest_paths_with(
        &mut store,
        &paths,
        &IngestSettings::default(),
        &off,
        &mut |_| {},
    )
    .unwrap();
    assert!(report.link.is_none());
    assert_eq!(store.unlinked_documents(10).unwrap().len(), 5);
    assert!(store.check().unwrap().is_clean());
    let r = link_unlinked(&mut store, &mut |_| {}).unwrap();
    assert_eq!(r.documents, 5);
    assert_eq!(stories_by_document(&store), expected);

    // Relinking after a model change is one call, and deterministic.
    let r = relink(&mut store, &LinkSettings::default(), &mut |_| {}).unwrap();
    assert_eq!(r.documents, 5);
    assert_eq!(stories_by_document(&store), expected);
    assert!(store.check().unwrap().is_clean());

    // Re-ingesting the same files changes no story id.
    let again = ingest_paths(&mut store, &paths, &IngestSettings::default(), &mut |_| {}).unwrap();
    assert_eq!(again.inserted, 0);
    assert_eq!(stories_by_document(&store), expected);
}

#[test]
fn documents_without_dates_actors_or_events_still_join_or_start_a_story() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "bare.txt",
        "Nothing much happened here today at all.\n",
    );
    let q = write(
        dir.path(),
        "bare2.txt",
        "Plain words, no names, no numbers, nothing dated.\n",
    );
    let mut store = SqliteStore::open_in_memory().unwrap();
    let report =
        ingest_paths(&mut store, &[p, q], &IngestSettings::default(), &mut |_| {}).unwrap();
    assert!(report.inserted >= 1, "{report:?}");
    assert_eq!(report.link.unwrap().documents, report.inserted);
    assert_eq!(stories_by_document(&store).len(), report.inserted);
    assert!(store.check().unwrap().is_clean());
}
