//! Scores a NER model, optionally writing gold and predicted IOB2 for an
//! external scorer (seqeval), and measures tagging speed.
//!
//! cargo run --release -p chronicle-ner --example eval_ner -- --model models/ner.v1.bin.zst \
//!   --iob2 ../shared/data/uner-ewt/en_ewt-ud-dev.iob2 [--meantime DIR] [--dump FILE] [--speed]

use chronicle_ner::{
    evaluate_ner, evaluate_ner_documents, evaluate_ner_partial, examples_from_iob2,
    load_meantime_docs, spans_to_iob2, NerExample, NerModel,
};
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut model_path: Option<PathBuf> = None;
    let mut gold: Vec<NerExample> = Vec::new();
    let mut docs: Vec<Vec<NerExample>> = Vec::new();
    let mut dump: Option<PathBuf> = None;
    let mut speed = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--model" => model_path = Some(val()?.into()),
            "--iob2" => gold.extend(examples_from_iob2(&chronicle_formats::read_iob2_file(
                &PathBuf::from(val()?),
            )?)?),
            "--meantime" => {
                let d = load_meantime_docs(&PathBuf::from(val()?))?;
                gold.extend(d.iter().flatten().cloned());
                docs.extend(d);
            }
            "--dump" => dump = Some(val()?.into()),
            "--speed" => speed = true,
            "--speed-features" => {
                speed = true;
                std::env::set_var("NER_BENCH_FEATURES", "1");
            }
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let model = NerModel::from_bytes(&std::fs::read(
        model_path.ok_or("--model FILE is required")?,
    )?)?;
    let scores = evaluate_ner(&model, &gold);
    let partial = evaluate_ner_partial(&model, &gold);
    let mut report = serde_json::json!({"strict": scores, "partial": partial});
    if !docs.is_empty() {
        report["document_strict"] =
            serde_json::to_value(evaluate_ner_documents(&model, &docs, false))?;
        report["document_partial"] =
            serde_json::to_value(evaluate_ner_documents(&model, &docs, true))?;
    }
    println!("{}", serde_json::to_string_pretty(&report)?);
    if let Some(path) = dump {
        // token \t unannotated? \t gold \t predicted, blank line between sentences.
        let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
        for ex in &gold {
            let words: Vec<&str> = ex.tokens.iter().map(String::as_str).collect();
            let pred = spans_to_iob2(words.len(), &model.tag(&words));
            for (k, ((w, g), p)) in words.iter().zip(ex.to_iob2()).zip(pred).enumerate() {
                // The unannotated flag goes first so that scorers reading the
                // last two columns (gold, predicted) are unaffected.
                let unannotated = ex.ignore.get(k).copied().unwrap_or(false);
                writeln!(f, "{w}\t{}\t{g}\t{p}", if unannotated { "?" } else { "-" })?;
            }
            writeln!(f)?;
        }
    }
    if speed {
        // CPU time of this thread, so other processes on a shared machine do
        // not distort the figure (Linux; falls back to wall time elsewhere).
        fn cpu_ns() -> Option<u64> {
            let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
            s.split_whitespace().next()?.parse().ok()
        }
        let sents: Vec<Vec<&str>> = gold
            .iter()
            .map(|e| e.tokens.iter().map(String::as_str).collect())
            .collect();
        let words: usize = sents.iter().map(Vec::len).sum();
        let mut best = f64::MAX;
        let mut best_cpu = f64::MAX;
        let mut found = 0usize;
        for _ in 0..10 {
            let t0 = Instant::now();
            let c0 = cpu_ns();
            let features_only = std::env::var_os("NER_BENCH_FEATURES").is_some();
            for s in &sents {
                found += if features_only {
                    model.bench_features(s)
                } else {
                    model.tag(s).len()
                };
            }
            best = best.min(t0.elapsed().as_secs_f64());
            if let (Some(a), Some(b)) = (c0, cpu_ns()) {
                best_cpu = best_cpu.min((b - a) as f64 / 1e9);
            }
        }
        eprintln!(
            "speed: {words} words; wall {:.0} words/s, thread CPU {:.0} words/s (single thread, best of 10; {found} spans)",
            words as f64 / best,
            words as f64 / best_cpu
        );
    }
    Ok(())
}
