//! Trains the FEATS predictor and writes the model file.
//!
//! cargo run --release -p chronicle-tagger --example train_feats -- \
//!     --train TRAIN.conllu --pos-model models/pos.v1.bin.zst --out models/feats.v1.bin.zst \
//!     [--dev DEV.conllu] [--epochs N] [--min-count N] [--tags gold|pos] [--tune N]
//!
//! `--dev` is tagged with the POS model and scored after every epoch (reports
//! only). `--tune N` holds the last N training sentences out and scores them
//! instead: the part of the data to tune choices on, so dev stays a check.

use chronicle_formats::read_conllu_file;
use chronicle_tagger::{
    predict_feats, predict_pos, train_feats, universal_feats, FeatsTrainOptions, PosModel,
};
use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (mut train, mut dev, mut out, mut pos) = (None, None, None, None);
    let mut opts = FeatsTrainOptions::default();
    let mut tags = "gold".to_string();
    let mut tune = 0usize;
    let mut dump = None;
    let mut jackknife = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--train" => train = Some(PathBuf::from(val()?)),
            "--dev" => dev = Some(PathBuf::from(val()?)),
            "--out" => out = Some(PathBuf::from(val()?)),
            "--pos-model" => pos = Some(PathBuf::from(val()?)),
            "--epochs" => opts.epochs = val()?.parse()?,
            "--seed" => opts.seed = val()?.parse()?,
            "--prune" => opts.prune = val()?.parse()?,
            "--min-count" => opts.min_count = val()?.parse()?,
            "--tags" => tags = val()?,
            "--tune" => tune = val()?.parse()?,
            "--dump" => dump = Some(PathBuf::from(val()?)),
            "--write-jackknifed" => {
                jackknife = Some((val()?.parse::<usize>()?, PathBuf::from(val()?)))
            }
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let t0 = Instant::now();
    let mut train = read_conllu_file(&train.ok_or("--train is required")?)?;
    let pos = PosModel::from_bytes(&std::fs::read(pos.ok_or("--pos-model is required")?)?)?;
    let held = train.split_off(train.len() - tune.min(train.len()));
    let check = if tune > 0 {
        Some(held)
    } else {
        dev.map(|d| read_conllu_file(&d)).transpose()?
    };
    if let Some((k, path)) = jackknife {
        // Train as the tagger's output reads: each fold tagged by a tagger
        // trained on the other folds; FEATS stay gold.
        let mut tagged = train.clone();
        for fold in 0..k {
            let rest: Vec<_> = train
                .iter()
                .enumerate()
                .filter(|(i, _)| i % k != fold)
                .map(|(_, s)| s.clone())
                .collect();
            let m = chronicle_tagger::train_pos(&rest, None, &Default::default(), &mut |_| {});
            for (i, s) in tagged.iter_mut().enumerate().filter(|(i, _)| i % k == fold) {
                let words: Vec<&str> = train[i].words.iter().map(|w| w.form.as_str()).collect();
                for (w, t) in s.words.iter_mut().zip(m.tag(&words)) {
                    w.upos = t.upos.to_string();
                    w.xpos = t.xpos.to_string();
                    w.lemma = t.lemma;
                }
            }
            eprintln!("fold {fold} tagged ({:.0}s)", t0.elapsed().as_secs_f64());
        }
        std::fs::write(&path, chronicle_formats::write_conllu(&tagged))?;
        return Ok(());
    }
    let check_tags = check.as_ref().map(|c| predict_pos(&pos, c));
    let train_tags = match tags.as_str() {
        "gold" => None,
        "pos" => Some(predict_pos(&pos, &train)),
        other => return Err(format!("--tags {other}: gold or pos").into()),
    };
    eprintln!(
        "{} training sentences; options {opts:?}; tags {tags}",
        train.len()
    );
    let model = train_feats(
        &train,
        train_tags.as_deref(),
        check.as_deref().zip(check_tags.as_deref()),
        &opts,
        &mut |r| {
            eprintln!(
                "epoch {:2}  train {:.2}  check UFeats {}  ({:.1}s)",
                r.epoch,
                r.train_accuracy * 100.0,
                r.dev_ufeats
                    .map_or("-".into(), |v| format!("{:.2}", v * 100.0)),
                r.seconds
            )
        },
    );
    eprintln!("{}", model.describe());
    if let Some(out) = out {
        let bytes = model.to_bytes();
        std::fs::write(&out, &bytes)?;
        eprintln!("wrote {} ({} bytes)", out.display(), bytes.len());
    }
    if let (Some(check), Some(tags)) = (&check, &check_tags) {
        // The cost `chronicle tag` pays per word for FEATS, on top of tagging.
        let words: usize = check.iter().map(|s| s.words.len()).sum();
        let mut times = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            std::hint::black_box(predict_feats(&model, check, tags));
            times.push(t.elapsed().as_secs_f64());
        }
        times.sort_by(f64::total_cmp);
        eprintln!(
            "FEATS prediction: {words} words in {:.1} ms (median of 5), {:.0} words/s",
            times[2] * 1e3,
            words as f64 / times[2]
        );
    }
    if let (Some(path), Some(check), Some(tags)) = (dump, &check, &check_tags) {
        // One line per check word: form, gold and our tags, gold and our FEATS.
        let mut lines = String::new();
        for (s, (t, f)) in check
            .iter()
            .zip(tags.iter().zip(predict_feats(&model, check, tags)))
        {
            for (w, (t, f)) in s.words.iter().zip(t.iter().zip(f)) {
                lines.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                    w.form,
                    w.upos,
                    w.xpos,
                    t.upos,
                    t.xpos,
                    universal_feats(&w.feats),
                    universal_feats(f)
                ));
            }
            lines.push('\n');
        }
        std::fs::write(path, lines)?;
    }
    eprintln!("{:.1}s total", t0.elapsed().as_secs_f64());
    Ok(())
}
