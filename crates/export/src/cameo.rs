//! CAMEO actor codes split into GDELT's actor columns, with the CAMEO country
//! table.
//!
//! The country table is CAMEO's: ISO 3166-1 alpha-3 codes, CAMEO's regional
//! codes and the historical states the Phoenix dictionaries still code. It is
//! written out here, not derived from the dictionaries: a country only ever
//! coded with dated roles (IRQ) is still a country, and a dictionary code that
//! is also a religion (the Phoenix agents code "Islamic", "Islamist" as MUS,
//! which is Mauritius in ISO) is a country only where a country stands.

/// ISO 3166-1 alpha-3 (the 252 codes GeoNames lists, which include XKX Kosovo,
/// ANT and SCG).
const ISO3: &[&str] = &[
    "ABW", "AFG", "AGO", "AIA", "ALA", "ALB", "AND", "ANT", "ARE", "ARG", "ARM", "ASM", "ATA",
    "ATF", "ATG", "AUS", "AUT", "AZE", "BDI", "BEL", "BEN", "BES", "BFA", "BGD", "BGR", "BHR",
    "BHS", "BIH", "BLM", "BLR", "BLZ", "BMU", "BOL", "BRA", "BRB", "BRN", "BTN", "BVT", "BWA",
    "CAF", "CAN", "CCK", "CHE", "CHL", "CHN", "CIV", "CMR", "COD", "COG", "COK", "COL", "COM",
    "CPV", "CRI", "CUB", "CUW", "CXR", "CYM", "CYP", "CZE", "DEU", "DJI", "DMA", "DNK", "DOM",
    "DZA", "ECU", "EGY", "ERI", "ESH", "ESP", "EST", "ETH", "FIN", "FJI", "FLK", "FRA", "FRO",
    "FSM", "GAB", "GBR", "GEO", "GGY", "GHA", "GIB", "GIN", "GLP", "GMB", "GNB", "GNQ", "GRC",
    "GRD", "GRL", "GTM", "GUF", "GUM", "GUY", "HKG", "HMD", "HND", "HRV", "HTI", "HUN", "IDN",
    "IMN", "IND", "IOT", "IRL", "IRN", "IRQ", "ISL", "ISR", "ITA", "JAM", "JEY", "JOR", "JPN",
    "KAZ", "KEN", "KGZ", "KHM", "KIR", "KNA", "KOR", "KWT", "LAO", "LBN", "LBR", "LBY", "LCA",
    "LIE", "LKA", "LSO", "LTU", "LUX", "LVA", "MAC", "MAF", "MAR", "MCO", "MDA", "MDG", "MDV",
    "MEX", "MHL", "MKD", "MLI", "MLT", "MMR", "MNE", "MNG", "MNP", "MOZ", "MRT", "MSR", "MTQ",
    "MUS", "MWI", "MYS", "MYT", "NAM", "NCL", "NER", "NFK", "NGA", "NIC", "NIU", "NLD", "NOR",
    "NPL", "NRU", "NZL", "OMN", "PAK", "PAN", "PCN", "PER", "PHL", "PLW", "PNG", "POL", "PRI",
    "PRK", "PRT", "PRY", "PSE", "PYF", "QAT", "REU", "ROU", "RUS", "RWA", "SAU", "SCG", "SDN",
    "SEN", "SGP", "SGS", "SHN", "SJM", "SLB", "SLE", "SLV", "SMR", "SOM", "SPM", "SRB", "SSD",
    "STP", "SUR", "SVK", "SVN", "SWE", "SWZ", "SXM", "SYC", "SYR", "TCA", "TCD", "TGO", "THA",
    "TJK", "TKL", "TKM", "TLS", "TON", "TTO", "TUN", "TUR", "TUV", "TWN", "TZA", "UGA", "UKR",
    "UMI", "URY", "USA", "UZB", "VAT", "VCT", "VEN", "VGB", "VIR", "VNM", "VUT", "WLF", "WSM",
    "XKX", "YEM", "ZAF", "ZMB", "ZWE",
];

/// CAMEO's regional codes, which GDELT writes in the country column too.
const REGIONS: &[&str] = &[
    "AFR", "ASA", "BLK", "CAS", "CAU", "CEU", "CFR", "CRB", "EAF", "EEU", "EIN", "EUR", "LAM",
    "MDT", "MEA", "NAF", "NMR", "PGS", "SAF", "SAM", "SAS", "SCN", "SEA", "WAF", "WST",
];

/// States that no longer exist, as the Phoenix dictionaries code them (East
/// Timor before independence, Kosovo, East Germany, the Soviet Union,
/// Yugoslavia, Czechoslovakia).
const HISTORICAL: &[&str] = &["TMP", "KSV", "DDR", "USR", "SUN", "YUG", "CSK", "FRY"];

/// CAMEO type (role and organization) codes, plus the Phoenix dictionaries'
/// PPL (people) and REL (religious, unspecified).
const TYPES: &[&str] = &[
    "COP", "GOV", "INS", "JUD", "MIL", "OPP", "PTY", "REB", "SEP", "SPY", "UAF", "AGR", "BUS",
    "CRM", "CVL", "DEV", "EDU", "ELI", "ENV", "HLH", "HRI", "LAB", "LEG", "MED", "REF", "MOD",
    "RAD", "IGO", "NGO", "NGM", "IMG", "INT", "MNC", "PPL", "REL",
];

/// CAMEO religion codes; the Phoenix dictionaries write Muslim as MUS where
/// CAMEO and GDELT write MOS.
const RELIGIONS: &[&str] = &[
    "ADR", "ALE", "ATH", "BAH", "BUD", "CHR", "CON", "CPT", "CTH", "DOX", "DRZ", "HIN", "HSD",
    "ITR", "JAN", "JEW", "JHW", "LDS", "MOS", "MRN", "NRM", "PAG", "PRO", "SFI", "SHI", "SHN",
    "SIK", "SUN", "TAO", "UDX", "ZRO", "MUS",
];

/// Codes that are a country where a country stands (first) and a religion
/// elsewhere: MUS Mauritius / Muslim (Phoenix), SHN Saint Helena / Shinto, SUN
/// Soviet Union (Phoenix) / Sunni.
const COUNTRY_OR_RELIGION: &[&str] = &["MUS", "SHN", "SUN"];

/// Whether `code` is in the CAMEO country table (states, regions, historical
/// states).
pub fn is_country(code: &str) -> bool {
    ISO3.binary_search(&code).is_ok() || REGIONS.contains(&code) || HISTORICAL.contains(&code)
}

/// The ISO 3166-1 alpha-3 country of a code's first three letters, when it
/// names a present state.
pub fn iso_country(code: &str) -> Option<&str> {
    let c = code.get(..3)?;
    ISO3.binary_search(&c).is_ok().then_some(c)
}

/// GDELT's ten actor columns after the code and name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActorParts {
    /// The code as written in Actor1Code (Phoenix's MUS religion code as MOS).
    pub code: String,
    pub country: String,
    pub known_group: String,
    pub ethnic: String,
    pub religion: [String; 2],
    pub types: [String; 3],
}

/// Splits a CAMEO actor code into GDELT's columns. `agent_only` says the code
/// came from an agent word alone ("Islamists", "the rebels"), with no country
/// in the text: its first three letters are then never a country.
pub fn split_actor(code: &str, agent_only: bool) -> ActorParts {
    let mut p = ActorParts::default();
    if !code.is_ascii() || !code.len().is_multiple_of(3) || code.is_empty() {
        // Not a CAMEO code we can split: keep it whole, split nothing.
        p.code = code.to_string();
        return p;
    }
    let chunks: Vec<&str> = (0..code.len() / 3)
        .map(|i| &code[i * 3..i * 3 + 3])
        .collect();
    let mut written: Vec<&str> = Vec::with_capacity(chunks.len());
    let (mut religions, mut types) = (0usize, 0usize);
    for (i, &c) in chunks.iter().enumerate() {
        let ambiguous = COUNTRY_OR_RELIGION.contains(&c);
        let country_here = p.country.is_empty()
            && is_country(c)
            && !(ambiguous && (i > 0 || agent_only))
            && !(i == 0 && agent_only);
        if country_here {
            p.country = c.to_string();
            written.push(c);
        } else if RELIGIONS.contains(&c) {
            let c = if c == "MUS" { "MOS" } else { c };
            if religions < 2 {
                p.religion[religions] = c.to_string();
                religions += 1;
            }
            written.push(c);
        } else if TYPES.contains(&c) {
            if types < 3 {
                p.types[types] = c.to_string();
                types += 1;
            }
            written.push(c);
        } else {
            // A known group (UNO, ISI, IRC); the last, most specific, one wins
            // ("IGOUNOHLHWHO" is the WHO).
            p.known_group = c.to_string();
            written.push(c);
        }
    }
    p.code = written.concat();
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_iso_table_is_sorted_for_binary_search() {
        assert!(ISO3.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn iraq_is_a_country_whatever_the_dictionaries_date() {
        assert!(is_country("IRQ"));
        let p = split_actor("IRQ", false);
        assert_eq!(p.country, "IRQ");
        assert!(p.types.iter().all(String::is_empty));
        let p = split_actor("IRQUAF", false);
        assert_eq!((p.country.as_str(), p.types[0].as_str()), ("IRQ", "UAF"));
    }

    #[test]
    fn islamists_are_muslim_not_mauritian() {
        let p = split_actor("MUS", true);
        assert_eq!(p.country, "");
        assert_eq!(p.religion[0], "MOS");
        assert_eq!(p.code, "MOS");
        let p = split_actor("SYRREBMUS", false);
        assert_eq!(p.country, "SYR");
        assert_eq!(p.types[0], "REB");
        assert_eq!(p.religion[0], "MOS");
        assert_eq!(p.code, "SYRREBMOS");
        let p = split_actor("UAFMUS", true);
        assert_eq!(
            (p.types[0].as_str(), p.religion[0].as_str()),
            ("UAF", "MOS")
        );
        // Mauritius itself, from the country dictionary.
        let p = split_actor("MUS", false);
        assert_eq!(p.country, "MUS");
        assert_eq!(p.code, "MUS");
    }

    #[test]
    fn groups_types_and_regions() {
        let p = split_actor("IGOUNO", false);
        assert_eq!(p.country, "");
        assert_eq!(p.types[0], "IGO");
        assert_eq!(p.known_group, "UNO");
        let p = split_actor("IMGMUSISI", false);
        assert_eq!(p.types[0], "IMG");
        assert_eq!(p.religion[0], "MOS");
        assert_eq!(p.known_group, "ISI");
        assert_eq!(p.code, "IMGMOSISI");
        let p = split_actor("MEAREB", false);
        assert_eq!((p.country.as_str(), p.types[0].as_str()), ("MEA", "REB"));
        let p = split_actor("MNCKWTMED", false);
        assert_eq!(p.country, "KWT");
        assert_eq!(p.types, ["MNC".to_string(), "MED".into(), String::new()]);
        let p = split_actor("RUSGOV", false);
        assert_eq!((p.country.as_str(), p.types[0].as_str()), ("RUS", "GOV"));
        let p = split_actor("CVL", true);
        assert_eq!((p.country.as_str(), p.types[0].as_str()), ("", "CVL"));
    }

    #[test]
    fn odd_codes_are_kept_whole() {
        let p = split_actor("ABCD", false);
        assert_eq!(p.code, "ABCD");
        assert_eq!(p.country, "");
        assert_eq!(split_actor("", false), ActorParts::default());
    }

    proptest! {
        #[test]
        fn splitting_never_panics_and_keeps_length(s in "\\PC{0,12}", agent in any::<bool>()) {
            let p = split_actor(&s, agent);
            prop_assert_eq!(p.code.len(), s.len());
        }
    }
}
