//! `chronicle benchmark accuracy --task timex|docdate`: time expressions scored as
//! the TempEval-3 Task A scorer scores them, and article dates against FA-KES.

use crate::outln;
use anyhow::Context;
use chronicle_annotate::Pipeline;
use chronicle_core::{Document, SourceRef, TimeExpr};
use chronicle_formats::{prf, read_timeml_file, TimeMlDocument};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn timeml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walk(dir)
        .into_iter()
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("tml") | Some("xml")
            )
        })
        .collect();
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Counts for one document, summed over the corpus.
#[derive(Debug, Default, Clone, Copy)]
struct TimexCounts {
    gold: usize,
    system: usize,
    strict: usize,
    relaxed: usize,
    kind: usize,
    value: usize,
}

impl std::ops::AddAssign for TimexCounts {
    fn add_assign(&mut self, o: Self) {
        self.gold += o.gold;
        self.system += o.system;
        self.strict += o.strict;
        self.relaxed += o.relaxed;
        self.kind += o.kind;
        self.value += o.value;
    }
}

/// A file's counts and its error lines, or why it could not be read.
type FileScore = anyhow::Result<(TimexCounts, Vec<String>)>;

struct SystemTimex {
    start: usize,
    end: usize,
    kind: String,
    value: String,
}

pub(crate) fn reference_date(dct: Option<&str>) -> Option<NaiveDate> {
    let d = dct?;
    NaiveDate::parse_from_str(d.get(..10)?, "%Y-%m-%d").ok()
}

/// Our time expressions over a TimeML document's text, resolved against its DCT:
/// what this benchmark scores and what `chronicle tag --format timeml` writes.
pub(crate) fn timeml_times(pipeline: &Pipeline, doc: &TimeMlDocument) -> Vec<TimeExpr> {
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

fn system_times(pipeline: &Pipeline, doc: &TimeMlDocument) -> Vec<SystemTimex> {
    timeml_times(pipeline, doc)
        .into_iter()
        .map(|t| SystemTimex {
            start: t.start,
            end: t.end,
            kind: t.kind,
            value: t.value,
        })
        .collect()
}

/// TempEval-3 matching: a system expression matches a gold one strictly when the
/// spans are equal and relaxedly when they overlap; each is matched at most once.
/// Type and value are scored on relaxed matches.
fn score(doc: &TimeMlDocument, sys: &[SystemTimex], errors: &mut Vec<String>) -> TimexCounts {
    let mut c = TimexCounts {
        gold: doc.timexes.len(),
        system: sys.len(),
        ..Default::default()
    };
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
                        "DIFF\t{}\t{:?}\t{} {}\t{:?}\t{} {}",
                        doc.dct.as_deref().unwrap_or("-"),
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
                "MISS\t{}\t{:?}\t{} {}",
                doc.dct.as_deref().unwrap_or("-"),
                gold_text,
                g.kind,
                g.value
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
                "EXTRA\t{}\t{:?}\t{} {}\t{:?}",
                doc.dct.as_deref().unwrap_or("-"),
                &doc.text[s.start..s.end],
                s.kind,
                s.value,
                doc.text[lo..hi].replace('\n', " ")
            ));
        }
    }
    c
}

fn counts_json(c: TimexCounts) -> serde_json::Value {
    let (sp, sr, sf) = prf(c.strict, c.system, c.gold);
    let (rp, rr, rf) = prf(c.relaxed, c.system, c.gold);
    let (tp, tr, tf) = prf(c.kind, c.system, c.gold);
    let (vp, vr, vf) = prf(c.value, c.system, c.gold);
    json!({
        "gold": c.gold, "system": c.system,
        "strict_precision": sp, "strict_recall": sr, "strict_f1": sf,
        "relaxed_precision": rp, "relaxed_recall": rr, "relaxed_f1": rf,
        "type_precision": tp, "type_recall": tr, "type_f1": tf,
        "value_precision": vp, "value_recall": vr, "value_f1": vf,
    })
}

/// `--task timex`: every `.tml` (TimeML) and `.xml` (MEANTIME CAT) file under `data`.
pub fn timex(data: &Path, json_out: bool) -> anyhow::Result<ExitCode> {
    let pipeline = Pipeline::shared().map_err(|e| anyhow::anyhow!("{e}"))?;
    let files = if data.is_dir() {
        timeml_files(data)
    } else {
        vec![data.to_path_buf()]
    };
    if files.is_empty() {
        anyhow::bail!("no .tml or .xml files under {}", data.display());
    }
    let results: Vec<(PathBuf, FileScore)> = files
        .par_iter()
        .map(|f| {
            let r = read_timeml_file(f)
                .with_context(|| format!("reading {}", f.display()))
                .map(|doc| {
                    let sys = system_times(pipeline, &doc);
                    let mut errors = Vec::new();
                    let c = score(&doc, &sys, &mut errors);
                    (c, errors)
                });
            (f.clone(), r)
        })
        .collect();
    let mut total = TimexCounts::default();
    let mut by_folder: std::collections::BTreeMap<String, TimexCounts> = Default::default();
    let mut skipped = Vec::new();
    let show_errors = std::env::var_os("CHRONICLE_BENCH_ERRORS").is_some();
    for (f, r) in results {
        match r {
            Ok((c, errors)) => {
                total += c;
                let folder = f
                    .parent()
                    .and_then(|p| p.file_name())
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                *by_folder.entry(folder).or_default() += c;
                if show_errors {
                    for e in errors {
                        eprintln!("{}\t{e}", f.display());
                    }
                }
            }
            Err(e) => skipped.push(format!("{e:#}")),
        }
    }
    for s in &skipped {
        eprintln!("skipped: {s}");
    }
    let mut out = counts_json(total);
    out["documents"] = json!(by_folder.len());
    out["files_skipped"] = json!(skipped.len());
    out["by_folder"] = by_folder
        .iter()
        .map(|(k, c)| (k.clone(), counts_json(*c)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    if json_out {
        outln!("{}", serde_json::to_string_pretty(&out)?)?;
    } else {
        let pct = |k: &str, v: &serde_json::Value| 100.0 * v[k].as_f64().unwrap_or(0.0);
        outln!(
            "{:<14} {:>6} {:>6} {:>9} {:>9} {:>7} {:>8}",
            "corpus", "gold", "system", "strict F1", "relax. F1", "type F1", "value F1"
        )?;
        let row = |name: &str, v: &serde_json::Value| {
            outln!(
                "{:<14} {:>6} {:>6} {:>9.2} {:>9.2} {:>7.2} {:>8.2}",
                name,
                v["gold"],
                v["system"],
                pct("strict_f1", v),
                pct("relaxed_f1", v),
                pct("type_f1", v),
                pct("value_f1", v)
            )
        };
        for (k, c) in &by_folder {
            row(k, &counts_json(*c))?;
        }
        row("all", &out)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// FA-KES dates are m/d/yy.
fn gold_date(s: &str) -> Option<NaiveDate> {
    let mut it = s.trim().split('/');
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    let y: i32 = it.next()?.parse().ok()?;
    let y = if y < 100 { 2000 + y } else { y };
    NaiveDate::from_ymd_opt(y, m, d)
}

/// `--task docdate`: the CSV is ingested with its `date` column hidden, and each
/// article's `published` is compared with that column.
pub fn docdate(data: &Path, json_out: bool) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(data).with_context(|| format!("reading {}", data.display()))?;
    let mut reader = csv::Reader::from_reader(&bytes[..]);
    let headers = reader
        .headers()
        .with_context(|| format!("reading the header of {}", data.display()))?
        .clone();
    let date_col = headers
        .iter()
        .position(|h| h == "date")
        .with_context(|| format!("{} has no `date` column", data.display()))?;
    let mut gold = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.with_context(|| format!("{}: row {}", data.display(), i + 2))?;
        gold.push(rec.get(date_col).and_then(gold_date));
    }
    let mut opts = chronicle_ingest::IngestOptions {
        max_bytes: u64::MAX,
        ..Default::default()
    };
    // A column no file has, so the gold `date` column is never read as a field.
    opts.fields.date = Some("\u{0}hidden-gold-date".into());
    let stats = chronicle_ingest::LineStats::default();
    let docs = chronicle_ingest::read_bytes(&bytes, data, &opts, &stats)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let pipeline = Pipeline::shared().map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut docs: Vec<Document> = docs.into_iter().filter_map(Result::ok).collect();
    docs.par_iter_mut().for_each(|d| pipeline.annotate(d));
    let show_errors = std::env::var_os("CHRONICLE_BENCH_ERRORS").is_some();
    let (mut right, mut scored, mut dated, mut estimated) = (0usize, 0usize, 0usize, 0usize);
    for d in &docs {
        let Some(row) = d
            .source
            .record
            .as_deref()
            .and_then(|r| r.trim_start_matches("row ").parse::<usize>().ok())
        else {
            continue;
        };
        let Some(Some(g)) = gold.get(row.saturating_sub(1)) else {
            continue;
        };
        scored += 1;
        let ours = d.published.as_ref().map(|p| p.date.clone());
        if ours.is_some() {
            dated += 1;
        }
        if d.published.as_ref().is_some_and(|p| p.estimated) {
            estimated += 1;
        }
        if ours.as_deref() == Some(g.format("%Y-%m-%d").to_string().as_str()) {
            right += 1;
        } else if show_errors {
            eprintln!(
                "row {row}\tgold {g}\tours {:?}\t{:?}\t{}",
                d.published,
                d.outlet,
                d.text.chars().take(120).collect::<String>()
            );
        }
    }
    let accuracy = if scored == 0 {
        0.0
    } else {
        right as f64 / scored as f64
    };
    let out = json!({
        "accuracy": accuracy,
        "articles": scored,
        "correct": right,
        "dated": dated,
        "estimated": estimated,
        "gold_rows": gold.len(),
    });
    if json_out {
        outln!("{}", serde_json::to_string_pretty(&out)?)?;
    } else {
        outln!(
            "article date exact-day accuracy {:.2}% ({right}/{scored}); {dated} dated, {estimated} of them estimated from content",
            100.0 * accuracy
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
