//! Near-duplicate linking against everything stored, decided inside the store's
//! write transaction so interleaved writers link against the same record. The
//! index of stored originals lives in the store (`near_dup_bands`); only the
//! batch in hand is indexed in memory, so memory does not grow with the store.

use chronicle_link::{NearDuplicateIndex, Signature, NEAR_DUPLICATE_JACCARD};
use chronicle_store::{DuplicateLink, NearDuplicateLookup, NewDocument, StoreError};

/// The signature a new document is stored with.
pub(crate) fn fingerprint(text: &str) -> Vec<u8> {
    Signature::of_text(text).to_bytes()
}

/// Links each new document to the most similar original stored, or queued
/// before it in this batch, at or above the near-duplicate threshold. Ties go
/// to the oldest: stored originals before this batch's, in stored order.
pub(crate) fn link_batch(
    stored: &dyn NearDuplicateLookup,
    docs: &mut [NewDocument],
) -> Result<(), StoreError> {
    let mut batch = NearDuplicateIndex::new();
    for nd in docs {
        nd.duplicate_of = None;
        let Some(sig) = nd.fingerprint.as_deref().and_then(Signature::from_bytes) else {
            continue;
        };
        let mut best: Option<(String, f32)> = None;
        for (id, bytes) in stored.originals_like(&sig.to_bytes())? {
            let Some(other) = Signature::from_bytes(&bytes) else {
                continue;
            };
            let j = other.jaccard(&sig);
            if id != nd.doc.id
                && j >= NEAR_DUPLICATE_JACCARD
                && best.as_ref().is_none_or(|(_, bj)| j > *bj)
            {
                best = Some((id, j));
            }
        }
        if let Some((id, j)) = batch.nearest(&sig) {
            if id != nd.doc.id && best.as_ref().is_none_or(|(_, bj)| j > *bj) {
                best = Some((id.to_string(), j));
            }
        }
        match best {
            Some((other, jaccard)) => {
                nd.duplicate_of = Some(DuplicateLink {
                    doc_id: nd.doc.id.clone(),
                    other_id: other,
                    kind: "near".into(),
                    similarity: jaccard,
                });
            }
            None => batch.insert(nd.doc.id.clone(), sig),
        }
    }
    Ok(())
}
