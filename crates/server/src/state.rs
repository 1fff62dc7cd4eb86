//! Shared state of the handlers: a small pool of read-only store connections.
//! SQLite connections are not `Sync`, so each query takes one connection for
//! itself and runs on tokio's blocking threads (`spawn_blocking`), never on the
//! threads that drive the sockets.

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
    /// Idle connections; a query that panicked loses its connection and the
    /// next query opens a fresh one.
    idle: Mutex<Vec<SqliteStore>>,
    /// One permit per connection: at most `limits.connections` queries run at once.
    permits: Semaphore,
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
                limits,
                idle: Mutex::new(vec![first]),
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
            let store = match store {
                Some(s) => s,
                None => SqliteStore::open_read_only(&inner.db).map_err(ApiError::from)?,
            };
            // The client has had its 503 by then: stop the query too, so a slow
            // request does not hold a connection for long.
            let interrupt = store.connection().get_interrupt_handle();
            let limit = inner.limits.request_timeout;
            let timer = runtime.spawn(async move {
                tokio::time::sleep(limit).await;
                interrupt.interrupt();
            });
            let out = f(&store);
            timer.abort();
            match inner.idle.lock() {
                Ok(mut idle) => idle.push(store),
                Err(poisoned) => poisoned.into_inner().push(store),
            }
            out
        })
        .await
        .map_err(|_| ApiError::internal("the query failed unexpectedly"))?
    }
}
