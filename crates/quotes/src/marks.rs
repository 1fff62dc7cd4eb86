//! Quotation-mark spans in raw text: straight, curly, guillemet and TeX-style double
//! quotes, nested quotes, single-quoted spans, and quotes continued over paragraphs
//! (a paragraph left open whose successor opens again). One pass per paragraph, with
//! one retry in plain toggle mode when the marks do not nest; work is linear.

/// A top-level quoted span. `start..end` includes the marks; `inner` excludes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteSpan {
    pub start: usize,
    pub end: usize,
    pub inner: (usize, usize),
    /// False when the paragraph ended before a closing mark.
    pub closed: bool,
    /// Opens a paragraph that continues the previous paragraph's unclosed quote.
    pub continuation: bool,
    /// Single quotes (‘…’ or '…').
    pub single: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Dir {
    Open,
    Close,
}

#[derive(Clone, Copy, Debug)]
struct Mark {
    pos: usize,
    len: usize,
    dir: Dir,
}

pub fn is_quote_char_str(s: &str) -> bool {
    matches!(
        s,
        "\"" | "“" | "”" | "„" | "«" | "»" | "‘" | "’" | "'" | "``" | "''" | "`"
    )
}

fn is_open_context(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => c.is_whitespace() || matches!(c, '(' | '[' | '{' | '—' | '–' | '-' | ':' | '/'),
    }
}

fn is_close_context(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || matches!(
                    c,
                    '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '}' | '—' | '–' | '-' | '…'
                )
        }
    }
}

/// Double-quote marks of one paragraph with a direction guessed from context.
fn double_marks(text: &str, from: usize, to: usize) -> Vec<Mark> {
    let para = &text[from..to];
    let mut out = Vec::new();
    let mut it = para.char_indices().peekable();
    let mut prev: Option<char> = text[..from].chars().next_back();
    while let Some((i, c)) = it.next() {
        let next = it.peek().map(|&(_, c)| c);
        let pos = from + i;
        let m = match c {
            '“' | '„' | '«' => Some((c.len_utf8(), Dir::Open)),
            '»' => Some((c.len_utf8(), Dir::Close)),
            // Curly closing marks used as openers appear in careless copy.
            '”' => Some((
                c.len_utf8(),
                if is_open_context(prev) && !is_close_context(next) {
                    Dir::Open
                } else {
                    Dir::Close
                },
            )),
            '"' => Some((
                1,
                if is_open_context(prev) && !is_close_context(next) {
                    Dir::Open
                } else if is_close_context(next) || !is_open_context(prev) {
                    Dir::Close
                } else {
                    Dir::Open
                },
            )),
            '`' if next == Some('`') => {
                it.next();
                Some((2, Dir::Open))
            }
            '\'' if next == Some('\'') => {
                it.next();
                // NYT-style copy opens with '' too.
                let after = para[i + 2..].chars().next();
                let dir = if is_open_context(prev) && after.is_some_and(|c| c.is_alphanumeric()) {
                    Dir::Open
                } else {
                    Dir::Close
                };
                Some((2, dir))
            }
            _ => None,
        };
        if let Some((len, dir)) = m {
            out.push(Mark { pos, len, dir });
            prev = Some(para[..i + len].chars().next_back().unwrap_or(c));
        } else {
            prev = Some(c);
        }
    }
    out
}

/// Pairs marks with a stack; `None` when they do not nest.
/// Paired (open, close) marks and the one left open, if any.
type Pairing = (Vec<(Mark, Mark)>, Option<Mark>);

fn pair_nested(marks: &[Mark]) -> Option<Pairing> {
    let mut stack: Vec<Mark> = Vec::new();
    let mut out = Vec::new();
    for &m in marks {
        match m.dir {
            Dir::Open => stack.push(m),
            Dir::Close => {
                let Some(o) = stack.pop() else {
                    continue; // a stray closer: ignore it
                };
                if stack.is_empty() {
                    out.push((o, m));
                }
            }
        }
    }
    match stack.len() {
        0 => Some((out, None)),
        1 => Some((out, stack.first().copied())),
        _ => None,
    }
}

/// Pairs marks in order (1st with 2nd, 3rd with 4th): the fallback for straight
/// quotes whose direction was misread.
fn pair_toggle(marks: &[Mark]) -> Pairing {
    let mut out = Vec::new();
    let mut it = marks.chunks_exact(2);
    for pair in &mut it {
        out.push((pair[0], pair[1]));
    }
    (out, it.remainder().first().copied())
}

/// Paragraph byte ranges: text between blank lines.
fn paragraphs(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        if blank {
            if let Some(s) = start.take() {
                out.push((s, pos));
            }
        } else if start.is_none() {
            start = Some(pos);
        }
        pos += line.len();
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out.into_iter()
        .map(|(s, e)| (s, s + text[s..e].trim_end().len()))
        .collect()
}

fn starts_with_open_quote(text: &str, from: usize, to: usize) -> bool {
    let p = text[from..to].trim_start();
    p.starts_with('“') || p.starts_with('"') || p.starts_with("``") || p.starts_with('«')
}

/// Single-quoted spans outside double quotes: `‘true’`, `'Concrete steps'`.
fn single_spans(text: &str, from: usize, to: usize, taken: &[(usize, usize)]) -> Vec<QuoteSpan> {
    const MAX_LEN: usize = 300;
    let para = &text[from..to];
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let mut prev: Option<char> = text[..from].chars().next_back();
    let mut it = para.char_indices().peekable();
    let taken = crate::spans::SpanIndex::new(taken.iter().copied());
    while let Some((i, c)) = it.next() {
        let next = it.peek().map(|&(_, c)| c);
        let pos = from + i;
        let inside_double = taken.any_covering(pos, pos + 1);
        if (c == '‘' || c == '\'' || c == '’') && !inside_double {
            let opens = is_open_context(prev) && next.is_some_and(|n| n.is_alphanumeric());
            let closes = prev.is_some_and(|p| !p.is_whitespace())
                && !next.is_some_and(|n| n.is_alphanumeric());
            if let Some(o) = open {
                if pos - o > MAX_LEN {
                    open = None;
                }
            }
            if closes && c != '‘' {
                if let Some(o) = open.take() {
                    let end = pos + c.len_utf8();
                    out.push(QuoteSpan {
                        start: o,
                        end,
                        inner: (o + text[o..].chars().next().map_or(1, char::len_utf8), pos),
                        closed: true,
                        continuation: false,
                        single: true,
                    });
                }
            } else if opens && c != '’' {
                open = Some(pos);
            }
        }
        prev = Some(c);
    }
    out
}

/// All top-level quoted spans of `text`, in order.
pub fn find_quotes(text: &str) -> Vec<QuoteSpan> {
    let paras = paragraphs(text);
    let mut out: Vec<QuoteSpan> = Vec::new();
    let mut carry_continues = false;
    let mut left_open = false;
    for (pi, &(from, to)) in paras.iter().enumerate() {
        let mut marks = double_marks(text, from, to);
        // "…and Iran.\n\nAnd only when … Jordan.\"": a quote left open runs on
        // into a paragraph that does not reopen it but closes it.
        let mut run_on: Option<QuoteSpan> = None;
        if left_open && !carry_continues {
            if let Some(&first) = marks.first().filter(|m| m.dir == Dir::Close) {
                run_on = Some(QuoteSpan {
                    start: from,
                    end: first.pos + first.len,
                    inner: (from, first.pos),
                    closed: true,
                    continuation: true,
                    single: false,
                });
                marks.remove(0);
            }
        }
        let (pairs, unclosed) = pair_nested(&marks).unwrap_or_else(|| pair_toggle(&marks));
        let mut spans: Vec<QuoteSpan> = pairs
            .iter()
            .map(|(o, c)| QuoteSpan {
                start: o.pos,
                end: c.pos + c.len,
                inner: (o.pos + o.len, c.pos),
                closed: true,
                continuation: false,
                single: false,
            })
            .collect();
        if let Some(o) = unclosed {
            if o.pos + o.len <= to {
                spans.push(QuoteSpan {
                    start: o.pos,
                    end: to,
                    inner: (o.pos + o.len, to),
                    closed: false,
                    continuation: false,
                    single: false,
                });
            }
        }
        spans.extend(run_on);
        spans.sort_by_key(|s| s.start);
        if carry_continues {
            if let Some(first) = spans.first_mut() {
                if text[from..first.start].trim().is_empty() {
                    first.continuation = true;
                }
            }
        }
        // A paragraph ending inside a quote continues when the next one opens again.
        left_open = spans.last().is_some_and(|s| !s.closed);
        carry_continues = left_open
            && paras
                .get(pi + 1)
                .is_some_and(|&(f, t)| starts_with_open_quote(text, f, t));
        let taken: Vec<(usize, usize)> = spans.iter().map(|s| (s.start, s.end)).collect();
        spans.extend(single_spans(text, from, to, &taken));
        spans.sort_by_key(|s| s.start);
        out.extend(spans);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inner(text: &str) -> Vec<&str> {
        find_quotes(text)
            .iter()
            .map(|q| &text[q.inner.0..q.inner.1])
            .collect()
    }

    #[test]
    fn straight_curly_and_nested() {
        assert_eq!(inner("He said \"no way,\" and left."), vec!["no way,"]);
        assert_eq!(
            inner("“We ‘moderate’ them,” she said. “Fine.”"),
            vec!["We ‘moderate’ them,", "Fine."]
        );
        assert_eq!(
            inner("\"He told me \"stop\" twice,\" she said."),
            vec!["He told me \"stop\" twice,"]
        );
        assert_eq!(inner("``Yes,'' he said."), vec!["Yes,"]);
    }

    #[test]
    fn single_quotes_and_apostrophes() {
        assert_eq!(
            inner("Russia's call for a ‘true’ ceasefire and 'Concrete steps' don't."),
            vec!["true", "Concrete steps"]
        );
    }

    #[test]
    fn paragraph_continuation() {
        let t = "\"First part of it.\n\n\"Second part,\" he said.";
        let q = find_quotes(t);
        assert_eq!(q.len(), 2);
        assert!(!q[0].closed);
        assert!(q[1].continuation && q[1].closed);
    }

    #[test]
    fn quote_runs_on_into_a_paragraph_that_closes_it() {
        let t = "\"First part of it.\n\nSecond part.\" she said.";
        let q = find_quotes(t);
        assert_eq!(q.len(), 2, "{q:?}");
        assert!(!q[0].closed);
        assert!(q[1].continuation && q[1].closed);
        assert_eq!(&t[q[1].inner.0..q[1].inner.1], "Second part.");
    }

    #[test]
    fn unclosed_quote_stops_at_paragraph_end() {
        let t = "He said \"this never closes.\n\nNext paragraph.";
        let q = find_quotes(t);
        assert_eq!(q.len(), 1);
        assert_eq!(&t[q[0].start..q[0].end], "\"this never closes.");
        assert!(!q[0].closed);
    }
}
