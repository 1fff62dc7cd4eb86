//! Actor coding: which words of a document name an actor, and which CAMEO code
//! (country + sector, or an international code) that actor had on the article's date.
//!
//! Three sources, in order of trust: roles the document itself states ("Russian
//! Foreign Minister Sergei Lavrov", "Lavrov, Russia's foreign minister"), the
//! dictionaries with dated roles (PETRARCH2/Phoenix, `chronicle-codebook`), and the
//! entity layer's country links (NORP/LOC). Later mentions of a person (surname,
//! "the foreign minister") resolve to the same actor within the document.

mod matcher;
mod metonyms;

pub use matcher::{AgentHit, DictHit, Matcher};

use chronicle_codebook::Codebook;
use chronicle_core::{ActorMention, Document};
use chronicle_lexicon::titles;
use std::collections::HashMap;

/// An actor mention over document tokens `[tok_start, tok_end)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub tok_start: usize,
    pub tok_end: usize,
    pub code: Option<String>,
    pub actor: Option<String>,
    pub role: Option<String>,
    pub origin: &'static str,
}

/// The actors of one document.
#[derive(Debug, Clone, Default)]
pub struct DocActors {
    /// Non-overlapping mentions, in text order.
    pub mentions: Vec<Mention>,
    /// The country the document is mostly about (most mentioned), for definite
    /// references without a country ("the regime", "the government").
    pub focus_country: Option<String>,
    /// Entities and learned roles the per-sentence lookups compared: about
    /// proportional to the document's length (tests of the algorithm's shape).
    pub comparisons: usize,
}

impl DocActors {
    /// The mention covering document token `t`.
    pub fn at(&self, t: usize) -> Option<&Mention> {
        let i = self.mentions.partition_point(|m| m.tok_end <= t);
        self.mentions
            .get(i)
            .filter(|m| m.tok_start <= t && t < m.tok_end)
    }

    /// The layer stored on the document.
    pub fn to_layer(&self, doc: &Document, book: &Codebook) -> Vec<ActorMention> {
        self.mentions
            .iter()
            .filter_map(|m| {
                let first = doc.tokens.get(m.tok_start)?;
                let last = doc.tokens.get(m.tok_end.checked_sub(1)?)?;
                let (country, sector) = split_code(book, m.code.as_deref());
                Some(ActorMention {
                    start: first.start,
                    end: last.end,
                    text: doc.text.get(first.start..last.end)?.to_string(),
                    code: m.code.clone(),
                    actor: m.actor.clone(),
                    role: m.role.clone(),
                    country,
                    sector,
                    origin: m.origin.to_string(),
                })
            })
            .collect()
    }
}

/// Splits `RUSGOV` into (`RUS`, `GOV`) when the code starts with a country; IGO and
/// other non-state codes have no country.
pub fn split_code(book: &Codebook, code: Option<&str>) -> (Option<String>, Option<String>) {
    let Some(code) = code else {
        return (None, None);
    };
    if code.len() >= 3 && code.is_char_boundary(3) && book.is_country(&code[..3]) {
        let sector = (code.len() > 3).then(|| code[3..].to_string());
        (Some(code[..3].to_string()), sector)
    } else {
        (None, Some(code.to_string()))
    }
}

/// `YYYY-MM-DD` → `YYYYMMDD`.
pub fn date_key(iso: &str) -> Option<u32> {
    let d: String = iso.chars().filter(char::is_ascii_digit).take(8).collect();
    (d.len() == 8).then(|| d.parse().ok()).flatten()
}

pub struct ActorCoder<'a> {
    pub book: &'a Codebook,
    pub matcher: Matcher<'a>,
}

/// A role stated in the text for a named person.
#[derive(Debug, Clone)]
struct Learned {
    code: Option<String>,
    role: String,
    name: String,
}

/// The roles learned so far, in text order, with the latest per role (compared
/// without ASCII case): "the foreign minister" is a lookup, not a scan back
/// through every role the document stated.
#[derive(Debug, Default)]
struct LearnedRoles {
    all: Vec<Learned>,
    latest: HashMap<String, usize>,
}

impl LearnedRoles {
    fn push(&mut self, l: Learned) {
        self.latest
            .insert(l.role.to_ascii_lowercase(), self.all.len());
        self.all.push(l);
    }

    fn last_with_role(&self, role: &str) -> Option<&Learned> {
        self.latest
            .get(&role.to_ascii_lowercase())
            .and_then(|&i| self.all.get(i))
    }
}

impl<'a> ActorCoder<'a> {
    pub fn new(book: &'a Codebook) -> Self {
        ActorCoder {
            book,
            matcher: Matcher::new(book),
        }
    }

    /// Codes every actor mention of `doc` for the given date (`YYYYMMDD`; the
    /// publication date when `None`).
    pub fn code(&self, doc: &Document, date: Option<u32>) -> DocActors {
        self.code_until(doc, date, &|| false).unwrap_or_default()
    }

    /// [`ActorCoder::code`], asking `stop` before each sentence; `None` when it
    /// said to stop (a caller's time budget ran out).
    pub fn code_until(
        &self,
        doc: &Document,
        date: Option<u32>,
        stop: &dyn Fn() -> bool,
    ) -> Option<DocActors> {
        let upper: Vec<String> = doc.tokens.iter().map(|t| t.text.to_uppercase()).collect();
        let lemmas: Vec<String> = doc
            .tokens
            .iter()
            .map(|t| t.lemma.as_deref().unwrap_or(&t.text).to_uppercase())
            .collect();
        self.code_words(doc, date, stop, &upper, &lemmas)
    }

    /// [`ActorCoder::code_until`] given each token's text and lemma (its text
    /// when it has none) upper-cased, for a caller that has them already.
    pub fn code_words(
        &self,
        doc: &Document,
        date: Option<u32>,
        stop: &dyn Fn() -> bool,
        upper: &[String],
        lemmas: &[String],
    ) -> Option<DocActors> {
        let date = date.or_else(|| doc.published.as_ref().and_then(|p| date_key(&p.date)));
        let mut mentions: Vec<Mention> = Vec::new();
        let mut learned = LearnedRoles::default();
        let entities = EntityIndex::new(doc);
        let mut comparisons = 0;
        for s in &doc.sentences {
            if stop() {
                return None;
            }
            let range = s.token_start.min(upper.len())..s.token_end.min(upper.len());
            let near = entities.overlapping(doc, range.clone(), &mut comparisons);
            self.code_sentence(
                doc,
                SentenceInput {
                    range,
                    entities: &near,
                },
                upper,
                lemmas,
                date,
                &mut mentions,
                &mut learned,
            );
        }
        resolve_coreference(doc, &mut mentions, &learned.all);
        let focus_country = focus(self.book, &mentions);
        for m in &mut mentions {
            // Definite references to a government without a country ("the
            // regime") refer to the country the article is about.
            // So do titled people whose title names no country ("President
            // Abdelaziz Bouteflicka" in an article about Algeria).
            let bare = m
                .code
                .as_deref()
                .is_some_and(|c| c.len() == 3 && !self.book.is_country(c));
            let titled = m.origin == "text-nocountry" || (m.origin == "coreference" && bare);
            if m.origin == "agent-definite" || (titled && bare) {
                if let Some(c) = &focus_country {
                    let sector = m.code.take().unwrap_or_default();
                    m.code = Some(format!("{c}{sector}"));
                }
                m.origin = if titled { "text" } else { "coreference" };
            }
            if m.origin == "text-nocountry" {
                m.origin = "text";
            }
        }
        mentions.sort_by_key(|m| (m.tok_start, m.tok_end));
        mentions.dedup_by(|b, a| b.tok_start < a.tok_end);
        Some(DocActors {
            mentions,
            focus_country,
            comparisons,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn code_sentence(
        &self,
        doc: &Document,
        sentence: SentenceInput,
        upper: &[String],
        lemmas: &[String],
        date: Option<u32>,
        out: &mut Vec<Mention>,
        learned: &mut LearnedRoles,
    ) {
        let SentenceInput { range, entities } = sentence;
        let dict: Vec<DictHit> = self
            .matcher
            .actors(upper, range.clone())
            .into_iter()
            .filter(|h| !function_word_hit(doc, h))
            .collect();
        let covered = |t: usize, hits: &[DictHit]| hits.iter().any(|h| h.start <= t && t < h.end);
        let agents: Vec<AgentHit> = self
            .matcher
            .agents(upper, lemmas, range.clone())
            .into_iter()
            .filter(|a| (a.start..a.end).all(|t| !covered(t, &dict)))
            .collect();
        // Pieces: dictionary actors, entity-layer countries and names, agents.
        let mut pieces: Vec<Piece> = Vec::new();
        for h in &dict {
            let entry = &self.book.actors[h.entry];
            pieces.push(Piece {
                start: h.start,
                end: h.end,
                kind: {
                    let code = entry.code_on(date).map(str::to_string);
                    PieceKind::Actor {
                        state: code.as_deref().is_some_and(|c| self.book.is_country(c)),
                        code,
                        name: entry.name(),
                    }
                },
            });
        }
        for (start, end, code) in metonyms::find(upper, range.clone()) {
            if (start..end).all(|t| !covered(t, &dict)) {
                pieces.push(Piece {
                    start,
                    end,
                    kind: PieceKind::Actor {
                        code: Some(code.to_string()),
                        state: self.book.is_country(code),
                        name: doc.tokens[start..end]
                            .iter()
                            .map(|t| t.text.as_str())
                            .collect::<Vec<_>>()
                            .join(" "),
                    },
                });
            }
        }
        for e in entities.iter().map(|&i| &doc.entities[i]) {
            let Some((start, end)) = token_range(doc, e.start, e.end, range.clone()) else {
                continue;
            };
            if pieces.iter().any(|p| p.start < end && start < p.end) {
                continue;
            }
            let kind = match (e.label.as_str(), &e.country) {
                (_, Some(c)) => PieceKind::Actor {
                    code: Some(c.clone()),
                    name: e.text.clone(),
                    state: true,
                },
                ("PER", None) => PieceKind::Person(without_honorific(&e.text)),
                ("ORG", None) => PieceKind::Name(e.text.clone()),
                _ => continue,
            };
            pieces.push(Piece { start, end, kind });
        }
        for a in &agents {
            if pieces.iter().any(|p| p.start < a.end && a.start < p.end) {
                continue;
            }
            pieces.push(Piece {
                start: a.start,
                end: a.end,
                kind: PieceKind::Agent(a.agent),
            });
        }
        pieces.sort_by_key(|p| (p.start, p.end));
        self.compose(doc, &pieces, upper, out, learned);
    }

    /// Joins adjacent pieces into actors: [country ('s)] agent [person],
    /// person , [the] [country ('s)] agent.
    fn compose(
        &self,
        doc: &Document,
        pieces: &[Piece],
        upper: &[String],
        out: &mut Vec<Mention>,
        learned: &mut LearnedRoles,
    ) {
        let mut used = vec![false; pieces.len()];
        for (i, p) in pieces.iter().enumerate() {
            if let PieceKind::Agent(agent) = &p.kind {
                self.compose_agent(doc, pieces, upper, i, *agent, &mut used, out, learned);
            }
        }
        unused_pieces(pieces, &used, out);
    }

    /// The mention agent piece `i` ("foreign minister") makes with the country or
    /// institution and the person beside it; learns the person's role.
    #[allow(clippy::too_many_arguments)]
    fn compose_agent(
        &self,
        doc: &Document,
        pieces: &[Piece],
        upper: &[String],
        i: usize,
        agent: usize,
        used: &mut [bool],
        out: &mut Vec<Mention>,
        learned: &mut LearnedRoles,
    ) {
        let p = &pieces[i];
        let agent = &self.book.agents[agent];
        let role = tokens_text(doc, p.start, p.end);
        let mut start = p.start;
        let mut end = p.end;
        let (country, owner) = agent_country(pieces, i, used, upper);
        if let Some((j, _)) = country.as_ref().or(owner.as_ref()) {
            used[*j] = true;
            start = start.min(pieces[*j].start);
            end = end.max(pieces[*j].end);
        }
        let code = match &owner {
            Some((_, c)) => Some(c.clone()),
            None => Some(agent.combine(country.as_ref().map(|c| c.1.as_str()))),
        };
        let country = country.or(owner);
        if let Some((j, after)) = titled_person(pieces, i, start, end, &country, used, upper) {
            used[j] = true;
            let q = &pieces[j];
            let name = match &q.kind {
                PieceKind::Actor { name, .. } => name.clone(),
                _ => q.person_name().unwrap_or_default(),
            };
            // A dictionary person keeps the dictionary's code when the text's
            // title cannot say more than the country-less agent.
            let code = match (&q.kind, country.is_some()) {
                (PieceKind::Actor { code: Some(c), .. }, false) => Some(c.clone()),
                _ => code.clone(),
            };
            learned.push(Learned {
                code: code.clone(),
                role: title_role(&role),
                name: name.clone(),
            });
            let (s, e) = if after {
                (start, q.end)
            } else {
                (q.start, q.start.max(end))
            };
            let origin = if country.is_none() && matches!(q.kind, PieceKind::Person(_)) {
                "text-nocountry"
            } else {
                "text"
            };
            out.push(Mention {
                tok_start: s,
                tok_end: e,
                code,
                actor: Some(name),
                role: Some(title_role(&role)),
                origin,
            });
            used[i] = true;
            return;
        }
        used[i] = true;
        let definite = start > 0 && upper[start - 1] == "THE";
        let origin = if country.is_some() {
            "text"
        } else if definite {
            "agent-definite"
        } else {
            "agent"
        };
        // "the foreign minister": the person the document gave that title.
        let same_role = (definite && country.is_none())
            .then(|| learned.last_with_role(&title_role(&role)))
            .flatten();
        out.push(match same_role {
            Some(l) => Mention {
                tok_start: start,
                tok_end: end,
                code: l.code.clone(),
                actor: Some(l.name.clone()),
                role: Some(l.role.clone()),
                origin: "coreference",
            },
            None => Mention {
                tok_start: start,
                tok_end: end,
                code,
                actor: None,
                role: Some(title_role(&role)),
                origin,
            },
        });
    }
}

/// "Foreign Minister" from "Foreign Minister" / "foreign minister": roles are
/// compared and shown title-cased.
fn title_role(s: &str) -> String {
    chronicle_codebook::title_case(&s.to_lowercase())
}

#[derive(Debug, Clone)]
struct Piece {
    start: usize,
    end: usize,
    kind: PieceKind,
}

#[derive(Debug, Clone)]
enum PieceKind {
    Actor {
        code: Option<String>,
        name: String,
        /// The code is a bare state code (`RUS`).
        state: bool,
    },
    Person(String),
    Name(String),
    Agent(usize),
}

impl Piece {
    /// The country of a country-only piece (`RUS`, not `RUSGOV`).
    fn country(&self) -> Option<String> {
        match &self.kind {
            PieceKind::Actor {
                code: Some(c),
                state: true,
                ..
            } => Some(c.clone()),
            _ => None,
        }
    }

    /// The name of a piece that names a person (an entity PER, or a dictionary
    /// actor whose name is not a country).
    fn person_name(&self) -> Option<String> {
        match &self.kind {
            PieceKind::Person(n) => Some(n.clone()),
            PieceKind::Actor {
                code: Some(c),
                name,
                state: false,
            } if c.len() > 3 => Some(name.clone()),
            _ => None,
        }
    }
}

/// Tokens `[a, b)` of `range` covering bytes `[start, end)`.
/// One sentence's tokens and the entities that may touch them.
struct SentenceInput<'e> {
    range: std::ops::Range<usize>,
    /// Indices into `doc.entities`, in document order: a superset of those with a
    /// token in `range`.
    entities: &'e [usize],
}

/// The document's entities by start byte, so each sentence looks only at the
/// entities near it (scanning all of them per sentence made long documents cost
/// sentences × entities).
struct EntityIndex {
    /// Entity indices sorted by start byte.
    by_start: Vec<usize>,
    /// The longest entity, in bytes: an entity overlapping a span starts at most
    /// this far before it.
    longest: usize,
}

impl EntityIndex {
    fn new(doc: &Document) -> Self {
        let mut by_start: Vec<usize> = (0..doc.entities.len()).collect();
        by_start.sort_by_key(|&i| (doc.entities[i].start, i));
        let longest = doc
            .entities
            .iter()
            .map(|e| e.end.saturating_sub(e.start))
            .max()
            .unwrap_or(0);
        EntityIndex { by_start, longest }
    }

    /// Indices, in document order, of the entities whose bytes overlap the
    /// tokens of `range`.
    fn overlapping(
        &self,
        doc: &Document,
        range: std::ops::Range<usize>,
        compared: &mut usize,
    ) -> Vec<usize> {
        let (Some(first), Some(last)) = (
            doc.tokens.get(range.start),
            range.end.checked_sub(1).and_then(|l| doc.tokens.get(l)),
        ) else {
            return Vec::new();
        };
        let (lo, hi) = (first.start, last.end);
        let from = self
            .by_start
            .partition_point(|&i| doc.entities[i].start < lo.saturating_sub(self.longest));
        let mut near: Vec<usize> = self.by_start[from..]
            .iter()
            .copied()
            .take_while(|&i| doc.entities[i].start < hi)
            .inspect(|_| *compared += 1)
            .filter(|&i| doc.entities[i].end > lo)
            .collect();
        near.sort_unstable();
        near
    }
}

fn token_range(
    doc: &Document,
    start: usize,
    end: usize,
    range: std::ops::Range<usize>,
) -> Option<(usize, usize)> {
    let toks = &doc.tokens[range.clone()];
    let a = toks.iter().position(|t| t.end > start && t.start < end)?;
    let b = toks.iter().rposition(|t| t.end > start && t.start < end)?;
    Some((range.start + a, range.start + b + 1))
}

/// Surnames and full names of people the document gave a role resolve to them.
fn resolve_coreference(doc: &Document, mentions: &mut [Mention], learned: &[Learned]) {
    let mut by_name: HashMap<String, &Learned> = HashMap::new();
    for l in learned {
        let name = l.name.to_uppercase();
        if let Some(last) = name.split_whitespace().last() {
            by_name.entry(last.to_string()).or_insert(l);
        }
        by_name.insert(name, l);
    }
    for m in mentions.iter_mut() {
        if m.origin != "entity" {
            continue;
        }
        let words: Vec<String> = doc.tokens[m.tok_start..m.tok_end]
            .iter()
            .map(|t| t.text.to_uppercase())
            .collect();
        let key = words.join(" ");
        let l = by_name
            .get(&key)
            .or_else(|| words.last().and_then(|w| by_name.get(w)));
        if let Some(l) = l {
            m.code = l.code.clone();
            m.actor = Some(l.name.clone());
            m.role = Some(l.role.clone());
            m.origin = "coreference";
        }
    }
}

fn focus(book: &Codebook, mentions: &[Mention]) -> Option<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for m in mentions {
        if let Some(c) = m.code.as_deref() {
            if c.len() >= 3 && c.is_char_boundary(3) && book.is_country(&c[..3]) {
                *counts.entry(&c[..3]).or_default() += 1;
            }
        }
    }
    let mut v: Vec<(&str, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v.first().map(|(c, _)| c.to_string())
}

/// A one-word dictionary hit on a pronoun or other function word ("us" read as
/// US, "it" as IT), or on a short word written in lower case: the dictionaries
/// match upper-cased text, so "US", "UK", "UN" must be capitals in the text.
fn function_word_hit(doc: &Document, h: &DictHit) -> bool {
    if h.end != h.start + 1 {
        return false;
    }
    let Some(tok) = doc.tokens.get(h.start) else {
        return false;
    };
    let function = matches!(
        tok.upos.as_deref(),
        Some("PRON" | "DET" | "ADP" | "AUX" | "CCONJ" | "SCONJ" | "PART")
    );
    let short_lower = tok.text.chars().count() <= 3 && !tok.text.chars().any(char::is_uppercase);
    function || short_lower
}

/// The text of tokens `a..b`, joined by spaces.
fn tokens_text(doc: &Document, a: usize, b: usize) -> String {
    doc.tokens[a..b]
        .iter()
        .map(|t| t.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether the tokens between two pieces (`a..b`) still let them form one phrase.
fn glue(upper: &[String], a: usize, b: usize, allowed: &[&str]) -> bool {
    a <= b && b - a <= 2 && (a..b).all(|t| allowed.contains(&upper[t].as_str()))
}

/// The country beside agent piece `i` ("Russian Foreign Minister", "Russia's",
/// "minister of Russia"), else the institution before it whose title it is
/// ("Kremlin spokesman"): `(country, owner)`, each as (piece, code).
#[allow(clippy::type_complexity)]
fn agent_country(
    pieces: &[Piece],
    i: usize,
    used: &[bool],
    upper: &[String],
) -> (Option<(usize, String)>, Option<(usize, String)>) {
    let p = &pieces[i];
    // Country before the agent ("Russian Foreign Minister", "Russia's").
    let mut country: Option<(usize, String)> = None;
    let mut owner: Option<(usize, String)> = None;
    if let Some(j) = i.checked_sub(1) {
        let q = &pieces[j];
        if !used[j] && glue(upper, q.end, p.start, &["'S", "’S", "THE"]) {
            if let Some(c) = q.country() {
                country = Some((j, c));
            } else if let PieceKind::Actor {
                code: Some(c),
                state: false,
                ..
            } = &q.kind
            {
                // An institution's title ("Kremlin spokesman", "State
                // Department spokesman"): the person speaks for it.
                owner = Some((j, c.clone()));
            }
        }
    }
    // "... minister of Russia", "lawmakers in Fornost", "soldiers from Gondor".
    let next = pieces.get(i + 1);
    if country.is_none() {
        if let Some(q) = next {
            let linked = glue(
                upper,
                p.end,
                q.start,
                &["OF", "IN", "FROM", "THROUGHOUT", "ACROSS"],
            );
            if linked && p.end < q.start {
                if let Some(c) = q.country() {
                    country = Some((i + 1, c));
                }
            }
        }
    }
    (country, owner)
}

/// The person agent piece `i` (spanning `start..end` with its country) is the title
/// of: right after it, or before it as an apposition. Returns the piece and whether
/// it comes after.
fn titled_person(
    pieces: &[Piece],
    i: usize,
    start: usize,
    end: usize,
    country: &Option<(usize, String)>,
    used: &[bool],
    upper: &[String],
) -> Option<(usize, bool)> {
    let after = pieces.iter().enumerate().find(|(j, q)| {
        let adjacent = q.start == end || (q.start == end + 1 && upper[end] == ",");
        // With the country already given, a dictionary name coded with
        // a bare country is a person of that country ("Bree Prime Minister
        // Romendacil").
        let named = q.person_name().is_some()
            || (country.is_some() && matches!(q.kind, PieceKind::Actor { .. }));
        !used[*j] && adjacent && named
    });
    if let Some((j, _)) = after {
        return Some((j, true));
    }
    let first = if let Some((j, _)) = country {
        (*j).min(i)
    } else {
        i
    };
    let j = first.checked_sub(1)?;
    let q = &pieces[j];
    let between = &upper[q.end..start];
    let ok =
        matches!(between, [c] | [c, _] if c == ",") && between.iter().skip(1).all(|w| w == "THE");
    (ok && !used[j] && q.person_name().is_some()).then_some((j, false))
}

/// Dictionary actors and named entities no agent took, as mentions of their own.
fn unused_pieces(pieces: &[Piece], used: &[bool], out: &mut Vec<Mention>) {
    for (i, p) in pieces.iter().enumerate() {
        if used[i] {
            continue;
        }
        let (code, actor, origin) = match &p.kind {
            PieceKind::Actor { code, name, .. } => (code.clone(), Some(name.clone()), "dictionary"),
            PieceKind::Person(n) | PieceKind::Name(n) => (None, Some(n.clone()), "entity"),
            PieceKind::Agent(_) => continue,
        };
        out.push(Mention {
            tok_start: p.start,
            tok_end: p.end,
            code,
            actor,
            role: None,
            origin,
        });
    }
}

/// A person's name without the courtesy or rank title the tagger kept in it
/// ("Dr Lena Kovar", "Colonel Piet Danek"): the same person under one name.
fn without_honorific(name: &str) -> String {
    let mut rest = name.trim();
    while let Some((first, tail)) = rest.split_once(char::is_whitespace) {
        let word = first.trim_end_matches('.').to_lowercase();
        if !titles::HONORIFICS.contains(&word.as_str()) || tail.trim().is_empty() {
            break;
        }
        rest = tail.trim_start();
    }
    rest.to_string()
}

#[cfg(test)]
mod tests;
