//! `chronicle benchmark accuracy --task events|petrarch`.
//!
//! events: PLOVER gold-standard records (JSON). Per record, does the engine code
//! an event of the gold PLOVER type, with the gold source (and target) actors'
//! codes? Scored per record: one true positive when some coded event satisfies the
//! criterion, one false positive for each other distinct coded (type[, source[,
//! target]]) tuple, one false negative when none does. The gold set was coded
//! with PLOVER 0.5, whose categories 2021's table merged or renamed (INVESTIGATE
//! and DISAPPROVE into ACCUSE, DEMAND into REQUEST, FIGHT into ASSAULT; CAMEO's
//! appeals, 02, dropped); our CAMEO codes are mapped to the 0.5 names by CAMEO
//! root for the comparison (09 INVESTIGATE, 02/10 DEMAND, 11 DISAPPROVE, 19 FIGHT).
//!
//! petrarch: PETRARCH2's own unit-test records, coded with the `PETR.Validate.*`
//! dictionaries (fictional actors) in place of ours: the share of expected
//! (source, target, code) triples reproduced, the share of our triples that were
//! expected, and the share of `noevents` records left empty.

use crate::outln;
use anyhow::{bail, Context};
use chronicle_codebook::{Codebook, Sources};
use chronicle_core::{DateProvenance, Document, Published};
use chronicle_events::EventCoder;
use chronicle_formats::prf;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::Path;

fn document(text: &str, date: Option<&str>) -> Document {
    let mut d = Document::from_text("bench", "bench", text);
    d.language = Some("eng".into());
    d.published = date.map(|date| Published {
        date: date.to_string(),
        time: None,
        provenance: DateProvenance::Metadata,
        confidence: 1.0,
        estimated: false,
    });
    d
}

/// (PLOVER type, source code, target code) of one coded event.
type Coded = (String, Option<String>, Option<String>);

/// PLOVER 0.5 category of a CAMEO code (see the module comment).
fn plover05(book: &Codebook, code: &str) -> Option<String> {
    let by_root = match code.get(..2)? {
        "09" => Some("INVESTIGATE"),
        // 0.5's DEMAND covers CAMEO's appeals (02, absent from the 2021 table) and
        // demands (10).
        "02" | "10" => Some("DEMAND"),
        "11" => Some("DISAPPROVE"),
        "19" => Some("FIGHT"),
        _ => None,
    };
    match (by_root, book.info(code).plover_type.as_deref()) {
        (Some(t), _) => Some(t.to_string()),
        (None, Some("REQUEST")) => Some("DEMAND".into()),
        (None, Some("ACCUSE")) => Some("DISAPPROVE".into()),
        (None, t) => t.map(str::to_string),
    }
}

/// Whether our actor code stands for the gold actor: `RUSGOV` for RUS, `IGOUNO`
/// for IGO, and Phoenix's regional prefixes (`SCGSRB`, Serbia within the former
/// Serbia and Montenegro) for the state alone (SRB).
fn same_actor(book: &Codebook, ours: Option<&str>, gold: &str) -> bool {
    let Some(ours) = ours else { return false };
    if gold.is_empty() || !ours.is_ascii() {
        return false;
    }
    let regional = ours.len() >= 6 && !book.is_country(&ours[..3]) && &ours[3..6] == gold;
    ours.starts_with(gold) || regional
}

fn gold_codes(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.get("code").and_then(Value::as_str))
                .map(str::to_uppercase)
                .collect()
        })
        .unwrap_or_default()
}

/// Dead counts stated in the sentence: the claims layer's KILL claims, else a
/// number next to killed/dead/died.
fn dead_count(doc: &Document) -> Option<u64> {
    if let Some(c) = doc.claims.iter().find(|c| c.kind == "KILL") {
        return Some(c.value.round() as u64);
    }
    let lemma = |i: usize| {
        doc.tokens
            .get(i)
            .map(|t| t.lemma.as_deref().unwrap_or(&t.text).to_lowercase())
            .unwrap_or_default()
    };
    for (i, t) in doc.tokens.iter().enumerate() {
        let Ok(n) = t.text.replace(',', "").parse::<u64>() else {
            continue;
        };
        let near_after =
            (i + 1..i + 5).any(|k| matches!(lemma(k).as_str(), "kill" | "dead" | "die" | "death"));
        let near_before =
            (i.saturating_sub(4)..i).any(|k| matches!(lemma(k).as_str(), "kill" | "killing"));
        if near_after || near_before {
            return Some(n);
        }
    }
    None
}

pub fn plover(data: &Path) -> anyhow::Result<Value> {
    let raw =
        std::fs::read_to_string(data).with_context(|| format!("reading {}", data.display()))?;
    let records: Vec<Value> = serde_json::from_str(&raw)
        .with_context(|| format!("{}: not a JSON array", data.display()))?;
    let book = Codebook::embedded().map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut counts = [(0usize, 0usize, 0usize); 3];
    let (mut dead_right, mut dead_total) = (0usize, 0usize);
    let mut per_type: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    for r in &records {
        let (Some(text), Some(gold_type)) = (
            r.get("text").and_then(Value::as_str),
            r.get("event").and_then(Value::as_str),
        ) else {
            continue;
        };
        let mut doc = document(text, r.get("date").and_then(Value::as_str));
        crate::pipeline::annotate(&mut doc);
        let gold_src = gold_codes(r.get("source").unwrap_or(&Value::Null));
        let gold_tgt = gold_codes(r.get("target").unwrap_or(&Value::Null));
        let coded: Vec<Coded> = doc
            .events
            .iter()
            .filter_map(|e| {
                Some((
                    plover05(book, &e.cameo)?,
                    e.source_actor.clone(),
                    e.target_actor.clone(),
                ))
            })
            .collect();
        let src_ok =
            |s: &Option<String>| gold_src.iter().any(|g| same_actor(book, s.as_deref(), g));
        // With no gold target (one-sided events) any target is accepted.
        let tgt_ok = |t: &Option<String>| {
            gold_tgt.is_empty()
                || gold_tgt.iter().any(|g| same_actor(book, t.as_deref(), g))
                || gold_src.iter().any(|g| same_actor(book, t.as_deref(), g))
        };
        // Level 0: type; 1: type + source; 2: type + source + target.
        let judge = |level: usize, c: &Coded| -> (bool, String) {
            let ok = c.0 == gold_type && (level < 1 || src_ok(&c.1)) && (level < 2 || tgt_ok(&c.2));
            let key = match level {
                0 => c.0.clone(),
                1 => format!("{}|{:?}", c.0, c.1),
                _ => format!("{}|{:?}|{:?}", c.0, c.1, c.2),
            };
            (ok, key)
        };
        if std::env::var_os("CHRONICLE_BENCH_VERBOSE").is_some() {
            eprintln!(
                "{} gold {gold_type} {gold_src:?} -> {gold_tgt:?}\n    ours {coded:?}\n    {text}",
                r.get("id").and_then(Value::as_str).unwrap_or("?")
            );
        }
        for (level, count) in counts.iter_mut().enumerate() {
            let mut hit = false;
            let mut wrong: BTreeSet<String> = BTreeSet::new();
            for c in &coded {
                let (ok, key) = judge(level, c);
                if ok {
                    hit = true;
                } else {
                    wrong.insert(key);
                }
            }
            count.0 += usize::from(hit);
            count.1 += wrong.len();
            count.2 += usize::from(!hit);
            if level == 0 {
                let e = per_type.entry(gold_type.to_string()).or_default();
                e.0 += usize::from(hit);
                e.1 += 1;
            }
        }
        if let Some(gold_dead) = r.get("dead").and_then(|d| {
            d.as_u64()
                .or_else(|| d.as_str().and_then(|s| s.trim().parse().ok()))
        }) {
            dead_total += 1;
            dead_right += usize::from(dead_count(&doc) == Some(gold_dead));
        }
    }
    let score = |(tp, fp, fn_): (usize, usize, usize)| prf(tp, tp + fp, tp + fn_);
    let (tp, tsp, tstp) = (score(counts[0]), score(counts[1]), score(counts[2]));
    Ok(json!({
        "records": records.len(),
        "type_precision": tp.0, "type_recall": tp.1, "type_f1": tp.2,
        "type_source_precision": tsp.0, "type_source_recall": tsp.1, "type_source_f1": tsp.2,
        "type_source_target_precision": tstp.0, "type_source_target_recall": tstp.1, "type_source_target_f1": tstp.2,
        "dead_accuracy": if dead_total == 0 { Value::Null } else { json!(dead_right as f64 / dead_total as f64) },
        "dead_records": dead_total,
        "type_recall_per_gold_type": per_type.iter().map(|(k, (h, n))| (k.clone(), json!({"found": h, "records": n}))).collect::<serde_json::Map<_, _>>(),
    }))
}

/// The PETR.Validate dictionaries beside the records file.
fn validation_codebook(data: &Path) -> anyhow::Result<Codebook> {
    let dir = data
        .parent()
        .map(|p| p.join("dictionaries"))
        .context("records file has no folder")?;
    let read = |name: &str| -> anyhow::Result<(String, String)> {
        let p = dir.join(name);
        let b = std::fs::read(&p).with_context(|| format!("reading {}", p.display()))?;
        Ok((name.to_string(), String::from_utf8_lossy(&b).into_owned()))
    };
    let actors = read("PETR.Validate.actors.txt")?;
    let agents = read("PETR.Validate.agents.txt")?;
    let verbs = read("PETR.Validate.verbs.txt")?;
    let (book, issues) = Codebook::from_sources(&Sources {
        actors: vec![(&actors.0, &actors.1)],
        agents: vec![(&agents.0, &agents.1)],
        verbs: vec![(&verbs.0, &verbs.1)],
        ..Default::default()
    });
    eprintln!("validation dictionaries: {} lines skipped", issues.len());
    Ok(book)
}

pub fn petrarch(data: &Path) -> anyhow::Result<Value> {
    let raw =
        std::fs::read_to_string(data).with_context(|| format!("reading {}", data.display()))?;
    let xml =
        roxmltree::Document::parse(&raw).with_context(|| format!("{}: not XML", data.display()))?;
    let book = validation_codebook(data)?;
    let coder = EventCoder::new(&book);
    let (mut expected, mut reproduced, mut predicted, mut correct) =
        (0usize, 0usize, 0usize, 0usize);
    let (mut noevent_records, mut noevent_empty) = (0usize, 0usize);
    let mut records = 0usize;
    for s in xml.descendants().filter(|n| n.has_tag_name("Sentence")) {
        let codings: Vec<roxmltree::Node> = s
            .children()
            .filter(|n| n.has_tag_name("EventCoding"))
            .collect();
        if codings.is_empty() || codings.iter().any(|c| c.attribute("error").is_some()) {
            continue;
        }
        let Some(text) = s
            .children()
            .find(|n| n.has_tag_name("Text"))
            .and_then(|n| n.text())
        else {
            continue;
        };
        let date = s
            .attribute("date")
            .filter(|d| d.len() == 8)
            .map(|d| format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..]));
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut doc = document(&text, date.as_deref());
        crate::pipeline::annotate(&mut doc);
        let coded = coder.code(&doc, None);
        let ours: BTreeSet<(String, String, String)> = coded
            .events
            .iter()
            .filter_map(|e| {
                Some((
                    e.source_actor.clone()?,
                    e.target_actor.clone()?,
                    e.cameo.clone(),
                ))
            })
            .collect();
        records += 1;
        let noevents = codings.iter().any(|c| c.attribute("noevents").is_some());
        if noevents {
            noevent_records += 1;
            noevent_empty += usize::from(ours.is_empty());
            predicted += ours.len();
            continue;
        }
        let gold: BTreeSet<(String, String, String)> = codings
            .iter()
            .filter_map(|c| {
                // PETRARCH writes an agent with no country as `---GOV`; our
                // code for it is `GOV`.
                let a = |k: &str| {
                    c.attribute(k).map(|v| {
                        let v = v.trim().to_uppercase();
                        match v.strip_prefix("---") {
                            Some(rest) if !rest.is_empty() => rest.to_string(),
                            _ => v,
                        }
                    })
                };
                Some((a("sourcecode")?, a("targetcode")?, a("eventcode")?))
            })
            .collect();
        if std::env::var_os("CHRONICLE_BENCH_VERBOSE").is_some() && gold != ours {
            eprintln!(
                "{} gold {:?} ours {:?}\n    {}",
                s.attribute("id").unwrap_or("?"),
                gold,
                ours,
                text
            );
        }
        expected += gold.len();
        reproduced += gold.intersection(&ours).count();
        predicted += ours.len();
        correct += ours.intersection(&gold).count();
    }
    if records == 0 {
        bail!(
            "{}: no <Sentence> records with <EventCoding>",
            data.display()
        );
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    Ok(json!({
        "records": records,
        "expected_codings": expected,
        "coding_recall": ratio(reproduced, expected),
        "coding_precision": ratio(correct, predicted),
        "noevent_records": noevent_records,
        "noevent_accuracy": ratio(noevent_empty, noevent_records),
    }))
}

pub fn print(task: &str, v: &Value) -> std::io::Result<()> {
    let f = |k: &str| {
        v.get(k)
            .and_then(Value::as_f64)
            .map(|x| format!("{:.2}", 100.0 * x))
            .unwrap_or_else(|| "-".into())
    };
    if task == "events" {
        for (name, key) in [
            ("type", "type"),
            ("type+source", "type_source"),
            ("type+source+target", "type_source_target"),
        ] {
            outln!(
                "{name:<20} P {}  R {}  F1 {}",
                f(&format!("{key}_precision")),
                f(&format!("{key}_recall")),
                f(&format!("{key}_f1"))
            )?;
        }
        outln!(
            "dead accuracy {} ({} records)",
            f("dead_accuracy"),
            v["dead_records"]
        )?;
    } else {
        outln!(
            "coding recall {}  coding precision {}  noevent accuracy {}  ({} records, {} expected codings)",
            f("coding_recall"),
            f("coding_precision"),
            f("noevent_accuracy"),
            v["records"],
            v["expected_codings"]
        )?;
    }
    Ok(())
}
