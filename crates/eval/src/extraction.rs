//! Web-page extraction against trafilatura's evaluation set (`evaldata.json` with
//! the pages under `cache/` or `eval/`): main text, title and publication day of
//! each page, read by ingest alone (no annotation), as `chronicle ingest` reads
//! an HTML file it is given without its URL.
//!
//! Main text is counted as trafilatura's evaluation counts it: each `with`
//! snippet found in the whitespace-folded text is a true positive, missing a
//! false negative; each `without` snippet found is a false positive, absent a
//! true negative; a page we cannot read misses all its `with` snippets.
//!
//! Pages are split by site into a tune part and a check part (the first hex
//! digit of the BLAKE3 content id of the host name: even digits tune), so that a
//! rule fitted to one site's markup is scored on other sites.

use crate::{ratio, EvalError};
use chronicle_core::Document;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// One page of the gold file.
#[derive(Debug, Clone, serde::Deserialize)]
struct GoldPage {
    file: String,
    #[serde(default)]
    with: Vec<String>,
    #[serde(default)]
    without: Vec<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    date: Option<String>,
}

/// Counts of one part (tune, check, or all pages).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ExtractionScores {
    pub pages: usize,
    /// Pages ingest refused or found no article in (all their `with` snippets missed).
    pub unread: usize,
    pub text_tp: usize,
    pub text_fp: usize,
    pub text_fn: usize,
    pub text_tn: usize,
    pub text_precision: f64,
    pub text_recall: f64,
    pub text_f1: f64,
    /// Pages with a gold title.
    pub titled: usize,
    pub title_exact: f64,
    /// Case, punctuation and whitespace folded.
    pub title_normalized: f64,
    /// Pages with a gold date.
    pub dated: usize,
    /// Right day over the pages with a gold date.
    pub date_exact: f64,
    /// Share of those pages we gave a day at all.
    pub date_answered: f64,
    /// Right day over the pages we answered.
    pub date_accuracy_answered: f64,
    #[serde(skip)]
    counts: Counts,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Counts {
    title_exact: usize,
    title_normalized: usize,
    date_answered: usize,
    date_right: usize,
}

/// `benchmark accuracy --task extraction`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExtractionReport {
    /// Pages from sites in the tune part: look at these.
    pub tune: ExtractionScores,
    /// Pages from the other sites: only score these.
    pub check: ExtractionScores,
    pub all: ExtractionScores,
    /// Wall-clock seconds to extract every page (all cores), and per 1,000 pages.
    pub seconds: f64,
    pub seconds_per_1000_pages: f64,
    /// One line per page with an error: `part<TAB>url<TAB>what went wrong`.
    #[serde(skip)]
    pub diagnostics: Vec<String>,
}

/// What ingest made of one page.
struct Extracted {
    text: Option<String>,
    title: Option<String>,
    date: Option<String>,
    error: Option<String>,
}

fn extract(path: &Path) -> Extracted {
    let none = |error: String| Extracted {
        text: None,
        title: None,
        date: None,
        error: Some(error),
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return none(e.to_string()),
    };
    let opts = chronicle_ingest::IngestOptions::default();
    // A fresh line table per page: pages of one site do not teach each other
    // (and the scores do not depend on thread order).
    let stats = chronicle_ingest::LineStats::default();
    let docs = match chronicle_ingest::read_bytes(&bytes, path, &opts, &stats) {
        Ok(d) => d,
        Err(e) => return none(e.to_string()),
    };
    let mut first_error = None;
    for d in docs {
        match d {
            Ok(doc) => return from_document(doc),
            Err(e) if first_error.is_none() => first_error = Some(e.to_string()),
            Err(_) => {}
        }
    }
    none(first_error.unwrap_or_else(|| "no document".into()))
}

fn from_document(doc: Document) -> Extracted {
    Extracted {
        date: doc.published.map(|p| p.date),
        title: doc.title,
        text: Some(doc.text),
        error: None,
    }
}

/// Whitespace folded, as trafilatura's `norm`.
fn fold_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Case, punctuation and whitespace folded.
fn fold_title(s: &str) -> String {
    let spaced: String = s
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    fold_space(&spaced.to_lowercase())
}

fn is_tune(url: &str) -> bool {
    let host = chronicle_ingest::outlet_from_url(url).unwrap_or_else(|| url.to_string());
    let id = chronicle_core::content_id(None, &host);
    id.bytes()
        .next()
        .and_then(|b| (b as char).to_digit(16))
        .is_some_and(|d| d % 2 == 0)
}

fn find_page(root: &Path, file: &str) -> Option<PathBuf> {
    ["cache", "eval"]
        .iter()
        .map(|sub| root.join(sub).join(file))
        .find(|p| p.is_file())
}

/// The folder holding `evaldata.json`: `data` itself, `data/tests` or
/// `data/*/tests` (the archive's own layout).
fn gold_root(data: &Path) -> Option<PathBuf> {
    let direct = [data.to_path_buf(), data.join("tests")];
    if let Some(found) = direct.iter().find(|p| p.join("evaldata.json").is_file()) {
        return Some(found.clone());
    }
    let mut subs: Vec<PathBuf> = std::fs::read_dir(data)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path().join("tests"))
        .filter(|p| p.join("evaldata.json").is_file())
        .collect();
    subs.sort();
    subs.into_iter().next()
}

/// Scores the extracted trafilatura evaluation folder at `data`.
pub fn score_extraction(data: &Path) -> Result<ExtractionReport, EvalError> {
    let root = gold_root(data).ok_or_else(|| EvalError::NothingToScore {
        path: data.to_path_buf(),
        reason: "no evaldata.json here, in tests/ or in */tests/ (extract trafilatura-eval.tar.xz first)".into(),
    })?;
    let gold_path = root.join("evaldata.json");
    let bytes = crate::read_bytes(&gold_path)?;
    let gold: BTreeMap<String, GoldPage> =
        serde_json::from_slice(&bytes).map_err(|e| EvalError::NothingToScore {
            path: gold_path.clone(),
            reason: format!("not the evaluation JSON: {e}"),
        })?;
    let pages: Vec<(&String, &GoldPage, Option<PathBuf>)> = gold
        .iter()
        .map(|(url, g)| (url, g, find_page(&root, &g.file)))
        .collect();
    let started = Instant::now();
    let extracted: Vec<Extracted> = pages
        .par_iter()
        .map(|(_, g, path)| match path {
            Some(p) => extract(p),
            None => Extracted {
                text: None,
                title: None,
                date: None,
                error: Some(format!("page file {} not found", g.file)),
            },
        })
        .collect();
    let seconds = started.elapsed().as_secs_f64();
    let (mut tune, mut check, mut all) = Default::default();
    let mut diagnostics = Vec::new();
    for ((url, g, _), x) in pages.iter().zip(&extracted) {
        let part_name = if is_tune(url) { "tune" } else { "check" };
        let mut notes = Vec::new();
        let page = score_page(g, x, &mut notes);
        let part: &mut ExtractionScores = if part_name == "tune" {
            &mut tune
        } else {
            &mut check
        };
        add(part, &page);
        add(&mut all, &page);
        if !notes.is_empty() {
            diagnostics.push(format!("{part_name}\t{url}\t{}", notes.join("\t")));
        }
    }
    for s in [&mut tune, &mut check, &mut all] {
        finish(s);
    }
    Ok(ExtractionReport {
        tune,
        check,
        all,
        seconds,
        seconds_per_1000_pages: if gold.is_empty() {
            0.0
        } else {
            seconds * 1000.0 / gold.len() as f64
        },
        diagnostics,
    })
}

/// One page's counts, as a one-page `ExtractionScores`.
fn score_page(g: &GoldPage, x: &Extracted, notes: &mut Vec<String>) -> ExtractionScores {
    let mut s = ExtractionScores {
        pages: 1,
        ..Default::default()
    };
    if let Some(e) = &x.error {
        s.unread = 1;
        notes.push(format!("unread: {e}"));
    }
    let text = x.text.as_deref().map(fold_space).unwrap_or_default();
    let found = |snippet: &str| x.text.is_some() && text.contains(&fold_space(snippet));
    for w in &g.with {
        if found(w) {
            s.text_tp += 1;
        } else {
            s.text_fn += 1;
            notes.push(format!("missing {w:?}"));
        }
    }
    for w in &g.without {
        if found(w) {
            s.text_fp += 1;
            notes.push(format!("kept {w:?}"));
        } else {
            s.text_tn += 1;
        }
    }
    if let Some(gold_title) = g.title.as_deref().filter(|t| !t.trim().is_empty()) {
        s.titled = 1;
        let ours = x.title.as_deref().unwrap_or("");
        if fold_space(ours) == fold_space(gold_title) {
            s.counts.title_exact = 1;
        }
        if fold_title(ours) == fold_title(gold_title) {
            s.counts.title_normalized = 1;
        } else {
            notes.push(format!("title {gold_title:?} ours {ours:?}"));
        }
    }
    if let Some(gold_date) = g.date.as_deref().filter(|d| d.len() >= 10) {
        s.dated = 1;
        if let Some(ours) = &x.date {
            s.counts.date_answered = 1;
            if ours.get(..10) == gold_date.get(..10) {
                s.counts.date_right = 1;
            } else {
                notes.push(format!("date {gold_date} ours {ours}"));
            }
        } else {
            notes.push(format!("date {gold_date} ours none"));
        }
    }
    s
}

fn add(to: &mut ExtractionScores, page: &ExtractionScores) {
    to.pages += page.pages;
    to.unread += page.unread;
    to.text_tp += page.text_tp;
    to.text_fp += page.text_fp;
    to.text_fn += page.text_fn;
    to.text_tn += page.text_tn;
    to.titled += page.titled;
    to.dated += page.dated;
    to.counts.title_exact += page.counts.title_exact;
    to.counts.title_normalized += page.counts.title_normalized;
    to.counts.date_answered += page.counts.date_answered;
    to.counts.date_right += page.counts.date_right;
}

fn finish(s: &mut ExtractionScores) {
    (s.text_precision, s.text_recall, s.text_f1) =
        chronicle_formats::prf(s.text_tp, s.text_tp + s.text_fp, s.text_tp + s.text_fn);
    s.title_exact = ratio(s.counts.title_exact, s.titled);
    s.title_normalized = ratio(s.counts.title_normalized, s.titled);
    s.date_exact = ratio(s.counts.date_right, s.dated);
    s.date_answered = ratio(s.counts.date_answered, s.dated);
    s.date_accuracy_answered = ratio(s.counts.date_right, s.counts.date_answered);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(with: &[&str], without: &[&str]) -> GoldPage {
        GoldPage {
            file: "p.html".into(),
            with: with.iter().map(|s| s.to_string()).collect(),
            without: without.iter().map(|s| s.to_string()).collect(),
            title: Some("The Mill Reopens | Valley Post".into()),
            date: Some("2021-04-09".into()),
        }
    }

    fn got(text: Option<&str>, title: &str, date: Option<&str>) -> Extracted {
        Extracted {
            text: text.map(str::to_string),
            title: Some(title.into()),
            date: date.map(str::to_string),
            error: None,
        }
    }

    #[test]
    fn snippets_count_as_trafilaturas_evaluation_counts_them() {
        let g = page(
            &["the mill  reopened", "forty jobs"],
            &["Subscribe", "Imprint"],
        );
        let x = got(
            Some("After a year the mill\nreopened. Subscribe now."),
            "the mill reopens - valley post",
            Some("2021-04-09"),
        );
        let s = score_page(&g, &x, &mut Vec::new());
        assert_eq!((s.text_tp, s.text_fn, s.text_fp, s.text_tn), (1, 1, 1, 1));
        // Case and the separator's punctuation fold away; the words stay.
        assert_eq!(s.counts.title_exact, 0);
        assert_eq!(s.counts.title_normalized, 1);
        assert_eq!((s.counts.date_answered, s.counts.date_right), (1, 1));
    }

    #[test]
    fn an_unread_page_misses_its_with_snippets_only() {
        let g = page(&["a", "b"], &["c"]);
        let x = Extracted {
            text: None,
            title: None,
            date: None,
            error: Some("binary".into()),
        };
        let s = score_page(&g, &x, &mut Vec::new());
        assert_eq!((s.text_tp, s.text_fn, s.text_fp, s.text_tn), (0, 2, 0, 1));
        assert_eq!((s.unread, s.dated, s.counts.date_answered), (1, 1, 0));
    }

    #[test]
    fn titles_fold_case_punctuation_and_space() {
        assert_eq!(
            fold_title("  The Mill: Reopens!"),
            fold_title("the mill reopens")
        );
        assert_ne!(fold_title("The Mill"), fold_title("The Mills"));
    }

    #[test]
    fn sites_split_whole_into_tune_and_check() {
        let a = is_tune("https://www.example.org/a");
        assert_eq!(a, is_tune("https://example.org/b/c"));
        let parts: Vec<bool> = (0..40)
            .map(|i| is_tune(&format!("https://site{i}.example/")))
            .collect();
        assert!(parts.iter().any(|&t| t) && parts.iter().any(|&t| !t));
    }
}
