//! SemEval-2015 Task 4 (TimeLine, Minard et al. 2015): the Track A input documents
//! (CAT XML: tokens with `t_id`, `sentence`, `number`, and the document creation
//! time as a `TIMEX3` with `functionInDocument="CREATION_TIME"`), the target entity
//! list, and timelines in the task's layout
//! `order<TAB>date<TAB>docid-sentence-word[<TAB>docid-sentence-word…]` (the gold
//! files open with the entity's name on a line of its own).
//!
//! The tokens are kept as [`EcbToken`]s inside an [`EcbDocument`] so the ECB+ text
//! rebuild (one plain text with the byte span of every token) serves both corpora.

use crate::ecbplus::{cat_token, parse_cat};
use crate::{read_to_string, EcbDocument, FormatError};
use std::path::Path;

/// One Track A document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineDocument {
    /// The `doc_id` attribute: the first part of every mention id.
    pub doc_id: String,
    /// The creation time's `value` (`2008-01-09`), when the document has one.
    pub dct: Option<String>,
    /// The tokens (`corpus_id` = `doc_id`, no markables): `tokens.text()` rebuilds
    /// the text with each token's byte span.
    pub tokens: EcbDocument,
}

/// One line of a timeline: an event (one or more mentions of it) at a position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    /// 0 for events that are not placed on the timeline; equal orders are simultaneous.
    pub order: u32,
    /// `YYYY-MM-DD`, `YYYY-MM`, `YYYY` (or `YYYY-XX-XX`), or `XXXX-XX-XX` when undated.
    pub date: String,
    /// Mention ids `docid-sentence-word` (multi-word mentions join their words with `_`).
    pub mentions: Vec<String>,
}

/// A timeline for one target entity.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Timeline {
    /// The entity as the file's first line names it (empty when the file has no such line).
    pub entity: String,
    pub entries: Vec<TimelineEntry>,
}

/// Reads one CAT XML document of the task. Markables other than the creation time
/// are ignored: Track A starts from the tokens.
pub fn read_timeline_document(xml_text: &str, name: &str) -> Result<TimelineDocument, FormatError> {
    let xml = parse_cat(xml_text, name)?;
    let root = xml.root_element();
    let doc_id = root
        .attribute("doc_id")
        .map(str::to_string)
        .ok_or_else(|| FormatError::malformed(name, 1, "<Document> without `doc_id`"))?;
    let mut tokens = Vec::new();
    let mut dct = None;
    for child in root.children().filter(|n| n.is_element()) {
        match child.tag_name().name() {
            "token" => {
                let mut t = cat_token(&xml, &child, name)?;
                t.text = t.text.trim().to_string();
                tokens.push(t);
            }
            "Markables" => {
                for m in child.descendants().filter(|n| n.has_tag_name("TIMEX3")) {
                    if m.attribute("functionInDocument") == Some("CREATION_TIME") && dct.is_none() {
                        dct = m.attribute("value").map(str::to_string);
                    }
                }
            }
            _ => {}
        }
    }
    for w in tokens.windows(2) {
        if w[1].sentence < w[0].sentence {
            return Err(FormatError::malformed(
                name,
                1,
                format!("token {} is out of sentence order", w[1].t_id),
            ));
        }
    }
    let base = Path::new(name)
        .file_name()
        .and_then(|f| f.to_str())
        .unwrap_or(name);
    Ok(TimelineDocument {
        tokens: EcbDocument {
            name: base.strip_suffix(".xml").unwrap_or(base).to_string(),
            topic: 0,
            corpus_id: doc_id.clone(),
            tokens,
            markables: Vec::new(),
            relations: Vec::new(),
        },
        doc_id,
        dct,
    })
}

/// Reads one CAT XML file of the task.
pub fn read_timeline_document_file(path: &Path) -> Result<TimelineDocument, FormatError> {
    let text = read_to_string(path)?;
    read_timeline_document(&text, &path.display().to_string())
}

/// The target entities of `targets.txt`, one per non-empty line.
pub fn read_targets(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Reads a timeline file. A first line without a tab is the entity's name; every
/// other non-empty line must be `order<TAB>date<TAB>mention…`.
pub fn read_timeline(text: &str, name: &str) -> Result<Timeline, FormatError> {
    let mut tl = Timeline::default();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        if i == 0 && !line.contains('\t') {
            tl.entity = line.trim().to_string();
            continue;
        }
        let mut fields = line.split('\t');
        let order = fields.next().unwrap_or_default().trim();
        let order: u32 = order.parse().map_err(|_| {
            FormatError::malformed(name, i + 1, format!("order is not a number: {order:?}"))
        })?;
        let date = fields
            .next()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .ok_or_else(|| FormatError::malformed(name, i + 1, "a line without a date"))?;
        if !valid_date(date) {
            return Err(FormatError::malformed(
                name,
                i + 1,
                format!("date {date:?} is not YYYY-MM-DD, YYYY-MM, YYYY or XXXX-XX-XX"),
            ));
        }
        let mentions: Vec<String> = fields
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .map(str::to_string)
            .collect();
        if mentions.is_empty() {
            return Err(FormatError::malformed(
                name,
                i + 1,
                "a line without mentions",
            ));
        }
        tl.entries.push(TimelineEntry {
            order,
            date: date.to_string(),
            mentions,
        });
    }
    Ok(tl)
}

/// Reads a timeline file.
pub fn read_timeline_file(path: &Path) -> Result<Timeline, FormatError> {
    let text = read_to_string(path)?;
    read_timeline(&text, &path.display().to_string())
}

/// A date field: up to three `-`-separated parts of digits (4, 2, 2 wide) or of
/// `X`s (any width: the trial gold writes `XXX-XX-XX` once).
fn valid_date(d: &str) -> bool {
    let parts: Vec<&str> = d.split('-').collect();
    let widths = [4, 2, 2];
    !parts.is_empty()
        && parts.len() <= 3
        && parts.iter().zip(widths).all(|(p, w)| {
            (p.len() == w && p.bytes().all(|b| b.is_ascii_digit()))
                || (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b == b'X'))
        })
}

/// Writes a timeline in the task's layout, entity name first, entries as given.
pub fn write_timeline(tl: &Timeline) -> String {
    let mut out = String::new();
    if !tl.entity.is_empty() {
        out.push_str(&tl.entity);
        out.push('\n');
    }
    for e in &tl.entries {
        out.push_str(&format!("{}\t{}", e.order, e.date));
        for m in &e.mentions {
            out.push('\t');
            out.push_str(m);
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<?xml version="1.0" ?><Document doc_id="42" doc_name="42_Widget.txt">
<token number="0" sentence="0" t_id="1">Widgets</token>
<token number="1" sentence="0" t_id="2">rise</token>
<token number="2" sentence="1" t_id="3">Acme</token>
<token number="3" sentence="1" t_id="4">sold</token>
<token number="4" sentence="1" t_id="5">them</token>
<token number="5" sentence="1" t_id="6">.</token>
<Markables>
<TIMEX3 functionInDocument="CREATION_TIME" m_id="9" type="DATE" value="2001-02-03">
</TIMEX3>
</Markables>
</Document>"#;

    #[test]
    fn reads_tokens_and_creation_time() {
        let d = read_timeline_document(DOC, "42_Widget.xml").unwrap();
        assert_eq!(d.doc_id, "42");
        assert_eq!(d.dct.as_deref(), Some("2001-02-03"));
        assert_eq!(d.tokens.tokens.len(), 6);
        let t = d.tokens.text();
        assert_eq!(t.text, "Widgets rise\nAcme sold them.");
        let (s, e) = t.spans[3];
        assert_eq!(&t.text[s..e], "sold");
    }

    #[test]
    fn bad_token_names_the_line() {
        let bad = DOC.replace("t_id=\"4\"", "t_id=\"x\"");
        let err = read_timeline_document(&bad, "42.xml")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("42.xml:5:"), "{err}");
    }

    #[test]
    fn timeline_round_trip() {
        let text = "Acme\n0\tXXXX-XX-XX\t42-1-sold\n1\t2001\t42-3-made\t43-2-built\n";
        let tl = read_timeline(text, "acme.txt").unwrap();
        assert_eq!(tl.entity, "Acme");
        assert_eq!(tl.entries.len(), 2);
        assert_eq!(tl.entries[1].mentions, vec!["42-3-made", "43-2-built"]);
        assert_eq!(write_timeline(&tl), text);
    }

    #[test]
    fn rejects_bad_dates_and_orders() {
        let e = read_timeline("A\n1\t2001-1-01\t4-1-x\n", "t").unwrap_err();
        assert!(e.to_string().contains("t:2:"), "{e}");
        assert!(read_timeline("A\nx\t2001\t4-1-x\n", "t").is_err());
        assert!(read_timeline("A\n1\t2001\n", "t").is_err());
        assert!(read_timeline("A\n1\t2004-XX-XX\t4-1-x\n", "t").is_ok());
        assert!(read_timeline("A\n0\tXXX-XX-XX\t4-1-x\n", "t").is_ok());
    }

    proptest::proptest! {
        #[test]
        fn timeline_reader_never_panics(body in "[0-9A-Za-z\t\n-]{0,120}") {
            let _ = read_timeline(&body, "p");
        }
    }
}
