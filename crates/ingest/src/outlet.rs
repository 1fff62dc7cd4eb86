//! The outlet of a URL: its host, without the `www.`-style prefixes.

/// The outlet a URL belongs to: its host without `www.`/`m.`/`amp.` prefixes.
pub fn outlet_from_url(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url)
        .or_else(|_| url::Url::parse(&format!("https://{url}")))
        .ok()?;
    let host = parsed.host_str()?.to_ascii_lowercase();
    let mut host = host.as_str();
    for prefix in ["www.", "m.", "amp.", "mobile.", "edition."] {
        if let Some(rest) = host.strip_prefix(prefix) {
            host = rest;
        }
    }
    (host.contains('.')).then(|| host.to_string())
}

/// A readable title from a URL slug, for articles whose copy lost its headline:
/// `/syria-war-talks-lausanne-161015035430288.html` → "Syria war talks lausanne".
pub fn title_from_url(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let last = parsed.path_segments()?.rev().find(|s| !s.is_empty())?;
    let stem = last.split('.').next().unwrap_or(last);
    let words: Vec<&str> = stem
        .split(['-', '_'])
        .filter(|w| !w.is_empty() && !w.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    if words.len() < 3 {
        return None;
    }
    let mut title = words.join(" ");
    if let Some(first) = title.get(..1) {
        title = first.to_uppercase() + &title[1..];
    }
    Some(title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outlets_and_slugs() {
        assert_eq!(
            outlet_from_url("http://www.aljazeera.com/news/x.html").as_deref(),
            Some("aljazeera.com")
        );
        assert_eq!(outlet_from_url("not a url"), None);
        assert_eq!(
            title_from_url("http://x.com/news/2016/10/syria-war-talks-lausanne-aleppo-fighting-161015035430288.html").as_deref(),
            Some("Syria war talks lausanne aleppo fighting")
        );
    }
}
