//! Tunes the story settings on ECB+ train topics and reports dev beside them (never
//! chosen on dev). Annotates once and keeps the profiles in a cache file outside the
//! repository. Usage: `cargo run --release -p chronicle-eval --example tune_stories --
//! ../shared/data/ecbplus /tmp/ecb_profiles.json`

use chronicle_eval::stories::{
    annotate_ecbplus, cluster_profiles, gold_subtopics, score_clustering,
};
use chronicle_link::stories::{DocProfile, StoryParams};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let data = PathBuf::from(args.get(1).ok_or("usage: tune_stories DATA CACHE")?);
    let cache = PathBuf::from(args.get(2).ok_or("usage: tune_stories DATA CACHE")?);
    let profiles: Vec<DocProfile> = if cache.exists() {
        serde_json::from_slice(&std::fs::read(&cache)?)?
    } else {
        let t = std::time::Instant::now();
        let docs = annotate_ecbplus(&data)?;
        eprintln!(
            "annotated {} documents in {:.1}s",
            docs.len(),
            t.elapsed().as_secs_f64()
        );
        let p: Vec<DocProfile> = docs.iter().map(DocProfile::of).collect();
        std::fs::write(&cache, serde_json::to_vec(&p)?)?;
        p
    };
    let gold = gold_subtopics(&data)?;
    let ids: Vec<String> = profiles.iter().map(|p| p.doc_id.clone()).collect();
    let joins: Vec<f32> = std::env::var("JOINS")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.parse().ok()).collect())
        .unwrap_or_else(|| (8..=40).step_by(2).map(|x| x as f32 / 100.0).collect());
    let merges: Vec<f32> = std::env::var("MERGES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.parse().ok()).collect())
        .unwrap_or_else(|| vec![0.4, 0.5, 0.6, 2.0]);
    let windows: Vec<i64> = std::env::var("WINDOWS")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.parse().ok()).collect())
        .unwrap_or_else(|| vec![StoryParams::default().window_days]);
    println!("window  join  merge  train_b3  train_ari  k_train  dev_b3  dev_ari  k_dev");
    for &window_days in &windows {
        for &join_threshold in &joins {
            for &merge_threshold in &merges {
                let params = StoryParams {
                    join_threshold,
                    merge_threshold,
                    window_days,
                };
                let c = cluster_profiles(&profiles, params);
                let tr = score_clustering(&ids, &c.stories, &gold, Some("train"));
                let dv = score_clustering(&ids, &c.stories, &gold, Some("dev"));
                println!(
                "{window_days}  {join_threshold:.2}  {merge_threshold:.2}  {:.4}({:.3}/{:.3})  {:.4}  {}/{}  {:.4}({:.3}/{:.3})  {:.4}  {}/{}",
                tr.b3_f1, tr.b3_precision, tr.b3_recall, tr.ari, tr.clusters_predicted, tr.clusters_gold,
                dv.b3_f1, dv.b3_precision, dv.b3_recall, dv.ari, dv.clusters_predicted, dv.clusters_gold
            );
                if std::env::var_os("VERBOSE").is_some() {
                    for d in tr.diagnostics.iter().chain(&dv.diagnostics) {
                        println!("  {d}");
                    }
                }
            }
        }
    }
    Ok(())
}
