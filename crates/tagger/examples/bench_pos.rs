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
    let rounds = 10;
    let cpu0 = cpu_seconds();
    let t = Instant::now();
    for _ in 0..rounds {
        for s in &sents {
            sink += model.tag(s).iter().map(|t| t.lemma.len()).sum::<usize>();
        }
    }
    let secs = t.elapsed().as_secs_f64();
    let cpu = cpu_seconds().map(|c| c - cpu0.unwrap_or(0.0));
    println!(
        "{} words x {rounds}: wall {secs:.3}s = {:.0} words/s; cpu {} (checksum {sink})",
        words,
        (words * rounds) as f64 / secs,
        cpu.map_or("n/a".into(), |c| format!(
            "{c:.2}s = {:.0} words/cpu-s",
            (words * rounds) as f64 / c
        ))
    );
    Ok(())
}

/// User+system CPU time of this process (Linux), so the figure holds even when
/// other jobs share the cores and stretch wall time.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}
