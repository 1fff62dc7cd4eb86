//! Stories on ECB+ (`chronicle benchmark accuracy --task stories`): every document
//! annotated by our pipeline, then clustered in one pass, in corpus order (topics by
//! number, then file names in byte order), by `chronicle_link::stories` with the
//! number of stories not given; scored with B³ and the adjusted Rand index against
//! the `subtopic` column of `gold/doc_clusters.tsv` (one subtopic = one real event).
//! `--split` scores the documents of one split; all documents are clustered.

use crate::coref_metrics::{adjusted_rand_index, b_cubed_labels};
use crate::{english_document, pipeline, EvalError};
use chronicle_core::Document;
use chronicle_formats::{
    ecbplus_doc_files, read_doc_clusters_file, read_ecbplus_file, EcbDocument,
};
use chronicle_link::stories::{DocProfile, MemoryStoryIndex, StoryParams};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Instant;

/// The order documents are clustered in, as the report states it.
pub const ORDER: &str = "topic number, then file name (byte order) inside a topic";

/// The benchmark's figures.
#[derive(Debug, Clone, Serialize)]
pub struct StoriesReport {
    pub b3_f1: f64,
    pub b3_precision: f64,
    pub b3_recall: f64,
    pub ari: f64,
    /// Stories among the scored documents, predicted and gold.
    pub clusters_predicted: usize,
    pub clusters_gold: usize,
    pub documents_scored: usize,
    pub documents_clustered: usize,
    pub split: String,
    pub order: String,
    pub annotate_seconds: f64,
    pub cluster_seconds: f64,
    /// Documents whose candidate list hit the cap.
    pub cap_hits: usize,
    pub merges: usize,
    /// One line per gold subtopic split over several stories or story mixing subtopics
    /// (on stderr with `CHRONICLE_BENCH_ERRORS`).
    #[serde(skip)]
    pub diagnostics: Vec<String>,
}

/// An ECB+ document as our pipeline reads it: the rebuilt text, the headline as title
/// (the first sentence that is not the URL line `ecbplus` files begin with).
pub fn ecb_document(doc: &EcbDocument) -> Document {
    let text = doc.text();
    let mut d = english_document(&doc.name, &doc.name, text.text.clone());
    let mut sentences: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
    for t in &doc.tokens {
        sentences.entry(t.sentence).or_default().push(&t.text);
    }
    d.title = sentences
        .values()
        .map(|words| words.join(" "))
        .find(|s| !s.starts_with("http") && !s.contains("www ."));
    d
}

/// Every ECB+ document of `data`, in corpus order, annotated (in parallel; the
/// pipeline is deterministic, so the order of work does not matter).
pub fn annotate_ecbplus(data: &Path) -> Result<Vec<Document>, EvalError> {
    let files = ecbplus_doc_files(data)?;
    let pipe = pipeline()?;
    files
        .par_iter()
        .map(|f| {
            let ecb = read_ecbplus_file(f)?;
            let mut d = ecb_document(&ecb);
            pipe.annotate(&mut d);
            Ok(d)
        })
        .collect()
}

/// Story of each document (in the given order) after one pass.
pub struct Clustering {
    pub stories: Vec<String>,
    pub cap_hits: usize,
    pub merges: usize,
}

/// Clusters profiles in order, one pass; merges relabel earlier documents.
pub fn cluster_profiles(profiles: &[DocProfile], params: StoryParams) -> Clustering {
    let mut index = MemoryStoryIndex::with_params(params);
    let (mut cap_hits, mut merges) = (0, 0);
    for p in profiles {
        let a = index.add(p);
        cap_hits += usize::from(a.cap_hit);
        merges += a.merges.len();
    }
    let stories = profiles
        .iter()
        .map(|p| index.story_of(&p.doc_id).unwrap_or_default().to_string())
        .collect();
    Clustering {
        stories,
        cap_hits,
        merges,
    }
}

/// Figures of one clustering against the gold subtopics.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterScore {
    pub b3_f1: f64,
    pub b3_precision: f64,
    pub b3_recall: f64,
    pub ari: f64,
    pub clusters_predicted: usize,
    pub clusters_gold: usize,
    pub documents: usize,
    pub diagnostics: Vec<String>,
}

/// B³ and ARI of the `predicted` story of each document against gold subtopics,
/// over the documents of `split` (all when None).
pub fn score_clustering(
    doc_ids: &[String],
    predicted: &[String],
    gold: &BTreeMap<String, (String, String)>,
    split: Option<&str>,
) -> ClusterScore {
    let mut g = Vec::new();
    let mut p = Vec::new();
    for (id, story) in doc_ids.iter().zip(predicted) {
        if let Some((subtopic, s)) = gold.get(id) {
            if split.is_none_or(|want| want == s) {
                g.push((subtopic.clone(), id.clone()));
                p.push(story.clone());
            }
        }
    }
    let gold_labels: Vec<&String> = g.iter().map(|(s, _)| s).collect();
    let b3 = b_cubed_labels(&gold_labels, &p);
    let ari = adjusted_rand_index(&gold_labels, &p);
    let mut by_gold: BTreeMap<&String, BTreeSet<&String>> = BTreeMap::new();
    for ((s, _), story) in g.iter().zip(&p) {
        by_gold.entry(s).or_default().insert(story);
    }
    let mut diagnostics = Vec::new();
    for (s, stories) in &by_gold {
        if stories.len() > 1 {
            diagnostics.push(format!("subtopic {s} split over {} stories", stories.len()));
        }
    }
    let mut by_story: BTreeMap<&String, BTreeSet<&String>> = BTreeMap::new();
    for ((s, _), story) in g.iter().zip(&p) {
        by_story.entry(story).or_default().insert(s);
    }
    for (story, subs) in &by_story {
        if subs.len() > 1 {
            let subs: Vec<&str> = subs.iter().map(|s| s.as_str()).collect();
            diagnostics.push(format!("{story} mixes subtopics {}", subs.join(", ")));
        }
    }
    ClusterScore {
        b3_f1: b3.f1(),
        b3_precision: b3.precision(),
        b3_recall: b3.recall(),
        ari,
        clusters_predicted: by_story.len(),
        clusters_gold: by_gold.len(),
        documents: g.len(),
        diagnostics,
    }
}

/// Gold subtopic and split by document name.
pub fn gold_subtopics(data: &Path) -> Result<BTreeMap<String, (String, String)>, EvalError> {
    Ok(read_doc_clusters_file(&data.join("gold/doc_clusters.tsv"))?
        .into_iter()
        .map(|c| (c.doc_id, (c.subtopic, c.split)))
        .collect())
}

/// Our story of every ECB+ document (by name), as the benchmark clusters them: what
/// the coreference benchmarks group documents by.
pub fn ecb_story_labels(data: &Path) -> Result<BTreeMap<String, String>, EvalError> {
    let docs = annotate_ecbplus(data)?;
    let profiles: Vec<DocProfile> = docs.iter().map(DocProfile::of).collect();
    let c = cluster_profiles(&profiles, StoryParams::default());
    Ok(docs.iter().map(|d| d.id.clone()).zip(c.stories).collect())
}

/// The `stories` benchmark.
pub fn score_stories(data: &Path, split: Option<&str>) -> Result<StoriesReport, EvalError> {
    let gold = gold_subtopics(data)?;
    if let Some(s) = split {
        if !gold.values().any(|(_, sp)| sp == s) {
            return Err(EvalError::NothingToScore {
                path: data.join("gold/doc_clusters.tsv"),
                reason: format!("no document of split {s:?}"),
            });
        }
    }
    let t = Instant::now();
    let docs = annotate_ecbplus(data)?;
    let annotate_seconds = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let profiles: Vec<DocProfile> = docs.iter().map(DocProfile::of).collect();
    let c = cluster_profiles(&profiles, StoryParams::default());
    let cluster_seconds = t.elapsed().as_secs_f64();
    let ids: Vec<String> = docs.iter().map(|d| d.id.clone()).collect();
    let s = score_clustering(&ids, &c.stories, &gold, split);
    if s.documents == 0 {
        return Err(EvalError::NothingToScore {
            path: data.to_path_buf(),
            reason: "no clustered document is in gold/doc_clusters.tsv".into(),
        });
    }
    Ok(StoriesReport {
        b3_f1: s.b3_f1,
        b3_precision: s.b3_precision,
        b3_recall: s.b3_recall,
        ari: s.ari,
        clusters_predicted: s.clusters_predicted,
        clusters_gold: s.clusters_gold,
        documents_scored: s.documents,
        documents_clustered: docs.len(),
        split: split.unwrap_or("all").to_string(),
        order: ORDER.to_string(),
        annotate_seconds,
        cluster_seconds,
        cap_hits: c.cap_hits,
        merges: c.merges,
        diagnostics: s.diagnostics,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_a_clustering_against_subtopics() {
        let gold: BTreeMap<String, (String, String)> = [
            ("a", "1ecb", "dev"),
            ("b", "1ecb", "dev"),
            ("c", "1ecbplus", "dev"),
            ("d", "2ecb", "train"),
        ]
        .iter()
        .map(|(d, s, sp)| (d.to_string(), (s.to_string(), sp.to_string())))
        .collect();
        let ids: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
        let pred: Vec<String> = ["x", "x", "y", "x"].iter().map(|s| s.to_string()).collect();
        let s = score_clustering(&ids, &pred, &gold, Some("dev"));
        assert_eq!(
            (s.clusters_predicted, s.clusters_gold, s.documents),
            (2, 2, 3)
        );
        assert!((s.b3_f1 - 1.0).abs() < 1e-9 && (s.ari - 1.0).abs() < 1e-9);
        assert!(s.diagnostics.is_empty());
        let s = score_clustering(&ids, &pred, &gold, None);
        let (p, r) = (s.b3_precision, s.b3_recall);
        // d joins a and b's story: precision falls (a, b, d: 2/3 each), recall stays 1.
        assert!(p < 1.0 && (r - 1.0).abs() < 1e-9);
    }
}
