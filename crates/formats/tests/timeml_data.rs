//! TimeML writer on the TempEval-3 files in ../shared/data or $CHRONICLE_DATA (skipped when absent):
//! putting each file's own gold TIMEX3s back in through the writer gives a
//! well-formed document with the same text and the same spans and values.

use chronicle_formats::{overlay_timeml, read_timeml, read_timeml_file, Anchor, TimexOut};
use std::path::{Path, PathBuf};

#[test]
fn gold_timexes_survive_the_writer() {
    let data = std::env::var_os("CHRONICLE_DATA").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
        PathBuf::from,
    );
    let root = data.join("tempeval3");
    let Ok(dirs) = std::fs::read_dir(&root) else {
        eprintln!("skipped: {} not found", root.display());
        return;
    };
    let (mut files, mut timexes, mut skipped) = (0, 0, 0);
    for dir in dirs.flatten() {
        for f in std::fs::read_dir(dir.path()).expect("folder").flatten() {
            let path = f.path();
            if path.extension().and_then(|e| e.to_str()) != Some("tml") {
                continue;
            }
            let source = std::fs::read_to_string(&path).expect("utf-8");
            let gold = read_timeml_file(&path).expect("gold reads");
            let ours: Vec<TimexOut> = gold
                .timexes
                .iter()
                .map(|t| TimexOut {
                    start: t.start,
                    end: t.end,
                    kind: t.kind.clone(),
                    value: t.value.clone(),
                    anchor: t.anchor.as_ref().map(|_| Anchor::Dct),
                })
                .collect();
            let name = path.display().to_string();
            let out = overlay_timeml(&source, &name, &ours).expect("writes");
            let back = read_timeml(&out.xml, &name).expect("output is well-formed TimeML");
            assert_eq!(back.text, gold.text, "{name}");
            assert_eq!(back.dct, gold.dct, "{name}");
            let kept: Vec<(usize, usize, &str)> = ours
                .iter()
                .enumerate()
                .filter(|(i, _)| !out.skipped.contains(i))
                .map(|(_, t)| (t.start, t.end, t.value.as_str()))
                .collect();
            let got: Vec<(usize, usize, &str)> = back
                .timexes
                .iter()
                .map(|t| (t.start, t.end, t.value.as_str()))
                .collect();
            assert_eq!(got, kept, "{name}");
            files += 1;
            timexes += ours.len();
            skipped += out.skipped.len();
        }
    }
    eprintln!("{files} files, {timexes} TIMEX3, {skipped} not writable");
    assert_eq!(skipped, 0, "gold spans never cross other tags");
}
