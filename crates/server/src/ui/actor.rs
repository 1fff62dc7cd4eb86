//! The actor page: a person or organization by name (every cross-document
//! entity whose name or a spelling contains it), or a CAMEO actor code: its
//! roles over time, its timeline and its quotes.

use super::document::clip;
use super::page::{self, evidence_href, evidence_link, or_dash, plural, urlencode};
use super::{PageResult, UiError};
use crate::error::ApiError;
use crate::AppState;
use axum::extract::{Query, State};
use axum::response::Html;
use chronicle_engine::query::cameo_label;
use chronicle_engine::timeline::{self, Party, Timeline, TimelineQuery, TimelineSubject};
use chronicle_store::{EntityFilter, EntityRow, QuoteFilter, QuoteRow};
use maud::{html, Markup};
use serde::Deserialize;

/// Entities and quotes the page lists at most.
const ENTITIES: usize = 10;
const QUOTES: usize = 200;

#[derive(Debug, Deserialize, Default)]
pub struct ActorParams {
    pub name: Option<String>,
    pub code: Option<String>,
}

struct ActorView {
    title: String,
    /// The timeline API's query for the same actor (`actor=…`).
    query: String,
    entities: Vec<EntityRow>,
    timeline: Timeline,
    quotes: Vec<QuoteRow>,
}

/// `GET /actor?name=…` or `GET /actor?code=…`.
pub async fn actor(State(state): State<AppState>, Query(p): Query<ActorParams>) -> PageResult {
    let name = p
        .name
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let code = p
        .code
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let party =
        match (name, code) {
            (Some(n), None) if n.chars().count() <= 200 => Party::Name(n),
            (None, Some(c))
                if (3..=15).contains(&c.len())
                    && c.bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) =>
            {
                Party::Code(c)
            }
            (None, Some(_)) => return Err(UiError(ApiError::bad_parameter(
                "code",
                "code must be a CAMEO actor code (3 to 15 capital letters or digits, e.g. RUSGOV)",
            ))),
            (Some(_), None) => {
                return Err(UiError(ApiError::bad_parameter(
                    "name",
                    "name is at most 200 characters",
                )))
            }
            _ => {
                return Err(UiError(ApiError::bad_parameter(
                    "name",
                    "give one of name (a person or organization) or code (a CAMEO actor code)",
                )))
            }
        };
    let view = state
        .read(move |store| {
            let (title, entities, quotes) = match &party {
                Party::Name(n) => (
                    n.clone(),
                    store.entities(&EntityFilter {
                        name: Some(n.clone()),
                        limit: Some(ENTITIES),
                        ..Default::default()
                    })?,
                    store.quotes(&QuoteFilter {
                        speaker: Some(n.clone()),
                        limit: Some(QUOTES),
                        ..Default::default()
                    })?,
                ),
                Party::Code(c) => (c.clone(), Vec::new(), Vec::new()),
            };
            let timeline = timeline::timeline(
                store,
                &TimelineQuery {
                    subject: TimelineSubject::Actor(party.clone()),
                    from: None,
                    to: None,
                },
                &cameo_label,
            )?;
            let query = match &party {
                Party::Name(n) | Party::Code(n) => format!("actor={}", urlencode(n)),
            };
            Ok(ActorView {
                query,
                title,
                entities,
                timeline,
                quotes,
            })
        })
        .await?;
    Ok(Html(page::shell(&view.title, render(&view)).into_string()))
}

fn render(v: &ActorView) -> Markup {
    let events: Vec<&timeline::TimelineEntry> = v
        .timeline
        .events
        .iter()
        .chain(&v.timeline.undated)
        .collect();
    html! {
        h1 { (v.title) }
        @if !v.entities.is_empty() {
            section aria-labelledby="roles-h" {
                h2 #roles-h { "Roles over time" }
                @for e in &v.entities {
                    h3 { (e.canonical) " " span.pill { (e.label) } " " span.meta { (plural(e.mentions, "mention")) " in " (plural(e.documents, "document")) } }
                    @if e.variants.len() > 1 { p.meta { "Written as: " (e.variants.join(", ")) } }
                    @if e.roles.is_empty() { p.meta { "No role stated." } }
                    ul #roles {
                        @for r in &e.roles {
                            li { (r.role) " " span.meta { (or_dash(r.first_seen.as_deref())) " – " (or_dash(r.last_seen.as_deref())) ", " (plural(r.mentions, "mention")) } }
                        }
                    }
                }
            }
        }
        section aria-labelledby="tl-h" {
            h2 #tl-h { "Timeline" }
            @if events.is_empty() { p.meta { "No merged events with this actor as source or target." } }
            ol.plain.timeline #timeline {
                @for e in events.iter().take(super::TIMELINE_SHOWN) {
                    li {
                        div.when { (e.date.clone().or_else(|| e.range.as_ref().map(|r| r.describe())).unwrap_or_else(|| "undated".into())) }
                        div {
                            div.what { (e.label) }
                            div.meta { (plural(e.num_sources, "source")) " · "
                                a href=(format!("/stories/{}#ev-{}", urlencode(&e.story), urlencode(&e.event))) { "in its story" } }
                            @if let Some(ev) = &e.evidence {
                                blockquote { a.evidence href=(evidence_href(&ev.document, ev.start, ev.end)) { (clip(ev.sentence.as_deref().unwrap_or("(the sentence)"), 220)) } }
                            }
                        }
                    }
                }
            }
            (super::more_events(events.len(), &v.query))
        }
        @if !v.quotes.is_empty() {
            section aria-labelledby="q-h" {
                h2 #q-h { "Quotes" }
                ul.plain.quotes {
                    @for q in &v.quotes {
                        li { blockquote {
                            (evidence_link(&q.doc_id, q.start, q.end, &clip(&q.text, 240)))
                            " " span.meta { "— " (or_dash(q.speaker.as_deref())) ", " (or_dash(q.outlet.as_deref())) ", " (or_dash(q.published.as_deref())) }
                        } }
                    }
                }
            }
        }
    }
}
