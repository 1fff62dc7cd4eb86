//! The store's contract, written once against `&mut dyn Store` so every backend
//! runs the same checks (the layout of tantivy's `src/directory/tests.rs`): each
//! check is a plain `fn(&mut dyn Store)` in `suite`, and `conformance!` turns the
//! whole list into `#[test]`s for one backend. A new backend (PostgreSQL) adds one
//! `conformance!(postgres, make_store)` line with its own `make_store`.

use chronicle_core::{
    ActorMention, Claim, DateProvenance, Document, Event, Published, Quote, SourceRef, Span,
};
use chronicle_store::{
    ClaimEventWrite, ClaimFilter, DateCorrection, DocumentFilter, DuplicateLink, EntityFilter,
    EntityMentionWrite, EntityWrite, EventFilter, EventMentionWrite, LinkBatch, MergedEventFilter,
    MergedEventWrite, NewDocument, NewSource, PutOutcome, QuoteFilter, SqliteStore, StatementWrite,
    Store, StoreError, StoryDocumentWrite, StoryFilter, StoryMergeWrite, StoryWrite,
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
                near_duplicates_and_uneven_fingerprints_are_not_candidates,
                events_filter_by_actor_code_and_limit,
                events_filter_by_plover_type_and_code_prefix,
                actors_summarize_coded_mentions_with_evidence,
                quotes_and_claims_are_typed_rows_with_evidence,
                undated_documents_come_last_whichever_table_drives_the_query,
                re_annotation_replaces_typed_rows,
                linked_batches_see_what_others_stored_and_record_sources,
                check_is_clean_on_an_empty_and_a_filled_store,
                link_step_writes_stories_and_reads_them_back,
                merged_stories_keep_their_old_ids,
                merged_events_count_mentions_sources_and_articles,
                entities_carry_variants_and_dated_roles,
                statements_are_shared_and_quotes_carry_them,
                date_corrections_rewrite_the_document_and_its_story_dates,
                unlinked_documents_wait_in_stored_order_and_clear_links_requeues,
                story_postings_keep_the_newest_and_key_stats_add_up,
                check_flags_broken_links,
                aggregates_kept_over_steps_match_the_rows,
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

// On the PostgreSQL server named by CHRONICLE_TEST_PG: each test in a fresh
// database. Without a server the tests say so and pass, except under CI.
conformance!(
    postgres,
    match crate::postgres_store() {
        Some(made) => made,
        None => return,
    }
);

/// A fresh database on the server of `CHRONICLE_TEST_PG` (a URL whose
/// database the tests may create databases from) with a `PgStore` on it, and
/// the guard that drops the database; `None` when no server is named.
fn postgres_store() -> Option<(Box<dyn Store>, pg::TestDatabase)> {
    let db = pg::TestDatabase::create()?;
    let store = chronicle_store::PgStore::connect(&db.url).unwrap();
    Some((Box::new(store), db))
}

mod pg {
    use std::sync::atomic::{AtomicU32, Ordering};

    /// A database created for one test, dropped (whoever is connected) when
    /// the guard goes.
    pub struct TestDatabase {
        pub url: String,
        admin: String,
        name: String,
    }

    impl TestDatabase {
        pub fn create() -> Option<TestDatabase> {
            let Ok(admin) = std::env::var("CHRONICLE_TEST_PG") else {
                assert!(
                    std::env::var_os("CI").is_none(),
                    "CI must run the PostgreSQL suite: set CHRONICLE_TEST_PG"
                );
                eprintln!("CHRONICLE_TEST_PG is not set: PostgreSQL suite skipped");
                return None;
            };
            static NEXT: AtomicU32 = AtomicU32::new(0);
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0);
            let name = format!(
                "t_{}_{}_{}",
                std::process::id(),
                nanos,
                NEXT.fetch_add(1, Ordering::SeqCst)
            );
            let mut c = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
            c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
            let url = with_database(&admin, &name);
            Some(TestDatabase { url, admin, name })
        }
    }

    /// `url` naming database `name` instead of its own.
    pub fn with_database(url: &str, name: &str) -> String {
        let (base, query) = match url.split_once('?') {
            Some((b, q)) => (b, format!("?{q}")),
            None => (url, String::new()),
        };
        let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
        let base = match base[scheme_end..].find('/') {
            Some(i) => &base[..scheme_end + i],
            None => base,
        };
        format!("{base}/{name}{query}")
    }

    impl Drop for TestDatabase {
        fn drop(&mut self) {
            if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
                let _ = c.batch_execute(&format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    self.name
                ));
            }
        }
    }
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
            // One document by its whole id, and documents by a prefix of theirs.
            let by_id = |id: &str| {
                s.claims(&ClaimFilter {
                    doc_id: Some(id.into()),
                    ..Default::default()
                })
                .unwrap()
            };
            assert_eq!(by_id("aa04"), kill);
            assert_eq!(ids(&by_id("aa0"), |r| &r.doc_id).len(), 4);
            assert!(by_id("ab").is_empty());
            // Many documents' claims at once, by whole ids only.
            let many: Vec<String> = ["aa01", "aa04", "aa0", "zz99"]
                .iter()
                .map(|s| s.to_string())
                .collect();
            let found = s.claims_of_documents(&many).unwrap();
            assert_eq!(found.get("aa04"), Some(&kill));
            assert_eq!(
                found.get("aa01").cloned().unwrap_or_default(),
                by_id("aa01")
            );
            assert!(!found.contains_key("aa0") && !found.contains_key("zz99"));
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
            // Fingerprints of 16 one-byte bands: `mixed` shares its first
            // half with `[1; 16]` and its second half with `[2; 16]`.
            let mixed: Vec<u8> = [[1u8; 8], [2u8; 8]].concat();
            let nd = |id: &str, fp: Vec<u8>| NewDocument {
                doc: doc(id, "example.org", "2016-10-01"),
                fingerprint: Some(fp),
                duplicate_of: None,
            };
            let mut asked: Vec<Vec<String>> = Vec::new();
            let mut ask = |lookup: &dyn chronicle_store::NearDuplicateLookup,
                           docs: &mut [NewDocument]|
             -> Result<(), chronicle_store::StoreError> {
                for d in docs.iter() {
                    let found = lookup.originals_like(d.fingerprint.as_deref().unwrap_or(&[]))?;
                    asked.push(found.into_iter().map(|(id, _)| id).collect());
                }
                Ok(())
            };
            let out = s
                .put_batch_linked(&mut [nd("bb01", vec![1; 16])], &[], &mut ask)
                .unwrap();
            assert_eq!(out.documents, [PutOutcome::Inserted]);
            // Another writer stores an original between our batches.
            s.put_batch(&[nd("bb02", vec![2; 16])]).unwrap();
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
            // A batch of sources alone links nothing, so it asks nothing.
            let out = s
                .put_batch_linked(&mut [], &[copy, lost], &mut ask)
                .unwrap();
            assert_eq!(out.sources, [true, false]);
            s.put_batch_linked(&mut [nd("bb03", mixed.clone())], &[], &mut ask)
                .unwrap();
            assert_eq!(asked.len(), 2, "{asked:?}");
            assert!(asked[0].is_empty());
            // Both originals, oldest stored first; whatever the batch decides
            // inside the transaction is stored with it.
            assert_eq!(asked[1], ["bb01", "bb02"]);
            let listed = s.list(&DocumentFilter::default()).unwrap();
            assert_eq!(listed.iter().find(|d| d.id == "bb02").unwrap().sources, 2);
            assert!(s.check().unwrap().is_clean());
            // A failing lookup aborts the batch: nothing of it is stored.
            let err = s.put_batch_linked(&mut [nd("bb04", vec![4; 16])], &[], &mut |_, _| {
                Err(chronicle_store::StoreError::Busy {
                    path: "test".into(),
                    waited: std::time::Duration::ZERO,
                })
            });
            assert!(err.is_err());
            assert!(!s.contains("bb04").unwrap());
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
        let again = NewSource {
            doc_id: "aa01".into(),
            source: SourceRef {
                path: "again.txt".into(),
                format: "text".into(),
                record: None,
            },
        };
        s.put_batch_linked(&mut [], &[again], &mut |_, _| Ok(()))
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

    pub fn near_duplicates_and_uneven_fingerprints_are_not_candidates(s: &mut dyn Store) {
        let nd = |id: &str, fp: Option<Vec<u8>>, dup: Option<&str>| NewDocument {
            doc: doc(id, "example.org", "2016-10-01"),
            fingerprint: fp,
            duplicate_of: dup.map(|other| DuplicateLink {
                doc_id: id.into(),
                other_id: other.into(),
                kind: "near".into(),
                similarity: 0.9,
            }),
        };
        s.put_batch(&[
            nd("aa01", Some(vec![1; 16]), None),
            nd("aa02", Some(vec![1; 16]), Some("aa01")),
            nd("aa03", None, None),
            nd("aa04", Some(vec![1; 4]), None),
        ])
        .unwrap();
        assert_eq!(
            s.fingerprints().unwrap(),
            [
                ("aa01".to_string(), vec![1; 16]),
                ("aa04".to_string(), vec![1; 4])
            ]
        );
        let mut found = Vec::new();
        s.put_batch_linked(
            &mut [nd("aa05", Some(vec![1; 16]), None)],
            &[],
            &mut |lookup, _| {
                found = lookup.originals_like(&[1; 16])?;
                found.extend(lookup.originals_like(&[1; 4])?);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(found, [("aa01".to_string(), vec![1; 16])]);
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
        // A dyad, either way round; its other side is ignored without an actor.
        let dyad = |actor: Option<&str>, other: &str| EventFilter {
            actor: actor.map(Into::into),
            other: Some(other.into()),
            ..Default::default()
        };
        assert_eq!(s.events(&dyad(Some("RUR"), "CVL")).unwrap().len(), 4);
        assert_eq!(s.events(&dyad(Some("CVL"), "RURMIL")).unwrap().len(), 4);
        assert!(s.events(&dyad(Some("RUR"), "USA")).unwrap().is_empty());
        assert!(s.events(&dyad(Some("RUR"), "R%")).unwrap().is_empty());
        assert_eq!(s.events(&dyad(None, "USA")).unwrap().len(), 4);
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

    fn story(id: &str, label: &str, _keys: &[&str]) -> StoryWrite {
        StoryWrite {
            id: id.into(),
            label: label.into(),
            profile: id.as_bytes().to_vec(),
        }
    }

    /// Writes a link step read at the store's current generation.
    fn link(s: &mut dyn Store, mut batch: LinkBatch) {
        batch.generation = s.link_generation().unwrap();
        assert!(s.put_links(&batch).unwrap(), "the step was refused");
    }

    fn member(story: &str, doc: &str, outlet: &str, date: &str) -> StoryDocumentWrite {
        StoryDocumentWrite {
            story_id: story.into(),
            doc_id: doc.into(),
            score: 0.5,
            copy_of: None,
            outlet: Some(outlet.into()),
            date: Some(date.into()),
        }
    }

    fn event_mention(merged: &str, doc: &str, outlet: &str, code: &str) -> EventMentionWrite {
        EventMentionWrite {
            merged_id: merged.into(),
            doc_id: doc.into(),
            idx: 0,
            outlet: Some(outlet.into()),
            copy_of: None,
            start: 42,
            end: 68,
            code: Some(code.into()),
            source: Some("RURMIL".into()),
            target: Some("CVL".into()),
            place: None,
            date: Some("2016-10-01".into()),
            source_entity: None,
            target_entity: None,
        }
    }

    /// The sample's four documents in one linked step: aa01, aa02 and aa04 (a
    /// copy of aa01) in story s1, aa03 alone in s3; one merged event told by
    /// aa01, aa02 and the copy; Łukasz Nowak spelled two ways; one statement.
    fn linked_sample(s: &mut dyn Store) {
        sample(s);
        let mut copy = member("s1", "aa04", "example.org", "2016-11-01");
        copy.copy_of = Some("aa01".into());
        copy.score = 1.0;
        let mut copy_mention = event_mention("me1", "aa04", "example.org", "190");
        copy_mention.copy_of = Some("aa01".into());
        let nowak = |doc: &str, text: &str, role: Option<&str>, date: &str| EntityMentionWrite {
            entity_id: "e1".into(),
            doc_id: doc.into(),
            start: 27,
            end: 40,
            text: text.into(),
            role: role.map(str::to_string),
            date: Some(date.into()),
        };
        let statement = |doc: &str| StatementWrite {
            doc_id: doc.into(),
            idx: 0,
            statement_id: "aa01:0".into(),
            story_id: "s1".into(),
            speaker_key: "e1".into(),
            content: "we hold the bridge".into(),
        };
        link(
            s,
            LinkBatch {
                linked: ["aa01", "aa02", "aa03", "aa04"].map(String::from).to_vec(),
                stories: vec![
                    story("s1", "Bridge held", &["bridge", "nowak"]),
                    story("s3", "Other story", &["other"]),
                ],
                story_documents: vec![
                    member("s1", "aa01", "example.org", "2016-09-30"),
                    member("s1", "aa02", "100% News", "2016-10-01"),
                    member("s3", "aa03", "under_score.net", "2016-10-31"),
                    copy,
                ],
                merged_events: vec![MergedEventWrite {
                    id: "me1".into(),
                    story_id: "s1".into(),
                    profile: vec![9],
                }],
                event_mentions: vec![
                    event_mention("me1", "aa01", "example.org", "190"),
                    event_mention("me1", "aa02", "100% News", "193"),
                    copy_mention,
                ],
                entities: vec![EntityWrite {
                    id: "e1".into(),
                    canonical: "Łukasz Nowak".into(),
                    label: "PER".into(),
                    profile: vec![1],
                    keys: vec!["nowak".into(), "lukasz nowak".into()],
                }],
                entity_mentions: vec![
                    nowak("aa01", "Łukasz Nowak", Some("commander"), "2016-09-30"),
                    nowak("aa02", "Lukasz Nowak", Some("commander"), "2016-10-01"),
                ],
                statements: vec![statement("aa01"), statement("aa02")],
                claim_events: vec![ClaimEventWrite {
                    doc_id: "aa01".into(),
                    idx: 0,
                    merged_id: "me1".into(),
                }],
                ..Default::default()
            },
        );
    }

    pub fn link_step_writes_stories_and_reads_them_back(s: &mut dyn Store) {
        linked_sample(s);
        let s1 = s.story("s1").unwrap().unwrap();
        assert_eq!(s1.label, "Bridge held");
        assert_eq!(
            (s1.first_date.as_deref(), s1.last_date.as_deref()),
            (Some("2016-09-30"), Some("2016-11-01"))
        );
        assert_eq!((s1.num_documents, s1.num_articles), (3, 2));
        assert_eq!(s1.outlets, ["100% News", "example.org"]);
        assert_eq!(s1.profile, b"s1");
        let all = s.stories(&StoryFilter::default()).unwrap();
        assert_eq!(ids(&all, |r| &r.id), ["s1", "s3"]);
        let october = s
            .stories(&StoryFilter {
                from: Some("2016-10-15".into()),
                to: Some("2016-10".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(ids(&october, |r| &r.id), ["s1", "s3"]);
        let late = s
            .stories(&StoryFilter {
                from: Some("2016-11-02".into()),
                ..Default::default()
            })
            .unwrap();
        assert!(late.is_empty());
        let docs = s.story_documents("s1", None).unwrap();
        assert_eq!(ids(&docs, |r| &r.doc_id), ["aa01", "aa02", "aa04"]);
        assert!(docs[0].seq < docs[1].seq && docs[1].seq < docs[2].seq);
        assert_eq!(docs[2].copy_of.as_deref(), Some("aa01"));
        assert_eq!(docs[0].title.as_deref(), Some("Report aa01"));
        assert_eq!(s.story_of_document("aa03").unwrap().as_deref(), Some("s3"));
        assert_eq!(s.story_of_document("zz").unwrap(), None);
        assert!(s.story("nope").unwrap().is_none());
        let claims = s.story_claims("s1").unwrap();
        assert_eq!(claims.len(), 3);
        assert_eq!(claims[0].merged_event.as_deref(), Some("me1"));
        assert_eq!(claims[1].merged_event, None);
        assert_eq!(claims[0].claim.kind, "KILL");
        let counts = s.link_counts().unwrap();
        assert_eq!(
            (counts.stories, counts.merged_events, counts.entities),
            (2, 1, 1)
        );
        assert_eq!((counts.linked_documents, counts.pending_documents), (4, 0));
        assert!(s.unlinked_documents(10).unwrap().is_empty());
        let report = s.check().unwrap();
        assert!(report.is_clean(), "{report:?}");
    }

    pub fn merged_stories_keep_their_old_ids(s: &mut dyn Store) {
        linked_sample(s);
        link(
            s,
            LinkBatch {
                stories: vec![story("s1", "Bridge held, and more", &["bridge", "other"])],
                merges: vec![StoryMergeWrite {
                    from: "s3".into(),
                    into: "s1".into(),
                    reason: "shared keys".into(),
                }],
                ..Default::default()
            },
        );
        let via_old = s.story("s3").unwrap().unwrap();
        assert_eq!(via_old.id, "s1");
        assert_eq!(via_old.num_documents, 4);
        assert_eq!(via_old.last_date.as_deref(), Some("2016-11-01"));
        assert_eq!(
            ids(&s.stories(&StoryFilter::default()).unwrap(), |r| &r.id),
            ["s1"]
        );
        let with_merged = s
            .stories(&StoryFilter {
                include_merged: true,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(with_merged[1].merged_into.as_deref(), Some("s1"));
        let merges = s.story_merges().unwrap();
        assert_eq!(
            (merges[0].from.as_str(), merges[0].into.as_str()),
            ("s3", "s1")
        );
        assert_eq!(merges[0].reason, "shared keys");
        assert_eq!(s.story_of_document("aa03").unwrap().as_deref(), Some("s1"));
        let report = s.check().unwrap();
        assert!(report.is_clean(), "{report:?}");
    }

    pub fn merged_events_count_mentions_sources_and_articles(s: &mut dyn Store) {
        linked_sample(s);
        let all = s
            .merged_events(&MergedEventFilter {
                with_mentions: true,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(all.len(), 1);
        let e = &all[0];
        // The copy is a mention, not an article and not a source.
        assert_eq!((e.num_mentions, e.num_sources, e.num_articles), (3, 2, 2));
        assert_eq!(e.code.as_deref(), Some("190"));
        assert_eq!(e.source.as_deref(), Some("RURMIL"));
        assert_eq!(e.first_document.as_deref(), Some("aa01"));
        assert_eq!(e.first_date.as_deref(), Some("2016-09-30"));
        assert_eq!(e.disagreements.len(), 1);
        assert_eq!(e.disagreements[0].field, "code");
        assert_eq!(e.disagreements[0].values[0].name, "190");
        assert_eq!(e.disagreements[0].values[0].count, 2);
        assert_eq!(ids(&e.mentions, |m| &m.document), ["aa01", "aa02", "aa04"]);
        assert_eq!((e.mentions[0].start, e.mentions[0].end), (42, 68));
        assert_eq!(e.mentions[1].outlet.as_deref(), Some("100% News"));
        assert_eq!(
            e.mentions[0].sentence.as_deref(),
            Some("Twelve people were killed.")
        );
        let by_story = s
            .merged_events(&MergedEventFilter {
                story: Some("s3".into()),
                ..Default::default()
            })
            .unwrap();
        assert!(by_story.is_empty());
        let filtered = s
            .merged_events(&MergedEventFilter {
                code: Some("19".into()),
                actor: Some("RUR".into()),
                min_sources: Some(2),
                from: Some("2016-10".into()),
                to: Some("2016-10".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(filtered.len(), 1);
        assert!(filtered[0].mentions.is_empty());
        let cands = s.merged_event_candidates("s1", 1).unwrap();
        assert_eq!((cands.events.len(), cands.capped), (1, false));
        assert_eq!(cands.events[0].profile, [9]);
        assert_eq!(s.merged_event_mentions("me1", Some(1)).unwrap().len(), 1);
        // Many events' mentions at once answer as each one's alone.
        let ids: Vec<String> = ["me1", "no-such-event"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for limit in [None, Some(1), Some(2)] {
            let many = s.merged_event_mentions_of(&ids, limit).unwrap();
            assert!(!many.contains_key("no-such-event"));
            for id in &ids {
                let one = s.merged_event_mentions(id, limit).unwrap();
                assert_eq!(
                    many.get(id).cloned().unwrap_or_default(),
                    one,
                    "{id} {limit:?}"
                );
            }
        }
        assert_eq!(
            s.document_merged_events("aa02").unwrap(),
            [(0, "me1".to_string())]
        );
    }

    pub fn entities_carry_variants_and_dated_roles(s: &mut dyn Store) {
        linked_sample(s);
        let all = s.entities(&EntityFilter::default()).unwrap();
        assert_eq!(all.len(), 1);
        let e = &all[0];
        assert_eq!(e.canonical, "Łukasz Nowak");
        assert_eq!((e.mentions, e.documents), (2, 2));
        assert_eq!(e.variants, ["Lukasz Nowak", "Łukasz Nowak"]);
        assert_eq!(e.roles.len(), 1);
        assert_eq!(e.roles[0].role, "commander");
        assert_eq!(e.roles[0].first_seen.as_deref(), Some("2016-09-30"));
        assert_eq!(e.roles[0].last_seen.as_deref(), Some("2016-10-01"));
        let by_variant = s
            .entities(&EntityFilter {
                name: Some("lukasz".into()),
                label: Some("PER".into()),
                story: Some("s1".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(by_variant.len(), 1);
        let elsewhere = s
            .entities(&EntityFilter {
                story: Some("s3".into()),
                ..Default::default()
            })
            .unwrap();
        assert!(elsewhere.is_empty());
        let c = s
            .entity_candidates(&["nowak".into(), "unknown".into()], 5)
            .unwrap();
        assert_eq!(ids(&c.entities, |r| &r.id), ["e1"]);
        assert!(!c.capped);
        let m = s.entity_mentions("aa02").unwrap();
        assert_eq!(
            (m[0].start, m[0].end, m[0].text.as_str()),
            (27, 40, "Lukasz Nowak")
        );
    }

    pub fn statements_are_shared_and_quotes_carry_them(s: &mut dyn Store) {
        linked_sample(s);
        let q = s.quotes(&QuoteFilter::default()).unwrap();
        let st: Vec<Option<&str>> = q.iter().map(|r| r.statement.as_deref()).collect();
        assert_eq!(st, [Some("aa01:0"), Some("aa01:0"), None, None]);
        let rows = s.statements(Some("s1")).unwrap();
        assert_eq!(ids(&rows, |r| &r.doc_id), ["aa01", "aa02"]);
        let c = s.statement_candidates("s1", "e1", 1).unwrap();
        assert_eq!(ids(&c, |r| &r.doc_id), ["aa02"]);
        assert!(s.statement_candidates("s1", "e2", 5).unwrap().is_empty());
        assert_eq!(s.link_counts().unwrap().statements, 1);
    }

    pub fn date_corrections_rewrite_the_document_and_its_story_dates(s: &mut dyn Store) {
        linked_sample(s);
        let mut d = s.get("aa03").unwrap().unwrap();
        let stated = d.published.clone();
        if let Some(p) = d.published.as_mut() {
            p.date = "2016-10-02".into();
            p.estimated = true;
        }
        link(
            s,
            LinkBatch {
                date_corrections: vec![DateCorrection {
                    doc_id: "aa03".into(),
                    story_id: "s3".into(),
                    stated: stated.map(|p| p.date),
                    previous: Some("2016-10-31".into()),
                    corrected: "2016-10-02".into(),
                    evidence: vec!["aa01".into(), "aa02".into()],
                    reason: "other reports date the same events".into(),
                }],
                updated_documents: vec![d],
                ..Default::default()
            },
        );
        let listed = s
            .list(&DocumentFilter {
                from: Some("2016-10-02".into()),
                to: Some("2016-10-02".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(ids(&listed, |r| &r.id), ["aa03"]);
        assert!(listed[0].estimated);
        let s3 = s.story("s3").unwrap().unwrap();
        assert_eq!(s3.first_date.as_deref(), Some("2016-10-02"));
        let c = s.date_corrections(Some("s3")).unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].evidence, ["aa01", "aa02"]);
        assert_eq!(c[0].stated.as_deref(), Some("2016-10-31"));
        assert!(s.date_corrections(Some("s1")).unwrap().is_empty());
        let report = s.check().unwrap();
        assert!(report.is_clean(), "{report:?}");
        // Relinked, the document keeps its story date but no new estimate:
        // the correction names the evidence recorded when it was made. A
        // relink stopped before it re-wrote the correction (cleared twice)
        // loses nothing.
        s.clear_links().unwrap();
        s.clear_links().unwrap();
        let carried = |corrected: &str| DateCorrection {
            doc_id: "aa03".into(),
            story_id: "s3".into(),
            stated: Some("2016-10-31".into()),
            previous: Some("2016-10-31".into()),
            corrected: corrected.into(),
            evidence: Vec::new(),
            reason: "other reports date the same events".into(),
        };
        link(
            s,
            LinkBatch {
                date_corrections: vec![carried("2016-10-02")],
                ..Default::default()
            },
        );
        assert_eq!(
            s.date_corrections(None).unwrap()[0].evidence,
            ["aa01", "aa02"]
        );
        // Evidence for another date is not this correction's.
        link(
            s,
            LinkBatch {
                date_corrections: vec![carried("2016-10-03")],
                ..Default::default()
            },
        );
        assert!(s.date_corrections(None).unwrap()[0].evidence.is_empty());
    }

    /// Counts, consensus, first report and story dates kept across steps (a
    /// backend may keep them incrementally) equal what the rows say: a later
    /// step brings an earlier report, a copy, a value that overtakes the
    /// consensus, and a re-written mention.
    pub fn aggregates_kept_over_steps_match_the_rows(s: &mut dyn Store) {
        sample(s);
        let step = |s: &mut dyn Store, docs: &[&str], members, mentions| {
            link(
                s,
                LinkBatch {
                    linked: docs.iter().map(|d| d.to_string()).collect(),
                    stories: vec![story("s1", "Bridge held", &[])],
                    story_documents: members,
                    merged_events: vec![MergedEventWrite {
                        id: "me1".into(),
                        story_id: "s1".into(),
                        profile: vec![9],
                    }],
                    event_mentions: mentions,
                    ..Default::default()
                },
            )
        };
        step(
            s,
            &["aa02"],
            vec![member("s1", "aa02", "100% News", "2016-10-01")],
            vec![event_mention("me1", "aa02", "100% News", "193")],
        );
        let e = &s.merged_events(&MergedEventFilter::default()).unwrap()[0];
        assert_eq!(e.first_document.as_deref(), Some("aa02"));
        assert_eq!(e.code.as_deref(), Some("193"));
        step(
            s,
            &["aa01"],
            vec![member("s1", "aa01", "example.org", "2016-09-30")],
            vec![event_mention("me1", "aa01", "example.org", "190")],
        );
        let e = &s.merged_events(&MergedEventFilter::default()).unwrap()[0];
        // An earlier report linked later is the first report; a tie goes to the
        // value of the document first in link order (stored order).
        assert_eq!(e.first_document.as_deref(), Some("aa01"));
        assert_eq!(e.first_date.as_deref(), Some("2016-09-30"));
        assert_eq!(e.code.as_deref(), Some("190"));
        let mut copy = member("s1", "aa04", "example.org", "2016-11-01");
        copy.copy_of = Some("aa01".into());
        let mut copy_mention = event_mention("me1", "aa04", "example.org", "190");
        copy_mention.copy_of = Some("aa01".into());
        step(
            s,
            &["aa03", "aa04"],
            vec![member("s1", "aa03", "under_score.net", "2016-10-31"), copy],
            vec![
                event_mention("me1", "aa03", "under_score.net", "190"),
                copy_mention,
            ],
        );
        let e = &s.merged_events(&MergedEventFilter::default()).unwrap()[0];
        assert_eq!((e.num_mentions, e.num_sources, e.num_articles), (4, 3, 3));
        assert_eq!(e.code.as_deref(), Some("190"));
        let codes: Vec<(&str, u64)> = e.disagreements[0]
            .values
            .iter()
            .map(|v| (v.name.as_str(), v.count))
            .collect();
        assert_eq!(codes, [("190", 3), ("193", 1)]);
        let s1 = s.story("s1").unwrap().unwrap();
        assert_eq!((s1.num_documents, s1.num_articles), (4, 3));
        assert_eq!(
            (s1.first_date.as_deref(), s1.last_date.as_deref()),
            (Some("2016-09-30"), Some("2016-11-01"))
        );
        // A mention written again (another code) is counted once, as it is now.
        link(
            s,
            LinkBatch {
                event_mentions: vec![event_mention("me1", "aa02", "100% News", "190")],
                ..Default::default()
            },
        );
        let e = &s.merged_events(&MergedEventFilter::default()).unwrap()[0];
        assert_eq!((e.num_mentions, e.num_sources, e.num_articles), (4, 3, 3));
        assert!(e.disagreements.is_empty(), "{:?}", e.disagreements);
        let report = s.check().unwrap();
        assert!(report.is_clean(), "{report:?}");
    }

    pub fn unlinked_documents_wait_in_stored_order_and_clear_links_requeues(s: &mut dyn Store) {
        sample(s);
        let pending = s.unlinked_documents(3).unwrap();
        assert_eq!(ids(&pending, |p| &p.doc_id), ["aa01", "aa02", "aa03"]);
        assert!(pending[0].seq < pending[1].seq);
        // Stored but not linked is a consistent state (a crash between the two).
        assert!(s.check().unwrap().is_clean());
        linked_sample_links_only(s);
        assert_eq!(
            ids(&s.unlinked_documents(10).unwrap(), |p| &p.doc_id),
            ["aa03", "aa04"]
        );
        s.clear_links().unwrap();
        assert_eq!(s.unlinked_documents(10).unwrap().len(), 4);
        assert!(s.stories(&StoryFilter::default()).unwrap().is_empty());
        assert!(s.story("s1").unwrap().is_none());
        assert_eq!(s.link_counts().unwrap().pending_documents, 4);
        let q = s.quotes(&QuoteFilter::default()).unwrap();
        assert!(q.iter().all(|r| r.statement.is_none()));
        assert!(s.check().unwrap().is_clean());
    }

    /// Links aa01 and aa02 only.
    fn linked_sample_links_only(s: &mut dyn Store) {
        link(
            s,
            LinkBatch {
                linked: vec!["aa01".into(), "aa02".into()],
                stories: vec![story("s1", "Bridge held", &["bridge"])],
                story_documents: vec![
                    member("s1", "aa01", "example.org", "2016-09-30"),
                    member("s1", "aa02", "100% News", "2016-10-01"),
                ],
                ..Default::default()
            },
        );
    }

    pub fn story_postings_keep_the_newest_and_key_stats_add_up(s: &mut dyn Store) {
        sample(s);
        let post = |pairs: &[(&str, &str)]| LinkBatch {
            postings: pairs
                .iter()
                .map(|(k, st)| (k.to_string(), st.to_string()))
                .collect(),
            key_counts: vec![("n:syria".into(), 2), ("w:siege".into(), 1)],
            documents_counted: 2,
            ..Default::default()
        };
        link(
            s,
            post(&[("n:syria", "st1"), ("n:syria", "st2"), ("n:syria", "st3")]),
        );
        // Re-posting moves st1 to the newest end.
        link(s, post(&[("n:syria", "st1"), ("w:siege", "st2")]));
        assert_eq!(
            s.story_posting("n:syria", 10).unwrap(),
            ["st2", "st3", "st1"]
        );
        assert_eq!(s.story_posting("n:syria", 2).unwrap(), ["st3", "st1"]);
        assert!(s.story_posting("absent", 5).unwrap().is_empty());
        let (total, df) = s
            .key_stats(&["n:syria".into(), "w:siege".into(), "absent".into()])
            .unwrap();
        assert_eq!((total, df), (4, vec![4, 2, 0]));
        // A step read before another writer's step is refused, and writes nothing.
        let stale = LinkBatch {
            generation: s.link_generation().unwrap() - 1,
            linked: vec!["aa01".into()],
            ..Default::default()
        };
        assert!(!s.put_links(&stale).unwrap());
        assert_eq!(s.unlinked_documents(10).unwrap().len(), 4);
        assert_eq!(
            chronicle_store::shift_date("2016-10-31", 1).as_deref(),
            Some("2016-11-01")
        );
        s.clear_links().unwrap();
        assert!(s.story_posting("n:syria", 10).unwrap().is_empty());
        assert_eq!(s.key_stats(&["n:syria".into()]).unwrap(), (0, vec![0]));
    }

    pub fn check_flags_broken_links(s: &mut dyn Store) {
        sample(s);
        // Marked linked, but no story holds it: a faulty link step.
        link(
            s,
            LinkBatch {
                linked: vec!["aa01".into()],
                ..Default::default()
            },
        );
        let report = s.check().unwrap();
        assert!(
            report
                .problems
                .iter()
                .any(|p| p.kind == "linked-without-story" && p.doc_id.as_deref() == Some("aa01")),
            "{report:?}"
        );
        // A mention of a merged event that is not stored.
        link(
            s,
            LinkBatch {
                linked: vec!["aa02".into()],
                stories: vec![story("s2", "x", &[])],
                story_documents: vec![member("s2", "aa02", "100% News", "2016-10-01")],
                event_mentions: vec![event_mention("ghost", "aa02", "100% News", "190")],
                ..Default::default()
            },
        );
        let kinds: Vec<String> = s
            .check()
            .unwrap()
            .problems
            .into_iter()
            .map(|p| p.kind)
            .collect();
        assert!(
            kinds.contains(&"merged-event-missing".to_string()),
            "{kinds:?}"
        );
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
