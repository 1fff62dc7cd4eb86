//! Prints the sentences and tokens of a text file, one sentence per line with
//! tokens separated by `|`, to eyeball the segmentation of real input.
//!
//! cargo run --release -p chronicle-text --example show -- FILE

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Some(path) = std::env::args().nth(1) else {
        return Err("usage: show FILE".into());
    };
    let text = std::fs::read_to_string(path)?;
    let seg = chronicle_text::segment(&text);
    for s in &seg.sentences {
        let words: Vec<&str> = seg.tokens[s.tokens.clone()]
            .iter()
            .map(|t| t.text(&text))
            .collect();
        println!("{}", words.join("|"));
    }
    Ok(())
}
