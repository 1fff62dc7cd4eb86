//! The JSON API on the example corpus: every endpoint, bad input, paging,
//! headers, and the OpenAPI document.

mod support;

use axum::http::StatusCode;
use support::{bad, body_bytes, get, get_with, json};

#[tokio::test]
async fn documents_list_and_page() {
    let all = json("/api/v1/documents?limit=500", StatusCode::OK).await;
    let items = all["items"].as_array().expect("items");
    assert!(items.len() >= 10, "{}", items.len());
    assert!(all.get("next_cursor").is_none());
    // Page through two at a time: the same rows in the same order.
    let mut seen = Vec::new();
    let mut uri = "/api/v1/documents?limit=2".to_string();
    loop {
        let page = json(&uri, StatusCode::OK).await;
        let rows = page["items"].as_array().expect("items");
        assert!(rows.len() <= 2);
        seen.extend(rows.iter().map(|r| r["id"].clone()));
        match page["next_cursor"].as_str() {
            Some(c) => uri = format!("/api/v1/documents?limit=2&cursor={c}"),
            None => break,
        }
    }
    let ids: Vec<_> = items.iter().map(|r| r["id"].clone()).collect();
    assert_eq!(seen, ids);
}

#[tokio::test]
async fn documents_reject_bad_parameters() {
    bad("/api/v1/documents?from=2016-13", "from").await;
    bad("/api/v1/documents?to=yesterday", "to").await;
    bad("/api/v1/documents?from=2017&to=2016", "from").await;
    bad("/api/v1/documents?language=english", "language").await;
    bad("/api/v1/documents?limit=0", "limit").await;
    bad("/api/v1/documents?limit=100000", "limit").await;
    bad("/api/v1/documents?cursor=nonsense", "cursor").await;
    bad("/api/v1/documents?colour=red", "colour").await;
    // A cursor is tied to its query.
    let page = json("/api/v1/documents?limit=1", StatusCode::OK).await;
    let c = page["next_cursor"]
        .as_str()
        .expect("more than one document");
    bad(
        &format!("/api/v1/documents?limit=1&outlet=x&cursor={c}"),
        "cursor",
    )
    .await;
}

#[tokio::test]
async fn one_document_with_etag() {
    let list = json("/api/v1/documents?limit=1", StatusCode::OK).await;
    let id = list["items"][0]["id"].as_str().expect("id").to_string();
    let resp = get(&format!("/api/v1/documents/{}", &id[..10])).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let etag = resp.headers()["etag"].to_str().expect("etag").to_string();
    let v: serde_json::Value = serde_json::from_slice(&body_bytes(resp).await).expect("json");
    assert_eq!(v["document"]["id"], id.as_str());
    assert!(v["document"]["text"]
        .as_str()
        .is_some_and(|t| !t.is_empty()));
    let again = get_with(
        &format!("/api/v1/documents/{id}"),
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    let other = get_with(
        &format!("/api/v1/documents/{id}"),
        &[("if-none-match", "\"stale\"")],
    )
    .await;
    assert_eq!(other.status(), StatusCode::OK);
}

#[tokio::test]
async fn document_ids_are_checked() {
    bad("/api/v1/documents/..%2F..%2Fetc%2Fpasswd", "id").await;
    bad("/api/v1/documents/xyz", "id").await;
    let v = json("/api/v1/documents/0000000000", StatusCode::NOT_FOUND).await;
    assert_eq!(v["error"]["code"], "not_found");
}

#[tokio::test]
async fn unknown_paths_and_traversal_are_404s() {
    for uri in [
        "/api/v1/nothing",
        "/../../etc/passwd",
        "/api/v1/../../Cargo.toml",
        "/assets/../../../Cargo.toml",
        "/assets/%2e%2e/%2e%2e/Cargo.toml",
    ] {
        let resp = get(uri).await;
        assert!(
            resp.status() == StatusCode::NOT_FOUND || resp.status() == StatusCode::BAD_REQUEST,
            "{uri}: {}",
            resp.status()
        );
        let body = body_bytes(resp).await;
        assert!(
            !String::from_utf8_lossy(&body).contains("[package]"),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn security_headers_on_every_answer() {
    for uri in [
        "/api/v1/documents",
        "/api/v1/nothing",
        "/api/v1/openapi.json",
    ] {
        let resp = get(uri).await;
        let h = resp.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{uri}");
        assert_eq!(h["x-frame-options"], "DENY", "{uri}");
        let csp = h["content-security-policy"].to_str().expect("csp");
        assert!(csp.contains("default-src 'self'"), "{uri}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{uri}: {csp}");
    }
}

#[tokio::test]
async fn openapi_document_lists_every_route() {
    let doc = json("/api/v1/openapi.json", StatusCode::OK).await;
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().expect("paths");
    for p in [
        "/documents",
        "/documents/{id}",
        "/search",
        "/stories",
        "/stories/{id}",
        "/stories/{id}/disagreements",
        "/stories/{id}/digest",
        "/timeline",
        "/events",
        "/merged-events",
        "/actors",
        "/quotes",
        "/claims",
    ] {
        assert!(paths.contains_key(p), "{p} missing: {:?}", paths.keys());
    }
    // Every $ref resolves to a component.
    let text = doc.to_string();
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    for part in text.split("\"$ref\":\"").skip(1) {
        let target = part.split('"').next().unwrap_or_default();
        let name = target
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("ref outside components: {target}"));
        assert!(schemas.contains_key(name), "dangling ref {target}");
    }
}

/// Every listing's ids, following `next_cursor` pages of `limit` rows.
async fn all_pages(base: &str, limit: usize) -> Vec<serde_json::Value> {
    let sep = if base.contains('?') { '&' } else { '?' };
    let mut uri = format!("{base}{sep}limit={limit}");
    let mut out = Vec::new();
    loop {
        let page = json(&uri, StatusCode::OK).await;
        let rows = page["items"].as_array().expect("items").clone();
        assert!(rows.len() <= limit, "{uri}");
        out.extend(rows);
        match page["next_cursor"].as_str() {
            Some(c) => uri = format!("{base}{sep}limit={limit}&cursor={c}"),
            None => break,
        }
    }
    out
}

#[tokio::test]
async fn search_marks_hits_and_checks_syntax() {
    let v = json("/api/v1/search?q=ferry", StatusCode::OK).await;
    let items = v["items"].as_array().expect("items");
    assert!(!items.is_empty());
    assert!(
        items[0]["snippet"]
            .as_str()
            .is_some_and(|s| s.contains("[ferry]") || s.contains("[Ferry]")),
        "{v}"
    );
    assert_eq!(
        all_pages("/api/v1/search?q=ferry", 1).await.len(),
        items.len()
    );
    bad("/api/v1/search", "q").await;
    bad("/api/v1/search?q=%22unbalanced", "q").await;
    bad("/api/v1/search?q=AND", "q").await;
}

#[tokio::test]
async fn stories_story_and_disagreements() {
    let stories = all_pages("/api/v1/stories", 1).await;
    assert!(stories.len() >= 2, "{}", stories.len());
    let big = stories
        .iter()
        .max_by_key(|s| s["documents"].as_array().map_or(0, Vec::len))
        .expect("a story");
    let id = big["id"].as_str().expect("id");
    let detail = json(&format!("/api/v1/stories/{id}"), StatusCode::OK).await;
    assert_eq!(detail["id"], id);
    assert!(detail["events"].as_array().is_some_and(|e| !e.is_empty()));
    assert!(detail["reports"].as_array().is_some_and(|e| !e.is_empty()));
    // A prefix without the kind answers too.
    let short = &id["story-".len().."story-".len() + 8];
    let again = json(&format!("/api/v1/stories/{short}"), StatusCode::OK).await;
    assert_eq!(again, detail);
    // The ferry story's tolls disagree across outlets.
    let mut found = false;
    for s in &stories {
        let id = s["id"].as_str().expect("id");
        let d = json(
            &format!("/api/v1/stories/{id}/disagreements"),
            StatusCode::OK,
        )
        .await;
        let full = json(&format!("/api/v1/stories/{id}"), StatusCode::OK).await;
        assert_eq!(d["items"], full["disagreements"], "{id}");
        found |= d["items"].as_array().is_some_and(|a| {
            a.iter()
                .any(|g| g["values"].as_array().is_some_and(|v| v.len() >= 2))
        });
    }
    assert!(found, "no disagreement in the example corpus");
    bad("/api/v1/stories/not-a-story", "id").await;
    bad("/api/v1/stories?from=2025-02-30", "from").await;
    bad("/api/v1/stories?include_merged=maybe", "include_merged").await;
    let v = json("/api/v1/stories/story-00000000", StatusCode::NOT_FOUND).await;
    assert_eq!(v["error"]["code"], "not_found");
}

#[tokio::test]
async fn story_etag_and_digest() {
    let stories = json("/api/v1/stories", StatusCode::OK).await;
    let id = stories["items"][0]["id"].as_str().expect("id").to_string();
    let resp = get(&format!("/api/v1/stories/{id}")).await;
    let etag = resp.headers()["etag"].to_str().expect("etag").to_string();
    let again = get_with(
        &format!("/api/v1/stories/{id}"),
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    let d = json(
        &format!("/api/v1/stories/{id}/digest?since=2000"),
        StatusCode::OK,
    )
    .await;
    assert_eq!(d["story"], id.as_str());
    assert!(
        d["reports"].as_array().is_some_and(|r| !r.is_empty()),
        "{d}"
    );
    let later = json(
        &format!("/api/v1/stories/{id}/digest?since=2099"),
        StatusCode::OK,
    )
    .await;
    assert!(later["reports"].as_array().is_some_and(Vec::is_empty));
    bad(&format!("/api/v1/stories/{id}/digest"), "since").await;
    bad(
        &format!("/api/v1/stories/{id}/digest?since=last-week"),
        "since",
    )
    .await;
}

#[tokio::test]
async fn timelines_of_a_story_an_actor_and_a_pair() {
    let stories = json("/api/v1/stories", StatusCode::OK).await;
    let id = stories["items"][0]["id"].as_str().expect("id").to_string();
    let t = json(&format!("/api/v1/timeline?story={id}"), StatusCode::OK).await;
    let events = t["events"].as_array().expect("events");
    assert!(!events.is_empty());
    // Dated events in timeline order.
    let orders: Vec<u64> = events.iter().filter_map(|e| e["order"].as_u64()).collect();
    assert!(orders.windows(2).all(|w| w[0] <= w[1]), "{orders:?}");
    let gov = json("/api/v1/timeline?actor=GOV", StatusCode::OK).await;
    assert!(gov["subject"].as_str().is_some());
    json("/api/v1/timeline?pair=GOV,MED", StatusCode::OK).await;
    bad("/api/v1/timeline", "actor").await;
    bad("/api/v1/timeline?actor=GOV&story=abcd", "actor").await;
    bad("/api/v1/timeline?pair=GOV", "pair").await;
    bad("/api/v1/timeline?actor=X", "actor").await;
    bad("/api/v1/timeline?story=../x", "story").await;
    bad("/api/v1/timeline?actor=GOV&to=2016-02-30", "to").await;
}

#[tokio::test]
async fn a_timeline_pages_through_its_dated_then_undated_events() {
    let gov = json("/api/v1/timeline?actor=GOV&limit=500", StatusCode::OK).await;
    let whole: Vec<serde_json::Value> = ["events", "undated"]
        .iter()
        .flat_map(|k| gov[*k].as_array().cloned().unwrap_or_default())
        .map(|e| e["event"].clone())
        .collect();
    assert!(whole.len() >= 3, "{}", whole.len());
    assert!(gov.get("next_cursor").is_none());
    let mut seen = Vec::new();
    let mut uri = "/api/v1/timeline?actor=GOV&limit=2".to_string();
    loop {
        let page = json(&uri, StatusCode::OK).await;
        let n = seen.len();
        for k in ["events", "undated"] {
            seen.extend(
                page[k]
                    .as_array()
                    .expect("a list")
                    .iter()
                    .map(|e| e["event"].clone()),
            );
        }
        assert!(seen.len() - n <= 2);
        match page["next_cursor"].as_str() {
            Some(c) => uri = format!("/api/v1/timeline?actor=GOV&limit=2&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, whole);
    bad("/api/v1/timeline?actor=GOV&limit=0", "limit").await;
    let first = json("/api/v1/timeline?actor=GOV&limit=1", StatusCode::OK).await;
    let c = first["next_cursor"].as_str().expect("a second page");
    bad(
        &format!("/api/v1/timeline?actor=MED&limit=1&cursor={c}"),
        "cursor",
    )
    .await;
}

/// A view kept by the server's cache is not served once another connection
/// (here a writer, as `chronicle ingest` would be) has committed a change.
#[tokio::test]
async fn a_kept_view_is_not_served_after_the_store_changes() {
    use tower::ServiceExt;
    let (_dir, db) = support::corpus_db_copy();
    let state = chronicle_server::AppState::open(&db, chronicle_server::Limits::default())
        .expect("open the copy");
    let fetch = |uri: String| {
        let app = chronicle_server::router(state.clone());
        async move {
            let resp = app
                .oneshot(
                    axum::http::Request::get(uri)
                        .body(axum::body::Body::empty())
                        .expect("request"),
                )
                .await
                .expect("router answers");
            assert_eq!(resp.status(), StatusCode::OK);
            let v: serde_json::Value =
                serde_json::from_slice(&body_bytes(resp).await).expect("json");
            v
        }
    };
    let stories = fetch("/api/v1/stories".into()).await;
    let id = stories["items"][0]["id"].as_str().expect("id").to_string();
    let before = fetch(format!("/api/v1/stories/{id}")).await;
    assert_eq!(fetch(format!("/api/v1/stories/{id}")).await, before);
    let writer = chronicle_store::SqliteStore::open(&db).expect("open for writing");
    writer
        .connection()
        .execute(
            "UPDATE stories SET label = 'Relabelled by the test' WHERE id = ?1",
            [&id],
        )
        .expect("write");
    let after = fetch(format!("/api/v1/stories/{id}")).await;
    assert_eq!(after["label"], "Relabelled by the test");
    assert_ne!(after["label"], before["label"]);
}

#[tokio::test]
async fn events_with_filters_and_paging() {
    let all = all_pages("/api/v1/events", 500).await;
    assert!(all.len() >= 10);
    assert_eq!(all_pages("/api/v1/events", 7).await, all);
    let gov = all_pages("/api/v1/events?actor=GOV", 500).await;
    assert!(!gov.is_empty());
    assert!(gov.iter().all(|e| {
        [&e["source_code"], &e["target_code"]]
            .iter()
            .any(|c| c.as_str().is_some_and(|c| c.starts_with("GOV")))
    }));
    let pair = all_pages("/api/v1/events?pair=MED,GOV", 500).await;
    assert!(!pair.is_empty());
    assert!(pair.len() < gov.len());
    let outlet = all_pages("/api/v1/events?outlet=harbour", 500).await;
    assert!(!outlet.is_empty() && outlet.len() < all.len());
    let attacks = all_pages("/api/v1/events?code=ASSAULT", 500).await;
    assert!(attacks.iter().all(|e| e["plover_type"] == "ASSAULT"));
    bad("/api/v1/events?code=BOGUS", "code").await;
    bad("/api/v1/events?code=99", "code").await;
    bad("/api/v1/events?actor=r%C3%BCs", "actor").await;
    bad("/api/v1/events?pair=USA", "pair").await;
    bad("/api/v1/events?from=2016-1", "from").await;
    bad("/api/v1/events?place=%01", "place").await;
}

#[tokio::test]
async fn merged_events_by_story_and_sources() {
    let stories = json("/api/v1/stories", StatusCode::OK).await;
    let id = stories["items"][0]["id"].as_str().expect("id").to_string();
    let merged = all_pages(&format!("/api/v1/merged-events?story={id}"), 3).await;
    assert!(!merged.is_empty());
    assert!(merged.iter().all(|e| e["story_id"] == id.as_str()));
    let multi = all_pages("/api/v1/merged-events?min_sources=2", 500).await;
    assert!(multi
        .iter()
        .all(|e| e["num_sources"].as_u64().is_some_and(|n| n >= 2)));
    bad("/api/v1/merged-events?min_sources=0", "min_sources").await;
    bad("/api/v1/merged-events?code=ACCUSE", "code").await;
    bad("/api/v1/merged-events?story=zz", "story").await;
}

#[tokio::test]
async fn actors_quotes_and_claims() {
    let actors = all_pages("/api/v1/actors", 500).await;
    assert!(!actors.is_empty());
    let zolotar = all_pages("/api/v1/actors?name=zolotar", 500).await;
    assert!(!zolotar.is_empty(), "the corpus spells Zolotar two ways");
    assert!(zolotar.iter().all(|a| a["variants"].as_array().is_some()));
    assert!(all_pages("/api/v1/actors?all=true", 500).await.len() >= actors.len());
    bad("/api/v1/actors?code=g%21v", "code").await;
    let quotes = all_pages("/api/v1/quotes", 50).await;
    assert!(!quotes.is_empty());
    let direct = all_pages("/api/v1/quotes?kind=direct", 50).await;
    assert!(direct.iter().all(|q| q["kind"] == "direct"));
    let doc = quotes[0]["doc_id"].as_str().expect("doc");
    let of_doc = all_pages(&format!("/api/v1/quotes?document={}", &doc[..8]), 50).await;
    assert!(of_doc.iter().all(|q| q["doc_id"] == doc));
    bad("/api/v1/quotes?kind=shouted", "kind").await;
    bad("/api/v1/quotes?document=../../x", "document").await;
    let kills = all_pages("/api/v1/claims?kind=kill", 500).await;
    assert!(!kills.is_empty() && kills.iter().all(|c| c["kind"] == "KILL"));
    bad("/api/v1/claims?kind=DEATHS", "kind").await;
    bad("/api/v1/claims?from=2016&to=2015", "from").await;
}

#[tokio::test]
async fn bad_requests_do_not_disturb_good_ones() {
    let state = support::state();
    let app = chronicle_server::router(state);
    let mut tasks = Vec::new();
    for i in 0..48 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            use tower::ServiceExt;
            let uri = match i % 4 {
                0 => "/api/v1/events?limit=5",
                1 => "/api/v1/events?code=BOGUS",
                2 => "/api/v1/search?q=%22broken",
                _ => "/api/v1/stories",
            };
            let req = axum::http::Request::get(uri)
                .body(axum::body::Body::empty())
                .expect("request");
            let resp = app.oneshot(req).await.expect("answer");
            (i % 4, resp.status())
        }));
    }
    for t in tasks {
        let (kind, status) = t.await.expect("task");
        let want = if kind == 1 || kind == 2 {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        };
        assert_eq!(status, want, "request kind {kind}");
    }
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    use tower::ServiceExt;
    let req = axum::http::Request::post("/api/v1/documents")
        .header("content-length", "10000000")
        .body(axum::body::Body::from(vec![b'x'; 10_000_000]))
        .expect("request");
    let resp = chronicle_server::router(support::state())
        .oneshot(req)
        .await
        .expect("answer");
    assert!(
        resp.status() == StatusCode::PAYLOAD_TOO_LARGE
            || resp.status() == StatusCode::METHOD_NOT_ALLOWED,
        "{}",
        resp.status()
    );
}

/// The warmer computes the newest stories' views at start, and after another
/// connection commits, computes again (at the new state) the views readers
/// asked for: the story is served changed, and ready before it is asked for.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_warmer_keeps_story_views_ready_across_a_change() {
    use std::time::{Duration, Instant};
    let (_dir, db) = support::corpus_db_copy();
    let limits = chronicle_server::Limits {
        warm_stories: 50,
        ..Default::default()
    };
    let state = chronicle_server::AppState::open(&db, limits).expect("open the copy");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(chronicle_server::serve_on(listener, state.clone(), async {
        let _ = stopped.await;
    }));
    let wait_rounds = |n: u64| {
        let state = state.clone();
        async move {
            let start = Instant::now();
            while state.warm_rounds() < n {
                assert!(
                    start.elapsed() < Duration::from_secs(60),
                    "the warmer did not finish round {n}"
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    };
    wait_rounds(1).await;
    let store = chronicle_store::SqliteStore::open_read_only(&db).expect("open");
    let ids: Vec<String> = chronicle_store::Store::stories(&store, &Default::default())
        .expect("stories")
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert!(!ids.is_empty());
    for id in &ids {
        assert!(state.story_view_kept(id), "{id} was not warmed");
    }
    // A reader opens the first story (over HTTP, as a browser would).
    let get = |path: String| async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut conn = tokio::net::TcpStream::connect(addr).await.expect("connect");
        let req = format!("GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        conn.write_all(req.as_bytes()).await.expect("send");
        let mut out = Vec::new();
        conn.read_to_end(&mut out).await.expect("read");
        String::from_utf8_lossy(&out).into_owned()
    };
    let id = ids[0].clone();
    assert!(get(format!("/api/v1/stories/{id}"))
        .await
        .starts_with("HTTP/1.1 200"));
    let rounds = state.warm_rounds();
    let writer = chronicle_store::SqliteStore::open(&db).expect("open for writing");
    writer
        .connection()
        .execute(
            "UPDATE stories SET label = 'Warmed after the change' WHERE id = ?1",
            [&id],
        )
        .expect("write");
    wait_rounds(rounds + 1).await;
    assert!(
        state.story_view_kept(&id),
        "the read story was not computed again"
    );
    let answer = get(format!("/api/v1/stories/{id}")).await;
    assert!(answer.contains("Warmed after the change"), "{answer}");
    let _ = stop.send(());
    server.await.expect("server task").expect("server");
}
