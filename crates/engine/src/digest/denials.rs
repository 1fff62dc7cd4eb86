//! Earlier events of a story that later reports deny or contradict: each later
//! report's denials and negated statements (`chronicle_events`' reading of its
//! stored parse) matched against the merged events the earlier reports told,
//! by the act's doers and targets (actor codes of one side, or one
//! cross-document entity) and by its action (CAMEO code, root or PLOVER type).
//! Words shared are never enough.

use chronicle_events::{Denial, DenialKind};
use chronicle_store::{EntityMentionRow, MergedEventRow};
use serde::Serialize;

/// An earlier event a later report denies or contradicts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeniedEvent {
    /// The merged event, its label and date, and its first report.
    pub event: String,
    pub label: String,
    pub date: Option<String>,
    pub first_document: Option<String>,
    pub first_date: Option<String>,
    pub first_outlet: Option<String>,
    /// `denied` (a verb of denial) or `contradicted` (the act told as not done).
    pub kind: String,
    /// The sentence that denies it, with its report and byte span.
    pub sentence: String,
    pub document: String,
    pub outlet: Option<String>,
    pub published: Option<String>,
    pub start: usize,
    pub end: usize,
    /// The word that denies ("denied", "not") and its bytes.
    pub cue: String,
    pub cue_start: usize,
    pub cue_end: usize,
    /// Who denies, as written, and its actor code; none when the report itself
    /// says the act did not happen.
    pub denier: Option<String>,
    pub denier_code: Option<String>,
    /// What matched the earlier event: its actors and its action.
    pub matched: Vec<String>,
    /// How many earlier events fit this sentence as well as this one (this one
    /// included; at most 3 are listed): "denied any involvement" may answer
    /// several acts of the denier.
    pub equally_fitting: usize,
}

/// One later report's sentence denying an act, with the cross-document
/// entities of its denier and doers.
pub(super) struct LaterDenial<'d> {
    pub denial: &'d Denial,
    pub document: &'d str,
    pub outlet: Option<&'d str>,
    pub published: Option<&'d str>,
    pub denier_entity: Option<String>,
    pub source_entities: Vec<String>,
}

/// Sector codes CAMEO writes after a country (or alone): a code starting with
/// one has no country.
const SECTORS: &[&str] = &[
    "GOV", "MIL", "REB", "OPP", "CVL", "MED", "JUD", "LEG", "BUS", "HLH", "EDU", "REF", "NGO",
    "IGO", "UAF", "SPY", "COP", "PTY", "ELI", "LAB", "AGR", "CRM", "RAD", "IMG", "MOD", "SEP",
    "ENV", "UNK", "HRI", "PPL", "MNC", "INS", "REL", "JEW", "MUS", "CHR", "BUD", "HIN", "ATH",
    "DEV", "PRE", "SOC",
];
/// Organs of a state: a ministry denying its air force's strike is the state
/// denying it.
const STATE: &[&str] = &["GOV", "MIL", "SPY", "COP", "JUD", "LEG", "PRE"];

/// A code's country (if it names one) and its group: "" for the bare country,
/// "STATE" for its organs, else its last (most specific) sector.
fn side(code: &str) -> (Option<&str>, &str) {
    let code = code.trim();
    let country = code
        .get(..3)
        .filter(|c| c.len() == 3 && !SECTORS.contains(c));
    let rest = if country.is_some() { &code[3..] } else { code };
    // The most specific role is the last: SYRGOVMED is state media, not an
    // organ that strikes anyone.
    let last = rest.len().checked_sub(3).and_then(|i| rest.get(i..));
    let group = match last {
        None => "",
        Some(s) if STATE.contains(&s) => "STATE",
        Some(s) => s,
    };
    (country, group)
}

/// Whether two actor codes stand for one side: one country's state (a bare
/// country name counts as its state), or the same sector of one country.
pub(super) fn same_side(a: &str, b: &str) -> bool {
    let ((ca, ga), (cb, gb)) = (side(a), side(b));
    if ca != cb {
        return false;
    }
    // Without a country, only a sector is known: "the government" of one
    // report need not be that of another.
    if ca.is_none() {
        return !ga.is_empty() && ga == gb && ga != "STATE";
    }
    ga == gb || (ga.is_empty() && gb == "STATE") || (gb.is_empty() && ga == "STATE")
}

fn root(code: &str) -> Option<u8> {
    code.get(..2)?.parse().ok()
}

/// Acts of force (CAMEO 14-20): what "denied responsibility" stands for.
fn forceful(code: &str) -> bool {
    root(code).is_some_and(|r| (14..=20).contains(&r))
}

/// How well a denied act's action fits an event's code: 3 the same code, 2 the
/// same root, 1 the same kind of force (18-20: an air strike is coded 190,
/// 193 or 195 by different verbs) or PLOVER type, or an unnamed act of force.
fn action_fit(
    denial: &Denial,
    code: &str,
    plover: &dyn Fn(&str) -> Option<String>,
) -> Option<(u8, String)> {
    let Some(denied) = denial.code.as_deref() else {
        return forceful(code).then(|| (1, format!("an act of force ({code})")));
    };
    if denied == code {
        return Some((3, format!("action {code}")));
    }
    let (rd, re) = (root(denied)?, root(code)?);
    // Statements, appeals and intents (01-03) differ by what is said, which
    // only the full code tells: an intent to yield is no intent to meet.
    if rd <= 3 || re <= 3 {
        return None;
    }
    if rd == re {
        return Some((2, format!("action root {rd:02} ({denied} ~ {code})")));
    }
    if (18..=20).contains(&rd) && (18..=20).contains(&re) {
        return Some((1, format!("use of force ({denied} ~ {code})")));
    }
    let (pd, pe) = (plover(denied)?, plover(code)?);
    (pd == pe).then(|| (1, format!("PLOVER {pd} ({denied} ~ {code})")))
}

/// The codes an event's earlier mentions (and its consensus) give a role.
fn role_codes<'e>(
    e: &'e MergedEventRow,
    early: &[&'e chronicle_store::EventMentionRow],
    target: bool,
) -> Vec<&'e str> {
    let consensus = if target { &e.target } else { &e.source };
    let mut out: Vec<&str> = consensus.iter().map(String::as_str).collect();
    for m in early {
        let c = if target { &m.target } else { &m.source };
        if let Some(c) = c.as_deref() {
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
    out
}

/// Whether an earlier event is the act a later sentence denies; what matched,
/// with a score (higher: a closer fit).
pub(super) fn fit(
    later: &LaterDenial,
    e: &MergedEventRow,
    early: &[&chronicle_store::EventMentionRow],
    plover: &dyn Fn(&str) -> Option<String>,
) -> Option<(u8, Vec<String>)> {
    let d = later.denial;
    let code = e.code.as_deref()?;
    let sources = role_codes(e, early, false);
    let targets = role_codes(e, early, true);
    let entities = |target: bool| {
        early
            .iter()
            .filter_map(move |m| {
                if target {
                    m.target_entity.as_deref()
                } else {
                    m.source_entity.as_deref()
                }
            })
            .collect::<Vec<_>>()
    };
    let code_of = |a: &chronicle_core::EventActor| a.code.clone();
    let denier_code = d.denier.as_ref().and_then(code_of);
    let mut matched = Vec::new();
    let mut score = 0u8;
    // The action.
    let accused = d.accusation
        && root(code) == Some(11)
        && denier_code
            .as_deref()
            .is_some_and(|dc| targets.iter().any(|t| same_side(dc, t)));
    if accused {
        matched.push(format!("an accusation against the denier ({code})"));
        score += 1;
    } else {
        let (s, why) = action_fit(d, code, plover)?;
        matched.push(why);
        score += s;
    }
    // The doers: the denied act's, else (for "no such attack took place") the
    // denier must have taken part, on either side.
    let doers: Vec<String> = d.sources.iter().filter_map(code_of).collect();
    if accused {
        // The denier is the accused, checked above.
    } else if !doers.is_empty() {
        let by_code = doers
            .iter()
            .find_map(|c| sources.iter().find(|s| same_side(c, s)).map(|s| (c, *s)));
        let by_entity = later
            .source_entities
            .iter()
            .find(|x| entities(false).contains(&x.as_str()));
        match (by_code, by_entity) {
            (Some((c, s)), _) => matched.push(format!("doer {c} ~ {s}")),
            (None, Some(x)) => matched.push(format!("doer entity {x}")),
            (None, None) => return None,
        }
    } else {
        let dc = denier_code.as_deref()?;
        let taking_part = sources
            .iter()
            .chain(&targets)
            .find(|s| same_side(dc, s))
            .map(|s| format!("denier {dc} ~ {s}"))
            .or_else(|| {
                let x = later.denier_entity.as_deref()?;
                (entities(false).contains(&x) || entities(true).contains(&x))
                    .then(|| format!("denier entity {x}"))
            });
        matched.push(taking_part?);
    }
    // The report that denies the act also tells it: the denial most likely
    // answers this event.
    if e.mentions.iter().any(|m| m.document == later.document) {
        matched.push("told by the denying report too".to_string());
        score += 2;
    }
    // The targets, when both sides name them. A verbal act told as not done
    // ("has never formally accused") contradicts only the same act between the
    // same two sides: both must name the target.
    let aimed: Vec<String> = d.targets.iter().filter_map(code_of).collect();
    let verbal = d.kind == DenialKind::Negated && !forceful(code);
    if verbal && (aimed.is_empty() || targets.is_empty()) {
        return None;
    }
    if !aimed.is_empty() && !targets.is_empty() && !accused {
        let t = aimed
            .iter()
            .find_map(|a| targets.iter().find(|t| same_side(a, t)).map(|t| (a, *t)));
        let (a, t) = t?;
        matched.push(format!("target {a} ~ {t}"));
        score += 1;
    }
    Some((score, matched))
}

/// The cross-document entity of the entity mention that covers `[start, end)`.
pub(super) fn entity_at(mentions: &[EntityMentionRow], start: usize, end: usize) -> Option<String> {
    mentions
        .iter()
        .find(|m| m.start < end && start < m.end)
        .map(|m| m.entity_id.clone())
}

pub(super) fn kind_word(k: DenialKind) -> &'static str {
    match k {
        DenialKind::Denied => "denied",
        DenialKind::Negated => "contradicted",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_side_is_a_states_organs_or_one_sector_of_a_country() {
        assert!(same_side("RUS", "RUSMIL"));
        assert!(same_side("RUSGOV", "RUSMIL"));
        assert!(!same_side("SYRGOV", "SYRREB"));
        assert!(!same_side("SYR", "SYRREB"));
        assert!(same_side("REB", "REB"));
        assert!(!same_side("REB", "MIL"));
        assert!(!same_side("RUS", "USA"));
        assert!(same_side("SYRREB", "SYRREB"));
        assert!(!same_side("GOV", "GOV"));
        assert!(!same_side("SYR", "SYRGOVMED"));
        assert!(same_side("SYRGOVMED", "SYRMED"));
        assert!(!same_side("", ""));
    }
}
