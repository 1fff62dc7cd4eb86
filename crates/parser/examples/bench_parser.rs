//! Single-thread parsing throughput on pre-tokenised, pre-tagged sentences.
//!
//! cargo run --release -p chronicle-parser --example bench_parser -- MODEL DEV.conllu [ROUNDS]

use chronicle_formats::read_conllu_file;
use chronicle_parser::ParserModel;
use std::time::Instant;

/// User+system CPU seconds of this process, so the figure is not distorted by
/// other jobs competing for the cores (Linux only; 0 elsewhere).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the parenthesised command name; utime and stime are 14 and 15.
    let rest = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let model_path = args.get(1).ok_or("MODEL required")?;
    let dev_path = args.get(2).ok_or("DEV.conllu required")?;
    let rounds: usize = args.get(3).map_or(Ok(5), |s| s.parse())?;
    let t = Instant::now();
    let model = ParserModel::from_bytes(&std::fs::read(model_path)?)?;
    eprintln!("loaded in {:.2}s", t.elapsed().as_secs_f64());
    let dev = read_conllu_file(dev_path.as_ref())?;
    let sents: Vec<(Vec<&str>, Vec<&str>, Vec<&str>)> = dev
        .iter()
        .map(|s| {
            (
                s.words.iter().map(|w| w.form.as_str()).collect(),
                s.words.iter().map(|w| w.upos.as_str()).collect(),
                s.words.iter().map(|w| w.xpos.as_str()).collect(),
            )
        })
        .collect();
    let words: usize = sents.iter().map(|s| s.0.len()).sum();
    let mut best = f64::MAX;
    let mut heads = 0usize;
    let cpu0 = cpu_seconds();
    for _ in 0..rounds {
        let t = Instant::now();
        for (w, u, x) in &sents {
            heads += model.parse(w, u, x).iter().map(|a| a.head).sum::<usize>();
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    let cpu = cpu_seconds() - cpu0;
    println!(
        "{words} words; best of {rounds}: {:.3}s wall = {:.0} words/s; CPU time over all rounds: {:.0} words/s (checksum {heads})",
        best,
        words as f64 / best,
        (words * rounds) as f64 / cpu.max(1e-9)
    );
    Ok(())
}
