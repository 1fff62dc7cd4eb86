//! TimeML (TempEval-3, TimeBank, AQUAINT) and MEANTIME CAT XML: the text a
//! document's time expressions were annotated on, the document creation time, and
//! the gold TIMEX3 spans as byte offsets into that text.

use crate::FormatError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::HashMap;
use std::path::Path;

/// One gold TIMEX3 over `TimeMlDocument::text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldTimex {
    pub start: usize,
    pub end: usize,
    pub tid: String,
    /// DATE, TIME, DURATION or SET.
    pub kind: String,
    pub value: String,
    pub anchor: Option<String>,
}

/// A TimeML document reduced to what time-expression scoring needs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TimeMlDocument {
    pub doc_id: Option<String>,
    /// The `value` of the creation-time TIMEX3 (`<DCT>`, or MEANTIME's
    /// `functionInDocument="CREATION_TIME"`).
    pub dct: Option<String>,
    /// The text inside `<TEXT>` with every tag removed and entities resolved.
    pub text: String,
    pub timexes: Vec<GoldTimex>,
}

pub(crate) fn line_at(source: &str, pos: usize) -> usize {
    let pos = pos.min(source.len());
    source.as_bytes()[..pos]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn attributes(
    e: &BytesStart,
    name: &str,
    source: &str,
    pos: usize,
) -> Result<HashMap<String, String>, FormatError> {
    let mut out = HashMap::new();
    for a in e.attributes() {
        let a = a.map_err(|err| {
            FormatError::malformed(name, line_at(source, pos), format!("bad attribute: {err}"))
        })?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a
            .unescape_value()
            .map_err(|err| {
                FormatError::malformed(
                    name,
                    line_at(source, pos),
                    format!("bad attribute value: {err}"),
                )
            })?
            .into_owned();
        out.insert(key, value);
    }
    Ok(out)
}

pub(crate) fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

pub(crate) fn xml_error(
    name: &str,
    source: &str,
    pos: usize,
    err: impl std::fmt::Display,
) -> FormatError {
    FormatError::malformed(
        name,
        line_at(source, pos),
        format!("not well-formed XML: {err}"),
    )
}

/// Reads a TimeML document: the gold TIMEX3 of `<TEXT>` and the `<DCT>` value.
/// `name` is used in errors (usually the file path).
pub fn read_timeml(source: &str, name: &str) -> Result<TimeMlDocument, FormatError> {
    let mut reader = Reader::from_str(source);
    reader.config_mut().check_end_names = true;
    let mut doc = TimeMlDocument::default();
    let mut in_text = false;
    let mut in_dct = false;
    let mut in_docid = false;
    let mut seen_text = false;
    // Open TIMEX3 elements inside TEXT: (start offset, attributes). TimeML does not
    // nest them, but a stack keeps a malformed file from mispairing silently.
    let mut open: Vec<(usize, HashMap<String, String>)> = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    loop {
        let pos = reader.buffer_position() as usize;
        let event = reader
            .read_event()
            .map_err(|e| xml_error(name, source, pos, e))?;
        match event {
            Event::Start(e) => {
                let tag = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                match tag.as_str() {
                    "TEXT" => {
                        in_text = true;
                        seen_text = true;
                    }
                    "DCT" => in_dct = true,
                    "DOCID" => in_docid = true,
                    "TIMEX3" => {
                        let attrs = attributes(&e, name, source, pos)?;
                        let creation = in_dct
                            || attrs.get("functionInDocument").map(String::as_str)
                                == Some("CREATION_TIME");
                        if creation && doc.dct.is_none() {
                            doc.dct = attrs.get("value").cloned();
                        }
                        if in_text {
                            open.push((doc.text.len(), attrs));
                        }
                    }
                    _ => {}
                }
                stack.push(tag);
            }
            Event::Empty(e) if e.name().as_ref() == b"TIMEX3" && in_dct => {
                let attrs = attributes(&e, name, source, pos)?;
                doc.dct = attrs.get("value").cloned();
            }
            Event::End(e) => {
                let tag = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                stack.pop();
                match tag.as_str() {
                    "TEXT" => in_text = false,
                    "DCT" => in_dct = false,
                    "DOCID" => in_docid = false,
                    "TIMEX3" if in_text => {
                        if let Some((start, attrs)) = open.pop() {
                            let get = |k: &str| attrs.get(k).cloned().unwrap_or_default();
                            doc.timexes.push(GoldTimex {
                                start,
                                end: doc.text.len(),
                                tid: get("tid"),
                                kind: get("type"),
                                value: get("value"),
                                anchor: attrs.get("anchorTimeID").cloned(),
                            });
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                let s = t.decode().map_err(|e| xml_error(name, source, pos, e))?;
                if in_text {
                    doc.text.push_str(&s);
                } else if in_docid {
                    doc.doc_id = Some(s.trim().to_string());
                }
            }
            Event::CData(t) if in_text => {
                doc.text.push_str(&String::from_utf8_lossy(&t));
            }
            Event::GeneralRef(r) => {
                let raw = String::from_utf8_lossy(&r).into_owned();
                let c = entity(&raw).ok_or_else(|| {
                    FormatError::malformed(
                        name,
                        line_at(source, pos),
                        format!("unknown entity &{raw};"),
                    )
                })?;
                if in_text {
                    doc.text.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(tag) = stack.last() {
        return Err(FormatError::malformed(
            name,
            line_at(source, source.len()),
            format!("not well-formed XML: <{tag}> is never closed"),
        ));
    }
    if !seen_text {
        return Err(FormatError::malformed(name, 1, "no <TEXT> element"));
    }
    doc.timexes.sort_by_key(|t| (t.start, t.end));
    Ok(doc)
}

/// Reads a MEANTIME CAT XML document. Its text is rebuilt from the tokens (one
/// space between tokens, a newline between sentences) since CAT stores no raw text.
pub fn read_cat_timex(source: &str, name: &str) -> Result<TimeMlDocument, FormatError> {
    let mut reader = Reader::from_str(source);
    reader.config_mut().check_end_names = true;
    let mut doc = TimeMlDocument::default();
    let mut token_span: HashMap<String, (usize, usize)> = HashMap::new();
    let mut current_token: Option<(String, String)> = None; // (t_id, sentence)
    let mut last_sentence: Option<String> = None;
    let mut timex: Option<(HashMap<String, String>, Vec<String>)> = None;
    let mut pending: Vec<(HashMap<String, String>, Vec<String>)> = Vec::new();
    loop {
        let pos = reader.buffer_position() as usize;
        let event = reader
            .read_event()
            .map_err(|e| xml_error(name, source, pos, e))?;
        match event {
            Event::Start(e) => match e.name().as_ref() {
                b"Document" => {
                    let attrs = attributes(&e, name, source, pos)?;
                    doc.doc_id = attrs.get("doc_id").cloned();
                }
                b"token" => {
                    let attrs = attributes(&e, name, source, pos)?;
                    let id = attrs.get("t_id").cloned().ok_or_else(|| {
                        FormatError::malformed(name, line_at(source, pos), "token without t_id")
                    })?;
                    let sentence = attrs.get("sentence").cloned().unwrap_or_default();
                    if !doc.text.is_empty() {
                        let sep = if last_sentence.as_ref() == Some(&sentence) {
                            ' '
                        } else {
                            '\n'
                        };
                        doc.text.push(sep);
                    }
                    last_sentence = Some(sentence.clone());
                    token_span.insert(id.clone(), (doc.text.len(), doc.text.len()));
                    current_token = Some((id, sentence));
                }
                b"TIMEX3" => {
                    timex = Some((attributes(&e, name, source, pos)?, Vec::new()));
                }
                _ => {}
            },
            Event::Empty(e) if e.name().as_ref() == b"token_anchor" => {
                if let Some((_, anchors)) = timex.as_mut() {
                    let attrs = attributes(&e, name, source, pos)?;
                    if let Some(id) = attrs.get("t_id") {
                        anchors.push(id.clone());
                    }
                }
            }
            Event::Text(t) => {
                if let Some((id, _)) = &current_token {
                    let s = t.decode().map_err(|e| xml_error(name, source, pos, e))?;
                    doc.text.push_str(s.trim());
                    if let Some(span) = token_span.get_mut(id) {
                        span.1 = doc.text.len();
                    }
                }
            }
            Event::GeneralRef(r) => {
                if let Some((id, _)) = &current_token {
                    let raw = String::from_utf8_lossy(&r).into_owned();
                    if let Some(c) = entity(&raw) {
                        doc.text.push(c);
                        if let Some(span) = token_span.get_mut(id) {
                            span.1 = doc.text.len();
                        }
                    }
                }
            }
            Event::End(e) => match e.name().as_ref() {
                b"token" => current_token = None,
                b"TIMEX3" => {
                    if let Some(t) = timex.take() {
                        pending.push(t);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    for (attrs, anchors) in pending {
        let get = |k: &str| attrs.get(k).cloned().unwrap_or_default();
        if get("functionInDocument") == "CREATION_TIME" && doc.dct.is_none() {
            doc.dct = Some(get("value"));
        }
        let spans: Vec<(usize, usize)> = anchors
            .iter()
            .filter_map(|id| token_span.get(id).copied())
            .collect();
        let (Some(start), Some(end)) = (
            spans.iter().map(|s| s.0).min(),
            spans.iter().map(|s| s.1).max(),
        ) else {
            // A TIMEX3 with no tokens is the DCT of a document whose date is not in
            // its text; it has nothing to score.
            continue;
        };
        doc.timexes.push(GoldTimex {
            start,
            end,
            tid: get("m_id"),
            kind: get("type"),
            value: get("value"),
            anchor: attrs.get("anchorTimeID").filter(|s| !s.is_empty()).cloned(),
        });
    }
    doc.timexes.sort_by_key(|t| (t.start, t.end));
    Ok(doc)
}

/// Reads a `.tml` (TimeML) or `.xml` (MEANTIME CAT) file.
pub fn read_timeml_file(path: &Path) -> Result<TimeMlDocument, FormatError> {
    let source = crate::read_to_string(path)?;
    let name = path.display().to_string();
    if source.contains("<TimeML") || source.contains("<TEXT>") {
        read_timeml(&source, &name)
    } else {
        read_cat_timex(&source, &name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SAMPLE: &str = r#"<?xml version="1.0" ?>
<TimeML>
<DOCID>X1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2016-10-15" functionInDocument="CREATION_TIME">Oct 15</TIMEX3></DCT>
<TEXT>
Talks resumed <TIMEX3 tid="t1" type="DATE" value="2016-10-13">on Thursday</TIMEX3> &amp; <EVENT eid="e1">lasted</EVENT> <TIMEX3 tid="t2" type="DURATION" value="PT72H" anchorTimeID="t0">72 hours</TIMEX3>.
</TEXT>
</TimeML>"#;

    #[test]
    fn reads_text_dct_and_spans() {
        let d = read_timeml(SAMPLE, "sample.tml").expect("valid");
        assert_eq!(d.dct.as_deref(), Some("2016-10-15"));
        assert_eq!(d.doc_id.as_deref(), Some("X1"));
        assert_eq!(d.timexes.len(), 2);
        let t = &d.timexes[0];
        assert_eq!(&d.text[t.start..t.end], "on Thursday");
        assert_eq!(t.value, "2016-10-13");
        let t = &d.timexes[1];
        assert_eq!(&d.text[t.start..t.end], "72 hours");
        assert_eq!(t.anchor.as_deref(), Some("t0"));
        assert!(d.text.contains("Thursday & lasted"));
    }

    #[test]
    fn malformed_names_the_line() {
        let bad = SAMPLE.replace("</EVENT>", "</EVNT>");
        let err = read_timeml(&bad, "bad.tml").unwrap_err().to_string();
        assert!(err.starts_with("bad.tml:6:"), "{err}");
        let no_text = "<TimeML><DCT></DCT></TimeML>";
        assert!(read_timeml(no_text, "n.tml").is_err());
        let unclosed = "<TimeML><TEXT>a <TIMEX3 tid=\"t1\">b";
        assert!(read_timeml(unclosed, "u.tml").is_err());
    }

    #[test]
    fn reads_meantime_cat() {
        let cat = r#"<?xml version="1.0" ?><Document doc_id="7">
<token number="0" sentence="0" t_id="1">Barra</token>
<token number="1" sentence="0" t_id="2">named</token>
<token number="2" sentence="1" t_id="3">December</token>
<token number="3" sentence="1" t_id="4">10</token>
<Markables>
<TIMEX3 functionInDocument="CREATION_TIME" m_id="9" type="DATE" value="2013-12-10">
<token_anchor t_id="3"/><token_anchor t_id="4"/>
</TIMEX3>
</Markables></Document>"#;
        let d = read_cat_timex(cat, "m.xml").expect("valid");
        assert_eq!(d.text, "Barra named\nDecember 10");
        assert_eq!(d.dct.as_deref(), Some("2013-12-10"));
        let t = &d.timexes[0];
        assert_eq!(&d.text[t.start..t.end], "December 10");
    }

    proptest! {
        #[test]
        fn never_panics_and_spans_are_boundaries(body in "[a-zA-Z <>/&;\"=é0-9]{0,200}") {
            let doc = format!("<TimeML><TEXT>{body}</TEXT></TimeML>");
            if let Ok(d) = read_timeml(&doc, "p.tml") {
                for t in &d.timexes {
                    prop_assert!(d.text.is_char_boundary(t.start) && d.text.is_char_boundary(t.end));
                    prop_assert!(t.start <= t.end);
                }
            }
            let _ = read_cat_timex(&body, "p.xml");
        }
    }
}
