//! RSS and Atom feeds (feed-rs): one article per item, with its link, date and summary or content.

use super::html::fragment_to_text;
use super::Records;
use crate::{IngestError, RawArticle};
use chronicle_core::DateProvenance;
use std::path::Path;

/// RSS 0.9x/1.0/2.0, Atom and JSON Feed: each item is an article.
pub fn read_feed(bytes: &[u8], path: &Path) -> Result<Records, IngestError> {
    let feed =
        feed_rs::parser::parse(bytes).map_err(|e| IngestError::malformed(path, "feed", e))?;
    let format: &'static str = match feed.feed_type {
        feed_rs::model::FeedType::Atom => "atom",
        feed_rs::model::FeedType::JSON => "jsonfeed",
        _ => "rss",
    };
    let outlet = feed.title.as_ref().map(|t| t.content.trim().to_string());
    let mut out = Vec::new();
    for (i, entry) in feed.entries.into_iter().enumerate() {
        let record = format!("item {}", i + 1);
        let html = entry
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .or_else(|| entry.summary.as_ref().map(|s| s.content.clone()));
        let Some(html) = html.filter(|h| !h.trim().is_empty()) else {
            out.push(Err(IngestError::record(
                path,
                Some(record),
                "feed item has no content or summary",
            )));
            continue;
        };
        let date = entry.published.or(entry.updated).map(|d| d.to_rfc3339());
        out.push(Ok(RawArticle {
            format,
            record: Some(record),
            title: entry.title.map(|t| fragment_to_text(&t.content)),
            body: fragment_to_text(&html),
            url: entry.links.first().map(|l| l.href.clone()),
            stated_date: date.map(|d| (d, DateProvenance::Metadata)),
            outlet: outlet.clone(),
            byline: entry.authors.first().and_then(|a| a.name.clone()),
            ..Default::default()
        }));
    }
    Ok(out)
}
