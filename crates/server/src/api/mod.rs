//! The JSON API under `/api/v1`, one module per resource. Each handler checks
//! its parameters (`crate::params`), runs its query on a pooled read-only
//! connection (`AppState::read`) through `chronicle_engine::query`, and
//! returns the same row shapes as the CLI's `--json`, wrapped in a page.

mod documents;

use crate::error::ErrorBody;
use crate::openapi::{schemars_components, ApiDoc};
use crate::AppState;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use documents::*;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(documents::list_documents))
        .routes(routes!(documents::get_document))
}

/// A page of a listing: `items` are the rows the CLI's `--json` prints;
/// `next_cursor` asks for the next page (absent on the last).
macro_rules! page_type {
    ($name:ident, $row:ty, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, serde::Serialize, schemars::JsonSchema)]
        pub struct $name {
            pub items: Vec<$row>,
            /// Pass as `cursor` (with the same parameters) for the next page.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub next_cursor: Option<String>,
        }
    };
}
pub(crate) use page_type;

schemars_components!(
    ErrorBody,
    DocumentPage,
    DocumentView,
);
