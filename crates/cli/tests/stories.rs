//! The story across outlets, end to end on the bundled example corpus: stories
//! told by several outlets, merged events counted across them, the ferry's
//! clashing tolls, story-level dates, one actor for two spellings, and the
//! JSON contracts other tools read.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

mod common;
use common::chronicle;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus")
}

/// One store of the corpus for every test here (built once: ingest annotates and
/// links every document).
fn store() -> &'static Path {
    static DB: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DB.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("stories.db");
        let (code, out, err) = chronicle(&db, &["ingest", corpus().to_str().expect("utf-8")]);
        // The corpus holds one "not found" page, refused on purpose.
        assert_eq!(code, 1, "{out}\n{err}");
        (dir, db)
    })
    .1
}

fn json(args: &[&str]) -> Value {
    let (code, out, err) = chronicle(store(), args);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"))
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Document id → title, from `documents --json`.
fn titles() -> Vec<(String, String, Value)> {
    json(&["documents", "--json"])
        .as_array()
        .expect("array")
        .iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap_or_default().to_string(),
                d["title"].as_str().unwrap_or_default().to_string(),
                d.clone(),
            )
        })
        .collect()
}

fn doc_titled(part: &str) -> (String, Value) {
    titles()
        .into_iter()
        .find(|(_, t, _)| t.contains(part))
        .map(|(id, _, d)| (id, d))
        .unwrap_or_else(|| panic!("no document titled …{part}…"))
}

fn story_of(doc: &str) -> Value {
    json(&["stories", "--json"])
        .as_array()
        .expect("array")
        .iter()
        .find(|s| strs(&s["documents"]).iter().any(|d| d == doc))
        .cloned()
        .unwrap_or_else(|| panic!("document {doc} is in no story"))
}

#[test]
fn stories_follow_the_contract_and_two_are_told_by_several_outlets() {
    let stories = json(&["stories", "--json"]);
    let stories = stories.as_array().expect("array");
    for s in stories {
        for field in [
            "id",
            "label",
            "first_date",
            "last_date",
            "documents",
            "outlets",
        ] {
            assert!(s.get(field).is_some(), "{field} missing: {s}");
        }
    }
    let told: Vec<&Value> = stories
        .iter()
        .filter(|s| strs(&s["documents"]).len() > 1 && strs(&s["outlets"]).len() > 1)
        .collect();
    assert!(told.len() >= 2, "{stories:#?}");
    // The ferry and the siege are different stories.
    let (ferry, _) = doc_titled("Ferry capsizes on Lake Ormund");
    let (siege, _) = doc_titled("Overnight strikes on Vastrel");
    let ferry_story = story_of(&ferry);
    let siege_story = story_of(&siege);
    assert_ne!(ferry_story["id"], siege_story["id"]);
    let (toll, _) = doc_titled("Ferry toll reaches 41");
    let (divers, _) = doc_titled("Divers reach the Saint Maren");
    let docs = strs(&ferry_story["documents"]);
    assert!(
        docs.contains(&toll) && docs.contains(&divers),
        "{ferry_story}"
    );
    // The filters select.
    let later = json(&["stories", "--from", "2025-03-10", "--json"]);
    assert!(later
        .as_array()
        .expect("array")
        .iter()
        .any(|s| s["id"] == ferry_story["id"]));
    let zolotar = json(&["stories", "--actor", "zolotar", "--json"]);
    assert!(zolotar
        .as_array()
        .expect("array")
        .iter()
        .all(|s| s["id"] == ferry_story["id"]));
}

#[test]
fn merged_events_count_mentions_sources_and_articles() {
    let events = json(&["events", "--merged", "--json"]);
    let events = events.as_array().expect("array");
    assert!(!events.is_empty());
    for e in events {
        for field in [
            "id",
            "code",
            "source",
            "target",
            "date",
            "num_mentions",
            "num_sources",
            "num_articles",
            "mentions",
        ] {
            assert!(e.get(field).is_some(), "{field} missing: {e}");
        }
        let mentions = e["mentions"].as_array().expect("mentions");
        assert_eq!(
            mentions.len() as u64,
            e["num_mentions"].as_u64().unwrap_or(0),
            "{e}"
        );
        assert!(
            e["num_sources"].as_u64() <= e["num_articles"].as_u64(),
            "{e}"
        );
        for m in mentions {
            for field in ["document", "outlet", "start", "end"] {
                assert!(m.get(field).is_some(), "{field} missing: {m}");
            }
        }
    }
    assert!(
        events
            .iter()
            .any(|e| e["num_sources"].as_u64().unwrap_or(0) > 1),
        "some event is told by several outlets"
    );
    // The ferry owner's arrest, told by three outlets.
    let (ferry, _) = doc_titled("Ferry capsizes on Lake Ormund");
    let story = story_of(&ferry)["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let arrests = json(&[
        "events", "--merged", "--story", &story, "--code", "173", "--json",
    ]);
    assert!(
        arrests
            .as_array()
            .expect("array")
            .iter()
            .any(|e| e["num_sources"].as_u64().unwrap_or(0) >= 2),
        "{arrests:#}"
    );
}

#[test]
fn the_ferry_story_shows_the_clashing_tolls_and_dates_the_undated_report() {
    let (ferry, _) = doc_titled("Ferry capsizes on Lake Ormund");
    let id = story_of(&ferry)["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let story = json(&["story", &id[..8], "--json"]);
    for field in ["documents", "events", "disagreements"] {
        assert!(story.get(field).is_some(), "{field} missing");
    }
    let kill = story["disagreements"]
        .as_array()
        .expect("array")
        .iter()
        .find(|d| d["kind"] == "KILL")
        .unwrap_or_else(|| panic!("no KILL disagreement: {story:#}"));
    let values: Vec<(f64, String)> = kill["values"]
        .as_array()
        .expect("values")
        .iter()
        .map(|v| {
            for field in ["value", "claimant", "outlet", "document", "start", "end"] {
                assert!(v.get(field).is_some(), "{field} missing: {v}");
            }
            (
                v["value"].as_f64().unwrap_or(0.0),
                v["outlet"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert!(
        values.contains(&(34.0, "Northgate Herald".into())),
        "{values:?}"
    );
    assert!(
        values.contains(&(41.0, "Harbour Post".into())),
        "{values:?}"
    );
    // The harbour master, spelled two ways by the outlets, is one actor.
    let spelled = story["spellings"].to_string();
    assert!(
        spelled.contains("Andrei Zolotar") && spelled.contains("Andrey Zolotar"),
        "{spelled}"
    );
    // Merged events in date order.
    let dates: Vec<String> = story["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["date"].as_str().map(str::to_string))
        .collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");

    // "Police arrested … yesterday evening", in a story whose other reports
    // date the arrest to Monday 10 March: the undated report is of 11 March.
    let (_, divers) = doc_titled("Divers reach the Saint Maren");
    assert_eq!(divers["published"], "2025-03-11", "{divers:#}");
    assert_eq!(divers["provenance"], "story", "{divers:#}");
    let (code, text, err) = chronicle(store(), &["story", &id[..8]]);
    assert_eq!(code, 0, "{err}");
    assert!(
        text.contains("2025-03-11") && text.contains("KILL"),
        "{text}"
    );
}

#[test]
fn the_stale_header_is_corrected_from_its_story() {
    let (_, stale) = doc_titled("Ceasefire draft stalls over prisoner exchange");
    assert_eq!(stale["published"], "2025-03-07", "{stale:#}");
    assert_eq!(stale["provenance"], "story", "{stale:#}");
}

#[test]
fn two_spellings_of_the_harbour_master_are_one_actor() {
    let actors = json(&["actors", "--json"]);
    let row = actors
        .as_array()
        .expect("array")
        .iter()
        .find(|a| {
            let v = strs(&a["variants"]);
            v.iter().any(|x| x.contains("Andrei Zolotar"))
                && v.iter().any(|x| x.contains("Andrey Zolotar"))
        })
        .unwrap_or_else(|| panic!("no actor with both spellings: {actors:#}"));
    assert!(row["entity"].is_string(), "{row}");
}

#[test]
fn quotes_carry_a_statement_id_and_schemas_are_published() {
    let quotes = json(&["quotes", "--json"]);
    let quotes = quotes.as_array().expect("array");
    assert!(quotes.iter().all(|q| q.get("statement").is_some()));
    assert!(quotes.iter().any(|q| q["statement"].is_string()));
    for name in ["stories", "story", "merged-events"] {
        let (code, text, err) = chronicle(store(), &["schema", name]);
        assert_eq!(code, 0, "{err}");
        assert!(text.contains("\"properties\""), "{name}");
    }
}

#[test]
fn the_gdelt_export_writes_merged_counts_and_one_mention_per_article() {
    let dir = tempfile::tempdir().expect("tempdir");
    let events = dir.path().join("events.tsv");
    let mentions = dir.path().join("mentions.tsv");
    let (code, _, err) = chronicle(
        store(),
        &[
            "export",
            "gdelt",
            "--out",
            events.to_str().expect("utf-8"),
            "--mentions",
            mentions.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(code, 0, "{err}");
    let events = std::fs::read_to_string(&events).expect("events");
    let mentions = std::fs::read_to_string(&mentions).expect("mentions");
    let rows: Vec<Vec<&str>> = events.lines().map(|l| l.split('\t').collect()).collect();
    // NumSources is column 33 (0-based 32).
    let multi: Vec<&Vec<&str>> = rows.iter().filter(|r| r[32] != "1").collect();
    assert!(!multi.is_empty(), "some exported event has several sources");
    for r in &multi {
        let n: usize = r[31].parse().expect("NumMentions");
        let listed = mentions
            .lines()
            .filter(|l| l.split('\t').next() == Some(r[0]))
            .count();
        assert!(listed >= 1 && listed <= n, "{} lists {listed} of {n}", r[0]);
    }
    let ids: std::collections::HashSet<&str> = rows.iter().map(|r| r[0]).collect();
    assert_eq!(ids.len(), rows.len(), "GLOBALEVENTID repeats");
}

#[test]
fn re_ingest_keeps_story_ids() {
    let before = json(&["stories", "--json"]);
    let (code, _, _) = chronicle(store(), &["ingest", corpus().to_str().expect("utf-8")]);
    assert_eq!(code, 1);
    let after = json(&["stories", "--json"]);
    let ids = |v: &Value| -> Vec<String> {
        v.as_array()
            .expect("array")
            .iter()
            .filter_map(|s| s["id"].as_str().map(str::to_string))
            .collect()
    };
    assert_eq!(ids(&before), ids(&after));
}

#[test]
fn the_demo_ends_with_the_story_view() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("demo.db");
    let (code, out, err) = chronicle(
        &db,
        &["demo", "--corpus", corpus().to_str().expect("utf-8")],
    );
    assert_eq!(code, 0, "{err}");
    let view = &out[out.find("\nStories: ").unwrap_or_else(|| panic!("{out}"))..];
    assert!(view.contains("merged events, in date order"), "{view}");
    assert!(view.contains("sources"), "{view}");
    // The ferry's tolls side by side, and the dates the stories gave.
    assert!(
        view.contains("KILL") && view.contains("34") && view.contains("41"),
        "{view}"
    );
    assert!(
        view.contains("2025-03-11") && view.contains("undated"),
        "{view}"
    );
}

/// The story's timeline: its merged events once each, in date order with
/// shared orders for one date, each with a label, sources and an evidence
/// sentence; the SemEval layout carries the same orders.
#[test]
fn a_story_timeline_is_ordered_sourced_and_exported() {
    let stories = json(&["stories", "--json"]);
    let biggest = stories
        .as_array()
        .expect("array")
        .iter()
        .max_by_key(|s| s["documents"].as_array().map_or(0, Vec::len))
        .expect("a story");
    let id = biggest["id"].as_str().expect("id");
    let t = json(&["timeline", "--story", id, "--json"]);
    let events = t["events"].as_array().expect("events");
    assert!(events.len() >= 5, "{t}");
    let merged = json(&["events", "--merged", "--story", id, "--json"]);
    let ids: std::collections::BTreeSet<&str> =
        events.iter().filter_map(|e| e["event"].as_str()).collect();
    assert_eq!(ids.len(), events.len(), "an event appears once");
    let undated = t["undated"].as_array().map_or(0, Vec::len);
    assert_eq!(
        events.len() + undated,
        merged.as_array().map_or(0, Vec::len),
        "every merged event of the story is on the timeline"
    );
    let mut last = (0u64, String::new());
    let mut last_date = String::new();
    for e in events {
        let order = e["order"].as_u64().expect("order");
        // A date, or a range when the reports only bound the event
        // ("within 2025-W09", "before 2025-03-05").
        let when = match (e["date"].as_str(), &e["range"]) {
            (Some(d), _) => d.to_string(),
            (None, r) => format!(
                "{} {}",
                r["relation"]
                    .as_str()
                    .expect("a dated event has a date or a range"),
                r["bound"].as_str().expect("a range has a bound")
            ),
        };
        assert!(["day", "week", "month", "season", "year"]
            .contains(&e["precision"].as_str().unwrap_or("")));
        if order == last.0 {
            assert_eq!(when, last.1, "one order, one date");
        } else {
            assert_eq!(order, last.0 + 1);
            if let Some(d) = e["date"].as_str() {
                assert!(d > last_date.as_str(), "{d} after {last_date}");
            }
        }
        if let Some(d) = e["date"].as_str() {
            last_date = d.to_string();
        }
        assert!(!e["label"].as_str().unwrap_or("").is_empty());
        assert!(e["num_sources"].as_u64().is_some());
        assert!(e["evidence"]["sentence"]
            .as_str()
            .is_some_and(|s| !s.is_empty()));
        last = (order, when);
    }
    let (code, out, err) = chronicle(store(), &["timeline", "--story", id, "--format", "semeval"]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), events.len() + undated);
    for (line, e) in lines.iter().zip(events) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols[0], e["order"].as_u64().expect("order").to_string());
        assert_eq!(cols[1].len(), 10, "{line}");
        assert!(cols.len() >= 3 && cols[2].split('-').count() == 3, "{line}");
    }
    let (code, out, err) = chronicle(store(), &["timeline", "--story", id, "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let mut csv = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = csv
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header.first().map(String::as_str), Some("order"));
    let rows: Vec<csv::StringRecord> = csv.records().map(|r| r.expect("a CSV row")).collect();
    assert_eq!(rows.len(), events.len() + undated);
    for (row, e) in rows.iter().zip(events) {
        assert_eq!(
            row.get(0),
            e["order"].as_u64().map(|o| o.to_string()).as_deref()
        );
        assert_eq!(row.get(header.len() - 1), e["event"].as_str());
    }
}

#[test]
fn timeline_arguments_are_checked() {
    let (code, _, err) = chronicle(store(), &["timeline", "--actor", "x"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = chronicle(store(), &["timeline", "--actor", "Nobody Namedthis"]);
    assert_eq!(code, 1, "{err}");
    let (code, _, err) = chronicle(store(), &["timeline"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = chronicle(
        store(),
        &["timeline", "--actor", "RUS", "--from", "2016-13"],
    );
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = chronicle(store(), &["timeline", "--actor", "QQQ"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("no merged events"), "{err}");
    let (code, _, err) = chronicle(store(), &["timeline", "--story", "story-ffffffff"]);
    assert_eq!(code, 1, "{err}");
}

/// `story ID --since`: only the later reports, the events they alone tell,
/// and the figures they give anew or revise, each with its source.
#[test]
fn the_digest_since_a_date_lists_what_later_reports_add() {
    let stories = json(&["stories", "--json"]);
    let biggest = stories
        .as_array()
        .expect("array")
        .iter()
        .max_by_key(|s| s["documents"].as_array().map_or(0, Vec::len))
        .expect("a story");
    let id = biggest["id"].as_str().expect("id");
    let first = biggest["first_date"].as_str().expect("first date");
    let last = biggest["last_date"].as_str().expect("last date");
    let d = json(&["story", id, "--since", first, "--json"]);
    let reports = d["reports"].as_array().expect("reports");
    assert!(!reports.is_empty());
    let later: Vec<&str> = reports
        .iter()
        .map(|r| {
            assert!(r["published"].as_str().expect("dated") > first);
            r["document"].as_str().expect("document")
        })
        .collect();
    let new_events = d["new_events"].as_array().expect("new events");
    assert!(!new_events.is_empty());
    for e in new_events {
        for m in e["mentions"].as_array().expect("mentions") {
            assert!(later.contains(&m["document"].as_str().unwrap_or("")), "{e}");
        }
    }
    for f in d["figures"].as_array().expect("figures") {
        assert!(["new", "revised"].contains(&f["change"].as_str().unwrap_or("")));
        for v in f["after"].as_array().expect("after") {
            assert!(later.contains(&v["document"].as_str().unwrap_or("")), "{f}");
        }
    }
    let nothing = json(&["story", id, "--since", last, "--json"]);
    assert_eq!(nothing["reports"].as_array().map_or(1, Vec::len), 0);
    let (code, _, err) = chronicle(store(), &["story", id, "--since", "yesterday"]);
    assert_eq!(code, 2, "{err}");
}

/// A person's timeline by name: the events whose mentions have one of the
/// entities the name answers as source or target.
#[test]
fn a_named_person_has_a_timeline() {
    let t = json(&["timeline", "--actor", "Varnay", "--json"]);
    let events = t["events"].as_array().expect("events");
    assert!(!events.is_empty(), "{t}");
    assert!(
        t["subject"].as_str().unwrap_or("").contains("Varnay"),
        "{t}"
    );
    for e in events {
        let mentions = e["mentions"].as_array().expect("mentions");
        assert!(!mentions.is_empty());
    }
}
