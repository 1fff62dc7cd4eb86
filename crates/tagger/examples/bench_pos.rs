//! Tagging + lemmatization throughput on one thread over a CoNLL-U file's
//! gold tokens: cargo run --release -p chronicle-tagger --example bench_pos -- MODEL FILE.conllu

use chronicle_formats::read_conllu_file;
use chronicle_tagger::PosModel;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [model, data] = args.as_slice() else {
        return Err("usage: bench_pos MODEL FILE.conllu".into());
    };
    let t = Instant::now();
    let model = PosModel::from_bytes(&std::fs::read(model)?)?;
    eprintln!("model loaded in {:.0} ms", t.elapsed().as_secs_f64() * 1e3);
    let sents = read_conllu_file(std::path::Path::new(data))?;
    let sents: Vec<Vec<&str>> = sents
        .iter()
        .map(|s| s.words.iter().map(|w| w.form.as_str()).collect())
        .collect();
    let words: usize = sents.iter().map(Vec::len).sum();
    // Warm-up pass, then timed passes.
    let mut sink = 0usize;
    for s in &sents {
        sink += model.tag(s).len();
    }
    let rounds = 20;
    let t = Instant::now();
    let mut best_cpu = f64::INFINITY;
    let mut total_cpu = 0.0;
    for _ in 0..rounds {
        let c0 = cpu_seconds();
        for s in &sents {
            sink += model.tag(s).iter().map(|t| t.lemma.len()).sum::<usize>();
        }
        if let (Some(a), Some(b)) = (c0, cpu_seconds()) {
            best_cpu = best_cpu.min(b - a);
            total_cpu += b - a;
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{words} words x {rounds}: wall {secs:.3}s = {:.0} words/s; on-CPU {total_cpu:.3}s = {:.0} words/cpu-s (best round {:.0}) (checksum {sink})",
        (words * rounds) as f64 / secs,
        (words * rounds) as f64 / total_cpu,
        words as f64 / best_cpu,
    );
    Ok(())
}

/// Nanosecond on-CPU time of this thread (Linux schedstat), so the figure holds
/// even when other jobs share the cores and stretch wall time.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}
