//! chronicle-ingest
