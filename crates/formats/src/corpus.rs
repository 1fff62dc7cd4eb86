//! Corpus folders: every file with one of a format's extensions under a folder,
//! at any depth, in path order (so scores and their diagnostics come out the same
//! on every run).

use crate::FormatError;
use std::path::{Path, PathBuf};

/// Files under `dir` (symlinks followed) whose extension is one of `extensions`,
/// sorted by path. An unreadable folder or a symlink loop is an error naming it.
pub fn corpus_files(dir: &Path, extensions: &[&str]) -> Result<Vec<PathBuf>, FormatError> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(true) {
        let entry = entry.map_err(|e| FormatError::Io {
            path: e.path().unwrap_or(dir).to_path_buf(),
            err: e.into(),
        })?;
        let wanted = entry
            .path()
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| extensions.contains(&x));
        if wanted && !entry.file_type().is_dir() {
            out.push(entry.into_path());
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_matching_files_at_any_depth_in_path_order() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("b/deeper")).unwrap();
        std::fs::create_dir_all(d.join("a.tml")).unwrap();
        for f in [
            "b/deeper/z.tml",
            "b/y.xml",
            "a.tml/x.tml",
            "c.txt",
            "b/w.TML",
        ] {
            std::fs::write(d.join(f), "").unwrap();
        }
        let got: Vec<PathBuf> = corpus_files(d, &["tml", "xml"])
            .unwrap()
            .into_iter()
            .map(|p| p.strip_prefix(d).unwrap().to_path_buf())
            .collect();
        let want: Vec<PathBuf> = ["a.tml/x.tml", "b/deeper/z.tml", "b/y.xml"]
            .iter()
            .map(PathBuf::from)
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_missing_folder_is_an_error() {
        let e = corpus_files(Path::new("/nonexistent/corpus"), &["tml"]).unwrap_err();
        assert!(e.to_string().contains("/nonexistent/corpus"), "{e}");
    }
}
