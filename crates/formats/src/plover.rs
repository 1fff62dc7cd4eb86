//! PLOVER gold-standard records (the OEDA "GSR" JSON): a JSON array of coded
//! sentences, each with its text, PLOVER event type, source and target actors and,
//! for violent events, the dead. Only the fields a scorer reads are kept; the rest
//! (`eventText`, `textInfo`, `context`, `mode`, …) are allowed and ignored.
//!
//! Two loose spellings in the published files are accepted: an actor list written
//! as `""` (no actor), and `dead` written as a string of digits.

use crate::FormatError;
use serde::de::{self, Deserializer};
use serde::Deserialize;
use std::path::Path;

/// One coded sentence.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PloverRecord {
    pub id: String,
    /// The story's date as written (`YYYY-MM-DD` in the GSR).
    #[serde(default)]
    pub date: Option<String>,
    pub text: String,
    /// PLOVER event type (`AGREE`, `ASSAULT`, …) in the coder's PLOVER version.
    pub event: String,
    #[serde(default, deserialize_with = "actors")]
    pub source: Vec<PloverActor>,
    #[serde(default, deserialize_with = "actors")]
    pub target: Vec<PloverActor>,
    /// People killed, when the record states it.
    #[serde(default, deserialize_with = "dead")]
    pub dead: Option<u64>,
}

/// One actor of a record: its CAMEO-style code as written (case kept).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PloverActor {
    pub code: String,
    #[serde(default, rename = "actorText")]
    pub text: Option<String>,
}

fn actors<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<PloverActor>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Actors {
        List(Vec<PloverActor>),
        Text(String),
    }
    match Actors::deserialize(d) {
        Ok(Actors::List(v)) => Ok(v),
        Ok(Actors::Text(s)) if s.is_empty() => Ok(Vec::new()),
        _ => Err(de::Error::custom(
            "an actor list must be an array of {\"code\": …} objects or \"\"",
        )),
    }
}

fn dead<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Count {
        Number(u64),
        Text(String),
    }
    let bad = || de::Error::custom("`dead` must be a whole number or a string of digits");
    match Count::deserialize(d).map_err(|_| bad())? {
        Count::Number(n) => Ok(Some(n)),
        Count::Text(s) => s.trim().parse().map(Some).map_err(|_| bad()),
    }
}

/// Reads a GSR file's JSON text; `name` labels errors.
pub fn read_plover(json: &str, name: &str) -> Result<Vec<PloverRecord>, FormatError> {
    serde_json::from_str(json).map_err(|e| {
        // serde_json ends its message with " at line L column C"; the line goes into
        // our own prefix, the column stays in the reason.
        let message = e.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(m, _)| m);
        FormatError::malformed(name, e.line(), format!("column {}: {message}", e.column()))
    })
}

pub fn read_plover_file(path: &Path) -> Result<Vec<PloverRecord>, FormatError> {
    read_plover(&crate::read_to_string(path)?, &path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GSR: &str = r#"[
 {"id": "G-AGREE-1", "date": "2001-02-03", "event": "AGREE",
  "source": [{"actorText": "Varnholm", "code": "vrn", "sector": "GOV"}],
  "target": "",
  "text": "Varnholm agreed to talks.", "textInfo": {"markup": "x"}, "mode": "verbal"},
 {"id": "G-FIGHT-2", "event": "FIGHT", "source": [], "target": [{"code": "ABC"}],
  "text": "Two were killed.", "dead": "2 "},
 {"id": "G-FIGHT-3", "event": "FIGHT", "text": "None died.", "dead": 0}
]"#;

    #[test]
    fn reads_records_and_the_loose_spellings() {
        let r = read_plover(GSR, "g.json").unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].date.as_deref(), Some("2001-02-03"));
        assert_eq!(r[0].source[0].code, "vrn");
        assert_eq!(r[0].source[0].text.as_deref(), Some("Varnholm"));
        assert!(r[0].target.is_empty());
        assert_eq!(r[0].dead, None);
        assert_eq!(r[1].date, None);
        assert_eq!(
            (r[1].target[0].code.as_str(), r[1].target[0].text.as_ref()),
            ("ABC", None)
        );
        assert_eq!(r[1].dead, Some(2));
        assert!(r[2].source.is_empty() && r[2].target.is_empty());
        assert_eq!(r[2].dead, Some(0));
    }

    fn error(json: &str) -> String {
        read_plover(json, "g.json").unwrap_err().to_string()
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let e = error("[\n {\"id\": \"a\", \"event\": \"AGREE\"}\n]");
        assert!(e.starts_with("g.json:2: "), "{e}");
        assert!(e.contains("missing field `text`"), "{e}");
        let e =
            error("[\n{\"id\": \"a\", \"event\": \"X\", \"text\": \"t\",\n \"dead\": \"many\"}]");
        assert!(e.starts_with("g.json:3: "), "{e}");
        assert!(e.contains("`dead`"), "{e}");
        let e = error("[{\"id\": \"a\", \"event\": \"X\", \"text\": \"t\", \"source\": \"RUS\"}]");
        assert!(e.contains("actor list"), "{e}");
        let e = error("[{\"id\": \"a\", \"event\": \"X\", \"text\": \"t\", \"target\": [{\"actorText\": \"x\"}]}]");
        assert!(e.contains("actor list"), "{e}");
        let e = error("{\"id\": \"a\"}");
        assert!(e.starts_with("g.json:1: "), "{e}");
        let e = error("[{\"id\": \"a\",");
        assert!(e.starts_with("g.json:1: "), "{e}");
        assert!(!e.contains(" at line "), "{e}");
    }

    proptest::proptest! {
        /// Any text: records or an error naming a line, never a panic.
        #[test]
        fn never_panics(json in "[\\[\\]{}\":,0-9a-z \n]{0,80}") {
            if let Err(e) = read_plover(&json, "g.json") {
                proptest::prop_assert!(e.to_string().starts_with("g.json:"));
            }
        }
    }
}
