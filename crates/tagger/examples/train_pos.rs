//! Trains the POS tagger + lemmatizer and writes the model file.
//!
//! cargo run --release -p chronicle-tagger --example train_pos -- \
//!     --train TRAIN.conllu [--dev DEV.conllu] --out models/pos.v1.bin.zst [--epochs N] \
//!     [--text-conllu FILE.conllu] [--fakes FAKES.csv] [--meantime DIR]...
//!
//! The unlabeled-text options only feed the casing profiles (word forms of a
//! CoNLL-U file, FA-KES `article_content`, MEANTIME CAT XML tokens).

use chronicle_formats::read_conllu_file;
use chronicle_tagger::{evaluate_pos, train_pos_with_text, TrainOptions};
use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut train = None;
    let mut dev = None;
    let mut out = None;
    let mut opts = TrainOptions::default();
    let mut text: Vec<String> = Vec::new();
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
            "--margin" => opts.second_pass_margin = val()?.parse()?,
            "--folds" => opts.jackknife_folds = val()?.parse()?,
            "--text-conllu" => {
                for s in read_conllu_file(&PathBuf::from(val()?))? {
                    let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
                    text.push(forms.join(" "));
                }
            }
            "--fakes" => text.extend(fakes_articles(&std::fs::read_to_string(val()?)?)?),
            "--meantime" => text.extend(meantime_sentences(&PathBuf::from(val()?))?),
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let train_path = train.ok_or("--train is required")?;
    let out = out.ok_or("--out is required")?;
    let t0 = Instant::now();
    let train = read_conllu_file(&train_path)?;
    let dev = dev.map(|d| read_conllu_file(&d)).transpose()?;
    eprintln!("{} training sentences; options {opts:?}", train.len());
    eprintln!("{} unlabeled text items", text.len());
    let model = train_pos_with_text(&train, &text, dev.as_deref(), &opts, &mut |r| {
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

/// `article_content` of every FA-KES row (RFC 4180 CSV with a header).
fn fakes_articles(csv: &str) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = csv.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, '\r') => {}
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    let header = rows.first().ok_or("empty FA-KES file")?;
    let col = header
        .iter()
        .position(|h| h == "article_content")
        .ok_or("FA-KES file lacks article_content")?;
    Ok(rows[1..]
        .iter()
        .filter_map(|r| r.get(col).cloned())
        .collect())
}

/// One line per sentence of every MEANTIME CAT XML file in `dir`, in file-name
/// order so the profile does not depend on directory listing order.
fn meantime_sentences(dir: &std::path::Path) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    files.retain(|p| p.extension().is_some_and(|e| e == "xml"));
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let xml = std::fs::read_to_string(&f)?;
        let mut sent: Option<String> = None;
        let mut line = String::new();
        for part in xml.split("<token ").skip(1) {
            let Some((attrs, rest)) = part.split_once('>') else {
                continue;
            };
            let Some((word, _)) = rest.split_once("</token>") else {
                continue;
            };
            let s = attrs
                .split("sentence=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .map(str::to_string);
            if s != sent && !line.is_empty() {
                out.push(std::mem::take(&mut line));
            }
            sent = s;
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&unescape(word));
        }
        if !line.is_empty() {
            out.push(line);
        }
    }
    Ok(out)
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
