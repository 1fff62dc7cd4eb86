//! Annotation layers. Each item has `start`/`end` byte offsets into `Document::text`.

use crate::span::Span;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

macro_rules! spanned {
    ($($t:ty),*) => {$(
        impl $t {
            pub fn span(&self) -> Span {
                Span::new(self.start, self.end)
            }
        }
    )*};
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    /// Range into `Document::tokens`.
    pub token_start: usize,
    pub token_end: usize,
}

/// A syntactic word. Contractions give several tokens (`do`, `n't`) over one surface word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub upos: Option<String>,
    pub xpos: Option<String>,
    pub lemma: Option<String>,
    /// Index into `Document::tokens` of the syntactic head; `None` for the sentence root
    /// or when unparsed.
    pub head: Option<usize>,
    pub deprel: Option<String>,
}

/// A named entity mention; `label` is PER, ORG or LOC. Nationality adjectives are
/// kept with label `NORP` and the country they refer to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Entity {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub label: String,
    /// ISO 3166 alpha-3 code when the mention names or implies a country.
    pub country: Option<String>,
}

/// A TIMEX3 time expression normalized against `anchor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TimeExpr {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// DATE, TIME, DURATION or SET.
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
    /// What the value was resolved against (e.g. the publication date).
    pub anchor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Quote {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// direct, indirect or partial.
    pub kind: String,
    pub cue: Option<String>,
    pub speaker: Option<String>,
    pub speaker_canonical: Option<String>,
    pub speaker_span: Option<Span>,
    /// Where `cue` is in the text (absent in documents stored before it was added).
    #[serde(default)]
    pub cue_span: Option<Span>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Claim {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub value: f64,
    pub qualifier: Option<String>,
    /// KILL, WOUND, BESIEGED, DISPLACE, ARREST, KIDNAP, EVACUATE, MONEY, PERCENT, …
    pub kind: String,
    pub subject: Option<String>,
    pub claimant: Option<String>,
    pub place: Option<String>,
    pub time: Option<String>,
}

/// A coded political event with its evidence sentence span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Event {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub source_actor: Option<String>,
    pub target_actor: Option<String>,
    pub cameo: String,
    pub plover_type: Option<String>,
    pub plover_mode: Option<String>,
    pub quad_class: Option<u8>,
    pub goldstein: Option<f32>,
    pub location: Option<String>,
    pub date: Option<String>,
    /// Which evidence dated the event: a time expression or the publication date.
    pub date_source: Option<String>,
    /// The source actor as found in the text, with its code (added in schema 1; the
    /// flat `source_actor` keeps the code alone).
    #[serde(default)]
    pub source: Option<EventActor>,
    #[serde(default)]
    pub target: Option<EventActor>,
    /// The span of the words that name the event (the verb and its pattern words' head).
    #[serde(default)]
    pub verb: Option<Span>,
    /// `asserted`, `reported` (inside a quote or reported speech), `intent`.
    #[serde(default)]
    pub modality: Option<String>,
}

/// An event participant: the words, the CAMEO actor code, the actor's name when known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EventActor {
    pub text: String,
    pub code: Option<String>,
    pub actor: Option<String>,
    pub start: usize,
    pub end: usize,
}

/// A mention of an actor: a name, title or group coded with CAMEO's country +
/// sector code (`RUSGOV`), and its role when the text or a dictionary gives one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ActorMention {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// CAMEO actor code, e.g. `RUSGOV`, `IGOUNO`, `SYR`.
    pub code: Option<String>,
    /// Canonical actor name (the dictionary's, or the fullest name in the document).
    pub actor: Option<String>,
    /// Role words from the text ("Foreign Minister") or the dictionary.
    pub role: Option<String>,
    /// ISO 3166 alpha-3 part of the code, when it has one.
    pub country: Option<String>,
    /// Sector part of the code (GOV, MIL, REB, …).
    pub sector: Option<String>,
    /// `dictionary`, `text` (role learned from this document), `entity` or `coreference`.
    pub origin: String,
}

spanned!(
    Sentence,
    Token,
    Entity,
    TimeExpr,
    Quote,
    Claim,
    Event,
    ActorMention,
    EventActor
);
