//! The story list (search and date range), the story page (timeline of merged
//! events, disagreements, quotes by speaker, top actors, what changed since a
//! date) and document search.

use super::document::clip;
use super::page::{self, evidence_href, evidence_link, or_dash, plural, urlencode, value_text};
use super::{check_date, check_id, check_page, PageResult, UiError};
use crate::error::ApiError;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use chronicle_engine::digest::{self, Since, StoryDigest};
use chronicle_engine::query::cameo_label;
use chronicle_engine::query::stories::{
    resolve_story, story_detail, top_people, Disagreement, StoryDetail,
};
use chronicle_engine::timeline::{self, Timeline, TimelineEntry, TimelineQuery, TimelineSubject};
use chronicle_store::{EntityRow, QuoteFilter, QuoteRow, SearchHit, StoryFilter, StoryRow};
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Stories per page of the list; search hits per page.
const PER_PAGE: usize = 20;
/// Pages a list may be paged through (the store is asked for at most this
/// many pages' rows).
const MAX_PAGES: usize = 50;
/// Documents of a story whose quotes the page reads (the newest).
const QUOTE_DOCUMENTS: usize = 100;
/// Actors the story page lists.
const TOP_ACTORS: usize = 10;

/// The query of the list pages; every field as typed, checked before use.
#[derive(Debug, Deserialize, Default)]
pub struct ListParams {
    pub q: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub page: Option<String>,
    pub per: Option<String>,
}

fn check_per(v: Option<&str>) -> Result<usize, UiError> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(PER_PAGE),
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=100).contains(&n) => Ok(n),
            _ => Err(ApiError::bad_parameter("per", "per must be a number from 1 to 100").into()),
        },
    }
}

fn check_query(q: Option<String>) -> Result<Option<String>, UiError> {
    let q = q.map(|q| q.trim().to_string()).filter(|q| !q.is_empty());
    match q {
        Some(q) if q.chars().count() > 200 => {
            Err(ApiError::bad_parameter("q", "q is at most 200 characters").into())
        }
        q => Ok(q),
    }
}

/// `GET /` and `GET /stories`: stories by first date, filtered by words (in
/// the label, or an actor the story names) and by dates.
pub async fn list(State(state): State<AppState>, Query(p): Query<ListParams>) -> PageResult {
    let q = check_query(p.q)?;
    let from = check_date("from", p.from)?;
    let to = check_date("to", p.to)?;
    let page_no = check_page(p.page.as_deref(), MAX_PAGES)?;
    let per = check_per(p.per.as_deref())?;
    let (q2, from2, to2) = (q.clone(), from.clone(), to.clone());
    let rows = state
        .read(move |store| {
            let filter = StoryFilter {
                from: from2.clone(),
                to: to2.clone(),
                ..Default::default()
            };
            let mut rows = store.stories(&filter)?;
            if let Some(q) = &q2 {
                let by_actor: std::collections::HashSet<String> = store
                    .stories(&StoryFilter {
                        actor: Some(q.clone()),
                        ..filter.clone()
                    })?
                    .into_iter()
                    .map(|s| s.id)
                    .collect();
                let needle = q.to_lowercase();
                rows.retain(|s| {
                    by_actor.contains(&s.id) || s.label.to_lowercase().contains(&needle)
                });
            }
            Ok(rows)
        })
        .await?;
    let total = rows.len();
    let shown: Vec<&StoryRow> = rows.iter().skip((page_no - 1) * per).take(per).collect();
    let link = |n: usize| {
        let mut parts = vec![format!("page={n}")];
        for (k, v) in [("q", &q), ("from", &from), ("to", &to)] {
            if let Some(v) = v {
                parts.push(format!("{k}={}", urlencode(v)));
            }
        }
        if per != PER_PAGE {
            parts.push(format!("per={per}"));
        }
        format!("/stories?{}", parts.join("&"))
    };
    let body = html! {
        h1 { "Stories" }
        form.filters method="get" action="/stories" role="search" {
            label { "Words in the story or an actor" input type="search" name="q" value=[q.as_deref()]; }
            label { "From" input type="date" name="from" value=[from.as_deref()]; }
            label { "To" input type="date" name="to" value=[to.as_deref()]; }
            button type="submit" { "Show" }
        }
        p.meta #count { (plural(total as u64, "story")) @if total > 0 { ", page " (page_no) " of " (total.div_ceil(per)) } }
        ol.plain.cards #stories {
            @for s in &shown {
                li {
                    a.title href=(format!("/stories/{}", urlencode(&s.id))) { (s.label) }
                    div.meta {
                        (or_dash(s.first_date.as_deref())) " – " (or_dash(s.last_date.as_deref()))
                        " · " (plural(s.num_articles, "article"))
                        " · " (plural(s.outlets.len() as u64, "outlet"))
                        @if !s.outlets.is_empty() { ": " (clip(&s.outlets.join(", "), 120)) }
                    }
                }
            }
        }
        (pager(page_no, page_no * per < total, link))
    };
    Ok(Html(page::shell("Stories", body).into_string()))
}

fn pager(page_no: usize, more: bool, link: impl Fn(usize) -> String) -> Markup {
    html! {
        nav.pager aria-label="Pages" {
            @if page_no > 1 { a rel="prev" href=(link(page_no - 1)) { "← Previous" } }
            @if more { a rel="next" href=(link(page_no + 1)) { "Next →" } }
        }
    }
}

/// `GET /search?q=…`: documents matching the words, best first, with the
/// matching passage.
pub async fn search(State(state): State<AppState>, Query(p): Query<ListParams>) -> PageResult {
    let q = check_query(p.q)?;
    let page_no = check_page(p.page.as_deref(), MAX_PAGES)?;
    let per = check_per(p.per.as_deref())?;
    let hits: Vec<SearchHit> = match q.clone() {
        Some(q) => {
            let want = page_no * per + 1;
            state.read(move |store| Ok(store.search(&q, want)?)).await?
        }
        None => Vec::new(),
    };
    let more = hits.len() > page_no * per;
    let shown: Vec<&SearchHit> = hits.iter().skip((page_no - 1) * per).take(per).collect();
    let qs = q.clone().unwrap_or_default();
    let link = |n: usize| {
        let per_part = if per != PER_PAGE {
            format!("&per={per}")
        } else {
            String::new()
        };
        format!("/search?q={}&page={n}{per_part}", urlencode(&qs))
    };
    let body = html! {
        h1 { "Search documents" }
        form.filters method="get" action="/search" role="search" {
            label { "Words (full-text search)" input type="search" name="q" value=[q.as_deref()]; }
            @if per != PER_PAGE { input type="hidden" name="per" value=(per); }
            button type="submit" { "Search" }
        }
        @if q.is_some() {
            p.meta #count { "Page " (page_no) ": " (plural(shown.len() as u64, "document")) }
            ol.plain.cards #hits {
                @for h in &shown {
                    li {
                        a.title href=(format!("/documents/{}", urlencode(&h.id))) { (h.title.as_deref().unwrap_or(&h.id)) }
                        div.meta { (or_dash(h.outlet.as_deref())) " · " (or_dash(h.published.as_deref())) }
                        div { (snippet(&h.snippet)) }
                    }
                }
            }
            (pager(page_no, more, link))
        }
    };
    Ok(Html(page::shell("Search", body).into_string()))
}

/// The store's snippet marks hits with `[brackets]`: drawn as `<mark>`.
fn snippet(s: &str) -> Markup {
    let mut parts = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']') else {
            break;
        };
        parts.push((false, &rest[..open]));
        parts.push((true, &rest[open + 1..open + close]));
        rest = &rest[open + close + 1..];
    }
    parts.push((false, rest));
    html! { @for (hit, t) in parts { @if hit { mark { (t) } } @else { (t) } } }
}

/// The story page's query: `since` asks what changed after that date.
#[derive(Debug, Deserialize, Default)]
pub struct StoryParams {
    pub since: Option<String>,
}

/// Everything the story page shows, read on one connection.
struct StoryView {
    story: StoryRow,
    /// The story view the CLI and the API return (reports, disagreements).
    detail: StoryDetail,
    timeline: Timeline,
    actors: Vec<EntityRow>,
    quotes: Vec<QuoteRow>,
    quotes_capped: bool,
    since: Option<(String, StoryDigest)>,
}

/// `GET /stories/{id}` (an id or an unambiguous prefix).
pub async fn story(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(p): Query<StoryParams>,
) -> PageResult {
    check_id("id", &id)?;
    let since = check_date("since", p.since)?;
    // The whole page is kept while the store is unchanged, like the API's
    // story view (and computed again by the warmer once read).
    let key = format!("ui-story|{id}|{since:?}");
    let page = state
        .read_cached(key, move |store| {
            let view = story_view(store, &id, since.clone())?;
            let title = view.story.label.clone();
            Ok(page::shell(&title, render_story(&view))
                .into_string()
                .into_bytes())
        })
        .await?;
    let page = String::from_utf8(page.to_vec())
        .map_err(|_| ApiError::internal("the story page is not UTF-8"))?;
    Ok(Html(page))
}

/// Everything the story page shows, read from the store.
fn story_view(
    store: &dyn chronicle_store::Store,
    id: &str,
    since: Option<String>,
) -> Result<StoryView, ApiError> {
    let story = resolve_story(store, id)?;
    let detail = story_detail(store, story.clone())?;
    let timeline = timeline::timeline(
        store,
        &TimelineQuery {
            subject: TimelineSubject::Story(story.id.clone()),
            from: None,
            to: None,
        },
        &cameo_label,
    )?;
    let actors = top_people(store, &story.id, TOP_ACTORS)?;
    let mut quotes = Vec::new();
    for d in detail.reports.iter().rev().take(QUOTE_DOCUMENTS) {
        quotes.extend(store.quotes(&QuoteFilter {
            doc_id: Some(d.document.clone()),
            ..Default::default()
        })?);
    }
    let since = match since {
        Some(day) => {
            let d = digest::story_since(store, &story.id, &Since::Date(day.clone()), &cameo_label)
                .map_err(|e| match e {
                    digest::DigestError::Store(s) => ApiError::from(s),
                    other => ApiError::bad_parameter("since", other.to_string()),
                })?;
            Some((day, d))
        }
        None => None,
    };
    Ok(StoryView {
        quotes_capped: detail.reports.len() > QUOTE_DOCUMENTS,
        story,
        detail,
        timeline,
        actors,
        quotes,
        since,
    })
}

fn render_story(v: &StoryView) -> Markup {
    let s = &v.story;
    let events: Vec<&TimelineEntry> = v
        .timeline
        .events
        .iter()
        .chain(&v.timeline.undated)
        .collect();
    html! {
        h1 { (s.label) }
        p.meta {
            (or_dash(s.first_date.as_deref())) " – " (or_dash(s.last_date.as_deref()))
            " · " (plural(s.num_articles, "article")) " from " (plural(s.outlets.len() as u64, "outlet"))
            " · " code { (page::short(&s.id)) }
        }
        @if !v.detail.spellings.is_empty() {
            p.meta { "Spelled several ways: "
                @for (i, sp) in v.detail.spellings.iter().enumerate() {
                    @if i > 0 { "; " } (sp.actor) " = " (sp.variants.join(" = "))
                } }
        }
        @if let Some(p) = v.detail.partial.as_ref().filter(|p| p.events_total > p.events_shown) {
            p.meta { "A large story: " (p.events_total) " merged events." }
        }
        div.story-grid {
            div {
                section #timeline-section aria-labelledby="timeline-h" {
                    h2 #timeline-h { "Timeline" }
                    p.meta { (plural(events.len() as u64, "merged event")) " in date order; sources are distinct outlets." }
                    ol.plain.timeline #timeline {
                        @for e in events.iter().take(super::TIMELINE_SHOWN) { (entry(e)) }
                    }
                    (super::more_events(events.len(), &format!("story={}", urlencode(&s.id))))
                }
                (quotes_section(v))
            }
            div {
                (disagreements_section(v))
                (since_section(v))
                section aria-labelledby="actors-h" {
                    h2 #actors-h { "Top actors" }
                    ul.plain #actors {
                        @for a in &v.actors {
                            li {
                                a href=(format!("/actor?name={}", urlencode(&a.canonical))) { (a.canonical) }
                                " " span.pill { (a.label) }
                                " " span.meta { (plural(a.mentions, "mention")) }
                            }
                        }
                    }
                }
                section aria-labelledby="reports-h" {
                    h2 #reports-h { "Reports" }
                    ol.plain.cards #reports {
                        @for r in &v.detail.reports {
                            li {
                                a href=(format!("/documents/{}", urlencode(&r.document))) { (r.title.as_deref().unwrap_or(&r.document)) }
                                div.meta { (or_dash(r.outlet.as_deref())) " · " (or_dash(r.published.as_deref()))
                                    @if let Some(p) = &r.provenance { " (" (p) ")" } }
                                @if r.corrected() {
                                    div.meta { "Dated by its story"
                                        @if let Some(d) = &r.stated_date { "; it stated " (d) }
                                        @if let Some(e) = &r.date_evidence { ": " (clip(e, 200)) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn entry(e: &TimelineEntry) -> Markup {
    let when = match (&e.date, &e.range) {
        (Some(d), _) => d.clone(),
        (None, Some(r)) => r.describe(),
        (None, None) => "undated".into(),
    };
    let outlets: Vec<&str> = {
        let mut o: Vec<&str> = e
            .mentions
            .iter()
            .filter_map(|m| m.outlet.as_deref())
            .collect();
        o.sort_unstable();
        o.dedup();
        o
    };
    html! {
        li id=(format!("ev-{}", e.event)) data-date=[e.date.as_deref()] {
            div.when { time { (when) } }
            div {
                div.what { (e.label) @if let Some(c) = &e.code { " " span.pill { "CAMEO " (c) } } }
                div.meta {
                    span.num-sources { (plural(e.num_sources, "source")) }
                    " · " (plural(e.num_mentions, "mention")) " · " (plural(e.num_articles, "article"))
                    @if let Some(p) = &e.place { " · at " (p) }
                    @if !outlets.is_empty() { " · " (outlets.join(", ")) }
                }
                @if let Some(ev) = &e.evidence {
                    blockquote {
                        a.evidence href=(evidence_href(&ev.document, ev.start, ev.end)) {
                            (clip(ev.sentence.as_deref().unwrap_or("(the sentence)"), 220))
                        }
                        " " span.meta { "— " (or_dash(ev.outlet.as_deref())) }
                    }
                }
                @if e.mentions.len() > 1 {
                    details {
                        summary { "Every report of it" }
                        ul.mentions {
                            @for m in &e.mentions {
                                li {
                                    (evidence_link(&m.document, m.start, m.end, m.outlet.as_deref().unwrap_or(&m.document)))
                                    " " span.meta { (or_dash(m.date.as_deref())) @if let Some(p) = &m.published { " · published " (p) } }
                                }
                            }
                        }
                    }
                }
                @if e.date_versions.len() > 1 {
                    div.meta { "Dated differently: "
                        @for (i, d) in e.date_versions.iter().enumerate() {
                            @if i > 0 { "; " } (d.date) " (" (d.outlets.join(", ")) ")"
                        }
                    }
                }
            }
        }
    }
}

/// Figures the reports give of one quantity that differ, side by side, each
/// with its outlet, who gave it and its evidence.
fn disagreements_section(v: &StoryView) -> Markup {
    let groups: &[Disagreement] = &v.detail.disagreements;
    html! {
        section #disagreements aria-labelledby="dis-h" {
            h2 #dis-h { "Disagreements" }
            @if groups.is_empty() { p.meta { "None found: the reports' figures agree." } }
            @for g in groups {
                div.disagreement {
                    div {
                        strong { (g.kind) }
                        @if let Some(p) = &g.place { " at " (p) }
                        @if let Some(t) = &g.time { " (" (t) ")" }
                        " " span.meta { "spread " (value_text(g.spread)) }
                    }
                    div.figures {
                        @for f in &g.values {
                            div.figure {
                                div.value { (value_text(f.value)) }
                                div.outlet { (or_dash(f.outlet.as_deref())) }
                                div.meta { "according to " (f.claimant.as_deref().unwrap_or("no one named")) }
                                div.meta { (or_dash(f.date.as_deref())) }
                                (evidence_link(&f.document, f.start, f.end, "evidence"))
                            }
                        }
                    }
                }
            }
        }
    }
}

fn quotes_section(v: &StoryView) -> Markup {
    let mut by_speaker: BTreeMap<String, Vec<&QuoteRow>> = BTreeMap::new();
    for q in &v.quotes {
        let who = q
            .speaker_canonical
            .clone()
            .or_else(|| q.speaker.clone())
            .unwrap_or_else(|| "Unattributed".into());
        by_speaker.entry(who).or_default().push(q);
    }
    let mut speakers: Vec<(String, Vec<&QuoteRow>)> = by_speaker.into_iter().collect();
    speakers.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    html! {
        section #quotes aria-labelledby="quotes-h" {
            h2 #quotes-h { "Quotes by speaker" }
            @if v.quotes_capped { p.meta { "From the newest " (QUOTE_DOCUMENTS) " reports." } }
            @if speakers.is_empty() { p.meta { "No quotes found." } }
            @for (who, qs) in &speakers {
                div.speaker {
                    h3 {
                        @if who == "Unattributed" { (who) }
                        @else { a href=(format!("/actor?name={}", urlencode(who))) { (who) } }
                        " " span.meta { "(" (qs.len()) ")" }
                    }
                    ul.plain.quotes {
                        @for q in qs {
                            li {
                                blockquote {
                                    (evidence_link(&q.doc_id, q.start, q.end, &clip(&q.text, 240)))
                                    " " span.meta { "— " (or_dash(q.outlet.as_deref())) ", " (or_dash(q.published.as_deref())) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn since_section(v: &StoryView) -> Markup {
    let s = &v.story;
    html! {
        section.since aria-labelledby="since-h" {
            h2 #since-h { "What changed since" }
            form.filters method="get" action=(format!("/stories/{}", urlencode(&s.id))) {
                label { "Reports after" input type="date" name="since" value=[v.since.as_ref().map(|(d, _)| d.as_str())]; }
                button type="submit" { "Show changes" }
            }
            @if let Some((day, d)) = &v.since {
                p #since-summary { (plural(d.reports.len() as u64, "report")) " after " (day) ", "
                    (plural(d.new_events.len() as u64, "new event")) ", "
                    (plural(d.figures.len() as u64, "new or revised figure")) "." }
                @if !d.reports.is_empty() {
                    h3 { "Later reports" }
                    ul { @for r in &d.reports { li {
                        a href=(format!("/documents/{}", urlencode(&r.document))) { (r.title.as_deref().unwrap_or(&r.document)) }
                        " " span.meta { (or_dash(r.outlet.as_deref())) ", " (or_dash(r.published.as_deref())) }
                    } } }
                }
                @if !d.new_events.is_empty() {
                    h3 { "New events" }
                    ul { @for e in &d.new_events { li {
                        (or_dash(e.date.as_deref())) " " (e.label) " "
                        @if let Some(ev) = &e.evidence { (evidence_link(&ev.document, ev.start, ev.end, "evidence")) }
                    } } }
                }
                @if !d.figures.is_empty() {
                    h3 { "Figures new or revised" }
                    ul { @for f in &d.figures { li {
                        (f.kind) " " (f.subject) @if let Some(p) = &f.place { " at " (p) } ": "
                        @for (i, x) in f.before.iter().enumerate() { @if i > 0 { ", " } (value_text(x.value)) }
                        @if !f.before.is_empty() { " → " }
                        @for (i, x) in f.after.iter().enumerate() {
                            @if i > 0 { ", " }
                            (evidence_link(&x.document, x.start, x.end, &value_text(x.value)))
                            " (" (or_dash(x.outlet.as_deref())) ")"
                        }
                    } } }
                }
                @if !d.new_actors.is_empty() {
                    h3 { "New people and organizations" }
                    ul { @for a in &d.new_actors { li { a href=(format!("/actor?name={}", urlencode(&a.name))) { (a.name) } } } }
                }
                @if !d.denied.is_empty() {
                    h3 { "Denied or contradicted" }
                    ul { @for x in &d.denied { li {
                        (x.label) ": " (evidence_link(&x.document, x.start, x.end, &clip(&x.sentence, 160)))
                    } } }
                }
            }
        }
    }
}
