//! `story ID --since`'s denials, end to end on reports written here: a later
//! report's denial of an earlier event is listed with its sentence, report,
//! span and denier; denials of acts no earlier report told (other doers, other
//! targets, words shared) are not; a denial published before the cutoff is not.

use chronicle_engine::digest::{story_since, Since};
use chronicle_engine::{ingest_paths, IngestSettings};
use chronicle_store::{SqliteStore, Store, StoryFilter};
use std::path::{Path, PathBuf};

const STRIKE: &str = "PUBLISHED: 2016-10-02\n\nRussian warplanes have bombed Turkish army positions near Idlib, killing nine soldiers.\n\nTurkish artillery shelled Syrian army posts near Afrin on Saturday.\n\nThe Turkish army said its positions near Idlib had been hit twice by Russian jets.\n";
const FIRST_DENIAL: &str = "PUBLISHED: 2016-10-03\n\nRussia denied bombing Turkish army positions near Idlib, a day after Turkish officials said nine soldiers were killed by Russian jets.\n\nTurkish officials said the jets that struck the positions near Idlib were Russian.\n";
const LATER_DENIALS: &str = "PUBLISHED: 2016-10-05\n\nRussia denied carrying out the strike on Turkish army positions near Idlib, where nine soldiers were killed by jets on Saturday.\n\nIran denied that its jets bombed Turkish positions near Idlib.\n\nTurkey denied shelling Russian forces near Idlib.\n";

const NEGATED: &str = "PUBLISHED: 2016-10-06\n\nThe Russian defence ministry said Russian warplanes did not bomb Turkish army positions near Idlib.\n\n\"We did not strike Turkish positions,\" the Russian defence ministry said.\n";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn label(code: &str) -> String {
    code.to_string()
}

/// The store of the three reports and the id of their one story.
fn store() -> (SqliteStore, String) {
    let dir = tempfile::tempdir().unwrap();
    let paths = vec![
        write(dir.path(), "a.txt", STRIKE),
        write(dir.path(), "b.txt", FIRST_DENIAL),
        write(dir.path(), "c.txt", LATER_DENIALS),
        write(dir.path(), "d.txt", NEGATED),
    ];
    let mut store = SqliteStore::open_in_memory().unwrap();
    ingest_paths(&mut store, &paths, &IngestSettings::default(), &mut |_| {}).unwrap();
    let stories = store.stories(&StoryFilter::default()).unwrap();
    assert_eq!(stories.len(), 1, "one story: {stories:?}");
    let id = stories[0].id.clone();
    (store, id)
}

#[test]
fn a_later_denial_of_an_earlier_event_is_listed_and_unrelated_ones_are_not() {
    let (store, story) = store();
    let d = story_since(&store, &story, &Since::Date("2016-10-03".into()), &label).unwrap();
    assert_eq!(d.reports.len(), 2, "{:?}", d.reports);
    let later = &d.reports[0].document;
    let doc = store.get(later).unwrap().expect("stored");
    let denied: Vec<_> = d.denied.iter().filter(|x| x.kind == "denied").collect();
    assert_eq!(denied.len(), 1, "{:#?}", d.denied);
    let x = denied[0];
    assert_eq!(x.kind, "denied");
    assert_eq!(&x.document, later);
    assert_eq!(x.published.as_deref(), Some("2016-10-05"));
    assert!(
        x.sentence.starts_with("Russia denied carrying out"),
        "{x:?}"
    );
    assert_eq!(doc.text.get(x.start..x.end), Some(x.sentence.as_str()));
    assert_eq!(doc.text.get(x.cue_start..x.cue_end), Some("denied"));
    assert_eq!(x.denier.as_deref(), Some("Russia"));
    assert!(x
        .denier_code
        .as_deref()
        .is_some_and(|c| c.starts_with("RUS")));
    // The earlier event: Russia's strike on the Turkish positions, first told
    // on 2 October.
    assert_eq!(x.first_date.as_deref(), Some("2016-10-02"));
    assert!(
        x.label.starts_with("RUS") && x.label.contains("TUR"),
        "{x:?}"
    );
    assert!(x.matched.iter().any(|m| m.starts_with("doer RUS")), "{x:?}");
    // Iran's denial shares every word but the doer; Turkey's names Turkey's
    // shelling, but of Russian forces, not of the Syrian posts it shelled.
    assert!(!d
        .denied
        .iter()
        .any(|x| x.sentence.starts_with("Iran") || x.sentence.starts_with("Turkey")));
}

#[test]
fn a_denial_before_the_cutoff_is_not_listed() {
    let (store, story) = store();
    let since_3 = story_since(&store, &story, &Since::Date("2016-10-03".into()), &label).unwrap();
    assert!(since_3
        .denied
        .iter()
        .all(|x| !x.sentence.starts_with("Russia denied bombing")));
    // The same denial counts once the cutoff is before it.
    let since_2 = story_since(&store, &story, &Since::Date("2016-10-02".into()), &label).unwrap();
    assert!(since_2
        .denied
        .iter()
        .any(|x| x.sentence.starts_with("Russia denied bombing")));
}

/// The act told as not done, by the side that did it, in the narrator's words
/// or in a quotation: a contradiction, with the speaker as who denies.
#[test]
fn a_later_negated_telling_of_the_same_act_contradicts_it() {
    let (store, story) = store();
    let d = story_since(&store, &story, &Since::Date("2016-10-05".into()), &label).unwrap();
    let contradicted: Vec<_> = d
        .denied
        .iter()
        .filter(|x| x.kind == "contradicted")
        .collect();
    assert_eq!(contradicted.len(), 2, "{:#?}", d.denied);
    for x in contradicted {
        assert_eq!(x.published.as_deref(), Some("2016-10-06"));
        assert_eq!(x.cue, "not");
        assert!(
            x.denier_code
                .as_deref()
                .is_some_and(|c| c.starts_with("RUS")),
            "{x:?}"
        );
        assert!(
            x.label.starts_with("RUS") && x.label.contains("TUR"),
            "{x:?}"
        );
    }
}
