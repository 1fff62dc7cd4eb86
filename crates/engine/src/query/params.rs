//! Checked query values: a bad date, code or kind is an error that shows what is
//! accepted, never a silently empty or unfiltered answer. The CLI reports these
//! as usage errors, the server as 400s naming the parameter.

use chronicle_codebook::CodeInfo;
use std::collections::BTreeMap;

/// A date bound: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, a real calendar date. Kept
/// as the ISO prefix it names; the store treats a lower bound as the period's
/// first day and an upper bound as its last.
pub fn date_bound(s: &str) -> Result<String, String> {
    let bad = || {
        format!(
            "{s:?} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD (for example 2016, 2016-10 or 2016-10-03)"
        )
    };
    let parts: Vec<&str> = s.split('-').collect();
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    let ok = match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2) && (1..=12).contains(&m.parse::<u32>().unwrap_or(0)),
        [y, m, d] => {
            digits(y, 4)
                && digits(m, 2)
                && digits(d, 2)
                && chrono::NaiveDate::from_ymd_opt(
                    y.parse().unwrap_or(0),
                    m.parse().unwrap_or(0),
                    d.parse().unwrap_or(0),
                )
                .is_some()
        }
        _ => false,
    };
    if ok {
        Ok(s.to_string())
    } else {
        Err(bad())
    }
}

/// A lower bound must not come after an upper one (compared on the periods they name).
pub fn check_range(from: Option<&str>, to: Option<&str>) -> Result<(), String> {
    if let (Some(f), Some(t)) = (from, to) {
        // "2016-10" ≤ "2016-10-31" as periods: compare the shared prefix.
        let n = f.len().min(t.len());
        if f[..n] > t[..n] {
            return Err(format!("from {f} is after to {t}"));
        }
    }
    Ok(())
}

/// What an event code selects: a CAMEO code prefix, or a PLOVER event type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeFilter {
    Cameo(String),
    Plover(String),
}

fn plover_types(codes: &BTreeMap<String, CodeInfo>) -> Vec<String> {
    let mut t: Vec<String> = codes
        .values()
        .filter_map(|i| i.plover_type.clone())
        .collect();
    t.sort();
    t.dedup();
    t
}

/// An event code: CAMEO digits (`16`, `1124`) that the CAMEO table knows, a
/// PLOVER type (`ACCUSE`), or a word of a CAMEO root label (`threaten` → 13).
pub fn event_code(s: &str) -> Result<CodeFilter, String> {
    let codes = chronicle_codebook::Codebook::embedded_codes()
        .map_err(|e| format!("the code tables cannot load: {e}"))?;
    let trimmed = s.trim();
    if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        if trimmed.len() >= 2 && codes.keys().any(|c| c.starts_with(trimmed)) {
            return Ok(CodeFilter::Cameo(trimmed.to_string()));
        }
        return Err(format!(
            "{s:?} is not a CAMEO code: use 2 to 4 digits from the CAMEO table (01–20, e.g. 16, 112, 1124)"
        ));
    }
    let upper = trimmed.to_ascii_uppercase();
    let types = plover_types(codes);
    if types.contains(&upper) {
        return Ok(CodeFilter::Plover(upper));
    }
    // A root label such as "Threaten" or "Fight": the two-digit code whose label it is.
    let roots: Vec<(&String, String)> = codes
        .iter()
        .filter(|(c, _)| c.len() == 2)
        .filter_map(|(c, i)| i.label.clone().map(|l| (c, l)))
        .collect();
    if let Some((code, _)) = roots.iter().find(|(_, l)| l.eq_ignore_ascii_case(trimmed)) {
        return Ok(CodeFilter::Cameo(code.to_string()));
    }
    let labels: Vec<String> = roots.iter().map(|(c, l)| format!("{c} {l}")).collect();
    Err(format!(
        "{s:?} is not an event code or type. PLOVER types: {}. CAMEO roots: {}",
        types.join(", "),
        labels.join(", ")
    ))
}

/// The store's event filter from checked values, once the dates make a range.
pub fn event_filter(
    actor: Option<String>,
    code: Option<CodeFilter>,
    from: Option<String>,
    to: Option<String>,
    limit: Option<usize>,
) -> Result<chronicle_store::EventFilter, String> {
    check_range(from.as_deref(), to.as_deref())?;
    let (code, plover_type) = match code {
        Some(CodeFilter::Cameo(c)) => (Some(c), None),
        Some(CodeFilter::Plover(p)) => (None, Some(p)),
        None => (None, None),
    };
    Ok(chronicle_store::EventFilter {
        actor,
        other: None,
        code,
        plover_type,
        from,
        to,
        limit,
    })
}

/// A claim kind the claim extractor gives (case-insensitive).
pub fn claim_kind(s: &str) -> Result<String, String> {
    let upper = s.trim().to_ascii_uppercase();
    let kinds = chronicle_quotes::claim_kinds();
    if kinds.contains(&upper.as_str()) {
        Ok(upper)
    } else {
        Err(format!(
            "{s:?} is not a claim kind; valid kinds: {}",
            kinds.join(", ")
        ))
    }
}

/// An actor code: a CAMEO actor code or prefix (`RUS`, `RUSGOV`, `IGOUNO`).
pub fn actor_code(s: &str) -> Result<String, String> {
    let upper = s.trim().to_ascii_uppercase();
    if !upper.is_empty()
        && upper
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        Ok(upper)
    } else {
        Err(format!(
            "{s:?} is not an actor code: use CAMEO letters such as RUS, RUSGOV or IGOUNO"
        ))
    }
}

/// A language: an ISO 639-3 code.
pub fn language(s: &str) -> Result<String, String> {
    let lower = s.trim().to_ascii_lowercase();
    if lower.len() == 3 && lower.bytes().all(|b| b.is_ascii_lowercase()) {
        Ok(lower)
    } else {
        Err(format!(
            "{s:?} is not an ISO 639-3 language code (three letters, e.g. eng, ara, rus)"
        ))
    }
}

/// A timeline side: a CAMEO actor code or its start in capitals (`RUS`,
/// `USAGOV`), else a name of people or organizations (`Lavrov`).
pub fn party(s: &str) -> Result<crate::timeline::Party, String> {
    let a = s.trim();
    if a.chars().count() < 2 {
        return Err(format!(
            "actor {s:?} is too short: give a CAMEO code (RUS, USAGOV) or a name (Lavrov)"
        ));
    }
    if a.len() >= 3
        && a.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        Ok(crate::timeline::Party::Code(a.to_string()))
    } else {
        Ok(crate::timeline::Party::Name(a.to_string()))
    }
}

/// Where a digest starts (`story ID --since`): a date, else a document of the
/// store by id or unique prefix.
pub fn since(
    store: &dyn chronicle_store::Store,
    arg: &str,
) -> Result<crate::digest::Since, super::QueryError> {
    use super::QueryError;
    if let Ok(d) = date_bound(arg) {
        return Ok(crate::digest::Since::Date(d));
    }
    if arg.len() < 4 || !arg.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(QueryError::Invalid {
            parameter: "since",
            message: format!(
                "since {arg:?} is neither a date (YYYY, YYYY-MM or YYYY-MM-DD) nor a document id"
            ),
        });
    }
    super::resolve_document(store, arg).map(crate::digest::Since::Document)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_iso_periods() {
        for ok in ["2016", "2016-10", "2016-10-03", "2016-02-29"] {
            assert_eq!(date_bound(ok).unwrap(), ok);
        }
        for bad in [
            "10/01/2016",
            "2024-13-45",
            "garbage",
            "2015-02-29",
            "2016-1",
            "2016-10-3",
            "",
            "2016-10-03T00",
        ] {
            let e = date_bound(bad).unwrap_err();
            assert!(e.contains("YYYY-MM-DD"), "{bad}: {e}");
        }
    }

    #[test]
    fn ranges_compare_periods() {
        assert!(check_range(Some("2016-10"), Some("2016-10-31")).is_ok());
        assert!(check_range(Some("2016-10-05"), Some("2016-10")).is_ok());
        assert!(check_range(Some("2016-11"), Some("2016-10-31")).is_err());
    }

    #[test]
    fn codes_by_number_type_or_label() {
        assert_eq!(event_code("16").unwrap(), CodeFilter::Cameo("16".into()));
        assert_eq!(
            event_code("accuse").unwrap(),
            CodeFilter::Plover("ACCUSE".into())
        );
        assert!(event_code("99").is_err());
        let e = event_code("BOGUS").unwrap_err();
        assert!(e.contains("ACCUSE"), "{e}");
    }

    #[test]
    fn kinds_are_checked() {
        assert_eq!(claim_kind("kill").unwrap(), "KILL");
        let e = claim_kind("DEATHS").unwrap_err();
        assert!(e.contains("KILL") && e.contains("WOUND"), "{e}");
    }
}
