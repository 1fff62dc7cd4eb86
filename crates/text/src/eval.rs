//! Scoring against UD gold, the way the CoNLL 2018 shared-task scorer does it:
//! rebuild the raw text from `# text` comments, segment it, and count tokens and
//! sentences whose character spans match exactly.

use crate::sentence::{Segmented, Segmenter};
use chronicle_formats::prf;
use chronicle_formats::Sentence;
use serde::Serialize;
use std::ops::Range;

/// Raw text rebuilt from gold CoNLL-U with the gold token and sentence byte spans.
#[derive(Debug, Clone, Default)]
pub struct GoldText {
    pub text: String,
    /// Surface tokens: a multiword token counts once with its whole span.
    pub tokens: Vec<Range<usize>>,
    pub sentences: Vec<Range<usize>>,
    /// Syntactic words; pieces of a multiword token carry the token's span.
    pub words: Vec<WordSpan>,
    /// Gold tokens whose form could not be found in the text (a broken file).
    pub unaligned: usize,
}

/// A word for the scorer's word alignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordSpan {
    pub span: Range<usize>,
    pub form: String,
    pub multiword: bool,
}

impl GoldText {
    /// Documents and paragraphs (`# newdoc`, `# newpar`) are separated by a
    /// blank line, sentences inside a paragraph by one space; sentences without
    /// `# text` are rebuilt from their forms and `SpaceAfter=No`.
    pub fn from_conllu(sentences: &[Sentence]) -> GoldText {
        let mut g = GoldText::default();
        for (k, s) in sentences.iter().enumerate() {
            if k > 0 {
                g.text
                    .push_str(if s.starts_paragraph() { "\n\n" } else { " " });
            }
            let surface = surface_tokens(s);
            let base = g.text.len();
            match s.text() {
                Some(t) => g.text.push_str(t),
                None => {
                    for (form, space, _) in &surface {
                        g.text.push_str(form);
                        if *space {
                            g.text.push(' ');
                        }
                    }
                    let trimmed = g.text.trim_end().len();
                    g.text.truncate(trimmed.max(base));
                }
            }
            let first_token = g.tokens.len();
            let mut cursor = base;
            for (form, _, words) in &surface {
                match align(&g.text, cursor, form) {
                    Some(span) => {
                        cursor = span.end;
                        if words.is_empty() {
                            g.words.push(WordSpan {
                                span: span.clone(),
                                form: form.clone(),
                                multiword: false,
                            });
                        }
                        for w in words {
                            g.words.push(WordSpan {
                                span: span.clone(),
                                form: w.clone(),
                                multiword: true,
                            });
                        }
                        g.tokens.push(span);
                    }
                    None => g.unaligned += 1,
                }
            }
            if let (Some(a), Some(b)) = (g.tokens.get(first_token), g.tokens.last()) {
                g.sentences.push(a.start..b.end);
            }
        }
        g
    }
}

/// Surface tokens of a sentence with their SpaceAfter flag.
/// Surface tokens of a sentence: form, SpaceAfter, and the word forms when it
/// is a multiword token.
fn surface_tokens(s: &Sentence) -> Vec<(String, bool, Vec<String>)> {
    let mut out = Vec::with_capacity(s.words.len());
    let mut w = 1;
    while w <= s.words.len() {
        if let Some(m) = s.multiword.iter().find(|m| m.first == w) {
            let space = !m.misc.split('|').any(|f| f == "SpaceAfter=No");
            let last = m.last.clamp(w, s.words.len());
            let words = s.words[w - 1..last]
                .iter()
                .map(|x| x.form.clone())
                .collect();
            out.push((m.form.clone(), space, words));
            w = last + 1;
        } else {
            let word = &s.words[w - 1];
            out.push((word.form.clone(), word.space_after(), Vec::new()));
            w += 1;
        }
    }
    out
}

/// Finds `form` at or after `from`, ignoring whitespace on both sides as the
/// official scorer does.
fn align(text: &str, from: usize, form: &str) -> Option<Range<usize>> {
    let rest = text.get(from..)?;
    let mut want = form.chars().filter(|c| !c.is_whitespace());
    let mut start = None;
    let mut next = want.next()?;
    for (i, c) in rest.char_indices() {
        if c.is_whitespace() {
            continue;
        }
        if c != next {
            return None;
        }
        if start.is_none() {
            start = Some(from + i);
        }
        match want.next() {
            Some(n) => next = n,
            None => return start.map(|s| s..from + i + c.len_utf8()),
        }
    }
    None
}

/// Precision, recall and F1 as fractions in 0..=1, plus the raw counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct TokenScores {
    pub token_precision: f64,
    pub token_recall: f64,
    pub token_f1: f64,
    pub sentence_precision: f64,
    pub sentence_recall: f64,
    pub sentence_f1: f64,
    pub gold_tokens: usize,
    pub system_tokens: usize,
    pub matched_tokens: usize,
    pub gold_sentences: usize,
    pub system_sentences: usize,
    pub matched_sentences: usize,
    /// Syntactic words aligned as the official scorer's "Words" metric does
    /// (multiword tokens matched word by word via LCS of their forms).
    pub word_precision: f64,
    pub word_recall: f64,
    pub word_f1: f64,
    pub gold_words: usize,
    pub system_words: usize,
    pub matched_words: usize,
}

/// Scores the shipped segmenter on gold CoNLL-U sentences.
pub fn evaluate_conllu(sentences: &[Sentence]) -> TokenScores {
    evaluate_conllu_with(&Segmenter::default(), sentences)
}

pub fn evaluate_conllu_with(segmenter: &Segmenter, sentences: &[Sentence]) -> TokenScores {
    let gold = GoldText::from_conllu(sentences);
    let sys = segmenter.segment(&gold.text);
    score(&gold, &sys)
}

/// Surface token spans of a segmentation: multiword pieces joined.
pub fn surface_spans(seg: &Segmented) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(seg.tokens.len());
    let mut open: Option<usize> = None;
    for t in &seg.tokens {
        let start = open.take().unwrap_or(t.start);
        if t.fused_with_next {
            open = Some(start);
        } else {
            out.push(start..t.end);
        }
    }
    if let (Some(start), Some(last)) = (open, seg.tokens.last()) {
        out.push(start..last.end);
    }
    out
}

pub fn score(gold: &GoldText, sys: &Segmented) -> TokenScores {
    let sys_tokens = surface_spans(sys);
    let sys_sents: Vec<Range<usize>> = sys.sentences.iter().map(|s| s.start..s.end).collect();
    let matched_tokens = count_matches(&gold.tokens, &sys_tokens);
    let matched_sentences = count_matches(&gold.sentences, &sys_sents);
    let gold_tokens = gold.tokens.len() + gold.unaligned;
    let (tp, tr, tf) = prf(matched_tokens, sys_tokens.len(), gold_tokens);
    let (sp, sr, sf) = prf(matched_sentences, sys_sents.len(), gold.sentences.len());
    let sys_words = system_words(&gold.text, sys);
    let matched_words = align_words(&gold.words, &sys_words);
    let (wp, wr, wf) = prf(matched_words, sys_words.len(), gold.words.len());
    TokenScores {
        word_precision: wp,
        word_recall: wr,
        word_f1: wf,
        gold_words: gold.words.len(),
        system_words: sys_words.len(),
        matched_words,
        token_precision: tp,
        token_recall: tr,
        token_f1: tf,
        sentence_precision: sp,
        sentence_recall: sr,
        sentence_f1: sf,
        gold_tokens,
        system_tokens: sys_tokens.len(),
        matched_tokens,
        gold_sentences: gold.sentences.len(),
        system_sentences: sys_sents.len(),
        matched_sentences,
    }
}

/// System words with the span of their multiword token, if any.
pub fn system_words(text: &str, seg: &Segmented) -> Vec<WordSpan> {
    let mut out = Vec::with_capacity(seg.tokens.len());
    let mut i = 0;
    while i < seg.tokens.len() {
        let mut j = i;
        while j + 1 < seg.tokens.len() && seg.tokens[j].fused_with_next {
            j += 1;
        }
        let span = seg.tokens[i].start..seg.tokens[j].end;
        for t in &seg.tokens[i..=j] {
            out.push(WordSpan {
                span: span.clone(),
                form: t.text(text).to_string(),
                multiword: j > i,
            });
        }
        i = j + 1;
    }
    out
}

/// Number of aligned words, following `align_words` of the CoNLL 2018 scorer:
/// outside multiword tokens words match by span; inside a region of
/// overlapping multiword tokens they match by a longest common subsequence of
/// lower-cased forms.
pub fn align_words(gold: &[WordSpan], sys: &[WordSpan]) -> usize {
    let (mut gi, mut si, mut n) = (0, 0, 0);
    while gi < gold.len() && si < sys.len() {
        if gold[gi].multiword || sys[si].multiword {
            let (gs, ss, ge, se) = multiword_region(gold, sys, gi, si);
            n += lcs_len(&gold[gs..ge], &sys[ss..se]);
            gi = ge;
            si = se;
        } else if gold[gi].span == sys[si].span {
            n += 1;
            gi += 1;
            si += 1;
        } else if gold[gi].span.start <= sys[si].span.start {
            gi += 1;
        } else {
            si += 1;
        }
    }
    n
}

fn beyond_end(words: &[WordSpan], i: usize, end: usize) -> bool {
    match words.get(i) {
        None => true,
        Some(w) if w.multiword => w.span.start >= end,
        Some(w) => w.span.end > end,
    }
}

/// The minimal stretch of words, on both sides, covering the multiword token
/// at `gi` or `si` and everything overlapping it.
fn multiword_region(
    gold: &[WordSpan],
    sys: &[WordSpan],
    mut gi: usize,
    mut si: usize,
) -> (usize, usize, usize, usize) {
    let mut end;
    if gold[gi].multiword {
        end = gold[gi].span.end;
        if !sys[si].multiword && sys[si].span.start < gold[gi].span.start {
            si += 1;
        }
    } else {
        end = sys[si].span.end;
        if !gold[gi].multiword && gold[gi].span.start < sys[si].span.start {
            gi += 1;
        }
    }
    let (gs, ss) = (gi, si);
    let extend = |w: &WordSpan, end: usize| {
        if w.multiword && w.span.end > end {
            w.span.end
        } else {
            end
        }
    };
    while !beyond_end(gold, gi, end) || !beyond_end(sys, si, end) {
        let take_gold =
            gi < gold.len() && (si >= sys.len() || gold[gi].span.start <= sys[si].span.start);
        if take_gold {
            end = extend(&gold[gi], end);
            gi += 1;
        } else {
            end = extend(&sys[si], end);
            si += 1;
        }
    }
    (gs, ss, gi, si)
}

/// Longest common subsequence of lower-cased forms; regions are a few words, and
/// oversized ones (only in broken input) are not aligned rather than risking a
/// quadratic blow-up.
fn lcs_len(gold: &[WordSpan], sys: &[WordSpan]) -> usize {
    if gold.is_empty() || sys.is_empty() || gold.len() * sys.len() > 1_000_000 {
        return 0;
    }
    let lower = |w: &WordSpan| w.form.to_lowercase();
    let g: Vec<String> = gold.iter().map(lower).collect();
    let s: Vec<String> = sys.iter().map(lower).collect();
    let mut prev = vec![0usize; s.len() + 1];
    let mut cur = vec![0usize; s.len() + 1];
    for gw in &g {
        for (j, sw) in s.iter().enumerate() {
            cur[j + 1] = if gw == sw {
                prev[j] + 1
            } else {
                prev[j + 1].max(cur[j])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[s.len()]
}

/// Both lists are sorted by start and non-overlapping, so one merge pass counts
/// the identical spans.
fn count_matches(gold: &[Range<usize>], sys: &[Range<usize>]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < gold.len() && j < sys.len() {
        let (g, s) = (&gold[i], &sys[j]);
        if g == s {
            n += 1;
            i += 1;
            j += 1;
        } else if g.start < s.start || (g.start == s.start && g.end < s.end) {
            i += 1;
        } else {
            j += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use chronicle_formats::read_conllu;

    const GOLD: &str = "# newdoc id = d\n# newpar id = p1\n# text = I don't know.\n1\tI\tI\tPRON\tPRP\t_\t3\tnsubj\t_\t_\n2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_\n3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n4\tknow\tknow\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n# text = Me neither.\n1\tMe\tI\tPRON\tPRP\t_\t0\troot\t_\t_\n2\tneither\tneither\tADV\tRB\t_\t1\tadvmod\t_\tSpaceAfter=No\n3\t.\t.\tPUNCT\t.\t_\t1\tpunct\t_\t_\n\n# newpar id = p2\n# text = OK\n1\tOK\tok\tINTJ\tUH\t_\t0\troot\t_\t_\n\n";

    #[test]
    fn rebuilds_text_and_spans() {
        let s = read_conllu(GOLD, "g").unwrap();
        let g = GoldText::from_conllu(&s);
        assert_eq!(g.text, "I don't know. Me neither.\n\nOK");
        assert_eq!(g.tokens[1], 2..7);
        assert_eq!(g.sentences, vec![0..13, 14..25, 27..29]);
        assert_eq!(g.unaligned, 0);
    }

    #[test]
    fn perfect_segmentation_scores_one() {
        let s = read_conllu(GOLD, "g").unwrap();
        let sc = evaluate_conllu(&s);
        assert_eq!(sc.token_f1, 1.0, "{sc:?}");
        assert_eq!(sc.sentence_f1, 1.0, "{sc:?}");
        assert_eq!(sc.gold_tokens, 8);
        assert_eq!((sc.gold_words, sc.matched_words), (9, 9));
    }

    #[test]
    fn words_inside_multiword_tokens_align_by_form() {
        let w = |a: usize, b: usize, f: &str, m: bool| WordSpan {
            span: a..b,
            form: f.into(),
            multiword: m,
        };
        // Gold "don't" = do + n't. A system that keeps it whole aligns none of
        // those words (forms differ); the next word still aligns by span.
        let gold = [
            w(0, 5, "do", true),
            w(0, 5, "n't", true),
            w(6, 8, "go", false),
        ];
        let sys = [w(0, 5, "don't", false), w(6, 8, "go", false)];
        assert_eq!(align_words(&gold, &sys), 1);
        let sys = [
            w(0, 5, "Do", true),
            w(0, 5, "n't", true),
            w(6, 8, "go", false),
        ];
        assert_eq!(align_words(&gold, &sys), 3);
    }
}
