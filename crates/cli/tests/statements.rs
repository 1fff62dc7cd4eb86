//! `chronicle quotes` and `chronicle claims` over a store, on a story written for
//! this test (invented people and places).

mod common;
use common::chronicle;

const STORY: &str = "date 2016-10-03\n\nTalks in Kessel stall as shelling goes on\n\nNorland Foreign Minister Anna Velkova met her Ostrian counterpart Piet Marrow in Kessel on Monday.\n\n\"We have always wanted a settlement,\" Velkova told Marrow. \"But the shelling of Dorn must stop first.\"\n\nAt least 112 people were killed and nearly 70 wounded in Dorn on Sunday, according to the Dorn Monitoring Group.\n";

#[test]
fn quotes_and_claims_across_the_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("s.db");
    let file = dir.path().join("story.txt");
    std::fs::write(&file, STORY).expect("write story");
    let (code, out, err) = chronicle(&db, &["ingest", file.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{out}\n{err}");

    let (code, json, err) = chronicle(&db, &["quotes", "--speaker", "Velkova", "--json"]);
    assert_eq!(code, 0, "{err}");
    let rows: serde_json::Value = serde_json::from_str(&json).expect("quotes JSON");
    let rows = rows.as_array().expect("array");
    assert_eq!(rows.len(), 2, "{json}");
    assert!(rows
        .iter()
        .all(|r| r["speaker_canonical"] == "Anna Velkova" && r["kind"] == "direct"));
    assert!(rows[0]["doc_id"].is_string() && rows[0]["published"] == "2016-10-03");

    let (_, json, _) = chronicle(&db, &["quotes", "--speaker", "Nobody", "--json"]);
    assert_eq!(json.trim(), "[]");

    let (code, json, err) = chronicle(&db, &["claims", "--kind", "kill", "--json"]);
    assert_eq!(code, 0, "{err}");
    let rows: serde_json::Value = serde_json::from_str(&json).expect("claims JSON");
    let rows = rows.as_array().expect("array");
    assert_eq!(rows.len(), 1, "{json}");
    assert_eq!(rows[0]["value"], 112.0);
    assert_eq!(rows[0]["qualifier"], "at least");

    let (code, text, _) = chronicle(&db, &["claims"]);
    assert_eq!(code, 0);
    assert!(text.contains("WOUND"), "{text}");
}
