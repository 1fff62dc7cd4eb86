//! Content ids: BLAKE3 over the normalized title and body, so the same article read twice gets one id.
/// Collapses whitespace and case so that re-encoded or re-wrapped copies of the same
/// article get the same id.
pub fn normalize_for_id(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Stable document id: the first 16 hex digits of BLAKE3 over the normalized title and
/// body. 64 bits keep ids short in URLs while collisions stay negligible below ~10^9 documents.
pub fn content_id(title: Option<&str>, body: &str) -> String {
    let mut hasher = blake3::Hasher::new();
    if let Some(t) = title {
        hasher.update(normalize_for_id(t).as_bytes());
    }
    hasher.update(b"\x1f");
    hasher.update(normalize_for_id(body).as_bytes());
    let hash = hasher.finalize();
    hash.to_hex()[..16].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_and_case_do_not_change_id() {
        assert_eq!(
            content_id(Some("Talks"), "A  b\r\nC"),
            content_id(Some("talks"), "a b c")
        );
        assert_ne!(content_id(None, "a b c"), content_id(None, "a b d"));
    }
}
