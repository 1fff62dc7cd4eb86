//! chronicle-store
