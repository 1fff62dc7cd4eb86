//! Load benchmark of `chronicle serve` (issue 15): a bounded loop of concurrent
//! requests to a server on loopback, p50/p95/p99 latency and requests/s for the
//! story, timeline, events (a dyad's events in a month) and search endpoints.
//!
//! `cargo run --release -p chronicle-server --example load -- --db FILE|postgres://…
//! [--concurrency 8] [--requests 400] [--subjects 10] [--actors RUS,SYR,…] [--query WORD]
//! [--dyads SYR,USA;RUS,TUR] [--months 2017-04,2018-01]`
//!
//! The server runs in this process on an ephemeral loopback port (the same
//! router and pool as `chronicle serve`); the client is a minimal HTTP/1.1
//! keep-alive loop over tokio sockets, one connection per worker. Each
//! endpoint rotates over `--subjects` subjects: the stories with the most
//! documents among the newest fifty, or the actor codes given.
//!
//! Each endpoint is measured in three ways:
//! - `uncached`: a server whose view cache is off: every request reads the
//!   store (a first view, or any view while an ingest keeps committing);
//! - `uncached-1`: the same with one client at a time: the cost of one view;
//! - `cached`: the view cache on, starting empty, no warmer: the first
//!   request of each subject reads the store, the others are served from the
//!   cache while the store is unchanged (a server just started);
//! - `warmed`: `chronicle serve`'s defaults, once its warmer has computed the
//!   newest stories' views (`warm_seconds` after start): a server that has
//!   been up a while; timelines still start empty.

use chronicle_server::{serve_on, AppState, Limits};
use chronicle_store::Location;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

struct Args {
    db: PathBuf,
    concurrency: usize,
    requests: usize,
    subjects: usize,
    actors: Vec<String>,
    query: String,
    dyads: Vec<String>,
    months: Vec<String>,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        db: PathBuf::new(),
        concurrency: 8,
        requests: 400,
        subjects: 10,
        actors: "RUS,SYR,USA,TUR,IRN,GBR,FRA,ISR,IRQ,UKR"
            .split(',')
            .map(String::from)
            .collect(),
        query: "ceasefire".into(),
        dyads: vec!["SYR,USA".into(), "RUS,SYR".into(), "SYR,TUR".into()],
        months: vec!["2017-04".into(), "2016-12".into()],
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let v = it.next().ok_or(format!("{k} needs a value"))?;
        match k.as_str() {
            "--db" => a.db = PathBuf::from(v),
            "--concurrency" => a.concurrency = v.parse().map_err(|_| "--concurrency N")?,
            "--requests" => a.requests = v.parse().map_err(|_| "--requests N")?,
            "--subjects" => a.subjects = v.parse().map_err(|_| "--subjects N")?,
            "--actors" => a.actors = v.split(',').map(String::from).collect(),
            "--query" => a.query = v,
            "--dyads" => a.dyads = v.split(';').map(String::from).collect(),
            "--months" => a.months = v.split(',').map(String::from).collect(),
            other => return Err(format!("unknown option {other}")),
        }
    }
    if a.db.as_os_str().is_empty() {
        return Err("--db FILE is required".into());
    }
    a.subjects = a.subjects.max(1);
    Ok(a)
}

/// One GET on a kept-alive connection: status and body length.
async fn get(conn: &mut BufReader<TcpStream>, path: &str) -> std::io::Result<(u16, Vec<u8>)> {
    let req = format!("GET {path} HTTP/1.1\r\nHost: bench\r\nConnection: keep-alive\r\n\r\n");
    conn.get_mut().write_all(req.as_bytes()).await?;
    let mut line = String::new();
    conn.read_line(&mut line).await?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut len = 0usize;
    loop {
        line.clear();
        conn.read_line(&mut line).await?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                len = v.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; len];
    conn.read_exact(&mut body).await?;
    Ok((status, body))
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

/// `requests` GETs over `paths` (taken in turn) from `concurrency` workers.
async fn run_endpoint(
    addr: std::net::SocketAddr,
    paths: &[String],
    concurrency: usize,
    requests: usize,
) -> std::io::Result<serde_json::Value> {
    let started = Instant::now();
    let mut workers = Vec::new();
    for w in 0..concurrency {
        let paths = paths.to_vec();
        let n = requests / concurrency + usize::from(w < requests % concurrency);
        workers.push(tokio::spawn(async move {
            let mut conn = BufReader::new(TcpStream::connect(addr).await?);
            let mut lat = Vec::with_capacity(n);
            let mut errors = 0usize;
            for i in 0..n {
                let path = &paths[(w + i * concurrency) % paths.len()];
                let t = Instant::now();
                let (status, _) = get(&mut conn, path).await?;
                lat.push(t.elapsed());
                errors += usize::from(status != 200);
            }
            Ok::<_, std::io::Error>((lat, errors))
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for w in workers {
        let (lat, e) = w.await.map_err(std::io::Error::other)??;
        all.extend(lat);
        errors += e;
    }
    let wall = started.elapsed().as_secs_f64();
    all.sort();
    Ok(serde_json::json!({
        "path": paths.first().cloned().unwrap_or_default(),
        "subjects": paths.len(),
        "requests": all.len(),
        "non_200": errors,
        "concurrency": concurrency,
        "p50_ms": percentile(&all, 0.50),
        "p95_ms": percentile(&all, 0.95),
        "p99_ms": percentile(&all, 0.99),
        "max_ms": percentile(&all, 1.0),
        "requests_per_s": all.len() as f64 / wall,
    }))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a = args().map_err(|e| format!("{e}\nusage: load --db FILE [--concurrency N] [--requests N] [--subjects N] [--actors A,B] [--query WORD]"))?;
    let mut servers = Vec::new();
    // No cache; the cache starting empty with no warmer; `chronicle serve`'s
    // defaults (the warmer computes the newest stories first).
    let defaults = Limits::default();
    for (cache_bytes, warm_stories) in [
        (0, 0),
        (defaults.cache_bytes, 0),
        (defaults.cache_bytes, defaults.warm_stories),
    ] {
        let limits = Limits {
            connections: a.concurrency.max(1),
            cache_bytes,
            warm_stories,
            ..Limits::default()
        };
        let state = AppState::open_at(&Location::parse(&a.db), limits)?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let watch = state.clone();
        let server = tokio::spawn(serve_on(listener, state, async {
            let _ = stopped.await;
        }));
        servers.push((addr, stop, server, watch));
    }
    let (uncached, cached, warmed) = (servers[0].0, servers[1].0, servers[2].0);
    // The stories with the most documents among the newest fifty.
    let mut conn = BufReader::new(TcpStream::connect(uncached).await?);
    let (_, body) = get(&mut conn, "/api/v1/stories?limit=50").await?;
    let v: serde_json::Value = serde_json::from_slice(&body)?;
    let mut stories: Vec<(usize, String)> = v["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|s| {
                    Some((
                        s["documents"].as_array().map_or(0, Vec::len),
                        s["id"].as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    stories.sort_by(|x, y| y.cmp(x));
    stories.truncate(a.subjects);
    if stories.is_empty() {
        return Err("the store has no story".into());
    }
    let actors: Vec<&String> = a.actors.iter().take(a.subjects).collect();
    let classes: Vec<(&str, Vec<String>)> = vec![
        (
            "story",
            stories
                .iter()
                .map(|(_, id)| format!("/api/v1/stories/{id}"))
                .collect(),
        ),
        (
            "story timeline",
            stories
                .iter()
                .map(|(_, id)| format!("/api/v1/timeline?story={id}"))
                .collect(),
        ),
        (
            "actor timeline",
            actors
                .iter()
                .map(|c| format!("/api/v1/timeline?actor={c}"))
                .collect(),
        ),
        (
            "dyad month events",
            a.dyads
                .iter()
                .flat_map(|d| {
                    a.months
                        .iter()
                        .map(move |m| format!("/api/v1/events?pair={d}&from={m}&to={m}&limit=1000"))
                })
                .collect(),
        ),
        (
            "search",
            vec![format!("/api/v1/search?q={}&limit=20", a.query)],
        ),
    ];
    // The warmed server answers once its warmer has computed the newest
    // stories, as a server that has been up for a while does.
    let started = Instant::now();
    let mut warm_seconds = None;
    while started.elapsed() < Duration::from_secs(300) {
        if servers[2].3.warm_rounds() > 0 {
            warm_seconds = Some(started.elapsed().as_secs_f64());
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut results = Vec::new();
    for (name, paths) in &classes {
        // One pass fills the page cache and the pool (never the view cache
        // of the cached server, which starts empty).
        run_endpoint(
            uncached,
            paths,
            a.concurrency,
            paths.len().max(a.concurrency),
        )
        .await?;
        for (mode, addr, concurrency) in [
            ("uncached", uncached, a.concurrency),
            ("uncached-1", uncached, 1),
            ("cached", cached, a.concurrency),
            ("warmed", warmed, a.concurrency),
        ] {
            let requests = if concurrency == 1 {
                (a.requests / 4).max(paths.len())
            } else {
                a.requests
            };
            let mut r = run_endpoint(addr, paths, concurrency, requests).await?;
            r["endpoint"] = serde_json::json!(name);
            r["mode"] = serde_json::json!(mode);
            results.push(r);
        }
    }
    for (_, stop, server, _) in servers {
        let _ = stop.send(());
        server.await??;
    }
    println!(
        "{}",
        serde_json::to_string_pretty(&serde_json::json!({
            "db": a.db.display().to_string(),
            "stories": stories.iter().map(|(n, id)| serde_json::json!({"id": id, "documents": n})).collect::<Vec<_>>(),
            "actors": actors,
            "warm_seconds": warm_seconds,
            "endpoints": results,
        }))?
    );
    Ok(())
}
