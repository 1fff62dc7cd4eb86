//! The web UI: server-rendered pages (maud) over the same store reads as the
//! API, one embedded stylesheet and one small script. Every page is whole
//! without the script; it only highlights the evidence a link names.
//!
//! Pages: the story list (`/`, search and date range), a story
//! (`/stories/{id}`), an actor (`/actor?name=…` or `?code=…`), a document with
//! its annotations (`/documents/{id}`), document search (`/search`).

mod actor;
pub mod assets;
mod document;
mod page;
pub mod segments;
mod stories;

use crate::error::ApiError;
use crate::AppState;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use maud::html;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/", get(stories::list))
        .route("/stories", get(stories::list))
        .route("/stories/{id}", get(stories::story))
        .route("/documents/{id}", get(document::document))
        .route("/actor", get(actor::actor))
        .route("/search", get(stories::search))
        .route("/assets/{name}", get(assets::serve))
}

/// Timeline entries a page draws at most (a story of thousands of reports has
/// thousands of merged events); the API's `/timeline` lists them all.
pub const TIMELINE_SHOWN: usize = 300;

/// The note under a timeline cut at [`TIMELINE_SHOWN`], pointing at the API.
fn more_events(total: usize, query: &str) -> maud::Markup {
    html! {
        @if total > TIMELINE_SHOWN {
            p.meta {
                "The first " (TIMELINE_SHOWN) " of " (total) " events; "
                a href=(format!("/api/v1/timeline?{query}&limit=500")) { "all of them as JSON, by pages" } "."
            }
        }
    }
}

/// A page's failure, drawn as a page (the API's errors are JSON).
#[derive(Debug)]
pub struct UiError(pub ApiError);

impl From<ApiError> for UiError {
    fn from(e: ApiError) -> Self {
        UiError(e)
    }
}

impl From<chronicle_store::StoreError> for UiError {
    fn from(e: chronicle_store::StoreError) -> Self {
        UiError(ApiError::from(e))
    }
}

impl IntoResponse for UiError {
    fn into_response(self) -> Response {
        let status = self.0.status;
        let title = match status {
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::BAD_REQUEST => "Bad request",
            _ => "Error",
        };
        let body = page::shell(
            title,
            html! {
                h1 { (title) }
                p { (self.0.detail.message) }
                @if let Some(p) = &self.0.detail.parameter {
                    p.meta { "Parameter: " code { (p) } }
                }
                p { a href="/" { "Back to the stories" } }
            },
        );
        (status, Html(body.into_string())).into_response()
    }
}

/// What every page handler returns.
pub type PageResult = Result<Html<String>, UiError>;

/// An id as the store writes them (hex digits, a kind prefix, dashes): anything
/// else is a 400 before the store is asked.
pub fn check_id(name: &str, id: &str) -> Result<(), UiError> {
    let ok = !id.is_empty()
        && id.len() <= 128
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b':');
    if ok {
        Ok(())
    } else {
        Err(ApiError::bad_parameter(
            name,
            format!("{name} must be an id (letters, digits and dashes)"),
        )
        .into())
    }
}

/// A date bound (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`, a real day), checked as
/// the CLI and the API check it; an empty field (a form left blank) is no bound.
pub fn check_date(name: &str, value: Option<String>) -> Result<Option<String>, UiError> {
    match value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
    {
        None => Ok(None),
        Some(v) => chronicle_engine::query::params::date_bound(&v)
            .map(Some)
            .map_err(|m| UiError(ApiError::bad_parameter(name, format!("{name}: {m}")))),
    }
}

/// A 1-based page number, at most `max`.
pub fn check_page(value: Option<&str>, max: usize) -> Result<usize, UiError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(1),
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(ApiError::bad_parameter(
                "page",
                format!("page must be a number from 1 to {max}"),
            )
            .into()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked_before_the_store_is_asked() {
        assert_eq!(
            check_date("from", Some("2025-03".into())).unwrap(),
            Some("2025-03".into())
        );
        assert_eq!(check_date("from", Some("".into())).unwrap(), None);
        assert!(check_date("from", Some("2025-02-29".into())).is_err());
        assert!(check_date("from", Some("2024-02-29".into())).is_ok());
        assert!(check_date("to", Some("2025-13".into())).is_err());
        assert!(check_date("to", Some("March".into())).is_err());
        assert!(check_date("to", Some("2025-03-01' OR 1=1".into())).is_err());
    }

    #[test]
    fn ids_and_pages_are_bounded() {
        assert!(check_id("id", "story-4dece72b").is_ok());
        assert!(check_id("id", "../etc").is_err());
        assert!(check_id("id", "").is_err());
        assert_eq!(check_page(None, 10).unwrap(), 1);
        assert!(check_page(Some("0"), 10).is_err());
        assert!(check_page(Some("11"), 10).is_err());
        assert!(check_page(Some("x"), 10).is_err());
    }
}
