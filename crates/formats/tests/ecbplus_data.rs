//! The ECB+ reader on the published corpus in ../shared/data/ecbplus or
//! $CHRONICLE_DATA/ecbplus (skipped when absent): every document reads, every
//! gold mention lands on tokens of its document, and the story gold names them all.

use chronicle_formats::{
    ecbplus_doc_files, read_coref_sentences_file, read_doc_clusters_file, read_ecbplus_file,
    read_gold_mentions_file,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn root() -> Option<PathBuf> {
    let root = std::env::var_os("CHRONICLE_DATA").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
        PathBuf::from,
    );
    let p = root.join("ecbplus");
    if p.join("docs").exists() {
        Some(p)
    } else {
        eprintln!("skipped: {} not found", p.display());
        None
    }
}

#[test]
fn ecbplus_reads_whole() {
    let Some(root) = root() else {
        return;
    };
    let files = ecbplus_doc_files(&root).expect("lists");
    let docs: HashMap<String, _> = files
        .iter()
        .map(|f| {
            let d = read_ecbplus_file(f).expect("reads");
            (d.name.clone(), d)
        })
        .collect();
    let clusters = read_doc_clusters_file(&root.join("gold/doc_clusters.tsv")).expect("reads");
    assert_eq!(clusters.len(), docs.len());
    assert!(clusters.iter().all(|c| docs.contains_key(&c.doc_id)));
    for split in ["Train", "Dev"] {
        for kind in ["Event", "Entity"] {
            let p = root.join(format!("gold/ECB_{split}_{kind}_gold_mentions.json"));
            for m in read_gold_mentions_file(&p).expect("reads") {
                let d = &docs[&m.doc_id];
                let text = d.text();
                let words: Vec<&str> = m
                    .tokens_number
                    .iter()
                    .map(|&n| {
                        let i = d.gold_token(m.sent_id, n).expect("token exists");
                        &text.text[text.spans[i].0..text.spans[i].1]
                    })
                    .collect();
                // The mention lists dropped non-ASCII characters ("Vendôme" -> "Vendme").
                let ascii: String = words.join(" ").chars().filter(char::is_ascii).collect();
                assert_eq!(ascii, m.tokens_str, "{} {:?}", m.doc_id, m.tokens_number);
            }
        }
    }
    let sentences =
        read_coref_sentences_file(&root.join("ECBplus_coreference_sentences.csv")).expect("reads");
    assert!(sentences
        .iter()
        .all(|s| s.topic >= 36 || docs.contains_key(&s.doc_name())));
}
