//! Our coreference metrics against the reference scorer v8.01 (`scorer.pl` in
//! ../shared/tools or $CHRONICLE_TOOLS; skipped when it or perl is absent): random
//! key/response clusterings, some mentions held by one side only, written with our
//! CoNLL writer; every numerator and denominator must agree.

use chronicle_eval::coref_metrics::{b_cubed, ceaf_e, labels_to_chains, muc, write_conll_coref};
use std::path::{Path, PathBuf};
use std::process::Command;

fn scorer() -> Option<PathBuf> {
    let root = std::env::var_os("CHRONICLE_TOOLS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/tools"),
        PathBuf::from,
    );
    let p = root.join("reference-coreference-scorer/scorer.pl");
    let perl = Command::new("perl").arg("-v").output().is_ok();
    if p.exists() && perl {
        Some(p)
    } else {
        eprintln!("skipped: {} or perl not found", p.display());
        None
    }
}

/// (recall num, recall den, precision num, precision den) per metric, in scorer.pl's order.
fn official(scorer: &Path, key: &Path, response: &Path) -> Vec<(String, [f64; 4])> {
    let out = Command::new("perl")
        .arg(scorer)
        .args(["all"])
        .arg(key)
        .arg(response)
        .arg("none")
        .output()
        .expect("runs perl");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut rows = Vec::new();
    let mut metric = String::new();
    for line in text.lines() {
        if let Some(m) = line.strip_prefix("METRIC ") {
            metric = m.trim_end_matches(':').to_string();
        } else if line.starts_with("Coreference: Recall: (") {
            let nums: Vec<f64> = line
                .split(['(', ')', '/'])
                .filter_map(|s| s.trim().parse().ok())
                .collect();
            rows.push((metric.clone(), [nums[0], nums[1], nums[2], nums[3]]));
        }
    }
    rows
}

#[test]
fn metrics_agree_with_scorer_pl() {
    let Some(scorer) = scorer() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for round in 0..12 {
        let n = 5 + next(40) as usize;
        let (kc, rc) = (1 + next(n as u64), 1 + next(n as u64));
        // About one mention in eight is held by one side only.
        let key: Vec<Option<u64>> = (0..n).map(|_| (next(8) != 0).then(|| next(kc))).collect();
        let response: Vec<Option<u64>> = (0..n)
            .map(|i| (key[i].is_none() || next(8) != 0).then(|| next(rc)))
            .collect();
        let (kp, rp) = (dir.path().join("key"), dir.path().join("response"));
        std::fs::write(&kp, write_conll_coref("ecb", &key)).expect("writes");
        std::fs::write(&rp, write_conll_coref("ecb", &response)).expect("writes");
        let (k, r) = (labels_to_chains(&key), labels_to_chains(&response));
        let ours = [
            ("muc", muc(&k, &r)),
            ("bcub", b_cubed(&k, &r)),
            ("ceafe", ceaf_e(&k, &r)),
        ];
        let theirs = official(&scorer, &kp, &rp);
        for (name, s) in ours {
            let (_, o) = theirs
                .iter()
                .find(|(m, _)| m == name)
                .unwrap_or_else(|| panic!("scorer.pl printed no {name}"));
            let mine = [s.recall_num, s.recall_den, s.precision_num, s.precision_den];
            for (a, b) in mine.iter().zip(o) {
                assert!(
                    (a - b).abs() < 1e-6,
                    "round {round} {name}: ours {mine:?}, scorer.pl {o:?}"
                );
            }
        }
    }
}
