//! Quote attribution on PolNeAR folders (`text/`, `attributions/`).
//!
//! Each gold Attribution event's Content (all its fragments) is one gold content;
//! our quotes sharing one cue (a quote broken by its attribution, its continuation)
//! form one predicted content, and predictions inside a larger one (a partial quote
//! inside reported speech) are dropped. A pair matches by overlap when the shared
//! bytes are at least half of the longer side, exactly when both are equal after
//! trimming spaces, sentence punctuation and quotation marks at the fragment edges;
//! pairs are matched one to one, best overlap first. "Direct" gold contents are those
//! whose text opens with a quotation mark; direct predictions are groups holding a
//! direct quote. Speaker accuracy is over overlap-matched pairs with a gold Source:
//! our speaker span overlaps it, or our resolved name ends with the source's last
//! word. A text annotated by several annotators is scored once, against the first
//! `.ann` in name order.

use crate::folds::{FoldFigures, Measure, PerFold};
use crate::{english_document, pipeline, ratio, EvalError};
use chronicle_core::Document;
use chronicle_formats::{prf, read_polnear_dir, Fragments, PolnearAttribution};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// `benchmark accuracy --task quotes`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuotesReport {
    /// The whole set (its fields appear at the top level of the JSON).
    #[serde(flatten)]
    pub whole: QuotesPart,
    /// Documents whose text file name falls in the tune folds ([`crate::folds`]):
    /// look at these.
    pub tune: QuotesPart,
    /// The other documents: only scored.
    pub check: QuotesPart,
    /// Each fold, and the spread of the headline figures over them.
    pub folds: FoldFigures<QuotesPart>,
    /// Gold contents missed (`MISS`) and predictions unmatched (`EXTRA`).
    #[serde(skip)]
    pub diagnostics: Vec<String>,
}

/// The report's figures over some of the documents (a part or a fold).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuotesPart {
    pub documents: usize,
    pub gold_contents: usize,
    pub predicted_contents: usize,
    pub content_precision_overlap: f64,
    pub content_recall_overlap: f64,
    pub content_f1_overlap: f64,
    pub content_precision_exact: f64,
    pub content_recall_exact: f64,
    pub content_f1_exact: f64,
    pub gold_direct: usize,
    pub predicted_direct: usize,
    pub direct_precision_overlap: f64,
    pub direct_recall_overlap: f64,
    pub direct_f1_overlap: f64,
    pub speaker_pairs: usize,
    pub speaker_accuracy: f64,
}

/// The measures each fold's spread is given for.
const HEADLINE: [Measure<QuotesPart>; 4] = [
    ("content_f1_overlap", |p| p.content_f1_overlap),
    ("content_f1_exact", |p| p.content_f1_exact),
    ("direct_f1_overlap", |p| p.direct_f1_overlap),
    ("speaker_accuracy", |p| p.speaker_accuracy),
];

impl From<&Counts> for QuotesPart {
    fn from(c: &Counts) -> Self {
        let (op, or, of) = prf(c.overlap, c.pred, c.gold);
        let (ep, er, ef) = prf(c.exact, c.pred, c.gold);
        // Direct contents are matched among all contents, so precision and recall have
        // different numerators and F1 is computed here rather than by `prf`.
        let dp = ratio(c.direct_pred_matched, c.pred_direct);
        let dr = ratio(c.direct_gold_matched, c.gold_direct);
        let df = if dp + dr > 0.0 {
            2.0 * dp * dr / (dp + dr)
        } else {
            0.0
        };
        QuotesPart {
            documents: c.documents,
            gold_contents: c.gold,
            predicted_contents: c.pred,
            content_precision_overlap: op,
            content_recall_overlap: or,
            content_f1_overlap: of,
            content_precision_exact: ep,
            content_recall_exact: er,
            content_f1_exact: ef,
            gold_direct: c.gold_direct,
            predicted_direct: c.pred_direct,
            direct_precision_overlap: dp,
            direct_recall_overlap: dr,
            direct_f1_overlap: df,
            speaker_pairs: c.speaker_total,
            speaker_accuracy: ratio(c.speaker_right, c.speaker_total),
        }
    }
}

fn size(f: &Fragments) -> usize {
    f.iter().map(|(a, b)| b - a).sum()
}

fn intersect(a: &Fragments, b: &Fragments) -> usize {
    let mut n = 0;
    for &(s1, e1) in a {
        for &(s2, e2) in b {
            n += e1.min(e2).saturating_sub(s1.max(s2));
        }
    }
    n
}

fn is_quote_char(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '‘' | '’' | '\'' | '`' | '«' | '»')
}

/// Fragments trimmed of spaces, sentence punctuation and quotation marks.
fn core(text: &str, f: &Fragments) -> Fragments {
    let mut out: Fragments = f
        .iter()
        .filter_map(|&(s, e)| {
            let t = text.get(s..e)?;
            let trim = |c: char| c.is_whitespace() || is_quote_char(c) || ".,;:!?—–-".contains(c);
            let l = t.len() - t.trim_start_matches(trim).len();
            let r = t.trim_end_matches(trim).len();
            (r > l).then_some((s + l, s + r))
        })
        .collect();
    out.sort_unstable();
    out
}

struct GoldContent {
    frags: Fragments,
    source: Option<Fragments>,
    cue: Option<Fragments>,
    direct: bool,
}

/// One predicted content: the quotes of one attribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PredContent {
    /// Byte fragments in text order.
    pub frags: Fragments,
    /// Holds a direct quote.
    pub direct: bool,
    /// Only partial quotes: dropped when they lie inside another content.
    partial: bool,
    pub speaker_span: Option<(usize, usize)>,
    pub speaker_name: Option<String>,
    /// The cue of the content's first quote.
    pub cue_span: Option<(usize, usize)>,
}

fn gold_contents(text: &str, attributions: &[PolnearAttribution]) -> Vec<GoldContent> {
    attributions
        .iter()
        .filter_map(|a| {
            let frags = a.content.clone()?;
            let c = core(text, &frags);
            let first = c.first().map(|x| x.0).unwrap_or(0);
            let direct = frags.iter().any(|&(s, _)| {
                text.get(s..first)
                    .is_some_and(|lead| lead.chars().any(is_quote_char))
            });
            Some(GoldContent {
                frags,
                source: a.source.clone(),
                cue: a.cue.clone(),
                direct,
            })
        })
        .collect()
}

/// Our attributions as this benchmark counts them, and as `chronicle tag --format
/// brat` writes them: one content per attribution, its fragments in text order.
pub fn predicted_contents(doc: &Document) -> Vec<PredContent> {
    let mut groups: BTreeMap<(usize, usize, usize), PredContent> = BTreeMap::new();
    for (i, q) in doc.quotes.iter().enumerate() {
        // Quotation fragments of one attribution form one content; reported speech
        // is one content by itself.
        let key = match (&q.cue, q.speaker_span) {
            (Some(_), Some(s)) if q.kind == "direct" => (0, s.start, s.end),
            _ => (1, i, 0),
        };
        let g = groups.entry(key).or_insert_with(|| PredContent {
            frags: Vec::new(),
            direct: false,
            partial: true,
            speaker_span: q.speaker_span.map(|s| (s.start, s.end)),
            speaker_name: q.speaker_canonical.clone(),
            cue_span: q.cue_span.map(|s| (s.start, s.end)),
        });
        g.frags.push((q.start, q.end));
        g.direct |= q.kind == "direct";
        g.partial &= q.kind == "partial";
    }
    let mut out: Vec<PredContent> = Vec::new();
    for (_, mut g) in groups {
        g.frags.sort_unstable();
        // A partial quote inside the reported speech it belongs to is not a second content.
        let mut kept: Fragments = Vec::new();
        for f in g.frags {
            if !kept.iter().any(|k| k.0 <= f.0 && f.1 <= k.1) {
                kept.retain(|k| !(f.0 <= k.0 && k.1 <= f.1));
                kept.push(f);
            }
        }
        g.frags = kept;
        out.push(g);
    }
    let all: Vec<Fragments> = out.iter().map(|g| g.frags.clone()).collect();
    out.into_iter()
        .enumerate()
        .filter(|(i, g)| {
            !g.partial
                || !all.iter().enumerate().any(|(j, o)| {
                    j != *i && size(o) > size(&g.frags) && intersect(o, &g.frags) == size(&g.frags)
                })
        })
        .map(|(_, g)| g)
        .collect()
}

fn last_word(s: &str) -> String {
    s.split_whitespace()
        .last()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Counts {
    documents: usize,
    pred: usize,
    gold: usize,
    overlap: usize,
    exact: usize,
    pred_direct: usize,
    gold_direct: usize,
    direct_pred_matched: usize,
    direct_gold_matched: usize,
    speaker_total: usize,
    speaker_right: usize,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Self) {
        self.documents += o.documents;
        self.pred += o.pred;
        self.gold += o.gold;
        self.overlap += o.overlap;
        self.exact += o.exact;
        self.pred_direct += o.pred_direct;
        self.gold_direct += o.gold_direct;
        self.direct_pred_matched += o.direct_pred_matched;
        self.direct_gold_matched += o.direct_gold_matched;
        self.speaker_total += o.speaker_total;
        self.speaker_right += o.speaker_right;
    }
}

fn score_document(
    text: &str,
    gold: &[GoldContent],
    pred: &[PredContent],
    c: &mut Counts,
    diagnostics: &mut Vec<String>,
) {
    c.pred += pred.len();
    c.gold += gold.len();
    c.pred_direct += pred.iter().filter(|p| p.direct).count();
    c.gold_direct += gold.iter().filter(|g| g.direct).count();
    let mut pairs = Vec::new();
    for (gi, g) in gold.iter().enumerate() {
        for (pi, p) in pred.iter().enumerate() {
            let inter = intersect(&g.frags, &p.frags);
            let longer = size(&g.frags).max(size(&p.frags)).max(1);
            if inter * 2 >= longer && inter > 0 {
                pairs.push((inter as f64 / longer as f64, gi, pi));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut gused, mut pused) = (vec![false; gold.len()], vec![false; pred.len()]);
    for (_, gi, pi) in pairs {
        if gused[gi] || pused[pi] {
            continue;
        }
        gused[gi] = true;
        pused[pi] = true;
        let (g, p) = (&gold[gi], &pred[pi]);
        c.overlap += 1;
        if core(text, &g.frags) == core(text, &p.frags) {
            c.exact += 1;
        }
        if g.direct {
            c.direct_gold_matched += 1;
        }
        if p.direct {
            c.direct_pred_matched += 1;
        }
        if let Some(src) = &g.source {
            c.speaker_total += 1;
            let span_hit = p.speaker_span.is_some_and(|s| intersect(src, &vec![s]) > 0);
            let src_text: String = src
                .iter()
                .filter_map(|&(a, b)| text.get(a..b))
                .collect::<Vec<_>>()
                .join(" ");
            let name_hit = p
                .speaker_name
                .as_deref()
                .is_some_and(|n| !last_word(n).is_empty() && last_word(n) == last_word(&src_text));
            if span_hit || name_hit {
                c.speaker_right += 1;
            }
        }
    }
    let show = |f: &Fragments| -> String {
        f.iter()
            .filter_map(|&(a, b)| text.get(a..b))
            .collect::<Vec<_>>()
            .join(" … ")
            .replace('\n', " ")
    };
    for (g, _) in gold.iter().zip(&gused).filter(|(_, used)| !**used) {
        let near: Vec<String> = pred
            .iter()
            .filter(|p| intersect(&g.frags, &p.frags) > 0)
            .map(|p| show(&p.frags))
            .collect();
        let cue = g.cue.as_ref().map(show).unwrap_or_default();
        diagnostics.push(format!("MISS\t{}\tcue {cue:?}\t{near:?}", show(&g.frags)));
    }
    for (p, _) in pred.iter().zip(&pused).filter(|(_, used)| !**used) {
        let cue = p.cue_span.and_then(|(a, b)| text.get(a..b));
        diagnostics.push(format!("EXTRA\t{}\tcue {cue:?}", show(&p.frags)));
    }
}

/// Scores quote attribution on the PolNeAR split folder `data`.
pub fn score_quotes(data: &Path) -> Result<QuotesReport, EvalError> {
    let docs = read_polnear_dir(data)?;
    let pipeline = pipeline()?;
    let mut per_fold: PerFold<Counts> = PerFold::default();
    let mut diagnostics = Vec::new();
    for d in &docs {
        let gold = gold_contents(&d.text, &d.attributions);
        let mut doc = english_document(&d.name, &d.text_path.display().to_string(), d.text.clone());
        pipeline.annotate(&mut doc);
        let pred = predicted_contents(&doc);
        let mut c = Counts {
            documents: 1,
            ..Default::default()
        };
        let from = diagnostics.len();
        score_document(&doc.text, &gold, &pred, &mut c, &mut diagnostics);
        let key = d
            .text_path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy();
        // Each line names its part, so a rule is studied on tune lines only.
        let part = crate::folds::part_name(crate::folds::fold_of(&key));
        for line in &mut diagnostics[from..] {
            *line = format!("{part}\t{key}\t{line}");
        }
        per_fold.add(&key, c);
    }
    let all = QuotesPart::from(&per_fold.all());
    Ok(QuotesReport {
        whole: QuotesPart {
            documents: docs.len(),
            ..all
        },
        tune: QuotesPart::from(&per_fold.tune()),
        check: QuotesPart::from(&per_fold.check()),
        folds: FoldFigures::new(&per_fold, &HEADLINE),
        diagnostics,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gold(frags: Fragments, source: Option<Fragments>, direct: bool) -> GoldContent {
        GoldContent {
            frags,
            source,
            cue: None,
            direct,
        }
    }

    fn pred(frags: Fragments, speaker: Option<(usize, usize)>, direct: bool) -> PredContent {
        PredContent {
            frags,
            direct,
            partial: false,
            speaker_span: speaker,
            speaker_name: None,
            cue_span: None,
        }
    }

    #[test]
    fn core_trims_quotes_punctuation_and_spaces() {
        let text = "He said: “The vote was fair.” Then left.";
        let s = text.find('“').unwrap();
        let e = text.find('”').unwrap() + '”'.len_utf8();
        let c = core(text, &vec![(s - 1, e)]);
        assert_eq!(&text[c[0].0..c[0].1], "The vote was fair");
        assert!(core(text, &vec![(s, s + '“'.len_utf8())]).is_empty());
    }

    #[test]
    fn gold_direct_means_opening_with_a_quotation_mark() {
        let text = "“Fair,” she said, adding that it was close.";
        let q = text.find(',').unwrap() + 1 + '”'.len_utf8();
        let reported = text.find("it was").unwrap();
        let atts = vec![
            PolnearAttribution {
                content: Some(vec![(0, q)]),
                source: None,
                cue: None,
            },
            PolnearAttribution {
                content: Some(vec![(reported, text.len() - 1)]),
                source: None,
                cue: None,
            },
            PolnearAttribution {
                content: None,
                source: None,
                cue: None,
            },
        ];
        let g = gold_contents(text, &atts);
        assert_eq!(g.len(), 2, "an attribution without content is not scored");
        assert!(g[0].direct && !g[1].direct);
    }

    #[test]
    fn pairs_match_one_to_one_by_half_overlap() {
        let text = "0123456789abcdefghijklmnopqrstuvwxyz";
        let golds = [
            gold(vec![(0, 10)], Some(vec![(20, 25)]), true),
            gold(vec![(10, 20)], None, false),
        ];
        // Overlaps gold 0 by 6 of 10 bytes (a match), gold 1 by only 3 of 10.
        let preds = [
            pred(vec![(4, 13)], Some((22, 30)), true),
            pred(vec![(30, 36)], None, false),
        ];
        let (mut c, mut diag) = (Counts::default(), Vec::new());
        score_document(text, &golds, &preds, &mut c, &mut diag);
        assert_eq!((c.gold, c.pred, c.overlap, c.exact), (2, 2, 1, 0));
        assert_eq!((c.direct_gold_matched, c.direct_pred_matched), (1, 1));
        assert_eq!((c.speaker_total, c.speaker_right), (1, 1));
        let kinds: Vec<&str> = diag.iter().map(|d| &d[..d.find('\t').unwrap()]).collect();
        assert_eq!(kinds, ["MISS", "EXTRA"]);
    }

    #[test]
    fn scores_a_polnear_folder_through_the_pipeline() {
        let dir = tempfile::tempdir().unwrap();
        let (t, a) = (dir.path().join("text"), dir.path().join("attributions"));
        std::fs::create_dir_all(&t).unwrap();
        std::fs::create_dir_all(&a).unwrap();
        let text = "“The talks will resume in Varnholm,” the minister said on Friday.";
        std::fs::write(t.join("s.txt"), text).unwrap();
        // Characters: content 0..36, source 37..49, cue 50..54.
        std::fs::write(
            a.join("s_a1.ann"),
            "T1\tContent 0 36\tx\nT2\tSource 37 49\tthe minister\nT3\tCue 50 54\tsaid\nT4\tAttribution 50 54\tsaid\nE1\tAttribution:T4 Content:T1 Source:T2 Cue:T3\n",
        )
        .unwrap();
        let r = score_quotes(dir.path()).unwrap();
        assert_eq!(
            (
                r.whole.documents,
                r.whole.gold_contents,
                r.whole.gold_direct
            ),
            (1, 1, 1)
        );
        assert_eq!(r.whole.content_f1_overlap, 1.0, "{r:?}");
        assert_eq!(r.whole.speaker_accuracy, 1.0, "{r:?}");
    }

    #[test]
    fn documents_split_into_parts_by_file_name_and_folds_sum_to_the_whole() {
        use crate::folds::{is_tune, FOLDS};
        let dir = tempfile::tempdir().unwrap();
        let (t, a) = (dir.path().join("text"), dir.path().join("attributions"));
        std::fs::create_dir_all(&t).unwrap();
        std::fs::create_dir_all(&a).unwrap();
        let mut gold_per_doc = Vec::new();
        for i in 0..8 {
            // Document i quotes (i % 3) + 1 times; brat offsets count characters.
            let (mut text, mut ann) = (String::new(), String::new());
            for k in 0..(i % 3) + 1 {
                let start = text.chars().count();
                text += &format!("“Point {k} stands,” the minister said. ");
                let end = start + format!("“Point {k} stands,”").chars().count();
                ann += &format!(
                    "T{k}\tContent {start} {end}\tx\nE{k}\tAttribution:T{k} Content:T{k}\n"
                );
            }
            std::fs::write(t.join(format!("d{i}.txt")), &text).unwrap();
            std::fs::write(a.join(format!("d{i}_a1.ann")), ann).unwrap();
            gold_per_doc.push((format!("d{i}.txt"), (i % 3) + 1));
        }
        let r = score_quotes(dir.path()).unwrap();
        let gold_in = |tune: bool| -> usize {
            gold_per_doc
                .iter()
                .filter(|(name, _)| is_tune(name) == tune)
                .map(|(_, n)| n)
                .sum()
        };
        assert_eq!(r.tune.gold_contents, gold_in(true));
        assert_eq!(r.check.gold_contents, gold_in(false));
        assert!(r.tune.documents > 0 && r.check.documents > 0);
        let folds = &r.folds.per_fold;
        assert_eq!(folds.len(), FOLDS);
        let sum = |f: fn(&QuotesPart) -> usize| folds.iter().map(|p| f(&p.scores)).sum::<usize>();
        assert_eq!(sum(|p| p.documents), r.whole.documents);
        assert_eq!(sum(|p| p.gold_contents), r.whole.gold_contents);
        assert_eq!(sum(|p| p.predicted_contents), r.whole.predicted_contents);
        assert_eq!(sum(|p| p.speaker_pairs), r.whole.speaker_pairs);
        assert_eq!(
            r.tune.predicted_contents + r.check.predicted_contents,
            r.whole.predicted_contents
        );
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["check"]["gold_contents"], r.check.gold_contents);
        assert!(json["folds"]["min"]["speaker_accuracy"].is_number());
    }
}
