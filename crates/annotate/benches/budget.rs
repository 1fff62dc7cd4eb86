//! `Pipeline::annotate_within` on hostile documents: how long `annotate` takes without a
//! budget, and how soon the budgeted run stops (and in which stage). Run with
//! `cargo bench -p chronicle-annotate --bench budget`. Speed is shown here, never
//! asserted in tests.

use chronicle_annotate::Pipeline;
use chronicle_core::Document;
use std::time::{Duration, Instant};

fn english(text: &str) -> Document {
    let mut d = Document::from_text("bench", "bench", text);
    d.language = Some("eng".into());
    d
}

const PROSE: &str = "Norland Foreign Minister Anna Velkova met her Ostrian counterpart Piet Marrow in Kessel on Monday. \"We have always wanted a settlement,\" Velkova told Marrow. Rebels shelled the town of Dorn, killing 12 people and wounding 30, officials said on Tuesday. ";

fn cases() -> Vec<(String, String)> {
    vec![
        ("prose, 100 KB".into(), PROSE.repeat(400)),
        ("prose, 400 KB".into(), PROSE.repeat(1600)),
        (
            "one 60,000-word sentence".into(),
            "the council met again and the people of the town said that ".repeat(5000),
        ),
        (
            "5,000 one-line quotes".into(),
            "\"Yes,\" said Anna Velkova. ".repeat(5000),
        ),
        (
            "5,000 person mentions".into(),
            "Anna Velkova met Piet Marrow in Kessel. ".repeat(5000),
        ),
    ]
}

fn main() {
    let pipeline = match Pipeline::shared() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("models do not load: {e}");
            std::process::exit(1);
        }
    };
    println!(
        "{:<28} {:>9} {:>10}   {:>8} {:>9} {:>6}  stopped",
        "document", "bytes", "no budget", "budget", "elapsed", "x"
    );
    for (name, text) in cases() {
        let mut d = english(&text);
        let t = Instant::now();
        pipeline.annotate(&mut d);
        let full = t.elapsed();
        for budget in [Duration::from_millis(250), Duration::from_secs(1)] {
            let mut d = english(&text);
            let t = Instant::now();
            let r = pipeline.annotate_within(&mut d, budget);
            let elapsed = t.elapsed();
            let outcome = match r {
                Ok(()) => "finished".to_string(),
                Err(e) => e.to_string(),
            };
            println!(
                "{:<28} {:>9} {:>9.2}s   {:>7.2}s {:>8.2}s {:>6.1}  {outcome}",
                name,
                text.len(),
                full.as_secs_f64(),
                budget.as_secs_f64(),
                elapsed.as_secs_f64(),
                elapsed.as_secs_f64() / budget.as_secs_f64(),
            );
        }
    }
}
