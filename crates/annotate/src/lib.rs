//! chronicle-annotate
