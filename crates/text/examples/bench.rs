//! Throughput of `segment` on real text, single thread:
//!
//! cargo run --release -p chronicle-text --example bench -- FILE...
//!
//! The files are concatenated (blank line between) and repeated to at least
//! 20 MB. Reported per article-sized call (how the pipeline uses it) and as one
//! 20 MB call, in wall-clock time (best of three) and in process CPU time, which
//! stays meaningful when other jobs share the cores.

use chronicle_text::Segmenter;
use std::time::Instant;

/// User + system CPU seconds of this process (Linux; `None` elsewhere).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are the
    // 12th and 13th of those, in clock ticks (100 per second on Linux).
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn measure<T>(mut run: impl FnMut() -> T) -> (T, f64, Option<f64>) {
    let mut best = f64::MAX;
    let mut best_cpu: Option<f64> = None;
    let mut out = run();
    for _ in 0..3 {
        let cpu0 = cpu_seconds();
        let t = Instant::now();
        out = run();
        best = best.min(t.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (cpu0, cpu_seconds()) {
            best_cpu = Some(best_cpu.map_or(b - a, |c: f64| c.min(b - a)));
        }
    }
    (out, best, best_cpu)
}

fn report(label: &str, tokens: usize, bytes: usize, wall: f64, cpu: Option<f64>) {
    print!(
        "{label}: {:.2} M tokens/s, {:.1} MB/s wall",
        tokens as f64 / wall / 1e6,
        bytes as f64 / wall / 1e6
    );
    match cpu {
        Some(c) if c > 0.0 => println!(
            "; {:.2} M tokens/s, {:.1} MB/s per CPU second",
            tokens as f64 / c / 1e6,
            bytes as f64 / c / 1e6
        ),
        _ => println!(),
    }
}

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

    // Article-sized calls: pieces of at least 2 kB cut at line ends.
    let mut docs = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices('\n') {
        if i - start >= 2000 {
            docs.push(&text[start..i]);
            start = i + 1;
        }
    }
    docs.push(&text[start..]);
    let (tokens, wall, cpu) = measure(|| {
        docs.iter()
            .map(|d| seg.segment(d).tokens.len())
            .sum::<usize>()
    });
    report(
        &format!("segment per document ({} docs)", docs.len()),
        tokens,
        text.len(),
        wall,
        cpu,
    );
    let (out, wall, cpu) = measure(|| seg.segment(&text));
    report(
        &format!(
            "segment whole {:.1} MB ({} sentences)",
            text.len() as f64 / 1e6,
            out.sentences.len()
        ),
        out.tokens.len(),
        text.len(),
        wall,
        cpu,
    );
    let (n, wall, cpu) = measure(|| chronicle_text::tokenize(&text).len());
    report("tokenize only", n, text.len(), wall, cpu);
    Ok(())
}
