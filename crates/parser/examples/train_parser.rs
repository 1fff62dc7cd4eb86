//! Trains the dependency parser and reports dev scores.
//!
//! cargo run --release -p chronicle-parser --example train_parser -- \
//!   --train en_ewt-ud-train.conllu --dev en_ewt-ud-dev.conllu --out models/parse.v1.bin.zst \
//!   [--epochs N] [--write-dev /tmp/dev.pred.conllu]
//!   [--pos-model models/pos.v1.bin.zst [--write-dev-tagged /tmp/dev.tagged.pred.conllu]]
//!
//! --pos-model also scores the dev set with tags predicted by that tagger (what
//! the product sees). Training on jackknifed tags (the shipped recipe) is
//! `chronicle train parse --jackknife-mix K`.

use chronicle_formats::{read_conllu_file, Sentence};
use chronicle_parser::{evaluate_parser, train_parser, Arc, ParserModel, TagSource, TrainOptions};
use chronicle_tagger::PosModel;
use std::path::PathBuf;
use std::time::Instant;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

/// Copy of the gold CoNLL-U with only HEAD and DEPREL replaced, for the official scorer.
fn write_conllu(path: &PathBuf, gold_text: &str, pred: &[Vec<Arc>]) -> std::io::Result<()> {
    let mut out = String::with_capacity(gold_text.len());
    let mut sent = 0usize;
    let mut in_sent = false;
    for line in gold_text.lines() {
        if line.trim().is_empty() {
            if in_sent {
                sent += 1;
                in_sent = false;
            }
            out.push_str(line);
            out.push('\n');
            continue;
        }
        if line.starts_with('#') {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        in_sent = true;
        let mut cols: Vec<String> = line.split('\t').map(str::to_string).collect();
        if cols.len() == 10 && !cols[0].contains('-') && !cols[0].contains('.') {
            if let Ok(id) = cols[0].parse::<usize>() {
                if let Some(a) = pred.get(sent).and_then(|p| p.get(id - 1)) {
                    cols[6] = a.head.to_string();
                    cols[7] = a.deprel.clone();
                }
            }
        }
        out.push_str(&cols.join("\t"));
        out.push('\n');
    }
    std::fs::write(path, out)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let train_path = arg(&args, "--train").ok_or("--train PATH required")?;
    let dev_path = arg(&args, "--dev");
    let out = arg(&args, "--out");
    let mut opts = TrainOptions::default();
    if let Some(e) = arg(&args, "--epochs") {
        opts.epochs = e.parse()?;
    }
    if let Some(b) = arg(&args, "--trans-bits") {
        opts.trans_bits = b.parse()?;
    }
    if let Some(b) = arg(&args, "--label-bits") {
        opts.label_bits = b.parse()?;
    }
    let train = read_conllu_file(train_path.as_ref())?;
    if arg(&args, "--jackknife").is_some() || arg(&args, "--jackknife-mix").is_some() {
        // Jackknifing needs the tagger's training; it lives in the one training
        // command so the recipe exists once.
        return Err("jackknifed tags: use `chronicle train parse --jackknife-mix K`".into());
    }
    let dev: Option<Vec<Sentence>> = match &dev_path {
        Some(p) => Some(read_conllu_file(p.as_ref())?),
        None => None,
    };
    let model = if let Some(existing) = arg(&args, "--model") {
        // Evaluate a saved model instead of training one.
        ParserModel::from_bytes(&std::fs::read(&existing)?)?
    } else {
        eprintln!("train: {} sentences; options {opts:?}", train.len());
        let started = Instant::now();
        let model = train_parser(&train, dev.as_deref(), &opts, &mut |r| {
            eprintln!(
                "epoch {:>2}/{}  train-acc {:.4}  dev UAS {}  LAS {}  ({:.1}s)",
                r.epoch,
                r.epochs,
                r.train_accuracy,
                r.dev_uas
                    .map_or("-".into(), |x| format!("{:.2}", 100.0 * x)),
                r.dev_las
                    .map_or("-".into(), |x| format!("{:.2}", 100.0 * x)),
                r.seconds
            );
        });
        eprintln!("trained in {:.1}s", started.elapsed().as_secs_f64());
        let bytes = model.to_bytes();
        let model = ParserModel::from_bytes(&bytes)?;
        if let Some(out) = &out {
            std::fs::write(out, &bytes)?;
            eprintln!("wrote {out} ({} bytes)", bytes.len());
        }
        model
    };
    if let (Some(dev), Some(dev_path)) = (&dev, &dev_path) {
        let t = Instant::now();
        let scores = evaluate_parser(&model, dev, TagSource::Gold);
        let secs = t.elapsed().as_secs_f64();
        println!(
            "dev (gold tags): UAS {:.2} LAS {:.2} LAS-full {:.2} over {} words; {:.0} words/s incl. scoring",
            100.0 * scores.uas,
            100.0 * scores.las,
            100.0 * scores.las_full,
            scores.words,
            scores.words as f64 / secs
        );
        if let Some(p) = arg(&args, "--write-dev") {
            let pred = chronicle_parser::predict(&model, dev, &TagSource::Gold);
            write_conllu(
                &PathBuf::from(&p),
                &std::fs::read_to_string(dev_path)?,
                &pred,
            )?;
            eprintln!("wrote predictions to {p}");
        }
        if let Some(pos_path) = arg(&args, "--pos-model") {
            let tagger = PosModel::from_bytes(&std::fs::read(&pos_path)?)?;
            let tag = |w: &[&str]| -> Vec<(String, String)> {
                tagger
                    .tag(w)
                    .into_iter()
                    .map(|t| (t.upos.to_string(), t.xpos.to_string()))
                    .collect()
            };
            let (mut up_ok, mut xp_ok, mut n) = (0usize, 0usize, 0usize);
            for s in dev {
                let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
                for (w, (u, x)) in s.words.iter().zip(tag(&words)) {
                    n += 1;
                    up_ok += usize::from(w.upos == u);
                    xp_ok += usize::from(w.xpos == x);
                }
            }
            println!(
                "tagger on dev: UPOS {:.2} XPOS {:.2}",
                100.0 * up_ok as f64 / n.max(1) as f64,
                100.0 * xp_ok as f64 / n.max(1) as f64
            );
            let scores = evaluate_parser(&model, dev, TagSource::Predicted(&tag));
            println!(
                "dev (tags from {pos_path}): UAS {:.2} LAS {:.2} LAS-full {:.2}",
                100.0 * scores.uas,
                100.0 * scores.las,
                100.0 * scores.las_full
            );
            if let Some(p) = arg(&args, "--write-dev-tagged") {
                let pred = chronicle_parser::predict(&model, dev, &TagSource::Predicted(&tag));
                write_conllu(
                    &PathBuf::from(&p),
                    &std::fs::read_to_string(dev_path)?,
                    &pred,
                )?;
                eprintln!("wrote predictions (predicted tags) to {p}");
            }
        }
    }
    Ok(())
}
