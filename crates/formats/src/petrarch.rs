//! PETRARCH validation records (`PETR.UnitTest.records.xml` and its kin): each
//! `<Sentence>` holds its text, its parse and the codings PETRARCH must produce
//! (`<EventCoding sourcecode=… targetcode=… eventcode=…>`, or `noevents`, or
//! `error` for records that test error handling).
//!
//! Read with roxmltree: the file is small, its records nest comments and parse
//! trees among the elements we want, and a tree gives each element's line.

use crate::FormatError;
use std::path::Path;

/// One `<Sentence>` record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PetrarchRecord {
    /// 1-based line of the `<Sentence>` tag.
    pub line: usize,
    pub id: Option<String>,
    /// The `date` attribute (`YYYYMMDD`) as `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The `<Text>`, its line wrapping undone (whitespace runs become one space).
    pub text: String,
    pub codings: Vec<PetrarchCoding>,
}

/// One `<EventCoding>`. Codes are as written (an agent without a country is
/// written `---GOV`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PetrarchCoding {
    Event {
        source: String,
        target: String,
        code: String,
    },
    /// `noevents`: the sentence must code nothing.
    NoEvents,
    /// `error`: the record tests an error, not a coding.
    Error,
}

impl PetrarchRecord {
    /// Whether some coding says the record must code nothing.
    pub fn expects_no_events(&self) -> bool {
        self.codings.contains(&PetrarchCoding::NoEvents)
    }

    /// Whether the record tests an error rather than a coding.
    pub fn tests_an_error(&self) -> bool {
        self.codings.contains(&PetrarchCoding::Error)
    }
}

/// Reads every `<Sentence>` of a validation file, wherever it is nested.
pub fn read_petrarch_records(xml: &str, name: &str) -> Result<Vec<PetrarchRecord>, FormatError> {
    let doc = roxmltree::Document::parse(xml)
        .map_err(|e| FormatError::malformed(name, e.pos().row as usize, e.to_string()))?;
    let line = |n: roxmltree::Node| doc.text_pos_at(n.range().start).row as usize;
    let mut out = Vec::new();
    for s in doc.descendants().filter(|n| n.has_tag_name("Sentence")) {
        let at = line(s);
        let texts: Vec<_> = s.children().filter(|n| n.has_tag_name("Text")).collect();
        let [text] = texts.as_slice() else {
            return Err(FormatError::malformed(
                name,
                at,
                format!("<Sentence> has {} <Text> elements, not 1", texts.len()),
            ));
        };
        let text = text.text().unwrap_or_default();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            return Err(FormatError::malformed(
                name,
                at,
                "<Sentence> with an empty <Text>",
            ));
        }
        let date = match s.attribute("date") {
            None => None,
            Some(d) if d.len() == 8 && d.bytes().all(|b| b.is_ascii_digit()) => {
                Some(format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..]))
            }
            Some(d) => {
                return Err(FormatError::malformed(
                    name,
                    at,
                    format!("date {d:?} is not YYYYMMDD"),
                ))
            }
        };
        let mut codings = Vec::new();
        for c in s.children().filter(|n| n.has_tag_name("EventCoding")) {
            let coding = if c.attribute("error").is_some() {
                PetrarchCoding::Error
            } else if c.attribute("noevents").is_some() {
                PetrarchCoding::NoEvents
            } else {
                let code = |k: &str| {
                    c.attribute(k).map(str::to_string).ok_or_else(|| {
                        FormatError::malformed(
                            name,
                            line(c),
                            format!("<EventCoding> without {k} (nor noevents or error)"),
                        )
                    })
                };
                PetrarchCoding::Event {
                    source: code("sourcecode")?,
                    target: code("targetcode")?,
                    code: code("eventcode")?,
                }
            };
            codings.push(coding);
        }
        out.push(PetrarchRecord {
            line: at,
            id: s.attribute("id").map(str::to_string),
            date,
            text,
            codings,
        });
    }
    Ok(out)
}

pub fn read_petrarch_records_file(path: &Path) -> Result<Vec<PetrarchRecord>, FormatError> {
    read_petrarch_records(&crate::read_to_string(path)?, &path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = r#"<Validation>
<!-- a comment -->
<Sentences>
<Sentence date="20010203" id="T-1" category="X">
<!-- a note -->
<EventCoding sourcecode="ARN" targetcode="---GOV" eventcode="042"></EventCoding>
<EventCoding sourcecode="GON" targetcode="ARN" eventcode="043"/>
<Text>
Arnor leaders
visited   Gondor.
</Text>
<Parse>(ROOT (S))</Parse>
</Sentence>
<Sentence id="T-2">
<EventCoding noevents="True"/>
<Text>Nothing &amp; nobody.</Text>
</Sentence>
<Sentence date="20010203" id="T-3"><EventCoding error="x"/><Text>Err.</Text></Sentence>
</Sentences>
</Validation>"#;

    #[test]
    fn reads_records_codings_and_text() {
        let r = read_petrarch_records(XML, "v.xml").unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].line, 4);
        assert_eq!(r[0].id.as_deref(), Some("T-1"));
        assert_eq!(r[0].date.as_deref(), Some("2001-02-03"));
        assert_eq!(r[0].text, "Arnor leaders visited Gondor.");
        assert_eq!(
            r[0].codings[0],
            PetrarchCoding::Event {
                source: "ARN".into(),
                target: "---GOV".into(),
                code: "042".into()
            }
        );
        assert_eq!(r[0].codings.len(), 2);
        assert!(!r[0].expects_no_events() && !r[0].tests_an_error());
        assert_eq!(
            (r[1].date.as_ref(), r[1].text.as_str()),
            (None, "Nothing & nobody.")
        );
        assert!(r[1].expects_no_events());
        assert!(r[2].tests_an_error());
    }

    fn error(xml: &str) -> String {
        read_petrarch_records(xml, "v.xml").unwrap_err().to_string()
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let e = error("<V>\n<Sentence>\n<EventCoding sourcecode=\"A\" eventcode=\"01\"/>\n<Text>t</Text></Sentence></V>");
        assert!(e.starts_with("v.xml:3: "), "{e}");
        assert!(e.contains("targetcode"), "{e}");
        let e = error("<V>\n\n<Sentence><EventCoding noevents=\"1\"/></Sentence></V>");
        assert!(e.starts_with("v.xml:3: ") && e.contains("0 <Text>"), "{e}");
        let e = error("<V>\n<Sentence date=\"2001-02-03\"><Text>t</Text></Sentence></V>");
        assert!(e.starts_with("v.xml:2: ") && e.contains("YYYYMMDD"), "{e}");
        let e = error("<V>\n<Sentence><Text>  </Text></Sentence></V>");
        assert!(e.starts_with("v.xml:2: ") && e.contains("empty"), "{e}");
        let e = error("<V>\n<Sentence>\n</V>");
        assert!(e.starts_with("v.xml:3: "), "{e}");
    }

    proptest::proptest! {
        /// Any text: records or an error naming a line, never a panic.
        #[test]
        fn never_panics(body in "(<Sentence( date=\"[0-9]{6,9}\")?>|</Sentence>|<Text>|</Text>|<EventCoding( (source|target|event)code=\"A\"| noevents=\"1\")*/>|[a-z \n&;]){0,12}") {
            let xml = format!("<V>{body}</V>");
            match read_petrarch_records(&xml, "v.xml") {
                Ok(records) => for r in records {
                    proptest::prop_assert!(!r.text.is_empty() && !r.text.contains("  "));
                },
                Err(e) => proptest::prop_assert!(e.to_string().starts_with("v.xml:")),
            }
        }
    }
}
