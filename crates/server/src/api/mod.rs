//! The JSON API under `/api/v1`, one module per resource. Each handler checks
//! its parameters (`crate::params`), runs its query on a pooled read-only
//! connection (`AppState::read`) through `chronicle_engine::query`, and
//! returns the same row shapes as the CLI's `--json`, wrapped in a page.

mod actors;
mod documents;
mod events;
mod search;
mod statements;
pub(crate) mod stories;
mod timeline;

use crate::error::ErrorBody;
use crate::openapi::{schemars_components, ApiDoc};
use crate::AppState;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use actors::*;
pub use documents::*;
pub use events::*;
pub use search::*;
pub use statements::*;
pub use stories::*;
pub use timeline::*;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(documents::list_documents))
        .routes(routes!(documents::get_document))
        .routes(routes!(search::search))
        .routes(routes!(stories::list_stories))
        .routes(routes!(stories::get_story))
        .routes(routes!(stories::disagreements))
        .routes(routes!(stories::digest))
        .routes(routes!(timeline::timeline))
        .routes(routes!(events::list_events))
        .routes(routes!(events::list_merged_events))
        .routes(routes!(actors::actors))
        .routes(routes!(statements::quotes))
        .routes(routes!(statements::claims))
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
    SearchPage,
    StoryPage,
    StoryView,
    DisagreementList,
    StoryDigestJson,
    TimelineJson,
    EventPage,
    MergedEventPage,
    ActorPage,
    QuotePage,
    ClaimPage,
);

/// Checks `limit` and `cursor` against the server's page limits; `key` is what
/// the answer depends on (the endpoint and its other parameters).
pub(crate) fn start_page(
    state: &AppState,
    limit: &Option<String>,
    cursor: &Option<String>,
    key: &str,
) -> Result<crate::params::PageRequest, crate::ApiError> {
    let limits = state.limits();
    crate::params::PageRequest::parse(
        limit.as_deref(),
        cursor.as_deref(),
        key,
        limits.default_page,
        limits.max_page,
    )
}

/// An answer whose shape the engine defines without a JSON Schema yet: kept as
/// the JSON the CLI prints, described in words in the OpenAPI document.
macro_rules! opaque_type {
    ($name:ident, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(pub serde_json::Value);

        impl $name {
            // A type that only documents an answer written elsewhere (a
            // cached view) never builds one.
            #[allow(dead_code)]
            pub fn of(v: &impl serde::Serialize) -> Result<Self, crate::ApiError> {
                serde_json::to_value(v)
                    .map($name)
                    .map_err(|e| crate::ApiError::internal(format!("cannot write the answer: {e}")))
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "object", "description": $doc })
            }
        }
    };
}
pub(crate) use opaque_type;

/// An answer already written as JSON (a cached view).
pub fn json_body(body: axum::body::Bytes) -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        [(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}
