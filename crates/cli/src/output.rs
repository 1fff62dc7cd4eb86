//! Terminal output helpers shared by the commands.

use chronicle_core::Document;
use std::io::Write;

/// `println!` that hands back the write error instead of panicking, so a closed
/// pipe (`chronicle documents | head -1`) ends the command quietly: `main` exits 0
/// on a broken pipe. Use as `outln!(…)?`.
#[macro_export]
macro_rules! outln {
    () => {
        $crate::output::write_stdout(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::output::write_stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

pub fn write_stdout(args: std::fmt::Arguments) -> std::io::Result<()> {
    std::io::stdout().lock().write_fmt(args)
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
pub fn print_document(doc: &Document) -> std::io::Result<()> {
    outln!("id:        {}", doc.id)?;
    outln!("title:     {}", doc.title.as_deref().unwrap_or("-"))?;
    outln!("outlet:    {}", doc.outlet.as_deref().unwrap_or("-"))?;
    outln!("url:       {}", doc.url.as_deref().unwrap_or("-"))?;
    outln!("byline:    {}", doc.byline.as_deref().unwrap_or("-"))?;
    outln!(
        "language:  {} ({:.2})",
        doc.language.as_deref().unwrap_or("-"),
        doc.language_confidence
    )?;
    match &doc.stated_date {
        Some(s) => outln!(
            "stated:    {:?} → {} ({})",
            s.verbatim,
            s.date.as_deref().unwrap_or("unparsed"),
            provenance_name(&s.provenance)
        )?,
        None => outln!("stated:    -")?,
    }
    outln!("published: {}", published_cell(doc))?;
    for e in &doc.date_evidence {
        outln!(
            "  evidence: {} from {} {:?} ({:.2})",
            e.date,
            provenance_name(&e.provenance),
            e.verbatim,
            e.confidence
        )?;
    }
    for w in &doc.warnings {
        outln!("warning:   {}: {}", w.code, w.message)?;
    }
    outln!(
        "source:    {} ({}{})",
        doc.source.path,
        doc.source.format,
        doc.source
            .record
            .as_deref()
            .map(|r| format!(", {r}"))
            .unwrap_or_default()
    )?;
    for r in &doc.removed {
        outln!(
            "removed:   line {} [{}] {}",
            r.line,
            r.reason,
            truncate(&r.text, 90)
        )?;
    }
    outln!(
        "layers:    {} sentences, {} tokens, {} entities, {} times, {} quotes, {} claims, {} events",
        doc.sentences.len(),
        doc.tokens.len(),
        doc.entities.len(),
        doc.times.len(),
        doc.quotes.len(),
        doc.claims.len(),
        doc.events.len()
    )?;
    outln!()?;
    outln!("{}", doc.text)?;
    Ok(())
}
