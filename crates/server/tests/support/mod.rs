//! The test store: the example corpus (examples/corpus) ingested and linked
//! once per test binary into a temporary file, served by `router` in memory.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use chronicle_engine::{ingest_paths, IngestSettings};
use chronicle_server::{router, AppState, Limits};
use chronicle_store::SqliteStore;
use http_body_util::BodyExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tower::ServiceExt;

struct Fixture {
    _dir: tempfile::TempDir,
    db: PathBuf,
}

/// The database built from the example corpus (built on first use).
pub fn corpus_db() -> &'static Path {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    &FIXTURE
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            let db = dir.path().join("corpus.db");
            let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
            let mut store = SqliteStore::open(&db).expect("open store");
            ingest_paths(
                &mut store,
                &[corpus],
                &IngestSettings::default(),
                &mut |_| {},
            )
            .expect("ingest the example corpus");
            Fixture { _dir: dir, db }
        })
        .db
}

/// A writable copy of the test store (with its log), for tests that commit.
pub fn corpus_db_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("copy.db");
    std::fs::copy(corpus_db(), &db).expect("copy the test store");
    let wal = corpus_db().with_extension("db-wal");
    if wal.is_file() {
        std::fs::copy(&wal, db.with_extension("db-wal")).expect("copy its log");
    }
    (dir, db)
}

pub fn state() -> AppState {
    AppState::open(corpus_db(), Limits::default()).expect("open the test store read-only")
}

/// One GET through the whole router.
pub async fn get(uri: &str) -> Response<Body> {
    get_with(uri, &[]).await
}

pub async fn get_with(uri: &str, headers: &[(&str, &str)]) -> Response<Body> {
    let mut req = Request::get(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    router(state())
        .oneshot(req.body(Body::empty()).expect("request"))
        .await
        .expect("router answers")
}

pub async fn body_bytes(resp: Response<Body>) -> Vec<u8> {
    resp.into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec()
}

/// GET expecting `status` and a JSON body.
pub async fn json(uri: &str, status: StatusCode) -> serde_json::Value {
    let resp = get(uri).await;
    let got = resp.status();
    let bytes = body_bytes(resp).await;
    assert_eq!(
        got,
        status,
        "{uri}: {}",
        String::from_utf8_lossy(&bytes[..bytes.len().min(400)])
    );
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{uri}: not JSON: {e}"))
}

/// A 400 naming `parameter`.
pub async fn bad(uri: &str, parameter: &str) {
    let v = json(uri, StatusCode::BAD_REQUEST).await;
    assert_eq!(v["error"]["code"], "bad_parameter", "{uri}: {v}");
    assert_eq!(v["error"]["parameter"], parameter, "{uri}: {v}");
}
