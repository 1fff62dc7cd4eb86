//! The annotation pipeline run on every English document.

use chronicle_annotate::Pipeline;
use chronicle_core::Document;

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
