//! Titles that stand before a person's name ("Dr", "Colonel", "President", "Mr.").
//!
//! Three stages read them, each for its own job. Actors strips [`HONORIFICS`] from a name so
//! "Dr Lena Kovar" and "Lena Kovar" are one person. The NER gazetteer marks a word of
//! [`BEFORE_NAMES`] or [`BEFORE_NAMES_IN_TEXT`] as a feature that a name may follow. The MEANTIME
//! reader keeps [`BEFORE_NAMES`] and [`IN_JOB_TITLES`] out of name extents, since MEANTIME never
//! includes them. The sets differ on purpose: the gazetteer's extra words (kinship, religious
//! and royal titles, ranks, dotted abbreviations) are not excluded by MEANTIME's guidelines,
//! MEANTIME's extra words (parts of job titles such as "chief financial officer") are no
//! evidence of a following name, and the honorifics are written without dots because actors
//! trims the dot before looking a word up.
//!
//! Measured on 2026-12-07 with one list (the union) for all three stages: MEANTIME NER F1
//! 0.406 -> 0.361, under its floor (ORG 103 -> 82 correct: MEANTIME's extents keep words such
//! as "General" in "General Motors"); UNER, PLOVER, PETRARCH, quotes and claims unchanged.

/// Courtesy and rank titles that a person's name may carry without being part of it; lower
/// case, without a trailing dot.
pub const HONORIFICS: &[&str] = &[
    "dr",
    "mr",
    "mrs",
    "ms",
    "miss",
    "prof",
    "professor",
    "sir",
    "dame",
    "colonel",
    "col",
    "captain",
    "capt",
    "general",
    "gen",
    "major",
    "maj",
    "lieutenant",
    "lt",
    "sergeant",
    "sgt",
    "admiral",
    "commander",
    "cmdr",
];

/// Lower-case words, dotted forms included, that precede a person's name in news and are not
/// part of it: courtesy titles, offices and job-title words ("Mr.", "President", "spokesman").
pub const BEFORE_NAMES: &[&str] = &[
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "dr",
    "dr.",
    "president",
    "senator",
    "sen.",
    "minister",
    "secretary",
    "chairman",
    "ceo",
    "judge",
    "governor",
    "mayor",
    "ambassador",
    "spokesman",
    "spokeswoman",
    "chief",
    "director",
    "officer",
    "premier",
    "chancellor",
    "vice",
    "founder",
    "executive",
    "leader",
];

/// Further words that precede names in running text (the NER gazetteer's titles beyond
/// [`BEFORE_NAMES`]): royal, religious and kinship titles, ranks and their abbreviations.
pub const BEFORE_NAMES_IN_TEXT: &[&str] = &[
    "gen.",
    "general",
    "king",
    "prince",
    "queen",
    "pope",
    "sheikh",
    "shaikh",
    "gov.",
    "rep.",
    "prof.",
    "professor",
    "lt.",
    "col.",
    "capt.",
    "colonel",
    "captain",
    "lieutenant",
    "sir",
    "lord",
    "commander",
    "saint",
    "st",
    "imam",
    "mullah",
    "ayatollah",
    "rev.",
    "father",
    "brother",
    "sister",
    "uncle",
    "aunt",
    "coach",
    "sgt.",
    "sergeant",
    "emir",
    "crown",
    "deputy",
    "author",
];

/// Words of job titles that MEANTIME keeps out of name extents, beyond [`BEFORE_NAMES`]
/// ("chief operating officer", "analyst").
pub const IN_JOB_TITLES: &[&str] = &[
    "chairwoman",
    "coo",
    "cfo",
    "co-founder",
    "justice",
    "analyst",
    "operating",
    "financial",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_word_is_in_two_name_groups() {
        for w in BEFORE_NAMES {
            assert!(
                !BEFORE_NAMES_IN_TEXT.contains(w) && !IN_JOB_TITLES.contains(w),
                "{w}"
            );
        }
        for w in BEFORE_NAMES_IN_TEXT {
            assert!(!IN_JOB_TITLES.contains(w), "{w}");
        }
    }

    #[test]
    fn lists_are_lower_case_and_honorifics_undotted() {
        let all = HONORIFICS
            .iter()
            .chain(BEFORE_NAMES)
            .chain(BEFORE_NAMES_IN_TEXT)
            .chain(IN_JOB_TITLES);
        for w in all {
            assert_eq!(*w, w.to_lowercase());
        }
        assert!(HONORIFICS.iter().all(|w| !w.ends_with('.')));
    }

    #[test]
    fn the_undotted_courtesy_titles_before_names_are_honorifics() {
        for w in ["mr", "mrs", "ms", "dr"] {
            assert!(BEFORE_NAMES.contains(&w) && HONORIFICS.contains(&w));
        }
    }
}
