//! Denials and negated statements: sentences that say an act did not happen
//! ("Moscow denied carrying out the strike", "the ministry dismissed reports of
//! an attack as false", "no such attack took place", "'We did not bomb the
//! hospital,' the minister said"), with who says so and the act they deny as
//! event coding reads it (doers, targets, CAMEO code). Not part of the events
//! layer: a reader (the story digest) matches them against events other
//! reports told.

use crate::args::{self, Tree};
use crate::{
    event_actor, lemma_of, negated_word, EventCoder, GoverningNegation, DENY, NEGATION, SPEECH,
};
use chronicle_actors::{DocActors, Mention};
use chronicle_core::{Document, EventActor, Sentence, Span};

/// How a sentence says the act did not happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DenialKind {
    /// A verb of denial ("denied", "refuted", "dismissed reports of").
    Denied,
    /// The act itself told as not done ("did not bomb", "no such attack").
    Negated,
}

/// One sentence saying an act did not happen.
#[derive(Debug, Clone, PartialEq)]
pub struct Denial {
    pub kind: DenialKind,
    /// The sentence: bytes `[start, end)` of the document's text.
    pub start: usize,
    pub end: usize,
    pub sentence: String,
    /// The word that denies or negates ("denied", "not").
    pub cue: Span,
    pub cue_text: String,
    /// Who denies: the denial verb's subject or agent, else the speaker of the
    /// quotation or reported speech; `None` when the report says it itself.
    pub denier: Option<EventActor>,
    /// The act denied: who did it and whom it was aimed at, where the text says.
    pub sources: Vec<EventActor>,
    pub targets: Vec<EventActor>,
    /// Its CAMEO code; `None` for an act left unnamed ("denied any
    /// responsibility"), which stands for any act of force (CAMEO 14-20).
    pub code: Option<String>,
    /// The word naming the act, lower case ("strike", "bomb").
    pub act_word: Option<String>,
    /// What was denied are accusations against the denier ("denied the
    /// allegations"): an accusation aimed at them (CAMEO 11) is denied too.
    pub accusation: bool,
}

/// Verbs that deny only what a report or accusation says ("dismissed the
/// reports as lies", "rejected the allegations"); with other objects they are
/// acts of their own ("rejected a US plea").
const DISMISS: &[&str] = &["dismiss", "reject", "dispute", "contest", "deny"];
/// Nouns for what was said about someone ("the reports", "these allegations").
const REPORTS: &[&str] = &[
    "report",
    "claim",
    "allegation",
    "accusation",
    "charge",
    "account",
    "suggestion",
    "story",
    "assertion",
    "rumour",
    "rumor",
    "statement",
];
/// Nouns for one's part in an act ("denied responsibility for the attack").
const PART: &[&str] = &[
    "responsibility",
    "involvement",
    "role",
    "part",
    "link",
    "participation",
    "hand",
    "culpability",
];
/// Verbs of accusing whose complement is the act accused of.
const ACCUSE: &[&str] = &["accuse", "blame"];
/// Verbs that say an act came about ("no such attack took place").
const OCCUR: &[&str] = &["happen", "occur", "take"];

/// The act a denial is about.
#[derive(Default)]
struct Act {
    code: Option<String>,
    word: Option<String>,
    sources: Vec<Mention>,
    targets: Vec<Mention>,
    accusation: bool,
}

struct Ctx<'c, 'a> {
    coder: &'c EventCoder<'a>,
    doc: &'c Document,
    tree: &'c Tree,
    actors: &'c DocActors,
    sentence: &'c Sentence,
}

impl EventCoder<'_> {
    /// The document's denials and negated statements, in text order.
    pub fn denials(&self, doc: &Document) -> Vec<Denial> {
        let actors = self.actors.code(doc, None);
        let tree = Tree::new(doc, &self.currency, &self.patterns);
        let mut out = Vec::new();
        for s in &doc.sentences {
            let cx = Ctx {
                coder: self,
                doc,
                tree: &tree,
                actors: &actors,
                sentence: s,
            };
            let end = s.token_end.min(doc.tokens.len());
            for v in s.token_start..end {
                if let Some(d) = cx.denied(v).or_else(|| cx.negated(v)) {
                    out.push(d);
                }
            }
        }
        out
    }
}

impl Ctx<'_, '_> {
    fn lemma(&self, t: usize) -> String {
        lemma_of(self.doc, t)
    }

    fn in_sentence(&self, t: usize) -> bool {
        t >= self.sentence.token_start && t < self.sentence.token_end.min(self.doc.tokens.len())
    }

    fn kids(&self, t: usize) -> impl Iterator<Item = usize> + '_ {
        self.tree.children(t).iter().copied()
    }

    fn case(&self, t: usize) -> Option<String> {
        self.kids(t)
            .find(|&c| matches!(self.tree.rel(c), "case" | "mark"))
            .map(|c| self.lemma(c))
    }

    fn gerund(&self, t: usize) -> bool {
        self.doc.tokens[t].xpos.as_deref() == Some("VBG")
            || (self.doc.tokens[t].upos.as_deref() == Some("VERB")
                && self.doc.tokens[t].text.to_lowercase().ends_with("ing"))
    }

    /// The CAMEO code of a noun naming an act of force ("strike", "bombing",
    /// "raid"), read from the verb dictionary's entry for the word or its stem.
    fn act_noun(&self, t: usize) -> Option<String> {
        let coder = self.coder;
        let upper = self.lemma(t).to_uppercase();
        let stems = [
            Some(upper.clone()),
            upper.strip_suffix("ING").map(str::to_string),
            upper.strip_suffix('S').map(str::to_string),
        ];
        for stem in stems.into_iter().flatten() {
            for &f in coder.verbs.get(stem.as_str()).into_iter().flatten() {
                let form = &coder.book.verbs.forms[f];
                // A multi-word entry ("carry out") is no noun.
                if !form.before.is_empty() || !form.after.is_empty() {
                    continue;
                }
                let block = &coder.book.verbs.blocks[form.block];
                let code = form
                    .code
                    .as_ref()
                    .and_then(|c| c.forward.clone())
                    .or_else(|| block.code.forward.clone())
                    .or_else(|| coder.block_default.get(form.block).cloned().flatten());
                if crate::hostile(code.as_deref()) {
                    return code;
                }
            }
        }
        None
    }

    fn actors_at(&self, t: usize) -> Vec<Mention> {
        args::actors_of(self.doc, self.tree, self.actors, t)
    }

    /// The `by` phrase of a verb ("dismissed by the government").
    fn agent(&self, v: usize) -> Option<usize> {
        self.kids(v).find(|&c| {
            self.tree.rel(c) == "obl:agent"
                || (self.tree.rel(c).starts_with("obl") && self.case(c).as_deref() == Some("by"))
        })
    }

    /// "X denied …": who denies.
    fn denier_of(&self, v: usize) -> Option<Mention> {
        if let Some(a) = self.agent(v) {
            if let Some(m) = self.actors_at(a).into_iter().next() {
                return Some(m);
            }
        }
        args::arguments(self.doc, self.tree, self.actors, v)
            .sources
            .into_iter()
            .next()
    }

    /// A denial verb and what it denies.
    fn denied(&self, v: usize) -> Option<Denial> {
        let l = self.lemma(v);
        let strong = DENY.contains(&l.as_str());
        if !strong && !DISMISS.contains(&l.as_str()) {
            return None;
        }
        if self.doc.tokens[v].upos.as_deref() != Some("VERB")
            || negated_word(self.doc, self.tree, v)
        {
            return None;
        }
        let objects: Vec<usize> = self
            .kids(v)
            .filter(|&c| matches!(self.tree.rel(c), "obj" | "iobj"))
            .collect();
        // "to deny Daesh the ability to move": withholding, not denying.
        if objects.len() > 1 || self.kids(v).any(|c| self.tree.rel(c) == "iobj") {
            return None;
        }
        let denier = self.denier_of(v);
        let clause = self.kids(v).find(|&c| {
            let rel = self.tree.rel(c);
            matches!(rel, "ccomp" | "xcomp") || (self.gerund(c) && matches!(rel, "obj" | "advcl"))
        });
        let act = match clause {
            Some(c) if strong => self.act_of_clause(c, denier.as_ref()),
            _ => {
                // The thing denied: the object, a passive subject, or the noun
                // the verb describes ("an accusation dismissed by …").
                let noun = objects
                    .first()
                    .copied()
                    .or_else(|| self.kids(v).find(|&c| self.tree.rel(c) == "nsubj:pass"))
                    .or_else(|| {
                        self.tree
                            .head(v)
                            .filter(|_| self.tree.rel(v).starts_with("acl"))
                    })?;
                self.act_of_noun(noun, v, strong, denier.as_ref())?
            }
        };
        let accusation = act.accusation;
        self.denial(DenialKind::Denied, v, denier, act, accusation)
    }

    /// The denial of the sentence, cued by token `cue`.
    fn denial(
        &self,
        kind: DenialKind,
        cue: usize,
        denier: Option<Mention>,
        act: Act,
        accusation: bool,
    ) -> Option<Denial> {
        let doc = self.doc;
        let c = &doc.tokens[cue];
        let actors = |ms: &[Mention]| ms.iter().filter_map(|m| event_actor(doc, m)).collect();
        Some(Denial {
            kind,
            start: self.sentence.start,
            end: self.sentence.end,
            sentence: doc
                .text
                .get(self.sentence.start..self.sentence.end)?
                .to_string(),
            cue: Span::new(c.start, c.end),
            cue_text: c.text.clone(),
            denier: denier.as_ref().and_then(|m| event_actor(doc, m)),
            sources: actors(&act.sources),
            targets: actors(&act.targets),
            code: act.code,
            act_word: act.word,
            accusation,
        })
    }

    /// "denied carrying out the strike", "denied that its jets struck",
    /// "denied its aircraft were involved in the incident".
    fn act_of_clause(&self, c: usize, denier: Option<&Mention>) -> Act {
        let (doc, tree) = (self.doc, self.tree);
        let mut act = Act::default();
        if doc.tokens[c].upos.as_deref() == Some("VERB") {
            if let Some((codes, _)) = self
                .coder
                .verb_code(doc, tree, self.actors, self.sentence, c)
            {
                act.code = codes.forward;
                act.word = Some(self.lemma(c));
            }
        }
        // "carrying out the strike", "were involved in the raids": the act is
        // named by a noun of the clause.
        let named = act.code.as_deref().is_none_or(|k| !crate::hostile(Some(k)));
        if named {
            let nouns = self.kids(c).filter(|&k| {
                matches!(tree.rel(k), "obj" | "nsubj" | "nsubj:pass")
                    || tree.rel(k).starts_with("obl")
            });
            for n in nouns {
                if let Some(code) = self.act_noun(n) {
                    act.code = Some(code);
                    act.word = Some(self.lemma(n));
                    break;
                }
            }
        }
        let a = args::arguments(doc, tree, self.actors, c);
        act.sources = a.sources;
        act.targets = a.targets;
        if act.sources.is_empty() {
            act.sources.extend(denier.cloned());
        }
        act
    }

    /// What a denied noun stands for: an act ("denied the attack"), one's part
    /// in one ("denied responsibility for the raids"), or what was reported or
    /// alleged ("dismissed the reports", "denied accusations it carried out").
    fn act_of_noun(
        &self,
        n: usize,
        v: usize,
        strong: bool,
        denier: Option<&Mention>,
    ) -> Option<Act> {
        let nl = self.lemma(n);
        let tree = self.tree;
        let by_denier = |mut act: Act| {
            if act.sources.is_empty() {
                act.sources.extend(denier.cloned());
            }
            act
        };
        if REPORTS.contains(&nl.as_str()) {
            // The report's content: its clause ("accusations it carried out the
            // attacks"), or what it is of ("reports of an attack").
            if let Some(c) = self.kids(n).find(|&c| {
                c != v
                    && matches!(tree.rel(c), "acl" | "acl:relcl" | "ccomp")
                    && self.doc.tokens[c].upos.as_deref() == Some("VERB")
            }) {
                return Some(self.act_of_clause(c, denier));
            }
            if let Some(o) = self
                .kids(n)
                .find(|&c| tree.rel(c) == "nmod" && self.case(c).as_deref() == Some("of"))
            {
                if let Some(act) = self.act_named(o) {
                    return Some(act);
                }
            }
            // The accusation the sentence tells ("X accused Y of Z, an accusation
            // Y dismissed"): Y's act Z.
            if let Some(act) = self.accused_act() {
                return Some(act);
            }
            return Some(by_denier(Act {
                accusation: true,
                ..Act::default()
            }));
        }
        if !strong {
            return None;
        }
        if PART.contains(&nl.as_str()) {
            let of = self.kids(n).find(|&c| {
                tree.rel(c).starts_with("nmod")
                    && matches!(self.case(c).as_deref(), Some("for" | "in" | "of" | "with"))
            });
            let act = of.and_then(|o| self.act_named(o)).unwrap_or_default();
            return Some(by_denier(act));
        }
        self.act_named(n).map(by_denier)
    }

    /// An act named by a noun ("the strike on the hospital") or a gerund
    /// ("of bombing hospitals").
    fn act_named(&self, n: usize) -> Option<Act> {
        if self.doc.tokens[n].upos.as_deref() == Some("VERB") {
            return Some(self.act_of_clause(n, None));
        }
        let Some(code) = self.act_noun(n) else {
            // "denied bombing Turkish positions" read with the gerund as a
            // compound of its object: the act is the compound's, aimed at the
            // phrase's actors.
            let c = self
                .kids(n)
                .find(|&c| self.tree.rel(c) == "compound" && self.act_noun(c).is_some())?;
            return Some(Act {
                code: self.act_noun(c),
                word: Some(self.lemma(c)),
                targets: self.actors_at(n),
                ..Act::default()
            });
        };
        let mut act = Act {
            code: Some(code),
            word: Some(self.lemma(n)),
            ..Act::default()
        };
        for c in self.kids(n) {
            let rel = self.tree.rel(c);
            let case = self.case(c);
            if rel.starts_with("nmod") && case.as_deref() == Some("by") || rel == "nmod:poss" {
                act.sources.extend(self.actors_at(c));
            } else if rel.starts_with("nmod")
                && matches!(case.as_deref(), Some("on" | "against" | "of"))
            {
                act.targets.extend(self.actors_at(c));
            } else if rel == "amod" || rel == "compound" {
                // "Russian strikes", "regime air strikes".
                act.sources.extend(self.actors_at(c));
            }
        }
        Some(act)
    }

    /// The act an accusation in this sentence names: "accused Y of Z".
    fn accused_act(&self) -> Option<Act> {
        let tree = self.tree;
        let range = self.sentence.token_start..self.sentence.token_end.min(self.doc.tokens.len());
        let a = range
            .clone()
            .find(|&t| ACCUSE.contains(&self.lemma(t).as_str()))?;
        let accused = self
            .kids(a)
            .find(|&c| matches!(tree.rel(c), "obj" | "nsubj:pass"))
            .map(|o| self.actors_at(o))
            .unwrap_or_default();
        let what = self
            .kids(a)
            .chain(
                self.kids(a)
                    .filter(|&c| tree.rel(c) == "obj")
                    .flat_map(|o| self.kids(o)),
            )
            .find(|&c| {
                matches!(tree.rel(c), "advcl" | "acl" | "xcomp" | "obl" | "nmod")
                    && self.case(c).as_deref() == Some("of")
            });
        let mut act = what.and_then(|w| self.act_named(w)).unwrap_or_default();
        if !accused.is_empty() {
            act.sources = accused;
        }
        if act.code.is_none() && act.sources.is_empty() {
            return None;
        }
        Some(act)
    }

    /// Who says a negated statement: the quotation's speaker, else the subject
    /// of the speech verb it is the complement of.
    fn speaker(&self, v: usize) -> Option<Mention> {
        let (doc, tree) = (self.doc, self.tree);
        if tree.in_quote(doc.tokens[v].start) {
            if let Some(m) = args::quote_speaker(doc, tree, self.actors, v) {
                return Some(m);
            }
        }
        let mut cur = v;
        for _ in 0..4 {
            let h = tree.head(cur)?;
            if matches!(tree.rel(cur), "ccomp" | "parataxis")
                && SPEECH.contains(&self.lemma(h).as_str())
            {
                return self.denier_of(h);
            }
            if !matches!(tree.rel(cur), "xcomp" | "conj" | "ccomp") {
                return None;
            }
            cur = h;
        }
        None
    }

    /// An act told as not done: "Russian jets did not bomb the hospital",
    /// "no such attack took place".
    fn negated(&self, v: usize) -> Option<Denial> {
        let (doc, tree) = (self.doc, self.tree);
        if doc.tokens[v].upos.as_deref() != Some("VERB") || crate::in_condition(doc, tree, v) {
            return None;
        }
        let hypothetical = self
            .kids(v)
            .any(|c| tree.rel(c) == "aux" && crate::HYPOTHETICAL.contains(&self.lemma(c).as_str()));
        if hypothetical {
            return None;
        }
        let negation = |t: usize| {
            self.kids(t).find(|&c| {
                matches!(tree.rel(c), "advmod" | "neg" | "det")
                    && NEGATION.contains(&self.lemma(c).as_str())
            })
        };
        let mut act = Act::default();
        let cue;
        // "no such attack took place", "no strike happened".
        let occurred = OCCUR.contains(&self.lemma(v).as_str())
            && (self.lemma(v) != "take"
                || self
                    .kids(v)
                    .any(|c| tree.rel(c) == "obj" && self.lemma(c) == "place"));
        let subject = self
            .kids(v)
            .find(|&c| matches!(tree.rel(c), "nsubj" | "nsubj:pass"));
        if let (true, Some(n)) = (occurred, subject) {
            cue = negation(n).or_else(|| negation(v))?;
            let named = self.act_named(n)?;
            act = named;
        } else {
            let (codes, pattern_negated) =
                self.coder
                    .verb_code(doc, tree, self.actors, self.sentence, v)?;
            if pattern_negated {
                return None;
            }
            cue = match negation(v) {
                Some(c) => c,
                None => {
                    let g = self
                        .coder
                        .governing_negation(doc, tree, self.actors, self.sentence, v);
                    if g != GoverningNegation::Negated {
                        return None;
                    }
                    let h = tree.head(v)?;
                    let mut cur = h;
                    loop {
                        if let Some(c) = negation(cur) {
                            break c;
                        }
                        cur = tree.head(cur).filter(|&x| self.in_sentence(x))?;
                    }
                }
            };
            let root = crate::code_root(codes.forward.as_deref())?;
            // "did not say", "did not comment": no act to deny.
            if root <= 2 {
                return None;
            }
            act.code = codes.forward;
            act.word = Some(self.lemma(v));
            let a = args::arguments(doc, tree, self.actors, v);
            act.sources = a.sources;
            act.targets = a.targets;
            if act.sources.is_empty() {
                return None;
            }
        }
        // A negated telling is never about an accusation.
        self.denial(DenialKind::Negated, cue, self.speaker(v), act, false)
    }
}
