//! `IngestError`: why one input or record could not be read, as one line naming it.

use std::path::PathBuf;

/// Why an input (a file, or one record inside it) could not be ingested.
/// The `Display` form is the one line a user sees: input name, then the reason.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{path}: file is {size} bytes, over the {cap}-byte size cap (raise it with --max-bytes)"
    )]
    TooLarge { path: PathBuf, size: u64, cap: u64 },
    /// A FIFO, device or socket: reading one could block forever or never end.
    #[error("{path}: not a regular file ({kind}), skipped")]
    NotRegular { path: PathBuf, kind: &'static str },
    #[error("{path}: file is empty or whitespace only")]
    Empty { path: PathBuf },
    #[error(
        "{path}: looks like a binary file ({reason}), not text, HTML, JSON, CSV, a feed or WARC"
    )]
    Binary { path: PathBuf, reason: String },
    #[error("{path}: gzip stream is corrupt or truncated: {reason}")]
    BadGzip { path: PathBuf, reason: String },
    #[error("{path}: {format} input is malformed: {reason}")]
    Malformed {
        path: PathBuf,
        format: &'static str,
        reason: String,
    },
    #[error("{path}{}: {reason}", record.as_ref().map(|r| format!(" [{r}]")).unwrap_or_default())]
    Record {
        path: PathBuf,
        record: Option<String>,
        reason: String,
    },
    #[error("{path}: {reason}")]
    Walk { path: PathBuf, reason: String },
}

impl IngestError {
    pub fn malformed(path: &std::path::Path, format: &'static str, reason: impl ToString) -> Self {
        IngestError::Malformed {
            path: path.to_path_buf(),
            format,
            reason: reason.to_string(),
        }
    }

    pub fn record(path: &std::path::Path, record: Option<String>, reason: impl ToString) -> Self {
        IngestError::Record {
            path: path.to_path_buf(),
            record,
            reason: reason.to_string(),
        }
    }
}
