//! `GET /documents` (filtered, paged) and `GET /documents/{id}` (every layer,
//! with an ETag).

use super::page_type;
use crate::error::{ApiError, ErrorBody};
use crate::params::{self, ApiQuery, PageRequest};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chronicle_core::Document;
use chronicle_store::{DocumentFilter, DocumentSummary, Store};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

page_type!(
    DocumentPage,
    DocumentSummary,
    "Stored documents by publication date (rows as `chronicle documents --json`)."
);

/// Filters of `GET /documents`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DocumentQuery {
    /// Only outlets whose name contains this text (case-insensitive; no wildcards).
    outlet: Option<String>,
    /// Earliest publication date: YYYY, YYYY-MM or YYYY-MM-DD.
    #[param(example = "2016-10")]
    from: Option<String>,
    /// Latest publication date: YYYY, YYYY-MM or YYYY-MM-DD (the whole period included).
    to: Option<String>,
    /// ISO 639-3 language code, e.g. eng.
    language: Option<String>,
    /// Rows per page (1 to the server's maximum, 500 by default).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// List stored documents.
#[utoipa::path(
    get,
    path = "/documents",
    tag = "documents",
    params(DocumentQuery),
    responses(
        (status = 200, description = "A page of documents", body = DocumentPage),
        (status = 400, description = "A parameter is not valid", body = ErrorBody),
    )
)]
pub async fn list_documents(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<DocumentQuery>,
) -> Result<Json<DocumentPage>, ApiError> {
    let (from, to) = params::date_range(q.from.as_deref(), q.to.as_deref())?;
    let language = q
        .language
        .as_deref()
        .map(|l| {
            chronicle_engine::query::params::language(l)
                .map_err(|e| ApiError::bad_parameter("language", e))
        })
        .transpose()?;
    let outlet = params::text("outlet", q.outlet.as_deref())?;
    let key = format!("documents|{outlet:?}|{from:?}|{to:?}|{language:?}");
    let limits = state.limits();
    let page = PageRequest::parse(
        q.limit.as_deref(),
        q.cursor.as_deref(),
        &key,
        limits.default_page,
        limits.max_page,
    )?;
    let filter = DocumentFilter {
        outlet,
        from,
        to,
        language,
        limit: Some(page.rows_needed()),
    };
    let rows = state.read(move |store| Ok(store.list(&filter)?)).await?;
    let (items, next_cursor) = page.cut(rows);
    Ok(Json(DocumentPage { items, next_cursor }))
}

/// One document with every annotation layer (each item with its byte span into
/// `text`), the story it belongs to and the merged events its events joined.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DocumentView {
    /// The Document JSON, as `chronicle show ID --json` prints it.
    pub document: Document,
    /// The story the document was linked into (absent until linked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub story: Option<String>,
    /// Each event (by its index in `document.events`) and the merged event it is a mention of.
    pub merged_events: Vec<EventLink>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct EventLink {
    pub event: usize,
    pub merged_event: String,
}

/// Checks an id or id prefix from a path: hexadecimal only, so nothing else
/// (no `/`, no `..`) reaches a lookup.
pub fn id_param(name: &str, id: &str) -> Result<String, ApiError> {
    let id = id.trim().to_ascii_lowercase();
    if (4..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(id)
    } else {
        Err(ApiError::bad_parameter(
            name,
            format!("{name} must be an id or an id prefix: 4 to 64 hexadecimal characters"),
        ))
    }
}

/// The one document an id or prefix names.
pub fn resolve_document(store: &dyn Store, id: &str) -> Result<String, ApiError> {
    match store.resolve_id(id)?.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(ApiError::not_found(format!("no document with id {id:?}"))),
        many => Err(ApiError::ambiguous(
            "id",
            format!("id prefix {id:?} names {} documents", many.len()),
        )),
    }
}

/// One document with its layers.
#[utoipa::path(
    get,
    path = "/documents/{id}",
    tag = "documents",
    params(
        ("id" = String, Path, description = "Document id or a unique prefix (4+ hexadecimal characters)"),
        ("If-None-Match" = Option<String>, Header, description = "An ETag of an earlier answer: 304 when unchanged"),
    ),
    responses(
        (status = 200, description = "The document", body = DocumentView,
            headers(("ETag" = String, description = "Changes whenever the answer does"))),
        (status = 304, description = "Unchanged since the ETag given"),
        (status = 400, description = "Not an id, or an ambiguous prefix", body = ErrorBody),
        (status = 404, description = "No such document", body = ErrorBody),
    )
)]
pub async fn get_document(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id = id_param("id", &id)?;
    let view = state
        .read(move |store| {
            let full = resolve_document(store, &id)?;
            let document = store
                .get(&full)?
                .ok_or_else(|| ApiError::not_found(format!("document {full} is gone")))?;
            let story = store.story_of_document(&full)?;
            let merged_events = store
                .document_merged_events(&full)?
                .into_iter()
                .map(|(event, merged_event)| EventLink {
                    event,
                    merged_event,
                })
                .collect();
            Ok(DocumentView {
                document,
                story,
                merged_events,
            })
        })
        .await?;
    let body = serde_json::to_vec(&view)
        .map_err(|e| ApiError::internal(format!("cannot write the document: {e}")))?;
    Ok(with_etag(body, &headers))
}

/// A JSON body with a strong ETag of its bytes, or a 304 when the client's
/// `If-None-Match` already names it.
pub fn with_etag(body: impl Into<axum::body::Bytes>, headers: &HeaderMap) -> Response {
    let body: axum::body::Bytes = body.into();
    let tag = format!("\"{:016x}-{:x}\"", params::fnv1a(&body), body.len());
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    let etag = HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("\"\""));
    if matches {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::ETAG, etag),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        body,
    )
        .into_response()
}
