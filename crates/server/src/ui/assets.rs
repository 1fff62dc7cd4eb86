//! The UI's static files, embedded in the binary: served from a fixed table
//! by exact name, so no request path ever reaches the file system.

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The file names carry a version so a browser's cached copy is never stale:
/// bump it with the files.
pub const CSS_PATH: &str = "/assets/app.v1.css";
pub const JS_PATH: &str = "/assets/app.v1.js";
pub const ICON_PATH: &str = "/assets/favicon.v1.svg";

const CSS: &str = include_str!("../../assets/app.css");
const JS: &str = include_str!("../../assets/app.js");
const ICON: &str = include_str!("../../assets/favicon.svg");

/// The embedded file called `name`, with its content type.
pub fn lookup(name: &str) -> Option<(&'static str, &'static str)> {
    match name {
        "app.v1.css" => Some((CSS, "text/css; charset=utf-8")),
        "app.v1.js" => Some((JS, "text/javascript; charset=utf-8")),
        "favicon.v1.svg" => Some((ICON, "image/svg+xml")),
        _ => None,
    }
}

/// `GET /assets/{name}`.
pub async fn serve(Path(name): Path<String>) -> Response {
    match lookup(&name) {
        Some((body, content_type)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=31536000, immutable"),
                ),
            ],
            body,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such asset").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_embedded_files_are_known() {
        assert!(lookup("app.v1.css").is_some());
        assert!(lookup("app.v1.js").is_some());
        for bad in [
            "../Cargo.toml",
            "..%2Fsrc%2Flib.rs",
            "app.css",
            "",
            "/etc/passwd",
        ] {
            assert!(lookup(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn the_paths_name_the_files() {
        assert!(CSS_PATH.ends_with("app.v1.css"));
        assert!(JS_PATH.ends_with("app.v1.js"));
        assert!(ICON_PATH.ends_with("favicon.v1.svg"));
    }
}
