//! PLOVER gold-standard records. Per record, does the engine code an event of the
//! gold PLOVER type, with the gold source (and target) actors' codes? Scored per
//! record: one true positive when some coded event satisfies the criterion, one
//! false positive for each other distinct coded (type[, source[, target]]) tuple,
//! one false negative when none does. The gold set was coded with PLOVER 0.5, whose
//! categories 2021's table merged or renamed (INVESTIGATE and DISAPPROVE into
//! ACCUSE, DEMAND into REQUEST, FIGHT into ASSAULT; CAMEO's appeals, 02, dropped);
//! our CAMEO codes are mapped to the 0.5 names by CAMEO root for the comparison (09
//! INVESTIGATE, 02/10 DEMAND, 11 DISAPPROVE, 19 FIGHT).

use crate::folds::{FoldFigures, Measure, PerFold};
use crate::{pipeline, EvalError};
use chronicle_codebook::Codebook;
use chronicle_core::{DateProvenance, Document, Published};
// The mapping the learned types (`plover_cv.rs`) are trained on, in one place.
use chronicle_events::plover_types::plover05;
use chronicle_formats::{prf, read_plover_file, PloverActor};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// `benchmark accuracy --task events`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PloverReport {
    /// The whole set (its fields appear at the top level of the JSON).
    #[serde(flatten)]
    pub whole: PloverPart,
    pub type_recall_per_gold_type: BTreeMap<String, TypeRecall>,
    /// Records whose `id` falls in the tune folds ([`crate::folds`]): look at these.
    pub tune: PloverPart,
    /// The other records: only scored.
    pub check: PloverPart,
    /// Each fold, and the spread of the headline F1s over them.
    pub folds: FoldFigures<PloverPart>,
    /// Per record: the gold coding, ours and the text.
    #[serde(skip)]
    pub diagnostics: Vec<String>,
}

/// The report's figures over some of the records (a part or a fold).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PloverPart {
    pub records: usize,
    pub type_precision: f64,
    pub type_recall: f64,
    pub type_f1: f64,
    pub type_source_precision: f64,
    pub type_source_recall: f64,
    pub type_source_f1: f64,
    pub type_source_target_precision: f64,
    pub type_source_target_recall: f64,
    pub type_source_target_f1: f64,
    pub dead_accuracy: Option<f64>,
    pub dead_records: usize,
}

/// The measures each fold's spread is given for.
const HEADLINE: [Measure<PloverPart>; 3] = [
    ("type_f1", |p| p.type_f1),
    ("type_source_f1", |p| p.type_source_f1),
    ("type_source_target_f1", |p| p.type_source_target_f1),
];

/// Counts over records: (true positives, false positives, false negatives) per
/// level (type; + source; + target), and the death tolls read right.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct PloverCounts {
    records: usize,
    levels: [(usize, usize, usize); 3],
    dead_right: usize,
    dead_total: usize,
}

impl std::ops::AddAssign for PloverCounts {
    fn add_assign(&mut self, o: Self) {
        self.records += o.records;
        for (a, b) in self.levels.iter_mut().zip(o.levels) {
            (a.0, a.1, a.2) = (a.0 + b.0, a.1 + b.1, a.2 + b.2);
        }
        self.dead_right += o.dead_right;
        self.dead_total += o.dead_total;
    }
}

impl From<&PloverCounts> for PloverPart {
    fn from(c: &PloverCounts) -> Self {
        let score = |(tp, fp, fn_): (usize, usize, usize)| prf(tp, tp + fp, tp + fn_);
        let [t, ts, tst] = c.levels.map(score);
        PloverPart {
            records: c.records,
            type_precision: t.0,
            type_recall: t.1,
            type_f1: t.2,
            type_source_precision: ts.0,
            type_source_recall: ts.1,
            type_source_f1: ts.2,
            type_source_target_precision: tst.0,
            type_source_target_recall: tst.1,
            type_source_target_f1: tst.2,
            dead_accuracy: (c.dead_total > 0).then(|| c.dead_right as f64 / c.dead_total as f64),
            dead_records: c.dead_total,
        }
    }
}

/// Records of one gold type, and those where we coded that type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TypeRecall {
    pub found: usize,
    pub records: usize,
}

/// A sentence with its record's date as the article's publication date.
pub(crate) fn dated_document(text: &str, date: Option<&str>) -> Document {
    let mut d = Document::from_text("bench", "bench", text);
    d.language = Some("eng".into());
    d.published = date.map(|date| Published {
        date: date.to_string(),
        time: None,
        provenance: DateProvenance::Metadata,
        confidence: 1.0,
        estimated: false,
    });
    d
}

/// (PLOVER type, source code, target code) of one coded event.
type Coded = (String, Option<String>, Option<String>);

/// Whether our actor code stands for the gold actor: `RUSGOV` for RUS, `IGOUNO`
/// for IGO, and Phoenix's regional prefixes (`SCGSRB`, Serbia within the former
/// Serbia and Montenegro) for the state alone (SRB).
pub(crate) fn same_actor(book: &Codebook, ours: Option<&str>, gold: &str) -> bool {
    let Some(ours) = ours else { return false };
    if gold.is_empty() || !ours.is_ascii() {
        return false;
    }
    let regional = ours.len() >= 6 && !book.is_country(&ours[..3]) && &ours[3..6] == gold;
    ours.starts_with(gold) || regional
}

pub(crate) fn gold_codes(actors: &[PloverActor]) -> Vec<String> {
    actors.iter().map(|a| a.code.to_uppercase()).collect()
}

/// Dead counts stated in the sentence: the claims layer's KILL claims, else a
/// number next to killed/dead/died.
fn dead_count(doc: &Document) -> Option<u64> {
    if let Some(c) = doc.claims.iter().find(|c| c.kind == "KILL") {
        return Some(c.value.round() as u64);
    }
    let lemma = |i: usize| {
        doc.tokens
            .get(i)
            .map(|t| t.lemma.as_deref().unwrap_or(&t.text).to_lowercase())
            .unwrap_or_default()
    };
    for (i, t) in doc.tokens.iter().enumerate() {
        let Ok(n) = t.text.replace(',', "").parse::<u64>() else {
            continue;
        };
        let near_after =
            (i + 1..i + 5).any(|k| matches!(lemma(k).as_str(), "kill" | "dead" | "die" | "death"));
        let near_before =
            (i.saturating_sub(4)..i).any(|k| matches!(lemma(k).as_str(), "kill" | "killing"));
        if near_after || near_before {
            return Some(n);
        }
    }
    None
}

/// Scores the GSR file at `data` with the embedded codebook.
pub fn score_plover(data: &Path) -> Result<PloverReport, EvalError> {
    let records = read_plover_file(data)?;
    let book = Codebook::embedded().map_err(|e| EvalError::Codebook(e.to_string()))?;
    let pipeline = pipeline()?;
    let mut per_fold: PerFold<PloverCounts> = PerFold::default();
    let mut per_type: BTreeMap<String, TypeRecall> = BTreeMap::new();
    let mut diagnostics = Vec::new();
    for r in &records {
        let gold_type = r.event.as_str();
        let mut doc = dated_document(&r.text, r.date.as_deref());
        pipeline.annotate(&mut doc);
        let gold_src = gold_codes(&r.source);
        let gold_tgt = gold_codes(&r.target);
        let coded: Vec<Coded> = doc
            .events
            .iter()
            .filter_map(|e| {
                Some((
                    plover05(book, &e.cameo)?,
                    e.source_actor.clone(),
                    e.target_actor.clone(),
                ))
            })
            .collect();
        let src_ok =
            |s: &Option<String>| gold_src.iter().any(|g| same_actor(book, s.as_deref(), g));
        // With no gold target (one-sided events) any target is accepted.
        let tgt_ok = |t: &Option<String>| {
            gold_tgt.is_empty()
                || gold_tgt.iter().any(|g| same_actor(book, t.as_deref(), g))
                || gold_src.iter().any(|g| same_actor(book, t.as_deref(), g))
        };
        // Level 0: type; 1: type + source; 2: type + source + target.
        let judge = |level: usize, c: &Coded| -> (bool, String) {
            let ok = c.0 == gold_type && (level < 1 || src_ok(&c.1)) && (level < 2 || tgt_ok(&c.2));
            let key = match level {
                0 => c.0.clone(),
                1 => format!("{}|{:?}", c.0, c.1),
                _ => format!("{}|{:?}|{:?}", c.0, c.1, c.2),
            };
            (ok, key)
        };
        diagnostics.push(format!(
            "{} gold {gold_type} {gold_src:?} -> {gold_tgt:?}\n    ours {coded:?}\n    {}",
            r.id, r.text
        ));
        let mut counts = PloverCounts {
            records: 1,
            ..Default::default()
        };
        for (level, count) in counts.levels.iter_mut().enumerate() {
            let mut hit = false;
            let mut wrong: BTreeSet<String> = BTreeSet::new();
            for c in &coded {
                let (ok, key) = judge(level, c);
                if ok {
                    hit = true;
                } else {
                    wrong.insert(key);
                }
            }
            count.0 += usize::from(hit);
            count.1 += wrong.len();
            count.2 += usize::from(!hit);
            if level == 0 {
                let e = per_type.entry(gold_type.to_string()).or_default();
                e.found += usize::from(hit);
                e.records += 1;
            }
        }
        if let Some(gold_dead) = r.dead {
            counts.dead_total += 1;
            counts.dead_right += usize::from(dead_count(&doc) == Some(gold_dead));
        }
        per_fold.add(&r.id, counts);
    }
    let all = PloverPart::from(&per_fold.all());
    Ok(PloverReport {
        whole: PloverPart {
            records: records.len(),
            ..all
        },
        type_recall_per_gold_type: per_type,
        tune: PloverPart::from(&per_fold.tune()),
        check: PloverPart::from(&per_fold.check()),
        folds: FoldFigures::new(&per_fold, &HEADLINE),
        diagnostics,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> &'static Codebook {
        Codebook::embedded().expect("embedded codebook")
    }

    #[test]
    fn cameo_roots_map_to_plover_05_names() {
        let b = book();
        assert_eq!(plover05(b, "090").as_deref(), Some("INVESTIGATE"));
        assert_eq!(plover05(b, "020").as_deref(), Some("DEMAND"));
        assert_eq!(plover05(b, "100").as_deref(), Some("DEMAND"));
        assert_eq!(plover05(b, "111").as_deref(), Some("DISAPPROVE"));
        assert_eq!(plover05(b, "190").as_deref(), Some("FIGHT"));
        assert_eq!(plover05(b, ""), None);
    }

    #[test]
    fn actor_codes_match_by_prefix_and_region() {
        let b = book();
        assert!(same_actor(b, Some("RUSGOV"), "RUS"));
        assert!(same_actor(b, Some("IGOUNO"), "IGO"));
        assert!(!same_actor(b, Some("USA"), "RUS"));
        assert!(!same_actor(b, None, "RUS"));
        assert!(!same_actor(b, Some("RUS"), ""));
    }

    #[test]
    fn a_gold_record_is_scored_per_level() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gsr.json");
        std::fs::write(
            &path,
            r#"[{"id": "x", "date": "2001-02-03", "event": "FIGHT", "text": "Police clashed with protesters on Friday, killing 3 people.",
                 "source": [{"code": "ZZZCOP"}], "target": "", "dead": "3"}]"#,
        )
        .unwrap();
        let r = score_plover(&path).unwrap();
        assert_eq!((r.whole.records, r.whole.dead_records), (1, 1));
        assert_eq!(r.type_recall_per_gold_type["FIGHT"].records, 1);
        assert!(r.whole.type_source_f1 <= r.whole.type_f1);
        assert_eq!(r.diagnostics.len(), 1);
        let json = serde_json::to_value(&r).unwrap();
        assert!(json["dead_accuracy"].is_number());
        assert!(json.get("diagnostics").is_none());
    }

    #[test]
    fn records_split_into_parts_by_id_and_folds_sum_to_the_whole() {
        use crate::folds::{is_tune, FOLDS};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gsr.json");
        let ids: Vec<String> = (0..8).map(|i| format!("r{i}")).collect();
        let records: Vec<String> = ids
            .iter()
            .map(|id| {
                format!(
                    r#"{{"id": "{id}", "date": "2001-02-03", "event": "AGREE", "text": "Russia and Ukraine signed a trade agreement on Friday.", "source": [{{"code": "RUS"}}], "target": [{{"code": "UKR"}}]}}"#
                )
            })
            .collect();
        std::fs::write(&path, format!("[{}]", records.join(","))).unwrap();
        let r = score_plover(&path).unwrap();
        let tune = ids.iter().filter(|id| is_tune(id)).count();
        assert_eq!((r.tune.records, r.check.records), (tune, ids.len() - tune));
        assert!(tune > 0 && tune < ids.len());
        let folds = &r.folds.per_fold;
        assert_eq!(folds.len(), FOLDS);
        assert_eq!(
            folds.iter().map(|f| f.scores.records).sum::<usize>(),
            r.whole.records
        );
        // The same sentence everywhere: every part and fold with records has the whole's figures.
        for p in [&r.tune, &r.check] {
            assert_eq!(
                (p.type_f1, p.type_source_target_f1),
                (r.whole.type_f1, r.whole.type_source_target_f1)
            );
        }
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["check"]["records"], ids.len() - tune);
        assert!(json["folds"]["max"]["type_f1"].is_number());
    }
}
