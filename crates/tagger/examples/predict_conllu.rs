//! Tags a CoNLL-U file's gold tokens and writes a copy with only LEMMA, UPOS
//! and XPOS replaced, for checking our scores against the official scorer:
//!
//! cargo run --release -p chronicle-tagger --example predict_conllu -- MODEL IN.conllu OUT.conllu

use chronicle_tagger::PosModel;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [model, input, output] = args.as_slice() else {
        return Err("usage: predict_conllu MODEL IN.conllu OUT.conllu".into());
    };
    let model = PosModel::from_bytes(&std::fs::read(model)?)?;
    let text = std::fs::read_to_string(input)?;
    let mut out = String::with_capacity(text.len());
    let mut block: Vec<&str> = Vec::new();
    let flush = |block: &mut Vec<&str>, out: &mut String| {
        let words: Vec<&str> = block
            .iter()
            .filter_map(|l| {
                let cols: Vec<&str> = l.split('\t').collect();
                (cols.len() == 10 && cols[0].bytes().all(|b| b.is_ascii_digit())).then(|| cols[1])
            })
            .collect();
        let tags = model.tag(&words);
        let mut next = tags.iter();
        for l in block.drain(..) {
            let mut cols: Vec<&str> = l.split('\t').collect();
            if cols.len() == 10 && cols[0].bytes().all(|b| b.is_ascii_digit()) {
                if let Some(t) = next.next() {
                    cols[2] = &t.lemma;
                    cols[3] = t.upos;
                    cols[4] = t.xpos;
                }
            }
            out.push_str(&cols.join("\t"));
            out.push('\n');
        }
    };
    for line in text.lines() {
        if line.trim().is_empty() {
            flush(&mut block, &mut out);
            out.push('\n');
        } else {
            block.push(line);
        }
    }
    flush(&mut block, &mut out);
    std::fs::write(output, out)?;
    Ok(())
}
