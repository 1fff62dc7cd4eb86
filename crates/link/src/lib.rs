//! chronicle-link
