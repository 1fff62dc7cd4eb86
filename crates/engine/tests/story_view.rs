//! The story view reads rows: each claim's context is kept by the link step,
//! so the disagreements it computes must be those of every report read whole.

use chronicle_engine::query::stories;
use chronicle_engine::{ingest_paths, IngestSettings};
use chronicle_store::{SqliteStore, Store, StoryFilter};
use std::path::Path;

#[test]
fn disagreements_from_kept_contexts_match_the_reports_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(&dir.path().join("c.db")).unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
    ingest_paths(
        &mut store,
        &[corpus],
        &IngestSettings::default(),
        &mut |_| {},
    )
    .unwrap();
    let all = store.stories(&StoryFilter::default()).unwrap();
    assert!(!all.is_empty());
    let mut compared = 0;
    for s in &all {
        let kept = stories::story_disagreements(&store, &s.id).unwrap();
        let whole = stories::story_disagreements_from_documents(&store, &s.id).unwrap();
        assert_eq!(
            serde_json::to_value(&kept).unwrap(),
            serde_json::to_value(&whole).unwrap(),
            "{}",
            s.id
        );
        compared += kept.len();
        // Every report is listed with where its date came from.
        let view = stories::story_detail(&store, s.clone()).unwrap();
        assert_eq!(view.reports.len(), view.documents.len());
        assert!(view
            .reports
            .iter()
            .all(|r| r.published.is_none() || r.provenance.is_some()));
    }
    assert!(compared > 0, "the example corpus has disagreeing figures");
}
