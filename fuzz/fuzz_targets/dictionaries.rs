#![no_main]
//! PETRARCH dictionary readers (actors, agents, verbs), the CAMEO tables and the
//! codebook asset reader: any text loads or reports lines, never panics.
use chronicle_codebook::{parse_actors, parse_agents, parse_goldstein, parse_plover, parse_verbs, Codebook, Sources};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = parse_actors("f", text);
    let _ = parse_agents("f", text);
    let _ = parse_verbs("f", text);
    let _ = parse_goldstein("f", text);
    let _ = parse_plover("f", text);
    let (book, _) = Codebook::from_sources(&Sources {
        actors: vec![("a", text)],
        agents: vec![("g", text)],
        verbs: vec![("v", text)],
        ..Default::default()
    });
    // What the converter writes, the reader reads back.
    let back = Codebook::from_text(&book.to_text()).expect("own asset text reads back");
    assert_eq!(back.actors.len(), book.actors.len());
    let _ = Codebook::from_text(text);
});
