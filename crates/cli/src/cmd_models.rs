//! `chronicle train` and `chronicle benchmark`: quality and speed are commands.

use crate::outln;
use anyhow::{bail, Context};
use chronicle_annotate::Pipeline;
use chronicle_eval as eval;
use chronicle_formats::{read_conllu_file, read_iob2_file};
use chronicle_ner::NerModel;
use chronicle_parser::ParserModel;
use chronicle_tagger::PosModel;
use rayon::prelude::*;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrainTask {
    Pos,
    Ner,
    Parse,
    /// Morphological features (CoNLL-U FEATS), trained on gold tags (and with
    /// `--jackknife-mix K` on jackknifed tags too); `--dev` is read with our tagger's tags.
    Feats,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccuracyTask {
    Tokens,
    Pos,
    Ner,
    Parse,
    /// TIMEX3 recognition and normalization over TimeML / MEANTIME files.
    Timex,
    /// Article publication dates against a CSV's `date` column (FA-KES).
    Docdate,
    /// The day of each FA-KES article's casualty event against its `date` column,
    /// on a tune and a check part, beside the publication day as a baseline.
    IncidentDate,
    /// Web pages' main text, title and publication day: trafilatura's evaluation
    /// folder (`evaldata.json` with `cache/`, `eval/`), split by site into tune and check.
    Extraction,
    /// PLOVER gold-standard records (JSON).
    Events,
    /// The learned PLOVER event type, cross-validated over the PLOVER records' folds,
    /// beside the rules on the tune and check parts.
    EventsCv,
    /// PETRARCH2 unit-test records (XML) with the PETR.Validate dictionaries.
    Petrarch,
    /// Quote attribution on a PolNeAR-layout folder.
    Quotes,
    /// The main KILL claim per FA-KES article.
    Claims,
    /// Conflicting civilian tolls across outlets (`fakes-conflicts/`: articles.csv + groups.tsv).
    Conflicts,
    /// ECB+ documents clustered into stories in one pass (`--split` scores one split).
    Stories,
    /// ECB+ cross-document event coreference (gold mentions, `--split`, default dev).
    CorefEvents,
    /// ECB+ cross-document entity coreference (gold mentions, `--split`, default dev).
    CorefEntities,
    /// SemEval-2015 TimeLine Track A: a corpus folder (`docs/`, `targets.txt`, `gold/`) or a folder of them.
    Timelines,
}

fn write_model(out: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    // Written beside the target and renamed, so a failed run never leaves half a model.
    let mut sink = crate::sink::Sink::replacing(out)?;
    std::io::Write::write_all(&mut sink, bytes)
        .with_context(|| format!("writing {}", out.display()))?;
    sink.commit()?;
    eprintln!("wrote {} ({} bytes)", out.display(), bytes.len());
    Ok(())
}

fn ner_examples(path: &Path) -> anyhow::Result<Vec<chronicle_ner::NerExample>> {
    if path.is_dir() {
        return chronicle_ner::load_meantime_dir(path)
            .with_context(|| format!("reading MEANTIME folder {}", path.display()));
    }
    let sents = read_iob2_file(path)?;
    chronicle_ner::examples_from_iob2(&sents)
        .with_context(|| format!("converting {}", path.display()))
}

/// Replaces UPOS/XPOS of `train` with K-fold cross-validated tagger output, so the
/// parser learns from tags as noisy as the ones it gets at run time. Folds are
/// interleaved (sentence i goes to fold i % k) to mix EWT's genres in each.
fn jackknife(train: &mut [chronicle_formats::Sentence], k: usize) {
    let k = k.max(2);
    let (mut right, mut total) = (0usize, 0usize);
    for fold in 0..k {
        let t = Instant::now();
        let rest: Vec<chronicle_formats::Sentence> = train
            .iter()
            .enumerate()
            .filter(|(i, _)| i % k != fold)
            .map(|(_, s)| s.clone())
            .collect();
        let tagger = chronicle_tagger::train_pos(
            &rest,
            None,
            &chronicle_tagger::TrainOptions::default(),
            &mut |_| {},
        );
        for s in train.iter_mut().skip(fold).step_by(k) {
            let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            let tags = tagger.tag(&words);
            for (w, t) in s.words.iter_mut().zip(tags) {
                total += 1;
                right += usize::from(w.xpos == t.xpos);
                w.upos = t.upos.to_string();
                w.xpos = t.xpos.to_string();
            }
        }
        eprintln!(
            "jackknife fold {}/{k}: tagger trained in {:.1}s",
            fold + 1,
            t.elapsed().as_secs_f64()
        );
    }
    eprintln!(
        "jackknifed training tags: XPOS accuracy {:.2}%",
        100.0 * right as f64 / total.max(1) as f64
    );
}

pub struct TrainArgs<'a> {
    pub task: TrainTask,
    pub train: &'a [PathBuf],
    pub dev: Option<&'a Path>,
    pub out: &'a Path,
    pub epochs: Option<usize>,
    pub seed: Option<u64>,
    /// parse: train on every sentence twice, with gold tags and with K-fold
    /// jackknifed tagger output.
    pub jackknife_mix: Option<usize>,
    /// pos: unlabeled text for the tagger's casing profiles: CSV files (their
    /// `article_content`/`text`/`body`/`content` column) or MEANTIME folders.
    pub text: &'a [PathBuf],
}

/// Unlabeled text items for the tagger's casing profiles.
fn unlabeled_text(paths: &[PathBuf]) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            // MEANTIME: one item per sentence, tokens joined by spaces.
            for ex in chronicle_ner::load_meantime_dir(p)
                .with_context(|| format!("reading MEANTIME folder {}", p.display()))?
            {
                out.push(ex.tokens.join(" "));
            }
            continue;
        }
        let mut reader =
            ::csv::Reader::from_path(p).with_context(|| format!("reading {}", p.display()))?;
        let headers = reader.headers()?.clone();
        let col = ["article_content", "text", "body", "content"]
            .iter()
            .find_map(|name| headers.iter().position(|h| h == *name))
            .with_context(|| {
                format!(
                    "{}: no article_content/text/body/content column",
                    p.display()
                )
            })?;
        for row in reader.records() {
            let row = row.with_context(|| format!("reading {}", p.display()))?;
            if let Some(v) = row.get(col) {
                out.push(v.to_string());
            }
        }
    }
    Ok(out)
}

pub fn train(args: TrainArgs) -> anyhow::Result<ExitCode> {
    let TrainArgs {
        task,
        train,
        dev,
        out,
        epochs,
        seed,
        jackknife_mix,
        text,
    } = args;
    let started = Instant::now();
    let bytes = match task {
        TrainTask::Pos | TrainTask::Parse => {
            let mut sents = Vec::new();
            for t in train {
                sents.extend(read_conllu_file(t)?);
            }
            if let (TrainTask::Parse, Some(k)) = (task, jackknife_mix) {
                let mut tagged = sents.clone();
                jackknife(&mut tagged, k);
                sents.extend(tagged);
            }
            let dev_sents = dev.map(read_conllu_file).transpose()?;
            eprintln!("training {:?} on {} sentences", task, sents.len());
            if task == TrainTask::Pos {
                let mut opts = chronicle_tagger::TrainOptions::default();
                if let Some(e) = epochs {
                    opts.epochs = e;
                }
                if let Some(s) = seed {
                    opts.seed = s;
                }
                let text = unlabeled_text(text)?;
                eprintln!("{} unlabeled text items for casing profiles", text.len());
                let model = chronicle_tagger::train_pos_with_text(
                    &sents,
                    &text,
                    dev_sents.as_deref(),
                    &opts,
                    &mut |r| {
                        eprintln!(
                            "epoch {:>2}  train acc {:.2}%  dev UPOS {}  XPOS {}  lemma {}  {:.1}s",
                            r.epoch,
                            100.0 * r.train_accuracy,
                            pct(r.dev_upos),
                            pct(r.dev_xpos),
                            pct(r.dev_lemma),
                            r.seconds
                        )
                    },
                );
                model.to_bytes()
            } else {
                let mut opts = chronicle_parser::TrainOptions::default();
                if let Some(e) = epochs {
                    opts.epochs = e;
                }
                if let Some(s) = seed {
                    opts.seed = s;
                }
                let model =
                    chronicle_parser::train_parser(&sents, dev_sents.as_deref(), &opts, &mut |r| {
                        eprintln!(
                            "epoch {:>2}/{}  train acc {:.2}%  dev UAS {}  LAS {}  {:.1}s",
                            r.epoch,
                            r.epochs,
                            100.0 * r.train_accuracy,
                            pct(r.dev_uas),
                            pct(r.dev_las),
                            r.seconds
                        )
                    });
                model.to_bytes()
            }
        }
        TrainTask::Feats => {
            let mut sents = Vec::new();
            for t in train {
                sents.extend(read_conllu_file(t)?);
            }
            if let Some(k) = jackknife_mix {
                // Gold FEATS seen with the tags the tagger really gives too.
                let mut tagged = sents.clone();
                jackknife(&mut tagged, k);
                sents.extend(tagged);
            }
            let mut opts = chronicle_tagger::FeatsTrainOptions::default();
            if let Some(e) = epochs {
                opts.epochs = e;
            }
            if let Some(s) = seed {
                opts.seed = s;
            }
            let dev = match dev {
                Some(d) => {
                    let gold = read_conllu_file(d)?;
                    let pos = &Pipeline::shared().map_err(|e| anyhow::anyhow!("{e}"))?.pos;
                    let tags = chronicle_tagger::predict_pos(pos, &gold);
                    Some((gold, tags))
                }
                None => None,
            };
            eprintln!("training FEATS on {} sentences", sents.len());
            let model = chronicle_tagger::train_feats(
                &sents,
                None,
                dev.as_ref().map(|(g, t)| (g.as_slice(), t.as_slice())),
                &opts,
                &mut |r| {
                    eprintln!(
                        "epoch {:>2}  train acc {:.2}%  dev UFeats {}  {:.1}s",
                        r.epoch,
                        100.0 * r.train_accuracy,
                        pct(r.dev_ufeats),
                        r.seconds
                    )
                },
            );
            eprintln!("{}", model.describe());
            model.to_bytes()
        }
        TrainTask::Ner => {
            let mut examples = Vec::new();
            for t in train {
                examples.extend(ner_examples(t)?);
            }
            let dev_examples = dev.map(ner_examples).transpose()?;
            let mut opts = chronicle_ner::TrainOptions::default();
            if let Some(e) = epochs {
                opts.epochs = e;
            }
            if let Some(s) = seed {
                opts.seed = s;
            }
            eprintln!("training NER on {} sentences", examples.len());
            let model =
                chronicle_ner::train_ner(&examples, dev_examples.as_deref(), &opts, &mut |r| {
                    eprintln!(
                        "epoch {:>2}  train tag acc {:.2}%  dev F1 {}  {:.1}s",
                        r.epoch,
                        100.0 * r.train_tag_accuracy,
                        pct(r.dev.as_ref().map(|d| d.f1)),
                        r.seconds
                    )
                });
            model.to_bytes()
        }
    };
    write_model(out, &bytes)?;
    eprintln!("trained in {:.1}s", started.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}

fn pct(v: Option<f64>) -> String {
    v.map(|x| format!("{:.2}%", 100.0 * x))
        .unwrap_or_else(|| "-".into())
}

fn load_or_embedded<T>(
    path: Option<&Path>,
    load: impl Fn(&[u8]) -> anyhow::Result<T>,
    embedded: impl Fn(&Pipeline) -> T,
) -> anyhow::Result<T> {
    match path {
        Some(p) => {
            load(&std::fs::read(p).with_context(|| format!("reading model {}", p.display()))?)
        }
        None => Ok(embedded(
            Pipeline::shared().map_err(|e| anyhow::anyhow!("{e}"))?,
        )),
    }
}

/// What `benchmark accuracy` measured: the scoring library's report for the task.
/// Serializes as the report itself (the `--json` output).
#[derive(serde::Serialize)]
#[serde(untagged)]
enum Report {
    Tokens(chronicle_text::TokenScores),
    Pos(chronicle_tagger::PosScores),
    Ner(eval::ner::NerReport),
    Parse(eval::parse::ParseReport),
    Timex(eval::timex::TimexReport),
    Docdate(eval::docdate::DocdateReport),
    Incident(Box<eval::incident::IncidentReport>),
    Extraction(Box<eval::extraction::ExtractionReport>),
    Events(eval::plover::PloverReport),
    EventsCv(Box<eval::plover_cv::PloverCvReport>),
    Petrarch(eval::petrarch::PetrarchReport),
    Quotes(eval::quotes::QuotesReport),
    Claims(eval::claims::ClaimsReport),
    Conflicts(eval::conflicts::ConflictsReport),
    Coref(eval::coref::CorefReport),
    Stories(eval::stories::StoriesReport),
    Timelines(eval::timelines::TimelinesReport),
}

fn score(
    task: AccuracyTask,
    data: &Path,
    model: Option<&Path>,
    gold_tags: bool,
    split: Option<&str>,
) -> anyhow::Result<Report> {
    Ok(match task {
        AccuracyTask::Tokens => {
            Report::Tokens(chronicle_text::evaluate_conllu(&read_conllu_file(data)?))
        }
        AccuracyTask::Pos => {
            let sents = read_conllu_file(data)?;
            let pos = load_or_embedded(model, |b| Ok(PosModel::from_bytes(b)?), |p| p.pos.clone())?;
            let feats =
                chronicle_tagger::FeatsModel::shared().map_err(|e| anyhow::anyhow!("{e}"))?;
            Report::Pos(chronicle_tagger::evaluate_pos_feats(&pos, feats, &sents))
        }
        AccuracyTask::Ner => {
            let ner = load_or_embedded(model, |b| Ok(NerModel::from_bytes(b)?), |p| p.ner.clone())?;
            Report::Ner(eval::ner::score_ner(&ner, data)?)
        }
        AccuracyTask::Parse => {
            let sents = read_conllu_file(data)?;
            let parser = load_or_embedded(
                model,
                |b| Ok(ParserModel::from_bytes(b)?),
                |p| p.parser.clone(),
            )?;
            let pipeline = Pipeline::shared().map_err(|e| anyhow::anyhow!("{e}"))?;
            // The arcs `chronicle tag --format conllu --gold-tokens` writes.
            Report::Parse(eval::parse::score_parse(
                &pipeline.pos,
                &parser,
                &sents,
                gold_tags,
            ))
        }
        AccuracyTask::Timex => Report::Timex(eval::timex::score_timeml(data)?),
        AccuracyTask::Docdate => Report::Docdate(eval::docdate::score_docdate(data)?),
        AccuracyTask::IncidentDate => {
            Report::Incident(Box::new(eval::incident::score_incident(data)?))
        }
        AccuracyTask::Extraction => {
            Report::Extraction(Box::new(eval::extraction::score_extraction(data)?))
        }
        AccuracyTask::Events => Report::Events(eval::plover::score_plover(data)?),
        AccuracyTask::EventsCv => Report::EventsCv(Box::new(eval::plover_cv::score_plover_cv(
            data,
            eval::plover_cv::sibling_petrarch(data).as_deref(),
        )?)),
        AccuracyTask::Petrarch => Report::Petrarch(eval::petrarch::score_petrarch(data)?),
        AccuracyTask::Quotes => Report::Quotes(eval::quotes::score_quotes(data)?),
        AccuracyTask::Claims => Report::Claims(eval::claims::score_claims(data)?),
        AccuracyTask::Conflicts => Report::Conflicts(eval::conflicts::score_conflicts(data)?),
        AccuracyTask::Stories => Report::Stories(eval::stories::score_stories(data, split)?),
        AccuracyTask::Timelines => Report::Timelines(eval::timelines::score_timelines(data)?),
        AccuracyTask::CorefEvents | AccuracyTask::CorefEntities => {
            let kind = if task == AccuracyTask::CorefEvents {
                eval::coref::Kind::Events
            } else {
                eval::coref::Kind::Entities
            };
            // CHRONICLE_COREF_DUMP=DIR writes the CoNLL KEY/RESPONSE for scorer.pl.
            let dump = std::env::var_os("CHRONICLE_COREF_DUMP").map(std::path::PathBuf::from);
            Report::Coref(eval::coref::evaluate(
                data,
                split.unwrap_or("dev"),
                kind,
                dump.as_deref(),
            )?)
        }
    })
}

pub fn accuracy(
    task: AccuracyTask,
    data: &Path,
    model: Option<&Path>,
    gold_tags: bool,
    split: Option<&str>,
    json_out: bool,
) -> anyhow::Result<ExitCode> {
    let report = score(task, data, model, gold_tags, split)?;
    explain(&report);
    // Through a JSON value, so every report prints with its keys in one (sorted) order.
    let value = serde_json::to_value(&report)?;
    if json_out {
        outln!("{}", serde_json::to_string_pretty(&value)?)?;
    } else {
        print_report(&report, &value)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// On standard error: inputs a scorer skipped, and, when asked for with
/// `CHRONICLE_BENCH_ERRORS` (or `CHRONICLE_BENCH_VERBOSE` for the event tasks), the
/// scorer's explanation of each error.
fn explain(report: &Report) {
    let asked = |var: &str| std::env::var_os(var).is_some();
    let show = |lines: &[String]| lines.iter().for_each(|l| eprintln!("{l}"));
    match report {
        Report::Timex(r) => {
            if asked("CHRONICLE_BENCH_ERRORS") {
                show(&r.diagnostics);
            }
            for s in &r.skipped {
                eprintln!("skipped: {s}");
            }
        }
        Report::Docdate(eval::docdate::DocdateReport { diagnostics, .. })
        | Report::Quotes(eval::quotes::QuotesReport { diagnostics, .. })
        | Report::Claims(eval::claims::ClaimsReport { diagnostics, .. })
        | Report::Conflicts(eval::conflicts::ConflictsReport { diagnostics, .. })
        | Report::Stories(eval::stories::StoriesReport { diagnostics, .. })
        | Report::Timelines(eval::timelines::TimelinesReport { diagnostics, .. }) => {
            if asked("CHRONICLE_BENCH_ERRORS") {
                show(diagnostics);
            }
        }
        Report::Extraction(r) => {
            if asked("CHRONICLE_BENCH_ERRORS") {
                show(&r.diagnostics);
            }
        }
        Report::Incident(r) => {
            if asked("CHRONICLE_BENCH_ERRORS") {
                show(&r.diagnostics);
            }
        }
        Report::Events(r) => {
            if asked("CHRONICLE_BENCH_VERBOSE") {
                show(&r.diagnostics);
            }
        }
        Report::Petrarch(r) => {
            eprintln!(
                "validation dictionaries: {} lines skipped",
                r.dictionary_lines_skipped
            );
            if asked("CHRONICLE_BENCH_VERBOSE") {
                show(&r.diagnostics);
            }
        }
        Report::Tokens(_)
        | Report::Pos(_)
        | Report::Ner(_)
        | Report::Parse(_)
        | Report::EventsCv(_)
        | Report::Coref(_) => {}
    }
}

/// One row per label of a `{label: {precision, recall, f1, <count>}}` object.
fn print_label_table(
    v: &serde_json::Value,
    field: &str,
    header: &str,
    count: Option<&str>,
) -> std::io::Result<()> {
    outln!(
        "{:<14} {:>7} {:>7} {:>7} {:>7}",
        header,
        "P",
        "R",
        "F1",
        count.unwrap_or("")
    )?;
    let Some(per) = v.get(field).and_then(|p| p.as_object()) else {
        return Ok(());
    };
    for (label, s) in per {
        let g = |k: &str| s.get(k).and_then(|x| x.as_f64()).unwrap_or(0.0);
        let n = count.map(|c| format!("{}", g(c))).unwrap_or_default();
        outln!(
            "{:<14} {:>7.2} {:>7.2} {:>7.2} {:>7}",
            label,
            100.0 * g("precision"),
            100.0 * g("recall"),
            100.0 * g("f1"),
            n
        )?;
    }
    Ok(())
}

fn pct2(x: f64) -> String {
    format!("{:.2}", 100.0 * x)
}

fn print_report(report: &Report, v: &serde_json::Value) -> std::io::Result<()> {
    let f = |k: &str| {
        v.get(k)
            .and_then(|x| x.as_f64())
            .map(pct2)
            .unwrap_or_else(|| "-".into())
    };
    match report {
        Report::Tokens(_) => {
            for (name, key) in [("tokens", "token"), ("sentences", "sentence")] {
                outln!(
                    "{name:<10} P {}  R {}  F1 {}",
                    f(&format!("{key}_precision")),
                    f(&format!("{key}_recall")),
                    f(&format!("{key}_f1"))
                )?;
            }
        }
        Report::Pos(_) => {
            print_label_table(v, "per_upos", "UPOS", Some("gold"))?;
            outln!(
                "UPOS accuracy {}  XPOS accuracy {}  lemma accuracy {}  UFeats accuracy {}  AllTags accuracy {}",
                f("upos_accuracy"),
                f("xpos_accuracy"),
                f("lemma_accuracy"),
                f("ufeats_accuracy"),
                f("alltags_accuracy")
            )?;
        }
        Report::Ner(_) => {
            print_label_table(v, "per_label", "label", Some("support"))?;
            outln!(
                "{:<14} {:>7} {:>7} {:>7}",
                "total",
                f("precision"),
                f("recall"),
                f("f1")
            )?;
            print_parts(
                v,
                "documents",
                &[("precision", "precision"), ("recall", "recall"), ("F1", "f1")],
            )?;
            if let Some(p) = v.get("unannotated_ignored") {
                let g = |part: &serde_json::Value, k: &str| {
                    part.get(k).and_then(|x| x.as_f64()).map_or("-".into(), pct2)
                };
                outln!(
                    "names the gold left out not counted: P / R / F1 tune {} / {} / {}, check {} / {} / {}, all {} / {} / {}",
                    g(&p["tune"], "precision"),
                    g(&p["tune"], "recall"),
                    g(&p["tune"], "f1"),
                    g(&p["check"], "precision"),
                    g(&p["check"], "recall"),
                    g(&p["check"], "f1"),
                    g(p, "precision"),
                    g(p, "recall"),
                    g(p, "f1")
                )?;
            }
        }
        Report::Parse(r) => {
            print_label_table(v, "per_deprel", "deprel", None)?;
            outln!("UAS {}  LAS {}  ({} tags)", f("uas"), f("las"), r.tags)?;
        }
        Report::Timex(r) => print_timex(r)?,
        Report::Timelines(r) => {
            for c in r.corpora.iter().chain(std::iter::once(&r.overall)) {
                outln!(
                    "{:<10} P {}  R {}  F1 {}  ({} timelines, {} docs; relations: ours {} entailed {}, gold {} entailed {})",
                    c.corpus,
                    pct2(c.precision),
                    pct2(c.recall),
                    pct2(c.f1),
                    c.timelines,
                    c.documents,
                    c.counts.system_relations,
                    c.counts.system_entailed,
                    c.counts.gold_relations,
                    c.counts.gold_entailed
                )?;
            }
        }
        Report::Docdate(r) => outln!(
            "article date exact-day accuracy {:.2}% ({}/{}); {} dated, {} of them estimated from content",
            100.0 * r.accuracy,
            r.correct,
            r.articles,
            r.dated,
            r.estimated
        )?,
        Report::Extraction(r) => print_extraction(r)?,
        Report::Incident(r) => print_incident(r)?,
        Report::EventsCv(r) => print_events_cv(r)?,
        Report::Events(r) => {
            let rows = [
                ("type", [r.whole.type_precision, r.whole.type_recall, r.whole.type_f1]),
                (
                    "type+source",
                    [r.whole.type_source_precision, r.whole.type_source_recall, r.whole.type_source_f1],
                ),
                (
                    "type+source+target",
                    [
                        r.whole.type_source_target_precision,
                        r.whole.type_source_target_recall,
                        r.whole.type_source_target_f1,
                    ],
                ),
            ];
            for (name, [p, rc, f1]) in rows {
                outln!("{name:<20} P {}  R {}  F1 {}", pct2(p), pct2(rc), pct2(f1))?;
            }
            outln!(
                "dead accuracy {} ({} records)",
                r.whole.dead_accuracy.map_or_else(|| "-".into(), pct2),
                r.whole.dead_records
            )?;
            print_parts(
                v,
                "records",
                &[
                    ("type F1", "type_f1"),
                    ("type+source F1", "type_source_f1"),
                    ("type+source+target F1", "type_source_target_f1"),
                ],
            )?;
        }
        Report::Petrarch(r) => outln!(
            "coding recall {}  coding precision {}  noevent accuracy {}  ({} records, {} expected codings)",
            pct2(r.coding_recall),
            pct2(r.coding_precision),
            pct2(r.noevent_accuracy),
            r.records,
            r.expected_codings
        )?,
        Report::Quotes(r) => {
            outln!(
                "content (overlap)  P {}  R {}  F1 {}",
                pct2(r.whole.content_precision_overlap),
                pct2(r.whole.content_recall_overlap),
                pct2(r.whole.content_f1_overlap)
            )?;
            outln!(
                "content (exact)    P {}  R {}  F1 {}",
                pct2(r.whole.content_precision_exact),
                pct2(r.whole.content_recall_exact),
                pct2(r.whole.content_f1_exact)
            )?;
            outln!(
                "direct (overlap)   P {}  R {}  F1 {}",
                pct2(r.whole.direct_precision_overlap),
                pct2(r.whole.direct_recall_overlap),
                pct2(r.whole.direct_f1_overlap)
            )?;
            outln!(
                "speaker accuracy {} ({} matched contents with a source); {} documents, {} gold contents, {} ours",
                pct2(r.whole.speaker_accuracy),
                r.whole.speaker_pairs,
                r.whole.documents,
                r.whole.gold_contents,
                r.whole.predicted_contents
            )?;
            print_parts(
                v,
                "documents",
                &[
                    ("content F1", "content_f1_overlap"),
                    ("exact F1", "content_f1_exact"),
                    ("direct F1", "direct_f1_overlap"),
                    ("speaker acc.", "speaker_accuracy"),
                ],
            )?;
        }
        Report::Claims(_)
        | Report::Conflicts(_)
        | Report::Coref(_)
        | Report::Stories(_) => {
            outln!("{}", serde_json::to_string_pretty(v).unwrap_or_default())?;
        }
    }
    Ok(())
}

/// Learned PLOVER types: each variant's type and type+source+target F1 on the
/// tune and check parts, under the rules' and the tune-chosen variant's.
fn print_events_cv(r: &eval::plover_cv::PloverCvReport) -> std::io::Result<()> {
    outln!(
        "{:<52} {:>13} {:>13}",
        "type F1 / type+source+target F1",
        format!("tune ({})", r.tune_records),
        format!("check ({})", r.check_records)
    )?;
    let row = |name: &str, p: &eval::plover_cv::Parts| {
        let f = |x: &eval::plover_cv::Figures| {
            format!("{} {}", pct2(x.type_f1), pct2(x.type_source_target_f1))
        };
        outln!("{:<52} {:>13} {:>13}", name, f(&p.tune), f(&p.check))
    };
    row("rules", &r.rules)?;
    row(&format!("learned: {}", r.learned_variant), &r.learned)?;
    outln!(
        "learned beats the rules on the check part: {}",
        if r.holds_on_check { "yes" } else { "no" }
    )?;
    for v in &r.variants {
        row(&format!("  {}", v.name), &v.figures)?;
    }
    Ok(())
}

/// Incident days: each part, ours beside the lead rule and the publication day.
fn print_incident(r: &eval::incident::IncidentReport) -> std::io::Result<()> {
    outln!(
        "{:<6} {:<11} {:>8} {:>7} {:>7} {:>7} {:>8}",
        "part",
        "answer",
        "answered",
        "exact",
        "±1 day",
        "±7 days",
        "month"
    )?;
    for (name, p) in [("tune", &r.tune), ("check", &r.check), ("all", &r.all)] {
        for (answer, s) in [
            ("ours", &p.ours),
            ("lead claim", &p.lead_claim),
            ("published", &p.published),
        ] {
            outln!(
                "{:<6} {:<11} {:>8} {:>7} {:>7} {:>7} {:>8}",
                name,
                answer,
                pct2(s.answered),
                pct2(s.exact),
                pct2(s.within_1),
                pct2(s.within_7),
                pct2(s.same_month)
            )?;
        }
        outln!(
            "{name:<6} {} articles, {} of ours read from the text",
            p.articles,
            p.ours_from_text
        )?;
    }
    Ok(())
}

/// TempEval-3 figures per corpus folder, then over all.
fn print_timex(r: &eval::timex::TimexReport) -> std::io::Result<()> {
    outln!(
        "{:<14} {:>6} {:>6} {:>9} {:>9} {:>7} {:>8}",
        "corpus",
        "gold",
        "system",
        "strict F1",
        "relax. F1",
        "type F1",
        "value F1"
    )?;
    // The counts are written unpadded, as this table always has.
    let row = |name: &str, s: &eval::timex::TimexScores| {
        outln!(
            "{:<14} {} {} {:>9.2} {:>9.2} {:>7.2} {:>8.2}",
            name,
            s.gold,
            s.system,
            100.0 * s.strict_f1,
            100.0 * s.relaxed_f1,
            100.0 * s.type_f1,
            100.0 * s.value_f1
        )
    };
    for (k, s) in &r.by_folder {
        row(k, s)?;
    }
    row("all", &r.all)?;
    let v = serde_json::to_value(r).unwrap_or_default();
    print_parts(
        &v,
        "files",
        &[
            ("strict F1", "strict_f1"),
            ("relax. F1", "relaxed_f1"),
            ("type F1", "type_f1"),
            ("value F1", "value_f1"),
        ],
    )
}

/// The tune and check parts of a small dev set (`tune`, `check` and `folds` in the
/// report's JSON): one row each, then each measure's mean over the folds with the
/// lowest and highest fold in brackets.
fn print_parts(
    v: &serde_json::Value,
    count: &str,
    measures: &[(&str, &str)],
) -> std::io::Result<()> {
    let width = |name: &str| name.len().max(19);
    let mut header = format!("{:<6} {:>9}", "part", count);
    for (name, _) in measures {
        header += &format!("  {:>w$}", name, w = width(name));
    }
    outln!("{header}")?;
    let figure = |part: &serde_json::Value, key: &str| {
        part.get(key)
            .and_then(|x| x.as_f64())
            .map_or_else(|| "-".into(), pct2)
    };
    for name in ["tune", "check"] {
        let part = &v[name];
        let n = part.get(count).and_then(|x| x.as_u64()).unwrap_or(0);
        let mut line = format!("{name:<6} {n:>9}");
        for (m, key) in measures {
            line += &format!("  {:>w$}", figure(part, key), w = width(m));
        }
        outln!("{line}")?;
    }
    let folds = &v["folds"];
    let n = folds["per_fold"].as_array().map_or(0, |f| f.len());
    let mut line = format!("{:<6} {:>9}", "folds", format!("{n} × mean"));
    for (m, key) in measures {
        let cell = format!(
            "{} ({}–{})",
            figure(&folds["mean"], key),
            figure(&folds["min"], key),
            figure(&folds["max"], key)
        );
        line += &format!("  {:>w$}", cell, w = width(m));
    }
    outln!("{line}")
}

/// CPU seconds (user + system) this process has used, from /proc (Linux): on a busy
/// machine words per CPU-second is steadier than words per wall-second.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Peak resident set size of this process, from /proc (Linux).
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// `benchmark speed --long`: the cost per word of single long documents.
fn speed_long(
    pipeline: &Pipeline,
    docs: &[chronicle_core::Document],
    runs: usize,
    json_out: bool,
) -> anyhow::Result<ExitCode> {
    use chronicle_eval::speed::{long_documents, LONG_SIZES};
    let r = long_documents(pipeline, docs, &LONG_SIZES, runs);
    if json_out {
        outln!("{}", serde_json::to_string_pretty(&r)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    outln!(
        "single documents from {} articles, median of {} runs, time budget: {}",
        r.articles,
        r.runs,
        r.budget
    )?;
    outln!("  words     bytes  sentences  entities  µs/word (wall)  µs/word (CPU)  ratio to 3k")?;
    for row in &r.rows {
        outln!(
            "{:>7} {:>9} {:>10} {:>9} {:>15.2} {:>14} {:>12.2}",
            row.words,
            row.bytes,
            row.sentences,
            row.entities,
            row.us_per_word,
            row.cpu_us_per_word
                .map_or("-".to_string(), |c| format!("{c:.2}")),
            row.ratio
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// Words/s and documents/s of the full pipeline on one thread and on all cores.
pub fn speed(data: &Path, runs: usize, json_out: bool, long: bool) -> anyhow::Result<ExitCode> {
    let opts = chronicle_ingest::IngestOptions {
        max_bytes: u64::MAX / 2,
        ..Default::default()
    };
    let (files, errors) = chronicle_ingest::collect_inputs(&[data.to_path_buf()]);
    if let Some(e) = errors.first() {
        bail!("{e}");
    }
    let stats = chronicle_ingest::LineStats::default();
    let mut docs = Vec::new();
    for f in &files {
        for d in chronicle_ingest::read_file(f, &opts, &stats)?
            .into_iter()
            .flatten()
        {
            docs.push(d);
        }
    }
    for d in &mut docs {
        d.language = Some("eng".into()); // measure the pipeline on every document
    }
    if docs.is_empty() {
        bail!("no documents found in {}", data.display());
    }
    let words: usize = docs.iter().map(|d| d.text.split_whitespace().count()).sum();
    let pipeline = Pipeline::shared().map_err(|e| anyhow::anyhow!("{e}"))?;
    let runs = runs.max(1);
    if long {
        return speed_long(pipeline, &docs, runs, json_out);
    }
    let mut single = Vec::new();
    let mut single_cpu = Vec::new();
    let mut tokens = 0;
    for _ in 0..runs {
        let mut batch = docs.clone();
        let t = Instant::now();
        let c = cpu_seconds();
        for d in &mut batch {
            pipeline.annotate(d);
        }
        single.push(t.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (c, cpu_seconds()) {
            single_cpu.push(b - a);
        }
        tokens = batch.iter().map(|d| d.tokens.len()).sum();
    }
    let threads = rayon::current_num_threads();
    let mut multi = Vec::new();
    for _ in 0..runs {
        let mut batch = docs.clone();
        let t = Instant::now();
        batch.par_iter_mut().for_each(|d| pipeline.annotate(d));
        multi.push(t.elapsed().as_secs_f64());
    }
    let (s1, sn) = (median(single), median(multi));
    let c1 = (!single_cpu.is_empty())
        .then(|| median(single_cpu))
        .filter(|c| *c > 0.0);
    let out = json!({
        "documents": docs.len(),
        "words": words,
        "tokens": tokens,
        "runs": runs,
        "single_thread": { "seconds": s1, "words_per_s": words as f64 / s1, "documents_per_s": docs.len() as f64 / s1,
                           "cpu_seconds": c1, "words_per_cpu_s": c1.map(|c| words as f64 / c) },
        "all_cores": { "threads": threads, "seconds": sn, "words_per_s": words as f64 / sn, "documents_per_s": docs.len() as f64 / sn },
        "peak_rss_mb": peak_rss_mb(),
    });
    if json_out {
        outln!("{}", serde_json::to_string_pretty(&out)?)?;
    } else {
        outln!(
            "{} documents, {} words ({} tokens), median of {} runs\n  1 thread:   {:>10.0} words/s  {:>8.1} docs/s  ({:.0} words per CPU-second)\n  {} threads:  {:>10.0} words/s  {:>8.1} docs/s\n  peak RSS {:.0} MB",
            docs.len(),
            words,
            tokens,
            runs,
            words as f64 / s1,
            docs.len() as f64 / s1,
            c1.map(|c| words as f64 / c).unwrap_or(0.0),
            threads,
            words as f64 / sn,
            docs.len() as f64 / sn,
            peak_rss_mb().unwrap_or(0.0)
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn print_extraction(r: &eval::extraction::ExtractionReport) -> std::io::Result<()> {
    outln!(
        "{:<6} {:>5} {:>6} {:>6} {:>6} {:>6} {:>7} {:>7} {:>6} {:>8} {:>8}",
        "part",
        "pages",
        "text P",
        "text R",
        "text F",
        "title",
        "title~",
        "day",
        "answer",
        "day|ans",
        "unread"
    )?;
    for (name, s) in [("tune", &r.tune), ("check", &r.check), ("all", &r.all)] {
        outln!(
            "{:<6} {:>5} {:>6.3} {:>6.3} {:>6.3} {:>6.3} {:>7.3} {:>7.3} {:>6.3} {:>8.3} {:>8}",
            name,
            s.pages,
            s.text_precision,
            s.text_recall,
            s.text_f1,
            s.title_exact,
            s.title_normalized,
            s.date_exact,
            s.date_answered,
            s.date_accuracy_answered,
            s.unread
        )?;
    }
    outln!(
        "{:.2} s for {} pages ({:.2} s per 1,000 pages, all cores, ingest only)",
        r.seconds,
        r.all.pages,
        r.seconds_per_1000_pages
    )?;
    Ok(())
}
