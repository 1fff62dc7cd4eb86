//! Death tolls against FA-KES: the article's main KILL claim (see [`main_kill`])
//! against the gold total of killed (civilians + non-civilians); no KILL claim
//! predicts 0. FA-KES's text has its commas stripped, so "1,200" reads as "1200".

use crate::{english_document, pipeline, ratio, EvalError};
use chronicle_core::{Claim, Document};
use chronicle_formats::read_fakes_file;
use serde::Serialize;
use std::path::Path;

/// `benchmark accuracy --task claims`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimsReport {
    pub articles: usize,
    pub articles_with_kill_claim: usize,
    pub correct: usize,
    pub accuracy: f64,
    /// One line per wrong toll: the row, the gold toll, ours and every KILL claim.
    #[serde(skip)]
    pub diagnostics: Vec<String>,
}

/// The main KILL claim of an article: the first exact KILL count in reading order (the
/// headline or lead states the toll the story is about) that does not count only
/// children or women (a part stated beside the whole: "12 people, including five
/// children"); then the first exact one of any subject; vague counts ("dozens",
/// "hundreds") and fractions only when the article gives no exact one. Measured on
/// FA-KES dev: 76.37% with the part rule, 74.88% without it.
pub fn main_kill(doc: &Document) -> Option<f64> {
    let kills = || doc.claims.iter().filter(|c| c.kind == "KILL");
    let exact = |c: &&Claim| c.value >= 1.0 && !chronicle_quotes::vague_count(&c.text);
    // A count of children or women is usually the part of a toll stated next to
    // the whole ("killed 12 people, including five children").
    let part = |c: &&Claim| {
        c.subject.as_deref().is_some_and(|s| {
            let head = s.rsplit(' ').next().unwrap_or(s).to_lowercase();
            matches!(
                head.as_str(),
                "children" | "child" | "women" | "woman" | "girls" | "boys" | "kids" | "infants"
            )
        })
    };
    kills()
        .find(|c| exact(c) && !part(c))
        .or_else(|| kills().find(exact))
        .or_else(|| kills().next())
        .map(|c| c.value)
}

/// Scores the FA-KES CSV at `data`: the share of articles whose main KILL claim
/// equals the gold toll.
pub fn score_claims(data: &Path) -> Result<ClaimsReport, EvalError> {
    let articles = read_fakes_file(data)?;
    let pipeline = pipeline()?;
    let (mut total, mut right, mut with_claim) = (0usize, 0usize, 0usize);
    let mut diagnostics = Vec::new();
    for (i, article) in articles.iter().enumerate() {
        let gold = article.killed() as f64;
        let mut doc = english_document(
            &i.to_string(),
            &data.display().to_string(),
            article.content.clone(),
        );
        pipeline.annotate(&mut doc);
        let predicted = main_kill(&doc);
        with_claim += usize::from(predicted.is_some());
        total += 1;
        if (predicted.unwrap_or(0.0) - gold).abs() < 0.5 {
            right += 1;
        } else {
            let kills: Vec<String> = doc
                .claims
                .iter()
                .filter(|c| c.kind == "KILL")
                .map(|c| format!("{} ({})", c.text, c.value))
                .collect();
            diagnostics.push(format!(
                "row {}\tgold {gold}\tours {predicted:?}\t{kills:?}",
                i + 1
            ));
        }
    }
    Ok(ClaimsReport {
        articles: total,
        articles_with_kill_claim: with_claim,
        correct: right,
        accuracy: ratio(right, total),
        diagnostics,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_main_toll_is_the_first_exact_whole() {
        let p = pipeline().expect("embedded models");
        let mut doc = english_document(
            "d",
            "d",
            "Air strikes killed 12 people, including five children, on Friday. \
             Dozens were killed last week."
                .into(),
        );
        p.annotate(&mut doc);
        assert_eq!(main_kill(&doc), Some(12.0), "{:?}", doc.claims);
        let mut none = english_document("d", "d", "The council met.".into());
        p.annotate(&mut none);
        assert_eq!(main_kill(&none), None);
    }

    #[test]
    fn scores_a_fakes_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.csv");
        std::fs::write(
            &path,
            "article_content,date,nb_civilians,nb_noncivilians\n\
             Air strikes killed 12 people on Friday.,4/7/17,10,2\n\
             The council met on Monday.,4/8/17,0,0\n\
             Shelling killed 3 soldiers.,4/9/17,0,4\n",
        )
        .unwrap();
        let r = score_claims(&path).unwrap();
        assert_eq!((r.articles, r.articles_with_kill_claim), (3, 2), "{r:?}");
        assert_eq!(r.correct, 2, "{r:?}");
        assert_eq!(r.diagnostics.len(), 1);
        assert!(
            r.diagnostics[0].starts_with("row 3\tgold 4\t"),
            "{:?}",
            r.diagnostics
        );
    }
}
