//! Invented articles for the ingest and store tests: varied enough that
//! near-duplicate detection keeps them apart, made up word by word (no news text).

#![allow(dead_code)]

use std::path::{Path, PathBuf};

const WORDS: &[&str] = &[
    "convoy",
    "bridge",
    "council",
    "harbour",
    "valley",
    "ministry",
    "envoy",
    "garrison",
    "market",
    "clinic",
    "railway",
    "border",
    "village",
    "treaty",
    "monitor",
    "station",
    "airport",
    "province",
    "tribunal",
    "assembly",
    "reservoir",
    "checkpoint",
    "district",
    "mission",
    "delegation",
    "barracks",
    "refinery",
    "courthouse",
    "embassy",
    "quarry",
    "orchard",
    "lighthouse",
    "granary",
    "archive",
    "academy",
    "foundry",
    "pasture",
    "canal",
];
const NAMES: &[&str] = &[
    "Velkova",
    "Marrow",
    "Ostrander",
    "Kessling",
    "Darnell",
    "Ivory",
    "Quillan",
    "Tamsin",
];

/// A tiny deterministic generator (xorshift), so fixtures are the same every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Article `i` of a series named `series`: a title and a few sentences.
pub fn article(series: &str, i: usize) -> (String, String) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ ((i as u64 + 1) * 7919) ^ series.len() as u64);
    let mut sentences = Vec::new();
    for s in 0..5 {
        let w: Vec<&str> = (0..6).map(|_| WORDS[rng.next(WORDS.len())]).collect();
        let name = NAMES[rng.next(NAMES.len())];
        sentences.push(match s % 3 {
            0 => format!(
                "Officials in the {} said the {} near the {} reopened on day {} of the {} {} talks.",
                w[0], w[1], w[2], i % 28 + 1, series, w[3]
            ),
            1 => format!(
                "\"The {} and the {} will stay closed,\" {} said after visiting the {}.",
                w[4], w[5], name, w[0]
            ),
            _ => format!(
                "At least {} people were displaced from the {} district, the {} monitor reported.",
                rng.next(500) + 2, w[1], w[2]
            ),
        });
    }
    (
        format!(
            "{series} report {i}: the {} question",
            WORDS[i % WORDS.len()]
        ),
        sentences.join(" "),
    )
}

/// A JSON Lines file of `n` articles of `series`, one per line.
pub fn jsonl(dir: &Path, name: &str, series: &str, range: std::ops::Range<usize>) -> PathBuf {
    let mut out = String::new();
    for i in range {
        let (title, text) = article(series, i);
        out.push_str(
            &serde_json::json!({
                "title": title,
                "text": text,
                "date": format!("2016-10-{:02}", i % 28 + 1),
                "url": format!("https://example.org/{series}/{i}"),
            })
            .to_string(),
        );
        out.push('\n');
    }
    let path = dir.join(name);
    std::fs::write(&path, out).expect("write fixture");
    path
}

use crate::common::chronicle;

/// `chronicle ingest --json` → (exit code, report, stderr).
pub fn ingest_json(db: &Path, inputs: &[&Path]) -> (i32, serde_json::Value, String) {
    let mut args = vec!["ingest", "--json"];
    args.extend(inputs.iter().map(|p| p.to_str().expect("utf-8 path")));
    let (code, out, err) = chronicle(db, &args);
    let report = serde_json::from_str(&out).unwrap_or(serde_json::Value::Null);
    (code, report, err)
}
