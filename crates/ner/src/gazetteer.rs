//! Name lists the tagger consults as features, and the demonym → country link
//! later stages use. Country names and nationalities come from the `keshvar`
//! crate (BSD-3-Clause); capitals, large cities, alternative demonyms and the
//! cue-word lists are short hand-written tables, because no maintained crate
//! carries them and the tagger only needs the frequent news-relevant ones.

use chronicle_lexicon::titles;
use chronicle_ml::hash::{hash_str, U64Map};
use std::collections::HashMap;

use std::sync::OnceLock;

/// Kinds of gazetteer entry, as bits so one token can carry several.
pub mod kind {
    pub const COUNTRY: u16 = 1;
    pub const CITY: u16 = 1 << 1;
    pub const DEMONYM: u16 = 1 << 2;
    pub const ORG_SUFFIX: u16 = 1 << 3;
    pub const LOC_SUFFIX: u16 = 1 << 4;
    pub const PER_TITLE: u16 = 1 << 5;
    pub const FIRST_NAME: u16 = 1 << 6;
    pub const REGION: u16 = 1 << 7;
    pub const ORG_NAME: u16 = 1 << 8;
    pub const COUNT: usize = 9;
}

/// Capital and large cities that news about conflicts and markets mentions,
/// with the ISO alpha-3 of their country.
const CITIES: &[(&str, &str)] = &[
    ("kabul", "AFG"),
    ("tirana", "ALB"),
    ("algiers", "DZA"),
    ("luanda", "AGO"),
    ("buenos aires", "ARG"),
    ("yerevan", "ARM"),
    ("canberra", "AUS"),
    ("sydney", "AUS"),
    ("melbourne", "AUS"),
    ("vienna", "AUT"),
    ("baku", "AZE"),
    ("manama", "BHR"),
    ("dhaka", "BGD"),
    ("minsk", "BLR"),
    ("brussels", "BEL"),
    ("la paz", "BOL"),
    ("sarajevo", "BIH"),
    ("brasilia", "BRA"),
    ("brasília", "BRA"),
    ("sao paulo", "BRA"),
    ("rio de janeiro", "BRA"),
    ("sofia", "BGR"),
    ("phnom penh", "KHM"),
    ("ottawa", "CAN"),
    ("toronto", "CAN"),
    ("montreal", "CAN"),
    ("vancouver", "CAN"),
    ("santiago", "CHL"),
    ("beijing", "CHN"),
    ("shanghai", "CHN"),
    ("hong kong", "HKG"),
    ("guangzhou", "CHN"),
    ("shenzhen", "CHN"),
    ("bogota", "COL"),
    ("bogotá", "COL"),
    ("kinshasa", "COD"),
    ("zagreb", "HRV"),
    ("havana", "CUB"),
    ("nicosia", "CYP"),
    ("prague", "CZE"),
    ("copenhagen", "DNK"),
    ("cairo", "EGY"),
    ("alexandria", "EGY"),
    ("addis ababa", "ETH"),
    ("helsinki", "FIN"),
    ("paris", "FRA"),
    ("marseille", "FRA"),
    ("lyon", "FRA"),
    ("toulouse", "FRA"),
    ("tbilisi", "GEO"),
    ("berlin", "DEU"),
    ("munich", "DEU"),
    ("frankfurt", "DEU"),
    ("hamburg", "DEU"),
    ("accra", "GHA"),
    ("athens", "GRC"),
    ("budapest", "HUN"),
    ("reykjavik", "ISL"),
    ("new delhi", "IND"),
    ("delhi", "IND"),
    ("mumbai", "IND"),
    ("bombay", "IND"),
    ("kolkata", "IND"),
    ("calcutta", "IND"),
    ("bangalore", "IND"),
    ("chennai", "IND"),
    ("jakarta", "IDN"),
    ("tehran", "IRN"),
    ("baghdad", "IRQ"),
    ("basra", "IRQ"),
    ("mosul", "IRQ"),
    ("fallujah", "IRQ"),
    ("kirkuk", "IRQ"),
    ("erbil", "IRQ"),
    ("dublin", "IRL"),
    ("jerusalem", "ISR"),
    ("tel aviv", "ISR"),
    ("rome", "ITA"),
    ("milan", "ITA"),
    ("naples", "ITA"),
    ("turin", "ITA"),
    ("tokyo", "JPN"),
    ("osaka", "JPN"),
    ("amman", "JOR"),
    ("astana", "KAZ"),
    ("nairobi", "KEN"),
    ("pyongyang", "PRK"),
    ("seoul", "KOR"),
    ("kuwait city", "KWT"),
    ("bishkek", "KGZ"),
    ("riga", "LVA"),
    ("beirut", "LBN"),
    ("tripoli", "LBY"),
    ("benghazi", "LBY"),
    ("vilnius", "LTU"),
    ("luxembourg", "LUX"),
    ("kuala lumpur", "MYS"),
    ("mexico city", "MEX"),
    ("chisinau", "MDA"),
    ("ulaanbaatar", "MNG"),
    ("rabat", "MAR"),
    ("casablanca", "MAR"),
    ("kathmandu", "NPL"),
    ("amsterdam", "NLD"),
    ("rotterdam", "NLD"),
    ("the hague", "NLD"),
    ("wellington", "NZL"),
    ("auckland", "NZL"),
    ("abuja", "NGA"),
    ("lagos", "NGA"),
    ("oslo", "NOR"),
    ("muscat", "OMN"),
    ("islamabad", "PAK"),
    ("karachi", "PAK"),
    ("lahore", "PAK"),
    ("peshawar", "PAK"),
    ("ramallah", "PSE"),
    ("gaza", "PSE"),
    ("lima", "PER"),
    ("manila", "PHL"),
    ("warsaw", "POL"),
    ("lisbon", "PRT"),
    ("doha", "QAT"),
    ("bucharest", "ROU"),
    ("moscow", "RUS"),
    ("st. petersburg", "RUS"),
    ("saint petersburg", "RUS"),
    ("riyadh", "SAU"),
    ("jeddah", "SAU"),
    ("mecca", "SAU"),
    ("dakar", "SEN"),
    ("belgrade", "SRB"),
    ("singapore", "SGP"),
    ("bratislava", "SVK"),
    ("ljubljana", "SVN"),
    ("mogadishu", "SOM"),
    ("pretoria", "ZAF"),
    ("johannesburg", "ZAF"),
    ("cape town", "ZAF"),
    ("juba", "SSD"),
    ("madrid", "ESP"),
    ("barcelona", "ESP"),
    ("colombo", "LKA"),
    ("khartoum", "SDN"),
    ("stockholm", "SWE"),
    ("bern", "CHE"),
    ("geneva", "CHE"),
    ("zurich", "CHE"),
    ("damascus", "SYR"),
    ("aleppo", "SYR"),
    ("homs", "SYR"),
    ("hama", "SYR"),
    ("idlib", "SYR"),
    ("raqqa", "SYR"),
    ("daraa", "SYR"),
    ("deir ez-zor", "SYR"),
    ("latakia", "SYR"),
    ("taipei", "TWN"),
    ("dushanbe", "TJK"),
    ("dodoma", "TZA"),
    ("dar es salaam", "TZA"),
    ("bangkok", "THA"),
    ("tunis", "TUN"),
    ("ankara", "TUR"),
    ("istanbul", "TUR"),
    ("ashgabat", "TKM"),
    ("kampala", "UGA"),
    ("kiev", "UKR"),
    ("kyiv", "UKR"),
    ("kharkiv", "UKR"),
    ("odessa", "UKR"),
    ("abu dhabi", "ARE"),
    ("dubai", "ARE"),
    ("london", "GBR"),
    ("manchester", "GBR"),
    ("birmingham", "GBR"),
    ("liverpool", "GBR"),
    ("edinburgh", "GBR"),
    ("glasgow", "GBR"),
    ("belfast", "GBR"),
    ("washington", "USA"),
    ("new york", "USA"),
    ("new york city", "USA"),
    ("los angeles", "USA"),
    ("chicago", "USA"),
    ("houston", "USA"),
    ("boston", "USA"),
    ("san francisco", "USA"),
    ("seattle", "USA"),
    ("detroit", "USA"),
    ("atlanta", "USA"),
    ("miami", "USA"),
    ("dallas", "USA"),
    ("philadelphia", "USA"),
    ("phoenix", "USA"),
    ("denver", "USA"),
    ("las vegas", "USA"),
    ("new orleans", "USA"),
    ("san diego", "USA"),
    ("tampa", "USA"),
    ("toulouse", "FRA"),
    ("tashkent", "UZB"),
    ("caracas", "VEN"),
    ("hanoi", "VNM"),
    ("ho chi minh city", "VNM"),
    ("saigon", "VNM"),
    ("sanaa", "YEM"),
    ("aden", "YEM"),
    ("lusaka", "ZMB"),
    ("harare", "ZWE"),
    ("kandahar", "AFG"),
    ("herat", "AFG"),
    ("quetta", "PAK"),
    ("hebron", "PSE"),
    ("nablus", "PSE"),
    ("sderot", "ISR"),
    ("haifa", "ISR"),
    ("tikrit", "IRQ"),
    ("najaf", "IRQ"),
    ("karbala", "IRQ"),
    ("ramadi", "IRQ"),
    ("kobani", "SYR"),
    ("palmyra", "SYR"),
    ("douma", "SYR"),
    ("ghouta", "SYR"),
    ("qamishli", "SYR"),
    ("hasakah", "SYR"),
    ("tartus", "SYR"),
    ("manbij", "SYR"),
    ("afrin", "SYR"),
    ("quneitra", "SYR"),
    ("sweida", "SYR"),
];

/// Demonyms the `keshvar` table lacks (it has one per country) and plurals of
/// the common ones, which news uses for groups of people ("Syrians fled").
const EXTRA_DEMONYMS: &[(&str, &str)] = &[
    ("argentinian", "ARG"),
    ("argentine", "ARG"),
    ("british", "GBR"),
    ("briton", "GBR"),
    ("english", "GBR"),
    ("scottish", "GBR"),
    ("welsh", "GBR"),
    ("scot", "GBR"),
    ("american", "USA"),
    ("yankee", "USA"),
    ("russian", "RUS"),
    ("soviet", "RUS"),
    ("iranian", "IRN"),
    ("persian", "IRN"),
    ("korean", "KOR"),
    ("south korean", "KOR"),
    ("north korean", "PRK"),
    ("syrian", "SYR"),
    ("emirati", "ARE"),
    ("dutch", "NLD"),
    ("filipino", "PHL"),
    ("philippine", "PHL"),
    ("czech", "CZE"),
    ("taiwanese", "TWN"),
    ("palestinian", "PSE"),
    ("vietnamese", "VNM"),
    ("laotian", "LAO"),
    ("bolivian", "BOL"),
    ("venezuelan", "VEN"),
    ("tanzanian", "TZA"),
    ("moldovan", "MDA"),
    ("macedonian", "MKD"),
    ("bosnian", "BIH"),
    ("congolese", "COD"),
    ("ivorian", "CIV"),
    ("saudi", "SAU"),
    ("kurdish", "IRQ"),
    ("kurd", "IRQ"),
    ("israeli", "ISR"),
    ("iraqi", "IRQ"),
    ("afghan", "AFG"),
    ("pakistani", "PAK"),
    ("indian", "IND"),
    ("chinese", "CHN"),
    ("japanese", "JPN"),
    ("french", "FRA"),
    ("german", "DEU"),
    ("italian", "ITA"),
    ("spanish", "ESP"),
    ("turkish", "TUR"),
    ("turk", "TUR"),
    ("lebanese", "LBN"),
    ("jordanian", "JOR"),
    ("egyptian", "EGY"),
    ("libyan", "LBY"),
    ("yemeni", "YEM"),
    ("ukrainian", "UKR"),
    ("polish", "POL"),
    ("pole", "POL"),
    ("swiss", "CHE"),
    ("swede", "SWE"),
    ("dane", "DNK"),
    ("finn", "FIN"),
    ("brazilian", "BRA"),
    ("mexican", "MEX"),
    ("canadian", "CAN"),
    ("australian", "AUS"),
    ("qatari", "QAT"),
    ("kuwaiti", "KWT"),
    ("omani", "OMN"),
    ("bahraini", "BHR"),
    ("sudanese", "SDN"),
    ("somali", "SOM"),
    ("nigerian", "NGA"),
    ("kenyan", "KEN"),
    ("ethiopian", "ETH"),
    ("greek", "GRC"),
    ("irish", "IRL"),
    ("belgian", "BEL"),
    ("austrian", "AUT"),
    ("hungarian", "HUN"),
    ("romanian", "ROU"),
    ("bulgarian", "BGR"),
    ("serbian", "SRB"),
    ("serb", "SRB"),
    ("croatian", "HRV"),
    ("croat", "HRV"),
    ("algerian", "DZA"),
    ("moroccan", "MAR"),
    ("tunisian", "TUN"),
    ("thai", "THA"),
    ("indonesian", "IDN"),
    ("malaysian", "MYS"),
    ("singaporean", "SGP"),
    ("bangladeshi", "BGD"),
    ("sri lankan", "LKA"),
    ("nepalese", "NPL"),
    ("nepali", "NPL"),
    ("chilean", "CHL"),
    ("colombian", "COL"),
    ("peruvian", "PER"),
    ("cuban", "CUB"),
    ("norwegian", "NOR"),
    ("new zealander", "NZL"),
    ("south african", "ZAF"),
    ("uzbek", "UZB"),
    ("kazakh", "KAZ"),
    ("georgian", "GEO"),
    ("armenian", "ARM"),
    ("azerbaijani", "AZE"),
    ("azeri", "AZE"),
];

/// Words that end organization names ("Qatar Airways", "Fidelity Leasing Inc").
const ORG_SUFFIXES: &[&str] = &[
    "inc",
    "inc.",
    "corp",
    "corp.",
    "corporation",
    "co",
    "co.",
    "ltd",
    "ltd.",
    "llc",
    "plc",
    "ag",
    "gmbh",
    "sa",
    "s.a.",
    "group",
    "company",
    "bank",
    "airlines",
    "airways",
    "air",
    "university",
    "college",
    "association",
    "council",
    "ministry",
    "party",
    "army",
    "agency",
    "institute",
    "committee",
    "commission",
    "union",
    "organization",
    "organisation",
    "foundation",
    "motors",
    "times",
    "news",
    "post",
    "journal",
    "network",
    "systems",
    "technologies",
    "holdings",
    "industries",
    "international",
    "partners",
    "services",
    "authority",
    "department",
    "office",
    "court",
    "senate",
    "congress",
    "parliament",
    "assembly",
    "brigade",
    "front",
    "forces",
    "movement",
    "fund",
    "federation",
    "club",
    "church",
    "hospital",
    "school",
    "institution",
    "administration",
];

/// Words that end place names ("Tampa Bay", "Ontario Province").
const LOC_SUFFIXES: &[&str] = &[
    "street",
    "st.",
    "avenue",
    "ave",
    "road",
    "river",
    "mountains",
    "mountain",
    "mount",
    "lake",
    "county",
    "city",
    "province",
    "governorate",
    "island",
    "islands",
    "valley",
    "bay",
    "sea",
    "ocean",
    "gulf",
    "desert",
    "peninsula",
    "state",
    "district",
    "region",
    "square",
    "park",
    "beach",
    "coast",
    "strait",
    "canal",
    "heights",
    "hills",
    "airport",
];

/// Common given names in English-language news; a prior for unseen surnames
/// that follow them.
const FIRST_NAMES: &[&str] = &[
    "john",
    "james",
    "robert",
    "michael",
    "william",
    "david",
    "richard",
    "joseph",
    "thomas",
    "charles",
    "christopher",
    "daniel",
    "matthew",
    "anthony",
    "mark",
    "donald",
    "steven",
    "steve",
    "paul",
    "andrew",
    "joshua",
    "kenneth",
    "kevin",
    "brian",
    "george",
    "edward",
    "ronald",
    "timothy",
    "tim",
    "jason",
    "jeffrey",
    "jeff",
    "ryan",
    "jacob",
    "gary",
    "nicholas",
    "eric",
    "jonathan",
    "stephen",
    "larry",
    "justin",
    "scott",
    "brandon",
    "benjamin",
    "ben",
    "samuel",
    "frank",
    "gregory",
    "raymond",
    "alexander",
    "patrick",
    "jack",
    "dennis",
    "jerry",
    "tyler",
    "aaron",
    "jose",
    "henry",
    "adam",
    "douglas",
    "nathan",
    "peter",
    "zachary",
    "kyle",
    "walter",
    "harold",
    "jeremy",
    "ethan",
    "carl",
    "keith",
    "roger",
    "gerald",
    "christian",
    "terry",
    "sean",
    "arthur",
    "austin",
    "noah",
    "lawrence",
    "jesse",
    "joe",
    "bryan",
    "billy",
    "jordan",
    "albert",
    "dylan",
    "bruce",
    "willie",
    "gabriel",
    "alan",
    "juan",
    "logan",
    "wayne",
    "ralph",
    "roy",
    "eugene",
    "randy",
    "vincent",
    "russell",
    "louis",
    "philip",
    "bobby",
    "johnny",
    "bradley",
    "mary",
    "patricia",
    "jennifer",
    "linda",
    "elizabeth",
    "barbara",
    "susan",
    "jessica",
    "sarah",
    "karen",
    "nancy",
    "lisa",
    "margaret",
    "betty",
    "sandra",
    "ashley",
    "dorothy",
    "kimberly",
    "emily",
    "donna",
    "michelle",
    "carol",
    "amanda",
    "melissa",
    "deborah",
    "stephanie",
    "rebecca",
    "laura",
    "sharon",
    "cynthia",
    "kathleen",
    "amy",
    "shirley",
    "angela",
    "helen",
    "anna",
    "brenda",
    "pamela",
    "nicole",
    "samantha",
    "katherine",
    "emma",
    "ruth",
    "christine",
    "catherine",
    "debra",
    "rachel",
    "carolyn",
    "janet",
    "virginia",
    "maria",
    "heather",
    "diane",
    "julie",
    "joyce",
    "victoria",
    "kelly",
    "christina",
    "joan",
    "evelyn",
    "lauren",
    "judith",
    "olivia",
    "martha",
    "cheryl",
    "megan",
    "andrea",
    "hannah",
    "jacqueline",
    "ann",
    "jean",
    "alice",
    "kathryn",
    "gloria",
    "teresa",
    "doris",
    "sara",
    "janice",
    "julia",
    "marie",
    "madison",
    "grace",
    "judy",
    "theresa",
    "beverly",
    "denise",
    "marilyn",
    "amber",
    "danielle",
    "abigail",
    "brittany",
    "rose",
    "diana",
    "natalie",
    "sophia",
    "alexis",
    "lori",
    "kayla",
    "jane",
    "hillary",
    "barack",
    "vladimir",
    "bashar",
    "hafez",
    "recep",
    "tayyip",
    "angela",
    "emmanuel",
    "nicolas",
    "francois",
    "françois",
    "jacques",
    "pierre",
    "jean",
    "hans",
    "klaus",
    "wolfgang",
    "helmut",
    "gerhard",
    "silvio",
    "matteo",
    "giuseppe",
    "mohammed",
    "muhammad",
    "mohammad",
    "mohamed",
    "ahmed",
    "ahmad",
    "ali",
    "hassan",
    "hussein",
    "omar",
    "abdullah",
    "abdul",
    "khalid",
    "ibrahim",
    "mahmoud",
    "mustafa",
    "saddam",
    "osama",
    "ayman",
    "hamid",
    "nouri",
    "moqtada",
    "yousef",
    "youssef",
    "tariq",
    "salman",
    "faisal",
    "walid",
    "rami",
    "bilal",
    "hamza",
    "yasser",
    "benjamin",
    "ariel",
    "shimon",
    "ehud",
    "yitzhak",
    "moshe",
    "xi",
    "hu",
    "wen",
    "li",
    "kim",
    "shinzo",
    "narendra",
    "manmohan",
    "sonia",
    "rahul",
    "imran",
    "nawaz",
    "pervez",
    "benazir",
    "hamid",
    "ashraf",
    "boris",
    "dmitry",
    "sergei",
    "sergey",
    "igor",
    "ivan",
    "alexei",
    "mikhail",
    "viktor",
    "petro",
    "volodymyr",
    "yulia",
    "theresa",
    "gordon",
    "tony",
    "nick",
    "margaret",
    "winston",
    "dick",
    "condoleezza",
    "colin",
    "rick",
    "mitt",
    "ted",
    "bernie",
    "nancy",
    "mike",
    "bill",
    "al",
    "jim",
    "bob",
    "tom",
    "dan",
    "chris",
    "fritz",
    "rick",
    "sergio",
    "carlos",
    "luis",
    "jorge",
    "pedro",
    "miguel",
    "fernando",
    "hugo",
    "evo",
    "dilma",
    "lula",
    "jair",
    "alan",
    "rex",
    "kofi",
    "ban",
    "antonio",
];

/// Well-known organization names that are frequent in news and rarely seen in
/// the training text.
const ORG_NAMES: &[&str] = &[
    "un",
    "u.n.",
    "nato",
    "eu",
    "e.u.",
    "opec",
    "imf",
    "who",
    "unicef",
    "unhcr",
    "fbi",
    "cia",
    "nsa",
    "pentagon",
    "kremlin",
    "hamas",
    "hezbollah",
    "hizbollah",
    "taliban",
    "al-qaeda",
    "al-qaida",
    "qaeda",
    "isis",
    "isil",
    "daesh",
    "nusra",
    "reuters",
    "afp",
    "ap",
    "bbc",
    "cnn",
    "nasa",
    "google",
    "apple",
    "microsoft",
    "amazon",
    "facebook",
    "enron",
    "ibm",
    "intel",
    "yahoo",
    "twitter",
    "sana",
    "interpol",
    "unesco",
    "wto",
    "icrc",
    "msf",
    "amnesty",
    "oxfam",
    "congress",
    "senate",
    "parliament",
    "asean",
    "fifa",
    "ioc",
    "irgc",
    "sdf",
    "ypg",
    "pkk",
    "fsa",
    "hrw",
    "sohr",
    "opcw",
    "unrwa",
    "ocha",
];

/// Region adjectives: descriptive like demonyms, so they are not entities either,
/// but they name no single country.
const REGION_ADJECTIVES: &[&str] = &[
    "european",
    "asian",
    "african",
    "arab",
    "arabian",
    "western",
    "eastern",
    "latin",
    "north american",
    "south american",
    "latin american",
    "middle eastern",
    "nordic",
    "scandinavian",
    "balkan",
    "caucasian",
    "sunni",
    "shiite",
    "shia",
    "alawite",
    "muslim",
    "christian",
    "jewish",
    "islamic",
];

pub struct Gazetteer {
    /// Lowercased phrase (tokens joined by one space) → kind bits.
    phrases: HashMap<String, u16>,
    /// Hash of a lowercased single token → kind bits of phrases it can start;
    /// keyed by the hash the feature extractor already computed.
    starts: U64Map<u16>,
    max_len: usize,
    demonyms: HashMap<String, String>,
    countries: HashMap<String, String>,
}

fn norm(s: &str) -> String {
    s.trim().to_lowercase()
}

impl Gazetteer {
    fn build() -> Self {
        let mut g = Gazetteer {
            phrases: HashMap::new(),
            starts: HashMap::default(),
            max_len: 1,
            demonyms: HashMap::new(),
            countries: HashMap::new(),
        };
        // Several territories share a nationality with their sovereign state
        // ("French"); the most populous country owns the demonym.
        let mut demonym_pop: HashMap<String, u64> = HashMap::new();
        for c in keshvar::CountryIterator::new() {
            let a3 = c.alpha3().to_string();
            let mut names: Vec<&str> = vec![c.iso_short_name()];
            names.extend(
                c.unofficial_name_list()
                    .iter()
                    .copied()
                    .filter(|n| n.chars().all(|ch| ch.is_ascii() || ch.is_alphabetic())),
            );
            for n in names {
                // "Korea (Republic of)": the parenthesised form never occurs in text.
                if n.contains('(') || n.contains(',') {
                    continue;
                }
                let key = norm(n);
                g.add(&key, kind::COUNTRY);
                g.countries.entry(key).or_insert_with(|| a3.clone());
            }
            if let Some(nat) = c.maybe_nationality() {
                let key = norm(nat);
                let pop = c.maybe_population().unwrap_or(0);
                let better = match demonym_pop.get(&key) {
                    Some(&p) => pop > p,
                    None => true,
                };
                if better {
                    demonym_pop.insert(key.clone(), pop);
                    g.demonyms.insert(key, a3.clone());
                }
            }
        }
        for (name, a3) in [
            ("us", "USA"),
            ("u.s.", "USA"),
            ("u.s", "USA"),
            ("u.s.a.", "USA"),
            ("u.s.a", "USA"),
            ("usa", "USA"),
            ("america", "USA"),
            ("united states of america", "USA"),
            ("uk", "GBR"),
            ("u.k.", "GBR"),
            ("britain", "GBR"),
            ("great britain", "GBR"),
            ("russia", "RUS"),
            ("iran", "IRN"),
            ("syria", "SYR"),
            ("south korea", "KOR"),
            ("north korea", "PRK"),
            ("vietnam", "VNM"),
            ("laos", "LAO"),
            ("bolivia", "BOL"),
            ("venezuela", "VEN"),
            ("tanzania", "TZA"),
            ("taiwan", "TWN"),
            ("palestine", "PSE"),
            ("czech republic", "CZE"),
            ("ivory coast", "CIV"),
            ("burma", "MMR"),
            ("uae", "ARE"),
            ("moldova", "MDA"),
            ("macedonia", "MKD"),
            ("holland", "NLD"),
            ("scotland", "GBR"),
            ("wales", "GBR"),
            ("england", "GBR"),
            ("turkey", "TUR"),
        ] {
            g.add(name, kind::COUNTRY);
            g.countries.insert(name.to_string(), a3.to_string());
        }
        for (d, a3) in EXTRA_DEMONYMS {
            g.demonyms
                .entry((*d).to_string())
                .or_insert_with(|| (*a3).to_string());
        }
        let demonyms: Vec<(String, String)> = g
            .demonyms
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (d, a3) in demonyms {
            g.add(&d, kind::DEMONYM);
            // Plural nouns for groups of nationals; "-ese"/"-ss" forms do not inflect.
            if !d.ends_with('s') && !d.ends_with("ese") && !d.ends_with("ish") && !d.ends_with("ch")
            {
                let plural = format!("{d}s");
                g.add(&plural, kind::DEMONYM);
                g.demonyms.entry(plural).or_insert(a3);
            }
        }
        for (city, _) in CITIES {
            g.add(city, kind::CITY);
        }
        for w in ORG_SUFFIXES {
            g.add(w, kind::ORG_SUFFIX);
        }
        for w in LOC_SUFFIXES {
            g.add(w, kind::LOC_SUFFIX);
        }
        // Words that precede personal names ("President Assad", "Mr. Smith").
        for w in titles::BEFORE_NAMES
            .iter()
            .chain(titles::BEFORE_NAMES_IN_TEXT)
        {
            g.add(w, kind::PER_TITLE);
        }
        for w in FIRST_NAMES {
            g.add(w, kind::FIRST_NAME);
        }
        for w in REGION_ADJECTIVES {
            g.add(w, kind::REGION);
        }
        for w in ORG_NAMES {
            g.add(w, kind::ORG_NAME);
        }
        g
    }

    /// Whether the lowercased phrase is listed with kind bit(s) `k`.
    pub fn is_kind(&self, lower: &str, k: u16) -> bool {
        self.phrases.get(lower).is_some_and(|b| b & k != 0)
    }

    fn add(&mut self, phrase: &str, k: u16) {
        let phrase = phrase.split_whitespace().collect::<Vec<_>>().join(" ");
        if phrase.is_empty() {
            return;
        }
        let n = phrase.split(' ').count();
        self.max_len = self.max_len.max(n);
        if let Some(first) = phrase.split(' ').next() {
            *self.starts.entry(hash_str(first)).or_default() |= k;
        }
        *self.phrases.entry(phrase).or_default() |= k;
    }

    /// Per-token (begin bits, inside bits): a token gets the begin bits of the
    /// longest phrase starting at it and inside bits when a longest match covers
    /// it past its first token. `lower` must be the lowercased tokens.
    pub fn annotate(
        &self,
        lower: &[String],
        lower_h: &[u64],
        begin: &mut Vec<u16>,
        inside: &mut Vec<u16>,
    ) {
        begin.clear();
        inside.clear();
        begin.resize(lower.len(), 0);
        inside.resize(lower.len(), 0);
        let mut key = String::new();
        for (i, h) in lower_h.iter().enumerate().take(lower.len()) {
            if !self.starts.contains_key(h) {
                continue;
            }
            key.clear();
            let mut best_len = 0;
            let mut best_bits = 0;
            for (j, tok) in lower.iter().enumerate().skip(i).take(self.max_len) {
                if j > i {
                    key.push(' ');
                }
                key.push_str(tok);
                if let Some(&bits) = self.phrases.get(key.as_str()) {
                    best_len = j - i + 1;
                    best_bits = bits;
                }
            }
            if best_len > 0 {
                begin[i] |= best_bits;
                for slot in inside.iter_mut().skip(i + 1).take(best_len - 1) {
                    *slot |= best_bits;
                }
            }
        }
    }
}

pub fn gazetteer() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(Gazetteer::build)
}

/// ISO 3166 alpha-3 code of the country a nationality adjective or noun refers
/// to ("Syrian", "Russians", "argentinian" → "SYR", "RUS", "ARG"). Case-insensitive.
/// These words are not entities in UNER, but event coding needs the country.
pub fn demonym_country(word: &str) -> Option<&'static str> {
    gazetteer().demonyms.get(&norm(word)).map(String::as_str)
}

/// ISO 3166 alpha-3 code for a country name ("Syria", "the United States" without
/// the article, "U.S."). Case-insensitive; internal whitespace is normalized.
pub fn country_code(name: &str) -> Option<&'static str> {
    let key = name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    gazetteer().countries.get(&key).map(String::as_str)
}

/// ISO alpha-3 of the country a listed capital or large city is in.
pub fn city_country(name: &str) -> Option<&'static str> {
    let key = norm(name);
    CITIES.iter().find(|(c, _)| *c == key).map(|(_, a3)| *a3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demonyms_link_to_countries() {
        assert_eq!(demonym_country("Syrian"), Some("SYR"));
        assert_eq!(demonym_country("Russian"), Some("RUS"));
        assert_eq!(demonym_country("French"), Some("FRA"));
        assert_eq!(demonym_country("argentinian"), Some("ARG"));
        assert_eq!(demonym_country("Americans"), Some("USA"));
        assert_eq!(demonym_country("Iraqis"), Some("IRQ"));
        assert_eq!(demonym_country("table"), None);
    }

    #[test]
    fn countries_and_cities() {
        assert_eq!(country_code("Syria"), Some("SYR"));
        assert_eq!(country_code("United  States"), Some("USA"));
        assert_eq!(country_code("U.S."), Some("USA"));
        assert_eq!(city_country("Damascus"), Some("SYR"));
    }

    #[test]
    fn annotate_marks_longest_phrase() {
        let toks: Vec<String> = ["in", "new", "york", "city", "today"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let (mut b, mut i) = (Vec::new(), Vec::new());
        let h: Vec<u64> = toks.iter().map(|t| hash_str(t)).collect();
        gazetteer().annotate(&toks, &h, &mut b, &mut i);
        assert!(b[1] & kind::CITY != 0);
        assert!(i[2] & kind::CITY != 0 && i[3] & kind::CITY != 0);
        assert_eq!(i[4], 0);
    }
}
