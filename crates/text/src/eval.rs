//! Scoring against UD gold, the way the CoNLL 2018 shared-task scorer does it:
//! rebuild the raw text from `# text` comments, segment it, and count tokens and
//! sentences whose character spans match exactly.

use crate::sentence::{Segmented, Segmenter};
use chronicle_formats::Sentence;
use serde::Serialize;
use std::fmt::Write as _;
use std::ops::Range;

/// Raw text rebuilt from gold CoNLL-U with the gold token and sentence byte spans.
#[derive(Debug, Clone, Default)]
pub struct GoldText {
    pub text: String,
    /// Surface tokens: a multiword token counts once with its whole span.
    pub tokens: Vec<Range<usize>>,
    pub sentences: Vec<Range<usize>>,
    /// Gold tokens whose form could not be found in the text (a broken file).
    pub unaligned: usize,
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
                    for (form, space) in &surface {
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
            for (form, _) in &surface {
                match align(&g.text, cursor, form) {
                    Some(span) => {
                        cursor = span.end;
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
fn surface_tokens(s: &Sentence) -> Vec<(String, bool)> {
    let mut out = Vec::with_capacity(s.words.len());
    let mut w = 1;
    while w <= s.words.len() {
        if let Some(m) = s.multiword.iter().find(|m| m.first == w) {
            let space = !m.misc.split('|').any(|f| f == "SpaceAfter=No");
            out.push((m.form.clone(), space));
            w = m.last.max(w) + 1;
        } else {
            let word = &s.words[w - 1];
            out.push((word.form.clone(), word.space_after()));
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
    TokenScores {
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

fn prf(matched: usize, system: usize, gold: usize) -> (f64, f64, f64) {
    let p = if system == 0 {
        0.0
    } else {
        matched as f64 / system as f64
    };
    let r = if gold == 0 {
        0.0
    } else {
        matched as f64 / gold as f64
    };
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f)
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

/// Writes a segmentation as CoNLL-U (forms only, multiword tokens as ranges), for
/// the official scorer or for tools that expect CoNLL-U input.
pub fn to_conllu(text: &str, seg: &Segmented) -> String {
    let mut out = String::with_capacity(text.len() * 4);
    for (k, s) in seg.sentences.iter().enumerate() {
        let _ = writeln!(out, "# sent_id = {}", k + 1);
        let flat: String = text
            .get(s.start..s.end)
            .unwrap_or("")
            .split(crate::tokenize::is_space)
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let _ = writeln!(out, "# text = {flat}");
        let toks = &seg.tokens[s.tokens.clone()];
        let mut id = 1;
        let mut i = 0;
        while i < toks.len() {
            let mut j = i;
            while j + 1 < toks.len() && toks[j].fused_with_next {
                j += 1;
            }
            let misc = |t: &crate::Token| {
                if t.space_after {
                    "_"
                } else {
                    "SpaceAfter=No"
                }
            };
            if j > i {
                let form = text.get(toks[i].start..toks[j].end).unwrap_or("_");
                let _ = writeln!(
                    out,
                    "{}-{}\t{}\t_\t_\t_\t_\t_\t_\t_\t{}",
                    id,
                    id + (j - i),
                    form,
                    misc(&toks[j])
                );
            }
            for t in &toks[i..=j] {
                let head = if id == 1 { 0 } else { 1 };
                let rel = if id == 1 { "root" } else { "dep" };
                let word_misc = if j > i { "_" } else { misc(t) };
                let _ = writeln!(
                    out,
                    "{id}\t{}\t_\t_\t_\t_\t{head}\t{rel}\t_\t{word_misc}",
                    t.text(text)
                );
                id += 1;
            }
            i = j + 1;
        }
        out.push('\n');
    }
    out
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
    }

    #[test]
    fn conllu_output_reads_back() {
        let text = "I don't know. Me neither.";
        let seg = crate::segment(text);
        let out = to_conllu(text, &seg);
        let back = read_conllu(&out, "sys").unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].multiword.len(), 1);
        assert_eq!(back[0].multiword[0].form, "don't");
    }
}
