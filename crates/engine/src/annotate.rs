//! The annotation pipeline run on every English document, kept total: a build
//! whose models cannot load still stores documents, with a warning.

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

/// Annotation stopped at its time budget; the pipeline cleared the layers it had
/// filled, and the document must not be stored half-annotated.
pub type OverBudget = chronicle_annotate::BudgetExceeded;

/// `annotate` with a time budget per document: the pipeline checks its deadline
/// between stages and per sentence.
pub fn annotate_within(doc: &mut Document, budget: Duration) -> Result<(), OverBudget> {
    match Pipeline::shared() {
        Ok(p) => p.annotate_within(doc, budget),
        Err(e) => {
            doc.warnings
                .push(chronicle_core::Warning::new("not_annotated", e.to_string()));
            Ok(())
        }
    }
}
