//! brat standoff (`.ann`) annotations: text-bound spans (`T`) and events (`E`), the
//! format PolNeAR's attributions use. Offsets in brat are *characters* of the matching
//! text file; [`BratDocument::byte_fragments`] converts them to byte offsets.
//!
//! Other annotation kinds (`A`, `R`, `N`, `#` notes) are skipped. A span's text may
//! run over several lines (brat stores the covered text verbatim); lines that do not
//! start a new annotation belong to the previous one and are skipped, since the
//! offsets, not the copied text, are what we use.

use crate::FormatError;
use std::path::Path;

/// A text-bound annotation: `T3<TAB>Content 115 290;300 310<TAB>text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BratSpan {
    pub id: String,
    pub label: String,
    /// Character offsets `[start, end)`, one pair per fragment (discontinuous spans).
    pub fragments: Vec<(usize, usize)>,
}

/// An event: `E1<TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BratEvent {
    pub id: String,
    /// Event type (the label of the trigger argument).
    pub label: String,
    pub trigger: String,
    /// `(role, annotation id)` pairs, roles with trailing digits kept as written.
    pub args: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BratDocument {
    pub spans: Vec<BratSpan>,
    pub events: Vec<BratEvent>,
}

impl BratDocument {
    pub fn span(&self, id: &str) -> Option<&BratSpan> {
        self.spans.iter().find(|s| s.id == id)
    }

    /// The byte fragments of span `id` in `text`, or `None` when the id is unknown or a
    /// character offset lies past the end of `text`.
    pub fn byte_fragments(&self, id: &str, text: &str) -> Option<Vec<(usize, usize)>> {
        let span = self.span(id)?;
        let map = CharToByte::new(text);
        span.fragments
            .iter()
            .map(|&(s, e)| Some((map.byte(s)?, map.byte(e)?)))
            .collect()
    }
}

/// Character index → byte offset for one text, in O(1) per lookup.
pub struct CharToByte {
    offsets: Vec<usize>,
}

impl CharToByte {
    pub fn new(text: &str) -> Self {
        let mut offsets: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        offsets.push(text.len());
        CharToByte { offsets }
    }

    /// Byte offset of character `c`; `c` may equal the character count (end of text).
    pub fn byte(&self, c: usize) -> Option<usize> {
        self.offsets.get(c).copied()
    }
}

pub fn read_brat_file(path: &Path) -> Result<BratDocument, FormatError> {
    let text = crate::read_to_string(path)?;
    read_brat(&text, &path.display().to_string())
}

fn starts_annotation(line: &str) -> bool {
    let mut chars = line.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !matches!(first, 'T' | 'E' | 'A' | 'M' | 'R' | 'N' | '*' | '#') {
        return false;
    }
    let rest = &line[first.len_utf8()..];
    let id_end = rest.find('\t');
    match id_end {
        Some(i) => rest[..i].chars().all(|c| c.is_ascii_alphanumeric()),
        None => false,
    }
}

fn parse_fragments(
    spec: &str,
    source_name: &str,
    line: usize,
) -> Result<Vec<(usize, usize)>, FormatError> {
    let mut out = Vec::new();
    for frag in spec.split(';') {
        let mut it = frag.split_whitespace();
        let (Some(a), Some(b), None) = (it.next(), it.next(), it.next()) else {
            return Err(FormatError::malformed(
                source_name,
                line,
                format!("bad offset pair {frag:?}"),
            ));
        };
        let num = |s: &str| {
            s.parse::<usize>().map_err(|_| {
                FormatError::malformed(source_name, line, format!("offset {s:?} is not a number"))
            })
        };
        let (s, e) = (num(a)?, num(b)?);
        if s > e {
            return Err(FormatError::malformed(
                source_name,
                line,
                format!("span start {s} after end {e}"),
            ));
        }
        out.push((s, e));
    }
    Ok(out)
}

/// Parses a `.ann` file. Malformed `T`/`E` lines are errors naming the line.
pub fn read_brat(text: &str, source_name: &str) -> Result<BratDocument, FormatError> {
    let mut doc = BratDocument::default();
    for (idx, raw) in text.lines().enumerate() {
        let line_no = idx + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if !starts_annotation(line) {
            continue; // blank, or the continuation of a multi-line span text
        }
        let mut cols = line.splitn(3, '\t');
        let id = cols.next().unwrap_or_default();
        let body = cols.next().unwrap_or_default();
        if id.starts_with('T') {
            let (label, offsets) = body.split_once(' ').ok_or_else(|| {
                FormatError::malformed(
                    source_name,
                    line_no,
                    "text-bound annotation without offsets",
                )
            })?;
            doc.spans.push(BratSpan {
                id: id.to_string(),
                label: label.to_string(),
                fragments: parse_fragments(offsets, source_name, line_no)?,
            });
        } else if id.starts_with('E') {
            let mut parts = body.split_whitespace();
            let (label, trigger) =
                parts
                    .next()
                    .and_then(|t| t.split_once(':'))
                    .ok_or_else(|| {
                        FormatError::malformed(source_name, line_no, "event without TYPE:TRIGGER")
                    })?;
            let mut args = Vec::new();
            for p in parts {
                let (role, arg) = p.split_once(':').ok_or_else(|| {
                    FormatError::malformed(
                        source_name,
                        line_no,
                        format!("bad event argument {p:?}"),
                    )
                })?;
                args.push((role.to_string(), arg.to_string()));
            }
            doc.events.push(BratEvent {
                id: id.to_string(),
                label: label.to_string(),
                trigger: trigger.to_string(),
                args,
            });
        }
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ANN: &str = "T1\tSource 0 3\tHis\nT2\tCue 4 8\tsaid\nT3\tContent 9 14;20 25\tfirst\nline two of the text\nT4\tAttribution 4 8\tsaid\n#1\tAnnotatorNotes T3\tnote\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n";

    #[test]
    fn reads_spans_events_and_skips_continuations() {
        let d = read_brat(ANN, "x.ann").unwrap();
        assert_eq!(d.spans.len(), 4);
        assert_eq!(d.span("T3").unwrap().fragments, vec![(9, 14), (20, 25)]);
        assert_eq!(d.events.len(), 1);
        let e = &d.events[0];
        assert_eq!(
            (e.label.as_str(), e.trigger.as_str()),
            ("Attribution", "T4")
        );
        assert!(e.args.contains(&("Source".into(), "T1".into())));
    }

    #[test]
    fn character_offsets_become_byte_offsets() {
        let d = read_brat("T1\tSource 1 3\téa\n", "x").unwrap();
        let text = "“éa”";
        assert_eq!(d.byte_fragments("T1", text), Some(vec![(3, 6)]));
        assert_eq!(d.byte_fragments("T1", "ab"), None);
    }

    #[test]
    fn malformed_lines_name_the_line() {
        let err = read_brat("T1\tSource 1 x\tab\n", "f.ann").unwrap_err();
        assert!(err.to_string().starts_with("f.ann:1:"), "{err}");
        assert!(read_brat("T1\tSource 5 1\tab\n", "f").is_err());
        assert!(read_brat("E1\tnocolon\n", "f").is_err());
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,200}") {
            let _ = read_brat(&s, "p");
        }

        #[test]
        fn byte_fragments_land_on_char_boundaries(text in "\\PC{0,40}", a in 0usize..50, b in 0usize..50) {
            let (s, e) = (a.min(b), a.max(b));
            let d = read_brat(&format!("T1\tX {s} {e}\tt\n"), "p").unwrap();
            if let Some(frags) = d.byte_fragments("T1", &text) {
                for (s, e) in frags {
                    prop_assert!(text.is_char_boundary(s) && text.is_char_boundary(e) && s <= e);
                }
            }
        }
    }
}
