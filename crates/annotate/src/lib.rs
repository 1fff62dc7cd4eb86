//! The annotation pipeline. Runs our own trained models over a `Document`'s text and
//! fills its layers: `sentences`, `tokens` (with UPOS, XPOS, lemma, head, deprel)
//! and `entities` (PER/ORG/LOC, plus nationality adjectives as NORP linked to their
//! country). Models are embedded in the binary, loaded once, and shared by threads.
//!
//! Depends on the model crates and `chronicle-core` only; never does I/O.

use chronicle_core::{Document, Entity, Sentence, Token};
use chronicle_ner::NerModel;
use chronicle_parser::ParserModel;
use chronicle_tagger::PosModel;
use chronicle_text::Segmenter;
use std::sync::OnceLock;

static POS_MODEL: &[u8] = include_bytes!("../../../models/pos.v1.bin.zst");
static NER_MODEL: &[u8] = include_bytes!("../../../models/ner.v1.bin.zst");
static PARSE_MODEL: &[u8] = include_bytes!("../../../models/parse.v1.bin.zst");

/// Sentences longer than this are parsed in windows: the parser is linear, but a
/// "sentence" of thousands of tokens is a segmentation failure (tables, lists), and
/// windows keep memory and time per call bounded.
const MAX_PARSE_WINDOW: usize = 256;

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
        doc.sentences.clear();
        doc.tokens.clear();
        doc.entities.clear();
        doc.times.clear();
        doc.actors.clear();
        doc.events.clear();
        doc.quotes.clear();
        doc.claims.clear();
        if !doc.is_english() {
            return;
        }
        let text = doc.text.as_str();
        let seg = self.segmenter.segment(text);
        let sentence_words: Vec<Vec<&str>> = seg
            .sentences
            .iter()
            .map(|s| {
                seg.tokens[s.tokens.clone()]
                    .iter()
                    .map(|t| t.text(text))
                    .collect()
            })
            .collect();
        let mut sentence_upos: Vec<Vec<&'static str>> = Vec::with_capacity(seg.sentences.len());
        for (s, words) in seg.sentences.iter().zip(&sentence_words) {
            let base = doc.tokens.len();
            let tags = self.pos.tag(words);
            let upos: Vec<&'static str> = tags.iter().map(|t| t.upos).collect();
            let xpos: Vec<&str> = tags.iter().map(|t| t.xpos).collect();
            let mut heads: Vec<(Option<usize>, String)> = Vec::with_capacity(words.len());
            for start in (0..words.len()).step_by(MAX_PARSE_WINDOW) {
                let end = (start + MAX_PARSE_WINDOW).min(words.len());
                let arcs =
                    self.parser
                        .parse(&words[start..end], &upos[start..end], &xpos[start..end]);
                heads.extend(arcs.into_iter().map(|a| {
                    let head = (a.head > 0).then(|| base + start + a.head - 1);
                    (head, a.deprel)
                }));
            }
            for (i, tok) in seg.tokens[s.tokens.clone()].iter().enumerate() {
                let tag = &tags[i];
                let (head, deprel) = heads.get(i).cloned().unwrap_or((None, "dep".into()));
                doc.tokens.push(Token {
                    start: tok.start,
                    end: tok.end,
                    text: words[i].to_string(),
                    upos: Some(tag.upos.to_string()),
                    xpos: Some(tag.xpos.to_string()),
                    lemma: Some(tag.lemma.clone()),
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
        let entity_spans = self.ner.tag_document(&sentence_words);
        for ((s, words), (spans, upos)) in seg
            .sentences
            .iter()
            .zip(&sentence_words)
            .zip(entity_spans.iter().zip(&sentence_upos))
        {
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
        chronicle_timex::date_document(doc);
        // Quotes and numeric claims read the parse and the entities.
        chronicle_quotes::annotate(doc);
        // Actors and events read the parse, the entities, the times (event
        // dates), the article date the times settled (dated roles) and the quotes
        // (events inside one are reported).
        if let Some(coder) = chronicle_events::EventCoder::shared() {
            coder.annotate(doc);
        }
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
