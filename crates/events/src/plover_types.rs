//! A learned PLOVER event type per coded event, beside the type the CAMEO code
//! gives. The verb patterns stay the judge of *whether* a verb is an event and of
//! its CAMEO code; the classifier only re-reads the type, from the verb's lemma,
//! its dependents, the way it governs or hangs on other words, the paths to its
//! source and target, its negation and mode, the nouns of its object and the
//! type its CAMEO code maps to. PETRARCH's verb blocks enter as features too: the
//! type each other verb of the sentence would code (a sentence whose object is
//! "agreement" under "reached" reads as AGREE whatever the pattern said).
//!
//! Types are PLOVER 0.5's names (the gold standard's): the 2021 table merged
//! INVESTIGATE and DISAPPROVE into ACCUSE, DEMAND into REQUEST and FIGHT into
//! ASSAULT, and [`plover05`] maps our CAMEO codes back by root.

use crate::EventCoder;
use chronicle_codebook::Codebook;
use chronicle_core::{Document, Event};
use chronicle_ml::hash::{feature2, str_feature};
use chronicle_ml::{Model, Perceptron, SplitMix64};
use template as t;

/// The model kind written in the file.
pub const KIND: &str = "plover-types";

/// PLOVER 0.5 category of a CAMEO code (see the module comment).
pub fn plover05(book: &Codebook, code: &str) -> Option<String> {
    let by_root = match code.get(..2)? {
        "09" => Some("INVESTIGATE"),
        // 0.5's DEMAND covers CAMEO's appeals (02, absent from the 2021 table) and
        // demands (10).
        "02" | "10" => Some("DEMAND"),
        "11" => Some("DISAPPROVE"),
        "19" => Some("FIGHT"),
        _ => None,
    };
    match (by_root, book.info(code).plover_type.as_deref()) {
        (Some(t), _) => Some(t.to_string()),
        (None, Some("REQUEST")) => Some("DEMAND".into()),
        (None, Some("ACCUSE")) => Some("DISAPPROVE".into()),
        (None, t) => t.map(str::to_string),
    }
}

/// PLOVER 0.5's event types, the classes every event is ranked over.
pub const TYPES05: [&str; 18] = [
    "AGREE",
    "AID",
    "ASSAULT",
    "COERCE",
    "CONCEDE",
    "CONSULT",
    "COOPERATE",
    "DEMAND",
    "DISAPPROVE",
    "FIGHT",
    "INVESTIGATE",
    "MOBILIZE",
    "PROTEST",
    "REJECT",
    "RETREAT",
    "SANCTION",
    "SUPPORT",
    "THREATEN",
];

/// The 2021 table's name of a PLOVER 0.5 type (what `Event::plover_type` holds).
pub fn plover2021(type05: &str) -> &str {
    match type05 {
        "INVESTIGATE" | "DISAPPROVE" => "ACCUSE",
        "DEMAND" => "REQUEST",
        "FIGHT" => "ASSAULT",
        t => t,
    }
}

/// A document's dependency children, built once for all its events.
pub struct Children(Vec<Vec<usize>>);

impl Children {
    pub fn new(doc: &Document) -> Self {
        let mut kids = vec![Vec::new(); doc.tokens.len()];
        for (i, t) in doc.tokens.iter().enumerate() {
            if let Some(h) = t.head.filter(|&h| h < kids.len() && h != i) {
                kids[h].push(i);
            }
        }
        Children(kids)
    }
    fn of(&self, t: usize) -> &[usize] {
        self.0.get(t).map_or(&[], Vec::as_slice)
    }
}

/// Feature templates (numbers are part of the model file: never renumber).
pub mod template {
    pub const BIAS: u32 = 0;
    pub const RULE: u32 = 1;
    pub const CAMEO: u32 = 2;
    pub const ROOT: u32 = 3;
    pub const LEMMA: u32 = 4;
    pub const LEMMA_RULE: u32 = 5;
    pub const CHILD: u32 = 6;
    pub const CHILD_REL: u32 = 7;
    pub const GOVERNOR: u32 = 8;
    pub const GOVERNOR_REL: u32 = 9;
    pub const MODALITY: u32 = 10;
    pub const NEGATED: u32 = 11;
    pub const SOURCE_PATH: u32 = 12;
    pub const TARGET_PATH: u32 = 13;
    pub const TARGET_CASE: u32 = 14;
    pub const OBJECT_NOUN: u32 = 15;
    pub const COMPLEMENT: u32 = 16;
    pub const AUX: u32 = 17;
    pub const SENTENCE_VERB_TYPE: u32 = 18;
    pub const COMPLEMENT_OBJECT: u32 = 19;
    pub const GOVERNOR_TYPE: u32 = 20;
    /// The ranker's templates: a context feature for one candidate type; a
    /// piece of evidence naming the candidate, shared by all types and per type.
    pub const CLASS_CONTEXT: u32 = 21;
    pub const EVIDENCE: u32 = 22;
    pub const EVIDENCE_CLASS: u32 = 23;
}

fn lemma(doc: &Document, t: usize) -> String {
    doc.tokens
        .get(t)
        .map(|k| k.lemma.as_deref().unwrap_or(&k.text).to_lowercase())
        .unwrap_or_default()
}

fn rel(doc: &Document, t: usize) -> &str {
    doc.tokens
        .get(t)
        .and_then(|k| k.deprel.as_deref())
        .unwrap_or("")
}

/// The token starting at byte `start`, else the one covering it.
fn token_at(doc: &Document, start: usize) -> Option<usize> {
    let i = doc.tokens.partition_point(|t| t.end <= start);
    (i < doc.tokens.len() && doc.tokens[i].start <= start).then_some(i)
}

/// The head token of the byte span `[start, end)`: its first token whose head
/// lies outside the span.
fn span_head(doc: &Document, start: usize, end: usize) -> Option<usize> {
    let first = token_at(doc, start)?;
    let inside = |k: usize| doc.tokens[k].start >= start && doc.tokens[k].end <= end;
    (first..doc.tokens.len())
        .take_while(|&k| doc.tokens[k].start < end)
        .find(|&k| doc.tokens[k].head.is_none_or(|h| !inside(h)))
        .or(Some(first))
}

/// The dependency relations from `a` up to `v` ("nsubj", "obl>nmod"), or the
/// relation of `a` marked as outside the verb's subtree.
fn path_up(doc: &Document, a: usize, v: usize) -> String {
    let mut rels = Vec::new();
    let mut cur = a;
    for _ in 0..4 {
        if cur == v {
            rels.reverse();
            return rels.join(">");
        }
        rels.push(rel(doc, cur).to_string());
        match doc.tokens.get(cur).and_then(|t| t.head) {
            Some(h) => cur = h,
            None => break,
        }
    }
    format!("out:{}", rel(doc, a))
}

fn is_negation(doc: &Document, t: usize) -> bool {
    matches!(rel(doc, t), "advmod" | "neg" | "det")
        && crate::NEGATION.contains(&lemma(doc, t).as_str())
}

impl EventCoder<'_> {
    /// The PLOVER 0.5 type a verb's own dictionary entry would give, whatever
    /// its patterns say: the entry's code, else its block's.
    fn dictionary_type(&self, doc: &Document, t: usize) -> Option<String> {
        let tok = doc.tokens.get(t)?;
        let key = tok.lemma.as_deref().unwrap_or(&tok.text).to_uppercase();
        let &f = self.verbs.get(&key)?.first()?;
        let form = &self.book.verbs.forms[f];
        let block = &self.book.verbs.blocks[form.block];
        let code = form
            .code
            .as_ref()
            .and_then(|c| c.forward.clone())
            .or_else(|| block.code.forward.clone())
            .or_else(|| self.block_default.get(form.block).cloned().flatten())?;
        plover05(self.book, &code)
    }

    /// The types the dictionaries name for an event, each with where it comes
    /// from: the rules' own (`rule`, and with the event's modality), the verb's
    /// dictionary entry whatever its patterns say (`own`), the verb it hangs on
    /// (`gov|REL`), its clausal complements (`comp|REL`) and the sentence's other
    /// verbs (`sentence`).
    pub fn type_evidence(
        &self,
        doc: &Document,
        kids: &Children,
        event: &Event,
    ) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if let Some(rule) = plover05(self.book, &event.cameo) {
            let modality = event.modality.as_deref().unwrap_or("");
            out.push((format!("rule|{modality}"), rule.clone()));
            out.push(("rule".to_string(), rule));
        }
        let Some(v) = event.verb.and_then(|s| token_at(doc, s.start)) else {
            return out;
        };
        if let Some(ty) = self.dictionary_type(doc, v) {
            out.push(("own".into(), ty));
        }
        if let Some(h) = doc.tokens[v].head {
            if let Some(ty) = self.dictionary_type(doc, h) {
                out.push((format!("gov|{}", rel(doc, v)), ty));
            }
        }
        for &c in kids.of(v) {
            if matches!(rel(doc, c), "xcomp" | "ccomp" | "conj") {
                if let Some(ty) = self.dictionary_type(doc, c) {
                    out.push((format!("comp|{}", rel(doc, c)), ty));
                }
            }
        }
        let first = token_at(doc, event.start).unwrap_or(doc.tokens.len());
        for k in (first..doc.tokens.len()).take_while(|&k| doc.tokens[k].start < event.end) {
            if k != v && doc.tokens[k].upos.as_deref() == Some("VERB") {
                if let Some(ty) = self.dictionary_type(doc, k) {
                    out.push(("sentence".into(), ty));
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// Features of one coded event of `doc` for the type classifier.
    pub fn type_features(&self, doc: &Document, kids: &Children, event: &Event) -> Vec<u64> {
        self.type_features_of(doc, kids, event, &|_| true)
    }

    /// [`EventCoder::type_features`] of the templates `keep` lets through (the
    /// cross-validation's ablations).
    pub fn type_features_of(
        &self,
        doc: &Document,
        kids: &Children,
        event: &Event,
        keep: &dyn Fn(u32) -> bool,
    ) -> Vec<u64> {
        let mut f = Features {
            keep,
            out: vec![str_feature(t::BIAS, "")],
        };
        let rule = plover05(self.book, &event.cameo).unwrap_or_default();
        f.push(t::RULE, &rule);
        f.push(t::CAMEO, &event.cameo);
        f.push(t::ROOT, event.cameo.get(..2).unwrap_or(""));
        f.push(t::MODALITY, event.modality.as_deref().unwrap_or(""));
        let Some(v) = event.verb.and_then(|s| token_at(doc, s.start)) else {
            return f.finish();
        };
        let lv = lemma(doc, v);
        f.push(t::LEMMA, &lv);
        f.push_hash(
            t::LEMMA_RULE,
            chronicle_ml::hash::hash_str(&lv),
            chronicle_ml::hash::hash_str(&rule),
        );
        let mut negated = false;
        for &c in kids.of(v) {
            let r = rel(doc, c);
            let lc = lemma(doc, c);
            negated |= is_negation(doc, c);
            f.push(t::CHILD_REL, r);
            f.push(t::CHILD, &format!("{r}|{lc}"));
            if r == "aux" {
                f.push(t::AUX, &lc);
            }
            if matches!(r, "obj" | "iobj" | "nsubj:pass") {
                for &n in std::iter::once(&c).chain(kids.of(c)) {
                    if matches!(doc.tokens[n].upos.as_deref(), Some("NOUN" | "PROPN")) {
                        f.push(t::OBJECT_NOUN, &lemma(doc, n));
                    }
                }
            }
            if matches!(r, "xcomp" | "ccomp") {
                f.push(t::COMPLEMENT, &format!("{r}|{lc}"));
                for &g in kids.of(c) {
                    if rel(doc, g) == "obj" {
                        f.push(t::COMPLEMENT_OBJECT, &lemma(doc, g));
                    }
                }
            }
        }
        if let Some(h) = doc.tokens[v].head {
            let r = rel(doc, v);
            f.push(t::GOVERNOR_REL, r);
            f.push(t::GOVERNOR, &format!("{r}|{}", lemma(doc, h)));
            negated |= kids.of(h).iter().any(|&c| is_negation(doc, c));
            if let Some(ty) = self.dictionary_type(doc, h) {
                f.push(t::GOVERNOR_TYPE, &format!("{r}|{ty}"));
            }
        }
        f.push(t::NEGATED, if negated { "y" } else { "n" });
        let actor_head = |a: &Option<chronicle_core::EventActor>| {
            a.as_ref().and_then(|a| span_head(doc, a.start, a.end))
        };
        match actor_head(&event.source) {
            Some(s) => f.push(t::SOURCE_PATH, &path_up(doc, s, v)),
            None => f.push(t::SOURCE_PATH, "none"),
        }
        match actor_head(&event.target) {
            Some(g) => {
                f.push(t::TARGET_PATH, &path_up(doc, g, v));
                for &c in kids.of(g) {
                    if rel(doc, c) == "case" {
                        f.push(t::TARGET_CASE, &lemma(doc, c));
                    }
                }
            }
            None => f.push(t::TARGET_PATH, "none"),
        }
        // The types the sentence's other verbs would code by their dictionary
        // entries alone.
        let (s, e) = (event.start, event.end);
        let first = token_at(doc, s).unwrap_or(doc.tokens.len());
        for k in (first..doc.tokens.len()).take_while(|&k| doc.tokens[k].start < e) {
            if k != v && doc.tokens[k].upos.as_deref() == Some("VERB") {
                if let Some(ty) = self.dictionary_type(doc, k) {
                    f.push(t::SENTENCE_VERB_TYPE, &ty);
                }
            }
        }
        f.finish()
    }
}

/// Features of the templates a caller keeps.
struct Features<'k> {
    keep: &'k dyn Fn(u32) -> bool,
    out: Vec<u64>,
}

impl Features<'_> {
    fn push(&mut self, template: u32, value: &str) {
        if (self.keep)(template) {
            self.out.push(str_feature(template, value));
        }
    }
    fn push_hash(&mut self, template: u32, a: u64, b: u64) {
        if (self.keep)(template) {
            self.out.push(feature2(template, a, b));
        }
    }
    fn finish(mut self) -> Vec<u64> {
        self.out.sort_unstable();
        self.out.dedup();
        self.out
    }
}

/// The ranker's features of candidate type `class` for an event with context
/// features `context` and type evidence `evidence`.
fn candidate_features(class: &str, context: &[u64], evidence: &[(String, String)]) -> Vec<u64> {
    let c = chronicle_ml::hash::hash_str(class);
    let mut f: Vec<u64> = context
        .iter()
        .map(|&x| feature2(t::CLASS_CONTEXT, c, x))
        .collect();
    for (kind, _) in evidence.iter().filter(|(_, ty)| ty == class) {
        f.push(str_feature(t::EVIDENCE, kind));
        f.push(feature2(
            t::EVIDENCE_CLASS,
            chronicle_ml::hash::hash_str(kind),
            c,
        ));
    }
    f
}

/// One event for the ranker: context features, type evidence, gold type.
pub type RankRow = (Vec<u64>, Vec<(String, String)>, String);

/// The types some evidence names, in [`TYPES05`] order: the ranker's
/// candidates (a type nothing names is never chosen).
fn candidates(evidence: &[(String, String)]) -> Vec<&'static str> {
    TYPES05
        .into_iter()
        .filter(|c| evidence.iter().any(|(_, t)| t == c))
        .collect()
}

/// Trains the type ranker: one weight vector scores each candidate type of an
/// event (those its evidence names), so the evidence features ("the rules say
/// this type", "the governing verb's entry says it") are learned from every
/// event whatever its type, not per type from a handful of records. Events
/// whose gold type no evidence names teach nothing and are skipped.
pub fn train_ranker(rows: &[RankRow], epochs: usize, seed: u64) -> Model {
    let mut p = Perceptron::new(KIND, vec!["score".to_string()]);
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let mut rng = SplitMix64::new(seed);
    let mut s = [0.0f32];
    for _ in 0..epochs {
        rng.shuffle(&mut order);
        for &i in &order {
            let (context, evidence, label) = &rows[i];
            let classes = candidates(evidence);
            if !classes.contains(&label.as_str()) {
                p.tick();
                continue;
            }
            let mut best: Option<(f32, &str, Vec<u64>)> = None;
            for class in classes {
                let f = candidate_features(class, context, evidence);
                p.score(&f, &mut s);
                if best.as_ref().is_none_or(|(b, _, _)| s[0] > *b) {
                    best = Some((s[0], class, f));
                }
            }
            p.tick();
            if let Some((_, _, gf)) = best.filter(|(_, g, _)| g != label) {
                p.add(&candidate_features(label, context, evidence), 0, 1.0);
                p.add(&gf, 0, -1.0);
            }
        }
    }
    p.average(0.0)
}

/// The type the ranker scores highest for an event among those its evidence
/// names; `None` when nothing names one.
pub fn rank(model: &Model, context: &[u64], evidence: &[(String, String)]) -> Option<&'static str> {
    let mut s = [0.0f32];
    let mut best: Option<(&'static str, f32)> = None;
    for class in candidates(evidence) {
        model.score(&candidate_features(class, context, evidence), &mut s);
        if best.is_none_or(|(_, b)| s[0] > b) {
            best = Some((class, s[0]));
        }
    }
    best.map(|(c, _)| c)
}

/// Trains the type classifier: `epochs` passes over `instances` (features and
/// PLOVER 0.5 type) in an order shuffled by `seed`, weights averaged.
pub fn train(instances: &[(Vec<u64>, String)], epochs: usize, seed: u64) -> Model {
    let mut labels: Vec<String> = instances.iter().map(|(_, l)| l.clone()).collect();
    labels.sort();
    labels.dedup();
    let mut p = Perceptron::new(KIND, labels.clone());
    let mut order: Vec<usize> = (0..instances.len()).collect();
    let mut rng = SplitMix64::new(seed);
    let mut scores = vec![0.0; labels.len().max(1)];
    for _ in 0..epochs {
        rng.shuffle(&mut order);
        for &i in &order {
            let (f, l) = &instances[i];
            let Ok(y) = labels.binary_search(l) else {
                continue;
            };
            let g = p.predict(f, &mut scores);
            p.update(y, g, f);
        }
    }
    p.average(0.0)
}

/// The type `model` gives an event with these features, the rules' type `rule`
/// given `prior` more score: the classifier overrides the rules only by that
/// margin. `None` from a model that learned no type.
pub fn predict<'m>(
    model: &'m Model,
    features: &[u64],
    rule: Option<&str>,
    prior: f32,
) -> Option<&'m str> {
    if model.n_classes() == 0 {
        return None;
    }
    let mut scores = vec![0.0; model.n_classes()];
    model.score(features, &mut scores);
    if let Some(c) = rule.and_then(|r| model.class_of(r)) {
        scores[c] += prior;
    }
    Some(model.label(chronicle_ml::argmax(&scores)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_map_both_ways() {
        let book = Codebook::embedded().expect("embedded codebook");
        assert_eq!(plover05(book, "090").as_deref(), Some("INVESTIGATE"));
        assert_eq!(plover05(book, "100").as_deref(), Some("DEMAND"));
        assert_eq!(plover05(book, "190").as_deref(), Some("FIGHT"));
        assert_eq!(plover05(book, ""), None);
        assert_eq!(plover2021("FIGHT"), "ASSAULT");
        assert_eq!(plover2021("AGREE"), "AGREE");
    }

    #[test]
    fn training_is_deterministic_and_learns() {
        let data: Vec<(Vec<u64>, String)> = (0..60)
            .map(|i| {
                let l = ["AGREE", "FIGHT", "DEMAND"][i % 3];
                (
                    vec![str_feature(t::LEMMA, l), str_feature(t::BIAS, "")],
                    l.to_string(),
                )
            })
            .collect();
        let a = train(&data, 5, 7);
        let b = train(&data, 5, 7);
        assert_eq!(a.to_bytes(), b.to_bytes());
        for (f, l) in &data {
            assert_eq!(predict(&a, f, None, 0.0), Some(l.as_str()));
        }
    }
}
