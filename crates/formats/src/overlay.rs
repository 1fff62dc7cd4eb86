//! The walk shared by the writers that lay predictions over a one-token-per-line
//! gold file (CoNLL-U, IOB2): blank lines end a sentence, `#` lines are comments,
//! and every byte the caller does not replace is copied, line endings included.

use crate::FormatError;

/// What to do with a token line.
pub(crate) enum Line {
    /// Copy it unchanged; it is not one of the sentence's predicted tokens
    /// (a CoNLL-U multiword range or empty node).
    Keep,
    /// Write this instead of the line's content (its line ending is kept); the
    /// line is the next token of the sentence.
    Replace(String),
}

/// Calls `token_line(content, sentence, token, line_no)` for each token line, with
/// 0-based sentence and token indexes, and checks that the file has `expected`
/// sentences (the number of predicted ones).
pub(crate) fn rewrite_token_lines(
    gold: &str,
    source_name: &str,
    expected: usize,
    mut token_line: impl FnMut(&str, usize, usize, usize) -> Result<Line, FormatError>,
) -> Result<String, FormatError> {
    let mut out = String::with_capacity(gold.len() + gold.len() / 8);
    let (mut sentence, mut token) = (0usize, 0usize);
    for (idx, segment) in gold.split_inclusive('\n').enumerate() {
        let body = segment.trim_end_matches(['\n', '\r']);
        if body.trim().is_empty() {
            if token > 0 {
                sentence += 1;
                token = 0;
            }
            out.push_str(segment);
            continue;
        }
        if body.starts_with('#') {
            out.push_str(segment);
            continue;
        }
        match token_line(body, sentence, token, idx + 1)? {
            Line::Keep => out.push_str(segment),
            Line::Replace(content) => {
                out.push_str(&content);
                out.push_str(&segment[body.len()..]);
                token += 1;
            }
        }
    }
    if token > 0 {
        sentence += 1;
    }
    if sentence != expected {
        return Err(FormatError::malformed(
            source_name,
            gold.lines().count(),
            format!("{expected} predicted sentences for {sentence} in the file"),
        ));
    }
    Ok(out)
}

/// The error for a token line that has no prediction.
pub(crate) fn no_prediction(
    source_name: &str,
    line: usize,
    sentence: usize,
    token: usize,
) -> FormatError {
    FormatError::malformed(
        source_name,
        line,
        format!(
            "no prediction for token {} of sentence {}",
            token + 1,
            sentence + 1
        ),
    )
}
