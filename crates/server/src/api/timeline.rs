//! `GET /timeline`: an actor's, a pair's or a story's merged events in order
//! (`chronicle_engine::timeline`, as `chronicle timeline --json`).

use super::opaque_type;
use crate::error::{ApiError, ErrorBody};
use crate::params::{self, ApiQuery};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use chronicle_engine::query::{cameo_label, params as checks, stories};
use chronicle_engine::timeline::{self, TimelineQuery as EngineQuery, TimelineSubject};
use serde::Deserialize;
use utoipa::IntoParams;

opaque_type!(
    TimelineJson,
    "A timeline, as `chronicle timeline --json` prints it: `subject`; `events`, the dated merged events in order (each with `order`, `event`, `story`, `date`, `precision`, `range` (a bound such as 'before 3 October' with its cue and evidence), `label`, the CAMEO code, sources, first report, every differing date with its outlets, `evidence` (document, outlet, byte span, sentence), differing `figures`); `undated`, the rest (some `placed` before or after a dated event by the text)."
);

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TimelineQuery {
    /// A CAMEO actor code or its start in capitals (RUS, USAGOV), or a name of people or organizations (Lavrov), as source or target.
    #[param(example = "RUS")]
    actor: Option<String>,
    /// Two actors (codes or names, as `actor`) separated by a comma: the events between them, either way round.
    #[param(example = "USA,RUS")]
    pair: Option<String>,
    /// Every merged event of one story (id or unique prefix).
    story: Option<String>,
    /// Events dated this day or later: YYYY, YYYY-MM or YYYY-MM-DD.
    from: Option<String>,
    /// Events dated by this date (the whole period included).
    to: Option<String>,
}

/// What happened to an actor, between two actors or in a story, in order.
#[utoipa::path(
    get,
    path = "/timeline",
    tag = "events",
    params(TimelineQuery),
    responses(
        (status = 200, description = "The timeline (empty lists when nothing matched)", body = TimelineJson),
        (status = 400, description = "Not exactly one of actor, pair, story; or a parameter is not valid", body = ErrorBody),
        (status = 404, description = "No such story", body = ErrorBody),
    )
)]
pub async fn timeline(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<TimelineQuery>,
) -> Result<Json<TimelineJson>, ApiError> {
    let (from, to) = params::date_range(q.from.as_deref(), q.to.as_deref())?;
    let party = |name: &str, v: &str| {
        params::text(name, Some(v))?;
        checks::party(v).map_err(|e| ApiError::bad_parameter(name, e))
    };
    enum Subject {
        Ready(TimelineSubject),
        Story(String),
    }
    let subject = match (q.actor.as_deref(), q.pair.as_deref(), q.story.as_deref()) {
        (Some(a), None, None) => Subject::Ready(TimelineSubject::Actor(party("actor", a)?)),
        (None, Some(p), None) => match p.split_once(',') {
            Some((a, b)) if !b.contains(',') => {
                Subject::Ready(TimelineSubject::Pair(party("pair", a)?, party("pair", b)?))
            }
            _ => {
                return Err(ApiError::bad_parameter(
                    "pair",
                    "pair must be two actors separated by a comma, e.g. USA,RUS",
                ))
            }
        },
        (None, None, Some(s)) => {
            let s = s.trim().to_ascii_lowercase();
            let hex = s.strip_prefix("story-").unwrap_or(&s);
            if !(4..=64).contains(&hex.len()) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(ApiError::bad_parameter(
                    "story",
                    "story must be a story id or a prefix of one",
                ));
            }
            Subject::Story(format!("story-{hex}"))
        }
        _ => {
            return Err(ApiError::bad_parameter(
                "actor",
                "give exactly one of actor, pair or story",
            ))
        }
    };
    let value = state
        .read(move |store| {
            let subject = match subject {
                Subject::Ready(s) => s,
                Subject::Story(prefix) => TimelineSubject::Story(
                    stories::resolve_story(store, &prefix)
                        .map_err(|e| ApiError::from(e).for_parameter("story"))?
                        .id,
                ),
            };
            let query = EngineQuery { subject, from, to };
            let t = timeline::timeline(store, &query, &cameo_label)?;
            TimelineJson::of(&t)
        })
        .await?;
    Ok(Json(value))
}
