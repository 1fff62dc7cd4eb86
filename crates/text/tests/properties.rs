//! Structural invariants of the segmentation for arbitrary input.

use chronicle_text::{segment, tokenize, Segmented};
use proptest::prelude::*;

fn check(text: &str, seg: &Segmented) {
    let mut prev_end = 0;
    for t in &seg.tokens {
        assert!(t.start < t.end, "empty token {t:?} in {text:?}");
        assert!(
            t.start >= prev_end,
            "overlap or disorder at {t:?} in {text:?}"
        );
        assert!(t.end <= text.len());
        assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        assert!(
            !t.text(text).chars().any(char::is_whitespace),
            "{t:?} in {text:?}"
        );
        prev_end = t.end;
    }
    let mut next = 0;
    for s in &seg.sentences {
        assert_eq!(s.tokens.start, next, "sentences must tile the tokens");
        assert!(s.tokens.end > s.tokens.start);
        let first = &seg.tokens[s.tokens.start];
        let last = &seg.tokens[s.tokens.end - 1];
        assert_eq!((s.start, s.end), (first.start, last.end));
        next = s.tokens.end;
    }
    assert_eq!(next, seg.tokens.len());
    // A multiword token never spans a sentence boundary.
    for s in &seg.sentences {
        assert!(!seg.tokens[s.tokens.end - 1].fused_with_next);
    }
}

/// News-like fragments mixed with arbitrary characters, so the interesting
/// rules (abbreviations, quotes, contractions, URLs) are actually exercised.
fn newsish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("U.S.".to_string()),
        Just("Sept. 9".to_string()),
        Just("don't".to_string()),
        Just("won’t".to_string()),
        Just("\"".to_string()),
        Just("“".to_string()),
        Just("'".to_string()),
        Just("...".to_string()),
        Just(". ".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("http://x.com/a(b)".to_string()),
        Just("a@b.c".to_string()),
        Just("72-hour".to_string()),
        Just("3.5%".to_string()),
        Just("1:07pm".to_string()),
        Just("👩‍👩‍👧".to_string()),
        Just("etc.".to_string()),
        Just("\u{0301}".to_string()),
        Just("\u{200D}".to_string()),
        "[a-zA-Z]{1,8}",
        " {1,3}",
        any::<char>().prop_map(String::from),
        "\\PC{0,6}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_strings(text in any::<String>()) {
        check(&text, &segment(&text));
    }

    #[test]
    fn newsish_strings(text in newsish()) {
        check(&text, &segment(&text));
    }

    #[test]
    fn tokenize_agrees_with_segment_outside_abbreviations(text in newsish()) {
        // segment() only ever splits a sentence-final abbreviation's period off.
        let raw = tokenize(&text);
        let seg = segment(&text);
        prop_assert!(seg.tokens.len() >= raw.len());
        prop_assert!(seg.tokens.len() - raw.len() <= seg.sentences.len());
    }
}

/// Found by `newsish_strings`: the model ended a sentence on "…do" of "don't".
#[test]
fn contraction_after_unknown_word_is_not_split_across_sentences() {
    let text = "'1:07pmqmYAVdon't 1:07pm\"";
    check(text, &segment(text));
}
