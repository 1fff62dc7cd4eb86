//! chronicle-core
