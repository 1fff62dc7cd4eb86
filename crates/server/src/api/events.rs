//! `GET /events` (coded event mentions) and `GET /merged-events` (one row per
//! real-world event told across documents, with NumSources).

use super::{page_type, start_page};
use crate::error::{ApiError, ErrorBody};
use crate::params::{self, ApiQuery};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use chronicle_engine::query::events::{self, ExtraFilter};
use chronicle_engine::query::params::{self as checks, CodeFilter};
use chronicle_engine::query::stories;
use chronicle_store::{EventFilter, EventRow, MergedEventFilter, MergedEventRow};
use serde::Deserialize;
use utoipa::IntoParams;

page_type!(
    EventPage,
    EventRow,
    "Coded event mentions by date (rows as `chronicle events --json`), each with its evidence sentence and byte span."
);
page_type!(
    MergedEventPage,
    MergedEventRow,
    "Merged events by date (rows as `chronicle events --merged --json`), with their mentions, NumSources and disagreements."
);

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// An actor code or prefix, as source or target (RUS, RUSGOV, IGOUNO).
    #[param(example = "RUS")]
    actor: Option<String>,
    /// Two actor codes separated by a comma: source one and target the other, either way round.
    #[param(example = "USA,RUS")]
    pair: Option<String>,
    /// CAMEO code prefix (16, 1124), a PLOVER type (ACCUSE; mentions only) or a CAMEO root label (Threaten).
    code: Option<String>,
    /// Earliest event date: YYYY, YYYY-MM or YYYY-MM-DD.
    from: Option<String>,
    /// Latest event date (the whole period included).
    to: Option<String>,
    /// Only events whose place contains this text (case-insensitive).
    place: Option<String>,
    /// Only events told by an outlet whose name contains this text.
    outlet: Option<String>,
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    cursor: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MergedEventQuery {
    /// An actor code or prefix, consensus source or target.
    actor: Option<String>,
    /// Two actor codes separated by a comma, either way round.
    pair: Option<String>,
    /// CAMEO code prefix or root label (merged events carry a consensus CAMEO code, no PLOVER type).
    code: Option<String>,
    /// Earliest event date: YYYY, YYYY-MM or YYYY-MM-DD.
    from: Option<String>,
    /// Latest event date (the whole period included).
    to: Option<String>,
    /// Only events whose place contains this text.
    place: Option<String>,
    /// Only events one of whose mentions comes from an outlet whose name contains this text.
    outlet: Option<String>,
    /// Only events of this story (id or unique prefix).
    story: Option<String>,
    /// Only events told by at least this many outlets.
    #[param(value_type = Option<u32>, minimum = 1)]
    min_sources: Option<String>,
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    cursor: Option<String>,
}

struct Common {
    filter: EventFilter,
    extra: ExtraFilter,
    key: String,
}

fn common(
    actor: Option<&str>,
    pair: Option<&str>,
    code: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
    place: Option<&str>,
    outlet: Option<&str>,
) -> Result<Common, ApiError> {
    let (from, to) = params::date_range(from, to)?;
    let actor_code =
        |name: &str, v: &str| checks::actor_code(v).map_err(|e| ApiError::bad_parameter(name, e));
    let actor = actor.map(|a| actor_code("actor", a)).transpose()?;
    let pair = match pair {
        None => None,
        Some(p) => match p.split_once(',') {
            Some((a, b)) if !b.contains(',') => {
                Some((actor_code("pair", a)?, actor_code("pair", b)?))
            }
            _ => {
                return Err(ApiError::bad_parameter(
                    "pair",
                    "pair must be two actor codes separated by a comma, e.g. USA,RUS",
                ))
            }
        },
    };
    let code = code
        .map(|c| checks::event_code(c).map_err(|e| ApiError::bad_parameter("code", e)))
        .transpose()?;
    let place = params::text("place", place)?;
    let outlet = params::text("outlet", outlet)?;
    let key = format!("{actor:?}|{pair:?}|{code:?}|{from:?}|{to:?}|{place:?}|{outlet:?}");
    let filter = checks::event_filter(actor, code, from, to, None)
        .map_err(|e| ApiError::bad_parameter("from", e))?;
    Ok(Common {
        filter,
        extra: ExtraFilter {
            pair,
            place,
            outlet,
        },
        key,
    })
}

/// Coded event mentions (CAMEO/PLOVER), by date.
#[utoipa::path(
    get,
    path = "/events",
    tag = "events",
    params(EventQuery),
    responses(
        (status = 200, description = "A page of event mentions", body = EventPage),
        (status = 400, description = "A parameter is not valid", body = ErrorBody),
    )
)]
pub async fn list_events(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<EventQuery>,
) -> Result<Json<EventPage>, ApiError> {
    let c = common(
        q.actor.as_deref(),
        q.pair.as_deref(),
        q.code.as_deref(),
        q.from.as_deref(),
        q.to.as_deref(),
        q.place.as_deref(),
        q.outlet.as_deref(),
    )?;
    let page = start_page(&state, &q.limit, &q.cursor, &format!("events|{}", c.key))?;
    let n = page.rows_needed();
    let rows = state
        .read(move |store| Ok(events::events(store, &c.filter, &c.extra, Some(n))?))
        .await?;
    let (items, next_cursor) = page.cut(rows);
    Ok(Json(EventPage { items, next_cursor }))
}

/// Merged events: mentions in different documents of one real-world event, counted once.
#[utoipa::path(
    get,
    path = "/merged-events",
    tag = "events",
    params(MergedEventQuery),
    responses(
        (status = 200, description = "A page of merged events", body = MergedEventPage),
        (status = 400, description = "A parameter is not valid", body = ErrorBody),
        (status = 404, description = "No such story", body = ErrorBody),
    )
)]
pub async fn list_merged_events(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<MergedEventQuery>,
) -> Result<Json<MergedEventPage>, ApiError> {
    let c = common(
        q.actor.as_deref(),
        q.pair.as_deref(),
        q.code.as_deref(),
        q.from.as_deref(),
        q.to.as_deref(),
        q.place.as_deref(),
        q.outlet.as_deref(),
    )?;
    if let Some(CodeFilter::Plover(p)) = q.code.as_deref().and_then(|c| checks::event_code(c).ok())
    {
        return Err(ApiError::bad_parameter(
            "code",
            format!("merged events carry a consensus CAMEO code, not a PLOVER type: give a CAMEO code or prefix instead of {p}"),
        ));
    }
    let min_sources = match q.min_sources.as_deref() {
        None => None,
        Some(m) => match m.parse::<u64>() {
            Ok(n) if n >= 1 => Some(n),
            _ => {
                return Err(ApiError::bad_parameter(
                    "min_sources",
                    format!("min_sources {m:?} is not a whole number of 1 or more"),
                ))
            }
        },
    };
    let story = q
        .story
        .as_deref()
        .map(|s| {
            let s = s.trim().to_ascii_lowercase();
            let hex = s.strip_prefix("story-").unwrap_or(&s).to_string();
            if (4..=64).contains(&hex.len()) && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                Ok(format!("story-{hex}"))
            } else {
                Err(ApiError::bad_parameter(
                    "story",
                    "story must be a story id or a prefix of one",
                ))
            }
        })
        .transpose()?;
    let key = format!("merged|{}|{story:?}|{min_sources:?}", c.key);
    let page = start_page(&state, &q.limit, &q.cursor, &key)?;
    let n = page.rows_needed();
    let rows = state
        .read(move |store| {
            let story = story
                .map(|s| stories::resolve_story(store, &s).map(|r| r.id))
                .transpose()
                .map_err(|e| ApiError::from(e).for_parameter("story"))?;
            let filter = MergedEventFilter {
                story,
                code: c.filter.code,
                actor: c.filter.actor,
                from: c.filter.from,
                to: c.filter.to,
                min_sources,
                entities: None,
                with_mentions: true,
                limit: None,
            };
            Ok(events::merged_events(store, &filter, &c.extra, Some(n))?)
        })
        .await?;
    let (items, next_cursor) = page.cut(rows);
    Ok(Json(MergedEventPage { items, next_cursor }))
}
