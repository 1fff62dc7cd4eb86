//! Conflicting casualty figures against the FA-KES multi-outlet incidents
//! (`fakes-conflicts/`): `articles.csv` is ingested as any CSV is (its `date`
//! and `source` columns are the report's date and outlet, as a feed would give
//! them), annotated, and the claims of all articles go through
//! `chronicle_link::conflicts` as one pool: the claim key (kind, subject class,
//! incident day, place) does the grouping, since a story clustering is not used
//! here. Scored against `groups.tsv` (one gold incident = same day, same
//! governorate, several outlets):
//!
//! - `toll_accuracy`: each article's civilian-death figure ([`civilian_toll`]),
//!   exactly, against its gold `nb_civilians` (no figure = 0).
//!   `toll_accuracy_main_kill` scores `claims::main_kill` (the all-killed toll of
//!   `--task claims`) against the same column, for comparison.
//! - A gold conflicting incident is one whose articles' `nb_civilians` differ. It
//!   is *found* when we show a KILL disagreement of the `people` class whose
//!   figures all come from the incident's articles, each with that article's
//!   gold value, and which shows every distinct non-zero gold value (an outlet
//!   whose gold civilian toll is 0 states none we could show). `conflict_recall`
//!   = found / gold conflicting incidents (all of them; `findable` counts those
//!   with two distinct non-zero values).
//! - `conflict_precision`: of the KILL/people disagreements we show over these
//!   articles, the share whose figures all lie in one gold conflicting incident
//!   with their articles' gold values. Disagreements of other kinds or classes
//!   (wounded, children, soldiers) have no gold column and are only counted
//!   (`other_disagreements`).
//!
//! Nothing is fitted, but the grouping rules (`chronicle_link::conflicts`) were
//! written while reading the diagnostics of all 40 groups, so these figures are
//! not an unseen-data measure. `tune` (odd-numbered groups) and `check` (even)
//! report the halves apart to show how much the figures move between incidents
//! on a set this small; later rules (one figure per document, kind and class;
//! places read in the report's countries; sums over two divisions in a row;
//! split tolls; rounded headline bounds) were written from the `tune` half's
//! errors alone and kept only where `check` did not get worse. With `CHRONICLE_BENCH_ERRORS=1` every disagreement shown,
//! every wrong toll and every KILL claim with its class, place and time are
//! printed.

use crate::{pipeline, ratio, read_bytes, EvalError};
use chronicle_core::Document;
use chronicle_link::conflicts::{claim_refs, figure_groups, ref_class, ClaimRef, FigureGroup};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One row of `groups.tsv`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct GoldRow {
    group: String,
    conflict_fields: String,
    source: String,
    civilians: u64,
}

/// Figures over a set of gold incidents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConflictScores {
    pub groups: usize,
    pub articles: usize,
    pub toll_accuracy: f64,
    pub gold_conflicts: usize,
    pub findable: usize,
    pub found: usize,
    pub conflict_recall: f64,
    pub disagreements_shown: usize,
    pub matched: usize,
    pub conflict_precision: f64,
}

/// `benchmark accuracy --task conflicts`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConflictsReport {
    pub articles: usize,
    pub groups: usize,
    pub toll_accuracy: f64,
    pub toll_accuracy_main_kill: f64,
    pub gold_conflicts: usize,
    /// Gold conflicting incidents with two distinct non-zero civilian tolls.
    pub findable: usize,
    pub found: usize,
    pub conflict_recall: f64,
    /// KILL disagreements over people we show.
    pub disagreements_shown: usize,
    pub matched: usize,
    pub conflict_precision: f64,
    /// Disagreements of other kinds or subject classes (no gold to score them).
    pub other_disagreements: usize,
    /// How the articles were grouped before the figures were compared.
    pub grouping: String,
    /// Odd-numbered groups (the rules were written looking at these).
    pub tune: ConflictScores,
    /// Even-numbered groups.
    pub check: ConflictScores,
    #[serde(skip)]
    pub diagnostics: Vec<String>,
}

/// An article's civilian-death figure: the first exact KILL claim counting
/// people or civilians (not others counted beside them, not combatants, not a
/// running war total), one its headline states first, then in reading order;
/// else the first exact one counting children or women alone (civilians too);
/// else the first vague one of people.
pub fn civilian_toll(doc: &Document) -> Option<f64> {
    let refs = claim_refs(doc);
    let kills = |class: &'static [&'static str]| {
        refs.iter().filter(move |r| {
            r.claim.kind == "KILL" && !r.cumulative && class.contains(&ref_class(r).as_str())
        })
    };
    let exact =
        |r: &&ClaimRef| r.claim.value >= 1.0 && !chronicle_quotes::vague_count(&r.claim.text);
    kills(&["people"])
        .filter(exact)
        .find(|r| r.civilians_of_split)
        .or_else(|| kills(&["people"]).filter(exact).find(|r| r.headline))
        .or_else(|| kills(&["people"]).find(exact))
        .or_else(|| kills(&["children", "women"]).find(exact))
        .or_else(|| kills(&["people"]).next())
        .map(|r| r.claim.value)
}

fn read_groups(path: &Path) -> Result<BTreeMap<String, GoldRow>, EvalError> {
    let bytes = read_bytes(path)?;
    let text = String::from_utf8_lossy(&bytes);
    let mut lines = text.lines().enumerate();
    let header: Vec<&str> = lines
        .next()
        .map(|(_, h)| h.split('\t').collect())
        .unwrap_or_default();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .ok_or_else(|| EvalError::NothingToScore {
                path: path.to_path_buf(),
                reason: format!("no `{name}` column"),
            })
    };
    let (g, cf, unit, src, civ) = (
        col("group_id")?,
        col("conflict_fields")?,
        col("unit_id")?,
        col("source")?,
        col("nb_civilians")?,
    );
    let mut out = BTreeMap::new();
    for (i, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let get = |k: usize| f.get(k).copied().unwrap_or_default();
        let civilians = get(civ)
            .trim()
            .parse::<u64>()
            .map_err(|_| EvalError::NothingToScore {
                path: path.to_path_buf(),
                reason: format!("line {}: nb_civilians {:?} is not a count", i + 1, get(civ)),
            })?;
        out.insert(
            get(unit).to_string(),
            GoldRow {
                group: get(g).to_string(),
                conflict_fields: get(cf).to_string(),
                source: get(src).to_string(),
                civilians,
            },
        );
    }
    Ok(out)
}

fn is_people_kill(g: &FigureGroup) -> bool {
    g.kind == "KILL" && g.subject == "people"
}

/// Whether group `id` falls in the tune half (odd number).
fn tune_half(id: &str) -> bool {
    id.trim_start_matches('g')
        .parse::<u32>()
        .is_ok_and(|n| n % 2 == 1)
}

struct Scored<'a> {
    gold: &'a BTreeMap<String, GoldRow>,
    /// document id → unit id
    unit_of: &'a BTreeMap<String, String>,
    tolls: &'a BTreeMap<String, Option<f64>>,
    shown: &'a [FigureGroup],
}

impl Scored<'_> {
    /// The gold incident a disagreement matches, if all its figures are right.
    fn matches(&self, d: &FigureGroup) -> Option<String> {
        let mut group: Option<&str> = None;
        for v in &d.values {
            let row = self
                .unit_of
                .get(&v.document)
                .and_then(|u| self.gold.get(u))?;
            if group.is_some_and(|g| g != row.group) || (v.value - row.civilians as f64).abs() > 0.5
            {
                return None;
            }
            group = Some(&row.group);
        }
        let g = group?;
        let conflicting = self
            .gold
            .values()
            .any(|r| r.group == g && r.conflict_fields.contains("nb_civilians"));
        conflicting.then(|| g.to_string())
    }

    fn scores(&self, keep: &dyn Fn(&str) -> bool) -> ConflictScores {
        let rows: Vec<(&String, &GoldRow)> =
            self.gold.iter().filter(|(_, r)| keep(&r.group)).collect();
        let groups: BTreeSet<&str> = rows.iter().map(|(_, r)| r.group.as_str()).collect();
        let mut right = 0usize;
        for (unit, r) in &rows {
            let ours = self.tolls.get(*unit).copied().flatten().unwrap_or(0.0);
            right += usize::from((ours - r.civilians as f64).abs() < 0.5);
        }
        let conflicts: BTreeSet<&str> = rows
            .iter()
            .filter(|(_, r)| r.conflict_fields.contains("nb_civilians"))
            .map(|(_, r)| r.group.as_str())
            .collect();
        let nonzero = |g: &str| -> BTreeSet<u64> {
            rows.iter()
                .filter(|(_, r)| r.group == g && r.civilians > 0)
                .map(|(_, r)| r.civilians)
                .collect()
        };
        let findable = conflicts.iter().filter(|g| nonzero(g).len() >= 2).count();
        // Disagreements over these incidents' articles.
        let ours: Vec<&FigureGroup> = self
            .shown
            .iter()
            .filter(|d| is_people_kill(d))
            .filter(|d| {
                d.values.iter().any(|v| {
                    self.unit_of
                        .get(&v.document)
                        .and_then(|u| self.gold.get(u))
                        .is_some_and(|r| keep(&r.group))
                })
            })
            .collect();
        let mut matched = 0usize;
        let mut found: BTreeSet<String> = BTreeSet::new();
        for d in &ours {
            let Some(g) = self.matches(d) else { continue };
            matched += 1;
            let shown: BTreeSet<u64> = d.values.iter().map(|v| v.value.round() as u64).collect();
            if nonzero(&g).is_subset(&shown) {
                found.insert(g);
            }
        }
        ConflictScores {
            groups: groups.len(),
            articles: rows.len(),
            toll_accuracy: ratio(right, rows.len()),
            gold_conflicts: conflicts.len(),
            findable,
            found: found.len(),
            conflict_recall: ratio(found.len(), conflicts.len()),
            disagreements_shown: ours.len(),
            matched,
            conflict_precision: ratio(matched, ours.len()),
        }
    }
}

/// Scores the folder `data` (`articles.csv` + `groups.tsv`).
pub fn score_conflicts(data: &Path) -> Result<ConflictsReport, EvalError> {
    let csv = data.join("articles.csv");
    let gold = read_groups(&data.join("groups.tsv"))?;
    let bytes = read_bytes(&csv)?;
    let opts = chronicle_ingest::IngestOptions {
        max_bytes: u64::MAX,
        ..Default::default()
    };
    let stats = chronicle_ingest::LineStats::default();
    let docs = chronicle_ingest::read_bytes(&bytes, &csv, &opts, &stats)?;
    let pipeline = pipeline()?;
    // Only the articles of a gold incident take part.
    let mut docs: Vec<Document> = docs
        .into_iter()
        .filter_map(Result::ok)
        .filter(|d| {
            d.metadata
                .get("unit_id")
                .is_some_and(|u| gold.contains_key(u))
        })
        .collect();
    if docs.is_empty() {
        return Err(EvalError::NothingToScore {
            path: csv,
            reason: "no article's unit_id is in groups.tsv".into(),
        });
    }
    docs.par_iter_mut().for_each(|d| pipeline.annotate(d));
    let mut unit_of = BTreeMap::new();
    let mut tolls = BTreeMap::new();
    let mut main_right = 0usize;
    let mut claims = Vec::new();
    for d in &docs {
        let Some(unit) = d.metadata.get("unit_id") else {
            continue;
        };
        unit_of.insert(d.id.clone(), unit.clone());
        tolls.insert(unit.clone(), civilian_toll(d));
        let gold_civ = gold.get(unit).map_or(0.0, |r| r.civilians as f64);
        let main = crate::claims::main_kill(d).unwrap_or(0.0);
        main_right += usize::from((main - gold_civ).abs() < 0.5);
        claims.extend(claim_refs(d));
    }
    let mut claim_lines = Vec::new();
    for c in &claims {
        if c.claim.kind != "KILL" {
            continue;
        }
        let unit = unit_of.get(&c.doc_id).cloned().unwrap_or_default();
        let g = gold.get(&unit);
        claim_lines.push(format!(
            "claim {} {unit} @{:06} {:?} gold {}\t{:?} class {} place {:?}/{:?} time {:?} date {:?} cumulative {}",
            g.map_or("-", |r| r.group.as_str()),
            c.claim.start,
            c.outlet,
            g.map_or(0, |r| r.civilians),
            c.claim.text,
            ref_class(c),
            c.claim.place,
            c.context_place,
            c.claim.time,
            c.date,
            c.cumulative
        ));
    }
    let grouped = figure_groups(&claims);
    let shown: Vec<FigureGroup> = grouped.iter().filter(|g| g.disagrees).cloned().collect();
    let scored = Scored {
        gold: &gold,
        unit_of: &unit_of,
        tolls: &tolls,
        shown: &shown,
    };
    let all = scored.scores(&|_| true);
    let mut diagnostics = Vec::new();
    // Each figure of a group with the gold incident and toll of its article.
    let figures_of = |d: &FigureGroup| -> Vec<String> {
        d.values
            .iter()
            .map(|v| {
                let g = unit_of.get(&v.document).and_then(|u| gold.get(u));
                format!(
                    "{}={} ({}, gold {} {})",
                    v.outlet.as_deref().unwrap_or("?"),
                    v.value,
                    v.text,
                    g.map_or("-", |r| r.group.as_str()),
                    g.map_or(0, |r| r.civilians)
                )
            })
            .collect()
    };
    for d in &shown {
        let figures = figures_of(d);
        diagnostics.push(format!(
            "{} {} {:?} {:?}\tmatch {:?}\t{}",
            d.kind,
            d.subject,
            d.place,
            d.time,
            scored.matches(d),
            figures.join("; ")
        ));
    }
    // Groups shown as agreeing: where a disagreement the gold holds may hide.
    for d in grouped.iter().filter(|g| !g.disagrees && is_people_kill(g)) {
        let figures = figures_of(d);
        diagnostics.push(format!(
            "agree {:?} {:?}\t{}",
            d.place,
            d.time,
            figures.join("; ")
        ));
    }
    for (unit, r) in &gold {
        let ours = tolls.get(unit).copied().flatten();
        if (ours.unwrap_or(0.0) - r.civilians as f64).abs() >= 0.5 {
            diagnostics.push(format!(
                "toll {unit} {} {}\tgold {}\tours {ours:?}",
                r.group, r.source, r.civilians
            ));
        }
    }
    claim_lines.sort();
    diagnostics.extend(claim_lines);
    let other = shown.iter().filter(|d| !is_people_kill(d)).count();
    Ok(ConflictsReport {
        articles: all.articles,
        groups: all.groups,
        toll_accuracy: all.toll_accuracy,
        toll_accuracy_main_kill: ratio(main_right, all.articles),
        gold_conflicts: all.gold_conflicts,
        findable: all.findable,
        found: all.found,
        conflict_recall: all.conflict_recall,
        disagreements_shown: all.disagreements_shown,
        matched: all.matched,
        conflict_precision: all.conflict_precision,
        other_disagreements: other,
        grouping: "claim key (kind, subject class, incident day, place) over all articles; no story clustering".into(),
        tune: scored.scores(&tune_half),
        check: scored.scores(&|g| !tune_half(g)),
        diagnostics,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_a_small_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("articles.csv"),
            "unit_id,article_title,article_content,source,date,nb_civilians,nb_noncivilians\n\
             1,Strikes hit Varnholm,Air strikes killed 12 civilians in Varnholm on Friday. The residents said that the planes came back in the evening and that the hospital was full.,alpha,4/7/17,12,0\n\
             2,Raids on Varnholm,Air raids killed 30 civilians in Varnholm on Friday. Witnesses said that the market was hit twice and that rescue teams were still searching.,beta,4/7/17,30,0\n\
             3,Council meets,The council met in Ostrava on Friday to discuss the budget for the coming year and the repairs of the old bridge.,gamma,4/8/17,0,0\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("groups.tsv"),
            "group_id\tdate\tlocation\tn_articles\tn_sources\tconflict_fields\tunit_id\tsource\tlabel\tnb_civilians\tnb_children\tnb_women\tnb_noncivilians\n\
             g001\t4/7/17\tvarnholm\t2\t2\tnb_civilians\t1\talpha\t1\t12\t0\t0\t0\n\
             g001\t4/7/17\tvarnholm\t2\t2\tnb_civilians\t2\tbeta\t1\t30\t0\t0\t0\n\
             g002\t4/8/17\tostrava\t1\t1\t-\t3\tgamma\t1\t0\t0\t0\t0\n",
        )
        .unwrap();
        let r = score_conflicts(dir.path()).unwrap();
        assert_eq!((r.articles, r.groups, r.gold_conflicts), (3, 2, 1), "{r:?}");
        assert_eq!(r.findable, 1);
        assert_eq!(r.toll_accuracy, 1.0, "{:?}", r.diagnostics);
        assert_eq!(
            (r.found, r.matched, r.disagreements_shown),
            (1, 1, 1),
            "{:?}",
            r.diagnostics
        );
        assert_eq!((r.tune.groups, r.check.groups), (1, 1));
        let json = serde_json::to_value(&r).unwrap();
        for k in ["toll_accuracy", "conflict_recall", "conflict_precision"] {
            assert!(json.get(k).is_some(), "{k}");
        }
    }

    /// `CHRONICLE_CONFLICTS_DATA=../shared/data/fakes-conflicts cargo test --release
    /// -p chronicle-eval conflicts_on_real_data -- --ignored --nocapture`: the
    /// benchmark without building the binary.
    /// `CHRONICLE_CLAIMS_DATA=../shared/data/fakes/fakes-dev.csv cargo test --release
    /// -p chronicle-eval claims_on_real_data -- --ignored --nocapture`: the
    /// `claims` benchmark this module's rules share the claims with.
    #[test]
    #[ignore]
    fn claims_on_real_data() {
        let Some(file) = std::env::var_os("CHRONICLE_CLAIMS_DATA") else {
            return;
        };
        let r = crate::claims::score_claims(Path::new(&file)).unwrap();
        println!("{}", serde_json::to_string_pretty(&r).unwrap());
    }

    #[test]
    #[ignore]
    fn conflicts_on_real_data() {
        let Some(dir) = std::env::var_os("CHRONICLE_CONFLICTS_DATA") else {
            return;
        };
        let r = score_conflicts(Path::new(&dir)).unwrap();
        for d in &r.diagnostics {
            eprintln!("{d}");
        }
        println!("{}", serde_json::to_string_pretty(&r).unwrap());
    }

    #[test]
    fn a_missing_column_is_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("groups.tsv"), "group_id\tunit_id\n").unwrap();
        std::fs::write(dir.path().join("articles.csv"), "article_content\nx\n").unwrap();
        let e = score_conflicts(dir.path()).unwrap_err().to_string();
        assert!(e.contains("conflict_fields"), "{e}");
    }
}
