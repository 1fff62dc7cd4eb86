//! `chronicle extract`: what ingest reads from files (main text, title,
//! outlet, URL, the publication date with its evidence, warnings), without
//! annotating or storing: the fast path for checking a crawler's pages.

use crate::outln;
use crate::output::print_document;
use crate::FieldArgs;
use chronicle_ingest::{IngestOptions, LineStats};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Reads every file (folders are walked as `ingest` walks them) and prints each
/// document: the text form of `show`, or one Document JSON object per line
/// (empty annotation layers). Unreadable files and records are reported on
/// stderr and make the exit code 1; the others still print.
pub fn run(paths: &[PathBuf], fields: &FieldArgs, json: bool) -> anyhow::Result<ExitCode> {
    let opts = IngestOptions {
        fields: fields.to_map(),
        ..Default::default()
    };
    let (files, mut failed) = {
        let (files, errors) = chronicle_ingest::collect_inputs(paths);
        for e in &errors {
            eprintln!("failed: {e}");
        }
        (files, !errors.is_empty())
    };
    // One line table for the run, as ingest keeps one: lines repeated across an
    // outlet's pages are chrome.
    let stats = LineStats::default();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for file in &files {
        let records = match chronicle_ingest::read_file(file, &opts, &stats) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("failed: {e}");
                failed = true;
                continue;
            }
        };
        for record in records {
            match record {
                Ok(doc) if json => {
                    let written = serde_json::to_writer(&mut out, &doc)
                        .map_err(std::io::Error::from)
                        .and_then(|()| writeln!(out));
                    match written {
                        // A closed pipe (`| head`) ends the listing quietly.
                        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                            return Ok(ExitCode::SUCCESS)
                        }
                        other => other?,
                    }
                }
                Ok(doc) => {
                    out.flush()?;
                    print_document(&doc)?;
                    outln!()?;
                    outln!("{}", doc.text)?;
                    outln!()?;
                }
                Err(e) => {
                    eprintln!("failed: {e}");
                    failed = true;
                }
            }
        }
    }
    match out.flush() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other?,
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
