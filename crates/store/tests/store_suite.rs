//! The store's contract, written once against `&mut dyn Store` so every backend
//! runs the same checks (the layout of tantivy's `src/directory/tests.rs`): each
//! check is a plain `fn(&mut dyn Store)` in `suite`, and `conformance!` turns the
//! whole list into `#[test]`s for one backend. A new backend (PostgreSQL) adds one
//! `conformance!(postgres, make_store)` line with its own `make_store`.

use chronicle_core::{
    ActorMention, Claim, DateProvenance, Document, Event, Published, Quote, SourceRef, Span,
};
use chronicle_store::{
    ClaimFilter, DocumentFilter, DuplicateLink, EventFilter, NewDocument, NewSource, PutOutcome,
    QuoteFilter, SqliteStore, Store, StoreError,
};

/// One `#[test]` per check in `suite`, each on a fresh store from `$make`, an
/// expression giving the store and whatever must live as long as it (a folder).
macro_rules! conformance {
    ($backend:ident, $make:expr) => {
        mod $backend {
            conformance!(@tests $make;
                put_batch_stores_once_and_says_what_was_already_stored,
                get_round_trips_a_document_and_misses_cleanly,
                resolve_id_expands_prefixes,
                list_filters_by_outlet_language_and_limit,
                like_wildcards_in_text_filters_are_literal,
                to_includes_the_whole_period_it_names_in_every_listing,
                search_finds_words_and_reports_bad_queries_as_bad_query,
                duplicates_list_near_links_and_documents_read_twice,
                fingerprints_skip_near_duplicates_and_follow_a_cursor,
                events_filter_by_actor_code_and_limit,
                events_filter_by_plover_type_and_code_prefix,
                actors_summarize_coded_mentions_with_evidence,
                quotes_and_claims_are_typed_rows_with_evidence,
                undated_documents_come_last_whichever_table_drives_the_query,
                re_annotation_replaces_typed_rows,
                linked_batches_see_what_others_stored_and_record_sources,
                check_is_clean_on_an_empty_and_a_filled_store,
            );
        }
    };
    (@tests $make:expr; $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                let (mut store, _keep): (Box<dyn chronicle_store::Store>, _) = $make;
                crate::suite::$name(store.as_mut());
            }
        )*
    };
}

conformance!(sqlite_in_memory, (crate::sqlite_in_memory(), ()));
// On disk too: WAL mode and the file's own connection settings.
conformance!(sqlite_file, crate::sqlite_file());

fn sqlite_in_memory() -> Box<dyn Store> {
    Box::new(SqliteStore::open_in_memory().unwrap())
}

/// A new database in a temporary folder, removed when the test ends.
fn sqlite_file() -> (Box<dyn Store>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("suite.db")).unwrap();
    (Box::new(store), dir)
}

mod suite {
    use super::*;

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

    pub fn like_wildcards_in_text_filters_are_literal(s: &mut dyn Store) {
        {
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
        }
    }

    pub fn to_includes_the_whole_period_it_names_in_every_listing(s: &mut dyn Store) {
        {
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
        }
    }

    pub fn quotes_and_claims_are_typed_rows_with_evidence(s: &mut dyn Store) {
        {
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
        }
    }

    pub fn events_filter_by_plover_type_and_code_prefix(s: &mut dyn Store) {
        {
            sample(s);
            let f = |plover: &str, code: &str| EventFilter {
                plover_type: Some(plover.into()),
                code: Some(code.into()),
                ..Default::default()
            };
            assert_eq!(s.events(&f("ASSAULT", "19")).unwrap().len(), 4);
            assert_eq!(s.events(&f("ASSAULT", "1%")).unwrap().len(), 0);
            assert_eq!(s.events(&f("PROTEST", "19")).unwrap().len(), 0);
        }
    }

    pub fn re_annotation_replaces_typed_rows(s: &mut dyn Store) {
        {
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
        }
    }

    pub fn linked_batches_see_what_others_stored_and_record_sources(s: &mut dyn Store) {
        {
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
        }
    }

    pub fn undated_documents_come_last_whichever_table_drives_the_query(s: &mut dyn Store) {
        {
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
        }
    }

    pub fn put_batch_stores_once_and_says_what_was_already_stored(s: &mut dyn Store) {
        assert_eq!(s.count().unwrap(), 0);
        assert!(!s.contains("aa01").unwrap());
        let batch = |ids: &[&str]| -> Vec<NewDocument> {
            ids.iter()
                .map(|id| NewDocument {
                    doc: doc(id, "example.org", "2016-10-01"),
                    fingerprint: None,
                    duplicate_of: None,
                })
                .collect()
        };
        let out = s.put_batch(&batch(&["aa01", "aa02"])).unwrap();
        assert_eq!(out, [PutOutcome::Inserted, PutOutcome::Inserted]);
        let out = s.put_batch(&batch(&["aa02", "aa03"])).unwrap();
        assert_eq!(out, [PutOutcome::AlreadyStored, PutOutcome::Inserted]);
        assert_eq!(s.count().unwrap(), 3);
        assert!(s.contains("aa03").unwrap());
        assert!(
            !s.contains("aa0").unwrap(),
            "contains is exact, not a prefix"
        );
        assert_eq!(s.put_batch(&[]).unwrap(), []);
    }

    pub fn get_round_trips_a_document_and_misses_cleanly(s: &mut dyn Store) {
        let mut d = doc("aa01", "example.org", "2016-10-01");
        d.language = Some("eng".into());
        d.actors = vec![mention()];
        put(s, vec![d.clone()]);
        assert_eq!(s.get("aa01").unwrap(), Some(d));
        assert_eq!(s.get("aa0").unwrap(), None);
        assert_eq!(s.get("missing").unwrap(), None);
    }

    pub fn resolve_id_expands_prefixes(s: &mut dyn Store) {
        sample(s);
        assert_eq!(
            s.resolve_id("aa0").unwrap(),
            ["aa01", "aa02", "aa03", "aa04"]
        );
        assert_eq!(s.resolve_id("aa03").unwrap(), ["aa03"]);
        assert!(s.resolve_id("zz").unwrap().is_empty());
        // Wildcards are characters, not patterns.
        assert!(s.resolve_id("aa_").unwrap().is_empty());
        assert!(s.resolve_id("%").unwrap().is_empty());
    }

    pub fn list_filters_by_outlet_language_and_limit(s: &mut dyn Store) {
        let mut fr = doc("aa05", "example.org", "2016-12-01");
        fr.language = Some("fra".into());
        sample(s);
        put(s, vec![fr]);
        let all = s.list(&DocumentFilter::default()).unwrap();
        assert_eq!(
            ids(&all, |r| &r.id),
            ["aa01", "aa02", "aa03", "aa04", "aa05"],
            "by publication date"
        );
        let r = &all[0];
        assert_eq!(r.outlet.as_deref(), Some("example.org"));
        assert_eq!(r.title.as_deref(), Some("Report aa01"));
        assert_eq!(r.published.as_deref(), Some("2016-09-30"));
        assert_eq!(r.provenance.as_deref(), Some("metadata"));
        assert!(!r.estimated);
        assert_eq!(r.sources, 1);
        assert_eq!(r.duplicate_of, None);
        let fra = s
            .list(&DocumentFilter {
                language: Some("fra".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(ids(&fra, |r| &r.id), ["aa05"]);
        let two = s
            .list(&DocumentFilter {
                outlet: Some("example".into()),
                limit: Some(2),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(ids(&two, |r| &r.id), ["aa01", "aa04"]);
        let from = s
            .list(&DocumentFilter {
                from: Some("2016-11".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(ids(&from, |r| &r.id), ["aa04", "aa05"]);
    }

    pub fn search_finds_words_and_reports_bad_queries_as_bad_query(s: &mut dyn Store) {
        sample(s);
        let hits = s.search("bridge", 10).unwrap();
        assert_eq!(hits.len(), 4);
        assert!(
            hits.iter().all(|h| h.snippet.contains("[bridge]")),
            "{hits:?}"
        );
        assert_eq!(s.search("bridge", 2).unwrap().len(), 2);
        assert!(s.search("submarine", 10).unwrap().is_empty());
        // A query a backend cannot run is `BadQuery` (never a backend failure);
        // a lenient backend may run it instead.
        match s.search("\"bridge", 10) {
            Ok(_) | Err(StoreError::BadQuery { .. }) => {}
            Err(e) => panic!("an unbalanced quote gave {e}"),
        }
    }

    pub fn duplicates_list_near_links_and_documents_read_twice(s: &mut dyn Store) {
        assert!(s.duplicates().unwrap().is_empty());
        let link = DuplicateLink {
            doc_id: "aa02".into(),
            other_id: "aa01".into(),
            kind: "near".into(),
            similarity: 0.75,
        };
        s.put_batch(&[
            NewDocument {
                doc: doc("aa01", "example.org", "2016-10-01"),
                fingerprint: Some(vec![1; 4]),
                duplicate_of: None,
            },
            NewDocument {
                doc: doc("aa02", "example.org", "2016-10-02"),
                fingerprint: Some(vec![2; 4]),
                duplicate_of: Some(link.clone()),
            },
        ])
        .unwrap();
        let mut cursor = 0;
        let again = NewSource {
            doc_id: "aa01".into(),
            source: SourceRef {
                path: "again.txt".into(),
                format: "text".into(),
                record: None,
            },
        };
        s.put_batch_linked(&mut [], &[again], &mut cursor, &mut |_, _| {})
            .unwrap();
        let dups = s.duplicates().unwrap();
        assert!(dups.contains(&link), "{dups:?}");
        let exact: Vec<&DuplicateLink> = dups.iter().filter(|d| d.kind != "near").collect();
        assert_eq!(exact.len(), 1, "{dups:?}");
        assert_eq!(exact[0].doc_id, "aa01");
        assert!(exact[0].kind.starts_with("exact"), "{dups:?}");
        let listed = s.list(&DocumentFilter::default()).unwrap();
        assert_eq!(listed[1].duplicate_of.as_deref(), Some("aa01"));
        assert_eq!(listed[0].sources, 2);
    }

    pub fn fingerprints_skip_near_duplicates_and_follow_a_cursor(s: &mut dyn Store) {
        let since = s.fingerprints_since(0).unwrap();
        assert!(since.fingerprints.is_empty());
        let start = since.cursor;
        let nd = |id: &str, fp: Option<u8>, dup: Option<&str>| NewDocument {
            doc: doc(id, "example.org", "2016-10-01"),
            fingerprint: fp.map(|b| vec![b; 4]),
            duplicate_of: dup.map(|other| DuplicateLink {
                doc_id: id.into(),
                other_id: other.into(),
                kind: "near".into(),
                similarity: 0.9,
            }),
        };
        s.put_batch(&[
            nd("aa01", Some(1), None),
            nd("aa02", Some(2), Some("aa01")),
            nd("aa03", None, None),
        ])
        .unwrap();
        assert_eq!(
            s.fingerprints().unwrap(),
            [("aa01".to_string(), vec![1; 4])]
        );
        let first = s.fingerprints_since(start).unwrap();
        assert_eq!(first.fingerprints, [("aa01".to_string(), vec![1; 4])]);
        assert!(first.cursor > start);
        assert!(s
            .fingerprints_since(first.cursor)
            .unwrap()
            .fingerprints
            .is_empty());
        s.put_batch(&[nd("aa04", Some(4), None)]).unwrap();
        let next = s.fingerprints_since(first.cursor).unwrap();
        assert_eq!(next.fingerprints, [("aa04".to_string(), vec![4; 4])]);
        assert!(next.cursor > first.cursor);
        assert_eq!(s.fingerprints_since(0).unwrap().fingerprints.len(), 2);
    }

    pub fn events_filter_by_actor_code_and_limit(s: &mut dyn Store) {
        sample(s);
        let f = |actor: Option<&str>, code: Option<&str>, limit: Option<usize>| EventFilter {
            actor: actor.map(Into::into),
            code: code.map(Into::into),
            limit,
            ..Default::default()
        };
        let all = s.events(&EventFilter::default()).unwrap();
        assert_eq!(ids(&all, |r| &r.doc_id), ["aa01", "aa02", "aa03", "aa04"]);
        let e = &all[0];
        assert_eq!((e.code.as_str(), e.start, e.end), ("190", 42, 68));
        assert_eq!(e.source_code.as_deref(), Some("RURMIL"));
        assert_eq!(e.target_code.as_deref(), Some("CVL"));
        assert_eq!(e.plover_type.as_deref(), Some("ASSAULT"));
        assert_eq!((e.quad_class, e.goldstein), (Some(4), Some(-10.0)));
        assert_eq!(e.sentence, "Twelve people were killed.");
        assert_eq!(e.published.as_deref(), Some("2016-09-30"));
        // The actor prefix matches source or target.
        assert_eq!(s.events(&f(Some("RUR"), None, None)).unwrap().len(), 4);
        assert_eq!(s.events(&f(Some("CVL"), None, None)).unwrap().len(), 4);
        assert!(s.events(&f(Some("MIL"), None, None)).unwrap().is_empty());
        assert!(s.events(&f(Some("R%"), None, None)).unwrap().is_empty());
        assert_eq!(s.events(&f(None, Some("190"), None)).unwrap().len(), 4);
        assert!(s.events(&f(None, Some("1901"), None)).unwrap().is_empty());
        assert!(s.events(&f(None, Some("18"), None)).unwrap().is_empty());
        let two = s.events(&f(Some("RUR"), Some("19"), Some(2))).unwrap();
        assert_eq!(ids(&two, |r| &r.doc_id), ["aa01", "aa02"]);
    }

    pub fn actors_summarize_coded_mentions_with_evidence(s: &mut dyn Store) {
        assert!(s.actors().unwrap().is_empty());
        let mut a = doc("aa01", "example.org", "2016-10-01");
        let mut b = doc("aa02", "example.org", "2016-11-05");
        a.actors = vec![mention()];
        let mut other = mention();
        other.text = "the Russian army".into();
        other.start = 3;
        other.end = 19;
        let mut uncoded = mention();
        uncoded.code = None;
        uncoded.text = "a bystander".into();
        b.actors = vec![other, uncoded];
        put(s, vec![a, b]);
        let actors = s.actors().unwrap();
        assert_eq!(
            actors.len(),
            1,
            "uncoded mentions are not actors: {actors:?}"
        );
        let r = &actors[0];
        assert_eq!(r.actor, "Russian military");
        assert_eq!(r.code.as_deref(), Some("RUSMIL"));
        assert_eq!(r.role.as_deref(), Some("military"));
        assert_eq!(r.first_seen.as_deref(), Some("2016-10-01"));
        assert_eq!(r.last_seen.as_deref(), Some("2016-11-05"));
        assert_eq!((r.mentions, r.documents), (2, 2));
        let mut variants = r.variants.clone();
        variants.sort();
        assert_eq!(variants, ["Russian troops", "the Russian army"]);
        assert_eq!(r.origins, ["dictionary"]);
        assert_eq!(r.evidence.as_deref(), Some("aa01:0-14"));
    }

    pub fn check_is_clean_on_an_empty_and_a_filled_store(s: &mut dyn Store) {
        let empty = s.check().unwrap();
        assert!(empty.is_clean(), "{empty:?}");
        assert_eq!(empty.documents, 0);
        sample(s);
        let full = s.check().unwrap();
        assert!(full.is_clean(), "{full:?}");
        assert_eq!(full.documents, 4);
        assert!(full.schema_version.is_some());
    }

    fn mention() -> ActorMention {
        ActorMention {
            start: 0,
            end: 14,
            text: "Russian troops".into(),
            code: Some("RUSMIL".into()),
            actor: Some("Russian military".into()),
            role: Some("military".into()),
            country: Some("RUS".into()),
            sector: Some("MIL".into()),
            origin: "dictionary".into(),
        }
    }
}
