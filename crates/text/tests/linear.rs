//! Pathological shapes must stay linear: one huge line, one huge sentence.

use chronicle_text::segment;
use std::time::Instant;

fn time_per_byte(text: &str) -> f64 {
    let t = Instant::now();
    let seg = segment(text);
    assert!(!seg.tokens.is_empty());
    t.elapsed().as_secs_f64() / text.len() as f64
}

#[test]
fn no_newline_and_long_sentence_scale_linearly() {
    let unit = "the army said 12,000 people, incl. U.S. staff, had left al-Bab and \
                \"won't return\" — http://x.org/a?b=1 ";
    let sentence_2000 = unit.repeat(2000 / 20);
    let small = sentence_2000.repeat(5);
    let big = sentence_2000.repeat(50);
    // Warm up the model cache before timing.
    let _ = segment(unit);
    let a = time_per_byte(&small);
    let b = time_per_byte(&big);
    // Quadratic behaviour would make the 10x input ~10x slower per byte.
    assert!(b < a * 4.0 + 1e-7, "per-byte time grew from {a:e} to {b:e}");
}

#[test]
fn degenerate_runs() {
    for text in [
        ".".repeat(200_000),
        "a".repeat(200_000),
        "-a".repeat(100_000),
        "'".repeat(100_000),
        "http://".to_string() + &"a".repeat(100_000),
        "x@".repeat(50_000),
        "1,".repeat(100_000),
        "\u{200D}".repeat(50_000),
        "\"".repeat(100_000),
        ")".repeat(100_000),
        "a+".repeat(100_000),
        "a.".repeat(100_000),
        "No. ".repeat(50_000),
        "AAAA.".repeat(50_000),
        "x\n".repeat(100_000),
    ] {
        let t = Instant::now();
        let _ = segment(&text);
        // Generous: this guards against blow-ups, not a few slow CI seconds.
        assert!(t.elapsed().as_secs_f64() < 30.0);
    }
}
