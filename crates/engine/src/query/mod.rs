//! The read side every front end shares: the listings and views the CLI prints
//! with `--json` and the HTTP API returns, computed once here so both give the
//! same shapes. `params` checks the values a user types (dates, codes, kinds);
//! `stories` is the story list and story view (documents, merged events,
//! disagreements); `actors` folds coded actors by cross-document entity.

pub mod actors;
pub mod events;
pub mod params;
pub mod stories;

use chronicle_store::{Store, StoreError};

/// Why a query has no answer. The front end words it: the CLI as a message
/// and an exit code, the server as a status and a JSON error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No record has this id (or id prefix).
    #[error("no {what} with id {id:?}")]
    NotFound { what: &'static str, id: String },
    /// An id prefix names several records.
    #[error("{what} id prefix {prefix:?} is ambiguous: {}", candidates.join(", "))]
    Ambiguous {
        what: &'static str,
        prefix: String,
        candidates: Vec<String>,
    },
    /// A value the query cannot take; `parameter` names it as the CLI and the
    /// API call it.
    #[error("{message}")]
    Invalid {
        parameter: &'static str,
        message: String,
    },
    /// A record listed by the store cannot be read back.
    #[error("{what} {id} is listed but cannot be read")]
    Unreadable { what: &'static str, id: String },
}

/// "1 source", "3 sources".
pub fn plural(n: u64, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// A figure as written: whole numbers without decimals.
pub fn value_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// The start of an id a reader can type back: 8 hex digits, after the kind
/// prefix when there is one (`story-4dece72b`, `event-22a1b3c4`).
pub fn short(id: &str) -> &str {
    let head = id
        .find('-')
        .filter(|&p| p > 0 && id[..p].bytes().all(|b| b.is_ascii_lowercase()))
        .map_or(0, |p| p + 1);
    let end = id.char_indices().nth(head + 8).map_or(id.len(), |(i, _)| i);
    &id[..end]
}

/// CAMEO's label of a code ("Arrest, detain, or charge with legal action"),
/// empty when the table does not know it.
pub fn cameo_label(code: &str) -> String {
    chronicle_codebook::Codebook::embedded_codes()
        .ok()
        .and_then(|codes| codes.get(code).and_then(|c| c.label.clone()))
        .unwrap_or_default()
}

/// The one stored document an id or id prefix names.
pub fn resolve_document(store: &dyn Store, prefix: &str) -> Result<String, QueryError> {
    match store.resolve_id(prefix)?.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(QueryError::NotFound {
            what: "document",
            id: prefix.to_string(),
        }),
        many => Err(QueryError::Ambiguous {
            what: "document",
            prefix: prefix.to_string(),
            candidates: many.to_vec(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_ids_keep_their_kind() {
        assert_eq!(short("story-4dece72bf93597e5"), "story-4dece72b");
        assert_eq!(short("3fa9c2d1e0b7a6c5"), "3fa9c2d1");
        assert_eq!(short("ab"), "ab");
    }
}
