//! A web page's headline. Pages give it in up to three places: the metadata
//! title (`og:title`, JSON-LD `headline`), the `<title>` element, which most
//! sites extend with their own name ("Headline | Outlet", "Outlet » Blog »
//! Headline"), and the article's `<h1>`. The `<h1>` is the headline as the
//! reader sees it, so it wins when the other titles contain it; otherwise the
//! metadata or `<title>` is taken with the site's name cut off at a separator.

use dom_query::Document as Dom;

/// Separators sites put between a headline and their name, with spaces around.
const SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", " · ", " › ", " » ", " :: ", " ⋆ ", " • ", " / ",
];

fn fold_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lowercase letters and digits only, for containment tests.
fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The first `<h1>`s' texts, whitespace folded (a page may put its logo in
/// the first one).
fn headings(dom: &Dom) -> Vec<String> {
    dom.select("h1")
        .iter()
        .take(3)
        .map(|h| fold_space(&h.text()))
        .filter(|t| !t.is_empty() && t.len() <= 400)
        .collect()
}

/// A title without markup that leaked into it (`<br />` as a title).
fn clean(title: &str) -> Option<String> {
    let t = if title.contains('<') {
        fold_space(&super::html::fragment_to_text(title))
    } else {
        fold_space(title)
    };
    (!fold(&t).is_empty()).then_some(t)
}

/// Whether `part` names the site: its folded letters are the site name's, or
/// part of the site's host.
fn names_site(part: &str, site: &[String]) -> bool {
    let p = fold(part);
    !p.is_empty()
        && site
            .iter()
            .any(|s| s == &p || (p.len() >= 4 && s.contains(&p)))
}

/// `title` with the site's name cut off: the segments between separators that
/// name the site are dropped (a title of only such segments stays whole).
fn without_site(title: &str, site: &[String]) -> String {
    let Some(sep) = SEPARATORS.iter().find(|s| title.contains(*s)) else {
        return title.to_string();
    };
    let parts: Vec<&str> = title.split(sep).map(str::trim).collect();
    let kept: Vec<&str> = parts
        .iter()
        .copied()
        .filter(|p| !names_site(p, site))
        .collect();
    if kept.is_empty() || kept.len() == parts.len() {
        return title.to_string();
    }
    kept.join(sep)
}

/// The page's headline from its metadata title, its `<title>` and its `<h1>`;
/// `site` holds the outlet's names (its `og:site_name`, publisher, host).
pub fn headline(
    dom: &Dom,
    meta_title: Option<&str>,
    page_title: Option<&str>,
    site: &[&str],
) -> Option<String> {
    let site: Vec<String> = site
        .iter()
        .map(|s| fold(s))
        .filter(|s| !s.is_empty())
        .collect();
    let meta_title = meta_title.and_then(clean);
    let page_title = page_title.and_then(clean);
    let heads = headings(dom);
    for h in &heads {
        let fh = fold(h);
        if fh.chars().count() < 8 || names_site(h, &site) {
            continue;
        }
        let inside = |t: &Option<String>| t.as_deref().is_some_and(|t| fold(t).contains(&fh));
        if inside(&meta_title) || inside(&page_title) {
            return Some(h.clone());
        }
    }
    meta_title
        .or(page_title)
        .map(|t| without_site(&t, &site))
        .or_else(|| heads.into_iter().next())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn title_of(html: &str, meta: Option<&str>, site: &[&str]) -> Option<String> {
        let dom = Dom::from(html);
        let page = dom.select("title").text().to_string();
        headline(
            &dom,
            meta,
            Some(page.as_str()).filter(|t| !t.is_empty()),
            site,
        )
    }

    #[test]
    fn the_h1_wins_when_the_titles_contain_it() {
        let html = "<title>Mill reopens after a year - Valley Post</title><h1>Mill reopens after a year</h1>";
        assert_eq!(
            title_of(html, None, &[]).as_deref(),
            Some("Mill reopens after a year")
        );
        // A logo heading that the titles do not contain is passed over.
        let html = "<title>Valley Post » Blog » Mill reopens</title><h1>Valley Post</h1>";
        assert_eq!(
            title_of(html, None, &["Valley Post"]).as_deref(),
            Some("Blog » Mill reopens")
        );
    }

    #[test]
    fn the_sites_name_is_cut_at_a_separator() {
        let html = "<title>Mill reopens after a year | Valley Post</title>";
        assert_eq!(
            title_of(html, None, &["valleypost.example"]).as_deref(),
            Some("Mill reopens after a year")
        );
        // Unknown site: the title stays whole.
        assert_eq!(
            title_of(html, None, &[]).as_deref(),
            Some("Mill reopens after a year | Valley Post")
        );
    }

    #[test]
    fn markup_in_a_title_is_not_a_title() {
        assert_eq!(
            title_of("<title>x</title>", Some("<br />"), &[]).as_deref(),
            Some("x")
        );
    }
}
