//! Terminal output helpers shared by the commands.

use chronicle_core::Document;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// A progress bar on stderr, drawn only when stderr is a terminal.
pub fn progress_bar(len: u64, enabled: bool) -> ProgressBar {
    let bar = ProgressBar::new(len);
    if !enabled || !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed_precise} {wide_msg}")
    {
        bar.set_style(style);
    }
    bar
}

pub fn provenance_name(p: &chronicle_core::DateProvenance) -> String {
    serde_json::to_string(p)
        .unwrap_or_default()
        .trim_matches('"')
        .to_string()
}

/// The date column of listings: `2016-10-15 (url, 0.80)` or `2016-10-12 (content-estimate, 0.30, estimated)`.
pub fn published_cell(doc: &Document) -> String {
    match &doc.published {
        Some(p) => format!(
            "{} ({}, {:.2}{})",
            p.date,
            provenance_name(&p.provenance),
            p.confidence,
            if p.estimated { ", estimated" } else { "" }
        ),
        None => "no date".to_string(),
    }
}

pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Human-readable view of one document (the `show` and `annotate` text form).
pub fn print_document(doc: &Document) {
    println!("id:        {}", doc.id);
    println!("title:     {}", doc.title.as_deref().unwrap_or("-"));
    println!("outlet:    {}", doc.outlet.as_deref().unwrap_or("-"));
    println!("url:       {}", doc.url.as_deref().unwrap_or("-"));
    println!("byline:    {}", doc.byline.as_deref().unwrap_or("-"));
    println!(
        "language:  {} ({:.2})",
        doc.language.as_deref().unwrap_or("-"),
        doc.language_confidence
    );
    match &doc.stated_date {
        Some(s) => println!(
            "stated:    {:?} → {} ({})",
            s.verbatim,
            s.date.as_deref().unwrap_or("unparsed"),
            provenance_name(&s.provenance)
        ),
        None => println!("stated:    -"),
    }
    println!("published: {}", published_cell(doc));
    for e in &doc.date_evidence {
        println!(
            "  evidence: {} from {} {:?} ({:.2})",
            e.date,
            provenance_name(&e.provenance),
            e.verbatim,
            e.confidence
        );
    }
    for w in &doc.warnings {
        println!("warning:   {}: {}", w.code, w.message);
    }
    println!(
        "source:    {} ({}{})",
        doc.source.path,
        doc.source.format,
        doc.source
            .record
            .as_deref()
            .map(|r| format!(", {r}"))
            .unwrap_or_default()
    );
    for r in &doc.removed {
        println!(
            "removed:   line {} [{}] {}",
            r.line,
            r.reason,
            truncate(&r.text, 90)
        );
    }
    println!(
        "layers:    {} sentences, {} tokens, {} entities, {} times, {} quotes, {} claims, {} events",
        doc.sentences.len(),
        doc.tokens.len(),
        doc.entities.len(),
        doc.times.len(),
        doc.quotes.len(),
        doc.claims.len(),
        doc.events.len()
    );
    println!();
    println!("{}", doc.text);
}
