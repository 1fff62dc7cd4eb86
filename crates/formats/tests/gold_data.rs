//! The gold readers on the benchmark files in ../shared/data or $CHRONICLE_DATA
//! (each check skipped when its file is absent): the strict readers accept the
//! published files whole, with the counts the benchmarks report.

use chronicle_formats::{
    corpus_files, read_fakes_file, read_petrarch_records_file, read_plover_file, read_polnear_dir,
    PetrarchCoding,
};
use std::path::{Path, PathBuf};

fn data(rel: &str) -> Option<PathBuf> {
    let root = std::env::var_os("CHRONICLE_DATA").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
        PathBuf::from,
    );
    let p = root.join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipped: {} not found", p.display());
        None
    }
}

#[test]
fn plover_gsr_reads_whole() {
    let Some(p) = data("plover/plover-gsr-dev.json") else {
        return;
    };
    let records = read_plover_file(&p).expect("reads");
    assert_eq!(records.len(), 161);
    assert!(records
        .iter()
        .all(|r| !r.text.is_empty() && !r.source.is_empty()));
    assert_eq!(records.iter().filter(|r| r.dead.is_some()).count(), 9);
}

#[test]
fn petrarch_records_read_whole() {
    let Some(p) = data("petrarch/PETR.UnitTest.records.xml") else {
        return;
    };
    let records = read_petrarch_records_file(&p).expect("reads");
    assert_eq!(records.len(), 284);
    let events = records
        .iter()
        .flat_map(|r| &r.codings)
        .filter(|c| matches!(c, PetrarchCoding::Event { .. }))
        .count();
    assert_eq!(events, 359);
}

#[test]
fn fakes_reads_whole() {
    let Some(p) = data("fakes/fakes-dev.csv") else {
        return;
    };
    let articles = read_fakes_file(&p).expect("reads");
    assert_eq!(articles.len(), 402);
    assert!(articles.windows(2).all(|w| w[0].line < w[1].line));
}

#[test]
fn polnear_dev_reads_whole() {
    let Some(p) = data("polnear/dev") else { return };
    let docs = read_polnear_dir(&p).expect("reads");
    assert_eq!(docs.len(), 84);
    let with_content: usize = docs
        .iter()
        .map(|d| {
            d.attributions
                .iter()
                .filter(|a| a.content.is_some())
                .count()
        })
        .sum();
    assert_eq!(
        with_content, 2192,
        "the gold contents the benchmark reports"
    );
    for d in &docs {
        for f in d
            .attributions
            .iter()
            .flat_map(|a| a.content.iter().flatten())
        {
            assert!(d.text.is_char_boundary(f.0) && d.text.is_char_boundary(f.1));
        }
    }
}

#[test]
fn tempeval3_files_are_listed() {
    let Some(p) = data("tempeval3") else { return };
    let files = corpus_files(&p, &["tml", "xml"]).expect("lists");
    assert!(files.len() > 200, "{}", files.len());
    assert!(files.windows(2).all(|w| w[0] < w[1]));
}
