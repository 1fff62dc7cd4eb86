//! `GET /quotes` and `GET /claims`: attributed quotes and numeric claims.

use super::{page_type, start_page};
use crate::error::{ApiError, ErrorBody};
use crate::params::{self, ApiQuery};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use chronicle_engine::query::{params as checks, resolve_document};
use chronicle_store::{ClaimFilter, ClaimRow, QuoteFilter, QuoteRow};
use serde::Deserialize;
use utoipa::IntoParams;

page_type!(
    QuotePage,
    QuoteRow,
    "Attributed quotes (rows as `chronicle quotes --json`), by document date."
);
page_type!(
    ClaimPage,
    ClaimRow,
    "Numeric claims (rows as `chronicle claims --json`), by document date."
);

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct QuoteQuery {
    /// Only quotes whose speaker (as written or resolved) contains this name (case-insensitive).
    speaker: Option<String>,
    /// `direct`, `indirect` or `partial`.
    kind: Option<String>,
    /// Only documents from outlets whose name contains this text.
    outlet: Option<String>,
    /// Earliest publication date: YYYY, YYYY-MM or YYYY-MM-DD.
    from: Option<String>,
    /// Latest publication date (the whole period included).
    to: Option<String>,
    /// Only this document (id or unique prefix).
    document: Option<String>,
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    cursor: Option<String>,
}

/// Attributed quotes across the store.
#[utoipa::path(
    get,
    path = "/quotes",
    tag = "statements",
    params(QuoteQuery),
    responses(
        (status = 200, description = "A page of quotes", body = QuotePage),
        (status = 400, description = "A parameter is not valid", body = ErrorBody),
        (status = 404, description = "No such document", body = ErrorBody),
    )
)]
pub async fn quotes(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<QuoteQuery>,
) -> Result<Json<QuotePage>, ApiError> {
    let (from, to) = params::date_range(q.from.as_deref(), q.to.as_deref())?;
    let speaker = params::text("speaker", q.speaker.as_deref())?;
    let outlet = params::text("outlet", q.outlet.as_deref())?;
    let kind = match q.kind.as_deref().map(str::to_ascii_lowercase) {
        None => None,
        Some(k) if ["direct", "indirect", "partial"].contains(&k.as_str()) => Some(k),
        Some(k) => {
            return Err(ApiError::bad_parameter(
                "kind",
                format!("{k:?} is not a quote kind: direct, indirect or partial"),
            ))
        }
    };
    let document = document_param(q.document.as_deref())?;
    let key = format!("quotes|{speaker:?}|{kind:?}|{outlet:?}|{from:?}|{to:?}|{document:?}");
    let page = start_page(&state, &q.limit, &q.cursor, &key)?;
    let limit = Some(page.rows_needed());
    let rows = state
        .read(move |store| {
            let doc_id = document
                .map(|d| resolve_document(store, &d))
                .transpose()
                .map_err(|e| ApiError::from(e).for_parameter("document"))?;
            Ok(store.quotes(&QuoteFilter {
                speaker,
                kind,
                outlet,
                from,
                to,
                doc_id,
                limit,
            })?)
        })
        .await?;
    let (items, next_cursor) = page.cut(rows);
    Ok(Json(QuotePage { items, next_cursor }))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ClaimQuery {
    /// Only claims of this kind (KILL, WOUND, DISPLACE, BESIEGED, MONEY, …).
    #[param(example = "KILL")]
    kind: Option<String>,
    /// Only documents from outlets whose name contains this text.
    outlet: Option<String>,
    /// Earliest publication date: YYYY, YYYY-MM or YYYY-MM-DD.
    from: Option<String>,
    /// Latest publication date (the whole period included).
    to: Option<String>,
    /// Only this document (id or unique prefix).
    document: Option<String>,
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    cursor: Option<String>,
}

/// Numeric claims across the store (casualties, displaced, money, …).
#[utoipa::path(
    get,
    path = "/claims",
    tag = "statements",
    params(ClaimQuery),
    responses(
        (status = 200, description = "A page of claims", body = ClaimPage),
        (status = 400, description = "A parameter is not valid", body = ErrorBody),
        (status = 404, description = "No such document", body = ErrorBody),
    )
)]
pub async fn claims(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ClaimQuery>,
) -> Result<Json<ClaimPage>, ApiError> {
    let (from, to) = params::date_range(q.from.as_deref(), q.to.as_deref())?;
    let outlet = params::text("outlet", q.outlet.as_deref())?;
    let kind = q
        .kind
        .as_deref()
        .map(|k| checks::claim_kind(k).map_err(|e| ApiError::bad_parameter("kind", e)))
        .transpose()?;
    let document = document_param(q.document.as_deref())?;
    let key = format!("claims|{kind:?}|{outlet:?}|{from:?}|{to:?}|{document:?}");
    let page = start_page(&state, &q.limit, &q.cursor, &key)?;
    let limit = Some(page.rows_needed());
    let rows = state
        .read(move |store| {
            let doc_id = document
                .map(|d| resolve_document(store, &d))
                .transpose()
                .map_err(|e| ApiError::from(e).for_parameter("document"))?;
            Ok(store.claims(&ClaimFilter {
                kind,
                outlet,
                from,
                to,
                doc_id,
                limit,
            })?)
        })
        .await?;
    let (items, next_cursor) = page.cut(rows);
    Ok(Json(ClaimPage { items, next_cursor }))
}

/// A `document=` filter: an id or id prefix.
fn document_param(v: Option<&str>) -> Result<Option<String>, ApiError> {
    v.map(|d| super::documents::id_param("document", d))
        .transpose()
}
