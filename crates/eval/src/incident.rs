//! Incident dates against FA-KES: the day of the casualty event an article
//! reports (what happened, not when it was published) against FA-KES's `date`
//! column, which the crowd filled with the incident's day.
//!
//! The CSV is ingested as any CSV is (its `date` column hidden, as for
//! `docdate`), so time expressions resolve against the publication day ingest
//! found; see [`incident_date`] for the rule. Rows are split into a tune part and
//! a check part by the first hex digit of the BLAKE3 content id of `unit_id`
//! (even digits tune), as `extraction` splits pages by site.
//!
//! Three answers are scored on each part: ours ([`incident_date`]), the lead's
//! casualty figure dated by the text ([`lead_claim_date`], the event-dating
//! rule that did not hold) and the publication day alone (the baseline).

use crate::{pipeline, ratio, read_bytes, EvalError};
use chronicle_core::{Claim, Document, TimeExpr};
use chronicle_formats::{read_fakes, FakesArticle, FakesDate};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use std::path::Path;

/// How far into the article its lead reaches: FA-KES rows open with a dateline
/// and the headline run into the first sentence, so the lead figure is in the
/// first three.
const LEAD_SENTENCES: usize = 3;

/// Day-distance figures of one answer over one part, each a share of the part's
/// articles (an unanswered article counts as wrong).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DayScores {
    pub answered: f64,
    pub exact: f64,
    pub within_1: f64,
    pub within_7: f64,
    pub same_month: f64,
    #[serde(skip)]
    counts: [usize; 5],
}

impl DayScores {
    fn add(&mut self, ours: Option<NaiveDate>, gold: NaiveDate) {
        let Some(d) = ours else { return };
        let off = (d - gold).num_days().abs();
        let month = (d.format("%Y-%m").to_string()) == gold.format("%Y-%m").to_string();
        for (n, hit) in self
            .counts
            .iter_mut()
            .zip([true, off == 0, off <= 1, off <= 7, month])
        {
            *n += usize::from(hit);
        }
    }

    fn finish(&mut self, articles: usize) {
        let [a, e, w1, w7, m] = self.counts.map(|n| ratio(n, articles));
        (
            self.answered,
            self.exact,
            self.within_1,
            self.within_7,
            self.same_month,
        ) = (a, e, w1, w7, m);
    }
}

/// One part (tune, check or all) of the dev CSV.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IncidentPart {
    pub articles: usize,
    /// [`incident_date`].
    pub ours: DayScores,
    /// Our answers read from the text rather than the publication day.
    pub ours_from_text: usize,
    /// [`lead_claim_date`]: the lead's casualty figure dated by the text.
    pub lead_claim: DayScores,
    /// The publication day taken as the incident day.
    pub published: DayScores,
}

/// `benchmark accuracy --task incident-date`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentReport {
    /// Rows whose `unit_id` hashes to the tune part: look at these.
    pub tune: IncidentPart,
    /// The other rows: only scored.
    pub check: IncidentPart,
    pub all: IncidentPart,
    pub gold_rows: usize,
    /// One line per article ours misses: row, part, gold, ours, the lead rule's
    /// answer, the publication day, the headline.
    #[serde(skip)]
    pub diagnostics: Vec<String>,
}

fn full_day(value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value.get(..10)?, "%Y-%m-%d").ok()
}

fn published_day(doc: &Document) -> Option<NaiveDate> {
    doc.published.as_ref().and_then(|p| full_day(&p.date))
}

fn sentence_index(doc: &Document, at: usize) -> usize {
    doc.sentences.partition_point(|s| s.end <= at)
}

/// A stamp that carries its year ("AFP Friday 23 Aug 2013", "April 7, 2017 -")
/// before a figure in its sentence is the dateline run into the lead, not the
/// day of what the figure counts.
fn dateline_before(t: &TimeExpr, figure: &Claim) -> bool {
    t.start < figure.start
        && t.text
            .split(|c: char| !c.is_ascii_digit())
            .any(|w| w.len() == 4 && (w.starts_with("19") || w.starts_with("20")))
}

/// The day the text gives a figure: the nearest whole-day date or time in its
/// sentence, a dateline before it left out (the pipeline's own `Claim::time` is the
/// nearest of all, so the dateline of a lead wins it).
fn figure_day(doc: &Document, figure: &Claim) -> Option<NaiveDate> {
    let s = doc
        .sentences
        .get(sentence_index(doc, figure.start))
        .map_or((0, doc.text.len()), |s| (s.start, s.end));
    doc.times
        .iter()
        .filter(|t| s.0 <= t.start && t.end <= s.1)
        .filter(|t| matches!(t.kind.as_str(), "DATE" | "TIME"))
        .filter(|t| !dateline_before(t, figure))
        .filter_map(|t| Some((t.start.abs_diff(figure.start), full_day(&t.value)?)))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, d)| d)
}

/// The casualty figures (KILL, WOUND) of the lead whose sentence names a whole
/// day, in reading order, with that day; none after the publication day (a
/// report cannot tell what has not happened yet).
fn lead_figure_days(doc: &Document) -> impl Iterator<Item = (&Claim, NaiveDate)> {
    let published = published_day(doc);
    doc.claims
        .iter()
        .filter(|c| matches!(c.kind.as_str(), "KILL" | "WOUND"))
        .filter(move |c| sentence_index(doc, c.start) < LEAD_SENTENCES)
        .filter_map(move |c| Some((c, figure_day(doc, c)?)))
        .filter(move |(_, d)| published.is_none_or(|p| *d <= p))
}

/// The event-dating rule: the day of the lead's first casualty figure that the
/// text dates ("killed 12 people on Saturday"), else the publication day. It moves
/// answers away from FA-KES's day (see [`incident_date`]); ±7 days and the month
/// rose on tune (78.9 -> 79.9, 92.3 -> 92.8) but not on check (78.8, 93.8 -> 93.3).
pub fn lead_claim_date(doc: &Document) -> Option<NaiveDate> {
    lead_figure_days(doc)
        .next()
        .map(|(_, d)| d)
        .or_else(|| published_day(doc))
}

/// The day of the casualty event an article reports, and whether the text (not
/// the publication day) gave it. FA-KES's crowd dated most incidents by the day the
/// article was published even when the lead says "on Saturday": on the tune part
/// the publication day is the gold day for 67.5% of rows, the lead figure's own
/// day for 61.9% (check 71.6% and 61.5%), and no narrower text rule tried held on
/// check. So the publication day comes first, and the lead figure's day answers
/// only when the article has no publication day.
///
/// Tried on tune, dropped on check (exact, publication day 67.5 tune / 71.6 check):
/// the figure's day in the first sentence within 3 days (67.0 / 70.2); a calendar
/// day written with its month, in the lead beside a casualty figure, 1–7 days
/// before publication (68.0 / 71.2); a calendar day written with its month twice
/// or more, before publication (68.6 / 70.2: three rows lost on check).
pub fn incident_date(doc: &Document) -> Option<(NaiveDate, bool)> {
    published_day(doc)
        .map(|d| (d, false))
        .or_else(|| lead_figure_days(doc).next().map(|(_, d)| (d, true)))
}

fn gold_day(g: FakesDate) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(g.year, g.month, g.day)
}

/// Scores the FA-KES CSV at `data`.
pub fn score_incident(data: &Path) -> Result<IncidentReport, EvalError> {
    let (gold, docs) = annotated_rows(data)?;
    if docs.is_empty() {
        return Err(EvalError::NothingToScore {
            path: data.to_path_buf(),
            reason: "no article matched a gold row".into(),
        });
    }
    let [mut tune, mut check, mut all] = <[IncidentPart; 3]>::default();
    let mut diagnostics = Vec::new();
    for (row, d) in &docs {
        let Some(g) = gold_day(gold[*row].date) else {
            continue;
        };
        let id = d
            .metadata
            .get("unit_id")
            .cloned()
            .unwrap_or_else(|| (row + 1).to_string());
        let tuned = is_tune(&id);
        let ours = incident_date(d);
        let lead = lead_claim_date(d);
        let published = published_day(d);
        for part in [if tuned { &mut tune } else { &mut check }, &mut all] {
            let part: &mut IncidentPart = part;
            part.articles += 1;
            part.ours.add(ours.map(|o| o.0), g);
            part.ours_from_text += usize::from(ours.is_some_and(|o| o.1));
            part.lead_claim.add(lead, g);
            part.published.add(published, g);
        }
        if ours.map(|o| o.0) != Some(g) {
            diagnostics.push(format!(
                "row {}\t{}\tgold {g}\tours {:?}\tlead {:?}\tpublished {:?}\t{}",
                row + 1,
                if tuned { "tune" } else { "check" },
                ours.map(|o| o.0.to_string()),
                lead.map(|d| d.to_string()),
                published.map(|d| d.to_string()),
                d.title.as_deref().unwrap_or_default()
            ));
        }
    }
    for part in [&mut tune, &mut check, &mut all] {
        let n = part.articles;
        for s in [&mut part.ours, &mut part.lead_claim, &mut part.published] {
            s.finish(n);
        }
    }
    Ok(IncidentReport {
        tune,
        check,
        all,
        gold_rows: gold.len(),
        diagnostics,
    })
}

/// The gold rows, and each article ingested and annotated with its row's index.
pub type AnnotatedRows = (Vec<FakesArticle>, Vec<(usize, Document)>);

/// The FA-KES CSV at `data`, read as gold and ingested as articles, annotated;
/// each article with the index of its gold row.
pub fn annotated_rows(data: &Path) -> Result<AnnotatedRows, EvalError> {
    let bytes = read_bytes(data)?;
    let gold = read_fakes(&bytes, &data.display().to_string())?;
    let mut opts = chronicle_ingest::IngestOptions {
        max_bytes: u64::MAX,
        ..Default::default()
    };
    // A column no file has, so the gold `date` column is never read as a field.
    opts.fields.date = Some("\u{0}hidden-gold-date".into());
    let stats = chronicle_ingest::LineStats::default();
    let docs = chronicle_ingest::read_bytes(&bytes, data, &opts, &stats)?;
    let pipeline = pipeline()?;
    let mut docs: Vec<(usize, Document)> = docs
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|d| {
            // Ingest names a CSV record `row N`, N counting records from 1.
            let row = d
                .source
                .record
                .as_deref()
                .and_then(|r| r.trim_start_matches("row ").parse::<usize>().ok())?;
            (1..=gold.len()).contains(&row).then_some((row - 1, d))
        })
        .collect();
    docs.par_iter_mut().for_each(|(_, d)| pipeline.annotate(d));
    Ok((gold, docs))
}

/// The article's part: `unit_id` (else its row) hashed, even first hex digit = tune.
pub fn is_tune(unit_id: &str) -> bool {
    chronicle_core::content_id(None, unit_id)
        .bytes()
        .next()
        .and_then(|b| (b as char).to_digit(16))
        .is_some_and(|d| d % 2 == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        full_day(s).unwrap()
    }

    #[test]
    fn day_scores_count_distances_over_all_articles() {
        let mut s = DayScores::default();
        let g = day("2017-04-10");
        s.add(Some(day("2017-04-10")), g);
        s.add(Some(day("2017-04-11")), g);
        s.add(Some(day("2017-04-03")), g);
        s.add(Some(day("2017-03-31")), g);
        s.add(None, g);
        s.finish(5);
        assert_eq!(s.answered, 0.8);
        assert_eq!(s.exact, 0.2);
        assert_eq!(s.within_1, 0.4);
        assert_eq!(s.within_7, 0.6);
        assert_eq!(s.same_month, 0.6);
    }

    #[test]
    fn parts_split_by_id_and_hold_both_halves() {
        assert_eq!(is_tune("1914947532"), is_tune("1914947532"));
        let tuned = (0..200).filter(|i| is_tune(&i.to_string())).count();
        assert!((60..140).contains(&tuned), "{tuned}");
    }

    #[test]
    fn the_lead_figure_dates_the_incident_only_without_a_publication_day() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.csv");
        std::fs::write(
            &path,
            "unit_id,article_title,article_content,date,nb_civilians,nb_noncivilians\n\
             7,Blast in Varnholm,\"VARNHOLM, April 7, 2017 - Air strikes killed 12 people \
             in the town of Varnholm on Thursday, the officials said. The council \
             said it would meet again next week to discuss the damage.\",4/6/17,12,0\n\
             8,Raid on Osterby,Air strikes killed 5 fighters near Osterby on March 3 2016.,3/3/16,0,5\n",
        )
        .unwrap();
        let r = score_incident(&path).unwrap();
        assert_eq!((r.gold_rows, r.all.articles), (2, 2), "{r:?}");
        assert_eq!(r.tune.articles + r.check.articles, 2);
        let (_, docs) = annotated_rows(&path).unwrap();
        let first = &docs.iter().find(|(row, _)| *row == 0).unwrap().1;
        // Published April 7; the lead's "on Thursday" is April 6.
        assert_eq!(incident_date(first), Some((day("2017-04-07"), false)));
        assert_eq!(
            lead_claim_date(first),
            Some(day("2017-04-06")),
            "{:?} {:?} {:?}",
            first.claims,
            first.times,
            first.published
        );
        let second = &docs.iter().find(|(row, _)| *row == 1).unwrap().1;
        if second.published.is_none() {
            assert_eq!(incident_date(second), Some((day("2016-03-03"), true)));
        }
        assert!(r.all.ours.exact <= r.all.ours.within_1);
        assert!(r.all.ours.within_7 <= r.all.ours.same_month.max(r.all.ours.within_7));
        let json = serde_json::to_value(&r).unwrap();
        assert!(json.get("diagnostics").is_none());
        assert!(json["check"]["ours"]["exact"].is_number());
    }

    #[test]
    fn a_file_with_no_rows_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.csv");
        std::fs::write(&path, "article_content,date,nb_civilians,nb_noncivilians\n").unwrap();
        assert!(score_incident(&path).is_err());
    }
}
