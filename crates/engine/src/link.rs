//! Near-duplicate linking against everything stored, decided inside the store's
//! write transaction so interleaved writers link against the same record.

use chronicle_link::{NearDuplicateIndex, Signature};
use chronicle_store::{DuplicateLink, NewDocument};
use std::collections::HashSet;

/// The originals seen so far (stored by anyone, or queued by this run).
pub(crate) struct Linker {
    index: NearDuplicateIndex,
    indexed: HashSet<String>,
}

/// The signature a new document is stored with.
pub(crate) fn fingerprint(text: &str) -> Vec<u8> {
    Signature::of_text(text).to_bytes()
}

impl Linker {
    pub(crate) fn new() -> Self {
        Linker {
            index: NearDuplicateIndex::new(),
            indexed: HashSet::new(),
        }
    }

    /// Links each new document to the most similar original stored or queued
    /// before it, after adding what other writers stored since the last look.
    pub(crate) fn link(&mut self, stored: &[(String, Vec<u8>)], docs: &mut [NewDocument]) {
        for (id, bytes) in stored {
            if let Some(sig) = Signature::from_bytes(bytes) {
                if self.indexed.insert(id.clone()) {
                    self.index.insert(id.clone(), sig);
                }
            }
        }
        for nd in docs {
            nd.duplicate_of = None;
            let Some(sig) = nd.fingerprint.as_deref().and_then(Signature::from_bytes) else {
                continue;
            };
            if let Some((other, jaccard)) = self.index.nearest(&sig) {
                if other != nd.doc.id {
                    nd.duplicate_of = Some(DuplicateLink {
                        doc_id: nd.doc.id.clone(),
                        other_id: other.to_string(),
                        kind: "near".into(),
                        similarity: jaccard,
                    });
                    continue;
                }
            }
            if self.indexed.insert(nd.doc.id.clone()) {
                self.index.insert(nd.doc.id.clone(), sig);
            }
        }
    }
}
