//! Precision, recall and F1 from match counts: the one way every Chronicle scorer
//! computes them, and the one per-label score type the model scorers report.

use serde::ser::{Serialize, SerializeStruct, Serializer};

/// Precision, recall and F1 from match counts, the way every scorer in the field
/// counts them (0 when a denominator is 0). Shared by all our scorers so the figures
/// they report are computed one way.
pub fn prf(correct: usize, predicted: usize, gold: usize) -> (f64, f64, f64) {
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let (p, r) = (ratio(correct, predicted), ratio(correct, gold));
    (p, r, f1(p, r))
}

/// The harmonic mean of a precision and a recall (0 when both are 0), for
/// scorers whose two sides count different things (coreference metrics,
/// temporal awareness).
pub fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// Counts of one label (or of everything) and the precision, recall and F1 they
/// give. Count into a default `Score`, then call [`Score::update`]; or build one
/// from finished counts with [`Score::from_counts`].
///
/// Serializes as `{gold, predicted, correct, precision, recall, f1}`; a scorer whose
/// published output names the gold count otherwise (seqeval's `support`) serializes
/// through [`Score::gold_named`].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Score {
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Score {
    pub fn from_counts(correct: usize, predicted: usize, gold: usize) -> Score {
        let mut s = Score {
            gold,
            predicted,
            correct,
            ..Score::default()
        };
        s.update();
        s
    }

    /// Recomputes precision, recall and F1 from the counts.
    pub fn update(&mut self) {
        (self.precision, self.recall, self.f1) = prf(self.correct, self.predicted, self.gold);
    }

    /// This score serialized with `name` in place of the `gold` field's name.
    pub fn gold_named(&self, name: &'static str) -> GoldNamed<'_> {
        GoldNamed { score: self, name }
    }
}

impl Serialize for Score {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.gold_named("gold").serialize(serializer)
    }
}

/// A [`Score`] whose gold count serializes under another name.
pub struct GoldNamed<'a> {
    score: &'a Score,
    name: &'static str,
}

impl Serialize for GoldNamed<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let s = self.score;
        let mut st = serializer.serialize_struct("Score", 6)?;
        st.serialize_field(self.name, &s.gold)?;
        st.serialize_field("predicted", &s.predicted)?;
        st.serialize_field("correct", &s.correct)?;
        st.serialize_field("precision", &s.precision)?;
        st.serialize_field("recall", &s.recall)?;
        st.serialize_field("f1", &s.f1)?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_denominators_give_zero() {
        assert_eq!(prf(0, 0, 0), (0.0, 0.0, 0.0));
        assert_eq!(prf(0, 3, 0), (0.0, 0.0, 0.0));
        let s = Score::from_counts(0, 0, 4);
        assert_eq!((s.precision, s.recall, s.f1), (0.0, 0.0, 0.0));
    }

    #[test]
    fn counts_then_update_equals_from_counts() {
        let mut s = Score::default();
        s.gold += 4;
        s.predicted += 2;
        s.correct += 1;
        s.update();
        assert_eq!(s, Score::from_counts(1, 2, 4));
        assert_eq!((s.precision, s.recall), (0.5, 0.25));
        assert!((s.f1 - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn gold_count_can_be_renamed_in_json() {
        let s = Score::from_counts(1, 2, 4);
        let plain = serde_json::to_value(s).unwrap();
        let named = serde_json::to_value(s.gold_named("support")).unwrap();
        assert_eq!(plain["gold"], 4);
        assert!(plain.get("support").is_none());
        assert_eq!(named["support"], 4);
        assert!(named.get("gold").is_none());
        assert_eq!(named["f1"], plain["f1"]);
        assert_eq!(plain.as_object().unwrap().len(), 6);
    }
}
