//! Keeps the story views readers want ready, so the first reader of a story
//! does not wait for it: a large story's view reads tens of thousands of rows
//! (50–150 ms on a 20,000-document store), and a story in the news is opened by
//! many readers at once, each waiting for the one computing it.
//!
//! One background thread with a read-only connection of its own:
//! - at start it computes the views of the newest stories (the list's first
//!   page, what readers open first), newest first;
//! - it looks at the store's change counter (SQLite's `data_version`) every [`POLL`]; after a commit,
//!   once the store has been quiet for [`QUIET`] (an ingest commits batch
//!   after batch: computing between them would be wasted), it computes again
//!   the views readers asked for within [`HOT_WINDOW`] (stories and
//!   timelines, most recent first), then the newest stories.
//!
//! It computes through the same cache and the same single-flight marker as the
//! requests: a request for a story being warmed waits for that answer, and an
//! answer is kept under the epoch seen before its read began (`cache.rs`).
//! The thread holds the state weakly and ends with the server.

use crate::api::stories::{story_body, story_key};
use crate::state::{body_view, recompute_of, Recompute};
use crate::AppState;
use chronicle_store::{Store, StoryFilter};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often the store is looked at for commits.
const POLL: Duration = Duration::from_millis(250);
/// How long the store must stay unchanged before views are computed again.
const QUIET: Duration = Duration::from_secs(1);
/// Stories opened within this are computed again after a change.
const HOT_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Starts the warmer for `state` when it is to keep any story ready.
pub(crate) fn spawn(state: &AppState) {
    let stories = state.limits().warm_stories;
    if stories == 0 || !state.cache().enabled() {
        return;
    }
    let weak = state.downgrade();
    let db = state.location().clone();
    // A thread that cannot start leaves the server as it was without one.
    let _ = std::thread::Builder::new()
        .name("chronicle-warm".into())
        .spawn(move || {
            let Ok(store) = db.open_read_only() else {
                return;
            };
            // `seen`: the version the cache's answers were checked against
            // (moved by `AppState::warm`); `observed`: the last one looked at.
            let mut seen = store.change_counter().ok();
            let mut observed = seen;
            let mut due = Some(Instant::now());
            let mut first = true;
            loop {
                let Some(state) = AppState::upgrade(&weak) else {
                    return;
                };
                match store.change_counter() {
                    Ok(v) if observed != Some(v) => {
                        observed = Some(v);
                        due = Some(Instant::now() + QUIET);
                    }
                    Ok(_) => {}
                    Err(_) => return,
                }
                if due.is_some_and(|t| Instant::now() >= t) {
                    due = None;
                    let hot = if first {
                        Vec::new()
                    } else {
                        state.hot_views(HOT_WINDOW)
                    };
                    first = false;
                    if let Ok(newest) = newest_stories(store.as_ref(), stories) {
                        warm_all(&state, store.as_ref(), &mut seen, observed, hot, newest);
                    }
                }
                drop(state);
                std::thread::sleep(POLL);
            }
        });
}

/// Computes the hot keys' answers, then the newest stories'; stops early when
/// the store changes meanwhile (the warmer comes back once it is quiet).
fn warm_all(
    state: &AppState,
    store: &dyn Store,
    seen: &mut Option<i64>,
    round: Option<i64>,
    hot: Vec<(String, Recompute)>,
    newest: Vec<String>,
) {
    let mut views = hot;
    for id in newest {
        let key = story_key(&id);
        if !views.iter().any(|(k, _)| *k == key) {
            let compute = move |s: &dyn Store| Ok(body_view(story_body(s, &id)?));
            views.push((key, recompute_of(Arc::new(compute))));
        }
    }
    for (key, recompute) in views {
        // An error is a story merged or gone since it was read: the others
        // still count.
        let _ = state.warm(store, seen, key, &recompute);
        if *seen != round {
            return;
        }
    }
    state.finished_warm_round();
}

/// The ids of the `n` stories the list shows first.
fn newest_stories(store: &dyn Store, n: usize) -> Result<Vec<String>, chronicle_store::StoreError> {
    let rows = store.stories(&StoryFilter {
        limit: Some(n),
        ..Default::default()
    })?;
    Ok(rows.into_iter().map(|s| s.id).collect())
}
