//! JSON and JSON Lines: one article per object, fields mapped by name or by the user.

use super::Records;
use crate::fields::{json_to_string, map_record, FieldMap};
use crate::IngestError;
use serde_json::Value;
use std::path::Path;

fn object_fields(obj: &serde_json::Map<String, Value>) -> Vec<(String, String)> {
    obj.iter()
        .map(|(k, v)| (k.clone(), json_to_string(v)))
        .collect()
}

fn record_from_value(
    v: &Value,
    path: &Path,
    map: &FieldMap,
    format: &'static str,
    record: String,
) -> Result<crate::RawArticle, IngestError> {
    let Value::Object(obj) = v else {
        return Err(IngestError::record(
            path,
            Some(record),
            "record is not a JSON object",
        ));
    };
    map_record(object_fields(obj), map, format, record.clone()).ok_or_else(|| {
        IngestError::record(
            path,
            Some(record),
            "no article text field (text, body, content, …)",
        )
    })
}

/// A JSON document: one article object, an array of them, or an object wrapping
/// the array under a key such as `articles` or `items`.
pub fn read_json(text: &str, path: &Path, map: &FieldMap) -> Result<Records, IngestError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| IngestError::malformed(path, "JSON", e))?;
    let items: Vec<&Value> = match &value {
        Value::Array(a) => a.iter().collect(),
        Value::Object(o) => {
            let wrapped = [
                "articles",
                "items",
                "data",
                "documents",
                "results",
                "records",
            ]
            .iter()
            .find_map(|k| o.get(*k).and_then(Value::as_array));
            match wrapped {
                Some(a) => a.iter().collect(),
                None => vec![&value],
            }
        }
        _ => {
            return Err(IngestError::malformed(
                path,
                "JSON",
                "top level is neither an object nor an array",
            ))
        }
    };
    Ok(items
        .into_iter()
        .enumerate()
        .map(|(i, v)| record_from_value(v, path, map, "json", format!("item {}", i + 1)))
        .collect())
}

/// JSON Lines: one object per line; a malformed line fails alone.
pub fn read_jsonl(text: &str, path: &Path, map: &FieldMap) -> Records {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| record_from_line(line, path, map, format!("line {}", i + 1)))
        .collect()
}

/// One JSON Lines record (a file's line, or a stream's: `stream.rs`).
pub(crate) fn record_from_line(
    line: &str,
    path: &Path,
    map: &FieldMap,
    record: String,
) -> Result<crate::RawArticle, IngestError> {
    match serde_json::from_str::<Value>(line) {
        Ok(v) => record_from_value(&v, path, map, "jsonl", record),
        Err(e) => Err(IngestError::record(
            path,
            Some(record),
            format!("malformed JSON: {e}"),
        )),
    }
}
