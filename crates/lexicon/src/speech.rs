//! Reporting (speech) verbs, as lemmas: the cue of a quotation and the verb whose complement
//! is what a speaker says happened.
//!
//! Events reads through [`ASSERTING`] only. Measured on 2026-12-07 with every reporting verb
//! instead: PLOVER type+source+target F1 0.380 -> 0.342 and PETRARCH coding recall
//! 0.574 -> 0.554, both under their floors ("warn", "urge", "threaten" introduce demands and
//! threats, not accounts), so the two sets stay apart.

/// Verbs that assert what happened: their clausal complement is the speaker's account ("the
/// ministry said troops shelled the town"). Events codes such a complement as the speaker's
/// claim; quotes counts these among its cues.
pub const ASSERTING: &[&str] = &[
    "say", "tell", "claim", "state", "announce", "report", "add", "insist", "allege", "assert",
    "declare", "confirm", "note", "write", "explain",
];

/// The other verbs that introduce what someone said, wrote or holds: cues of a quotation or
/// reported speech, but their complement is a stance, a request or an act of speaking, not an
/// account of what happened, so events does not read through them.
pub const OTHER_REPORTING: &[&str] = &[
    "warn",
    "accuse",
    "argue",
    "ask",
    "reply",
    "respond",
    "deny",
    "suggest",
    "urge",
    "describe",
    "admit",
    "acknowledge",
    "tweet",
    "estimate",
    "predict",
    "promise",
    "vow",
    "threaten",
    "recall",
    "conclude",
    "reiterate",
    "emphasize",
    "emphasise",
    "stress",
    "complain",
    "criticize",
    "criticise",
    "charge",
    "believe",
    "think",
    "contend",
    "maintain",
    "observe",
    "remark",
    "caution",
    "mention",
    "point",
    "disclose",
    "reveal",
    "indicate",
    "testify",
    "concede",
    "blame",
    "condemn",
    "demand",
    "pledge",
    "propose",
    "recommend",
    "speculate",
    "joke",
    "quip",
    "shout",
    "chant",
    "scream",
    "yell",
    "whisper",
    "boast",
    "brag",
    "lament",
    "counter",
    "retort",
    "agree",
    "continue",
    "call",
    "question",
    "wonder",
    "hint",
    "elaborate",
    "comment",
    "reason",
    "posit",
    "advise",
    "inform",
    "assure",
    "notify",
    "signal",
    "forecast",
    "project",
    "proclaim",
    "voice",
    "express",
    "fear",
    "hope",
    "expect",
    "know",
    "find",
    "show",
    "cite",
    "quote",
    "attack",
    "slam",
    "blast",
    "praise",
    "defend",
    "dismiss",
    "reject",
    "accept",
    "order",
    "instruct",
    "repeat",
];

/// A verb that introduces what someone said, wrote or holds: [`ASSERTING`] or
/// [`OTHER_REPORTING`] (the quotation cues).
pub fn is_reporting_verb(lemma: &str) -> bool {
    ASSERTING.contains(&lemma) || OTHER_REPORTING.contains(&lemma)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_verb_is_written_once() {
        let mut all: Vec<&str> = ASSERTING.iter().chain(OTHER_REPORTING).copied().collect();
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), n);
        assert_eq!(n, 115);
    }

    #[test]
    fn asserting_verbs_are_reporting_verbs() {
        assert!(ASSERTING.iter().all(|v| is_reporting_verb(v)));
        assert!(is_reporting_verb("warn") && !ASSERTING.contains(&"warn"));
        assert!(!is_reporting_verb("walk"));
    }
}
