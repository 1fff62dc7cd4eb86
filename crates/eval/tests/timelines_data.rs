//! The timelines scorer on the SemEval-2015 TimeLine gold in ../shared/data or
//! $CHRONICLE_DATA (skipped when absent): every gold timeline scored against itself
//! gives 1.0 (its graph is consistent under our closure, INCLUDED for dates), and
//! the writer gives back what the reader read.

use chronicle_eval::timelines::awareness;
use chronicle_formats::{read_timeline, read_timeline_file, write_timeline};
use std::path::{Path, PathBuf};

#[test]
fn every_gold_timeline_entails_itself() {
    let data = std::env::var_os("CHRONICLE_DATA").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
        PathBuf::from,
    );
    let root = data.join("timelines");
    let Ok(corpora) = std::fs::read_dir(&root) else {
        eprintln!("skipped: {} not found", root.display());
        return;
    };
    let mut timelines = 0;
    for corpus in corpora.flatten() {
        let Ok(golds) = std::fs::read_dir(corpus.path().join("gold")) else {
            continue;
        };
        for g in golds.flatten() {
            let gold = read_timeline_file(&g.path()).expect("gold reads");
            let again = read_timeline(&write_timeline(&gold), "again").expect("rereads");
            assert_eq!(again, gold, "{}", g.path().display());
            let c = awareness(&gold, &gold);
            assert_eq!(
                c.system_entailed,
                c.system_relations,
                "{}",
                g.path().display()
            );
            assert_eq!(c.gold_entailed, c.gold_relations, "{}", g.path().display());
            timelines += 1;
        }
    }
    assert!(timelines > 0, "no gold timelines under {}", root.display());
}
