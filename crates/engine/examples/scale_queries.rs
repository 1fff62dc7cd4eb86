//! Latency of the three questions a reader asks of a big record, on any store
//! (a SQLite file or a PostgreSQL URL), computed as the API computes them
//! before its view cache (every answer here is computed afresh):
//!
//! ```text
//! cargo run --release -p chronicle-engine --example scale_queries -- DB [--runs N]
//!     [--dyads SYR,USA;RUS,SYR] [--months 2016-12,2017-04] [--stories N] [--skip-total]
//! ```
//!
//! - **dyad-month**: a dyad's events in a month (`Store::events` with `actor`
//!   and `other`, then each row's codes tested as the API's `pair` filter does);
//! - **actor-month timeline**: an actor's timeline over a month
//!   (`chronicle_engine::timeline`, as `GET /timeline?actor=&from=&to=`), for
//!   each side of each dyad;
//! - **story page**: `GET /stories/{id}`'s answer (`query::stories::story_detail`),
//!   for the N stories with the most documents and N spread over the rest.
//!
//! Each is asked RUNS times in turn; p50/p95/max over every answer, one JSON
//! line per question on stdout. A benchmark, not a test.

use chronicle_engine::query::{cameo_label, stories};
use chronicle_engine::timeline::{self, Party, TimelineQuery, TimelineSubject};
use chronicle_store::{EventFilter, Location, Store, StoryFilter};
use std::time::Instant;

struct Args {
    db: String,
    runs: usize,
    dyads: Vec<(String, String)>,
    months: Vec<String>,
    stories: usize,
    total: bool,
}

fn parse() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let mut a = Args {
        db: String::new(),
        runs: 5,
        dyads: pairs("SYR,USA;RUS,SYR;SYR,TUR;YEM,SAU;IRQ,USA;LBY,EGY"),
        months: list("2016-12,2017-04,2017-10,2018-06"),
        stories: 10,
        total: true,
    };
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--runs" => a.runs = value()?.parse().map_err(|e| format!("--runs: {e}"))?,
            "--dyads" => a.dyads = pairs(&value()?),
            "--months" => a.months = list(&value()?),
            "--stories" => a.stories = value()?.parse().map_err(|e| format!("--stories: {e}"))?,
            "--skip-total" => a.total = false,
            _ if a.db.is_empty() && !arg.starts_with("--") => a.db = arg,
            _ => return Err(format!("unexpected argument {arg}")),
        }
    }
    if a.db.is_empty() {
        return Err("usage: scale_queries DB [--runs N] [--dyads A,B;C,D] [--months YYYY-MM,…] [--stories N] [--skip-total]".into());
    }
    Ok(a)
}

fn pairs(s: &str) -> Vec<(String, String)> {
    s.split(';')
        .filter_map(|d| {
            d.split_once(',')
                .map(|(a, b)| (a.to_string(), b.to_string()))
        })
        .collect()
}

fn list(s: &str) -> Vec<String> {
    s.split(',').map(String::from).collect()
}

/// Milliseconds of each answer, and what the answers held.
struct Timed {
    name: &'static str,
    ms: Vec<f64>,
    rows: usize,
}

impl Timed {
    fn new(name: &'static str) -> Timed {
        Timed {
            name,
            ms: Vec::new(),
            rows: 0,
        }
    }

    fn time<T>(&mut self, f: impl FnOnce() -> T) -> T {
        let t = Instant::now();
        let out = f();
        self.ms.push(t.elapsed().as_secs_f64() * 1000.0);
        out
    }

    fn report(mut self, runs: usize) {
        if self.ms.is_empty() {
            return;
        }
        self.ms.sort_by(f64::total_cmp);
        let at = |p: f64| self.ms[((self.ms.len() - 1) as f64 * p).round() as usize];
        println!(
            "{}",
            serde_json::json!({
                "query": self.name,
                "answers": self.ms.len(),
                "p50_ms": round(at(0.5)),
                "p95_ms": round(at(0.95)),
                "max_ms": round(at(1.0)),
                "rows_per_run": self.rows / runs.max(1),
            })
        );
    }
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn main() {
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let store = match Location::parse(args.db.as_str()).open_read_only() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = run(store.as_ref(), &args) {
        eprintln!("{e}");
        std::process::exit(1);
    }
}

fn run(store: &dyn Store, args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let links = store.link_counts()?;
    println!(
        "{}",
        serde_json::json!({
            "documents": store.count()?,
            // Listing every event once is slow on a big store: --skip-total.
            "events": if args.total { Some(store.events(&EventFilter::default())?.len()) } else { None },
            "links": links,
        })
    );
    // The stories asked for: the biggest, then some spread over the rest.
    let all = store.stories(&StoryFilter::default())?;
    let mut by_size: Vec<&chronicle_store::StoryRow> = all.iter().collect();
    by_size.sort_by(|a, b| b.num_documents.cmp(&a.num_documents).then(a.id.cmp(&b.id)));
    let mut chosen: Vec<String> = by_size
        .iter()
        .take(args.stories)
        .map(|s| s.id.clone())
        .collect();
    let rest = &by_size[args.stories.min(by_size.len())..];
    if !rest.is_empty() && args.stories > 0 {
        let step = (rest.len() / args.stories).max(1);
        chosen.extend(
            rest.iter()
                .step_by(step)
                .take(args.stories)
                .map(|s| s.id.clone()),
        );
    }
    let size_of: std::collections::HashMap<&str, u64> = all
        .iter()
        .map(|s| (s.id.as_str(), s.num_documents))
        .collect();
    let mut sizes: Vec<u64> = chosen
        .iter()
        .filter_map(|id| size_of.get(id.as_str()).copied())
        .collect();
    sizes.sort_unstable();
    if !sizes.is_empty() {
        println!(
            "{}",
            serde_json::json!({
                "stories": all.len(),
                "story_pages_asked": sizes.len(),
                "their_documents": {"min": sizes[0], "median": sizes[sizes.len() / 2], "max": sizes[sizes.len() - 1]},
            })
        );
    }
    // Loads what answers load once per process (the code lists), untimed.
    if let Some(id) = chosen.first() {
        let _ = stories::resolve_story(store, id).and_then(|s| stories::story_detail(store, s));
    }
    let mut dyad = Timed::new("dyad-month events");
    let mut actor = Timed::new("actor-month timeline");
    let mut story = Timed::new("story page");
    for _ in 0..args.runs {
        for (a, b) in &args.dyads {
            for m in &args.months {
                let found = dyad.time(|| {
                    store.events(&EventFilter {
                        actor: Some(a.clone()),
                        other: Some(b.clone()),
                        from: Some(m.clone()),
                        to: Some(m.clone()),
                        ..Default::default()
                    })
                })?;
                dyad.rows += found
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
            }
        }
        for (a, _) in &args.dyads {
            for m in &args.months {
                let (from, to) = month_days(m);
                let t = actor.time(|| {
                    timeline::timeline(
                        store,
                        &TimelineQuery {
                            subject: TimelineSubject::Actor(Party::Code(a.clone())),
                            from: Some(from.clone()),
                            to: Some(to.clone()),
                        },
                        &cameo_label,
                    )
                })?;
                actor.rows += t.events.len() + t.undated.len();
            }
        }
        for id in &chosen {
            let detail = story.time(|| {
                stories::resolve_story(store, id).and_then(|s| stories::story_detail(store, s))
            })?;
            story.rows += serde_json::to_vec(&detail).map_or(0, |b| b.len()) / 1024;
        }
    }
    dyad.report(args.runs);
    actor.report(args.runs);
    story.report(args.runs);
    Ok(())
}

/// A month's first and last day, as the timeline's bounds take them.
fn month_days(month: &str) -> (String, String) {
    let last = match month.get(5..7) {
        Some("02") => {
            let year: i32 = month.get(..4).and_then(|y| y.parse().ok()).unwrap_or(1);
            if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 {
                29
            } else {
                28
            }
        }
        Some("04" | "06" | "09" | "11") => 30,
        _ => 31,
    };
    (format!("{month}-01"), format!("{month}-{last}"))
}
