//! The coding dictionaries: who is who (actors with dated roles, agents such as
//! "foreign minister" → GOV), which verb phrases are which CAMEO event (PETRARCH2
//! verb patterns), and what each CAMEO code means (label, Goldstein score, PLOVER
//! type and mode, QuadClass).
//!
//! Read from the PETRARCH2/Phoenix text formats (`petrarch.rs`, `tables.rs`), or
//! from the compact asset the converter writes (`asset.rs`), which the binary embeds.
//! Malformed dictionary lines are reported (`Issue`) and skipped, never fatal.

mod asset;
mod petrarch;
mod tables;

pub use asset::{AssetError, ASSET_MAGIC};
pub use petrarch::{parse_actors, parse_agents, parse_verbs};
pub use tables::{parse_goldstein, parse_labels, parse_plover, quad_class};

use std::collections::BTreeMap;

/// A dictionary line that was skipped, with where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub file: String,
    pub line: usize,
    pub reason: String,
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.reason)
    }
}

/// A dictionary phrase: upper-case words. `prefix` means the last word may match a
/// longer text word (PETRARCH's convention for phrases without a closing `_`:
/// `ARGENTIN` matches ARGENTINA and ARGENTINE).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Phrase {
    pub words: Vec<String>,
    pub prefix: bool,
}

impl Phrase {
    /// Parses `SERGEY_V._LAVROV_`, `HAMAS WING`, `ARGENTIN`.
    pub fn parse(raw: &str) -> Option<Phrase> {
        let raw = raw.trim();
        let exact = raw.ends_with('_');
        let words: Vec<String> = raw
            .split(|c: char| c == '_' || c == '|' || c.is_whitespace())
            .filter(|w| !w.is_empty())
            .map(|w| w.to_uppercase())
            .collect();
        if words.is_empty() {
            return None;
        }
        Some(Phrase {
            words,
            prefix: !exact,
        })
    }

    fn encode(&self) -> String {
        let mut s = self.words.join(" ");
        if !self.prefix {
            s.push('_');
        }
        s
    }

    fn decode(s: &str) -> Option<Phrase> {
        Phrase::parse(s)
    }
}

/// A code valid over a date range (inclusive `YYYYMMDD` bounds; `None` = open).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DatedCode {
    pub code: String,
    pub from: Option<u32>,
    pub to: Option<u32>,
}

impl DatedCode {
    pub fn valid_on(&self, date: Option<u32>) -> bool {
        match date {
            None => true,
            Some(d) => self.from.is_none_or(|f| d >= f) && self.to.is_none_or(|t| d <= t),
        }
    }
}

/// One actor: its phrases (the first is its name) and its codes over time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorEntry {
    pub phrases: Vec<Phrase>,
    pub codes: Vec<DatedCode>,
}

impl ActorEntry {
    /// The display name: the first phrase, title-cased.
    pub fn name(&self) -> String {
        self.phrases
            .first()
            .map(|p| {
                p.words
                    .iter()
                    .map(|w| title_case(w))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default()
    }

    /// The code on `date` (YYYYMMDD): a dated code whose range holds the date wins
    /// over an undated one, then the last role held before the date; with no date,
    /// the undated or the latest-starting one.
    pub fn code_on(&self, date: Option<u32>) -> Option<&str> {
        let dated = self
            .codes
            .iter()
            .filter(|c| (c.from.is_some() || c.to.is_some()) && c.valid_on(date))
            .max_by_key(|c| c.from.unwrap_or(0));
        let undated = self
            .codes
            .iter()
            .find(|c| c.from.is_none() && c.to.is_none());
        // Between two dated roles, the last one held still describes the person.
        let last_held = || {
            self.codes
                .iter()
                .filter(|c| date.is_some() && c.to.is_some_and(|t| Some(t) < date))
                .max_by_key(|c| c.to)
        };
        match date {
            Some(_) => dated.or(undated).or_else(last_held),
            None => undated.or_else(|| self.codes.iter().max_by_key(|c| c.from.unwrap_or(0))),
        }
        .map(|c| c.code.as_str())
    }
}

pub fn title_case(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    let mut start = true;
    for c in w.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = matches!(c, ' ' | '-' | '.' | '\'');
    }
    out
}

/// An agent: a generic role phrase and the code part it adds. `~GOV` attaches after
/// the country (RUS + GOV), `NGO~` before it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct AgentEntry {
    pub phrase: Phrase,
    pub code: String,
}

impl AgentEntry {
    /// The agent's code without its `~` marker.
    pub fn sector(&self) -> &str {
        self.code.trim_matches('~')
    }

    /// Combines with a country code: `~GOV` + RUS → RUSGOV; `NGO~` + RUS → NGORUS.
    pub fn combine(&self, country: Option<&str>) -> String {
        match country {
            None => self.sector().to_string(),
            Some(c) if self.code.ends_with('~') && !self.code.starts_with('~') => {
                format!("{}{c}", self.sector())
            }
            Some(c) => format!("{c}{}", self.sector()),
        }
    }
}

/// One element of a verb pattern.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum PatternItem {
    Word(String),
    /// `&NAME`: any phrase of the synonym set.
    Synset(String),
    /// `$`: the source actor.
    Source,
    /// `+`: the target actor.
    Target,
}

/// `- PRE * POST [CODE]` under a verb block: words around the verb that refine its code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct VerbPattern {
    pub before: Vec<PatternItem>,
    pub after: Vec<PatternItem>,
    pub code: EventCodes,
}

/// The event(s) a verb or pattern codes: `forward` is source→target; `reverse`
/// (after a colon, `[042:043]`) the paired event target→source.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct EventCodes {
    pub forward: Option<String>,
    pub reverse: Option<String>,
}

impl EventCodes {
    /// Parses the inside of `[042:043]`, `[---]`, `[:110]`, `[075A]`.
    pub fn parse(raw: &str) -> Option<EventCodes> {
        let raw = raw.trim();
        let (f, r) = raw.split_once(':').unwrap_or((raw, ""));
        let one = |s: &str| -> Result<Option<String>, ()> {
            let s = s.trim();
            if s.is_empty() || s.chars().all(|c| c == '-') {
                return Ok(None);
            }
            let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
            if digits.len() < 2 || digits.len() > 4 {
                return Err(());
            }
            // Test dictionaries mark variants with a letter (`174K`); kept, so a
            // code reads back as written. Anything else after the digits is noise.
            let suffix = &s[digits.len()..];
            if suffix.len() == 1 && suffix.chars().all(|c| c.is_ascii_uppercase()) {
                return Ok(Some(s.to_string()));
            }
            Ok(Some(digits))
        };
        Some(EventCodes {
            forward: one(f).ok()?,
            reverse: one(r).ok()?,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.forward.is_none() && self.reverse.is_none()
    }

    fn encode(&self) -> String {
        format!(
            "{}:{}",
            self.forward.as_deref().unwrap_or(""),
            self.reverse.as_deref().unwrap_or("")
        )
    }
}

/// A verb form of a block: `verb` is the verb word; `before`/`after` are words that
/// must stand right next to it (`+ASK_FOR`: ASK then FOR).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct VerbForm {
    pub verb: String,
    pub before: Vec<String>,
    pub after: Vec<String>,
    /// Irregular inflections listed in `{…}`.
    pub forms: Vec<String>,
    pub block: usize,
    /// The verb's own code (else the block's).
    pub code: Option<EventCodes>,
}

/// A verb block: `--- NAME [CODE] ---` and its patterns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerbBlock {
    pub name: String,
    pub code: EventCodes,
    pub patterns: Vec<VerbPattern>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerbDict {
    pub synsets: BTreeMap<String, Vec<Phrase>>,
    pub blocks: Vec<VerbBlock>,
    pub forms: Vec<VerbForm>,
}

/// What a CAMEO code means.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CodeInfo {
    pub label: Option<String>,
    pub goldstein: Option<f32>,
    pub plover_type: Option<String>,
    pub plover_mode: Option<String>,
}

/// Everything event coding needs.
#[derive(Debug, Clone, Default)]
pub struct Codebook {
    pub actors: Vec<ActorEntry>,
    pub agents: Vec<AgentEntry>,
    pub verbs: VerbDict,
    pub codes: BTreeMap<String, CodeInfo>,
    /// Three-letter codes that stand alone as an actor's whole code and are not a
    /// sector: the dictionary's states (derived on load, so fictional test
    /// dictionaries have their own).
    pub countries: std::collections::BTreeSet<String>,
}

/// Three-letter codes that are sectors or non-state groups, never states.
const NON_STATE: &[&str] = &[
    "IGO", "NGO", "NGM", "IMG", "MNC", "UAF", "REB", "OPP", "GOV", "MIL", "CVL", "BUS", "MED",
    "EDU", "REL", "ELI", "SPY", "LEG", "JUD", "COP", "HLH", "LAB", "AGR", "REF", "MOD", "RAD",
    "CRM", "HRI", "ENV", "DEV", "UNO", "SEP", "PTY", "INT", "---", "+++",
];

impl Codebook {
    /// Fills the derived `countries` set; called by every constructor.
    pub fn finish(&mut self) {
        self.countries = self
            .actors
            .iter()
            .flat_map(|a| &a.codes)
            .filter(|c| c.from.is_none() && c.to.is_none())
            .map(|c| c.code.as_str())
            .filter(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()))
            .filter(|c| !NON_STATE.contains(c))
            .map(str::to_string)
            .collect();
    }

    pub fn is_country(&self, code: &str) -> bool {
        self.countries.contains(code)
    }

    /// The code's meaning, falling back to its parents (`1124` → `112` → `11`) for
    /// the fields a deeper code lacks.
    pub fn info(&self, code: &str) -> CodeInfo {
        let mut out = CodeInfo::default();
        let mut c = code;
        while c.len() >= 2 {
            if let Some(i) = self.codes.get(c) {
                out.label = out.label.or_else(|| i.label.clone());
                out.goldstein = out.goldstein.or(i.goldstein);
                out.plover_type = out.plover_type.or_else(|| i.plover_type.clone());
                out.plover_mode = out.plover_mode.or_else(|| i.plover_mode.clone());
            }
            c = &c[..c.len() - 1];
        }
        out
    }
}

/// `YYMMDD` (two-digit years pivot at 30: 29 → 2029, 30 → 1930) or `YYYYMMDD`.
pub fn parse_dict_date(s: &str) -> Option<u32> {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (y, md) = match s.len() {
        6 => {
            let yy: u32 = s[..2].parse().ok()?;
            (if yy < 30 { 2000 + yy } else { 1900 + yy }, &s[2..])
        }
        8 => (s[..4].parse().ok()?, &s[4..]),
        _ => return None,
    };
    let m: u32 = md[..2].parse().ok()?;
    let d: u32 = md[2..].parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some(y * 10000 + m * 100 + d)
}

/// The dictionary files of one PETRARCH-style set, read into a codebook.
#[derive(Debug, Clone, Default)]
pub struct Sources<'a> {
    /// (file name, contents) of each actor dictionary.
    pub actors: Vec<(&'a str, &'a str)>,
    pub agents: Vec<(&'a str, &'a str)>,
    pub verbs: Vec<(&'a str, &'a str)>,
    pub labels: Option<(&'a str, &'a str)>,
    pub goldstein: Option<(&'a str, &'a str)>,
    pub plover: Option<(&'a str, &'a str)>,
}

impl Codebook {
    /// Reads every source; returns the codebook and the lines that were skipped.
    pub fn from_sources(src: &Sources) -> (Codebook, Vec<Issue>) {
        let mut book = Codebook::default();
        let mut issues = Vec::new();
        for (f, t) in &src.actors {
            let (a, i) = parse_actors(f, t);
            book.actors.extend(a);
            issues.extend(i);
        }
        for (f, t) in &src.agents {
            let (a, i) = parse_agents(f, t);
            book.agents.extend(a);
            issues.extend(i);
        }
        for (f, t) in &src.verbs {
            let (v, i) = parse_verbs(f, t);
            // A later file's block with an earlier block's name adds to it (our
            // supplement to CAMEO.2.0); any other block is new.
            let earlier = book.verbs.blocks.len();
            let mut index = Vec::with_capacity(v.blocks.len());
            for block in v.blocks {
                match book.verbs.blocks[..earlier]
                    .iter()
                    .position(|b| b.name == block.name)
                {
                    Some(k) => {
                        book.verbs.blocks[k].patterns.extend(block.patterns);
                        index.push(k);
                    }
                    None => {
                        index.push(book.verbs.blocks.len());
                        book.verbs.blocks.push(block);
                    }
                }
            }
            book.verbs.forms.extend(v.forms.into_iter().map(|mut f| {
                f.block = index[f.block];
                f
            }));
            for (k, p) in v.synsets {
                book.verbs.synsets.entry(k).or_default().extend(p);
            }
            issues.extend(i);
        }
        if let Some((f, t)) = src.labels {
            let (l, i) = parse_labels(f, t);
            for (c, label) in l {
                book.codes.entry(c).or_default().label = Some(label);
            }
            issues.extend(i);
        }
        if let Some((f, t)) = src.goldstein {
            let (g, i) = parse_goldstein(f, t);
            for (c, s) in g {
                book.codes.entry(c).or_default().goldstein = Some(s);
            }
            issues.extend(i);
        }
        if let Some((f, t)) = src.plover {
            let (p, i) = parse_plover(f, t);
            for (c, ty, mode) in p {
                let e = book.codes.entry(c).or_default();
                e.plover_type = Some(ty);
                e.plover_mode = mode;
            }
            issues.extend(i);
        }
        book.finish();
        (book, issues)
    }
}

static EMBEDDED: &[u8] = include_bytes!("../../../models/codebook.v1.bin.zst");

impl Codebook {
    /// The codebook shipped in the binary (converted from PETRARCH2/Phoenix and the
    /// CAMEO tables by `codebook-convert`; see models/PROVENANCE.md), loaded once.
    /// The embedded CAMEO code table alone (labels, Goldstein, PLOVER), cheap
    /// to load: for checking codes without coding anything.
    pub fn embedded_codes() -> Result<&'static BTreeMap<String, CodeInfo>, &'static AssetError> {
        static CODES: std::sync::OnceLock<Result<BTreeMap<String, CodeInfo>, AssetError>> =
            std::sync::OnceLock::new();
        CODES
            .get_or_init(|| Codebook::codes_from_asset(EMBEDDED))
            .as_ref()
    }

    pub fn embedded() -> Result<&'static Codebook, &'static AssetError> {
        static SHARED: std::sync::OnceLock<Result<Codebook, AssetError>> =
            std::sync::OnceLock::new();
        SHARED
            .get_or_init(|| Codebook::from_asset(EMBEDDED))
            .as_ref()
    }
}

#[cfg(test)]
mod merge_tests {
    use super::*;

    #[test]
    fn a_later_block_with_an_earlier_name_adds_its_patterns() {
        let base = "---  CANCEL   [---]  ---\nHALT\n- * TALKS [164]\n---  MEET [040] ---\nMEET\n";
        let extra = "---  CANCEL   [---]  ---\n- * &NEGOTIATION [164]\n---  NEW [010] ---\nSAY\n";
        let src = Sources {
            verbs: vec![("a.txt", base), ("b.txt", extra)],
            ..Sources::default()
        };
        let (book, issues) = Codebook::from_sources(&src);
        assert!(issues.is_empty(), "{issues:?}");
        let names: Vec<&str> = book.verbs.blocks.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["CANCEL", "MEET", "NEW"]);
        assert_eq!(book.verbs.blocks[0].patterns.len(), 2);
        let say = book.verbs.forms.iter().find(|f| f.verb == "SAY");
        assert_eq!(say.map(|f| f.block), Some(2));
    }
}
