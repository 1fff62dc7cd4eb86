#![no_main]
//! The TimeML / MEANTIME readers and the time-expression grammar on arbitrary text.
use chronicle_timex::{find_times, Tense};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = chronicle_formats::read_timeml(text, "fuzz.tml");
    let _ = chronicle_formats::read_cat_timex(text, "fuzz.xml");
    let reference = chrono::NaiveDate::from_ymd_opt(2016, 10, 6);
    for t in find_times(text, reference, &|_, _| Tense::Past) {
        assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
    }
});
