//! The web UI's pages through the whole router, without a browser: what every
//! reader gets before any script runs (the server renders the content), the
//! headers, the evidence links, and the answers to bad input.

mod support;

use axum::http::StatusCode;
use chronicle_store::{SqliteStore, Store, StoryFilter};
use support::{body_bytes, corpus_db, get};

async fn page(uri: &str, status: StatusCode) -> String {
    let resp = get(uri).await;
    assert_eq!(resp.status(), status, "{uri}");
    let headers = resp.headers().clone();
    let body = String::from_utf8(body_bytes(resp).await).expect("UTF-8 page");
    if status == StatusCode::OK {
        let ct = headers["content-type"].to_str().unwrap_or_default();
        assert!(ct.starts_with("text/html"), "{uri}: {ct}");
    }
    let csp = headers["content-security-policy"]
        .to_str()
        .unwrap_or_default();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{uri}: {csp}"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff", "{uri}");
    // Nothing inline that the CSP would refuse.
    assert!(
        !body.contains("<script>") && !body.contains(" style=") && !body.contains(" onclick="),
        "{uri}"
    );
    body
}

fn ferry_story() -> String {
    let store = SqliteStore::open_read_only(corpus_db()).expect("the corpus store");
    store
        .stories(&StoryFilter::default())
        .expect("stories")
        .into_iter()
        .find(|s| s.label.starts_with("Ferry toll"))
        .expect("the ferry story")
        .id
}

/// `(document, start, end)` of every `/documents/ID#s=START-END` link.
fn evidence_links(html: &str) -> Vec<(String, usize, usize)> {
    html.split("href=\"/documents/")
        .skip(1)
        .filter_map(|rest| {
            let href = &rest[..rest.find('"')?];
            let (doc, span) = href.split_once("#s=")?;
            let span = span.split('&').next()?;
            let (s, e) = span.split_once('-')?;
            Some((doc.to_string(), s.parse().ok()?, e.parse().ok()?))
        })
        .collect()
}

#[tokio::test]
async fn the_story_page_is_whole_without_script() {
    let id = ferry_story();
    let html = page(&format!("/stories/{id}"), StatusCode::OK).await;
    for want in [
        "Timeline",
        "Disagreements",
        "Quotes by speaker",
        "Top actors",
        "What changed since",
    ] {
        assert!(html.contains(want), "{want}");
    }
    // Both tolls, each with its outlet.
    let panel = &html[html.find("id=\"disagreements\"").expect("the panel")..];
    let panel = &panel[..panel.find("</section>").unwrap_or(panel.len())];
    for want in [">34<", ">41<", "Northgate Herald", "Harbour Post"] {
        assert!(panel.contains(want), "{want} in {panel}");
    }
    // Every evidence link names a span of its document, on char boundaries.
    let links = evidence_links(&html);
    assert!(links.len() >= 5, "{links:?}");
    let store = SqliteStore::open_read_only(corpus_db()).unwrap();
    for (doc, s, e) in links {
        let d = store
            .get(&doc)
            .unwrap()
            .unwrap_or_else(|| panic!("document {doc}"));
        assert!(s < e && d.text.get(s..e).is_some(), "{doc}#s={s}-{e}");
    }
}

#[tokio::test]
async fn the_document_page_marks_every_annotation() {
    let id = ferry_story();
    let store = SqliteStore::open_read_only(corpus_db()).unwrap();
    let doc_id = store.story_documents(&id, None).unwrap()[0].doc_id.clone();
    let doc = store.get(&doc_id).unwrap().unwrap();
    let html = page(&format!("/documents/{doc_id}"), StatusCode::OK).await;
    let layers = doc.entities.len()
        + doc.times.len()
        + doc.quotes.len()
        + doc.events.len()
        + doc.claims.len();
    assert!(layers > 0);
    let listed = html.matches("<li id=\"a-").count();
    assert_eq!(listed, layers, "one entry per annotation");
    assert!(html.contains("class=\"a ") && html.contains("k-claim") && html.contains("k-event"));
    // A short prefix of the id answers too.
    page(&format!("/documents/{}", &doc_id[..10]), StatusCode::OK).await;
}

#[tokio::test]
async fn the_list_search_and_actor_pages() {
    let all = page("/", StatusCode::OK).await;
    assert!(all.contains("Ferry toll") && all.contains("Border town of Kellow"));
    let later = page("/stories?from=2025-03-10", StatusCode::OK).await;
    assert!(later.contains("Ferry toll") && !later.contains("Border town of Kellow"));
    let by_actor = page("/stories?q=Zolotar", StatusCode::OK).await;
    assert!(by_actor.contains("Ferry toll") && !by_actor.contains("Border town of Kellow"));
    let one = page("/search?q=ferry&per=1", StatusCode::OK).await;
    assert!(one.contains("rel=\"next\"") && one.contains("<mark>"));
    let two = page("/search?q=ferry&per=1&page=2", StatusCode::OK).await;
    assert!(two.contains("rel=\"prev\""));
    let actor = page("/actor?name=Zolotar", StatusCode::OK).await;
    assert!(actor.contains("Roles over time") && actor.contains("Timeline"));
    page("/actor?code=COP", StatusCode::OK).await;
    let since = page(
        &format!("/stories/{}?since=2025-03-10", ferry_story()),
        StatusCode::OK,
    )
    .await;
    assert!(since.contains("id=\"since-summary\""));
}

#[tokio::test]
async fn bad_input_is_a_page_naming_the_parameter() {
    for (uri, param) in [
        ("/stories?from=2025-13-01", "from"),
        ("/stories?to=yesterday", "to"),
        ("/stories?page=0", "page"),
        ("/search?q=x&per=1000", "per"),
        ("/stories/story-1fca2917?since=2025-02-30", "since"),
        ("/documents/..%2F..%2Fetc", "id"),
        ("/actor?code=rus;drop", "code"),
        ("/actor", "name"),
    ] {
        let html = page(uri, StatusCode::BAD_REQUEST).await;
        assert!(
            html.contains(&format!("<code>{param}</code>")),
            "{uri}: {html}"
        );
    }
    page("/stories/story-00000000", StatusCode::NOT_FOUND).await;
    page("/documents/0000000000", StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn assets_are_embedded_and_nothing_else_is_served() {
    for (uri, ct) in [
        ("/assets/app.v1.css", "text/css"),
        ("/assets/app.v1.js", "text/javascript"),
        ("/assets/favicon.v1.svg", "image/svg+xml"),
    ] {
        let resp = get(uri).await;
        assert_eq!(resp.status(), StatusCode::OK, "{uri}");
        assert!(
            resp.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with(ct),
            "{uri}"
        );
    }
    for uri in [
        "/assets/..%2FCargo.toml",
        "/assets/%2e%2e%2fsrc%2flib.rs",
        "/assets/../Cargo.toml",
        "/assets/app.css",
        "/assets//etc/passwd",
    ] {
        let status = get(uri).await.status();
        assert!(
            status == StatusCode::NOT_FOUND || status == StatusCode::BAD_REQUEST,
            "{uri}: {status}"
        );
    }
}

/// How long the pages take on a large store (not a check: run by hand with
/// `CHRONICLE_UI_DB=big.db cargo test --release -p chronicle-server --test
/// browser_pages -- --ignored --nocapture`): the largest story, its first
/// document, the story list and a search, each the median of 5.
#[tokio::test]
#[ignore]
async fn page_times_on_a_large_store() {
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;
    let Some(db) = std::env::var_os("CHRONICLE_UI_DB") else {
        eprintln!("set CHRONICLE_UI_DB to a database");
        return;
    };
    let db = std::path::PathBuf::from(db);
    let store = SqliteStore::open_read_only(&db).expect("the store");
    let big = store
        .stories(&StoryFilter::default())
        .unwrap()
        .into_iter()
        .max_by_key(|s| s.num_documents)
        .expect("a story");
    let doc = store.story_documents(&big.id, Some(1)).unwrap()[0]
        .doc_id
        .clone();
    let state = chronicle_server::AppState::open(&db, chronicle_server::Limits::default()).unwrap();
    let app = chronicle_server::router(state);
    for uri in [
        format!("/stories/{}", big.id),
        format!("/documents/{doc}"),
        "/".to_string(),
        "/search?q=ceasefire".to_string(),
    ] {
        let mut times = Vec::new();
        let mut bytes = 0;
        for _ in 0..5 {
            let started = std::time::Instant::now();
            let resp = app
                .clone()
                .oneshot(Request::get(&uri).body(Body::empty()).unwrap())
                .await
                .unwrap();
            assert_eq!(resp.status(), StatusCode::OK, "{uri}");
            bytes = body_bytes(resp).await.len();
            times.push(started.elapsed().as_secs_f64());
        }
        times.sort_by(f64::total_cmp);
        eprintln!(
            "{uri}: median {:.3} s, {bytes} bytes ({} documents in the story)",
            times[2], big.num_documents
        );
    }
}
