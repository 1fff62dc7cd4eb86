//! Name forms of one entity: accent and transliteration folds (Sergei/Sergey),
//! honorifics dropped, surnames, acronyms, role phrases ("the Russian foreign
//! minister"), and the index keys a store looks candidates up by.

use chronicle_lexicon::titles::{BEFORE_NAMES, BEFORE_NAMES_IN_TEXT, HONORIFICS, IN_JOB_TITLES};

/// Words that carry no identity in a mention ("the", "a", possessives).
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their", "our", "my",
    "your",
];

/// Pronouns: a mention made only of one of these names nobody by itself.
pub const PRONOUNS: &[&str] = &[
    "he",
    "him",
    "his",
    "she",
    "her",
    "hers",
    "it",
    "its",
    "they",
    "them",
    "their",
    "theirs",
    "i",
    "me",
    "my",
    "we",
    "us",
    "our",
    "you",
    "your",
    "himself",
    "herself",
    "itself",
    "themselves",
    "who",
    "whom",
    "whose",
    "which",
    "that",
    "this",
    "these",
    "those",
    "there",
    "here",
    "one",
];

/// Lower case with Latin accents removed; other characters kept.
pub fn fold_accents(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let base = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
            'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' => 'a',
            'ç' | 'ć' | 'č' | 'Ç' | 'Ć' | 'Č' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' => {
                'e'
            }
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
            'ñ' | 'ń' | 'ň' | 'Ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => {
                'o'
            }
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
            'ý' | 'ÿ' | 'Ý' => 'y',
            'š' | 'ś' | 'ş' | 'Š' | 'Ś' | 'Ş' => 's',
            'ž' | 'ź' | 'ż' | 'Ž' | 'Ź' | 'Ż' => 'z',
            'ł' | 'Ł' => 'l',
            'ř' | 'Ř' => 'r',
            'ğ' | 'Ğ' => 'g',
            'ß' => 's',
            other => other,
        };
        out.extend(base.to_lowercase());
    }
    out
}

/// Words of a mention, folded, punctuation trimmed (the "U.S." dots kept inside).
pub fn words(s: &str) -> Vec<String> {
    fold_accents(s)
        .split(|c: char| c.is_whitespace() || c == ',' || c == '"' || c == '(' || c == ')')
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .trim_end_matches("'s")
                .to_string()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// One word folded across common romanizations of the same name: Sergei/Sergey,
/// Qaddafi/Gaddafi/Kadhafi, Mohammed/Muhammad. Keys compare equal, they are not
/// spellings to show.
pub fn translit_fold(word: &str) -> String {
    let w: String = fold_accents(word)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    let mut s = w
        .replace("kh", "h")
        .replace("dh", "d")
        .replace("gh", "g")
        .replace("ph", "f")
        .replace("ck", "k")
        .replace("ou", "u")
        .replace('q', "k")
        .replace(['y', 'j'], "i")
        .replace('w', "v");
    if s.ends_with("ii") {
        s.truncate(s.len() - 1);
    }
    // Vowels inside a name shift most between romanizations (Muhammad/Mohammed).
    let mut out = String::with_capacity(s.len());
    let mut prev: Option<char> = None;
    for (i, c) in s.chars().enumerate() {
        let c = if i > 0 && matches!(c, 'o' | 'u' | 'e') {
            'a'
        } else if c == 'g' && i == 0 {
            'k'
        } else {
            c
        };
        if prev != Some(c) {
            out.push(c);
        }
        prev = Some(c);
    }
    out
}

fn is_title_word(w: &str) -> bool {
    let t = w.trim_end_matches('.');
    HONORIFICS.contains(&t) || BEFORE_NAMES.contains(&w) || BEFORE_NAMES.contains(&t)
}

fn is_role_word(w: &str) -> bool {
    BEFORE_NAMES.contains(&w)
        || BEFORE_NAMES_IN_TEXT.contains(&w)
        || IN_JOB_TITLES.contains(&w)
        || ROLE_NOUNS.contains(&w)
}

/// Role nouns beyond the title lists that name one office holder in a story.
const ROLE_NOUNS: &[&str] = &[
    "minister",
    "secretary",
    "spokesperson",
    "envoy",
    "prosecutor",
    "commissioner",
    "head",
    "president",
    "prime",
    "foreign",
    "defense",
    "defence",
    "interior",
    "state",
    "police",
];

/// The name without determiners and leading titles: "Foreign Minister Sergei
/// Lavrov" → ["sergei", "lavrov"], when a capitalised name follows the titles.
pub fn core_name(text: &str) -> Vec<String> {
    let raw: Vec<&str> = text.split_whitespace().collect();
    let ws = words(text);
    if ws.len() != raw.len() {
        return ws
            .into_iter()
            .filter(|w| !DETERMINERS.contains(&w.as_str()))
            .collect();
    }
    let mut start = 0;
    while start < ws.len() && DETERMINERS.contains(&ws[start].as_str()) {
        start += 1;
    }
    let mut k = start;
    while k < ws.len() && (is_title_word(&ws[k]) || is_role_word(&ws[k])) {
        k += 1;
    }
    // Keep the titles when nothing capitalised follows them ("the president").
    let has_name_after = raw[k..]
        .iter()
        .any(|w| w.chars().next().is_some_and(char::is_uppercase));
    let from = if k < ws.len() && has_name_after {
        k
    } else {
        start
    };
    ws[from..].to_vec()
}

/// Whether the mention names by name (a capitalised word outside titles).
pub fn is_proper(text: &str) -> bool {
    let raw: Vec<&str> = text.split_whitespace().collect();
    raw.iter().any(|w| {
        w.chars().next().is_some_and(char::is_uppercase)
            && !is_title_word(&fold_accents(w))
            && !DETERMINERS.contains(&fold_accents(w).as_str())
    })
}

/// Whether the mention is a pronoun alone.
pub fn is_pronoun(text: &str) -> bool {
    let ws = words(text);
    ws.len() == 1 && PRONOUNS.contains(&ws[0].as_str())
}

/// A role phrase names an office instead of a person ("the Russian foreign
/// minister", "the president"): lower-case role words, no capitalised name after.
pub fn role_of(text: &str) -> Option<String> {
    if is_pronoun(text) {
        return None;
    }
    let ws = words(text);
    let core = core_name(text);
    let has_role = ws.iter().any(|w| is_role_word(w));
    if !has_role || (is_proper(text) && core.iter().all(|w| !is_role_word(w))) {
        return None;
    }
    let kept: Vec<&str> = ws
        .iter()
        .map(String::as_str)
        .filter(|w| !DETERMINERS.contains(w))
        .collect();
    if kept.is_empty() {
        None
    } else {
        Some(kept.join(" "))
    }
}

/// Upper-case initials of a multi-word name ("United Nations" → "un").
pub fn acronym(text: &str) -> Option<String> {
    let ws: Vec<&str> = text
        .split_whitespace()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .collect();
    if ws.len() < 2 {
        return None;
    }
    Some(
        ws.iter()
            .filter_map(|w| w.chars().next())
            .flat_map(char::to_lowercase)
            .collect(),
    )
}

/// The folded head: last word of the core name (the surname of a person).
pub fn head(text: &str) -> Option<String> {
    core_name(text).last().cloned()
}

/// Index keys a store looks a name up by: the folded full name, the
/// transliteration-folded full name, the surname (folded both ways), and the
/// acronym. Few, stable, deduplicated.
pub fn name_keys(name: &str) -> Vec<String> {
    let core = core_name(name);
    let mut keys = Vec::new();
    if core.is_empty() {
        return keys;
    }
    keys.push(format!("n:{}", core.join(" ")));
    let tf: Vec<String> = core.iter().map(|w| translit_fold(w)).collect();
    keys.push(format!("t:{}", tf.join(" ")));
    if let Some(last) = tf.last() {
        keys.push(format!("s:{last}"));
    }
    if let Some(a) = acronym(name) {
        keys.push(format!("a:{a}"));
    } else if core.len() == 1 && core[0].len() <= 5 && name.chars().all(|c| !c.is_lowercase()) {
        keys.push(format!("a:{}", core[0].replace('.', "")));
    }
    if let Some(role) = role_of(name) {
        keys.push(format!("r:{role}"));
    }
    keys.sort();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliterations_fold_together() {
        assert_eq!(translit_fold("Sergei"), translit_fold("Sergey"));
        assert_eq!(translit_fold("Gaddafi"), translit_fold("Qaddafi"));
        assert_eq!(translit_fold("Muhammad"), translit_fold("Mohammed"));
        assert_ne!(translit_fold("Lavrov"), translit_fold("Kerry"));
    }

    #[test]
    fn titles_leave_the_core_name() {
        assert_eq!(
            core_name("Foreign Minister Sergei Lavrov"),
            vec!["sergei", "lavrov"]
        );
        assert_eq!(core_name("the president"), vec!["president"]);
        assert_eq!(head("Mr. Lavrov").as_deref(), Some("lavrov"));
    }

    #[test]
    fn roles_are_found() {
        assert_eq!(
            role_of("the Russian foreign minister").as_deref(),
            Some("russian foreign minister")
        );
        assert_eq!(role_of("Sergei Lavrov"), None);
        assert_eq!(role_of("he"), None);
    }

    #[test]
    fn keys_share_the_transliterated_name() {
        let a = name_keys("Sergei Lavrov");
        let b = name_keys("Sergey Lavrov");
        assert!(a.iter().any(|k| b.contains(k) && k.starts_with("t:")));
        assert!(name_keys("Lavrov").iter().any(|k| a.contains(k)));
        assert!(name_keys("United Nations").contains(&"a:un".to_string()));
    }
}
