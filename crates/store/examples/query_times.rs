//! Median time of the typed-row queries on a store:
//! `cargo run --release -p chronicle-store --example query_times -- DB [RUNS]`.
//! (A benchmark command, not a test: speed is shown, not asserted.)

use chronicle_store::{ClaimFilter, EventFilter, QuoteFilter, SqliteStore, Store};
use std::time::Instant;

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn time<T>(runs: usize, f: impl Fn() -> Vec<T>) -> (f64, usize) {
    let mut n = 0;
    let times = (0..runs)
        .map(|_| {
            let t = Instant::now();
            n = f().len();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    (median(times), n)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(db) = args.next() else {
        eprintln!("usage: query_times DB [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(11);
    let opened = match SqliteStore::open_read_only(std::path::Path::new(&db)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let store = &opened;
    println!(
        "{} documents; median of {runs} runs, store API, rows fully read",
        store.count().unwrap_or(0)
    );
    let report = |name: &str, (ms, rows): (f64, usize)| {
        println!("{name:<48} {ms:>8.1} ms  {rows:>7} rows");
    };
    let q = |f: QuoteFilter| move || store.quotes(&f).unwrap_or_default();
    let c = |f: ClaimFilter| move || store.claims(&f).unwrap_or_default();
    let e = |f: EventFilter| move || store.events(&f).unwrap_or_default();
    report(
        "quotes --limit 100",
        time(
            runs,
            q(QuoteFilter {
                limit: Some(100),
                ..Default::default()
            }),
        ),
    );
    report(
        "quotes --speaker assad",
        time(
            runs,
            q(QuoteFilter {
                speaker: Some("assad".into()),
                ..Default::default()
            }),
        ),
    );
    report(
        "quotes --from 2016-10 --to 2016-10",
        time(
            runs,
            q(QuoteFilter {
                from: Some("2016-10".into()),
                to: Some("2016-10".into()),
                ..Default::default()
            }),
        ),
    );
    report(
        "quotes --outlet ahram --kind direct",
        time(
            runs,
            q(QuoteFilter {
                outlet: Some("ahram".into()),
                kind: Some("direct".into()),
                ..Default::default()
            }),
        ),
    );
    report("quotes (all)", time(runs, q(QuoteFilter::default())));
    report(
        "claims --limit 100",
        time(
            runs,
            c(ClaimFilter {
                limit: Some(100),
                ..Default::default()
            }),
        ),
    );
    report(
        "claims --kind KILL",
        time(
            runs,
            c(ClaimFilter {
                kind: Some("KILL".into()),
                ..Default::default()
            }),
        ),
    );
    report(
        "claims --kind KILL --from 2017-04 --to 2017-04",
        time(
            runs,
            c(ClaimFilter {
                kind: Some("KILL".into()),
                from: Some("2017-04".into()),
                to: Some("2017-04".into()),
                ..Default::default()
            }),
        ),
    );
    report("claims (all)", time(runs, c(ClaimFilter::default())));
    report(
        "events --limit 100",
        time(
            runs,
            e(EventFilter {
                limit: Some(100),
                ..Default::default()
            }),
        ),
    );
    report(
        "events --actor SYR --code 19",
        time(
            runs,
            e(EventFilter {
                actor: Some("SYR".into()),
                code: Some("19".into()),
                ..Default::default()
            }),
        ),
    );
    report(
        "events --plover ASSAULT --from 2016-10 --to 2016",
        time(
            runs,
            e(EventFilter {
                plover_type: Some("ASSAULT".into()),
                from: Some("2016-10".into()),
                to: Some("2016".into()),
                ..Default::default()
            }),
        ),
    );
    report(
        "events --actor SYR --code 19 --limit 100",
        time(
            runs,
            e(EventFilter {
                actor: Some("SYR".into()),
                code: Some("19".into()),
                limit: Some(100),
                ..Default::default()
            }),
        ),
    );
    report(
        "events --plover ASSAULT --from 2016-10 --to 2016-10",
        time(
            runs,
            e(EventFilter {
                plover_type: Some("ASSAULT".into()),
                from: Some("2016-10".into()),
                to: Some("2016-10".into()),
                ..Default::default()
            }),
        ),
    );
    report("events (all)", time(runs, e(EventFilter::default())));
}
