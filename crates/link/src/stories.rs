//! Stories as a stream: each new document joins the story whose reports it resembles
//! most, or starts one. A document is a bag of weighted keys (names of people,
//! organizations and places, content lemmas, headline terms, the years, months and
//! full dates it mentions, the figures it gives); dates and figures weigh more, since
//! two events of one kind (two earthquakes, two fights of one boxer) share their
//! words but not their day or magnitude. A story keeps the summed keys of its
//! documents, truncated to the most telling [`STORY_KEYS`]. Keys are weighted by inverse document frequency, so
//! "Syria" in a Syria corpus says little and "Ghouta" or "Lavrov" a lot.
//!
//! Candidates come only from postings of the document's rarest keys
//! ([`INDEX_KEYS`] of them), each posting holding the [`POSTING_CAP`] stories that
//! last used the key, within [`WINDOW_DAYS`] of the document's date, at most
//! [`CANDIDATE_CAP`] of them: the cost of one document does not grow with the store.
//!
//! The flow ([`link_document`]) runs on any [`StoryBackend`]: [`MemoryStoryIndex`]
//! for the benchmark and tests, the store for ingest, so both give the same
//! assignments. Every decision is deterministic (sorted keys, ties broken by id).

use chronicle_core::Document;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Most candidate stories compared with one document.
pub const CANDIDATE_CAP: usize = 32;
/// Stories kept per key posting (the most recent).
pub const POSTING_CAP: usize = 64;
/// Keys of a document used to look candidates up.
pub const INDEX_KEYS: usize = 12;
/// Keys a story keeps.
pub const STORY_KEYS: usize = 128;
/// A dated document only meets stories active within this many days of its date.
pub const WINDOW_DAYS: i64 = 90;
/// Documents assumed in a store before the first one (see [`KeyStats::idf`]).
pub const IDF_PRIOR_DOCS: f32 = 100.0;
/// Cosine similarity (idf-weighted) a document needs to join a story.
pub const JOIN_THRESHOLD: f32 = 0.26;
/// Cosine similarity of two stories that merges them.
pub const MERGE_THRESHOLD: f32 = 0.70;

/// The tunable settings of the flow; [`Default`] gives the constants above, which
/// ingest uses. The benchmark's tuning (on ECB+ train topics) varies them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StoryParams {
    pub join_threshold: f32,
    pub merge_threshold: f32,
    pub window_days: i64,
}

impl Default for StoryParams {
    fn default() -> Self {
        StoryParams {
            join_threshold: JOIN_THRESHOLD,
            merge_threshold: MERGE_THRESHOLD,
            window_days: WINDOW_DAYS,
        }
    }
}

const NAMES_CAP: usize = 16;

const OUTLETS_CAP: usize = 32;

/// Key kinds and their weights: a shared name or headline term says more than a shared lemma.
const NAME_WEIGHT: f32 = 2.0;
const TITLE_WEIGHT: f32 = 3.0;
const LEMMA_WEIGHT: f32 = 1.0;
const DATE_WEIGHT: f32 = 1.0;
const DAY_WEIGHT: f32 = 2.0;
const NUMBER_WEIGHT: f32 = 1.0;
/// Factors on the final weight of date keys (`y:`, `m:`, `d:`) and figure keys (`#:`):
/// two reports of one event share its date and figures (a magnitude, a death toll, a
/// score); two events of one kind share mostly words. Chosen on ECB+ train topics.
const DATE_FACTOR: f32 = 3.0;
const NUMBER_FACTOR: f32 = 2.0;

/// Lemmas too common in news to tell stories apart, whatever the corpus.
const STOP_LEMMAS: &[&str] = &[
    "be",
    "have",
    "do",
    "say",
    "tell",
    "report",
    "include",
    "make",
    "take",
    "get",
    "go",
    "come",
    "also",
    "other",
    "more",
    "many",
    "new",
    "year",
    "day",
    "time",
    "people",
    "week",
    "month",
    "just",
    "first",
    "last",
    "late",
    "early",
    "well",
    "only",
    "even",
    "still",
    "way",
    "thing",
    "according",
    "accord",
    "news",
    "story",
    "article",
    "http",
    "www",
    "com",
    "html",
    "htm",
    "know",
    "see",
    "think",
    "want",
    "use",
    "find",
    "give",
    "accord",
    "can",
    "will",
    "would",
    "could",
    "should",
    "may",
    "might",
    "must",
    "%",
    "mr",
    "mrs",
    "ms",
];

/// Document frequencies of keys: how the store (or the memory index) weights keys.
/// The store keeps one counter per key and the number of documents.
pub trait KeyStats {
    /// Documents counted so far.
    fn doc_count(&self) -> u64;
    /// Documents counted so far that hold `key`.
    fn doc_freq(&self, key: &str) -> u64;

    /// Inverse document frequency. The prior of [`IDF_PRIOR_DOCS`] unseen documents
    /// keeps the first documents of a fresh store from finding every shared key worthless.
    fn idf(&self, key: &str) -> f32 {
        let df = self.doc_freq(key);
        let n = self.doc_count() as f32 + IDF_PRIOR_DOCS;
        (n / (df as f32 + 1.0)).ln().max(0.0) + 1.0
    }
}

/// What a document brings to story linking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocProfile {
    pub doc_id: String,
    /// Publication date `YYYY-MM-DD`, if known.
    pub date: Option<String>,
    pub outlet: Option<String>,
    pub title: Option<String>,
    /// Key → weight (sublinear term frequency times the key kind's weight).
    pub keys: BTreeMap<String, f32>,
    /// Display names of people and organizations (`n:` keys → name as written).
    pub actors: BTreeMap<String, String>,
    /// Display names of places.
    pub places: BTreeMap<String, String>,
}

fn norm_name(s: &str) -> String {
    let lower: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                ' '
            }
        })
        .collect();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let words = match words.first() {
        Some(&"the") => &words[1..],
        _ => &words[..],
    };
    words.join(" ")
}

fn content_lemma(lemma: &str, upos: Option<&str>) -> Option<String> {
    if !matches!(upos, Some("NOUN" | "PROPN")) {
        return None;
    }
    let l = lemma.to_lowercase();
    if l.chars().count() < 3
        || !l.chars().any(char::is_alphabetic)
        || STOP_LEMMAS.contains(&l.as_str())
    {
        return None;
    }
    Some(l)
}

fn kind_factor(key: &str) -> f32 {
    match key.get(..2) {
        Some("y:" | "m:" | "d:") => DATE_FACTOR,
        Some("#:") => NUMBER_FACTOR,
        _ => 1.0,
    }
}

/// The figure key (`#:` and the digits as written) of a number token: digits with
/// their separators, not a year (years come as `y:` keys from the times) and not a
/// spelled-out number ("two" says nothing about which event).
fn number_key(text: &str, upos: Option<&str>) -> Option<String> {
    let x = text.trim_end_matches('%');
    let digits_only = x
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == ',');
    let year_like = x.len() == 4 && x.starts_with(['1', '2']);
    (upos == Some("NUM") && x.chars().any(|c| c.is_ascii_digit()) && digits_only && !year_like)
        .then(|| format!("#:{x}"))
}

/// Month and year keys of a `YYYY[-MM[-DD]]` value.
fn date_keys(value: &str) -> Vec<String> {
    let b = value.as_bytes();
    let year_ok = b.len() >= 4 && b[..4].iter().all(u8::is_ascii_digit);
    if !year_ok {
        return Vec::new();
    }
    let mut keys = vec![format!("y:{}", &value[..4])];
    if b.len() >= 7 && b[4] == b'-' && b[5..7].iter().all(u8::is_ascii_digit) {
        keys.push(format!("m:{}", &value[..7]));
    }
    keys
}

/// Days since 0000-03-01 of a `YYYY-MM-DD` date (the civil-from-days inverse).
fn day_number(date: &str) -> Option<i64> {
    let mut it = date.get(..10)?.split('-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let d: i64 = it.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe)
}

impl DocProfile {
    /// The profile of an annotated document.
    pub fn of(doc: &Document) -> DocProfile {
        let mut tf: BTreeMap<String, f32> = BTreeMap::new();
        let mut actors = BTreeMap::new();
        let mut places = BTreeMap::new();
        for e in &doc.entities {
            let n = norm_name(&e.text);
            if n.is_empty() {
                continue;
            }
            let key = format!("n:{n}");
            *tf.entry(key.clone()).or_default() += NAME_WEIGHT;
            let shelf = if matches!(e.label.as_str(), "LOC" | "GPE") {
                &mut places
            } else {
                &mut actors
            };
            shelf.entry(key).or_insert_with(|| e.text.clone());
            // A surname alone names the same person in a later sentence or report.
            if e.label == "PER" {
                if let Some(last) = n.rsplit(' ').next().filter(|l| *l != n) {
                    *tf.entry(format!("n:{last}")).or_default() += NAME_WEIGHT * 0.5;
                }
            }
        }
        for t in &doc.tokens {
            let lemma = t.lemma.as_deref().unwrap_or(&t.text);
            if let Some(l) = content_lemma(lemma, t.upos.as_deref()) {
                *tf.entry(format!("w:{l}")).or_default() += LEMMA_WEIGHT;
            }
        }
        // Headline terms: the title's words that are content words of the text (as
        // lemmas), else the first sentence's (a headline in most feeds).
        let mut surface: HashMap<String, String> = HashMap::new();
        for t in &doc.tokens {
            let lemma = t.lemma.as_deref().unwrap_or(&t.text);
            if let Some(l) = content_lemma(lemma, t.upos.as_deref()) {
                surface.entry(t.text.to_lowercase()).or_insert(l);
            }
        }
        let title_lemmas: Vec<String> = match &doc.title {
            Some(title) => title
                .split(|c: char| !c.is_alphanumeric())
                .filter_map(|w| surface.get(&w.to_lowercase()).cloned())
                .collect(),
            None => {
                let end = doc.sentences.first().map_or(0, |s| s.token_end);
                doc.tokens[..end.min(doc.tokens.len())]
                    .iter()
                    .filter_map(|t| {
                        content_lemma(t.lemma.as_deref().unwrap_or(&t.text), t.upos.as_deref())
                    })
                    .collect()
            }
        };
        for l in title_lemmas {
            *tf.entry(format!("w:{l}")).or_default() += TITLE_WEIGHT;
        }
        let header_in_doubt = doc.warnings.iter().any(|w| w.code == "date_conflict");
        for t in &doc.times {
            if t.kind == "DATE" {
                for k in date_keys(&t.value) {
                    *tf.entry(k).or_default() += DATE_WEIGHT;
                }
                // A full date names the day of one event: two earthquakes or two
                // fights of one boxer share their kind-words, not their day. When the
                // header date is in doubt (`date_conflict`), only dates the text
                // states whole: those resolved against the header are wrong with it.
                let stated = t.anchor.is_none() || !header_in_doubt;
                if let Some(day) = t
                    .value
                    .get(..10)
                    .filter(|d| stated && day_number(d).is_some())
                {
                    *tf.entry(format!("d:{day}")).or_default() += DAY_WEIGHT;
                }
            }
        }
        for t in &doc.tokens {
            if let Some(n) = number_key(&t.text, t.upos.as_deref()) {
                *tf.entry(n).or_default() += NUMBER_WEIGHT;
            }
        }
        // A date estimated from the content alone is too weak to keep a document out of
        // a story (ECB+ reports of one event get such dates years apart); it still
        // gives month and year keys.
        let published = doc.published.as_ref().map(|p| p.date.clone());
        let date = doc
            .published
            .as_ref()
            .filter(|p| !p.estimated)
            .map(|p| p.date.clone());
        if let Some(d) = &published {
            for k in date_keys(d) {
                *tf.entry(k).or_default() += DATE_WEIGHT;
            }
        }
        // Sublinear: the tenth mention of a name adds less than the second.
        // Then the distinctive kinds (dates, figures) count more than names and
        // words, whatever their counts: they tell two events of one kind apart.
        let keys = tf
            .into_iter()
            .map(|(k, v)| {
                let factor = kind_factor(&k);
                (k, (1.0 + v.ln_1p()) * factor)
            })
            .collect();
        DocProfile {
            doc_id: doc.id.clone(),
            date,
            outlet: doc.outlet.clone(),
            title: doc.title.clone(),
            keys,
            actors,
            places,
        }
    }

    /// The keys a candidate lookup uses: the most telling (weight × idf) first, ties by key.
    pub fn index_keys(&self, stats: &dyn KeyStats) -> Vec<String> {
        let mut ranked: Vec<(f32, &String)> = self
            .keys
            .iter()
            .filter(|(k, _)| !k.starts_with("y:") && !k.starts_with("m:"))
            .map(|(k, w)| (w * stats.idf(k), k))
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        ranked
            .into_iter()
            .take(INDEX_KEYS)
            .map(|(_, k)| k.clone())
            .collect()
    }

    /// The keys a lookup reads: the most telling among keys another document already
    /// holds (a key only this document holds has an empty posting, and the rarest keys
    /// of a document are mostly such).
    pub fn lookup_keys(&self, stats: &dyn KeyStats) -> Vec<String> {
        let mut ranked: Vec<(f32, &String)> = self
            .keys
            .iter()
            .filter(|(k, _)| !k.starts_with("y:") && !k.starts_with("m:"))
            .filter(|(k, _)| stats.doc_freq(k) >= 2)
            .map(|(k, w)| (w * stats.idf(k), k))
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        ranked
            .into_iter()
            .take(INDEX_KEYS)
            .map(|(_, k)| k.clone())
            .collect()
    }
}

/// A story's state: bounded, so the store can keep it as one JSON value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryProfile {
    pub id: String,
    /// Summed key weights of its documents, the [`STORY_KEYS`] heaviest.
    pub keys: BTreeMap<String, f32>,
    pub doc_count: u32,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// The headline closest to the story's keys so far, and its similarity.
    pub label: Option<String>,
    pub label_score: f32,
    pub outlets: BTreeSet<String>,
    /// Name key → (name as written, documents naming it), the most named kept.
    pub actors: BTreeMap<String, (String, u32)>,
    pub places: BTreeMap<String, (String, u32)>,
    /// Stories merged into this one (their ids stay valid through the store's merge record).
    pub merged: Vec<String>,
}

fn add_names(shelf: &mut BTreeMap<String, (String, u32)>, names: &BTreeMap<String, String>) {
    for (k, v) in names {
        shelf.entry(k.clone()).or_insert_with(|| (v.clone(), 0)).1 += 1;
    }
    if shelf.len() > NAMES_CAP {
        let mut ranked: Vec<(u32, String)> = shelf.iter().map(|(k, v)| (v.1, k.clone())).collect();
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        for (_, k) in ranked.into_iter().skip(NAMES_CAP) {
            shelf.remove(&k);
        }
    }
}

fn truncate_keys(keys: &mut BTreeMap<String, f32>) {
    if keys.len() <= STORY_KEYS {
        return;
    }
    let mut ranked: Vec<(f32, String)> = keys.iter().map(|(k, w)| (*w, k.clone())).collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    for (_, k) in ranked.into_iter().skip(STORY_KEYS) {
        keys.remove(&k);
    }
}

fn min_date(a: &Option<String>, b: &Option<String>) -> Option<String> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y).clone()),
        (x, y) => x.clone().or_else(|| y.clone()),
    }
}

fn max_date(a: &Option<String>, b: &Option<String>) -> Option<String> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y).clone()),
        (x, y) => x.clone().or_else(|| y.clone()),
    }
}

/// The stable id of the story a document founds.
pub fn story_id_for(founding_doc_id: &str) -> String {
    format!("story-{founding_doc_id}")
}

impl StoryProfile {
    /// The story a document founds.
    pub fn start(doc: &DocProfile) -> StoryProfile {
        let mut s = StoryProfile {
            id: story_id_for(&doc.doc_id),
            keys: BTreeMap::new(),
            doc_count: 0,
            first_date: None,
            last_date: None,
            label: None,
            label_score: 0.0,
            outlets: BTreeSet::new(),
            actors: BTreeMap::new(),
            places: BTreeMap::new(),
            merged: Vec::new(),
        };
        s.absorb(doc, 1.0);
        s
    }

    /// Adds a document; `similarity` is its score against the story (1.0 for the founder),
    /// which decides whether its headline becomes the label.
    pub fn absorb(&mut self, doc: &DocProfile, similarity: f32) {
        for (k, w) in &doc.keys {
            *self.keys.entry(k.clone()).or_default() += w;
        }
        truncate_keys(&mut self.keys);
        self.doc_count += 1;
        self.first_date = min_date(&self.first_date, &doc.date);
        self.last_date = max_date(&self.last_date, &doc.date);
        if let Some(t) = &doc.title {
            if self.label.is_none() || similarity > self.label_score {
                self.label = Some(t.clone());
                self.label_score = similarity;
            }
        }
        if let Some(o) = &doc.outlet {
            if self.outlets.len() < OUTLETS_CAP {
                self.outlets.insert(o.clone());
            }
        }
        add_names(&mut self.actors, &doc.actors);
        add_names(&mut self.places, &doc.places);
    }

    /// Takes in another story (its keys, dates, outlets, names) and records it.
    pub fn merge(&mut self, other: &StoryProfile) {
        for (k, w) in &other.keys {
            *self.keys.entry(k.clone()).or_default() += w;
        }
        truncate_keys(&mut self.keys);
        self.doc_count += other.doc_count;
        self.first_date = min_date(&self.first_date, &other.first_date);
        self.last_date = max_date(&self.last_date, &other.last_date);
        if self.label.is_none() {
            self.label = other.label.clone();
        }
        for o in &other.outlets {
            if self.outlets.len() < OUTLETS_CAP {
                self.outlets.insert(o.clone());
            }
        }
        for (shelf, theirs) in [
            (&mut self.actors, &other.actors),
            (&mut self.places, &other.places),
        ] {
            let names: BTreeMap<String, String> = theirs
                .iter()
                .map(|(k, v)| (k.clone(), v.0.clone()))
                .collect();
            add_names(shelf, &names);
        }
        self.merged.push(other.id.clone());
        self.merged.extend(other.merged.iter().cloned());
    }

    /// The label shown for the story: its most representative headline, else its id.
    pub fn label(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.id)
    }

    /// Whether a document dated `date` may meet this story (within [`WINDOW_DAYS`]).
    pub fn in_window(&self, date: Option<&str>) -> bool {
        self.in_window_of(date, WINDOW_DAYS)
    }

    /// Whether a document dated `date` may meet this story within `window_days`.
    pub fn in_window_of(&self, date: Option<&str>, window_days: i64) -> bool {
        let Some(d) = date.and_then(day_number) else {
            return true;
        };
        let first = self.first_date.as_deref().and_then(day_number);
        let last = self.last_date.as_deref().and_then(day_number);
        match (first, last) {
            (Some(f), Some(l)) => d >= f - window_days && d <= l + window_days,
            _ => true,
        }
    }
}

fn cosine(a: &BTreeMap<String, f32>, b: &BTreeMap<String, f32>, stats: &dyn KeyStats) -> f32 {
    let (mut dot, mut na, mut nb) = (0.0f32, 0.0f32, 0.0f32);
    for (k, w) in a {
        let idf = stats.idf(k);
        let x = w * idf;
        na += x * x;
        if let Some(v) = b.get(k) {
            dot += x * v * idf;
        }
    }
    for (k, v) in b {
        let y = v * stats.idf(k);
        nb += y * y;
    }
    if na == 0.0 || nb == 0.0 {
        0.0
    } else {
        dot / (na.sqrt() * nb.sqrt())
    }
}

/// Similarity of a document to a story (cosine of idf-weighted keys).
pub fn similarity(doc: &DocProfile, story: &StoryProfile, stats: &dyn KeyStats) -> f32 {
    cosine(&doc.keys, &story.keys, stats)
}

/// The story a document joins among `candidates` (None: it starts one), with its
/// similarity. Ties go to the smaller id.
pub fn decide(
    doc: &DocProfile,
    candidates: &[(String, StoryProfile)],
    stats: &dyn KeyStats,
) -> Option<(String, f32)> {
    decide_with(doc, candidates, stats, &StoryParams::default())
}

/// [`decide`] with explicit settings.
pub fn decide_with(
    doc: &DocProfile,
    candidates: &[(String, StoryProfile)],
    stats: &dyn KeyStats,
    params: &StoryParams,
) -> Option<(String, f32)> {
    let mut best: Option<(String, f32)> = None;
    for (id, story) in candidates {
        if !story.in_window_of(doc.date.as_deref(), params.window_days) {
            continue;
        }
        let s = similarity(doc, story, stats);
        let better = match &best {
            None => true,
            Some((bid, bs)) => s > *bs || (s == *bs && id < bid),
        };
        if better {
            best = Some((id.clone(), s));
        }
    }
    best.filter(|(_, s)| *s >= params.join_threshold)
}

/// Whether two stories tell the same development (their reports converged).
pub fn should_merge(a: &StoryProfile, b: &StoryProfile, stats: &dyn KeyStats) -> bool {
    merge_score(a, b, stats, WINDOW_DAYS) >= MERGE_THRESHOLD
}

fn merge_score(a: &StoryProfile, b: &StoryProfile, stats: &dyn KeyStats, window_days: i64) -> f32 {
    let dated_apart = match (b.first_date.as_deref(), b.last_date.as_deref()) {
        (Some(f), Some(l)) => {
            !a.in_window_of(Some(f), window_days) && !a.in_window_of(Some(l), window_days)
        }
        _ => false,
    };
    if dated_apart {
        0.0
    } else {
        cosine(&a.keys, &b.keys, stats)
    }
}

/// A recorded merge: `absorbed` now lives on as `kept`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergeDecision {
    pub kept: String,
    pub absorbed: String,
    pub score: f32,
}

/// What happened to one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    pub doc_id: String,
    pub story: String,
    /// Similarity to the story joined; None when the document started it.
    pub score: Option<f32>,
    /// Candidate stories compared.
    pub candidates: usize,
    /// The candidate list was cut at [`CANDIDATE_CAP`] (a huge story or key): log it.
    pub cap_hit: bool,
    pub merges: Vec<MergeDecision>,
}

/// Where the stories live: postings key → story ids, the stories, key frequencies.
/// The store implements it over its tables; [`MemoryStoryIndex`] in memory.
pub trait StoryBackend: KeyStats {
    type Error;
    /// Counts a document's keys (each once) in the document frequencies.
    fn count_keys(&mut self, keys: &[&str]) -> Result<(), Self::Error>;
    /// Story ids posted under `key`, most recent last (at most [`POSTING_CAP`]).
    fn posting(&self, key: &str) -> Result<Vec<String>, Self::Error>;
    /// Posts `story` under `key` (moved to the end if there, oldest dropped past the cap).
    fn post(&mut self, key: &str, story: &str) -> Result<(), Self::Error>;
    /// A story by id, following merges to the story that absorbed it.
    fn story(&self, id: &str) -> Result<Option<StoryProfile>, Self::Error>;
    fn put_story(&mut self, story: &StoryProfile) -> Result<(), Self::Error>;
    /// Records that `absorbed` merged into `kept` (the id resolves to `kept` from now on).
    fn record_merge(&mut self, merge: &MergeDecision) -> Result<(), Self::Error>;
    /// Records which story a document belongs to.
    fn assign(&mut self, doc_id: &str, story: &str) -> Result<(), Self::Error>;
}

/// Links one document: candidates from postings, the decision, the story's update,
/// postings, and merges of candidates the grown story now converges with.
pub fn link_document<B: StoryBackend>(
    backend: &mut B,
    doc: &DocProfile,
) -> Result<Assignment, B::Error> {
    link_document_with(backend, doc, &StoryParams::default())
}

/// [`link_document`] with explicit settings.
pub fn link_document_with<B: StoryBackend>(
    backend: &mut B,
    doc: &DocProfile,
    params: &StoryParams,
) -> Result<Assignment, B::Error> {
    let distinct: Vec<&str> = doc.keys.keys().map(String::as_str).collect();
    backend.count_keys(&distinct)?;
    let index_keys = doc.index_keys(backend);
    // Stories sharing the most lookup keys first; ties by id.
    let mut shared: BTreeMap<String, u32> = BTreeMap::new();
    for k in &doc.lookup_keys(backend) {
        for id in backend.posting(k)? {
            *shared.entry(id).or_default() += 1;
        }
    }
    let mut ranked: Vec<(u32, String)> = shared.into_iter().map(|(id, n)| (n, id)).collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let mut candidates: Vec<(String, StoryProfile)> = Vec::new();
    let mut cap_hit = false;
    for (_, id) in ranked {
        let Some(story) = backend.story(&id)? else {
            continue;
        };
        if candidates.iter().any(|(c, _)| *c == story.id)
            || !story.in_window_of(doc.date.as_deref(), params.window_days)
        {
            continue;
        }
        if candidates.len() == CANDIDATE_CAP {
            cap_hit = true;
            break;
        }
        candidates.push((story.id.clone(), story));
    }
    let decision = decide_with(doc, &candidates, backend, params);
    let mut story = match &decision {
        Some((id, s)) => {
            let mut story = candidates
                .iter()
                .find(|(c, _)| c == id)
                .map(|(_, st)| st.clone())
                .unwrap_or_else(|| StoryProfile::start(doc));
            story.absorb(doc, *s);
            story
        }
        None => StoryProfile::start(doc),
    };
    let mut merges = Vec::new();
    for (id, other) in &candidates {
        if *id == story.id {
            continue;
        }
        let score = merge_score(&story, other, backend, params.window_days);
        if score >= params.merge_threshold {
            // The older (larger, then smaller id) story keeps its id.
            let keep_other = (other.doc_count, std::cmp::Reverse(&other.id))
                > (story.doc_count, std::cmp::Reverse(&story.id));
            let (mut kept, absorbed) = if keep_other {
                (other.clone(), story.clone())
            } else {
                (story.clone(), other.clone())
            };
            kept.merge(&absorbed);
            let m = MergeDecision {
                kept: kept.id.clone(),
                absorbed: absorbed.id.clone(),
                score,
            };
            backend.record_merge(&m)?;
            merges.push(m);
            story = kept;
        }
    }
    backend.put_story(&story)?;
    for k in &index_keys {
        backend.post(k, &story.id)?;
    }
    backend.assign(&doc.doc_id, &story.id)?;
    Ok(Assignment {
        doc_id: doc.doc_id.clone(),
        story: story.id,
        score: decision.map(|(_, s)| s),
        candidates: candidates.len(),
        cap_hit,
        merges,
    })
}

/// Stories in memory: the benchmark's and the tests' backend.
#[derive(Debug, Default, Clone)]
pub struct MemoryStoryIndex {
    params: StoryParams,
    stories: BTreeMap<String, StoryProfile>,
    postings: HashMap<String, Vec<String>>,
    df: HashMap<String, u64>,
    docs: u64,
    merged_into: HashMap<String, String>,
    assigned: BTreeMap<String, String>,
}

impl MemoryStoryIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// An index with explicit settings (tuning).
    pub fn with_params(params: StoryParams) -> Self {
        MemoryStoryIndex {
            params,
            ..Self::default()
        }
    }

    /// Links one document (see [`link_document`]).
    pub fn add(&mut self, doc: &DocProfile) -> Assignment {
        let params = self.params;
        match link_document_with(self, doc, &params) {
            Ok(a) => a,
            Err(never) => match never {},
        }
    }

    fn resolve<'a>(&'a self, mut id: &'a str) -> &'a str {
        // Merge chains are short; the bound guards a cycle no flow creates.
        for _ in 0..64 {
            match self.merged_into.get(id) {
                Some(next) => id = next,
                None => break,
            }
        }
        id
    }

    /// The story each document belongs to now (merges followed).
    pub fn story_of(&self, doc_id: &str) -> Option<&str> {
        self.assigned.get(doc_id).map(|s| self.resolve(s))
    }

    /// The stories, by id.
    pub fn stories(&self) -> impl Iterator<Item = &StoryProfile> {
        self.stories.values()
    }
}

impl KeyStats for MemoryStoryIndex {
    fn doc_count(&self) -> u64 {
        self.docs
    }
    fn doc_freq(&self, key: &str) -> u64 {
        self.df.get(key).copied().unwrap_or(0)
    }
}

impl StoryBackend for MemoryStoryIndex {
    type Error = std::convert::Infallible;

    fn count_keys(&mut self, keys: &[&str]) -> Result<(), Self::Error> {
        self.docs += 1;
        for k in keys {
            *self.df.entry((*k).to_string()).or_default() += 1;
        }
        Ok(())
    }

    fn posting(&self, key: &str) -> Result<Vec<String>, Self::Error> {
        Ok(self.postings.get(key).cloned().unwrap_or_default())
    }

    fn post(&mut self, key: &str, story: &str) -> Result<(), Self::Error> {
        let p = self.postings.entry(key.to_string()).or_default();
        p.retain(|s| s != story);
        p.push(story.to_string());
        if p.len() > POSTING_CAP {
            p.remove(0);
        }
        Ok(())
    }

    fn story(&self, id: &str) -> Result<Option<StoryProfile>, Self::Error> {
        Ok(self.stories.get(self.resolve(id)).cloned())
    }

    fn put_story(&mut self, story: &StoryProfile) -> Result<(), Self::Error> {
        self.stories.insert(story.id.clone(), story.clone());
        Ok(())
    }

    fn record_merge(&mut self, merge: &MergeDecision) -> Result<(), Self::Error> {
        self.stories.remove(&merge.absorbed);
        self.merged_into
            .insert(merge.absorbed.clone(), merge.kept.clone());
        Ok(())
    }

    fn assign(&mut self, doc_id: &str, story: &str) -> Result<(), Self::Error> {
        self.assigned.insert(doc_id.to_string(), story.to_string());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(id: &str, date: Option<&str>, keys: &[(&str, f32)]) -> DocProfile {
        DocProfile {
            doc_id: id.into(),
            date: date.map(str::to_string),
            outlet: Some(format!("outlet-{id}")),
            title: Some(format!("title {id}")),
            keys: keys.iter().map(|(k, w)| (k.to_string(), *w)).collect(),
            actors: BTreeMap::new(),
            places: BTreeMap::new(),
        }
    }

    #[test]
    fn similar_documents_share_a_story_and_others_start_one() {
        let mut idx = MemoryStoryIndex::new();
        let a = idx.add(&profile(
            "a",
            None,
            &[("n:lavrov", 2.0), ("w:ceasefire", 1.0), ("n:syria", 1.0)],
        ));
        assert!(a.score.is_none());
        let b = idx.add(&profile(
            "b",
            None,
            &[("n:lavrov", 2.0), ("w:ceasefire", 1.0), ("w:talk", 1.0)],
        ));
        assert_eq!(b.story, a.story);
        let c = idx.add(&profile(
            "c",
            None,
            &[("n:ghouta", 2.0), ("w:siege", 1.0), ("n:syria", 1.0)],
        ));
        assert_ne!(c.story, a.story);
        assert_eq!(idx.story_of("b"), Some(a.story.as_str()));
        assert_eq!(idx.stories().count(), 2);
    }

    #[test]
    fn a_document_without_keys_starts_its_own_story() {
        let mut idx = MemoryStoryIndex::new();
        let a = idx.add(&profile("a", None, &[]));
        let b = idx.add(&profile("b", None, &[]));
        assert_ne!(a.story, b.story);
    }

    #[test]
    fn the_time_window_keeps_a_year_old_story_out() {
        let mut idx = MemoryStoryIndex::new();
        let keys = [("n:lavrov", 2.0), ("w:ceasefire", 1.0)];
        let a = idx.add(&profile("a", Some("2015-03-01"), &keys));
        let b = idx.add(&profile("b", Some("2016-10-03"), &keys));
        assert_ne!(a.story, b.story);
        let c = idx.add(&profile("c", Some("2016-10-04"), &keys));
        assert_eq!(c.story, b.story);
    }

    #[test]
    fn assignments_are_deterministic_and_ids_stable() {
        let docs: Vec<DocProfile> = (0..40)
            .map(|i| {
                let topic = i % 4;
                profile(
                    &format!("d{i:02}"),
                    None,
                    &[
                        (&*format!("n:topic{topic}"), 2.0),
                        ("w:common", 1.0),
                        (&*format!("w:x{i}"), 1.0),
                    ],
                )
            })
            .collect();
        let run = || {
            let mut idx = MemoryStoryIndex::new();
            docs.iter().map(|d| idx.add(d).story).collect::<Vec<_>>()
        };
        let first = run();
        assert_eq!(first, run());
        assert_eq!(first[0], story_id_for("d00"));
        assert_eq!(first.iter().collect::<BTreeSet<_>>().len(), 4);
    }

    #[test]
    fn candidates_are_capped() {
        let mut idx = MemoryStoryIndex::new();
        // Many stories sharing one rare-ish key, each with its own distinct keys.
        for i in 0..(CANDIDATE_CAP + 10) {
            idx.add(&profile(
                &format!("s{i:03}"),
                None,
                &[("n:shared", 0.1), (&*format!("n:own{i}"), 5.0)],
            ));
        }
        let a = idx.add(&profile("q", None, &[("n:shared", 1.0)]));
        assert!(a.candidates <= CANDIDATE_CAP);
        assert!(a.cap_hit);
    }

    #[test]
    fn converging_stories_merge_and_the_merge_is_recorded() {
        let mut idx = MemoryStoryIndex::with_params(StoryParams {
            merge_threshold: 0.4,
            ..StoryParams::default()
        });
        let a = idx.add(&profile(
            "a",
            None,
            &[("n:alpha", 2.0), ("w:one", 1.0), ("w:two", 1.0)],
        ));
        let b = idx.add(&profile(
            "b",
            None,
            &[("n:beta", 2.0), ("w:three", 1.0), ("w:four", 1.0)],
        ));
        assert_ne!(a.story, b.story);
        // Documents that bridge both grow one story until the two converge.
        let mut merges = Vec::new();
        for i in 0..6 {
            let r = idx.add(&profile(
                &format!("m{i}"),
                None,
                &[
                    ("n:alpha", 2.0),
                    ("n:beta", 2.0),
                    ("w:one", 1.0),
                    ("w:three", 1.0),
                    ("w:two", 1.0),
                    ("w:four", 1.0),
                ],
            ));
            merges.extend(r.merges);
        }
        assert!(!merges.is_empty());
        assert_eq!(idx.story_of("a"), idx.story_of("b"));
        let kept = idx.story_of("a").map(str::to_string).unwrap_or_default();
        let story = idx.stories().find(|s| s.id == kept).cloned();
        assert!(story.is_some_and(|s| !s.merged.is_empty()));
    }

    #[test]
    fn profiles_round_trip_through_json() {
        let s = StoryProfile::start(&profile("a", Some("2016-10-03"), &[("n:lavrov", 2.0)]));
        let json = serde_json::to_string(&s).unwrap_or_default();
        let back: StoryProfile = serde_json::from_str(&json).unwrap_or_else(|_| s.clone());
        assert_eq!(back.keys, s.keys);
        assert_eq!(back.first_date.as_deref(), Some("2016-10-03"));
    }

    #[test]
    fn figures_are_digits_but_not_years_or_words() {
        assert_eq!(number_key("6.1", Some("NUM")).as_deref(), Some("#:6.1"));
        assert_eq!(number_key("12%", Some("NUM")).as_deref(), Some("#:12"));
        assert_eq!(number_key("2008", Some("NUM")), None);
        assert_eq!(number_key("two", Some("NUM")), None);
        assert_eq!(number_key("6.1", Some("NOUN")), None);
        assert_eq!(kind_factor("d:2008-10-06"), DATE_FACTOR);
        assert_eq!(kind_factor("#:6.1"), NUMBER_FACTOR);
        assert_eq!(kind_factor("n:lavrov"), 1.0);
    }

    #[test]
    fn a_shared_day_and_figure_outweigh_shared_kind_words() {
        // Two earthquakes: the same words, different days and magnitudes.
        let quake = |id: &str, day: &str, mag: &str, place: &str| {
            profile(
                id,
                None,
                &[
                    ("w:earthquake", 2.0),
                    ("w:magnitude", 1.7),
                    ("w:tsunami", 1.7),
                    (&*format!("n:{place}"), 1.7),
                    (&*format!("d:{day}"), 1.7 * DATE_FACTOR),
                    (&*format!("#:{mag}"), 1.7 * NUMBER_FACTOR),
                ],
            )
        };
        let mut idx = MemoryStoryIndex::new();
        let a = idx.add(&quake("a", "2008-10-06", "6.1", "kyrgyzstan"));
        let b = idx.add(&quake("b", "2013-04-16", "7.8", "iran"));
        let a2 = idx.add(&quake("a2", "2008-10-06", "6.1", "kyrgyzstan"));
        let b2 = idx.add(&quake("b2", "2013-04-16", "7.8", "iran"));
        assert_ne!(a.story, b.story);
        assert_eq!(a2.story, a.story);
        assert_eq!(b2.story, b.story);
    }

    #[test]
    fn day_numbers_count_days() {
        assert_eq!(
            day_number("2016-03-01")
                .zip(day_number("2016-02-28"))
                .map(|(a, b)| a - b),
            Some(2)
        );
        assert_eq!(
            day_number("2016-10-04")
                .zip(day_number("2015-10-04"))
                .map(|(a, b)| a - b),
            Some(366)
        );
        assert_eq!(day_number("2016-13-01"), None);
    }
}
