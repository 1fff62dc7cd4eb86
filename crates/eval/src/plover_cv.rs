//! Learned PLOVER event types (`chronicle_events::plover_types`) scored by
//! cross-validation over the PLOVER gold-standard records' folds
//! ([`crate::folds`]): for each fold, a model trained on the records of the four
//! others re-types the events our patterns coded in the fold's records. The
//! rules' figures are counted on the same parts as `plover.rs` counts them
//! (type, type+source, type+source+target per record), so both sit side by
//! side on the tune part (folds 0-2) and the check part (3-4).
//!
//! Every variant tried is in the report. The one called `learned` is chosen on
//! the tune part alone; `holds_on_check` says whether it also beats the rules on
//! the check part (type F1 and type+source+target F1), the condition for it to
//! replace the rules' type in the pipeline.
//!
//! Training labels: a coded event of a training record whose verb is one of the
//! gold `eventText` words takes the record's type; when none of the record's
//! events is on such a word, all of them do (the record says what the sentence
//! reports; the events are our readings of it). Variants marked "event words"
//! keep only the first kind. Optional extra rows: PETRARCH's validation records,
//! each event the validation coder codes with an expected coding's source and
//! target labelled with that coding's CAMEO code mapped to PLOVER 0.5.
//!
//! What the rules leave untyped (a CAMEO code with no PLOVER type) stays so:
//! the models re-type events, they add none.

use crate::folds::{fold_of, FOLDS, TUNE_FOLDS};
use crate::plover::{dated_document, gold_codes, same_actor};
use crate::{pipeline, read_bytes, EvalError};
use chronicle_codebook::Codebook;
use chronicle_core::Document;
use chronicle_events::plover_types::{self, plover05, template as t, Children, RankRow};
use chronicle_events::EventCoder;
use chronicle_formats::{prf, read_plover_file, PloverRecord};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Training passes of every model trained here, and the shuffling seeds: each
/// variant is trained once per seed and its counts summed, so a variant is not
/// chosen for one lucky order of 130 training events (one seed's order moved
/// the check part's type F1 by 2.6 points).
pub const EPOCHS: usize = 10;
pub const SEEDS: [u64; 3] = [0x504c_4f56, 1, 2];

/// `benchmark accuracy --task events-cv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PloverCvReport {
    pub records: usize,
    pub tune_records: usize,
    pub check_records: usize,
    /// The CAMEO patterns' types (what `--task events` scores).
    pub rules: Parts,
    /// The variant best on the tune part (type F1, then type+source+target F1).
    pub learned_variant: String,
    pub learned: Parts,
    /// Whether `learned` beats the rules on the check part in type F1 and in
    /// type+source+target F1.
    pub holds_on_check: bool,
    /// Every variant tried, with its cross-validated figures.
    pub variants: Vec<Variant>,
    /// Extra training rows from PETRARCH's validation records (0 without them).
    pub petrarch_rows: usize,
    /// Labelled events of the PLOVER records, and those whose label is the type
    /// the rules gave them (what a model could learn beyond the rules is the rest).
    pub labelled_events: usize,
    pub labels_as_rules: usize,
    /// Labelled events on a gold event word, and those the rules typed right.
    pub word_events: usize,
    pub word_events_as_rules: usize,
}

/// Figures on the tune part, the check part, all records, and each fold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parts {
    pub tune: Figures,
    pub check: Figures,
    pub all: Figures,
    pub per_fold: Vec<Figures>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    pub records: usize,
    pub type_precision: f64,
    pub type_recall: f64,
    pub type_f1: f64,
    pub type_source_f1: f64,
    pub type_source_target_f1: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    pub name: String,
    pub figures: Parts,
}

/// (PLOVER type, source code, target code) of one coded event.
type Coded = (String, Option<String>, Option<String>);

/// (tp, fp, fn) at the three levels: type, +source, +target.
type Counts = [(usize, usize, usize); 3];

/// One record's counts, as `plover.rs` counts them: a true positive when some
/// coded tuple satisfies the level, a false positive per other distinct tuple.
fn record_counts(book: &Codebook, r: &PloverRecord, coded: &[Coded]) -> Counts {
    let gold_src = gold_codes(&r.source);
    let gold_tgt = gold_codes(&r.target);
    let src_ok = |s: &Option<String>| gold_src.iter().any(|g| same_actor(book, s.as_deref(), g));
    // With no gold target (one-sided events) any target is accepted.
    let tgt_ok = |t: &Option<String>| {
        gold_tgt.is_empty()
            || gold_tgt.iter().any(|g| same_actor(book, t.as_deref(), g))
            || gold_src.iter().any(|g| same_actor(book, t.as_deref(), g))
    };
    let mut out = [(0, 0, 0); 3];
    for (level, count) in out.iter_mut().enumerate() {
        let mut hit = false;
        let mut wrong: BTreeSet<String> = BTreeSet::new();
        for c in coded {
            let ok = c.0 == r.event && (level < 1 || src_ok(&c.1)) && (level < 2 || tgt_ok(&c.2));
            if ok {
                hit = true;
            } else {
                wrong.insert(match level {
                    0 => c.0.clone(),
                    1 => format!("{}|{:?}", c.0, c.1),
                    _ => format!("{}|{:?}|{:?}", c.0, c.1, c.2),
                });
            }
        }
        *count = (usize::from(hit), wrong.len(), usize::from(!hit));
    }
    out
}

fn figures(counts: &[Counts]) -> Figures {
    let mut sum = [(0usize, 0usize, 0usize); 3];
    for c in counts {
        for (s, x) in sum.iter_mut().zip(c) {
            (s.0, s.1, s.2) = (s.0 + x.0, s.1 + x.1, s.2 + x.2);
        }
    }
    let score = |(tp, fp, fn_): (usize, usize, usize)| prf(tp, tp + fp, tp + fn_);
    let t = score(sum[0]);
    Figures {
        records: counts.len(),
        type_precision: t.0,
        type_recall: t.1,
        type_f1: t.2,
        type_source_f1: score(sum[1]).2,
        type_source_target_f1: score(sum[2]).2,
    }
}

/// Per-record counts summed over each part and fold.
fn parts(folds: &[usize], counts: &[Counts]) -> Parts {
    let pick = |keep: &dyn Fn(usize) -> bool| -> Vec<Counts> {
        folds
            .iter()
            .zip(counts)
            .filter(|(f, _)| keep(**f))
            .map(|(_, c)| *c)
            .collect()
    };
    Parts {
        tune: figures(&pick(&|f| f < TUNE_FOLDS)),
        check: figures(&pick(&|f| f >= TUNE_FOLDS)),
        all: figures(counts),
        per_fold: (0..FOLDS).map(|k| figures(&pick(&|f| f == k))).collect(),
    }
}

/// One record annotated: its fold, the document (its events are the rules'),
/// and per event the rules' type and the training label.
struct Prepared {
    fold: usize,
    doc: Document,
    kids: Children,
    events: Vec<PreparedEvent>,
}

struct PreparedEvent {
    rule: Option<String>,
    source: Option<String>,
    target: Option<String>,
    /// The record's type, or empty for an event no label is given to.
    label: String,
    /// The event's verb is one of the gold `eventText` words.
    on_word: bool,
}

/// The gold `eventText` of each record by id (the records reader keeps only what
/// the scorer needs).
fn event_texts(data: &Path) -> Result<HashMap<String, String>, EvalError> {
    let v: serde_json::Value =
        serde_json::from_slice(&read_bytes(data)?).map_err(|e| EvalError::NothingToScore {
            path: data.to_path_buf(),
            reason: format!("not JSON: {e}"),
        })?;
    Ok(v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| {
            Some((
                r.get("id")?.as_str()?.to_string(),
                r.get("eventText")?.as_str()?.to_lowercase(),
            ))
        })
        .collect())
}

fn prepare_events(
    book: &Codebook,
    doc: &Document,
    gold: &str,
    event_words: &[&str],
) -> Vec<PreparedEvent> {
    let on_event_word = |e: &chronicle_core::Event| {
        e.verb
            .and_then(|s| doc.text.get(s.start..s.end))
            .is_some_and(|w| event_words.contains(&w.to_lowercase().as_str()))
    };
    let any_on_word = doc.events.iter().any(on_event_word);
    doc.events
        .iter()
        .map(|e| {
            let on_word = on_event_word(e);
            PreparedEvent {
                rule: plover05(book, &e.cameo),
                source: e.source_actor.clone(),
                target: e.target_actor.clone(),
                label: if on_word || !any_on_word {
                    gold.to_string()
                } else {
                    String::new()
                },
                on_word,
            }
        })
        .collect()
}

fn coder() -> Result<&'static EventCoder<'static>, EvalError> {
    EventCoder::shared().ok_or_else(|| EvalError::Codebook("the embedded codebook".into()))
}

fn prepare(data: &Path) -> Result<(Vec<PloverRecord>, Vec<Prepared>), EvalError> {
    let records = read_plover_file(data)?;
    let texts = event_texts(data)?;
    let book = coder()?.book;
    let pipeline = pipeline()?;
    let prepared = records
        .iter()
        .map(|r| {
            let mut doc = dated_document(&r.text, r.date.as_deref());
            pipeline.annotate(&mut doc);
            let words: Vec<&str> = texts
                .get(&r.id)
                .map(|t| t.split_whitespace().collect())
                .unwrap_or_default();
            let events = prepare_events(book, &doc, &r.event, &words);
            Prepared {
                fold: fold_of(&r.id),
                kids: Children::new(&doc),
                doc,
                events,
            }
        })
        .collect();
    Ok((records, prepared))
}

/// PETRARCH's validation records where the shared data keeps them: `petrarch/`
/// beside the PLOVER file's folder.
pub fn sibling_petrarch(data: &Path) -> Option<PathBuf> {
    let p = data
        .parent()?
        .parent()?
        .join("petrarch")
        .join("PETR.UnitTest.records.xml");
    p.is_file().then_some(p)
}

/// Training rows from PETRARCH's validation records at `data` (their
/// dictionaries beside them): each event the validation coder codes whose
/// source and target are an expected coding's, labelled with that coding's type.
pub fn petrarch_rows(data: &Path) -> Result<Vec<RankRow>, EvalError> {
    use crate::petrarch::our_spelling;
    use chronicle_formats::{read_petrarch_records_file, PetrarchCoding};
    let all = read_petrarch_records_file(data)?;
    let (book, _) = crate::petrarch::validation_codebook(data)?;
    let coder = EventCoder::new(&book);
    let pipeline = pipeline()?;
    let mut rows = Vec::new();
    for s in &all {
        if s.codings.is_empty() || s.tests_an_error() || s.expects_no_events() {
            continue;
        }
        let mut doc = dated_document(&s.text, s.date.as_deref());
        pipeline.annotate(&mut doc);
        doc.events = coder.code(&doc, None).events;
        let kids = Children::new(&doc);
        for e in &doc.events {
            let (Some(src), Some(tgt)) = (&e.source_actor, &e.target_actor) else {
                continue;
            };
            let gold = s.codings.iter().find_map(|c| match c {
                PetrarchCoding::Event {
                    source,
                    target,
                    code,
                } if our_spelling(source) == *src && our_spelling(target) == *tgt => {
                    plover05(&book, &our_spelling(code))
                }
                _ => None,
            });
            if let Some(label) = gold {
                rows.push((
                    coder.type_features(&doc, &kids, e),
                    coder.type_evidence(&doc, &kids, e),
                    label,
                ));
            }
        }
    }
    Ok(rows)
}

/// Per record, per event: the classifier's features from the templates `keep`
/// lets through.
type EventFeatures = Vec<Vec<Vec<u64>>>;

fn features(
    coder: &EventCoder,
    prepared: &[Prepared],
    keep: &dyn Fn(u32) -> bool,
) -> EventFeatures {
    prepared
        .iter()
        .map(|p| {
            p.doc
                .events
                .iter()
                .map(|e| coder.type_features_of(&p.doc, &p.kids, e, keep))
                .collect()
        })
        .collect()
}

/// What a variant trains and how it types an event.
#[derive(Clone, Copy)]
enum Learner {
    /// The multi-class perceptron over the event's features; the rules' type
    /// is given this much more score.
    Classifier(f32),
    /// The rules' type, the classifier's where the rules give none.
    RulesFirst,
    /// The ranker over the types the dictionaries name for the event.
    Ranker,
}

/// One variant's inputs.
struct Setup<'a> {
    learner: Learner,
    features: &'a EventFeatures,
    evidence: &'a [Vec<Vec<(String, String)>>],
    extra: &'a [RankRow],
    /// Train only on events on a gold event word.
    on_word: bool,
}

/// Each fold's records typed by a model trained on the other folds; the
/// records' counts, summed over the [`SEEDS`].
fn cross_validate(
    book: &Codebook,
    records: &[PloverRecord],
    prepared: &[Prepared],
    s: &Setup,
) -> Vec<Counts> {
    let no_features = Vec::new();
    let features_of = |i: usize, k: usize| -> &Vec<u64> {
        s.features
            .get(i)
            .and_then(|f| f.get(k))
            .unwrap_or(&no_features)
    };
    let mut counts = vec![[(0, 0, 0); 3]; records.len()];
    for (fold, seed) in (0..FOLDS).flat_map(|f| SEEDS.map(|s| (f, s))) {
        let mut train: Vec<RankRow> = Vec::new();
        for (i, p) in prepared.iter().enumerate().filter(|(_, p)| p.fold != fold) {
            for (k, e) in p.events.iter().enumerate() {
                if !e.label.is_empty() && (e.on_word || !s.on_word) {
                    let evidence = s.evidence[i][k].clone();
                    train.push((features_of(i, k).clone(), evidence, e.label.clone()));
                }
            }
        }
        train.extend_from_slice(s.extra);
        let (classifier, ranker) = match s.learner {
            Learner::Ranker => (None, Some(plover_types::train_ranker(&train, EPOCHS, seed))),
            _ => {
                let rows: Vec<(Vec<u64>, String)> =
                    train.into_iter().map(|(f, _, l)| (f, l)).collect();
                (Some(plover_types::train(&rows, EPOCHS, seed)), None)
            }
        };
        for (i, p) in prepared.iter().enumerate().filter(|(_, p)| p.fold == fold) {
            let coded: Vec<Coded> = p
                .events
                .iter()
                .enumerate()
                .filter_map(|(k, e)| {
                    let rule = e.rule.as_deref();
                    let f = features_of(i, k);
                    let ty = match (s.learner, &classifier, &ranker) {
                        (Learner::Classifier(prior), Some(m), _) => {
                            plover_types::predict(m, f, Some(rule?), prior).or(rule)?
                        }
                        (Learner::RulesFirst, Some(m), _) => {
                            rule.or_else(|| plover_types::predict(m, f, None, 0.0))?
                        }
                        (Learner::Ranker, _, Some(m)) => {
                            rule?;
                            plover_types::rank(m, f, &s.evidence[i][k])?
                        }
                        _ => rule?,
                    };
                    Some((ty.to_string(), e.source.clone(), e.target.clone()))
                })
                .collect();
            let c = record_counts(book, &records[i], &coded);
            for (sum, x) in counts[i].iter_mut().zip(c) {
                (sum.0, sum.1, sum.2) = (sum.0 + x.0, sum.1 + x.1, sum.2 + x.2);
            }
        }
    }
    counts
}

/// Scores the rules and the cross-validated models on the GSR file at `data`;
/// with `petrarch`, PETRARCH's validation records add training rows to the
/// variants that say so.
pub fn score_plover_cv(data: &Path, petrarch: Option<&Path>) -> Result<PloverCvReport, EvalError> {
    let book = Codebook::embedded().map_err(|e| EvalError::Codebook(e.to_string()))?;
    let coder = coder()?;
    let (records, prepared) = prepare(data)?;
    let folds: Vec<usize> = prepared.iter().map(|p| p.fold).collect();
    let rule_counts: Vec<Counts> = records
        .iter()
        .zip(&prepared)
        .map(|(r, p)| {
            let coded: Vec<Coded> = p
                .events
                .iter()
                .filter_map(|e| Some((e.rule.clone()?, e.source.clone(), e.target.clone())))
                .collect();
            record_counts(book, r, &coded)
        })
        .collect();
    let rules = parts(&folds, &rule_counts);
    let petrarch = match petrarch {
        Some(p) => petrarch_rows(p)?,
        None => Vec::new(),
    };
    let evidence: Vec<Vec<Vec<(String, String)>>> = prepared
        .iter()
        .map(|p| {
            p.doc
                .events
                .iter()
                .map(|e| coder.type_evidence(&p.doc, &p.kids, e))
                .collect()
        })
        .collect();
    let rule_evidence: Vec<Vec<Vec<(String, String)>>> = evidence
        .iter()
        .map(|r| {
            r.iter()
                .map(|ev| ev.iter().filter(|(k, _)| k == "rule").cloned().collect())
                .collect()
        })
        .collect();
    let all = features(coder, &prepared, &|_| true);
    let none: EventFeatures = Vec::new();
    let lemma = features(coder, &prepared, &|k| matches!(k, t::BIAS | t::LEMMA));
    let lemma_rule = features(coder, &prepared, &|k| {
        matches!(k, t::BIAS | t::RULE | t::LEMMA | t::LEMMA_RULE)
    });
    let code_lemma = features(coder, &prepared, &|k| {
        matches!(
            k,
            t::BIAS | t::RULE | t::CAMEO | t::ROOT | t::MODALITY | t::NEGATED | t::LEMMA
        )
    });
    let no_sentence = features(coder, &prepared, &|k| {
        !matches!(k, t::SENTENCE_VERB_TYPE | t::GOVERNOR_TYPE)
    });
    let no_paths = features(coder, &prepared, &|k| {
        !matches!(k, t::SOURCE_PATH | t::TARGET_PATH | t::TARGET_CASE)
    });
    let mut variants = Vec::new();
    let mut run = |name: String, setup: Setup| {
        let counts = cross_validate(book, &records, &prepared, &setup);
        variants.push(Variant {
            name,
            figures: parts(&folds, &counts),
        });
    };
    let classifier = |prior: f32, features, extra, on_word| Setup {
        learner: Learner::Classifier(prior),
        features,
        evidence: &evidence,
        extra,
        on_word,
    };
    for prior in [0.0, 4.0] {
        run(
            format!("classifier, all features, petrarch rows, prior {prior}"),
            classifier(prior, &all, &petrarch, false),
        );
        run(
            format!("classifier, all features, prior {prior}"),
            classifier(prior, &all, &[], false),
        );
        run(
            format!("classifier, all features, event words, prior {prior}"),
            classifier(prior, &all, &[], true),
        );
        run(
            format!("classifier, code + lemma, prior {prior}"),
            classifier(prior, &code_lemma, &[], false),
        );
        run(
            format!("classifier, lemma + rule, prior {prior}"),
            classifier(prior, &lemma_rule, &[], false),
        );
        run(
            format!("classifier, no sentence verb types, prior {prior}"),
            classifier(prior, &no_sentence, &[], false),
        );
        run(
            format!("classifier, no actor paths, prior {prior}"),
            classifier(prior, &no_paths, &[], false),
        );
    }
    run(
        "rules first, classifier where none".into(),
        Setup {
            learner: Learner::RulesFirst,
            ..classifier(0.0, &all, &petrarch, false)
        },
    );
    // The ranker with the rules' type as its only evidence must give the rules'
    // figures: a check of the ranker itself.
    run(
        "ranker, rule evidence alone".into(),
        Setup {
            learner: Learner::Ranker,
            features: &none,
            evidence: &rule_evidence,
            extra: &[],
            on_word: false,
        },
    );
    for (context, features) in [("no", &none), ("lemma", &lemma), ("all", &all)] {
        for (with_petrarch, extra) in [(false, &[][..]), (true, &petrarch[..])] {
            for on_word in [false, true] {
                run(
                    format!(
                        "ranker, {context} context{}{}",
                        if with_petrarch { ", petrarch rows" } else { "" },
                        if on_word { ", event words" } else { "" }
                    ),
                    Setup {
                        learner: Learner::Ranker,
                        features,
                        evidence: &evidence,
                        extra,
                        on_word,
                    },
                );
            }
        }
    }
    let key = |f: &Figures| (f.type_f1, f.type_source_target_f1);
    let best = variants
        .iter()
        .filter(|v| v.name != "ranker, rule evidence alone")
        .max_by(|a, b| {
            key(&a.figures.tune)
                .partial_cmp(&key(&b.figures.tune))
                .unwrap_or(std::cmp::Ordering::Equal)
        })
        .cloned()
        .ok_or_else(|| EvalError::NothingToScore {
            path: data.to_path_buf(),
            reason: "no variant".into(),
        })?;
    let holds_on_check = best.figures.check.type_f1 > rules.check.type_f1
        && best.figures.check.type_source_target_f1 > rules.check.type_source_target_f1;
    let labelled = prepared
        .iter()
        .flat_map(|p| &p.events)
        .filter(|e| !e.label.is_empty());
    let as_rules = |e: &&PreparedEvent| e.rule.as_deref() == Some(e.label.as_str());
    Ok(PloverCvReport {
        records: records.len(),
        tune_records: rules.tune.records,
        check_records: rules.check.records,
        rules,
        learned_variant: best.name,
        learned: best.figures,
        holds_on_check,
        variants,
        petrarch_rows: petrarch.len(),
        labelled_events: labelled.clone().count(),
        labels_as_rules: labelled.clone().filter(as_rules).count(),
        word_events: labelled.clone().filter(|e| e.on_word).count(),
        word_events_as_rules: labelled.filter(|e| e.on_word).filter(as_rules).count(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chronicle_formats::PloverActor;

    fn record(event: &str, source: &str, target: &str) -> PloverRecord {
        let actor = |code: &str| PloverActor {
            code: code.into(),
            text: None,
        };
        PloverRecord {
            id: "x".into(),
            date: None,
            text: String::new(),
            event: event.into(),
            source: vec![actor(source)],
            target: if target.is_empty() {
                vec![]
            } else {
                vec![actor(target)]
            },
            dead: None,
        }
    }

    fn coded(ty: &str, s: &str, t: Option<&str>) -> Coded {
        (ty.into(), Some(s.into()), t.map(str::to_string))
    }

    #[test]
    fn a_record_counts_one_hit_and_each_other_tuple_once() {
        let book = Codebook::embedded().expect("embedded codebook");
        let r = record("FIGHT", "RUS", "UKR");
        let c = record_counts(
            book,
            &r,
            &[
                coded("FIGHT", "RUSMIL", Some("UKR")),
                coded("PROTEST", "UKR", None),
                coded("PROTEST", "UKR", None),
            ],
        );
        assert_eq!(c, [(1, 1, 0), (1, 1, 0), (1, 1, 0)]);
        let miss = record_counts(book, &r, &[coded("FIGHT", "UKR", Some("RUS"))]);
        assert_eq!(miss, [(1, 0, 0), (0, 1, 1), (0, 1, 1)]);
        assert_eq!(record_counts(book, &r, &[]), [(0, 0, 1); 3]);
    }

    #[test]
    fn parts_split_by_fold() {
        let counts = vec![[(1, 0, 0); 3], [(0, 1, 1); 3], [(1, 1, 0); 3]];
        let p = parts(&[0, 4, 1], &counts);
        assert_eq!((p.tune.records, p.check.records, p.all.records), (2, 1, 3));
        assert_eq!(p.per_fold.len(), FOLDS);
        assert_eq!(p.per_fold[4].type_f1, 0.0);
        assert_eq!(p.tune.type_precision, 2.0 / 3.0);
    }

    #[test]
    fn a_small_gold_file_is_cross_validated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gsr.json");
        let rows: Vec<String> = (0..12)
            .map(|i| {
                let (event, text, word) = if i % 2 == 0 {
                    ("FIGHT", "Russian troops attacked Ukrainian positions on Friday.", "attacked")
                } else {
                    ("CONSULT", "The French president met the German chancellor in Paris.", "met")
                };
                format!(
                    r#"{{"id": "r{i}", "date": "2001-02-03", "event": "{event}", "eventText": "{word}", "text": "{text}", "source": [{{"code": "RUS"}}], "target": ""}}"#
                )
            })
            .collect();
        std::fs::write(&path, format!("[{}]", rows.join(","))).unwrap();
        let r = score_plover_cv(&path, None).unwrap();
        assert_eq!(r.records, 12);
        assert_eq!(r.tune_records + r.check_records, 12);
        assert_eq!(r.petrarch_rows, 0);
        let sanity = r
            .variants
            .iter()
            .find(|v| v.name == "ranker, rule evidence alone")
            .unwrap();
        assert_eq!(sanity.figures, r.rules);
        assert!(r.variants.iter().any(|v| v.name == r.learned_variant));
        assert!(sibling_petrarch(&path).is_none());
    }
}
