//! A segmentation as CoNLL-U sentences, for the official scorer and for tools
//! that read the format; later stages fill in the tag and tree columns.

use crate::sentence::Segmented;
use chronicle_formats::{MultiwordToken, Sentence, Word};

/// One CoNLL-U sentence per segmented sentence: `# newdoc id` (when `doc_id` is
/// given) before the first, `# newpar` after a blank line, `# sent_id`, `# text`
/// (whitespace runs as one space), multiword ranges for fused tokens ("don't"),
/// `SpaceAfter=No`. Word `i` of sentence `k` is `seg.tokens[seg.sentences[k].tokens][i]`.
/// Tag columns are `_`; every word hangs from the first, so the tree is valid.
pub fn conllu_sentences(text: &str, seg: &Segmented, doc_id: Option<&str>) -> Vec<Sentence> {
    let misc = |space_after: bool| if space_after { "_" } else { "SpaceAfter=No" }.to_string();
    let mut out = Vec::with_capacity(seg.sentences.len());
    for (k, s) in seg.sentences.iter().enumerate() {
        let mut comments = Vec::new();
        let sent_id = match doc_id {
            Some(id) => format!("{id}-{}", k + 1),
            None => format!("{}", k + 1),
        };
        if k == 0 {
            if let Some(id) = doc_id {
                comments.push(format!("newdoc id = {id}"));
            }
        } else {
            let gap = text.get(seg.sentences[k - 1].end..s.start).unwrap_or("");
            if gap.matches('\n').count() >= 2 {
                comments.push("newpar".into());
            }
        }
        comments.push(format!("sent_id = {sent_id}"));
        let flat: Vec<&str> = text
            .get(s.start..s.end)
            .unwrap_or("")
            .split(crate::tokenize::is_space)
            .filter(|w| !w.is_empty())
            .collect();
        comments.push(format!("text = {}", flat.join(" ")));
        let toks = &seg.tokens[s.tokens.clone()];
        let mut words = Vec::with_capacity(toks.len());
        let mut multiword = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            let mut j = i;
            while j + 1 < toks.len() && toks[j].fused_with_next {
                j += 1;
            }
            if j > i {
                multiword.push(MultiwordToken {
                    first: i + 1,
                    last: j + 1,
                    form: text
                        .get(toks[i].start..toks[j].end)
                        .unwrap_or("_")
                        .to_string(),
                    misc: misc(toks[j].space_after),
                });
            }
            for t in &toks[i..=j] {
                let id = words.len() + 1;
                words.push(Word {
                    form: t.text(text).to_string(),
                    lemma: "_".into(),
                    upos: "_".into(),
                    xpos: "_".into(),
                    feats: "_".into(),
                    head: usize::from(id > 1),
                    deprel: if id == 1 { "root" } else { "dep" }.into(),
                    deps: "_".into(),
                    misc: if j > i {
                        "_".into()
                    } else {
                        misc(t.space_after)
                    },
                });
            }
            i = j + 1;
        }
        out.push(Sentence {
            comments,
            words,
            multiword,
        });
    }
    out
}

/// A segmentation as CoNLL-U text (forms only).
pub fn to_conllu(text: &str, seg: &Segmented) -> String {
    chronicle_formats::write_conllu(&conllu_sentences(text, seg, None))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chronicle_formats::read_conllu;

    #[test]
    fn conllu_output_reads_back() {
        let text = "I don't know. Me neither.\n\nOK (fine).";
        let seg = crate::segment(text);
        let out = to_conllu(text, &seg);
        let back = read_conllu(&out, "sys").unwrap();
        assert_eq!(back.len(), 3);
        assert_eq!(back[0].multiword.len(), 1);
        assert_eq!(back[0].multiword[0].form, "don't");
        assert!(back[2].comments.iter().any(|c| c == "newpar"));
        let paren = &back[2].words[back[2].words.len() - 2];
        assert_eq!((paren.form.as_str(), paren.space_after()), (")", false));
    }
}
