//! ECB+ cross-document coreference of event and entity mentions (`coref-events`,
//! `coref-entities`): gold mentions of one split, documents grouped into stories,
//! mentions clustered inside each story with `chronicle_link::coref`, and all
//! documents of the split scored as one cross-document "document" (singletons
//! kept) with MUC, B³, CEAF-e and their mean, the CoNLL F1.
//!
//! The corpus ships tokens, not text: each sentence's tokens are tagged and
//! lemmatized with our POS model, which gives the trigger's head lemma and the
//! sentence's content lemmas. An event's participants, time and place are the
//! entity gold mentions of its sentence (their words, never their chains).

use crate::coref_metrics::{conll, labels_to_chains, write_conll_coref, CorefScores};
use crate::{pipeline, EvalError};
use chronicle_formats::{read_ecbplus_file, read_gold_mentions_file, EcbDocument, GoldMention};
use chronicle_link::coref::entities::{cluster_entities_with, EntityMention};
use chronicle_link::coref::events::{cluster_events_with, doc_keys, EventMention};
use chronicle_link::coref::features::is_content_pos;
use chronicle_link::coref::{CorefModel, PairModel};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// One tagged token of an ECB+ document.
#[derive(Debug, Clone)]
struct Tagged {
    text: String,
    lemma: String,
    upos: String,
    sentence: u32,
}

/// The gold mentions of one split, as the coreference module takes them.
#[derive(Debug, Clone, Default)]
pub struct CorefCorpus {
    pub events: Vec<EventMention>,
    pub event_chains: Vec<String>,
    pub entities: Vec<EntityMention>,
    pub entity_chains: Vec<String>,
    /// Topic number of each document.
    pub topics: BTreeMap<String, u32>,
}

impl CorefCorpus {
    /// The documents of the topics `keep` accepts, with the indices the kept
    /// event and entity mentions had here.
    pub fn subset(&self, keep: impl Fn(u32) -> bool) -> (CorefCorpus, Vec<usize>, Vec<usize>) {
        let t = |d: &str| self.topics.get(d).copied().unwrap_or(0);
        let mut out = CorefCorpus {
            topics: self
                .topics
                .iter()
                .filter(|(_, &v)| keep(v))
                .map(|(k, v)| (k.clone(), *v))
                .collect(),
            ..CorefCorpus::default()
        };
        let mut en_kept = Vec::new();
        for (i, (m, ch)) in self.entities.iter().zip(&self.entity_chains).enumerate() {
            if keep(t(&m.doc_id)) {
                en_kept.push(i);
                out.entities.push(m.clone());
                out.entity_chains.push(ch.clone());
            }
        }
        let mut ev_kept = Vec::new();
        for (i, (m, ch)) in self.events.iter().zip(&self.event_chains).enumerate() {
            if keep(t(&m.doc_id)) {
                ev_kept.push(i);
                out.events.push(m.clone());
                out.event_chains.push(ch.clone());
            }
        }
        (out, ev_kept, en_kept)
    }
}

/// `train` → `Train` as the gold file names write it.
fn split_name(split: &str) -> String {
    let mut c = split.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn doc_path(data: &Path, doc_id: &str) -> PathBuf {
    let topic = doc_id.split('_').next().unwrap_or("");
    data.join("docs").join(topic).join(format!("{doc_id}.xml"))
}

fn tag_document(doc: &EcbDocument) -> Result<Vec<Tagged>, EvalError> {
    let pos = &pipeline()?.pos;
    let mut out = Vec::with_capacity(doc.tokens.len());
    let mut i = 0;
    while i < doc.tokens.len() {
        let s = doc.tokens[i].sentence;
        let mut j = i;
        while j < doc.tokens.len() && doc.tokens[j].sentence == s {
            j += 1;
        }
        let words: Vec<&str> = doc.tokens[i..j].iter().map(|t| t.text.as_str()).collect();
        for (t, tag) in doc.tokens[i..j].iter().zip(pos.tag(&words)) {
            out.push(Tagged {
                text: t.text.clone(),
                lemma: tag.lemma.to_lowercase(),
                upos: tag.upos.to_string(),
                sentence: s,
            });
        }
        i = j;
    }
    Ok(out)
}

struct Located<'a> {
    gold: &'a GoldMention,
    tokens: Vec<usize>,
    sentence: u32,
}

/// Reads the gold mentions of `split` (`train`, `dev`, `test`) and the documents
/// they name, and builds the mentions.
pub fn load(data: &Path, split: &str) -> Result<CorefCorpus, EvalError> {
    let name = split_name(split);
    let ev_path = data
        .join("gold")
        .join(format!("ECB_{name}_Event_gold_mentions.json"));
    let en_path = data
        .join("gold")
        .join(format!("ECB_{name}_Entity_gold_mentions.json"));
    let ev_gold = read_gold_mentions_file(&ev_path)?;
    let en_gold = read_gold_mentions_file(&en_path)?;
    let doc_ids: BTreeSet<&str> = ev_gold
        .iter()
        .chain(&en_gold)
        .map(|m| m.doc_id.as_str())
        .collect();
    if doc_ids.is_empty() {
        return Err(EvalError::NothingToScore {
            path: ev_path,
            reason: "no gold mentions".into(),
        });
    }
    let docs: Vec<(String, EcbDocument, Vec<Tagged>)> = doc_ids
        .par_iter()
        .map(|id| {
            let doc = read_ecbplus_file(&doc_path(data, id))?;
            let tagged = tag_document(&doc)?;
            Ok((id.to_string(), doc, tagged))
        })
        .collect::<Result<_, EvalError>>()?;
    let by_id: HashMap<&str, (&EcbDocument, &Vec<Tagged>)> = docs
        .iter()
        .map(|(id, d, t)| (id.as_str(), (d, t)))
        .collect();

    fn locate<'g>(
        gold: &'g [GoldMention],
        by_id: &HashMap<&str, (&EcbDocument, &Vec<Tagged>)>,
    ) -> Vec<Located<'g>> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for g in gold {
            // The lists repeat a few mentions: keep the first of each span.
            if !seen.insert((g.doc_id.clone(), g.sent_id, g.tokens_number.clone())) {
                continue;
            }
            let Some((doc, _)) = by_id.get(g.doc_id.as_str()) else {
                continue;
            };
            let tokens: Vec<usize> = g
                .tokens_number
                .iter()
                .filter_map(|&n| doc.gold_token(g.sent_id, n))
                .collect();
            let sentence = tokens
                .first()
                .map_or(g.sent_id, |&t| doc.tokens[t].sentence);
            out.push(Located {
                gold: g,
                tokens,
                sentence,
            });
        }
        out
    }
    let evs = locate(&ev_gold, &by_id);
    let ens = locate(&en_gold, &by_id);

    // Entity words of each sentence: an event's participants, time and place.
    let mut sentence_entities: HashMap<(&str, u32), Vec<&Located>> = HashMap::new();
    for e in &ens {
        sentence_entities
            .entry((e.gold.doc_id.as_str(), e.sentence))
            .or_default()
            .push(e);
    }
    let sentence_lemmas = |tagged: &[Tagged], s: u32| -> Vec<String> {
        let mut v: Vec<String> = tagged
            .iter()
            .filter(|t| t.sentence == s && is_content_pos(&t.upos))
            .map(|t| t.lemma.clone())
            .collect();
        v.sort();
        v.dedup();
        v
    };

    let mut corpus = CorefCorpus::default();
    for (id, doc, _) in &docs {
        corpus.topics.insert(id.clone(), doc.topic);
    }
    for l in &evs {
        let Some((_, tagged)) = by_id.get(l.gold.doc_id.as_str()) else {
            continue;
        };
        let toks: Vec<&Tagged> = l.tokens.iter().filter_map(|&i| tagged.get(i)).collect();
        let head = toks
            .iter()
            .find(|t| t.upos == "VERB")
            .or_else(|| {
                toks.iter()
                    .rev()
                    .find(|t| t.upos == "NOUN" || t.upos == "PROPN")
            })
            .or(toks.last());
        let ents = sentence_entities
            .get(&(l.gold.doc_id.as_str(), l.sentence))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let first_of = |kind: &str| {
            ents.iter()
                .find(|e| e.gold.mention_type == kind)
                .map(|e| e.gold.tokens_str.to_lowercase())
        };
        corpus.events.push(EventMention {
            doc_id: l.gold.doc_id.clone(),
            sentence: l.sentence as usize,
            start: l.tokens.first().copied().unwrap_or(0),
            end: l.tokens.last().map_or(0, |t| t + 1),
            trigger: l.gold.tokens_str.clone(),
            lemma: head.map(|t| t.lemma.clone()).unwrap_or_default(),
            lemmas: toks.iter().map(|t| t.lemma.clone()).collect(),
            pos: head.map(|t| t.upos.clone()),
            sentence_lemmas: sentence_lemmas(tagged, l.sentence),
            args: ents
                .iter()
                .filter(|e| e.gold.mention_type != "TIM")
                .map(|e| e.gold.tokens_str.clone())
                .collect(),
            date: first_of("TIM"),
            place: first_of("LOC"),
            family: None,
            source: None,
            target: None,
            doc_keys: doc_keys(tagged.iter().map(|t| (t.lemma.as_str(), t.upos.as_str()))),
        });
        corpus.event_chains.push(l.gold.coref_chain.clone());
    }
    for l in &ens {
        let Some((_, tagged)) = by_id.get(l.gold.doc_id.as_str()) else {
            continue;
        };
        // Gold strings keep the corpus's own spacing; rebuild from tokens so a
        // name reads the same in every document.
        let text = l
            .tokens
            .iter()
            .filter_map(|&i| tagged.get(i).map(|t| t.text.as_str()))
            .collect::<Vec<_>>()
            .join(" ");
        corpus.entities.push(EntityMention {
            doc_id: l.gold.doc_id.clone(),
            sentence: l.sentence as usize,
            start: l.tokens.first().copied().unwrap_or(0),
            end: l.tokens.last().map_or(0, |t| t + 1),
            text: if text.is_empty() {
                l.gold.tokens_str.clone()
            } else {
                text
            },
            label: l.gold.mention_type.clone(),
            role: None,
            sentence_lemmas: sentence_lemmas(tagged, l.sentence),
            date: None,
            doc_keys: doc_keys(tagged.iter().map(|t| (t.lemma.as_str(), t.upos.as_str()))),
        });
        corpus.entity_chains.push(l.gold.coref_chain.clone());
    }
    Ok(corpus)
}

/// How documents were grouped before clustering mentions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Grouping {
    /// The gold topic (both real events of a topic together).
    GoldTopic,
    /// The gold subtopic (one real event): an upper bound for stories.
    GoldSubtopic,
    /// Our own stories (`chronicle_link::stories`).
    Stories,
}

/// Which mentions a run scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Events,
    Entities,
}

/// What `coref-events` / `coref-entities` print.
#[derive(Debug, Clone, Serialize)]
pub struct CorefReport {
    pub split: String,
    pub kind: Kind,
    pub grouping: Grouping,
    pub documents: usize,
    pub groups: usize,
    pub mentions: usize,
    pub gold_chains: usize,
    pub predicted_clusters: usize,
    pub muc_f1: f64,
    pub b3_f1: f64,
    pub ceafe_f1: f64,
    pub conll_f1: f64,
    /// The same-lemma (events) or same-string (entities) baseline, same groups.
    pub baseline_conll_f1: f64,
    pub baseline_muc_f1: f64,
    pub baseline_b3_f1: f64,
    pub baseline_ceafe_f1: f64,
}

/// Group of each document as `grouping` says: our own stories (the benchmark's
/// default; `chronicle_link::stories` over the annotated documents, one pass in
/// corpus order), or a gold grouping for comparison.
pub fn groups_for(
    data: &Path,
    corpus: &CorefCorpus,
    grouping: Grouping,
) -> Result<BTreeMap<String, String>, EvalError> {
    Ok(match grouping {
        Grouping::GoldTopic => gold_topic_groups(corpus),
        Grouping::GoldSubtopic => crate::stories::gold_subtopics(data)?
            .into_iter()
            .map(|(d, (sub, _))| (d, sub))
            .collect(),
        Grouping::Stories => crate::stories::ecb_story_labels(data)?,
    })
}

/// The grouping `CHRONICLE_COREF_GROUPING` asks for (`stories`, the default;
/// `gold-topic`; `gold-subtopic`).
pub fn grouping_from_env() -> Grouping {
    match std::env::var("CHRONICLE_COREF_GROUPING").as_deref() {
        Ok("gold-topic") => Grouping::GoldTopic,
        Ok("gold-subtopic") => Grouping::GoldSubtopic,
        _ => Grouping::Stories,
    }
}

/// Group (story) of each document: the gold topic.
pub fn gold_topic_groups(corpus: &CorefCorpus) -> BTreeMap<String, String> {
    corpus
        .topics
        .iter()
        .map(|(d, t)| (d.clone(), t.to_string()))
        .collect()
}

/// Predicted cluster label of each mention: clustering runs inside each group;
/// `cluster` gets the group's mentions and returns their local cluster ids.
pub fn cluster_in_groups<M>(
    mentions: &[M],
    doc_of: impl Fn(&M) -> &str,
    groups: &BTreeMap<String, String>,
    cluster: impl Fn(&[M]) -> Vec<usize> + Sync,
) -> Vec<String>
where
    M: Clone + Send + Sync,
{
    let mut by_group: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, m) in mentions.iter().enumerate() {
        let g = groups.get(doc_of(m)).map_or("", String::as_str);
        by_group.entry(g).or_default().push(i);
    }
    let parts: Vec<(&str, Vec<usize>, Vec<usize>)> = by_group
        .into_par_iter()
        .map(|(g, idx)| {
            let ms: Vec<M> = idx.iter().map(|&i| mentions[i].clone()).collect();
            let local = cluster(&ms);
            (g, idx, local)
        })
        .collect();
    let mut out = vec![String::new(); mentions.len()];
    for (g, idx, local) in parts {
        for (k, &i) in idx.iter().enumerate() {
            out[i] = format!("{g}/{}", local[k]);
        }
    }
    out
}

/// Clusters with the same key inside a group are one: the baselines.
fn same_key(keys: &[String]) -> Vec<usize> {
    let mut first: HashMap<&str, usize> = HashMap::new();
    keys.iter()
        .enumerate()
        .map(|(i, k)| *first.entry(k.as_str()).or_insert(i))
        .collect()
}

/// The same-lemma baseline: event mentions with one head lemma corefer.
pub fn same_lemma(ms: &[EventMention]) -> Vec<usize> {
    same_key(&ms.iter().map(|m| m.lemma.clone()).collect::<Vec<_>>())
}

/// The same-string baseline: entity mentions with one lower-cased text corefer.
pub fn same_string(ms: &[EntityMention]) -> Vec<usize> {
    same_key(&ms.iter().map(|m| m.text.to_lowercase()).collect::<Vec<_>>())
}

/// CoNLL scores of predicted labels against gold chains (one document).
pub fn score(gold: &[String], predicted: &[String]) -> CorefScores {
    let key = labels_to_chains(&gold.iter().map(Some).collect::<Vec<_>>());
    let response = labels_to_chains(&predicted.iter().map(Some).collect::<Vec<_>>());
    conll(&key, &response)
}

/// Event labels with a given model (training and tuning).
pub fn event_labels(
    corpus: &CorefCorpus,
    groups: &BTreeMap<String, String>,
    model: &PairModel,
    threshold: f32,
) -> Vec<String> {
    cluster_in_groups(
        &corpus.events,
        |m| &m.doc_id,
        groups,
        |ms| cluster_events_with(model, threshold, ms),
    )
}

/// Entity labels with a given model (training and tuning).
pub fn entity_labels(
    corpus: &CorefCorpus,
    groups: &BTreeMap<String, String>,
    model: &PairModel,
    threshold: f32,
) -> Vec<String> {
    cluster_in_groups(
        &corpus.entities,
        |m| &m.doc_id,
        groups,
        |ms| cluster_entities_with(model, threshold, ms),
    )
}

/// Scores `kind` on `split` of the ECB+ folder `data`. With `dump`, writes the
/// CoNLL KEY and RESPONSE files (`coref-<kind>-<split>.key`/`.response`) there
/// for the reference scorer.
pub fn evaluate(
    data: &Path,
    split: &str,
    kind: Kind,
    dump: Option<&Path>,
) -> Result<CorefReport, EvalError> {
    let model = CorefModel::embedded().map_err(|e| EvalError::Models(e.to_string()))?;
    evaluate_with(data, split, kind, dump, model)
}

/// [`evaluate`] with a given model (training reports its dev score with it).
pub fn evaluate_with(
    data: &Path,
    split: &str,
    kind: Kind,
    dump: Option<&Path>,
    model: &CorefModel,
) -> Result<CorefReport, EvalError> {
    let corpus = load(data, split)?;
    let grouping = grouping_from_env();
    let groups = groups_for(data, &corpus, grouping)?;
    let (gold, predicted, baseline) = match kind {
        Kind::Events => (
            &corpus.event_chains,
            event_labels(&corpus, &groups, &model.events, model.events.threshold),
            cluster_in_groups(&corpus.events, |m| &m.doc_id, &groups, same_lemma),
        ),
        Kind::Entities => (
            &corpus.entity_chains,
            entity_labels(&corpus, &groups, &model.entities, model.entities.threshold),
            cluster_in_groups(&corpus.entities, |m| &m.doc_id, &groups, same_string),
        ),
    };
    if gold.is_empty() {
        return Err(EvalError::NothingToScore {
            path: data.to_path_buf(),
            reason: format!("no {kind:?} gold mentions in split {split}"),
        });
    }
    let s = score(gold, &predicted);
    let base = score(gold, &baseline);
    if let Some(dir) = dump {
        let stem = format!(
            "coref-{}-{split}",
            if kind == Kind::Events {
                "events"
            } else {
                "entities"
            }
        );
        let write = |ext: &str, labels: &[String]| {
            let path = dir.join(format!("{stem}.{ext}"));
            let text = write_conll_coref(&stem, &labels.iter().map(Some).collect::<Vec<_>>());
            std::fs::write(&path, text).map_err(|err| EvalError::Io { path, err })
        };
        std::fs::create_dir_all(dir).map_err(|err| EvalError::Io {
            path: dir.to_path_buf(),
            err,
        })?;
        write("key", gold)?;
        write("response", &predicted)?;
    }
    let distinct = |v: &[String]| v.iter().collect::<BTreeSet<_>>().len();
    Ok(CorefReport {
        split: split.to_string(),
        kind,
        grouping,
        documents: corpus.topics.len(),
        groups: distinct(
            &corpus
                .topics
                .keys()
                .filter_map(|d| groups.get(d).cloned())
                .collect::<Vec<_>>(),
        ),
        mentions: gold.len(),
        gold_chains: distinct(gold),
        predicted_clusters: distinct(&predicted),
        muc_f1: s.muc.f1(),
        b3_f1: s.b3.f1(),
        ceafe_f1: s.ceafe.f1(),
        conll_f1: s.conll_f1,
        baseline_conll_f1: base.conll_f1,
        baseline_muc_f1: base.muc.f1(),
        baseline_b3_f1: base.b3.f1(),
        baseline_ceafe_f1: base.ceafe.f1(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(doc: &str, lemma: &str) -> EventMention {
        EventMention {
            doc_id: doc.into(),
            sentence: 0,
            start: 0,
            end: 1,
            trigger: lemma.into(),
            lemma: lemma.into(),
            lemmas: vec![lemma.into()],
            pos: Some("VERB".into()),
            sentence_lemmas: vec![],
            args: vec![],
            date: None,
            place: None,
            family: None,
            source: None,
            target: None,
            doc_keys: vec![],
        }
    }

    #[test]
    fn baselines_cluster_only_inside_a_group() {
        let ms = vec![
            ev("a", "quake"),
            ev("b", "quake"),
            ev("c", "quake"),
            ev("a", "hit"),
        ];
        let groups: BTreeMap<String, String> = [("a", "1"), ("b", "1"), ("c", "2")]
            .iter()
            .map(|(d, g)| (d.to_string(), g.to_string()))
            .collect();
        let labels = cluster_in_groups(&ms, |m| &m.doc_id, &groups, same_lemma);
        assert_eq!(labels[0], labels[1]);
        assert_ne!(labels[0], labels[2]);
        assert_ne!(labels[0], labels[3]);
        let gold: Vec<String> = ["x", "x", "y", "z"].iter().map(|s| s.to_string()).collect();
        assert!((score(&gold, &labels).conll_f1 - 1.0).abs() < 1e-9);
    }

    #[test]
    fn split_names_match_the_gold_files() {
        assert_eq!(split_name("dev"), "Dev");
        assert_eq!(split_name("train"), "Train");
    }
}
