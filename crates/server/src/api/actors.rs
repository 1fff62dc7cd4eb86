//! `GET /actors`: actors with their codes, roles over time and spellings,
//! folded by cross-document entity (`chronicle_engine::query::actors`).

use super::{page_type, start_page};
use crate::error::{ApiError, ErrorBody};
use crate::params::{self, ApiQuery};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use chronicle_engine::query::actors::{actor_rows, ActorRow};
use serde::Deserialize;
use utoipa::IntoParams;

page_type!(
    ActorPage,
    ActorRow,
    "Actors, by name (rows as `chronicle actors --json`): one row per actor, code and role, with first and last dates, variants and evidence."
);

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ActorQuery {
    /// Only actors whose name or a spelling of it contains this text (case-insensitive).
    name: Option<String>,
    /// Only actors whose CAMEO code starts with this (RUS, RUSGOV).
    code: Option<String>,
    /// Also list actors known only by a generic agent word ("civilians"): `true` or `false`.
    #[param(value_type = Option<bool>)]
    all: Option<String>,
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    cursor: Option<String>,
}

/// Actors with their codes, roles and spellings.
#[utoipa::path(
    get,
    path = "/actors",
    tag = "actors",
    params(ActorQuery),
    responses(
        (status = 200, description = "A page of actors", body = ActorPage),
        (status = 400, description = "A parameter is not valid", body = ErrorBody),
    )
)]
pub async fn actors(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ActorQuery>,
) -> Result<Json<ActorPage>, ApiError> {
    let name = params::text("name", q.name.as_deref())?.map(|n| n.to_lowercase());
    let code = q
        .code
        .as_deref()
        .map(|c| {
            chronicle_engine::query::params::actor_code(c)
                .map_err(|e| ApiError::bad_parameter("code", e))
        })
        .transpose()?;
    let all = super::stories::flag("all", q.all.as_deref())?;
    let key = format!("actors|{name:?}|{code:?}|{all}");
    let page = start_page(&state, &q.limit, &q.cursor, &key)?;
    let rows = state.read(move |store| Ok(actor_rows(store, all)?)).await?;
    let rows: Vec<ActorRow> = rows
        .into_iter()
        .filter(|r| {
            name.as_deref().is_none_or(|n| {
                std::iter::once(&r.actor)
                    .chain(&r.variants)
                    .any(|v| v.to_lowercase().contains(n))
            }) && code
                .as_deref()
                .is_none_or(|c| r.code.as_deref().is_some_and(|rc| rc.starts_with(c)))
        })
        .collect();
    let (items, next_cursor) = page.cut(rows);
    Ok(Json(ActorPage { items, next_cursor }))
}
