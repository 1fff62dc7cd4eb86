//! The gazetteer's records and its text format (one record a line, tab-separated,
//! zstd-compressed):
//!
//! ```text
//! chronicle-gazetteer  1
//! #  provenance
//! C  iso2 iso3 iso-numeric fips geonameid name capital lat lon population aliases
//! A  iso2 admin1 geonameid name lat lon aliases
//! P  geonameid iso2 admin1 population lat lon name aliases
//! ```
//!
//! Aliases are `|`-separated. Country and division coordinates are settlement
//! centroids (the mean position of their GeoNames places over 500 people); a
//! division with no such place has none.

use crate::fold::key;
use crate::GeoError;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
pub struct Country {
    pub iso2: String,
    pub iso3: String,
    pub iso_numeric: u16,
    /// FIPS 10-4 code, as GDELT writes countries.
    pub fips: String,
    pub geonameid: u32,
    pub name: String,
    pub capital: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub population: u64,
}

/// A first-level administrative division.
#[derive(Debug, Clone, PartialEq)]
pub struct Adm1 {
    /// Index into [`Gazetteer::countries`].
    pub country: usize,
    /// GeoNames admin1 code (FIPS 10-4 for most countries; state abbreviations in
    /// the US).
    pub code: String,
    pub geonameid: u32,
    pub name: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct City {
    pub geonameid: u32,
    pub country: usize,
    /// Index into [`Gazetteer::adm1s`], when GeoNames gives the city a division we
    /// have.
    pub adm1: Option<usize>,
    pub population: u64,
    pub lat: f64,
    pub lon: f64,
    pub name: String,
}

/// What a name key points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entry {
    Country(usize),
    Adm1(usize),
    City(usize),
}

/// One name a place is known by: the entry and whether it is the place's own
/// name (not an alternate).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Named {
    pub entry: Entry,
    pub primary: bool,
}

#[derive(Debug, Default)]
pub struct Gazetteer {
    pub countries: Vec<Country>,
    pub adm1s: Vec<Adm1>,
    pub cities: Vec<City>,
    pub(crate) index: HashMap<String, Vec<Named>>,
    by_iso2: HashMap<String, usize>,
    by_iso3: HashMap<String, usize>,
    adm1_by_code: HashMap<(usize, String), usize>,
}

/// Arabic-style articles a name may be written with or without ("Al-Raqqa",
/// "Raqqa").
pub(crate) const ARTICLES: &[&str] = &["al", "el", "ar", "as", "ad", "an", "ash", "at", "az"];

/// The name without a leading article, when it has one.
pub(crate) fn without_article(name: &str) -> Option<&str> {
    let lower = name.get(..4).unwrap_or(name).to_ascii_lowercase();
    ARTICLES.iter().find_map(|a| {
        let rest_at = a.len() + 1;
        let sep = lower.as_bytes().get(a.len()).copied();
        (lower.starts_with(a) && matches!(sep, Some(b'-' | b' ')))
            .then(|| name.get(rest_at..))
            .flatten()
            .filter(|r| !r.trim().is_empty())
    })
}

impl Gazetteer {
    pub fn from_zstd(name: &str, bytes: &[u8]) -> Result<Gazetteer, GeoError> {
        let raw = zstd::stream::decode_all(bytes).map_err(|source| GeoError::Decompress {
            name: name.to_string(),
            source,
        })?;
        let text = String::from_utf8(raw).map_err(|_| GeoError::NotText {
            name: name.to_string(),
        })?;
        Gazetteer::parse(name, &text)
    }

    pub fn parse(name: &str, text: &str) -> Result<Gazetteer, GeoError> {
        let mut lines = text.lines().enumerate();
        let header = lines.next().map(|(_, l)| l).unwrap_or_default();
        if header != "chronicle-gazetteer\t1" {
            return Err(GeoError::BadHeader {
                name: name.to_string(),
                found: header.chars().take(60).collect(),
            });
        }
        let mut g = Gazetteer::default();
        let mut aliases: Vec<(Entry, String)> = Vec::new();
        for (i, line) in lines {
            let bad = |reason: String| GeoError::BadLine {
                name: name.to_string(),
                line: i + 1,
                reason,
            };
            let f: Vec<&str> = line.split('\t').collect();
            let field = |n: usize| -> Result<&str, GeoError> {
                f.get(n)
                    .copied()
                    .ok_or_else(|| bad(format!("field {n} is missing")))
            };
            let num = |n: usize| -> Result<u64, GeoError> {
                let v = field(n)?;
                v.parse()
                    .map_err(|_| bad(format!("field {n} ({v:?}) is not a whole number")))
            };
            let coord = |n: usize, limit: f64| -> Result<Option<f64>, GeoError> {
                let v = field(n)?;
                if v.is_empty() {
                    return Ok(None);
                }
                match v.parse::<f64>() {
                    Ok(x) if x.abs() <= limit => Ok(Some(x)),
                    _ => Err(bad(format!("field {n} ({v:?}) is not a coordinate"))),
                }
            };
            match f.first().copied() {
                Some("#") | Some("") | None => {}
                Some("C") => {
                    let idx = g.countries.len();
                    let c = Country {
                        iso2: field(1)?.to_string(),
                        iso3: field(2)?.to_string(),
                        iso_numeric: num(3)?.min(u16::MAX as u64) as u16,
                        fips: field(4)?.to_string(),
                        geonameid: num(5)?.min(u32::MAX as u64) as u32,
                        name: field(6)?.to_string(),
                        capital: field(7)?.to_string(),
                        lat: coord(8, 90.0)?,
                        lon: coord(9, 180.0)?,
                        population: num(10)?,
                    };
                    g.by_iso2.insert(c.iso2.clone(), idx);
                    g.by_iso3.insert(c.iso3.clone(), idx);
                    aliases.push((Entry::Country(idx), c.name.clone()));
                    for a in field(11)?.split('|').filter(|a| !a.is_empty()) {
                        aliases.push((Entry::Country(idx), a.to_string()));
                    }
                    g.countries.push(c);
                }
                Some("A") => {
                    let country = *g
                        .by_iso2
                        .get(field(1)?)
                        .ok_or_else(|| bad(format!("unknown country {:?}", f[1])))?;
                    let idx = g.adm1s.len();
                    let a = Adm1 {
                        country,
                        code: field(2)?.to_string(),
                        geonameid: num(3)?.min(u32::MAX as u64) as u32,
                        name: field(4)?.to_string(),
                        lat: coord(5, 90.0)?,
                        lon: coord(6, 180.0)?,
                    };
                    g.adm1_by_code.insert((country, a.code.clone()), idx);
                    aliases.push((Entry::Adm1(idx), a.name.clone()));
                    for al in field(7)?.split('|').filter(|a| !a.is_empty()) {
                        aliases.push((Entry::Adm1(idx), al.to_string()));
                    }
                    g.adm1s.push(a);
                }
                Some("P") => {
                    let country = *g
                        .by_iso2
                        .get(field(2)?)
                        .ok_or_else(|| bad(format!("unknown country {:?}", f[2])))?;
                    let idx = g.cities.len();
                    let adm1 = g
                        .adm1_by_code
                        .get(&(country, field(3)?.to_string()))
                        .copied();
                    let c = City {
                        geonameid: num(1)?.min(u32::MAX as u64) as u32,
                        country,
                        adm1,
                        population: num(4)?,
                        lat: coord(5, 90.0)?.ok_or_else(|| bad("no latitude".into()))?,
                        lon: coord(6, 180.0)?.ok_or_else(|| bad("no longitude".into()))?,
                        name: field(7)?.to_string(),
                    };
                    aliases.push((Entry::City(idx), c.name.clone()));
                    for a in field(8)?.split('|').filter(|a| !a.is_empty()) {
                        aliases.push((Entry::City(idx), a.to_string()));
                    }
                    g.cities.push(c);
                }
                Some(other) => return Err(bad(format!("unknown record kind {other:?}"))),
            }
        }
        g.build_index(aliases);
        Ok(g)
    }

    fn build_index(&mut self, names: Vec<(Entry, String)>) {
        let mut last: Option<Entry> = None;
        for (entry, name) in names {
            // The first name listed for an entry is its own.
            let primary = last != Some(entry);
            last = Some(entry);
            let mut keys = vec![key(&name)];
            if let Some(rest) = without_article(&name) {
                keys.push(key(rest));
            }
            for k in keys.into_iter().filter(|k| k.len() >= 2) {
                let list = self.index.entry(k).or_default();
                match list.iter_mut().find(|n| n.entry == entry) {
                    Some(n) => n.primary |= primary,
                    None => list.push(Named { entry, primary }),
                }
            }
        }
    }

    pub fn country_by_iso2(&self, code: &str) -> Option<&Country> {
        self.by_iso2.get(code).map(|&i| &self.countries[i])
    }

    pub fn country_by_iso3(&self, code: &str) -> Option<&Country> {
        self.by_iso3.get(code).map(|&i| &self.countries[i])
    }

    pub(crate) fn country_index_iso3(&self, code: &str) -> Option<usize> {
        self.by_iso3.get(code).copied()
    }

    pub(crate) fn country_index_iso2(&self, code: &str) -> Option<usize> {
        self.by_iso2.get(code).copied()
    }

    pub(crate) fn named(&self, k: &str) -> &[Named] {
        self.index.get(k).map(Vec::as_slice).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_come_off() {
        assert_eq!(without_article("Al-Raqqa"), Some("Raqqa"));
        assert_eq!(without_article("ar Raqqah"), Some("Raqqah"));
        assert_eq!(without_article("Alep"), None);
        assert_eq!(without_article("Al"), None);
        assert_eq!(without_article("Al-"), None);
    }

    #[test]
    fn bad_files_name_the_line() {
        let e = Gazetteer::parse("t", "nope\n").unwrap_err();
        assert!(e.to_string().contains("first line"), "{e}");
        let e = Gazetteer::parse("t", "chronicle-gazetteer\t1\nC\tSY\n").unwrap_err();
        assert!(e.to_string().contains("line 2"), "{e}");
        let text = "chronicle-gazetteer\t1\nP\t1\tZZ\t01\t5\t1\t1\tX\t\n";
        let e = Gazetteer::parse("t", text).unwrap_err();
        assert!(e.to_string().contains("unknown country"), "{e}");
        let text = "chronicle-gazetteer\t1\nC\tSY\tSYR\t760\tSY\t1\tSyria\tDamascus\t95\t0\t1\t\n";
        let e = Gazetteer::parse("t", text).unwrap_err();
        assert!(e.to_string().contains("coordinate"), "{e}");
    }
}
