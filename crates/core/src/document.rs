//! The `Document` model: provenance, date evidence and decision, warnings, removed lines, and the annotation layers.
use crate::layers::{ActorMention, Claim, Entity, Event, Quote, Sentence, TimeExpr, Token};
use crate::span::{Span, SpanError};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a date came from. Serialized in kebab-case (`html-meta`, `content-estimate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DateProvenance {
    /// A header line of a plain-text article (`date 2016-10-03`, `PUBLISHED : …`).
    Header,
    /// HTML `<meta>`, JSON-LD `datePublished` or `<time datetime>`.
    HtmlMeta,
    /// A structured field of the record: CSV/JSON column, feed item date.
    Metadata,
    /// A date or stamp inside the URL (`/2016/10/`, `161015035430288`).
    Url,
    /// A dateline opening the body (`Wed 05 Apr 2017 at 0914 …`).
    Dateline,
    /// When a crawler fetched the page (WARC-Date); an upper bound, not a publication date.
    Crawl,
    /// Estimated from dates and relative expressions in the text.
    ContentEstimate,
    /// Estimated from the other reports of the same story: their dates of the
    /// events this document also tells (`chronicle_link::dating`).
    Story,
}

/// What the source claims its date is, verbatim, with our parse of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StatedDate {
    pub verbatim: String,
    /// ISO 8601 date (`YYYY-MM-DD`) when the verbatim text parsed.
    pub date: Option<String>,
    /// `HH:MM` when the source states a time of day.
    pub time: Option<String>,
    pub provenance: DateProvenance,
}

/// One piece of evidence about the publication date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DateEvidence {
    pub date: String,
    pub provenance: DateProvenance,
    pub verbatim: String,
    /// 0..1: how much this kind of evidence is trusted on its own.
    pub confidence: f32,
}

/// Our decision about when the document was published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Published {
    /// ISO 8601 date `YYYY-MM-DD`.
    pub date: String,
    pub time: Option<String>,
    pub provenance: DateProvenance,
    pub confidence: f32,
    /// True when no evidence states the date and it was inferred.
    pub estimated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Warning {
    /// Machine-readable kind: `date_conflict`, `no_date`, `not_english`, `empty_after_cleaning`, …
    pub code: String,
    pub message: String,
}

impl Warning {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Warning {
            code: code.to_string(),
            message: message.into(),
        }
    }
}

/// A line dropped from the body, kept so the cleaning can be audited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RemovedLine {
    /// 1-based line in the decoded source body.
    pub line: usize,
    pub text: String,
    /// Why: `navigation`, `teaser`, `caption`, `byline`, `reading-time`, `stray-number`,
    /// `header`, `related-headline`, `credit`, `not-found`, `repeated` …
    pub reason: String,
}

/// Where the document was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SourceRef {
    pub path: String,
    /// `text`, `html`, `json`, `jsonl`, `csv`, `rss`, `atom`, `warc`.
    pub format: String,
    /// Record within a multi-record file (row number, item index, WARC offset), if any.
    pub record: Option<String>,
}

/// A news article with its provenance and annotation layers.
///
/// The JSON form of this struct is the public schema (`chronicle annotate --json`):
/// fields may be added, never renamed or removed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Document {
    pub id: String,
    pub source: SourceRef,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    /// ISO 639-3 code (`eng`, `fra`, …) or `None` when undetectable.
    pub language: Option<String>,
    pub language_confidence: f32,
    pub byline: Option<String>,
    pub stated_date: Option<StatedDate>,
    pub published: Option<Published>,
    pub date_evidence: Vec<DateEvidence>,
    pub warnings: Vec<Warning>,
    /// Clean UTF-8 body; every span in every layer points into it.
    pub text: String,
    pub removed: Vec<RemovedLine>,
    /// Source fields we did not map (CSV columns, JSON keys), kept verbatim.
    pub metadata: BTreeMap<String, String>,
    pub sentences: Vec<Sentence>,
    pub tokens: Vec<Token>,
    pub entities: Vec<Entity>,
    pub times: Vec<TimeExpr>,
    pub quotes: Vec<Quote>,
    pub claims: Vec<Claim>,
    pub events: Vec<Event>,
    /// Actor mentions with their CAMEO codes and roles (added after schema 1).
    #[serde(default)]
    pub actors: Vec<ActorMention>,
}

impl Document {
    /// A document made from plain text already in hand (`format` "text", no
    /// record): what benchmarks, tests and tools that read their own files use.
    pub fn from_text(
        id: impl Into<String>,
        path: impl Into<String>,
        text: impl Into<String>,
    ) -> Self {
        Document::new(
            id.into(),
            SourceRef {
                path: path.into(),
                format: "text".into(),
                record: None,
            },
            text.into(),
        )
    }

    /// A document with only a body; ingest fills the rest.
    pub fn new(id: String, source: SourceRef, text: String) -> Self {
        Document {
            id,
            source,
            outlet: None,
            url: None,
            title: None,
            language: None,
            language_confidence: 0.0,
            byline: None,
            stated_date: None,
            published: None,
            date_evidence: Vec::new(),
            warnings: Vec::new(),
            text,
            removed: Vec::new(),
            metadata: BTreeMap::new(),
            sentences: Vec::new(),
            tokens: Vec::new(),
            entities: Vec::new(),
            times: Vec::new(),
            quotes: Vec::new(),
            claims: Vec::new(),
            events: Vec::new(),
            actors: Vec::new(),
        }
    }

    pub fn is_english(&self) -> bool {
        self.language.as_deref() == Some("eng")
    }

    /// Whether bytes `start..end` lie inside one of the recognized time
    /// expressions (`times` layer).
    pub fn in_time_expression(&self, start: usize, end: usize) -> bool {
        self.times.iter().any(|x| x.start <= start && end <= x.end)
    }

    pub fn span_text(&self, span: Span) -> Option<&str> {
        span.slice(&self.text)
    }

    /// Every span of every layer, labelled with its layer, for invariant checks.
    pub fn all_spans(&self) -> Vec<(&'static str, Span)> {
        let mut out = Vec::new();
        out.extend(self.sentences.iter().map(|a| ("sentences", a.span())));
        out.extend(self.tokens.iter().map(|a| ("tokens", a.span())));
        out.extend(self.entities.iter().map(|a| ("entities", a.span())));
        out.extend(self.times.iter().map(|a| ("times", a.span())));
        for q in &self.quotes {
            out.push(("quotes", q.span()));
            if let Some(s) = q.speaker_span {
                out.push(("quotes.speaker_span", s));
            }
            if let Some(s) = q.cue_span {
                out.push(("quotes.cue_span", s));
            }
        }
        out.extend(self.claims.iter().map(|a| ("claims", a.span())));
        for e in &self.events {
            out.push(("events", e.span()));
            for a in [&e.source, &e.target].into_iter().flatten() {
                out.push(("events.actor", a.span()));
            }
            if let Some(v) = e.verb {
                out.push(("events.verb", v));
            }
        }
        out.extend(self.actors.iter().map(|a| ("actors", a.span())));
        out
    }

    /// Verifies that every annotation span lies inside `text` on char boundaries.
    pub fn check_spans(&self) -> Result<(), (String, SpanError)> {
        for (layer, span) in self.all_spans() {
            span.check(&self.text).map_err(|e| (layer.to_string(), e))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Document {
        Document::new(
            "abc".into(),
            SourceRef {
                path: "x.txt".into(),
                format: "text".into(),
                record: None,
            },
            "Héllo world.".into(),
        )
    }

    #[test]
    fn json_has_every_layer_even_when_empty() {
        let v = serde_json::to_value(doc()).unwrap();
        for layer in [
            "sentences",
            "tokens",
            "entities",
            "times",
            "quotes",
            "claims",
            "events",
        ] {
            assert!(v[layer].is_array(), "missing layer {layer}");
        }
        assert_eq!(v["text"], "Héllo world.");
    }

    #[test]
    fn provenance_is_kebab_case() {
        let s = serde_json::to_string(&DateProvenance::ContentEstimate).unwrap();
        assert_eq!(s, "\"content-estimate\"");
        let s = serde_json::to_string(&DateProvenance::HtmlMeta).unwrap();
        assert_eq!(s, "\"html-meta\"");
    }

    #[test]
    fn bad_span_is_reported_with_layer() {
        let mut d = doc();
        d.sentences.push(Sentence {
            start: 0,
            end: 2,
            token_start: 0,
            token_end: 0,
        });
        let (layer, _) = d.check_spans().unwrap_err();
        assert_eq!(layer, "sentences");
    }
}
