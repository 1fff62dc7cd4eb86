//! brat standoff output in PolNeAR's attribution scheme: for each attribution,
//! text-bound `Source`, `Cue` and `Content` annotations, an `Attribution` trigger
//! (`Attribution-no-source` when there is no source) over the cue, and an event
//! linking them. Offsets are characters of the text file, as brat counts them.

use std::fmt::Write as _;
use std::ops::Range;

/// One attribution, with byte ranges into the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BratAttribution {
    pub source: Option<Range<usize>>,
    pub cue: Option<Range<usize>>,
    /// One or more fragments (a quotation broken by its attribution).
    pub content: Vec<Range<usize>>,
}

/// Byte offset → character index for one text.
struct ByteToChar {
    /// `chars[b]` for every byte offset `b` on a char boundary (others unused).
    chars: Vec<usize>,
}

impl ByteToChar {
    fn new(text: &str) -> Self {
        let mut chars = vec![0; text.len() + 1];
        let mut n = 0;
        for (b, _) in text.char_indices() {
            chars[b] = n;
            n += 1;
        }
        chars[text.len()] = n;
        ByteToChar { chars }
    }
}

/// Byte fragments of `ranges` in text order, split at line breaks and trimmed of
/// surrounding whitespace, as brat stores a span that runs over several lines;
/// empty ones and ones off the text's char boundaries are dropped.
fn fragments(text: &str, ranges: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for r in ranges {
        let Some(slice) = text.get(r.clone()) else {
            continue;
        };
        let mut at = r.start;
        for line in slice.split_inclusive(['\n', '\r']) {
            let lead = line.len() - line.trim_start().len();
            let core = line.trim();
            if !core.is_empty() {
                out.push(at + lead..at + lead + core.len());
            }
            at += line.len();
        }
    }
    out.sort_by_key(|f| (f.start, f.end));
    // Overlapping or touching fragments are one.
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(out.len());
    for f in out {
        match merged.last_mut() {
            Some(last) if f.start <= last.end => last.end = last.end.max(f.end),
            _ => merged.push(f),
        }
    }
    merged
}

/// Writes the `.ann` for `text`. Spans that are not on char boundaries of `text`
/// or hold only whitespace are left out; an attribution without content is skipped.
pub fn write_brat_attributions(text: &str, attributions: &[BratAttribution]) -> String {
    let map = ByteToChar::new(text);
    let mut out = String::new();
    let (mut t, mut e) = (0usize, 0usize);
    let mut span = |label: &str, r: &[Range<usize>], out: &mut String| -> Option<String> {
        let frags = fragments(text, r);
        if frags.is_empty() {
            return None;
        }
        t += 1;
        let offsets: Vec<String> = frags
            .iter()
            .map(|f| format!("{} {}", map.chars[f.start], map.chars[f.end]))
            .collect();
        let surface: Vec<&str> = frags.iter().map(|f| &text[f.clone()]).collect();
        let _ = writeln!(
            out,
            "T{t}\t{label} {}\t{}",
            offsets.join(";"),
            surface.join(" ")
        );
        Some(format!("T{t}"))
    };
    for a in attributions {
        if fragments(text, &a.content).is_empty() {
            continue;
        }
        let one = |r: &Option<Range<usize>>| r.clone().map(|r| vec![r]);
        let source = one(&a.source).and_then(|r| span("Source", &r, &mut out));
        let cue = one(&a.cue).and_then(|r| span("Cue", &r, &mut out));
        let content = span("Content", &a.content, &mut out);
        let label = if source.is_some() {
            "Attribution"
        } else {
            "Attribution-no-source"
        };
        // The event's trigger marks the cue; without one, the content.
        let trigger_span = match &a.cue {
            Some(c) if cue.is_some() => std::slice::from_ref(c),
            _ => a.content.as_slice(),
        };
        let trigger = span(label, trigger_span, &mut out);
        e += 1;
        let _ = write!(out, "E{e}\t{label}:{}", trigger.unwrap_or_default());
        for (role, id) in [("Content", content), ("Cue", cue), ("Source", source)] {
            if let Some(id) = id {
                let _ = write!(out, " {role}:{id}");
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(text: &str, needle: &str) -> Range<usize> {
        let s = text.find(needle).expect("needle");
        s..s + needle.len()
    }

    #[test]
    fn writes_polnear_layout_with_character_offsets() {
        let text = "Café owners said “prices rose”.\nThe mayor, asked,\nwould not comment.";
        let ann = write_brat_attributions(
            text,
            &[
                BratAttribution {
                    source: Some(at(text, "Café owners")),
                    cue: Some(at(text, "said")),
                    content: vec![at(text, "“prices rose”")],
                },
                BratAttribution {
                    source: None,
                    cue: Some(at(text, "would not comment")),
                    content: vec![at(text, "asked,\nwould")],
                },
            ],
        );
        let expected = "T1\tSource 0 11\tCafé owners\n\
T2\tCue 12 16\tsaid\n\
T3\tContent 17 30\t“prices rose”\n\
T4\tAttribution 12 16\tsaid\n\
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n\
T5\tCue 50 67\twould not comment\n\
T6\tContent 43 49;50 55\tasked, would\n\
T7\tAttribution-no-source 50 67\twould not comment\n\
E2\tAttribution-no-source:T7 Content:T6 Cue:T5\n";
        assert_eq!(ann, expected);
    }

    /// Character offsets of a `T` line, and its text.
    fn parse_t(line: &str) -> (Vec<(usize, usize)>, String) {
        let mut cols = line.splitn(3, '\t');
        let _id = cols.next();
        let spec = cols.next().unwrap_or_default();
        let surface = cols.next().unwrap_or_default().to_string();
        let offsets = spec.split_once(' ').map(|(_, o)| o).unwrap_or_default();
        let frags = offsets
            .split(';')
            .map(|f| {
                let (a, b) = f.split_once(' ').expect("pair");
                (a.parse().expect("num"), b.parse().expect("num"))
            })
            .collect();
        (frags, surface)
    }

    proptest! {
        /// Every offset written lands on the text it names.
        #[test]
        fn offsets_land_on_their_text(
            text in "[a-zé “”,.\n]{1,80}",
            spans in prop::collection::vec((0usize..100, 0usize..100, any::<bool>()), 0..6),
        ) {
            let n = text.len();
            let clip = |a: usize, b: usize| {
                let (a, b) = (a.min(n), b.min(n));
                a.min(b)..a.max(b)
            };
            let atts: Vec<BratAttribution> = spans
                .iter()
                .map(|&(a, b, with_source)| BratAttribution {
                    source: with_source.then(|| clip(a / 2, a)),
                    cue: Some(clip(b, b + 5)),
                    content: vec![clip(a, b), clip(b, b + 7)],
                })
                .collect();
            let ann = write_brat_attributions(&text, &atts);
            // Our reader reads it back: every event argument is a span, and each
            // span's byte fragments hold the text the line names.
            let doc = crate::read_brat(&ann, "p.ann").expect("reads back");
            prop_assert_eq!(doc.spans.len(), ann.lines().filter(|l| l.starts_with('T')).count());
            for e in &doc.events {
                for (_, id) in &e.args {
                    prop_assert!(doc.span(id).is_some());
                }
            }
            for s in &doc.spans {
                let frags = doc.byte_fragments(&s.id, &text).expect("on the text");
                for (a, b) in frags {
                    prop_assert!(text.get(a..b).is_some_and(|t| !t.trim().is_empty()));
                }
            }
            let chars: Vec<char> = text.chars().collect();
            for line in ann.lines().filter(|l| l.starts_with('T')) {
                let (frags, surface) = parse_t(line);
                let named: Vec<String> = frags
                    .iter()
                    .map(|&(a, b)| chars[a..b].iter().collect())
                    .collect();
                prop_assert_eq!(named.join(" "), surface);
            }
        }
    }
}
