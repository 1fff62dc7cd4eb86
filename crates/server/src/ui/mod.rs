//! The web UI's pages (helper HU replaces this body).

use crate::AppState;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
}
