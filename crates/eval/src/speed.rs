//! Cost per word of one long document (`chronicle benchmark speed --long`): single
//! documents of growing length built by concatenating the input's article bodies, each
//! annotated by the full pipeline without a time budget, so a stage whose cost grows
//! faster than the text shows as a rising µs/word against the shortest document.

use chronicle_annotate::Pipeline;
use chronicle_core::Document;
use serde::Serialize;
use std::time::Instant;

/// The document lengths (in words) `--long` measures by default.
pub const LONG_SIZES: [usize; 4] = [3_000, 30_000, 100_000, 300_000];

/// A shorter document is annotated this many words' worth of times per run, so each
/// timed sample is long enough for the CPU clock's 10 ms ticks.
const MIN_WORDS_PER_SAMPLE: usize = 60_000;

/// One document length's figures.
#[derive(Debug, Clone, Serialize)]
pub struct LongRow {
    /// Words the document was asked to hold.
    pub target_words: usize,
    /// Words it holds (whole articles, so slightly more than the target).
    pub words: usize,
    pub bytes: usize,
    pub sentences: usize,
    pub entities: usize,
    /// Annotations per timed sample (short documents are repeated).
    pub repeats: usize,
    /// Median over runs of wall-clock µs per word.
    pub us_per_word: f64,
    /// Median over runs of CPU µs per word (user + system), when /proc has it.
    pub cpu_us_per_word: Option<f64>,
    /// `cpu_us_per_word` (else `us_per_word`) over the shortest document's.
    pub ratio: f64,
}

/// The long-document table.
#[derive(Debug, Clone, Serialize)]
pub struct LongReport {
    pub articles: usize,
    pub runs: usize,
    /// How the time budget was applied: never (the pipeline's `annotate`).
    pub budget: &'static str,
    pub rows: Vec<LongRow>,
}

/// Concatenates article bodies (cycling through them when the input is shorter) until
/// the text holds at least `words` words; blank lines keep the articles' sentences apart.
pub fn long_text(articles: &[&str], words: usize) -> String {
    let mut text = String::new();
    let mut have = 0;
    let nonempty: Vec<&str> = articles
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
        .collect();
    if nonempty.is_empty() {
        return text;
    }
    for a in nonempty.iter().cycle() {
        if have >= words {
            break;
        }
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(a);
        have += a.split_whitespace().count();
    }
    text
}

/// Annotates one document per size in `sizes`, built from `docs`' texts (dated as the
/// first of them), `runs` times each, and reports medians. Sizes are measured in
/// alternation run by run, so load from other processes falls on every size alike.
pub fn long_documents(
    pipeline: &Pipeline,
    docs: &[Document],
    sizes: &[usize],
    runs: usize,
) -> LongReport {
    long_documents_sampled(pipeline, docs, sizes, runs, MIN_WORDS_PER_SAMPLE)
}

/// [`long_documents`] with each timed sample holding at least `min_words` words.
fn long_documents_sampled(
    pipeline: &Pipeline,
    docs: &[Document],
    sizes: &[usize],
    runs: usize,
    min_words: usize,
) -> LongReport {
    let bodies: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
    let runs = runs.max(1);
    let built: Vec<(usize, Document)> = sizes
        .iter()
        .map(|&n| {
            let mut d = crate::english_document(
                &format!("long-{n}"),
                &format!("long-{n}.txt"),
                long_text(&bodies, n),
            );
            if let Some(first) = docs.first() {
                d.published = first.published.clone();
                d.stated_date = first.stated_date.clone();
            }
            (n, d)
        })
        .collect();
    let mut wall: Vec<Vec<f64>> = vec![Vec::new(); built.len()];
    let mut cpu: Vec<Vec<f64>> = vec![Vec::new(); built.len()];
    let mut layers = vec![(0, 0); built.len()];
    for _ in 0..runs {
        for (i, (_, doc)) in built.iter().enumerate() {
            let words = doc.text.split_whitespace().count().max(1);
            let repeats = min_words.div_ceil(words).max(1);
            let t = Instant::now();
            let c = cpu_seconds();
            for _ in 0..repeats {
                let mut d = doc.clone();
                pipeline.annotate(&mut d);
                layers[i] = (d.sentences.len(), d.entities.len());
            }
            let total = (words * repeats) as f64;
            wall[i].push(t.elapsed().as_secs_f64() * 1e6 / total);
            if let (Some(a), Some(b)) = (c, cpu_seconds()) {
                cpu[i].push((b - a) * 1e6 / total);
            }
        }
    }
    let mut rows: Vec<LongRow> = built
        .iter()
        .enumerate()
        .map(|(i, (n, doc))| {
            let words = doc.text.split_whitespace().count();
            LongRow {
                target_words: *n,
                words,
                bytes: doc.text.len(),
                sentences: layers[i].0,
                entities: layers[i].1,
                repeats: min_words.div_ceil(words.max(1)).max(1),
                us_per_word: median(wall[i].clone()),
                cpu_us_per_word: (cpu[i].len() == runs)
                    .then(|| median(cpu[i].clone()))
                    .filter(|c| *c > 0.0),
                ratio: 1.0,
            }
        })
        .collect();
    let base = rows
        .first()
        .map(|r| r.cpu_us_per_word.unwrap_or(r.us_per_word));
    for r in &mut rows {
        if let Some(b) = base.filter(|b| *b > 0.0) {
            r.ratio = r.cpu_us_per_word.unwrap_or(r.us_per_word) / b;
        }
    }
    LongReport {
        articles: docs.len(),
        runs,
        budget: "none (Pipeline::annotate, no per-document deadline)",
        rows,
    }
}

/// CPU seconds (user + system) this process has used, from /proc (Linux).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_cycles_articles_until_the_target() {
        let t = long_text(&["one two three", " four five "], 7);
        assert_eq!(t, "one two three\n\nfour five\n\none two three");
        assert_eq!(long_text(&["", "  "], 10), "");
        assert_eq!(long_text(&["a b"], 0), "");
    }

    #[test]
    fn the_table_has_a_row_per_size_against_the_first() {
        let Ok(pipeline) = Pipeline::shared() else {
            panic!("embedded models load");
        };
        let docs = vec![crate::english_document(
            "a",
            "a.txt",
            "The council met on Monday. Its chair said the plan would pass.".into(),
        )];
        let r = long_documents_sampled(pipeline, &docs, &[10, 40], 1, 1);
        assert_eq!(r.rows.len(), 2);
        assert!(r
            .rows
            .iter()
            .all(|x| x.words >= x.target_words && x.sentences > 0));
        assert_eq!((r.rows[0].words, r.rows[1].words), (12, 48));
        assert_eq!(r.rows[0].ratio, 1.0);
    }
}
