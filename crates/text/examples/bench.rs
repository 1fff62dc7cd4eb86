//! Throughput of `segment` on real text, single thread:
//!
//! cargo run --release -p chronicle-text --example bench -- FILE...
//!
//! The files are concatenated (blank line between) and repeated to at least
//! 20 MB; the best of three runs is reported.

use chronicle_text::Segmenter;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut text = String::new();
    for path in std::env::args().skip(1) {
        text.push_str(&std::fs::read_to_string(&path)?);
        text.push_str("\n\n");
    }
    if text.trim().is_empty() {
        return Err("usage: bench FILE...".into());
    }
    let reps = (20_000_000 / text.len()).max(1);
    let text = text.repeat(reps);
    let seg = Segmenter::new();
    let mut best = f64::MAX;
    let mut tokens = 0;
    let mut sentences = 0;
    for _ in 0..3 {
        let t = Instant::now();
        let out = seg.segment(&text);
        best = best.min(t.elapsed().as_secs_f64());
        tokens = out.tokens.len();
        sentences = out.sentences.len();
    }
    // Pipeline use: one call per article (here per line, pieces of ≥ 2 kB),
    // reusing warm allocator memory instead of one 20 MB allocation.
    let mut docs = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices('\n') {
        if i - start >= 2000 {
            docs.push(&text[start..i]);
            start = i + 1;
        }
    }
    docs.push(&text[start..]);
    let t = Instant::now();
    let doc_tokens: usize = docs.iter().map(|d| seg.segment(d).tokens.len()).sum();
    let doc_secs = t.elapsed().as_secs_f64();
    println!(
        "per document ({} docs): {:.2} M tokens/s, {:.1} MB/s",
        docs.len(),
        doc_tokens as f64 / doc_secs / 1e6,
        text.len() as f64 / doc_secs / 1e6
    );
    let t = Instant::now();
    let raw = chronicle_text::tokenize(&text).len();
    let tok_secs = t.elapsed().as_secs_f64();
    println!(
        "tokenize alone: {:.2} M tokens/s",
        raw as f64 / tok_secs / 1e6
    );
    println!(
        "{:.1} MB, {tokens} tokens, {sentences} sentences in {best:.3}s: {:.2} M tokens/s, {:.1} MB/s",
        text.len() as f64 / 1e6,
        tokens as f64 / best / 1e6,
        text.len() as f64 / best / 1e6
    );
    Ok(())
}
