//! The exporters on a small store written here: one fictional article with a
//! lead event, a later event by country-less Islamists against Iraqi troops,
//! a background reference and a casualty claim.

use chronicle_core::{
    ActorMention, Claim, DateProvenance, Document, Event, EventActor, Published, Sentence, Span,
};
use chronicle_export::{acled, gdelt, ExportOptions};
use chronicle_store::{NewDocument, SqliteStore, Store};

const TEXT: &str =
    "Syrian warplanes bombed Aleppo on Friday, killing 12 civilians in the old city.\n\
Islamists attacked Iraqi troops near Mosul. Officials said the fighting went on.\n\
The army has ruled since 1963, said a historian.";

fn span(word: &str) -> (usize, usize) {
    let s = TEXT.find(word).expect("word in the text");
    (s, s + word.len())
}

fn sentence_of(b: usize, sentences: &[Sentence]) -> (usize, usize) {
    let s = sentences
        .iter()
        .find(|s| s.start <= b && b < s.end)
        .expect("a sentence");
    (s.start, s.end)
}

fn actor(word: &str, code: &str) -> EventActor {
    let (start, end) = span(word);
    EventActor {
        text: word.into(),
        code: Some(code.into()),
        actor: None,
        start,
        end,
    }
}

fn mention(word: &str, code: &str, origin: &str) -> ActorMention {
    let (start, end) = span(word);
    ActorMention {
        start,
        end,
        text: word.into(),
        code: Some(code.into()),
        actor: None,
        role: None,
        country: chronicle_export::cameo::iso_country(code).map(str::to_string),
        sector: None,
        origin: origin.into(),
    }
}

#[allow(clippy::too_many_arguments)]
fn event(
    sentences: &[Sentence],
    verb: &str,
    cameo: &str,
    source: EventActor,
    target: Option<EventActor>,
    location: Option<&str>,
    date: Option<&str>,
) -> Event {
    let (vs, ve) = span(verb);
    let (start, end) = sentence_of(vs, sentences);
    Event {
        start,
        end,
        text: TEXT[start..end].to_string(),
        source_actor: source.code.clone(),
        target_actor: target.as_ref().and_then(|t| t.code.clone()),
        cameo: cameo.into(),
        plover_type: None,
        plover_mode: None,
        quad_class: Some(4),
        goldstein: Some(-10.0),
        location: location.map(str::to_string),
        date: date.map(str::to_string),
        date_source: None,
        source: Some(source),
        target,
        verb: Some(Span::new(vs, ve)),
        modality: Some("asserted".into()),
    }
}

fn document() -> Document {
    let mut d = Document::from_text("0123456789abcdef0123", "fixture.txt", TEXT);
    d.outlet = Some("Example Wire".into());
    d.published = Some(Published {
        date: "2016-10-15".into(),
        time: Some("09:14".into()),
        provenance: DateProvenance::Metadata,
        confidence: 1.0,
        estimated: false,
    });
    let mut start = 0;
    for piece in TEXT.split_inclusive(['.', '\n']) {
        let trimmed = piece.trim_end();
        if !trimmed.trim().is_empty() && trimmed.ends_with('.') {
            let lead = trimmed.len() - trimmed.trim_start().len();
            d.sentences.push(Sentence {
                start: start + lead,
                end: start + trimmed.len(),
                token_start: 0,
                token_end: 0,
            });
        }
        start += piece.len();
    }
    d.actors = vec![
        mention("Syrian warplanes", "SYRMIL", "text"),
        mention("civilians", "CVL", "agent"),
        mention("Islamists", "MUS", "agent"),
        mention("Iraqi troops", "IRQMIL", "text"),
        mention("The army", "SYRMIL", "coreference"),
    ];
    let s = d.sentences.clone();
    d.events = vec![
        event(
            &s,
            "bombed",
            "195",
            actor("Syrian warplanes", "SYRMIL"),
            Some(actor("civilians", "CVL")),
            Some("Aleppo"),
            Some("2016-10-14"),
        ),
        event(
            &s,
            "attacked",
            "190",
            actor("Islamists", "MUS"),
            Some(actor("Iraqi troops", "IRQMIL")),
            Some("Mosul"),
            None,
        ),
        event(
            &s,
            "ruled",
            "173",
            actor("The army", "SYRMIL"),
            None,
            None,
            Some("1963"),
        ),
    ];
    // The coder dated the attack by the publication date: the text states none.
    d.events[1].date = Some("2016-10-15".into());
    d.events[1].date_source = Some("published".into());
    let (cs, ce) = span("12 civilians");
    d.claims = vec![Claim {
        start: cs,
        end: ce,
        text: "12 civilians".into(),
        value: 12.0,
        qualifier: None,
        kind: "KILL".into(),
        subject: Some("civilians".into()),
        claimant: None,
        place: None,
        time: None,
    }];
    d.check_spans().expect("the fixture's spans are valid");
    d
}

fn store() -> SqliteStore {
    let mut s = SqliteStore::open_in_memory().expect("an in-memory store");
    s.put_batch(&[NewDocument {
        doc: document(),
        fingerprint: None,
        duplicate_of: None,
    }])
    .expect("stored");
    s
}

fn gdelt_tables(
    options: &ExportOptions,
) -> (Vec<Vec<String>>, Vec<Vec<String>>, gdelt::GdeltSummary) {
    let (mut ev, mut me) = (Vec::new(), Vec::new());
    let summary = gdelt::write(&store(), options, &mut ev, Some(&mut me)).expect("export");
    let split = |b: Vec<u8>| -> Vec<Vec<String>> {
        String::from_utf8(b)
            .unwrap()
            .lines()
            .map(|l| l.split('\t').map(str::to_string).collect())
            .collect()
    };
    (split(ev), split(me), summary)
}

fn col<'a>(row: &'a [String], name: &str) -> &'a str {
    let i = gdelt::EVENT_COLUMNS
        .iter()
        .position(|c| *c == name)
        .unwrap();
    &row[i]
}

#[test]
fn gdelt_rows_are_dated_placed_and_coded_from_the_cameo_country_table() {
    let (events, mentions, summary) = gdelt_tables(&ExportOptions::default());
    assert_eq!(summary.matched, 3);
    assert_eq!(
        (summary.written, summary.background, summary.undated),
        (2, 1, 0)
    );
    assert_eq!(events.len(), 2);
    assert!(events.iter().all(|r| r.len() == 61));
    let bombing = events
        .iter()
        .find(|r| col(r, "EventCode") == "195")
        .unwrap();
    assert_eq!(col(bombing, "SQLDATE"), "20161014");
    assert_eq!(col(bombing, "IsRootEvent"), "1");
    assert_eq!(col(bombing, "Actor1CountryCode"), "SYR");
    assert_eq!(col(bombing, "Actor1Type1Code"), "MIL");
    assert_eq!(col(bombing, "ActionGeo_Type"), "4");
    assert_eq!(col(bombing, "ActionGeo_FullName"), "Aleppo, Halab, Syria");
    assert_eq!(col(bombing, "ActionGeo_CountryCode"), "SY");
    assert_eq!(col(bombing, "ActionGeo_ADM1Code"), "SY09");
    assert_eq!(col(bombing, "ActionGeo_FeatureID"), "170063");
    assert!(col(bombing, "ActionGeo_Lat").starts_with("36.2"));
    assert_eq!(col(bombing, "DATEADDED"), "20161015091400");
    assert_eq!(
        col(bombing, "SOURCEURL"),
        "chronicle:document/0123456789abcdef0123"
    );
    assert_eq!(col(bombing, "AvgTone"), "");
    let attack = events
        .iter()
        .find(|r| col(r, "EventCode") == "190")
        .unwrap();
    // No day stated: the article's date. Not in the lead.
    assert_eq!(col(attack, "SQLDATE"), "20161015");
    assert_eq!(col(attack, "IsRootEvent"), "0");
    // Islamists: Muslim, not Mauritius; Iraq is a country.
    assert_eq!(col(attack, "Actor1Code"), "MOS");
    assert_eq!(col(attack, "Actor1CountryCode"), "");
    assert_eq!(col(attack, "Actor1Religion1Code"), "MOS");
    assert_eq!(col(attack, "Actor2CountryCode"), "IRQ");
    assert_eq!(col(attack, "Actor2Type1Code"), "MIL");
    assert_eq!(col(attack, "ActionGeo_FullName"), "Mosul, Ninawa, Iraq");
    // Ordered by date.
    assert_eq!(col(&events[0], "EventCode"), "195");

    assert_eq!(mentions.len(), 2);
    assert!(mentions.iter().all(|r| r.len() == 16));
    let m = &mentions[0];
    assert_eq!(m[0], col(bombing, "GLOBALEVENTID"));
    assert_eq!(m[3], "2"); // no URL: a citation
    assert_eq!(m[4], "Example Wire");
    assert_eq!(m[6], "1"); // first sentence
    assert_eq!(m[7], "0"); // "Syrian warplanes" starts the text
    assert_eq!(m[9], TEXT.find("bombed").unwrap().to_string()); // ASCII: chars = bytes
    assert_eq!(m[12], TEXT.chars().count().to_string());
    let m = &mentions[1];
    assert_eq!(m[6], "2");
    assert_eq!(m[8], TEXT.find("Iraqi").unwrap().to_string());
}

#[test]
fn background_is_kept_only_when_asked() {
    let options = ExportOptions {
        include_background: true,
        ..Default::default()
    };
    let (events, _, summary) = gdelt_tables(&options);
    assert_eq!((summary.written, summary.background), (3, 0));
    let old = events
        .iter()
        .find(|r| col(r, "EventCode") == "173")
        .unwrap();
    // A year alone: dated by the article (GDELT's way), the row still valid.
    assert_eq!(col(old, "SQLDATE"), "20161015");
}

#[test]
fn acled_rows_map_types_and_take_fatalities_from_kill_claims() {
    let mut out = Vec::new();
    let summary = acled::write(&store(), &ExportOptions::default(), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header, acled::COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let get = |r: &csv::StringRecord, name: &str| {
        r[acled::COLUMNS.iter().position(|c| *c == name).unwrap()].to_string()
    };
    assert_eq!(summary.written, 2);
    assert_eq!(summary.background, 1);
    let strike = rows
        .iter()
        .find(|r| get(r, "location") == "Aleppo")
        .unwrap();
    assert_eq!(get(strike, "event_type"), "Explosions/Remote violence");
    assert_eq!(get(strike, "sub_event_type"), "Air/drone strike");
    assert_eq!(get(strike, "event_date"), "2016-10-14");
    assert_eq!(get(strike, "fatalities"), "12");
    assert_eq!(get(strike, "civilian_targeting"), "Civilian targeting");
    assert_eq!(get(strike, "inter1"), "1");
    assert_eq!(get(strike, "inter2"), "7");
    assert_eq!(get(strike, "interaction"), "17");
    assert_eq!(get(strike, "iso"), "760");
    assert_eq!(get(strike, "country"), "Syria");
    assert_eq!(get(strike, "admin1"), "Halab");
    assert_eq!(get(strike, "geo_precision"), "1");
    assert_eq!(get(strike, "time_precision"), "1");
    assert_eq!(get(strike, "source"), "Example Wire");
    assert!(get(strike, "notes").starts_with("Syrian warplanes bombed Aleppo"));
    assert!(get(strike, "event_id_cnty").starts_with("SYR"));
    let clash = rows.iter().find(|r| get(r, "location") == "Mosul").unwrap();
    assert_eq!(get(clash, "event_type"), "Battles");
    assert_eq!(get(clash, "fatalities"), "0");
    assert_eq!(get(clash, "time_precision"), "2");
}
