//! CoNLL-U reader: sentences of syntactic words and multiword tokens, strict, errors naming file and line.
use crate::FormatError;
use std::path::Path;

/// One syntactic word (integer ID) of a CoNLL-U sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub form: String,
    pub lemma: String,
    pub upos: String,
    pub xpos: String,
    pub feats: String,
    /// 0 is the root; otherwise the 1-based index of the head word.
    pub head: usize,
    pub deprel: String,
    pub deps: String,
    pub misc: String,
}

impl Word {
    /// UD marks tokens glued to the next one with `SpaceAfter=No`.
    pub fn space_after(&self) -> bool {
        !self.misc.split('|').any(|f| f == "SpaceAfter=No")
    }
}

/// A surface token covering several words, e.g. `1-2 don't` over `do` + `n't`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultiwordToken {
    /// 1-based first and last word index covered.
    pub first: usize,
    pub last: usize,
    pub form: String,
    pub misc: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sentence {
    /// Comment lines without the leading `# `.
    pub comments: Vec<String>,
    pub words: Vec<Word>,
    pub multiword: Vec<MultiwordToken>,
}

impl Sentence {
    /// Value of a `# key = value` comment.
    pub fn comment(&self, key: &str) -> Option<&str> {
        self.comments.iter().find_map(|c| {
            let (k, v) = c.split_once('=')?;
            (k.trim() == key).then(|| v.trim())
        })
    }

    pub fn text(&self) -> Option<&str> {
        self.comment("text")
    }

    /// Whether the sentence starts a new paragraph or document.
    pub fn starts_paragraph(&self) -> bool {
        self.comments
            .iter()
            .any(|c| c.starts_with("newpar") || c.starts_with("newdoc"))
    }
}

pub fn read_conllu_file(path: &Path) -> Result<Vec<Sentence>, FormatError> {
    let text = crate::read_to_string(path)?;
    read_conllu(&text, &path.display().to_string())
}

/// Parses CoNLL-U. Empty nodes (`8.1`) are skipped: no model here predicts them.
pub fn read_conllu(text: &str, source_name: &str) -> Result<Vec<Sentence>, FormatError> {
    let mut sentences = Vec::new();
    let mut current = Sentence::default();
    let mut sentence_start_line = 1;
    // Line number of each word of the current sentence, for errors found once it is complete.
    let mut word_lines: Vec<usize> = Vec::new();
    let finish = |current: &mut Sentence,
                  sentences: &mut Vec<Sentence>,
                  start_line: usize,
                  word_lines: &mut Vec<usize>|
     -> Result<(), FormatError> {
        if current.words.is_empty() && current.comments.is_empty() {
            return Ok(());
        }
        if current.words.is_empty() {
            return Err(FormatError::malformed(
                source_name,
                start_line,
                "sentence has comments but no words",
            ));
        }
        validate_tree(current, source_name, word_lines)?;
        word_lines.clear();
        sentences.push(std::mem::take(current));
        Ok(())
    };
    for (idx, raw) in text.lines().enumerate() {
        let line_no = idx + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            finish(
                &mut current,
                &mut sentences,
                sentence_start_line,
                &mut word_lines,
            )?;
            sentence_start_line = line_no + 1;
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            current.comments.push(comment.trim_start().to_string());
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(FormatError::malformed(
                source_name,
                line_no,
                format!("expected 10 tab-separated columns, found {}", cols.len()),
            ));
        }
        let id = cols[0];
        if let Some((a, b)) = id.split_once('.') {
            // Empty nodes are checked for shape only: no model here predicts them.
            if digits(a).is_none() || digits(b).is_none() {
                return Err(FormatError::malformed(
                    source_name,
                    line_no,
                    format!("empty-node ID {id:?} is not of the form N.M"),
                ));
            }
            continue;
        }
        if let Some((a, b)) = id.split_once('-') {
            let first = parse_index(a, source_name, line_no)?;
            let last = parse_index(b, source_name, line_no)?;
            if last < first {
                return Err(FormatError::malformed(
                    source_name,
                    line_no,
                    format!("multiword range {id} is reversed"),
                ));
            }
            current.multiword.push(MultiwordToken {
                first,
                last,
                form: cols[1].to_string(),
                misc: cols[9].to_string(),
            });
            continue;
        }
        let index = parse_index(id, source_name, line_no)?;
        if index != current.words.len() + 1 {
            return Err(FormatError::malformed(
                source_name,
                line_no,
                format!(
                    "word ID {index} out of sequence (expected {})",
                    current.words.len() + 1
                ),
            ));
        }
        let head = if cols[6] == "_" {
            0
        } else {
            digits(cols[6]).ok_or_else(|| {
                FormatError::malformed(
                    source_name,
                    line_no,
                    format!("HEAD {:?} is not a number", cols[6]),
                )
            })?
        };
        word_lines.push(line_no);
        current.words.push(Word {
            form: cols[1].to_string(),
            lemma: cols[2].to_string(),
            upos: cols[3].to_string(),
            xpos: cols[4].to_string(),
            feats: cols[5].to_string(),
            head,
            deprel: cols[7].to_string(),
            deps: cols[8].to_string(),
            misc: cols[9].to_string(),
        });
    }
    if !current.words.is_empty() || !current.comments.is_empty() {
        // The format closes every sentence with a blank line (the official scorer
        // refuses a file without it); a missing one usually means a truncated file.
        return Err(FormatError::malformed(
            source_name,
            text.lines().count(),
            "file ends without the blank line that closes the last sentence (truncated?)",
        ));
    }
    Ok(sentences)
}

/// A number written with ASCII digits only (`str::parse` also takes `+1`, which
/// the format does not have).
fn digits(s: &str) -> Option<usize> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn parse_index(s: &str, source_name: &str, line: usize) -> Result<usize, FormatError> {
    match digits(s) {
        Some(n) if n > 0 => Ok(n),
        _ => Err(FormatError::malformed(
            source_name,
            line,
            format!("ID {s:?} is not a positive integer"),
        )),
    }
}

/// Heads must point inside the sentence and, when the tree is annotated, reach the root.
fn validate_tree(
    sentence: &Sentence,
    source_name: &str,
    word_lines: &[usize],
) -> Result<(), FormatError> {
    let n = sentence.words.len();
    let line_of = |i: usize| word_lines.get(i).copied().unwrap_or(0);
    for (i, w) in sentence.words.iter().enumerate() {
        if w.head > n {
            return Err(FormatError::malformed(
                source_name,
                line_of(i),
                format!("HEAD {} out of range (sentence has {n} words)", w.head),
            ));
        }
    }
    let annotated = sentence.words.iter().any(|w| w.head != 0);
    if !annotated {
        return Ok(());
    }
    for start in 0..n {
        let mut steps = 0;
        let mut cur = start + 1;
        while cur != 0 {
            cur = sentence.words[cur - 1].head;
            steps += 1;
            if steps > n {
                return Err(FormatError::malformed(
                    source_name,
                    line_of(start),
                    format!("HEAD links of word {} form a cycle", start + 1),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# sent_id = 1\n# text = I don't.\n1\tI\tI\tPRON\tPRP\t_\t3\tnsubj\t_\t_\n2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n2\tdo\tdo\tAUX\tVBP\t_\t0\troot\t_\t_\n3\tn't\tnot\tPART\tRB\t_\t2\tadvmod\t_\t_\n4\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n";

    #[test]
    fn reads_words_multiwords_and_comments() {
        // HEAD of word 1 points at 3 which points at 2 (root): valid.
        let s = read_conllu(SAMPLE, "t").unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].words.len(), 4);
        assert_eq!(s[0].text(), Some("I don't."));
        assert_eq!(s[0].multiword[0].first, 2);
        assert_eq!(s[0].words[1].head, 0);
    }

    #[test]
    fn wrong_column_count_names_line() {
        let err = read_conllu("1\tI\tI\n", "f.conllu").unwrap_err();
        assert!(err.to_string().starts_with("f.conllu:1:"), "{err}");
    }

    #[test]
    fn cycle_rejected() {
        let t = "1\ta\ta\tX\tX\t_\t2\tdep\t_\t_\n2\tb\tb\tX\tX\t_\t1\tdep\t_\t_\n\n";
        assert!(read_conllu(t, "c")
            .unwrap_err()
            .to_string()
            .contains("cycle"));
    }

    #[test]
    fn head_out_of_range_rejected() {
        let t = "1\ta\ta\tX\tX\t_\t5\tdep\t_\t_\n\n";
        assert!(read_conllu(t, "c")
            .unwrap_err()
            .to_string()
            .contains("out of range"));
    }

    #[test]
    fn missing_final_blank_line_rejected() {
        for t in [
            "1\ta\ta\tX\tX\t_\t0\troot\t_\t_",
            "1\ta\ta\tX\tX\t_\t0\troot\t_\t_\n",
        ] {
            let e = read_conllu(t, "c").unwrap_err().to_string();
            assert!(e.starts_with("c:1:") && e.contains("blank line"), "{e}");
        }
        assert_eq!(read_conllu("", "c").unwrap().len(), 0);
    }

    #[test]
    fn non_numeric_ids_rejected() {
        for (id, what) in [
            ("x", "positive integer"),
            ("1.a", "N.M"),
            ("1-b", "positive integer"),
        ] {
            let t = format!("{id}\ta\ta\tX\tX\t_\t0\troot\t_\t_\n\n");
            let e = read_conllu(&t, "c").unwrap_err().to_string();
            assert!(e.starts_with("c:1:") && e.contains(what), "{e}");
        }
    }
}
