//! PETRARCH2's own unit-test records, coded with the `PETR.Validate.*`
//! dictionaries (fictional actors) in place of ours: the share of expected
//! (source, target, code) triples reproduced, the share of our triples that were
//! expected, and the share of `noevents` records left empty.

use crate::plover::dated_document;
use crate::{pipeline, ratio, read_bytes, EvalError};
use chronicle_codebook::{Codebook, Sources};
use chronicle_events::EventCoder;
use chronicle_formats::{read_petrarch_records_file, PetrarchCoding};
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::Path;

/// `benchmark accuracy --task petrarch`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PetrarchReport {
    /// Records scored: those with codings, less those that test errors.
    pub records: usize,
    pub expected_codings: usize,
    pub coding_recall: f64,
    pub coding_precision: f64,
    pub noevent_records: usize,
    pub noevent_accuracy: f64,
    /// Dictionary lines the codebook reader reported and skipped.
    #[serde(skip)]
    pub dictionary_lines_skipped: usize,
    /// Per record whose codings differ from the gold: id, both sets, the text.
    #[serde(skip)]
    pub diagnostics: Vec<String>,
}

/// The `PETR.Validate` dictionaries in `dictionaries/` beside the records file, and
/// how many of their lines were skipped.
pub(crate) fn validation_codebook(data: &Path) -> Result<(Codebook, usize), EvalError> {
    let dir = data
        .parent()
        .map(|p| p.join("dictionaries"))
        .ok_or_else(|| EvalError::NothingToScore {
            path: data.to_path_buf(),
            reason: "the records file has no folder".into(),
        })?;
    let read = |name: &str| -> Result<(String, String), EvalError> {
        let b = read_bytes(&dir.join(name))?;
        // PETRARCH's dictionaries are not all UTF-8; its own reader is as lenient.
        Ok((name.to_string(), String::from_utf8_lossy(&b).into_owned()))
    };
    let actors = read("PETR.Validate.actors.txt")?;
    let agents = read("PETR.Validate.agents.txt")?;
    let verbs = read("PETR.Validate.verbs.txt")?;
    let (book, issues) = Codebook::from_sources(&Sources {
        actors: vec![(&actors.0, &actors.1)],
        agents: vec![(&agents.0, &agents.1)],
        verbs: vec![(&verbs.0, &verbs.1)],
        ..Default::default()
    });
    Ok((book, issues.len()))
}

/// PETRARCH writes an agent with no country as `---GOV`; our code for it is `GOV`.
pub(crate) fn our_spelling(code: &str) -> String {
    let v = code.trim().to_uppercase();
    match v.strip_prefix("---") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => v,
    }
}

/// Scores the validation records at `data` (dictionaries beside it).
pub fn score_petrarch(data: &Path) -> Result<PetrarchReport, EvalError> {
    let all = read_petrarch_records_file(data)?;
    let (book, dictionary_lines_skipped) = validation_codebook(data)?;
    let coder = EventCoder::new(&book);
    let pipeline = pipeline()?;
    let (mut expected, mut reproduced, mut predicted, mut correct) =
        (0usize, 0usize, 0usize, 0usize);
    let (mut noevent_records, mut noevent_empty) = (0usize, 0usize);
    let mut records = 0usize;
    let mut diagnostics = Vec::new();
    for s in &all {
        if s.codings.is_empty() || s.tests_an_error() {
            continue;
        }
        let mut doc = dated_document(&s.text, s.date.as_deref());
        pipeline.annotate(&mut doc);
        let coded = coder.code(&doc, None);
        let ours: BTreeSet<(String, String, String)> = coded
            .events
            .iter()
            .filter_map(|e| {
                Some((
                    e.source_actor.clone()?,
                    e.target_actor.clone()?,
                    e.cameo.clone(),
                ))
            })
            .collect();
        records += 1;
        if s.expects_no_events() {
            noevent_records += 1;
            noevent_empty += usize::from(ours.is_empty());
            predicted += ours.len();
            continue;
        }
        let gold: BTreeSet<(String, String, String)> = s
            .codings
            .iter()
            .filter_map(|c| match c {
                PetrarchCoding::Event {
                    source,
                    target,
                    code,
                } => Some((
                    our_spelling(source),
                    our_spelling(target),
                    our_spelling(code),
                )),
                _ => None,
            })
            .collect();
        if gold != ours {
            diagnostics.push(format!(
                "{} gold {:?} ours {:?}\n    {}",
                s.id.as_deref().unwrap_or("?"),
                gold,
                ours,
                s.text
            ));
        }
        expected += gold.len();
        reproduced += gold.intersection(&ours).count();
        predicted += ours.len();
        correct += ours.intersection(&gold).count();
    }
    if records == 0 {
        return Err(EvalError::NothingToScore {
            path: data.to_path_buf(),
            reason: "no <Sentence> records with <EventCoding>".into(),
        });
    }
    Ok(PetrarchReport {
        records,
        expected_codings: expected,
        coding_recall: ratio(reproduced, expected),
        coding_precision: ratio(correct, predicted),
        noevent_records,
        noevent_accuracy: ratio(noevent_empty, noevent_records),
        dictionary_lines_skipped,
        diagnostics,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn petrarch_codes_are_read_in_our_spelling() {
        assert_eq!(our_spelling(" ---gov "), "GOV");
        assert_eq!(our_spelling("---"), "---");
        assert_eq!(our_spelling("arnGOV"), "ARNGOV");
    }

    #[test]
    fn records_without_dictionaries_are_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("records.xml");
        std::fs::write(
            &path,
            "<V><Sentence><EventCoding noevents=\"1\"/><Text>Nothing.</Text></Sentence></V>",
        )
        .unwrap();
        let e = score_petrarch(&path).unwrap_err().to_string();
        assert!(e.contains("PETR.Validate.actors.txt"), "{e}");
    }
}
