//! What the exporters read from one stored document: character offsets,
//! sentence numbers, the lead, where actors' codes came from, the places an
//! event can be put, and the identifiers of the article.

use crate::cameo;
use chronicle_core::{Document, Event, EventActor};
use chronicle_geo::{Gazetteer, Place};

/// The lead, as GDELT's IsRootEvent means it: the first paragraph (up to the
/// first line break after at least [`LEAD_MIN_CHARS`] characters, so a byline
/// or dateline on its own line does not make the lead), and never more than the
/// first [`LEAD_MAX_SENTENCES`] sentences (a text without line breaks would
/// otherwise be one long "paragraph").
pub const LEAD_MIN_CHARS: usize = 40;
pub const LEAD_MAX_SENTENCES: usize = 3;

pub struct DocContext<'d> {
    pub doc: &'d Document,
    lead_end: usize,
}

/// How an actor's code was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// From an agent word alone, with no country in the text ("Islamists").
    AgentOnly,
    /// Resolved from elsewhere in the document ("the minister" → the one named
    /// before).
    Coreference,
    /// Named where the event is.
    Stated,
}

impl<'d> DocContext<'d> {
    pub fn new(doc: &'d Document) -> DocContext<'d> {
        let text = &doc.text;
        let body_start = text.len() - text.trim_start().len();
        let mut lead_end = text.len();
        let mut chars = 0usize;
        for (i, c) in text[body_start..].char_indices() {
            if c == '\n' && chars >= LEAD_MIN_CHARS {
                lead_end = body_start + i;
                break;
            }
            if !c.is_whitespace() {
                chars += 1;
            }
        }
        DocContext { doc, lead_end }
    }

    /// Characters (Unicode scalar values) before byte `b`, as GDELT counts
    /// offsets ("in terms of English characters"); a byte inside a character
    /// counts from that character's start.
    pub fn char_offset(&self, b: usize) -> usize {
        let text = &self.doc.text;
        let mut b = b.min(text.len());
        while !text.is_char_boundary(b) {
            b -= 1;
        }
        text[..b].chars().count()
    }

    /// Length of the text in characters.
    pub fn char_len(&self) -> usize {
        self.doc.text.chars().count()
    }

    /// 0-based index of the sentence holding byte `b`.
    pub fn sentence_index(&self, b: usize) -> Option<usize> {
        let s = &self.doc.sentences;
        let i = s.partition_point(|x| x.start <= b);
        i.checked_sub(1)
            .filter(|&i| b < s[i].end.max(s[i].start + 1))
    }

    /// Whether the event is in the lead (see [`LEAD_MIN_CHARS`]).
    pub fn in_lead(&self, e: &Event) -> bool {
        let at = e.verb.map(|v| v.start).unwrap_or(e.start);
        match self.sentence_index(at) {
            Some(i) => i < LEAD_MAX_SENTENCES && self.doc.sentences[i].start < self.lead_end,
            None => at < self.lead_end,
        }
    }

    /// How the code of an event's actor was found: the actor-mention layer has
    /// the same words with the origin of their code.
    pub fn origin(&self, a: &EventActor) -> Origin {
        let m = self
            .doc
            .actors
            .iter()
            .find(|m| m.start == a.start && m.end == a.end && m.code == a.code);
        match m.map(|m| m.origin.as_str()) {
            Some("agent") => Origin::AgentOnly,
            Some("coreference") => Origin::Coreference,
            _ => Origin::Stated,
        }
    }

    /// The ISO country of an actor's code, when its first letters are a
    /// country and not an agent's religion or sector.
    pub fn actor_country(&self, a: Option<&EventActor>) -> Option<String> {
        let a = a?;
        let code = a.code.as_deref()?;
        if self.origin(a) == Origin::AgentOnly {
            return None;
        }
        cameo::iso_country(code).map(str::to_string)
    }

    /// The countries a place named for `e` most likely lies in: its actors'
    /// countries first, then the document's.
    pub fn preferred_countries(&self, e: &Event, doc_countries: &[String]) -> Vec<String> {
        [e.source.as_ref(), e.target.as_ref()]
            .into_iter()
            .filter_map(|a| self.actor_country(a))
            .chain(doc_countries.iter().cloned())
            .collect()
    }

    /// Countries the document names (entities with a country, actor mentions
    /// with one), in order of first mention.
    pub fn countries(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let from_entities = self.doc.entities.iter().filter_map(|e| e.country.clone());
        let from_actors = self
            .doc
            .actors
            .iter()
            .filter(|m| m.origin != "agent")
            .filter_map(|m| m.country.clone());
        for c in from_entities.chain(from_actors) {
            if cameo::iso_country(&c).is_some() && !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }

    /// The article's URL when it is one (http or https, no spaces): a stored
    /// URL field can hold something else (a JSON-LD object a page gave as its
    /// URL), which no script could follow.
    pub fn url(&self) -> Option<&str> {
        let u = self.doc.url.as_deref()?.trim();
        let scheme = u.starts_with("http://") || u.starts_with("https://");
        let host = u.split_once("://").map(|(_, r)| r).unwrap_or("");
        (scheme && !host.is_empty() && !u.chars().any(|c| c.is_whitespace() || c.is_control()))
            .then_some(u)
    }

    /// The article's URL, else a stable reference to the stored document.
    pub fn source_url(&self) -> String {
        match self.url() {
            Some(u) => u.to_string(),
            None => format!("chronicle:document/{}", self.doc.id),
        }
    }

    /// The outlet, else the URL's host.
    pub fn outlet(&self) -> String {
        if let Some(o) = self
            .doc
            .outlet
            .as_deref()
            .map(str::trim)
            .filter(|o| !o.is_empty())
        {
            return o.to_string();
        }
        let url = self.url().unwrap_or("");
        let rest = url.split_once("://").map(|(_, r)| r).unwrap_or("");
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        host.trim_start_matches("www.").to_string()
    }
}

/// Places the event: its own location words, looked up preferring its actors'
/// countries. A foreign match (in a country neither the actors nor the
/// document name) is accepted only for a country, a division or a city of a
/// million people or more: "Batna" in a Syrian article is a Syrian village, not
/// the Algerian city.
pub fn place_event<'g>(
    g: &'g Gazetteer,
    cx: &DocContext<'_>,
    e: &Event,
    doc_countries: &[String],
) -> Option<Place<'g>> {
    let words = e.location.as_deref()?;
    let preferred = cx.preferred_countries(e, doc_countries);
    let prefer: Vec<&str> = preferred.iter().map(String::as_str).collect();
    let place = g.lookup(words, &prefer)?;
    Some(place).filter(|p| plausible(p, &prefer))
}

/// The foreign-match rule of [`place_event`].
pub fn plausible(p: &Place<'_>, prefer: &[&str]) -> bool {
    prefer.is_empty()
        || prefer.contains(&p.country.iso3.as_str())
        || p.kind != chronicle_geo::PlaceKind::City
        || p.population >= 1_000_000
}

/// The first place named in the event's sentence (a LOC entity the gazetteer
/// knows), for exports that need every event placed.
pub fn place_in_sentence<'g>(
    g: &'g Gazetteer,
    cx: &DocContext<'_>,
    e: &Event,
    prefer: &[&str],
) -> Option<Place<'g>> {
    cx.doc
        .entities
        .iter()
        .filter(|x| x.label == "LOC" && x.start >= e.start && x.end <= e.end)
        .filter_map(|x| g.lookup(&x.text, prefer))
        .find(|p| plausible(p, prefer))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chronicle_core::{ActorMention, Sentence};

    fn doc(text: &str) -> Document {
        let mut d = Document::from_text("t", "t", text);
        let mut start = 0;
        for part in text.split_inclusive(". ") {
            let end = start + part.trim_end().len();
            d.sentences.push(Sentence {
                start,
                end,
                token_start: 0,
                token_end: 0,
            });
            start += part.len();
        }
        d
    }

    fn event_at(start: usize, end: usize) -> Event {
        Event {
            start,
            end,
            text: String::new(),
            source_actor: None,
            target_actor: None,
            cameo: "190".into(),
            plover_type: None,
            plover_mode: None,
            quad_class: None,
            goldstein: None,
            location: None,
            date: None,
            date_source: None,
            source: None,
            target: None,
            verb: None,
            modality: None,
        }
    }

    #[test]
    fn offsets_are_characters() {
        let d = doc("Ḩalab é x. Two.");
        let cx = DocContext::new(&d);
        assert_eq!(cx.char_offset(0), 0);
        let x = d.text.find('x').unwrap();
        assert_eq!(cx.char_offset(x), 8);
        assert_eq!(cx.char_offset(1), 0); // inside Ḩ
        assert_eq!(cx.char_offset(10_000), cx.char_len());
    }

    #[test]
    fn the_lead_is_the_first_paragraph_and_at_most_three_sentences() {
        let text =
            "By A. Writer\nOne is the lead sentence here, long enough. Two. Three.\n\nFour. Five.";
        let d = doc(text);
        let cx = DocContext::new(&d);
        let four = text.find("Four").unwrap();
        let one = text.find("One").unwrap();
        assert!(cx.in_lead(&event_at(one, one + 3)));
        assert!(!cx.in_lead(&event_at(four, four + 4)));
        let flat = doc("A. B. C. D. E.");
        let cx = DocContext::new(&flat);
        assert!(cx.in_lead(&event_at(3, 4)));
        assert!(!cx.in_lead(&event_at(9, 10)));
    }

    #[test]
    fn agent_codes_have_no_country() {
        let mut d = doc("Islamists attacked Mauritius.");
        d.actors.push(ActorMention {
            start: 0,
            end: 9,
            text: "Islamists".into(),
            code: Some("MUS".into()),
            actor: None,
            role: None,
            country: Some("MUS".into()),
            sector: None,
            origin: "agent".into(),
        });
        d.actors.push(ActorMention {
            start: 19,
            end: 28,
            text: "Mauritius".into(),
            code: Some("MUS".into()),
            actor: Some("Mauritius".into()),
            role: None,
            country: Some("MUS".into()),
            sector: None,
            origin: "dictionary".into(),
        });
        let cx = DocContext::new(&d);
        let a = |s, e| EventActor {
            text: String::new(),
            code: Some("MUS".into()),
            actor: None,
            start: s,
            end: e,
        };
        assert_eq!(cx.origin(&a(0, 9)), Origin::AgentOnly);
        assert_eq!(cx.actor_country(Some(&a(0, 9))), None);
        assert_eq!(cx.actor_country(Some(&a(19, 28))).as_deref(), Some("MUS"));
        assert_eq!(cx.countries(), vec!["MUS".to_string()]);
    }

    #[test]
    fn identifiers() {
        let mut d = doc("x");
        d.id = "abc".into();
        assert_eq!(DocContext::new(&d).source_url(), "chronicle:document/abc");
        d.url = Some("https://www.example.org/a?b".into());
        assert_eq!(
            DocContext::new(&d).source_url(),
            "https://www.example.org/a?b"
        );
        assert_eq!(DocContext::new(&d).outlet(), "example.org");
        d.outlet = Some("Example News".into());
        assert_eq!(DocContext::new(&d).outlet(), "Example News");
        d.url = Some(r#"{"@id":"https://pillarnews.example/a","@type":"WebPage"}"#.into());
        assert_eq!(DocContext::new(&d).source_url(), "chronicle:document/abc");
        d.url = Some("https://".into());
        assert_eq!(DocContext::new(&d).url(), None);
    }
}
