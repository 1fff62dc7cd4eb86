//! Load benchmark of `chronicle serve` (issue 15): a bounded loop of concurrent
//! requests to a server on loopback, p50/p95/p99 latency and requests/s for the
//! story, timeline and search endpoints.
//!
//! `cargo run --release -p chronicle-server --example load -- --db FILE
//! [--concurrency 8] [--requests 400] [--story ID] [--actor CODE] [--query WORD]`
//!
//! The server runs in this process on an ephemeral loopback port (the same
//! router and pool as `chronicle serve`); the client is a minimal HTTP/1.1
//! keep-alive loop over tokio sockets, one connection per worker.
//!
//! Each endpoint is measured twice: `uncached`, a server whose view cache is
//! off (every request reads the store: the cost of a first view, or of any
//! view while ingest keeps committing), and `cached`, `chronicle serve`'s
//! default (the same view asked again while the store is unchanged).

use chronicle_server::{serve_on, AppState, Limits};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

struct Args {
    db: PathBuf,
    concurrency: usize,
    requests: usize,
    story: Option<String>,
    actor: String,
    query: String,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        db: PathBuf::new(),
        concurrency: 8,
        requests: 400,
        story: None,
        actor: "RUS".into(),
        query: "ceasefire".into(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let v = it.next().ok_or(format!("{k} needs a value"))?;
        match k.as_str() {
            "--db" => a.db = PathBuf::from(v),
            "--concurrency" => a.concurrency = v.parse().map_err(|_| "--concurrency N")?,
            "--requests" => a.requests = v.parse().map_err(|_| "--requests N")?,
            "--story" => a.story = Some(v),
            "--actor" => a.actor = v,
            "--query" => a.query = v,
            other => return Err(format!("unknown option {other}")),
        }
    }
    if a.db.as_os_str().is_empty() {
        return Err("--db FILE is required".into());
    }
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

async fn run_endpoint(
    addr: std::net::SocketAddr,
    path: &str,
    concurrency: usize,
    requests: usize,
) -> std::io::Result<serde_json::Value> {
    let started = Instant::now();
    let mut workers = Vec::new();
    for w in 0..concurrency {
        let path = path.to_string();
        let n = requests / concurrency + usize::from(w < requests % concurrency);
        workers.push(tokio::spawn(async move {
            let mut conn = BufReader::new(TcpStream::connect(addr).await?);
            let mut lat = Vec::with_capacity(n);
            let mut errors = 0usize;
            for _ in 0..n {
                let t = Instant::now();
                let (status, _) = get(&mut conn, &path).await?;
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
        "path": path,
        "requests": all.len(),
        "non_200": errors,
        "concurrency": concurrency,
        "p50_ms": percentile(&all, 0.50),
        "p95_ms": percentile(&all, 0.95),
        "p99_ms": percentile(&all, 0.99),
        "requests_per_s": all.len() as f64 / wall,
    }))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a = args().map_err(|e| format!("{e}\nusage: load --db FILE [--concurrency N] [--requests N] [--story ID] [--actor CODE] [--query WORD]"))?;
    let mut servers = Vec::new();
    for cache_bytes in [0, Limits::default().cache_bytes] {
        let limits = Limits {
            connections: a.concurrency.max(1),
            cache_bytes,
            ..Limits::default()
        };
        let state = AppState::open(&a.db, limits)?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(serve_on(listener, state, async {
            let _ = stopped.await;
        }));
        servers.push((cache_bytes > 0, addr, stop, server));
    }
    let addr = servers[0].1;
    let story = match a.story.clone() {
        Some(s) => s,
        None => {
            // The story with the most documents among the first ten.
            let mut conn = BufReader::new(TcpStream::connect(addr).await?);
            let (_, body) = get(&mut conn, "/api/v1/stories?limit=10").await?;
            let v: serde_json::Value = serde_json::from_slice(&body)?;
            v["items"]
                .as_array()
                .and_then(|items| {
                    items
                        .iter()
                        .max_by_key(|s| s["documents"].as_array().map_or(0, Vec::len))
                })
                .and_then(|s| s["id"].as_str())
                .ok_or("the store has no story")?
                .to_string()
        }
    };
    let paths = [
        format!("/api/v1/stories/{story}"),
        format!("/api/v1/timeline?story={story}"),
        format!("/api/v1/timeline?actor={}", a.actor),
        format!("/api/v1/search?q={}&limit=20", a.query),
    ];
    let mut results = Vec::new();
    for p in &paths {
        for (cached, addr, _, _) in &servers {
            // One warm-up pass fills the page cache, the pool and (when on)
            // the view cache.
            run_endpoint(*addr, p, a.concurrency, a.concurrency).await?;
            let mut r = run_endpoint(*addr, p, a.concurrency, a.requests).await?;
            r["mode"] = serde_json::json!(if *cached { "cached" } else { "uncached" });
            results.push(r);
        }
    }
    for (_, _, stop, server) in servers {
        let _ = stop.send(());
        server.await??;
    }
    println!(
        "{}",
        serde_json::to_string_pretty(&serde_json::json!({
            "db": a.db.display().to_string(),
            "story": story,
            "endpoints": results,
        }))?
    );
    Ok(())
}
