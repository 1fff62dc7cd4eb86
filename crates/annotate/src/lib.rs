//! The annotation pipeline. Runs our own trained models over a `Document`'s text and
//! fills its layers: `sentences`, `tokens` (with UPOS, XPOS, lemma, head, deprel)
//! and `entities` (PER/ORG/LOC, plus nationality adjectives as NORP linked to their
//! country). Models are embedded in the binary, loaded once, and shared by threads.
//!
//! Depends on the model crates and `chronicle-core` only; never does I/O.

mod redate;
pub use redate::{redate, RedateError};

use chronicle_core::{Document, Entity, Sentence, Token, Warning};
use chronicle_ner::NerModel;
use chronicle_parser::ParserModel;
use chronicle_tagger::PosModel;
use chronicle_text::{Segmented, Segmenter, SentenceSpan};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

static POS_MODEL: &[u8] = include_bytes!("../../../models/pos.v1.bin.zst");
static NER_MODEL: &[u8] = include_bytes!("../../../models/ner.v1.bin.zst");
static PARSE_MODEL: &[u8] = include_bytes!("../../../models/parse.v1.bin.zst");

/// Sentences longer than this many tokens are cut into sentences of this length. A
/// "sentence" of thousands of tokens is a segmentation failure (a table, a list, text
/// without punctuation); the parser gives each window its own tree, and the stages
/// after it, some of which walk a sentence's subtrees for every token, see sentences
/// of bounded length (one 9,600-token sentence took 2 s in quotes, 60,000 over 5 min).
const MAX_SENTENCE_TOKENS: usize = 256;

#[derive(Debug, thiserror::Error)]
pub enum AnnotateError {
    #[error("embedded {model} model is unreadable: {reason}")]
    Model { model: &'static str, reason: String },
}

/// All models of the pipeline.
pub struct Pipeline {
    pub segmenter: Segmenter,
    pub pos: PosModel,
    pub ner: NerModel,
    pub parser: ParserModel,
}

impl Pipeline {
    /// Loads the models shipped in the binary.
    pub fn embedded() -> Result<Pipeline, AnnotateError> {
        let pos = PosModel::from_bytes(POS_MODEL).map_err(|e| AnnotateError::Model {
            model: "POS",
            reason: e.to_string(),
        })?;
        let ner = NerModel::from_bytes(NER_MODEL).map_err(|e| AnnotateError::Model {
            model: "NER",
            reason: e.to_string(),
        })?;
        let parser = ParserModel::from_bytes(PARSE_MODEL).map_err(|e| AnnotateError::Model {
            model: "parser",
            reason: e.to_string(),
        })?;
        Ok(Pipeline {
            segmenter: Segmenter::default(),
            pos,
            ner,
            parser,
        })
    }

    /// The process-wide pipeline, loaded on first use.
    pub fn shared() -> Result<&'static Pipeline, &'static AnnotateError> {
        static SHARED: OnceLock<Result<Pipeline, AnnotateError>> = OnceLock::new();
        SHARED.get_or_init(Pipeline::embedded).as_ref()
    }

    /// Fills the linguistic layers of `doc`, replacing any present. Non-English
    /// documents are left unannotated: the models are English-only.
    pub fn annotate(&self, doc: &mut Document) {
        // Without a deadline no check can stop the run.
        let _ = self.run(doc, &Deadline::none());
    }

    /// `annotate` within a time budget. The deadline is cooperative: it is checked
    /// between stages and per sentence inside tagging, parsing and entity linking, so a
    /// pathological document stops soon after the budget runs out (a stage that runs
    /// in another crate, such as events, finishes the document it started). A document
    /// that finishes, even late, keeps its layers. On expiry every layer is cleared and
    /// an `annotation_over_budget` warning says where the run stopped: the text and its
    /// provenance are intact, the annotations absent.
    pub fn annotate_within(
        &self,
        doc: &mut Document,
        budget: Duration,
    ) -> Result<(), BudgetExceeded> {
        let result = self.run(doc, &Deadline::after(budget));
        if let Err(e) = &result {
            clear_layers(doc);
            doc.warnings
                .push(Warning::new("annotation_over_budget", e.to_string()));
        }
        result
    }

    fn run(&self, doc: &mut Document, deadline: &Deadline) -> Result<(), BudgetExceeded> {
        clear_layers(doc);
        if !doc.is_english() {
            return Ok(());
        }
        deadline.check(Stage::Segmenting, None)?;
        let text = doc.text.as_str();
        let seg = self.segmenter.segment(text);
        let units = sentence_units(&seg);
        let n = units.len();
        let sentence_words: Vec<Vec<&str>> = units
            .iter()
            .map(|s| {
                seg.tokens[s.tokens.clone()]
                    .iter()
                    .map(|t| t.text(text))
                    .collect()
            })
            .collect();
        let mut sentence_upos: Vec<Vec<&'static str>> = Vec::with_capacity(n);
        doc.tokens.reserve(seg.tokens.len());
        doc.sentences.reserve(n);
        for (i, (s, words)) in units.iter().zip(&sentence_words).enumerate() {
            deadline.check(Stage::Tagging, Some((i, n)))?;
            let base = doc.tokens.len();
            let tags = self.pos.tag(words);
            let upos: Vec<&'static str> = tags.iter().map(|t| t.upos).collect();
            let xpos: Vec<&str> = tags.iter().map(|t| t.xpos).collect();
            deadline.check(Stage::Parsing, Some((i, n)))?;
            let mut arcs = self.parser.parse(words, &upos, &xpos).into_iter();
            // Tags and arcs are moved into the tokens, not copied: this loop
            // builds every token of every document.
            for ((tok, tag), word) in seg.tokens[s.tokens.clone()].iter().zip(tags).zip(words) {
                let (head, deprel) = match arcs.next() {
                    Some(a) => ((a.head > 0).then(|| base + a.head - 1), a.deprel),
                    None => (None, "dep".into()),
                };
                doc.tokens.push(Token {
                    start: tok.start,
                    end: tok.end,
                    text: word.to_string(),
                    upos: Some(tag.upos.to_string()),
                    xpos: Some(tag.xpos.to_string()),
                    lemma: Some(tag.lemma),
                    head,
                    deprel: Some(deprel),
                });
            }
            doc.sentences.push(Sentence {
                start: s.start,
                end: s.end,
                token_start: base,
                token_end: doc.tokens.len(),
            });
            sentence_upos.push(upos);
        }
        // Names are tagged per document so that repeated mentions ("Talmar", a
        // surname after the full name) agree on one label.
        deadline.check(Stage::Entities, None)?;
        let entity_spans = self.ner.tag_document(&sentence_words);
        for (i, ((s, words), (spans, upos))) in units
            .iter()
            .zip(&sentence_words)
            .zip(entity_spans.iter().zip(&sentence_upos))
            .enumerate()
        {
            deadline.check(Stage::Entities, Some((i, n)))?;
            let first_entity = doc.entities.len();
            for span in spans {
                let (Some(first), Some(last)) = (
                    seg.tokens.get(s.tokens.start + span.start_token),
                    seg.tokens
                        .get(s.tokens.start + span.end_token.saturating_sub(1)),
                ) else {
                    continue;
                };
                let surface = &text[first.start..last.end];
                let label = span.label.as_str().to_string();
                let country = if label == "LOC" {
                    chronicle_ner::country_code(surface)
                        .or_else(|| chronicle_ner::city_country(surface))
                        .map(str::to_string)
                } else {
                    None
                };
                doc.entities.push(Entity {
                    start: first.start,
                    end: last.end,
                    text: surface.to_string(),
                    label,
                    country,
                });
            }
            // Nationality adjectives are not entities in UNER, but events need them
            // linked to the country ("Russian jets" → RUS).
            for (i, w) in words.iter().enumerate() {
                if !matches!(upos.get(i), Some(&"ADJ") | Some(&"PROPN")) {
                    continue;
                }
                let t = &seg.tokens[s.tokens.start + i];
                let inside = doc.entities[first_entity..]
                    .iter()
                    .any(|e| e.start <= t.start && t.end <= e.end);
                if inside {
                    continue;
                }
                if let Some(code) = chronicle_ner::demonym_country(w) {
                    doc.entities.push(Entity {
                        start: t.start,
                        end: t.end,
                        text: w.to_string(),
                        label: "NORP".into(),
                        country: Some(code.to_string()),
                    });
                }
            }
        }
        doc.entities.sort_by_key(|e| (e.start, e.end));
        // Times need the parse for tense, and settle the article date with it.
        deadline.check(Stage::Times, None)?;
        chronicle_timex::date_document(doc);
        // Quotes and numeric claims read the parse and the entities.
        deadline.check(Stage::Quotes, None)?;
        chronicle_quotes::annotate(doc);
        // Actors and events read the parse, the entities, the times (event
        // dates), the article date the times settled (dated roles) and the quotes
        // (events inside one are reported).
        deadline.check(Stage::Events, None)?;
        if let Some(coder) = chronicle_events::EventCoder::shared() {
            // Coding asks before each sentence whether the budget is spent.
            if !coder.annotate_until(doc, &|| deadline.expired()) {
                deadline.check(Stage::Events, None)?;
            }
        }
        Ok(())
    }
}

/// The segmenter's sentences, each longer than `MAX_SENTENCE_TOKENS` cut into
/// windows of that many tokens (the first keeps the sentence's start, the last its end).
fn sentence_units(seg: &Segmented) -> Vec<SentenceSpan> {
    let mut out = Vec::with_capacity(seg.sentences.len());
    for s in &seg.sentences {
        if s.tokens.len() <= MAX_SENTENCE_TOKENS {
            out.push(s.clone());
            continue;
        }
        let mut lo = s.tokens.start;
        while lo < s.tokens.end {
            let hi = (lo + MAX_SENTENCE_TOKENS).min(s.tokens.end);
            let start = match seg.tokens.get(lo) {
                Some(t) if lo > s.tokens.start => t.start,
                _ => s.start,
            };
            let end = match seg.tokens.get(hi - 1) {
                Some(t) if hi < s.tokens.end => t.end,
                _ => s.end,
            };
            out.push(SentenceSpan {
                start,
                end,
                tokens: lo..hi,
            });
            lo = hi;
        }
    }
    out
}

fn clear_layers(doc: &mut Document) {
    doc.sentences.clear();
    doc.tokens.clear();
    doc.entities.clear();
    doc.times.clear();
    doc.actors.clear();
    doc.events.clear();
    doc.quotes.clear();
    doc.claims.clear();
}

/// A stage of the pipeline, as a budget error names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Segmenting,
    Tagging,
    Parsing,
    Entities,
    Times,
    Quotes,
    Events,
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Stage::Segmenting => "sentence splitting",
            Stage::Tagging => "tagging",
            Stage::Parsing => "parsing",
            Stage::Entities => "entities",
            Stage::Times => "time expressions",
            Stage::Quotes => "quotes and claims",
            Stage::Events => "actors and events",
        })
    }
}

/// Annotation ran out of its time budget (`Pipeline::annotate_within`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "stopped in {stage}{} after {:.1} s",
    sentence.map(|(i, n)| format!(" at sentence {} of {n}", i + 1)).unwrap_or_default(),
    elapsed.as_secs_f64()
)]
pub struct BudgetExceeded {
    /// Time spent on the document when the run stopped.
    pub elapsed: Duration,
    /// The stage that would have run next, or was running.
    pub stage: Stage,
    /// The sentence the stage had reached (0-based) and the document's sentence count.
    pub sentence: Option<(usize, usize)>,
}

/// When to stop: a start time and an optional budget.
struct Deadline {
    start: Instant,
    budget: Option<Duration>,
}

impl Deadline {
    fn none() -> Self {
        Deadline {
            start: Instant::now(),
            budget: None,
        }
    }

    fn after(budget: Duration) -> Self {
        Deadline {
            start: Instant::now(),
            budget: Some(budget),
        }
    }

    fn expired(&self) -> bool {
        self.budget.is_some_and(|b| self.start.elapsed() >= b)
    }

    fn check(&self, stage: Stage, sentence: Option<(usize, usize)>) -> Result<(), BudgetExceeded> {
        let Some(budget) = self.budget else {
            return Ok(());
        };
        let elapsed = self.start.elapsed();
        if elapsed >= budget {
            return Err(BudgetExceeded {
                elapsed,
                stage,
                sentence,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn english(text: &str) -> Document {
        let mut d = Document::from_text("t", "t", text);
        d.language = Some("eng".into());
        d
    }

    #[test]
    fn annotates_a_news_sentence() {
        let p = Pipeline::shared().expect("embedded models load");
        let mut d = english("French Foreign Minister Jean-Marc Ayrault met Russian counterpart Sergei Lavrov in Moscow on Thursday. He didn't comment.");
        p.annotate(&mut d);
        assert_eq!(d.sentences.len(), 2);
        assert!(d.check_spans().is_ok());
        let ents: Vec<(&str, &str)> = d
            .entities
            .iter()
            .map(|e| (e.text.as_str(), e.label.as_str()))
            .collect();
        assert!(ents.contains(&("Moscow", "LOC")), "{ents:?}");
        assert!(
            ents.iter()
                .any(|(t, l)| t.contains("Lavrov") && *l == "PER"),
            "{ents:?}"
        );
        let russian = d
            .entities
            .iter()
            .find(|e| e.text == "Russian")
            .expect("demonym kept");
        assert_eq!(russian.country.as_deref(), Some("RUS"));
        let roots = d.tokens[..d.sentences[0].token_end]
            .iter()
            .filter(|t| t.head.is_none())
            .count();
        assert_eq!(roots, 1);
        let didnt: Vec<&str> = d.tokens.iter().map(|t| t.text.as_str()).collect();
        assert!(didnt.contains(&"n't"), "{didnt:?}");
    }

    #[test]
    fn codes_actors_and_events() {
        let p = Pipeline::shared().expect("embedded models load");
        let mut d = english("Russian Foreign Minister Sergei Lavrov met U.S. Secretary of State John Kerry in Geneva. Syrian jets bombed the town of Kafr Nabl.");
        d.published = Some(chronicle_core::Published {
            date: "2016-09-09".into(),
            time: None,
            provenance: chronicle_core::DateProvenance::Header,
            confidence: 1.0,
            estimated: false,
        });
        p.annotate(&mut d);
        assert!(d.check_spans().is_ok());
        let lavrov = d
            .actors
            .iter()
            .find(|a| a.text.contains("Lavrov"))
            .expect("Lavrov is an actor");
        assert_eq!(lavrov.code.as_deref(), Some("RUSGOV"));
        let meet = d
            .events
            .iter()
            .find(|e| e.cameo.starts_with("04"))
            .expect("the meeting is coded");
        assert_eq!(meet.source_actor.as_deref(), Some("RUSGOV"));
        assert_eq!(meet.target_actor.as_deref(), Some("USAGOV"));
        assert_eq!(meet.location.as_deref(), Some("Geneva"));
        assert_eq!(meet.date_source.as_deref(), Some("published"));
    }

    #[test]
    fn non_english_is_left_alone() {
        let p = Pipeline::shared().expect("embedded models load");
        let mut d = english("Le ministre a rencontré son homologue.");
        d.language = Some("fra".into());
        p.annotate(&mut d);
        assert!(d.tokens.is_empty());
    }

    #[test]
    fn within_a_generous_budget_the_layers_are_those_of_annotate() {
        let p = Pipeline::shared().expect("embedded models load");
        let text = "Norland Foreign Minister Anna Velkova met Piet Marrow in Kessel on Monday. \"We want calm,\" Marrow said.";
        let mut plain = english(text);
        p.annotate(&mut plain);
        let mut timed = english(text);
        p.annotate_within(&mut timed, Duration::from_secs(3600))
            .expect("an hour is enough");
        assert_eq!(plain, timed);
        assert!(!timed.tokens.is_empty() && !timed.quotes.is_empty());
    }

    #[test]
    fn an_expired_budget_clears_the_layers_and_marks_the_document() {
        let p = Pipeline::shared().expect("embedded models load");
        let text = "Rebels shelled the town of Dorn on Monday, officials said.";
        let mut d = english(text);
        p.annotate(&mut d);
        assert!(!d.tokens.is_empty());
        let e = p
            .annotate_within(&mut d, Duration::ZERO)
            .expect_err("no time at all");
        assert_eq!(e.stage, Stage::Segmenting);
        assert!(
            e.to_string()
                .starts_with("stopped in sentence splitting after "),
            "{e}"
        );
        assert!(d.sentences.is_empty() && d.tokens.is_empty() && d.entities.is_empty());
        assert!(d.times.is_empty() && d.quotes.is_empty() && d.events.is_empty());
        assert_eq!(d.text, text);
        assert!(d.check_spans().is_ok());
        let w = d
            .warnings
            .iter()
            .find(|w| w.code == "annotation_over_budget")
            .expect("marked");
        assert_eq!(w.message, e.to_string());
    }

    #[test]
    fn budget_error_names_the_sentence() {
        let e = BudgetExceeded {
            elapsed: Duration::from_millis(31_250),
            stage: Stage::Parsing,
            sentence: Some((1203, 9000)),
        };
        assert_eq!(
            e.to_string(),
            "stopped in parsing at sentence 1204 of 9000 after 31.2 s"
        );
    }

    #[test]
    fn overlong_sentences_become_windows_of_one_tree_each() {
        let p = Pipeline::shared().expect("embedded models load");
        let text = "the council met again and the people said that ".repeat(70);
        let mut d = english(text.trim_end());
        p.annotate(&mut d);
        assert!(d.check_spans().is_ok());
        assert_eq!(d.tokens.len(), 630);
        assert_eq!(d.sentences.len(), 3);
        let mut next = 0;
        for s in &d.sentences {
            assert_eq!(s.token_start, next);
            assert!(s.token_end - s.token_start <= MAX_SENTENCE_TOKENS);
            next = s.token_end;
            // Heads stay inside their sentence.
            for t in &d.tokens[s.token_start..s.token_end] {
                if let Some(h) = t.head {
                    assert!((s.token_start..s.token_end).contains(&h));
                }
            }
        }
        assert_eq!(next, d.tokens.len());
        assert_eq!(d.sentences[0].start, 0);
        assert_eq!(d.sentences[2].end, text.trim_end().len());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn spans_always_valid(text in "\\PC{0,300}") {
            let p = Pipeline::shared().expect("embedded models load");
            let mut d = english(&text);
            p.annotate(&mut d);
            prop_assert!(d.check_spans().is_ok());
            for t in &d.tokens {
                if let Some(h) = t.head { prop_assert!(h < d.tokens.len()); }
            }
        }
    }
}
