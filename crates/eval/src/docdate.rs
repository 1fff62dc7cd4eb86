//! Article publication dates against FA-KES: the CSV is ingested as any CSV is,
//! with its `date` column hidden, and each article's `published` day is compared
//! with that column (the rows read and annotated as `incident` reads them).

use crate::{ratio, EvalError};
use serde::Serialize;
use std::path::Path;

/// `benchmark accuracy --task docdate`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocdateReport {
    /// Exact-day accuracy over the articles scored.
    pub accuracy: f64,
    /// Articles ingested and matched to their gold row.
    pub articles: usize,
    pub correct: usize,
    /// Articles we gave a date at all.
    pub dated: usize,
    /// Of those, dates estimated from the content.
    pub estimated: usize,
    pub gold_rows: usize,
    /// One line per wrong date: `row N<TAB>gold …<TAB>ours …`.
    #[serde(skip)]
    pub diagnostics: Vec<String>,
}

/// Scores the FA-KES CSV at `data`.
pub fn score_docdate(data: &Path) -> Result<DocdateReport, EvalError> {
    let (gold, docs) = crate::incident::annotated_rows(data)?;
    let (mut right, mut scored, mut dated, mut estimated) = (0usize, 0usize, 0usize, 0usize);
    let mut diagnostics = Vec::new();
    for (index, d) in &docs {
        let row = index + 1;
        let Some(g) = gold.get(*index).map(|a| a.date) else {
            continue;
        };
        scored += 1;
        let ours = d.published.as_ref().map(|p| p.date.as_str());
        if ours.is_some() {
            dated += 1;
        }
        if d.published.as_ref().is_some_and(|p| p.estimated) {
            estimated += 1;
        }
        if ours == Some(g.to_string().as_str()) {
            right += 1;
        } else {
            diagnostics.push(format!(
                "row {row}\tgold {g}\tours {:?}\t{:?}\t{}",
                d.published,
                d.outlet,
                d.text.chars().take(120).collect::<String>()
            ));
        }
    }
    Ok(DocdateReport {
        accuracy: ratio(right, scored),
        articles: scored,
        correct: right,
        dated,
        estimated,
        gold_rows: gold.len(),
        diagnostics,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_are_matched_to_their_gold_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.csv");
        std::fs::write(
            &path,
            "article_title,article_content,date,nb_civilians,nb_noncivilians\n\
             Talks resume,\"VARNHOLM, April 7, 2017 - The council met on Friday to resume the talks.\",4/7/17,0,0\n\
             Vote held,The council voted again and the motion failed.,4/8/17,0,0\n",
        )
        .unwrap();
        let r = score_docdate(&path).unwrap();
        assert_eq!((r.gold_rows, r.articles), (2, 2), "{r:?}");
        assert!(r.dated <= r.articles && r.estimated <= r.dated);
        assert_eq!(r.accuracy, r.correct as f64 / 2.0);
        assert_eq!(r.diagnostics.len(), 2 - r.correct);
        let json = serde_json::to_value(&r).unwrap();
        assert!(json.get("diagnostics").is_none());
        assert_eq!(json["gold_rows"], 2);
    }

    #[test]
    fn a_bad_gold_date_names_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.csv");
        std::fs::write(
            &path,
            "article_content,date,nb_civilians,nb_noncivilians\nText.,31/12/17,0,0\n",
        )
        .unwrap();
        let e = score_docdate(&path).unwrap_err().to_string();
        assert!(e.contains("f.csv:2: "), "{e}");
    }
}
