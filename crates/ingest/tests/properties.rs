//! Property tests: no input makes ingest panic, and every document it returns has
//! a text whose lines all came from the input.

use chronicle_ingest::clean::{clean, CleanOptions};
use chronicle_ingest::{read_bytes, IngestOptions, LineStats};
use proptest::prelude::*;
use std::path::Path;

fn never(_: &str) -> bool {
    false
}

fn line_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Skip to main content".to_string()),
        Just("PUBLISHED : Friday, 09 September, 2016, 1:07pm".to_string()),
        Just("date 2016-10-03".to_string()),
        Just("http://www.example.com/news/2016/10/a-b-c-161015035430288.html".to_string()),
        Just("202".to_string()),
        Just("READ MORE: Another story here".to_string()),
        Just("5 min".to_string()),
        Just("The minister said on Thursday that talks would resume in Geneva.".to_string()),
        Just(String::new()),
        "\\PC{0,60}",
    ]
}

proptest! {
    #[test]
    fn clean_keeps_only_input_lines(lines in proptest::collection::vec(line_strategy(), 0..25)) {
        let body = lines.join("\n");
        let c = clean(&body, &CleanOptions { parse_header: true, known_title: None, is_boilerplate: &never, related_headlines: true });
        for para in c.text.split("\n\n") {
            for l in para.split('\n') {
                // kept text is a trimmed input line, a suffix of a glued date line, or
                // input lines joined by a space (hard-wrapped prose)
                prop_assert!(body.contains(l) || l.split(' ').all(|w| body.contains(w)), "{l:?}");
            }
        }
        for r in &c.removed {
            prop_assert!(r.line >= 1 && r.line <= lines.len().max(1));
        }
    }

    #[test]
    fn read_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = read_bytes(&bytes, Path::new("x.txt"), &IngestOptions::default(), &LineStats::default());
    }

    #[test]
    fn text_inputs_give_valid_documents(lines in proptest::collection::vec(line_strategy(), 1..25)) {
        let body = lines.join("\n");
        if let Ok(recs) = read_bytes(body.as_bytes(), Path::new("x.txt"), &IngestOptions::default(), &LineStats::default()) {
            for d in recs.into_iter().flatten() {
                prop_assert!(!d.text.trim().is_empty());
                prop_assert!(d.check_spans().is_ok());
                prop_assert_eq!(d.id.len(), 16);
            }
        }
    }
}
