//! The story view's text form, shared by `chronicle story` and `chronicle demo`,
//! and the listing rows of `stories` and `events --merged`. The JSON contracts
//! themselves are `chronicle_engine::query::stories`, which the API returns too.

use crate::listing::Listing;
use crate::outln;
use crate::output::truncate;
use chronicle_store::MergedEventRow;

pub use chronicle_engine::query::stories::{StoryDetail, StoryItem, StoryReport};
pub use chronicle_engine::query::{cameo_label, plural, short, value_text};

fn dash(s: &Option<String>) -> String {
    s.clone().unwrap_or_else(|| "-".into())
}

impl Listing for StoryItem {
    fn header() -> Vec<&'static str> {
        vec!["id", "first", "last", "docs", "outlets", "label"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            short(&self.id).to_string(),
            dash(&self.first_date),
            dash(&self.last_date),
            self.documents.len().to_string(),
            self.outlets.len().to_string(),
            self.label.clone(),
        ]
    }
}

impl Listing for MergedEventRow {
    fn header() -> Vec<&'static str> {
        vec![
            "date", "code", "label", "source", "target", "mentions", "sources", "articles",
            "story", "id",
        ]
    }
    fn row(&self) -> Vec<String> {
        vec![
            dash(&self.date),
            dash(&self.code),
            self.code.as_deref().map(cameo_label).unwrap_or_default(),
            dash(&self.source),
            dash(&self.target),
            self.num_mentions.to_string(),
            self.num_sources.to_string(),
            self.num_articles.to_string(),
            short(&self.story_id).to_string(),
            short(&self.id).to_string(),
        ]
    }
}

/// The story view as text: what `chronicle story ID` and the demo print. With
/// `every_event` false (the demo, whose document table came just before), the
/// reports are not listed again and only the merged events told by several
/// articles are, the others counted.
pub fn print_story(s: &StoryDetail, every_event: bool) -> std::io::Result<()> {
    outln!(
        "Story {}  {}  ({} .. {})",
        short(&s.id),
        s.label,
        s.first_date.as_deref().unwrap_or("?"),
        s.last_date.as_deref().unwrap_or("?")
    )?;
    outln!(
        "  {} from {}: {}",
        plural(s.documents.len() as u64, "document"),
        plural(s.outlets.len() as u64, "outlet"),
        s.outlets.join(", ")
    )?;
    if !s.top_actors.is_empty() {
        outln!("  top actors: {}", s.top_actors.join(", "))?;
    }
    for sp in &s.spellings {
        outln!(
            "  one actor, spelled several ways: {} = {}",
            sp.actor,
            sp.variants.join(" = ")
        )?;
    }
    if !s.top_places.is_empty() {
        outln!("  top places: {}", s.top_places.join(", "))?;
    }
    if let Some(p) = &s.partial {
        if p.events_total > p.events_shown {
            outln!(
                "  a large story, shown in part: the first {} of {} merged events (all of them: chronicle events --merged --story {})",
                p.events_shown,
                p.events_total,
                short(&s.id)
            )?;
        }
        if p.events_with_mentions_cut > 0 {
            outln!(
                "  {} events told by many reports list their first {} mentions",
                p.events_with_mentions_cut,
                chronicle_engine::query::stories::VIEW_MENTIONS
            )?;
        }
    }
    if every_event {
        outln!("  reports:")?;
    }
    for r in s.reports.iter().filter(|_| every_event) {
        let date = match (&r.published, &r.provenance) {
            (Some(d), Some(p)) => format!("{d} ({p})"),
            (Some(d), None) => d.clone(),
            _ => "no date".into(),
        };
        outln!(
            "    {} {:<30} {:<20} {}",
            short(&r.document),
            date,
            truncate(r.outlet.as_deref().unwrap_or("-"), 20),
            truncate(r.title.as_deref().unwrap_or("-"), 60)
        )?;
    }
    let multi = s.events.iter().filter(|e| e.num_articles > 1).count();
    outln!(
        "  merged events, in date order ({} told by more than one article; sources = distinct outlets):",
        multi
    )?;
    for e in s
        .events
        .iter()
        .filter(|e| every_event || e.num_articles > 1)
    {
        outln!(
            "    {:<10} {:<4} {:<36} {:>9} -> {:<9} {} mentions, {} sources, {} articles",
            e.date.as_deref().unwrap_or("?"),
            e.code.as_deref().unwrap_or("-"),
            truncate(&e.code.as_deref().map(cameo_label).unwrap_or_default(), 36),
            e.source.as_deref().unwrap_or("-"),
            e.target.as_deref().unwrap_or("-"),
            e.num_mentions,
            e.num_sources,
            e.num_articles
        )?;
        // The first report's words, so the line can be checked against a text.
        let first = e
            .mentions
            .iter()
            .find(|m| Some(&m.document) == e.first_document.as_ref())
            .or(e.mentions.first());
        if let Some((m, sentence)) = first.and_then(|m| Some((m, m.sentence.as_deref()?))) {
            outln!(
                "               \"{}\" ({}, {})",
                truncate(
                    &sentence.split_whitespace().collect::<Vec<_>>().join(" "),
                    90
                ),
                m.outlet.as_deref().unwrap_or("-"),
                short(&m.document)
            )?;
        }
    }
    if !every_event && multi < s.events.len() {
        outln!(
            "    … and {} told by one article (`chronicle story {}` lists them all)",
            s.events.len() - multi,
            short(&s.id)
        )?;
    }
    let corrected: Vec<&StoryReport> = s.reports.iter().filter(|r| r.corrected()).collect();
    outln!("  story-level dates:")?;
    if corrected.is_empty() {
        outln!("    none: every report's own date agrees with its story")?;
    }
    for r in corrected {
        let stated = match &r.stated_date {
            Some(d) => format!("stated {d}"),
            None => "undated".to_string(),
        };
        outln!(
            "    {} {} ({}) -> {}: {}",
            short(&r.document),
            stated,
            r.outlet.as_deref().unwrap_or("-"),
            r.published.as_deref().unwrap_or("?"),
            r.date_evidence.as_deref().unwrap_or("-")
        )?;
    }
    outln!("  disagreements:")?;
    if s.disagreements.is_empty() {
        outln!("    none found")?;
    }
    for d in &s.disagreements {
        let values: Vec<String> = d
            .values
            .iter()
            .map(|v| {
                format!(
                    "{} ({}, {}, {})",
                    value_text(v.value),
                    v.claimant.as_deref().unwrap_or("unattributed"),
                    v.outlet.as_deref().unwrap_or("-"),
                    short(&v.document)
                )
            })
            .collect();
        outln!(
            "    {}{}{}: {}  spread {}",
            d.kind,
            d.place
                .as_deref()
                .map(|p| format!(" at {p}"))
                .unwrap_or_default(),
            d.time
                .as_deref()
                .map(|t| format!(" ({t})"))
                .unwrap_or_default(),
            values.join(" vs "),
            value_text(d.spread)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_values_print_without_decimals() {
        assert_eq!(value_text(41.0), "41");
        assert_eq!(value_text(2.5), "2.5");
    }
}
