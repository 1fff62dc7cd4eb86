//! `codebook-convert --petrarch DIR --cameo DIR --out FILE`: reads the PETRARCH2
//! Phoenix dictionaries and the CAMEO tables and writes the compact asset the binary
//! embeds. Deterministic: the same inputs give the same bytes. Skipped lines are
//! listed on stderr with file and line.

use chronicle_codebook::{Codebook, Sources};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const ACTORS: &[&str] = &[
    "Phoenix.Countries.actors.txt",
    "Phoenix.International.actors.txt",
    "Phoenix.MilNonState.actors.txt",
];
const AGENTS: &[&str] = &["Phoenix.agents.txt"];
const VERBS: &[&str] = &["CAMEO.2.0.txt"];
/// Our own additions to the verb patterns, merged into CAMEO.2.0's blocks.
const CHRONICLE_VERBS: &str = include_str!("../../data/chronicle-verbs.txt");
/// Our own additions to the actor dictionaries (name forms Phoenix lacks).
const CHRONICLE_ACTORS: &str = include_str!("../../data/chronicle-actors.txt");

fn read(dir: &Path, name: &str) -> Result<(String, String), String> {
    let p = dir.join(name);
    std::fs::read(&p)
        .map(|b| (name.to_string(), String::from_utf8_lossy(&b).into_owned()))
        .map_err(|e| format!("{}: {e}", p.display()))
}

fn pairs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let (mut petrarch, mut cameo, mut out) = (None, None, None);
    while let Some(a) = args.next() {
        let v = args.next().map(PathBuf::from);
        match a.as_str() {
            "--petrarch" => petrarch = v,
            "--cameo" => cameo = v,
            "--out" => out = v,
            _ => return Err(format!("unknown argument {a}")),
        }
    }
    let usage = "usage: codebook-convert --petrarch DIR --cameo DIR --out FILE";
    let (Some(petrarch), Some(cameo), Some(out)) = (petrarch, cameo, out) else {
        return Err(usage.into());
    };
    let dicts = petrarch.join("dictionaries");
    let load = |names: &[&str]| -> Result<Vec<(String, String)>, String> {
        names.iter().map(|n| read(&dicts, n)).collect()
    };
    let (mut actors, agents, mut verbs) = (load(ACTORS)?, load(AGENTS)?, load(VERBS)?);
    actors.push((
        "chronicle-actors.txt".to_string(),
        CHRONICLE_ACTORS.to_string(),
    ));
    verbs.push((
        "chronicle-verbs.txt".to_string(),
        CHRONICLE_VERBS.to_string(),
    ));
    let labels = read(&cameo, "eventcodes.tsv")?;
    let goldstein = read(&cameo, "goldstein.tsv")?;
    let plover = read(&cameo, "CAMEO2PLOVER-2021.txt")?;
    let src = Sources {
        actors: pairs(&actors),
        agents: pairs(&agents),
        verbs: pairs(&verbs),
        labels: Some((&labels.0, &labels.1)),
        goldstein: Some((&goldstein.0, &goldstein.1)),
        plover: Some((&plover.0, &plover.1)),
    };
    let (book, issues) = Codebook::from_sources(&src);
    for i in &issues {
        eprintln!("skipped {i}");
    }
    let bytes = book.to_asset();
    std::fs::write(&out, &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    eprintln!(
        "wrote {} ({} bytes): {} actors, {} agents, {} verb forms in {} blocks, {} patterns, {} codes; {} lines skipped",
        out.display(),
        bytes.len(),
        book.actors.len(),
        book.agents.len(),
        book.verbs.forms.len(),
        book.verbs.blocks.len(),
        book.verbs.blocks.iter().map(|b| b.patterns.len()).sum::<usize>(),
        book.codes.len(),
        issues.len()
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
