//! Place lookup: the words an event gives for its place → one gazetteer entry.

use crate::data::{without_article, Adm1, Country, Entry, Gazetteer};
use crate::fold::{ascii, key};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    Country,
    Adm1,
    City,
}

/// A matched place.
#[derive(Debug, Clone, PartialEq)]
pub struct Place<'g> {
    pub kind: PlaceKind,
    pub geonameid: u32,
    /// The gazetteer's own name (not the words of the text).
    pub name: &'g str,
    pub country: &'g Country,
    /// The division the place is in (itself for a division).
    pub adm1: Option<&'g Adm1>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub population: u64,
    /// The text named a part of the place or the area around it ("eastern
    /// Aleppo", "the outskirts of Homs", "Homs countryside").
    pub approximate: bool,
}

impl Place<'_> {
    /// GDELT's Geo_Type: 1 country, 2 US state, 3 US city, 4 world city, 5 world
    /// state (first-level division outside the US).
    pub fn geo_type(&self) -> u8 {
        let us = self.country.iso2 == "US";
        match (self.kind, us) {
            (PlaceKind::Country, _) => 1,
            (PlaceKind::Adm1, true) => 2,
            (PlaceKind::City, true) => 3,
            (PlaceKind::City, false) => 4,
            (PlaceKind::Adm1, false) => 5,
        }
    }

    /// "City, Division, Country", "Division, Country" or "Country", in ASCII, as
    /// GDELT's FullName.
    pub fn full_name(&self) -> String {
        let mut parts: Vec<String> = Vec::with_capacity(3);
        if self.kind == PlaceKind::City {
            parts.push(ascii(self.name));
        }
        if let Some(a) = self.adm1 {
            parts.push(ascii(&a.name));
        }
        parts.push(ascii(&self.country.name));
        parts.join(", ")
    }

    /// FIPS 10-4 country code followed by the GeoNames admin1 code ("SY09"), or
    /// the country code alone when there is no division.
    pub fn adm1_code(&self) -> String {
        match self.adm1 {
            Some(a) => format!("{}{}", self.country.fips, a.code),
            None => self.country.fips.clone(),
        }
    }

    /// GDELT's FeatureID: a numeric id for cities (GeoNames' where GDELT has
    /// GNS's), the ADM1 code for divisions, the country code for countries.
    pub fn feature_id(&self) -> String {
        match self.kind {
            PlaceKind::City => self.geonameid.to_string(),
            PlaceKind::Adm1 => self.adm1_code(),
            PlaceKind::Country => self.country.fips.clone(),
        }
    }
}

/// The kind of place the words ask for ("Homs province", "the city of Homs").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    Any,
    Adm1,
    City,
}

/// Words before a place name that make it a part of it or the area around it.
const PART_WORDS: &[&str] = &[
    "eastern",
    "western",
    "northern",
    "southern",
    "central",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "rural",
    "greater",
    "downtown",
    "near",
    "around",
    "outside",
    "besieged",
];

/// "X of": the words before "of" in "the outskirts of Homs", "the city of Homs".
fn of_phrase(word: &str) -> Option<(Want, bool)> {
    match word {
        "outskirts" | "countryside" | "suburbs" | "vicinity" | "edge" | "area" | "part" => {
            Some((Want::Any, true))
        }
        "city" | "town" | "village" => Some((Want::City, false)),
        "province" | "governorate" | "region" | "state" => Some((Want::Adm1, false)),
        _ => None,
    }
}

/// Words after a place name ("Homs province", "Idlib countryside").
fn trailing(word: &str) -> Option<(Want, bool)> {
    match word {
        "province" | "governorate" | "region" | "state" => Some((Want::Adm1, false)),
        "city" | "town" | "village" => Some((Want::City, false)),
        "countryside" | "outskirts" | "suburbs" | "area" | "district" | "neighbourhood"
        | "neighborhood" | "neighbourhoods" | "neighborhoods" => Some((Want::Any, true)),
        _ => None,
    }
}

/// Demonyms that no suffix rule turns into their country's name.
const DEMONYMS: &[(&str, &str)] = &[
    ("american", "US"),
    ("british", "GB"),
    ("briton", "GB"),
    ("english", "GB"),
    ("scottish", "GB"),
    ("welsh", "GB"),
    ("french", "FR"),
    ("dutch", "NL"),
    ("swiss", "CH"),
    ("greek", "GR"),
    ("spanish", "ES"),
    ("turkish", "TR"),
    ("emirati", "AE"),
    ("saudi", "SA"),
    ("filipino", "PH"),
    ("thai", "TH"),
    ("danish", "DK"),
    ("swedish", "SE"),
    ("finnish", "FI"),
    ("polish", "PL"),
    ("irish", "IE"),
    ("norwegian", "NO"),
    ("czech", "CZ"),
    ("afghan", "AF"),
    ("chinese", "CN"),
    ("congolese", "CD"),
    ("north korean", "KP"),
    ("south korean", "KR"),
];

fn trim_word(w: &str) -> &str {
    w.trim_matches(|c: char| {
        matches!(
            c,
            ',' | '.' | ';' | ':' | '(' | ')' | '"' | '“' | '”' | '[' | ']' | '!' | '?'
        )
    })
}

impl Gazetteer {
    /// The best place for `text` (as an event or claim stores it), preferring
    /// places in `prefer` (ISO 3166 alpha-3 or alpha-2 codes, e.g. the event's
    /// actor countries). `None` when the words name no place we know, or are
    /// not a proper name (no capital letter: "village", "the hospital").
    pub fn lookup(&self, text: &str, prefer: &[&str]) -> Option<Place<'_>> {
        // Place names are proper names; "the capital" is the one common phrase
        // we resolve (through the caller's countries).
        let proper = text.chars().any(char::is_uppercase);
        let mut words: Vec<&str> = text
            .split_whitespace()
            .map(trim_word)
            .filter(|w| !w.is_empty())
            .collect();
        let mut prefer: Vec<usize> = prefer
            .iter()
            .filter_map(|c| {
                self.country_index_iso3(c)
                    .or_else(|| self.country_index_iso2(c))
            })
            .collect();
        if words.first().is_some_and(|w| w.eq_ignore_ascii_case("the")) {
            words.remove(0);
        }
        if words.is_empty() || words.len() > 8 {
            return None;
        }
        let the_capital = words.len() == 1 && words[0].eq_ignore_ascii_case("capital");
        if !proper && !the_capital {
            return None;
        }
        if let Some(p) = self.best(&words.join(" "), Want::Any, &prefer) {
            return Some(p);
        }
        // "Syria's Homs", "Syrias Homs" (apostrophes stripped upstream).
        if words.len() >= 2 {
            let w = words[0];
            let stem = w
                .strip_suffix("'s")
                .or_else(|| w.strip_suffix("’s"))
                .or_else(|| w.strip_suffix('s'));
            if let Some(c) = stem.and_then(|s| self.country_named(s)) {
                prefer.insert(0, c);
                words.remove(0);
            }
        }
        // "the Syrian capital"; "the capital" when the caller's countries agree.
        let last_lower = words.last().map(|w| w.to_lowercase());
        if last_lower.as_deref() == Some("capital") {
            let country = match words.len() {
                1 => {
                    let mut distinct = prefer.clone();
                    distinct.dedup();
                    (distinct.len() == 1).then(|| distinct[0])
                }
                _ => self.country_by_demonym(&words[..words.len() - 1].join(" ")),
            }?;
            return self.capital(country);
        }
        let mut want = Want::Any;
        let mut approximate = false;
        loop {
            let first = words.first().map(|w| w.to_lowercase())?;
            let of_follows = words.get(1).is_some_and(|w| w.eq_ignore_ascii_case("of"));
            if first == "the" {
                words.remove(0);
            } else if PART_WORDS.contains(&first.as_str()) {
                approximate = true;
                words.remove(0);
            } else if let (true, Some((w, a))) = (of_follows, of_phrase(&first)) {
                want = if w == Want::Any { want } else { w };
                approximate |= a;
                words.drain(..2);
            } else {
                break;
            }
        }
        while words.len() > 1 {
            let last = words[words.len() - 1].to_lowercase();
            let Some((w, a)) = trailing(&last) else { break };
            want = if w == Want::Any { want } else { w };
            approximate |= a;
            words.pop();
        }
        if words.is_empty() {
            return None;
        }
        self.best(&words.join(" "), want, &prefer)
            .map(|p| Place { approximate, ..p })
    }

    /// The country a name (or alternate name) denotes.
    pub(crate) fn country_named(&self, name: &str) -> Option<usize> {
        self.named(&key(name)).iter().find_map(|n| match n.entry {
            Entry::Country(i) => Some(i),
            _ => None,
        })
    }

    /// "Syrian" → Syria: a listed exception, the country's own name, or the
    /// one country whose name starts with the word less a demonym ending.
    pub fn country_by_demonym(&self, word: &str) -> Option<usize> {
        let lower = word.trim().to_lowercase();
        if let Some((_, iso2)) = DEMONYMS.iter().find(|(d, _)| *d == lower) {
            return self.country_index_iso2(iso2);
        }
        if let Some(c) = self.country_named(&lower) {
            return Some(c);
        }
        for ending in ["n", "ian", "i", "ese", "an", "ish"] {
            let Some(stem) = lower.strip_suffix(ending) else {
                continue;
            };
            let stem = key(stem);
            if stem.len() < 4 {
                continue;
            }
            if let Some(c) = self.country_named(&stem) {
                return Some(c);
            }
            let starts: Vec<usize> = (0..self.countries.len())
                .filter(|&i| key(&self.countries[i].name).starts_with(&stem))
                .collect();
            if let [one] = starts.as_slice() {
                return Some(*one);
            }
        }
        None
    }

    fn capital(&self, country: usize) -> Option<Place<'_>> {
        let c = &self.countries[country];
        self.named(&key(&c.capital))
            .iter()
            .filter_map(|n| match n.entry {
                Entry::City(i) if self.cities[i].country == country => Some(i),
                _ => None,
            })
            .max_by_key(|&i| self.cities[i].population)
            .map(|i| self.city_place(i))
    }

    fn best(&self, phrase: &str, want: Want, prefer: &[usize]) -> Option<Place<'_>> {
        let mut named: Vec<_> = self.named(&key(phrase)).to_vec();
        if let Some(rest) = without_article(phrase) {
            named.extend_from_slice(self.named(&key(rest)));
        }
        let kind_of = |e: Entry| match e {
            Entry::Country(_) => Want::Any,
            Entry::Adm1(_) => Want::Adm1,
            Entry::City(_) => Want::City,
        };
        if want != Want::Any && named.iter().any(|n| kind_of(n.entry) == want) {
            named.retain(|n| kind_of(n.entry) == want);
        }
        let country_of = |e: Entry| match e {
            Entry::Country(i) => i,
            Entry::Adm1(i) => self.adm1s[i].country,
            Entry::City(i) => self.cities[i].country,
        };
        let rank = |e: Entry| match e {
            Entry::Country(_) => 2u8,
            Entry::City(_) => 1,
            Entry::Adm1(_) => 0,
        };
        let population = |e: Entry| match e {
            Entry::Country(i) => self.countries[i].population,
            Entry::Adm1(_) => 0,
            Entry::City(i) => self.cities[i].population,
        };
        let best = named.iter().max_by_key(|n| {
            (
                prefer.contains(&country_of(n.entry)),
                rank(n.entry),
                n.primary,
                population(n.entry),
                // Deterministic among equals.
                std::cmp::Reverse(match n.entry {
                    Entry::Country(i) | Entry::Adm1(i) | Entry::City(i) => i,
                }),
            )
        })?;
        Some(match best.entry {
            Entry::Country(i) => {
                let c = &self.countries[i];
                Place {
                    kind: PlaceKind::Country,
                    geonameid: c.geonameid,
                    name: &c.name,
                    country: c,
                    adm1: None,
                    lat: c.lat,
                    lon: c.lon,
                    population: c.population,
                    approximate: false,
                }
            }
            Entry::Adm1(i) => {
                let a = &self.adm1s[i];
                Place {
                    kind: PlaceKind::Adm1,
                    geonameid: a.geonameid,
                    name: &a.name,
                    country: &self.countries[a.country],
                    adm1: Some(a),
                    lat: a.lat,
                    lon: a.lon,
                    population: 0,
                    approximate: false,
                }
            }
            Entry::City(i) => self.city_place(i),
        })
    }

    fn city_place(&self, i: usize) -> Place<'_> {
        let c = &self.cities[i];
        Place {
            kind: PlaceKind::City,
            geonameid: c.geonameid,
            name: &c.name,
            country: &self.countries[c.country],
            adm1: c.adm1.map(|a| &self.adm1s[a]),
            lat: Some(c.lat),
            lon: Some(c.lon),
            population: c.population,
            approximate: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn g() -> &'static Gazetteer {
        Gazetteer::embedded().expect("the embedded gazetteer loads")
    }

    #[test]
    fn the_bundled_data_is_whole() {
        let g = g();
        assert!(g.countries.len() >= 240, "{}", g.countries.len());
        assert!(g.adm1s.len() >= 3000, "{}", g.adm1s.len());
        assert!(g.cities.len() >= 30000, "{}", g.cities.len());
        let sy = g.country_by_iso3("SYR").unwrap();
        assert_eq!((sy.iso2.as_str(), sy.fips.as_str()), ("SY", "SY"));
        assert_eq!(g.country_by_iso3("DEU").unwrap().fips, "GM");
        assert_eq!(g.country_by_iso3("IRQ").unwrap().fips, "IZ");
    }

    #[test]
    fn a_city_by_name_with_gdelt_fields() {
        let p = g().lookup("Aleppo", &[]).unwrap();
        assert_eq!(p.kind, PlaceKind::City);
        assert_eq!(p.geonameid, 170063);
        assert_eq!(p.geo_type(), 4);
        assert_eq!(p.full_name(), "Aleppo, Halab, Syria");
        assert_eq!(p.adm1_code(), "SY09");
        assert_eq!(p.feature_id(), "170063");
        let (lat, lon) = (p.lat.unwrap(), p.lon.unwrap());
        assert!((lat - 36.2).abs() < 0.1 && (lon - 37.16).abs() < 0.1);
        assert!(!p.approximate);
    }

    #[test]
    fn alternate_spellings_and_articles() {
        for (text, id) in [
            ("Raqqa", 172955),
            ("Al-Raqqa", 172955),
            ("Deir Ezzor", 170794),
            ("Deir ez-Zor", 170794),
            ("Haleb", 170063),
            ("Hasakeh", 173811),
        ] {
            let p = g().lookup(text, &[]).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(p.geonameid, id, "{text}: {p:?}");
        }
    }

    #[test]
    fn parts_and_areas_are_approximate() {
        for text in [
            "eastern Aleppo",
            "Eastern Aleppo",
            "the outskirts of Aleppo",
            "Aleppo countryside",
        ] {
            let p = g().lookup(text, &[]).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(p.geonameid, 170063, "{text}");
            assert!(p.approximate, "{text}");
        }
    }

    #[test]
    fn divisions_when_asked_for() {
        let p = g().lookup("Homs province", &["SYR"]).unwrap();
        assert_eq!(p.kind, PlaceKind::Adm1);
        assert_eq!(p.geo_type(), 5);
        assert_eq!(p.full_name(), "Hims, Syria");
        assert_eq!(p.adm1_code(), "SY11");
        assert_eq!(p.feature_id(), "SY11");
        let p = g().lookup("Homs Governorate", &[]).unwrap();
        assert_eq!((p.kind, p.adm1_code().as_str()), (PlaceKind::Adm1, "SY11"));
        let p = g().lookup("Texas", &[]).unwrap();
        assert_eq!((p.geo_type(), p.adm1_code().as_str()), (2, "USTX"));
        assert_eq!(p.full_name(), "Texas, United States");
    }

    #[test]
    fn countries_and_us_cities() {
        let p = g().lookup("Syria", &[]).unwrap();
        assert_eq!((p.kind, p.geo_type()), (PlaceKind::Country, 1));
        assert_eq!(
            (p.full_name().as_str(), p.feature_id().as_str()),
            ("Syria", "SY")
        );
        assert!(p.lat.is_some());
        let p = g().lookup("Houston", &[]).unwrap();
        assert_eq!(p.geo_type(), 3);
        assert_eq!(p.full_name(), "Houston, Texas, United States");
        assert_eq!(p.adm1_code(), "USTX");
    }

    #[test]
    fn the_actors_country_wins_then_population() {
        // Homs (Syria) is also an alternate name of Al Khums (Libya).
        assert_eq!(g().lookup("Homs", &[]).unwrap().country.iso2, "SY");
        assert_eq!(g().lookup("Homs", &["LBY"]).unwrap().country.iso2, "LY");
        assert_eq!(g().lookup("Tripoli", &[]).unwrap().country.iso2, "LY");
        assert_eq!(g().lookup("Tripoli", &["LBN"]).unwrap().country.iso2, "LB");
        assert_eq!(g().lookup("Georgia", &[]).unwrap().kind, PlaceKind::Country);
        assert_eq!(g().lookup("Georgia", &["USA"]).unwrap().geo_type(), 2);
    }

    #[test]
    fn possessives_and_capitals() {
        let p = g().lookup("Syrias Homs", &[]).unwrap();
        assert_eq!((p.name, p.country.iso2.as_str()), ("Homs", "SY"));
        let p = g().lookup("Syria's Aleppo", &[]).unwrap();
        assert_eq!(p.geonameid, 170063);
        let p = g().lookup("the Syrian capital", &[]).unwrap();
        assert_eq!(p.name, "Damascus");
        let p = g().lookup("the Iraqi capital", &[]).unwrap();
        assert_eq!(p.name, "Baghdad");
        let p = g().lookup("the Lebanese capital", &[]).unwrap();
        assert_eq!(p.name, "Beirut");
        let p = g().lookup("the capital", &["RUS", "RUS"]).unwrap();
        assert_eq!(p.name, "Moscow");
        assert!(g().lookup("the capital", &["RUS", "SYR"]).is_none());
    }

    #[test]
    fn common_words_are_not_places() {
        for text in [
            "village",
            "neighborhoods",
            "rebel",
            "the hospital",
            "",
            "   ",
        ] {
            assert!(g().lookup(text, &[]).is_none(), "{text}");
        }
        assert!(g().lookup("Zqaq al-Sheikh", &["SYR"]).is_none());
    }

    #[test]
    fn demonyms() {
        let name = |d: &str| {
            g().country_by_demonym(d)
                .map(|i| g().countries[i].iso2.clone())
        };
        assert_eq!(name("Syrian").as_deref(), Some("SY"));
        assert_eq!(name("Iraqi").as_deref(), Some("IQ"));
        assert_eq!(name("Egyptian").as_deref(), Some("EG"));
        assert_eq!(name("Turkish").as_deref(), Some("TR"));
        assert_eq!(name("Russian").as_deref(), Some("RU"));
        assert_eq!(name("Kurdish"), None);
    }

    proptest! {
        #[test]
        fn lookup_never_panics(s in "\\PC{0,60}", p in "[A-Z]{0,3}") {
            let _ = g().lookup(&s, &[p.as_str()]);
        }
    }
}
