//! Ingest: raw news in the shapes it arrives in → clean `Document`s.
//!
//! Reads files and folders (recursively), decides each input's format by content
//! (plain text, HTML, JSON, JSONL, CSV/TSV, RSS/Atom, WARC, any of them gzipped),
//! decodes legacy encodings, strips page chrome, and gathers title, outlet, URL,
//! byline, language and the evidence for the publication date. Bad input yields
//! one `IngestError` naming the input and the reason; other inputs are unaffected.
//! This crate reads files but never writes: storing is the store's job.

mod article;
pub mod clean;
pub mod dates;
pub mod decode;
mod error;
mod fields;
pub mod formats;
mod not_found;
mod outlet;
mod raw;
pub mod sniff;
mod stream;

pub use article::{build_document, LineStats};
pub use error::IngestError;
pub use fields::FieldMap;
pub use outlet::outlet_from_url;
pub use raw::RawArticle;
pub use stream::JsonlStream;

use chronicle_core::Document;
use sniff::Format;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Default cap on one input file: bigger files are refused rather than read whole.
pub const DEFAULT_MAX_BYTES: u64 = 20 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct IngestOptions {
    pub max_bytes: u64,
    pub fields: FieldMap,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            max_bytes: DEFAULT_MAX_BYTES,
            fields: FieldMap::default(),
        }
    }
}

/// Everything one input file produced: documents, and records that failed.
pub type FileResult = Result<Vec<Result<Document, IngestError>>, IngestError>;

/// Expands files and folders into the list of files to read. Unreadable entries and
/// symlink loops are reported, not fatal. Hidden files and folders are skipped.
pub fn collect_inputs(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<IngestError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        if !root.exists() && root.symlink_metadata().is_err() {
            errors.push(IngestError::Io {
                path: root.clone(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no such file or directory",
                ),
            });
            continue;
        }
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            match entry {
                // Inside folders, skip files that are never articles (scripts, configs);
                // a file named explicitly is always read.
                Ok(e) if e.file_type().is_file() && e.depth() > 0 && is_never_article(e.path()) => {
                }
                Ok(e) if e.file_type().is_file() => files.push(e.into_path()),
                Ok(e) if e.file_type().is_dir() => {}
                // FIFOs, devices and sockets are reported, never opened: a FIFO blocks
                // until a writer comes, `/dev/zero` never ends.
                Ok(e) => errors.push(IngestError::NotRegular {
                    kind: special_kind(&e.file_type()),
                    path: e.into_path(),
                }),
                Err(err) => {
                    let path = err
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| root.clone());
                    let reason = if err.loop_ancestor().is_some() {
                        "symlink loop, skipped".to_string()
                    } else {
                        err.io_error()
                            .map(|e| e.to_string())
                            .unwrap_or_else(|| err.to_string())
                    };
                    errors.push(IngestError::Walk { path, reason });
                }
            }
        }
    }
    (files, errors)
}

fn is_never_article(path: &Path) -> bool {
    const SKIP: &[&str] = &[
        "py", "rs", "js", "ts", "css", "sh", "c", "h", "cpp", "java", "go", "rb", "pl", "toml",
        "yaml", "yml", "lock", "ini", "cfg", "exe", "dll", "so", "o", "a", "pyc", "db", "sqlite",
        "db-wal", "db-shm", "zst",
    ];
    SKIP.contains(&extension(path).as_str())
}

/// What a non-regular, non-folder file is, for the error line.
fn special_kind(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "FIFO";
        }
        if t.is_char_device() {
            return "character device";
        }
        if t.is_block_device() {
            return "block device";
        }
        if t.is_socket() {
            return "socket";
        }
    }
    if t.is_dir() {
        "folder"
    } else {
        "special file"
    }
}

/// Opens without blocking: were a regular file swapped for a FIFO after it was
/// checked, opening it must not wait for a writer.
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    opts.open(path)
}

/// Reads at most `cap + 1` bytes so an oversized or endless input is refused cheaply.
/// Only regular files are read: the type is checked before opening and again on
/// the open handle.
fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, IngestError> {
    let io = |source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    };
    let not_regular = |meta: &std::fs::Metadata| IngestError::NotRegular {
        path: path.to_path_buf(),
        kind: special_kind(&meta.file_type()),
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    if meta.len() > cap {
        return Err(IngestError::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
            cap,
        });
    }
    let file = open_nonblocking(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    let mut bytes = Vec::new();
    file.take(cap + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > cap {
        return Err(IngestError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            cap,
        });
    }
    Ok(bytes)
}

fn gunzip(bytes: &[u8], path: &Path, cap: u64) -> Result<Vec<u8>, IngestError> {
    let mut out = Vec::new();
    let decoder = flate2::read::MultiGzDecoder::new(bytes);
    decoder
        .take(cap + 1)
        .read_to_end(&mut out)
        .map_err(|e| IngestError::BadGzip {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
    if out.len() as u64 > cap {
        return Err(IngestError::TooLarge {
            path: path.to_path_buf(),
            size: out.len() as u64,
            cap,
        });
    }
    Ok(out)
}

/// Reads one file into documents.
pub fn read_file(path: &Path, opts: &IngestOptions, stats: &LineStats) -> FileResult {
    Ok(read_records(path, opts, stats)?.collect())
}

/// Reads one file's records, each built into a document when taken: a caller
/// that handles them one at a time holds the records' text once, not also
/// every document built from it (nor the file's bytes, dropped once split).
pub fn read_records<'s>(
    path: &Path,
    opts: &IngestOptions,
    stats: &'s LineStats,
) -> Result<FileRecords<'s>, IngestError> {
    let raws = {
        let bytes = read_capped(path, opts.max_bytes)?;
        raw_records(&bytes, path, opts)?
    };
    Ok(FileRecords {
        raws: raws.into_iter(),
        path: path.to_path_buf(),
        stats,
    })
}

/// The records of one file (see [`read_records`]). Documents are built in
/// file order, as [`read_file`] builds them, so the boilerplate line counts
/// each sees are the same.
pub struct FileRecords<'s> {
    raws: std::vec::IntoIter<Result<RawArticle, IngestError>>,
    path: PathBuf,
    stats: &'s LineStats,
}

impl Iterator for FileRecords<'_> {
    type Item = Result<Document, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        let raw = self.raws.next()?;
        Some(raw.and_then(|raw| build_document(raw, &self.path, self.stats)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.raws.size_hint()
    }
}

impl ExactSizeIterator for FileRecords<'_> {}

fn extension(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    name.rsplit_once('.')
        .map(|(_, e)| e.to_string())
        .unwrap_or_default()
}

/// Reads in-memory input as if it came from `path` (used by tests and fuzzing).
pub fn read_bytes(
    bytes: &[u8],
    path: &Path,
    opts: &IngestOptions,
    stats: &LineStats,
) -> FileResult {
    Ok(finish(raw_records(bytes, path, opts)?, path, stats))
}

/// The records of in-memory input, not yet built into documents.
fn raw_records(
    bytes: &[u8],
    path: &Path,
    opts: &IngestOptions,
) -> Result<formats::Records, IngestError> {
    let owned;
    let bytes = if sniff::is_gzip(bytes) {
        owned = gunzip(bytes, path, opts.max_bytes)?;
        &owned[..]
    } else {
        bytes
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(IngestError::Empty {
            path: path.to_path_buf(),
        });
    }
    if bytes.starts_with(b"WARC/") {
        return Ok(formats::warc::read_warc(bytes, path));
    }
    if let Some(reason) = decode::binary_reason(bytes) {
        return Err(IngestError::Binary {
            path: path.to_path_buf(),
            reason,
        });
    }
    let decoded = decode::decode(bytes, None);
    let text = decoded.text;
    if text.trim().is_empty() {
        return Err(IngestError::Empty {
            path: path.to_path_buf(),
        });
    }
    let ext = extension(path);
    let raws: formats::Records = match sniff::sniff_text(&text, &ext) {
        Format::Text => vec![Ok(RawArticle {
            format: "text",
            body: text,
            parse_header: true,
            ..Default::default()
        })],
        Format::Html => vec![formats::html::read_html(&text, None, path)],
        Format::Json => formats::json::read_json(&text, path, &opts.fields)?,
        Format::Jsonl => formats::json::read_jsonl(&text, path, &opts.fields),
        Format::Csv => formats::csv::read_csv(&text, path, &opts.fields, b',')?,
        Format::Tsv => formats::csv::read_csv(&text, path, &opts.fields, b'\t')?,
        Format::Feed => formats::feed::read_feed(text.as_bytes(), path)?,
        Format::Warc => formats::warc::read_warc(text.as_bytes(), path),
    };
    Ok(raws)
}

fn finish(
    raws: formats::Records,
    path: &Path,
    stats: &LineStats,
) -> Vec<Result<Document, IngestError>> {
    raws.into_iter()
        .map(|r| r.and_then(|raw| build_document(raw, path, stats)))
        .collect()
}
