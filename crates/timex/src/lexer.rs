//! Splits text into the tokens the time grammar reads. Kept apart from the
//! linguistic tokenizer because dates want their own boundaries: `2016-10-03`,
//! `4/5/2017` and `1:07pm` stay whole, `five-year` and `Saturday's` split.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    Word,
    Number,
    Punct,
}

#[derive(Debug, Clone)]
pub struct Tok {
    pub start: usize,
    pub end: usize,
    pub kind: TokKind,
    pub lower: String,
    /// The first character is upper case (month names, weekdays).
    pub capitalized: bool,
}

fn joins_digits(c: char) -> bool {
    matches!(c, ',' | '.' | ':' | '/' | '-')
}

/// Tokens of `text`, spans as byte offsets on char boundaries.
pub fn lex(text: &str) -> Vec<Tok> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let end_of = |k: usize| chars.get(k).map_or(text.len(), |c| c.0);
    while i < chars.len() {
        let (start, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_alphanumeric() {
            let mut j = i + 1;
            loop {
                while j < chars.len() && chars[j].1.is_alphanumeric() {
                    j += 1;
                }
                // 280,000 · 2016-10-03 · 4/5/2017 · 1:07 · 21.08.2013: separators
                // between digits keep the number whole.
                if j + 1 < chars.len()
                    && joins_digits(chars[j].1)
                    && chars[j - 1].1.is_ascii_digit()
                    && chars[j + 1].1.is_ascii_digit()
                {
                    j += 2;
                    continue;
                }
                // a.m. / p.m. / U.S.: single letters joined by periods
                if j + 1 < chars.len()
                    && chars[j].1 == '.'
                    && j - i == 1
                    && chars[j + 1].1.is_alphabetic()
                    && (j + 2 >= chars.len() || !chars[j + 2].1.is_alphanumeric())
                {
                    j += 2;
                    if j < chars.len() && chars[j].1 == '.' {
                        j += 1;
                    }
                    break;
                }
                break;
            }
            let mut end = end_of(j);
            // "21.08.2013Get short URL": a date glued to the next word splits there,
            // while 3rd, 1990s, 7pm and 2016-10-03T12:00 stay whole.
            if c.is_ascii_digit() {
                let s = &text[start..end];
                if let Some(k) = s.find(|ch: char| ch.is_alphabetic()) {
                    let suffix = s[k..].to_lowercase();
                    let known = matches!(
                        suffix.as_str(),
                        "st" | "nd" | "rd" | "th" | "s" | "am" | "pm" | "h" | "hrs" | "gmt" | "utc"
                    ) || (suffix.starts_with('t')
                        && suffix[1..].starts_with(|ch: char| ch.is_ascii_digit()));
                    if !known && k > 0 {
                        end = start + k;
                        j = chars.partition_point(|(b, _)| *b < end);
                    }
                }
            }
            if let Some(day_end) = fused_day_year(text, start, end, out.last()) {
                out.push(number_tok(text, start, day_end));
                out.push(number_tok(text, day_end, end));
                i = j;
                continue;
            }
            let s = &text[start..end];
            let kind = if s.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                TokKind::Number
            } else {
                TokKind::Word
            };
            out.push(Tok {
                start,
                end,
                kind,
                lower: s.to_lowercase(),
                capitalized: c.is_uppercase(),
            });
            i = j;
            continue;
        }
        // 's after a word: "Saturday's talks"
        if (c == '\'' || c == '’')
            && i + 1 < chars.len()
            && matches!(chars[i + 1].1, 's' | 'S')
            && (i + 2 >= chars.len() || !chars[i + 2].1.is_alphanumeric())
        {
            let end = end_of(i + 2);
            out.push(Tok {
                start,
                end,
                kind: TokKind::Punct,
                lower: "'s".into(),
                capitalized: false,
            });
            i += 2;
            continue;
        }
        let end = end_of(i + 1);
        out.push(Tok {
            start,
            end,
            kind: TokKind::Punct,
            lower: if c == '’' || c == '‘' {
                "'".into()
            } else {
                c.to_string()
            },
            capitalized: false,
        });
        i += 1;
    }
    out
}

/// "Last updated at Apr 232017": feeds that strip commas glue the day to the
/// year. Only after a month name, with a real day and a four-digit year of
/// this or the last century, is the digit run read as day + year; elsewhere
/// 232017 stays a number.
fn fused_day_year(text: &str, start: usize, end: usize, prev: Option<&Tok>) -> Option<usize> {
    let digits = &text[start..end];
    if !(5..=6).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let prev = prev?;
    if prev.kind != TokKind::Word || crate::lexicon::month(&prev.lower).is_none() {
        return None;
    }
    let day_len = digits.len() - 4;
    let day: u32 = digits[..day_len].parse().ok()?;
    let year: u32 = digits[day_len..].parse().ok()?;
    ((1..=31).contains(&day) && (1900..=2099).contains(&year)).then_some(start + day_len)
}

fn number_tok(text: &str, start: usize, end: usize) -> Tok {
    Tok {
        start,
        end,
        kind: TokKind::Number,
        lower: text[start..end].to_string(),
        capitalized: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        lex(s)
            .into_iter()
            .map(|t| s[t.start..t.end].to_string())
            .collect()
    }

    #[test]
    fn keeps_dates_and_times_whole() {
        assert_eq!(
            words("On 2016-10-03, at 1:07pm (4/5/2017) 280,000 fled"),
            [
                "On",
                "2016-10-03",
                ",",
                "at",
                "1:07pm",
                "(",
                "4/5/2017",
                ")",
                "280,000",
                "fled"
            ]
        );
        assert_eq!(
            words("five-year a.m. Saturday's"),
            ["five", "-", "year", "a.m.", "Saturday", "'s"]
        );
        assert_eq!(words("Sept. 9"), ["Sept", ".", "9"]);
        assert_eq!(words("21.08.2013Get 3rd"), ["21.08.2013", "Get", "3rd"]);
    }

    #[test]
    fn comma_stripped_day_and_year_split_only_after_a_month() {
        assert_eq!(words("Apr 232017"), ["Apr", "23", "2017"]);
        assert_eq!(words("July 12016"), ["July", "1", "2016"]);
        assert_eq!(words("Apr 452017"), ["Apr", "452017"]);
        assert_eq!(words("paid 232017"), ["paid", "232017"]);
    }
}
