//! `RawArticle`: one article as a format reader found it, before cleaning and dating.

use chronicle_core::{DateEvidence, DateProvenance, Warning};
use std::collections::BTreeMap;

/// One article as a format reader found it, before cleaning and dating.
#[derive(Debug, Clone, Default)]
pub struct RawArticle {
    pub format: &'static str,
    /// Position inside a multi-record input (`row 12`, `item 3`, `record at byte 5120`).
    pub record: Option<String>,
    pub title: Option<String>,
    pub body: String,
    pub url: Option<String>,
    /// A date the record states about itself, verbatim, and where it came from.
    pub stated_date: Option<(String, DateProvenance)>,
    /// Further dated evidence (e.g. `<time datetime>`, WARC-Date).
    pub extra_dates: Vec<DateEvidence>,
    pub outlet: Option<String>,
    pub byline: Option<String>,
    pub metadata: BTreeMap<String, String>,
    /// Whether the body may start with header lines (plain-text files only).
    pub parse_header: bool,
    /// What the reader noticed about this record (a broken CSV quote), for the document.
    pub warnings: Vec<Warning>,
}
