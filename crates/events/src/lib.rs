//! Event coding: who did what to whom, when and where, per sentence.
//!
//! For each verb the CAMEO verb dictionary knows, the dependency parse gives the
//! source (subject; the `by` agent of a passive), the target (object, else an
//! oblique with an actor), the place (an `in`/`at` oblique naming a location) and
//! the words the verb patterns look at; `chronicle-actors` gives the actor codes.
//! Negated and hypothetical verbs code nothing; "plans to meet" codes the intent
//! (036); a reported attack is the speaker's accusation (112); compound actors give
//! one event per pair, both directions for meetings and agreements.

mod args;
mod denial;
mod patterns;
pub mod plover_types;

use chronicle_actors::{ActorCoder, DocActors, Mention};
use chronicle_codebook::{quad_class, Codebook};
use chronicle_core::{Document, Event, EventActor, Span};
use std::collections::HashMap;

pub use args::Tree;
pub use denial::{Denial, DenialKind};

/// Events coded in one document, with the actors they were coded from.
#[derive(Debug, Clone, Default)]
pub struct Coded {
    pub events: Vec<Event>,
    pub actors: DocActors,
    /// Layer items (entities, times, quotations, actor mentions) the coding's
    /// lookups compared, the actor pass's included: about proportional to the
    /// document's length, which tests of the algorithm's shape check.
    pub comparisons: usize,
}

pub struct EventCoder<'a> {
    pub book: &'a Codebook,
    pub actors: ActorCoder<'a>,
    /// Upper-cased verb word or irregular form → verb forms.
    verbs: HashMap<String, Vec<usize>>,
    /// Per verb block, the code a pattern-less match falls back to when the block
    /// has none (see `new`).
    block_default: Vec<Option<String>>,
    /// Currency words (the codebook's `&CURRENCY` set), upper-case singular.
    currency: std::collections::HashSet<String>,
    /// The verb blocks' patterns with their words as numbers.
    patterns: patterns::Compiled,
}

/// Fewest patterns a code-less block needs before its majority root is trusted.
const MIN_BLOCK_PATTERNS: usize = 3;

/// Verbs whose clausal complement is what the speaker says happened.
pub(crate) use chronicle_lexicon::speech::ASSERTING as SPEECH;
/// Verbs whose "must" complement is a demand even when not a speech verb.
const OBLIGING: &[&str] = &["reiterate", "stress", "warn", "issue", "emphasize", "urge"];
/// Verbs that make their complement an intention rather than a deed.
const INTENT: &[&str] = &[
    "plan",
    "intend",
    "want",
    "seek",
    "aim",
    "hope",
    "expect",
    "prepare",
    "wish",
    "mean",
    "willing",
    "ready",
    "prepared",
    "committed",
    "determined",
    "eager",
];
/// Verbs of commitment: coded themselves (the dictionary knows them) and their
/// complement is coded as the intent it expresses.
const COMMIT: &[&str] = &["agree", "vow", "pledge", "promise", "offer", "decide"];
/// Auxiliaries that make a verb hypothetical: nothing is coded.
pub(crate) const HYPOTHETICAL: &[&str] = &["may", "might", "could", "should", "must", "can"];
const FUTURE: &[&str] = &["will", "would", "'ll", "shall"];
/// Verbs of knowing that PETRARCH files under consultation (HEAR, CONSIDER):
/// with nobody on the other side, "our correspondent heard" is no meeting.
const COGNITION: &[&str] = &[
    "think",
    "believe",
    "hear",
    "learn",
    "consider",
    "know",
    "feel",
    "understand",
];
pub(crate) const NEGATION: &[&str] = &["not", "n't", "never", "no"];
/// Verbs of thinking whose negation belongs to their complement: "I don't
/// believe the United States will join" says it will not join.
const NEG_RAISING: &[&str] = &["think", "believe", "expect", "suppose", "imagine"];
/// Verbs whose complement is an act said not to have happened ("denied
/// carrying out the strike", "refuted that its jets struck").
pub(crate) const DENY: &[&str] = &["deny", "refute", "rebut", "disown", "disclaim"];
/// Verbs whose negation affirms their complement ("will not hesitate to").
const LITOTES: &[&str] = &["hesitate"];
/// Light-verb idioms that say something came about, not what anyone did:
/// "a ceasefire took effect" is no seizure (CAMEO 171 for TAKE).
const NO_ACT_IDIOMS: &[(&str, &str)] = &[
    ("take", "effect"),
    ("take", "place"),
    ("take", "shape"),
    ("take", "hold"),
    ("come", "effect"),
];

/// CAMEO's "express intent" code for an intended act of root `root`.
fn intent_code(code: &str) -> Option<String> {
    let root: u8 = code.get(..2)?.parse().ok()?;
    Some(
        match root {
            1..=3 | 9..=13 => return Some(code.to_string()),
            4 => "036",
            5 => "032",
            6 => "031",
            7 => "033",
            8 => "035",
            14 => "133",
            16 => "131",
            17 => "137",
            _ => "138",
        }
        .to_string(),
    )
}

/// Codes that happen between the parties alike: a compound source with no target
/// gives an event each way ("Kerry and Lavrov met").
fn symmetric(code: &str) -> bool {
    matches!(code.get(..2), Some("03" | "04" | "05" | "06"))
}

impl<'a> EventCoder<'a> {
    pub fn new(book: &'a Codebook) -> Self {
        let mut verbs: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, f) in book.verbs.forms.iter().enumerate() {
            verbs.entry(f.verb.clone()).or_default().push(i);
            for form in &f.forms {
                verbs.entry(form.clone()).or_default().push(i);
            }
        }
        for v in verbs.values_mut() {
            v.sort_unstable();
            v.dedup();
        }
        let block_default = book
            .verbs
            .blocks
            .iter()
            .map(|b| {
                if !b.code.is_empty() {
                    return None;
                }
                // A block without a code of its own ("REFUSE [---]") still means
                // something: the root most of its patterns share.
                let mut roots: HashMap<&str, usize> = HashMap::new();
                let mut n = 0;
                for p in &b.patterns {
                    if let Some(r) = p.code.forward.as_deref().and_then(|c| c.get(..2)) {
                        *roots.entry(r).or_default() += 1;
                        n += 1;
                    }
                }
                let (root, k) = roots
                    .into_iter()
                    .max_by_key(|&(r, k)| (k, std::cmp::Reverse(r)))?;
                (n >= MIN_BLOCK_PATTERNS && k * 2 > n).then(|| format!("{root}0"))
            })
            .collect();
        let currency = book
            .verbs
            .synsets
            .get("&CURRENCY")
            .into_iter()
            .flatten()
            // The head word of each phrase ("SWISS FRANCS" → FRANCS), and its
            // singular, since the set mixes both.
            .filter_map(|p| p.words.last())
            .map(|w| w.trim_end_matches('_').to_string())
            .flat_map(|w| {
                let singular = w.strip_suffix('S').map(str::to_string);
                std::iter::once(w).chain(singular)
            })
            .collect();
        EventCoder {
            book,
            actors: ActorCoder::new(book),
            verbs,
            block_default,
            currency,
            patterns: patterns::Compiled::new(book),
        }
    }

    /// The coder over the embedded codebook, built once.
    pub fn shared() -> Option<&'static EventCoder<'static>> {
        static SHARED: std::sync::OnceLock<Option<EventCoder<'static>>> =
            std::sync::OnceLock::new();
        SHARED
            .get_or_init(|| Codebook::embedded().ok().map(EventCoder::new))
            .as_ref()
    }

    /// Fills `doc.actors` and `doc.events` (replacing them).
    pub fn annotate(&self, doc: &mut Document) {
        self.annotate_until(doc, &|| false);
    }

    /// [`EventCoder::annotate`], asking `stop` before each sentence; false (and
    /// the layers left as they were) when it said to stop.
    pub fn annotate_until(&self, doc: &mut Document, stop: &dyn Fn() -> bool) -> bool {
        let Some(coded) = self.code_until(doc, None, stop) else {
            return false;
        };
        doc.actors = coded.actors.to_layer(doc, self.book);
        doc.events = coded.events;
        true
    }

    /// Codes the document's events; `date` (`YYYYMMDD`) overrides the publication
    /// date for dictionary roles.
    pub fn code(&self, doc: &Document, date: Option<u32>) -> Coded {
        self.code_until(doc, date, &|| false).unwrap_or_default()
    }

    /// [`EventCoder::code`], asking `stop` before each sentence (of the actor pass
    /// and of the event pass); `None` when it said to stop.
    pub fn code_until(
        &self,
        doc: &Document,
        date: Option<u32>,
        stop: &dyn Fn() -> bool,
    ) -> Option<Coded> {
        // The tree upper-cases every token's text and lemma; the actor pass
        // reads the same words.
        let tree = Tree::new(doc, &self.currency, &self.patterns);
        let actors = self
            .actors
            .code_words(doc, date, stop, &tree.upper, &tree.lemma_upper)?;
        let mut events = Vec::new();
        for s in &doc.sentences {
            if stop() {
                return None;
            }
            let end = s.token_end.min(doc.tokens.len());
            for v in s.token_start..end {
                self.code_verb(doc, &tree, &actors, s, v, &mut events);
                self.code_obligation(doc, &tree, &actors, s, v, &mut events);
            }
        }
        let comparisons = actors.comparisons + tree.comparisons();
        Some(Coded {
            events,
            actors,
            comparisons,
        })
    }

    /// "X said Y must do Z": whatever Z is, X demands it of Y (CAMEO 10).
    fn code_obligation(
        &self,
        doc: &Document,
        tree: &Tree,
        actors: &DocActors,
        sentence: &chronicle_core::Sentence,
        v: usize,
        out: &mut Vec<Event>,
    ) {
        let lemma = |t: usize| {
            let k = &doc.tokens[t];
            k.lemma.as_deref().unwrap_or(&k.text).to_lowercase()
        };
        if !SPEECH.contains(&lemma(v).as_str()) && !OBLIGING.contains(&lemma(v).as_str()) {
            return;
        }
        for &c in tree.children(v) {
            if tree.rel(c) != "ccomp" {
                continue;
            }
            let must = tree
                .children(c)
                .iter()
                .any(|&a| tree.rel(a) == "aux" && matches!(lemma(a).as_str(), "must" | "should"));
            if !must {
                continue;
            }
            let speakers = args::arguments(doc, tree, actors, v).sources;
            let obliged = args::arguments(doc, tree, actors, c).sources;
            let (date, date_source) = event_date(doc, tree, sentence, c);
            for s in &speakers {
                for o in obliged.iter().filter(|o| *o != s) {
                    out.push(self.event(
                        doc,
                        sentence,
                        v,
                        s,
                        Some(o),
                        "100",
                        None,
                        date.clone(),
                        date_source,
                        "asserted",
                    ));
                }
            }
        }
    }

    fn code_verb(
        &self,
        doc: &Document,
        tree: &Tree,
        actors: &DocActors,
        sentence: &chronicle_core::Sentence,
        v: usize,
        out: &mut Vec<Event>,
    ) {
        let tok = &doc.tokens[v];
        if tok.upos.as_deref().is_some_and(|u| u != "VERB") {
            return;
        }
        let Some((mut codes, pattern_negated)) = self.verb_code(doc, tree, actors, sentence, v)
        else {
            return;
        };
        let kids = tree.children(v);
        // "denied bombing the positions", "denied that its jets struck": denying
        // an act is denying responsibility (016), not rejecting anyone (the
        // REFUSE block's 120).
        let denies_act = DENY.contains(&lemma_of(doc, v).as_str())
            && kids.iter().any(|&c| {
                matches!(tree.rel(c), "ccomp" | "xcomp")
                    || (doc.tokens[c].xpos.as_deref() == Some("VBG")
                        && matches!(tree.rel(c), "obj" | "advcl"))
            });
        if denies_act {
            codes = chronicle_codebook::EventCodes {
                forward: Some("016".into()),
                reverse: None,
            };
        }
        let has = |rels: &[&str], words: &[&str]| {
            kids.iter().any(|&c| {
                let t = &doc.tokens[c];
                rels.contains(&tree.rel(c))
                    && words.contains(
                        &t.lemma
                            .as_deref()
                            .unwrap_or(&t.text)
                            .to_lowercase()
                            .as_str(),
                    )
            })
        };
        // "may halt", "could strike": a hostile act held out is a threat (13);
        // anything else merely possible is no event.
        let hypothetical = has(&["aux"], HYPOTHETICAL);
        if hypothetical && !hostile(codes.forward.as_deref()) {
            return;
        }
        let lemma = tok.lemma.as_deref().unwrap_or(&tok.text).to_lowercase();
        if self.states_no_act(doc, tree, actors, sentence, v, kids, &lemma) {
            return;
        }
        let future = has(&["aux"], FUTURE);
        let Some(mut mode) = self.mode(doc, tree, actors, sentence, v) else {
            return;
        };
        // What a speaker says someone will do is a stated intention ("Portugal
        // will support Turkey, the president said"); narrated futures stay as coded.
        // A hostile act someone says they will do is a threat ("said they would
        // boycott"); a possible one too ("may halt").
        let forward_root = codes.forward.as_deref();
        mode.intent |=
            (future && mode.reported && (cooperative(forward_root) || hostile(forward_root)))
                || hypothetical;
        let negated = !pattern_negated
            && (has(&["advmod", "neg", "det"], NEGATION)
                || match self.governing_negation(doc, tree, actors, sentence, v) {
                    GoverningNegation::None => false,
                    GoverningNegation::Negated => true,
                    GoverningNegation::NoAct => return,
                });
        let Some((mut forward, reverse)) = adjusted_codes(&codes, negated, mode.intent) else {
            return;
        };
        let mut modality = if mode.intent {
            "intent"
        } else if mode.reported {
            "reported"
        } else {
            "asserted"
        };
        let args = args::arguments(doc, tree, actors, v);
        let mut sources = args.sources.clone();
        let mut targets = args.targets.clone();
        // "X said Y attacked Z": the event on record is X accusing Y (CAMEO 112).
        if let (Some(h), Some(code)) = (mode.governor_speech, forward.as_deref()) {
            let root = code_root(Some(code)).unwrap_or(0);
            if (18..=20).contains(&root) || root == 19 {
                let speaker = args::arguments(doc, tree, actors, h).sources;
                if !speaker.is_empty() && !sources.is_empty() {
                    targets = sources;
                    sources = speaker;
                    forward = Some("112".into());
                    modality = "asserted";
                }
            }
        }
        // A dictionary entry may stand for several actors at once (PETRARCH's
        // `[FRO/BIL/SAM]`): each takes part in the event.
        let sources = split_multi_codes(sources);
        let targets = split_multi_codes(targets);
        let location = args.location.clone();
        let (date, date_source) = event_date(doc, tree, sentence, v);
        let mut emit = |src: &Mention, tgt: Option<&Mention>, code: &str| {
            // Domestic events (police and protesters of one country) keep both
            // sides; only the very same words cannot be both.
            if tgt.is_some_and(|t| t.tok_start == src.tok_start) {
                return;
            }
            // "X said" alone is a statement with no one on the other side: every
            // speech verb would be an event. With a target it is kept (010 to Y).
            // Denying responsibility (016) is an act of its own, whoever it
            // answers. (Not 015: "acknowledged that he would need to win" is
            // mostly no claim of responsibility.)
            if tgt.is_none() && code.starts_with("01") && code != "016" {
                return;
            }
            if tgt.is_none() && code.starts_with("04") && COGNITION.contains(&lemma.as_str()) {
                return;
            }
            out.push(self.event(
                doc,
                sentence,
                v,
                src,
                tgt,
                code,
                location.clone(),
                date.clone(),
                date_source,
                modality,
            ));
        };
        // "Gondor and Osgiliath delayed their meeting": the act is between them.
        let reciprocal = sources.len() > 1
            && tree.subtree(v, args::OTHER_CLAUSES).iter().any(|&t| {
                let w = doc.tokens[t].text.to_lowercase();
                w == "their" || w == "other" || w == "another" || w == "jointly"
            });
        let pairs = participant_pairs(
            &sources,
            &targets,
            forward.as_deref(),
            reverse.as_deref(),
            reciprocal,
        );
        for (src, tgt, code) in pairs {
            emit(src, tgt, code);
        }
    }

    /// Negation on a word that governs verb `v`: the head of its xcomp chain
    /// ("not ready to join", "did not want to attack"), a negated belief over
    /// its clause ("don't believe X will join"), or a denial ("denied
    /// carrying out", "denied that its jets struck").
    pub(crate) fn governing_negation(
        &self,
        doc: &Document,
        tree: &Tree,
        actors: &DocActors,
        sentence: &chronicle_core::Sentence,
        v: usize,
    ) -> GoverningNegation {
        let mut cur = v;
        for _ in 0..4 {
            let Some(h) = tree.head(cur) else {
                return GoverningNegation::None;
            };
            let hl = lemma_of(doc, h);
            let rel = tree.rel(cur);
            let gerund = doc.tokens[cur].xpos.as_deref() == Some("VBG");
            // What is denied is no act; the denial itself is coded on its verb.
            if DENY.contains(&hl.as_str())
                && (matches!(rel, "ccomp" | "xcomp") || (gerund && matches!(rel, "obj" | "advcl")))
            {
                return GoverningNegation::NoAct;
            }
            let belief = rel == "ccomp" && NEG_RAISING.contains(&hl.as_str());
            if rel != "xcomp" && !belief {
                return GoverningNegation::None;
            }
            // "will not hesitate to act" says it will act.
            if LITOTES.contains(&hl.as_str()) {
                return GoverningNegation::None;
            }
            if negated_word(doc, tree, h) {
                let intent = INTENT.contains(&hl.as_str()) || COMMIT.contains(&hl.as_str());
                // A governor coded in its own right ("did not agree to meet":
                // 120 on "agree") already says it.
                let coded = rel == "xcomp"
                    && doc.tokens[h].upos.as_deref() == Some("VERB")
                    && self.verb_code(doc, tree, actors, sentence, h).is_some();
                return if intent && !belief && !coded {
                    GoverningNegation::Negated
                } else {
                    // "was not able to determine", "did not let us hear": not
                    // done, and not refused either. A negated belief ("I don't
                    // think it would change", "I don't believe I've ever met
                    // him") says what the speaker doubts, not what anyone did.
                    GoverningNegation::NoAct
                };
            }
            cur = h;
        }
        GoverningNegation::None
    }

    /// Clauses in which a coded verb states no act of its own.
    #[allow(clippy::too_many_arguments)]
    fn states_no_act(
        &self,
        doc: &Document,
        tree: &Tree,
        actors: &DocActors,
        sentence: &chronicle_core::Sentence,
        v: usize,
        kids: &[usize],
        lemma: &str,
    ) -> bool {
        // "Russia will be complicit if it continues to back the regime": a
        // condition states no act.
        if in_condition(doc, tree, v) {
            return true;
        }
        // "the ceasefire took effect": something came about; nobody acted.
        // A pattern that names the idiom ("AMNESTY * EFFECT") still codes it.
        let idiom = kids.iter().any(|&c| {
            tree.rel(c) == "obj" && NO_ACT_IDIOMS.contains(&(lemma, lemma_of(doc, c).as_str()))
        });
        if idiom {
            let named =
                self.verb_match(doc, tree, actors, sentence, v)
                    .and_then(|m| m.pattern)
                    .is_some_and(|p| {
                        let words =
                            |w: &str| NO_ACT_IDIOMS.iter().any(|(_, n)| w.eq_ignore_ascii_case(n));
                        p.after.iter().chain(&p.before).any(
                            |i| matches!(i, chronicle_codebook::PatternItem::Word(w) if words(w)),
                        )
                    });
            if !named {
                return true;
            }
        }
        // "ideas for resolving the crisis", "talk of sending troops": a gerund
        // after a preposition names a topic, not an act.
        if doc.tokens[v].xpos.as_deref() == Some("VBG")
            && kids.iter().any(|&c| {
                matches!(tree.rel(c), "mark" | "case")
                    && matches!(
                        doc.tokens[c].text.to_lowercase().as_str(),
                        "for" | "of" | "about" | "on" | "towards" | "toward"
                    )
            })
        {
            return true;
        }
        // "agreed to meet": the complement says what was agreed, coded as intent.
        INTENT.contains(&lemma)
            && kids.iter().any(|&c| {
                tree.rel(c) == "xcomp" && self.verb_code(doc, tree, actors, sentence, c).is_some()
            })
    }

    /// How the clause puts verb `v`, from the verb it hangs on: "plans to meet"
    /// (intent), "said X attacked" or inside a quotation (reported). `None` when the
    /// governor's own code says it ("refused to lift").
    fn mode(
        &self,
        doc: &Document,
        tree: &Tree,
        actors: &DocActors,
        sentence: &chronicle_core::Sentence,
        v: usize,
    ) -> Option<Mode> {
        let mut mode = Mode {
            intent: false,
            reported: tree.in_quote(doc.tokens[v].start),
            governor_speech: None,
        };
        if let Some(h) = tree.head(v) {
            let hl = doc.tokens[h]
                .lemma
                .as_deref()
                .unwrap_or(&doc.tokens[h].text)
                .to_lowercase();
            match tree.rel(v) {
                "xcomp" if INTENT.contains(&hl.as_str()) || COMMIT.contains(&hl.as_str()) => {
                    mode.intent = true
                }
                "xcomp" if self.verb_code(doc, tree, actors, sentence, h).is_some() => return None,
                "ccomp" | "parataxis" if SPEECH.contains(&hl.as_str()) => {
                    mode.reported = true;
                    mode.governor_speech = Some(h);
                }
                _ => {}
            }
        }
        Some(mode)
    }

    /// The verb's codes: its best-matching pattern's, else its own, else its
    /// block's; and whether the pattern spelled out a negation.
    pub(crate) fn verb_code(
        &self,
        doc: &Document,
        tree: &Tree,
        actors: &DocActors,
        sentence: &chronicle_core::Sentence,
        v: usize,
    ) -> Option<(chronicle_codebook::EventCodes, bool)> {
        self.verb_match(doc, tree, actors, sentence, v)
            .map(|m| (m.codes, m.negated))
    }

    /// [`EventCoder::verb_code`] with the pattern that decided it.
    fn verb_match(
        &self,
        doc: &Document,
        tree: &Tree,
        actors: &DocActors,
        sentence: &chronicle_core::Sentence,
        v: usize,
    ) -> Option<VerbMatch<'a>> {
        let tok = &doc.tokens[v];
        let text = tok.text.to_uppercase();
        let lemma = tok.lemma.as_deref().unwrap_or(&tok.text).to_uppercase();
        let word = |i: usize| -> Option<String> {
            (i >= sentence.token_start && i < sentence.token_end.min(doc.tokens.len()))
                .then(|| doc.tokens[i].text.to_uppercase())
        };
        // Multi-word verbs first ("ask for"), then the plain verb.
        let mut best: Option<(usize, usize)> = None; // (context words, form)
        for key in [&lemma, &text] {
            for &f in self.verbs.get(key.as_str()).into_iter().flatten() {
                let form = &self.book.verbs.forms[f];
                let after_ok = form
                    .after
                    .iter()
                    .enumerate()
                    .all(|(k, w)| (1..=3).any(|d| word(v + k + d).as_deref() == Some(w)));
                let before_ok = form.before.iter().rev().enumerate().all(|(k, w)| {
                    (1..=2).any(|d| v >= k + d && word(v - k - d).as_deref() == Some(w))
                });
                let n = form.before.len() + form.after.len();
                if after_ok && before_ok && best.is_none_or(|(b, _)| n > b) {
                    best = Some((n, f));
                }
            }
        }
        let (_, f) = best?;
        let form = &self.book.verbs.forms[f];
        let block = &self.book.verbs.blocks[form.block];
        let mut fallback = form.code.clone().unwrap_or_else(|| block.code.clone());
        if fallback.is_empty() {
            fallback.forward = self.block_default.get(form.block).cloned().flatten();
        }
        let matched = patterns::best(
            &self.patterns,
            form.block,
            doc,
            tree,
            actors,
            sentence,
            v,
            &block.patterns,
        );
        // A pattern that spells out the negation ("DID N'T * CLASH") has coded it.
        let negated = matched.is_some_and(|p| patterns::mentions_negation(self.book, p));
        let mut codes = matched.map(|p| p.code.clone()).unwrap_or(fallback);
        // Block patterns apply to every verb of the block: "PROSECUTOR *" and
        // "* (OF &CRIME)", written for CHARGE and CONVICT, would make "accused
        // Russia of war crimes" a legal action (173). An accusation stays
        // verbal: accusing of a crime is 1121.
        let accusing = form
            .code
            .as_ref()
            .is_some_and(|c| c.forward.as_deref() == Some("112"));
        if accusing && code_root(codes.forward.as_deref()) == Some(17) {
            codes.forward = Some("1121".into());
            codes.reverse = None;
        }
        (!codes.is_empty()).then_some(VerbMatch {
            codes,
            negated,
            pattern: matched,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn event(
        &self,
        doc: &Document,
        sentence: &chronicle_core::Sentence,
        v: usize,
        src: &Mention,
        tgt: Option<&Mention>,
        code: &str,
        location: Option<String>,
        date: Option<String>,
        date_source: &str,
        modality: &str,
    ) -> Event {
        let info = self.book.info(code);
        let actor = |m: &Mention| event_actor(doc, m);
        let verb = doc.tokens.get(v).map(|t| Span::new(t.start, t.end));
        Event {
            start: sentence.start,
            end: sentence.end,
            text: doc
                .text
                .get(sentence.start..sentence.end)
                .unwrap_or_default()
                .to_string(),
            source_actor: src.code.clone(),
            target_actor: tgt.and_then(|t| t.code.clone()),
            cameo: code.to_string(),
            plover_type: info.plover_type,
            plover_mode: info.plover_mode,
            quad_class: quad_class(code),
            goldstein: info.goldstein,
            location,
            date,
            date_source: Some(date_source.to_string()),
            source: actor(src),
            target: tgt.and_then(actor),
            verb,
            modality: Some(modality.to_string()),
        }
    }
}

/// A verb's codes and the pattern that decided them.
struct VerbMatch<'p> {
    codes: chronicle_codebook::EventCodes,
    /// The pattern spelled out a negation ("DID N'T * CLASH").
    negated: bool,
    pattern: Option<&'p chronicle_codebook::VerbPattern>,
}

/// What a governing word's negation does to a verb (see
/// `EventCoder::governing_negation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GoverningNegation {
    None,
    /// The verb's act is said not to be intended ("not ready to join"): coded
    /// as negated.
    Negated,
    /// The verb states no act: its governor is negated but is no intent
    /// ("not able to determine"), is a belief ("don't believe X will join"),
    /// is coded in its own right ("did not agree to meet"), or denies it
    /// ("denied carrying out").
    NoAct,
}

fn lemma_of(doc: &Document, t: usize) -> String {
    let k = &doc.tokens[t];
    k.lemma.as_deref().unwrap_or(&k.text).to_lowercase()
}

/// Whether token `t` carries a negation of its own ("not", "never").
pub(crate) fn negated_word(doc: &Document, tree: &Tree, t: usize) -> bool {
    tree.children(t).iter().any(|&c| {
        matches!(tree.rel(c), "advmod" | "neg") && NEGATION.contains(&lemma_of(doc, c).as_str())
    })
}

/// How a clause puts a coded verb (see `EventCoder::mode`).
struct Mode {
    intent: bool,
    reported: bool,
    /// The speech verb whose complement the verb is ("said X attacked").
    governor_speech: Option<usize>,
}

/// The CAMEO root (the first two digits) of a code.
pub(crate) fn code_root(code: Option<&str>) -> Option<u8> {
    code.and_then(|c| c.get(..2))
        .and_then(|r| r.parse::<u8>().ok())
}

/// Coerce, assault, fight or mass violence (CAMEO 14-20).
pub(crate) fn hostile(code: Option<&str>) -> bool {
    code_root(code).is_some_and(|r| (14..=20).contains(&r))
}

/// Cooperation, verbal or material (CAMEO 04-08).
fn cooperative(code: Option<&str>) -> bool {
    code_root(code).is_some_and(|r| (4..=8).contains(&r))
}

/// The codes after negation and intent. Not cooperating is rejecting (CAMEO 12);
/// a hostile act not done is no event (`None`); an intended act takes its intent
/// code and no reverse.
fn adjusted_codes(
    codes: &chronicle_codebook::EventCodes,
    negated: bool,
    intent: bool,
) -> Option<(Option<String>, Option<String>)> {
    let mut forward = codes.forward.clone();
    let mut reverse = codes.reverse.clone();
    if negated {
        if !(3..=8).contains(&code_root(forward.as_deref()).unwrap_or(0)) {
            return None;
        }
        forward = Some("120".into());
        reverse = None;
    }
    if intent {
        forward = forward.and_then(|c| intent_code(&c));
        reverse = None;
    }
    Some((forward, reverse))
}

/// Who acts on whom, in emission order: each source on each target; a source with
/// no target on the other sources when the act is symmetric or reciprocal, else on
/// no one; then the reverse code from each target back to each source.
fn participant_pairs<'a>(
    sources: &'a [Mention],
    targets: &'a [Mention],
    forward: Option<&'a str>,
    reverse: Option<&'a str>,
    reciprocal: bool,
) -> Vec<(&'a Mention, Option<&'a Mention>, &'a str)> {
    let mut pairs = Vec::new();
    if let Some(code) = forward {
        for s in sources {
            if targets.is_empty() {
                let others: Vec<&Mention> = sources.iter().filter(|o| *o != s).collect();
                if (symmetric(code) || reciprocal) && !others.is_empty() {
                    for o in others {
                        pairs.push((s, Some(o), code));
                    }
                } else {
                    pairs.push((s, None, code));
                }
            }
            for t in targets {
                pairs.push((s, Some(t), code));
            }
        }
    }
    if let Some(code) = reverse {
        for t in targets {
            for s in sources {
                pairs.push((t, Some(s), code));
            }
        }
    }
    pairs
}

/// One mention per code of a multi-code mention (`FRO/BIL/SAM`).
fn split_multi_codes(mentions: Vec<Mention>) -> Vec<Mention> {
    let mut out = Vec::with_capacity(mentions.len());
    for m in mentions {
        match m.code.as_deref().filter(|c| c.contains('/')) {
            Some(codes) => {
                for code in codes.split('/').filter(|c| !c.is_empty()) {
                    let mut one = m.clone();
                    one.code = Some(code.to_string());
                    out.push(one);
                }
            }
            None => out.push(m),
        }
    }
    out
}

/// Whether verb `v` heads (or is a complement of) an `if`/`unless` clause.
pub(crate) fn in_condition(doc: &Document, tree: &Tree, v: usize) -> bool {
    let mut cur = v;
    for _ in 0..4 {
        let conditional = tree.children(cur).iter().any(|&c| {
            tree.rel(c) == "mark"
                && matches!(doc.tokens[c].text.to_lowercase().as_str(), "if" | "unless")
        });
        if conditional {
            return true;
        }
        if !matches!(tree.rel(cur), "xcomp" | "conj") {
            return false;
        }
        let Some(h) = tree.head(cur) else {
            return false;
        };
        cur = h;
    }
    false
}

/// The event's date: a DATE time expression the verb governs, else the
/// publication date.
fn event_date(
    doc: &Document,
    tree: &Tree,
    sentence: &chronicle_core::Sentence,
    v: usize,
) -> (Option<String>, &'static str) {
    let dated = |t: &&chronicle_core::TimeExpr| {
        t.kind == "DATE"
            && t.value.len() >= 4
            && t.value.as_bytes()[..4].iter().all(u8::is_ascii_digit)
    };
    // Only a time the verb governs dates it ("on Monday", "last week"); a date
    // inside a noun phrase ("the Sept. 19 attack") dates something else.
    let range = sentence.token_start..sentence.token_end.min(doc.tokens.len());
    let governs = |v: usize, t: &chronicle_core::TimeExpr| {
        let Some(head) = range.clone().find(|&k| {
            let tok = &doc.tokens[k];
            tok.start >= t.start
                && tok.end <= t.end
                && tree
                    .head(k)
                    .is_none_or(|h| doc.tokens[h].start < t.start || doc.tokens[h].end > t.end)
        }) else {
            return false;
        };
        let mut cur = head;
        for _ in 0..3 {
            match tree.head(cur) {
                Some(h) if h == v => {
                    return matches!(
                        tree.rel(cur),
                        "obl"
                            | "obl:agent"
                            | "obl:tmod"
                            | "obl:npmod"
                            | "obl:unmarked"
                            | "nmod:tmod"
                            | "advmod"
                    );
                }
                // A time inside another clause ("a ceasefire approved earlier this
                // month") dates that clause's act, not this one.
                Some(_)
                    if tree.rel(cur).starts_with("acl")
                        || matches!(
                            tree.rel(cur),
                            "advcl" | "ccomp" | "xcomp" | "csubj" | "parataxis" | "conj"
                        ) =>
                {
                    return false
                }
                Some(h) => cur = h,
                None => return false,
            }
        }
        false
    };
    // The sentence's own times, in layer order.
    let times: Vec<&chronicle_core::TimeExpr> = tree
        .times_within(sentence.start, sentence.end)
        .into_iter()
        .map(|i| &doc.times[i])
        .collect();
    if let Some(t) = times.iter().copied().filter(dated).find(|t| governs(v, t)) {
        return (Some(t.value.clone()), "time_expression");
    }
    // "were hit by air strikes on Friday, killing seven": a participle or
    // conjoined verb happened when the verb it hangs on did.
    if matches!(tree.rel(v), "advcl" | "conj" | "xcomp") {
        if let Some(h) = tree.head(v).filter(|h| range.contains(h)) {
            if let Some(t) = times.iter().copied().filter(dated).find(|t| governs(h, t)) {
                return (Some(t.value.clone()), "time_expression");
            }
        }
    }
    match &doc.published {
        Some(p) => (Some(p.date.clone()), "published"),
        None => (None, "none"),
    }
}

/// An actor mention as an event's source, target or denier: its text, codes
/// and byte span.
pub(crate) fn event_actor(doc: &Document, m: &Mention) -> Option<EventActor> {
    let a = doc.tokens.get(m.tok_start)?;
    let b = doc.tokens.get(m.tok_end.checked_sub(1)?)?;
    Some(EventActor {
        text: doc.text.get(a.start..b.end)?.to_string(),
        code: m.code.clone(),
        actor: m.actor.clone(),
        start: a.start,
        end: b.end,
    })
}

#[cfg(test)]
mod tests;
