//! MEANTIME (NewsReader CAT XML) → NER sentences.
//!
//! MEANTIME annotates entity *mentions* (full noun phrases, pronouns included)
//! linked to typed entity instances, not name spans: "U.S. automaker Chrysler",
//! "the Vice Chairman of Chrysler" and "it" are all mentions, and the
//! `syntactic_type` that would single out names is missing on many of them
//! (most of corpus_gm and part of corpus_airbus). So names are recovered from
//! the text: inside each mention of a PER/ORG/LOC(/FIN→ORG) instance, maximal
//! runs of capitalised tokens are candidate names; a run counts only where it
//! ends the phrase or is followed by punctuation or a conjunction — the
//! positions where English puts a name that is the phrase's head — so
//! premodifiers ("U.S." in "U.S. automaker") do not inherit the phrase's
//! type. Smaller mentions claim tokens first, so a nested "Canada" keeps LOC
//! inside "Prime Minister of Canada". Nationality adjectives are dropped, as
//! in UNER. Products, mixed and unlinked mentions are O.

use crate::gazetteer::{demonym_country, gazetteer, kind};
use crate::{EntitySpan, Label, NerError, NerExample};
use chronicle_lexicon::titles;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Loads every `*.xml` file of a MEANTIME corpus folder, in file-name order.
pub fn load_meantime_dir(dir: &Path) -> Result<Vec<NerExample>, NerError> {
    Ok(load_meantime_docs(dir)?.into_iter().flatten().collect())
}

/// Like [`load_meantime_dir`], one vector of sentences per article.
pub fn load_meantime_docs(dir: &Path) -> Result<Vec<Vec<NerExample>>, NerError> {
    Ok(load_meantime_named(dir)?
        .into_iter()
        .map(|(_, doc)| doc)
        .collect())
}

/// Like [`load_meantime_docs`], each article with its file name (without the
/// folder): the key scorers split a corpus by.
pub fn load_meantime_named(dir: &Path) -> Result<Vec<(String, Vec<NerExample>)>, NerError> {
    let rd = std::fs::read_dir(dir).map_err(|err| NerError::Io {
        path: dir.to_path_buf(),
        err,
    })?;
    let mut files = Vec::new();
    for e in rd {
        let e = e.map_err(|err| NerError::Io {
            path: dir.to_path_buf(),
            err,
        })?;
        let p = e.path();
        if p.extension().is_some_and(|x| x == "xml") {
            files.push(p);
        }
    }
    files.sort();
    files
        .iter()
        .map(|f| {
            let name = f
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok((name, load_meantime_file(f)?))
        })
        .collect()
}

pub fn load_meantime_file(path: &Path) -> Result<Vec<NerExample>, NerError> {
    let text = std::fs::read_to_string(path).map_err(|err| NerError::Io {
        path: path.to_path_buf(),
        err,
    })?;
    parse_meantime(&text, &path.display().to_string())
}

/// `Some(None)` = a product name: not an entity here, but a name (see
/// `NerExample::others`).
fn map_type(t: &str) -> Option<Option<Label>> {
    match t {
        "PER" => Some(Some(Label::Per)),
        "ORG" | "FIN" => Some(Some(Label::Org)),
        "LOC" => Some(Some(Label::Loc)),
        "PRO" => Some(None),
        _ => None,
    }
}

/// Mentions whose syntactic type says they are not names at all.
fn non_name_type(t: &str) -> bool {
    matches!(t, "PRO" | "NOM" | "PRE.NOM" | "PTV" | "HLS" | "ARC")
}

/// Capitalised words that are never part of a name in MEANTIME's sense.
const NOT_NAME: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "he", "she", "it", "we", "they", "i",
    "you", "his", "her", "its", "their", "our", "my", "your", "us", "them", "him", "which", "who",
    "prime", "former", "new", "both", "all", "some", "any", "other",
];

/// Titles that precede or replace names but are never part of them in
/// MEANTIME's extents ("General" is not here: "General Motors").
fn is_title(lower: &str) -> bool {
    titles::BEFORE_NAMES.contains(&lower) || titles::IN_JOB_TITLES.contains(&lower)
}

fn xml_err(source: &str, reason: impl Into<String>) -> NerError {
    NerError::Xml {
        path: source.to_string(),
        reason: reason.into(),
    }
}

struct Mention {
    syntactic_type: Option<String>,
    tokens: Vec<String>, // t_ids
}

/// The document's tokens: sentences in order of first appearance, and each token
/// `t_id` → (sentence, position).
struct Tokens {
    sentences: Vec<Vec<String>>,
    position: HashMap<String, (usize, usize)>,
}

/// The markables and links the labels come from.
struct Markables {
    mentions: HashMap<String, Mention>,
    /// Entity instance `m_id` → its `ent_type`.
    entity_type: HashMap<String, String>,
    /// Mention `m_id` → the entity instance it refers to.
    refers: HashMap<String, String>,
}

impl Markables {
    /// The `ent_type` of the instance mention `mid` refers to.
    fn entity_type_of(&self, mid: &str) -> Option<&String> {
        self.refers.get(mid).and_then(|e| self.entity_type.get(e))
    }
}

/// Whether a word looks like part of a name in this document.
struct NameTest<'a> {
    /// Words the document also writes in lower case.
    lower_seen: HashSet<String>,
    gaz: &'a crate::gazetteer::Gazetteer,
}

impl NameTest<'_> {
    fn new(sentences: &[Vec<String>]) -> Self {
        // Words the document also writes in lower case are common words when they
        // are capitalised only because they open a sentence ("Company officials").
        let lower_seen = sentences
            .iter()
            .flatten()
            .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
            .map(|w| w.to_lowercase())
            .collect();
        NameTest {
            lower_seen,
            gaz: gazetteer(),
        }
    }

    fn is_name(&self, w: &str, first_in_sentence: bool) -> bool {
        let lw = w.to_lowercase();
        // "US" the country is not "us" the pronoun.
        let all_caps =
            w.chars().count() > 1 && w.chars().all(|c| !c.is_alphabetic() || c.is_uppercase());
        if NOT_NAME.contains(&lw.as_str()) && !all_caps {
            return false;
        }
        if is_title(&lw) {
            return false;
        }
        if first_in_sentence && self.lower_seen.contains(&lw) {
            return false;
        }
        let mut chars = w.chars();
        let first = chars.next();
        match first {
            Some(c) if c.is_uppercase() => true,
            Some(c) if c.is_alphabetic() => w.chars().any(char::is_uppercase),
            _ => false,
        }
    }
}

/// A labelled mention's tokens within one sentence.
struct Candidate {
    sentence: usize,
    /// Sorted token positions.
    positions: Vec<usize>,
    label: Option<Label>,
}

pub fn parse_meantime(xml: &str, source: &str) -> Result<Vec<NerExample>, NerError> {
    let doc = roxmltree::Document::parse(xml).map_err(|e| xml_err(source, e.to_string()))?;
    let root = doc.root_element();
    let tokens = read_tokens(root, source)?;
    let markables = read_markables(root);
    let names = NameTest::new(&tokens.sentences);
    let cands = candidates(&markables, &tokens.position);
    let (spans, others) = claim_names(&tokens.sentences, cands, &names);
    let covered = covered_tokens(&tokens, &markables);
    Ok(tokens
        .sentences
        .into_iter()
        .zip(spans)
        .zip(others)
        .zip(covered)
        .map(|(((tokens, mut entities), mut others), covered)| {
            others.sort();
            entities.sort();
            let ignore: Vec<bool> = tokens
                .iter()
                .enumerate()
                .map(|(p, w)| !covered[p] && names.is_name(w, p == 0))
                .collect();
            let ignore = if ignore.iter().any(|&b| b) {
                ignore
            } else {
                Vec::new()
            };
            NerExample {
                tokens,
                entities,
                others,
                ignore,
                document: source.to_string(),
            }
        })
        .collect())
}

fn read_tokens(root: roxmltree::Node, source: &str) -> Result<Tokens, NerError> {
    let mut sentences: Vec<Vec<String>> = Vec::new();
    let mut sent_index: HashMap<String, usize> = HashMap::new();
    let mut position: HashMap<String, (usize, usize)> = HashMap::new();
    for t in root.children().filter(|n| n.has_tag_name("token")) {
        let tid = t
            .attribute("t_id")
            .ok_or_else(|| xml_err(source, "token without t_id"))?;
        let sent = t
            .attribute("sentence")
            .ok_or_else(|| xml_err(source, format!("token {tid} without sentence")))?;
        let text = t.text().unwrap_or("").trim();
        let text = if text.is_empty() { "_" } else { text };
        let si = match sent_index.get(sent) {
            Some(&i) => i,
            None => {
                sentences.push(Vec::new());
                sent_index.insert(sent.to_string(), sentences.len() - 1);
                sentences.len() - 1
            }
        };
        position.insert(tid.to_string(), (si, sentences[si].len()));
        sentences[si].push(text.to_string());
    }
    Ok(Tokens {
        sentences,
        position,
    })
}

fn read_markables(root: roxmltree::Node) -> Markables {
    let mut mentions: HashMap<String, Mention> = HashMap::new();
    let mut entity_type: HashMap<String, String> = HashMap::new();
    let mut refers: HashMap<String, String> = HashMap::new();
    for section in root.children().filter(|n| n.is_element()) {
        for n in section.children().filter(|n| n.is_element()) {
            match n.tag_name().name() {
                "ENTITY_MENTION" => {
                    let Some(mid) = n.attribute("m_id") else {
                        continue;
                    };
                    let tokens = n
                        .children()
                        .filter(|c| c.has_tag_name("token_anchor"))
                        .filter_map(|c| c.attribute("t_id").map(str::to_string))
                        .collect();
                    mentions.insert(
                        mid.to_string(),
                        Mention {
                            syntactic_type: n.attribute("syntactic_type").map(str::to_string),
                            tokens,
                        },
                    );
                }
                "ENTITY" => {
                    if let (Some(mid), Some(t)) = (n.attribute("m_id"), n.attribute("ent_type")) {
                        entity_type.insert(mid.to_string(), t.to_string());
                    }
                }
                "REFERS_TO" => {
                    let target = n
                        .children()
                        .find(|c| c.has_tag_name("target"))
                        .and_then(|c| c.attribute("m_id"));
                    if let Some(target) = target {
                        for s in n.children().filter(|c| c.has_tag_name("source")) {
                            if let Some(sm) = s.attribute("m_id") {
                                refers.insert(sm.to_string(), target.to_string());
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    Markables {
        mentions,
        entity_type,
        refers,
    }
}

/// Name mentions with a label, inside one sentence, smallest first (then by
/// sentence and position), so a short name is claimed before a longer mention
/// that contains it.
fn candidates(markables: &Markables, position: &HashMap<String, (usize, usize)>) -> Vec<Candidate> {
    let mut cands = Vec::new();
    let mut mids: Vec<&String> = markables.mentions.keys().collect();
    mids.sort();
    for mid in mids {
        let m = &markables.mentions[mid];
        if m.syntactic_type.as_deref().is_some_and(non_name_type) {
            continue;
        }
        let Some(label) = markables.entity_type_of(mid).and_then(|t| map_type(t)) else {
            continue;
        };
        let mut pos: Vec<(usize, usize)> = m
            .tokens
            .iter()
            .filter_map(|t| position.get(t).copied())
            .collect();
        if pos.is_empty() {
            continue;
        }
        pos.sort_unstable();
        let sent = pos[0].0;
        if pos.iter().any(|p| p.0 != sent) {
            continue;
        }
        cands.push(Candidate {
            sentence: sent,
            positions: pos.into_iter().map(|p| p.1).collect(),
            label,
        });
    }
    cands.sort_by(|a, b| {
        a.positions
            .len()
            .cmp(&b.positions.len())
            .then(a.sentence.cmp(&b.sentence))
            .then(a.positions.cmp(&b.positions))
    });
    cands
}

/// Entity spans per sentence, and spans of names of other types: within each
/// candidate, the runs of name words (joined over connectors between names) that
/// end at a boundary, are not claimed yet and do not end in a demonym or region.
#[allow(clippy::type_complexity)]
fn claim_names(
    sentences: &[Vec<String>],
    cands: Vec<Candidate>,
    names: &NameTest,
) -> (Vec<Vec<EntitySpan>>, Vec<Vec<(usize, usize)>>) {
    let mut claimed: Vec<Vec<bool>> = sentences.iter().map(|s| vec![false; s.len()]).collect();
    let mut spans: Vec<Vec<EntitySpan>> = vec![Vec::new(); sentences.len()];
    let mut others: Vec<Vec<(usize, usize)>> = vec![Vec::new(); sentences.len()];
    for Candidate {
        sentence: sent,
        positions: pos,
        label,
    } in cands
    {
        let words = &sentences[sent];
        let is_name = |p: usize| names.is_name(&words[p], p == 0);
        let mut k = 0;
        while k < pos.len() {
            if !is_name(pos[k]) {
                k += 1;
                continue;
            }
            // Extend over names and over connectors that sit between names.
            let start = k;
            let mut end = k + 1; // exclusive index into pos
            while end < pos.len() && pos[end] == pos[end - 1] + 1 {
                let w = words[pos[end]].as_str();
                if is_name(pos[end]) {
                    end += 1;
                } else if is_connector(w)
                    && end + 1 < pos.len()
                    && pos[end + 1] == pos[end] + 1
                    && is_name(pos[end + 1])
                {
                    end += 2;
                } else {
                    break;
                }
            }
            k = end;
            let follows_ok =
                end == pos.len() || pos[end] != pos[end - 1] + 1 || is_boundary(&words[pos[end]]);
            if !follows_ok {
                continue;
            }
            let (s, e) = (pos[start], pos[end - 1] + 1);
            if claimed[sent][s..e].iter().any(|&c| c) {
                continue;
            }
            let last = words[e - 1].as_str();
            if demonym_country(last).is_some()
                || names.gaz.is_kind(&last.to_lowercase(), kind::REGION)
            {
                continue;
            }
            for c in &mut claimed[sent][s..e] {
                *c = true;
            }
            match label {
                Some(label) => spans[sent].push(EntitySpan {
                    start_token: s,
                    end_token: e,
                    label,
                }),
                None => others[sent].push((s, e)),
            }
        }
    }
    (spans, others)
}

/// Tokens some typed mention covers. MEANTIME annotates only the entities its
/// events involve, so a name no mention covers ("US" in most sentences) is
/// unannotated, not O: the caller marks it so training does not learn it as O and
/// partial scoring can skip it.
fn covered_tokens(tokens: &Tokens, markables: &Markables) -> Vec<Vec<bool>> {
    let mut covered: Vec<Vec<bool>> = tokens
        .sentences
        .iter()
        .map(|s| vec![false; s.len()])
        .collect();
    for (mid, m) in &markables.mentions {
        // A mention not linked to a typed instance says nothing about its label.
        let typed = markables.entity_type_of(mid).is_some_and(|t| !t.is_empty());
        if !typed {
            continue;
        }
        for t in &m.tokens {
            if let Some(&(si, p)) = tokens.position.get(t) {
                covered[si][p] = true;
            }
        }
    }
    covered
}

fn is_connector(w: &str) -> bool {
    matches!(
        w,
        "of" | "&" | "de" | "du" | "del" | "der" | "von" | "van" | "al" | "bin" | "la" | "le"
    )
}

/// Tokens after which a name run is the head of its phrase, not a premodifier.
fn is_boundary(w: &str) -> bool {
    matches!(w, "and" | "or" | "'s" | "’s") || w.chars().all(|c| !c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = r#"<?xml version="1.0" ?><Document doc_id="1" doc_name="t" lang="en">
<token number="0" sentence="0" t_id="1">U.S.</token>
<token number="1" sentence="0" t_id="2">automaker</token>
<token number="2" sentence="0" t_id="3">Chrysler</token>
<token number="3" sentence="0" t_id="4">LLC</token>
<token number="4" sentence="0" t_id="5">hired</token>
<token number="5" sentence="0" t_id="6">Jim</token>
<token number="6" sentence="0" t_id="7">Press</token>
<token number="7" sentence="0" t_id="8">.</token>
<token number="8" sentence="1" t_id="9">The</token>
<token number="9" sentence="1" t_id="10">Prime</token>
<token number="10" sentence="1" t_id="11">Minister</token>
<token number="11" sentence="1" t_id="12">of</token>
<token number="12" sentence="1" t_id="13">Canada</token>
<token number="13" sentence="1" t_id="14">praised</token>
<token number="14" sentence="1" t_id="15">American</token>
<token number="15" sentence="1" t_id="16">iPhone</token>
<token number="16" sentence="1" t_id="17">it</token>
<Markables>
<ENTITY_MENTION m_id="1" syntactic_type="">
<token_anchor t_id="1"/><token_anchor t_id="2"/><token_anchor t_id="3"/><token_anchor t_id="4"/>
</ENTITY_MENTION>
<ENTITY_MENTION m_id="2" syntactic_type="PRE.NAM"><token_anchor t_id="1"/></ENTITY_MENTION>
<ENTITY_MENTION m_id="3"><token_anchor t_id="6"/><token_anchor t_id="7"/></ENTITY_MENTION>
<ENTITY_MENTION m_id="4" syntactic_type="NAM">
<token_anchor t_id="9"/><token_anchor t_id="10"/><token_anchor t_id="11"/><token_anchor t_id="12"/><token_anchor t_id="13"/>
</ENTITY_MENTION>
<ENTITY_MENTION m_id="5" syntactic_type="NAM"><token_anchor t_id="13"/></ENTITY_MENTION>
<ENTITY_MENTION m_id="6" syntactic_type="PRE.NAM"><token_anchor t_id="15"/></ENTITY_MENTION>
<ENTITY_MENTION m_id="7" syntactic_type="NAM"><token_anchor t_id="16"/></ENTITY_MENTION>
<ENTITY_MENTION m_id="8" syntactic_type="PRO"><token_anchor t_id="17"/></ENTITY_MENTION>
<ENTITY m_id="50" ent_type="ORG"/>
<ENTITY m_id="51" ent_type="LOC"/>
<ENTITY m_id="52" ent_type="PER"/>
<ENTITY m_id="53" ent_type="PRO"/>
</Markables>
<Relations>
<REFERS_TO r_id="1"><source m_id="1"/><source m_id="8"/><target m_id="50"/></REFERS_TO>
<REFERS_TO r_id="2"><source m_id="2"/><source m_id="5"/><source m_id="6"/><target m_id="51"/></REFERS_TO>
<REFERS_TO r_id="3"><source m_id="3"/><source m_id="4"/><target m_id="52"/></REFERS_TO>
<REFERS_TO r_id="4"><source m_id="7"/><target m_id="53"/></REFERS_TO>
</Relations>
</Document>"#;

    fn sp(s: usize, e: usize, l: Label) -> EntitySpan {
        EntitySpan {
            start_token: s,
            end_token: e,
            label: l,
        }
    }

    #[test]
    fn names_recovered_from_mentions() {
        let ex = parse_meantime(FIXTURE, "fixture").unwrap();
        assert_eq!(ex.len(), 2);
        assert_eq!(ex[0].tokens[0], "U.S.");
        // Premodifier LOC from its own mention, head name from the ORG phrase.
        assert_eq!(
            ex[0].entities,
            vec![
                sp(0, 1, Label::Loc),
                sp(2, 4, Label::Org),
                sp(5, 7, Label::Per)
            ]
        );
        // The title phrase does not become a PER name; the nested country stays
        // LOC; the demonym and the product are O.
        assert_eq!(ex[1].entities, vec![sp(4, 5, Label::Loc)]);
        assert_eq!(ex[1].others, vec![(7, 8)]);
        assert!(ex[1].ignore.is_empty());
    }

    #[test]
    fn malformed_xml_is_an_error() {
        let e = parse_meantime("<Document><token", "bad.xml").unwrap_err();
        assert!(e.to_string().contains("bad.xml"), "{e}");
        let e = parse_meantime(
            "<Document><token sentence=\"0\">x</token></Document>",
            "b.xml",
        )
        .unwrap_err();
        assert!(e.to_string().contains("t_id"), "{e}");
    }
}
