//! Trains the POS tagger + lemmatizer and writes the model file.
//!
//! cargo run --release -p chronicle-tagger --example train_pos -- \
//!     --train TRAIN.conllu [--dev DEV.conllu] --out models/pos.v1.bin.zst [--epochs N]

use chronicle_formats::read_conllu_file;
use chronicle_tagger::{evaluate_pos, train_pos, TrainOptions};
use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut train = None;
    let mut dev = None;
    let mut out = None;
    let mut opts = TrainOptions::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--train" => train = Some(PathBuf::from(val()?)),
            "--dev" => dev = Some(PathBuf::from(val()?)),
            "--out" => out = Some(PathBuf::from(val()?)),
            "--epochs" => opts.epochs = val()?.parse()?,
            "--prune" => opts.prune = val()?.parse()?,
            "--seed" => opts.seed = val()?.parse()?,
            "--dict-min-count" => opts.dict_min_count = val()?.parse()?,
            "--amb-min-count" => opts.amb_min_count = val()?.parse()?,
            "--amb-min-share" => opts.amb_min_share = val()?.parse()?,
            "--dict-min-share" => opts.dict_min_share = val()?.parse()?,
            "--lemma-epochs" => opts.lemma_epochs = val()?.parse()?,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let train_path = train.ok_or("--train is required")?;
    let out = out.ok_or("--out is required")?;
    let t0 = Instant::now();
    let train = read_conllu_file(&train_path)?;
    let dev = dev.map(|d| read_conllu_file(&d)).transpose()?;
    eprintln!("{} training sentences; options {opts:?}", train.len());
    let model = train_pos(&train, dev.as_deref(), &opts, &mut |r| {
        let pct = |x: Option<f64>| x.map_or("-".to_string(), |v| format!("{:.2}", v * 100.0));
        eprintln!(
            "epoch {:2}  train {:.2}  dev upos {}  xpos {}  lemma {}  ({:.1}s)",
            r.epoch,
            r.train_accuracy * 100.0,
            pct(r.dev_upos),
            pct(r.dev_xpos),
            pct(r.dev_lemma),
            r.seconds
        );
    });
    eprintln!("{}", model.describe());
    let bytes = model.to_bytes();
    std::fs::write(&out, &bytes)?;
    eprintln!(
        "wrote {} ({} bytes) in {:.1}s total",
        out.display(),
        bytes.len(),
        t0.elapsed().as_secs_f64()
    );
    if let Some(dev) = &dev {
        let s = evaluate_pos(&model, dev);
        println!("{}", serde_json::to_string_pretty(&s)?);
    }
    Ok(())
}
