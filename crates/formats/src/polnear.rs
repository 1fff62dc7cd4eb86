//! PolNeAR (political news attributions) folders: `text/<name>.txt` beside
//! `attributions/<name>_<annotator>.ann`, brat standoff with one `Attribution`
//! event per attribution (`Content`, `Source` and `Cue` arguments). A text that
//! several annotators annotated is read once, with the first `.ann` in name order.

use crate::{read_brat, FormatError};
use std::path::{Path, PathBuf};

/// Byte ranges `[start, end)` into the text, one per fragment.
pub type Fragments = Vec<(usize, usize)>;

/// One text and its attributions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolnearDocument {
    /// The text's name (the `.txt` file stem).
    pub name: String,
    pub text_path: PathBuf,
    pub ann_path: PathBuf,
    pub text: String,
    pub attributions: Vec<PolnearAttribution>,
}

/// One `Attribution*` event, its arguments as byte fragments of the text. Only
/// the roles named exactly `Content`, `Source` and `Cue` are read (a second
/// `Content2` is not), the first of each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolnearAttribution {
    /// `None` when the annotator left the event without a content.
    pub content: Option<Fragments>,
    pub source: Option<Fragments>,
    pub cue: Option<Fragments>,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> FormatError + '_ {
    move |err| FormatError::Io {
        path: path.to_path_buf(),
        err,
    }
}

/// Reads a PolNeAR split folder (the one holding `text/` and `attributions/`).
pub fn read_polnear_dir(dir: &Path) -> Result<Vec<PolnearDocument>, FormatError> {
    let ann_dir = dir.join("attributions");
    let text_dir = dir.join("text");
    let mut anns = Vec::new();
    for entry in std::fs::read_dir(&ann_dir).map_err(io(&ann_dir))? {
        let path = entry.map_err(io(&ann_dir))?.path();
        if path.extension().is_some_and(|x| x == "ann") {
            anns.push(path);
        }
    }
    anns.sort();
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for ann_path in anns {
        let source_name = ann_path.display().to_string();
        let stem = ann_path
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or_else(|| FormatError::malformed(&source_name, 1, "file name is not UTF-8"))?;
        let name = stem.rsplit_once('_').map_or(stem, |(b, _)| b).to_string();
        if !seen.insert(name.clone()) {
            continue;
        }
        let text_path = text_dir.join(format!("{name}.txt"));
        let text = crate::read_to_string(&text_path)?;
        let ann = crate::read_to_string(&ann_path)?;
        let attributions = read_polnear_attributions(&ann, &source_name, &text)?;
        out.push(PolnearDocument {
            name,
            text_path,
            ann_path,
            text,
            attributions,
        });
    }
    Ok(out)
}

/// The attributions of one `.ann` over its text. An argument naming no span, or a
/// span past the end of the text, is an error naming the `.ann` line.
pub fn read_polnear_attributions(
    ann: &str,
    source_name: &str,
    text: &str,
) -> Result<Vec<PolnearAttribution>, FormatError> {
    let doc = read_brat(ann, source_name)?;
    let line_of = |id: &str| {
        ann.lines()
            .position(|l| l.split('\t').next() == Some(id))
            .map_or(0, |i| i + 1)
    };
    let mut out = Vec::new();
    for e in doc
        .events
        .iter()
        .filter(|e| e.label.starts_with("Attribution"))
    {
        let arg = |role: &str| -> Result<Option<Fragments>, FormatError> {
            let Some((_, id)) = e.args.iter().find(|(r, _)| r == role) else {
                return Ok(None);
            };
            doc.byte_fragments(id, text).map(Some).ok_or_else(|| {
                let (line, why) = match doc.span(id) {
                    None => (
                        line_of(&e.id),
                        format!("{role} argument {id} names no span"),
                    ),
                    Some(_) => (
                        line_of(id),
                        format!("span {id} runs past the end of the text"),
                    ),
                };
                FormatError::malformed(source_name, line, why)
            })
        };
        out.push(PolnearAttribution {
            content: arg("Content")?,
            source: arg("Source")?,
            cue: arg("Cue")?,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // "Ilse Varga" 0..10, "said" 11..15, "the vote was «fair»" 21..40 in characters;
    // « and » are two bytes each, so byte offsets after them shift.
    const TEXT: &str = "Ilse Varga said that the vote was «fair».";
    const ANN: &str = "T1\tSource 0 10\tIlse Varga\nT2\tCue 11 15\tsaid\nT3\tContent 21 40\tthe vote was «fair»\nT4\tAttribution 11 15\tsaid\nE1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\nT5\tOther 0 4\tIlse\nE2\tOther:T5 Content:T5\nE3\tAttribution:T4 Cue:T2\n";

    #[test]
    fn reads_attribution_arguments_as_bytes() {
        let a = read_polnear_attributions(ANN, "a.ann", TEXT).unwrap();
        assert_eq!(a.len(), 2, "the Other event is not an attribution");
        assert_eq!(a[0].source, Some(vec![(0, 10)]));
        assert_eq!(a[0].cue, Some(vec![(11, 15)]));
        let content = a[0].content.clone().unwrap();
        assert_eq!(&TEXT[content[0].0..content[0].1], "the vote was «fair»");
        assert_eq!((a[1].content.as_ref(), a[1].source.as_ref()), (None, None));
    }

    #[test]
    fn errors_name_the_ann_line() {
        let e = read_polnear_attributions("E1\tAttribution:T4 Content:T9\n", "a.ann", TEXT)
            .unwrap_err();
        assert_eq!(e.to_string(), "a.ann:1: Content argument T9 names no span");
        let ann =
            "T4\tAttribution 0 4\tIlse\nT3\tContent 30 99\tx\nE1\tAttribution:T4 Content:T3\n";
        let e = read_polnear_attributions(ann, "a.ann", TEXT).unwrap_err();
        assert_eq!(
            e.to_string(),
            "a.ann:2: span T3 runs past the end of the text"
        );
    }

    #[test]
    fn reads_a_folder_once_per_text() {
        let dir = tempfile::tempdir().unwrap();
        let (t, a) = (dir.path().join("text"), dir.path().join("attributions"));
        std::fs::create_dir_all(&t).unwrap();
        std::fs::create_dir_all(&a).unwrap();
        std::fs::write(t.join("story_one.txt"), TEXT).unwrap();
        std::fs::write(a.join("story_one_b2.ann"), "").unwrap();
        std::fs::write(a.join("story_one_a1.ann"), ANN).unwrap();
        std::fs::write(a.join("notes.txt"), "not an annotation").unwrap();
        let docs = read_polnear_dir(dir.path()).unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].name, "story_one");
        assert!(docs[0].ann_path.ends_with("story_one_a1.ann"));
        assert_eq!(docs[0].attributions.len(), 2);
        std::fs::write(a.join("lost_a1.ann"), ANN).unwrap();
        let e = read_polnear_dir(dir.path()).unwrap_err().to_string();
        assert!(e.contains("lost.txt"), "{e}");
        let e = read_polnear_dir(&dir.path().join("nowhere"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("attributions"), "{e}");
    }

    proptest::proptest! {
        /// Whatever the offsets, fragments are char boundaries of the text or the
        /// reader says which line is wrong.
        #[test]
        fn fragments_are_char_boundaries(
            text in "[a-zé«» ]{0,30}",
            spans in proptest::collection::vec((0usize..40, 0usize..40), 1..4),
        ) {
            let mut ann = String::new();
            for (i, (a, b)) in spans.iter().enumerate() {
                ann.push_str(&format!("T{i}\tContent {} {}\tx\n", a.min(b), a.max(b)));
                ann.push_str(&format!("E{i}\tAttribution:T{i} Content:T{i}\n"));
            }
            match read_polnear_attributions(&ann, "a.ann", &text) {
                Ok(atts) => for f in atts.iter().flat_map(|a| a.content.iter().flatten()) {
                    proptest::prop_assert!(text.is_char_boundary(f.0) && text.is_char_boundary(f.1));
                    proptest::prop_assert!(f.0 <= f.1);
                },
                Err(e) => proptest::prop_assert!(e.to_string().starts_with("a.ann:")),
            }
        }
    }
}
