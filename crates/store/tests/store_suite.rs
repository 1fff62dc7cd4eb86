//! The store's contract, written once against `&mut dyn Store` so every backend
//! (SQLite now, PostgreSQL later) runs the same checks: add a backend by adding
//! one line to `backends()`.

use chronicle_core::{Claim, DateProvenance, Document, Event, Published, Quote, SourceRef, Span};
use chronicle_store::{
    ClaimFilter, DocumentFilter, EventFilter, NewDocument, NewSource, PutOutcome, QuoteFilter,
    SqliteStore, Store,
};

fn backends() -> Vec<(&'static str, Box<dyn Store>)> {
    vec![("sqlite", Box::new(SqliteStore::open_in_memory().unwrap()))]
}

fn each(test: impl Fn(&mut dyn Store)) {
    for (name, mut store) in backends() {
        eprintln!("backend {name}");
        test(store.as_mut());
    }
}

fn doc(id: &str, outlet: &str, date: &str) -> Document {
    let mut d = Document::from_text(
        id,
        format!("{id}.txt"),
        "\"We hold the bridge,\" said Łukasz Nowak. Twelve people were killed.",
    );
    d.outlet = Some(outlet.into());
    d.title = Some(format!("Report {id}"));
    d.published = Some(Published {
        date: date.into(),
        time: None,
        provenance: DateProvenance::Metadata,
        confidence: 0.9,
        estimated: false,
    });
    d.quotes = vec![Quote {
        start: 0,
        end: 21,
        text: "\"We hold the bridge,\"".into(),
        kind: "direct".into(),
        cue: Some("said".into()),
        speaker: Some("Łukasz Nowak".into()),
        speaker_canonical: Some("Łukasz Nowak".into()),
        speaker_span: Some(Span::new(27, 40)),
        cue_span: Some(Span::new(22, 26)),
    }];
    d.claims = vec![Claim {
        start: 42,
        end: 67,
        text: "Twelve people were killed".into(),
        value: 12.0,
        qualifier: None,
        kind: "KILL".into(),
        subject: Some("people".into()),
        claimant: None,
        place: None,
        time: None,
    }];
    d.events = vec![Event {
        start: 42,
        end: 68,
        text: "Twelve people were killed.".into(),
        source_actor: Some("RURMIL".into()),
        target_actor: Some("CVL".into()),
        cameo: "190".into(),
        plover_type: Some("ASSAULT".into()),
        plover_mode: None,
        quad_class: Some(4),
        goldstein: Some(-10.0),
        location: None,
        date: Some(date.into()),
        date_source: Some("published".into()),
        source: None,
        target: None,
        verb: None,
        modality: None,
    }];
    d
}

fn put(store: &mut dyn Store, docs: Vec<Document>) {
    let batch: Vec<NewDocument> = docs
        .into_iter()
        .map(|doc| NewDocument {
            doc,
            fingerprint: Some(vec![1, 2, 3, 4]),
            duplicate_of: None,
        })
        .collect();
    store.put_batch(&batch).unwrap();
}

fn sample(store: &mut dyn Store) {
    put(
        store,
        vec![
            doc("aa01", "example.org", "2016-09-30"),
            doc("aa02", "100% News", "2016-10-01"),
            doc("aa03", "under_score.net", "2016-10-31"),
            doc("aa04", "example.org", "2016-11-01"),
        ],
    );
}

fn ids<T>(rows: &[T], id: impl Fn(&T) -> &str) -> Vec<String> {
    rows.iter().map(|r| id(r).to_string()).collect()
}

#[test]
fn like_wildcards_in_text_filters_are_literal() {
    each(|s| {
        sample(s);
        let outlet = |o: &str| DocumentFilter {
            outlet: Some(o.into()),
            ..Default::default()
        };
        assert_eq!(ids(&s.list(&outlet("%")).unwrap(), |r| &r.id), ["aa02"]);
        assert_eq!(ids(&s.list(&outlet("_")).unwrap(), |r| &r.id), ["aa03"]);
        assert_eq!(s.list(&outlet("\\")).unwrap().len(), 0);
        assert_eq!(s.list(&outlet("EXAMPLE")).unwrap().len(), 2);
        let q = s
            .quotes(&QuoteFilter {
                outlet: Some("%".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(ids(&q, |r| &r.doc_id), ["aa02"]);
        let c = s
            .claims(&ClaimFilter {
                outlet: Some("_".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(ids(&c, |r| &r.doc_id), ["aa03"]);
    });
}

#[test]
fn to_includes_the_whole_period_it_names_in_every_listing() {
    each(|s| {
        sample(s);
        let (from, to) = (Some("2016-10".to_string()), Some("2016-10".to_string()));
        let docs = s
            .list(&DocumentFilter {
                from: from.clone(),
                to: to.clone(),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(ids(&docs, |r| &r.id), ["aa02", "aa03"]);
        let ev = s
            .events(&EventFilter {
                from: from.clone(),
                to: to.clone(),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(ids(&ev, |r| &r.doc_id), ["aa02", "aa03"]);
        let q = s
            .quotes(&QuoteFilter {
                from: from.clone(),
                to: to.clone(),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(ids(&q, |r| &r.doc_id), ["aa02", "aa03"]);
        let c = s
            .claims(&ClaimFilter {
                from,
                to,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(ids(&c, |r| &r.doc_id), ["aa02", "aa03"]);
        let year = s
            .list(&DocumentFilter {
                to: Some("2016".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(year.len(), 4);
        let day = s
            .list(&DocumentFilter {
                from: Some("2016-10-31".into()),
                to: Some("2016-10-31".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(ids(&day, |r| &r.id), ["aa03"]);
    });
}

#[test]
fn quotes_and_claims_are_typed_rows_with_evidence() {
    each(|s| {
        sample(s);
        let q = s
            .quotes(&QuoteFilter {
                speaker: Some("łukasz".into()),
                kind: Some("direct".into()),
                doc_id: Some("aa0".into()),
                limit: Some(2),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(ids(&q, |r| &r.doc_id), ["aa01", "aa02"]);
        let r = &q[0];
        assert_eq!((r.start, r.end), (0, 21));
        assert_eq!(r.outlet.as_deref(), Some("example.org"));
        assert_eq!(r.published.as_deref(), Some("2016-09-30"));
        assert_eq!(r.title.as_deref(), Some("Report aa01"));
        assert_eq!(r.cue_span.map(|s| (s.start, s.end)), Some((22, 26)));
        let none = s
            .quotes(&QuoteFilter {
                speaker: Some("%".into()),
                ..Default::default()
            })
            .unwrap();
        assert!(none.is_empty());
        let kill = s
            .claims(&ClaimFilter {
                kind: Some("KILL".into()),
                doc_id: Some("aa04".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(kill.len(), 1);
        assert_eq!((kill[0].value, kill[0].start, kill[0].end), (12.0, 42, 67));
        assert!(s
            .claims(&ClaimFilter {
                kind: Some("kill".into()),
                ..Default::default()
            })
            .unwrap()
            .is_empty());
    });
}

#[test]
fn events_filter_by_plover_type_and_code_prefix() {
    each(|s| {
        sample(s);
        let f = |plover: &str, code: &str| EventFilter {
            plover_type: Some(plover.into()),
            code: Some(code.into()),
            ..Default::default()
        };
        assert_eq!(s.events(&f("ASSAULT", "19")).unwrap().len(), 4);
        assert_eq!(s.events(&f("ASSAULT", "1%")).unwrap().len(), 0);
        assert_eq!(s.events(&f("PROTEST", "19")).unwrap().len(), 0);
    });
}

#[test]
fn re_annotation_replaces_typed_rows() {
    each(|s| {
        sample(s);
        let mut d = s.get("aa01").unwrap().unwrap();
        d.quotes.clear();
        d.claims.push(d.claims[0].clone());
        s.update_document(&d).unwrap();
        let q = s
            .quotes(&QuoteFilter {
                doc_id: Some("aa01".into()),
                ..Default::default()
            })
            .unwrap();
        assert!(q.is_empty());
        let c = s
            .claims(&ClaimFilter {
                doc_id: Some("aa01".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(c.len(), 2);
        assert!(s.check().unwrap().is_clean());
    });
}

#[test]
fn linked_batches_see_what_others_stored_and_record_sources() {
    each(|s| {
        let mut cursor = 0;
        let mut seen = Vec::new();
        let mut docs = vec![NewDocument {
            doc: doc("bb01", "example.org", "2016-10-01"),
            fingerprint: Some(vec![9; 4]),
            duplicate_of: None,
        }];
        let out = s
            .put_batch_linked(&mut docs, &[], &mut cursor, &mut |fps, _| {
                seen.extend(fps.iter().map(|(id, _)| id.clone()))
            })
            .unwrap();
        assert_eq!(out.documents, [PutOutcome::Inserted]);
        assert!(seen.is_empty());
        // Another writer stores a document between our batches.
        put(s, vec![doc("bb02", "example.org", "2016-10-02")]);
        let copy = NewSource {
            doc_id: "bb02".into(),
            source: SourceRef {
                path: "copy.csv".into(),
                format: "csv".into(),
                record: Some("row 3".into()),
            },
        };
        let lost = NewSource {
            doc_id: "never-stored".into(),
            source: copy.source.clone(),
        };
        // A batch of sources alone links nothing, so it reads no fingerprints.
        let out = s
            .put_batch_linked(&mut [], &[copy, lost], &mut cursor, &mut |fps, _| {
                seen.extend(fps.iter().map(|(id, _)| id.clone()))
            })
            .unwrap();
        assert_eq!(out.sources, [true, false]);
        assert!(seen.is_empty());
        let mut docs = vec![NewDocument {
            doc: doc("bb03", "example.org", "2016-10-03"),
            fingerprint: Some(vec![8; 4]),
            duplicate_of: None,
        }];
        s.put_batch_linked(&mut docs, &[], &mut cursor, &mut |fps, _| {
            seen.extend(fps.iter().map(|(id, _)| id.clone()))
        })
        .unwrap();
        seen.sort();
        assert_eq!(seen, ["bb01", "bb02"]);
        let listed = s.list(&DocumentFilter::default()).unwrap();
        assert_eq!(listed.iter().find(|d| d.id == "bb02").unwrap().sources, 2);
        assert!(s.check().unwrap().is_clean());
    });
}

#[test]
fn undated_documents_come_last_whichever_table_drives_the_query() {
    each(|s| {
        let mut undated = doc("cc00", "example.org", "2016-01-01");
        undated.published = None;
        put(s, vec![undated, doc("cc01", "example.org", "2016-05-01")]);
        let all = s.quotes(&QuoteFilter::default()).unwrap();
        assert_eq!(ids(&all, |r| &r.doc_id), ["cc01", "cc00"]);
        let by_speaker = s
            .quotes(&QuoteFilter {
                speaker: Some("nowak".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(ids(&by_speaker, |r| &r.doc_id), ["cc01", "cc00"]);
        let first = s
            .claims(&ClaimFilter {
                limit: Some(1),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(ids(&first, |r| &r.doc_id), ["cc01"]);
        let by_kind = s
            .claims(&ClaimFilter {
                kind: Some("KILL".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(ids(&by_kind, |r| &r.doc_id), ["cc01", "cc00"]);
    });
}
