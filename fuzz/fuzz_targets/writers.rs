#![no_main]
//! The TimeML and brat writers on arbitrary input: whatever the TimeML reader
//! accepts, putting its own TIMEX3s back gives well-formed TimeML with the same
//! text; brat output over any spans reads back with every offset on the text.
use chronicle_formats::{
    overlay_timeml, read_brat, read_timeml, write_brat_attributions, Anchor, BratAttribution,
    TimexOut,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(doc) = read_timeml(text, "fuzz.tml") {
        let ours: Vec<TimexOut> = doc
            .timexes
            .iter()
            .map(|t| TimexOut {
                start: t.start,
                end: t.end,
                kind: t.kind.clone(),
                value: t.value.clone(),
                anchor: Some(Anchor::Dct),
            })
            .collect();
        if let Ok(out) = overlay_timeml(text, "fuzz.tml", &ours) {
            let back = read_timeml(&out.xml, "out.tml").expect("our TimeML reads back");
            assert_eq!(back.text, doc.text);
        }
    }
    // Spans from the text's own bytes: any positions, boundaries or not.
    let n = text.len();
    let at = |i: usize| text.as_bytes().get(i).map_or(0, |&b| b as usize * n / 256);
    let atts: Vec<BratAttribution> = (0..text.len().min(12) / 3)
        .map(|k| BratAttribution {
            source: Some(at(3 * k)..at(3 * k) + 4),
            cue: Some(at(3 * k + 1)..at(3 * k + 1) + 3),
            content: vec![at(3 * k + 2)..n],
        })
        .collect();
    let ann = write_brat_attributions(text, &atts);
    let doc = read_brat(&ann, "fuzz.ann").expect("our brat reads back");
    for s in &doc.spans {
        assert!(doc.byte_fragments(&s.id, text).is_some());
    }
});
