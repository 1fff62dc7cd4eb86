//! A second opinion on a page's main block, for when readability settles on the
//! wrong one (an advertiser disclosure, an author box, a login form): the
//! element whose own paragraphs hold the most text. Each `<p>` of prose
//! length counts its characters for its parent and half for its grandparent,
//! as readability scores candidates, but without readability's class-name
//! weights and pruning that can lose an article to a denser side box.
//! Paragraphs inside forms, navigation, headers, footers and asides, or in
//! consent dialogs and comment threads (by class or id), do not count.

use dom_query::{Document as Dom, NodeId, NodeRef};
use std::collections::HashMap;

/// A paragraph shorter than this is a caption, a label or a link.
const MIN_PARAGRAPH: usize = 40;

/// Containers whose paragraphs are page chrome.
const OUTSIDE: &[&str] = &["form", "nav", "header", "footer", "aside", "template"];

/// The densest block: its HTML and the characters of prose its paragraphs hold.
pub struct Block {
    pub html: String,
    pub prose_chars: usize,
}

/// Class or id words of overlays and side boxes (consent dialogs, comments).
const CHROME_NAMES: &[&str] = &[
    "cookie",
    "consent",
    "gdpr",
    "privacy",
    "modal",
    "popup",
    "comment",
    "newsletter",
    "banner",
];

fn in_chrome(p: &NodeRef) -> bool {
    p.ancestors_it(Some(12)).any(|a| {
        let tag = a
            .node_name()
            .is_some_and(|n| OUTSIDE.contains(&n.to_ascii_lowercase().as_str()));
        let names = format!(
            "{} {}",
            a.attr("class").unwrap_or_default(),
            a.attr("id").unwrap_or_default()
        )
        .to_ascii_lowercase();
        tag || CHROME_NAMES.iter().any(|w| names.contains(w))
    })
}

/// The element whose paragraphs hold the most prose, when any paragraph does.
pub fn densest_block(dom: &Dom) -> Option<Block> {
    let mut score: HashMap<NodeId, usize> = HashMap::new();
    let mut own: HashMap<NodeId, usize> = HashMap::new();
    for p in dom.select("p").nodes() {
        let text = p.text();
        let chars = text
            .split_whitespace()
            .map(|w| w.chars().count() + 1)
            .sum::<usize>();
        if chars < MIN_PARAGRAPH || in_chrome(p) {
            continue;
        }
        let Some(parent) = p.parent() else {
            continue;
        };
        *score.entry(parent.id).or_default() += chars;
        *own.entry(parent.id).or_default() += chars;
        if let Some(grand) = parent.parent() {
            *score.entry(grand.id).or_default() += chars / 2;
        }
    }
    let (&best, _) = score
        .iter()
        .max_by_key(|(id, s)| (**s, std::cmp::Reverse(**id)))?;
    let node = dom.tree.get(&best)?;
    let prose_chars = node
        .descendants_it()
        .filter_map(|d| own.get(&d.id))
        .sum::<usize>()
        + own.get(&best).copied().unwrap_or(0);
    Some(Block {
        html: node.html().to_string(),
        prose_chars,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_block_with_the_most_prose_wins_over_a_dense_side_box() {
        let para = "The harbour board met on Tuesday and agreed to reopen the north pier. ";
        let html = format!(
            r#"<body><div class="disclosure"><p>{}</p></div>
            <form><p>{}{}{}</p></form>
            <div class="story"><p>{para}</p><p>{para}</p><p>{para}</p></div></body>"#,
            "Offers on this site come from partners who pay us.".repeat(2),
            para,
            para,
            para
        );
        let block = densest_block(&Dom::from(html.as_str())).expect("a block");
        assert!(
            block.html.starts_with("<div class=\"story\">"),
            "{}",
            block.html
        );
        assert!(block.prose_chars > 3 * 60, "{}", block.prose_chars);
    }

    #[test]
    fn no_prose_no_block() {
        assert!(densest_block(&Dom::from("<body><p>Short.</p></body>")).is_none());
    }
}
