//! Exports of the coded record in other tools' formats, read through the
//! `Store` trait:
//! - [`gdelt`]: the GDELT 2.0 event table (61 columns) and mentions table (16);
//! - [`acled`]: ACLED-style CSV.
//!
//! Rules shared by both: every row has a whole calendar date, background
//! references to the past are left out unless asked for ([`dates`]), actor
//! countries come from CAMEO's country table ([`cameo`]), and places come from
//! the bundled GeoNames gazetteer (`chronicle-geo`).

pub mod acled;
pub mod cameo;
mod context;
pub mod dates;
pub mod gdelt;
mod scan;

pub use acled::AcledSummary;
pub use gdelt::GdeltSummary;

use chronicle_store::{EventFilter, StoreError};

/// What to export.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    pub filter: EventFilter,
    /// Also export events dated more than 30 days before their article
    /// (references to the past).
    pub include_background: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{what}: {source}")]
    Store {
        what: String,
        #[source]
        source: StoreError,
    },
    #[error("stored document {doc}: {reason}")]
    Inconsistent { doc: String, reason: String },
    #[error("writing {what}: {source}")]
    Write {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("writing {what}: {source}")]
    Csv {
        what: String,
        #[source]
        source: csv::Error,
    },
    #[error("the bundled gazetteer cannot be read: {0}")]
    Gazetteer(String),
}

impl ExportError {
    fn write(what: &str, source: std::io::Error) -> ExportError {
        ExportError::Write {
            what: what.to_string(),
            source,
        }
    }

    /// Whether the error is a closed output (a pipe whose reader went away).
    pub fn is_broken_pipe(&self) -> bool {
        match self {
            ExportError::Write { source, .. } => source.kind() == std::io::ErrorKind::BrokenPipe,
            ExportError::Csv { source, .. } => matches!(
                source.kind(),
                csv::ErrorKind::Io(e) if e.kind() == std::io::ErrorKind::BrokenPipe
            ),
            _ => false,
        }
    }
}

fn gazetteer() -> Result<&'static chronicle_geo::Gazetteer, ExportError> {
    chronicle_geo::Gazetteer::embedded().map_err(|e| ExportError::Gazetteer(e.to_string()))
}
