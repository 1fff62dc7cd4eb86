//! Format by content, with the file extension only as a tie-breaker.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    Json,
    Jsonl,
    Csv,
    Tsv,
    Feed,
    Warc,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Feed => "feed",
            Format::Warc => "warc",
        }
    }
}

pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

fn looks_like_header_row(line: &str, delim: char) -> bool {
    let fields: Vec<&str> = line.split(delim).collect();
    fields.len() >= 3
        && fields.iter().all(|f| {
            let f = f.trim().trim_matches('"');
            !f.is_empty()
                && f.len() <= 40
                && f.split_whitespace().count() <= 3
                && f.chars()
                    .next()
                    .is_some_and(|c| c.is_alphabetic() || c == '_')
                && f.chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | ' ' | '-' | '.'))
        })
}

/// Decides the format of decoded text. `ext` is the lowercase file extension.
pub fn sniff_text(text: &str, ext: &str) -> Format {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with("WARC/") {
        return Format::Warc;
    }
    let head: String = t
        .chars()
        .take(2048)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with('<') {
        if head.contains("<rss") || head.contains("<feed") || head.contains("<rdf:rdf") {
            return Format::Feed;
        }
        if head.contains("<html")
            || head.contains("<!doctype html")
            || head.contains("<head")
            || head.contains("<body")
            || head.contains("<article")
            || head.contains("<p>")
        {
            return Format::Html;
        }
        // Saved pages may open with a stray `<style>`, `<script>` or a PHP
        // warning before their `<html>`; markup named .html is a page.
        if matches!(ext, "html" | "htm" | "xhtml") {
            return Format::Html;
        }
    }
    if t.starts_with('{') || t.starts_with('[') {
        let lines: Vec<&str> = t.lines().filter(|l| !l.trim().is_empty()).take(3).collect();
        let jsonl = lines.len() > 1
            && lines
                .iter()
                .all(|l| l.trim_start().starts_with('{') && l.trim_end().ends_with('}'));
        if jsonl || ext == "jsonl" || ext == "ndjson" {
            return Format::Jsonl;
        }
        return Format::Json;
    }
    let first = t.lines().next().unwrap_or("");
    if ext == "tsv" || (first.contains('\t') && looks_like_header_row(first, '\t')) {
        return Format::Tsv;
    }
    if ext == "csv" || looks_like_header_row(first, ',') {
        return Format::Csv;
    }
    Format::Text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_content() {
        assert_eq!(
            sniff_text("<?xml version=\"1.0\"?><rss version=\"2.0\">", "xml"),
            Format::Feed
        );
        assert_eq!(sniff_text("<!DOCTYPE html><html>", "txt"), Format::Html);
        let stray = "<style>\n.box { opacity: 1 }\n</style>\n";
        assert_eq!(sniff_text(stray, "html"), Format::Html);
        assert_eq!(sniff_text(stray, "txt"), Format::Text);
        assert_eq!(sniff_text("{\"a\":1}\n{\"a\":2}\n", "txt"), Format::Jsonl);
        assert_eq!(sniff_text("[{\"a\":1}]", ""), Format::Json);
        assert_eq!(
            sniff_text("unit_id,article_title,article_content\n1,a,b", "txt"),
            Format::Csv
        );
        assert_eq!(
            sniff_text("WARC/1.0\r\nWARC-Type: warcinfo", ""),
            Format::Warc
        );
        assert_eq!(
            sniff_text(
                "date 2016-10-03 Some article text, with commas, here.",
                "txt"
            ),
            Format::Text
        );
    }
}
