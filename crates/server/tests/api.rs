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
    let c = page["next_cursor"].as_str().expect("more than one document");
    bad(&format!("/api/v1/documents?limit=1&outlet=x&cursor={c}"), "cursor").await;
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
    assert!(v["document"]["text"].as_str().is_some_and(|t| !t.is_empty()));
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
        assert!(!String::from_utf8_lossy(&body).contains("[package]"), "{uri}");
    }
}

#[tokio::test]
async fn security_headers_on_every_answer() {
    for uri in ["/api/v1/documents", "/api/v1/nothing", "/api/v1/openapi.json"] {
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
    assert!(paths.contains_key("/documents"), "{paths:?}");
    assert!(paths.contains_key("/documents/{id}"), "{paths:?}");
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
