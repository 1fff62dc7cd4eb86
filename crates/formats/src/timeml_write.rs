//! TimeML output: a TimeML document with its gold TIMEX3 tags taken out and ours
//! put in, everything else (the DCT as `t0`, EVENT and SIGNAL tags, instances,
//! links between events, whitespace) kept byte for byte.

use crate::timeml::{line_at, xml_error};
use crate::FormatError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::HashSet;
use std::ops::Range;

/// One of our time expressions over the text [`crate::read_timeml`] returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimexOut {
    pub start: usize,
    pub end: usize,
    /// DATE, TIME, DURATION or SET.
    pub kind: String,
    pub value: String,
    /// What the value was computed from, written as `anchorTimeID`.
    pub anchor: Option<Anchor>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The document creation time (`t0`).
    Dct,
    /// Another of the expressions given, by index; written only when that one is.
    Timex(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeMlOutput {
    pub xml: String,
    /// Indexes into the expressions given that could not be written without
    /// breaking the XML (their span crosses an EVENT or SIGNAL element, or
    /// overlaps one written before) or whose span is not on the text.
    pub skipped: Vec<usize>,
}

/// Attributes that point at a TIMEX3 by `tid`.
const TIME_REFERENCES: &[&[u8]] = &[
    b"timeID",
    b"relatedToTime",
    b"anchorTimeID",
    b"beginPoint",
    b"endPoint",
];

/// Escapes an attribute value for double quotes.
fn attr_escape(v: &str) -> String {
    v.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn tag_attr(e: &BytesStart, key: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

/// A stretch of the document text and the source bytes it comes from.
struct Segment {
    text: Range<usize>,
    source: Range<usize>,
    /// Text bytes are the source bytes (plain text, CDATA content); otherwise
    /// one character from an entity reference, with no position inside it.
    verbatim: bool,
}

enum Mark {
    Open(Vec<u8>),
    Close(Vec<u8>),
}

struct Markup {
    source: Range<usize>,
    mark: Option<Mark>,
    /// A gold TIMEX3 tag that is taken out.
    dropped: bool,
}

#[derive(Default)]
struct Scan {
    text: String,
    segments: Vec<Segment>,
    markup: Vec<Markup>,
    /// Source ranges to delete: gold TIMEX3 tags; links to them are added later.
    removals: Vec<Range<usize>>,
    removed_tids: HashSet<String>,
    /// Elements outside TEXT that point at times: (source range, referenced tids).
    links: Vec<(Range<usize>, Vec<String>)>,
    /// The DCT's TIMEX3 start tag and its tid.
    dct_tag: Option<(Range<usize>, Option<String>)>,
}

fn scan(source: &str, name: &str) -> Result<Scan, FormatError> {
    let mut reader = Reader::from_str(source);
    reader.config_mut().check_end_names = true;
    let mut sc = Scan::default();
    let (mut in_text, mut in_dct) = (false, false);
    let mut timex_depth: Vec<bool> = Vec::new(); // per open TIMEX3: dropped?
    loop {
        let pos = reader.buffer_position() as usize;
        let event = reader
            .read_event()
            .map_err(|e| xml_error(name, source, pos, e))?;
        let end = reader.buffer_position() as usize;
        let range = pos..end;
        match event {
            Event::Start(e) => {
                let tag = e.name().as_ref().to_vec();
                match tag.as_slice() {
                    b"TEXT" => in_text = true,
                    b"DCT" => in_dct = true,
                    b"TIMEX3" => {
                        let creation =
                            tag_attr(&e, b"functionInDocument").as_deref() == Some("CREATION_TIME");
                        let dct = (in_dct || creation) && !in_text && sc.dct_tag.is_none();
                        if dct {
                            sc.dct_tag = Some((range.clone(), tag_attr(&e, b"tid")));
                        } else {
                            sc.removals.push(range.clone());
                            sc.removed_tids.extend(tag_attr(&e, b"tid"));
                        }
                        timex_depth.push(!dct);
                    }
                    _ => {}
                }
                if in_text && tag != b"TEXT" {
                    let dropped = tag == b"TIMEX3" && timex_depth.last() == Some(&true);
                    sc.markup.push(Markup {
                        source: range,
                        mark: Some(Mark::Open(tag)),
                        dropped,
                    });
                } else if !in_text {
                    note_links(&e, range, &mut sc);
                }
            }
            Event::End(e) => {
                let tag = e.name().as_ref().to_vec();
                let mut dropped = false;
                match tag.as_slice() {
                    b"TEXT" => in_text = false,
                    b"DCT" => in_dct = false,
                    b"TIMEX3" => {
                        dropped = timex_depth.pop().unwrap_or(false);
                        if dropped {
                            sc.removals.push(range.clone());
                        }
                    }
                    _ => {}
                }
                if in_text {
                    sc.markup.push(Markup {
                        source: range,
                        mark: Some(Mark::Close(tag)),
                        dropped,
                    });
                }
            }
            Event::Empty(e) => {
                let timex = e.name().as_ref() == b"TIMEX3";
                if timex && !in_dct {
                    // Empty TIMEX3s are gold points (beginPoint/endPoint targets).
                    sc.removals.push(range.clone());
                    sc.removed_tids.extend(tag_attr(&e, b"tid"));
                } else if !in_text {
                    note_links(&e, range.clone(), &mut sc);
                }
                if in_text {
                    sc.markup.push(Markup {
                        source: range,
                        mark: None,
                        dropped: timex,
                    });
                }
            }
            Event::Text(t) if in_text => {
                let s = t.decode().map_err(|e| xml_error(name, source, pos, e))?;
                if s.len() != range.len() {
                    return Err(xml_error(
                        name,
                        source,
                        pos,
                        "text changes length when decoded",
                    ));
                }
                let at = sc.text.len();
                sc.text.push_str(&s);
                sc.segments.push(Segment {
                    text: at..sc.text.len(),
                    source: range,
                    verbatim: true,
                });
            }
            Event::CData(t) if in_text => {
                let s = String::from_utf8_lossy(&t);
                let at = sc.text.len();
                sc.text.push_str(&s);
                let content = pos + "<![CDATA[".len();
                sc.segments.push(Segment {
                    text: at..sc.text.len(),
                    source: content..content + s.len(),
                    verbatim: true,
                });
            }
            Event::GeneralRef(r) if in_text => {
                let raw = String::from_utf8_lossy(&r).into_owned();
                let c = crate::timeml::entity(&raw).ok_or_else(|| {
                    FormatError::malformed(
                        name,
                        line_at(source, pos),
                        format!("unknown entity &{raw};"),
                    )
                })?;
                let at = sc.text.len();
                sc.text.push(c);
                sc.segments.push(Segment {
                    text: at..sc.text.len(),
                    source: range,
                    verbatim: false,
                });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(sc)
}

fn note_links(e: &BytesStart, range: Range<usize>, sc: &mut Scan) {
    let refs: Vec<String> = e
        .attributes()
        .flatten()
        .filter(|a| TIME_REFERENCES.contains(&a.key.as_ref()))
        .filter_map(|a| a.unescape_value().ok().map(|v| v.into_owned()))
        .collect();
    if !refs.is_empty() {
        sc.links.push((range, refs));
    }
}

impl Scan {
    /// Source positions where text offset `o` can be marked: the lowest and the
    /// highest (they differ when tags sit between the characters around `o`).
    fn positions(&self, o: usize) -> Option<(usize, usize)> {
        let first = self.segments.partition_point(|s| s.text.end < o);
        let mut found: Option<(usize, usize)> = None;
        for s in self.segments[first..]
            .iter()
            .take_while(|s| s.text.start <= o)
        {
            let p = if s.verbatim {
                s.source.start + (o - s.text.start)
            } else if o == s.text.start {
                s.source.start
            } else if o == s.text.end {
                s.source.end
            } else {
                continue;
            };
            found = Some(found.map_or((p, p), |(a, b)| (a.min(p), b.max(p))));
        }
        found
    }

    /// Whether the kept tags in `source[a..b]` open and close in pairs.
    fn balanced(&self, a: usize, b: usize) -> bool {
        let mut stack: Vec<&[u8]> = Vec::new();
        for m in &self.markup {
            if m.dropped || m.source.start < a || m.source.end > b {
                continue;
            }
            let closes_its_own = match &m.mark {
                Some(Mark::Open(t)) => {
                    stack.push(t);
                    true
                }
                Some(Mark::Close(t)) => stack.pop() == Some(t.as_slice()),
                None => true,
            };
            if !closes_its_own {
                return false;
            }
        }
        stack.is_empty()
    }
}

/// Widens a removal to its whole line when nothing else is on it.
fn whole_line(source: &str, r: Range<usize>) -> Range<usize> {
    let before = &source[..r.start];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let after = &source[r.end..];
    let line_end = after.find('\n').map(|i| r.end + i + 1);
    match line_end {
        Some(end)
            if source[line_start..r.start].trim().is_empty()
                && source[r.end..end].trim().is_empty() =>
        {
            line_start..end
        }
        _ => r,
    }
}

/// Writes `source` (a TimeML document with a DCT) with every gold TIMEX3 but the
/// DCT taken out (their text stays), links that pointed at them taken out, and
/// `ours` put in as `<TIMEX3 tid="t1" type=… value=… anchorTimeID=…>` with tids from
/// `t1`; the DCT's tid becomes `t0` if it was another. Expressions are written
/// in text order, so an anchor on another expression is kept when that one comes first.
pub fn overlay_timeml(
    source: &str,
    name: &str,
    ours: &[TimexOut],
) -> Result<TimeMlOutput, FormatError> {
    let doc = crate::read_timeml(source, name)?;
    if doc.dct.is_none() {
        return Err(FormatError::malformed(
            name,
            1,
            "no document creation time (a TIMEX3 in <DCT>)",
        ));
    }
    let sc = scan(source, name)?;
    if sc.text != doc.text {
        return Err(FormatError::malformed(
            name,
            1,
            "the TEXT element could not be mapped back to the source",
        ));
    }
    // (position, order, replaced range end, text): at one position our end tags
    // come before our start tags.
    let mut edits: Vec<(usize, u8, usize, String)> = Vec::new();
    for r in &sc.removals {
        edits.push((r.start, 1, r.end, String::new()));
    }
    for (r, refs) in &sc.links {
        if refs.iter().any(|t| sc.removed_tids.contains(t)) {
            let r = whole_line(source, r.clone());
            edits.push((r.start, 1, r.end, String::new()));
        }
    }
    if let Some((tag, tid)) = &sc.dct_tag {
        if tid.as_deref() != Some("t0") {
            let original = &source[tag.clone()];
            let rewritten = match tid {
                Some(t) => original.replacen(&format!("tid=\"{t}\""), "tid=\"t0\"", 1),
                None => original.replacen("<TIMEX3", "<TIMEX3 tid=\"t0\"", 1),
            };
            edits.push((tag.start, 1, tag.end, rewritten));
        }
    }
    let mut order: Vec<usize> = (0..ours.len()).collect();
    order.sort_by_key(|&i| (ours[i].start, ours[i].end));
    let mut skipped = Vec::new();
    let mut last_end = 0usize;
    let mut tid = 0usize;
    let mut tids: Vec<Option<usize>> = vec![None; ours.len()];
    for i in order {
        let t = &ours[i];
        let on_text = t.start < t.end
            && t.end <= sc.text.len()
            && sc.text.is_char_boundary(t.start)
            && sc.text.is_char_boundary(t.end);
        let placed = on_text
            .then(|| Some((sc.positions(t.start)?, sc.positions(t.end)?)))
            .flatten()
            .and_then(|((s_lo, s_hi), (e_lo, e_hi))| {
                [(s_hi, e_lo), (s_lo, e_lo), (s_hi, e_hi), (s_lo, e_hi)]
                    .into_iter()
                    .find(|&(s, e)| s <= e && s >= last_end && sc.balanced(s, e))
            });
        let Some((s, e)) = placed else {
            skipped.push(i);
            continue;
        };
        tid += 1;
        tids[i] = Some(tid);
        let anchor = match t.anchor {
            Some(Anchor::Dct) => " anchorTimeID=\"t0\"".to_string(),
            Some(Anchor::Timex(k)) => tids
                .get(k)
                .copied()
                .flatten()
                .map(|a| format!(" anchorTimeID=\"t{a}\""))
                .unwrap_or_default(),
            None => String::new(),
        };
        edits.push((
            s,
            2,
            s,
            format!(
                "<TIMEX3 tid=\"t{tid}\" type=\"{}\" value=\"{}\"{anchor}>",
                attr_escape(&t.kind),
                attr_escape(&t.value)
            ),
        ));
        edits.push((e, 0, e, "</TIMEX3>".into()));
        last_end = e;
    }
    edits.sort_by_key(|(at, order, _, _)| (*at, *order));
    let mut xml = String::with_capacity(source.len() + edits.len() * 40);
    let mut cursor = 0;
    for (at, _, end, text) in edits {
        if at > cursor {
            xml.push_str(&source[cursor..at]);
        }
        xml.push_str(&text);
        cursor = cursor.max(end);
    }
    xml.push_str(&source[cursor.min(source.len())..]);
    skipped.sort_unstable();
    Ok(TimeMlOutput { xml, skipped })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read_timeml;
    use proptest::prelude::*;

    const SAMPLE: &str = r#"<?xml version="1.0" ?>
<TimeML>
<DOCID>X1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2016-10-15" functionInDocument="CREATION_TIME">Oct 15</TIMEX3></DCT>
<TEXT>
Café talks resumed <TIMEX3 tid="t1" type="DATE" value="2016-10-13">on Thursday</TIMEX3> &amp; <EVENT eid="e1">lasted</EVENT> <TIMEX3 tid="t2" type="DURATION" value="PT72H" anchorTimeID="t0">72 hours</TIMEX3> <SIGNAL sid="s1">before</SIGNAL> <EVENT eid="e2">dawn</EVENT>.
</TEXT>
<MAKEINSTANCE eiid="ei1" eventID="e1"/>
<TLINK lid="l1" relType="BEFORE" eventInstanceID="ei1" relatedToTime="t1"/>
<TLINK lid="l2" relType="INCLUDES" timeID="t0" relatedToEventInstance="ei1"/>
</TimeML>"#;

    fn ours(doc: &str, text: &str, value: &str) -> TimexOut {
        let start = doc.find(text).expect("in text");
        TimexOut {
            start,
            end: start + text.len(),
            kind: "DATE".into(),
            value: value.into(),
            anchor: Some(Anchor::Dct),
        }
    }

    #[test]
    fn a_span_crossing_an_event_is_skipped() {
        let doc = read_timeml(SAMPLE, "s").unwrap();
        let t = [
            ours(&doc.text, "asted 72", "X"),
            ours(&doc.text, "dawn", "Y"),
        ];
        let out = overlay_timeml(SAMPLE, "s", &t).unwrap();
        assert_eq!(out.skipped, vec![0]);
        assert!(out.xml.contains(r#"<EVENT eid="e2"><TIMEX3 tid="t1" type="DATE" value="Y" anchorTimeID="t0">dawn</TIMEX3></EVENT>"#), "{}", out.xml);
    }

    #[test]
    fn output_is_well_formed_with_ours_only() {
        let doc = read_timeml(SAMPLE, "s").unwrap();
        let t = [
            ours(&doc.text, "on Thursday", "2016-10-13"),
            ours(&doc.text, "lasted 72", "P"),
            ours(&doc.text, "before dawn", "X"),
        ];
        let out = overlay_timeml(SAMPLE, "s", &t).unwrap();
        let back = read_timeml(&out.xml, "o").expect("well-formed");
        assert_eq!(back.text, doc.text);
        assert_eq!(back.dct.as_deref(), Some("2016-10-15"));
        let got: Vec<&str> = back
            .timexes
            .iter()
            .map(|x| &back.text[x.start..x.end])
            .collect();
        assert_eq!(got, vec!["on Thursday", "lasted 72", "before dawn"]);
        assert!(out.xml.contains(r#"<TIMEX3 tid="t1" type="DATE" value="2016-10-13" anchorTimeID="t0">on Thursday</TIMEX3>"#));
        assert!(out.xml.contains(r#"<DCT><TIMEX3 tid="t0" type="DATE" value="2016-10-15" functionInDocument="CREATION_TIME">Oct 15</TIMEX3></DCT>"#));
        assert!(!out.xml.contains("PT72H"));
        assert!(
            !out.xml.contains("l1"),
            "a link to a removed gold time goes"
        );
        assert!(out
            .xml
            .contains(r#"<TLINK lid="l2" relType="INCLUDES" timeID="t0""#));
        assert!(
            out.xml.contains(
                r#"value="P" anchorTimeID="t0"><EVENT eid="e1">lasted</EVENT> 72</TIMEX3>"#
            ),
            "{}",
            out.xml
        );
    }

    #[test]
    fn missing_dct_and_bad_xml_are_errors() {
        let no_dct = SAMPLE.replace(
            r#"<DCT><TIMEX3 tid="t0" type="DATE" value="2016-10-15" functionInDocument="CREATION_TIME">Oct 15</TIMEX3></DCT>"#,
            "",
        );
        let e = overlay_timeml(&no_dct, "n.tml", &[])
            .unwrap_err()
            .to_string();
        assert!(e.contains("n.tml:1:") && e.contains("creation time"), "{e}");
        let bad = SAMPLE.replace("</EVENT>.", "</EVNT>.");
        let e = overlay_timeml(&bad, "b.tml", &[]).unwrap_err().to_string();
        assert!(e.starts_with("b.tml:6:"), "{e}");
    }

    proptest! {
        /// Whatever spans we are given, the output is well-formed TimeML with the
        /// same text, and every TIMEX3 written lands on the text it was given for.
        #[test]
        fn every_written_timex_lands_on_its_text(
            spans in prop::collection::vec((0usize..140, 1usize..20), 0..8),
        ) {
            let doc = read_timeml(SAMPLE, "s").unwrap();
            let n = doc.text.len();
            let mut t: Vec<TimexOut> = Vec::new();
            for (s, l) in spans {
                let (s, e) = (s.min(n), (s + l).min(n));
                if s >= e { continue; }
                if t.iter().any(|o| s < o.end && o.start < e) { continue; }
                let anchor = t.len().checked_sub(1).map(Anchor::Timex);
                t.push(TimexOut { start: s, end: e, kind: "DATE".into(), value: format!("v{s}\"&<"), anchor });
            }
            let out = overlay_timeml(SAMPLE, "s", &t).unwrap();
            let back = read_timeml(&out.xml, "o").expect("well-formed");
            prop_assert_eq!(&back.text, &doc.text);
            let written: Vec<&TimexOut> = t.iter().enumerate()
                .filter(|(i, _)| !out.skipped.contains(i)).map(|(_, x)| x).collect();
            prop_assert_eq!(back.timexes.len(), written.len());
            let mut written = written;
            written.sort_by_key(|x| x.start);
            // No anchor points at a time that is not in the output.
            for b in &back.timexes {
                if let Some(a) = &b.anchor {
                    prop_assert!(a == "t0" || back.timexes.iter().any(|o| &o.tid == a), "{}", a);
                }
            }
            for (b, w) in back.timexes.iter().zip(written) {
                prop_assert_eq!((b.start, b.end), (w.start, w.end));
                prop_assert_eq!(&b.value, &w.value);
            }
        }
    }
}
