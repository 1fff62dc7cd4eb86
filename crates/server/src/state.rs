//! Shared state of the handlers: a small pool of read-only store connections.
//! SQLite connections are not `Sync`, so each query takes one connection for
//! itself and runs on tokio's blocking threads (`spawn_blocking`), never on the
//! threads that drive the sockets.

use crate::cache::ViewCache;
use crate::error::{ApiError, ServerError};
use crate::settings::Limits;
use chronicle_store::{Location, Store};
use std::any::Any;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// A written answer as the cache keeps it, with its size.
pub(crate) fn body_view(body: Vec<u8>) -> (axum::body::Bytes, usize) {
    let body = axum::body::Bytes::from(body);
    let size = body.len();
    (body, size)
}

/// `compute` with its view's type erased, as the warmer calls it again.
pub(crate) fn recompute_of<V, C>(compute: Arc<C>) -> Recompute
where
    V: Send + Sync + 'static,
    C: Fn(&dyn Store) -> Result<(V, usize), ApiError> + Send + Sync + 'static,
{
    Arc::new(move |store| {
        let (view, size) = compute(store)?;
        Ok((Arc::new(view) as Arc<dyn Any + Send + Sync>, size))
    })
}

/// Views remembered as read (the oldest forgotten first).
const HOT_KEYS: usize = 1024;

/// How a kept view is computed again (the warmer's way back to it).
pub(crate) type Recompute =
    Arc<dyn Fn(&dyn Store) -> Result<(Arc<dyn Any + Send + Sync>, usize), ApiError> + Send + Sync>;

/// What every handler (API and UI) is given. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    db: Location,
    limits: Limits,
    /// Idle connections, each with the `data_version` it last saw; a query
    /// that panicked loses its connection and the next query opens a fresh one.
    idle: Mutex<Vec<Pooled>>,
    cache: ViewCache,
    /// One permit per connection: at most `limits.connections` queries run at once.
    permits: Semaphore,
    /// Stories readers opened, and when last: the warmer computes these
    /// again after the store changes (`warm.rs`).
    hot: Mutex<HashMap<String, (Instant, Recompute)>>,
    /// Rounds the warmer finished (`warm_rounds`).
    warm_rounds: std::sync::atomic::AtomicU64,
}

/// Runs `f` on a thread of its own: PostgreSQL's client blocks on a runtime
/// of its own, which tokio forbids on a thread that drives async tasks (the
/// server is opened and dropped from async code; queries already run on
/// blocking threads).
fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| match s.spawn(f).join() {
        Ok(out) => out,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

impl Drop for Inner {
    fn drop(&mut self) {
        let idle = std::mem::take(self.idle.get_mut().unwrap_or_else(|p| p.into_inner()));
        off_runtime(move || drop(idle));
    }
}

struct Pooled {
    store: Box<dyn Store + Send>,
    seen: Option<i64>,
}

impl AppState {
    /// Opens every read-only connection of the pool now, so a missing or
    /// unreadable database fails at start, not at the first request, and each
    /// connection's `data_version` is known while the cache is still empty: a
    /// commit after this moves it, and kept answers are dropped (a connection
    /// opened later, after a panic lost one, cannot tell and drops them).
    pub fn open(db: &Path, limits: Limits) -> Result<Self, ServerError> {
        Self::open_at(&Location::File(db.to_path_buf()), limits)
    }

    /// [`AppState::open`] on any store: a SQLite file or a PostgreSQL server.
    pub fn open_at(db: &Location, limits: Limits) -> Result<Self, ServerError> {
        if let Some(path) = db.file().filter(|p| !p.is_file()) {
            return Err(ServerError::NoDatabase {
                path: path.to_path_buf(),
            });
        }
        let connections = limits.connections.max(1);
        let idle = off_runtime(|| {
            let mut idle = Vec::with_capacity(connections);
            for _ in 0..connections {
                let store = db.open_read_only()?;
                let seen = Some(store.change_counter()?);
                idle.push(Pooled { store, seen });
            }
            Ok::<_, ServerError>(idle)
        })?;
        Ok(AppState {
            inner: Arc::new(Inner {
                db: db.clone(),
                cache: ViewCache::new(limits.cache_bytes),
                limits,
                idle: Mutex::new(idle),
                permits: Semaphore::new(connections),
                hot: Mutex::new(HashMap::new()),
                warm_rounds: Default::default(),
            }),
        })
    }

    /// A reader asked for this view: the warmer computes it again after the
    /// store changes.
    fn note_hot(&self, key: &str, recompute: Recompute) {
        let mut hot = self.inner.hot.lock().unwrap_or_else(|p| p.into_inner());
        // Bounded: a crawler walking every story must not grow it forever.
        if hot.len() >= HOT_KEYS && !hot.contains_key(key) {
            let oldest = hot.iter().min_by_key(|(_, v)| v.0).map(|(k, _)| k.clone());
            if let Some(k) = oldest {
                hot.remove(&k);
            }
        }
        hot.insert(key.to_string(), (Instant::now(), recompute));
    }

    /// The views readers asked for within `window`, most recent first.
    pub(crate) fn hot_views(&self, window: Duration) -> Vec<(String, Recompute)> {
        let hot = self.inner.hot.lock().unwrap_or_else(|p| p.into_inner());
        let mut views: Vec<(&String, &(Instant, Recompute))> = hot
            .iter()
            .filter(|(_, v)| v.0.elapsed() <= window)
            .collect();
        views.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
        views
            .into_iter()
            .map(|(k, v)| (k.clone(), Arc::clone(&v.1)))
            .collect()
    }

    /// How many times the warmer has computed every view it meant to (the
    /// first round ends when the newest stories are ready).
    pub fn warm_rounds(&self) -> u64 {
        self.inner
            .warm_rounds
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Whether the view cache holds a story's answer for the store as it is
    /// now (the warmer's work, seen from outside: tests and diagnostics).
    pub fn story_view_kept(&self, id: &str) -> bool {
        let cache = &self.inner.cache;
        cache.holds(&crate::api::stories::story_key(id), cache.epoch())
    }

    pub(crate) fn finished_warm_round(&self) {
        self.inner
            .warm_rounds
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    pub(crate) fn downgrade(&self) -> std::sync::Weak<Inner> {
        Arc::downgrade(&self.inner)
    }

    pub(crate) fn upgrade(weak: &std::sync::Weak<Inner>) -> Option<Self> {
        weak.upgrade().map(|inner| AppState { inner })
    }

    pub(crate) fn cache(&self) -> &ViewCache {
        &self.inner.cache
    }

    /// Computes the view for `key` on `store` (the warmer's own connection)
    /// and keeps it, unless it is kept already; requests for it meanwhile
    /// wait for this one. `seen` is the connection's last `data_version`,
    /// checked first like a pooled connection's.
    pub(crate) fn warm(
        &self,
        store: &dyn Store,
        seen: &mut Option<i64>,
        key: String,
        recompute: &Recompute,
    ) -> Result<(), ApiError> {
        let cache = &self.inner.cache;
        let version = store.change_counter().map_err(ApiError::from)?;
        if *seen != Some(version) {
            cache.invalidate();
            *seen = Some(version);
        }
        let epoch = cache.epoch();
        if cache.holds(&key, epoch) {
            return Ok(());
        }
        let _computing = cache.claim(&key, self.inner.limits.request_timeout);
        if cache.holds(&key, epoch) {
            return Ok(());
        }
        let (view, size) = recompute(store)?;
        cache.put_any(key, epoch, view, size);
        Ok(())
    }

    pub fn limits(&self) -> &Limits {
        &self.inner.limits
    }

    pub fn location(&self) -> &Location {
        &self.inner.db
    }

    /// Runs `f` on a read-only connection on a blocking thread. Errors come back
    /// as `ApiError`s; a panic in `f` is a 500 for this request only.
    pub async fn read<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Store) -> Result<T, ApiError> + Send + 'static,
    {
        self.run(move |store, _| f(store)).await
    }

    /// The answer `f` writes for `key`, from the view cache while the store
    /// has not changed since it was written (see `cache.rs`).
    pub async fn read_cached<F>(&self, key: String, f: F) -> Result<axum::body::Bytes, ApiError>
    where
        F: Fn(&dyn Store) -> Result<Vec<u8>, ApiError> + Send + Sync + 'static,
    {
        let body = self
            .read_view(
                key,
                move |store| Ok(body_view(f(store)?)),
                |body: &axum::body::Bytes| Ok(body.clone()),
            )
            .await?;
        Ok(body)
    }

    /// `present` applied to the view `compute` builds for `key` (with its
    /// size in bytes), the view kept in the cache while the store has not
    /// changed: a timeline computed once, each page cut from it. The view is
    /// remembered as read, so the warmer computes it again after a change.
    pub async fn read_view<V, R, C, P>(
        &self,
        key: String,
        compute: C,
        present: P,
    ) -> Result<R, ApiError>
    where
        V: Send + Sync + 'static,
        R: Send + 'static,
        C: Fn(&dyn Store) -> Result<(V, usize), ApiError> + Send + Sync + 'static,
        P: FnOnce(&V) -> Result<R, ApiError> + Send + 'static,
    {
        let patience = self.inner.limits.request_timeout;
        let compute = Arc::new(compute);
        // Remembered once answered: a request for a story that does not
        // exist is not computed again after every change.
        let hot = self
            .inner
            .cache
            .enabled()
            .then(|| (key.clone(), recompute_of(Arc::clone(&compute))));
        let answer = self
            .run(move |store, cache| {
                let epoch = cache.epoch();
                if let Some(view) = cache.get::<V>(&key, epoch) {
                    return present(&view);
                }
                // Another request computing the same view: wait for its answer.
                let _computing = cache.enabled().then(|| cache.claim(&key, patience));
                if let Some(view) = cache.get::<V>(&key, epoch) {
                    return present(&view);
                }
                let (view, size) = compute(store)?;
                let out = present(&view);
                if cache.enabled() {
                    cache.put(key, epoch, Arc::new(view), size);
                }
                out
            })
            .await;
        if let (Ok(_), Some((key, recompute))) = (&answer, hot) {
            self.note_hot(&key, recompute);
        }
        answer
    }

    async fn run<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Store, &ViewCache) -> Result<T, ApiError> + Send + 'static,
    {
        let _permit = self
            .inner
            .permits
            .acquire()
            .await
            .map_err(|_| ApiError::unavailable("the server is shutting down"))?;
        let inner = Arc::clone(&self.inner);
        let runtime = tokio::runtime::Handle::current();
        tokio::task::spawn_blocking(move || {
            let store = match inner.idle.lock() {
                Ok(mut idle) => idle.pop(),
                Err(poisoned) => poisoned.into_inner().pop(),
            };
            let mut pooled = match store {
                Some(s) => s,
                None => Pooled {
                    store: inner.db.open_read_only().map_err(ApiError::from)?,
                    seen: None,
                },
            };
            // Another process committed since this connection last looked (or
            // it is new and has no past): kept answers may be stale.
            let version = pooled.store.change_counter().map_err(ApiError::from)?;
            if pooled.seen != Some(version) {
                inner.cache.invalidate();
                pooled.seen = Some(version);
            }
            let store = pooled.store.as_ref();
            // The client has had its 503 by then: stop the query too, so a slow
            // request does not hold a connection for long.
            let interrupt = store.interrupter();
            let limit = inner.limits.request_timeout;
            let timer = runtime.spawn(async move {
                tokio::time::sleep(limit).await;
                if let Some(interrupt) = interrupt {
                    interrupt.interrupt();
                }
            });
            let out = f(store, &inner.cache);
            timer.abort();
            match inner.idle.lock() {
                Ok(mut idle) => idle.push(pooled),
                Err(poisoned) => poisoned.into_inner().push(pooled),
            }
            out
        })
        .await
        .map_err(|_| ApiError::internal("the query failed unexpectedly"))?
    }
}
