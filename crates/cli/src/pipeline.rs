//! The annotation pipeline run on every English document.

use chronicle_annotate::Pipeline;
use chronicle_core::Document;
use std::time::Duration;

/// Adds the linguistic layers. If the embedded models cannot load (a corrupt build),
/// documents are kept unannotated with a warning rather than lost.
pub fn annotate(doc: &mut Document) {
    match Pipeline::shared() {
        Ok(p) => p.annotate(doc),
        Err(e) => doc
            .warnings
            .push(chronicle_core::Warning::new("not_annotated", e.to_string())),
    }
}

/// Annotation stopped at its time budget; the document is half-annotated and must
/// not be stored.
#[derive(Debug)]
pub struct OverBudget(pub String);

impl std::fmt::Display for OverBudget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `annotate` with a time budget per document (ingest's `--doc-budget`).
///
/// The pipeline has no cooperative deadline yet, so for now every document is
/// annotated to the end and the budget is not enforced; ingest already reports
/// an `OverBudget` document as one failure and does not store it.
pub fn annotate_within(doc: &mut Document, budget: Duration) -> Result<(), OverBudget> {
    let _ = budget;
    annotate(doc);
    Ok(())
}
