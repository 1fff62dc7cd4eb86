//! `chronicle serve`: the record over HTTP. A JSON API under `/api/v1`, described
//! by an OpenAPI 3.1 document generated from the handlers (`/api/v1/openapi.json`),
//! and the web UI (`ui`), both over a pool of read-only store connections, so the
//! server keeps answering while `chronicle ingest` writes the same file (WAL).
//!
//! The server is the only crate that knows HTTP: every answer is computed by
//! `chronicle_engine::query`, which the CLI's `--json` calls too, so both return
//! the same shapes.

mod api;
mod cache;
mod error;
mod headers;
mod openapi;
pub mod params;
mod settings;
mod state;
pub mod ui;
mod warm;

pub use error::{ApiError, ServerError};
pub use settings::{Limits, ServeSettings};
pub use state::AppState;

use axum::Router;
use std::time::Duration;
use tokio::net::TcpListener;

/// The whole application: `/api/v1/…` (with its OpenAPI document), the UI's
/// pages at `/`, and the limits and security headers on every response.
pub fn router(state: AppState) -> Router {
    let limits = state.limits().clone();
    let (api, doc) = api::routes().split_for_parts();
    let doc = openapi::finish(doc);
    let app = Router::new()
        .nest("/api/v1", api.merge(openapi::route(doc)))
        .merge(ui::routes())
        .fallback(error::not_found)
        .with_state(state);
    headers::apply(app, &limits)
}

/// The OpenAPI 3.1 document `/api/v1/openapi.json` serves (`chronicle serve
/// --openapi` prints it, for client generators and the CI's validator).
pub fn openapi_document() -> serde_json::Value {
    openapi::finish(api::routes().split_for_parts().1)
}

/// Serves until SIGINT or SIGTERM, then stops accepting and lets the requests
/// in flight finish.
pub async fn serve(settings: ServeSettings) -> Result<(), ServerError> {
    let state = AppState::open_at(&settings.db, settings.limits.clone())?;
    let listener = TcpListener::bind(settings.bind)
        .await
        .map_err(|source| ServerError::Bind {
            addr: settings.bind,
            source,
        })?;
    serve_on(listener, state, shutdown_signal()).await
}

/// `serve` on a runtime of its own, for callers without one (the CLI): blocks
/// until SIGINT or SIGTERM.
pub fn serve_blocking(settings: ServeSettings) -> Result<(), ServerError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServerError::Runtime)?;
    runtime.block_on(serve(settings))
}

/// Serves on a bound listener until `shutdown` completes: tests bind port 0 and
/// stop the server through a channel.
pub async fn serve_on(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let addr = listener.local_addr().ok();
    warm::spawn(&state);
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|source| ServerError::Serve { addr, source })
}

/// SIGINT (Ctrl-C) or SIGTERM, whichever comes first.
async fn shutdown_signal() {
    let ctrl_c = async {
        // A failed handler install leaves only SIGTERM (and the process's kill).
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// How long a request may take before the server answers 503 for it.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
