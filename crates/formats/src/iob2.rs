//! IOB2 (UNER layout) reader with scheme checks, and the writer that lays predicted tags over a gold file.
use crate::overlay::{no_prediction, rewrite_token_lines, Line};
use crate::FormatError;
use std::path::Path;

/// One sentence of an IOB2 file in the UNER layout (`idx<TAB>token<TAB>tag<TAB>…`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NerSentence {
    pub comments: Vec<String>,
    pub tokens: Vec<String>,
    pub tags: Vec<String>,
}

impl NerSentence {
    pub fn text(&self) -> Option<&str> {
        self.comments.iter().find_map(|c| {
            let (k, v) = c.split_once('=')?;
            (k.trim() == "text").then(|| v.trim())
        })
    }
}

pub fn read_iob2_file(path: &Path) -> Result<Vec<NerSentence>, FormatError> {
    let text = crate::read_to_string(path)?;
    read_iob2(&text, &path.display().to_string())
}

/// Parses IOB2 and checks the scheme: an `I-X` must follow `B-X` or `I-X`.
pub fn read_iob2(text: &str, source_name: &str) -> Result<Vec<NerSentence>, FormatError> {
    let mut out = Vec::new();
    let mut cur = NerSentence::default();
    for (idx, raw) in text.lines().enumerate() {
        let line_no = idx + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            if !cur.tokens.is_empty() {
                out.push(std::mem::take(&mut cur));
            } else {
                cur.comments.clear();
            }
            continue;
        }
        if let Some(c) = line.strip_prefix('#') {
            cur.comments.push(c.trim_start().to_string());
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 3 {
            return Err(FormatError::malformed(
                source_name,
                line_no,
                format!(
                    "expected at least 3 tab-separated columns, found {}",
                    cols.len()
                ),
            ));
        }
        let tag = cols[2].trim();
        let valid = tag == "O"
            || tag
                .split_once('-')
                .is_some_and(|(p, l)| (p == "B" || p == "I") && !l.is_empty());
        if !valid {
            return Err(FormatError::malformed(
                source_name,
                line_no,
                format!("tag {tag:?} is not O, B-X or I-X"),
            ));
        }
        if let Some(label) = tag.strip_prefix("I-") {
            let continues = cur
                .tags
                .last()
                .and_then(|prev| prev.split_once('-'))
                .is_some_and(|(_, l)| l == label);
            if !continues {
                return Err(FormatError::malformed(
                    source_name,
                    line_no,
                    format!("{tag} does not continue a {label} entity"),
                ));
            }
        }
        cur.tokens.push(cols[1].to_string());
        cur.tags.push(tag.to_string());
    }
    if !cur.tokens.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

/// Copies `gold` (an IOB2 text that [`read_iob2`] accepted) with the tag column
/// (the third) of each token line replaced by `tags[i][j]` (sentence `i`, token
/// `j`); comments, the other columns and line endings are kept byte for byte.
pub fn overlay_iob2(
    gold: &str,
    source_name: &str,
    tags: &[Vec<String>],
) -> Result<String, FormatError> {
    rewrite_token_lines(
        gold,
        source_name,
        tags.len(),
        |body, sentence, token, line_no| {
            let mut cols: Vec<&str> = body.split('\t').collect();
            let n = cols.len();
            let col = cols.get_mut(2).ok_or_else(|| {
                FormatError::malformed(
                    source_name,
                    line_no,
                    format!("expected at least 3 tab-separated columns, found {n}"),
                )
            })?;
            *col = tags
                .get(sentence)
                .and_then(|s| s.get(token))
                .ok_or_else(|| no_prediction(source_name, line_no, sentence, token))?;
            Ok(Line::Replace(cols.join("\t")))
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_sentences() {
        let t =
            "# text = in tampa bay\n1\tin\tO\t-\t-\n2\ttampa\tB-LOC\t-\t-\n3\tbay\tI-LOC\t-\t-\n\n";
        let s = read_iob2(t, "x").unwrap();
        assert_eq!(s[0].tags, vec!["O", "B-LOC", "I-LOC"]);
        assert_eq!(s[0].text(), Some("in tampa bay"));
    }

    #[test]
    fn i_after_o_is_an_error_with_line() {
        let t = "1\tin\tO\n2\tbay\tI-LOC\n";
        let e = read_iob2(t, "f.iob2").unwrap_err().to_string();
        assert!(e.starts_with("f.iob2:2:"), "{e}");
    }

    #[test]
    fn overlay_replaces_the_tag_column_only() {
        let t = "# text = in tampa bay\r\n1\tin\tO\t-\t-\r\n2\ttampa\tB-LOC\t-\tx\r\n3\tbay\tI-LOC\r\n\r\n";
        let tags = vec![vec!["O".to_string(), "B-ORG".into(), "O".into()]];
        let out = overlay_iob2(t, "x", &tags).unwrap();
        assert_eq!(
            out,
            "# text = in tampa bay\r\n1\tin\tO\t-\t-\r\n2\ttampa\tB-ORG\t-\tx\r\n3\tbay\tO\r\n\r\n"
        );
        assert!(overlay_iob2(t, "x", &[]).is_err());
    }

    fn arb_tag() -> impl Strategy<Value = String> {
        prop_oneof![Just("O".to_string()), "[BI]-(PER|ORG|LOC)"]
    }

    proptest! {
        /// Gold in, ours out: only the tag column changes; our reader reads our tags back.
        #[test]
        fn overlay_keeps_every_other_byte(
            sents in prop::collection::vec(prop::collection::vec(("[a-zA-Z.,]{1,6}", "[a-z-]{1,3}"), 1..8), 1..5),
            ours in prop::collection::vec(arb_tag(), 40),
            crlf in any::<bool>(),
        ) {
            let nl = if crlf { "\r\n" } else { "\n" };
            let mut text = String::new();
            let mut tags = Vec::new();
            let mut k = 0;
            for s in &sents {
                text.push_str(&format!("# text = {}{nl}", s.iter().map(|t| t.0.as_str()).collect::<Vec<_>>().join(" ")));
                let mut st = Vec::new();
                for (i, (tok, extra)) in s.iter().enumerate() {
                    text.push_str(&format!("{}\t{tok}\tO\t{extra}{nl}", i + 1));
                    // A valid IOB2 sequence: an I- only continues its own type.
                    let mut t = ours[k % ours.len()].clone();
                    k += 1;
                    if let Some(l) = t.strip_prefix("I-") {
                        let prev_ok = st.last().is_some_and(|p: &String| p.ends_with(l) && p != "O");
                        if !prev_ok { t = format!("B-{l}"); }
                    }
                    st.push(t);
                }
                text.push_str(nl);
                tags.push(st);
            }
            let out = overlay_iob2(&text, "g", &tags).unwrap();
            let (a, b): (Vec<&str>, Vec<&str>) =
                (text.split_inclusive('\n').collect(), out.split_inclusive('\n').collect());
            prop_assert_eq!(a.len(), b.len());
            for (g, o) in a.iter().zip(&b) {
                let (gc, oc): (Vec<&str>, Vec<&str>) = (g.split('\t').collect(), o.split('\t').collect());
                prop_assert_eq!(gc.len(), oc.len());
                for k in (0..gc.len()).filter(|&k| k != 2) {
                    prop_assert_eq!(gc[k], oc[k]);
                }
            }
            let back = read_iob2(&out, "o").unwrap();
            let back_tags: Vec<Vec<String>> = back.into_iter().map(|s| s.tags).collect();
            prop_assert_eq!(back_tags, tags);
        }
    }
}
