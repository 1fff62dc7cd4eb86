//! `chronicle train` and `chronicle benchmark`: quality and speed are commands.

use crate::outln;
use anyhow::{bail, Context};
use chronicle_annotate::Pipeline;
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
    /// PLOVER gold-standard records (JSON).
    Events,
    /// PETRARCH2 unit-test records (XML) with the PETR.Validate dictionaries.
    Petrarch,
    /// Quote attribution on a PolNeAR-layout folder.
    Quotes,
    /// The main KILL claim per FA-KES article.
    Claims,
}

fn write_model(out: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    // Write beside the target and rename, so a failed run never leaves half a model.
    let tmp = out.with_extension("partial");
    std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, out)
        .with_context(|| format!("renaming {} to {}", tmp.display(), out.display()))?;
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

pub fn accuracy(
    task: AccuracyTask,
    data: &Path,
    model: Option<&Path>,
    gold_tags: bool,
    json_out: bool,
) -> anyhow::Result<ExitCode> {
    let value = match task {
        AccuracyTask::Timex => return crate::bench_time::timex(data, json_out),
        AccuracyTask::Docdate => return crate::bench_time::docdate(data, json_out),
        AccuracyTask::Tokens => {
            let sents = read_conllu_file(data)?;
            serde_json::to_value(chronicle_text::evaluate_conllu(&sents))?
        }
        AccuracyTask::Pos => {
            let sents = read_conllu_file(data)?;
            let pos = load_or_embedded(model, |b| Ok(PosModel::from_bytes(b)?), |p| p.pos.clone())?;
            serde_json::to_value(chronicle_tagger::evaluate_pos(&pos, &sents))?
        }
        AccuracyTask::Ner => {
            let examples = ner_examples(data)?;
            let ner = load_or_embedded(model, |b| Ok(NerModel::from_bytes(b)?), |p| p.ner.clone())?;
            serde_json::to_value(chronicle_ner::evaluate_ner(&ner, &examples))?
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
            let arcs =
                crate::cmd_tag::parse_with_our_tags(&pipeline.pos, &parser, &sents, gold_tags);
            let mut v = serde_json::to_value(chronicle_parser::score_arcs(&sents, &arcs))?;
            v["tags"] = json!(if gold_tags { "gold" } else { "predicted" });
            v
        }
        AccuracyTask::Events => crate::bench_events::plover(data)?,
        AccuracyTask::Petrarch => crate::bench_events::petrarch(data)?,
        AccuracyTask::Quotes => crate::bench_statements::quotes(data)?,
        AccuracyTask::Claims => crate::bench_statements::claims(data)?,
    };
    if json_out {
        outln!("{}", serde_json::to_string_pretty(&value)?)?;
    } else {
        print_scores(task, &value)?;
    }
    Ok(ExitCode::SUCCESS)
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

fn print_scores(task: AccuracyTask, v: &serde_json::Value) -> std::io::Result<()> {
    let f = |k: &str| {
        v.get(k)
            .and_then(|x| x.as_f64())
            .map(|x| format!("{:.2}", 100.0 * x))
            .unwrap_or_else(|| "-".into())
    };
    match task {
        AccuracyTask::Tokens => {
            for (name, key) in [("tokens", "token"), ("sentences", "sentence")] {
                outln!(
                    "{name:<10} P {}  R {}  F1 {}",
                    f(&format!("{key}_precision")),
                    f(&format!("{key}_recall")),
                    f(&format!("{key}_f1"))
                )?;
            }
        }
        AccuracyTask::Pos => {
            print_label_table(v, "per_upos", "UPOS", Some("gold"))?;
            outln!(
                "UPOS accuracy {}  XPOS accuracy {}  lemma accuracy {}",
                f("upos_accuracy"),
                f("xpos_accuracy"),
                f("lemma_accuracy")
            )?;
        }
        AccuracyTask::Ner => {
            print_label_table(v, "per_label", "label", Some("support"))?;
            outln!(
                "{:<14} {:>7} {:>7} {:>7}",
                "total",
                f("precision"),
                f("recall"),
                f("f1")
            )?;
        }
        AccuracyTask::Parse => {
            print_label_table(v, "per_deprel", "deprel", None)?;
            outln!(
                "UAS {}  LAS {}  ({} tags)",
                f("uas"),
                f("las"),
                v.get("tags").and_then(|t| t.as_str()).unwrap_or("?")
            )?;
        }
        // These tasks print their own report.
        AccuracyTask::Timex | AccuracyTask::Docdate => {}
        AccuracyTask::Events => crate::bench_events::print("events", v)?,
        AccuracyTask::Petrarch => crate::bench_events::print("petrarch", v)?,
        AccuracyTask::Quotes | AccuracyTask::Claims => {
            outln!("{}", serde_json::to_string_pretty(v).unwrap_or_default())?;
        }
    }
    Ok(())
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

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// Words/s and documents/s of the full pipeline on one thread and on all cores.
pub fn speed(data: &Path, runs: usize, json_out: bool) -> anyhow::Result<ExitCode> {
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
