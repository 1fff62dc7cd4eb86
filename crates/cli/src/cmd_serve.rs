//! `chronicle serve`: the JSON API and the web UI over HTTP (`chronicle-server`).

use chronicle_server::{Limits, ServeSettings};
use chronicle_store::Location;
use std::net::SocketAddr;
use std::process::ExitCode;

pub fn run(
    db: &Location,
    bind: SocketAddr,
    openapi: bool,
    cache_mb: usize,
    warm: usize,
) -> anyhow::Result<ExitCode> {
    if openapi {
        crate::outln!(
            "{}",
            serde_json::to_string_pretty(&chronicle_server::openapi_document())?
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    if db.file().is_some_and(|p| !p.is_file()) {
        anyhow::bail!(
            "database {} does not exist; run `chronicle ingest` first (or pass --db)",
            db.display()
        );
    }
    if !bind.ip().is_loopback() {
        eprintln!(
            "warning: listening on {bind}, reachable from other machines: the record is served to anyone who can connect (no authentication)"
        );
    }
    let settings = ServeSettings {
        db: db.clone(),
        bind,
        limits: Limits {
            cache_bytes: cache_mb.saturating_mul(1024 * 1024),
            warm_stories: warm,
            ..Limits::default()
        },
    };
    eprintln!(
        "serving {} on http://{bind}/ (API: http://{bind}/api/v1/openapi.json); Ctrl-C stops",
        db.display()
    );
    chronicle_server::serve_blocking(settings)?;
    eprintln!("stopped");
    Ok(ExitCode::SUCCESS)
}
