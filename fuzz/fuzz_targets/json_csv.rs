#![no_main]
//! JSON, JSONL and CSV record readers with field auto-mapping.
use chronicle_ingest::formats::{csv::read_csv, json::{read_json, read_jsonl}};
use chronicle_ingest::FieldMap;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|text: &str| {
    let map = FieldMap::default();
    let _ = read_json(text, Path::new("x.json"), &map);
    let _ = read_jsonl(text, Path::new("x.jsonl"), &map);
    let _ = read_csv(text, Path::new("x.csv"), &map, b',');
});
