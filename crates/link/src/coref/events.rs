//! Event mentions across documents: the pairwise features, batch clustering (the
//! benchmark) and incremental attachment to merged events (the engine), both with
//! the one learned score.

use super::features::{
    agree, b, common_prefix, is_content_pos, jaccard, overlap, trigram_dice, KeyCache,
};
use super::model::{CorefModel, PairModel};
use super::pairs::LemmaPairs;
use chronicle_core::Document;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// Any event mention: an ECB+ gold trigger or a CAMEO event of a `Document`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventMention {
    pub doc_id: String,
    /// Sentence index in its document (same-sentence and distance features).
    pub sentence: usize,
    /// Byte span of the trigger (token indices for sources without text).
    pub start: usize,
    pub end: usize,
    pub trigger: String,
    /// Lemma of the trigger's head word, lower case.
    pub lemma: String,
    /// Lemmas of every trigger word.
    #[serde(default)]
    pub lemmas: Vec<String>,
    /// UPOS of the head word (`VERB`, `NOUN`, …).
    #[serde(default)]
    pub pos: Option<String>,
    /// Content lemmas of the sentence (lower case, deduplicated).
    pub sentence_lemmas: Vec<String>,
    /// Participant names in the sentence (entities, event source and target).
    pub args: Vec<String>,
    pub date: Option<String>,
    pub place: Option<String>,
    /// Event type family (CAMEO root, PLOVER type) when coded.
    pub family: Option<String>,
    pub source: Option<String>,
    pub target: Option<String>,
    /// Names and numbers of the whole document (lower case, at most
    /// [`DOC_KEYS`]): which real event the document tells of.
    #[serde(default)]
    pub doc_keys: Vec<String>,
}

/// How many document keys a mention carries.
pub const DOC_KEYS: usize = 40;

/// The document keys of a document's tokens `(lemma, upos)`: proper nouns and
/// numbers, most frequent first (ties alphabetical), at most [`DOC_KEYS`].
pub fn doc_keys<'t>(tokens: impl Iterator<Item = (&'t str, &'t str)>) -> Vec<String> {
    let mut counts: BTreeMap<String, u32> = BTreeMap::new();
    for (lemma, upos) in tokens {
        if (upos == "PROPN" || upos == "NUM") && lemma.chars().any(char::is_alphanumeric) {
            *counts.entry(lemma.to_lowercase()).or_default() += 1;
        }
    }
    let mut v: Vec<(String, u32)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.into_iter().take(DOC_KEYS).map(|(k, _)| k).collect()
}

/// A crude suffix stem: "shooting"/"shooter"/"shot" stay apart, but
/// "killing"/"kill" and "arrests"/"arrest" meet.
fn stem(w: &str) -> &str {
    for suf in [
        "ings", "ing", "ation", "ions", "ion", "ments", "ment", "ers", "er", "ed", "es", "s",
    ] {
        if let Some(s) = w.strip_suffix(suf) {
            if s.len() >= 3 {
                return s;
            }
        }
    }
    w
}

/// Width of the event feature vector.
pub const N_FEATURES: usize = 34;

/// Verbs too general to identify an event by their lemma alone.
const LIGHT: &[&str] = &[
    "be", "have", "do", "say", "make", "take", "go", "get", "come", "give", "tell", "report",
    "state", "add", "use",
];

/// What the features read of a mention, computed once.
pub struct EventKey<'a> {
    m: &'a EventMention,
    s: Cow<'a, EventSets>,
}

/// The owned part of an [`EventKey`]: lower-cased word sets, kept by a profile
/// for its samples.
#[derive(Debug, Clone)]
pub struct EventSets {
    lemmas: BTreeSet<String>,
    ctx: BTreeSet<String>,
    args: BTreeSet<String>,
    trigger: String,
    doc: BTreeSet<String>,
}

impl EventSets {
    pub fn of(m: &EventMention) -> Self {
        let lemmas = m.lemmas.iter().map(|l| l.to_lowercase()).collect();
        let own: BTreeSet<String> = m.lemmas.iter().map(|l| l.to_lowercase()).collect();
        let ctx = m
            .sentence_lemmas
            .iter()
            .map(|l| l.to_lowercase())
            .filter(|l| !own.contains(l))
            .collect();
        let args = m
            .args
            .iter()
            .flat_map(|a| super::names::words(a))
            .filter(|w| w.len() > 2 && !super::names::PRONOUNS.contains(&w.as_str()))
            .collect();
        EventSets {
            lemmas,
            ctx,
            args,
            trigger: m.trigger.to_lowercase(),
            doc: m.doc_keys.iter().cloned().collect(),
        }
    }
}

impl<'a> EventKey<'a> {
    pub fn new(m: &'a EventMention) -> Self {
        EventKey {
            m,
            s: Cow::Owned(EventSets::of(m)),
        }
    }

    /// A key over sets built earlier from `m` (see [`EventSets::of`]).
    pub fn with_sets(m: &'a EventMention, s: &'a EventSets) -> Self {
        EventKey {
            m,
            s: Cow::Borrowed(s),
        }
    }
}

fn pos_class(p: Option<&str>) -> u8 {
    match p {
        Some("VERB") | Some("AUX") => 1,
        Some("NOUN") | Some("PROPN") => 2,
        _ => 0,
    }
}

/// The pairwise features of two event mentions; `pairs` is the learned
/// head-lemma affinity table.
pub fn features(a: &EventKey, bk: &EventKey, pairs: &LemmaPairs) -> [f32; N_FEATURES] {
    let (ma, mb) = (a.m, bk.m);
    let same_head = !ma.lemma.is_empty() && ma.lemma.eq_ignore_ascii_case(&mb.lemma);
    let same_doc = ma.doc_id == mb.doc_id;
    let same_sent = same_doc && ma.sentence == mb.sentence;
    let (pa, pb) = (pos_class(ma.pos.as_deref()), pos_class(mb.pos.as_deref()));
    let ctx = jaccard(&a.s.ctx, &bk.s.ctx);
    let args_j = jaccard(&a.s.args, &bk.s.args);
    let shared_args = overlap(&a.s.args, &bk.s.args);
    let la = ma.lemma.to_lowercase();
    let lb = mb.lemma.to_lowercase();
    let dice = if same_head {
        1.0
    } else {
        trigram_dice(&la, &lb)
    };
    let prefix = !same_head && common_prefix(&la, &lb) >= 4;
    let date = agree(ma.date.as_deref(), mb.date.as_deref());
    let place = agree(ma.place.as_deref(), mb.place.as_deref());
    let family = agree(ma.family.as_deref(), mb.family.as_deref());
    let actors = f32::from(agree(ma.source.as_deref(), mb.source.as_deref()))
        + f32::from(agree(ma.target.as_deref(), mb.target.as_deref()));
    let head_in_other = (b(bk.s.ctx.contains(&la) || bk.s.lemmas.contains(&la))
        + b(a.s.ctx.contains(&lb) || a.s.lemmas.contains(&lb)))
        / 2.0;
    let lemma_j = jaccard(&a.s.lemmas, &bk.s.lemmas);
    let doc = if same_doc {
        1.0
    } else {
        jaccard(&a.s.doc, &bk.s.doc)
    };
    let affinity = pairs.affinity(&la, &lb);
    let distance = if same_doc {
        (ma.sentence.abs_diff(mb.sentence).min(10)) as f32 / 10.0
    } else {
        0.0
    };
    [
        b(same_head),
        b(!a.s.trigger.is_empty() && a.s.trigger == bk.s.trigger),
        lemma_j,
        dice,
        b(prefix),
        b(pa == 1 && pb == 1),
        b(pa == 2 && pb == 2),
        b(pa * pb == 2),
        b(same_doc),
        b(same_sent),
        b(same_doc && same_head),
        ctx,
        args_j,
        b(shared_args > 0),
        b(!a.s.args.is_empty() && !bk.s.args.is_empty() && shared_args == 0),
        b(date == 1),
        b(date == -1),
        b(place == 1),
        b(place == -1),
        b(family == 1),
        b(family == -1),
        actors / 2.0,
        b(same_head) * ctx,
        b(same_head) * args_j,
        b(same_head && LIGHT.contains(&la.as_str())),
        distance,
        head_in_other,
        b(!same_head && stem(&la) == stem(&lb)),
        doc,
        b(same_head) * doc,
        b(same_head && !same_doc) * ctx,
        b(same_head) * affinity.unwrap_or(0.0),
        b(!same_head) * affinity.unwrap_or(0.0),
        b(affinity.is_some()),
    ]
}

/// Coreference probability of two event mentions under `model`.
pub fn pair_prob(model: &PairModel, a: &EventKey, bk: &EventKey) -> f32 {
    model.prob(&features(a, bk, &model.lemma_pairs))
}

/// Clusters the mentions of one story with the embedded model: one cluster id per
/// mention (the index of its cluster's first mention). Without a loadable model
/// every mention stays alone.
pub fn cluster_events(mentions: &[EventMention]) -> Vec<usize> {
    match CorefModel::embedded() {
        Ok(m) => cluster_events_with(&m.events, m.events.threshold, mentions),
        Err(_) => (0..mentions.len()).collect(),
    }
}

/// [`cluster_events`] with a given model and threshold (training, tuning).
pub fn cluster_events_with(
    model: &PairModel,
    threshold: f32,
    mentions: &[EventMention],
) -> Vec<usize> {
    let keys: Vec<EventKey> = mentions.iter().map(EventKey::new).collect();
    super::cluster::average_link(mentions.len(), threshold, |i, j| {
        pair_prob(model, &keys[i], &keys[j])
    })
}

/// How many mentions a merged event keeps to score newcomers against.
pub const PROFILE_SAMPLES: usize = 8;
const PROFILE_COUNTS: usize = 12;

/// A merged event as the store keeps it: bounded samples and tallies.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MergedEventProfile {
    /// The first mentions (at most [`PROFILE_SAMPLES`]), trimmed.
    pub samples: Vec<EventMention>,
    pub num_mentions: u32,
    pub lemmas: BTreeMap<String, u32>,
    pub dates: BTreeMap<String, u32>,
    pub places: BTreeMap<String, u32>,
    pub families: BTreeMap<String, u32>,
    /// The samples' keys, built on first score and cleared by `absorb`.
    #[serde(skip)]
    keys: KeyCache<EventSets>,
}

fn bump(map: &mut BTreeMap<String, u32>, key: Option<&str>) {
    let Some(k) = key.filter(|k| !k.is_empty()) else {
        return;
    };
    if let Some(v) = map.get_mut(k) {
        *v += 1;
    } else if map.len() < PROFILE_COUNTS {
        map.insert(k.to_string(), 1);
    }
}

fn trimmed(m: &EventMention) -> EventMention {
    let mut t = m.clone();
    t.sentence_lemmas.truncate(48);
    t.args.truncate(16);
    t.lemmas.truncate(6);
    t.doc_keys.truncate(DOC_KEYS);
    t
}

impl MergedEventProfile {
    pub fn start(m: &EventMention) -> Self {
        let mut p = MergedEventProfile::default();
        p.absorb(m);
        p
    }

    pub fn absorb(&mut self, m: &EventMention) {
        self.num_mentions += 1;
        if self.samples.len() < PROFILE_SAMPLES {
            self.samples.push(trimmed(m));
            self.keys.clear();
        }
        bump(&mut self.lemmas, Some(&m.lemma));
        bump(&mut self.dates, m.date.as_deref());
        bump(&mut self.places, m.place.as_deref());
        bump(&mut self.families, m.family.as_deref());
    }

    /// Drops the samples' cached keys (rebuilt on the next score): a profile
    /// waiting in a link step need not hold them.
    pub fn forget_keys(&mut self) {
        self.keys.clear();
    }

    /// The most frequent value of a tally (ties: smallest), e.g. the consensus date.
    pub fn consensus(map: &BTreeMap<String, u32>) -> Option<&str> {
        map.iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(k, _)| k.as_str())
    }

    /// Mean pairwise probability of `m` against the kept mentions (average link).
    pub fn score(&self, model: &PairModel, m: &EventMention) -> f32 {
        self.score_key(model, &EventKey::new(m))
    }

    /// [`Self::score`] with the key of the scored mention built by the caller
    /// (once for all the candidates it is scored against).
    pub fn score_key(&self, model: &PairModel, k: &EventKey) -> f32 {
        if self.samples.is_empty() {
            return 0.0;
        }
        let n = self.samples.len();
        let build = || self.samples.iter().map(EventSets::of).collect();
        let sum: f32 = self.keys.with(n, build, |sets| {
            self.samples
                .iter()
                .zip(sets)
                .map(|(s, sets)| pair_prob(model, &EventKey::with_sets(s, sets), k))
                .sum()
        });
        sum / n as f32
    }
}

/// The merged event of `candidates` (id, profile) that `m` joins, if any: the best
/// mean score at or above the model's threshold, ties to the smallest id.
pub fn attach_event(
    m: &EventMention,
    candidates: &[(String, MergedEventProfile)],
) -> Option<String> {
    let model = &CorefModel::embedded().ok()?.events;
    let k = EventKey::new(m);
    let mut best: Option<(f32, &str)> = None;
    for (id, p) in candidates {
        let s = p.score_key(model, &k);
        let better = match best {
            None => true,
            Some((bs, bid)) => s > bs || (s == bs && id.as_str() < bid),
        };
        if s >= model.threshold && better {
            best = Some((s, id));
        }
    }
    best.map(|(_, id)| id.to_string())
}

/// Event mentions of a document: its CAMEO events, each with the trigger's lemma,
/// its sentence's content lemmas and participants.
pub fn event_mentions(doc: &Document) -> Vec<EventMention> {
    let mut out = Vec::with_capacity(doc.events.len());
    let keys = doc_keys(
        doc.tokens
            .iter()
            .filter_map(|t| Some((t.lemma.as_deref().unwrap_or(&t.text), t.upos.as_deref()?))),
    );
    for e in &doc.events {
        let (ts, te) = e.verb.map_or((e.start, e.end), |v| (v.start, v.end));
        let sentence = doc
            .sentences
            .iter()
            .position(|s| s.start <= ts && ts < s.end.max(s.start + 1))
            .unwrap_or(0);
        let toks = doc
            .sentences
            .get(sentence)
            .and_then(|s| doc.tokens.get(s.token_start..s.token_end))
            .unwrap_or(&[]);
        let lemma_of = |t: &chronicle_core::Token| {
            t.lemma
                .clone()
                .unwrap_or_else(|| t.text.clone())
                .to_lowercase()
        };
        let trig: Vec<&chronicle_core::Token> = toks
            .iter()
            .filter(|t| t.start >= ts && t.end <= te)
            .collect();
        let head = trig
            .iter()
            .find(|t| t.upos.as_deref() == Some("VERB"))
            .or(trig.last());
        let mut sentence_lemmas: Vec<String> = toks
            .iter()
            .filter(|t| t.upos.as_deref().is_some_and(is_content_pos))
            .map(lemma_of)
            .collect();
        sentence_lemmas.sort();
        sentence_lemmas.dedup();
        let (ss, se) = doc
            .sentences
            .get(sentence)
            .map_or((e.start, e.end), |s| (s.start, s.end));
        let mut args: Vec<String> = doc
            .entities
            .iter()
            .filter(|en| en.start >= ss && en.end <= se)
            .map(|en| en.text.clone())
            .collect();
        for a in [&e.source, &e.target].into_iter().flatten() {
            args.push(a.actor.clone().unwrap_or_else(|| a.text.clone()));
        }
        args.sort();
        args.dedup();
        out.push(EventMention {
            doc_keys: keys.clone(),
            doc_id: doc.id.clone(),
            sentence,
            start: ts,
            end: te,
            trigger: doc.text.get(ts..te).unwrap_or(&e.text).to_string(),
            lemma: head.map(|t| lemma_of(t)).unwrap_or_default(),
            lemmas: trig.iter().map(|t| lemma_of(t)).collect(),
            pos: head.and_then(|t| t.upos.clone()),
            sentence_lemmas,
            args,
            date: e.date.clone(),
            place: e.location.clone(),
            family: e.cameo.get(..2).map(str::to_string),
            source: e.source_actor.clone(),
            target: e.target_actor.clone(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn mention(
        doc: &str,
        lemma: &str,
        args: &[&str],
        date: Option<&str>,
    ) -> EventMention {
        EventMention {
            doc_id: doc.into(),
            sentence: 0,
            start: 0,
            end: lemma.len(),
            trigger: lemma.into(),
            lemma: lemma.into(),
            lemmas: vec![lemma.into()],
            pos: Some("VERB".into()),
            sentence_lemmas: if lemma == "bomb" {
                vec![lemma.into(), "hospital".into(), "aleppo".into()]
            } else {
                vec![lemma.into(), "talk".into(), "ceasefire".into()]
            },
            args: args.iter().map(|s| s.to_string()).collect(),
            date: date.map(str::to_string),
            place: None,
            family: None,
            source: None,
            target: None,
            // Reports of one story share some names, not all.
            doc_keys: vec!["syria".into(), "russia".into(), format!("{doc}-only")],
        }
    }

    #[test]
    fn same_event_across_documents_clusters() {
        let ms = vec![
            mention(
                "a",
                "suspend",
                &["United States", "Russia"],
                Some("2016-10-03"),
            ),
            mention(
                "b",
                "suspend",
                &["United States", "Russia"],
                Some("2016-10-03"),
            ),
            mention("c", "bomb", &["Aleppo"], Some("2016-10-01")),
        ];
        let c = cluster_events(&ms);
        assert_eq!(c[0], c[1]);
        assert_ne!(c[0], c[2]);
    }

    #[test]
    fn attach_uses_the_same_score() {
        let a = mention(
            "a",
            "suspend",
            &["United States", "Russia"],
            Some("2016-10-03"),
        );
        let p = MergedEventProfile::start(&a);
        let b = mention(
            "b",
            "suspend",
            &["United States", "Russia"],
            Some("2016-10-03"),
        );
        let c = mention("c", "bomb", &["Aleppo"], Some("2016-10-01"));
        let cands = vec![("m1".to_string(), p)];
        assert_eq!(attach_event(&b, &cands).as_deref(), Some("m1"));
        assert_eq!(attach_event(&c, &cands), None);
    }

    #[test]
    fn profiles_stay_bounded() {
        let mut p = MergedEventProfile::start(&mention("a", "x", &[], None));
        for i in 0..100 {
            p.absorb(&mention(
                &format!("d{i}"),
                &format!("l{i}"),
                &[],
                Some(&format!("2016-10-{i}")),
            ));
        }
        assert_eq!(p.num_mentions, 101);
        assert!(p.samples.len() <= PROFILE_SAMPLES);
        assert!(p.lemmas.len() <= PROFILE_COUNTS && p.dates.len() <= PROFILE_COUNTS);
    }

    /// The cached sample keys give the score a fresh build gives: after
    /// scoring, after absorbing and after a reload.
    #[test]
    fn cached_keys_score_as_fresh_ones() {
        let model = &CorefModel::embedded().unwrap().events;
        let fresh = |p: &MergedEventProfile, m: &EventMention| {
            let k = EventKey::new(m);
            let sum: f32 = p
                .samples
                .iter()
                .map(|s| pair_prob(model, &EventKey::new(s), &k))
                .sum();
            sum / p.samples.len() as f32
        };
        let m = mention("d9", "bomb", &["Aleppo hospital"], Some("2016-10-03"));
        let mut p = MergedEventProfile::start(&mention("d1", "bomb", &["hospital"], None));
        assert_eq!(p.score(model, &m), fresh(&p, &m));
        assert_eq!(p.score(model, &m), fresh(&p, &m));
        p.absorb(&mention("d2", "strike", &["Aleppo"], Some("2016-10-03")));
        assert_eq!(p.score(model, &m), fresh(&p, &m));
        let json = serde_json::to_string(&p).unwrap();
        let back: MergedEventProfile = serde_json::from_str(&json).unwrap();
        assert_eq!(back, p);
        assert_eq!(back.score(model, &m), fresh(&p, &m));
    }
}
