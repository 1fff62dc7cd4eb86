//! Morphological features (the CoNLL-U FEATS column) from words and their tags.
//!
//! The whole FEATS value of a word is one label ("Number=Plur",
//! "Mood=Ind|Number=Sing|Person=3|Tense=Pres|VerbForm=Fin", "" for none),
//! chosen by an averaged perceptron among the labels training saw with the
//! word's predicted UPOS+XPOS: the tags settle most of it (NNS → plural), and
//! the classifier only decides what they leave open (a past-tense verb's
//! person and number agree with its subject; "it" is nominative or
//! accusative by position; VB is imperative or infinitive). Only the universal
//! features the CoNLL 2018 scorer counts for UFeats are predicted (EWT's
//! `NumForm`, `ExtPos`, `Style`, `Typo` are not). Its own model file,
//! `models/feats.v1.bin.zst`, embedded here and loaded on first use, so
//! annotation that never writes CoNLL-U never pays for it.
use crate::features::{lowercase_into, shape_class, suffix_start};
use crate::TaggerError;
use chronicle_ml::codec::{pack, unpack_version, Reader, Writer};
use chronicle_ml::hash::{feature, feature2, feature3, hash_str, U64Map};
use chronicle_ml::Model;
use std::sync::OnceLock;

const MAGIC: &[u8; 8] = b"CHRNFEAT";
const VERSION: u16 = 1;
pub(crate) const FEATS_KIND: &str = "feats-joint";

/// Features the CoNLL 2018 scorer keeps for UFeats (its `UNIVERSAL_FEATURES`).
pub const UNIVERSAL_FEATURES: [&str; 21] = [
    "PronType", "NumType", "Poss", "Reflex", "Foreign", "Abbr", "Gender", "Animacy", "Number",
    "Case", "Definite", "Degree", "VerbForm", "Mood", "Tense", "Aspect", "Voice", "Evident",
    "Polarity", "Person", "Polite",
];

/// A FEATS value as the official scorer compares it: universal features only,
/// sorted, `|`-joined; "" for none (`_` included).
pub fn universal_feats(feats: &str) -> String {
    let mut kept: Vec<&str> = feats
        .split('|')
        .filter(|f| {
            let name = f.split_once('=').map_or(*f, |(n, _)| n);
            UNIVERSAL_FEATURES.contains(&name)
        })
        .collect();
    kept.sort_unstable();
    kept.join("|")
}

/// What the predictor reads of one word: its form and our tags and lemma.
#[derive(Debug, Clone, Copy)]
pub struct FeatsToken<'a> {
    pub form: &'a str,
    pub upos: &'a str,
    pub xpos: &'a str,
    pub lemma: &'a str,
}

/// Trained FEATS predictor. Immutable after loading; `Send + Sync`.
#[derive(Debug, Clone)]
pub struct FeatsModel {
    pub(crate) clf: Model,
    /// CoNLL-U form of each class ("_" for no features).
    pub(crate) labels: Vec<&'static str>,
    /// `tag_key` of a UPOS+XPOS pair (or of a UPOS alone) → index into `sets`.
    pub(crate) allowed: U64Map<u32>,
    /// Classes training saw with a tag pair, ascending.
    pub(crate) sets: Vec<Vec<u32>>,
}

static EMBEDDED: &[u8] = include_bytes!("../../../models/feats.v1.bin.zst");

/// Hashes of one token, computed once per sentence.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct FTok {
    lower: u64,
    upos: u64,
    xpos: u64,
    lemma: u64,
    suf: [u64; 3],
    shape: u64,
    /// Coarse role used by the left/right searches.
    role: Role,
    pron: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Role {
    #[default]
    Other,
    /// A word that can be a subject: pronoun, noun, name, number.
    Nominal,
    /// Verb or auxiliary (or the infinitive "to").
    Verbal,
    Punct,
}

const PAD: u64 = 0x5041_4421;
const NONE: u64 = 0x4E4F_4E45;

/// Key of a tag pair in `FeatsModel::allowed`; `xpos` "" keys UPOS alone.
pub(crate) fn tag_key(upos: &str, xpos: &str) -> u64 {
    feature2(900, hash_str(upos), hash_str(xpos))
}

fn shape_hash(word: &str) -> u64 {
    let mut h = 0xCBF2_9CE4_8422_2325u64;
    let mut last = '\0';
    for c in word.chars().take(12) {
        let s = shape_class(c);
        if s != last {
            h = chronicle_ml::hash::fnv1a_byte(h, s as u8);
            last = s;
        }
    }
    h
}

/// Per-token hashes of a sentence (no padding).
pub(crate) fn prepare(words: &[FeatsToken<'_>], lower: &mut String, out: &mut Vec<FTok>) {
    out.clear();
    for w in words {
        lowercase_into(w.form, lower);
        let mut suf = [0u64; 3];
        for (k, s) in suf.iter_mut().enumerate() {
            *s = hash_str(&lower[suffix_start(lower, k + 1)..]);
        }
        let role = match w.upos {
            "PRON" | "NOUN" | "PROPN" | "NUM" => Role::Nominal,
            "VERB" | "AUX" => Role::Verbal,
            "PART" if w.xpos == "TO" => Role::Verbal,
            "PUNCT" => Role::Punct,
            _ => Role::Other,
        };
        out.push(FTok {
            lower: hash_str(lower),
            upos: hash_str(w.upos),
            xpos: hash_str(w.xpos),
            lemma: hash_str(w.lemma),
            suf,
            shape: shape_hash(w.form),
            role,
            pron: w.upos == "PRON",
        });
    }
}

fn bucket(d: usize) -> u64 {
    match d {
        0..=3 => d as u64,
        4..=6 => 4,
        _ => 5,
    }
}

/// A possible subject as agreement sees it: a pronoun by its form ("I",
/// "they"), anything else by its tag (NN vs NNS).
fn subject_value(t: &FTok) -> u64 {
    if t.pron {
        t.lower
    } else {
        t.xpos
    }
}

/// Feature hashes of word `i`.
pub(crate) fn extract(toks: &[FTok], i: usize, question: bool, out: &mut Vec<u64>) {
    out.clear();
    let t = toks[i];
    let at = |j: isize| -> Option<&FTok> {
        if j < 0 {
            None
        } else {
            toks.get(j as usize)
        }
    };
    let i_ = i as isize;
    let low = |j: isize| at(j).map_or(PAD, |t| t.lower);
    let xp = |j: isize| at(j).map_or(PAD, |t| t.xpos);
    let x = t.xpos;
    out.push(feature(1, x));
    out.push(feature2(2, t.lower, x));
    out.push(feature(3, t.lower));
    out.push(feature2(4, t.lemma, x));
    for (k, &s) in t.suf.iter().enumerate() {
        out.push(feature2(5 + k as u32, s, x));
    }
    out.push(feature2(8, t.shape, x));
    out.push(feature2(9, t.upos, x));
    out.push(feature2(10, xp(i_ - 1), x));
    out.push(feature2(11, xp(i_ + 1), x));
    out.push(feature3(12, xp(i_ - 2), xp(i_ - 1), x));
    out.push(feature3(13, x, xp(i_ + 1), xp(i_ + 2)));
    out.push(feature2(14, low(i_ - 1), x));
    out.push(feature2(15, low(i_ + 1), x));
    out.push(feature2(16, low(i_ - 2), x));
    out.push(feature3(17, low(i_ - 1), t.lower, x));
    out.push(feature3(18, t.lower, low(i_ + 1), x));
    out.push(feature3(19, xp(i_ - 1), xp(i_ + 1), x));
    // Sentence position and mood: imperatives and questions.
    let first = toks[..i].iter().all(|t| t.role == Role::Punct);
    out.push(feature3(20, first as u64, question as u64, x));
    // The nearest word to the left that can be a subject, and how far it is:
    // a finite verb's person and number agree with it.
    let (left, dist) = toks[..i]
        .iter()
        .rev()
        .enumerate()
        .find(|(_, t)| t.role == Role::Nominal)
        .map_or((NONE, 9), |(d, t)| (subject_value(t), d));
    out.push(feature2(21, left, x));
    out.push(feature3(22, left, bucket(dist), x));
    // Inverted subjects ("are you", "does it") sit to the right.
    let right = toks[i + 1..]
        .iter()
        .take(3)
        .find(|t| t.role == Role::Nominal)
        .map_or(NONE, subject_value);
    out.push(feature2(23, right, x));
    out.push(feature3(24, right, question as u64, x));
    // The nearest verb, auxiliary or infinitive "to" to the left within four
    // words: passive "was taken", progressive "is going", "to go".
    let verb = toks[..i]
        .iter()
        .rev()
        .take(4)
        .find(|t| t.role == Role::Verbal)
        .map_or(NONE, |t| t.lemma);
    out.push(feature2(25, verb, x));
    out.push(feature3(26, verb, t.lower, x));
    let right_verb = toks[i + 1..]
        .iter()
        .take(3)
        .find(|t| t.role == Role::Verbal)
        .map_or(NONE, |t| t.xpos);
    out.push(feature2(27, right_verb, x));
}

/// Whether the sentence ends in a question mark (ignoring closing quotes and brackets).
pub(crate) fn is_question(words: &[FeatsToken<'_>]) -> bool {
    words
        .iter()
        .rev()
        .find(|w| !matches!(w.form, "\"" | "'" | ")" | "]" | "”" | "’"))
        .is_some_and(|w| w.form.contains('?'))
}

impl FeatsModel {
    /// The model shipped in `models/feats.v1.bin.zst`, loaded once.
    pub fn shared() -> Result<&'static FeatsModel, TaggerError> {
        static SHARED: OnceLock<Result<FeatsModel, String>> = OnceLock::new();
        SHARED
            .get_or_init(|| FeatsModel::from_bytes(EMBEDDED).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| TaggerError::Corrupt(format!("embedded FEATS model: {e}")))
    }

    /// Allowed classes for a word's tags.
    pub(crate) fn allowed_set(&self, upos: &str, xpos: &str) -> &[u32] {
        allowed_in(&self.allowed, &self.sets, upos, xpos)
    }

    /// FEATS of each word of one sentence, in CoNLL-U form (`_` for none).
    pub fn predict(&self, words: &[FeatsToken<'_>]) -> Vec<&'static str> {
        let mut toks = Vec::with_capacity(words.len());
        let mut lower = String::new();
        prepare(words, &mut lower, &mut toks);
        let question = is_question(words);
        let mut feats = Vec::new();
        let mut scores = vec![0.0f32; self.clf.n_classes()];
        words
            .iter()
            .enumerate()
            .map(|(i, w)| match self.allowed_set(w.upos, w.xpos) {
                [] => "_",
                [only] => self.labels[*only as usize],
                set => {
                    extract(&toks, i, question, &mut feats);
                    self.clf.score(&feats, &mut scores);
                    let best = best_of(set, &scores);
                    self.labels[best as usize]
                }
            })
            .collect()
    }

    /// One-line size summary, for training logs.
    pub fn describe(&self) -> String {
        format!(
            "{} FEATS classes, {} features / {} weights, {} tag sets",
            self.clf.n_classes(),
            self.clf.n_features(),
            self.clf.n_weights(),
            self.sets.len()
        )
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new();
        self.clf.write(&mut w);
        w.varint(self.sets.len() as u64);
        for set in &self.sets {
            w.varint(set.len() as u64);
            for &c in set {
                w.varint(c as u64);
            }
        }
        let mut items: Vec<(u64, u32)> = self.allowed.iter().map(|(&k, &v)| (k, v)).collect();
        items.sort_unstable();
        w.varint(items.len() as u64);
        for (k, v) in items {
            w.u64(k);
            w.varint(v as u64);
        }
        pack(MAGIC, VERSION, &w.buf)
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, TaggerError> {
        let payload = unpack_version(MAGIC, VERSION, bytes)?;
        let mut r = Reader::new(&payload);
        let clf = Model::read(&mut r)?;
        if clf.kind() != FEATS_KIND {
            return Err(TaggerError::Corrupt(format!(
                "FEATS model kind {:?}",
                clf.kind()
            )));
        }
        let n = clf.n_classes() as u64;
        let n_sets = r.count(1)?;
        let mut sets = Vec::with_capacity(n_sets);
        for _ in 0..n_sets {
            let len = r.count(1)?;
            let mut set = Vec::with_capacity(len);
            for _ in 0..len {
                let c = r.varint()?;
                if c >= n {
                    return Err(TaggerError::Corrupt("FEATS class out of range".into()));
                }
                set.push(c as u32);
            }
            sets.push(set);
        }
        let n_keys = r.count(9)?;
        let mut allowed = U64Map::default();
        for _ in 0..n_keys {
            let k = r.u64()?;
            let v = r.varint()?;
            if v >= n_sets as u64 {
                return Err(TaggerError::Corrupt("FEATS tag set out of range".into()));
            }
            allowed.insert(k, v as u32);
        }
        r.finish()?;
        Ok(Self::assemble(clf, allowed, sets))
    }

    pub(crate) fn assemble(clf: Model, allowed: U64Map<u32>, sets: Vec<Vec<u32>>) -> Self {
        let labels = clf
            .labels()
            .iter()
            .map(|l| {
                if l.is_empty() {
                    "_"
                } else {
                    crate::model::intern(l)
                }
            })
            .collect();
        FeatsModel {
            clf,
            labels,
            allowed,
            sets,
        }
    }
}

/// Classes seen with a word's UPOS+XPOS, else with its UPOS, else none (the
/// word gets no features).
pub(crate) fn allowed_in<'a>(
    allowed: &U64Map<u32>,
    sets: &'a [Vec<u32>],
    upos: &str,
    xpos: &str,
) -> &'a [u32] {
    allowed
        .get(&tag_key(upos, xpos))
        .or_else(|| allowed.get(&tag_key(upos, "")))
        .map_or(&[], |&s| sets[s as usize].as_slice())
}

/// The highest-scoring class of `set` (ties to the first).
pub(crate) fn best_of(set: &[u32], scores: &[f32]) -> u32 {
    let mut best = set[0];
    for &c in &set[1..] {
        if scores[c as usize] > scores[best as usize] {
            best = c;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn universal_feats_filters_and_sorts_like_the_scorer() {
        assert_eq!(universal_feats("_"), "");
        assert_eq!(universal_feats(""), "");
        assert_eq!(
            universal_feats("Number=Sing|NumForm=Digit|NumType=Card"),
            "NumType=Card|Number=Sing"
        );
        assert_eq!(universal_feats("Typo=Yes|Abbr=Yes"), "Abbr=Yes");
    }

    #[test]
    fn questions_are_told_by_their_last_mark() {
        let t = |form| FeatsToken {
            form,
            upos: "X",
            xpos: "X",
            lemma: form,
        };
        assert!(is_question(&[t("Why"), t("?"), t("\"")]));
        assert!(!is_question(&[t("Go"), t(".")]));
        assert!(!is_question(&[]));
    }

    #[test]
    fn shipped_model_loads_and_tags_plurals() {
        let m = FeatsModel::shared().expect("models/feats.v1.bin.zst is committed and valid");
        let words = [
            FeatsToken {
                form: "The",
                upos: "DET",
                xpos: "DT",
                lemma: "the",
            },
            FeatsToken {
                form: "dogs",
                upos: "NOUN",
                xpos: "NNS",
                lemma: "dog",
            },
            FeatsToken {
                form: ".",
                upos: "PUNCT",
                xpos: ".",
                lemma: ".",
            },
        ];
        assert_eq!(
            m.predict(&words),
            ["Definite=Def|PronType=Art", "Number=Plur", "_"]
        );
    }

    #[test]
    fn best_of_picks_within_the_set_only() {
        let scores = [5.0, 1.0, 3.0, 3.0];
        assert_eq!(best_of(&[1, 2, 3], &scores), 2);
        assert_eq!(best_of(&[1], &scores), 1);
    }
}
