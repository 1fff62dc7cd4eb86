//! The annotation pipeline run on every English document: the engine's, so the
//! CLI's one-off commands annotate exactly as ingest does.

pub use chronicle_engine::annotate;
