//! `GET /search`: full-text search with the hits marked in each passage.

use super::{page_type, start_page};
use crate::error::{ApiError, ErrorBody};
use crate::params::{self, ApiQuery};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use chronicle_store::SearchHit;
use serde::Deserialize;
use utoipa::IntoParams;

page_type!(
    SearchPage,
    SearchHit,
    "Search hits, best first (rows as `chronicle search --json`; each `snippet` marks the matching words in `[brackets]`)."
);

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// The query (SQLite FTS5 syntax: words, "phrases", AND/OR/NOT, prefix*).
    #[param(example = "ceasefire")]
    q: Option<String>,
    /// Rows per page (1 to the server's maximum, 500 by default).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// Full-text search over titles and texts.
#[utoipa::path(
    get,
    path = "/search",
    tag = "documents",
    params(SearchQuery),
    responses(
        (status = 200, description = "A page of hits", body = SearchPage),
        (status = 400, description = "No query, or not valid query syntax", body = ErrorBody),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> Result<Json<SearchPage>, ApiError> {
    let query = params::text("q", q.q.as_deref())?
        .ok_or_else(|| ApiError::bad_parameter("q", "give a search query as q"))?;
    let page = start_page(&state, &q.limit, &q.cursor, &format!("search|{query}"))?;
    let n = page.rows_needed();
    let rows = state
        .read(move |store| Ok(store.search(&query, n)?))
        .await?;
    let (items, next_cursor) = page.cut(rows);
    Ok(Json(SearchPage { items, next_cursor }))
}
