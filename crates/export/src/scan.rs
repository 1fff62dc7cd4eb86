//! Reading the events to export: the store's event rows, each with its stored
//! document (read once per document).

use crate::ExportError;
use chronicle_core::{Document, Event};
use chronicle_store::{EventFilter, Store};

/// The events matching `filter`, grouped by document, in the store's order of
/// first appearance. Calls `f` once per document with the document and the
/// indexes of its events that matched.
pub fn by_document<S, F>(store: &S, filter: &EventFilter, mut f: F) -> Result<(), ExportError>
where
    S: Store + ?Sized,
    F: FnMut(&Document, &[usize]) -> Result<(), ExportError>,
{
    let rows = store.events(filter).map_err(|source| ExportError::Store {
        what: "reading the events".into(),
        source,
    })?;
    let mut docs: Vec<(String, Vec<usize>)> = Vec::new();
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for r in rows {
        let i = *at.entry(r.doc_id.clone()).or_insert_with(|| {
            docs.push((r.doc_id.clone(), Vec::new()));
            docs.len() - 1
        });
        docs[i].1.push(r.index);
    }
    for (id, mut indexes) in docs {
        let doc = store
            .get(&id)
            .map_err(|source| ExportError::Store {
                what: format!("reading document {id}"),
                source,
            })?
            .ok_or_else(|| ExportError::Inconsistent {
                doc: id.clone(),
                reason: "an event row points to a document that is not stored".into(),
            })?;
        indexes.sort_unstable();
        if let Some(&bad) = indexes.iter().find(|&&i| i >= doc.events.len()) {
            return Err(ExportError::Inconsistent {
                doc: id,
                reason: format!(
                    "event row {bad} is past the document's {} events",
                    doc.events.len()
                ),
            });
        }
        f(&doc, &indexes)?;
    }
    Ok(())
}

/// A stable event number: 48 bits of the document id, then the event's index
/// (what `export gdelt` has always written).
pub fn event_id(doc_id: &str, index: usize) -> u64 {
    let hex: String = doc_id.chars().take(12).collect();
    u64::from_str_radix(&hex, 16).unwrap_or(0) * 1000 + index as u64 % 1000
}

/// The event's publication date string (`YYYY-MM-DD`), if the document has one.
pub fn published(doc: &Document) -> Option<&str> {
    doc.published.as_ref().map(|p| p.date.as_str())
}

/// The date the text states for the event: its time expression's value. An
/// event the coder dated by the publication date (`date_source` "published")
/// states none.
pub fn stated_date(e: &Event) -> Option<&str> {
    e.date
        .as_deref()
        .filter(|_| e.date_source.as_deref() != Some("published"))
}
