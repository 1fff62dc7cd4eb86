//! `GET /stories`, `/stories/{id}`, `/stories/{id}/digest` and
//! `/stories/{id}/disagreements`: the cross-document record of
//! `chronicle_engine::query::stories` and `chronicle_engine::digest`.

use super::documents::with_etag;
use super::{opaque_type, page_type, start_page};
use crate::error::{ApiError, ErrorBody};
use crate::params::{self, ApiQuery};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Json;
use chronicle_engine::query::stories::{self, Disagreement, StoryDetail, StoryItem};
use chronicle_engine::query::{cameo_label, params as checks};
use chronicle_store::StoryFilter;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

page_type!(
    StoryPage,
    StoryItem,
    "Stories: the documents that tell of the same events across outlets (rows as `chronicle stories --json`)."
);

/// The story view, as `chronicle story ID --json` prints it (its schema is the
/// engine's `StoryDetail`).
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct StoryView(pub StoryDetail);

impl JsonSchema for StoryView {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        StoryDetail::schema_name()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        StoryDetail::json_schema(generator)
    }
}

/// A story's disagreements: numeric claims about one quantity whose values differ.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DisagreementList {
    pub story: String,
    /// Each with its values side by side: who claimed it, outlet, document, byte span.
    pub items: Vec<Disagreement>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StoryQuery {
    /// Stories that reach this date or later: YYYY, YYYY-MM or YYYY-MM-DD.
    from: Option<String>,
    /// Stories that start by this date (the whole period included).
    to: Option<String>,
    /// Only stories naming an actor or person whose name contains this text (case-insensitive).
    actor: Option<String>,
    /// Also list stories merged into others (`true` or `false`).
    #[param(value_type = Option<bool>)]
    include_merged: Option<String>,
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    cursor: Option<String>,
}

/// `true`/`false` (also `1`/`0`).
pub fn flag(name: &str, v: Option<&str>) -> Result<bool, ApiError> {
    match v {
        None => Ok(false),
        Some("true" | "1") => Ok(true),
        Some("false" | "0") => Ok(false),
        Some(other) => Err(ApiError::bad_parameter(
            name,
            format!("{name} {other:?} is not true or false"),
        )),
    }
}

/// Stories, by date.
#[utoipa::path(
    get,
    path = "/stories",
    tag = "stories",
    params(StoryQuery),
    responses(
        (status = 200, description = "A page of stories", body = StoryPage),
        (status = 400, description = "A parameter is not valid", body = ErrorBody),
    )
)]
pub async fn list_stories(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<StoryQuery>,
) -> Result<Json<StoryPage>, ApiError> {
    let (from, to) = params::date_range(q.from.as_deref(), q.to.as_deref())?;
    let actor = params::text("actor", q.actor.as_deref())?;
    let include_merged = flag("include_merged", q.include_merged.as_deref())?;
    let key = format!("stories|{from:?}|{to:?}|{actor:?}|{include_merged}");
    let page = start_page(&state, &q.limit, &q.cursor, &key)?;
    let filter = StoryFilter {
        from,
        to,
        actor,
        include_merged,
        limit: Some(page.rows_needed()),
    };
    let (items, next_cursor) = state
        .read(move |store| {
            // Only the page's stories are filled in (documents, top names).
            let (rows, next) = page.cut(store.stories(&filter)?);
            let items = rows
                .into_iter()
                .map(|s| stories::story_item(store, s))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((items, next))
        })
        .await?;
    Ok(Json(StoryPage { items, next_cursor }))
}

/// A story id or id prefix from a path.
fn story_id(id: &str) -> Result<String, ApiError> {
    let id = id.trim();
    let hex = id.strip_prefix("story-").unwrap_or(id);
    if (4..=64).contains(&hex.len()) && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(id.to_ascii_lowercase())
    } else {
        Err(ApiError::bad_parameter(
            "id",
            "id must be a story id or prefix: story- and 4 to 64 hexadecimal characters (story- may be left out)",
        ))
    }
}

/// The stored id for a prefix typed with or without `story-`.
fn with_kind(id: &str) -> String {
    if id.starts_with("story-") {
        id.to_string()
    } else {
        format!("story-{id}")
    }
}

/// One story: its documents with their dates, merged events in date order with
/// their mentions and sources, story-level date corrections, disagreements.
#[utoipa::path(
    get,
    path = "/stories/{id}",
    tag = "stories",
    params(
        ("id" = String, Path, description = "Story id or a unique prefix (a merged story's id answers the story it joined)"),
        ("If-None-Match" = Option<String>, Header, description = "An ETag of an earlier answer: 304 when unchanged"),
    ),
    responses(
        (status = 200, description = "The story, as `chronicle story ID --json`", body = StoryView,
            headers(("ETag" = String, description = "Changes whenever the answer does"))),
        (status = 304, description = "Unchanged since the ETag given"),
        (status = 400, description = "Not a story id, or an ambiguous prefix", body = ErrorBody),
        (status = 404, description = "No such story", body = ErrorBody),
    )
)]
pub async fn get_story(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id = with_kind(&story_id(&id)?);
    let body = state
        .read_cached(story_key(&id), move |store| story_body(store, &id))
        .await?;
    Ok(with_etag(body, &headers))
}

/// The view cache's key of a story's answer.
pub(crate) fn story_key(id: &str) -> String {
    format!("story|{id}")
}

/// The story as JSON, as `GET /stories/{id}` answers (and the warmer keeps).
pub(crate) fn story_body(
    store: &dyn chronicle_store::Store,
    id: &str,
) -> Result<Vec<u8>, ApiError> {
    let s = stories::resolve_story(store, id)?;
    let detail = stories::story_detail(store, s)?;
    serde_json::to_vec(&StoryView(detail))
        .map_err(|e| ApiError::internal(format!("cannot write the story: {e}")))
}

/// A story's disagreeing figures.
#[utoipa::path(
    get,
    path = "/stories/{id}/disagreements",
    tag = "stories",
    params(("id" = String, Path, description = "Story id or a unique prefix")),
    responses(
        (status = 200, description = "The disagreements", body = DisagreementList),
        (status = 400, description = "Not a story id, or an ambiguous prefix", body = ErrorBody),
        (status = 404, description = "No such story", body = ErrorBody),
    )
)]
pub async fn disagreements(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<DisagreementList>, ApiError> {
    let id = with_kind(&story_id(&id)?);
    let list = state
        .read(move |store| {
            let s = stories::resolve_story(store, &id)?;
            let items = stories::story_disagreements(store, &s.id)?;
            Ok(DisagreementList { story: s.id, items })
        })
        .await?;
    Ok(Json(list))
}

opaque_type!(
    StoryDigestJson,
    "What a story's later reports add, as `chronicle story ID --since X --json` prints it: `story`, `since`, `reports` (document, outlet, title, published), `new_events` (timeline entries of the merged events they add), `figures` (casualty figures new or revised, each value with claimant, outlet, document and byte span), `new_actors`, `retold` (earlier events re-dated by a later text), `denied` (earlier events a later report denies or contradicts)."
);

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DigestQuery {
    /// A date (YYYY, YYYY-MM or YYYY-MM-DD: the reports after it) or a document
    /// id of the story (the reports after that one).
    #[param(example = "2016-10-01")]
    since: Option<String>,
}

/// What a story's reports after a date or a report add: their events, new or
/// revised figures, people first seen, re-dated events, denials.
#[utoipa::path(
    get,
    path = "/stories/{id}/digest",
    tag = "stories",
    params(("id" = String, Path, description = "Story id or a unique prefix"), DigestQuery),
    responses(
        (status = 200, description = "The digest, as `chronicle story ID --since X --json`", body = StoryDigestJson),
        (status = 400, description = "A parameter is not valid", body = ErrorBody),
        (status = 404, description = "No such story or document", body = ErrorBody),
    )
)]
pub async fn digest(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<DigestQuery>,
) -> Result<Json<StoryDigestJson>, ApiError> {
    let id = with_kind(&story_id(&id)?);
    let since = params::text("since", q.since.as_deref())?
        .ok_or_else(|| ApiError::bad_parameter("since", "give since: a date or a document id"))?;
    let value = state
        .read(move |store| {
            let s = stories::resolve_story(store, &id)?;
            let since = checks::since(store, &since)
                .map_err(|e| ApiError::from(e).for_parameter("since"))?;
            let d = chronicle_engine::digest::story_since(store, &s.id, &since, &cameo_label)
                .map_err(|e| match e {
                    chronicle_engine::digest::DigestError::Store(s) => ApiError::from(s),
                    other => ApiError::bad_parameter("since", other.to_string()),
                })?;
            StoryDigestJson::of(&d)
        })
        .await?;
    Ok(Json(value))
}
