//! "Not found" error pages: the lines that say so, and the test that keeps a real
//! article from being taken for one.
//!
//! A saved 404 page is chrome around a line like "Page not found". The vocabulary is
//! also news vocabulary ("killing 404 people", "the report does not exist"), so a line
//! counts only when it talks about a page, or to the reader; and a document is
//! rejected as an error page only when nothing article-like is left once those lines
//! are gone (`has_article_sentence`).

/// Phrases that name a missing page: an error page's own words.
const PAGE_PHRASES: &[&str] = &[
    "page not found",
    "page you requested",
    "page you are looking for",
    "page you were looking for",
    "page you're looking for",
    "content you requested",
    "article you requested",
    "story you requested",
    "page cannot be found",
    "page could not be found",
    "page can't be found",
    "page does not exist",
    "page doesn't exist",
    "page no longer exists",
    "page is no longer available",
    "page has been removed",
];

/// Phrases that say something is gone, on error pages and in news alike: they count
/// only in a line addressed to the reader.
const GONE_PHRASES: &[&str] = &[
    "does not exist",
    "no longer available",
    "not available anymore",
    "could not be found",
    "cannot be found",
    "has been removed",
];

/// Words of a line addressed to the reader, as error pages are and news is not.
const READER_WORDS: &[&str] = &["you", "your", "sorry", "oops", "please"];

/// Words next to `404` that make it a status code rather than a count.
const STATUS_WORDS: &[&str] = &[
    "error", "not", "page", "http", "status", "code", "oops", "found",
];

/// Reporting and other common verbs news uses in the past tense without `-ed`.
const IRREGULAR_VERBS: &[&str] = &[
    "said", "says", "told", "tells", "struck", "hit", "met", "won", "lost", "fell", "rose", "came",
    "went", "took", "gave", "made", "left", "held", "led", "sent", "shot", "stood", "spoke", "saw",
    "began", "brought", "built", "caught", "fought", "found", "heard", "knew", "paid", "sold",
    "spent", "wrote", "fled", "broke", "ran", "kept", "set", "put", "got", "became", "chose",
    "drew", "drove", "flew", "grew", "hid", "laid", "meant", "sank", "sat", "stole", "swore",
    "threw", "woke", "beat", "blew", "cut", "dealt", "fed", "felt", "hurt", "let", "lit", "sought",
    "shut", "spread", "stuck", "swept", "taught", "tore", "thought", "upheld", "withdrew",
    "overcame", "is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could",
    "may", "might", "must", "should", "does", "did",
];

fn words(lower: &str) -> Vec<&str> {
    lower
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
        .collect()
}

/// `404` used as a status code ("Error 404", "404 - Not Found", a line of its own),
/// not as a number of things ("404 people").
fn has_status_404(lower: &str) -> bool {
    let w = words(lower);
    w.iter().enumerate().any(|(i, &t)| {
        t == "404"
            && (w.len() == 1
                || i.checked_sub(1)
                    .and_then(|j| w.get(j))
                    .is_some_and(|p| STATUS_WORDS.contains(p))
                || w.get(i + 1).is_some_and(|n| STATUS_WORDS.contains(n)))
    })
}

fn addresses_reader(lower: &str) -> bool {
    words(lower).iter().any(|w| READER_WORDS.contains(w))
}

/// The line with its quoted stretches left out: an article quoting an error message
/// ("the site showed "page not found"") is not one.
fn unquoted(lower: &str) -> String {
    let mut out = String::with_capacity(lower.len());
    let mut inside = false;
    for c in lower.chars() {
        match c {
            '"' => inside = !inside,
            '“' => inside = true,
            '”' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether a short line (the caller bounds its length) says a page is missing.
pub fn is_error_line(line: &str) -> bool {
    let lower = line.to_lowercase();
    let lower = if is_article_sentence(line) {
        unquoted(&lower)
    } else {
        lower
    };
    PAGE_PHRASES.iter().any(|p| lower.contains(p))
        || has_status_404(&lower)
        || (GONE_PHRASES.iter().any(|p| lower.contains(p)) && addresses_reader(&lower))
}

fn verb_like(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_alphabetic());
    if w.is_empty() || !w.chars().all(|c| c.is_lowercase()) {
        return false;
    }
    IRREGULAR_VERBS.contains(&w)
        || (w.len() >= 4 && w.ends_with("ed"))
        // third person present ("kills", "approves"), not "news", "this", "less"
        || (w.len() >= 4
            && w.ends_with('s')
            && !w.ends_with("ss")
            && !w.ends_with("us")
            && !w.ends_with("is")
            && w != "news")
}

/// A sentence as news writes one: several words, a capital or digit first, a
/// period last, a verb-like word inside, something specific (a name after the first
/// word, or a number: news says who, where and how many; "It looks like nothing was
/// found at this location." does not), and not addressed to the reader.
fn is_article_sentence(s: &str) -> bool {
    let s = s.trim();
    let body = s.trim_end_matches(['"', '\'', '”', '’', ')', ' ']);
    if !body.ends_with('.') {
        return false;
    }
    let first = s
        .trim_start_matches(['"', '\'', '“', '‘', '('])
        .chars()
        .next();
    if !first.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()) {
        return false;
    }
    let tokens: Vec<&str> = s.split_whitespace().collect();
    let specific = tokens.iter().skip(1).any(|w| {
        let w = w.trim_start_matches(['"', '\'', '“', '‘', '(']);
        w.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    });
    tokens.len() >= 5
        && specific
        && tokens.iter().skip(1).any(|w| verb_like(w))
        && !addresses_reader(&s.to_lowercase())
}

/// Whether the text holds at least one article-like sentence.
pub fn has_article_sentence(text: &str) -> bool {
    text.split_inclusive(['.', '!', '?', '\n'])
        .any(is_article_sentence)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_page_lines() {
        for l in [
            "Page not found",
            "404",
            "Error 404",
            "404 - Not Found",
            "HTTP 404: the server could not find it",
            "The content you requested does not exist or is not available anymore.",
            "Sorry, the article could not be found.",
            "Oops! That page can't be found.",
            "The page you are looking for has been removed.",
        ] {
            assert!(is_error_line(l), "{l}");
        }
    }

    #[test]
    fn news_lines_with_the_same_words() {
        for l in [
            "Storm kills 404 in coastal province",
            "A cyclone struck the coast on Monday, killing 404 people, officials said.",
            "The ministry said the second report does not exist.",
            "Rescuers said the two missing fishermen could not be found.",
            "The statue has been removed from the square.",
            "The agency's website showed \"page not found\" on Tuesday.",
            "Route 404 reopened on Friday.",
        ] {
            assert!(!is_error_line(l), "{l}");
        }
    }

    #[test]
    fn article_sentences() {
        assert!(has_article_sentence(
            "A cyclone struck the coast of Varnland on Monday, killing 404 people."
        ));
        assert!(has_article_sentence(
            "The Eastbrook council approves the budget."
        ));
        assert!(has_article_sentence(
            "Officials said the road reopened on Monday."
        ));
        for not in [
            "Return to the homepage",
            "Go back to the homepage.",
            "Please check the address and try again.",
            "We are sorry for the inconvenience.",
            "It looks like nothing was found at this location.",
            "Officials said the road reopened.",
            "Home. News. Sport.",
            "",
        ] {
            assert!(!has_article_sentence(not), "{not}");
        }
    }
}
