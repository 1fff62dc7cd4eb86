//! ACLED-style CSV: CAMEO events mapped to ACLED's event types and sub-event
//! types, placed with the gazetteer, with fatalities from the document's KILL
//! claims.

use crate::cameo::{split_actor, ActorParts};
use crate::context::{place_event, place_in_sentence, DocContext, Origin};
use crate::dates::{decide, parts, DateDecision};
use crate::scan::{by_document, event_id, published, stated_date};
use crate::{ExportError, ExportOptions};
use chronicle_core::{Event, EventActor};
use chronicle_geo::{ascii, PlaceKind};
use chronicle_store::Store;
use std::collections::BTreeMap;
use std::io::Write;

/// The columns we write, all ACLED's own names, in ACLED's order.
pub const COLUMNS: [&str; 24] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
];

pub const BATTLES: &str = "Battles";
pub const EXPLOSIONS: &str = "Explosions/Remote violence";
pub const VAC: &str = "Violence against civilians";
pub const PROTESTS: &str = "Protests";
pub const RIOTS: &str = "Riots";
pub const STRATEGIC: &str = "Strategic developments";

/// CAMEO code prefixes → ACLED event type and sub-event type. The longest
/// matching prefix wins. `None` as sub-event type means "decided by the
/// sentence and the target" (see [`classify`]).
pub const TABLE: &[(&str, &str, Option<&str>)] = &[
    ("14", PROTESTS, Some("Peaceful protest")),
    ("145", RIOTS, Some("Violent demonstration")),
    ("171", STRATEGIC, Some("Looting/property destruction")),
    ("173", STRATEGIC, Some("Arrests")),
    ("175", VAC, Some("Attack")),
    ("180", BATTLES, None),
    ("181", VAC, Some("Abduction/forced disappearance")),
    ("182", VAC, Some("Attack")),
    ("1821", VAC, Some("Sexual violence")),
    ("183", EXPLOSIONS, Some("Remote explosive/landmine/IED")),
    ("1831", EXPLOSIONS, Some("Suicide bomb")),
    ("184", VAC, Some("Attack")),
    ("185", VAC, Some("Attack")),
    ("186", VAC, Some("Attack")),
    ("190", BATTLES, None),
    ("192", BATTLES, None),
    ("193", BATTLES, None),
    ("194", EXPLOSIONS, Some("Shelling/artillery/missile attack")),
    ("195", EXPLOSIONS, Some("Air/drone strike")),
    ("196", BATTLES, None),
    ("200", VAC, Some("Attack")),
    ("202", VAC, Some("Attack")),
    ("203", VAC, Some("Attack")),
    ("2041", EXPLOSIONS, Some("Chemical weapon")),
    ("057", STRATEGIC, Some("Agreement")),
    ("0871", STRATEGIC, Some("Agreement")),
    ("0874", STRATEGIC, Some("Non-violent transfer of territory")),
];

/// Weapon words that make an armed attack an explosion or remote violence, in
/// order of precedence. A word ending in `*` matches words starting with it.
const WEAPONS: &[(&str, &[&str])] = &[
    (
        "Chemical weapon",
        &[
            "chemical",
            "sarin",
            "chlorine",
            "nerve agent",
            "toxic gas",
            "gas attack",
        ],
    ),
    (
        "Suicide bomb",
        &[
            "suicide bomb*",
            "suicide attack*",
            "suicide car*",
            "suicide vest*",
        ],
    ),
    (
        "Remote explosive/landmine/IED",
        &[
            "car bomb*",
            "roadside bomb*",
            "landmine*",
            "land mine*",
            "ied",
            "ieds",
            "explosive device*",
            "booby*",
        ],
    ),
    (
        "Air/drone strike",
        &[
            "air strike*",
            "airstrike*",
            "air raid*",
            "airraid*",
            "warplane*",
            "war plane*",
            "jets",
            "jet",
            "helicopter*",
            "barrel bomb*",
            "drone*",
            "aerial",
            "air force*",
            "bombing raid*",
        ],
    ),
    (
        "Shelling/artillery/missile attack",
        &[
            "shell",
            "shells",
            "shelled",
            "shelling",
            "artillery",
            "mortar*",
            "rocket*",
            "missile*",
        ],
    ),
    ("Grenade", &["grenade*"]),
];

/// Whether `text` (lower case) has the phrase as whole words (`*`: the last
/// word may go on).
fn has_phrase(text: &str, phrase: &str) -> bool {
    let (phrase, open) = match phrase.strip_suffix('*') {
        Some(p) => (p, true),
        None => (phrase, false),
    };
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(pos) = text[from..].find(phrase) {
        let at = from + pos;
        let end = at + phrase.len();
        let before_ok = at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
        let after_ok = open || end >= bytes.len() || !bytes[end].is_ascii_alphanumeric();
        if before_ok && after_ok {
            return true;
        }
        from = at + 1;
        while !text.is_char_boundary(from) {
            from += 1;
        }
    }
    false
}

/// The weapon sub-event type the sentence names, if any.
pub fn weapon(sentence: &str) -> Option<&'static str> {
    let lower = sentence.to_lowercase();
    WEAPONS
        .iter()
        .find(|(_, words)| words.iter().any(|w| has_phrase(&lower, w)))
        .map(|(sub, _)| *sub)
}

/// Actor types ACLED counts as civilians (ACLED's inter code 7).
const CIVILIAN_TYPES: &[&str] = &[
    "CVL", "PPL", "REF", "EDU", "MED", "HLH", "LAB", "BUS", "AGR", "REL", "HRI", "NGO", "ELI",
    "OPP", "DEV", "ENV",
];
/// State forces (inter 1, or 8 abroad).
const STATE_TYPES: &[&str] = &["GOV", "MIL", "COP", "SPY", "JUD", "LEG"];
/// Rebel groups (inter 2).
const REBEL_TYPES: &[&str] = &["REB", "INS", "SEP", "IMG"];

/// ACLED's actor category (`inter1`/`inter2`): 1 state forces, 2 rebel
/// groups, 3 political militias, 5 rioters, 6 protesters, 7 civilians, 8
/// external/other forces (a state's forces outside it, international
/// organizations). `None` when the code says too little.
fn inter(
    parts: &ActorParts,
    place_country: Option<&str>,
    event_type: &str,
    first: bool,
) -> Option<u8> {
    let has = |set: &[&str]| parts.types.iter().any(|t| set.contains(&t.as_str()));
    if first && event_type == PROTESTS {
        return Some(6);
    }
    if first && event_type == RIOTS {
        return Some(5);
    }
    if has(REBEL_TYPES) || (!parts.known_group.is_empty() && !has(&["IGO", "NGO"])) {
        return Some(2);
    }
    if has(&["UAF"]) {
        return Some(3);
    }
    if has(&["IGO"]) {
        return Some(8);
    }
    if has(CIVILIAN_TYPES) {
        return Some(7);
    }
    let state = has(STATE_TYPES) || (!parts.country.is_empty() && parts.types[0].is_empty());
    if state && !parts.country.is_empty() {
        let abroad = place_country.is_some_and(|c| c != parts.country);
        return Some(if abroad { 8 } else { 1 });
    }
    None
}

/// The ACLED type of a CAMEO event: the table, then for armed attacks and
/// fights the sentence's weapon words (an air strike is an explosion or remote
/// violence whoever it hits), else violence against civilians when the target
/// is civilian, else an armed clash. Taking territory (192) is "Government
/// regains territory" for state forces, else "Non-state actor overtakes
/// territory".
pub fn classify(
    cameo: &str,
    source: &ActorParts,
    target: Option<&ActorParts>,
    sentence: &str,
) -> Option<(&'static str, &'static str)> {
    let (prefix, ty, sub) = TABLE
        .iter()
        .filter(|(p, _, _)| cameo.starts_with(p))
        .max_by_key(|(p, _, _)| p.len())?;
    if let Some(sub) = sub {
        return Some((ty, sub));
    }
    if *prefix == "192" {
        let state = source
            .types
            .iter()
            .any(|t| STATE_TYPES.contains(&t.as_str()))
            || (!source.country.is_empty() && source.types[0].is_empty());
        return Some(if state {
            (BATTLES, "Government regains territory")
        } else {
            (BATTLES, "Non-state actor overtakes territory")
        });
    }
    if let Some(w) = weapon(sentence) {
        return Some((EXPLOSIONS, w));
    }
    let civilian_target =
        target.is_some_and(|t| t.types.iter().any(|x| CIVILIAN_TYPES.contains(&x.as_str())));
    Some(if civilian_target {
        (VAC, "Attack")
    } else {
        (BATTLES, "Armed clash")
    })
}

/// What `write` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AcledSummary {
    pub matched: usize,
    pub written: usize,
    /// Left out: CAMEO codes ACLED records nothing for, by root code.
    pub unmapped: BTreeMap<String, usize>,
    pub background: usize,
    pub undated: usize,
    /// Left out: no place the gazetteer knows in the event or its sentence.
    pub unplaced: usize,
    pub with_fatalities: usize,
    pub fatalities: u64,
}

impl AcledSummary {
    pub fn unmapped_total(&self) -> usize {
        self.unmapped.values().sum()
    }
}

/// One event ready to write, before fatalities are assigned.
struct Pending {
    sort: (String, u64),
    cells: Vec<String>,
    /// Sentence index and the byte where the event's words are.
    sentence: Option<usize>,
    at: usize,
    /// Battles, explosions, violence against civilians, riots: what can kill.
    violent: bool,
    fatalities: u64,
}

/// A KILL claim this large is a running toll, not one event's.
pub const CUMULATIVE_TOLL: f64 = 10_000.0;

/// Assigns each KILL claim to one exported violent event (battles, explosions,
/// violence against civilians, riots): the nearest one (by bytes) in the
/// claim's sentence, else the nearest in the sentence just before ("Jets struck
/// the town. Twelve people were killed."). An event's fatalities are its
/// largest claim (a toll and its parts, "12 people, including 5 children", give
/// 12). Left aside: claims dated in the past by the background rule ("killed
/// since 2011"), and claims of [`CUMULATIVE_TOLL`] or more, which are a war's
/// running toll ("more than 280,000 people have been killed"), never one
/// event's.
fn assign_fatalities(cx: &DocContext<'_>, pending: &mut [Pending]) {
    for claim in cx.doc.claims.iter().filter(|c| c.kind == "KILL") {
        if !claim.value.is_finite() || claim.value < 0.0 || claim.value >= CUMULATIVE_TOLL {
            continue;
        }
        if claim.time.is_some()
            && matches!(
                decide(claim.time.as_deref(), published(cx.doc)).decision,
                DateDecision::Background(_)
            )
        {
            continue;
        }
        let Some(s) = cx.sentence_index(claim.start) else {
            continue;
        };
        let nearest = |sentence: usize| {
            pending
                .iter()
                .enumerate()
                .filter(|(_, p)| p.violent && p.sentence == Some(sentence))
                .min_by_key(|(_, p)| p.at.abs_diff(claim.start))
                .map(|(i, _)| i)
        };
        let target = nearest(s).or_else(|| s.checked_sub(1).and_then(nearest));
        if let Some(i) = target {
            let n = claim.value.floor().min(u64::MAX as f64) as u64;
            pending[i].fatalities = pending[i].fatalities.max(n);
        }
    }
}

fn actor_name(a: Option<&EventActor>) -> String {
    a.map(|a| a.actor.clone().unwrap_or_else(|| a.text.clone()))
        .unwrap_or_default()
}

pub fn write<S: Store + ?Sized>(
    store: &S,
    options: &ExportOptions,
    out: &mut dyn Write,
) -> Result<AcledSummary, ExportError> {
    let g = crate::gazetteer()?;
    let mut summary = AcledSummary::default();
    let mut rows: Vec<Pending> = Vec::new();
    by_document(store, &options.filter, |doc, indexes| {
        let cx = DocContext::new(doc);
        let doc_countries = cx.countries();
        let mut pending: Vec<Pending> = Vec::new();
        for &i in indexes {
            summary.matched += 1;
            let Some(e) = doc.events.get(i) else { continue };
            let Some(row) = row_for(g, &cx, &doc_countries, i, e, options, &mut summary) else {
                continue;
            };
            pending.push(row);
        }
        assign_fatalities(&cx, &mut pending);
        rows.extend(pending);
        Ok(())
    })?;
    rows.sort_by(|a, b| a.sort.cmp(&b.sort));
    let mut w = csv::Writer::from_writer(out);
    let fail = |e: csv::Error| ExportError::Csv {
        what: "the ACLED table".into(),
        source: e,
    };
    w.write_record(COLUMNS).map_err(fail)?;
    for mut r in rows {
        summary.written += 1;
        summary.fatalities += r.fatalities;
        summary.with_fatalities += usize::from(r.fatalities > 0);
        r.cells.push(r.fatalities.to_string());
        w.write_record(&r.cells).map_err(fail)?;
    }
    w.flush()
        .map_err(|e| ExportError::write("the ACLED table", e))?;
    Ok(summary)
}

#[allow(clippy::too_many_arguments)]
fn row_for(
    g: &chronicle_geo::Gazetteer,
    cx: &DocContext<'_>,
    doc_countries: &[String],
    index: usize,
    e: &Event,
    options: &ExportOptions,
    summary: &mut AcledSummary,
) -> Option<Pending> {
    let parts_of = |a: Option<&EventActor>| {
        a.and_then(|a| {
            let code = a.code.as_deref()?;
            Some(split_actor(code, cx.origin(a) == Origin::AgentOnly))
        })
    };
    let source = parts_of(e.source.as_ref()).unwrap_or_default();
    let target = parts_of(e.target.as_ref());
    let Some((event_type, sub_event_type)) = classify(&e.cameo, &source, target.as_ref(), &e.text)
    else {
        let root = e.cameo.get(..2).unwrap_or(&e.cameo).to_string();
        *summary.unmapped.entry(root).or_default() += 1;
        return None;
    };
    let decided = decide(stated_date(e), published(cx.doc));
    let (day, precision) = match decided.decision {
        DateDecision::Stated(d) => (d, 1),
        DateDecision::Published(d) => {
            // A month or year was stated: ACLED's "month" precision.
            let partial = parts(stated_date(e).unwrap_or("")).0.is_some();
            (
                d,
                if partial && !decided.implausible {
                    3
                } else {
                    2
                },
            )
        }
        DateDecision::Background(d) if options.include_background => (d, 1),
        DateDecision::Background(_) => {
            summary.background += 1;
            return None;
        }
        DateDecision::None => {
            summary.undated += 1;
            return None;
        }
    };
    let preferred = cx.preferred_countries(e, doc_countries);
    let prefer: Vec<&str> = preferred.iter().map(String::as_str).collect();
    let (place, own) = match place_event(g, cx, e, doc_countries) {
        Some(p) => (p, true),
        None => match place_in_sentence(g, cx, e, &prefer) {
            Some(p) => (p, false),
            None => {
                summary.unplaced += 1;
                return None;
            }
        },
    };
    // 1: the town itself; 2: a part of it or the area around it, or a place
    // the sentence names beside the event; 3: a division or a whole country.
    let geo_precision = match place.kind {
        PlaceKind::City if own && !place.approximate => 1,
        PlaceKind::City => 2,
        _ => 3,
    };
    let country3 = place.country.iso3.as_str();
    let inter1 = inter(&source, Some(country3), event_type, true);
    let inter2 = match &target {
        Some(t) => inter(t, Some(country3), event_type, false),
        None => Some(0),
    };
    let interaction = match (inter1, inter2) {
        (Some(a), Some(0)) => Some(a * 10),
        (Some(a), Some(b)) => Some(a.min(b) * 10 + a.max(b)),
        _ => None,
    };
    let civilian_targeting = inter2 == Some(7) && matches!(event_type, VAC | EXPLOSIONS);
    let id = event_id(&cx.doc.id, index);
    let num = |v: Option<u8>| v.map(|v| v.to_string()).unwrap_or_default();
    let coord = |v: Option<f64>| v.map(|x| format!("{x:.4}")).unwrap_or_default();
    let location = match place.kind {
        PlaceKind::Country => ascii(&place.country.name),
        _ => ascii(place.name),
    };
    let cells = vec![
        format!("{country3}{id}"),
        day.iso(),
        format!("{:04}", day.y),
        precision.to_string(),
        event_type.to_string(),
        sub_event_type.to_string(),
        actor_name(e.source.as_ref()),
        String::new(),
        num(inter1),
        actor_name(e.target.as_ref()),
        String::new(),
        num(inter2),
        num(interaction),
        if civilian_targeting {
            "Civilian targeting".to_string()
        } else {
            String::new()
        },
        place.country.iso_numeric.to_string(),
        ascii(&place.country.name),
        place.adm1.map(|a| ascii(&a.name)).unwrap_or_default(),
        location,
        coord(place.lat),
        coord(place.lon),
        geo_precision.to_string(),
        cx.outlet(),
        e.text.replace(['\n', '\r'], " "),
    ];
    let at = e.verb.map(|v| v.start).unwrap_or(e.start);
    Some(Pending {
        sort: (day.iso(), id),
        cells,
        sentence: cx.sentence_index(at),
        at,
        violent: matches!(event_type, BATTLES | EXPLOSIONS | VAC | RIOTS),
        fatalities: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(code: &str) -> ActorParts {
        split_actor(code, false)
    }

    #[test]
    fn table_prefixes_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        assert!(TABLE.iter().all(|(p, _, _)| seen.insert(*p)));
    }

    #[test]
    fn protests_riots_and_strategic_developments() {
        let s = parts("SYROPP");
        assert_eq!(
            classify("141", &s, None, "").unwrap(),
            (PROTESTS, "Peaceful protest")
        );
        assert_eq!(
            classify("1451", &s, None, "").unwrap(),
            (RIOTS, "Violent demonstration")
        );
        assert_eq!(
            classify("173", &s, None, "").unwrap(),
            (STRATEGIC, "Arrests")
        );
        assert_eq!(
            classify("0871", &s, None, "").unwrap(),
            (STRATEGIC, "Agreement")
        );
        assert!(classify("112", &s, None, "").is_none());
        assert!(classify("043", &s, None, "").is_none());
    }

    #[test]
    fn weapons_decide_armed_attacks() {
        let s = parts("SYRMIL");
        let t = parts("SYRCVL");
        let c = |code, text| classify(code, &s, Some(&t), text).unwrap();
        assert_eq!(
            c("190", "Warplanes struck the town."),
            (EXPLOSIONS, "Air/drone strike")
        );
        assert_eq!(
            c("190", "Government air strikes hit Douma."),
            (EXPLOSIONS, "Air/drone strike")
        );
        assert_eq!(
            c("190", "Forces shelled the district."),
            (EXPLOSIONS, "Shelling/artillery/missile attack")
        );
        assert_eq!(
            c("190", "A sarin attack killed dozens."),
            (EXPLOSIONS, "Chemical weapon")
        );
        assert_eq!(
            c("190", "Troops opened fire on villagers."),
            (VAC, "Attack")
        );
        let r = parts("SYRREB");
        assert_eq!(
            classify("190", &s, Some(&r), "Troops fought rebels.").unwrap(),
            (BATTLES, "Armed clash")
        );
        assert_eq!(c("1831", ""), (EXPLOSIONS, "Suicide bomb"));
        // Whole words: "Shelley" is not shelling, "a jetty" no jet.
        assert!(weapon("The Shelley family").is_none());
        assert!(weapon("Shells fell.").is_some());
        assert!(weapon("They ate and left.").is_none());
        assert!(weapon("a jetty").is_none());
    }

    #[test]
    fn territory_depends_on_who_takes_it() {
        let t = parts("SYRREB");
        assert_eq!(
            classify("192", &parts("SYRMIL"), Some(&t), "").unwrap().1,
            "Government regains territory"
        );
        assert_eq!(
            classify("192", &parts("IMGMUSISI"), None, "").unwrap().1,
            "Non-state actor overtakes territory"
        );
    }

    #[test]
    fn inter_codes() {
        assert_eq!(inter(&parts("SYRMIL"), Some("SYR"), BATTLES, true), Some(1));
        assert_eq!(inter(&parts("RUSMIL"), Some("SYR"), BATTLES, true), Some(8));
        assert_eq!(inter(&parts("SYR"), Some("SYR"), BATTLES, true), Some(1));
        assert_eq!(inter(&parts("SYRREB"), Some("SYR"), BATTLES, true), Some(2));
        assert_eq!(
            inter(&parts("IMGMUSISI"), Some("SYR"), BATTLES, true),
            Some(2)
        );
        assert_eq!(inter(&parts("CVL"), Some("SYR"), VAC, false), Some(7));
        assert_eq!(inter(&parts("IGOUNO"), Some("SYR"), VAC, false), Some(8));
        assert_eq!(
            inter(&parts("SYROPP"), Some("SYR"), PROTESTS, true),
            Some(6)
        );
        assert_eq!(inter(&parts("UAF"), Some("SYR"), BATTLES, true), Some(3));
    }
}
