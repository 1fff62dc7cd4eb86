//! The compact asset: every dictionary as tab-separated lines, zstd-compressed.
//! Text inside so a diff of two conversions is readable after `zstd -d`; the
//! converter sorts nothing it reads, so the same inputs give the same bytes.

use crate::{
    ActorEntry, AgentEntry, CodeInfo, Codebook, DatedCode, EventCodes, PatternItem, Phrase,
    VerbBlock, VerbForm, VerbPattern,
};
use std::collections::BTreeMap;
use std::fmt::Write as _;

pub const ASSET_MAGIC: &str = "chronicle-codebook v1";

#[derive(Debug, thiserror::Error)]
pub enum AssetError {
    #[error("codebook asset: not zstd data: {0}")]
    Compression(String),
    #[error("codebook asset: missing magic line {ASSET_MAGIC:?}")]
    Magic,
    #[error("codebook asset line {line}: {reason}")]
    Line { line: usize, reason: String },
}

fn items(v: &[PatternItem]) -> String {
    v.iter()
        .map(|i| match i {
            PatternItem::Word(w) | PatternItem::Synset(w) => w.as_str(),
            PatternItem::Source => "$",
            PatternItem::Target => "+",
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn parse_items(s: &str) -> Vec<PatternItem> {
    s.split(' ')
        .filter(|w| !w.is_empty())
        .map(|w| match w {
            "$" => PatternItem::Source,
            "+" => PatternItem::Target,
            w if w.starts_with('&') => PatternItem::Synset(w.to_string()),
            w => PatternItem::Word(w.to_string()),
        })
        .collect()
}

fn opt(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

fn codes(s: &str) -> EventCodes {
    let (f, r) = s.split_once(':').unwrap_or((s, ""));
    EventCodes {
        forward: opt(f),
        reverse: opt(r),
    }
}

impl Codebook {
    /// The asset text, before compression.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        s.push_str(ASSET_MAGIC);
        s.push('\n');
        for a in &self.actors {
            let phrases: Vec<String> = a.phrases.iter().map(Phrase::encode).collect();
            let codes: Vec<String> = a
                .codes
                .iter()
                .map(|c| {
                    format!(
                        "{},{},{}",
                        c.code,
                        c.from.map(|d| d.to_string()).unwrap_or_default(),
                        c.to.map(|d| d.to_string()).unwrap_or_default()
                    )
                })
                .collect();
            let _ = writeln!(s, "A\t{}\t{}", phrases.join("|"), codes.join(";"));
        }
        for g in &self.agents {
            let _ = writeln!(s, "G\t{}\t{}", g.phrase.encode(), g.code);
        }
        for (name, phrases) in &self.verbs.synsets {
            for p in phrases {
                let _ = writeln!(s, "S\t{name}\t{}", p.encode());
            }
        }
        for (i, b) in self.verbs.blocks.iter().enumerate() {
            let _ = writeln!(s, "B\t{}\t{}", b.name, b.code.encode());
            for p in &b.patterns {
                let _ = writeln!(
                    s,
                    "P\t{i}\t{}\t{}\t{}",
                    items(&p.before),
                    items(&p.after),
                    p.code.encode()
                );
            }
        }
        for v in &self.verbs.forms {
            let _ = writeln!(
                s,
                "V\t{}\t{}\t{}\t{}\t{}\t{}",
                v.block,
                v.verb,
                v.before.join(" "),
                v.after.join(" "),
                v.forms.join(" "),
                v.code
                    .as_ref()
                    .map(EventCodes::encode)
                    .unwrap_or("-".into())
            );
        }
        for (code, i) in &self.codes {
            let _ = writeln!(
                s,
                "C\t{code}\t{}\t{}\t{}\t{}",
                i.label.as_deref().unwrap_or(""),
                i.goldstein.map(|g| g.to_string()).unwrap_or_default(),
                i.plover_type.as_deref().unwrap_or(""),
                i.plover_mode.as_deref().unwrap_or("")
            );
        }
        s
    }

    /// The compressed asset.
    pub fn to_asset(&self) -> Vec<u8> {
        // Level 19: written once, read at every start; a few hundred KB either way.
        zstd::encode_all(self.to_text().as_bytes(), 19).unwrap_or_default()
    }

    pub fn from_asset(bytes: &[u8]) -> Result<Codebook, AssetError> {
        let raw = zstd::decode_all(bytes).map_err(|e| AssetError::Compression(e.to_string()))?;
        let text = String::from_utf8(raw).map_err(|e| AssetError::Compression(e.to_string()))?;
        Codebook::from_text(&text)
    }

    /// Only the CAMEO code table (the `C` records) of an asset: what a front end
    /// needs to check a user's `--code`, without building the dictionaries
    /// (about 200 ms for the whole codebook, a few ms for this).
    pub fn codes_from_asset(bytes: &[u8]) -> Result<BTreeMap<String, CodeInfo>, AssetError> {
        let raw = zstd::decode_all(bytes).map_err(|e| AssetError::Compression(e.to_string()))?;
        let text = String::from_utf8(raw).map_err(|e| AssetError::Compression(e.to_string()))?;
        let mut lines = text.lines();
        if lines.next() != Some(ASSET_MAGIC) {
            return Err(AssetError::Magic);
        }
        let mut codes = BTreeMap::new();
        for line in lines.filter(|l| l.starts_with("C\t")) {
            if let ["C", code, label, g, ty, mode] = line.split('\t').collect::<Vec<_>>()[..] {
                let (code, info) = code_record(code, label, g, ty, mode);
                codes.insert(code, info);
            }
        }
        Ok(codes)
    }

    pub fn from_text(text: &str) -> Result<Codebook, AssetError> {
        let mut lines = text.lines();
        if lines.next() != Some(ASSET_MAGIC) {
            return Err(AssetError::Magic);
        }
        let mut book = Codebook::default();
        for (n, line) in lines.enumerate() {
            let n = n + 2;
            let bad = |reason: &str| AssetError::Line {
                line: n,
                reason: reason.to_string(),
            };
            let f: Vec<&str> = line.split('\t').collect();
            match f.as_slice() {
                ["A", phrases, codes] => {
                    let phrases = phrases.split('|').filter_map(Phrase::decode).collect();
                    let codes = codes
                        .split(';')
                        .filter_map(|c| {
                            let mut p = c.split(',');
                            let code = p.next()?.to_string();
                            let d = |s: Option<&str>| s.and_then(|s| s.parse().ok());
                            Some(DatedCode {
                                code,
                                from: d(p.next()),
                                to: d(p.next()),
                            })
                        })
                        .collect();
                    book.actors.push(ActorEntry { phrases, codes });
                }
                ["G", phrase, code] => book.agents.push(AgentEntry {
                    phrase: Phrase::decode(phrase).ok_or_else(|| bad("empty agent"))?,
                    code: code.to_string(),
                }),
                ["S", name, phrase] => book
                    .verbs
                    .synsets
                    .entry(name.to_string())
                    .or_default()
                    .push(Phrase::decode(phrase).ok_or_else(|| bad("empty synonym"))?),
                ["B", name, c] => book.verbs.blocks.push(VerbBlock {
                    name: name.to_string(),
                    code: codes(c),
                    patterns: Vec::new(),
                }),
                ["P", block, before, after, c] => {
                    let b: usize = block.parse().map_err(|_| bad("bad block"))?;
                    book.verbs
                        .blocks
                        .get_mut(b)
                        .ok_or_else(|| bad("pattern before its block"))?
                        .patterns
                        .push(VerbPattern {
                            before: parse_items(before),
                            after: parse_items(after),
                            code: codes(c),
                        });
                }
                ["V", block, verb, before, after, forms, c] => {
                    let words = |s: &str| {
                        s.split(' ')
                            .filter(|w| !w.is_empty())
                            .map(str::to_string)
                            .collect()
                    };
                    book.verbs.forms.push(VerbForm {
                        block: block.parse().map_err(|_| bad("bad block"))?,
                        verb: verb.to_string(),
                        before: words(before),
                        after: words(after),
                        forms: words(forms),
                        code: (*c != "-").then(|| codes(c)),
                    })
                }
                ["C", code, label, g, ty, mode] => {
                    let (code, info) = code_record(code, label, g, ty, mode);
                    book.codes.insert(code, info);
                }
                _ => return Err(bad("unknown record")),
            }
        }
        if book
            .verbs
            .forms
            .iter()
            .any(|v| v.block >= book.verbs.blocks.len())
        {
            return Err(AssetError::Line {
                line: 0,
                reason: "verb form names a missing block".into(),
            });
        }
        book.finish();
        Ok(book)
    }
}

/// One `C` record: a CAMEO code and what it means.
fn code_record(code: &str, label: &str, g: &str, ty: &str, mode: &str) -> (String, CodeInfo) {
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    (
        code.to_string(),
        CodeInfo {
            label: opt(label),
            goldstein: g.parse().ok(),
            plover_type: opt(ty),
            plover_mode: opt(mode),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_table_alone_is_the_full_codebooks() {
        let full = Codebook::embedded().expect("embedded codebook");
        let codes = Codebook::embedded_codes().expect("embedded codes");
        assert!(codes.len() > 200);
        assert_eq!(&full.codes, codes);
    }

    #[test]
    fn roundtrip() {
        let (actors, _) = crate::parse_actors(
            "a",
            "ARGENTIN [ARG]\nSERGEY_LAVROV_\n+LAVROV\n\t[RUSGOV >040309]\n",
        );
        let (agents, _) = crate::parse_agents("g", "FOREIGN_MINISTER [~GOV]\n");
        let (verbs, _) = crate::parse_verbs(
            "v",
            "&F\n+BREAD\n\n--- MEET [040] ---\nMEET {MET}\n+ASK_FOR [020]\n- $ * (IN THIRD) &F + [044:044]\n",
        );
        let mut book = Codebook {
            actors,
            agents,
            verbs,
            ..Default::default()
        };
        book.codes.insert(
            "044".into(),
            CodeInfo {
                label: Some("Meet at third location".into()),
                goldstein: Some(2.5),
                plover_type: Some("CONSULT".into()),
                plover_mode: Some("third-party".into()),
            },
        );
        let bytes = book.to_asset();
        let back = Codebook::from_asset(&bytes).unwrap();
        assert_eq!(back.to_text(), book.to_text());
        assert_eq!(back.actors, book.actors);
        assert_eq!(back.verbs, book.verbs);
        assert!(Codebook::from_asset(b"junk").is_err());
        assert!(Codebook::from_text("chronicle-codebook v1\nZ\t1\n").is_err());
    }
}
