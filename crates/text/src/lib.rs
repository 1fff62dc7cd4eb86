//! chronicle-text
