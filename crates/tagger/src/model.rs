//! The trained tagger and lemmatizer: two tagging passes, lemma rules, and the model file format.
use crate::features::{extract_context, extract_stacked, prepare, set_first, Scratch};
use crate::lemma::{rule_features, Rule};
use crate::TaggerError;
use chronicle_ml::codec::{pack, unpack_version, Reader, Writer};
use chronicle_ml::hash::{feature2, hash_str};
use chronicle_ml::{argmax, Model};
use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

const MAGIC: &[u8; 8] = b"CHRNPOS\0";
/// 2: adds the second-pass (stacked) tagger.
const VERSION: u16 = 2;
pub(crate) const TAGGER_KIND: &str = "pos-joint";
pub(crate) const STACKED_KIND: &str = "pos-joint-stacked";
pub(crate) const LEMMA_KIND: &str = "lemma-rules";

pub(crate) use chronicle_ml::hash::{U64Map, U64Set};

/// How many of the lemma classifier's best rules are checked against the
/// known-lemma list.
const LEMMA_CANDIDATES: usize = 3;

/// Tag strings live for the whole program so a `PosTag` can be stored without
/// borrowing the model. Interning bounds the leak to one copy per distinct
/// label, however many models are loaded.
pub(crate) fn intern(s: &str) -> &'static str {
    static POOL: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let pool = POOL.get_or_init(|| Mutex::new(HashSet::new()));
    let mut guard = match pool.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    };
    if let Some(&existing) = guard.get(s) {
        return existing;
    }
    let leaked: &'static str = Box::leak(s.to_string().into_boxed_str());
    guard.insert(leaked);
    leaked
}

/// Tags and lemma of one word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PosTag {
    /// Universal POS tag (`NOUN`, `VERB`, …).
    pub upos: &'static str,
    /// Penn Treebank tag as used by EWT (`NN`, `VBD`, …).
    pub xpos: &'static str,
    pub lemma: String,
}

/// Trained tagger + lemmatizer. Immutable after loading; `Send + Sync`.
#[derive(Debug, Clone)]
pub struct PosModel {
    /// First pass: greedy left-to-right over word features and its own
    /// previous predictions.
    pub(crate) tagger: Model,
    /// Second pass: the same plus the first pass's classes of this word and
    /// the two words to its right; its output is the final tag.
    pub(crate) stacked: Model,
    /// Words the first pass tags with at least this score margin keep that
    /// tag without a second-pass look: it rarely changes them, and skipping
    /// it is most of the second pass's cost.
    pub(crate) margin: f32,
    pub(crate) upos: Vec<&'static str>,
    pub(crate) xpos: Vec<&'static str>,
    pub(crate) xpos_hash: Vec<u64>,
    /// Exact word form → class, for frequent words that (almost) always carry
    /// one tag.
    pub(crate) dict: U64Map<u32>,
    /// Lowercased word → index into `amb_sets` + 1 (0 = unknown word).
    pub(crate) amb: U64Map<u32>,
    pub(crate) amb_sets: Vec<Vec<u32>>,
    pub(crate) rules: Vec<Rule>,
    /// `lemma_key(word hash, xpos hash)` → rule index, for exact and lowercased
    /// forms seen in training.
    pub(crate) lemma_table: U64Map<u32>,
    pub(crate) lemma_clf: Model,
    pub(crate) clf_rules: Vec<Rule>,
    /// Hashes of every lemma in the training data: among the classifier's top
    /// rules for an unseen word, one that yields a real word is preferred.
    pub(crate) known_lemmas: U64Set,
    /// Lowercased word → casing profile bucket from unlabeled text.
    pub(crate) prof: U64Map<u32>,
}

pub(crate) const START1: u64 = u64::MAX;
pub(crate) const START2: u64 = u64::MAX - 1;

#[inline]
/// Greedy left-to-right first pass over a prepared sentence (`sc.toks`),
/// with dictionary words bypassing the classifier.
pub(crate) fn first_pass(
    tagger: &Model,
    dict: &U64Map<u32>,
    n: usize,
    sc: &mut Scratch,
    out: &mut Vec<u32>,
) {
    out.clear();
    sc.margins.clear();
    let k = tagger.n_classes();
    sc.scores.resize(k.max(sc.scores.len()), 0.0);
    let (mut p1, mut p2) = (START1, START2);
    for i in 0..n {
        let class = match dict.get(&sc.toks[i + 2].form) {
            Some(&c) => {
                sc.margins.push(f32::INFINITY);
                c
            }
            None => {
                // Exactly `tagger.predict` over `extract`'s features, with the
                // word's own part summed once per word (see `memo`).
                sc.acc.clear();
                sc.acc.resize(k, 0);
                crate::memo::add_own(&mut sc.memo, tagger, &sc.toks, i, &mut sc.acc);
                extract_context(&sc.toks, i, p1, p2, &mut sc.feats);
                tagger.add_raw(&sc.feats, &mut sc.acc);
                tagger.finish(&sc.acc, &mut sc.scores);
                let best = argmax(&sc.scores[..k]);
                let top = sc.scores[best];
                let second = sc.scores[..k]
                    .iter()
                    .enumerate()
                    .filter(|&(c, _)| c != best)
                    .fold(f32::NEG_INFINITY, |m, (_, &s)| m.max(s));
                sc.margins.push(top - second);
                best as u32
            }
        };
        out.push(class);
        p2 = p1;
        p1 = class as u64;
    }
}

#[inline]
pub(crate) fn prof_value(prof: &U64Map<u32>, lower: u64) -> u64 {
    prof.get(&lower).map_or(0, |&v| v as u64)
}

pub(crate) fn lemma_key(word_hash: u64, xpos_hash: u64, lowered: bool) -> u64 {
    feature2(300 + lowered as u32, word_hash, xpos_hash)
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl PosModel {
    /// Splits joint `UPOS|XPOS` labels into the per-class tag strings.
    pub(crate) fn class_tags(
        labels: &[String],
    ) -> Result<(Vec<&'static str>, Vec<&'static str>), TaggerError> {
        let mut upos = Vec::with_capacity(labels.len());
        let mut xpos = Vec::with_capacity(labels.len());
        for l in labels {
            let (u, x) = l
                .split_once('|')
                .ok_or_else(|| TaggerError::Corrupt(format!("tag label {l:?} lacks '|'")))?;
            upos.push(intern(u));
            xpos.push(intern(x));
        }
        Ok((upos, xpos))
    }

    /// One-line size summary, for training logs.
    pub fn describe(&self) -> String {
        format!(
            "{} classes, tagger {} features / {} weights, second pass {} features / {} weights, dict {} words, amb {} words / {} sets, lemma table {} / {} rules, lemma classifier {} features / {} weights / {} rules",
            self.tagger.n_classes(),
            self.tagger.n_features(),
            self.tagger.n_weights(),
            self.stacked.n_features(),
            self.stacked.n_weights(),
            self.dict.len(),
            self.amb.len(),
            self.amb_sets.len(),
            self.lemma_table.len(),
            self.rules.len(),
            self.lemma_clf.n_features(),
            self.lemma_clf.n_weights(),
            self.clf_rules.len()
        )
    }

    /// Number of joint UPOS|XPOS classes.
    pub fn n_classes(&self) -> usize {
        self.tagger.n_classes()
    }

    fn amb_value(&self, lower: u64) -> u64 {
        self.amb.get(&lower).map_or(0, |&v| v as u64)
    }

    fn prof_value(&self, lower: u64) -> u64 {
        prof_value(&self.prof, lower)
    }

    /// Predicted classes for one sentence, using (and leaving) token data in `sc`.
    pub(crate) fn tag_classes(&self, words: &[&str], sc: &mut Scratch, out: &mut Vec<u32>) {
        prepare(words, |h| self.amb_value(h), |h| self.prof_value(h), sc);
        first_pass(&self.tagger, &self.dict, words.len(), sc, out);
        set_first(out.iter().copied(), &mut sc.first);
        out.clear();
        let (mut p1, mut p2) = (START1, START2);
        let thresh = self.margin;
        for i in 0..words.len() {
            let form = sc.toks[i + 2].form;
            let class = match self.dict.get(&form) {
                Some(&c) => c,
                None if sc.margins[i] >= thresh => sc.first[i + 2] as u32,
                None => {
                    extract_stacked(&sc.toks, &sc.first, i, p1, p2, &mut sc.feats);
                    self.stacked.predict(&sc.feats, &mut sc.scores) as u32
                }
            };
            out.push(class);
            p2 = p1;
            p1 = class as u64;
        }
    }

    /// Lemma of word `i` given its class; `sc.toks` must hold the sentence.
    pub(crate) fn lemma_for(&self, word: &str, i: usize, class: u32, sc: &mut Scratch) -> String {
        let tok = sc.toks[i + 2];
        let xh = self.xpos_hash[class as usize];
        let rule = match self
            .lemma_table
            .get(&lemma_key(tok.form, xh, false))
            .or_else(|| self.lemma_table.get(&lemma_key(tok.lower, xh, true)))
        {
            Some(&r) => &self.rules[r as usize],
            None => return self.classify_lemma(word, xh, sc),
        };
        rule.apply(word, &mut sc.lower)
    }

    fn classify_lemma(&self, word: &str, xh: u64, sc: &mut Scratch) -> String {
        rule_features(word, xh, &mut sc.lower, &mut sc.feats);
        let n = self.lemma_clf.n_classes();
        sc.scores.resize(n.max(sc.scores.len()), 0.0);
        self.lemma_clf.score(&sc.feats, &mut sc.scores);
        let mut top = [usize::MAX; LEMMA_CANDIDATES];
        for (i, &s) in sc.scores[..n].iter().enumerate() {
            let mut pos = LEMMA_CANDIDATES;
            while pos > 0 && (top[pos - 1] == usize::MAX || s > sc.scores[top[pos - 1]]) {
                pos -= 1;
            }
            if pos < LEMMA_CANDIDATES {
                top.copy_within(pos..LEMMA_CANDIDATES - 1, pos + 1);
                top[pos] = i;
            }
        }
        let Some(&best) = top.first().filter(|&&c| c != usize::MAX) else {
            return word.to_string();
        };
        let top_rule = &self.clf_rules[best];
        let first = top_rule.apply(word, &mut sc.lower);
        // Leaving the word as it is is the classifier's usual answer for new
        // names and nouns, which the lexicon naturally lacks: trust it.
        let identity = top_rule.strip == 0 && top_rule.append.is_empty();
        if identity || self.known_lemmas.contains(&hash_str(&first)) {
            return first;
        }
        // Runners-up only get a say when they are plain inflection edits
        // that leave a stem; whole-word rewrites are too risky to trust on
        // the strength of a lexicon hit.
        let chars = word.chars().count();
        for &c in top[1..].iter().take_while(|&&c| c != usize::MAX) {
            let rule = &self.clf_rules[c];
            let strip = rule.strip as usize;
            if strip > 3 || strip + 3 > chars || rule.append.len() > 3 {
                continue;
            }
            let cand = rule.apply(word, &mut sc.lower);
            if self.known_lemmas.contains(&hash_str(&cand)) {
                return cand;
            }
        }
        first
    }

    fn tag_with(&self, words: &[&str], sc: &mut Scratch) -> Vec<PosTag> {
        let mut classes = Vec::with_capacity(words.len());
        self.tag_classes(words, sc, &mut classes);
        words
            .iter()
            .zip(&classes)
            .enumerate()
            .map(|(i, (w, &c))| PosTag {
                upos: self.upos[c as usize],
                xpos: self.xpos[c as usize],
                lemma: self.lemma_for(w, i, c, sc),
            })
            .collect()
    }

    /// Tags and lemmatizes one sentence of already-tokenized words.
    pub fn tag(&self, words: &[&str]) -> Vec<PosTag> {
        SCRATCH.with(|sc| match sc.try_borrow_mut() {
            Ok(mut sc) => self.tag_with(words, &mut sc),
            // Only reachable if tagging re-enters itself on this thread.
            Err(_) => self.tag_with(words, &mut Scratch::default()),
        })
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new();
        self.tagger.write(&mut w);
        self.stacked.write(&mut w);
        w.f32(self.margin);
        write_map(&mut w, &self.dict);
        w.varint(self.amb_sets.len() as u64);
        for set in &self.amb_sets {
            w.varint(set.len() as u64);
            for &c in set {
                w.varint(c as u64);
            }
        }
        write_map(&mut w, &self.amb);
        let rules: Vec<String> = self.rules.iter().map(Rule::encode).collect();
        w.strs(&rules);
        write_map(&mut w, &self.lemma_table);
        self.lemma_clf.write(&mut w);
        let set: U64Map<u32> = self.known_lemmas.iter().map(|&k| (k, 0)).collect();
        write_map(&mut w, &set);
        write_map(&mut w, &self.prof);
        pack(MAGIC, VERSION, &w.buf)
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, TaggerError> {
        let payload = unpack_version(MAGIC, VERSION, bytes)?;
        let mut r = Reader::new(&payload);
        let tagger = Model::read(&mut r)?;
        if tagger.kind() != TAGGER_KIND {
            return Err(TaggerError::Corrupt(format!(
                "tagger kind {:?}",
                tagger.kind()
            )));
        }
        let stacked = Model::read(&mut r)?;
        let margin = r.f32()?;
        if margin.is_nan() || margin < 0.0 {
            return Err(TaggerError::Corrupt(format!("second-pass margin {margin}")));
        }
        if stacked.kind() != STACKED_KIND || stacked.labels() != tagger.labels() {
            return Err(TaggerError::Corrupt(format!(
                "second-pass tagger kind {:?} or labels do not match",
                stacked.kind()
            )));
        }
        let n = tagger.n_classes() as u32;
        let dict = read_map(&mut r, n)?;
        let n_sets = r.count(1)?;
        let mut amb_sets = Vec::with_capacity(n_sets);
        for _ in 0..n_sets {
            let len = r.count(1)?;
            let mut set = Vec::with_capacity(len);
            for _ in 0..len {
                let c = r.varint()?;
                if c >= n as u64 {
                    return Err(TaggerError::Corrupt("ambiguity class out of range".into()));
                }
                set.push(c as u32);
            }
            amb_sets.push(set);
        }
        let amb = read_map(&mut r, n_sets as u32 + 1)?;
        let rules = r
            .strs()?
            .iter()
            .map(|s| Rule::decode(s))
            .collect::<Result<Vec<_>, _>>()?;
        let lemma_table = read_map(&mut r, rules.len() as u32)?;
        let lemma_clf = Model::read(&mut r)?;
        let known_lemmas = read_map(&mut r, 1)?.into_keys().collect();
        let prof = read_map(&mut r, crate::casing::N_BUCKETS)?;
        r.finish()?;
        if lemma_clf.kind() != LEMMA_KIND {
            return Err(TaggerError::Corrupt(format!(
                "lemma kind {:?}",
                lemma_clf.kind()
            )));
        }
        let clf_rules = lemma_clf
            .labels()
            .iter()
            .map(|s| Rule::decode(s))
            .collect::<Result<Vec<_>, _>>()?;
        Self::assemble(
            tagger,
            stacked,
            margin,
            dict,
            amb_sets,
            amb,
            rules,
            lemma_table,
            lemma_clf,
            clf_rules,
            known_lemmas,
            prof,
        )
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn assemble(
        tagger: Model,
        stacked: Model,
        margin: f32,
        dict: U64Map<u32>,
        amb_sets: Vec<Vec<u32>>,
        amb: U64Map<u32>,
        rules: Vec<Rule>,
        lemma_table: U64Map<u32>,
        lemma_clf: Model,
        clf_rules: Vec<Rule>,
        known_lemmas: U64Set,
        prof: U64Map<u32>,
    ) -> Result<Self, TaggerError> {
        let (upos, xpos) = Self::class_tags(tagger.labels())?;
        let xpos_hash = xpos.iter().map(|x| hash_str(x)).collect();
        Ok(PosModel {
            tagger,
            stacked,
            margin,
            upos,
            xpos,
            xpos_hash,
            dict,
            amb,
            amb_sets,
            rules,
            lemma_table,
            lemma_clf,
            clf_rules,
            known_lemmas,
            prof,
        })
    }
}

/// Sorted keys, delta-coded, so the bytes do not depend on hash-map order.
fn write_map(w: &mut Writer, map: &U64Map<u32>) {
    let mut items: Vec<(u64, u32)> = map.iter().map(|(&k, &v)| (k, v)).collect();
    items.sort_unstable();
    w.varint(items.len() as u64);
    let mut prev = 0;
    for &(k, _) in &items {
        w.varint(k - prev);
        prev = k;
    }
    for &(_, v) in &items {
        w.varint(v as u64);
    }
}

fn read_map(r: &mut Reader, value_bound: u32) -> Result<U64Map<u32>, TaggerError> {
    let n = r.count(2)?;
    let mut keys = Vec::with_capacity(n);
    let mut prev = 0u64;
    for _ in 0..n {
        prev = prev
            .checked_add(r.varint()?)
            .ok_or_else(|| TaggerError::Corrupt("map key overflow".into()))?;
        keys.push(prev);
    }
    let mut map = U64Map::default();
    map.reserve(n);
    for k in keys {
        let v = r.varint()?;
        if v >= value_bound as u64 {
            return Err(TaggerError::Corrupt(format!("map value {v} out of range")));
        }
        map.insert(k, v as u32);
    }
    Ok(map)
}
