//! Shared state of the handlers: a small pool of read-only store connections.
//! SQLite connections are not `Sync`, so each query takes one connection for
//! itself and runs on tokio's blocking threads (`spawn_blocking`), never on the
//! threads that drive the sockets.

use crate::cache::ViewCache;
use crate::error::{ApiError, ServerError};
use crate::settings::Limits;
use chronicle_store::{SqliteStore, Store};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// What every handler (API and UI) is given. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    db: PathBuf,
    limits: Limits,
    /// Idle connections, each with the `data_version` it last saw; a query
    /// that panicked loses its connection and the next query opens a fresh one.
    idle: Mutex<Vec<Pooled>>,
    cache: ViewCache,
    /// One permit per connection: at most `limits.connections` queries run at once.
    permits: Semaphore,
}

struct Pooled {
    store: SqliteStore,
    seen: Option<i64>,
}

impl AppState {
    /// Opens one read-only connection now (so a missing or unreadable database
    /// fails at start, not at the first request); the rest open as needed.
    pub fn open(db: &Path, limits: Limits) -> Result<Self, ServerError> {
        if !db.is_file() {
            return Err(ServerError::NoDatabase {
                path: db.to_path_buf(),
            });
        }
        let first = SqliteStore::open_read_only(db)?;
        let connections = limits.connections.max(1);
        Ok(AppState {
            inner: Arc::new(Inner {
                db: db.to_path_buf(),
                cache: ViewCache::new(limits.cache_bytes),
                limits,
                idle: Mutex::new(vec![Pooled {
                    store: first,
                    seen: None,
                }]),
                permits: Semaphore::new(connections),
            }),
        })
    }

    pub fn limits(&self) -> &Limits {
        &self.inner.limits
    }

    pub fn db_path(&self) -> &Path {
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
        F: FnOnce(&dyn Store) -> Result<Vec<u8>, ApiError> + Send + 'static,
    {
        let body = self
            .read_view(
                key,
                move |store| {
                    let body = axum::body::Bytes::from(f(store)?);
                    let size = body.len();
                    Ok((body, size))
                },
                |body: &axum::body::Bytes| Ok(body.clone()),
            )
            .await?;
        Ok(body)
    }

    /// `present` applied to the view `compute` builds for `key` (with its
    /// size in bytes), the view kept in the cache while the store has not
    /// changed: a timeline computed once, each page cut from it.
    pub async fn read_view<V, R, C, P>(
        &self,
        key: String,
        compute: C,
        present: P,
    ) -> Result<R, ApiError>
    where
        V: Send + Sync + 'static,
        R: Send + 'static,
        C: FnOnce(&dyn Store) -> Result<(V, usize), ApiError> + Send + 'static,
        P: FnOnce(&V) -> Result<R, ApiError> + Send + 'static,
    {
        let patience = self.inner.limits.request_timeout;
        self.run(move |store, cache| {
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
        .await
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
                    store: SqliteStore::open_read_only(&inner.db).map_err(ApiError::from)?,
                    seen: None,
                },
            };
            // Another process committed since this connection last looked (or
            // it is new and has no past): kept answers may be stale.
            let version = pooled.store.data_version().map_err(ApiError::from)?;
            if pooled.seen != Some(version) {
                inner.cache.invalidate();
                pooled.seen = Some(version);
            }
            let store = &pooled.store;
            // The client has had its 503 by then: stop the query too, so a slow
            // request does not hold a connection for long.
            let interrupt = store.connection().get_interrupt_handle();
            let limit = inner.limits.request_timeout;
            let timer = runtime.spawn(async move {
                tokio::time::sleep(limit).await;
                interrupt.interrupt();
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
