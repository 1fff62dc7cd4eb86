//! Maps the field names of JSON and CSV records onto article fields.

use crate::raw::RawArticle;
use chronicle_core::DateProvenance;

/// Which record field feeds which article field. `None` means auto-detect from the
/// usual names; a `Some` overrides it (CLI flags `--title-field`, …).
#[derive(Debug, Clone, Default)]
pub struct FieldMap {
    pub title: Option<String>,
    pub text: Option<String>,
    pub url: Option<String>,
    pub date: Option<String>,
    pub outlet: Option<String>,
    pub byline: Option<String>,
}

const TITLE: &[&str] = &["title", "headline", "article_title", "heading", "name"];
const TEXT: &[&str] = &[
    "text",
    "body",
    "content",
    "article_content",
    "article_text",
    "article_body",
    "articlebody",
    "body_text",
    "content_text",
    "article",
    "full_text",
    "story",
    "description",
    "summary",
];
const URL: &[&str] = &[
    "url",
    "link",
    "source_url",
    "article_url",
    "uri",
    "canonical_url",
    "href",
];
const DATE: &[&str] = &[
    "date",
    "published",
    "published_at",
    "publication_date",
    "pub_date",
    "pubdate",
    "datetime",
    "date_published",
    "created_at",
    "timestamp",
    "time",
];
const OUTLET: &[&str] = &[
    "source",
    "outlet",
    "publisher",
    "site",
    "site_name",
    "source_name",
    "domain",
    "media",
];
const BYLINE: &[&str] = &["author", "byline", "authors", "writer"];

fn pick(
    fields: &[(String, String)],
    used: &mut Vec<usize>,
    explicit: Option<&str>,
    names: &[&str],
) -> Option<String> {
    let found = match explicit {
        Some(name) => fields
            .iter()
            .position(|(k, _)| k.eq_ignore_ascii_case(name)),
        None => names.iter().find_map(|n| {
            fields.iter().enumerate().position(|(i, (k, v))| {
                !used.contains(&i) && k.eq_ignore_ascii_case(n) && !v.trim().is_empty()
            })
        }),
    }?;
    used.push(found);
    let v = fields[found].1.trim();
    (!v.is_empty()).then(|| v.to_string())
}

/// Builds an article from flat key/value fields; unmapped fields become metadata.
/// Returns `None` when no field holds article text.
pub fn map_record(
    fields: Vec<(String, String)>,
    map: &FieldMap,
    format: &'static str,
    record: String,
) -> Option<RawArticle> {
    let mut used = Vec::new();
    let body = pick(&fields, &mut used, map.text.as_deref(), TEXT)?;
    let title = pick(&fields, &mut used, map.title.as_deref(), TITLE);
    let url = pick(&fields, &mut used, map.url.as_deref(), URL);
    let date = pick(&fields, &mut used, map.date.as_deref(), DATE);
    let outlet = pick(&fields, &mut used, map.outlet.as_deref(), OUTLET);
    let byline = pick(&fields, &mut used, map.byline.as_deref(), BYLINE);
    let metadata = fields
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(i))
        .map(|(_, kv)| kv)
        .collect();
    Some(RawArticle {
        format,
        record: Some(record),
        title,
        body,
        url,
        stated_date: date.map(|d| (d, DateProvenance::Metadata)),
        extra_dates: Vec::new(),
        outlet,
        byline,
        metadata,
        parse_header: false,
        warnings: Vec::new(),
    })
}

/// Flattens a JSON value into a display string for metadata and field mapping.
pub fn json_to_string(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        serde_json::Value::Array(items) => items
            .iter()
            .map(json_to_string)
            .collect::<Vec<_>>()
            .join(", "),
        serde_json::Value::Object(o) => {
            // {"name": "..."} is how authors and publishers are usually nested
            o.get("name")
                .map(json_to_string)
                .unwrap_or_else(|| v.to_string())
        }
        other => other.to_string(),
    }
}
