//! Rule tokenizer following UD English EWT conventions. It works in one left-to-right
//! pass over whitespace-delimited chunks; every scan only moves forward, so time is
//! linear in the input whatever its shape.

use crate::lexicon;
use serde::Serialize;

/// One word: a byte span `[start, end)` of the input, always on char boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    /// Whitespace (or the end of the text) follows the token.
    pub space_after: bool,
    /// This word and the next are pieces of one written token, a UD multiword
    /// token such as "do" + "n't"; scorers compare the joined span.
    pub fused_with_next: bool,
}

impl Token {
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// Characters that separate chunks. Controls and zero-width spaces count too so
/// they never end up inside a token.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{200B}' | '\u{FEFF}' | '\u{2060}' | '\u{180E}' | '\u{200E}' | '\u{200F}'
                | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// Combining marks of the common scripts, joiners, variation selectors, skin-tone
/// modifiers and the soft hyphen: they belong to the preceding character.
fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x05BF | 0x05C1..=0x05C2
        | 0x05C4..=0x05C5 | 0x05C7 | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670
        | 0x06D6..=0x06DC | 0x06DF..=0x06E4 | 0x0900..=0x0903 | 0x093A..=0x094F
        | 0x0951..=0x0957 | 0x0981..=0x0983 | 0x09BC..=0x09CD | 0x0E31 | 0x0E34..=0x0E3A
        | 0x0E47..=0x0E4E | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x200C | 0x200D
        | 0x20D0..=0x20FF | 0x302A..=0x302F | 0x3099..=0x309A | 0xFE00..=0xFE0F
        | 0xFE20..=0xFE2F | 0x1F3FB..=0x1F3FF | 0xE0100..=0xE01EF)
}

pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || is_mark(c)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '`')
}

/// Characters whose runs form one token ("...", "!!!", "--", "***").
fn repeats_as_one(c: char) -> bool {
    ".!?…-–—*=~#+<>/\\|^$".contains(c)
}

fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

fn char_before(text: &str, i: usize) -> Option<char> {
    text.get(..i).and_then(|s| s.chars().next_back())
}

struct Tokenizer<'a> {
    text: &'a str,
    out: Vec<Token>,
    /// An opening single quote is pending, so a later "s'" closes it instead of
    /// being a plural possessive.
    single_quote_open: bool,
}

/// Splits `text` into words. See [`Token`].
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut t = Tokenizer {
        text,
        out: Vec::with_capacity(text.len() / 5 + 1),
        single_quote_open: false,
    };
    let mut chunk_start: Option<usize> = None;
    let mut newlines = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // ASCII fast path; multi-byte chars are decoded only when met.
        let b = bytes[i];
        let (c, len) = if b < 0x80 {
            (b as char, 1)
        } else {
            match char_at(text, i) {
                Some(c) => (c, c.len_utf8()),
                None => break,
            }
        };
        let here = i;
        i += len;
        if is_space(c) {
            if let Some(s) = chunk_start.take() {
                t.chunk(s, here);
                newlines = 0;
            }
            if c == '\n' {
                newlines += 1;
                if newlines >= 2 {
                    t.single_quote_open = false;
                }
            }
        } else if chunk_start.is_none() {
            chunk_start = Some(here);
        }
    }
    if let Some(s) = chunk_start {
        t.chunk(s, text.len());
    }
    let mut out = t.out;
    let n = out.len();
    for i in 0..n {
        let next_start = if i + 1 < n {
            out[i + 1].start
        } else {
            text.len()
        };
        out[i].space_after = out[i].end < next_start || next_start == text.len();
        if out[i].space_after {
            out[i].fused_with_next = false;
        }
    }
    out
}

impl<'a> Tokenizer<'a> {
    fn push(&mut self, start: usize, end: usize, fused: bool) {
        if start < end {
            self.out.push(Token {
                start,
                end,
                space_after: false,
                fused_with_next: fused,
            });
        }
    }

    fn chunk(&mut self, s: usize, e: usize) {
        let text = self.text;
        let mut p = s;
        while p < e {
            let Some(c) = char_at(text, p) else { break };
            if let Some(len) = self.special_len(p, e, c) {
                self.push(p, p + len, false);
                p += len;
                continue;
            }
            if is_word_char(c) {
                let end = self.scan_word(p, e);
                let end = self.attach_period(p, end, e);
                self.split_word(p, end);
                p = end;
                continue;
            }
            let end = self.scan_punct(p, e, c);
            if is_apostrophe(c) && end == p + c.len_utf8() {
                let after_word = char_before(text, p).is_some_and(is_word_char);
                if after_word {
                    let plural_possessive = !self.single_quote_open
                        && char_before(text, p).is_some_and(|b| b == 's' || b == 'S')
                        && !char_at(text, end).is_some_and(is_word_char);
                    if plural_possessive {
                        if let Some(last) = self.out.last_mut() {
                            last.fused_with_next = true;
                        }
                    }
                    self.single_quote_open = false;
                } else {
                    self.single_quote_open = true;
                }
            }
            self.push(p, end, false);
            p = end;
        }
    }

    /// URLs, e-mail addresses, @handles, #hashtags and emoticons: whole tokens.
    fn special_len(&self, p: usize, e: usize, c: char) -> Option<usize> {
        let rest = self.text.get(p..e)?;
        if c == '@' || c == '#' {
            let body = rest.get(1..)?;
            let n: usize = body
                .chars()
                .take_while(|&ch| is_word_char(ch))
                .map(char::len_utf8)
                .sum();
            // "@2.975" is "at 2.975", not a handle.
            let starts_alpha = body
                .chars()
                .next()
                .is_some_and(|ch| ch.is_alphabetic() || ch == '_');
            return (n > 0 && starts_alpha).then_some(1 + n);
        }
        let after_non_word = !char_before(self.text, p).is_some_and(is_word_char);
        if c == '+' && after_non_word {
            // International dialling prefix: "+44".
            let n = rest[1..]
                .bytes()
                .take(4)
                .take_while(u8::is_ascii_digit)
                .count();
            if n > 0 && !rest[1 + n..].starts_with(is_word_char) {
                return Some(1 + n);
            }
        }
        if (c == '\'' || c == '’') && after_non_word {
            // Abbreviated years: "'72", "’73".
            let tail = &rest[c.len_utf8()..];
            let n = tail.bytes().take(3).take_while(u8::is_ascii_digit).count();
            if n == 2 && !tail[n..].starts_with(is_word_char) {
                return Some(c.len_utf8() + n);
            }
        }
        if c == '.' && char_before(self.text, p).is_none_or(is_space) {
            // A bare file extension such as ".doc".
            let ext = rest[1..]
                .bytes()
                .take(5)
                .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                .count();
            let ends = !rest[1 + ext..].starts_with(is_word_char);
            if (2..=4).contains(&ext) && ends && rest.as_bytes()[1].is_ascii_lowercase() {
                return Some(1 + ext);
            }
        }
        if !is_word_char(c) {
            return emoticon_len(rest, self.text, p);
        }
        url_len(rest).or_else(|| email_len(rest))
    }

    /// Letters and digits plus the connectors that keep a word whole: "U.S",
    /// "1.5", "280,000", "5:00", "9/11", "O'Brien", "AT&T", "cease-fire".
    fn scan_word(&self, p: usize, e: usize) -> usize {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut j = p;
        // Length of the current period-free segment, for "U.S"-style initials.
        let mut seg_chars = 0usize;
        loop {
            while j < e {
                // ASCII fast path: most news text is ASCII letters and digits.
                let b = bytes[j];
                if b.is_ascii_alphanumeric() || b == b'_' {
                    j += 1;
                    seg_chars += 1;
                    continue;
                }
                if b < 0x80 {
                    break;
                }
                match char_at(text, j) {
                    Some(ch) if is_word_char(ch) => {
                        j += ch.len_utf8();
                        seg_chars += 1;
                    }
                    _ => break,
                }
            }
            if j >= e {
                return j;
            }
            let Some(c) = char_at(text, j) else { return j };
            let clen = c.len_utf8();
            if j + clen >= e {
                return j;
            }
            let (Some(prev), Some(next)) = (char_before(text, j), char_at(text, j + clen)) else {
                return j;
            };
            let after_next = char_at(text, j + clen + next.len_utf8())
                .filter(|_| j + clen + next.len_utf8() < e);
            let ok = match c {
                '.' => {
                    // "1.5" but "Nov.28" is "Nov." + "28".
                    (next.is_ascii_digit() && prev.is_ascii_digit())
                        || next.is_lowercase()
                        || (seg_chars <= 2
                            && next.is_alphabetic()
                            && short_segment_at(text, j + 1, e))
                        || is_tld_at(text, j + 1, e)
                }
                ',' | ':' => prev.is_ascii_digit() && next.is_ascii_digit(),
                // "9/11", and letter pairs such as "b/c", "w/o", "I/C".
                '/' => {
                    (prev.is_ascii_digit() && next.is_ascii_digit() && slash_date(text, j, e))
                        || (seg_chars == 1
                            && prev.is_alphabetic()
                            && next.is_alphabetic()
                            && !after_next.is_some_and(is_word_char))
                }
                // "O'Brien", contractions (split later), and decades such as "70's".
                '\'' | '’' => {
                    (prev.is_alphabetic() && next.is_alphabetic())
                        || (prev.is_ascii_digit()
                            && (next == 's' || next == 'S')
                            && !after_next.is_some_and(is_word_char))
                }
                '-' | '‐' => is_word_char(prev) && is_word_char(next),
                '&' => prev.is_uppercase() && next.is_uppercase(),
                _ => false,
            };
            if !ok {
                return j;
            }
            if c == '.' {
                seg_chars = 0;
            }
            j += clen;
        }
    }

    /// Keeps the period of "Dr.", "U.S.", "J." and "No. 10" on the word.
    fn attach_period(&self, p: usize, end: usize, e: usize) -> usize {
        let text = self.text;
        if end >= e || text.as_bytes().get(end) != Some(&b'.') {
            return end;
        }
        // An ellipsis after a word is punctuation of its own.
        if text.as_bytes().get(end + 1) == Some(&b'.') {
            return end;
        }
        let word = text.get(p..end).unwrap_or("");
        let attach = if word == "No" || word == "Nos" || word == "no" {
            let after = text.get(end + 1..).unwrap_or("");
            after
                .trim_start_matches(is_space)
                .starts_with(|c: char| c.is_ascii_digit())
        } else {
            lexicon::is_abbreviation(word)
                || lexicon::is_dotted_initials(word)
                || (word.chars().count() == 1 && word.chars().all(char::is_uppercase))
        };
        if attach {
            end + 1
        } else {
            end
        }
    }

    /// Splits a scanned word at hyphens, contractions and "5pm"-style times.
    fn split_word(&mut self, p: usize, end: usize) {
        let text = self.text;
        let word = text.get(p..end).unwrap_or("");
        if !word.contains(['-', '‐']) || keeps_hyphens(word) {
            self.split_piece(p, end);
            return;
        }
        let mut piece_start = p;
        for (i, c) in word.char_indices() {
            if c == '-' || c == '‐' {
                self.split_piece(piece_start, p + i);
                self.push(p + i, p + i + c.len_utf8(), false);
                piece_start = p + i + c.len_utf8();
            }
        }
        self.split_piece(piece_start, end);
    }

    fn split_piece(&mut self, p: usize, end: usize) {
        let text = self.text;
        let piece = text.get(p..end).unwrap_or("");
        if let Some(cut) = contraction_cut(piece) {
            self.push(p, p + cut, true);
            self.push(p + cut, end, false);
            return;
        }
        if let Some(cut) = time_suffix_cut(piece) {
            self.push(p, p + cut, false);
            self.push(p + cut, end, false);
            return;
        }
        self.push(p, end, false);
    }

    fn scan_punct(&self, p: usize, e: usize, c: char) -> usize {
        let text = self.text;
        let mut j = p + c.len_utf8();
        if matches!(c, '.' | '!' | '?' | '…') {
            while let Some(n) = char_at(text, j).filter(|_| j < e) {
                if !matches!(n, '.' | '!' | '?' | '…') {
                    break;
                }
                j += n.len_utf8();
            }
            return j;
        }
        // Two curly single quotes typed as a double quote: "’’", "‘’".
        if (c == '‘' || c == '’') && j < e && char_at(text, j) == Some('’') {
            return j + '’'.len_utf8();
        }
        if repeats_as_one(c) || c == '\'' || c == '`' {
            while j < e && char_at(text, j) == Some(c) {
                j += c.len_utf8();
            }
            return j;
        }
        // Emoji sequences: modifiers, variation selectors, ZWJ joins and flag pairs.
        let is_flag = |ch: char| ('\u{1F1E6}'..='\u{1F1FF}').contains(&ch);
        let mut joined = false;
        while j < e {
            let Some(n) = char_at(text, j) else { break };
            if is_mark(n) {
                joined = n == '\u{200D}';
                j += n.len_utf8();
            } else if joined && !is_word_char(n) {
                joined = false;
                j += n.len_utf8();
            } else if is_flag(c) && is_flag(n) && j == p + c.len_utf8() {
                j += n.len_utf8();
            } else {
                break;
            }
        }
        j
    }
}

fn emoticon_len(rest: &str, text: &str, p: usize) -> Option<usize> {
    for emo in lexicon::EMOTICONS {
        if let Some(tail) = rest.strip_prefix(emo) {
            let after = tail.chars().next();
            let before_ok = !char_before(text, p).is_some_and(char::is_alphanumeric);
            if before_ok && !after.is_some_and(char::is_alphanumeric) {
                return Some(emo.len());
            }
        }
    }
    None
}

/// After a period inside a word: does a letter group of at most two letters
/// follow ("U.S", "Ph.D")? "Dr.Michael" is "Dr." + "Michael".
fn short_segment_at(text: &str, i: usize, e: usize) -> bool {
    let seg = text.get(i..e).unwrap_or("");
    seg.chars()
        .take(3)
        .take_while(|c| c.is_alphabetic())
        .count()
        <= 2
}

/// At a slash between digits: dates stay whole ("9/11", "11/28/2000"), while
/// fractions and ranges are split ("1/2", "7/24", "2001/02") as in EWT.
fn slash_date(text: &str, j: usize, e: usize) -> bool {
    let bytes = text.as_bytes();
    let mut a = j;
    while a > 0 && j - a < 5 && bytes[a - 1].is_ascii_digit() {
        a -= 1;
    }
    let mut b = j + 1;
    while b < e && b - j < 6 && bytes[b].is_ascii_digit() {
        b += 1;
    }
    if (a > 0 && bytes[a - 1] == b'/') || (b < e && bytes[b] == b'/') {
        return true;
    }
    let num = |s: &[u8]| s.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    let (left, right) = (&bytes[a..j], &bytes[j + 1..b]);
    (1..=12).contains(&num(left)) && (1..=31).contains(&num(right)) && left.len() + right.len() > 2
}

/// "Newsfeed.Com", "ENRON.XLS": a capitalized domain or file extension ends the word.
fn is_tld_at(text: &str, i: usize, e: usize) -> bool {
    let seg = text.get(i..e).unwrap_or("");
    let n = seg
        .bytes()
        .take(5)
        .take_while(u8::is_ascii_alphabetic)
        .count();
    let after = seg[n..].chars().next();
    matches!(
        seg[..n].to_ascii_lowercase().as_str(),
        "com"
            | "net"
            | "org"
            | "edu"
            | "gov"
            | "doc"
            | "docx"
            | "xls"
            | "xlsx"
            | "pdf"
            | "txt"
            | "htm"
            | "html"
            | "ppt"
            | "zip"
            | "jpg"
            | "gif"
            | "png"
    ) && !after.is_some_and(is_word_char)
}

/// Trailing characters that belong to the sentence, not the URL.
fn trim_url_tail(s: &str) -> usize {
    let mut end = s.len();
    let opens = s.matches('(').count();
    let closes = s.matches(')').count();
    let mut extra_close = closes.saturating_sub(opens);
    while let Some(c) = s[..end].chars().next_back() {
        let strip = match c {
            ')' if extra_close > 0 => {
                extra_close -= 1;
                true
            }
            '.' | ',' | ';' | ':' | '!' | '?' | '"' | '\'' | '”' | '’' | ']' | '}' | '>' => {
                true
            }
            _ => false,
        };
        if !strip {
            break;
        }
        end -= c.len_utf8();
    }
    end
}

fn url_len(rest: &str) -> Option<usize> {
    let lower_prefix = |p: &str| {
        rest.len() > p.len()
            && rest
                .get(..p.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(p))
    };
    let is_url = ["http://", "https://", "ftp://", "www.", "mailto:"]
        .iter()
        .any(|p| lower_prefix(p));
    if !is_url {
        return None;
    }
    let end = trim_url_tail(rest);
    (end > 4).then_some(end)
}

fn email_len(rest: &str) -> Option<usize> {
    // Scanning is capped at the RFC 5321 lengths, so trying this at every word
    // of a huge chunk stays linear.
    let at: usize = rest
        .chars()
        .take(65)
        .take_while(|&c| c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-'))
        .map(char::len_utf8)
        .sum();
    if at == 0 || rest.as_bytes().get(at) != Some(&b'@') {
        return None;
    }
    let domain_len: usize = rest[at + 1..]
        .chars()
        .take(255)
        .take_while(|&c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .map(char::len_utf8)
        .sum();
    let domain = rest[at + 1..at + 1 + domain_len].trim_end_matches(['.', '-']);
    // Intranet addresses such as "Warner@ENRON" have no dot.
    if domain.is_empty() || domain.starts_with('.') {
        return None;
    }
    Some(at + 1 + domain.len())
}

/// Phone numbers, dates and prefixed words ("e-mail") stay whole in EWT.
fn keeps_hyphens(word: &str) -> bool {
    let mut parts = word.split(['-', '‐']);
    let first = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    if rest.len() == 1 && lexicon::is_hyphen_prefix(first) {
        return !rest[0].is_empty();
    }
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if numeric(first) && rest.iter().all(|s| numeric(s)) {
        if rest.len() >= 2 {
            return true;
        }
        // Phone numbers and ZIP+4 stay whole; year and count ranges split.
        let second = rest[0];
        return (second.len() >= 4 && !(first.len() == 4 && second.len() == 4))
            || (first.len() == 3 && second.len() == 3);
    }
    false
}

/// Byte offset where a contraction's second word starts ("do|n't", "I|'m", "ca|n't").
fn contraction_cut(piece: &str) -> Option<usize> {
    if let Some(n) = lexicon::bare_contraction_split(piece) {
        return Some(n);
    }
    if !piece.contains(['\'', '’']) {
        return None;
    }
    let lower_end = |suffix_ascii: &str| -> Option<usize> {
        // Compare with the curly apostrophe folded to a straight one.
        let mut chars = piece.char_indices().rev();
        let mut want = suffix_ascii.chars().rev();
        let mut cut = piece.len();
        for w in want.by_ref() {
            let (i, c) = chars.next()?;
            let c = if c == '’' {
                '\''
            } else {
                c.to_ascii_lowercase()
            };
            if c != w {
                return None;
            }
            cut = i;
        }
        // The stem must be a real word, not just an apostrophe run.
        piece[..cut]
            .chars()
            .next_back()
            .filter(|c| c.is_alphabetic())
            .map(|_| cut)
    };
    if let Some(cut) = lower_end("n't") {
        return Some(cut);
    }
    ["'s", "'m", "'d", "'re", "'ve", "'ll"]
        .iter()
        .find_map(|s| lower_end(s))
}

/// "5pm" → "5" + "pm", "1:07p.m." → "1:07" + "p.m.".
/// Also measurement units: EWT writes "35mm" as "35" + "mm" but keeps "20th", "1970s".
fn time_suffix_cut(piece: &str) -> Option<usize> {
    let digits = piece
        .bytes()
        .take_while(|b| b.is_ascii_digit() || matches!(b, b':' | b'.' | b','))
        .count();
    if digits == 0 || !piece.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    let suffix = &piece[digits..];
    let lower = suffix.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "am" | "pm"
            | "a.m"
            | "p.m"
            | "a.m."
            | "p.m."
            | "hrs"
            | "hr"
            | "h"
            | "k"
            | "m"
            | "mm"
            | "cm"
            | "km"
            | "kg"
            | "g"
            | "mg"
            | "gb"
            | "mb"
            | "kb"
            | "tb"
            | "ft"
            | "lb"
            | "lbs"
            | "mph"
            | "kph"
            | "p"
            | "min"
            | "mins"
            | "x"
            | "day"
            | "days"
            | "ml"
            | "oz"
            | "yr"
            | "yrs"
            | "b"
            | "t"
            | "mw"
            | "mwh"
            | "kw"
            | "kwh"
            | "ghz"
            | "mhz"
            | "bn"
            | "mn"
            | "mil"
            | "sec"
            | "secs"
    )
    .then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| t.text(text)).collect()
    }

    #[test]
    fn abbreviations_keep_their_period() {
        assert_eq!(
            forms("Mr. Smith met Dr. Jones in the U.S. on Sept. 9 at 5 a.m. with Gov. Lee"),
            [
                "Mr.", "Smith", "met", "Dr.", "Jones", "in", "the", "U.S.", "on", "Sept.", "9",
                "at", "5", "a.m.", "with", "Gov.", "Lee"
            ]
        );
        assert_eq!(forms("Lt. Col. J. Smith"), ["Lt.", "Col.", "J.", "Smith"]);
        assert_eq!(forms("No. 10 Downing"), ["No.", "10", "Downing"]);
        assert_eq!(forms("I said no."), ["I", "said", "no", "."]);
        assert_eq!(forms("Jan. Feb. Dec."), ["Jan.", "Feb.", "Dec."]);
    }

    #[test]
    fn quotes_split_off() {
        assert_eq!(
            forms("\"He said 'no'.\""),
            ["\"", "He", "said", "'", "no", "'", ".", "\""]
        );
        assert_eq!(
            forms("“Stop,” he said ‘now’"),
            ["“", "Stop", ",", "”", "he", "said", "‘", "now", "’"]
        );
        assert_eq!(forms("``Hi''"), ["``", "Hi", "''"]);
    }

    #[test]
    fn dashes() {
        assert_eq!(forms("war—and peace"), ["war", "—", "and", "peace"]);
        assert_eq!(forms("1990–2000"), ["1990", "–", "2000"]);
        assert_eq!(forms("wait -- what"), ["wait", "--", "what"]);
    }

    #[test]
    fn numbers() {
        assert_eq!(forms("280,000 people"), ["280,000", "people"]);
        assert_eq!(forms("at 1:07pm"), ["at", "1:07", "pm"]);
        assert_eq!(forms("a 72-hour truce"), ["a", "72", "-", "hour", "truce"]);
        assert_eq!(forms("up 3.5%"), ["up", "3.5", "%"]);
        assert_eq!(forms("$280"), ["$", "280"]);
        assert_eq!(
            forms("on 9/11 and 11/28/2000"),
            ["on", "9/11", "and", "11/28/2000"]
        );
        assert_eq!(forms("call 713-853-3989"), ["call", "713-853-3989"]);
        assert_eq!(forms("1, 2, 3"), ["1", ",", "2", ",", "3"]);
    }

    #[test]
    fn urls_emails_handles() {
        assert_eq!(
            forms("see http://example.com/a?b=1. Or www.x.org/y)"),
            [
                "see",
                "http://example.com/a?b=1",
                ".",
                "Or",
                "www.x.org/y",
                ")"
            ]
        );
        assert_eq!(
            forms("mail carol.st.clair@enron.com, @AP #Syria"),
            ["mail", "carol.st.clair@enron.com", ",", "@AP", "#Syria"]
        );
    }

    #[test]
    fn contractions_are_multiword_tokens() {
        let text = "don't I'm it's can't won't gonna cannot Bush's";
        assert_eq!(
            forms(text),
            [
                "do", "n't", "I", "'m", "it", "'s", "ca", "n't", "wo", "n't", "gon", "na", "can",
                "not", "Bush", "'s"
            ]
        );
        let toks = tokenize(text);
        assert!(toks[0].fused_with_next && !toks[1].fused_with_next);
        assert!(!toks[0].space_after && toks[1].space_after);
        assert_eq!(forms("don’t"), ["do", "n’t"]);
        assert_eq!(forms("the parents' car"), ["the", "parents", "'", "car"]);
        assert!(tokenize("parents' car")[0].fused_with_next);
        assert_eq!(forms("O'Brien"), ["O'Brien"]);
    }

    #[test]
    fn hyphens_follow_ewt() {
        assert_eq!(forms("al-Assad"), ["al", "-", "Assad"]);
        assert_eq!(forms("Jean-Marc"), ["Jean", "-", "Marc"]);
        assert_eq!(forms("cease-fire"), ["cease", "-", "fire"]);
        assert_eq!(forms("e-mail non-stop"), ["e-mail", "non-stop"]);
    }

    #[test]
    fn emoji_cjk_rtl_controls() {
        assert_eq!(forms("ok 👍🏽 then"), ["ok", "👍🏽", "then"]);
        assert_eq!(forms("👨‍👩‍👧 hi"), ["👨‍👩‍👧", "hi"]);
        assert_eq!(forms("東京で"), ["東京で"]);
        assert_eq!(forms("قال الأسد."), ["قال", "الأسد", "."]);
        assert_eq!(forms("a\u{0}b\u{7}c"), ["a", "b", "c"]);
        assert_eq!(forms("\u{202B}שלום\u{202C} ok"), ["שלום", "ok"]);
        assert_eq!(forms("cease\u{AD}fire"), ["cease\u{AD}fire"]);
        assert_eq!(forms("great :) see"), ["great", ":)", "see"]);
    }

    #[test]
    fn ewt_number_and_symbol_details() {
        assert_eq!(
            forms("1/2 cup on 3/8/00"),
            ["1", "/", "2", "cup", "on", "3/8/00"]
        );
        assert_eq!(forms("since '72 and ’73"), ["since", "'72", "and", "’73"]);
        assert_eq!(forms("call +44 20"), ["call", "+44", "20"]);
        assert_eq!(
            forms("see ENRON.XLS and .doc"),
            ["see", "ENRON.XLS", "and", ".doc"]
        );
        assert_eq!(forms("on Nov.28"), ["on", "Nov.", "28"]);
        assert_eq!(
            forms("a 35mm lens, the 20th, 1970s"),
            ["a", "35", "mm", "lens", ",", "the", "20th", ",", "1970s"]
        );
        assert_eq!(forms("b/c the 70's"), ["b/c", "the", "70's"]);
        assert_eq!(forms("’’Hi’’"), ["’’", "Hi", "’’"]);
        assert_eq!(forms("$$$ 3,5"), ["$$$", "3,5"]);
        assert_eq!(forms("@2.975"), ["@", "2.975"]);
        assert_eq!(forms("AT&T"), ["AT&T"]);
    }

    #[test]
    fn spaces_and_fusion_flags() {
        let text = "I can't.\n";
        let t = tokenize(text);
        let flags: Vec<(bool, bool)> = t
            .iter()
            .map(|t| (t.space_after, t.fused_with_next))
            .collect();
        assert_eq!(
            flags,
            [(true, false), (false, true), (false, false), (true, false)]
        );
    }

    #[test]
    fn ellipsis_and_punct_runs() {
        assert_eq!(forms("wait... what?!"), ["wait", "...", "what", "?!"]);
        assert_eq!(forms("etc..."), ["etc", "..."]);
    }
}
