//! Page chrome that readability keeps inside the article block, in the languages
//! news pages are most often written in beside English (whose chrome `clean.rs`
//! already knows): teaser headings ("Lesen Sie auch", "À lire aussi", "Czytaj
//! też"), share and comment prompts, credit lines ("Foto: …", "Quelle: …"),
//! gallery counters ("Bild 1 von 8") and stamp lines that hold only a date.
//! Only short paragraphs are judged: a sentence of prose is never dropped for
//! opening with one of these words.

use super::html_dates::date_in_words;
use std::collections::HashSet;

/// Paragraphs longer than this are prose.
const MAX_WORDS: usize = 8;

/// Openings of teaser, navigation and prompt lines, lowercase, per language.
const OPENINGS: &[&str] = &[
    // German
    "lesen sie auch",
    "lesen sie mehr",
    "lies auch",
    "mehr zum thema",
    "mehr zu ",
    "mehr themen",
    "weitere themen",
    "weitere artikel",
    "weitere beiträge",
    "weitere informationen",
    "weitere infos",
    "weiterlesen",
    "zum weiterlesen",
    "das könnte dich",
    "das könnte sie",
    "das thema könnte",
    "auch interessant",
    "schon gelesen",
    "empfehlungen aus der redaktion",
    "beiträge zum thema",
    "zum thema",
    "nächster artikel",
    "vorheriger artikel",
    "vorheriges",
    "meistgelesen",
    "meistdiskutiert",
    "meist gelesen",
    "artikel teilen",
    "teilen:",
    "diesen artikel",
    "den artikel",
    "möchten sie den artikel",
    "war der artikel",
    "war dieser artikel",
    "artikel gefallen",
    "über den autor",
    "über die autorin",
    "inhaltsverzeichnis",
    "aktualisiert",
    "veröffentlicht",
    "erstellt am",
    "zuletzt aktualisiert",
    "kommentare",
    "kommentieren",
    "jetzt anmelden",
    "jetzt abonnieren",
    "newsletter",
    "anzeige",
    "externer inhalt",
    "lade weitere",
    "alle angaben ohne gewähr",
    // French
    "à lire aussi",
    "a lire aussi",
    "lire aussi",
    "lire la suite",
    "pour lire la suite",
    "voir aussi",
    "sur le même sujet",
    "partager",
    "publié le",
    "mis à jour",
    // Spanish and Portuguese
    "lee también",
    "lea también",
    "leer más",
    "te puede interesar",
    "también te puede",
    "noticias relacionadas",
    "compartir",
    "veja também",
    "leia também",
    "leia mais",
    "saiba mais",
    "compartilhe",
    // Italian
    "leggi anche",
    "potrebbe interessarti",
    "condividi",
    // Dutch
    "lees ook",
    "lees meer",
    "deel dit",
    // Polish
    "czytaj też",
    "czytaj także",
    "zobacz też",
    "zobacz także",
    "opublikowano",
    "publikacja",
    "źródło",
];

/// Teaser labels that open a `LABEL: other headline` line of any length.
const TEASER_LABELS: &[&str] = &[
    "lesen sie auch",
    "auch lesen",
    "lies auch",
    "mehr dazu",
    "mehr zum thema",
    "lire aussi",
    "à lire aussi",
    "a lire aussi",
    "lea",
    "lea más",
    "lea también",
    "lee también",
    "leia também",
    "leia mais",
    "leggi anche",
    "lees ook",
    "czytaj też",
    "czytaj także",
    "zobacz też",
];

/// UI lines of several words that carry no article text.
const UI_LINES: &[&str] = &[
    "dowiedz się więcej",
    "keine kommentare",
    "rezept drucken",
    "artikel drucken",
    "seite drucken",
    "hier können sie den artikel bewerten",
];

/// `DCV / Oppitz`, `Agentur/Anna Muster`, `Amt | Jesco Denzel`: a photo credit,
/// a short run of capitalised names around a slash or bar.
fn is_credit_shape(paragraph: &str) -> bool {
    let t = paragraph.trim();
    let words: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || c == '/' || c == '|')
        .filter(|w| !w.is_empty())
        .collect();
    (t.contains('/') || t.contains('|'))
        && (2..=7).contains(&words.len())
        && !t.ends_with(['.', '!', '?', ':'])
        && words.iter().all(|w| {
            w.chars().next().is_some_and(|c| c.is_uppercase())
                || matches!(*w, "der" | "des" | "und" | "de" | "la" | "von" | "of" | "-")
        })
}

/// Labels of credit lines ("Foto: Anna Muster", "Quelle: dpa").
const CREDIT_LABELS: &[&str] = &[
    "foto",
    "fotos",
    "bild",
    "bilder",
    "quelle",
    "quellen",
    "grafik",
    "photo",
    "crédit",
    "crédits",
    "imagen",
    "imágenes",
    "fuente",
    "fonte",
    "immagine",
    "fotografia",
    "źródło",
    "zdjęcie",
];

/// Words that count a gallery's pictures ("Bild 1 von 8", "Foto 2 de 5").
const GALLERY_WORDS: &[&str] = &[
    "bild", "foto", "image", "photo", "imagen", "immagine", "zdjęcie",
];
const OF_WORDS: &[&str] = &["von", "de", "sur", "di", "van", "z", "of"];

fn lower(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// `Bild 1 von 8`, `Foto 2/5`.
fn is_gallery_counter(words: &[&str]) -> bool {
    let num = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit());
    match words {
        [w, n, of, m, ..] => GALLERY_WORDS.contains(w) && num(n) && OF_WORDS.contains(of) && num(m),
        [w, nm] => {
            GALLERY_WORDS.contains(w) && nm.split_once('/').is_some_and(|(a, b)| num(a) && num(b))
        }
        _ => false,
    }
}

/// Whether a paragraph of an HTML page's article text is chrome.
pub fn is_chrome(paragraph: &str) -> bool {
    let p = lower(paragraph);
    if let Some((label, _)) = p.split_once(':') {
        if TEASER_LABELS.contains(&label.trim()) {
            return true;
        }
    }
    let words: Vec<&str> = p.split(' ').collect();
    if words.len() > MAX_WORDS || p.is_empty() {
        return false;
    }
    if UI_LINES
        .iter()
        .any(|u| p.trim_end_matches(['.', '!', ':']) == *u)
        || is_credit_shape(paragraph)
    {
        return true;
    }
    if OPENINGS.iter().any(|o| p.starts_with(o)) {
        return true;
    }
    if is_gallery_counter(&words) {
        return true;
    }
    if let Some((label, rest)) = p.split_once(':') {
        if CREDIT_LABELS.contains(&label.trim()) && rest.split_whitespace().count() <= 5 {
            return true;
        }
    }
    // A stamp line: a date and at most a label or a weekday beside it.
    words.len() <= 4 && date_in_words(&p).is_some()
}

/// Whitespace-folded, lowercase texts of the page's links of three words or
/// more: a paragraph that is one of them whole is a link to another page
/// (a related story, a category), not the article's prose.
pub fn link_texts(dom: &dom_query::Document) -> HashSet<String> {
    dom.select("a")
        .iter()
        .map(|a| lower(&a.text()))
        .filter(|t| t.split(' ').count() >= 3)
        .collect()
}

/// `text`'s paragraphs (blank-line separated) without the chrome ones and
/// those that are a link's whole text; the text unchanged when every
/// paragraph would go.
pub fn strip_chrome(text: &str, links: &HashSet<String>) -> String {
    let kept: Vec<&str> = text
        .split("\n\n")
        .filter(|p| !is_chrome(p) && !links.contains(&lower(p)))
        .collect();
    if kept.is_empty() {
        return text.to_string();
    }
    kept.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn teasers_credits_counters_and_stamps_go() {
        for line in [
            "Lesen Sie auch:",
            "À lire aussi",
            "Czytaj też",
            "Foto: Anna Muster",
            "Bild 3 von 12",
            "Foto 2/5",
            "Lea también: El puerto reabre tras un año de obras en el muelle norte",
            "Agentur / Anna Muster",
            "Rezept drucken",
            "Aktualisiert am 4. Mai 2021",
            "12.03.2021",
        ] {
            assert!(is_chrome(line), "{line}");
        }
    }

    #[test]
    fn prose_and_ordinary_short_lines_stay() {
        for line in [
            "Lesen Sie auch, was der Rat am Montag über den neuen Hafen und die Brücke beschloss, bevor die Sitzung endete.",
            "Zutaten für vier Personen",
            "Der Hafen öffnet am 4. Mai 2021 wieder für Fähren aus dem Süden.",
            "Fotos aus dem Archiv zeigen die alte Brücke",
            "Die Fähre fährt ab 1/2 8 Uhr.",
            "Lea la carta completa en el anexo",
        ] {
            assert!(!is_chrome(line), "{line}");
        }
    }

    #[test]
    fn chrome_paragraphs_are_dropped_and_the_rest_kept_in_order() {
        let text = "Erster Absatz über den Hafen.\n\nLesen Sie auch\n\nZweiter Absatz.";
        let none = HashSet::new();
        assert_eq!(
            strip_chrome(text, &none),
            "Erster Absatz über den Hafen.\n\nZweiter Absatz."
        );
        assert_eq!(strip_chrome("Teilen:", &none), "Teilen:");
    }

    #[test]
    fn a_paragraph_that_is_a_whole_link_goes() {
        let dom = dom_query::Document::from(
            r#"<p>The pier <a href="/a">reopened on Tuesday</a> after a year.</p>
            <p><a href="/b">Ferry  fares rise again in spring</a></p><a href="/c">Home</a>"#,
        );
        let links = link_texts(&dom);
        let text = "The pier reopened on Tuesday after a year.\n\nFerry fares rise again in spring\n\nreopened on Tuesday";
        assert_eq!(
            strip_chrome(text, &links),
            "The pier reopened on Tuesday after a year."
        );
    }
}
