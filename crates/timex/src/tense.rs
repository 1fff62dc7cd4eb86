//! The tense of the clause around a span, read off the dependency parse and the
//! XPOS tags the annotate pipeline leaves on `Document::tokens`.

use crate::resolve::Tense;
use chronicle_core::Token;

/// Verbs whose infinitive complement is still to come: "plans to meet on Friday".
const PROSPECTIVE: &[&str] = &[
    "plan", "expect", "schedule", "due", "set", "intend", "aim", "hope", "agree", "decide", "want",
    "prepare", "promise", "vow", "threaten", "seek", "propose", "try", "going",
];

/// Words that put the date right after them in the future: payments, terms and
/// appointments falling due.
const FALLS_DUE: &[&str] = &[
    "payable",
    "due",
    "effective",
    "expires",
    "expiring",
    "matures",
    "maturing",
    "scheduled",
    "slated",
];

/// Verbs whose object is an event still to come.
const PLANNED_EVENT_VERBS: &[&str] = &["plan", "schedule", "expect"];

fn is_verb(t: &Token) -> bool {
    matches!(t.upos.as_deref(), Some("VERB") | Some("AUX"))
}

fn word(t: &Token) -> String {
    t.lemma.clone().unwrap_or_else(|| t.text.to_lowercase())
}

/// Looks up tenses by byte offset in one document's tokens.
pub struct TenseIndex<'a> {
    tokens: &'a [Token],
}

impl<'a> TenseIndex<'a> {
    pub fn new(tokens: &'a [Token]) -> Self {
        TenseIndex { tokens }
    }

    fn token_at(&self, offset: usize) -> Option<usize> {
        let i = self.tokens.partition_point(|t| t.end <= offset);
        (i < self.tokens.len() && self.tokens[i].start <= offset.max(self.tokens[i].start))
            .then_some(i)
    }

    /// Auxiliaries and markers attached to `verb`, found near it (dependents of a
    /// verb sit within a few tokens in news prose; the window keeps this linear).
    fn dependents(&self, verb: usize) -> impl Iterator<Item = &Token> + '_ {
        let lo = verb.saturating_sub(8);
        let hi = (verb + 3).min(self.tokens.len());
        self.tokens[lo..hi]
            .iter()
            .filter(move |t| t.head == Some(verb))
    }

    fn verb_tense(&self, v: usize, depth: usize) -> Tense {
        let t = &self.tokens[v];
        let auxes: Vec<&Token> = self
            .dependents(v)
            .filter(|d| d.deprel.as_deref().is_some_and(|r| r.starts_with("aux")))
            .collect();
        if auxes
            .iter()
            .any(|a| matches!(word(a).as_str(), "will" | "shall" | "'ll" | "wo"))
        {
            return Tense::Future;
        }
        // "planned a demonstration on Saturday", "has scheduled a news conference
        // Thursday": what is planned is still to come, whatever the tense of planning.
        if PLANNED_EVENT_VERBS.contains(&word(t).as_str()) && is_verb(t) {
            return Tense::Future;
        }
        if auxes.iter().any(|a| a.xpos.as_deref() == Some("VBD"))
            || t.xpos.as_deref() == Some("VBD")
        {
            return Tense::Past;
        }
        if t.xpos.as_deref() == Some("VBN") && auxes.iter().any(|a| word(a) == "have") {
            return Tense::Past;
        }
        let marked_to = self
            .dependents(v)
            .any(|d| d.deprel.as_deref() == Some("mark") && word(d) == "to");
        if t.xpos.as_deref() == Some("VB") && marked_to && depth < 3 {
            if let Some(gov) = t.head {
                if PROSPECTIVE.contains(&word(&self.tokens[gov]).as_str()) {
                    return Tense::Future;
                }
                if is_verb(&self.tokens[gov]) {
                    return self.verb_tense(gov, depth + 1);
                }
            }
        }
        if auxes.iter().any(|a| a.xpos.as_deref() == Some("MD")) {
            return Tense::Unknown;
        }
        match t.xpos.as_deref() {
            Some("VBZ") | Some("VBP") => Tense::Present,
            Some("VBG")
                if auxes
                    .iter()
                    .any(|a| matches!(a.xpos.as_deref(), Some("VBZ") | Some("VBP"))) =>
            {
                Tense::Present
            }
            Some("VBN")
                if auxes
                    .iter()
                    .any(|a| word(a) == "be" && a.xpos.as_deref() == Some("VBD")) =>
            {
                Tense::Past
            }
            _ => Tense::Unknown,
        }
    }

    /// The tense governing the span `start..end`.
    pub fn tense_at(&self, start: usize, _end: usize) -> Tense {
        let Some(mut i) = self.token_at(start) else {
            return Tense::Unknown;
        };
        // "payable Jan. 3", "effective Feb. 1", "due June 1": whatever the
        // reporting verb's tense, the date is still to come.
        if self.tokens[i.saturating_sub(3)..i]
            .iter()
            .any(|t| FALLS_DUE.contains(&t.text.to_lowercase().as_str()))
        {
            return Tense::Future;
        }
        for _ in 0..8 {
            if is_verb(&self.tokens[i]) {
                let tense = self.verb_tense(i, 0);
                if tense != Tense::Unknown {
                    return tense;
                }
            }
            match self.tokens[i].head {
                Some(h) if h != i => i = h,
                _ => break,
            }
        }
        // No verb above it (headlines, fragments): the nearest verb to the left.
        let lo = i.saturating_sub(15);
        for t in self.tokens[lo..i].iter().rev() {
            match t.xpos.as_deref() {
                Some("VBD") => return Tense::Past,
                Some("MD") if matches!(word(t).as_str(), "will" | "shall") => return Tense::Future,
                _ => {}
            }
        }
        Tense::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(words: &[(&str, &str)]) -> Vec<Token> {
        let mut pos = 0;
        words
            .iter()
            .map(|(w, xpos)| {
                let t = Token {
                    start: pos,
                    end: pos + w.len(),
                    text: w.to_string(),
                    upos: None,
                    xpos: Some(xpos.to_string()),
                    lemma: None,
                    head: None,
                    deprel: None,
                };
                pos += w.len() + 1;
                t
            })
            .collect()
    }

    #[test]
    fn a_date_falling_due_is_future_whatever_the_reporting_tense() {
        // "The company said the dividend is payable Jan. 3"
        let toks = tokens(&[
            ("The", "DT"),
            ("company", "NN"),
            ("said", "VBD"),
            ("the", "DT"),
            ("dividend", "NN"),
            ("is", "VBZ"),
            ("payable", "JJ"),
            ("Jan.", "NNP"),
            ("3", "CD"),
        ]);
        let idx = TenseIndex::new(&toks);
        assert_eq!(idx.tense_at(toks[7].start, toks[8].end), Tense::Future);
        assert_eq!(idx.tense_at(toks[4].start, toks[4].end), Tense::Past);
    }

    #[test]
    fn what_was_planned_is_still_to_come() {
        // "Protesters planned a rally on Saturday": "Saturday" hangs on "planned".
        let mut toks = tokens(&[
            ("Protesters", "NNS"),
            ("planned", "VBD"),
            ("a", "DT"),
            ("rally", "NN"),
            ("on", "IN"),
            ("Saturday", "NNP"),
        ]);
        toks[1].upos = Some("VERB".into());
        toks[1].lemma = Some("plan".into());
        toks[5].head = Some(1);
        let idx = TenseIndex::new(&toks);
        assert_eq!(idx.tense_at(toks[5].start, toks[5].end), Tense::Future);
    }
}
