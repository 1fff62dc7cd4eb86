//! Quotes and reported speech with their cue and speaker span.
//!
//! Direct quotes come from quotation marks; each looks for a reporting cue in its own
//! sentence (the nearer side wins, the reporting clause after a sentence-initial quote
//! first), then in a short following sentence ("Why?" he asked.), then falls back to
//! the previous quote's speaker when it continues the same or the previous paragraph.
//! Reported speech comes from the parse: a cue verb's clausal complement, the clause a
//! trailing "…, X added." hangs on, "according to X", "accused Y of …", and "in a
//! statement, X …".

use crate::cues::{self, in_list};
use crate::marks::{find_quotes, QuoteSpan};
use crate::spans::SpanIndex;
use crate::view::View;

/// A quote before speaker resolution. Token ranges are inclusive.
#[derive(Debug, Clone)]
pub struct RawQuote {
    pub start: usize,
    pub end: usize,
    pub kind: &'static str,
    pub cue: Option<(usize, usize)>,
    /// Speaker noun phrase as tokens `lo..=hi`.
    pub speaker: Option<(usize, usize)>,
    /// Identifies the attribution (cue token), so fragments of one quote group.
    pub cue_token: Option<usize>,
}

#[derive(Debug, Clone, Copy)]
struct Cue {
    /// The cue head token (verb, or "according").
    tok: usize,
    /// Cue text span in tokens, inclusive.
    span: (usize, usize),
    speaker: Option<(usize, usize)>,
    /// A speech verb (may attribute a quotation), not only a stance or finding.
    speech: bool,
}

const NP_SKIP: &[&str] = &[
    "acl",
    "acl:relcl",
    "appos",
    "punct",
    "advmod",
    "parataxis",
    "ccomp",
    "advcl",
    "dep",
    "list",
    "discourse",
    "vocative",
];

/// The speaker noun phrase headed by `h` (relative clauses left out, and appositions
/// unless they are the name right after a title: "editor James Bays").
pub fn np(v: &View, h: usize) -> (usize, usize) {
    let (mut lo, mut hi) = v.subtree(h, NP_SKIP);
    // "Russian counterpart Vladimir Putin": a name apposed right after a title.
    while let Some(c) = (hi + 1 < v.len()).then_some(hi + 1).filter(|&c| {
        v.upos(c) == "PROPN"
            && matches!(v.deprel(c), "appos" | "flat" | "compound")
            && v.head(c).is_some_and(|p| lo <= p && p <= hi)
    }) {
        hi = v.subtree(c, NP_SKIP).1.max(c);
    }
    // The same for a tagged name whose parse hangs it on its own head word.
    if let Some(e) = (hi + 1 < v.len())
        .then(|| v.tok(hi + 1).start)
        .and_then(|s| {
            v.entities
                .starting_at(s)
                .map(|i| &v.doc.entities[i])
                .find(|e| e.label == "PER")
        })
    {
        let last = v.token_at_or_after(e.end).saturating_sub(1);
        if (hi + 1..=last).any(|t| v.head(t).is_some_and(|p| lo <= p && p <= hi)) {
            hi = last.max(hi);
        }
    }
    // "according to X": the case markers are the cue, not the speaker.
    while lo < h && (v.upos(lo) == "PUNCT" || matches!(v.deprel(lo), "case" | "fixed" | "mark")) {
        lo += 1;
    }
    while hi > h && v.upos(hi) == "PUNCT" {
        hi -= 1;
    }
    (lo, hi)
}

fn subject_of(v: &View, verb: usize) -> Option<usize> {
    let mut cur = verb;
    for _ in 0..4 {
        // A passive cue's subject is what was said of, not who said it ("Kerry is
        // expected to …"), except "X was quoted as saying".
        if v.lemma(cur) != "quote" && v.child_with(cur, &["nsubj:pass"]).is_some() {
            return v.child_with(cur, &["obl:agent"]);
        }
        if let Some(s) = v.child_with(cur, &["nsubj", "nsubj:pass", "csubj"]) {
            // "Lavrov, who said …": the relative pronoun stands for the noun.
            if matches!(v.lower(s), "who" | "which" | "that") && v.deprel(cur).starts_with("acl") {
                return v.head(cur);
            }
            return Some(s);
        }
        // "…, adding:", "was quoted as saying", "said … and added": the subject
        // belongs to the governing verb. Only for plain speech verbs: "a resolution
        // calling for …" is not its governor's speech.
        if matches!(v.deprel(cur), "advcl" | "xcomp" | "conj" | "acl")
            && in_list(cues::CLIMBING_VERBS, v.lemma(verb))
        {
            cur = v.head(cur)?;
        } else {
            return None;
        }
    }
    None
}

fn find_cues(v: &View, in_quote: &[bool]) -> Vec<Cue> {
    let mut out = Vec::new();
    for (i, &quoted) in in_quote.iter().enumerate() {
        if quoted {
            continue;
        }
        let lemma = v.lemma(i);
        if lemma == "accord" || v.lower(i) == "according" {
            // according to X
            if i + 1 < v.len() && v.lower(i + 1) == "to" {
                // UD makes "according" a case marker of X; fall back to the first noun.
                let sent = v.sent_of[i];
                let head = v
                    .head(i)
                    .filter(|&h| {
                        h > i + 1
                            && v.sent_of[h] == sent
                            && matches!(v.upos(h), "NOUN" | "PROPN" | "PRON")
                    })
                    .or_else(|| {
                        (i + 2..v.len().min(i + 10)).find(|&j| {
                            matches!(v.upos(j), "NOUN" | "PROPN" | "PRON") && v.sent_of[j] == sent
                        })
                    });
                if let Some(h) = head {
                    out.push(Cue {
                        tok: i,
                        span: (i, i + 1),
                        speaker: Some(np(v, h)),
                        speech: true,
                    });
                }
            }
            continue;
        }
        let speech = cues::is_reporting_verb(lemma);
        // Any verb with a that-clause reports a stance ("hopes that", "found that").
        let clausal = v
            .child_with(i, &["ccomp"])
            .is_some_and(|c| c > i && matches!(v.lower(v.subtree(c, &[]).0), "that" | "whether"));
        let prepositional = prepositional_content(v, i).is_some();
        if v.upos(i) != "VERB"
            || !(speech || clausal || prepositional || in_list(cues::ATTITUDE_VERBS, lemma))
        {
            continue;
        }
        // A speaker phrase never runs into a quotation (a confused parse can make
        // the quote part of the subject): keep what follows the last quoted token.
        let speaker = subject_of(v, i).map(|s| np(v, s)).and_then(|(lo, hi)| {
            match (lo..=hi).rev().find(|&t| in_quote[t]) {
                Some(q) if q < hi => Some((q + 1, hi)),
                Some(_) => None,
                None => Some((lo, hi)),
            }
        });
        // Phrasal cues keep their particle: "called for", "pointed out".
        let mut span = (i, i);
        if let Some(p) = v
            .children
            .get(i)
            .and_then(|c| c.iter().copied().find(|&c| v.deprel(c) == "compound:prt"))
        {
            span.1 = span.1.max(p);
        }
        out.push(Cue {
            tok: i,
            span,
            speaker,
            speech,
        });
    }
    out
}

fn content_words(v: &View, lo: usize, hi: usize) -> usize {
    (lo..=hi).filter(|&i| v.upos(i) != "PUNCT").count()
}

struct Ctx<'a, 'b> {
    v: &'a View<'b>,
    quotes: Vec<QuoteSpan>,
    /// Token index → quote index.
    tok_quote: Vec<Option<usize>>,
    cues: Vec<Cue>,
    /// Token index → the first cue on it (looked up per token, so not a scan).
    tok_cue: Vec<Option<usize>>,
    /// Running maximum of the quotations' ends, when they are in text order (else
    /// empty): `whole_quotations` skips those ending before its span.
    quote_max_end: Vec<usize>,
    /// Cues with a speaker that report speech, in order (indices into `cues`), and
    /// whether `cues` is in token order (so the latest before a token is a search).
    speaking: Vec<usize>,
    cues_sorted: bool,
    newlines: NewlineRuns,
}

impl Ctx<'_, '_> {
    fn quote_tokens(&self, q: &QuoteSpan) -> Option<(usize, usize)> {
        let a = self.v.token_at_or_after(q.start);
        let b = self.v.token_at_or_after(q.end);
        (b > a).then(|| (a, b - 1))
    }

    fn cue_at(&self, t: usize) -> Option<&Cue> {
        self.tok_cue
            .get(t)
            .copied()
            .flatten()
            .map(|i| &self.cues[i])
    }

    fn usable(&self, c: &Cue) -> bool {
        c.speaker.is_some() && c.speech
    }

    /// The nearest usable cue in `range` (in the given order), not inside a quote.
    fn scan(&self, range: impl Iterator<Item = usize>) -> Option<(Cue, usize)> {
        for (d, t) in range.enumerate() {
            if let Some(c) = self.cue_at(t) {
                if self.usable(c) {
                    return Some((*c, d));
                }
            }
        }
        None
    }
}

/// The text's runs of newlines, to count the blank lines between two offsets
/// without reading the text between them (a quotation far from the speaker it
/// might continue must not cost the bytes in between, once per quotation).
struct NewlineRuns {
    /// `(start byte, length)` of each maximal run of `\n`, in text order.
    runs: Vec<(usize, usize)>,
    /// `pairs[i]`: the `\n\n` pairs in `runs[..i]`.
    pairs: Vec<usize>,
}

impl NewlineRuns {
    fn new(text: &str) -> Self {
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for (i, b) in text.bytes().enumerate() {
            match runs.last_mut() {
                Some((s, l)) if b == b'\n' && *s + *l == i => *l += 1,
                _ if b == b'\n' => runs.push((i, 1)),
                _ => {}
            }
        }
        let mut pairs = Vec::with_capacity(runs.len() + 1);
        let mut n = 0;
        pairs.push(0);
        for &(_, l) in &runs {
            n += l / 2;
            pairs.push(n);
        }
        NewlineRuns { runs, pairs }
    }

    /// `text[a..b].matches("\n\n").count()` (0 when that is no slice): a run of
    /// `k` newlines inside the slice holds `k / 2` such pairs.
    fn paragraph_breaks(&self, text: &str, a: usize, b: usize) -> usize {
        if text.get(a..b).is_none() {
            return 0;
        }
        let first = self.runs.partition_point(|&(s, l)| s + l <= a);
        let last = self.runs.partition_point(|&(s, _)| s < b);
        if first >= last {
            return 0;
        }
        let clipped = |i: usize| {
            let (s, l) = self.runs[i];
            ((s + l).min(b) - s.max(a)) / 2
        };
        if last - first == 1 {
            return clipped(first);
        }
        clipped(first) + (self.pairs[last - 1] - self.pairs[first + 1]) + clipped(last - 1)
    }
}

pub fn extract(v: &View) -> Vec<RawQuote> {
    let quotes = find_quotes(v.doc.text.as_str());
    let tok_quote = quote_of_token(v, &quotes);
    let in_quote: Vec<bool> = tok_quote.iter().map(Option::is_some).collect();
    let cues = find_cues(v, &in_quote);
    let mut tok_cue = vec![None; v.len()];
    for (i, c) in cues.iter().enumerate().rev() {
        if let Some(slot) = tok_cue.get_mut(c.tok) {
            *slot = Some(i);
        }
    }
    let quote_max_end = if quotes.windows(2).all(|w| w[0].start <= w[1].start) {
        quotes
            .iter()
            .scan(0, |m, q| {
                *m = q.end.max(*m);
                Some(*m)
            })
            .collect()
    } else {
        Vec::new()
    };
    let speaking = (0..cues.len())
        .filter(|&i| cues[i].speaker.is_some() && cues[i].speech)
        .collect();
    let cues_sorted = cues.windows(2).all(|w| w[0].tok <= w[1].tok);
    let ctx = Ctx {
        v,
        quotes,
        tok_quote,
        cues,
        tok_cue,
        quote_max_end,
        speaking,
        cues_sorted,
        newlines: NewlineRuns::new(v.doc.text.as_str()),
    };
    let mut out: Vec<RawQuote> = Vec::new();
    // The latest direct quote: a quotation with no cue of its own may continue it.
    let mut last_direct: Option<usize> = None;
    for q in &ctx.quotes {
        let Some(quote) = ctx.attribute(q, &out, last_direct) else {
            continue;
        };
        let direct = quote.kind == "direct";
        out.push(quote);
        if direct {
            last_direct = Some(out.len() - 1);
        }
    }
    out.extend(reported(&ctx, &out));
    let learned = learned_contents(&ctx, &out);
    out.extend(learned);
    out.sort_by_key(|q| (q.start, q.end));
    out
}

/// Token index → the quotation (index into `quotes`) the token lies inside.
fn quote_of_token(v: &View, quotes: &[QuoteSpan]) -> Vec<Option<usize>> {
    let mut tok_quote = vec![None; v.len()];
    let mut qi = 0;
    for (i, slot) in tok_quote.iter_mut().enumerate() {
        let t = v.tok(i);
        while qi < quotes.len() && quotes[qi].end <= t.start {
            qi += 1;
        }
        if let Some(q) = quotes.get(qi) {
            if q.start <= t.start && t.end <= q.end {
                *slot = Some(qi);
            }
        }
    }
    tok_quote
}

/// Where a continued quotation's attribution comes from: (end byte of the quote
/// or cue it continues, cue span, speaker, cue token).
type Inherited = (
    usize,
    Option<(usize, usize)>,
    Option<(usize, usize)>,
    Option<usize>,
);

impl Ctx<'_, '_> {
    /// Quotation `q` as a direct or partial quote with its own cue, or as a direct
    /// quote continuing the latest speaker; `None` for scare quotes, terms in
    /// quotation marks and headings.
    fn attribute(
        &self,
        q: &QuoteSpan,
        out: &[RawQuote],
        last_direct: Option<usize>,
    ) -> Option<RawQuote> {
        let v = self.v;
        let (qa, qb) = self.quote_tokens(q)?;
        let s1 = v.sent_of[qa];
        let s2 = v.sent_of[qb];
        let r1 = v.sentence_tokens(s1);
        let r2 = v.sentence_tokens(s2);
        let words = content_words(v, qa, qb);
        if words == 0 {
            return None;
        }
        let before_words = (r1.start..qa)
            .filter(|&i| v.upos(i) != "PUNCT" && self.tok_quote[i].is_none())
            .count();
        let inner = v
            .doc
            .text
            .get(q.inner.0..q.inner.1)
            .unwrap_or("")
            .trim_end();
        let ends_punct = inner.ends_with(['.', ',', '?', '!', '…', ':', ';', '-', '—']);
        let prev = (qa > r1.start).then(|| v.lower(qa - 1));
        let prev2 = (qa > r1.start + 1).then(|| v.lower(qa - 2));
        let next_noun = (qb + 1 < r2.end)
            .then(|| qb + 1)
            .is_some_and(|n| matches!(v.upos(n), "NOUN" | "PROPN") && !ends_punct);
        let scare_marked = prev.is_some_and(|p| in_list(cues::SCARE_PREFIXES, p))
            || (prev == Some("as") && prev2 == Some("known"))
            || (prev == Some("called")
                && prev2.is_some_and(|w| matches!(w, "group" | "a" | "the" | "so")))
            || (words <= 3 && next_noun);
        if scare_marked {
            return None;
        }
        // A quote is a whole statement when nothing but a reporting cue stands before
        // it in its sentence; inside a clause it is a partial quote.
        let after_cue = qa > r1.start
            && (self.cue_at(qa - 1).is_some()
                || qa > r1.start + 1
                    && matches!(v.lower(qa - 1), ":" | ",")
                    && self.cue_at(qa - 2).is_some());
        let sentence_like = q.continuation
            || (before_words == 0 && words >= 2)
            || (prev.is_some_and(|p| p == ":" || p == ",") || after_cue)
                && (words >= 3 || ends_punct);
        let kind = if sentence_like { "direct" } else { "partial" };
        if let Some(c) = self.own_cue(qa, qb, r1.start, r2.end, s2, before_words) {
            return Some(RawQuote {
                start: q.start,
                end: q.end,
                kind,
                cue: Some(c.span),
                speaker: c.speaker,
                cue_token: Some(c.tok),
            });
        }
        if !sentence_like {
            return None; // a term in quotation marks, no speaker
        }
        let inherit = self.inherited(q, qa, s1, out, last_direct);
        // Single-quoted spans with no cue of their own are headings or terms.
        if q.single || (inherit.is_none() && words < 4) {
            return None;
        }
        Some(RawQuote {
            start: q.start,
            end: q.end,
            kind: "direct",
            cue: inherit.and_then(|x| x.1),
            speaker: inherit.and_then(|x| x.2),
            cue_token: inherit.and_then(|x| x.3),
        })
    }

    /// The cue of the quotation at tokens `qa..=qb`: the nearer usable cue on either
    /// side inside its sentences (after it when nothing stands before it), else a
    /// reporting clause split off as the next sentence.
    fn own_cue(
        &self,
        qa: usize,
        qb: usize,
        first_sentence_start: usize,
        last_sentence_end: usize,
        s2: usize,
        before_words: usize,
    ) -> Option<Cue> {
        let v = self.v;
        let after_words = (qb + 1..last_sentence_end)
            .filter(|&i| v.upos(i) != "PUNCT")
            .count();
        // Cue search: both sides of the quote inside its sentences.
        let after = self.scan((qb + 1)..last_sentence_end);
        let before = self.scan((first_sentence_start..qa).rev());
        let cue = match (before, after) {
            (Some(b), Some(a)) => {
                if before_words == 0 || a.1 <= b.1 {
                    Some(a.0)
                } else {
                    Some(b.0)
                }
            }
            (b, a) => a.or(b).map(|x| x.0),
        };
        if cue.is_some() || after_words != 0 {
            return cue;
        }
        // "Why?" he asked. — the reporting clause split off as its own sentence.
        let r3 = v.sentence_tokens(s2 + 1);
        if r3.len() <= 16 && r3.clone().any(|t| self.cue_at(t).is_some_and(|c| c.speech)) {
            return self.scan(r3).map(|x| x.0);
        }
        None
    }

    /// Continuation: the latest speaker before quotation `q` (first token `qa`, in
    /// sentence `s1`), a direct quote's or a reporting clause's, in the same or the
    /// previous paragraph and at most 4 sentences back.
    fn inherited(
        &self,
        q: &QuoteSpan,
        qa: usize,
        s1: usize,
        out: &[RawQuote],
        last_direct: Option<usize>,
    ) -> Option<Inherited> {
        let v = self.v;
        let text = v.doc.text.as_str();
        let near = |at: usize, tok: usize| {
            self.newlines.paragraph_breaks(text, at, q.start) <= 1 && v.sent_of[tok] + 4 >= s1
        };
        let from_quote = last_direct
            .filter(|&p| near(out[p].end, v.token_at_or_after(out[p].end).min(v.len() - 1)))
            .map(|p| (out[p].end, out[p].cue, out[p].speaker, out[p].cue_token));
        // The latest speaking cue before the quotation (a search when cues are in
        // token order, as `find_cues` makes them).
        let latest = if self.cues_sorted {
            let k = self.speaking.partition_point(|&i| self.cues[i].tok < qa);
            k.checked_sub(1).map(|k| &self.cues[self.speaking[k]])
        } else {
            self.cues
                .iter()
                .rev()
                .find(|c| c.tok < qa && c.speaker.is_some() && c.speech)
        };
        let from_cue = latest
            .filter(|c| {
                in_list(cues::CLIMBING_VERBS, v.lemma(c.tok)) || v.lower(c.tok) == "according"
            })
            .filter(|c| near(v.tok(c.span.1).end, c.tok))
            .map(|c| (v.tok(c.span.1).end, Some(c.span), c.speaker, Some(c.tok)));
        match (from_quote, from_cue) {
            (Some(a), Some(b)) => Some(if b.0 > a.0 { b } else { a }),
            (a, b) => a.or(b),
        }
    }
}

/// The clause a cue reports: its ccomp, or a clause after it the parser attached
/// otherwise ("told reporters that …" read as parataxis or advcl).
fn complement(v: &View, cue: usize) -> Option<usize> {
    if let Some(c) = v.child_with(cue, &["ccomp"]) {
        return Some(c);
    }
    v.children[cue].iter().copied().find(|&c| {
        c > cue && matches!(v.deprel(c), "parataxis" | "advcl" | "dep" | "obj" | "conj") && {
            let (lo, _) = v.subtree(c, &[]);
            lo > cue && matches!(v.lower(lo), "that" | "whether")
                || v.deprel(c) == "parataxis"
                    && in_list(cues::CLIMBING_VERBS, v.lemma(cue))
                    && v.tok(lo.saturating_sub(1)).text != ","
        }
    })
}

/// "spoke of X", "called on Y to Z": the tokens after the preposition that
/// introduces the content of a PREP_CUES verb, with an infinitive that follows
/// ("called on Trump to apologize").
fn prepositional_content(v: &View, cue: usize) -> Option<(usize, usize)> {
    let preps = cues::content_prepositions(v.lemma(cue));
    if preps.is_empty() {
        return None;
    }
    let obl = v.children[cue].iter().copied().find(|&c| {
        c > cue
            && v.deprel(c).starts_with("obl")
            && !in_time(v, c)
            && v.children[c]
                .iter()
                .any(|&k| v.deprel(k) == "case" && preps.contains(&v.lower(k)))
    })?;
    let (lo, mut hi) = v.subtree(obl, &["punct"]);
    let case = v.children[obl]
        .iter()
        .copied()
        .find(|&k| v.deprel(k) == "case")?;
    if case + 1 > hi || case < lo {
        return None;
    }
    if let Some(x) = v.children[cue]
        .iter()
        .copied()
        .find(|&x| x > hi && v.deprel(x) == "xcomp")
    {
        hi = hi.max(v.subtree(x, &["punct"]).1);
    }
    Some((case + 1, hi))
}

/// Whether token `t` lies in a time expression ("spoke on Tuesday").
fn in_time(v: &View, t: usize) -> bool {
    let tok = v.tok(t);
    v.times.any_covering(tok.start, tok.end)
}

/// "…, Lavrov said." / "…, Ayrault told Lavrov.": a reporting clause after a comma,
/// attached by the parser to the reported clause as parataxis (or conj).
fn trailing_clause(v: &View, cue: usize) -> bool {
    let Some(h) = v.head(cue) else { return false };
    if h >= cue || !matches!(v.deprel(cue), "parataxis" | "conj") {
        return false;
    }
    if v.child_with(cue, &["cc"]).is_some() {
        return false; // "… and added": a second statement, not a trailing clause
    }
    let (lo, _) = v.subtree(cue, &["punct"]);
    lo > 0 && matches!(v.tok(lo - 1).text.as_str(), "," | "”" | "\"" | "’" | "'")
}

/// Reported speech from cue verbs and "according to".
fn reported(ctx: &Ctx, direct: &[RawQuote]) -> Vec<RawQuote> {
    let v = ctx.v;
    let mut out = Vec::new();
    // Looked up per cue and per content: a set and a span index, not scans of
    // every direct quote.
    let introduced: std::collections::HashSet<usize> = direct
        .iter()
        .filter(|d| d.kind == "direct")
        .filter_map(|d| d.cue_token)
        .collect();
    let direct_spans = SpanIndex::of(direct, |d| (d.start, d.end), |d| d.kind == "direct");
    for c in &ctx.cues {
        let Some(speaker) = c.speaker else { continue };
        if in_list(cues::CONTINUE_ONLY, v.lemma(c.tok)) {
            continue;
        }
        // A cue that introduced a quotation reports nothing more.
        if introduced.contains(&c.tok) {
            continue;
        }
        let sr = v.sentence_tokens(v.sent_of[c.tok]);
        if sr.is_empty() {
            continue;
        }
        let Some((lo, hi)) = ctx.content_tokens(c, speaker, sr) else {
            continue;
        };
        let (lo, hi) = ctx.content_alone(c, speaker, lo, hi);
        if hi < lo || content_words(v, lo, hi) < 2 {
            continue;
        }
        let Some((start, end)) = v.trimmed_span(lo, hi) else {
            continue;
        };
        let (start, end) = ctx.whole_quotations(start, end);
        if mostly_direct(direct, &direct_spans, start, end) {
            continue;
        }
        out.push(RawQuote {
            start,
            end,
            kind: "indirect",
            cue: Some(c.span),
            speaker: Some(speaker),
            cue_token: Some(c.tok),
        });
    }
    out.extend(medium_statements(ctx));
    out.extend(noun_cues(ctx));
    out.extend(colon_statements(ctx));
    out
}

/// Whether direct quotes already cover more than half of bytes `start..end`
/// (`spans`: the direct ones of `direct`, by span; only those overlapping count).
fn mostly_direct(direct: &[RawQuote], spans: &SpanIndex, start: usize, end: usize) -> bool {
    let len = end - start;
    if len == 0 {
        return false;
    }
    let covered: usize = spans
        .reaching(end - 1, start + 1)
        .into_iter()
        .map(|i| &direct[i])
        .map(|d| d.end.min(end).saturating_sub(d.start.max(start)))
        .sum();
    covered * 2 > len
}

impl Ctx<'_, '_> {
    /// The tokens (inclusive) of what cue `c` reports, in its sentence `sr`: the
    /// clause before "according to", the cue's complement, a that-clause hung
    /// elsewhere, the clause a trailing cue follows, an object or infinitive, a
    /// prepositional content, or what follows an accusation.
    fn content_tokens(
        &self,
        c: &Cue,
        speaker: (usize, usize),
        sr: std::ops::Range<usize>,
    ) -> Option<(usize, usize)> {
        let v = self.v;
        let last = sr.end - 1;
        if v.lower(c.tok) == "according" {
            let (_, np_hi) = speaker;
            if c.tok > sr.start + 1 {
                Some((sr.start, c.tok - 1))
            } else {
                Some((np_hi + 1, last))
            }
        } else if let Some(cc) = complement(v, c.tok) {
            let (lo, hi) = v.subtree(cc, &[]);
            if hi < c.tok {
                // Content before its reporting clause runs up to that clause.
                let clause = speaker.0.min(c.span.0);
                Some((sr.start.min(lo), clause.saturating_sub(1).max(lo)))
            } else {
                // The reported clause runs to the end of the sentence: the parser often
                // hangs its second half on the cue ("said he X and was Y").
                Some((lo, hi.max(last)))
            }
        } else if let Some(that) = (c.span.1 + 1..last.min(c.span.1 + 7)).find(|&t| {
            c.speech
                && v.lower(t) == "that"
                && (v.deprel(t) == "mark"
                    || v.head(t).is_some_and(|h| h > t && v.upos(h) != "NOUN"))
                && self.tok_quote[t].is_none()
        }) {
            // "says in Ohio that …", "is telling a group that …": a that-clause the
            // parser hung elsewhere (or read "that" as a pronoun object).
            Some((that, last))
        } else if trailing_clause(v, c.tok) {
            let (lo, _) = v.subtree(c.tok, &[]);
            (lo > sr.start).then(|| (sr.start, lo - 1))
        } else if let Some(o) = v.children[c.tok].iter().copied().find(|&o| {
            o > c.span.1
                && (v.deprel(o) == "xcomp"
                    || v.deprel(o) == "obj" && in_list(cues::OBJECT_CUES, v.lemma(c.tok)))
                && !in_list(cues::EMPTY_OBJECTS, v.lower(o))
        }) {
            // "said yes", "wants a full debate", "plans to run": PolNeAR-style contents
            // are noun phrases and infinitives too.
            let (lo, hi) = v.subtree(o, &[]);
            if in_list(cues::ACCUSE_LIKE, v.lemma(c.tok)) {
                Some((lo, last))
            } else {
                // The reported clause runs to the end of the sentence: the parser often
                // hangs its second half on the cue ("said he X and was Y").
                Some((lo, hi.max(last)))
            }
        } else if let Some(span) = prepositional_content(v, c.tok) {
            Some(span)
        } else if in_list(cues::ACCUSE_LIKE, v.lemma(c.tok)) {
            let has_arg = v
                .child_with(c.tok, &["obj", "obl", "xcomp", "iobj"])
                .is_some();
            (has_arg && c.span.1 < last).then(|| (c.span.1 + 1, last))
        } else {
            None
        }
    }

    /// Content tokens `lo..=hi` without the speaker and the cue, and cut before a
    /// further attribution ("…, arguing that …", "…, according to X").
    fn content_alone(
        &self,
        c: &Cue,
        speaker: (usize, usize),
        mut lo: usize,
        mut hi: usize,
    ) -> (usize, usize) {
        let v = self.v;
        let (sp_lo, sp_hi) = speaker;
        // Leave the speaker and the cue out of the content.
        if lo <= sp_hi && sp_hi < hi && sp_lo <= lo {
            lo = sp_hi + 1;
        }
        if hi >= c.span.0 && lo < c.span.0 && c.span.1 >= hi {
            hi = c.span.0.saturating_sub(1);
        }
        // A further attribution hanging on the content after a comma ("…, arguing
        // that …", "…, saying: …") is its own statement, not part of this one.
        if let Some(cut) = (lo..=hi).find(|&t| {
            t > lo
                && t != c.tok
                && self.cue_at(t).is_some()
                && matches!(v.deprel(t), "advcl" | "conj" | "parataxis")
                && v.subtree(t, &["punct"]).0 > lo + 1
                && matches!(
                    v.tok(v.subtree(t, &["punct"]).0 - 1).text.as_str(),
                    "," | "”" | "\"" | "’"
                )
        }) {
            hi = v.subtree(cut, &["punct"]).0 - 2;
        }
        // "…, according to X" closes the content: it is a second attribution.
        if let Some(acc) = (lo + 1..=hi)
            .find(|&t| t != c.tok && v.lower(t) == "according" && v.tok(t - 1).text == ",")
        {
            hi = acc.saturating_sub(2).max(lo);
        }
        (lo, hi)
    }

    /// Bytes `start..end` widened so no quotation is cut in half.
    fn whole_quotations(&self, mut start: usize, mut end: usize) -> (usize, usize) {
        // Never cut a quotation in half: take it whole. In text order, a quotation
        // ending by `start` cannot touch the span, nor can one starting after its
        // end (nor any after it): only those overlapping it are compared.
        let sorted = self.quote_max_end.len() == self.quotes.len();
        let from = if sorted {
            self.quote_max_end.partition_point(|&m| m <= start)
        } else {
            0
        };
        for q in &self.quotes[from..] {
            if sorted && q.start >= end {
                break;
            }
            if q.start < start && start < q.end && q.end <= end {
                start = q.start;
            }
            if start <= q.start && q.start < end && end < q.end && q.end - end < 200 {
                end = q.end;
            }
        }
        (start, end)
    }
}

/// Relations whose dependent never holds what was said (checked before the table).
const NO_CONTENT_RELS: &[&str] = &[
    "punct",
    "nsubj",
    "nsubj:pass",
    "aux",
    "aux:pass",
    "cop",
    "mark",
    "cc",
    "det",
    "advmod",
    "compound:prt",
    "case",
    "expl",
    "discourse",
    "nmod:poss",
    "amod",
    "nummod",
    "compound",
    "fixed",
    "flat",
    "cc:preconj",
    "dep",
    "vocative",
    "reparandum",
    "goeswith",
    "orphan",
    "list",
    "det:predet",
    "nmod:tmod",
    "obl:tmod",
    "obl:npmod",
    "nmod:npmod",
    "iobj",
    "appos",
    "conj",
];

/// Dependent `c`'s relation as the learned table keys it: the UD relation, with the
/// case or mark words before `c` for the relations a preposition or subordinator
/// tells apart ("obl:about", "xcomp:to", "ccomp:that").
fn relation_key(v: &View, c: usize) -> String {
    let rel = v.deprel(c);
    let mut key = rel.to_string();
    if matches!(
        rel,
        "obl" | "advcl" | "nmod" | "acl" | "ccomp" | "xcomp" | "obl:agent"
    ) {
        let mut sep = ':';
        for &k in v.children[c].iter().filter(|&&k| k < c) {
            if matches!(v.deprel(k), "case" | "mark") {
                key.push(sep);
                key.push_str(v.lower(k));
                sep = ' ';
            }
        }
    }
    key
}

/// Who does what verb `verb` says: its subject (a passive's agent), else, for a
/// participle or infinitive without one, the subject of the verb it hangs on
/// ("…, encouraging voters to …", "vowed to … and criticized …"). Not the noun a
/// participle describes ("an ad hitting Clinton"): on the PolNeAR dev tune part
/// that was the speaker less often than not. A time expression read as a subject
/// ("says Friday") is no speaker.
fn doer(v: &View, verb: usize) -> Option<usize> {
    let mut cur = verb;
    for _ in 0..4 {
        if v.child_with(cur, &["nsubj:pass"]).is_some() {
            return v.child_with(cur, &["obl:agent"]);
        }
        if let Some(s) = v.children[cur]
            .iter()
            .copied()
            .find(|&c| matches!(v.deprel(c), "nsubj" | "csubj") && !in_time(v, c))
        {
            if matches!(v.lower(s), "who" | "which" | "that") && v.deprel(cur).starts_with("acl") {
                return v.head(cur);
            }
            return Some(s);
        }
        let head = v.head(cur)?;
        match v.deprel(cur) {
            "advcl" | "xcomp" | "conj" => cur = head,
            _ => return None,
        }
    }
    None
}

/// The least learned content rate (`content / (seen + 1)`) a word's dependent needs
/// to be taken as what the word reports. Chosen on the PolNeAR dev tune part
/// (content F1 60.30, then 61.32 at 0.5, 61.99 at 0.35, 62.09 at 0.3, 62.13 at 0.25,
/// with precision falling below 71 under 0.3).
const LEARNED_THRESHOLD: f64 = 0.3;

/// Contents the rules above found nothing for, from the learned table
/// ([`crate::learned`]): a verb or noun whose dependent by that relation held an
/// attribution's content often enough in PolNeAR's training part ("referred to X",
/// "encouraging X to Y", "criticism of Z"). One content per word, its most likely
/// dependent; the word's subject (a noun's possessor) is the speaker.
fn learned_contents(ctx: &Ctx, found: &[RawQuote]) -> Vec<RawQuote> {
    let v = ctx.v;
    let cue_tokens: std::collections::HashSet<usize> =
        found.iter().filter_map(|q| q.cue_token).collect();
    let spans = SpanIndex::of(found, |q| (q.start, q.end), |_| true);
    let mut out = Vec::new();
    for w in 0..v.len() {
        if ctx.tok_quote[w].is_some()
            || !matches!(v.upos(w), "VERB" | "NOUN")
            || cue_tokens.contains(&w)
        {
            continue;
        }
        let best = v.children[w]
            .iter()
            .copied()
            .filter(|&c| {
                (c > w || matches!(v.deprel(c), "ccomp" | "obj" | "csubj"))
                    && !in_list(NO_CONTENT_RELS, v.deprel(c))
                    // "agreed on Friday": a date is when, not what.
                    && !in_time(v, c)
            })
            .filter_map(|c| {
                let (content, seen) =
                    crate::learned::content_counts(v.lemma(w), v.upos(w), &relation_key(v, c))?;
                let rate = f64::from(content) / (f64::from(seen) + 1.0);
                (rate >= LEARNED_THRESHOLD).then_some((rate, c))
            })
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let Some((_, c)) = best else { continue };
        let (mut lo, hi) = v.subtree(c, &["punct"]);
        if matches!(v.deprel(c), "obl" | "nmod") {
            while lo < c && v.deprel(lo) == "case" {
                lo += 1;
            }
        }
        if content_words(v, lo, hi) == 0 {
            continue;
        }
        let Some((start, end)) = v.trimmed_span(lo, hi) else {
            continue;
        };
        let (start, end) = ctx.whole_quotations(start, end);
        // A content another rule gave already (under another cue) is not repeated.
        let len = end - start;
        let taken = spans.reaching(end - 1, start + 1).into_iter().any(|i| {
            let q = &found[i];
            let shared = q.end.min(end).saturating_sub(q.start.max(start));
            shared * 2 >= len.max(q.end - q.start)
        });
        if taken {
            continue;
        }
        let speaker = if v.upos(w) == "VERB" {
            doer(v, w).map(|s| np(v, s))
        } else {
            v.child_with(w, &["nmod:poss"]).map(|p| np(v, p))
        };
        // Without a speaker the content rarely is one (measured: keeping them
        // lowered speaker accuracy more than it raised content recall).
        let Some(speaker) = speaker else { continue };
        out.push(RawQuote {
            start,
            end,
            kind: "indirect",
            cue: Some((w, w)),
            speaker: Some(speaker),
            cue_token: Some(w),
        });
    }
    out
}

/// "Pence: Flowers won't be at the debate" (headlines) and "WALLACE: Let's start …"
/// (transcripts): a short capitalized name opening a paragraph, then a colon.
fn colon_statements(ctx: &Ctx) -> Vec<RawQuote> {
    let v = ctx.v;
    let text = v.doc.text.as_str();
    let mut out = Vec::new();
    for colon in 0..v.len() {
        if v.tok(colon).text != ":" || colon == 0 || ctx.tok_quote[colon].is_some() {
            continue;
        }
        // The name starts the paragraph.
        let mut first = colon;
        while first > 0
            && colon - first < 4
            && !text[v.tok(first - 1).end..v.tok(first).start].contains('\n')
        {
            first -= 1;
        }
        let at_paragraph_start = first == 0 || text[..v.tok(first).start].ends_with('\n');
        let name_ok = (first..colon).all(|t| {
            matches!(v.upos(t), "PROPN" | "NOUN")
                && v.tok(t).text.starts_with(|c: char| c.is_uppercase())
        });
        if first == colon || !at_paragraph_start || !name_ok {
            continue;
        }
        let para_end = text[v.tok(colon).end..]
            .find("\n")
            .map_or(text.len(), |i| v.tok(colon).end + i);
        let start = text[v.tok(colon).end..para_end]
            .find(|c: char| !c.is_whitespace())
            .map(|i| v.tok(colon).end + i);
        let Some(start) = start else { continue };
        let end = start + text[start..para_end].trim_end().len();
        if text[start..end].split_whitespace().count() < 3 {
            continue;
        }
        out.push(RawQuote {
            start,
            end,
            kind: "indirect",
            cue: Some((colon, colon)),
            speaker: Some((first, colon - 1)),
            cue_token: Some(colon),
        });
    }
    out
}

/// "Trump's claim that …", "a pledge to …", "allegations of fraud": a statement noun
/// with its content; the possessor, when there is one, is the speaker.
fn noun_cues(ctx: &Ctx) -> Vec<RawQuote> {
    let v = ctx.v;
    let mut out = Vec::new();
    for i in 0..v.len() {
        if v.upos(i) != "NOUN"
            || !in_list(cues::NOUN_CUES, v.lemma(i))
            || ctx.tok_quote[i].is_some()
        {
            continue;
        }
        let content = v.children[i].iter().copied().find(|&c| {
            c > i
                && (matches!(v.deprel(c), "acl" | "ccomp")
                    && matches!(v.lower(v.subtree(c, &[]).0), "that" | "to" | "whether")
                    || v.deprel(c) == "nmod" && v.lower(v.subtree(c, &[]).0) == "of")
        });
        let Some(c) = content else { continue };
        let (mut lo, hi) = v.subtree(c, &[]);
        if v.lower(lo) == "of" {
            lo += 1;
        }
        if hi < lo || content_words(v, lo, hi) < 2 {
            continue;
        }
        let Some((start, end)) = v.trimmed_span(lo, hi) else {
            continue;
        };
        let speaker = v
            .child_with(i, &["nmod:poss"])
            .map(|p| np(v, p))
            .map(|(a, b)| {
                // "Trump's": the possessive marker is not part of the name.
                if b > a && matches!(v.lower(b), "'s" | "’s" | "'") {
                    (a, b - 1)
                } else {
                    (a, b)
                }
            })
            // "the U.S. decision to end the talks": a name before the noun.
            .or_else(|| {
                v.children[i]
                    .iter()
                    .copied()
                    .filter(|&c| c < i && v.deprel(c) == "compound" && v.upos(c) == "PROPN")
                    .map(|c| np(v, c))
                    .next()
            });
        out.push(RawQuote {
            start,
            end,
            kind: "indirect",
            cue: Some((i, i)),
            speaker,
            cue_token: Some(i),
        });
    }
    out
}

/// "In a statement, the ministry condemned the attack": the medium phrase is the cue.
fn medium_statements(ctx: &Ctx) -> Vec<RawQuote> {
    let v = ctx.v;
    let mut out = Vec::new();
    for i in 0..v.len() {
        if !in_list(cues::MEDIUM_NOUNS, v.lemma(i)) || v.deprel(i) != "obl" {
            continue;
        }
        let Some(root) = v.head(i) else { continue };
        if v.upos(root) != "VERB" || cues::is_reporting_verb(v.lemma(root)) {
            continue;
        }
        let prep = (i.saturating_sub(3)..i).find(|&j| v.lower(j) == "in");
        let Some(prep) = prep else { continue };
        let Some(subj) = subject_of(v, root) else {
            continue;
        };
        let last = v.sentence_tokens(v.sent_of[root]).end.saturating_sub(1);
        if root >= last {
            continue;
        }
        let Some((start, end)) = v.trimmed_span(root, last) else {
            continue;
        };
        out.push(RawQuote {
            start,
            end,
            kind: "indirect",
            cue: Some((prep, i)),
            speaker: Some(np(v, subj)),
            cue_token: Some(i),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::NewlineRuns;
    use proptest::prelude::*;

    proptest! {
        /// The blank lines between two offsets are those a scan of the slice counts.
        #[test]
        fn paragraph_breaks_match_a_scan(
            text in "[ab\n]{0,40}",
            a in 0usize..45,
            b in 0usize..45,
        ) {
            let runs = NewlineRuns::new(&text);
            let scan = text.get(a..b).map_or(0, |s| s.matches("\n\n").count());
            prop_assert_eq!(runs.paragraph_breaks(&text, a, b), scan);
        }
    }
}

#[cfg(test)]
mod learned_tests {
    use crate::view::View;
    use chronicle_core::{Document, Sentence, Token};

    const ROOT: usize = usize::MAX;

    /// One hand-parsed sentence: (word, upos, head or ROOT, deprel, lemma).
    fn document(words: &[(&str, &str, usize, &str, &str)]) -> Document {
        let mut d = Document::from_text("learned", "learned.txt", String::new());
        let mut text = String::new();
        for (i, (word, upos, head, rel, lemma)) in words.iter().enumerate() {
            if i > 0 {
                text.push(' ');
            }
            let s = text.len();
            text.push_str(word);
            d.tokens.push(Token {
                start: s,
                end: text.len(),
                text: word.to_string(),
                upos: Some(upos.to_string()),
                xpos: None,
                lemma: Some(lemma.to_string()),
                head: (*head != ROOT).then_some(*head),
                deprel: Some(rel.to_string()),
            });
        }
        d.sentences.push(Sentence {
            start: 0,
            end: text.len(),
            token_start: 0,
            token_end: d.tokens.len(),
        });
        d.text = text;
        d
    }

    /// (content, speaker, cue) of each quote found.
    fn quotes(d: &Document) -> Vec<(String, String, String)> {
        let v = View::new(d);
        super::extract(&v)
            .iter()
            .map(|q| {
                let toks = |r: Option<(usize, usize)>| {
                    r.map(|(a, b)| v.text(v.tok(a).start, v.tok(b).end).to_string())
                        .unwrap_or_default()
                };
                (
                    v.text(q.start, q.end).to_string(),
                    toks(q.speaker),
                    toks(q.cue),
                )
            })
            .collect()
    }

    #[test]
    fn a_learned_dependent_is_the_content_and_the_subject_speaks() {
        // "Vorlan referred to the old treaty ." — refer + obl:to is learned content.
        let d = document(&[
            ("Vorlan", "PROPN", 1, "nsubj", "Vorlan"),
            ("referred", "VERB", ROOT, "root", "refer"),
            ("to", "ADP", 4, "case", "to"),
            ("the", "DET", 4, "det", "the"),
            ("treaty", "NOUN", 1, "obl", "treaty"),
            (".", "PUNCT", 1, "punct", "."),
        ]);
        assert_eq!(
            quotes(&d),
            [(
                "the treaty".to_string(),
                "Vorlan".to_string(),
                "referred".to_string()
            )]
        );
    }

    #[test]
    fn a_participle_speaks_through_the_verb_it_hangs_on() {
        // "Vorlan spoke , encouraging voters to register ."
        let d = document(&[
            ("Vorlan", "PROPN", 1, "nsubj", "Vorlan"),
            ("spoke", "VERB", ROOT, "root", "speak"),
            (",", "PUNCT", 3, "punct", ","),
            ("encouraging", "VERB", 1, "advcl", "encourage"),
            ("voters", "NOUN", 3, "obj", "voter"),
            ("to", "PART", 6, "mark", "to"),
            ("register", "VERB", 3, "xcomp", "register"),
            (".", "PUNCT", 1, "punct", "."),
        ]);
        let q = quotes(&d);
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(
            (q[0].0.as_str(), q[0].1.as_str()),
            ("to register", "Vorlan")
        );
    }

    #[test]
    fn no_learned_content_without_a_speaker_or_a_learned_pair() {
        // "Visiting the plant ." has no subject; "Vorlan visited the plant ." no
        // learned pair.
        let no_subject = document(&[
            ("Referring", "VERB", ROOT, "root", "refer"),
            ("to", "ADP", 3, "case", "to"),
            ("the", "DET", 3, "det", "the"),
            ("treaty", "NOUN", 0, "obl", "treaty"),
        ]);
        assert!(quotes(&no_subject).is_empty());
        let visit = document(&[
            ("Vorlan", "PROPN", 1, "nsubj", "Vorlan"),
            ("visited", "VERB", ROOT, "root", "visit"),
            ("the", "DET", 3, "det", "the"),
            ("plant", "NOUN", 1, "obj", "plant"),
        ]);
        assert!(quotes(&visit).is_empty());
    }
}
