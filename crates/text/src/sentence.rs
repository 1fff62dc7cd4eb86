//! Sentence boundaries. Blank lines and line breaks that look like separate lines
//! (headlines, datelines, bylines) are fixed by rule; inside a block of running
//! text a boundary after each token is decided left to right, either by rules or
//! by an averaged-perceptron model over a window of token features (with the rule
//! decision as one of its features).

use crate::lexicon;
use crate::model::BoundaryModel;
use crate::tokenize::{is_word_char, tokenize, Token};
use serde::Serialize;
use std::ops::Range;

/// A sentence: byte span of the input plus the index range of its tokens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SentenceSpan {
    pub start: usize,
    pub end: usize,
    pub tokens: Range<usize>,
}

/// Tokens and sentences of one text; every token belongs to exactly one sentence.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Segmented {
    pub tokens: Vec<Token>,
    pub sentences: Vec<SentenceSpan>,
}

/// How the gap after a token was decided before the in-block classifier runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gap {
    /// Blank line or a line break between separate lines: always a boundary.
    Hard,
    /// Running text: the classifier decides.
    Open,
    /// Wrapped line inside a sentence: never a boundary.
    Soft,
}

/// Tokenizes and splits into sentences. Holds the boundary model, so build it
/// once ([`Segmenter::default`] uses the model shipped in the binary) and reuse it.
#[derive(Debug, Clone)]
pub struct Segmenter {
    model: Option<BoundaryModel>,
}

impl Default for Segmenter {
    fn default() -> Self {
        Self::new()
    }
}

impl Segmenter {
    /// The shipped model; falls back to rules if the embedded bytes fail to load,
    /// which a test guards against.
    pub fn new() -> Self {
        Segmenter {
            model: BoundaryModel::embedded().ok(),
        }
    }

    /// Rules only, no statistical model.
    pub fn rules() -> Self {
        Segmenter { model: None }
    }

    pub fn with_model(model: BoundaryModel) -> Self {
        Segmenter { model: Some(model) }
    }

    pub fn has_model(&self) -> bool {
        self.model.is_some()
    }

    pub fn segment(&self, text: &str) -> Segmented {
        let tokens = tokenize(text);
        let gaps = gap_kinds(text, &tokens);
        let info = TokenInfo::compute(text, &tokens);
        let mut ends = vec![false; tokens.len()];
        let mut block_start = 0;
        for i in 0..tokens.len() {
            if gaps[i] != Gap::Hard {
                continue;
            }
            self.decide_block(text, &tokens, &info, &gaps, block_start..i + 1, &mut ends);
            block_start = i + 1;
        }
        build(text, tokens, &ends)
    }

    fn decide_block(
        &self,
        text: &str,
        tokens: &[Token],
        info: &[TokenInfo],
        gaps: &[Gap],
        block: Range<usize>,
        ends: &mut [bool],
    ) {
        let mut since = 0usize;
        for i in block.clone() {
            since += 1;
            let end = if i + 1 == block.end {
                true
            } else if gaps[i] == Gap::Soft
                || tokens[i].fused_with_next
                || is_dateline_dash(text, tokens, i, since)
            {
                // Parts of one written word ("do|n't") stay in one sentence
                // whatever the model thinks of the first part.
                false
            } else {
                let rule = rule_boundary(text, tokens, i);
                match &self.model {
                    // EWT has too few sentence-final abbreviations ("in the U.S.
                    // The …") for the model to learn them; the lexicon knows.
                    Some(_) if info[i].flags & 0x08 != 0 => rule,
                    Some(m) => {
                        let ctx = Context {
                            info,
                            block: block.clone(),
                            i,
                            since,
                            rule,
                        };
                        m.score(&ctx) > 0.0
                    }
                    None => rule,
                }
            };
            ends[i] = end;
            if end {
                since = 0;
            }
        }
    }
}

/// Segments with the shipped model. Building a [`Segmenter`] once is cheaper
/// when called in a loop; this caches one for the process.
pub fn segment(text: &str) -> Segmented {
    static SEGMENTER: std::sync::OnceLock<Segmenter> = std::sync::OnceLock::new();
    SEGMENTER.get_or_init(Segmenter::new).segment(text)
}

pub(crate) fn gap_kinds(text: &str, tokens: &[Token]) -> Vec<Gap> {
    let n = tokens.len();
    let mut gaps = vec![Gap::Open; n];
    for i in 0..n {
        if i + 1 == n {
            gaps[i] = Gap::Hard;
            break;
        }
        let between = text.get(tokens[i].end..tokens[i + 1].start).unwrap_or("");
        let newlines = between
            .bytes()
            .filter(|&b| b == b'\n')
            .count()
            .max(between.bytes().filter(|&b| b == b'\r').count())
            + between.matches(['\u{2028}', '\u{2029}']).count();
        gaps[i] = match newlines {
            0 => Gap::Open,
            1 => line_break(text, tokens, i),
            _ => Gap::Hard,
        };
    }
    gaps
}

/// A single line break ends a sentence unless the text is visibly wrapped: the
/// next line continues in lower case or the line stops on a word that cannot
/// end a sentence.
fn line_break(text: &str, tokens: &[Token], i: usize) -> Gap {
    let prev = tokens[i].text(text);
    let next = tokens[i + 1].text(text);
    let next_lower = next.chars().next().is_some_and(char::is_lowercase);
    let prev_continues = matches!(
        prev.to_ascii_lowercase().as_str(),
        "," | "-"
            | "–"
            | "("
            | "&"
            | "and"
            | "or"
            | "but"
            | "of"
            | "the"
            | "a"
            | "an"
            | "to"
            | "in"
            | "on"
            | "for"
            | "with"
            | "by"
            | "at"
            | "from"
            | "that"
            | "said"
            | "is"
            | "was"
            | "were"
            | "are"
            | "as"
            | "his"
            | "her"
            | "their"
            | "its"
            | "mr."
            | "dr."
            | "ms."
            | "mrs."
    );
    if prev_continues || (next_lower && !is_final_punct(prev)) {
        return Gap::Soft;
    }
    // Fixed-width wrapped prose (lines of 50–100 characters, at least three in
    // a row) that stops on a lower-case word: let the classifier decide. A
    // headline is a lone line, usually followed by a paragraph on one long line.
    let prev_lower_word = prev.chars().all(|c| c.is_lowercase());
    if prev_lower_word {
        let here = line_span(text, tokens[i].end);
        let wrapped_len = |r: &Range<usize>| (50..=100).contains(&text[r.clone()].chars().count());
        let next_line = line_span(text, tokens[i + 1].start);
        let before = (here.start > 0).then(|| line_span(text, here.start - 1));
        if wrapped_len(&here)
            && next_line.len() >= 30
            && next_line.len() <= 400
            && before.is_some_and(|b| wrapped_len(&b))
        {
            return Gap::Open;
        }
    }
    Gap::Hard
}

/// The dash after a news dateline ("BEIRUT (AP) — Rebels …") joins it to the
/// first sentence. EWT has almost no datelines, so the model would split here.
fn is_dateline_dash(text: &str, tokens: &[Token], i: usize, since: usize) -> bool {
    if since > 8 || !matches!(tokens[i].text(text), "—" | "–" | "-" | "--") {
        return false;
    }
    let first = tokens[i + 1 - since].text(text);
    first.chars().count() >= 2 && first.chars().all(|c| c.is_uppercase())
}

/// The line (without its newline) containing byte `pos`.
fn line_span(text: &str, pos: usize) -> Range<usize> {
    let pos = pos.min(text.len());
    let start = text.as_bytes()[..pos]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let end = text.as_bytes()[pos..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(text.len(), |p| pos + p);
    start..end
}

pub(crate) fn is_final_punct(form: &str) -> bool {
    !form.is_empty() && form.chars().all(|c| matches!(c, '.' | '!' | '?' | '…'))
}

fn is_closing(form: &str) -> bool {
    matches!(
        form,
        "\"" | "'" | "''" | "”" | "’" | "»" | ")" | "]" | "}" | "›"
    )
}

/// Abbreviation token with its period attached ("etc.", "U.S.").
pub(crate) fn is_abbrev_token(form: &str) -> bool {
    form.len() > 1 && form.ends_with('.') && form.chars().any(char::is_alphabetic)
}

/// The hand-written decision, used alone by [`Segmenter::rules`] and as a
/// feature of the model.
pub(crate) fn rule_boundary(text: &str, tokens: &[Token], i: usize) -> bool {
    let Some(next) = tokens.get(i + 1) else {
        return true;
    };
    let cur = tokens[i].text(text);
    let nxt = next.text(text);
    let next_lower = nxt.chars().next().is_some_and(char::is_lowercase);
    // A straight quote closes only when glued to the word before it.
    let closes = |k: usize| {
        let form = tokens[k].text(text);
        is_closing(form)
            && (!matches!(form, "\"" | "'" | "''") || k > 0 && !tokens[k - 1].space_after)
    };
    if closes(i + 1) && is_final_punct(cur) {
        return false;
    }
    if is_final_punct(cur) {
        if cur.starts_with("..") || cur.starts_with('…') {
            return nxt.chars().next().is_some_and(char::is_uppercase);
        }
        return cur == "." || !next_lower;
    }
    if closes(i) {
        // `…!" he said` continues; `…." The` ends after the quote.
        // Bounded look-back keeps a run of thousands of quotes linear.
        let mut j = i;
        while j > 0 && i - j < 4 && closes(j) {
            j -= 1;
        }
        if closes(i + 1) {
            return false;
        }
        return is_final_punct(tokens[j].text(text)) && !next_lower;
    }
    if is_abbrev_token(cur) {
        let base = &cur[..cur.len() - 1];
        if lexicon::never_final(base) {
            return false;
        }
        return lexicon::is_sentence_starter(nxt);
    }
    false
}

/// Per-token hashes computed once so each gap's features are a few integer mixes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TokenInfo {
    pub lower: u64,
    pub exact: u64,
    pub shape: u64,
    /// Bit 0: starts upper case, 1: starts lower case, 2: final punct, 3: abbrev,
    /// 4: space after, 5: closing quote/bracket, 6: digit start.
    pub flags: u8,
}

// FNV-1a, from the one home of hash mixing; the trained boundary model's
// features are built on it.
pub(crate) use chronicle_ml::hash::{fnv1a_byte as fnv_byte, FNV_OFFSET};

impl TokenInfo {
    pub fn compute(text: &str, tokens: &[Token]) -> Vec<TokenInfo> {
        tokens
            .iter()
            .map(|t| TokenInfo::of(t.text(text), t.space_after))
            .collect()
    }

    fn of(form: &str, space_after: bool) -> TokenInfo {
        let mut lower = FNV_OFFSET;
        let mut exact = FNV_OFFSET;
        for b in form.bytes().take(24) {
            exact = fnv_byte(exact, b);
            lower = fnv_byte(lower, b.to_ascii_lowercase());
        }
        let mut shape = FNV_OFFSET;
        let mut last = 0u8;
        let mut classes = 0;
        let mut push = |k: u8| {
            if k != last {
                shape = fnv_byte(shape, k);
                last = k;
                classes += 1;
            }
            classes < 6
        };
        if form.is_ascii() {
            // Byte path for the common case; same classes as the char path.
            for b in form.bytes() {
                let k = match b {
                    b'A'..=b'Z' => b'X',
                    b'a'..=b'z' => b'x',
                    b'0'..=b'9' => b'd',
                    _ => b,
                };
                if !push(k) {
                    break;
                }
            }
        } else {
            for c in form.chars() {
                let k = if c.is_uppercase() {
                    b'X'
                } else if c.is_lowercase() {
                    b'x'
                } else if c.is_numeric() {
                    b'd'
                } else if c.is_ascii() {
                    c as u8
                } else if is_word_char(c) {
                    b'w'
                } else {
                    b'o'
                };
                if !push(k) {
                    break;
                }
            }
        }
        let first = form.chars().next();
        let mut flags = 0u8;
        flags |= first.is_some_and(char::is_uppercase) as u8;
        flags |= (first.is_some_and(char::is_lowercase) as u8) << 1;
        flags |= (is_final_punct(form) as u8) << 2;
        flags |= (is_abbrev_token(form) as u8) << 3;
        flags |= (space_after as u8) << 4;
        flags |= (is_closing(form) as u8) << 5;
        flags |= (first.is_some_and(|c| c.is_ascii_digit()) as u8) << 6;
        TokenInfo {
            lower,
            exact,
            shape,
            flags,
        }
    }
}

/// What the classifier sees at the gap after token `i`.
pub(crate) struct Context<'a> {
    pub info: &'a [TokenInfo],
    pub block: Range<usize>,
    pub i: usize,
    /// Tokens since the last boundary, counting token `i`.
    pub since: usize,
    pub rule: bool,
}

const PAD: TokenInfo = TokenInfo {
    lower: 0x9e37_79b9_7f4a_7c15,
    exact: 0x9e37_79b9_7f4a_7c15,
    shape: 0x9e37_79b9_7f4a_7c15,
    flags: 0x80,
};

fn bucket(n: usize) -> u64 {
    match n {
        0..=3 => n as u64,
        4..=5 => 4,
        6..=9 => 5,
        10..=19 => 6,
        20..=39 => 7,
        _ => 8,
    }
}

impl Context<'_> {
    fn at(&self, offset: isize) -> TokenInfo {
        let j = self.i as isize + offset;
        if j < self.block.start as isize || j >= self.block.end as isize {
            PAD
        } else {
            self.info[j as usize]
        }
    }

    /// Calls `f` with each feature hash. Templates are numbered so equal
    /// values under different templates never collide by construction.
    pub fn features(&self, mut f: impl FnMut(u64)) {
        let (m2, m1, c, n1, n2) = (self.at(-2), self.at(-1), self.at(0), self.at(1), self.at(2));
        let mix = |t: u64, a: u64, b: u64| -> u64 {
            let mut h = a ^ t.wrapping_mul(0x9e37_79b9_7f4a_7c15);
            h = h.rotate_left(29) ^ b.wrapping_mul(0xbf58_476d_1ce4_e5b9);
            h ^= h >> 31;
            h.wrapping_mul(0x94d0_49bb_1331_11eb)
        };
        let to_end = self.block.end - self.i - 1;
        f(mix(0, 0, 0));
        f(mix(1, c.lower, 0));
        f(mix(2, n1.lower, 0));
        f(mix(3, m1.lower, 0));
        f(mix(4, c.shape, 0));
        f(mix(5, n1.shape, 0));
        f(mix(6, m1.shape, 0));
        f(mix(7, n2.shape, 0));
        f(mix(8, c.lower, n1.shape));
        f(mix(9, c.lower, n1.lower));
        f(mix(10, mix(0, m1.shape, c.shape), n1.shape));
        f(mix(11, mix(0, c.shape, n1.shape), n2.shape));
        f(mix(12, c.exact, 0));
        f(mix(13, m1.lower, c.lower));
        f(mix(14, c.flags as u64, n1.flags as u64));
        f(mix(15, bucket(self.since), c.flags as u64 & 0x0c));
        f(mix(16, bucket(to_end), c.flags as u64 & 0x0c));
        f(mix(17, self.rule as u64, 0));
        f(mix(18, self.rule as u64, c.shape));
        f(mix(19, n1.exact, 0));
        f(mix(20, m2.shape, mix(0, m1.shape, c.shape)));
        f(mix(21, c.shape, n1.lower));
        f(mix(22, m1.lower, n1.shape));
    }
}

/// Assembles sentences from per-token end flags. An abbreviation that ends a
/// sentence gives up its period as a separate token, as EWT annotates "etc ."
fn build(text: &str, tokens: Vec<Token>, ends: &[bool]) -> Segmented {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len() + 8);
    let mut sentences = Vec::new();
    let mut first = 0;
    for (i, tok) in tokens.iter().enumerate() {
        let is_end = ends.get(i).copied().unwrap_or(true);
        let form = tok.text(text);
        if is_end && is_abbrev_token(form) && !tok.fused_with_next {
            let dot = tok.end - 1;
            out.push(Token {
                start: tok.start,
                end: dot,
                space_after: false,
                fused_with_next: false,
            });
            out.push(Token {
                start: dot,
                end: tok.end,
                ..*tok
            });
        } else {
            out.push(*tok);
        }
        if is_end {
            let last = out.len();
            sentences.push(SentenceSpan {
                start: out[first].start,
                end: out[last - 1].end,
                tokens: first..last,
            });
            first = last;
        }
    }
    Segmented {
        tokens: out,
        sentences,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(seg: &Segmenter, text: &str) -> Vec<String> {
        seg.segment(text)
            .sentences
            .iter()
            .map(|s| text[s.start..s.end].to_string())
            .collect()
    }

    fn both(text: &str) -> [Vec<String>; 2] {
        [
            sents(&Segmenter::rules(), text),
            sents(&Segmenter::new(), text),
        ]
    }

    #[test]
    fn final_punctuation_and_quotes() {
        for got in both("He left. She stayed! Did they? Yes.") {
            assert_eq!(got, ["He left.", "She stayed!", "Did they?", "Yes."]);
        }
        for got in both("\"We will fight,\" he said. \"Now.\" Then silence.") {
            assert_eq!(
                got,
                ["\"We will fight,\" he said.", "\"Now.\"", "Then silence."]
            );
        }
        for got in both("“Go away!” she shouted at them.") {
            assert_eq!(got, ["“Go away!” she shouted at them."]);
        }
    }

    #[test]
    fn abbreviations() {
        for got in both("The deal was signed on Sept. 9 by Dr. Smith of Acme Inc. in Ohio.") {
            assert_eq!(got.len(), 1, "{got:?}");
        }
        for got in both("He moved to the U.S. The move was quick.") {
            assert_eq!(got, ["He moved to the U.S.", "The move was quick."]);
        }
    }

    #[test]
    fn abbreviation_at_end_gives_up_period() {
        let text = "Bring pens, paper, etc. The rest is here.";
        let s = Segmenter::rules().segment(text);
        let forms: Vec<&str> = s.tokens.iter().map(|t| t.text(text)).collect();
        assert_eq!(forms[5..7], ["etc", "."]);
        assert_eq!(s.sentences[0].tokens, 0..7);
    }

    #[test]
    fn headlines_and_datelines() {
        let text = "Syria says rebels killed in attack\nBy John Smith\n\nDAMASCUS, Sept. 9 (Reuters) - Twelve people died. More were hurt.";
        for got in both(text) {
            assert_eq!(
                got,
                [
                    "Syria says rebels killed in attack",
                    "By John Smith",
                    "DAMASCUS, Sept. 9 (Reuters) - Twelve people died.",
                    "More were hurt."
                ]
            );
        }
    }

    #[test]
    fn news_datelines_and_titles() {
        let text = "WASHINGTON (AP) — Lt. Col. John Smith of No. 10 Squadron said Gov. Lee left at 5 p.m. Monday. He did not return.";
        for got in both(text) {
            assert_eq!(got.len(), 2, "{got:?}");
            assert!(got[0].ends_with("Monday."));
        }
        let text = "By JOHN SMITH, Associated Press\nMarch 3, 2016\nBEIRUT — Rebels said they \"won't stop.\" The army denied it.";
        for got in both(text) {
            assert_eq!(
                got,
                [
                    "By JOHN SMITH, Associated Press",
                    "March 3, 2016",
                    "BEIRUT — Rebels said they \"won't stop.\"",
                    "The army denied it."
                ]
            );
        }
    }

    #[test]
    fn nested_quotes_and_brackets() {
        let text = "He said, \"They told me 'I won't go.'\" Then he left. Smith (ret.) met them.";
        for got in both(text) {
            assert_eq!(
                got,
                [
                    "He said, \"They told me 'I won't go.'\"",
                    "Then he left.",
                    "Smith (ret.) met them."
                ]
            );
        }
        let text = "The meeting is at 9 a.m. Officials said it would last.";
        let seg = segment(text);
        let forms: Vec<&str> = seg.tokens.iter().map(|t| t.text(text)).collect();
        assert_eq!(forms[5..7], ["a.m", "."]);
        assert_eq!(seg.sentences.len(), 2);
    }

    #[test]
    fn long_headline_then_date_line() {
        let text = "Northrop Grumman and Airbus parent EADS defeat Boeing for $40 billion US airtanker contract\nMarch 01, 2008\nNorthrop Grumman and Airbus parent company EADS have unexpectedly defeated Boeing for a US$40 billion contract to supply the US Air Force with tankers, the Pentagon said on Friday evening in Washington.";
        for got in both(text) {
            assert_eq!(got.len(), 3, "{got:?}");
        }
    }

    #[test]
    fn fixed_width_wrapped_prose_joins() {
        let text = "The ceasefire agreed in Geneva last week was meant to halt the fighting\nin Aleppo, where more than 250,000 people are trapped, but the talks held\nby envoys from Washington and Moscow collapsed after the convoy attack and\nPresident Putin's spokesman said the bombing would continue.";
        for got in both(text) {
            assert_eq!(got.len(), 1, "{got:?}");
        }
    }

    #[test]
    fn crlf_and_unicode_lines() {
        let text = "Headline here\r\n\r\nFirst sentence. Second one.\u{2029}Third";
        for got in both(text) {
            assert_eq!(
                got,
                ["Headline here", "First sentence.", "Second one.", "Third"]
            );
        }
    }

    #[test]
    fn wrapped_lines_join() {
        let text = "The talks, held in Geneva, ended\nwithout agreement on the\nceasefire.";
        for got in both(text) {
            assert_eq!(got.len(), 1, "{got:?}");
        }
    }

    #[test]
    fn sentences_cover_tokens() {
        let text = "A b. C d e\n\nf g? H";
        let s = segment(text);
        let mut next = 0;
        for sent in &s.sentences {
            assert_eq!(sent.tokens.start, next);
            assert!(sent.tokens.end > sent.tokens.start);
            next = sent.tokens.end;
        }
        assert_eq!(next, s.tokens.len());
    }

    #[test]
    fn empty_and_blank() {
        assert!(segment("").sentences.is_empty());
        assert!(segment(" \n\n\t ").tokens.is_empty());
    }
}
