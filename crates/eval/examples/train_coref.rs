//! Trains the cross-document coreference model (`models/coref.v2.bin`) on the
//! ECB+ train topics: pairwise logistic regression on every mention pair inside a
//! topic (each topic's rows reading the head-pair table pooled over the other
//! training topics), the average-link threshold chosen by 5-fold cross-validation over the
//! train topics (CoNLL F1), then one fit on all train topics. Dev is scored once
//! at the end, with every choice already made (a check printed, never a tuner).
//! Deterministic: the same bytes on every run.
//!
//! `cargo run --release -p chronicle-eval --example train_coref -- ../shared/data/ecbplus models/coref.v2.bin`

use chronicle_eval::coref::{
    cluster_in_groups, entity_labels, evaluate_with, event_labels, grouping_from_env, groups_for,
    load, same_lemma, same_string, score, CorefCorpus, Kind,
};
use chronicle_link::coref::entities::{self, EntityKey};
use chronicle_link::coref::events::{self, EventKey};
use chronicle_link::coref::{CorefModel, LemmaPairs, PairModel};
use std::collections::BTreeMap;
use std::path::PathBuf;

const FOLDS: u32 = 5;
const L2: f64 = 1.0;

/// The L2 penalty (CHRONICLE_COREF_L2 overrides it for experiments).
fn l2() -> f64 {
    std::env::var("CHRONICLE_COREF_L2")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(L2)
}
const THRESHOLDS: [f32; 13] = [
    0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8,
];

/// Pair rows of every pair inside one topic, for the topics `keep` accepts;
/// `feats` gives the rows of one topic's mentions (pairs a < b in order).
fn rows<M>(
    ms: &[M],
    chains: &[String],
    topic: impl Fn(&M) -> (u32, String),
    keep: impl Fn(u32) -> bool,
    feats: impl Fn(&[&M]) -> Vec<Vec<f32>>,
) -> (Vec<Vec<f32>>, Vec<bool>) {
    let mut by_topic: BTreeMap<(u32, String), Vec<usize>> = BTreeMap::new();
    for (i, m) in ms.iter().enumerate() {
        let (t, group) = topic(m);
        if keep(t) {
            by_topic.entry((t, group)).or_default().push(i);
        }
    }
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for idx in by_topic.values() {
        let group: Vec<&M> = idx.iter().map(|&i| &ms[i]).collect();
        x.extend(feats(&group));
        for a in 0..idx.len() {
            for b in a + 1..idx.len() {
                y.push(chains[idx[a]] == chains[idx[b]]);
            }
        }
    }
    (x, y)
}

fn all_pairs<K>(keys: &[K], f: impl Fn(&K, &K) -> Vec<f32>) -> Vec<Vec<f32>> {
    let mut out = Vec::new();
    for a in 0..keys.len() {
        for b in a + 1..keys.len() {
            out.push(f(&keys[a], &keys[b]));
        }
    }
    out
}

/// Pairs are drawn inside a topic, or inside a story with CHRONICLE_COREF_PAIRS=story.
fn pair_group(groups: &BTreeMap<String, String>, doc: &str) -> String {
    if std::env::var("CHRONICLE_COREF_PAIRS").as_deref() == Ok("story") {
        groups.get(doc).cloned().unwrap_or_default()
    } else {
        String::new()
    }
}

/// Head pair counts of each topic's mention pairs; `head` is the key of a
/// mention (an event's head lemma, an entity's head word).
fn topic_pairs<M>(
    c: &CorefCorpus,
    ms: &[M],
    chains: &[String],
    doc: impl Fn(&M) -> &str,
    head: impl Fn(&M) -> String,
) -> BTreeMap<u32, LemmaPairs> {
    let mut by_topic: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (i, m) in ms.iter().enumerate() {
        by_topic
            .entry(c.topics.get(doc(m)).copied().unwrap_or(0))
            .or_default()
            .push(i);
    }
    by_topic
        .into_iter()
        .map(|(t, idx)| {
            let heads: Vec<String> = idx.iter().map(|&i| head(&ms[i])).collect();
            let mut table = LemmaPairs::default();
            for (k, &a) in idx.iter().enumerate() {
                for (j, &b) in idx.iter().enumerate().skip(k + 1) {
                    table.add(&heads[k], &heads[j], chains[a] == chains[b]);
                }
            }
            (t, table)
        })
        .collect()
}

/// The pooled table of the topics `keep` accepts.
fn pool(per_topic: &BTreeMap<u32, LemmaPairs>, keep: impl Fn(u32) -> bool) -> LemmaPairs {
    let mut pool = LemmaPairs::default();
    for (_, p) in per_topic.iter().filter(|(&t, _)| keep(t)) {
        pool.absorb(p);
    }
    pool
}

/// The event model of the topics `keep` accepts. Its head-pair table pools
/// their counts; each topic's training rows read the pool less that topic's own
/// pairs, so the weight learned for the affinity is the one unseen topics earn.
fn train_events(
    c: &CorefCorpus,
    groups: &BTreeMap<String, String>,
    per_topic: &BTreeMap<u32, LemmaPairs>,
    keep: impl Fn(u32) -> bool,
) -> PairModel {
    let pool = pool(per_topic, &keep);
    let topic_of = |m: &events::EventMention| c.topics.get(&m.doc_id).copied().unwrap_or(0);
    let t = |m: &events::EventMention| (topic_of(m), pair_group(groups, &m.doc_id));
    let (x, y) = rows(&c.events, &c.event_chains, t, &keep, |g| {
        let own = g.first().and_then(|m| per_topic.get(&topic_of(m)));
        let table = own.map_or_else(|| pool.clone(), |o| pool.without(o));
        let keys: Vec<EventKey> = g.iter().map(|m| EventKey::new(m)).collect();
        all_pairs(&keys, |a, b| events::features(a, b, &table).to_vec())
    });
    let mut model = PairModel::train(&x, &y, l2(), 25);
    model.lemma_pairs = pool;
    model
}

fn train_entities(
    c: &CorefCorpus,
    groups: &BTreeMap<String, String>,
    per_topic: &BTreeMap<u32, LemmaPairs>,
    keep: impl Fn(u32) -> bool,
) -> PairModel {
    let pool = pool(per_topic, &keep);
    let topic_of = |m: &entities::EntityMention| c.topics.get(&m.doc_id).copied().unwrap_or(0);
    let t = |m: &entities::EntityMention| (topic_of(m), pair_group(groups, &m.doc_id));
    let (x, y) = rows(&c.entities, &c.entity_chains, t, &keep, |g| {
        let own = g.first().and_then(|m| per_topic.get(&topic_of(m)));
        let table = own.map_or_else(|| pool.clone(), |o| pool.without(o));
        let keys: Vec<EntityKey> = g.iter().map(|m| EntityKey::new(m)).collect();
        all_pairs(&keys, |a, b| entities::features(a, b, &table).to_vec())
    });
    let mut model = PairModel::train(&x, &y, l2(), 25);
    model.lemma_pairs = pool;
    model
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let data = PathBuf::from(args.first().ok_or("usage: train_coref ECBPLUS_DIR [OUT]")?);
    let out = PathBuf::from(args.get(1).map_or("models/coref.v2.bin", String::as_str));
    let corpus = load(&data, "train")?;
    let mut topics: Vec<u32> = corpus.topics.values().copied().collect();
    topics.sort();
    topics.dedup();
    let fold_of = |t: u32| topics.iter().position(|&x| x == t).unwrap_or(0) as u32 % FOLDS;
    eprintln!(
        "train: {} documents, {} topics, {} event and {} entity mentions",
        corpus.topics.len(),
        topics.len(),
        corpus.events.len(),
        corpus.entities.len()
    );
    // Thresholds are tuned inside the groups the benchmark clusters in: our stories
    // (CHRONICLE_COREF_GROUPING=gold-topic|gold-subtopic to compare).
    let grouping = grouping_from_env();
    let groups = groups_for(&data, &corpus, grouping)?;
    eprintln!("grouping: {grouping:?}");
    let b = score(
        &corpus.event_chains,
        &cluster_in_groups(&corpus.events, |m| &m.doc_id, &groups, same_lemma),
    );
    eprintln!("baseline events same-lemma (train, {grouping:?}): conll {:.4} muc {:.4} b3 {:.4} ceafe {:.4}", b.conll_f1, b.muc.f1(), b.b3.f1(), b.ceafe.f1());
    let b = score(
        &corpus.entity_chains,
        &cluster_in_groups(&corpus.entities, |m| &m.doc_id, &groups, same_string),
    );
    eprintln!("baseline entities same-string (train, {grouping:?}): conll {:.4} muc {:.4} b3 {:.4} ceafe {:.4}", b.conll_f1, b.muc.f1(), b.b3.f1(), b.ceafe.f1());

    let ev_pairs = topic_pairs(
        &corpus,
        &corpus.events,
        &corpus.event_chains,
        |m| &m.doc_id,
        |m| m.lemma.to_lowercase(),
    );
    let en_pairs = topic_pairs(
        &corpus,
        &corpus.entities,
        &corpus.entity_chains,
        |m| &m.doc_id,
        entities::head_word,
    );
    // Cross-validation: predictions of every held-out fold pooled, one score per
    // threshold.
    let mut en_pred: Vec<Vec<(String, String)>> = vec![Vec::new(); THRESHOLDS.len()];
    for f in 0..FOLDS {
        let en = train_entities(&corpus, &groups, &en_pairs, |t| fold_of(t) != f);
        let (held, _, _) = corpus.subset(|t| fold_of(t) == f);
        for (k, &th) in THRESHOLDS.iter().enumerate() {
            let p = entity_labels(&held, &groups, &en, th);
            en_pred[k].extend(held.entity_chains.iter().cloned().zip(p));
        }
        eprintln!("entity fold {f} done");
    }
    let best = |name: &str, preds: &[Vec<(String, String)>]| -> (usize, f32) {
        let mut best = (f64::MIN, 0);
        for (k, &th) in THRESHOLDS.iter().enumerate() {
            let (g, p): (Vec<String>, Vec<String>) = preds[k].iter().cloned().unzip();
            let s = score(&g, &p);
            eprintln!(
                "cv {name} threshold {th:.2}: conll {:.4} muc {:.4} b3 {:.4} ceafe {:.4}",
                s.conll_f1,
                s.muc.f1(),
                s.b3.f1(),
                s.ceafe.f1()
            );
            if s.conll_f1 > best.0 {
                best = (s.conll_f1, k);
            }
        }
        eprintln!(
            "cv {name}: best threshold {:.2} (conll {:.4})",
            THRESHOLDS[best.1], best.0
        );
        (best.1, THRESHOLDS[best.1])
    };
    let (_, en_th) = best("entities", &en_pred);
    let mut ev_pred: Vec<Vec<(String, String)>> = vec![Vec::new(); THRESHOLDS.len()];
    for f in 0..FOLDS {
        let ev = train_events(&corpus, &groups, &ev_pairs, |t| fold_of(t) != f);
        let (held, _, _) = corpus.subset(|t| fold_of(t) == f);
        for (k, &th) in THRESHOLDS.iter().enumerate() {
            let p = event_labels(&held, &groups, &ev, th);
            ev_pred[k].extend(held.event_chains.iter().cloned().zip(p));
        }
        eprintln!("event fold {f} done");
    }
    let (_, ev_th) = best("events", &ev_pred);

    let mut model = CorefModel {
        events: train_events(&corpus, &groups, &ev_pairs, |_| true),
        entities: train_entities(&corpus, &groups, &en_pairs, |_| true),
    };
    model.events.threshold = ev_th;
    model.entities.threshold = en_th;
    eprintln!(
        "event weights: bias {:.3} {:?}",
        model.events.bias, model.events.weights
    );
    eprintln!(
        "entity weights: bias {:.3} {:?}",
        model.entities.bias, model.entities.weights
    );
    // Dev is scored only after every choice above is made: a check, never a tuner.
    for kind in [Kind::Events, Kind::Entities] {
        let r = evaluate_with(&data, "dev", kind, None, &model)?;
        eprintln!(
            "dev check {kind:?}: conll {:.4} muc {:.4} b3 {:.4} ceafe {:.4} (baseline {:.4})",
            r.conll_f1, r.muc_f1, r.b3_f1, r.ceafe_f1, r.baseline_conll_f1
        );
    }
    let bytes = model.to_bytes();
    std::fs::write(&out, &bytes)?;
    eprintln!("wrote {} ({} bytes)", out.display(), bytes.len());
    Ok(())
}
