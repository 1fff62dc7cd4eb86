//! Closed word lists. They encode UD English EWT's tokenization conventions and
//! common English abbreviations; lookups are ASCII-case-folded where the case
//! carries no information.

/// Words that keep their period when followed by more text ("Dr. Smith",
/// "Sept. 9"). Case-sensitive: "Sun." is a weekday, "sun." ends a sentence.
const ABBREVIATIONS: &[&str] = &[
    // titles and ranks
    "Mr", "Mrs", "Ms", "Messrs", "Dr", "Drs", "Prof", "Rev", "Hon", "St", "Sr", "Jr", "Gen", "Lt",
    "Col", "Maj", "Capt", "Cpt", "Cmdr", "Cdr", "Sgt", "Cpl", "Pvt", "Adm", "Brig", "Gov", "Sen",
    "Rep", "Reps", "Sens", "Pres", "Supt", "Amb", "Atty", "Fr", "Sec", "Spec", "Insp", "Det",
    // companies and places
    "Inc", "Corp", "Co", "Cos", "Ltd", "Bros", "Assn", "Dept", "Univ", "Ave", "Blvd", "Rd", "Ft",
    "Mt", "Hwy", "Pl", "Ste", "Apt", "Jct", "Calif", "Fla", "Ill", "Mass", "Mich", "Minn", "Penn",
    "Tenn", "Wash", "Wis", "Ariz", "Colo", "Conn", "Ind", "Kan", "Ky", "La", "Md", "Miss", "Mo",
    "Mont", "Neb", "Nev", "Okla", "Ore", "Pa", "Tex", "Va", "Vt", "Ga", "Ala", "Ark", "Del",
    // months and weekdays
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Mon",
    "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs", "Fri", "Sat", "Sun", // general
    "etc", "vs", "v", "al", "cf", "viz", "approx", "ca", "est", "ext", "fig", "Fig", "figs", "pp",
    "vol", "Vol", "vols", "ed", "eds", "esp", "inc", "incl", "ret", "cont", "corp", "govt", "intl",
    "natl", "asst", "assoc", "dept", "min", "max", "hr", "hrs", "mos", "yr", "yrs", "lb", "lbs",
    "oz", "ft", "sq", "Ph", "Attn", "attn", "Tel", "tel", "Fax", "Mob", "Para", "Arrv", "arrv",
    "lv", "Ass't", "eg", "ie", "Nos", "No", "Jos", "Chas", "Wm", "Geo", "Abp", "Msgr",
];

/// Abbreviations that introduce a name or number and so essentially never end a
/// sentence, unlike "etc." or "Inc.".
const NEVER_FINAL: &[&str] = &[
    "Mr", "Mrs", "Ms", "Messrs", "Dr", "Drs", "Prof", "Rev", "Hon", "St", "Gen", "Lt", "Col",
    "Maj", "Capt", "Cpt", "Cmdr", "Cdr", "Sgt", "Cpl", "Pvt", "Adm", "Brig", "Gov", "Sen", "Rep",
    "Reps", "Sens", "Pres", "Supt", "Amb", "Atty", "Fr", "Insp", "Det", "Ft", "Mt", "No", "Nos",
    "vs", "v", "cf", "viz", "approx", "ca", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep",
    "Sept", "Oct", "Nov", "Dec", "Attn", "attn",
];

/// Hyphenated words EWT keeps whole: bound prefixes ("e-mail", "non-stop").
/// Everything else is split at the hyphen ("15 - year", "al - Qaeda").
const HYPHEN_PREFIXES: &[&str] = &[
    "e", "non", "pre", "post", "anti", "mid", "co", "re", "pro", "multi", "ex", "neo", "semi",
    "over", "sub", "cross", "counter", "socio", "psycho", "intra", "inter", "arch", "ultra",
    "mega", "micro", "macro", "infra", "trans", "bi", "tri", "un", "de",
];

/// Capitalized words that usually open a sentence; after an ambiguous
/// abbreviation ("U.S.", "Inc.") they signal the period also ends the sentence.
const SENTENCE_STARTERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "But",
    "And",
    "So",
    "Yet",
    "In",
    "On",
    "At",
    "For",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "As",
    "Since",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "My",
    "Your",
    "What",
    "Who",
    "Why",
    "How",
    "Where",
    "Some",
    "Many",
    "Most",
    "All",
    "No",
    "Not",
    "Now",
    "Then",
    "However",
    "Also",
    "Meanwhile",
    "Still",
    "Officials",
    "Police",
    "Please",
    "Thanks",
];

fn contains(list: &[&str], w: &str) -> bool {
    list.contains(&w)
}

pub fn is_abbreviation(w: &str) -> bool {
    contains(ABBREVIATIONS, w)
}

pub fn never_final(w: &str) -> bool {
    contains(NEVER_FINAL, w)
}

pub fn is_hyphen_prefix(w: &str) -> bool {
    w.len() <= 7 && HYPHEN_PREFIXES.iter().any(|p| p.eq_ignore_ascii_case(w))
}

/// Unpunctuated contractions EWT splits into a multiword token: the byte
/// length of the first piece ("dont" = "do" + "nt"). Ambiguous ones such as
/// "its", "lets", "were" are left out on purpose.
pub fn bare_contraction_split(w: &str) -> Option<usize> {
    // Runs for nearly every word: a length filter and a `match` the compiler
    // turns into a few comparisons.
    if !(2..=8).contains(&w.len()) || !w.is_ascii() {
        return None;
    }
    let mut buf = [0u8; 8];
    let lower = &mut buf[..w.len()];
    lower.copy_from_slice(w.as_bytes());
    lower.make_ascii_lowercase();
    Some(match &*lower {
        b"cannot" => 3,
        b"gonna" | b"wanna" | b"gotta" => 3,
        b"dont" | b"cant" | b"wont" | b"isnt" | b"aint" => 2,
        b"didnt" | b"wasnt" | b"arent" | b"hasnt" | b"hadnt" => 3,
        b"doesnt" | b"werent" | b"havent" | b"theyre" | b"thats" | b"whats" => 4,
        b"couldnt" | b"wouldnt" | b"theres" => 5,
        b"shouldnt" => 6,
        b"im" | b"ive" => 1,
        b"youre" | b"youve" => 3,
        _ => return None,
    })
}

pub fn is_sentence_starter(w: &str) -> bool {
    contains(SENTENCE_STARTERS, w)
}

/// "U.S", "a.m", "i.e", "Ph.D": letters in short groups joined by periods.
pub fn is_dotted_initials(w: &str) -> bool {
    let mut groups = 0;
    for g in w.split('.') {
        let n = g.chars().count();
        if n == 0 || n > 2 || !g.chars().all(char::is_alphabetic) {
            return false;
        }
        groups += 1;
    }
    groups >= 2
}

/// Emoticons kept as one token; checked only where punctuation would otherwise split them.
pub const EMOTICONS: &[&str] = &[
    ":-)", ":-(", ":-D", ":-P", ":-p", ";-)", ":'(", ":)", ":(", ":D", ":P", ":p", ";)", ":/",
    ":o", ":O", "=)", "=(", "<3", "^_^", "^^", ":-/", ":|", "8)", "XD", ":]", ":[",
];
