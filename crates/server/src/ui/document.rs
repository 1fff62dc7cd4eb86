//! The document page: the article text with every annotation (entities, time
//! expressions, quotes, events, claims) marked by its byte span, and beside it
//! the list of those annotations with their details and where they lead (the
//! story, the merged event, the actor). `#s=START-END` marks evidence.

use super::page::{self, or_dash, urlencode};
use super::segments::{segments, Kind, Mark};
use super::{check_id, PageResult, UiError};
use crate::error::ApiError;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Html;
use chronicle_core::Document;
use chronicle_engine::query::resolve_document;
use maud::{html, Markup};
use std::collections::HashMap;

/// What the page reads from the store, in one connection.
struct DocumentView {
    doc: Document,
    story: Option<String>,
    /// Event index → merged event id.
    merged: HashMap<usize, String>,
}

/// `GET /documents/{id}` (an id or an unambiguous prefix).
pub async fn document(State(state): State<AppState>, Path(id): Path<String>) -> PageResult {
    check_id("id", &id)?;
    let view = state
        .read(move |store| {
            let full = match store.contains(&id)? {
                true => id,
                false => resolve_document(store, &id)?,
            };
            let doc = store
                .get(&full)?
                .ok_or_else(|| ApiError::not_found(format!("document {full} cannot be read")))?;
            let story = store.story_of_document(&doc.id)?;
            let merged = store.document_merged_events(&doc.id)?.into_iter().collect();
            Ok(DocumentView { doc, story, merged })
        })
        .await
        .map_err(UiError)?;
    let title = view
        .doc
        .title
        .clone()
        .unwrap_or_else(|| view.doc.id.clone());
    Ok(Html(page::shell(&title, render(&view)).into_string()))
}

/// Every annotation of the document as a mark, in layer order per kind.
fn marks(doc: &Document) -> Vec<Mark> {
    let mut out = Vec::new();
    let mut add = |kind, spans: Vec<(usize, usize)>| {
        for (index, (start, end)) in spans.into_iter().enumerate() {
            out.push(Mark {
                kind,
                index,
                start,
                end,
            });
        }
    };
    add(
        Kind::Entity,
        doc.entities.iter().map(|a| (a.start, a.end)).collect(),
    );
    add(
        Kind::Time,
        doc.times.iter().map(|a| (a.start, a.end)).collect(),
    );
    add(
        Kind::Quote,
        doc.quotes.iter().map(|a| (a.start, a.end)).collect(),
    );
    add(
        Kind::Event,
        doc.events.iter().map(|a| (a.start, a.end)).collect(),
    );
    add(
        Kind::Claim,
        doc.claims.iter().map(|a| (a.start, a.end)).collect(),
    );
    out
}

fn render(v: &DocumentView) -> Markup {
    let doc = &v.doc;
    let marks = marks(doc);
    let sentences: Vec<(usize, usize)> = doc.sentences.iter().map(|s| (s.start, s.end)).collect();
    let segs = segments(&doc.text, &marks, &sentences);
    let mut listed: Vec<&Mark> = marks.iter().collect();
    listed.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    html! {
        h1 { (doc.title.as_deref().unwrap_or("(untitled)")) }
        p.meta {
            (or_dash(doc.outlet.as_deref()))
            " · "
            @match &doc.published {
                Some(p) => { (p.date) " (" (serde_json::to_string(&p.provenance).unwrap_or_default().trim_matches('"')) ")" }
                None => { "no date" }
            }
            " · document " code { (page::short(&doc.id)) }
            @if let Some(s) = &v.story {
                " · " a href=(format!("/stories/{}", urlencode(s))) { "its story" }
            }
        }
        @if let Some(url) = &doc.url {
            p.meta { "Source: " (url) }
        }
        div.legend aria-label="What the marks mean" {
            span { span.swatch.k-ent {} " entity" }
            span { span.swatch.k-time {} " time" }
            span { span.swatch.k-quote {} " quote" }
            span { span.swatch.k-event {} " event" }
            span { span.swatch.k-claim {} " claim" }
        }
        div.doc-grid {
            article.article #text aria-label="Article text" {
                @for s in &segs {
                    @let piece = &doc.text[s.start..s.end];
                    @if s.marks.is_empty() {
                        span data-s=(s.start) data-e=(s.end) data-sn=[s.sentence] { (piece) }
                    } @else {
                        span class=(seg_class(&marks, &s.marks)) data-s=(s.start) data-e=(s.end)
                            data-sn=[s.sentence]
                            data-a=(s.marks.iter().map(|&i| marks[i].kind.id(marks[i].index)).collect::<Vec<_>>().join(" "))
                            { (piece) }
                    }
                }
            }
            aside.doc-side aria-label="Annotations" {
                section #details aria-live="polite" {
                    h2 { "Details" }
                    div.details-body {
                        p.meta { "Choose a marked stretch of the text, or an annotation below, to see what was read from it." }
                    }
                }
                h2 { (listed.len()) " annotations" }
                ol.plain #annotations {
                    @for m in &listed {
                        (annotation(v, m))
                    }
                }
            }
        }
    }
}

fn seg_class(marks: &[Mark], covering: &[usize]) -> String {
    let mut classes = vec!["a"];
    for &i in covering {
        let c = marks[i].kind.class();
        if !classes.contains(&c) {
            classes.push(c);
        }
    }
    classes.join(" ")
}

/// One annotation's entry: its kind, words, details, and links.
fn annotation(v: &DocumentView, m: &Mark) -> Markup {
    let doc = &v.doc;
    let id = m.kind.id(m.index);
    let here = format!("#s={}-{}&a={id}", m.start, m.end);
    let words = doc.text.get(m.start..m.end).unwrap_or("");
    html! {
        li id=(id) data-s=(m.start) data-e=(m.end) {
            span.kind { (m.kind.name()) } " "
            a href=(here) { "“" (clip(words, 120)) "”" }
            " " span.meta { "bytes " (m.start) "–" (m.end) }
            (details(v, m))
        }
    }
}

fn details(v: &DocumentView, m: &Mark) -> Markup {
    let doc = &v.doc;
    match m.kind {
        Kind::Entity => match doc.entities.get(m.index) {
            Some(e) => html! {
                div {
                    (e.label)
                    @if let Some(c) = &e.country { " · " (c) }
                    @if e.label == "PER" || e.label == "ORG" {
                        " · " a href=(format!("/actor?name={}", urlencode(&e.text))) { "actor page" }
                    }
                }
            },
            None => html! {},
        },
        Kind::Time => match doc.times.get(m.index) {
            Some(t) => html! { div { (t.kind) " " code { (t.value) } } },
            None => html! {},
        },
        Kind::Quote => match doc.quotes.get(m.index) {
            Some(q) => html! {
                div {
                    (q.kind) " quote"
                    @if let Some(s) = q.speaker_canonical.as_ref().or(q.speaker.as_ref()) {
                        " by " a href=(format!("/actor?name={}", urlencode(s))) { (s) }
                    }
                    @if let Some(c) = &q.cue { " · cue “" (c) "”" }
                }
            },
            None => html! {},
        },
        Kind::Event => match doc.events.get(m.index) {
            Some(e) => {
                let side = |a: &Option<chronicle_core::EventActor>| {
                    a.as_ref()
                        .map(|a| match &a.code {
                            Some(c) => format!("{} ({c})", a.text),
                            None => a.text.clone(),
                        })
                        .unwrap_or_else(|| "–".into())
                };
                html! {
                    div {
                        "CAMEO " code { (e.cameo) }
                        @if let Some(p) = &e.plover_type { " · " (p) }
                        " · " (side(&e.source)) " → " (side(&e.target))
                        @if let Some(d) = &e.date { " · " (d) @if let Some(s) = &e.date_source { " (" (s) ")" } }
                        @if let Some(l) = &e.location { " · at " (l) }
                        @if let Some(md) = &e.modality { " · " (md) }
                        @if let (Some(story), Some(merged)) = (&v.story, v.merged.get(&m.index)) {
                            " · " a href=(format!("/stories/{}#ev-{}", urlencode(story), urlencode(merged))) { "in the story" }
                        }
                    }
                }
            }
            None => html! {},
        },
        Kind::Claim => match doc.claims.get(m.index) {
            Some(c) => html! {
                div {
                    (c.kind) " " strong { (page::value_text(c.value)) }
                    @if let Some(q) = &c.qualifier { " (" (q) ")" }
                    @if let Some(s) = &c.subject { " · " (s) }
                    @if let Some(w) = &c.claimant { " · according to " (w) }
                    @if let Some(p) = &c.place { " · at " (p) }
                    @if let Some(t) = &c.time { " · " (t) }
                    @if let Some(story) = &v.story {
                        " · " a href=(format!("/stories/{}#disagreements", urlencode(story))) { "story figures" }
                    }
                }
            },
            None => html! {},
        },
    }
}

/// The first `max` characters of `s`, with an ellipsis when cut.
pub fn clip(s: &str, max: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &flat[..i]),
        None => flat,
    }
}
