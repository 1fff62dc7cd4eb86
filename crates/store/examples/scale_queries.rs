//! Latency of a dyad's events in a month, on any store (a SQLite file or a
//! PostgreSQL URL): `cargo run --release -p chronicle-store --example
//! scale_queries -- DB [RUNS] [DYADS] [MONTHS]`, DYADS as `SYR,USA;RUS,SYR`,
//! MONTHS as `2017-04,2016-12`. Each (dyad, month) is asked RUNS times in
//! turn through the `Store` trait (`EventFilter` with `actor` and `other`, the
//! dyad narrowed by the store, then each row's codes tested as the API's
//! `pair` filter does); p50/p95/max over every answer. A benchmark, not a test.

use chronicle_store::{EventFilter, Location};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(db) = args.next() else {
        eprintln!("usage: scale_queries DB [RUNS] [DYADS] [MONTHS]");
        std::process::exit(2);
    };
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(20);
    // `CHRONICLE_DYAD_IN_RUST=1`: the store narrows to one side only and the
    // pair is tested here (how the API asked before `EventFilter::other`).
    let pushed = std::env::var_os("CHRONICLE_DYAD_IN_RUST").is_none();
    let dyads: Vec<(String, String)> = args
        .next()
        .unwrap_or_else(|| "SYR,USA;RUS,SYR;SYR,TUR;YEM,SAU;IRQ,USA;LBY,EGY".into())
        .split(';')
        .filter_map(|d| {
            d.split_once(',')
                .map(|(a, b)| (a.to_string(), b.to_string()))
        })
        .collect();
    let months: Vec<String> = args
        .next()
        .unwrap_or_else(|| "2016-12,2017-04,2017-10,2018-06".into())
        .split(',')
        .map(String::from)
        .collect();
    let store = match Location::parse(db.as_str()).open_read_only() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let total = store
        .events(&EventFilter::default())
        .map(|e| e.len())
        .unwrap_or(0);
    println!(
        "{} documents, {total} events; {} dyads x {} months, {runs} runs each",
        store.count().unwrap_or(0),
        dyads.len(),
        months.len()
    );
    let mut times = Vec::new();
    let mut rows = 0;
    for _ in 0..runs {
        for (a, b) in &dyads {
            for m in &months {
                let t = Instant::now();
                let found = store
                    .events(&EventFilter {
                        actor: Some(a.clone()),
                        other: pushed.then(|| b.clone()),
                        from: Some(m.clone()),
                        to: Some(m.clone()),
                        ..Default::default()
                    })
                    .unwrap_or_default();
                let pair = found
                    .iter()
                    .filter(|e| {
                        let (s, t) = (
                            e.source_code.as_deref().unwrap_or(""),
                            e.target_code.as_deref().unwrap_or(""),
                        );
                        (s.starts_with(a.as_str()) && t.starts_with(b.as_str()))
                            || (s.starts_with(b.as_str()) && t.starts_with(a.as_str()))
                    })
                    .count();
                times.push(t.elapsed().as_secs_f64() * 1000.0);
                rows += pair;
            }
        }
    }
    times.sort_by(f64::total_cmp);
    let at = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    println!(
        "dyad-month events: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms over {} queries ({} dyad rows per run)",
        at(0.5),
        at(0.95),
        at(1.0),
        times.len(),
        rows / runs.max(1)
    );
}
