//! Quotes and claims through the whole pipeline, on fixtures written for these tests
//! (invented people and places).

use chronicle_annotate::Pipeline;
use chronicle_core::Document;
use proptest::prelude::*;

fn annotated(text: &str) -> Document {
    let mut d = Document::from_text("t", "t", text);
    d.language = Some("eng".into());
    Pipeline::shared().expect("models load").annotate(&mut d);
    assert!(d.check_spans().is_ok());
    d
}

const STORY: &str = "Norland Foreign Minister Anna Velkova met her Ostrian counterpart Piet Marrow in Kessel on Monday.\n\n\"We have always wanted a settlement,\" Velkova told Marrow at the start of the talks. \"But the shelling of Dorn must stop first.\"\n\nOstria is \"deeply worried\" about the fighting and is ready to talk, Marrow said. \"We want calm as soon as possible.\"\n\nThe Norland foreign minister has said that Ostria will be responsible if the shelling goes on.\n\nThe so-called \"safe corridor\" stayed closed, and \"moderate\" rebels held the bridge.";

#[test]
fn direct_quotes_with_resolved_speakers() {
    let d = annotated(STORY);
    let find = |needle: &str| {
        d.quotes
            .iter()
            .find(|q| q.text.contains(needle))
            .unwrap_or_else(|| panic!("no quote with {needle:?}: {:#?}", d.quotes))
    };
    let q = find("always wanted");
    assert_eq!(q.kind, "direct");
    assert_eq!(q.cue.as_deref(), Some("told"));
    assert_eq!(q.speaker_canonical.as_deref(), Some("Anna Velkova"));
    // The second half of a quote broken by its attribution keeps the speaker.
    let q = find("shelling of Dorn");
    assert_eq!(q.speaker_canonical.as_deref(), Some("Anna Velkova"));
    let q = find("We want calm");
    assert_eq!(q.speaker_canonical.as_deref(), Some("Piet Marrow"));
    // A description resolves to the person the document titles so.
    let q = find("will be responsible");
    assert_eq!(q.kind, "indirect");
    assert_eq!(q.speaker_canonical.as_deref(), Some("Anna Velkova"));
    // Terms in quotation marks are not speech.
    assert!(d.quotes.iter().all(|q| !q.text.contains("safe corridor")));
    assert!(d.quotes.iter().all(|q| q.text != "\"moderate\""));
}

#[test]
fn reported_speech_forms() {
    let d = annotated("The attack killed many, according to the Dorn Monitoring Group. Health officials told reporters on Tuesday that the hospital was full. The ministry accused the rebels of shelling the market.");
    let cues: Vec<&str> = d.quotes.iter().filter_map(|q| q.cue.as_deref()).collect();
    for cue in ["according", "told", "accused"] {
        assert!(
            cues.iter().any(|c| c.starts_with(cue)),
            "{cue} missing: {:#?}",
            d.quotes
        );
    }
    let acc = d
        .quotes
        .iter()
        .find(|q| q.cue.as_deref() == Some("according to"))
        .unwrap();
    assert!(acc
        .speaker
        .as_deref()
        .unwrap_or("")
        .contains("Monitoring Group"));
}

#[test]
fn prepositional_contents() {
    // PolNeAR-style attributions whose content is a prepositional object.
    let d = annotated("Velkova spoke of the long history of the border dispute in a speech on Monday. Marrow complained about the state of the roads.");
    for (cue, content) in [
        ("spoke", "the long history of the border dispute"),
        ("complained", "the state of the roads"),
    ] {
        let q = d
            .quotes
            .iter()
            .find(|q| q.cue.as_deref() == Some(cue))
            .unwrap_or_else(|| panic!("no {cue}: {:#?}", d.quotes));
        assert_eq!(q.text, content);
        assert_eq!(q.kind, "indirect");
    }
}

#[test]
fn our_correspondent_is_the_outlets_named_journalist() {
    let d = annotated("\"Nobody expects a deal this week,\" said the Daily Lamp's diplomatic editor Tomas Ferrand.\n\n\"The guest list alone took a month,\" said our correspondent.");
    let q = d
        .quotes
        .iter()
        .find(|q| q.text.contains("guest list"))
        .unwrap_or_else(|| panic!("{:#?}", d.quotes));
    assert_eq!(
        q.speaker_canonical.as_deref(),
        Some("Tomas Ferrand"),
        "{q:#?}"
    );
}

#[test]
fn a_name_before_a_noun_cue_is_its_speaker() {
    let d =
        annotated("Ostria criticized the Norland decision to close the border crossing at Dorn.");
    let q = d
        .quotes
        .iter()
        .find(|q| q.cue.as_deref() == Some("decision"))
        .unwrap_or_else(|| panic!("{:#?}", d.quotes));
    assert_eq!(q.speaker.as_deref(), Some("Norland"), "{q:#?}");
}

#[test]
fn number_words_fractions_and_non_victims() {
    let d = annotated("Twenty-six civilians were killed in two attacks on Dorn. A quarter of a million people are besieged in the city.");
    let kill: Vec<(f64, &str)> = d
        .claims
        .iter()
        .map(|c| (c.value, c.kind.as_str()))
        .collect();
    assert!(kill.contains(&(26.0, "KILL")), "{kill:?}");
    assert!(!kill.contains(&(2.0, "KILL")), "{kill:?}");
    assert!(kill.contains(&(250_000.0, "BESIEGED")), "{kill:?}");
}

#[test]
fn figures_about_casualties_are_not_casualties() {
    let d = annotated("Officials in Dorn gave three different death tolls on Monday. The ministry said 40 people were killed.");
    let kills: Vec<f64> = d
        .claims
        .iter()
        .filter(|c| c.kind == "KILL")
        .map(|c| c.value)
        .collect();
    assert_eq!(kills, [40.0], "{:#?}", d.claims);
}

#[test]
fn casualty_claims() {
    let d = annotated("At least 112 people were killed and nearly 70 wounded in Dorn on Sunday, according to the Dorn Monitoring Group. The siege has trapped 275,000 people. Dozens of civilians fled. The war began in 2011 and the mayor is 54 years old. Prices rose 12 percent and the city spent $4 million.");
    let get = |kind: &str| {
        d.claims
            .iter()
            .find(|c| c.kind == kind)
            .unwrap_or_else(|| panic!("no {kind} claim: {:#?}", d.claims))
    };
    let kill = get("KILL");
    assert_eq!(kill.value, 112.0);
    assert_eq!(kill.qualifier.as_deref(), Some("at least"));
    assert_eq!(kill.subject.as_deref(), Some("people"));
    assert!(kill
        .claimant
        .as_deref()
        .unwrap_or("")
        .contains("Monitoring Group"));
    assert_eq!(kill.place.as_deref(), Some("Dorn"));
    let wound = get("WOUND");
    assert_eq!(wound.value, 70.0);
    assert_eq!(wound.qualifier.as_deref(), Some("nearly"));
    assert_eq!(get("BESIEGED").value, 275_000.0);
    assert_eq!(get("DISPLACE").value, 24.0);
    assert_eq!(get("PERCENT").value, 12.0);
    assert_eq!(get("MONEY").value, 4e6);
    // Years and ages are not counts.
    assert!(d
        .claims
        .iter()
        .all(|c| c.value != 2011.0 && c.value != 54.0));
}

#[test]
fn bad_input_is_bounded_and_valid() {
    let long = format!("He said \"{}\" and left.", "word ".repeat(2000));
    let d = annotated(&long);
    assert!(!d.quotes.is_empty());
    for text in [
        "\"Never closed. \u{201c}Mixed ‘nesting\" here’ and ``more'' text.",
        "Counts of 1,00,000 and 2.5.3 and 1,,0 people died.",
        "\u{201d}\u{201d}\u{201c}\u{201c}\"'\"'",
    ] {
        let d = annotated(text);
        assert!(d.claims.iter().all(|c| c.value != 2.5));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn spans_stay_valid_on_quote_and_number_soup(
        text in "([\"“”‘’'` ]|said|told|according to|killed|[0-9]{1,4}|,|\\.|\n\n|[A-Z][a-z]{1,6}| ){0,80}"
    ) {
        let d = annotated(&text);
        prop_assert!(d.check_spans().is_ok());
    }
}
