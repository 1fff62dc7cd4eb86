//! The page shell every UI page shares (head, site header, footer) and the
//! small pieces pages repeat: evidence links, dates, short ids.

use maud::{html, Markup, DOCTYPE};

/// A whole page. `title` is escaped; the stylesheet and script are the
/// embedded assets (no inline script or style: the CSP allows neither).
pub fn shell(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Chronicle" }
                link rel="icon" type="image/svg+xml" href=(super::assets::ICON_PATH);
                link rel="stylesheet" href=(super::assets::CSS_PATH);
                script src=(super::assets::JS_PATH) defer {}
            }
            body {
                a.skip href="#main" { "Skip to content" }
                header.site {
                    a.brand href="/" { "Chronicle" }
                    nav aria-label="Site" {
                        a href="/" { "Stories" }
                        a href="/search" { "Search documents" }
                        a href="/api/v1/openapi.json" { "API" }
                    }
                }
                main #main tabindex="-1" { (body) }
                footer.site {
                    "Every fact links to the sentence it was read from. Read-only view of the record."
                }
            }
        }
    }
}

/// The document page's address with the evidence span highlighted.
pub fn evidence_href(doc: &str, start: usize, end: usize) -> String {
    format!("/documents/{}#s={start}-{end}", urlencode(doc))
}

/// A link to the evidence of a fact: the document page with its span marked.
pub fn evidence_link(doc: &str, start: usize, end: usize, text: &str) -> Markup {
    html! { a.evidence href=(evidence_href(doc, start, end)) { (text) } }
}

/// The start of an id a reader can type back, as the story view shortens them.
pub use chronicle_engine::query::{plural, short, value_text};

/// Percent-encodes a path segment or query value (everything but unreserved
/// characters), so names with spaces or slashes stay one parameter.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A dash for a missing value.
pub fn or_dash(s: Option<&str>) -> &str {
    s.unwrap_or("–")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_encoded_as_one_parameter() {
        assert_eq!(urlencode("Andrey Zolotar/x&y"), "Andrey%20Zolotar%2Fx%26y");
        assert_eq!(urlencode("Ilsa Väre"), "Ilsa%20V%C3%A4re");
    }

    #[test]
    fn short_ids_keep_their_kind() {
        assert_eq!(short("story-4dece72bf93597e5"), "story-4dece72b");
        assert_eq!(short("3fa9c2d1e0b7a6c5"), "3fa9c2d1");
    }

    #[test]
    fn the_shell_escapes_its_title_and_has_no_inline_script() {
        let page = shell("<x>", html! { p { "hi" } }).into_string();
        assert!(page.contains("&lt;x&gt;"));
        assert!(!page.contains("<script>"));
        assert!(!page.contains("style="));
    }
}
