//! Document-level consistency. A news article introduces a name once with
//! clear cues ("General Motors (GM)", "Chrysler LLC", "Barack Obama") and then
//! repeats it bare ("GM", "Chrysler", "Obama"), where a sentence-level tagger
//! has little to go on. A second pass lets the confident mentions vote on the
//! label of every repetition of the same string in the article.

use crate::{EntitySpan, Label, NerModel};
use std::collections::HashMap;

/// Corporate designators dropped to get the short form of an organization.
const ORG_DESIGNATORS: &[&str] = &[
    "Inc",
    "Inc.",
    "Corp",
    "Corp.",
    "Corporation",
    "Co",
    "Co.",
    "Company",
    "LLC",
    "Ltd",
    "Ltd.",
    "plc",
    "PLC",
    "Group",
    "AG",
    "SA",
    "SpA",
    "NV",
    "GmbH",
    "Holdings",
];

#[derive(Default)]
struct Votes([f32; 3]);

impl Votes {
    fn add(&mut self, l: Label, w: f32) {
        self.0[l as usize] += w;
    }

    /// Label holding more than two thirds of a total weight of at least `min`.
    fn winner(&self, min: f32) -> Option<Label> {
        let total: f32 = self.0.iter().sum();
        if total < min {
            return None;
        }
        Label::ALL
            .into_iter()
            .find(|&l| self.0[l as usize] * 3.0 > total * 2.0)
    }
}

fn is_capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

impl NerModel {
    /// Tags the sentences of one document, then makes repeated names agree:
    /// each predicted span and its short forms (a person's surname, an
    /// organization without "Inc.", an acronym given in parentheses) vote for
    /// their label; spans whose string has a clear majority label take it, and
    /// capitalised repetitions the first pass missed are added.
    pub fn tag_document(&self, sentences: &[Vec<&str>]) -> Vec<Vec<EntitySpan>> {
        let mut spans: Vec<Vec<EntitySpan>> = sentences.iter().map(|s| self.tag(s)).collect();
        let mut votes: HashMap<String, Votes> = HashMap::new();
        for (words, ss) in sentences.iter().zip(&spans) {
            for s in ss {
                let toks = &words[s.start_token..s.end_token];
                votes.entry(toks.join(" ")).or_default().add(s.label, 1.0);
                if s.label == Label::Per && toks.len() >= 2 {
                    if let Some(last) = toks.last() {
                        votes
                            .entry((*last).to_string())
                            .or_default()
                            .add(Label::Per, 1.0);
                    }
                }
                if s.label == Label::Org && toks.len() >= 2 {
                    if let Some(last) = toks.last() {
                        if ORG_DESIGNATORS.contains(last) {
                            let short = toks[..toks.len() - 1].join(" ");
                            votes.entry(short).or_default().add(Label::Org, 1.0);
                        }
                    }
                }
                // "General Motors ( GM )": the acronym names the same entity.
                if words.get(s.end_token) == Some(&"(") && words.get(s.end_token + 2) == Some(&")")
                {
                    if let Some(acr) = words.get(s.end_token + 1) {
                        if acr.len() >= 2
                            && acr
                                .chars()
                                .all(|c| c.is_uppercase() || c == '.' || c == '&')
                        {
                            votes
                                .entry((*acr).to_string())
                                .or_default()
                                .add(s.label, 2.0);
                        }
                    }
                }
            }
        }
        for (words, ss) in sentences.iter().zip(spans.iter_mut()) {
            for s in ss.iter_mut() {
                let key = words[s.start_token..s.end_token].join(" ");
                if let Some(l) = votes.get(&key).and_then(|v| v.winner(2.0)) {
                    s.label = l;
                }
            }
            // Capitalised runs outside any span that repeat a voted name.
            let mut covered = vec![false; words.len()];
            for s in ss.iter() {
                for c in &mut covered[s.start_token..s.end_token] {
                    *c = true;
                }
            }
            let mut added = Vec::new();
            let mut i = 0;
            while i < words.len() {
                if covered[i] || !is_capitalised(words[i]) {
                    i += 1;
                    continue;
                }
                let mut j = i;
                while j < words.len() && !covered[j] && is_capitalised(words[j]) {
                    j += 1;
                }
                // Sentence-initial words are capitalised anyway; require a
                // longer run there.
                if i > 0 || j - i > 1 {
                    let key = words[i..j].join(" ");
                    if let Some(l) = votes.get(&key).and_then(|v| v.winner(2.0)) {
                        added.push(EntitySpan {
                            start_token: i,
                            end_token: j,
                            label: l,
                        });
                    }
                }
                i = j;
            }
            if !added.is_empty() {
                ss.extend(added);
                ss.sort();
            }
        }
        spans
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn votes_need_a_clear_majority() {
        let mut v = Votes::default();
        v.add(Label::Org, 2.0);
        v.add(Label::Per, 1.0);
        assert_eq!(v.winner(2.0), None);
        v.add(Label::Org, 1.0);
        assert_eq!(v.winner(2.0), Some(Label::Org));
        assert_eq!(Votes::default().winner(2.0), None);
    }
}
