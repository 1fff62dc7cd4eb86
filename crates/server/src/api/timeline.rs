//! `GET /timeline`: an actor's, a pair's or a story's merged events in order
//! (`chronicle_engine::timeline`, as `chronicle timeline --json`).

use super::{opaque_type, start_page};
use crate::error::{ApiError, ErrorBody};
use crate::params::{self, ApiQuery};
use crate::AppState;
use axum::extract::State;
use axum::response::Response;
use chronicle_engine::query::{cameo_label, params as checks, stories};
use chronicle_engine::timeline::{
    self, Timeline, TimelineEntry, TimelineQuery as EngineQuery, TimelineSubject,
};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

opaque_type!(
    TimelineJson,
    "A page of a timeline, as `chronicle timeline --json` prints the whole: `subject`; `next_cursor` (absent on the last page; pages run through `events`, then `undated`); `events`, the dated merged events in order (each with `order`, `event`, `story`, `date`, `precision`, `range` (a bound such as 'before 3 October' with its cue and evidence), `label`, the CAMEO code, sources, first report, every differing date with its outlets, `evidence` (document, outlet, byte span, sentence), differing `figures`); `undated`, the rest (some `placed` before or after a dated event by the text)."
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
    /// Entries per page (dated events first, then undated ones).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    cursor: Option<String>,
}

/// One page of a timeline, borrowed from the whole one kept in the view cache.
#[derive(Serialize)]
struct TimelinePage<'a> {
    subject: &'a str,
    events: &'a [TimelineEntry],
    undated: &'a [TimelineEntry],
    #[serde(skip_serializing_if = "Option::is_none")]
    next_cursor: Option<String>,
}

/// About how many bytes a timeline holds, for the view cache's budget: its
/// strings plus a fixed cost per entry, mention and figure group (writing it
/// out to count would cost a tenth of computing it).
fn approx_bytes(t: &Timeline) -> usize {
    let text = |s: &Option<String>| s.as_ref().map_or(0, String::len);
    t.events
        .iter()
        .chain(&t.undated)
        .map(|e| {
            600 + e.label.len()
                + e.evidence.as_ref().map_or(0, |v| 100 + text(&v.sentence))
                + e.figures.len() * 300
                + e.date_versions.len() * 100
                + e.mentions
                    .iter()
                    .map(|m| 450 + text(&m.sentence))
                    .sum::<usize>()
        })
        .sum()
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
) -> Result<Response, ApiError> {
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
    let key = format!(
        "timeline|{:?}|{:?}|{:?}|{from:?}|{to:?}",
        q.actor, q.pair, q.story
    );
    let page = start_page(&state, &q.limit, &q.cursor, &key)?;
    let body = state
        .read_view(
            key,
            move |store| {
                let subject = match &subject {
                    Subject::Ready(s) => s.clone(),
                    Subject::Story(prefix) => TimelineSubject::Story(
                        stories::resolve_story(store, prefix)
                            .map_err(|e| ApiError::from(e).for_parameter("story"))?
                            .id,
                    ),
                };
                let query = EngineQuery {
                    subject,
                    from: from.clone(),
                    to: to.clone(),
                };
                let t = timeline::timeline(store, &query, &cameo_label)?;
                let size = approx_bytes(&t);
                Ok((t, size))
            },
            move |t: &Timeline| {
                let dated = t.events.len();
                let (shown, next_cursor) = page.window(dated + t.undated.len());
                let events = &t.events[shown.start.min(dated)..shown.end.min(dated)];
                let undated =
                    &t.undated[shown.start.max(dated) - dated..shown.end.max(dated) - dated];
                serde_json::to_vec(&TimelinePage {
                    subject: &t.subject,
                    events,
                    undated,
                    next_cursor,
                })
                .map(axum::body::Bytes::from)
                .map_err(|e| ApiError::internal(format!("cannot write the timeline: {e}")))
            },
        )
        .await?;
    Ok(super::json_body(body))
}
