//! `chronicle events`, `chronicle actors` and `chronicle export gdelt`: the coded
//! record, read from the store.

use crate::cmd_query::open_existing;
use crate::output::truncate;
use anyhow::Context;
use chronicle_store::{EventFilter, EventRow, Store};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

pub fn events(db: &Path, filter: EventFilter, json: bool) -> anyhow::Result<ExitCode> {
    let store = open_existing(db)?;
    let rows = store.events(&filter)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(ExitCode::SUCCESS);
    }
    for r in &rows {
        println!(
            "{:<10} {:<5} {:<10} {:<12} {:<10} {:<12} {:<14} {}  [{} {}]",
            r.date.as_deref().unwrap_or("-"),
            r.code,
            r.plover_type.as_deref().unwrap_or("-"),
            r.source_code.as_deref().unwrap_or("-"),
            truncate(r.source_text.as_deref().unwrap_or("-"), 10),
            r.target_code.as_deref().unwrap_or("-"),
            truncate(r.location.as_deref().unwrap_or("-"), 14),
            truncate(&r.sentence.replace('\n', " "), 90),
            &r.doc_id[..r.doc_id.len().min(8)],
            r.modality.as_deref().unwrap_or("")
        );
    }
    eprintln!("{} events", rows.len());
    Ok(ExitCode::SUCCESS)
}

pub fn actors(db: &Path, json: bool, all: bool) -> anyhow::Result<ExitCode> {
    let store = open_existing(db)?;
    let mut rows = store.actors()?;
    // "civilians", "artillery", "the ministry": a sector word alone, or a later
    // mention of one, names no one in particular.
    if !all {
        let book = chronicle_codebook::Codebook::embedded().ok();
        rows.retain(|a| {
            let generic_origin = a.origins.iter().all(|o| o == "agent" || o == "coreference");
            let sector_only = a
                .code
                .as_deref()
                .is_some_and(|c| c.len() <= 3 && !book.is_some_and(|b| b.is_country(c)));
            !(generic_origin && sector_only)
        });
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(ExitCode::SUCCESS);
    }
    for a in &rows {
        println!(
            "{:<28} {:<10} {:<22} {} .. {}  {:>4} mentions in {:>3} docs  ({}; as: {}; first: {})",
            truncate(&a.actor, 28),
            a.code.as_deref().unwrap_or("-"),
            truncate(a.role.as_deref().unwrap_or("-"), 22),
            a.first_seen.as_deref().unwrap_or("?"),
            a.last_seen.as_deref().unwrap_or("?"),
            a.mentions,
            a.documents,
            a.origins.join(","),
            truncate(&a.variants.join(" | "), 60),
            a.evidence.as_deref().unwrap_or("-")
        );
    }
    eprintln!("{} actor roles", rows.len());
    Ok(ExitCode::SUCCESS)
}

/// GDELT 2.0 event-table columns, in codebook order.
pub const GDELT_COLUMNS: [&str; 61] = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

/// The ten actor columns: code, name, country, known group, ethnic, two
/// religions, three types. The code splits into country + up to three 3-letter
/// types; IGO/NGO codes go to the known-group column as GDELT does.
fn actor_cells(code: Option<&str>, name: Option<&str>) -> [String; 10] {
    let mut c: [String; 10] = Default::default();
    let Some(code) = code.filter(|c| c.is_ascii()) else {
        return c;
    };
    c[0] = code.to_string();
    c[1] = name.unwrap_or_default().to_uppercase();
    let books = chronicle_codebook::Codebook::embedded().ok();
    let (country, rest) = match books {
        Some(b) if code.len() >= 3 && b.is_country(&code[..3]) => (Some(&code[..3]), &code[3..]),
        _ => (None, code),
    };
    c[2] = country.unwrap_or_default().to_string();
    let mut types: Vec<&str> = (0..rest.len() / 3)
        .map(|i| &rest[i * 3..i * 3 + 3])
        .collect();
    if let Some(first) = types.first() {
        if matches!(*first, "IGO" | "NGO" | "IMG") && country.is_none() {
            c[3] = rest.to_string();
            types.clear();
        }
    }
    for (i, t) in types.into_iter().take(3).enumerate() {
        c[7 + i] = t.to_string();
    }
    c
}

/// A stable event number: 48 bits of the document id, then the event's index.
fn event_id(r: &EventRow) -> u64 {
    let hex: String = r.doc_id.chars().take(12).collect();
    u64::from_str_radix(&hex, 16).unwrap_or(0) * 1000 + r.index as u64 % 1000
}

/// Year, month and day of a TIMEX3 value, as far as it states them: "2016-10-14T…"
/// gives all three, "2016-10" two, "2016", "2016-W37" or "2016-SU" only the year,
/// "PRESENT_REF" none.
fn date_parts(value: &str) -> (&str, &str, &str) {
    let digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
    let Some(y) = value
        .get(..4)
        .filter(|y| y.bytes().all(|b| b.is_ascii_digit()))
    else {
        return ("", "", "");
    };
    let m = value
        .get(5..7)
        .filter(|m| digits(m) && value.as_bytes()[4] == b'-');
    let d = m
        .and(value.get(8..10))
        .filter(|d| digits(d) && value.as_bytes()[7] == b'-');
    (y, m.unwrap_or(""), d.unwrap_or(""))
}

fn gdelt_row(r: &EventRow) -> Vec<String> {
    let mut row: Vec<String> = Vec::with_capacity(61);
    let (y, m, d) = date_parts(r.date.as_deref().unwrap_or(""));
    let fraction = match (y.parse::<f64>(), m.parse::<f64>(), d.parse::<f64>()) {
        (Ok(y), Ok(m), Ok(d)) => format!("{:.4}", y + ((m - 1.0) * 30.0 + d) / 365.0),
        _ => String::new(),
    };
    row.push(event_id(r).to_string());
    row.push(if d.is_empty() {
        String::new()
    } else {
        format!("{y}{m}{d}")
    });
    row.push(if m.is_empty() {
        String::new()
    } else {
        format!("{y}{m}")
    });
    row.push(y.to_string());
    row.push(fraction);
    row.extend(actor_cells(
        r.source_code.as_deref(),
        r.source_actor.as_deref().or(r.source_text.as_deref()),
    ));
    row.extend(actor_cells(
        r.target_code.as_deref(),
        r.target_actor.as_deref().or(r.target_text.as_deref()),
    ));
    row.push(String::new()); // IsRootEvent: we do not rank events within an article
    row.push(r.code.clone());
    row.push(r.code.get(..3).unwrap_or(&r.code).to_string());
    row.push(r.code.get(..2).unwrap_or(&r.code).to_string());
    row.push(r.quad_class.map(|q| q.to_string()).unwrap_or_default());
    row.push(r.goldstein.map(|g| format!("{g:.1}")).unwrap_or_default());
    row.extend(["1", "1", "1", ""].map(str::to_string));
    row.extend(std::iter::repeat_n(String::new(), 16)); // actor geographies
    row.push(String::new());
    row.push(r.location.clone().unwrap_or_default());
    row.extend(std::iter::repeat_n(String::new(), 6));
    let added: String = r
        .published
        .as_deref()
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    row.push(if added.len() == 8 {
        format!("{added}000000")
    } else {
        String::new()
    });
    row.push(r.url.clone().unwrap_or_default());
    debug_assert_eq!(row.len(), GDELT_COLUMNS.len());
    // TSV: no tabs or newlines inside a cell.
    row.into_iter()
        .map(|c| c.replace(['\t', '\n', '\r'], " "))
        .collect()
}

pub fn export_gdelt(db: &Path, out: &Path, filter: EventFilter) -> anyhow::Result<ExitCode> {
    let store = open_existing(db)?;
    let rows = store.events(&filter)?;
    let tmp = out.with_extension("partial");
    let mut w = std::io::BufWriter::new(
        std::fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?,
    );
    for r in &rows {
        writeln!(w, "{}", gdelt_row(r).join("\t"))?;
    }
    w.flush()?;
    drop(w);
    std::fs::rename(&tmp, out).with_context(|| format!("writing {}", out.display()))?;
    eprintln!(
        "wrote {} events to {} (GDELT 2.0 event table, 61 columns, no header)",
        rows.len(),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_fill_only_what_they_state() {
        assert_eq!(date_parts("2016-10-14TNI"), ("2016", "10", "14"));
        assert_eq!(date_parts("2016-10"), ("2016", "10", ""));
        assert_eq!(date_parts("2014-W37-WE"), ("2014", "", ""));
        assert_eq!(date_parts("1963"), ("1963", "", ""));
        assert_eq!(date_parts("PRESENT_REF"), ("", "", ""));
        assert_eq!(date_parts("20"), ("", "", ""));
    }

    #[test]
    fn gdelt_rows_have_61_columns_in_order() {
        let r = EventRow {
            doc_id: "0123456789abcdef".into(),
            index: 2,
            code: "1124".into(),
            source_code: Some("RUSGOV".into()),
            source_text: Some("Lavrov".into()),
            source_actor: Some("Sergey Lavrov".into()),
            target_code: Some("IGOUNO".into()),
            target_text: Some("the UN".into()),
            target_actor: None,
            location: Some("Geneva".into()),
            date: Some("2016-10-14".into()),
            date_source: Some("published".into()),
            plover_type: Some("ACCUSE".into()),
            plover_mode: None,
            quad_class: Some(3),
            goldstein: Some(-2.0),
            modality: None,
            start: 0,
            end: 5,
            sentence: "x\ty".into(),
            url: Some("https://example.org/a".into()),
            published: Some("2016-10-15".into()),
        };
        let row = gdelt_row(&r);
        assert_eq!(row.len(), GDELT_COLUMNS.len());
        let col = |name: &str| &row[GDELT_COLUMNS.iter().position(|c| *c == name).unwrap()];
        assert_eq!(col("SQLDATE"), "20161014");
        assert_eq!(col("Actor1CountryCode"), "RUS");
        assert_eq!(col("Actor1Type1Code"), "GOV");
        assert_eq!(col("Actor1Name"), "SERGEY LAVROV");
        assert_eq!(col("Actor2KnownGroupCode"), "IGOUNO");
        assert_eq!(col("EventBaseCode"), "112");
        assert_eq!(col("EventRootCode"), "11");
        assert_eq!(col("ActionGeo_FullName"), "Geneva");
        assert_eq!(col("DATEADDED"), "20161015000000");
        assert_eq!(col("SOURCEURL"), "https://example.org/a");
    }
}
