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

#[cfg(test)]
mod tests {
    use super::*;

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
}
