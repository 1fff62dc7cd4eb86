//! Byte spans `[start, end)` into a document's text, and the checks that they lie on char boundaries.
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A byte range `[start, end)` into a document's `text`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpanError {
    #[error("span {start}..{end} is reversed")]
    Reversed { start: usize, end: usize },
    #[error("span {start}..{end} exceeds text length {len}")]
    OutOfBounds {
        start: usize,
        end: usize,
        len: usize,
    },
    #[error("span {start}..{end} does not fall on char boundaries")]
    NotCharBoundary { start: usize, end: usize },
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// Checks the span invariant against the text it points into.
    pub fn check(&self, text: &str) -> Result<(), SpanError> {
        let (start, end) = (self.start, self.end);
        if start > end {
            return Err(SpanError::Reversed { start, end });
        }
        if end > text.len() {
            return Err(SpanError::OutOfBounds {
                start,
                end,
                len: text.len(),
            });
        }
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            return Err(SpanError::NotCharBoundary { start, end });
        }
        Ok(())
    }

    /// The covered text, or `None` when the span is invalid for `text`.
    pub fn slice<'t>(&self, text: &'t str) -> Option<&'t str> {
        text.get(self.start..self.end)
    }

    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Shrinks the span so it excludes leading and trailing whitespace.
    pub fn trimmed(&self, text: &str) -> Span {
        match self.slice(text) {
            Some(s) => {
                let lead = s.len() - s.trim_start().len();
                let trail = s.len() - s.trim_end().len();
                if lead == s.len() {
                    Span::new(self.start, self.start)
                } else {
                    Span::new(self.start + lead, self.end - trail)
                }
            }
            None => *self,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rejects_mid_char() {
        let t = "é";
        assert!(matches!(
            Span::new(1, 2).check(t),
            Err(SpanError::NotCharBoundary { .. })
        ));
        assert!(Span::new(0, 2).check(t).is_ok());
    }

    proptest! {
        #[test]
        fn trimmed_stays_valid(s in "\\PC{0,40}", a in 0usize..60, b in 0usize..60) {
            let (a, b) = (a.min(b), a.max(b));
            let span = Span::new(a, b);
            if span.check(&s).is_ok() {
                let t = span.trimmed(&s);
                prop_assert!(t.check(&s).is_ok());
                prop_assert!(span.contains(&t));
                let covered = t.slice(&s).unwrap_or_default();
                prop_assert_eq!(covered, covered.trim());
            }
        }
    }
}
