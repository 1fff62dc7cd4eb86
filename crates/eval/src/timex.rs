//! Time expressions scored as the TempEval-3 Task A scorer scores them: every
//! `.tml` (TimeML) and `.xml` (MEANTIME CAT) file of a corpus, our expressions
//! resolved against each file's document creation time.

use crate::folds::{FoldFigures, Measure, PerFold};
use crate::{pipeline, EvalError};
use chronicle_annotate::Pipeline;
use chronicle_core::{Document, SourceRef, TimeExpr};
use chronicle_formats::{corpus_files, prf, read_timeml_file, TimeMlDocument};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Match counts, summed over documents.
#[derive(Debug, Default, Clone, Copy)]
struct TimexCounts {
    files: usize,
    gold: usize,
    system: usize,
    strict: usize,
    relaxed: usize,
    kind: usize,
    value: usize,
}

impl std::ops::AddAssign for TimexCounts {
    fn add_assign(&mut self, o: Self) {
        self.files += o.files;
        self.gold += o.gold;
        self.system += o.system;
        self.strict += o.strict;
        self.relaxed += o.relaxed;
        self.kind += o.kind;
        self.value += o.value;
    }
}

/// TempEval-3's figures: extent (strict and relaxed match), then type and value on
/// relaxed matches.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TimexScores {
    pub gold: usize,
    pub system: usize,
    pub strict_precision: f64,
    pub strict_recall: f64,
    pub strict_f1: f64,
    pub relaxed_precision: f64,
    pub relaxed_recall: f64,
    pub relaxed_f1: f64,
    pub type_precision: f64,
    pub type_recall: f64,
    pub type_f1: f64,
    pub value_precision: f64,
    pub value_recall: f64,
    pub value_f1: f64,
}

impl From<TimexCounts> for TimexScores {
    fn from(c: TimexCounts) -> Self {
        let (strict_precision, strict_recall, strict_f1) = prf(c.strict, c.system, c.gold);
        let (relaxed_precision, relaxed_recall, relaxed_f1) = prf(c.relaxed, c.system, c.gold);
        let (type_precision, type_recall, type_f1) = prf(c.kind, c.system, c.gold);
        let (value_precision, value_recall, value_f1) = prf(c.value, c.system, c.gold);
        TimexScores {
            gold: c.gold,
            system: c.system,
            strict_precision,
            strict_recall,
            strict_f1,
            relaxed_precision,
            relaxed_recall,
            relaxed_f1,
            type_precision,
            type_recall,
            type_f1,
            value_precision,
            value_recall,
            value_f1,
        }
    }
}

/// The figures over some of the files (a part or a fold).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TimexPart {
    pub files: usize,
    #[serde(flatten)]
    pub scores: TimexScores,
}

impl From<&TimexCounts> for TimexPart {
    fn from(c: &TimexCounts) -> Self {
        TimexPart {
            files: c.files,
            scores: (*c).into(),
        }
    }
}

/// The measures each fold's spread is given for.
const HEADLINE: [Measure<TimexPart>; 4] = [
    ("strict_f1", |p| p.scores.strict_f1),
    ("relaxed_f1", |p| p.scores.relaxed_f1),
    ("type_f1", |p| p.scores.type_f1),
    ("value_f1", |p| p.scores.value_f1),
];

/// `benchmark accuracy --task timex`.
#[derive(Debug, Clone, Serialize)]
pub struct TimexReport {
    /// Over every file read.
    #[serde(flatten)]
    pub all: TimexScores,
    /// Folders scored (the corpus's parts: AQUAINT, TimeBank, …).
    pub documents: usize,
    pub files_skipped: usize,
    /// Per folder holding the files.
    pub by_folder: BTreeMap<String, TimexScores>,
    /// Files whose name falls in the tune folds ([`crate::folds`]): look at these.
    pub tune: TimexPart,
    /// The other files: only scored.
    pub check: TimexPart,
    /// Each fold, and the spread of the headline F1s over them.
    pub folds: FoldFigures<TimexPart>,
    /// Why each skipped file could not be read.
    #[serde(skip)]
    pub skipped: Vec<String>,
    /// One line per expression missed, extra or different: `file<TAB>MISS|EXTRA|DIFF…`.
    #[serde(skip)]
    pub diagnostics: Vec<String>,
}

/// The DCT's day, the reference our expressions are resolved against.
pub fn reference_date(dct: Option<&str>) -> Option<NaiveDate> {
    let d = dct?;
    NaiveDate::parse_from_str(d.get(..10)?, "%Y-%m-%d").ok()
}

/// Our time expressions over a TimeML document's text, resolved against its DCT:
/// what this benchmark scores and what `chronicle tag --format timeml` writes.
pub fn timeml_times(pipeline: &Pipeline, doc: &TimeMlDocument) -> Vec<TimeExpr> {
    let mut d = Document::new(
        doc.doc_id.clone().unwrap_or_default(),
        SourceRef {
            path: String::new(),
            format: "timeml".into(),
            record: None,
        },
        doc.text.clone(),
    );
    d.language = Some("eng".into());
    pipeline.annotate(&mut d);
    chronicle_timex::document_times(&d, reference_date(doc.dct.as_deref()))
}

/// TempEval-3 matching: a system expression matches a gold one strictly when the
/// spans are equal and relaxedly when they overlap; each is matched at most once.
/// Type and value are scored on relaxed matches.
fn score(doc: &TimeMlDocument, sys: &[TimeExpr], errors: &mut Vec<String>) -> TimexCounts {
    let mut c = TimexCounts {
        files: 1,
        gold: doc.timexes.len(),
        system: sys.len(),
        ..Default::default()
    };
    let dct = doc.dct.as_deref().unwrap_or("-");
    let mut used = vec![false; sys.len()];
    for g in &doc.timexes {
        let found = sys
            .iter()
            .enumerate()
            .filter(|(k, s)| !used[*k] && s.start < g.end && g.start < s.end)
            .max_by_key(|(_, s)| {
                (
                    s.start == g.start && s.end == g.end,
                    s.end.min(g.end) - s.start.max(g.start),
                )
            });
        let gold_text = &doc.text[g.start..g.end];
        match found {
            Some((k, s)) => {
                used[k] = true;
                c.relaxed += 1;
                c.strict += (s.start == g.start && s.end == g.end) as usize;
                c.kind += (s.kind == g.kind) as usize;
                c.value += (s.value == g.value) as usize;
                if s.value != g.value || s.kind != g.kind || s.start != g.start || s.end != g.end {
                    errors.push(format!(
                        "DIFF\t{dct}\t{:?}\t{} {}\t{:?}\t{} {}",
                        gold_text,
                        g.kind,
                        g.value,
                        &doc.text[s.start..s.end],
                        s.kind,
                        s.value
                    ));
                }
            }
            None => errors.push(format!(
                "MISS\t{dct}\t{:?}\t{} {}",
                gold_text, g.kind, g.value
            )),
        }
    }
    for (k, s) in sys.iter().enumerate() {
        if !used[k] {
            let lo = doc.text.floor_char_boundary(s.start.saturating_sub(30));
            let hi = doc
                .text
                .ceil_char_boundary((s.end + 30).min(doc.text.len()));
            errors.push(format!(
                "EXTRA\t{dct}\t{:?}\t{} {}\t{:?}",
                &doc.text[s.start..s.end],
                s.kind,
                s.value,
                doc.text[lo..hi].replace('\n', " ")
            ));
        }
    }
    c
}

/// MEANTIME marks time expressions in the title and the first five sentences only
/// (the dateline counted among them: sentences 0-5 of its CAT files; no TIMEX3 of
/// the 120 English articles lies further), while entities and events go on. The
/// reader rebuilds one line per sentence, so the annotated part ends with line 6.
const MEANTIME_TIMEX_SENTENCES: usize = 6;

/// The end of the text whose time expressions the gold marks: the whole text for
/// TimeML, the first [`MEANTIME_TIMEX_SENTENCES`] lines for a MEANTIME CAT file.
/// An expression we find past it is neither right nor wrong, so it is not scored.
fn annotated_end(path: &Path, text: &str) -> usize {
    if path.extension().and_then(|e| e.to_str()) != Some("xml") {
        return text.len();
    }
    text.match_indices('\n')
        .nth(MEANTIME_TIMEX_SENTENCES - 1)
        .map_or(text.len(), |(i, _)| i)
}

/// Scores one TimeML/MEANTIME file, or every `.tml` and `.xml` file under a folder.
/// A file that does not read is skipped and reported, not fatal.
pub fn score_timeml(data: &Path) -> Result<TimexReport, EvalError> {
    let pipeline = pipeline()?;
    let files = if data.is_dir() {
        corpus_files(data, &["tml", "xml"])?
    } else {
        vec![data.to_path_buf()]
    };
    if files.is_empty() {
        return Err(EvalError::NothingToScore {
            path: data.to_path_buf(),
            reason: "no .tml or .xml files".into(),
        });
    }
    type FileScore = Result<(TimexCounts, Vec<String>), chronicle_formats::FormatError>;
    let results: Vec<(PathBuf, FileScore)> = files
        .par_iter()
        .map(|f| {
            let r = read_timeml_file(f).map(|doc| {
                let end = annotated_end(f, &doc.text);
                let mut sys = timeml_times(pipeline, &doc);
                sys.retain(|t| t.start < end);
                let mut errors = Vec::new();
                let c = score(&doc, &sys, &mut errors);
                (c, errors)
            });
            (f.clone(), r)
        })
        .collect();
    let mut total = TimexCounts::default();
    // (files, counts) per fold, by file name: one split for TimeBank, AQUAINT and MEANTIME.
    let mut per_fold: PerFold<TimexCounts> = PerFold::default();
    let mut by_folder: BTreeMap<String, TimexCounts> = BTreeMap::new();
    let (mut skipped, mut diagnostics) = (Vec::new(), Vec::new());
    for (f, r) in results {
        match r {
            Ok((c, errors)) => {
                total += c;
                let name = f
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                per_fold.add(&name, c);
                let folder = f
                    .parent()
                    .and_then(|p| p.file_name())
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                *by_folder.entry(folder).or_default() += c;
                diagnostics.extend(errors.into_iter().map(|e| format!("{}\t{e}", f.display())));
            }
            Err(e) => skipped.push(e.to_string()),
        }
    }
    Ok(TimexReport {
        all: total.into(),
        documents: by_folder.len(),
        files_skipped: skipped.len(),
        by_folder: by_folder.into_iter().map(|(k, c)| (k, c.into())).collect(),
        tune: TimexPart::from(&per_fold.tune()),
        check: TimexPart::from(&per_fold.check()),
        folds: FoldFigures::new(&per_fold, &HEADLINE),
        skipped,
        diagnostics,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chronicle_formats::GoldTimex;

    fn gold(text: &str, spans: &[(usize, usize, &str, &str)]) -> TimeMlDocument {
        TimeMlDocument {
            doc_id: None,
            dct: Some("2001-02-03".into()),
            text: text.into(),
            timexes: spans
                .iter()
                .enumerate()
                .map(|(i, &(start, end, kind, value))| GoldTimex {
                    start,
                    end,
                    tid: format!("t{i}"),
                    kind: kind.into(),
                    value: value.into(),
                    anchor: None,
                })
                .collect(),
        }
    }

    fn sys(start: usize, end: usize, kind: &str, value: &str) -> TimeExpr {
        TimeExpr {
            start,
            end,
            text: String::new(),
            kind: kind.into(),
            value: value.into(),
            anchor: None,
        }
    }

    #[test]
    fn strict_relaxed_type_and_value_follow_tempeval3() {
        // "on Friday morning" gold, we found "Friday"; "last week" exact but wrong
        // value; "now" is extra; "1999" missed.
        let text = "They met on Friday morning and last week, now and in 1999.";
        let at = |w: &str| {
            let s = text.find(w).unwrap();
            (s, s + w.len())
        };
        let span = |w: &str, kind: &'static str, value: &'static str| {
            let (s, e) = at(w);
            (s, e, kind, value)
        };
        let doc = gold(
            text,
            &[
                span("on Friday morning", "TIME", "2001-02-02TMO"),
                span("last week", "DATE", "2001-W04"),
                span("1999", "DATE", "1999"),
            ],
        );
        let ours = [
            sys(at("Friday").0, at("Friday").1, "DATE", "2001-02-02"),
            sys(at("last week").0, at("last week").1, "DATE", "2001-W05"),
            sys(at("now").0, at("now").1, "DATE", "PRESENT_REF"),
        ];
        let mut errors = Vec::new();
        let c = score(&doc, &ours, &mut errors);
        assert_eq!((c.gold, c.system), (3, 3));
        assert_eq!((c.strict, c.relaxed, c.kind, c.value), (1, 2, 1, 0));
        let kinds: Vec<&str> = errors.iter().map(|e| &e[..e.find('\t').unwrap()]).collect();
        assert_eq!(kinds, ["DIFF", "DIFF", "MISS", "EXTRA"]);
        let s = TimexScores::from(c);
        assert_eq!(s.strict_precision, 1.0 / 3.0);
        assert_eq!(s.value_f1, 0.0);
    }

    #[test]
    fn a_system_expression_matches_one_gold_at_most() {
        // "Monday" 5..11 and "Tuesday" 15..22, one system span over both.
        let text = "from Monday to Tuesday";
        let doc = gold(text, &[(5, 11, "DATE", "a"), (15, 22, "DATE", "b")]);
        let ours = [sys(0, 22, "DATE", "a")];
        let c = score(&doc, &ours, &mut Vec::new());
        assert_eq!((c.relaxed, c.strict, c.value), (1, 0, 1));
    }

    #[test]
    fn meantime_scores_only_the_sentences_it_annotates_for_time() {
        let text = "Title\nMay 2, 2010\ns2\ns3\ns4\ns5\nnot annotated in 2009\nnor this";
        let end = annotated_end(Path::new("corpus/doc.xml"), text);
        assert_eq!(&text[..end], "Title\nMay 2, 2010\ns2\ns3\ns4\ns5");
        // TimeML marks the whole text; a short CAT file is read whole
        assert_eq!(annotated_end(Path::new("a.tml"), text), text.len());
        assert_eq!(annotated_end(Path::new("b.xml"), "one\ntwo"), 7);
    }

    #[test]
    fn reference_dates_take_the_dct_day() {
        assert_eq!(
            reference_date(Some("1998-08-07T10:35"))
                .map(|d| d.to_string())
                .as_deref(),
            Some("1998-08-07")
        );
        assert_eq!(reference_date(Some("1998")), None);
        assert_eq!(reference_date(None), None);
    }

    #[test]
    fn scores_a_timeml_file_through_the_pipeline() {
        let dir = tempfile::tempdir().unwrap();
        let part = dir.path().join("part");
        std::fs::create_dir_all(&part).unwrap();
        std::fs::write(
            part.join("a.tml"),
            "<TimeML><DCT><TIMEX3 tid=\"t0\" type=\"DATE\" value=\"2001-02-03\" functionInDocument=\"CREATION_TIME\">2001-02-03</TIMEX3></DCT>\
             <TEXT>The council met on <TIMEX3 tid=\"t1\" type=\"DATE\" value=\"2001-02-01\">Thursday</TIMEX3>.</TEXT></TimeML>",
        )
        .unwrap();
        std::fs::write(part.join("broken.tml"), "<TimeML><TEXT>").unwrap();
        let r = score_timeml(dir.path()).unwrap();
        assert_eq!((r.all.gold, r.documents, r.files_skipped), (1, 1, 1));
        assert_eq!(r.by_folder["part"].gold, 1);
        assert!(r.skipped[0].contains("broken.tml"), "{:?}", r.skipped);
        let json = serde_json::to_value(&r).unwrap();
        assert!(json.get("skipped").is_none() && json.get("diagnostics").is_none());
        assert_eq!(json["by_folder"]["part"]["gold"], 1);
        assert_eq!(json["gold"], 1);
    }

    #[test]
    fn files_split_into_parts_by_name_and_folds_sum_to_the_whole() {
        use crate::folds::{is_tune, FOLDS};
        let dir = tempfile::tempdir().unwrap();
        let names: Vec<String> = (0..8).map(|i| format!("doc{i}.tml")).collect();
        for (i, name) in names.iter().enumerate() {
            // File i holds i + 1 gold expressions, so every part has its own total.
            let days: String = (0..=i)
                .map(|k| {
                    format!(
                        "<TIMEX3 tid=\"t{}\" type=\"DATE\" value=\"2001\">2001</TIMEX3> and ",
                        k + 1
                    )
                })
                .collect();
            std::fs::write(
                dir.path().join(name),
                format!("<TimeML><DCT><TIMEX3 tid=\"t0\" type=\"DATE\" value=\"2001-02-03\" functionInDocument=\"CREATION_TIME\">2001-02-03</TIMEX3></DCT><TEXT>In {days}later.</TEXT></TimeML>"),
            )
            .unwrap();
        }
        let r = score_timeml(dir.path()).unwrap();
        let gold_in = |tune: bool| -> usize {
            (0..names.len())
                .filter(|&i| is_tune(&names[i]) == tune)
                .map(|i| i + 1)
                .sum()
        };
        assert_eq!(
            (r.tune.scores.gold, r.check.scores.gold),
            (gold_in(true), gold_in(false))
        );
        assert_eq!(r.tune.files + r.check.files, names.len());
        let folds = &r.folds.per_fold;
        assert_eq!(folds.len(), FOLDS);
        let sum = |f: fn(&TimexPart) -> usize| folds.iter().map(|p| f(&p.scores)).sum::<usize>();
        assert_eq!(sum(|p| p.files), names.len());
        assert_eq!(sum(|p| p.scores.gold), r.all.gold);
        assert_eq!(sum(|p| p.scores.system), r.all.system);
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["check"]["gold"], r.check.scores.gold);
        assert_eq!(json["folds"]["per_fold"][0]["fold"], 0);
        assert!(json["folds"]["mean"]["value_f1"].is_number());
    }
}
