//! Entity mentions across documents: one entity per person, organization, place
//! or time, whatever the spelling (Sergei/Sergey), a surname alone, or a role
//! ("the Russian foreign minister") held in the story.

use super::features::{b, is_content_pos, jaccard, overlap, trigram_dice_of, trigrams, KeyCache};
use super::model::{CorefModel, PairModel};
use super::names;
use super::pairs::LemmaPairs;
use chronicle_core::Document;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeSet;

/// Any entity mention: an ECB+ gold mention or an entity/actor of a `Document`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityMention {
    pub doc_id: String,
    pub sentence: usize,
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// Entity type (`PER`/`ORG`/`LOC`, ECB+'s `HUM`/`NON`/`LOC`/`TIM`).
    pub label: String,
    /// Role words the text or a dictionary gives ("Foreign Minister").
    pub role: Option<String>,
    /// Content lemmas of the sentence (lower case, deduplicated).
    #[serde(default)]
    pub sentence_lemmas: Vec<String>,
    /// The publication date of the document, for dated roles.
    #[serde(default)]
    pub date: Option<String>,
    /// Names and numbers of the whole document (see [`super::events::doc_keys`]).
    #[serde(default)]
    pub doc_keys: Vec<String>,
}

/// Width of the entity feature vector.
pub const N_FEATURES: usize = 27;

/// What the features read of a mention, computed once.
pub struct EntityKey<'a> {
    m: &'a EntityMention,
    s: Cow<'a, EntitySets>,
}

/// The owned part of an [`EntityKey`]: folded names and word sets, kept by a
/// profile for its samples.
#[derive(Debug, Clone)]
pub struct EntitySets {
    lower: String,
    core: Vec<String>,
    /// Trigrams of the core name's words joined by spaces.
    core_tri: Option<BTreeSet<[char; 3]>>,
    core_set: BTreeSet<String>,
    head: String,
    head_t: String,
    proper: bool,
    pronoun: bool,
    acronym: Option<String>,
    role: BTreeSet<String>,
    ctx: BTreeSet<String>,
    doc: BTreeSet<String>,
}

impl EntitySets {
    /// The sets of `m`; `role` stands in for a mention without a role of its own.
    pub fn of(m: &EntityMention, role: Option<&str>) -> Self {
        let core = names::core_name(&m.text);
        let head = core.last().cloned().unwrap_or_default();
        let role_text = m
            .role
            .clone()
            .or_else(|| role.map(str::to_string))
            .or_else(|| names::role_of(&m.text))
            .unwrap_or_default();
        let role = names::words(&role_text)
            .into_iter()
            .filter(|w| ROLE_CORE.contains(&w.as_str()) || w.ends_with("er") || w.ends_with("or"))
            .collect();
        let own: BTreeSet<String> = names::words(&m.text).into_iter().collect();
        EntitySets {
            lower: names::words(&m.text).join(" "),
            core_set: core.iter().cloned().collect(),
            core_tri: trigrams(&core.join(" ")),
            head_t: names::translit_fold(&head),
            head,
            core,
            proper: names::is_proper(&m.text),
            pronoun: names::is_pronoun(&m.text),
            acronym: names::acronym(&m.text),
            role,
            doc: m.doc_keys.iter().cloned().collect(),
            ctx: m
                .sentence_lemmas
                .iter()
                .map(|l| l.to_lowercase())
                .filter(|l| !own.contains(l))
                .collect(),
        }
    }
}

impl<'a> EntityKey<'a> {
    pub fn new(m: &'a EntityMention) -> Self {
        EntityKey {
            m,
            s: Cow::Owned(EntitySets::of(m, None)),
        }
    }

    /// A key over sets built earlier from `m` (see [`EntitySets::of`]).
    pub fn with_sets(m: &'a EntityMention, s: &'a EntitySets) -> Self {
        EntityKey {
            m,
            s: Cow::Borrowed(s),
        }
    }
}

/// Role words that identify an office ("foreign", "minister"); nationality and
/// determiners are left to the story.
const ROLE_CORE: &[&str] = &[
    "president",
    "minister",
    "secretary",
    "foreign",
    "defense",
    "defence",
    "prime",
    "chancellor",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "chief",
    "governor",
    "mayor",
    "ambassador",
    "general",
    "king",
    "queen",
    "pope",
    "envoy",
    "director",
    "chairman",
    "ceo",
    "judge",
    "prosecutor",
    "coach",
    "host",
];

fn acronym_match(a: &EntityKey, bk: &EntityKey) -> bool {
    let bare = |k: &EntityKey| k.s.core.join("").replace('.', "");
    a.s.acronym.as_deref().is_some_and(|x| x == bare(bk))
        || bk.s.acronym.as_deref().is_some_and(|x| x == bare(a))
}

/// The head word of a mention's core name (lower case), the key of the learned
/// head-pair table ("suspect"/"man", "quake"/"earthquake").
pub fn head_word(m: &EntityMention) -> String {
    names::core_name(&m.text).pop().unwrap_or_default()
}

/// The pairwise features of two entity mentions; `pairs` is the learned
/// head-word affinity table.
pub fn features(a: &EntityKey, bk: &EntityKey, pairs: &LemmaPairs) -> [f32; N_FEATURES] {
    let (ma, mb) = (a.m, bk.m);
    let same_doc = ma.doc_id == mb.doc_id;
    let same_sent = same_doc && ma.sentence == mb.sentence;
    let same_head = !a.s.head.is_empty() && a.s.head == bk.s.head;
    let head_t = !a.s.head_t.is_empty() && a.s.head_t == bk.s.head_t;
    let contained = !a.s.core_set.is_empty()
        && !bk.s.core_set.is_empty()
        && (a.s.core_set.is_subset(&bk.s.core_set) || bk.s.core_set.is_subset(&a.s.core_set));
    let surname =
        a.s.proper && bk.s.proper && head_t && (a.s.core.len() == 1 || bk.s.core.len() == 1);
    let ctx = jaccard(&a.s.ctx, &bk.s.ctx);
    let doc = if same_doc {
        1.0
    } else {
        jaccard(&a.s.doc, &bk.s.doc)
    };
    let role = if a.s.role.is_empty() || bk.s.role.is_empty() {
        0.0
    } else {
        overlap(&a.s.role, &bk.s.role) as f32 / a.s.role.len().min(bk.s.role.len()) as f32
    };
    let common = |k: &EntityKey| !k.s.proper && !k.s.pronoun;
    let affinity = pairs.affinity(&a.s.head, &bk.s.head);
    [
        b(!a.s.lower.is_empty() && a.s.lower == bk.s.lower),
        b(!a.s.core.is_empty() && a.s.core == bk.s.core),
        b(same_head),
        b(head_t),
        jaccard(&a.s.core_set, &bk.s.core_set),
        b(contained),
        b(ma.label == mb.label),
        (b(a.s.pronoun) + b(bk.s.pronoun)) / 2.0,
        b(a.s.pronoun && bk.s.pronoun && a.s.lower == bk.s.lower),
        b((a.s.pronoun || bk.s.pronoun) && same_doc),
        b(surname),
        b(a.s.proper && bk.s.proper && !head_t && !acronym_match(a, bk)),
        b(acronym_match(a, bk)),
        b(same_doc),
        b(same_sent),
        ctx,
        trigram_dice_of(a.s.core_tri.as_ref(), bk.s.core_tri.as_ref()),
        role,
        b(same_head) * ctx,
        b((a.s.proper && common(bk)) || (bk.s.proper && common(a))),
        b(same_head && same_doc),
        doc,
        b(same_head) * doc,
        b(a.s.pronoun || bk.s.pronoun) * doc,
        b(same_head) * affinity.unwrap_or(0.0),
        b(!same_head) * affinity.unwrap_or(0.0),
        b(affinity.is_some()),
    ]
}

/// Coreference probability of two entity mentions under `model`.
pub fn pair_prob(model: &PairModel, a: &EntityKey, bk: &EntityKey) -> f32 {
    model.prob(&features(a, bk, &model.lemma_pairs))
}

/// Clusters the entity mentions of one story with the embedded model.
pub fn cluster_entities(mentions: &[EntityMention]) -> Vec<usize> {
    match CorefModel::embedded() {
        Ok(m) => cluster_entities_with(&m.entities, m.entities.threshold, mentions),
        Err(_) => (0..mentions.len()).collect(),
    }
}

/// [`cluster_entities`] with a given model and threshold (training, tuning).
pub fn cluster_entities_with(
    model: &PairModel,
    threshold: f32,
    mentions: &[EntityMention],
) -> Vec<usize> {
    let keys: Vec<EntityKey> = mentions.iter().map(EntityKey::new).collect();
    super::cluster::average_link(mentions.len(), threshold, |i, j| {
        pair_prob(model, &keys[i], &keys[j])
    })
}

/// A role an entity held, with the first and last dates it was seen in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatedRole {
    pub role: String,
    pub first: Option<String>,
    pub last: Option<String>,
}

const MAX_VARIANTS: usize = 16;
const MAX_ROLES: usize = 8;
/// How many mentions an entity keeps to score newcomers against.
pub const PROFILE_SAMPLES: usize = 8;

/// A cross-document entity as the store keeps it (bounded).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EntityProfile {
    /// The fullest proper name seen (ties: the first).
    pub canonical: String,
    /// Distinct spellings seen, at most 16.
    pub variants: Vec<String>,
    pub label: String,
    pub roles: Vec<DatedRole>,
    pub num_mentions: u32,
    pub samples: Vec<EntityMention>,
    /// The samples' keys (with the profile's role), built on first score and
    /// cleared by `absorb`.
    #[serde(skip)]
    keys: KeyCache<EntitySets>,
}

impl EntityProfile {
    pub fn start(m: &EntityMention) -> Self {
        let mut p = EntityProfile {
            label: m.label.clone(),
            ..EntityProfile::default()
        };
        p.absorb(m);
        p
    }

    pub fn absorb(&mut self, m: &EntityMention) {
        // The cached keys read the samples and the first role only.
        let (samples, first_role) = (
            self.samples.len(),
            self.roles.first().map(|r| r.role.clone()),
        );
        self.num_mentions += 1;
        let text = m.text.trim().to_string();
        let better = names::is_proper(&text)
            && !names::is_pronoun(&text)
            && (self.canonical.is_empty()
                || !names::is_proper(&self.canonical)
                || names::core_name(&text).len() > names::core_name(&self.canonical).len());
        if self.canonical.is_empty() || better {
            self.canonical = if names::core_name(&text).is_empty() {
                text.clone()
            } else {
                strip_titles(&text)
            };
        }
        if !names::is_pronoun(&text)
            && !self.variants.contains(&text)
            && self.variants.len() < MAX_VARIANTS
        {
            self.variants.push(text);
        }
        if let Some(role) = m.role.clone().or_else(|| names::role_of(&m.text)) {
            let role = role.to_lowercase();
            let full = self.roles.len() >= MAX_ROLES;
            match self.roles.iter_mut().find(|r| r.role == role) {
                Some(r) => {
                    if let Some(d) = &m.date {
                        if r.first.as_ref().is_none_or(|f| d < f) {
                            r.first = Some(d.clone());
                        }
                        if r.last.as_ref().is_none_or(|l| d > l) {
                            r.last = Some(d.clone());
                        }
                    }
                }
                None if !full => self.roles.push(DatedRole {
                    role,
                    first: m.date.clone(),
                    last: m.date.clone(),
                }),
                None => {}
            }
        }
        if self.samples.len() < PROFILE_SAMPLES && !names::is_pronoun(&m.text) {
            let mut s = m.clone();
            s.sentence_lemmas.truncate(48);
            s.doc_keys.truncate(super::events::DOC_KEYS);
            self.samples.push(s);
        }
        if self.samples.len() != samples
            || self.roles.first().map(|r| &r.role) != first_role.as_ref()
        {
            self.keys.clear();
        }
    }

    /// Drops the samples' cached keys (rebuilt on the next score): a profile
    /// waiting in a link step need not hold them.
    pub fn forget_keys(&mut self) {
        self.keys.clear();
    }

    /// Index keys of every variant (folded, transliteration-folded, surname, roles).
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self
            .variants
            .iter()
            .flat_map(|v| names::name_keys(v))
            .collect();
        for r in &self.roles {
            keys.push(format!("r:{}", r.role));
        }
        keys.sort();
        keys.dedup();
        keys
    }

    /// Mean pairwise probability of `m` against the kept mentions; a role
    /// mention also scores against the roles the entity held.
    pub fn score(&self, model: &PairModel, m: &EntityMention) -> f32 {
        self.score_key(model, &EntityKey::new(m))
    }

    /// [`Self::score`] with the key of the scored mention built by the caller
    /// (once for all the candidates it is scored against).
    pub fn score_key(&self, model: &PairModel, k: &EntityKey) -> f32 {
        if self.samples.is_empty() {
            return 0.0;
        }
        // The entity's role stands on every sample, so "the foreign minister"
        // meets "Sergei Lavrov" (whose role the profile holds) on its role.
        let role = self.roles.first().map(|r| r.role.as_str());
        let n = self.samples.len();
        let build = || {
            self.samples
                .iter()
                .map(|s| EntitySets::of(s, role))
                .collect()
        };
        let sum: f32 = self.keys.with(n, build, |sets| {
            self.samples
                .iter()
                .zip(sets)
                .map(|(s, sets)| pair_prob(model, &EntityKey::with_sets(s, sets), k))
                .sum()
        });
        sum / n as f32
    }
}

fn strip_titles(text: &str) -> String {
    let core = names::core_name(text);
    let raw: Vec<&str> = text.split_whitespace().collect();
    if raw.len() >= core.len() {
        raw[raw.len() - core.len()..].join(" ")
    } else {
        text.to_string()
    }
}

/// The entity of `candidates` that `m` joins, if any (best mean score at or above
/// the threshold; ties to the smallest id). A pronoun joins nothing across
/// documents: it is resolved inside its document first.
pub fn attach_entity(m: &EntityMention, candidates: &[(String, EntityProfile)]) -> Option<String> {
    if names::is_pronoun(&m.text) {
        return None;
    }
    let model = &CorefModel::embedded().ok()?.entities;
    let k = EntityKey::new(m);
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

/// Index keys of a name (see [`names::name_keys`]).
pub fn name_keys(name: &str) -> Vec<String> {
    names::name_keys(name)
}

/// Entity mentions of a document: its entities, with the role of an actor
/// mention on the same words, plus actor mentions that name a role only.
pub fn entity_mentions(doc: &Document) -> Vec<EntityMention> {
    let date = doc.published.as_ref().map(|p| p.date.clone());
    let sentence_of = |pos: usize| {
        doc.sentences
            .iter()
            .position(|s| s.start <= pos && pos < s.end.max(s.start + 1))
            .unwrap_or(0)
    };
    let lemmas_of = |si: usize| -> Vec<String> {
        let toks = doc
            .sentences
            .get(si)
            .and_then(|s| doc.tokens.get(s.token_start..s.token_end))
            .unwrap_or(&[]);
        let mut v: Vec<String> = toks
            .iter()
            .filter(|t| t.upos.as_deref().is_some_and(is_content_pos))
            .map(|t| {
                t.lemma
                    .clone()
                    .unwrap_or_else(|| t.text.clone())
                    .to_lowercase()
            })
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let keys = super::events::doc_keys(
        doc.tokens
            .iter()
            .filter_map(|t| Some((t.lemma.as_deref().unwrap_or(&t.text), t.upos.as_deref()?))),
    );
    let mut out = Vec::new();
    for e in &doc.entities {
        let sentence = sentence_of(e.start);
        let actor = doc
            .actors
            .iter()
            .find(|a| a.start < e.end && e.start < a.end && a.role.is_some());
        out.push(EntityMention {
            doc_id: doc.id.clone(),
            sentence,
            start: e.start,
            end: e.end,
            text: e.text.clone(),
            label: e.label.clone(),
            role: actor.and_then(|a| a.role.clone()),
            sentence_lemmas: lemmas_of(sentence),
            date: date.clone(),
            doc_keys: keys.clone(),
        });
    }
    for a in &doc.actors {
        let covered = doc
            .entities
            .iter()
            .any(|e| e.start < a.end && a.start < e.end);
        if covered || names::role_of(&a.text).is_none() {
            continue;
        }
        let sentence = sentence_of(a.start);
        out.push(EntityMention {
            doc_id: doc.id.clone(),
            sentence,
            start: a.start,
            end: a.end,
            text: a.text.clone(),
            label: "PER".into(),
            role: a.role.clone(),
            sentence_lemmas: lemmas_of(sentence),
            date: date.clone(),
            doc_keys: keys.clone(),
        });
    }
    out.sort_by_key(|m| (m.start, m.end));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lavrov's sentences speak of talks; the others' of an army's visit.
    fn mention(doc: &str, text: &str, role: Option<&str>) -> EntityMention {
        let ctx: &[&str] = if text.contains("Kerry") || text.contains("Assad") {
            &["visit", "army", "damascus"]
        } else {
            &["talk", "ceasefire", "moscow"]
        };
        EntityMention {
            doc_id: doc.into(),
            sentence: 0,
            start: 0,
            end: text.len(),
            text: text.into(),
            label: "PER".into(),
            role: role.map(str::to_string),
            sentence_lemmas: ctx.iter().map(|s| s.to_string()).collect(),
            date: Some("2016-10-03".into()),
            doc_keys: if text.contains("Kerry") || text.contains("Assad") {
                vec!["damascus".into(), format!("{doc}-only")]
            } else {
                vec!["syria".into(), "russia".into(), format!("{doc}-only")]
            },
        }
    }

    #[test]
    fn spelling_variants_are_one_entity() {
        let ms = vec![
            mention("a", "Sergei Lavrov", None),
            mention("b", "Sergey Lavrov", None),
            mention("c", "John Kerry", None),
        ];
        let c = cluster_entities(&ms);
        assert_eq!(c[0], c[1]);
        assert_ne!(c[0], c[2]);
    }

    #[test]
    fn surname_and_role_attach_to_the_person() {
        let mut p = EntityProfile::start(&mention(
            "a",
            "Foreign Minister Sergei Lavrov",
            Some("foreign minister"),
        ));
        p.absorb(&mention("b", "Sergey Lavrov", None));
        assert_eq!(p.canonical, "Sergei Lavrov");
        assert_eq!(p.roles[0].role, "foreign minister");
        let cands = vec![("lavrov".to_string(), p)];
        assert_eq!(
            attach_entity(&mention("c", "Lavrov", None), &cands).as_deref(),
            Some("lavrov")
        );
        assert_eq!(
            attach_entity(&mention("c", "the Russian foreign minister", None), &cands).as_deref(),
            Some("lavrov")
        );
        assert_eq!(attach_entity(&mention("c", "he", None), &cands), None);
        assert_eq!(
            attach_entity(&mention("c", "Bashar al-Assad", None), &cands),
            None
        );
    }

    /// The cached sample keys give the score a fresh build gives: after
    /// scoring, after absorbing (new sample, new role) and after a reload.
    #[test]
    fn cached_keys_score_as_fresh_ones() {
        let model = &CorefModel::embedded().unwrap().entities;
        let fresh = |p: &EntityProfile, m: &EntityMention| {
            let mut samples = p.samples.clone();
            if let Some(r) = p.roles.first() {
                for s in samples.iter_mut().filter(|s| s.role.is_none()) {
                    s.role = Some(r.role.clone());
                }
            }
            let k = EntityKey::new(m);
            let sum: f32 = samples
                .iter()
                .map(|s| pair_prob(model, &EntityKey::new(s), &k))
                .sum();
            sum / samples.len() as f32
        };
        let m = mention("d9", "the foreign minister", Some("Foreign Minister"));
        let mut p = EntityProfile::start(&mention("d1", "Sergei Lavrov", None));
        assert_eq!(p.score(model, &m), fresh(&p, &m));
        assert_eq!(p.score(model, &m), fresh(&p, &m));
        p.absorb(&mention("d2", "Lavrov", Some("Foreign Minister")));
        assert_eq!(p.score(model, &m), fresh(&p, &m));
        let json = serde_json::to_string(&p).unwrap();
        let back: EntityProfile = serde_json::from_str(&json).unwrap();
        assert_eq!(back, p);
        assert_eq!(back.score(model, &m), fresh(&p, &m));
    }
}
